"""The one Jinja environment every page is rendered with, and the filters that make each corpus
value inert where it stands.

Every field of the corpus is untrusted text. Templates never print a corpus value without a
filter that makes it inert where it stands: `text` in Markdown, `html` in HTML, `front` in
YAML front matter.
"""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from pathlib import Path
from typing import Any

import jinja2

from generator.model import STATUSES
from generator.provenance import VERDICTS, check_html, context_url, credit, day, short_address

TEMPLATES = Path(__file__).parent / "templates"

# Characters that mean nothing to Markdown, its extensions or HTML. Everything else
# becomes a numeric character reference, so `*`, `[`, `{:`, `--8<--`, `:smile:`, `{{`,
# `<script>` and `&amp;` reach the browser as the characters typed, never as syntax.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.")


_ENTITIES = {chr(c): f"&#{c};" for c in range(0x80) if chr(c) not in _PLAIN}
_NOT_PLAIN = re.compile("[^a-zA-Z0-9 ,.\x80-\U0010ffff]")


def text(value: str) -> str:
    """Inert in Markdown, in HTML text and in a quoted HTML attribute."""
    return _NOT_PLAIN.sub(lambda m: _ENTITIES[m[0]], value)  # C scans; Python only at each escape


def html(value: str) -> str:
    """Inert in HTML text and in a quoted attribute: for the quote pages, which are HTML
    that never passes through Markdown, so `text`'s wider escaping would only add bytes
    (a URL's every ':', '/' and '-'; 10,000 pages)."""
    return html_escape(value, quote=True)


# JSON is YAML, but YAML also reads U+0085, U+2028 and U+2029 as line breaks and refuses
# a few code points outright; those are written as escapes, which both languages share.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def front(value: Any) -> str:
    """A value for the YAML front matter, on one line, exactly as given."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def linked(value: str, url: str | None) -> str:
    """`value` made inert as `text` makes it, with each occurrence of `url` in it a link to
    that address: the words stay exactly as written, and the address can be followed."""
    if not url or url not in value:
        return text(value)
    link = f'<a href="{text(url)}">{text(url)}</a>'
    return link.join(text(piece) for piece in value.split(url))


def tag_label(tag: str) -> str:
    return tag.replace("-", " ")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        autoescape=False,  # output is Markdown; `text` escapes for Markdown and HTML at once
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        text=text,
        linked=linked,
        html=html,
        front=front,
        esc=lambda value, markdown: text(value) if markdown else html(value),
        context_url=context_url,
        short_address=short_address,
        credit=credit,
        check_html=check_html,
        day=day,
    )
    # JSON-LD without the spaces json.dumps puts after every separator: 10,000 pages carry it.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    env.globals.update(
        statuses=STATUSES,
        verdicts=VERDICTS,
        tag_label=tag_label,
    )
    return env


_ENV = _environment()


def render_template(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def macros(template: str) -> Any:
    """A template's macros, to call from Python (the lean pages' table of contents)."""
    return _ENV.get_template(template).module
