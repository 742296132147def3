"""The real corpus through `mkdocs build --strict`: every page, anchor and search entry."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator import pipeline
from tests.conftest import ROOT

COLLECTION, _ = pipeline.check(ROOT)


def test_one_page_per_part_and_per_source(built_site: Path) -> None:
    parts = sorted(p.name for p in (built_site / "parts").iterdir())
    sources = sorted(p.name for p in (built_site / "sources").iterdir() if p.is_dir())
    assert parts == sorted(p.id for p in COLLECTION.parts)
    assert sources == sorted(s.id for s in COLLECTION.sources)
    assert len(parts) == 8
    assert len(sources) == 11
    assert (built_site / "index.html").is_file()
    assert (built_site / "about" / "index.html").is_file()


def test_every_quote_is_a_heading_anchor_on_its_part_page(built_site: Path) -> None:
    for part in COLLECTION.parts:
        html = (built_site / "parts" / part.id / "index.html").read_text("utf-8")
        ids = re.findall(r'<h2 id="([^"]+)"', html)
        assert ids == [q.id for q in part.quotes]


def test_search_index_holds_each_quote_once_at_its_section(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    for quote in COLLECTION.quotes():
        assert locations.count(f"parts/{quote.part_id}/#{quote.id}") == 1, quote.id
    # Source pages repeat the quotes' topics; they stay out of the index so each quote is found once.
    assert not [loc for loc in locations if loc.startswith("sources/")]
    quote_entries = [loc for loc in locations if "#" in loc and loc.startswith("parts/")]
    assert len(quote_entries) == 75


def test_every_quote_has_exactly_one_search_hit(built_site: Path) -> None:
    """The words of each quote are in one entry of the index: its own section, not also the
    home page's sample quote, a record disclosure or any other page."""
    from html import unescape

    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    texts = [(doc["location"], unescape(re.sub(r"<[^>]+>", "", doc["text"]))) for doc in index["docs"]]
    for quote in COLLECTION.quotes():
        hits = [location for location, text in texts if quote.text in text]
        assert hits == [f"parts/{quote.part_id}/#{quote.id}"], quote.id
    assert len(COLLECTION.parts) and sum(1 for _ in COLLECTION.quotes()) == 75


def test_source_page_links_each_of_its_quotes_to_its_place(built_site: Path) -> None:
    for source in COLLECTION.sources:
        html = (built_site / "sources" / source.id / "index.html").read_text("utf-8")
        links = re.findall(r'href="\.\./\.\./parts/([^/]+)/#([^"]+)"', html)
        assert links == [(q.part_id, q.id) for q in COLLECTION.by_source()[source.id]]


def test_reading_the_site_asks_no_other_host_for_fonts(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page


def test_home_lists_parts_with_their_quote_counts(built_site: Path) -> None:
    html = (built_site / "index.html").read_text("utf-8")
    for part in COLLECTION.parts:
        assert f'<a href="parts/{part.id}/">' in html
        assert f"{len(part.quotes)} quotes" in html


def test_every_quote_page_card_exists_and_is_a_1200x630_png(built_site: Path) -> None:
    from PIL import Image

    site = pipeline.site_of(ROOT)
    for quote in COLLECTION.quotes():
        html = (built_site / "quotes" / quote.id / "index.html").read_text("utf-8")
        image_url = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        assert image_url is not None, quote.id
        assert image_url[1] == f"{site.url}cards/{quote.id}.png"
        with Image.open(built_site / "cards" / f"{quote.id}.png") as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))


def test_a_rebuild_that_changes_nothing_draws_no_card(small_corpus: Path) -> None:
    from generator.model import Site

    site = Site("https://example.org/", "Test")
    first = pipeline.build(small_corpus, site)
    again = pipeline.build(small_corpus, site)
    assert (first.cards_drawn, again.cards_drawn) == (3, 0)
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text().replace("The third quote.", "The third quote, edited."))
    edited = pipeline.build(small_corpus, site)
    assert edited.cards_drawn == 1
    # Only what shows the edited text: its part, the whole collection's page and the exports,
    # and one card drawn into the cache. (Its quote page is made after MkDocs has run, into
    # site/: generator/skeleton.py.)
    assert edited.cards["cards/third-quote.png"] != first.cards["cards/third-quote.png"]
    assert edited.cards["cards/first-quote.png"] == first.cards["cards/first-quote.png"]
    assert sorted(edited.written.written) == [
        "all.md",
        "feed.xml",
        "parts/second-part.md",
        "quotes.json",
    ]


def test_edit_links_of_generated_pages_open_their_yaml(built_site: Path) -> None:
    def edit_link(page: str) -> str | None:
        found = re.search(r'href="([^"]+)" title="Edit this page"', (built_site / page).read_text("utf-8"))
        return found[1] if found else None

    part = COLLECTION.parts[1]
    assert (edit_link(f"parts/{part.id}/index.html") or "").endswith(f"/edit/main/{part.file}")
    assert (edit_link(f"quotes/{part.quotes[0].id}/index.html") or "").endswith(f"/edit/main/{part.file}")
    assert (edit_link("sources/axrp-podcast/index.html") or "").endswith("/edit/main/data/sources.yaml")
    assert (edit_link("index.html") or "").endswith("/edit/main/data/collection.yaml")
    assert (edit_link("data/index.html") or "").endswith("/edit/main/docs/data.md")  # hand-written
