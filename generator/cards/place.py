"""Where every line of a card goes: the status row, the topic, the quote fitted to its box,
the attribution and the site, each line's ink inside `SAFE`. Only geometry: `draw` paints it."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from generator.cards.spec import ACCENT, GREEN, MUTED, RED, RGB, SAFE, TEXT, TEXT_LEFT, Box, CardSpec
from generator.cards.text import (
    MAX_CHARACTERS,
    Fits,
    ellipsized,
    fits_whole,
    font,
    ink,
    one_line,
    to_paragraphs,
    with_ellipsis,
    wrap,
)

QUOTE_SIZES = range(54, 17, -1)
"""Largest first: the quote gets the biggest size at which all of it fits."""
TOPIC_SIZES = range(36, 25, -2)
ATTRIBUTION_SIZE = 28
SITE_SIZE = 22
STATUS_SIZE = 30
"""Bold, for the badge and its note: still 15 px bold when a chat shows the card at half size,
600×315, where the quote may be as small as 9 px."""
LINE_SPACING = 1.3
GAP = 28
"""Between the topic, the quote and the attribution. Narrower gaps would let the longest quotes
(some 1,300 characters and more) fit whole at the smallest size, but a box-full at that size is what
takes a card to the 25 kB budget: more of them would need the slow retries of draw._ATTEMPTS."""
STATUS_GAP = 14
"""Between the status row and the topic's nominal ascent, which leaves room for accents above
its capitals: the eye sees some 8 px more."""
BADGE_PADDING = 14, 8
"""Horizontal and vertical, between the badge's edge and its capitals."""
NOTE_GAP = 16
"""Between the badge and its note."""


@dataclass(frozen=True, slots=True)
class StatusStyle:
    """How a card shows a quote's status (generator.model.STATUSES says what each means)."""

    label: str
    """In the badge, in capitals."""
    note: str
    """Beside the badge: what the status means to someone who sees only the card."""
    ink: RGB
    bar: RGB
    """The side bar's colour."""
    attributed: bool
    """The attribution reads "attributed to <person>": the words are not known to be theirs."""


# Short, as every glyph of the status row is bytes on every card; and about the words, not
# the person, as the site's own explanations are (generator/provenance.py).
STATUS_STYLES: dict[str, StatusStyle] = {
    "verbatim": StatusStyle("VERBATIM", "checked word for word", GREEN, ACCENT, False),
    "paraphrase": StatusStyle("PARAPHRASE", "not the exact words", MUTED, ACCENT, True),
    # The record says otherwise: other words, another source or another person. So not "he
    # never said this": he may have, elsewhere. Red badge, red note and a red side bar.
    "disputed": StatusStyle("DISPUTED", "conflicts with the record", RED, RED, True),
    "unverified": StatusStyle("UNVERIFIED", "not found in anything on record", MUTED, ACCENT, True),
}
UNKNOWN_STATUS = STATUS_STYLES["unverified"]
"""For a status the cards do not know: the one that claims least. The validator admits only the
four above, so this is for a spec made by hand."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text as drawn: `x, y` is the left end of its baseline (Pillow anchor "ls")."""

    text: str
    x: int
    y: int
    size: int
    bold: bool
    fill: RGB
    box: Box
    """The ink: what the glyphs actually cover, not the nominal line height. For a cutout, the
    filled box, which holds the glyphs."""
    cutout: bool = False
    """A badge: `box` is filled with `fill` and the text is cut out of it, in the background's
    colour. The shades from the ink to the background serve both ways, so a badge needs no
    colour of its own in the palette."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Every line of a card, where it is drawn and the ink it covers."""

    size: int
    """The quote's font size."""
    badge: Line
    """The status's name, cut out of a box of its colour: the first thing on the card."""
    note: Line
    """Beside the badge, what the status means."""
    topic: Line
    quote: tuple[Line, ...]
    attribution: Line
    site: Line
    truncated: bool
    """The quote did not fit even at the smallest size; its last line ends with an ellipsis."""
    bar: RGB
    """The side bar's colour."""

    @property
    def status(self) -> tuple[Line, Line]:
        return self.badge, self.note

    @property
    def body(self) -> tuple[Line, ...]:
        """Everything below the status row, top to bottom."""
        return (self.topic, *self.quote, self.attribution, self.site)

    @property
    def lines(self) -> tuple[Line, ...]:
        """Top to bottom."""
        return (*self.status, *self.body)


@dataclass(frozen=True, slots=True)
class _Frame:
    """The fixed parts of the layout: where the status, the topic, the quote and the footer go.
    The same for every status, so a status changed never moves the quote."""

    status_baseline: int
    topic_area: Box
    """Below the status row: a topic's stacked accents are kept off the badge."""
    topic_baseline: int
    quote_area: Box
    attribution_baseline: int
    site_baseline: int


@functools.cache
def _frame() -> _Frame:
    pad_y = BADGE_PADDING[1]
    cap_height = -int(font(STATUS_SIZE, True).getbbox("H", anchor="ls")[1])
    status_baseline = SAFE.top + pad_y + cap_height
    status_bottom = status_baseline + max(pad_y, font(STATUS_SIZE, True).getmetrics()[1])
    topic_ascent, topic_descent = font(TOPIC_SIZES[0], True).getmetrics()
    site_ascent, site_descent = font(SITE_SIZE).getmetrics()
    attribution_ascent, attribution_descent = font(ATTRIBUTION_SIZE).getmetrics()
    topic_baseline = status_bottom + STATUS_GAP + topic_ascent
    site_baseline = SAFE.bottom - site_descent
    attribution_baseline = site_baseline - site_ascent - 8 - attribution_descent
    return _Frame(
        status_baseline=status_baseline,
        topic_area=Box(SAFE.left, status_bottom, SAFE.right, SAFE.bottom),
        topic_baseline=topic_baseline,
        quote_area=Box(
            SAFE.left,
            topic_baseline + topic_descent + GAP,
            SAFE.right,
            attribution_baseline - attribution_ascent - GAP,
        ),
        attribution_baseline=attribution_baseline,
        site_baseline=site_baseline,
    )


@functools.cache
def _status_row(status: StatusStyle) -> tuple[Line, Line]:
    """The badge and its note. Four of them in all, so each is measured once per process."""
    baseline = _frame().status_baseline
    pad_x, pad_y = BADGE_PADDING
    label = ink(status.label, STATUS_SIZE, True, TEXT_LEFT + pad_x, baseline)
    box = Box(TEXT_LEFT, SAFE.top, label.right + pad_x, baseline + pad_y)
    badge = Line(status.label, TEXT_LEFT + pad_x, baseline, STATUS_SIZE, True, status.ink, box, cutout=True)
    x = box.right + NOTE_GAP
    text = ellipsized(status.note, Fits(STATUS_SIZE, True, SAFE.right - x))
    note = Line(text, x, baseline, STATUS_SIZE, True, status.ink, ink(text, STATUS_SIZE, True, x, baseline))
    return badge, note


def _single(text: str, sizes: Sequence[int], bold: bool, fill: RGB, baseline: int, area: Box = SAFE) -> Line:
    """One line: the largest size at which it fits, else the smallest size, ellipsized."""
    width = SAFE.right - TEXT_LEFT
    size = next((s for s in sizes if fits_whole(text, Fits(s, bold, width))), sizes[-1])
    text = ellipsized(text, Fits(size, bold, width))
    box = ink(text, size, bold, TEXT_LEFT, baseline)
    # Stacked accents can reach past the font's nominal ascent or descent: keep them inside.
    dy = max(area.top - box.top, 0) + min(area.bottom - box.bottom, 0)
    return Line(text, TEXT_LEFT, baseline + dy, size, bold, fill, box.moved(0, dy))


def _capacity(size: int, height: int) -> int:
    ascent, descent = font(size).getmetrics()
    return max((height - ascent - descent) // round(size * LINE_SPACING) + 1, 0)


def _place(texts: Sequence[str], size: int, area: Box) -> tuple[Line, ...] | None:
    """The lines centred in `area`, or None if their ink does not fit it."""
    if not texts:
        return ()
    ascent, descent = font(size).getmetrics()
    step = round(size * LINE_SPACING)
    top = area.top + (area.height - (len(texts) - 1) * step - ascent - descent) // 2
    baselines = [top + ascent + i * step for i in range(len(texts))]
    boxes = [ink(t, size, False, TEXT_LEFT, y) for t, y in zip(texts, baselines, strict=True)]
    ink_top = min(b.top for b in boxes)
    ink_bottom = max(b.bottom for b in boxes)
    if ink_bottom - ink_top > area.height:
        return None
    dy = max(area.top - ink_top, 0) + min(area.bottom - ink_bottom, 0)
    lines = tuple(
        Line(t, TEXT_LEFT, y + dy, size, False, TEXT, b.moved(0, dy))
        for t, y, b in zip(texts, baselines, boxes, strict=True)
    )
    if not all(area.contains(line.box) for line in lines):
        return None
    return lines


def _largest_possible(paragraphs: Sequence[str], width: int, area: Box) -> int:
    """The largest size worth wrapping at: at larger ones the text's total advance alone
    needs more lines than the area holds. Saves wrapping a 10 kB text 37 times."""
    per_pixel = sum(font(100).getlength(p) for p in paragraphs) / 100
    # 10% and a line of slack for hinting, which makes advances not quite proportional to size.
    return next(
        (s for s in QUOTE_SIZES if per_pixel * s / width <= 1.1 * _capacity(s, area.height) + 1),
        QUOTE_SIZES[-1],
    )


def _fit_quote(paragraphs: Sequence[str], area: Box) -> tuple[int, tuple[Line, ...], bool]:
    width = area.right - TEXT_LEFT
    start = _largest_possible(paragraphs, width, area)
    for size in QUOTE_SIZES:
        if size > start:
            continue
        capacity = _capacity(size, area.height)
        texts = list(islice(wrap(paragraphs, Fits(size, False, width)), capacity + 1))
        if len(texts) <= capacity:
            placed = _place(texts, size, area)
            if placed is not None:
                return size, placed, False

    # Even the smallest size is too big: keep what fits and end it with an ellipsis.
    size = QUOTE_SIZES[-1]
    fits = Fits(size, False, width)
    capacity = _capacity(size, area.height)
    texts = list(islice(wrap(paragraphs, fits), capacity + 1))
    for count in range(min(capacity, len(texts)), 0, -1):
        kept = [ellipsized(t, fits) for t in texts[:count]]  # a single glyph wider than the line
        cut = count < len(texts)
        if cut:
            kept[-1] = with_ellipsis(kept[-1], fits)
        placed = _place(kept, size, area)
        if placed is not None:
            return size, placed, cut
    return size, (), bool(texts)


def layout(spec: CardSpec) -> Layout:
    """Where every line of the card goes; every line's ink is inside `SAFE`."""
    frame = _frame()
    status = STATUS_STYLES.get(spec.status, UNKNOWN_STATUS)
    badge, note = _status_row(status)
    size, quote, truncated = _fit_quote(to_paragraphs(spec.text, MAX_CHARACTERS), frame.quote_area)
    person = one_line(spec.person)
    if person and status.attributed:
        person = f"attributed to {person}"
    credit = " · ".join(p for p in (person, one_line(spec.source)) if p)
    topic = f"On {one_line(spec.topic)}"
    return Layout(
        size=size,
        badge=badge,
        note=note,
        topic=_single(topic, TOPIC_SIZES, True, ACCENT, frame.topic_baseline, frame.topic_area),
        quote=quote,
        attribution=_single(f"— {credit}", (ATTRIBUTION_SIZE,), False, TEXT, frame.attribution_baseline),
        site=_single(one_line(spec.site), (SITE_SIZE,), False, MUTED, frame.site_baseline),
        truncated=truncated,
        bar=status.bar,
    )
