"""What the project knows of its collection from ../shared, committed so the tests that hold the
corpus to it run everywhere, GitHub's CI included, where ../shared is absent.

`tests/fixtures/facts.json` holds the seed's parts and quotes (number, title; topic, text and
source of each quote, in order) and, for each quote id, the record's row: its verdict, its
passages and their addresses, and its comment. tests/test_seed.py and tests/test_record.py
compare the corpus with it; tests/test_facts.py checks, wherever ../shared is present, that
it is still exactly what the seed and the record say. To refresh it after ../shared changes:
`.venv/bin/pytest tests/test_facts.py --update-golden`, and review the diff.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "lessons-from-neel-nanda.txt"
RECORD = SHARED / "record"
FACTS = Path(__file__).parent / "fixtures" / "facts.json"

QUOTE_LINE = re.compile(r'- On (?P<topic>.+?): "(?P<text>.*)" — Source: \[(?P<source>.+)\]$')
PART_LINE = re.compile(r"Part (?P<number>\d+): (?P<title>.+)$")

# A row of a record table: `| <quote-id> | verdict | passage | url | locator | comment |`.
ROW = re.compile(r"\| (?P<id>[a-z0-9]+(?:-[a-z0-9]+)*) \| (?P<cells>.*) \|")
CELLS = ("verdict", "passage", "url", "locator", "comment")
# One passage of the passage cell: `[A] "…"`, `Nearest: "…"`, `(closest, not supporting) "…"`, or a bare `"…"`.
SEGMENT = re.compile(r'(?P<marks>(?:\[[A-Z]\])*) ?(?:Nearest: |\(closest[^)"]*\) )?"(?P<text>.+)"')
# A row without a passage may still name the nearest words of his: `— (closest Neel words: "…", …)`.
NEAREST_WORDS = re.compile(r'— \(closest Neel words: "(?P<text>[^"]+)", ')
# The record is Markdown: `\"` shows a reader `"` (the AXRP transcript it copies has plain quotes).
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# The record copies passages with the Markdown of their stored files; the corpus keeps the words a reader sees.
MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(https?://[^)\s]*\)")
MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])(\*\*?)(?=[^\s*])([^*\n]*?[^\s*])\1(?![\w*])")
# Rows whose passage joins passages from different places; the corpus gives each on its own, in the same order.
JOINED = {"difficulty-of-the-task": " ¶ … "}

VERDICT_STATUS = {
    "verbatim": "verbatim",
    "fair paraphrase": "paraphrase",
    "distorts": "disputed",
    "not found": "unverified",
}


@dataclass(frozen=True)
class SeedPart:
    number: int
    title: str
    quotes: tuple[tuple[str, str, str], ...]
    """(topic, text, source label) of each quote, in order."""


def parse_seed(path: Path = SEED) -> tuple[SeedPart, ...]:
    parts: list[tuple[int, str, list[tuple[str, str, str]]]] = []
    for line in path.read_text("utf-8").splitlines():
        if m := PART_LINE.match(line):
            parts.append((int(m["number"]), m["title"], []))
        elif m := QUOTE_LINE.match(line):
            parts[-1][2].append((m["topic"], m["text"], m["source"]))
    return tuple(SeedPart(number, title, tuple(quotes)) for number, title, quotes in parts)


@dataclass(frozen=True)
class Row:
    id: str
    file: str
    verdict: str
    passages: tuple[tuple[str, str], ...]
    """(markers, text) of each passage of the passage cell, in order; markers like "[A]" or ""."""
    urls: tuple[tuple[str, str], ...]
    """(markers, text) of each part of the url cell."""
    passage_cell: str
    comment: str

    @property
    def status(self) -> str:
        return next(status for verdict, status in VERDICT_STATUS.items() if self.verdict.startswith(verdict))


def split_passages(cell: str) -> tuple[tuple[str, str], ...]:
    if cell.startswith("—"):
        m = NEAREST_WORDS.match(cell)
        return (("", m["text"]),) if m else ()
    passages: list[tuple[str, str]] = []
    for segment in re.split(r" ?<br>", cell):
        m = SEGMENT.fullmatch(segment.strip())
        assert m, f"a passage the test cannot read: {segment!r}"
        # Two passages in one segment: `"…" … "…"` (words left out between them).
        passages.extend((m["marks"], text) for text in m["text"].split('" … "'))
    return tuple(passages)


def plain(markdown: str) -> str:
    """Markdown as a reader sees it: links and emphasis by their words."""
    return MARKDOWN_EMPHASIS.sub(r"\2", MARKDOWN_LINK.sub(r"\1", markdown))


def split_urls(cell: str) -> tuple[tuple[str, str], ...]:
    parts = (re.match(r"((?:\[[A-Z]\])*) ?(.*)", segment.strip()) for segment in re.split(r" ?<br>", cell))
    return tuple((m[1], m[2]) for m in parts if m)


def parse_record(folder: Path = RECORD) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for path in sorted(folder.glob("parts-*.md")):
        for line in path.read_text("utf-8").splitlines():
            m = ROW.fullmatch(line)
            if not m or not m["cells"].startswith(tuple(VERDICT_STATUS)):
                continue  # a header, or a row of a summary table
            cells = ESCAPED.sub(r"\1", m["cells"]).split(" | ")
            assert len(cells) == len(CELLS), f"{path.name}: the row of {m['id']} has {len(cells)} cells, not 5"
            verdict, passage, url, _, comment = cells
            assert m["id"] not in rows, f"{m['id']} has two rows in the record"
            passages = tuple(
                (marks, plain(piece))
                for marks, text in split_passages(passage)
                for piece in (text.split(JOINED[m["id"]]) if m["id"] in JOINED else [text])
            )
            rows[m["id"]] = Row(m["id"], path.name, verdict, passages, split_urls(url), plain(passage), plain(comment))
    return rows


def derive() -> dict[str, Any]:
    """The facts as ../shared gives them today."""
    return {
        "seed": [asdict(part) for part in parse_seed()],
        "record": {quote_id: asdict(row) for quote_id, row in sorted(parse_record().items())},
    }


def dump(facts: dict[str, Any]) -> str:
    return json.dumps(facts, ensure_ascii=False, indent=1) + "\n"


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


@cache
def seed() -> tuple[SeedPart, ...]:
    """The seed's parts, as committed."""
    return tuple(
        SeedPart(p["number"], p["title"], _tuples(p["quotes"])) for p in json.loads(FACTS.read_text("utf-8"))["seed"]
    )


@cache
def record() -> dict[str, Row]:
    """The record's row of each quote id, as committed."""
    rows = json.loads(FACTS.read_text("utf-8"))["record"]
    return {quote_id: Row(**{k: _tuples(v) for k, v in row.items()}) for quote_id, row in rows.items()}
