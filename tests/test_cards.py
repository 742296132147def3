"""Social preview cards: what they look like on the outside, that nothing overflows, and the cache."""

from __future__ import annotations

import dataclasses
import io
import itertools
import random
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from generator import cards, model, pipeline
from generator.cards import SAFE, CardSpec, Layout, card_key, draw_card, draw_cards, layout
from tests.conftest import ROOT

STATUSES = ("verbatim", "paraphrase", "disputed", "unverified")

SPEC = CardSpec(
    text="The model immediately updated its next-move predictions to match the new, fake board state.",
    topic="Alien Neuroscience",
    person="Neel Nanda",
    source="80,000 Hours Podcast",
    site="Lessons from Neel Nanda",
    status="paraphrase",
)


def with_text(text: str) -> CardSpec:
    return dataclasses.replace(SPEC, text=text)


def with_status(status: str, text: str = SPEC.text) -> CardSpec:
    return dataclasses.replace(SPEC, status=status, text=text)


def assert_inside_margins(plan: Layout) -> None:
    outside = [line for line in plan.lines if not SAFE.contains(line.box)]
    assert not outside, f"drawn outside {SAFE}: {outside}"


@pytest.fixture(scope="module")
def longest_quote() -> CardSpec:
    collection, _ = pipeline.check(ROOT)
    quote = max(collection.quotes(), key=lambda q: len(q.text))
    return CardSpec(quote.text, quote.topic, collection.person, quote.source.title, collection.title, quote.status)


# --- The image ---------------------------------------------------------------------------


def test_a_card_is_a_1200_by_630_png() -> None:
    image = Image.open(io.BytesIO(draw_card(SPEC)))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_the_same_spec_always_gives_the_same_bytes() -> None:
    assert draw_card(SPEC) == draw_card(dataclasses.replace(SPEC))


def test_the_margins_are_left_empty() -> None:
    image = Image.open(io.BytesIO(draw_card(with_text("W" * 3000)))).convert("RGB")
    inside = Image.new("RGB", (SAFE.width, SAFE.height), cards.BACKGROUND)
    image.paste(inside, (SAFE.left, SAFE.top))  # blank out the safe box: only margins remain
    assert image.getcolors() == [(1200 * 630, cards.BACKGROUND)]


def test_a_card_for_the_longest_quote_of_the_corpus_is_at_most_25_kB(longest_quote: CardSpec) -> None:
    assert len(draw_card(longest_quote)) <= 25_000


def test_the_longest_quote_of_the_corpus_is_drawn_with_every_shade(longest_quote: CardSpec) -> None:
    # Fewer shades are only for cards that would be over budget; a real quote is far from it.
    image = Image.open(io.BytesIO(draw_card(longest_quote)))
    assert len(image.getpalette() or []) == 3 * (1 + len(cards.INKS) * cards.SHADES)


def test_the_palette_fits_a_4_bit_png() -> None:
    assert 1 + len(cards.INKS) * cards.SHADES <= 16
    assert Image.open(io.BytesIO(draw_card(SPEC))).getpalette() is not None


def box_full(kind: str) -> str:
    rng = random.Random(6)
    if kind == "prose":  # like the synthetic corpus's longest quotes, its largest cards
        prose = (
            "The model learns a circuit, then cleans it up; features in superposition are hard to read, so we "
            "train sparse autoencoders on the residual stream and check each latent by hand. Probes, patching "
            "and ablations test whether a hypothesis is true. Grokking, Othello-GPT, déjà vu, Schrödinger!"
        )
        words = prose.split(" ")
        return " ".join(rng.choice(words) for _ in range(500))
    # No words and nothing repeated: the worst text for PNG's compression.
    return "".join(rng.choice(string.ascii_letters + string.digits + string.punctuation) for _ in range(3_000))


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("kind", ["prose", "random-characters"])
def test_a_box_full_of_text_is_at_most_25_kB(kind: str, status: str) -> None:
    spec = with_status(status, box_full(kind))
    assert layout(spec).size == cards.QUOTE_SIZES[-1]
    assert len(draw_card(spec)) <= cards.MAX_BYTES == 25_000


# --- Layout: nothing overflows -----------------------------------------------------------


def test_the_longest_quote_of_the_corpus_fits_inside_the_margins_whole(longest_quote: CardSpec) -> None:
    plan = layout(longest_quote)
    assert_inside_margins(plan)
    assert not plan.truncated
    assert " ".join(line.text for line in plan.quote) == longest_quote.text


def test_ten_kilobytes_of_text_are_cut_with_an_ellipsis_inside_the_margins() -> None:
    plan = layout(with_text(("All models are wrong, but some are useful. " * 250)[:10_000]))
    assert_inside_margins(plan)
    assert plan.truncated
    assert plan.size == cards.QUOTE_SIZES[-1]
    assert plan.quote[-1].text.endswith("…")


@pytest.mark.parametrize(
    "text",
    [
        "漢字かな交じり文" * 200,
        "ＦＵＬＬＷＩＤＴＨ　ＬＥＴＴＥＲＳ " * 100,
        "😀🎉👍🏽🇯🇵👨‍👩‍👧" * 200,
        "中文 English 日本語 한국어 " * 100,
    ],
    ids=["cjk", "fullwidth", "emoji", "mixed"],
)
def test_wide_characters_fit_inside_the_margins(text: str) -> None:
    assert_inside_margins(layout(with_text(text)))


def test_a_500_character_word_is_broken_between_characters_and_fits_whole() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 11 + "abcde"
    plan = layout(with_text(word))
    assert_inside_margins(plan)
    assert len(plan.quote) > 1
    assert "".join(line.text for line in plan.quote) == word


def test_the_text_keeps_its_own_line_breaks() -> None:
    plan = layout(with_text("First line.\nSecond line."))
    assert [line.text for line in plan.quote] == ["First line.", "Second line."]


def test_control_characters_bidi_overrides_and_lone_surrogates_are_not_drawn() -> None:
    plan = layout(with_text("a\x00b\x1b[0m\u202ec\ud800d\u200be"))
    assert [line.text for line in plan.quote] == ["ab[0mc\ufffdde"]
    draw_card(with_text("a\x00b\x1b[0m\u202ec\ud800d\u200be"))


def test_stacked_combining_marks_fit_inside_the_margins() -> None:
    assert_inside_margins(layout(with_text("Z" + "\u0301\u0316\u0327" * 500 + " ok")))


def test_every_field_ten_kilobytes_long_fits_inside_the_margins() -> None:
    long = "Interpretability " * 600
    plan = layout(CardSpec(text=long, topic=long, person=long, source=long, site=long, status=long))
    assert_inside_margins(plan)
    for line in (plan.topic, plan.attribution, plan.site):
        assert line.text.endswith("…")
    assert plan.badge.text == "UNVERIFIED"


def test_the_topic_is_drawn_as_on_topic() -> None:
    assert layout(SPEC).topic.text == "On Alien Neuroscience"


def test_the_attribution_names_the_person_and_the_source() -> None:
    assert layout(with_status("verbatim")).attribution.text == "— Neel Nanda · 80,000 Hours Podcast"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=3_000))
def test_any_text_fits_inside_the_margins(text: str) -> None:
    assert_inside_margins(layout(with_text(text)))


def test_font_size_shrinks_as_text_grows() -> None:
    words = ("Mechanistic interpretability reverse engineers the algorithms a network has learned. " * 40).split()
    sizes = [layout(with_text(" ".join(words[:n]))).size for n in range(5, len(words), 25)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == cards.QUOTE_SIZES[0]
    assert sizes[-1] == cards.QUOTE_SIZES[-1]


def test_a_short_quote_gets_the_largest_size() -> None:
    assert layout(with_text("Be ambitious.")).size == cards.QUOTE_SIZES[0]


# --- The status: a card never passes a quote off as his words ----------------------------


def rgb(spec: CardSpec) -> Image.Image:
    return Image.open(io.BytesIO(draw_card(spec))).convert("RGB")


def count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return {c: n for n, c in image.getcolors(1 << 16) or []}.get(colour, 0)


def test_every_status_of_the_model_has_a_badge() -> None:
    assert set(cards.STATUS_STYLES) == set(model.STATUSES) == set(STATUSES)


# What the card must say of each status, written here rather than read from the code that draws it.
STATUS_ROW = {
    "verbatim": ("VERBATIM", "checked word for word"),
    "paraphrase": ("PARAPHRASE", "not the exact words"),
    "disputed": ("DISPUTED", "conflicts with the record"),
    "unverified": ("UNVERIFIED", "not found in anything on record"),
}


@pytest.mark.parametrize("status", STATUSES)
def test_the_badge_names_the_status_and_the_note_says_what_it_means(status: str) -> None:
    plan = layout(with_status(status))
    assert (plan.badge.text, plan.note.text) == STATUS_ROW[status]
    assert plan.badge.cutout


def written(text: str, x: int, y: int, region: cards.Box) -> set[tuple[int, int]]:
    """The pixels of `region` that `text` covers at least half, in the status row's bold at
    its size, with the left end of its baseline at `x, y`: what the card should show there."""
    canvas = Image.new("L", (region.width, region.height), 0)
    bold = ImageFont.truetype(cards.BOLD_FONT, cards.STATUS_SIZE, layout_engine=ImageFont.Layout.BASIC)
    ImageDraw.Draw(canvas).text((x - region.left, y - region.top), text, fill=255, font=bold, anchor="ls")
    return {
        (region.left + px, region.top + py)
        for py in range(region.height)
        for px in range(region.width)
        if canvas.getpixel((px, py)) >= 128  # type: ignore[operator]
    }


def drawn(
    image: Image.Image, region: cards.Box, ink: tuple[int, int, int], ground: tuple[int, int, int]
) -> set[tuple[int, int]]:
    """The pixels of `region` that the card paints nearer `ink` than `ground`."""

    def distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
        return sum((p - q) ** 2 for p, q in zip(a, b, strict=True))

    return {
        (x, y)
        for y in range(region.top, region.bottom)
        for x in range(region.left, region.right)
        if distance(image.getpixel((x, y)), ink) < distance(image.getpixel((x, y)), ground)  # type: ignore[arg-type]
    }


def overlap(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> float:
    return len(a & b) / len(a | b)


@pytest.mark.parametrize("status", STATUSES)
def test_the_card_draws_the_badge_and_the_note_of_its_own_status(status: str) -> None:
    """Read off the pixels: the letters cut out of the badge are its status's label, and the
    note beside it is its status's note, each matching what these words look like and not
    what any other status's look like."""
    plan = layout(with_status(status))
    image = rgb(with_status(status))
    badge, note = plan.badge, plan.note
    cut_out = drawn(image, badge.box, cards.BACKGROUND, badge.fill)
    row = cards.Box(badge.box.right, badge.box.top, SAFE.right, badge.box.bottom)
    inked = drawn(image, row, note.fill, cards.BACKGROUND)
    assert cut_out and inked, "nothing drawn in the status row"
    for other, (label, meaning) in STATUS_ROW.items():
        label_match = overlap(cut_out, written(label, badge.x, badge.y, badge.box))
        note_match = overlap(inked, written(meaning, note.x, note.y, row))
        if other == status:
            assert label_match > 0.95, f"the badge does not read {label!r} ({label_match:.2f})"
            assert note_match > 0.95, f"the note does not read {meaning!r} ({note_match:.2f})"
        else:
            assert label_match < 0.6, f"the {status} badge reads like {label!r} ({label_match:.2f})"
            assert note_match < 0.6, f"the {status} note reads like {meaning!r} ({note_match:.2f})"


@pytest.mark.parametrize("status", ["paraphrase", "disputed", "unverified"])
def test_a_quote_not_checked_verbatim_is_only_attributed_to_him(status: str) -> None:
    assert layout(with_status(status)).attribution.text == "— attributed to Neel Nanda · 80,000 Hours Podcast"


def test_a_verbatim_quote_is_credited_to_him_plainly() -> None:
    assert "attributed" not in layout(with_status("verbatim")).attribution.text


@pytest.mark.parametrize("status", ["", "Verbatim", " verbatim", "checked", "DISPUTED"])
def test_an_unknown_status_is_drawn_as_unverified(status: str) -> None:
    plan, unverified = layout(with_status(status)), layout(with_status("unverified"))
    assert (plan.badge, plan.note, plan.bar) == (unverified.badge, unverified.note, unverified.bar)
    assert plan.badge.text == "UNVERIFIED"
    assert plan.attribution.text.startswith("— attributed to ")


def test_without_a_person_the_attribution_names_the_source_alone() -> None:
    plan = layout(dataclasses.replace(SPEC, person=" \u200b"))
    assert plan.attribution.text == "— 80,000 Hours Podcast"


@pytest.mark.parametrize(("before", "after"), list(itertools.combinations(STATUSES, 2)))
def test_changing_only_the_status_changes_the_key_and_the_card(before: str, after: str) -> None:
    assert card_key(with_status(before)) != card_key(with_status(after))
    assert draw_card(with_status(before)) != draw_card(with_status(after))


def test_a_disputed_card_is_red_and_no_other_card_is() -> None:
    # The badge's fill, its note and the side bar, in the disputed red itself, not a shade of it.
    plan = layout(with_status("disputed"))
    disputed = rgb(with_status("disputed"))
    badge = disputed.crop((plan.badge.box.left, plan.badge.box.top, plan.badge.box.right, plan.badge.box.bottom))
    assert count(badge, cards.RED) > plan.badge.box.width * plan.badge.box.height // 2
    assert count(disputed, cards.RED) > count(badge, cards.RED) + cards.BAR.width * cards.BAR.height
    assert disputed.getpixel((cards.BAR.left + 1, cards.HEIGHT // 2)) == cards.RED
    for status in ("verbatim", "paraphrase", "unverified"):
        image = rgb(with_status(status))
        assert count(image, cards.RED) == 0, status
        assert image.getpixel((cards.BAR.left + 1, cards.HEIGHT // 2)) == cards.ACCENT


@pytest.mark.parametrize("status", STATUSES)
def test_the_status_is_legible_at_half_size(status: str) -> None:
    # Chats show the card at 600×315: the status must be at least 14 px bold there.
    plan = layout(with_status(status))
    for line in (plan.badge, plan.note):
        assert line.size == cards.STATUS_SIZE >= 28
        assert line.bold
    # Drawn as laid out: a box of the status's colour with its name cut out, capitals as tall
    # as the size gives (DejaVu's are 0.73 em), neither clipped nor scaled down.
    box = plan.badge.box
    badge = rgb(with_status(status)).crop((box.left, box.top, box.right, box.bottom))
    assert badge.getpixel((0, 0)) == badge.getpixel((box.width - 1, box.height - 1)) == plan.badge.fill
    assert count(badge, plan.badge.fill) > box.width * box.height // 2
    rows = [y for y in range(box.height) if any(badge.getpixel((x, y)) == cards.BACKGROUND for x in range(box.width))]
    assert rows[-1] - rows[0] + 1 >= 0.7 * 28


@pytest.mark.parametrize("status", STATUSES)
def test_the_badge_holds_its_name_and_the_status_row_fits_on_the_card(status: str) -> None:
    plan = layout(with_status(status))
    font = ImageFont.truetype(cards.BOLD_FONT, plan.badge.size, layout_engine=ImageFont.Layout.BASIC)
    left, top, right, bottom = font.getbbox(plan.badge.text, anchor="ls")
    name = cards.Box(
        plan.badge.x + int(left), plan.badge.y + int(top), plan.badge.x + int(right), plan.badge.y + int(bottom)
    )
    assert plan.badge.box.contains(name)
    assert SAFE.contains(plan.badge.box) and SAFE.contains(plan.note.box)
    assert not plan.badge.box.overlaps(plan.note.box)
    assert not plan.note.text.endswith("…")  # every note is short enough to be read whole


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("text", ["Be ambitious.", box_full("prose")], ids=["largest-size", "smallest-size"])
def test_the_status_row_overlaps_neither_the_topic_nor_the_quote(status: str, text: str) -> None:
    plan = layout(with_status(status, text))
    assert plan.quote
    for line in (plan.topic, *plan.quote):
        assert not plan.badge.box.overlaps(line.box), line
        assert not plan.note.box.overlaps(line.box), line


def test_the_status_does_not_move_the_quote() -> None:
    quotes = {layout(with_status(status)).quote for status in STATUSES}
    assert len(quotes) == 1


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(STATUSES) | st.text(max_size=50), st.text(max_size=500), st.text(max_size=200))
def test_any_status_and_topic_fit_inside_the_margins_clear_of_the_status_row(
    status: str, text: str, topic: str
) -> None:
    plan = layout(dataclasses.replace(SPEC, status=status, text=text, topic=topic))
    assert_inside_margins(plan)
    for line in (plan.topic, *plan.quote):
        assert not plan.badge.box.overlaps(line.box)
        assert not plan.note.box.overlaps(line.box)


# --- The cache ---------------------------------------------------------------------------


def specs(count: int) -> list[CardSpec]:
    return [with_text(f"Quote number {i}: the model learns a circuit, then cleans it up.") for i in range(count)]


def test_a_second_run_draws_nothing_and_returns_the_same_bytes(tmp_path: Path) -> None:
    first = draw_cards(specs(3), tmp_path)
    second = draw_cards(specs(3), tmp_path)
    assert (first.drawn, first.cached) == (3, 0)
    assert (second.drawn, second.cached) == (0, 3)
    assert second.images == first.images == tuple(draw_card(spec) for spec in specs(3))


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(CardSpec)])
def test_changing_any_field_changes_the_key(field: str) -> None:
    changed = dataclasses.replace(SPEC, **{field: getattr(SPEC, field) + "!"})
    assert card_key(changed) != card_key(SPEC)


def test_changing_one_card_redraws_only_that_card(tmp_path: Path) -> None:
    before = specs(3)
    draw_cards(before, tmp_path)
    after = [before[0], dataclasses.replace(before[1], person="Chris Olah"), before[2]]
    result = draw_cards(after, tmp_path)
    assert (result.drawn, result.cached) == (1, 2)
    assert result.images[1] == draw_card(after[1])


def test_a_card_repeated_in_the_specs_is_drawn_once(tmp_path: Path) -> None:
    result = draw_cards([SPEC, SPEC], tmp_path)
    assert result.drawn == 1
    assert result.images[0] == result.images[1]


def test_cards_are_stored_under_their_key_with_no_temporary_files_left(tmp_path: Path) -> None:
    draw_cards(specs(2), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{card_key(s)}.png" for s in specs(2))


def test_a_damaged_cache_file_is_redrawn(tmp_path: Path) -> None:
    path = tmp_path / f"{card_key(SPEC)}.png"
    path.write_bytes(b"half a card")
    result = draw_cards([SPEC], tmp_path)
    assert result.drawn == 1
    assert path.read_bytes() == result.images[0] == draw_card(SPEC)


def test_progress_counts_up_to_the_number_of_specs(tmp_path: Path) -> None:
    draw_cards(specs(2), tmp_path)
    calls: list[tuple[int, int]] = []
    draw_cards(specs(4), tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 4), (3, 4), (4, 4)]


def test_drawing_in_parallel_gives_the_same_bytes_as_drawing_serially(tmp_path: Path) -> None:
    many = specs(20)
    assert len(many) > cards.PARALLEL_ABOVE  # so the second call really uses a process pool
    serial = draw_cards(many, tmp_path / "serial", processes=1)
    parallel = draw_cards(many, tmp_path / "parallel", processes=2)
    assert serial.drawn == parallel.drawn == 20
    assert parallel.images == serial.images


# --- The fonts ---------------------------------------------------------------------------


def test_the_fonts_and_their_licence_are_in_the_repository() -> None:
    fonts = Path(cards.__file__).parent.parent / "fonts"  # generator/fonts, beside the package
    assert cards.REGULAR_FONT.parent == cards.BOLD_FONT.parent == fonts
    assert cards.REGULAR_FONT.is_file() and cards.BOLD_FONT.is_file()
    assert "Bitstream Vera" in (fonts / "LICENSE").read_text("utf-8")
