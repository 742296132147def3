"""What a card shows (`CardSpec`) and the canvas it is drawn on: its size, margins and colours."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 1200, 630

RGB = tuple[int, int, int]
BACKGROUND: RGB = (26, 35, 126)  # Material indigo 900, the site's primary colour
TEXT: RGB = (250, 250, 255)
ACCENT: RGB = (255, 213, 79)  # amber 300: 9:1 contrast on the background
MUTED: RGB = (197, 202, 233)  # indigo 100: 8:1
RED: RGB = (255, 100, 100)
"""A disputed quote's badge, note and bar: the reddest colour with 4.5:1 on the background, both
ways round (the badge's name is the background's indigo cut out of it). 4.5:1 is what text
needs at 15 px bold, the status's size when a chat shows the card at half size."""
GREEN: RGB = (105, 240, 174)  # green A200: 9:1

MARGIN = 60
BAR_WIDTH = 8
TEXT_LEFT = MARGIN + BAR_WIDTH + 36
"""Where every line starts. The gap to the margin also absorbs glyphs that reach left of their origin."""


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
    status: str
    """How well the quote is checked: verbatim, paraphrase, disputed or unverified (see
    generator.model.STATUSES). Any other value is drawn as unverified, which claims least."""


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

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def moved(self, dx: int, dy: int) -> Box:
        return Box(self.left + dx, self.top + dy, self.right + dx, self.bottom + dy)


SAFE = Box(MARGIN, MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN)
"""Nothing is drawn outside this box."""
BAR = Box(MARGIN, MARGIN, MARGIN + BAR_WIDTH, HEIGHT - MARGIN)
