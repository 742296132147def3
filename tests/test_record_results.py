"""data/record-checks.yaml: written byte for byte the same for the same results, read back
as written, validated like every data file, and merged run after run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.load import _load_file
from generator.model import Passage
from generator.record_check.results import (
    NEVER_CHECKED,
    RESULTS_FILE,
    UNCHECKED,
    Check,
    Finding,
    RecordChecks,
    Snapshot,
    _quoted,
    dump,
    merged,
    passage_key,
    read_checks,
)

PASSAGE = Passage("His words.", "https://a.test/page#part", "there", None)
KEY = passage_key("a-quote", PASSAGE)
DAY1, DAY2, DAY3 = date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21)
SNAP = Snapshot("https://web.archive.org/web/20251002081500/https://a.test/page", date(2025, 10, 2))


def write(root: Path, checks: RecordChecks) -> None:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / RESULTS_FILE).write_text(dump(checks), "utf-8")


def test_no_file_means_never_checked(tmp_path: Path) -> None:
    checks, problems = read_checks(tmp_path)
    assert (checks, problems) == (NEVER_CHECKED, [])
    assert checks.passage("a-quote", PASSAGE) == UNCHECKED
    assert UNCHECKED.result == "unchecked" and UNCHECKED.checked is None


def test_written_then_read_back(tmp_path: Path) -> None:
    run = merged(
        NEVER_CHECKED,
        DAY1,
        {KEY: Finding("moved", "https://a.test/new#part", SNAP)},
        {"https://a.test/page": Finding("moved", "https://a.test/new", SNAP), "https://b.test/": Finding("gone")},
    )
    write(tmp_path, run)
    checks, problems = read_checks(tmp_path)
    assert problems == []
    assert checks.passage("a-quote", PASSAGE) == Check("moved", DAY1, DAY1, "https://a.test/new#part", SNAP)
    assert checks.address("https://a.test/page#anything").moved_to == "https://a.test/new"
    assert checks.address("https://b.test/") == Check("gone", DAY1, DAY1)
    assert dump(checks) == dump(run)


def test_the_bytes_do_not_depend_on_the_order_results_come_in() -> None:
    a = {"https://a.test/": Finding("found"), "https://b.test/": Finding("gone")}
    b = dict(reversed(a.items()))
    assert dump(merged(NEVER_CHECKED, DAY1, {}, a)) == dump(merged(NEVER_CHECKED, DAY1, {}, b))
    assert dump(merged(NEVER_CHECKED, DAY1, {}, {})).endswith("passages: []\naddresses: []\n")


def test_since_holds_while_the_result_does_and_last_found_remembers_the_words() -> None:
    one = merged(NEVER_CHECKED, DAY1, {KEY: Finding("found", snapshot=SNAP)}, {})
    two = merged(one, DAY2, {KEY: Finding("found")}, {})
    assert two.passages[KEY] == Check("found", DAY2, DAY1, None, SNAP)  # the snapshot is kept
    three = merged(two, DAY3, {KEY: Finding("unreachable")}, {})
    assert three.passages[KEY] == Check("unreachable", DAY3, DAY3, None, SNAP, last_found=DAY2)
    four = merged(three, date(2026, 12, 28), {KEY: Finding("changed")}, {})
    assert four.passages[KEY].last_found == DAY2
    assert four.passages[KEY].since == date(2026, 12, 28)
    # A passage no longer in the corpus is dropped.
    assert merged(four, DAY3, {}, {}).passages == {}


def test_a_newer_snapshot_replaces_an_older_one() -> None:
    newer = Snapshot("https://web.archive.org/web/20261201000000/https://a.test/page", date(2026, 12, 1))
    one = merged(NEVER_CHECKED, DAY1, {KEY: Finding("found", snapshot=SNAP)}, {})
    assert merged(one, DAY2, {KEY: Finding("found", snapshot=newer)}, {}).passages[KEY].snapshot == newer


@given(st.text())
def test_any_text_is_written_as_a_scalar_that_reads_back_as_itself(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_text(f"value: {_quoted(text)}\n", "utf-8")
        problems: list[object] = []
        doc = _load_file(path, "x.yaml", problems)  # type: ignore[arg-type]
        assert doc is not None, problems
        assert doc.root.value["value"].value == text
