"""Painting a layout: glyph coverage mapped straight to a fixed palette of at most 16 colours,
saved as a 4-bit PNG within MAX_BYTES. Pure: the same spec always gives the same bytes."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from io import BytesIO
from itertools import groupby

from PIL import Image, ImageDraw

from generator.cards.place import Layout, Line, layout
from generator.cards.spec import (
    ACCENT,
    BACKGROUND,
    BAR,
    GREEN,
    HEIGHT,
    MUTED,
    RED,
    RGB,
    SAFE,
    TEXT,
    WIDTH,
    Box,
    CardSpec,
)
from generator.cards.text import font

INKS: tuple[RGB, ...] = (TEXT, ACCENT, MUTED, RED, GREEN)
SHADES = 3
"""Steps from the background to each ink, the last one the ink itself. Three look as smooth as
five at these sizes (at 18 px the difference is hard to find even zoomed in) and make a dense
card's PNG smaller: the edges of glyphs are most of its bytes. The background and five inks of
three shades are 16 colours, the most a 4-bit PNG holds: a sixth ink would need fewer shades."""
MAX_BYTES = 25_000
"""A card's budget (issue 6). The few cards over it, a box-full of varied text at the smallest
size, are compressed harder, then drawn with fewer shades."""
_ATTEMPTS = ((SHADES, 4), (SHADES, 6), (SHADES, 8), (SHADES, 9), (2, 9), (1, 9))
"""(shades, zlib level), tried in turn until a card is within MAX_BYTES. Level 4 for the first
try: 40 % faster than 6 for 4 % more bytes, the largest share of a card's time. One card in a
hundred needs level 6 or more to fit the budget, one in two hundred more than 6: level 8 takes
13 ms and fits seven in eight of those, level 9 takes 35 ms. One shade, no antialiasing, is
for a box-full of random characters; no quote of the corpora needs it."""


@functools.cache
def _palette(shades: int) -> tuple[int, ...]:
    # A fixed palette rather than a computed one: the same palette for every card keeps the
    # output independent of what the card happens to say, and at most 16 colours make a 4-bit PNG.
    channels = list(BACKGROUND)
    for ink in INKS:
        for step in range(1, shades + 1):
            channels += [round(b + (i - b) * step / shades) for b, i in zip(BACKGROUND, ink, strict=True)]
    return tuple(channels)


@functools.cache
def _shades(ink: RGB, shades: int) -> tuple[list[int], list[int]]:
    """Lookup tables from a glyph's coverage (0–255): to the palette index of the nearest
    shade of `ink`, and to a mask of where that shade is not the background."""
    first = 1 + INKS.index(ink) * shades
    steps = [round(coverage * shades / 255) for coverage in range(256)]
    return [first + step - 1 if step else 0 for step in steps], [255 if step else 0 for step in steps]


def _coverage(lines: Sequence[Line]) -> tuple[Image.Image, Box] | None:
    """How much each pixel is covered by the ink of `lines`, and where that image goes.

    The glyphs' coverage is drawn in grey, then mapped straight to palette indices: no RGB
    image and no quantizing, which together took as long as the layout. All lines of a run
    share one coverage image, so each lookup table is applied once a run rather than once a
    line."""
    box = Box(
        max(min(line.box.left for line in lines), SAFE.left),
        max(min(line.box.top for line in lines), SAFE.top),
        min(max(line.box.right for line in lines), SAFE.right),
        min(max(line.box.bottom for line in lines), SAFE.bottom),
    )
    if box.width <= 0 or box.height <= 0:
        return None
    # Clipped to the safe box, as the coverage image is: whatever the layout got wrong,
    # nothing can land in the margins.
    coverage = Image.new("L", (box.width, box.height), 0)
    draw = ImageDraw.Draw(coverage)
    for line in lines:
        origin = (line.x - box.left, line.y - box.top)
        if line.cutout:
            # Full coverage, then the glyphs drawn with none: Pillow blends their antialiased
            # edges, so the ink's shades fade from the badge to the background's colour.
            fill = line.box.moved(-box.left, -box.top)
            draw.rectangle((fill.left, fill.top, fill.right - 1, fill.bottom - 1), fill=255)
            draw.text(origin, line.text, fill=0, font=font(line.size, line.bold), anchor="ls")
        else:
            draw.text(origin, line.text, fill=255, font=font(line.size, line.bold), anchor="ls")
    return coverage, box


@functools.cache
def _status_row(status: tuple[Line, Line], shades: int) -> tuple[Image.Image, Box] | None:
    """The badge and its note as palette indices, painted once per process: there are four,
    and drawing them on every card cost it 5 % more time. The cached image is only ever
    pasted, never changed."""
    drawn = _coverage(status)
    if drawn is None:
        return None
    coverage, box = drawn
    return coverage.point(_shades(status[0].fill, shades)[0]), box


def _image(plan: Layout, shades: int) -> Image.Image:
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    bar, _ = _shades(plan.bar, shades)
    ImageDraw.Draw(canvas).rectangle((BAR.left, BAR.top, BAR.right - 1, BAR.bottom - 1), fill=bar[255])
    painted = [BAR]
    status = _status_row(plan.status, shades)
    if status is not None:  # the first thing on a canvas that is background but for the bar
        row, box = status
        canvas.paste(row, (box.left, box.top))
        painted.append(box)
    # Runs of lines of one ink, top to bottom: the topic, the quote and the attribution, the
    # site. The lines of one ink are painted together so each lookup table is applied once.
    for _, run in groupby(plan.body, key=lambda line: line.fill):
        lines = list(run)
        drawn = _coverage(lines)
        if drawn is None:
            continue
        coverage, box = drawn
        to_index, to_mask = _shades(lines[0].fill, shades)
        if any(box.overlaps(other) for other in painted):
            # Stacked accents reaching ink already painted: pasted through a mask, these lines
            # cover it only where they have ink, as they would drawn over it.
            canvas.paste(coverage.point(to_index), (box.left, box.top), coverage.point(to_mask))
        else:
            # Over background only, where no ink maps to the background's index: no mask
            # needed, and not computing one pays for the status row's time.
            canvas.paste(coverage.point(to_index), (box.left, box.top))
        painted.append(box)
    # "L" and "P" images hold the same bytes; the canvas was only "L" so Pillow would draw on it.
    card = Image.frombytes("P", canvas.size, canvas.tobytes())
    card.putpalette(_palette(shades))
    return card


def draw_card(spec: CardSpec) -> bytes:
    """The card as PNG bytes. Pure: the same spec always gives the same bytes.

    Within MAX_BYTES for every text we know of; were some text still over it without
    antialiasing, its card would be that last attempt rather than none."""
    plan = layout(spec)
    image, drawn = None, 0
    for shades, level in _ATTEMPTS:
        if image is None or shades != drawn:
            image, drawn = _image(plan, shades), shades
        out = BytesIO()
        image.save(out, format="PNG", compress_level=level)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()
