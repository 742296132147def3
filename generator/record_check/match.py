"""Is a passage on a page, as a reader would find it, and does its link highlight it?

Pure functions of strings: a page is its visible text, one string per block (paragraph,
heading, list item, table cell…), which `page` makes from HTML or PDF and tests write by hand.

Two comparisons, on purpose different:
- *found* is a reader's search: case, whitespace, curly and straight quotes, dashes and
  ellipses do not matter, nor where elements or blocks begin; ` … ` and ` ¶ ` in a passage
  are gaps, so each piece must be there, in order.
- *the fragment* is Chromium's: a text directive (`#:~:text=start,end`) matches when each
  term is within one block, on word boundaries, ignoring case, whitespace runs and the
  difference between ' and ’ or " and “”, but not between - and —.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from generator.provenance import shortened

# As generator/provenance.py splits a passage: words left out (…) or a paragraph break (¶).
GAPS = re.compile(r"\s*[…¶]\s*")
_SPACES = re.compile(r"\s+")
_AROUND_DASH = re.compile(r" ?- ?")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_READER = {
    **_INVISIBLE,
    **dict.fromkeys(map(ord, "‘’‚‛′ʼ"), "'"),
    **dict.fromkeys(map(ord, "“”„‟″"), '"'),
    **dict.fromkeys(map(ord, "‐‑‒–—―−⁃"), "-"),
}
# Chromium's find-in-page folds only these quotation marks (and drops soft hyphens).
_CHROMIUM = {0x00AD: None, 0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'}

Found = Literal["found", "fragment-missed", "changed"]


def reader_fold(text: str, *, loose: bool = False) -> str:
    """Text as a reader compares it. `loose` (for PDFs, whose extracted text breaks words at
    line ends and spaces them unevenly) also drops every hyphen and space."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_READER)  # NFKC: … → ..., ﬁ → fi
    text = _SPACES.sub(" ", text).strip()
    if loose:
        return text.replace("-", "").replace(" ", "")
    return _AROUND_DASH.sub("-", text)


def chromium_fold(text: str) -> str:
    return _SPACES.sub(" ", text.casefold().translate(_CHROMIUM)).strip()


def pieces(passage: str) -> list[str]:
    """A passage's stretches of contiguous text, in order."""
    return [p for p in GAPS.split(passage) if p.strip()]


def directive(link: str | None) -> tuple[str, str | None] | None:
    """(textStart, textEnd or None) of a link's text directive, decoded; None if it has none.
    Prefix and suffix terms (`a-,`, `,-b`), which generator/provenance.py never writes, are ignored."""
    if not link or ":~:" not in link:
        return None
    for part in link.split(":~:", 1)[1].split("&"):
        if not part.startswith("text="):
            continue
        raw = part[5:].split(",")
        if raw and raw[0].endswith("-"):  # a prefix: literal hyphens in terms are written %2D
            raw = raw[1:]
        if raw and raw[-1].startswith("-"):  # a suffix
            raw = raw[:-1]
        terms = [unquote(t) for t in raw]
        if terms and terms[0]:
            return terms[0], terms[1] if len(terms) > 1 and terms[1] else None
    return None


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _boundary(text: str, i: int) -> bool:
    """Whether a word boundary falls before text[i], as ICU's word breaker puts one: not
    between letters or digits, nor inside "don't", "e.g" or "3.14"."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    if _word(before) and _word(after):
        return False
    if i >= 2 and before in "'.:·" and _word(after) and _word(text[i - 2]):
        return False
    return not (i + 1 < len(text) and after in "'.:·" and _word(before) and _word(text[i + 1]))


def _find_term(block: str, term: str, start: int = 0) -> int:
    """Where `term` first stands in `block` from `start` on, on word boundaries; -1 if nowhere."""
    at = block.find(term, start)
    while at != -1:
        if _boundary(block, at) and _boundary(block, at + len(term)):
            return at
        at = block.find(term, at + 1)
    return -1


def fragment_matches(blocks: Sequence[str], start: str, end: str | None) -> bool:
    """Whether Chromium would highlight `#:~:text=start[,end]` on a page of these blocks."""
    folded = [chromium_fold(b) for b in blocks]
    start_term = chromium_fold(start)
    for i, block in enumerate(folded):
        at = _find_term(block, start_term)
        if at == -1:
            continue
        if end is None:
            return True
        # The first start decides: an end that is not after it is not after any later start.
        end_term = chromium_fold(end)
        after = at + len(start_term)
        if _find_term(block, end_term, after) != -1:
            return True
        return any(_find_term(later, end_term) != -1 for later in folded[i + 1 :])
    return False


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORDS = re.compile(r"\w+")


def closest_sentence(blocks: Sequence[str], piece: str) -> str | None:
    """The page's sentence nearest to a piece that is not on it, shortened; None if no
    sentence shares a word with it."""
    wanted = set(_WORDS.findall(reader_fold(piece)))
    if not wanted:
        return None
    scored: list[tuple[int, int, str]] = []
    for block in blocks:
        for n, sentence in enumerate(_SENTENCE_END.split(block)):
            shared = len(wanted & set(_WORDS.findall(reader_fold(sentence))))
            if shared:
                scored.append((-shared, n, sentence))
    if not scored:
        return None
    candidates = [s for _, _, s in sorted(scored)[:12]]
    target = reader_fold(piece)
    best = max(candidates, key=lambda s: difflib.SequenceMatcher(None, target, reader_fold(s), autojunk=False).ratio())
    return shortened(best)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one page says about one passage."""

    result: Found
    missing: str | None = None
    """The first piece of the passage that is not on the page (changed)."""
    closest: str | None = None
    """The page's sentence nearest to it (changed), as the page writes it, shortened."""


class Page:
    """A page's visible text, folded once for all the passages that link it."""

    __slots__ = ("_folded", "blocks", "loose")

    def __init__(self, blocks: Sequence[str], *, loose: bool = False) -> None:
        self.blocks = tuple(blocks)
        self.loose = loose
        """PDF text: compared without hyphens and spaces, and never highlighted (Chromium's
        PDF viewer does not follow text fragments)."""
        self._folded: str | None = None

    def folded(self) -> str:
        if self._folded is None:
            self._folded = reader_fold(" ".join(self.blocks), loose=self.loose)
        return self._folded

    def verdict(self, passage: str, link: str | None = None) -> Verdict:
        text = self.folded()
        at = 0
        for piece in pieces(passage):
            folded = reader_fold(piece, loose=self.loose)
            found = text.find(folded, at)
            if found == -1:
                return Verdict("changed", piece, closest_sentence(self.blocks, piece))
            at = found + len(folded)
        terms = None if self.loose else directive(link)
        if terms is not None and not fragment_matches(self.blocks, *terms):
            return Verdict("fragment-missed")
        return Verdict("found")


def classify(page: str | Sequence[str], passage: str, link: str | None = None, *, pdf: bool = False) -> Verdict:
    """A passage's verdict on a page given as text (one block per line) or as blocks."""
    blocks = page.split("\n") if isinstance(page, str) else page
    return Page(blocks, loose=pdf).verdict(passage, link)
