"""Accessibility, privacy and page metadata of every kind of page, in a real headless Chromium.

axe-core (bundled in the axe-playwright-python package) checks each kind of page in light
and in dark mode, at desktop and at phone width; another test fails on any request to a
host other than the local server; a third reads every built HTML page for `lang` and a
meta description.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator import pipeline
from tests.conftest import ROOT

# Every kind of page, by name, and its address below the site's root.
PAGES: dict[str, str] = {
    "home": "",
    "part": "parts/the-phenomenon-of-grokking/",
    "source": "sources/axrp-podcast/",
    "quote": "quotes/weight-decay/",
    "about": "about/",
    "tags": "tags/",
    "tag": "tags/grokking/",
    "all": "all/",
    "404": "quotes/weight-decai/",  # close to a quote's address, so the page suggests it
}
SCHEMES = ("light", "dark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def axe_script() -> Path:
    """axe-core as the PyPI package axe-playwright-python bundles it (a dev dependency)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    assert spec is not None and spec.origin is not None, "axe-playwright-python is not installed: make install"
    return Path(spec.origin).parent / "axe.min.js"


def is_local(url: str, site_url: str) -> bool:
    """A request the page may make: to the local server, or one that never leaves the browser."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.netloc == urlsplit(site_url).netloc


@contextmanager
def open_page(
    browser: Any,
    site_url: str,
    kind: str,
    scheme: str = "light",
    viewport: dict[str, int] | None = None,
    *,
    suffix: str = "",
) -> Iterator[Any]:
    """A fresh browser context showing the page of `kind` (its address + `suffix`), settled, in
    the colour scheme asked for. Requests to other hosts are refused, so that what is checked
    never depends on the network (test_no_request_leaves_the_local_server counts them instead).
    """
    context = browser.new_context(
        viewport=viewport or DESKTOP,
        color_scheme="dark" if scheme == "dark" else "light",
        reduced_motion="reduce",
    )
    try:
        context.route(
            "**/*", lambda route: route.continue_() if is_local(route.request.url, site_url) else route.abort()
        )
        page = context.new_page()
        response = page.goto(site_url + PAGES[kind] + suffix, wait_until="load")
        expected = 404 if kind == "404" else 200
        assert response is not None
        assert response.status == expected, f"{kind} page {PAGES[kind]!r} answered {response.status}, not {expected}"
        if kind == "404":
            page.locator("#nn-suggestions a").first.wait_for()  # filled in from quotes.json
        actual = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert actual == ("slate" if scheme == "dark" else "default"), f"{scheme} mode shows scheme {actual!r}"
        yield page
    finally:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated, not added as a <script> element, which the page's policy would refuse.
        page.evaluate(axe_script().read_text("utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """Each violation as: rule (impact): what it asks, then each element's selector and what is wrong."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_axe_violations(browser: Any, site_url: str, kind: str, scheme: str) -> None:
    """Each kind of page at desktop width, then the same page narrowed to a phone's (Material's mobile layout)."""
    found = []
    with open_page(browser, site_url, kind, scheme, DESKTOP) as page:
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            violations = axe_violations(page)
            if violations:
                found.append(f"axe finds on the {kind} page, {scheme}, {width}:\n{describe(violations)}")
    assert not found, "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_on_a_linked_quote(browser: Any, site_url: str, scheme: str) -> None:
    """The quote a link points to is marked with a background: its text must still read."""
    with open_page(browser, site_url, "part", scheme, suffix="#weight-decay") as page:
        assert page.eval_on_selector(".nn-quote:has(:target) h2", "e => e.id") == "weight-decay"
        violations = axe_violations(page)
    assert not violations, f"axe finds on a linked quote, {scheme}:\n{describe(violations)}"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", ["part", "source", "tag"])
def test_no_axe_violations_with_every_record_disclosure_open(
    browser: Any, site_url: str, kind: str, scheme: str
) -> None:
    """His own words, opened under each quote: their colours, links and headings must hold too."""
    found = []
    with open_page(browser, site_url, kind, scheme, DESKTOP) as page:
        opened = page.eval_on_selector_all(
            "details.nn-record", "ds => ds.map(d => { d.open = true; return d; }).length"
        )
        assert opened > 0, f"the {kind} page has no record to open"
        page.locator(".nn-passage-text").first.wait_for()
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            violations = axe_violations(page)
            if violations:
                found.append(
                    f"axe finds with the records open on the {kind} page, {scheme}, {width}:\n{describe(violations)}"
                )
    assert not found, "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_where_search_marks_words(browser: Any, site_url: str, scheme: str) -> None:
    """A search result leads to its quote with ?h=: the words found are marked, and must still read."""
    with open_page(browser, site_url, "part", scheme, suffix="?h=grokking#weight-decay") as page:
        try:
            page.wait_for_function("() => document.querySelector('.md-content mark')", timeout=5000)
            marked = True
        except PlaywrightTimeout:
            marked = False
        assert marked, "search.highlight marks no word on a page reached from a search result (?h=grokking)"
        violations = axe_violations(page)
    assert not violations, f"axe finds on a page with marked words, {scheme}:\n{describe(violations)}"


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_in_open_search(browser: Any, site_url: str, scheme: str, width: str) -> None:
    with open_page(browser, site_url, "home", scheme, DESKTOP if width == "desktop" else PHONE) as page:
        page.keyboard.press("/")  # Material's shortcut: opens the search, where phone and desktop alike type
        page.keyboard.type("grokking")
        page.locator(".md-search-result__item").first.wait_for()
        violations = axe_violations(page)
    assert not violations, f"axe finds in the open search, {scheme}, {width}:\n{describe(violations)}"


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_request_leaves_the_local_server(browser: Any, site_url: str, kind: str) -> None:
    """Nothing a page loads (fonts, scripts, images, repository facts, analytics) comes from another host,
    and nothing it runs logs an error (which Lighthouse counts against best practices)."""
    context = browser.new_context(viewport=DESKTOP)
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.goto(site_url + PAGES[kind], wait_until="networkidle")
        # Searching loads the search index and worker: those must be local too.
        page.click(".md-search__input")
        page.keyboard.type("grokking")
        page.locator(".md-search-result__item").first.wait_for()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert requests, "no request seen at all: the listener is broken"
    others = sorted({url for url in requests if not is_local(url, site_url)})
    assert not others, f"the {kind} page asks other hosts:\n" + "\n".join(others)
    if kind == "404":  # the browser reports the page's own 404 status as an error
        errors = [e for e in errors if "status of 404" not in e]
    assert not errors, f"the {kind} page logs errors:\n" + "\n".join(errors)


class _Head(HTMLParser):
    """The language of the html element, the meta description, every img's attributes, and
    the image a link preview shows (og:image) with its declared size and text."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.description: str | None = None
        self.images: list[dict[str, str | None]] = []
        self.preview: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        elif tag == "meta" and (a.get("property") or "").startswith("og:image"):
            self.preview[a["property"] or ""] = a.get("content")
        elif tag == "img":
            self.images.append(a)


def test_every_page_has_a_language_a_description_and_sized_images(built_site: Path) -> None:
    """Every image a page shows (an img) or announces (a link preview's og:image) declares
    its size, and the size is the image's own; each has a text for those who cannot see it."""
    from PIL import Image

    site_url = pipeline.site_of(ROOT).url
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 75, f"only {len(pages)} pages built"
    problems = []
    images = 0
    for path in pages:
        head = _Head()
        head.feed(path.read_text("utf-8"))
        name = path.relative_to(built_site).as_posix()
        if head.lang != "en":
            problems.append(f'{name}: <html lang="{head.lang}">, not "en"')
        if not (head.description or "").strip():
            problems.append(f"{name}: no meta description")
        for img in head.images:
            images += 1
            if not (img.get("width") and img.get("height")):
                problems.append(f"{name}: <img src={img.get('src')!r}> has no width and height")
            if img.get("alt") is None:
                problems.append(f"{name}: <img src={img.get('src')!r}> has no alt")
        if "og:image" in head.preview:
            images += 1
            src = head.preview["og:image"] or ""
            declared = (head.preview.get("og:image:width"), head.preview.get("og:image:height"))
            if not src.startswith(site_url):
                problems.append(f"{name}: og:image {src!r} is not on the site")
                continue
            with Image.open(built_site / src.removeprefix(site_url)) as image:
                if declared != (str(image.width), str(image.height)):
                    problems.append(f"{name}: og:image is {image.width}×{image.height}, declared {declared}")
            if not (head.preview.get("og:image:alt") or "").strip():
                problems.append(f"{name}: og:image has no og:image:alt")
    assert not problems, "\n".join(problems)
    quotes = sum(1 for _ in pipeline.check(ROOT)[0].quotes())
    assert images >= quotes, f"only {images} images checked: every quote page announces its card"


def test_the_pages_checked_are_the_kinds_the_site_has(built_site: Path) -> None:
    """A kind of page that is renamed must be renamed here too, or its checks would test the 404 page."""
    missing = [
        kind for kind, path in PAGES.items() if kind != "404" and not (built_site / path / "index.html").is_file()
    ]
    assert not missing, "pages the checks visit but the build lacks: " + ", ".join(missing)
