"""Social preview cards ("og:image"): one 1200×630 PNG per quote, drawn with Pillow.

`layout` decides where every line goes and `draw_card` only paints that layout, so tests can
check the geometry (nothing outside the margins) without looking at pixels. `draw_cards` adds
a content-addressed cache on disk: a card is redrawn only when its text, the fonts or
`CARD_VERSION` change.

Every field is untrusted text of any length and any script. It is cleaned for drawing only
(control and format characters dropped, runs of combining marks capped); the site's pages
show the original.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from itertools import islice
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
CARD_VERSION = "5"
"""Bump whenever the drawing changes, so every cached card is redrawn."""

FONTS = Path(__file__).parent / "fonts"
REGULAR_FONT = FONTS / "DejaVuSans.ttf"
BOLD_FONT = FONTS / "DejaVuSans-Bold.ttf"

RGB = tuple[int, int, int]
BACKGROUND: RGB = (26, 35, 126)  # Material indigo 900, the site's primary colour
TEXT: RGB = (250, 250, 255)
ACCENT: RGB = (255, 213, 79)  # amber 300: 9:1 contrast on the background
MUTED: RGB = (197, 202, 233)  # indigo 100

MARGIN = 60
BAR_WIDTH = 8
TEXT_LEFT = MARGIN + BAR_WIDTH + 36
"""Where every line starts. The gap to the margin also absorbs glyphs that reach left of their origin."""

QUOTE_SIZES = range(54, 17, -1)
"""Largest first: the quote gets the biggest size at which all of it fits."""
TOPIC_SIZES = range(36, 25, -2)
ATTRIBUTION_SIZE = 28
SITE_SIZE = 22
LINE_SPACING = 1.3
GAP = 28
"""Between the topic, the quote and the attribution."""

ELLIPSIS = "…"
MAX_CHARACTERS = 20_000
"""Of a quote; more than the smallest size can show."""
MAX_LINE_CHARACTERS = 2_000
"""Of the topic, person, source and site, each drawn on one line."""
MAX_MARKS = 2
"""Combining marks kept per character. Hundreds of stacked marks ("Zalgo") would only be ink to measure."""

PARALLEL_ABOVE = 16
"""Draw in a process pool only when more cards than this are missing; below, starting workers costs more."""

CHUNK = 32
"""Cards a worker draws per task: a third of a second of work, enough to make handing out tasks and
sending back their PNGs negligible."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")


@dataclass(frozen=True, slots=True)
class CardSpec:
    """Everything a card shows; two equal specs give byte-identical cards."""

    text: str
    topic: str
    """Drawn as "On <topic>"."""
    person: str
    source: str
    """The source's title."""
    site: str


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in pixels: left and top inside, right and bottom just outside, like Pillow's boxes."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, other: Box) -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def moved(self, dx: int, dy: int) -> Box:
        return Box(self.left + dx, self.top + dy, self.right + dx, self.bottom + dy)


SAFE = Box(MARGIN, MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN)
"""Nothing is drawn outside this box."""
BAR = Box(MARGIN, MARGIN, MARGIN + BAR_WIDTH, HEIGHT - MARGIN)


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
    """The ink: what the glyphs actually cover, not the nominal line height."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Every line of a card, where it is drawn and the ink it covers."""

    size: int
    """The quote's font size."""
    topic: Line
    quote: tuple[Line, ...]
    attribution: Line
    site: Line
    truncated: bool
    """The quote did not fit even at the smallest size; its last line ends with an ellipsis."""

    @property
    def lines(self) -> tuple[Line, ...]:
        return (self.topic, *self.quote, self.attribution, self.site)


@dataclass(frozen=True, slots=True)
class Cards:
    """What `draw_cards` returns: the cards, and how many it drew rather than read from the cache."""

    images: tuple[bytes, ...]
    """PNG bytes, in the order of the specs; empty when asked not to `load` them."""
    paths: tuple[Path, ...]
    """Where each spec's card is kept in the cache, in the order of the specs."""
    drawn: int
    """Cards drawn by this call (a card repeated in the specs is drawn once)."""
    cached: int
    """Specs whose card was read from the cache."""


# --- Fonts -------------------------------------------------------------------------------


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # The basic layout engine, not Raqm: Raqm is optional in Pillow builds, and a card must
    # come out the same on every machine that has the same Pillow. The cost is no complex
    # shaping or bidi reordering, which a preview image can live without.
    return ImageFont.truetype(BOLD_FONT if bold else REGULAR_FONT, size, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for path in (REGULAR_FONT, BOLD_FONT):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _ink(text: str, size: int, bold: bool, x: int, y: int) -> Box:
    left, top, right, bottom = _font(size, bold).getbbox(text, anchor="ls")
    return Box(int(left) + x, int(top) + y, int(right) + x, int(bottom) + y)


@dataclass(frozen=True, slots=True)
class _Fits:
    """Whether a text's ink, starting at the left edge, stays within `width`."""

    size: int
    bold: bool
    width: int

    def __call__(self, text: str) -> bool:
        return _font(self.size, self.bold).getbbox(text, anchor="ls")[2] <= self.width


WIDTH_SLACK = 3
"""Pixels. A line's width added up from its words' is within a pixel of the whole line's (kerning
and rounding); nearer the edge than this, the line is measured whole."""


@functools.lru_cache(maxsize=1 << 16)
def _measure(word: str, size: int, bold: bool) -> tuple[float, int]:
    """A word's advance and the right edge of its ink, from its origin. Cached: words recur
    in a text and across cards, and are measured at every size tried."""
    font = _font(size, bold)
    return font.getlength(word), int(font.getbbox(word, anchor="ls")[2])


# --- Text ---------------------------------------------------------------------------------


def _paragraphs(text: str, limit: int) -> list[str]:
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
    paragraphs: list[str] = []
    for raw in cleaned.split("\n"):
        paragraph = " ".join(w for w in raw.split(" ") if w)
        if paragraph or (paragraphs and paragraphs[-1]):
            paragraphs.append(paragraph)
    while paragraphs and not paragraphs[-1]:
        paragraphs.pop()
    return paragraphs


def _one_line(text: str) -> str:
    return " ".join(p for p in _paragraphs(text, MAX_LINE_CHARACTERS) if p)


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


def _fits_whole(text: str, fits: Callable[[str], bool]) -> bool:
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


def _wrap(paragraphs: Sequence[str], fits: _Fits) -> Iterator[str]:
    """Greedy lines, lazily: callers stop after as many lines as the box can hold, so a 10 kB
    text costs no more than a box-full.

    A line's width is added up from its words' measurements, which are cached, rather than
    measured whole each time a word is tried: that was most of a card's drawing time. Only
    when the sum is within WIDTH_SLACK of the edge is the line measured whole, so the breaks
    are those whole-line measurement gives."""
    space = _font(fits.size, fits.bold).getlength(" ")
    for paragraph in paragraphs:
        current = ""
        advance = 0.0  # of `current`: where a space after it would start
        right = 0.0  # the right edge of `current`'s ink
        for word in paragraph.split(" "):
            if len(word) <= 64 or _fits_whole(word, fits):
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


def _with_ellipsis(text: str, fits: Callable[[str], bool]) -> str:
    """As much of `text` as fits followed by an ellipsis; empty if not even the ellipsis fits."""
    clusters = _clusters(text)

    def cut(k: int) -> str:
        return "".join(clusters[:k]).rstrip(" ") + ELLIPSIS

    def ok(count: int) -> bool:
        return fits(cut(count))

    kept = cut(_longest(len(clusters), ok))
    return kept if fits(kept) else ""


def _ellipsized(text: str, fits: Callable[[str], bool]) -> str:
    return text if fits(text) else _with_ellipsis(text, fits)


# --- Layout -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    """The fixed parts of the layout: where the topic, the quote and the footer go."""

    topic_baseline: int
    quote_area: Box
    attribution_baseline: int
    site_baseline: int


@functools.cache
def _frame() -> _Frame:
    topic_ascent, topic_descent = _font(TOPIC_SIZES[0], True).getmetrics()
    site_ascent, site_descent = _font(SITE_SIZE).getmetrics()
    attribution_ascent, attribution_descent = _font(ATTRIBUTION_SIZE).getmetrics()
    site_baseline = SAFE.bottom - site_descent
    attribution_baseline = site_baseline - site_ascent - 8 - attribution_descent
    return _Frame(
        topic_baseline=SAFE.top + topic_ascent,
        quote_area=Box(
            SAFE.left,
            SAFE.top + topic_ascent + topic_descent + GAP,
            SAFE.right,
            attribution_baseline - attribution_ascent - GAP,
        ),
        attribution_baseline=attribution_baseline,
        site_baseline=site_baseline,
    )


def _single(text: str, sizes: Sequence[int], bold: bool, fill: RGB, baseline: int) -> Line:
    """One line: the largest size at which it fits, else the smallest size, ellipsized."""
    width = SAFE.right - TEXT_LEFT
    size = next((s for s in sizes if _fits_whole(text, _Fits(s, bold, width))), sizes[-1])
    text = _ellipsized(text, _Fits(size, bold, width))
    box = _ink(text, size, bold, TEXT_LEFT, baseline)
    # Stacked accents can reach past the font's nominal ascent or descent: keep them inside.
    dy = max(SAFE.top - box.top, 0) + min(SAFE.bottom - box.bottom, 0)
    return Line(text, TEXT_LEFT, baseline + dy, size, bold, fill, box.moved(0, dy))


def _capacity(size: int, height: int) -> int:
    ascent, descent = _font(size).getmetrics()
    return max((height - ascent - descent) // round(size * LINE_SPACING) + 1, 0)


def _place(texts: Sequence[str], size: int, area: Box) -> tuple[Line, ...] | None:
    """The lines centred in `area`, or None if their ink does not fit it."""
    if not texts:
        return ()
    ascent, descent = _font(size).getmetrics()
    step = round(size * LINE_SPACING)
    top = area.top + (area.height - (len(texts) - 1) * step - ascent - descent) // 2
    baselines = [top + ascent + i * step for i in range(len(texts))]
    boxes = [_ink(t, size, False, TEXT_LEFT, y) for t, y in zip(texts, baselines, strict=True)]
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
    per_pixel = sum(_font(100).getlength(p) for p in paragraphs) / 100
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
        texts = list(islice(_wrap(paragraphs, _Fits(size, False, width)), capacity + 1))
        if len(texts) <= capacity:
            placed = _place(texts, size, area)
            if placed is not None:
                return size, placed, False

    # Even the smallest size is too big: keep what fits and end it with an ellipsis.
    size = QUOTE_SIZES[-1]
    fits = _Fits(size, False, width)
    capacity = _capacity(size, area.height)
    texts = list(islice(_wrap(paragraphs, fits), capacity + 1))
    for count in range(min(capacity, len(texts)), 0, -1):
        kept = [_ellipsized(t, fits) for t in texts[:count]]  # a single glyph wider than the line
        cut = count < len(texts)
        if cut:
            kept[-1] = _with_ellipsis(kept[-1], fits)
        placed = _place(kept, size, area)
        if placed is not None:
            return size, placed, cut
    return size, (), bool(texts)


def layout(spec: CardSpec) -> Layout:
    """Where every line of the card goes; every line's ink is inside `SAFE`."""
    frame = _frame()
    size, quote, truncated = _fit_quote(_paragraphs(spec.text, MAX_CHARACTERS), frame.quote_area)
    credit = " · ".join(p for p in (_one_line(spec.person), _one_line(spec.source)) if p)
    return Layout(
        size=size,
        topic=_single(f"On {_one_line(spec.topic)}", TOPIC_SIZES, True, ACCENT, frame.topic_baseline),
        quote=quote,
        attribution=_single(f"— {credit}", (ATTRIBUTION_SIZE,), False, TEXT, frame.attribution_baseline),
        site=_single(_one_line(spec.site), (SITE_SIZE,), False, MUTED, frame.site_baseline),
        truncated=truncated,
    )


# --- Drawing ------------------------------------------------------------------------------


INKS: tuple[RGB, ...] = (TEXT, ACCENT, MUTED)
SHADES = 3
"""Steps from the background to each ink, the last one the ink itself. Three look as smooth as
five at these sizes (at 18 px the difference is hard to find even zoomed in) and make a dense
card's PNG smaller: the edges of glyphs are most of its bytes."""
MAX_BYTES = 25_000
"""A card's budget (issue 6). The few cards over it, a box-full of varied text at the smallest
size, are compressed harder, then drawn with fewer shades."""
_ATTEMPTS = ((SHADES, 4), (SHADES, 6), (SHADES, 9), (2, 9), (1, 9))
"""(shades, zlib level), tried in turn until a card is within MAX_BYTES. Level 4 for the first
try: 40 % faster than 6 for 4 % more bytes, the largest share of a card's time. Only one card
in a hundred needs level 6 or more to fit the budget. One shade, no antialiasing, is for a
box-full of random characters; no quote of the corpora needs it."""


@functools.cache
def _palette(shades: int) -> tuple[int, ...]:
    # A fixed palette rather than a computed one: the same palette for every card keeps the
    # output independent of what the card happens to say, and at most ten colours make a 4-bit PNG.
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


def _paint(canvas: Image.Image, lines: Sequence[Line], shades: int) -> None:
    """Draw `lines`, all of one ink, on `canvas`, an image of palette indices.

    The glyphs' coverage is drawn in grey, then mapped straight to palette indices: no RGB
    image and no quantizing, which together took as long as the layout. All lines of an ink
    share one coverage image, so each lookup table is applied once a card rather than once a
    line. Pasted through a mask, lines of the next ink that overlap these (stacked accents)
    cover them where they have ink, as they would drawn over them."""
    box = Box(
        max(min(line.box.left for line in lines), SAFE.left),
        max(min(line.box.top for line in lines), SAFE.top),
        min(max(line.box.right for line in lines), SAFE.right),
        min(max(line.box.bottom for line in lines), SAFE.bottom),
    )
    if box.width <= 0 or box.height <= 0:
        return
    # Clipped to the safe box, as the coverage image is: whatever the layout got wrong,
    # nothing can land in the margins.
    coverage = Image.new("L", (box.width, box.height), 0)
    draw = ImageDraw.Draw(coverage)
    for line in lines:
        font = _font(line.size, line.bold)
        draw.text((line.x - box.left, line.y - box.top), line.text, fill=255, font=font, anchor="ls")
    indices, mask = _shades(lines[0].fill, shades)
    canvas.paste(coverage.point(indices), (box.left, box.top), coverage.point(mask))


def _image(plan: Layout, shades: int) -> Image.Image:
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    bar, _ = _shades(ACCENT, shades)
    ImageDraw.Draw(canvas).rectangle((BAR.left, BAR.top, BAR.right - 1, BAR.bottom - 1), fill=bar[255])
    # In the order the lines come, top to bottom: the topic's ink, the quote's, the site's.
    for ink in dict.fromkeys(line.fill for line in plan.lines):
        _paint(canvas, [line for line in plan.lines if line.fill == ink], shades)
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


# --- Cache --------------------------------------------------------------------------------


def card_key(spec: CardSpec) -> str:
    """The card's cache key: changes with any field, the fonts, Pillow's version, or CARD_VERSION."""
    fields = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)}
    # JSON escapes every non-ASCII character, lone surrogates included, and quotes every
    # field, so no two different specs share a payload.
    # Pillow's version too: a new FreeType or PNG encoder may draw other pixels.
    payload = json.dumps([CARD_VERSION, PIL.__version__, _fonts_digest(), fields], sort_keys=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _read_cached(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    # Writes are atomic, but a file put there by hand or cut short by a full disk is redrawn.
    return data if data.startswith(_PNG_SIGNATURE) else None


def _store(path: Path, data: bytes) -> None:
    """Write atomically: a reader, or a build running in parallel, never sees half a card."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a card is public
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _start_method() -> str:
    # Not fork: forking a process that runs threads (`mkdocs serve` does) can deadlock.
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def draw_cards(
    specs: Sequence[CardSpec],
    cache_dir: Path,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    load: bool = True,
) -> Cards:
    """Every spec's card, from `cache_dir/<card_key>.png` when there, else drawn and stored there.

    More than PARALLEL_ABOVE missing cards are drawn in `processes` worker processes (None: one
    per CPU). `progress(done, total)` counts specs: it is called once after the cache is read,
    then as each drawn card is stored. With `load=False` the cards are only made sure of,
    not read: `paths` says where they are.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = [card_key(spec) for spec in specs]
    images: dict[str, bytes] = {}
    missing: dict[str, CardSpec] = {}
    # Without `load`, one listing of the cache says which cards are there: opening 10,000
    # files to check each one's signature took a fifth of the generator's time. What is
    # there is whole, as _store writes atomically; `load` still checks every card it reads.
    present = {entry.name for entry in os.scandir(cache_dir)} if not load else set()
    for key, spec in zip(keys, specs, strict=True):
        if key in images or key in missing:
            continue
        path = cache_dir / f"{key}.png"
        if not load:
            if f"{key}.png" in present:
                images[key] = b""
            else:
                missing[key] = spec
            continue
        data = _read_cached(path)
        if data is None:
            missing[key] = spec
        else:
            images[key] = data
    cached = sum(key in images for key in keys)
    repeats = Counter(keys)
    done = cached
    if progress is not None:
        progress(done, len(specs))

    def receive(drawn: Iterator[bytes]) -> None:
        nonlocal done
        for key, data in zip(missing, drawn, strict=True):
            _store(cache_dir / f"{key}.png", data)
            images[key] = data if load else b""
            done += repeats[key]
            if progress is not None:
                progress(done, len(specs))

    workers = min(processes or os.cpu_count() or 1, len(missing))
    if len(missing) > PARALLEL_ABOVE and workers > 1:
        # An executor, not multiprocessing.Pool: if a worker dies (it cannot import this
        # module, say), Pool waits for its lost task for ever; the executor raises instead.
        context = multiprocessing.get_context(_start_method())
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # map keeps the specs' order and hands back each card as soon as it and those
            # before it are done, so progress moves while the pool works. Chunks of CHUNK cards,
            # not a quarter of each worker's share: with those, one worker could sit idle for the
            # whole of the other's last chunk, seconds at 10,000 cards.
            receive(pool.map(draw_card, missing.values(), chunksize=CHUNK))
    else:
        receive(map(draw_card, missing.values()))
    return Cards(
        images=tuple(images[key] for key in keys) if load else (),
        paths=tuple(cache_dir / f"{key}.png" for key in keys),
        drawn=len(missing),
        cached=cached,
    )
