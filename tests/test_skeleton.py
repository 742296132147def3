"""The quote pages: one page MkDocs rendered, with each quote's parts filled in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import pipeline
from generator.render import html as html_escape
from generator.skeleton import SKELETON_HTML, Skeleton, SkeletonError, quote_pages, sitemap, sprite
from tests.conftest import ROOT

COLLECTION, _ = pipeline.check(ROOT)

PAGE = """<html><head>nnslotmeta<title>nnslottitle - Site</title></head>
<body><a href="#nnslotanchor">Skip</a>
      <header>nnslottitle</header>


      <a href="nnslotedit">Edit</a><h1 id="nnslotanchor">nnslottitle</h1>
<p>nnslotbody</p></body></html>"""


def test_every_slot_is_filled_once_and_a_value_naming_a_slot_stays_as_written() -> None:
    values = {"head": "<meta>", "title": "nnslotbody &amp; nnslottitle", "anchor": "a", "body": "<p>B</p>", "edit": "E"}
    html = Skeleton.parse(PAGE).fill(values)
    assert html == (
        "<html><head><meta><title>nnslotbody &amp; nnslottitle - Site</title></head>\n"
        '<body><a href="#a">Skip</a>\n<header>nnslotbody &amp; nnslottitle</header>\n'
        '<a href="E">Edit</a><h1 id="a">nnslotbody &amp; nnslottitle</h1>\n<p>B</p></body></html>'
    )


def test_a_skeleton_that_lost_a_slot_is_refused() -> None:
    with pytest.raises(SkeletonError, match=r"lacks the slots \['body'\]"):
        Skeleton.parse(PAGE.replace("<p>nnslotbody</p>", "<p>gone</p>"))


def test_a_slot_the_theme_changed_is_refused_not_shipped() -> None:
    with pytest.raises(SkeletonError, match="changed on its way"):
        Skeleton.parse(PAGE + '<a href="#nnslotanchor_1">')


def test_the_sitemap_swaps_the_skeleton_for_every_quote_page() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n'
        "    <url>\n         <loc>https://x.org/</loc>\n         <lastmod>2026-01-02</lastmod>\n    </url>\n"
        "    <url>\n         <loc>https://x.org/quotes/nnslotpage/</loc>\n"
        "         <lastmod>2026-01-02</lastmod>\n    </url>\n"
        "</urlset>"
    )
    out = sitemap(xml, "https://x.org/quotes/nnslotpage/", ["https://x.org/quotes/a/", "https://x.org/quotes/b&c/"])
    assert re.findall("<loc>(.*?)</loc>", out) == [
        "https://x.org/",
        "https://x.org/quotes/a/",
        "https://x.org/quotes/b&amp;c/",
    ]
    assert out.count("<lastmod>2026-01-02</lastmod>") == 3
    assert "nnslot" not in out


def test_quote_pages_are_addressed_by_id_and_edit_their_part_file() -> None:
    from generator.model import Site
    from generator.render import render_quotes

    site = Site("https://x.org/", "X")
    pages = quote_pages(((q.id, p) for q, p in render_quotes(COLLECTION, site)), Skeleton.parse(PAGE), "https://e/")
    path, html = next(pages)
    first = next(COLLECTION.quotes())
    assert path == f"quotes/{first.id}/index.html"
    assert f'<a href="https://e/{first.file}">Edit</a>' in html


def test_the_built_site_has_a_page_per_quote_and_no_trace_of_the_skeleton(built_site: Path) -> None:
    assert not (built_site / SKELETON_HTML).exists()
    for path in built_site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            assert "nnslot" not in path.read_text("utf-8"), path
    site = pipeline.site_of(ROOT)
    locs = re.findall("<loc>(.*?)</loc>", (built_site / "sitemap.xml").read_text("utf-8"))
    assert len(locs) == len(set(locs))
    for quote in COLLECTION.quotes():
        html = (built_site / "quotes" / quote.id / "index.html").read_text("utf-8")
        assert f"<title>{html_escape('On ' + quote.topic)} - " in html
        assert site.quote_url(quote.id) in locs


def test_the_icon_sprite_holds_each_icon_the_quote_pages_use(tmp_path: Path) -> None:
    icons = tmp_path / ".icons" / "material"
    icons.mkdir(parents=True)
    (icons / "magnify.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1"/></svg>'
    )
    page = '<use href="../../assets/nn-icons.svg#material--magnify"></use>' * 2
    assert sprite(page, [tmp_path]) == (
        '<svg xmlns="http://www.w3.org/2000/svg"><symbol id="material--magnify" viewBox="0 0 24 24">'
        '<path d="M1"/></symbol></svg>\n'
    )
    with pytest.raises(SkeletonError, match="'material/nothing', which the theme does not have"):
        sprite('<use href="assets/nn-icons.svg#material--nothing">', [tmp_path])


def test_every_icon_a_quote_page_uses_is_in_the_built_sprite(built_site: Path) -> None:
    html = (built_site / "quotes" / "weight-decay" / "index.html").read_text("utf-8")
    used = set(re.findall(r'nn-icons\.svg#([\w-]+)"', html))
    held = set(re.findall(r'<symbol id="([\w-]+)"', (built_site / "assets" / "nn-icons.svg").read_text("utf-8")))
    assert used and used == held
    assert "<svg xmlns" not in html.split("<article")[0]  # no icon inlined in the header
