"""Read it anywhere: /all/ holds the whole collection and prints as a clean booklet.

Chromium prints the page to PDF as a reader's "Save as PDF" would, and pypdf reads the
text back: every quote is there, on one page, each part starts a page, and none of the
site's chrome (header, search, buttons, footer) is printed.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.provenance import credit, short_address
from tests.conftest import ROOT

COLLECTION, _ = pipeline.check(ROOT)
SITE = pipeline.site_of(ROOT)
QUOTES = list(COLLECTION.quotes())

CHROME = (
    "Search",
    "Copy link",
    "Copy citation",
    "Copy BibTeX",
    "Switch to dark mode",
    "Switch to light mode",
    "Back to top",
    "Made with",
    "Material for MkDocs",
    "Edit this page",
    "Skip to content",
    "Another quote",
)
"""Labels of the header, search, palette switch, buttons and footer."""


def plain(text: str) -> str:
    """Text as compared: ligatures (ﬁ) undone, every run of white space one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def bare(text: str) -> str:
    """Text without any white space: where a printed line breaks (inside an address, after a
    hyphen) the PDF's text has a space or none, so words are compared without them."""
    return "".join(plain(text).split())


def printed(page: Any, url: str) -> list[str]:
    page.goto(url, wait_until="load")
    pdf = page.pdf(format="A4")
    return [plain(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def address(quote_id: str) -> str:
    """A quote's permanent address as printed, without the spaces a line break in it leaves."""
    return short_address(SITE.quote_url(quote_id), 120)


@pytest.fixture(scope="module")
def booklet(browser: Any, site_url: str) -> list[str]:
    page = browser.new_page()
    pages = printed(page, site_url + "all/")
    page.close()
    return pages


@pytest.mark.browser
def test_the_whole_collection_prints_every_quote_with_its_status_record_and_address(booklet: list[str]) -> None:
    whole = " ".join(booklet)
    every = bare(whole)
    for quote in QUOTES:
        assert bare(quote.text) in every, quote.id
        assert address(quote.id) in every, quote.id
        for passage in quote.record:
            assert bare(passage.text) in every, (quote.id, passage.text[:40])
    for status in ("PARAPHRASE", "DISPUTED", "UNVERIFIED"):
        assert status in whole


@pytest.mark.browser
def test_the_booklet_prints_none_of_the_sites_chrome(booklet: list[str]) -> None:
    whole = " ".join(booklet)
    found = [label for label in CHROME if re.search(rf"\b{re.escape(label)}\b", whole)]
    assert not found, f"printed: {found}"


@pytest.mark.browser
def test_the_booklet_packs_quotes_one_after_another(booklet: list[str]) -> None:
    # 65 A4 pages for the 75 quotes of today's collection (92 when each quote took a page of
    # its own), in proportion for another.
    budget = math.ceil(65 * len(QUOTES) / 75)
    assert len(booklet) <= budget, f"{len(booklet)} pages for {len(QUOTES)} quotes"


@pytest.mark.browser
def test_a_printed_quote_heading_is_no_less_prominent_than_its_text(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}all/", wait_until="load")
    page.emulate_media(media="print")
    heading, text = page.evaluate(
        """() => [document.querySelector('.nn-all-quote h3'), document.querySelector('.nn-all-quote .nn-text')]
            .map(e => { const s = getComputedStyle(e); return [parseFloat(s.fontSize), Number(s.fontWeight)]; })"""
    )
    page.close()
    assert heading[0] >= text[0] and heading[1] >= 600 > text[1], (heading, text)


@pytest.mark.browser
def test_each_part_starts_a_page_and_no_quote_is_split(booklet: list[str]) -> None:
    for part in COLLECTION.parts:
        heading = plain(f"Part {part.number}: {part.title}")
        starts = [i for i, text in enumerate(booklet) if text.startswith(heading)]
        assert len(starts) == 1, f"part {part.number} does not start a page"
    for quote in QUOTES:
        # The quote, its heading, its credit and status and the first passage of its record
        # on one page; each passage on one page (a long record goes on to the next).
        figure = [
            bare(f"On {quote.topic}"),
            bare(quote.text),
            bare(f"{credit(quote, COLLECTION.person)}, according to {quote.source.title} {quote.status.upper()}"),
        ]
        if quote.record:
            figure.append(bare(quote.record[0].text))  # kept with its first passage
        assert any(all(piece in bare(text) for piece in figure) for text in booklet), f"{quote.id} is split"
        for passage in quote.record:
            assert any(bare(passage.text) in bare(text) for text in booklet), f"{quote.id}: a passage is split"


@pytest.mark.browser
def test_a_part_page_prints_its_records_opened_and_no_chrome(browser: Any, site_url: str) -> None:
    part = COLLECTION.parts[2]
    page = browser.new_page()
    whole = " ".join(printed(page, f"{site_url}parts/{part.id}/"))
    page.close()
    for quote in part.quotes:
        assert bare(quote.text) in bare(whole)
        for passage in quote.record:
            assert bare(passage.text) in bare(whole), (quote.id, passage.text[:40])
    assert not [label for label in CHROME if re.search(rf"\b{re.escape(label)}\b", whole)]


def test_all_is_linked_from_home_out_of_the_navigation_and_out_of_search(built_site: Path) -> None:
    import json

    home = (built_site / "index.html").read_text("utf-8")
    assert 'href="all/"' in home
    assert 'href="all/"' not in (built_site / "about" / "index.html").read_text("utf-8").split('class="md-content"')[0]
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith("all/")]


def test_past_the_limit_all_lists_the_parts_and_points_to_the_epub() -> None:
    """At thousands of quotes one page would weigh megabytes: /all/ becomes the parts' list."""
    import dataclasses

    from generator.all_page import ALL_ON_ONE_PAGE, render_all

    copies = ALL_ON_ONE_PAGE // len(QUOTES) + 1
    parts = tuple(
        dataclasses.replace(
            part, quotes=tuple(dataclasses.replace(q, id=f"{q.id}-{n}") for n in range(copies) for q in part.quotes)
        )
        for part in COLLECTION.parts
    )
    big = dataclasses.replace(COLLECTION, parts=parts)
    page = render_all(big, SITE, "book.epub")
    assert "nn-all-quote" not in page and "nn-passage" not in page
    for part in COLLECTION.parts:
        assert f'<a href="../parts/{part.id}/">' in page
    assert '<a href="../book.epub">the EPUB</a>' in page
    assert "nn-all-quote" in render_all(COLLECTION, SITE, "book.epub")
