"""Hostile text in every field is shown exactly as written and never becomes markup or code.

The whole corpus below is built with the real `mkdocs build --strict` and read in
headless Chromium, where a payload that ran would set `window.__pwned`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from generator.model import Collection, Quote
from generator.problems import CorpusError
from generator.provenance import context_url, image_alt, social_title, summary
from tests.hostile import (
    HOSTILE,
    HOSTILE_URL,
    PWN,
    REFUSED_KEYS,
    REFUSED_URLS,
    single_line,
    write_hostile_corpus,
    write_refused_corpus,
)
from tests.serving import build, serve, site_root
from tests.test_browser import search
from tests.test_reports import assert_speaks_for_itself, run

ATOM = "{http://www.w3.org/2005/Atom}"

# Markdown in a record text (a link to http(s), `**`, a heading) is a curator mistake that a strict build
# refuses (tests/mistakes/record-markdown-strict.case), and this site is built strictly: those passages hold
# the nearest markup the rule lets through. The payloads themselves still reach a record text in the EPUB
# (tests/test_epub.py) and in tests/test_text_untouched.py, and this page through every other field.
STRICT_PASSAGE_TEXT = {
    "image": "![alt](x.png)",
    "emphasis": "__strong__ *em* _em_ ~~strike~~ `code`",
    "heading": "    # Heading\n    ## Subheading",
}


def passage_text(name: str, value: str) -> str:
    return STRICT_PASSAGE_TEXT.get(name, value)


def write_strict_hostile_corpus(data: Path) -> None:
    write_hostile_corpus(data)
    part_file = data / "parts" / "01-hostile-part.yaml"
    part = yaml.safe_load(part_file.read_text("utf-8"))
    for quote in part["quotes"]:
        passage = quote["record"][0]
        passage["text"] = passage_text(quote["id"].removeprefix("q-"), passage["text"])
    part_file.write_text(yaml.safe_dump(part, allow_unicode=True, sort_keys=False, width=10**6), "utf-8")


def test_only_the_passages_a_strict_build_refuses_are_replaced(tmp_path: Path) -> None:
    write_hostile_corpus(tmp_path / "data")
    with pytest.raises(CorpusError) as raised:
        pipeline.check(tmp_path, strict=True)
    assert len(raised.value.problems) == len(STRICT_PASSAGE_TEXT)
    assert all("a record text holds Markdown" in p.message for p in raised.value.problems)


def test_invisible_characters_in_every_kind_of_address_and_escapes_in_keys_are_each_refused(tmp_path: Path) -> None:
    write_refused_corpus(tmp_path / "data")
    status, report = run(tmp_path, "check")
    assert status == 1
    lines = assert_speaks_for_itself(report)
    held = [line for line in lines if "'url' holds" in line or "'origin_url' holds" in line]
    assert len(held) == len(REFUSED_URLS), held
    assert [line.split(":", 1)[0] for line in held] == [
        "data/collection.yaml",
        "data/parts/01-hostile-part.yaml",
        "data/parts/01-hostile-part.yaml",
        "data/parts/01-hostile-part.yaml",
        "data/sources.yaml",
    ]
    unknown = [line for line in lines if "unknown key" in line]
    assert [u.split("unknown key ", 1)[1].split(" in quote ", 1)[0] for u in unknown] == [
        repr(key) for key in REFUSED_KEYS
    ]
    assert lines[-1] == f"Aborted: {len(REFUSED_URLS) + len(REFUSED_KEYS)} errors."


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    tmp = tmp_path_factory.mktemp("hostile")
    write_strict_hostile_corpus(tmp / "corpus")
    root = site_root(tmp, tmp / "corpus")
    out = tmp / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stderr
    with serve(out) as url:
        yield out, url


@pytest.fixture(scope="module")
def hostile_quotes(hostile_site: tuple[Path, str]) -> tuple[str, dict[str, Quote]]:
    """The hostile corpus as the generator reads it: its person, and its quotes by id."""
    out, _ = hostile_site
    collection, _ = pipeline.check(out.parent / "repo")
    return collection.person, {q.id: q for q in collection.quotes()}


def open_page(browser: Any, url: str) -> Any:
    page = browser.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.dialogs = dialogs
    return page


def assert_not_pwned(page: Any) -> None:
    assert page.evaluate("window.__pwned") is None, f"a payload ran on {page.url}"
    assert page.dialogs == []


def test_no_file_was_included_or_template_evaluated(hostile_site: tuple[Path, str]) -> None:
    out, _ = hostile_site
    html = "".join(p.read_text("utf-8") for p in out.rglob("*.html"))
    assert "root:x:0:0" not in html  # --8<-- "/etc/passwd" included nothing
    assert "site_name: Lessons" not in html  # nor mkdocs.yml
    assert ">49<" not in html and " 49 " not in html  # {{ 7*7 }} was not evaluated


@pytest.mark.browser
def test_part_page_shows_every_payload_as_typed(
    browser: Any, hostile_site: tuple[Path, str], hostile_quotes: tuple[str, dict[str, Quote]]
) -> None:
    _, url = hostile_site
    _, quotes = hostile_quotes
    page = open_page(browser, f"{url}parts/hostile-part/")
    assert_not_pwned(page)
    for name, value in HOSTILE.items():
        section = f".nn-quote:has(h2[id='q-{name}'])"
        assert page.inner_text(f"{section} .nn-text") == value, name
        assert page.inner_text(f"{section} .nn-note .nn-prose") == value, name
        assert page.locator(f"{section} details.nn-record[open]").count() == 0, name
        page.eval_on_selector(f"{section} details.nn-record", "d => { d.open = true; }")
        assert page.inner_text(f"{section} .nn-passage-text") == passage_text(name, value), name
        assert page.inner_text(f"{section} .nn-passage-note") == f"({value})", name
        link = page.get_attribute(f"{section} a.nn-context", "href")
        assert link == context_url(quotes[f"q-{name}"].record[0]), name
        assert page.locator(f"{section} .nn-passage-text *").count() == 0, f"{name}: an element appeared"
        heading = page.eval_on_selector(f"h2[id='q-{name}']", "e => e.firstChild.textContent")
        assert heading == "On " + (single_line(value) or name), name
        assert page.locator(f"{section} .nn-text *").count() == 0, f"{name}: an element appeared in the text"
    assert page.locator("h1").inner_text().startswith("Part 1: " + single_line(HOSTILE["script"]))
    assert page.locator("iframe, img[src='x'], #evil, .md-typeset .admonition, .footnote, abbr, table").count() == 0


@pytest.mark.browser
def test_quote_pages_escape_metadata_and_json_ld(
    browser: Any, hostile_site: tuple[Path, str], hostile_quotes: tuple[str, dict[str, Quote]]
) -> None:
    _, url = hostile_site
    person, quotes = hostile_quotes
    for name, value in HOSTILE.items():
        page = open_page(browser, f"{url}quotes/q-{name}/")
        assert_not_pwned(page)
        assert page.inner_text(".nn-text") == value, name
        quote = quotes[f"q-{name}"]
        assert page.get_attribute("meta[property='og:description']", "content") == summary(quote, person), name
        assert page.get_attribute("meta[name=description]", "content") == summary(quote, person), name
        assert page.get_attribute("meta[property='og:image:alt']", "content") == image_alt(quote, person), name
        assert page.get_attribute("meta[property='og:title']", "content") == social_title(quote, person), name
        ld = json.loads(page.inner_text("script[type='application/ld+json']"))
        assert ld["mainEntity"]["text"] == value, name
        assert ld["mainEntity"]["citation"][0]["text"] == passage_text(name, value), name
        assert ld["mainEntity"]["citation"][0]["url"] == HOSTILE_URL, name
        assert page.inner_text(".nn-onrecord .nn-passage-text") == passage_text(name, value), name
        assert page.inner_text(".nn-onrecord .nn-where-place") == (single_line(value) or name), name
        assert page.inner_text(".nn-onrecord .nn-passage-note") == f"({value})", name
        assert page.get_attribute(".nn-onrecord a.nn-context", "href") == context_url(quote.record[0]), name
        assert page.locator("script[type='application/ld+json']").count() == 1
        assert value in page.inner_text("#cite-text"), name
        page.close()


@pytest.mark.browser
def test_home_about_and_source_pages_show_collection_text_as_typed(
    browser: Any, hostile_site: tuple[Path, str]
) -> None:
    _, url = hostile_site
    for path in ["", "about/", "sources/evil-source/", "no-such-page/"]:
        page = open_page(browser, url + path)
        assert_not_pwned(page)
        page.close()
    page = open_page(browser, f"{url}sources/evil-source/")
    assert page.inner_text("h1").startswith(single_line(HOSTILE["img-onerror"]))
    assert page.inner_text(".nn-source .nn-prose") == HOSTILE["jinja-statement"] + "\n" + HOSTILE["script"]
    page = open_page(browser, url)
    assert page.inner_text(".nn-prose") == HOSTILE["snippet-include"] + "\n" + HOSTILE["img-onerror"]


@pytest.mark.browser
def test_search_results_do_not_run_payloads(browser: Any, hostile_site: tuple[Path, str]) -> None:
    _, url = hostile_site
    page = open_page(browser, url)
    search(page, "pwned onerror script")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(300)
    assert_not_pwned(page)


def test_json_export_holds_text_exactly(hostile_site: tuple[Path, str]) -> None:
    out, _ = hostile_site
    data = json.loads((out / "quotes.json").read_text("utf-8"))
    by_id = {q["id"]: q for q in data["quotes"]}
    for name, value in HOSTILE.items():
        assert by_id[f"q-{name}"]["text"] == value
        assert by_id[f"q-{name}"]["note"] == value
        assert by_id[f"q-{name}"]["record"][0]["text"] == passage_text(name, value)
        assert by_id[f"q-{name}"]["record"][0]["note"] == value
        assert by_id[f"q-{name}"]["record"][0]["url"] == HOSTILE_URL


# --- Collection-level text: title, person, description, intro, origin; a source's description ---


@pytest.fixture(scope="module")
def hostile_collection(hostile_site: tuple[Path, str]) -> Collection:
    out, _ = hostile_site
    return pipeline.check(out.parent / "repo")[0]


class _Elements(HTMLParser):
    """Every element and attribute a page holds that only markup from the corpus could make."""

    SLIPPED = frozenset({"b", "img", "iframe", "textarea", "abbr", "sup"})  # none of them the site writes

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in self.SLIPPED:
            self.found.append(f"<{tag}>")
        self.found += [f"<{tag} {k}=…>" for k in a if k.startswith("on")]
        if a.get("id") == "evil":
            self.found.append(f"<{tag} id=evil>")
        self._script = a if tag == "script" else None

    def handle_data(self, data: str) -> None:
        if self._script is not None and "type" not in self._script and PWN in data:
            self.found.append(f"a script that runs {PWN}")


def test_no_page_holds_an_element_or_attribute_made_from_the_corpus(hostile_site: tuple[Path, str]) -> None:
    out, _ = hostile_site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= len(HOSTILE) + 10  # every quote's page, its part, source, tag, index pages, /all/, 404
    found = []
    for path in pages:
        parser = _Elements()
        parser.feed(path.read_text("utf-8"))
        found += [f"{path.relative_to(out)}: {f}" for f in parser.found]
    assert not found, "\n".join(found[:20])


def own_text(page: Any, selector: str) -> str:
    """An element's text without its heading's ¶ link."""
    return str(
        page.eval_on_selector(
            selector,
            "e => [...e.childNodes].filter(n => !(n.classList && n.classList.contains('headerlink')))"
            ".map(n => n.textContent).join('')",
        )
    )


def texts(page: Any, selector: str) -> list[str]:
    """The text of every element matching `selector`, shown or folded away in a disclosure."""
    return list(page.eval_on_selector_all(selector, "es => es.map(e => e.textContent)"))


def meta(page: Any, name: str) -> str:
    return str(page.get_attribute(f"meta[name='{name}']", "content"))


@pytest.mark.browser
def test_collection_and_source_text_is_shown_as_typed_on_every_page_that_shows_it(
    browser: Any, hostile_site: tuple[Path, str], hostile_collection: Collection
) -> None:
    _, url = hostile_site
    c = hostile_collection
    title, person, source = c.title, c.person, c.sources[0]
    credit = f"— attributed to {person}, according to {source.title}"
    spoken = f"— {person}, "
    assert "<" in title + person + c.description + c.intro + (c.origin_title or "") + (source.description or "")

    page = open_page(browser, url)
    assert own_text(page, "article h1") == title
    assert page.inner_text("article .nn-prose") == c.intro
    assert page.inner_text(".nn-random-credit") == f"attributed to {person}"
    assert meta(page, "description") == c.description
    assert f"what {person} actually said or wrote" in page.inner_text("article")

    page = open_page(browser, url + "about/")
    assert page.inner_text("article .nn-prose") == c.description
    link = page.locator(f"article a[href='{c.origin_url}']")
    assert link.inner_text() == c.origin_title
    assert f"cited as {person}'s exact words" in page.inner_text("article")
    assert f"what {person} actually said or wrote" in page.inner_text("article")
    about = f"Where {title} comes from, what each status means, and how to suggest a correction."
    assert meta(page, "description") == about

    page = open_page(browser, url + "sources/")
    assert f"not necessarily {person}'s own words" in page.inner_text("article")
    assert texts(page, ".nn-source-index li > a") == [source.title]

    for path in ("parts/hostile-part/", "sources/evil-source/", "tags/hostile/", "all/"):
        page = open_page(browser, url + path)
        captions = texts(page, ".nn-quote figcaption")
        assert len(captions) == len(HOSTILE), path
        assert all(" ".join(t.split()).startswith(credit) for t in captions), (path, captions[0])
        wheres = texts(page, ".nn-where")
        assert len(wheres) == len(HOSTILE) and all(w.startswith(spoken) for w in wheres), (path, wheres[0])
        assert_not_pwned(page)

    page = open_page(browser, url + "sources/evil-source/")
    assert own_text(page, "article h1") == source.title
    assert page.inner_text(".nn-source .nn-prose") == source.description
    assert meta(page, "description") == f"{source.title}: a source of {title}, with the quotes attributed to it."

    page = open_page(browser, url + "tags/hostile/")
    assert meta(page, "description") == f"Quotes of {title} tagged hostile."

    page = open_page(browser, url + "all/")
    assert own_text(page, "article h1") == f"{title}: the whole collection"
    assert page.inner_text("article .nn-prose") == c.intro
    assert f"what {person} is on record as saying" in page.inner_text(".nn-all-about")

    page = open_page(browser, url + "quotes/q-script/")
    assert " ".join(page.inner_text(".nn-claim figcaption").split()) == credit
    intro = f"What {person} said or wrote on this, word for word, closest first."
    assert page.inner_text(".nn-onrecord-intro") == intro
    assert page.inner_text(".nn-onrecord .nn-where").startswith(spoken)
    assert f"— attributed to {person}, on " in page.inner_text("#cite-text")
    assert f". {title}, https://" in page.inner_text("#cite-text")
    assert f"according to {source.title}" in meta(page, "description")
    assert person in meta(page, "description")


def test_the_feed_holds_collection_text_exactly(hostile_site: tuple[Path, str], hostile_collection: Collection) -> None:
    out, _ = hostile_site
    c = hostile_collection
    feed = ET.parse(out / "feed.xml").getroot()  # well-formed, or this raises
    assert feed.findtext(f"{ATOM}title") == c.title
    assert feed.findtext(f"{ATOM}subtitle") == c.description
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == c.title
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(HOSTILE)
    for entry, quote in zip(entries, c.quotes(), strict=True):
        content = entry.findtext(f"{ATOM}content") or ""
        assert quote.text in content and f"— attributed to {c.person}, according to {c.sources[0].title}." in content
        assert f"On the record, {c.person}'s own words:" in content
        assert f"{quote.record[0].where}. {HOSTILE_URL}" in content
