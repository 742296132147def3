"""A verbatim quote is his, and says so, wherever it travels; every other quote is only
attributed to him. The real corpus has no verbatim quote yet, so the small test corpus has
one (`second-quote`, with its record): these tests take each way a quote leaves the site
through both branches, with the expected words written here.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from pathlib import Path

import extruct
import pytest
from pybtex.database import parse_string

from generator import epub, pipeline
from generator.model import Collection, Site
from tests.conftest import FIXTURE_CORPUS

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "https://lessons-from-neel-nanda.github.io/"  # mkdocs.yml's default site_url, which the test build keeps
VERBATIM, PARAPHRASE, DISPUTED = "second-quote", "first-quote", "third-quote"
EXPECTED_VERBATIM = "Verbatim: the exact words, checked against the place cited."


@pytest.fixture(scope="module")
def collection() -> Collection:
    collection = pipeline.check(FIXTURE_CORPUS)[0]
    statuses = {q.id: q.status for q in collection.quotes()}
    assert statuses == {PARAPHRASE: "paraphrase", VERBATIM: "verbatim", DISPUTED: "disputed"}
    return collection


def page(small_site: Path, quote_id: str) -> str:
    return (small_site / "quotes" / quote_id / "index.html").read_text("utf-8")


def test_the_feed_titles_a_verbatim_quote_plainly_and_credits_it_to_him(small_site: Path) -> None:
    entries = {
        (e.findtext(f"{ATOM}id") or "").removeprefix(SITE + "quotes/").strip("/"): e
        for e in ET.parse(small_site / "feed.xml").getroot().findall(f"{ATOM}entry")
    }
    verbatim = entries[VERBATIM]
    assert verbatim.findtext(f"{ATOM}title") == "On Second Quote"
    assert verbatim.findtext(f"{ATOM}content") == (
        "The second quote.\n\n— Ada Example, according to A Podcast. " + EXPECTED_VERBATIM + "\n\n"
        "On the record, Ada Example's own words:\n\n"
        "“The second quote.” — A Podcast, episode 1 [00:12:34]. https://example.org/podcast/episode-1"
        " Not yet checked at the source."
    )
    assert entries[DISPUTED].findtext(f"{ATOM}title") == "On Third Quote (disputed)"
    assert (entries[DISPUTED].findtext(f"{ATOM}content") or "").startswith(
        "The third quote.\n\n— attributed to Ada Example, according to Ada's Blog. Disputed:"
    )


def json_ld(small_site: Path, quote_id: str) -> dict[str, object]:
    html = page(small_site, quote_id)
    data = extruct.extract(html, base_url=f"{SITE}quotes/{quote_id}/", syntaxes=["json-ld"], uniform=True)
    main: dict[str, object] = data["json-ld"][0]["mainEntity"]
    return main


def test_json_ld_makes_him_the_creator_of_a_verbatim_quote_only(small_site: Path) -> None:
    main = json_ld(small_site, VERBATIM)
    assert main["creator"] == {"@type": "Person", "name": "Ada Example"}
    assert main["creativeWorkStatus"] == "verbatim"
    assert (
        main["description"] == "Ada Example, in A Podcast: verbatim: the exact words, checked against the place cited."
    )
    for other in (PARAPHRASE, DISPUTED):
        main = json_ld(small_site, other)
        assert "creator" not in main, other
        assert str(main["description"]).startswith("Attributed to Ada Example by "), other


def citations(small_site: Path, quote_id: str) -> tuple[str, str]:
    html = page(small_site, quote_id)

    def pre(name: str) -> str:
        return unescape(html.split(f'id="{name}">', 1)[1].split("</pre>", 1)[0])

    return pre("cite-text"), pre("cite-bibtex")


def test_the_citations_of_a_verbatim_quote_name_him_as_its_author(small_site: Path) -> None:
    plain, bib = citations(small_site, VERBATIM)
    assert plain == (
        "“The second quote.” — Ada Example, on Second Quote, according to A Podcast (verbatim: the exact words, "
        f"checked against the place cited). Test Collection, {SITE}quotes/second-quote/\n"
        "On the record: Ada Example, A Podcast, episode 1 [00:12:34], https://example.org/podcast/episode-1"
        " (not yet checked at the source)"
    )
    entry = parse_string(bib, "bibtex").entries["second_quote"]
    assert [str(p) for p in entry.persons["author"]] == ["Example, Ada"]
    assert entry.fields["title"] == "On Second Quote"
    assert entry.fields["note"].startswith("Ada Example, in A Podcast; verbatim: the exact words")
    plain, bib = citations(small_site, DISPUTED)
    assert "— attributed to Ada Example, on Third Quote" in plain
    entry = parse_string(bib, "bibtex").entries["third_quote"]
    assert "author" not in entry.persons and entry.fields["title"] == "On Third Quote (attributed; disputed)"


def test_quotes_json_gives_the_attribution_by_status(small_site: Path) -> None:
    rows = {q["id"]: q for q in json.loads((small_site / "quotes.json").read_text("utf-8"))["quotes"]}
    assert rows[VERBATIM]["attribution"] == "Ada Example"
    assert rows[PARAPHRASE]["attribution"] == rows[DISPUTED]["attribution"] == "attributed to Ada Example"


def test_a_verbatim_quotes_page_and_preview_credit_him_plainly(small_site: Path) -> None:
    html = page(small_site, VERBATIM)
    assert '<meta property="og:title" content="On Second Quote — Ada Example">' in html
    assert "<figcaption>— Ada Example, according to" in html
    assert "<title>On Second Quote - " in html  # no status in the title of his own words
    other = page(small_site, DISPUTED)
    assert '<meta property="og:title" content="On Third Quote — disputed, attributed to Ada Example">' in other
    assert "<title>On Third Quote (disputed) - " in other


def test_the_epub_credits_a_verbatim_quote_to_him_and_the_others_as_attributed(collection: Collection) -> None:
    book = zipfile.ZipFile(io.BytesIO(epub.render_epub(collection, Site(SITE, "Test"), "2024-01-01T00:00:00Z")))
    articles = {
        a.attrib["id"]: a
        for name in book.namelist()
        if name.endswith(".xhtml")
        for a in ET.fromstring(book.read(name)).iter(f"{XHTML}article")
    }

    def attribution(quote_id: str) -> str:
        article = articles[f"q-{quote_id}"]
        found = [e for e in article.iter() if "attribution" in e.attrib.get("class", "").split()]
        assert len(found) == 1
        return "".join(found[0].itertext())

    assert attribution(VERBATIM) == "Ada Example"
    assert attribution(PARAPHRASE) == attribution(DISPUTED) == "attributed to Ada Example"
    verbatim = "".join(articles[f"q-{VERBATIM}"].itertext())
    assert "Verbatim: the exact words, checked against the place cited" in verbatim
    assert "The second quote." in verbatim and "A Podcast, episode 1 [00:12:34]" in verbatim
