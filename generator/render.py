"""Stage 4: turn the model into page texts, `{path under docs/: text}`. Pure: no file I/O.

Every field of the corpus is untrusted text. Templates never print a corpus value
without a filter that makes it inert where it stands (see `text`, `front`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from generator.model import STATUSES, Collection, Part, Source

TEMPLATES = Path(__file__).parent / "templates"

# Characters that mean nothing to Markdown, its extensions or HTML. Everything else
# becomes a numeric character reference, so `*`, `[`, `{:`, `--8<--`, `:smile:`, `{{`,
# `<script>` and `&amp;` reach the browser as the characters typed, never as syntax.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.")


def text(value: str) -> str:
    """Inert in Markdown, in HTML text and in a quoted HTML attribute."""
    return "".join(c if c in _PLAIN or ord(c) >= 0x80 else f"&#{ord(c)};" for c in value)


def front(value: Any) -> str:
    """A value for the YAML front matter: JSON is YAML, and it escapes every line break."""
    return json.dumps(value, ensure_ascii=False)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        autoescape=False,  # output is Markdown; `text` escapes for Markdown and HTML at once
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(text=text, front=front)
    env.globals.update(statuses=STATUSES)
    return env


_ENV = _environment()


def _render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def part_path(part: Part) -> str:
    return f"parts/{part.id}.md"


def source_path(source: Source) -> str:
    return f"sources/{source.id}.md"


def render_home(collection: Collection) -> str:
    return _render("home.md.j2", collection=collection, part_path=part_path)


def render_about(collection: Collection) -> str:
    return _render("about.md.j2", collection=collection)


def render_part(collection: Collection, part: Part) -> str:
    return _render("part.md.j2", collection=collection, part=part)


def render_source(collection: Collection, source: Source) -> str:
    return _render(
        "source.md.j2",
        collection=collection,
        source=source,
        quotes=collection.quotes_of_source(source.id),
        part_of=collection.part,
    )


def render_site(collection: Collection) -> dict[str, str]:
    """Every generated file, keyed by its path under docs/ (forward slashes)."""
    pages: dict[str, str] = {
        "index.md": render_home(collection),
        "about.md": render_about(collection),
    }
    for part in collection.parts:
        pages[part_path(part)] = render_part(collection, part)
    for source in collection.sources:
        pages[source_path(source)] = render_source(collection, source)
    return pages


def nav(collection: Collection) -> list[dict[str, Any]]:
    """MkDocs' `nav`: the parts and sources, never the quote pages, so it stays small.

    MkDocs treats nav titles as HTML, so corpus text is escaped here too.
    """

    def entry(title: str, path: str) -> dict[str, str]:
        return {text(title): path}

    return [
        {"Home": "index.md"},
        {"Parts": [entry(p.title, part_path(p)) for p in collection.parts]},
        {"Sources": [entry(s.title, source_path(s)) for s in collection.sources]},
        {"About": "about.md"},
    ]
