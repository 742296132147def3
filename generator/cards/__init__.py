"""Social preview cards ("og:image"): one 1200×630 PNG per quote, drawn with Pillow.

spec (what a card shows, the canvas) → text (fonts; untrusted text cleaned, measured, wrapped)
→ place (`layout`: where every line goes) → draw (paint the layout, a 4-bit PNG) → cache (cards kept
on disk by content, the missing ones drawn in a process pool).

`layout` decides where every line goes and `draw_card` only paints that layout, so tests can
check the geometry (nothing outside the margins) without looking at pixels. Every card shows
the quote's status first, in a badge, and credits the person only as "attributed to" unless
the words are checked verbatim: a card travels without the page that explains the status.
"""

from generator.cards.cache import CARD_VERSION, PARALLEL_ABOVE, Cards, card_key, draw_cards
from generator.cards.draw import INKS, MAX_BYTES, SHADES, draw_card
from generator.cards.place import (
    QUOTE_SIZES,
    STATUS_SIZE,
    STATUS_STYLES,
    Layout,
    Line,
    StatusStyle,
    layout,
)
from generator.cards.spec import (
    ACCENT,
    BACKGROUND,
    BAR,
    GREEN,
    HEIGHT,
    MUTED,
    RED,
    SAFE,
    TEXT,
    WIDTH,
    Box,
    CardSpec,
)
from generator.cards.text import BOLD_FONT, FONTS, REGULAR_FONT

__all__ = [
    "ACCENT",
    "BACKGROUND",
    "BAR",
    "BOLD_FONT",
    "CARD_VERSION",
    "FONTS",
    "GREEN",
    "HEIGHT",
    "INKS",
    "MAX_BYTES",
    "MUTED",
    "PARALLEL_ABOVE",
    "QUOTE_SIZES",
    "RED",
    "REGULAR_FONT",
    "SAFE",
    "SHADES",
    "STATUS_SIZE",
    "STATUS_STYLES",
    "TEXT",
    "WIDTH",
    "Box",
    "CardSpec",
    "Cards",
    "Layout",
    "Line",
    "StatusStyle",
    "card_key",
    "draw_card",
    "draw_cards",
    "layout",
]
