"""A passage's verdict on a page, from strings alone: found as a reader finds it, and its
link's text fragment matched as Chromium matches it."""

from __future__ import annotations

import pytest

from generator.model import Passage
from generator.provenance import context_url
from generator.record_check.match import classify, closest_sentence, directive, fragment_matches, pieces
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("page", "passage"),
    [
        ("It’s a “clean” result", 'it\'s a "clean" result'),  # curly and straight quotes
        ("An answer — or two", "an answer - or two"),  # dashes, and the spaces around them
        ("An answer–or two", "an answer — or two"),
        ("Wait… what", "wait... what"),  # an ellipsis character and three dots
        ("THE   Model\n learns", "the model learns"),  # case and whitespace
        ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
        ("ﬁne ligatures", "fine ligatures"),
        ("first part, some words left out, second part", "first part … second part"),  # a gap
        ("one paragraph\nthe next paragraph", "one paragraph ¶ the next paragraph"),
    ],
)
def test_found_as_a_reader_finds_it(page: str, passage: str) -> None:
    assert classify(page, passage).result == "found"


@pytest.mark.parametrize(
    ("page", "passage"),
    [
        ("second part, then first part", "first part … second part"),  # pieces out of order
        ("a **probe** here", "a probe here"),  # markup is characters
        ("a probe here", "a **probe** here"),  # a record text with Markdown is not what the page shows
        ("the model learns", "the models learn"),
    ],
)
def test_changed_when_a_piece_is_missing(page: str, passage: str) -> None:
    verdict = classify(page, passage)
    assert verdict.result == "changed"
    assert verdict.missing is not None


def test_changed_names_the_closest_sentence_as_the_page_writes_it() -> None:
    page = ["Nothing to see. The Model learns a general algorithm quickly! Other words here."]
    verdict = classify(page, "the model learns a general algorithm slowly")
    assert verdict == classify(page, "the model learns a general algorithm slowly")
    assert verdict.closest == "The Model learns a general algorithm quickly!"
    assert closest_sentence(["No shared words."], "entirely different") is None


def test_pdf_text_is_compared_without_line_end_hyphens_or_spacing() -> None:
    page = "the model is inter-\npretable and self-\nattention w orks"
    assert classify(page, "the model is interpretable and self-attention works", pdf=True).result == "found"
    assert classify(page, "the model is interpretable and self-attention works").result == "changed"
    # A PDF is never highlighted: its link's fragment is not checked.
    link = "https://example.org/paper.pdf#:~:text=nowhere%20on%20it"
    assert classify(page, "the model is", link, pdf=True).result == "found"


def test_pieces() -> None:
    assert pieces("a … b ¶ c") == ["a", "b", "c"]
    assert pieces("whole") == ["whole"]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://a.test/p#:~:text=one%20two", ("one two", None)),
        ("https://a.test/p#sec:~:text=start,end", ("start", "end")),
        ("https://a.test/p#:~:text=well%2Dknown%2C%20too", ("well-known, too", None)),
        ("https://a.test/p#:~:text=pre-,start,end,-suf", ("start", "end")),  # prefix and suffix ignored
        ("https://a.test/p#:~:other&text=x", ("x", None)),
        ("https://a.test/p#section", None),
        ("https://a.test/p", None),
        (None, None),
    ],
)
def test_directive(link: str | None, expected: tuple[str, str | None] | None) -> None:
    assert directive(link) == expected


@pytest.mark.parametrize(
    ("blocks", "start", "end", "matches"),
    [
        (["The Model Learns"], "the model learns", None, True),  # case
        (["it’s “clean”"], 'it\'s "clean"', None, True),  # ' and ’, " and “” alike
        (["a well—known result"], "a well-known result", None, False),  # - and — not alike
        (["a well–known result"], "a well-known result", None, False),
        (["many   spaces\nhere"], "many spaces here", None, True),  # whitespace collapsed
        (["concatenate"], "cat", None, False),  # on word boundaries only
        (["don't"], "don", None, False),
        (["the cat sat"], "cat", None, True),
        (["one paragraph", "the next"], "paragraph the", None, False),  # a term within one block
        (["start here", "more", "and the end"], "start", "the end", True),  # start and end: across blocks
        (["the end", "start here"], "start", "the end", False),  # the end must follow the start
        (["start the end"], "start", "the end", True),
    ],
)
def test_fragment_matches_as_chromium_does(blocks: list[str], start: str, end: str | None, matches: bool) -> None:
    assert fragment_matches(blocks, start, end) is matches


def test_fragment_missed_is_found_but_not_highlighted() -> None:
    passage = Passage("This is a well-known result about small models.", "https://a.test/p", "there", None)
    link = context_url(passage)
    assert classify("This is a well—known result about small models.", passage.text, link).result == "fragment-missed"
    assert classify("This is a well-known result about small models.", passage.text, link).result == "found"


def test_every_real_passage_is_found_and_highlighted_on_a_page_that_shows_it() -> None:
    """generator/provenance.py makes each link's fragment, and this module checks it: on a
    page that shows a passage as written (one block per piece), the two must agree."""
    from generator.pipeline import check

    collection, _ = check(ROOT)
    # Texts that keep Markdown from the copies they were read in ("**", "[…](…)") are not
    # what their page shows: those are the check's to find (changed), not this test's.
    passages = [p for q in collection.quotes() for p in q.record if not any(m in p.text for m in ("](", "*", "\\"))]
    assert len(passages) > 100
    for passage in passages:
        page = pieces(passage.text)
        verdict = classify(page, passage.text, context_url(passage))
        assert verdict.result == "found", (passage.text, context_url(passage))
