"""The facts the seed and record tests compare the corpus with (tests/fixtures/facts.json) are
still exactly what ../shared says. The one module that needs ../shared, so the one that skips
where it is absent (GitHub's CI); everything else runs against the committed facts."""

from __future__ import annotations

import pytest

from tests import facts

pytestmark = pytest.mark.skipif(
    not (facts.SEED.is_file() and facts.RECORD.is_dir()),
    reason="the seed and the record live in ../shared, absent from this checkout; the committed facts stand in",
)


def test_the_committed_facts_are_the_seed_and_the_record(update_golden: bool) -> None:
    derived = facts.dump(facts.derive())
    if update_golden:
        facts.FACTS.write_text(derived, "utf-8")
    assert facts.FACTS.read_text("utf-8") == derived, (
        "../shared changed: refresh the facts with `.venv/bin/pytest tests/test_facts.py --update-golden`"
    )
