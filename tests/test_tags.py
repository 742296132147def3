"""Tags: on every quote, a tags page with counts, a page per tag, none in the search index."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator import pipeline
from tests.conftest import ROOT

COLLECTION, _ = pipeline.check(ROOT)


def test_every_quote_has_a_few_tags() -> None:
    for quote in COLLECTION.quotes():
        assert 2 <= len(quote.tags) <= 4, quote.id


def test_tags_page_lists_every_tag_with_its_count(built_site: Path) -> None:
    html = (built_site / "tags" / "index.html").read_text("utf-8")
    listed = re.findall(r'href="([a-z0-9-]+)/">[^<]+</a> <span class="nn-count">(\d+) quotes?', html)
    assert {tag: int(n) for tag, n in listed} == {t: len(q) for t, q in COLLECTION.tags().items()}


def test_each_tag_page_links_its_quotes_to_their_places(built_site: Path) -> None:
    for tag, quotes in COLLECTION.tags().items():
        html = (built_site / "tags" / tag / "index.html").read_text("utf-8")
        links = re.findall(r'href="\.\./\.\./parts/([^/]+)/#([^"]+)"', html)
        assert links == [(q.part_id, q.id) for q in quotes], tag


def test_tags_appear_on_each_quote_of_its_part_page(built_site: Path) -> None:
    for part in COLLECTION.parts:
        html = (built_site / "parts" / part.id / "index.html").read_text("utf-8")
        sections = html.split('<div class="nn-quote">')[1:]
        for quote, section in zip(part.quotes, sections, strict=True):
            assert re.findall(r'href="\.\./\.\./tags/([a-z0-9-]+)/"', section) == list(quote.tags)


def test_tag_pages_stay_out_of_the_search_index(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith("tags/")]
