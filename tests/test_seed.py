"""The corpus holds the seed collection: every quote verbatim, in its part and order, with its source.

The seed is ../shared/seed/lessons-from-neel-nanda.txt, as committed in tests/fixtures/facts.json
(tests/facts.py), so these run wherever the project does.
"""

from __future__ import annotations

from generator import pipeline
from tests import facts
from tests.conftest import ROOT


def test_seed_holds_75_quotes_in_8_parts() -> None:
    assert [len(part.quotes) for part in facts.seed()] == [10, 9, 9, 10, 10, 9, 9, 9]


def test_every_seed_quote_is_in_the_corpus_verbatim_in_order_with_its_source() -> None:
    collection, _ = pipeline.check(ROOT)
    assert len(collection.parts) == len(facts.seed())
    for seed_part, part in zip(facts.seed(), collection.parts, strict=True):
        assert (part.number, part.title) == (seed_part.number, seed_part.title)
        corpus = tuple((q.topic, q.text, q.source.title) for q in part.quotes)
        assert corpus == seed_part.quotes, f"part {part.number} differs from the seed"


def test_every_seed_source_label_is_a_source_title() -> None:
    collection, _ = pipeline.check(ROOT)
    labels = {source for part in facts.seed() for _, _, source in part.quotes}
    assert labels == {s.title for s in collection.sources}
    assert len(labels) == 11


def test_seed_traps_survive() -> None:
    collection, _ = pipeline.check(ROOT)
    texts = {q.topic: q.text for q in collection.quotes()}
    assert "—" in texts["the Monosemantic Ideal"]
    assert "[A][B]" in texts["Induction Heads"]
