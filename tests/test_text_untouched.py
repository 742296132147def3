"""Text goes through untouched: for any string, what a browser shows is that string.

Each string goes through the whole pipeline (YAML file → load → validate → render →
Markdown with the site's extensions → HTML) and is read back as a browser parses it.
"""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from generator.load import load
from generator.model import Site
from generator.render import render_site
from generator.validate import validate
from tests.conftest import FIXTURE_CORPUS, ROOT

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _em_ [x](javascript:alert(1)) ![i](data:image/png;base64,AA)",
    '{: onclick="alert(1)"} { #id .class }',
    "{{ 7*7 }} {% if true %}x{% endif %}",
    '--8<-- "/etc/passwd"',
    "&amp; &lt; &#42; &copy",
    ":smile: !!! note\n\n# heading\n- list\n| a | b |\n```\ncode\n```",
    "[^1] *[HTML]: abbr \u202eevil\u200b\u200d",
    "  leading and trailing spaces, two  inside, a\ttab  ",
]


def _markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


MD = _markdown()


class _Finder(HTMLParser):
    """The text of every element carrying `cls`, as a browser reads it, and any tag inside it."""

    def __init__(self, cls: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cls = cls
        self.depth = 0
        self.found: list[str] = []
        self.inner_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
            self.inner_tags.append(tag)
        elif self.cls in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def shown(html: str, cls: str) -> tuple[list[str], list[str]]:
    finder = _Finder(cls)
    finder.feed(html)
    finder.close()
    return finder.found, finder.inner_tags


def render_with(tmp: Path, field: str, value: str, *, passage: bool = False) -> dict[str, str]:
    """Render the small corpus with one field of its first quote (or, with `passage`, of that
    quote's first record passage) set to `value`, as HTML."""
    part_file = tmp / "data" / "parts" / "01-first-part.yaml"
    data = yaml.safe_load((FIXTURE_CORPUS / "data" / "parts" / "01-first-part.yaml").read_text("utf-8"))
    quote = data["quotes"][0]
    (quote["record"][0] if passage else quote)[field] = value
    part_file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    collection, problems = validate(load(tmp))
    assert collection is not None, problems
    pages = render_site(collection, Site("https://example.org/", "Test"))
    html = {}
    for path, page in pages.items():
        if not path.endswith(".md"):
            continue
        body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        MD.reset()
        html[path] = MD.convert(body)
    return html


# Strings a curator can write in YAML and the validator accepts: no control characters
# but tab and line feed, no non-characters, and not blank (a blank text is a curator error).
def _allowed(c: str) -> bool:
    o = ord(c)
    non_character = 0xFDD0 <= o <= 0xFDEF or o & 0xFFFE == 0xFFFE
    return c in "\t\n" or not (o < 0x20 or 0x7F <= o <= 0x9F or non_character)


texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\r\x85\u2028\u2029").filter(_allowed),
    min_size=1,
).filter(lambda s: s.strip())


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_quote_text_is_shown_as_typed(small_corpus: Path, value: str) -> None:
    html = render_with(small_corpus, "text", value)["parts/first-part.md"]
    found, tags = shown(html, "nn-text")
    assert found[0] == value
    assert tags == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts)
@example(value="<b>&amp;</b>\n\n    indented\n* item")
def test_any_quote_text_is_shown_as_typed(small_corpus: Path, value: str) -> None:
    html = render_with(small_corpus, "text", value)["parts/first-part.md"]
    found, tags = shown(html, "nn-text")
    assert found[0] == value
    assert tags == [], "an element was added inside the quote"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts.filter(lambda s: "\n" not in s and "\t" not in s and "  " not in s and s == s.strip()))
def test_any_topic_is_shown_as_typed_in_its_heading(small_corpus: Path, value: str) -> None:
    html = render_with(small_corpus, "topic", value)["parts/first-part.md"]
    heading = html.split('<h2 id="first-quote">', 1)[1].split('<a class="headerlink"', 1)[0]
    assert "<" not in heading, "an element was added inside the heading"
    assert unescape(heading) == f"On {value}"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts)
@example(value="**bold** [x](y) ¶ … <b>&amp;</b>\n\n    indented")
def test_any_record_passage_is_shown_as_typed(small_corpus: Path, value: str) -> None:
    html = render_with(small_corpus, "text", value, passage=True)["parts/first-part.md"]
    found, tags = shown(html, "nn-passage-text")
    assert found[0] == value
    assert tags == [], "an element was added inside the passage"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts)
def test_any_record_note_is_shown_as_typed(small_corpus: Path, value: str) -> None:
    html = render_with(small_corpus, "note", value, passage=True)["parts/first-part.md"]
    found, tags = shown(html, "nn-passage-note")
    assert found[0] == f"({value})"
    assert tags == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts.filter(lambda s: "\n" not in s and "\t" not in s and "  " not in s and s == s.strip()))
def test_any_record_locator_is_shown_as_typed(small_corpus: Path, value: str) -> None:
    html = render_with(small_corpus, "where", value, passage=True)["parts/first-part.md"]
    found, tags = shown(html, "nn-where-place")
    assert found[0] == value
    assert tags == []
