"""The status travels: wherever a quote leaves the site it is never presented as his words
more firmly than its status allows, and his own words (the record) go with it.

Read as a link preview, a search engine and a reader would: the head's metadata and its
JSON-LD through extruct (the structured-data extractor search tools use), the citations,
quotes.json against its schema, the feed, and the pages in headless Chromium.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import extruct
import pytest

from generator import pipeline
from generator.cards import CardSpec, card_key
from generator.cite import bibtex, bibtex_escape, plain_citation
from generator.lean import render_quote
from generator.model import STATUSES, Passage, Quote, Status
from generator.provenance import context_url, fragment_terms, is_pdf
from tests.conftest import FIXTURE_CORPUS, ROOT
from tests.serving import serve

COLLECTION, _ = pipeline.check(ROOT)
SITE = pipeline.site_of(ROOT)
PERSON = COLLECTION.person
QUOTES = list(COLLECTION.quotes())
ATOM = "{http://www.w3.org/2005/Atom}"


def passage(text: str, url: str = "https://example.org/post") -> Passage:
    return Passage(text, url, "A post, section 2", None)


def with_status(quote: Quote, status: Status) -> Quote:
    return dataclasses.replace(quote, status=status)


def head_of(quote: Quote) -> dict[str, Any]:
    """What a link preview reads: the Open Graph tags, the description and the JSON-LD."""
    page = render_quote(COLLECTION, SITE, quote, None, None)
    html = f"<html><head><title>{page.html_title}</title>{page.head}</head><body></body></html>"
    data = extruct.extract(html, base_url=SITE.quote_url(quote.id), syntaxes=["json-ld", "opengraph"], uniform=True)
    description = re.search(r'<meta name="description" content="([^"]*)">', page.head)
    assert description is not None
    return {
        "title": unescape(page.html_title),
        "description": unescape(description[1]),
        "og": data["opengraph"][0],
        "jsonld": data["json-ld"][0],
    }


def people_credited(node: Any) -> list[str]:
    """Every name given as `creator` or `author` anywhere in a JSON-LD node, outside `citation`."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("creator", "author"):
                found += [v.get("name") for v in (value if isinstance(value, list) else [value])]
            elif key != "citation":
                found += people_credited(value)
    elif isinstance(node, list):
        for item in node:
            found += people_credited(item)
    return found


# --- Text fragments ---------------------------------------------------------------------


def test_a_fragment_is_one_contiguous_piece_of_a_passage_that_leaves_words_out() -> None:
    start, end = fragment_terms(
        "Short start here. … And then the longest piece of all, which runs on and on here. ¶ Tail."
    )
    assert (start, end) == ("And then the longest piece", "runs on and on here.")


def test_a_short_passage_is_matched_whole() -> None:
    assert fragment_terms("It's a purely correlational technique.") == ("a purely correlational technique.", None)


def test_fragment_terms_avoid_quotes_and_apostrophes_that_the_source_page_may_curl() -> None:
    start, end = fragment_terms(
        'He said "no" and it\'s fine, but then we ran seven more experiments on the model to see'
    )
    assert "'" not in start + (end or "") and '"' not in start + (end or "")


def test_the_stored_copys_markdown_is_not_in_the_fragment() -> None:
    start, end = fragment_terms("There is **very little** to dig into, see [the docs](https://x.org) for *details*.")
    assert start == "There is very little to dig into, see the docs for details."
    assert end is None


def test_dashes_commas_and_ampersands_are_percent_encoded_and_decode_to_the_terms() -> None:
    url = context_url(passage("A well-known result, with commas & ampersands, that spans a sentence."))
    directive = url.split("#:~:text=", 1)[1]
    assert "-" not in directive and "&" not in directive and directive.count(",") == 0
    assert unquote(directive) == "A well-known result, with commas & ampersands, that spans a sentence."


def test_a_long_passage_is_matched_by_its_two_ends() -> None:
    words = " ".join(f"word{i}" for i in range(30))
    url = context_url(passage(words))
    start, end = url.split("#:~:text=", 1)[1].split(",")
    assert unquote(start) == "word0 word1 word2 word3 word4" and unquote(end) == "word25 word26 word27 word28 word29"


def test_a_section_anchor_in_the_address_is_kept_for_browsers_without_text_fragments() -> None:
    url = context_url(passage("Some words to find here.", "https://axrp.net/episode.html#types-of-ai-cog"))
    assert url == "https://axrp.net/episode.html#types-of-ai-cog:~:text=Some%20words%20to%20find%20here."


@pytest.mark.parametrize(
    "url",
    ["https://arxiv.org/pdf/2301.05217", "https://example.org/paper.PDF", "https://www.arxiv.org/pdf/2301.05217v2"],
)
def test_a_pdf_is_linked_plainly_since_pdf_viewers_ignore_text_fragments(url: str) -> None:
    assert context_url(passage("Some words to find here.", url)) == url


def test_an_arxiv_abstract_page_is_not_a_pdf() -> None:
    url = context_url(passage("Some words to find here.", "https://arxiv.org/abs/2301.05217"))
    assert url == "https://arxiv.org/abs/2301.05217#:~:text=Some%20words%20to%20find%20here."


# --- What travels: head, card, JSON-LD, citations ----------------------------------------


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "verbatim"])
def test_every_preview_field_of_a_non_verbatim_quote_names_its_status(status: Status) -> None:
    quote = with_status(QUOTES[0], status)
    head = head_of(quote)
    for field in ("title", "description"):
        assert status in head[field].lower(), field
    for field in ("og:title", "og:description", "og:image:alt"):
        assert status in head["og"][field].lower(), field
    for field in ("description", "og:title", "og:description", "og:image:alt"):
        value = head["og"].get(field, head["description"])
        assert f"attributed to {PERSON}" in value, field


def test_a_verbatim_quote_is_credited_to_him_and_nothing_else_is() -> None:
    verbatim = head_of(with_status(QUOTES[0], "verbatim"))
    assert verbatim["og"]["og:title"] == f"On {QUOTES[0].topic} — {PERSON}"
    assert people_credited(verbatim["jsonld"]) == [PERSON]
    for status in ("paraphrase", "disputed", "unverified"):
        assert people_credited(head_of(with_status(QUOTES[0], status))["jsonld"]) == []


@pytest.mark.parametrize("quote", QUOTES, ids=[q.id for q in QUOTES])
def test_json_ld_never_credits_a_non_verbatim_text_and_credits_each_record_passage(quote: Quote) -> None:
    data = head_of(quote)["jsonld"]
    main = data["mainEntity"]
    assert main["@type"] == "Quotation" and main["text"] == quote.text
    assert main["creativeWorkStatus"] == quote.status
    assert people_credited(data) == ([PERSON] if quote.status == "verbatim" else [])
    citations = main.get("citation", [])
    assert [c["text"] for c in citations] == [p.text for p in quote.record]
    for c, p in zip(citations, quote.record, strict=True):
        assert c["@type"] == "Quotation"
        assert c["creator"] == {"@type": "Person", "name": PERSON}
        assert c["url"] == p.url
        assert c["isPartOf"] == {"@type": "CreativeWork", "name": p.where}


def test_changing_only_the_status_changes_the_card_and_the_og_title() -> None:
    quote = QUOTES[0]
    specs = {s: pipeline.card_spec(with_status(quote, s), COLLECTION, SITE) for s in STATUSES}
    assert len({card_key(spec) for spec in specs.values()}) == len(STATUSES)
    assert all(isinstance(spec, CardSpec) and spec.status == s for s, spec in specs.items())
    titles = {head_of(with_status(quote, s))["og"]["og:title"] for s in STATUSES}
    assert len(titles) == len(STATUSES)


@pytest.mark.parametrize("status", list(STATUSES))
def test_citations_name_the_status_and_cite_the_record(status: Status) -> None:
    quote = with_status(next(q for q in QUOTES if q.record), status)
    url = SITE.quote_url(quote.id)
    plain, bib = plain_citation(COLLECTION, quote, url), bibtex(COLLECTION, quote, url)
    assert status in plain and status in bib
    assert quote.record[0].url in plain and bibtex_escape(quote.record[0].url) in bib
    assert (f"author = {{{PERSON}}}" in bib) == (status == "verbatim")
    assert (f"attributed to {PERSON}" in plain) == (status != "verbatim")


# --- quotes.json and the feed -------------------------------------------------------------


def test_quotes_json_carries_every_record_with_its_context_link(built_site: Path) -> None:
    data = json.loads((built_site / "quotes.json").read_text("utf-8"))
    for row, quote in zip(data["quotes"], QUOTES, strict=True):
        assert row["attribution"] == (PERSON if quote.status == "verbatim" else f"attributed to {PERSON}")
        assert [r["text"] for r in row["record"]] == [p.text for p in quote.record]
        assert [r["context_url"] for r in row["record"]] == [context_url(p) for p in quote.record]


@pytest.mark.parametrize(
    ("site", "root"), [("built_site", ROOT), ("small_site", FIXTURE_CORPUS)], ids=["real", "small"]
)
def test_the_feed_names_each_status_and_carries_the_record_and_is_not_authored_by_him(
    request: pytest.FixtureRequest, site: str, root: Path
) -> None:
    """The real corpus and the small one, which has a verbatim quote."""
    collection, _ = pipeline.check(root)
    person, quotes = collection.person, list(collection.quotes())
    feed = ET.parse(request.getfixturevalue(site) / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}author/{ATOM}name") != person
    for entry, quote in zip(feed.findall(f"{ATOM}entry"), quotes, strict=True):
        content = entry.findtext(f"{ATOM}content") or ""
        # A verbatim quote's title names no status: his own words need no warning.
        expected = f"On {quote.topic}" if quote.status == "verbatim" else f"On {quote.topic} ({quote.status})"
        assert entry.findtext(f"{ATOM}title") == expected
        assert f". {quote.status.capitalize()}: " in content
        assert (f"— attributed to {person}, according to " in content) == (quote.status != "verbatim")
        for p in quote.record:
            assert p.text in content and p.url in content
    if root == FIXTURE_CORPUS:
        assert "verbatim" in {q.status for q in quotes}


# --- What a reader sees ------------------------------------------------------------------


def test_at_least_60_quotes_carry_a_record() -> None:
    assert sum(1 for q in QUOTES if q.record) >= 60


@pytest.mark.browser
def test_every_quote_page_shows_its_record_with_links_into_the_source(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    for quote in QUOTES:
        page.goto(f"{site_url}quotes/{quote.id}/", wait_until="load")
        texts = page.locator(".nn-onrecord .nn-passage-text").all_inner_texts()
        assert texts == [p.text for p in quote.record], quote.id
        links = page.locator(".nn-onrecord a.nn-context")
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
            context_url(p) for p in quote.record
        ], quote.id
        assert [links.nth(i).inner_text() for i in range(links.count())] == ["Read it in context"] * len(quote.record)
        if not quote.record:
            assert page.locator(".nn-onrecord .nn-no-record").is_visible(), quote.id
        caption = page.locator(".nn-claim figcaption").inner_text()
        assert caption.startswith("— attributed to " if quote.status != "verbatim" else f"— {PERSON}")
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("width", "beside"), [(1280, True), (390, False)])
def test_the_record_stands_beside_the_claim_on_a_wide_screen_and_below_it_on_a_phone(
    browser: Any, site_url: str, width: int, beside: bool
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{site_url}quotes/othello-gpt/", wait_until="load")
    claim = page.locator(".nn-claim").bounding_box()
    record = page.locator(".nn-onrecord").bounding_box()
    if beside:
        assert record["x"] >= claim["x"] + claim["width"] and abs(record["y"] - claim["y"]) < 2
    else:
        assert record["y"] >= claim["y"] + claim["height"] and abs(record["x"] - claim["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out sideways
    page.close()


@pytest.mark.browser
def test_part_pages_hold_a_closed_disclosure_per_quote_that_the_keyboard_opens(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    for part in COLLECTION.parts:
        page.goto(f"{site_url}parts/{part.id}/", wait_until="load")
        details = page.locator(".nn-quote details.nn-record")
        assert details.count() == len(part.quotes), part.id
        assert page.locator(".nn-quote details.nn-record[open]").count() == 0, part.id
    # The keyboard reaches a summary and opens it; its passages then show.
    part = COLLECTION.parts[0]
    quote = next(q for q in part.quotes if q.record)
    page.goto(f"{site_url}parts/{part.id}/", wait_until="load")
    summary = page.locator(f".nn-quote:has(h2[id='{quote.id}']) details.nn-record > summary")
    assert not page.locator(f".nn-quote:has(h2[id='{quote.id}']) .nn-passage-text").first.is_visible()
    summary.focus()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    shown = page.locator(f".nn-quote:has(h2[id='{quote.id}']) .nn-passage-text").all_inner_texts()
    assert shown == [p.text for p in quote.record]
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["sources", "tags"])
def test_source_and_tag_pages_hold_a_disclosure_per_quote(browser: Any, site_url: str, kind: str) -> None:
    page = browser.new_page()
    groups = COLLECTION.by_source() if kind == "sources" else COLLECTION.tags()
    for key, quotes in groups.items():
        if not quotes:
            continue
        page.goto(f"{site_url}{kind}/{key}/", wait_until="load")
        assert page.locator("details.nn-record").count() == len(quotes), key
        assert page.locator("details.nn-record[open]").count() == 0, key
    page.close()


def test_the_home_page_counts_the_statuses(built_site: Path) -> None:
    html = (built_site / "index.html").read_text("utf-8")
    for status in STATUSES:
        count = sum(1 for q in QUOTES if q.status == status)
        assert re.search(
            rf'nn-status--{status}">{status}</span> <span class="nn-count">{count} quotes?</span>', html
        ), status


# --- "Read it in context" opens the source at his words ------------------------------------

_CURLY = str.maketrans({"'": "’"})


def as_the_source_shows_it(text: str, curl: bool) -> str:
    """The passage as its page would show it: Markdown rendered, pieces apart, apostrophes
    curled as Jekyll (AXRP, The Inside View) does when `curl`."""
    from html import escape

    pieces = []
    for piece in re.split(r"\s*[…¶]\s*", text):
        html = escape(piece, quote=False)
        html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
        html = re.sub(r"\*(.+?)\*", r"<em>\1</em>", html)
        html = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r'<a href="\2">\1</a>', html)
        html = re.sub(r"\\(.)", r"\1", html)
        pieces.append(f"<p>{html.translate(_CURLY) if curl else html}</p>")
    return "<p>Other words that were left out of the passage.</p>".join(pieces)


def _words_shown(text: str) -> list[str]:
    """The words of a passage as its page shows them, Markdown gone, pieces run together."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    plain = re.sub(r"\\(.)", r"\1", re.sub(r"\*\*|(?<![A-Za-z0-9])\*|\*(?![A-Za-z0-9])", "", plain))
    return [w for w in re.split(r"\s+|[…¶]", plain) if w]


@pytest.fixture(scope="module")
def source_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[tuple[str, str, Passage]]]]:
    """One local page per source address, holding that source's passages far apart, twice:
    as stored, and curled. Yields the server and, per passage, its page and section id."""
    folder = tmp_path_factory.mktemp("sources")
    by_url: dict[str, list[Passage]] = {}
    # A PDF's passages are linked plainly (test_a_pdf_is_linked_plainly…): nothing to scroll to.
    for p in (p for q in QUOTES for p in q.record if not is_pdf(p.url)):
        same = by_url.setdefault(p.url, [])
        if all(other.text != p.text for other in same):
            same.append(p)
    found: list[tuple[str, str, Passage]] = []
    for n, (address, passages) in enumerate(by_url.items()):
        anchor = urlsplit(address).fragment
        for copy, curl in (("stored", False), ("curled", True)):
            sections = "".join(
                f'<div style="height:2500px"></div><section id="p{i}">{as_the_source_shows_it(p.text, curl)}</section>'
                for i, p in enumerate(passages)
            )
            # The section's own anchor at the top: a browser that fell back to it would not scroll.
            top = f'<span id="{anchor}"></span>' if anchor else ""
            head = f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{n}</title></head><body>'
            (folder / f"{copy}-{n}.html").write_text(
                f"{head}{top}{sections}<div style='height:2500px'></div></body></html>"
            )
        # Where the browser should land: the first section holding the fragment's words. Two
        # passages may overlap (one quotes part of another), as they do on the real page.
        shown = [" ".join(_words_shown(p.text)) for p in passages]
        for p in passages:
            start = fragment_terms(p.text)[0]
            first = next(i for i, text in enumerate(shown) if start in text)
            found.append((f"-{n}.html", f"p{first}", p))
    with serve(folder) as url:
        yield url, found


@pytest.mark.browser
@pytest.mark.parametrize("copy", ["stored", "curled"])
def test_read_it_in_context_opens_the_source_scrolled_to_his_words(
    browser: Any, source_pages: tuple[str, list[tuple[str, str, Passage]]], copy: str
) -> None:
    url, passages = source_pages
    assert len(passages) >= 60, "too few record passages to open"
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    missed = []
    for file, section, p in passages:
        link = context_url(p)
        assert ":~:text=" in link
        page.goto("about:blank")
        page.goto(url + copy + file + "#" + link.split("#", 1)[1], wait_until="load")
        try:
            page.wait_for_function(
                f"() => {{ const r = document.getElementById('{section}').getBoundingClientRect();"
                " return r.top < innerHeight && r.bottom > 0; }",
                timeout=3000,
            )
        except Exception:
            missed.append(f"{p.text[:60]!r} → {link}")
    page.close()
    assert not missed, "no match for:\n" + "\n".join(missed)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["sources/talk/", "tags/all/"])
def test_a_long_list_page_brings_each_record_from_the_quote_page_when_opened(
    browser: Any, long_source_site: str, path: str
) -> None:
    page = browser.new_page()
    page.goto(long_source_site + path, wait_until="load")
    assert page.locator(".nn-passage").count() == 0  # not in the page until asked for
    quote = page.locator("li:has(a[href$='#q7']) details.nn-record")
    assert quote.locator("a[href$='/quotes/q7/#on-the-record']").count() == 1  # the way without script
    quote.locator("summary").focus()
    page.keyboard.press("Enter")
    passage = quote.locator(".nn-passage-text")
    passage.wait_for()
    assert passage.inner_text() == "His own words, number 7 & <b>7</b>."
    assert quote.locator("a.nn-context").get_attribute("href") == context_url(
        Passage("His own words, number 7 & <b>7</b>.", "https://example.org/t", "A talk", None)
    )
    assert page.locator("li:has(a[href$='#q8']) details.nn-record .nn-no-record").count() == 1
    page.close()
