"""Only the site's own scripts run: every page carries a Content-Security-Policy, first in its
head, whose hashes are exactly those of its inline scripts (generator/csp.py).

Each built page is read back with Python's HTML parser, independently of the regular
expressions that wrote its policy; then Chromium loads every kind of page and uses it as a
reader does (search, palette, copy, disclosures, a random quote, a text-fragment link,
print) without one `securitypolicyviolation` or console error; and a script written into a
built page, inline or as an `onerror=` attribute, does not run.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote as percent

import pytest

from generator import csp
from generator.render import render_problems
from tests.serving import serve

# The policy, written out here rather than read from generator/csp.py: what it must allow.
EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],  # and the page's hashes
    "style-src": ["'self'"],  # and the page's style elements' hashes (none on a built page)
    "img-src": ["'self'", "data:"],
    "font-src": ["'none'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# A JavaScript MIME type, a module or an import map: what a browser runs (HTML, "the script's type").
RUN = {"", "text/javascript", "application/javascript", "module", "importmap"}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


class _Page(HTMLParser):
    """What the browser's parser finds: the head's first element, every inline script's type
    and text, every style element, and any attribute that is script or style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.first_in_head: tuple[str, dict[str, str | None]] | None = None
        self.policies: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.inline_attributes: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head and self.first_in_head is None:
            self.first_in_head = (tag, a)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(a.get("content") or "")
        if tag in ("script", "style"):
            self._open, self._text = (tag, a), ""
        self.inline_attributes += [f"<{tag} {k}=…>" for k in a if k.startswith("on") or k == "style"]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if self._open and tag == self._open[0]:
            if tag == "script":
                self.scripts.append((self._open[1], self._text))
            else:
                self.styles.append(self._text)
            self._open = None


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in found, f"{name} twice"
        found[name] = sources
    return found


def problems_of(html: str) -> list[str]:
    """What is wrong with a page's policy; nothing when it is exactly as it must be."""
    page = read(html)
    if len(page.policies) != 1:
        return [f"{len(page.policies)} policies"]
    problems = []
    if page.first_in_head is None or page.first_in_head[1].get("http-equiv") != "Content-Security-Policy":
        problems.append(f"the policy is not the head's first element: {page.first_in_head}")
    runs = [text for attrs, text in page.scripts if "src" not in attrs and (attrs.get("type") or "").lower() in RUN]
    expected = {name: list(sources) for name, sources in EXPECTED.items()}
    expected["script-src"] += sorted({sha256(text) for text in runs})
    expected["style-src"] += sorted({sha256(text) for text in page.styles})
    found = {
        name: sorted(sources, key=lambda s: (s.startswith("'sha256-"), s))
        for name, sources in directives(page.policies[0]).items()
    }
    if found != expected:
        problems.append(f"the policy is {found}, not {expected}")
    weak = [s for s in found.get("script-src", []) if s in ("'unsafe-inline'", "'unsafe-eval'", "*") or ":" in s]
    if weak:
        problems.append(f"script-src allows {weak}")
    if page.inline_attributes:
        problems.append(f"script or style in attributes, which the policy refuses: {page.inline_attributes[:3]}")
    return problems


def check_every_page(site: Path) -> int:
    pages = sorted(site.rglob("*.html"))
    problems = [f"{p.relative_to(site)}: {problem}" for p in pages for problem in problems_of(p.read_text("utf-8"))]
    assert not problems, "\n".join(problems[:20])
    return len(pages)


# --- The policy of every page, read back ------------------------------------------------


def test_every_page_of_the_real_site_has_its_exact_policy(built_site: Path) -> None:
    assert check_every_page(built_site) >= 125  # the quote, source and tag pages, /all/, 404 …


def test_every_page_of_the_small_site_has_its_exact_policy_redirects_too(small_site: Path) -> None:
    alias = small_site / "quotes" / "old-second-quote" / "index.html"
    assert "location.replace" in alias.read_text("utf-8")  # a redirect page, with a script of its own
    assert check_every_page(small_site) > 10


def test_a_quote_page_runs_materials_inline_scripts_and_carries_its_json_ld_unhashed(built_site: Path) -> None:
    page = read((built_site / "quotes" / "weight-decay" / "index.html").read_text("utf-8"))
    types = [attrs.get("type") for attrs, _ in page.scripts if "src" not in attrs]
    assert types.count(None) >= 2  # Material's scope and palette scripts: hashed
    assert "application/ld+json" in types and "application/json" in types  # data blocks: not hashed
    ld = next(text for attrs, text in page.scripts if attrs.get("type") == "application/ld+json")
    assert sha256(ld) not in page.policies[0]


def test_the_page_of_problems_allows_its_own_script_and_style_and_nothing_else() -> None:
    assert problems_of(render_problems(())) == []
    html = render_problems(())
    assert html.count("'sha256-") == 2


def test_a_script_in_a_comment_or_a_data_block_gets_no_hash_and_a_module_does() -> None:
    page = (
        "<!doctype html><html><head><title>t</title></head><body>"
        "<!-- <script>commented()</script> -->"
        '<script type="application/ld+json">{"a":1}</script>'
        '<script type="module">moduled()</script>'
        "<SCRIPT>upper()</SCRIPT >"
        '<script src="x.js"></script>'
        "<style>p{}</style></body></html>"
    )
    result = csp.with_policy(page)
    assert problems_of(result) == []
    policy = directives(read(result).policies[0])
    assert sorted(policy["script-src"][1:]) == sorted([sha256("moduled()"), sha256("upper()")])
    assert policy["style-src"][1:] == [sha256("p{}")]


def test_a_page_is_given_one_policy_only() -> None:
    page = csp.with_policy("<html><head></head><body></body></html>")
    with pytest.raises(csp.PolicyError):
        csp.with_policy(page)
    with pytest.raises(csp.PolicyError):
        csp.with_policy("<html><body>no head</body></html>")


# --- In a browser -----------------------------------------------------------------------


@contextmanager
def watched(browser: Any, site_url: str) -> Iterator[tuple[Any, list[str]]]:
    """A page whose every policy violation, console error and uncaught error is recorded, on
    every document it loads. Requests to other hosts are refused (no network in a test)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, permissions=["clipboard-read", "clipboard-write"]
    )
    seen: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    context.expose_binding("__nnViolation", lambda source, v: seen.append(f"violation: {v}"))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.__nnViolation("
        "[e.effectiveDirective, e.blockedURI, e.sourceFile + ':' + e.lineNumber, e.sample].join(' ')))"
    )
    page = context.new_page()
    page.on("console", lambda m: seen.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"uncaught: {e}"))
    try:
        yield page, seen
    finally:
        context.close()


def use_everywhere(page: Any) -> None:
    """What every page offers: search with results, the palette both ways, and print."""
    page.click(".md-search__input")
    page.keyboard.type("grokking")
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Escape")
    page.click("label[title='Switch to dark mode']:visible")
    page.click("label[title='Switch to light mode']:visible")
    page.emulate_media(media="print")
    page.pdf(format="A4")
    page.emulate_media(media="screen")


def copy(page: Any, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_function("() => document.getElementById('nn-announce').textContent.length > 0")


KINDS = {
    "home": "",
    "part": "parts/the-phenomenon-of-grokking/",
    "quote": "quotes/weight-decay/",
    "source": "sources/axrp-podcast/",
    "tag": "tags/grokking/",
    "sources": "sources/",
    "tags": "tags/",
    "about": "about/",
    "data": "data/",
    "all": "all/",
    "404": "quotes/weight-decai/",
}


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_page_in_use_breaks_no_rule_of_its_policy(browser: Any, site_url: str, kind: str) -> None:
    with watched(browser, site_url) as (page, seen):
        page.goto(site_url + KINDS[kind], wait_until="networkidle")
        if kind in ("part", "source", "tag"):
            page.locator("details.nn-record summary").first.click()
            copy(page, "button.nn-copy-link")
        elif kind == "home":
            before = page.inner_text(".nn-random-text")
            page.click("button.nn-another")
            page.wait_for_function(f"() => document.querySelector('.nn-random-text').textContent !== {before!r}")
        elif kind == "quote":
            copy(page, "button[data-copy-from='cite-bibtex']")
            text = page.inner_text(".nn-claim .nn-text")
            start = " ".join(text.split()[:4])
            page.goto(f"{site_url}{KINDS[kind]}#:~:text={percent(start, safe='')}", wait_until="networkidle")
        elif kind == "404":
            page.locator("#nn-suggestions a").first.wait_for()  # from quote-ids.json
        use_everywhere(page)
        page.wait_for_load_state("networkidle")
    if kind == "404":  # the browser reports the page's own 404 status as an error
        seen = [s for s in seen if "status of 404" not in s]
    assert seen == [], "\n".join(seen)


@pytest.mark.browser
def test_renamed_and_moved_quotes_redirect_under_the_policy(browser: Any, small_site_url: str) -> None:
    with watched(browser, small_site_url) as (page, seen):
        page.goto(f"{small_site_url}quotes/old-second-quote/")
        page.wait_for_url(f"{small_site_url}quotes/second-quote/")
        page.goto(f"{small_site_url}parts/first-part/#third-quote")
        page.wait_for_url(f"{small_site_url}quotes/third-quote/")
        page.wait_for_load_state("networkidle")
    assert seen == [], "\n".join(seen)


@pytest.mark.browser
def test_a_record_fetched_into_a_long_source_page_breaks_no_rule(browser: Any, long_source_site: str) -> None:
    with watched(browser, long_source_site) as (page, seen):
        page.goto(long_source_site + "sources/talk/", wait_until="networkidle")
        quote = page.locator("li:has(a[href$='#q7']) details.nn-record")
        quote.locator("summary").click()
        quote.locator(".nn-passage-text").wait_for()
        page.wait_for_load_state("networkidle")
    assert seen == [], "\n".join(seen)


@pytest.fixture(scope="module")
def tampered_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of a built quote page into which markup slipped, after its policy was written."""
    root = tmp_path_factory.mktemp("tampered")
    for name in ("assets", "search"):
        shutil.copytree(built_site / name, root / name)
    html = (built_site / "quotes" / "weight-decay" / "index.html").read_text("utf-8")
    slipped = (
        "<script>window.__pwned = 'inline script'</script>"
        "<img src=x onerror=\"window.__pwned = 'onerror'\">"
        "<svg onload=\"window.__pwned = 'onload'\"></svg>"
        "<a id=nn-js href=\"javascript:window.__pwned = 'link'\">x</a>"
        '<object data="data:text/html,<script>parent.__pwned=1</script>"></object>'
    )
    html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + slipped, 1)
    html = html.replace('<p class="nn-text">', slipped + '<p class="nn-text">', 1)
    (root / "quotes" / "weight-decay").mkdir(parents=True)
    (root / "quotes" / "weight-decay" / "index.html").write_text(html, "utf-8")
    with serve(root) as url:
        yield url


@pytest.mark.browser
def test_a_script_slipped_into_a_built_page_does_not_run(browser: Any, tampered_site: str) -> None:
    with watched(browser, tampered_site) as (page, seen):
        page.goto(tampered_site + "quotes/weight-decay/", wait_until="networkidle")
        page.click("#nn-js")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        # Refused by the policy, not merely inert: the browser says so.
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"  # Material's ran
    violations = [s for s in seen if s.startswith("violation: ")]
    assert any(v.startswith("violation: script-src-elem inline") for v in violations), seen
    assert any(v.startswith("violation: script-src-attr inline") for v in violations), seen
    assert any(v.startswith("violation: object-src") for v in violations), seen


@pytest.fixture(scope="module")
def unescaped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small corpus built by a copy of the generator whose templates print a quote's text
    without escaping it, as if an escape were missed, with a quote text that is a script: the
    policy is computed while building, so this is what it is there for."""
    from tests.conftest import FIXTURE_CORPUS
    from tests.serving import ROOT, build, site_root

    tmp = tmp_path_factory.mktemp("unescaped")
    data = tmp / "data"
    shutil.copytree(FIXTURE_CORPUS / "data", data)
    part = data / "parts" / "01-first-part.yaml"
    slipped = "<script>window.__slipped = 1</script>"
    part.write_text(part.read_text("utf-8").replace('text: "The first quote."', f'text: "{slipped}"', 1), "utf-8")
    root = site_root(tmp, data)
    (root / "generator").unlink()
    shutil.copytree(ROOT / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    for name, escaped in (
        ("_quote.html.j2", "{{ quote.text | esc(markdown) }}"),
        ("quote.html.j2", "{{ quote.text | html }}"),
    ):
        template = root / "generator" / "templates" / name
        source = template.read_text("utf-8")
        assert escaped in source, f"{name} no longer escapes the text this way: update this test"
        template.write_text(source.replace(escaped, "{{ quote.text }}"), "utf-8")
    out = tmp / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stderr
    assert slipped in (out / "quotes" / "first-quote" / "index.html").read_text("utf-8")  # the escape was missed
    with serve(out) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("path", ["parts/first-part/", "quotes/first-quote/", "sources/blog/"])
def test_a_script_that_slipped_into_the_corpus_text_of_a_build_does_not_run(
    browser: Any, unescaped_site: str, path: str
) -> None:
    with watched(browser, unescaped_site) as (page, seen):
        page.goto(unescaped_site + path, wait_until="networkidle")
        assert page.evaluate("window.__slipped") is None
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"  # Material's ran
    assert any(v.startswith("violation: script-src-elem inline") for v in seen), seen
