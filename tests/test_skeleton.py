"""The quote pages: one page MkDocs rendered, with each quote's parts filled in."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import pipeline
from generator.provenance import html_title
from generator.skeleton import SKELETONS, Skeleton, SkeletonError, lean_pages, sitemap, skeleton_html, sprite, spritify
from generator.templating import html as html_escape
from tests.conftest import ROOT

COLLECTION, _ = pipeline.check(ROOT)

PAGE = """<html><head>nnslotmeta<title>nnslothtmltitle - Site</title></head>
<body><a href="#nnslotanchor">Skip</a>
      <header>nnslottitle</header>


      <a href="nnslotedit">Edit</a><h1 id="nnslotanchor">nnslottitle</h1>
<p>nnslotbody</p><ul>nnslottoc</ul></body></html>"""


def test_every_slot_is_filled_once_and_a_value_naming_a_slot_stays_as_written() -> None:
    values = {
        "head": "<meta>",
        "title": "nnslotbody &amp; nnslottitle",
        "html_title": "nnslottitle (disputed)",
        "anchor": "a",
        "body": "<p>B</p>",
        "edit": "E",
        "toc": "<li>T</li>",
    }
    html = Skeleton.parse(PAGE).fill(values)
    assert html == (
        "<html><head><meta><title>nnslottitle (disputed) - Site</title></head>\n"
        '<body><a href="#a">Skip</a>\n<header>nnslotbody &amp; nnslottitle</header>\n'
        '<a href="E">Edit</a><h1 id="a">nnslotbody &amp; nnslottitle</h1>\n<p>B</p><ul><li>T</li></ul></body></html>'
    )


def test_a_skeleton_that_lost_a_slot_is_refused() -> None:
    with pytest.raises(SkeletonError, match=r"lacks the slots \['body'\]"):
        Skeleton.parse(PAGE.replace("<p>nnslotbody</p>", "<p>gone</p>"))


def test_a_slot_the_theme_changed_is_refused_not_shipped() -> None:
    with pytest.raises(SkeletonError, match="changed on its way"):
        Skeleton.parse(PAGE + '<a href="#nnslotanchor_1">')


def test_the_sitemap_swaps_the_skeletons_for_every_page_made_from_them() -> None:
    def url(loc: str) -> str:
        return f"    <url>\n         <loc>{loc}</loc>\n         <lastmod>2026-01-02</lastmod>\n    </url>\n"

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n'
        + url("https://x.org/")
        + url("https://x.org/quotes/nnslotpage/")
        + url("https://x.org/parts/p/")
        + url("https://x.org/tags/nnslotpage/")
        + "</urlset>"
    )
    skeletons = ["https://x.org/quotes/nnslotpage/", "https://x.org/tags/nnslotpage/"]
    out = sitemap(xml, skeletons, ["https://x.org/quotes/a/", "https://x.org/tags/b&c/"])
    assert re.findall("<loc>(.*?)</loc>", out) == [
        "https://x.org/",
        "https://x.org/quotes/a/",
        "https://x.org/tags/b&amp;c/",
        "https://x.org/parts/p/",
    ]
    assert out.count("<lastmod>2026-01-02</lastmod>") == 4
    assert "nnslot" not in out
    with pytest.raises(SkeletonError, match="lacks an entry"):
        sitemap(xml, [*skeletons, "https://x.org/sources/nnslotpage/"], [])


def test_pages_edit_their_data_file_and_a_tag_page_has_no_edit_link() -> None:
    from generator.lean import render_lean_pages
    from generator.model import Site

    site = Site("https://x.org/", "X")
    frames = {True: Skeleton.parse(PAGE, edit=True), False: Skeleton.parse(PAGE.replace("nnslotedit", "none"))}
    pages = dict(lean_pages(render_lean_pages(COLLECTION, site), frames, "https://e/"))
    first = next(COLLECTION.quotes())
    assert f'<a href="https://e/{first.file}">Edit</a>' in pages[f"quotes/{first.id}/index.html"]
    source = COLLECTION.sources[0]
    assert '<a href="https://e/data/sources.yaml">Edit</a>' in pages[f"sources/{source.id}/index.html"]
    tag = next(iter(COLLECTION.tags()))
    assert '<a href="none">Edit</a>' in pages[f"tags/{tag}/index.html"]
    without = dict(lean_pages(render_lean_pages(COLLECTION, site), frames, None))
    assert '<a href="none">Edit</a>' in without[f"quotes/{first.id}/index.html"]


def test_a_skeleton_for_editable_pages_must_have_the_edit_slot() -> None:
    with pytest.raises(SkeletonError, match=r"lacks the slots \['edit'\]"):
        Skeleton.parse(PAGE.replace("nnslotedit", "none"), edit=True)


def test_the_built_site_has_every_page_and_no_trace_of_the_skeletons(built_site: Path) -> None:
    for src in SKELETONS.values():
        assert not (built_site / skeleton_html(src)).exists()
    for path in built_site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".svg"}:
            assert "nnslot" not in path.read_text("utf-8"), path
    site = pipeline.site_of(ROOT)
    locs = re.findall("<loc>(.*?)</loc>", (built_site / "sitemap.xml").read_text("utf-8"))
    assert len(locs) == len(set(locs))
    for quote in COLLECTION.quotes():
        html = (built_site / "quotes" / quote.id / "index.html").read_text("utf-8")
        assert f"<title>{html_escape(html_title(quote))} - " in html
        assert "<h1 id=" in html and f">{html_escape('On ' + quote.topic)}<" in html
        assert site.quote_url(quote.id) in locs
    for source in COLLECTION.sources:
        assert (built_site / "sources" / source.id / "index.html").is_file()
        assert f"{site.url}sources/{source.id}/" in locs
    for tag in COLLECTION.tags():
        assert (built_site / "tags" / tag / "index.html").is_file()
        assert f"{site.url}tags/{tag}/" in locs


def test_each_inline_icon_becomes_one_symbol_of_the_sprite_that_every_page_shares() -> None:
    magnify = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1"/></svg>'
    git = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 448 512"><!-- licence --><path d="M2"/></svg>'
    page, symbols = spritify(f"<a>{magnify}</a><b>{git}</b><label>{magnify}</label>", "../../")
    assert len(symbols) == 2
    use = r'<svg viewBox="([^"]+)" aria-hidden="true"><use href="\.\./\.\./assets/nn-icons\.svg#(\w+)"></use></svg>'
    uses = re.findall(use, page)
    assert [box for box, _ in uses] == ["0 0 24 24", "0 0 448 512", "0 0 24 24"]
    assert uses[0][1] == uses[2][1] != uses[1][1]
    assert "<path" not in page
    held = sprite(symbols)
    assert held.startswith('<svg xmlns="http://www.w3.org/2000/svg"><symbol id=') and held.endswith("</svg>\n")
    assert f'<symbol id="{uses[1][1]}" viewBox="0 0 448 512"><!-- licence --><path d="M2"/></symbol>' in held
    assert sprite(dict(reversed(symbols.items()))) == held  # the same bytes whatever the order found


def test_every_icon_a_quote_page_uses_is_in_the_built_sprite(built_site: Path) -> None:
    html = (built_site / "quotes" / "weight-decay" / "index.html").read_text("utf-8")
    used = set(re.findall(r'nn-icons\.svg#([\w-]+)"', html))
    held = set(re.findall(r'<symbol id="([\w-]+)"', (built_site / "assets" / "nn-icons.svg").read_text("utf-8")))
    assert used and used <= held
    assert "<svg xmlns" not in html  # no icon inlined anywhere in the page


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for name in ("href", "src", "data-href"):
            if a.get(name):
                self.hrefs.append(str(a[name]))


def test_every_link_on_the_pages_made_after_mkdocs_leads_somewhere(built_site: Path) -> None:
    # MkDocs checks the links of the pages it renders (validation: anchors); these it never sees.
    parsed: dict[Path, _Links] = {}

    def parse(page: Path) -> _Links:
        if page not in parsed:
            parsed[page] = _Links()
            parsed[page].feed(page.read_text("utf-8"))
        return parsed[page]

    pages = [p for d in ("quotes", "sources", "tags") for p in (built_site / d).glob("*/index.html")]
    checked = 0
    for page in pages:
        for href in parse(page).hrefs:
            if "://" in href or href.startswith("mailto:"):
                continue
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(built_site)} links to {href}, which is not there"
            if anchor and target.suffix == ".html":
                assert anchor in parse(target).ids, f"{page.relative_to(built_site)} links to {href}: no such anchor"
            checked += 1
    assert checked > 20 * len(pages)


def test_a_site_url_mkdocs_escapes_in_the_sitemap_is_still_found() -> None:
    xml = "<urlset>\n    <url>\n         <loc>https://x.org/a&amp;b/quotes/nnslot_page/</loc>\n    </url>\n</urlset>"
    out = sitemap(xml, ["https://x.org/a&b/quotes/nnslot_page/"], ["https://x.org/a&b/quotes/q/"])
    assert re.findall("<loc>(.*?)</loc>", out) == ["https://x.org/a&amp;b/quotes/q/"]


@pytest.mark.parametrize(
    ("site_url", "features"),
    [("", None), ("https://example.org/a&b/", None), ("https://example.org/", ["search.highlight"])],
    ids=["no site_url", "site_url with &", "no edit feature"],
)
def test_the_site_builds_without_a_site_url_with_an_odd_one_and_without_edit_links(
    tmp_path: Path, small_corpus: Path, site_url: str, features: list[str] | None
) -> None:
    import os

    from tests.serving import build, site_root

    root = site_root(tmp_path / "work", small_corpus / "data")
    if features is not None:
        config = (root / "mkdocs.yml").read_text("utf-8")
        config = config.replace("    - content.action.edit\n", "")
        (root / "mkdocs.yml").write_text(config, "utf-8")
    os.environ["SITE_URL"] = site_url
    try:
        result = build(root, tmp_path / "site")
    finally:
        del os.environ["SITE_URL"]
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "quotes" / "first-quote" / "index.html").read_text("utf-8")
    assert ('rel="edit"' in page) == (features is None)
    assert not (tmp_path / "site" / "quotes" / "nnslot_page").exists()
