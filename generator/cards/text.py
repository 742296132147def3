"""The fonts, and untrusted text made drawable: cleaned, measured, wrapped and ellipsized.

Every field is text of any length and any script. It is cleaned for drawing only (control and
format characters dropped, runs of combining marks capped); the site's pages show the original.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from generator.cards.spec import Box

FONTS = Path(__file__).parent.parent / "fonts"
REGULAR_FONT = FONTS / "DejaVuSans.ttf"
BOLD_FONT = FONTS / "DejaVuSans-Bold.ttf"

ELLIPSIS = "…"
MAX_CHARACTERS = 20_000
"""Of a quote; more than the smallest size can show."""
MAX_LINE_CHARACTERS = 2_000
"""Of the topic, person, source and site, each drawn on one line."""
MAX_MARKS = 2
"""Combining marks kept per character. Hundreds of stacked marks ("Zalgo") would only be ink to measure."""

WIDTH_SLACK = 3
"""Pixels. A line's width added up from its words' is within a pixel of the whole line's (kerning
and rounding); nearer the edge than this, the line is measured whole."""

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")


# --- Fonts -------------------------------------------------------------------------------


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # The basic layout engine, not Raqm: Raqm is optional in Pillow builds, and a card must
    # come out the same on every machine that has the same Pillow. The cost is no complex
    # shaping or bidi reordering, which a preview image can live without.
    return ImageFont.truetype(BOLD_FONT if bold else REGULAR_FONT, size, layout_engine=ImageFont.Layout.BASIC)


def ink(text: str, size: int, bold: bool, x: int, y: int) -> Box:
    """What the glyphs of `text` cover, drawn with the left end of its baseline at `x, y`."""
    left, top, right, bottom = font(size, bold).getbbox(text, anchor="ls")
    return Box(int(left) + x, int(top) + y, int(right) + x, int(bottom) + y)


@dataclass(frozen=True, slots=True)
class Fits:
    """Whether a text's ink, starting at the left edge, stays within `width`."""

    size: int
    bold: bool
    width: int

    def __call__(self, text: str) -> bool:
        return font(self.size, self.bold).getbbox(text, anchor="ls")[2] <= self.width


@functools.lru_cache(maxsize=1 << 16)
def _measure(word: str, size: int, bold: bool) -> tuple[float, int]:
    """A word's advance and the right edge of its ink, from its origin. Cached: words recur
    in a text and across cards, and are measured at every size tried."""
    f = font(size, bold)
    return f.getlength(word), int(f.getbbox(word, anchor="ls")[2])


# --- Cleaning -----------------------------------------------------------------------------


def to_paragraphs(text: str, limit: int) -> list[str]:
    """The text as drawable paragraphs: its own line breaks kept, blank lines collapsed to one.

    Text beyond `limit` characters is cut and replaced by an ellipsis: no card can show that much,
    and it bounds the work for a megabyte of input."""
    if len(text) > 4 * limit:  # cleaning is linear, but not free; it may drop most characters
        text = text[: 4 * limit] + ELLIPSIS
    # Lone surrogates cannot be normalised or encoded for FreeType.
    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    out: list[str] = []
    marks = 0
    has_base = False
    for c in text:
        if c in _LINE_BREAKS:
            out.append("\n")
            has_base = False
            continue
        category = unicodedata.category(c)
        if category[0] == "M":
            # A mark with nothing to sit on would be drawn left of its line.
            if has_base and marks < MAX_MARKS:
                out.append(c)
                marks += 1
            continue
        if c == "\t" or (category == "Zs" and c not in _NO_BREAK_SPACES):
            c = " "
        elif category in ("Cc", "Cf"):  # NUL, escapes, bidi overrides, zero-width joiners: nothing to draw
            continue
        out.append(c)
        marks = 0
        has_base = c != " "
    cleaned = "".join(out)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + ELLIPSIS
    kept: list[str] = []
    for raw in cleaned.split("\n"):
        paragraph = " ".join(w for w in raw.split(" ") if w)
        if paragraph or (kept and kept[-1]):
            kept.append(paragraph)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def one_line(text: str) -> str:
    return " ".join(p for p in to_paragraphs(text, MAX_LINE_CHARACTERS) if p)


@functools.lru_cache(maxsize=64)
def _clusters(word: str) -> tuple[str, ...]:
    """Characters with their combining marks, so a line never starts with a stray accent."""
    clusters: list[str] = []
    for c in word:
        if clusters and unicodedata.category(c)[0] == "M":
            clusters[-1] += c
        else:
            clusters.append(c)
    return tuple(clusters)


# --- Wrapping and cutting -----------------------------------------------------------------


def _longest(n: int, ok: Callable[[int], bool]) -> int:
    """The largest k in 0..n with ok(k), taking ok(0) for granted and ok as (nearly) monotonic.

    Doubling, then bisecting: O(log k) measurements of strings at most twice as long as what
    fits, however long the input. Whatever it returns passed `ok`, so it is safe even where
    ink widths are not monotonic."""
    lo, hi = 0, 1
    while hi <= n and ok(hi):
        lo, hi = hi, hi * 2
    hi = min(hi, n + 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return lo


def fits_whole(text: str, fits: Callable[[str], bool]) -> bool:
    """fits(text), without measuring a 20,000-character word: FreeType takes microseconds per
    glyph, so long texts are measured by doubling prefixes, stopping at the first that fails."""
    if len(text) <= 64:
        return fits(text)
    clusters = _clusters(text)
    k = 16
    while k < len(clusters):
        if not fits("".join(clusters[:k])):
            return False
        k *= 2
    return fits(text)


def wrap(paragraphs: Sequence[str], fits: Fits) -> Iterator[str]:
    """Greedy lines, lazily: callers stop after as many lines as the box can hold, so a 10 kB
    text costs no more than a box-full.

    A line's width is added up from its words' measurements, which are cached, rather than
    measured whole each time a word is tried: that was most of a card's drawing time. Only
    when the sum is within WIDTH_SLACK of the edge is the line measured whole, so the breaks
    are those whole-line measurement gives."""
    space = font(fits.size, fits.bold).getlength(" ")
    for paragraph in paragraphs:
        current = ""
        advance = 0.0  # of `current`: where a space after it would start
        right = 0.0  # the right edge of `current`'s ink
        for word in paragraph.split(" "):
            if len(word) <= 64 or fits_whole(word, fits):
                word_advance, word_right = _measure(word, fits.size, fits.bold)
                if word_right <= fits.width:
                    start = advance + space
                    estimate = max(right, start + word_right)
                    if not current:
                        current, advance, right = word, word_advance, word_right
                    elif estimate <= fits.width - WIDTH_SLACK or (
                        estimate <= fits.width + WIDTH_SLACK and fits(f"{current} {word}")
                    ):
                        current, advance, right = f"{current} {word}", start + word_advance, estimate
                    else:
                        yield current
                        current, advance, right = word, word_advance, word_right
                    continue
            if current:
                yield current
            # A word longer than a line, or text without spaces (CJK): break between characters.
            clusters = _clusters(word)
            start_cluster = 0
            while start_cluster < len(clusters):
                # At least one character per line, or a glyph wider than the line would loop forever.
                count = max(_fitting_clusters(clusters, start_cluster, fits), 1)
                current = "".join(clusters[start_cluster : start_cluster + count])
                start_cluster += count
                if start_cluster < len(clusters):
                    yield current
            advance, right = _measure(current, fits.size, fits.bold)
        yield current


def _fitting_clusters(clusters: Sequence[str], start: int, fits: Callable[[str], bool]) -> int:
    """How many clusters from `start` on fit on one line."""

    def ok(count: int) -> bool:
        return fits("".join(clusters[start : start + count]))

    return _longest(len(clusters) - start, ok)


def with_ellipsis(text: str, fits: Callable[[str], bool]) -> str:
    """As much of `text` as fits followed by an ellipsis; empty if not even the ellipsis fits."""
    clusters = _clusters(text)

    def cut(k: int) -> str:
        return "".join(clusters[:k]).rstrip(" ") + ELLIPSIS

    def ok(count: int) -> bool:
        return fits(cut(count))

    kept = cut(_longest(len(clusters), ok))
    return kept if fits(kept) else ""


def ellipsized(text: str, fits: Callable[[str], bool]) -> str:
    return text if fits(text) else with_ellipsis(text, fits)
