"""The corpus holds the seed collection: every quote verbatim, in its part and order, with its source."""

from __future__ import annotations

import re

import pytest

from generator import pipeline
from tests.conftest import ROOT

SEED = ROOT.parent / "shared" / "seed" / "lessons-from-neel-nanda.txt"
QUOTE_LINE = re.compile(r'- On (?P<topic>.+?): "(?P<text>.*)" — Source: \[(?P<source>.+)\]$')
PART_LINE = re.compile(r"Part (?P<number>\d+): (?P<title>.+)$")

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="the seed lives in ../shared, absent from this checkout")


def parse_seed() -> list[tuple[int, str, list[tuple[str, str, str]]]]:
    parts: list[tuple[int, str, list[tuple[str, str, str]]]] = []
    for line in SEED.read_text("utf-8").splitlines():
        if m := PART_LINE.match(line):
            parts.append((int(m["number"]), m["title"], []))
        elif m := QUOTE_LINE.match(line):
            parts[-1][2].append((m["topic"], m["text"], m["source"]))
    return parts


def test_seed_parses_into_75_quotes_in_8_parts() -> None:
    parts = parse_seed()
    assert [len(quotes) for _, _, quotes in parts] == [10, 9, 9, 10, 10, 9, 9, 9]


def test_every_seed_quote_is_in_the_corpus_verbatim_in_order_with_its_source() -> None:
    collection, _ = pipeline.check(ROOT)
    assert len(collection.parts) == len(parse_seed())
    for (number, title, seed_quotes), part in zip(parse_seed(), collection.parts, strict=True):
        assert (part.number, part.title) == (number, title)
        corpus = [(q.topic, q.text, q.source.title) for q in part.quotes]
        assert corpus == seed_quotes, f"part {number} differs from the seed"


def test_every_seed_source_label_is_a_source_title() -> None:
    collection, _ = pipeline.check(ROOT)
    labels = {source for _, _, quotes in parse_seed() for _, _, source in quotes}
    assert labels == {s.title for s in collection.sources}
    assert len(labels) == 11


def test_seed_traps_survive() -> None:
    collection, _ = pipeline.check(ROOT)
    texts = {q.topic: q.text for q in collection.quotes()}
    assert "—" in texts["the Monosemantic Ideal"]
    assert "[A][B]" in texts["Induction Heads"]
