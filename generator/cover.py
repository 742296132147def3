"""The EPUB's cover: a 1600×2400 PNG drawn like the preview cards (their palette, fonts and
text handling), so the book looks like the site's links do when shared.

It shows the title, "Quotes attributed to <person>" (the cover is all an e-reader's shelf
shows, so it too claims no more than the collection can: most texts are not his checked
words), the count of quotes of each status, and the site's address. Pure: the same
`CoverSpec` gives the same bytes with the same Pillow and fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from itertools import islice

from PIL import Image, ImageDraw

from generator.cards.place import STATUS_STYLES
from generator.cards.spec import ACCENT, BACKGROUND, MUTED, RGB, TEXT
from generator.cards.text import MAX_LINE_CHARACTERS, Fits, ellipsized, font, to_paragraphs, with_ellipsis, wrap

WIDTH, HEIGHT = 1600, 2400
"""2:3, the shape of most e-reader screens and of the covers stores ask for."""
MARGIN = 120
BAR_WIDTH = 16
LEFT = MARGIN + BAR_WIDTH + 72
RIGHT = WIDTH - MARGIN
TITLE_SIZES = range(128, 71, -8)
"""Largest first: the title gets the biggest size at which it fits TITLE_HEIGHT."""
TITLE_HEIGHT = 720
"""Pixels for the title's lines: 4 at the largest size, 8 at the smallest. With the subtitle's
three lines it ends well above the counts, whatever the text."""
SUBTITLE_SIZE = 60
SUBTITLE_LINES = 3
COUNT_SIZE = 56
NOTE_SIZE = 36
SITE_SIZE = 44
STATUS_GAP = 28
"""Between one status's note and the next status's count."""
LINE_SPACING = 1.25


@dataclass(frozen=True, slots=True)
class CoverSpec:
    """Everything the cover shows; two equal specs give byte-identical covers."""

    title: str
    person: str
    counts: tuple[tuple[str, int], ...]
    """(status, number of quotes), every status, in the order of model.STATUSES."""
    site: str
    """The site's address, shown without its scheme."""


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    x: int
    y: int
    """The baseline."""
    size: int
    bold: bool
    fill: RGB


def _clean(text: str) -> str:
    # As a card does: control and format characters (bidi overrides, zero-width joiners) have
    # nothing to draw, and a name of 10,000 characters is cut long before it reaches the edge.
    return " ".join(p for p in to_paragraphs(text, MAX_LINE_CHARACTERS) if p)


def _lines(text: str, size: int, bold: bool, most: int) -> tuple[list[str], bool]:
    """`text` wrapped to the cover's width: at most `most` lines, and whether it was cut."""
    fits = Fits(size, bold, RIGHT - LEFT)
    lines = [ellipsized(line, fits) for line in islice(wrap([text], fits), most + 1)]
    if len(lines) <= most:
        return lines, False
    lines = lines[:most]
    lines[-1] = with_ellipsis(lines[-1], fits)
    return lines, True


def _title(text: str) -> tuple[int, list[str]]:
    for size in TITLE_SIZES:
        lines, cut = _lines(text, size, True, TITLE_HEIGHT // round(size * LINE_SPACING))
        if not cut:
            return size, lines
    return TITLE_SIZES[-1], lines


def _address(url: str) -> str:
    for scheme in ("https://", "http://"):
        url = url.removeprefix(scheme)
    return url.removesuffix("/")


def _placed(spec: CoverSpec) -> list[_Text]:
    out: list[_Text] = []
    size, title = _title(_clean(spec.title))
    y = MARGIN + 240 + font(size, True).getmetrics()[0]
    for line in title:
        out.append(_Text(line, LEFT, y, size, True, TEXT))
        y += round(size * LINE_SPACING)
    y += 60 - round(size * LINE_SPACING) + round(SUBTITLE_SIZE * LINE_SPACING)
    subtitle, _ = _lines(f"Quotes attributed to {_clean(spec.person)}", SUBTITLE_SIZE, False, SUBTITLE_LINES)
    for line in subtitle:
        out.append(_Text(line, LEFT, y, SUBTITLE_SIZE, False, ACCENT))
        y += round(SUBTITLE_SIZE * LINE_SPACING)

    # From the bottom up: the site's address, then a line per status with what it means.
    y = HEIGHT - MARGIN - font(SITE_SIZE).getmetrics()[1]
    out.append(
        _Text(
            ellipsized(_address(_clean(spec.site)), Fits(SITE_SIZE, False, RIGHT - LEFT)),
            LEFT,
            y,
            SITE_SIZE,
            False,
            MUTED,
        )
    )
    y -= 200
    step = round(COUNT_SIZE * LINE_SPACING) + round(NOTE_SIZE * LINE_SPACING)
    y -= (step + STATUS_GAP) * (len(spec.counts) - 1)
    for status, count in spec.counts:
        style = STATUS_STYLES.get(status, STATUS_STYLES["unverified"])
        label = f"{count:,} {status}"
        out.append(_Text(label, LEFT, y, COUNT_SIZE, True, style.ink))
        note_y = y + round(NOTE_SIZE * LINE_SPACING)
        out.append(
            _Text(ellipsized(style.note, Fits(NOTE_SIZE, False, RIGHT - LEFT)), LEFT, note_y, NOTE_SIZE, False, MUTED)
        )
        y += step + STATUS_GAP
    return out


def _draw(texts: Sequence[_Text]) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((MARGIN, MARGIN, MARGIN + BAR_WIDTH - 1, HEIGHT - MARGIN - 1), fill=ACCENT)
    for t in texts:
        draw.text((t.x, t.y), t.text, fill=t.fill, font=font(t.size, t.bold), anchor="ls")
    return image


def draw_cover(spec: CoverSpec) -> bytes:
    """The cover as PNG bytes. Pure: the same spec always gives the same bytes."""
    image = _draw(_placed(spec))
    # A palette of a few dozen colours (the inks and their antialiased edges) is a third of
    # the bytes of RGB and looks the same; no dithering, so flat colours stay flat.
    # Fast octree: a fifth of median cut's time, and as good for a handful of flat inks.
    palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = BytesIO()
    palette.save(out, format="PNG", compress_level=9)
    return out.getvalue()
