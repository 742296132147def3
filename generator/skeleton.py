"""Stage 6, after MkDocs: the quote, source and tag pages, filled into a page Material rendered.

Every such page has the same header, search, palette, scripts and footer; only the
title, the head's meta tags, the article and the edit link differ. Running 10,000 quote
pages through Markdown and Material's templates took most of a build (some 60 of 80 s),
so MkDocs renders a skeleton page whose varying parts are slots, and each page is the
skeleton with its slots filled: a join of strings. There are two skeletons, with and
without an edit link, because a tag page has no one file to edit.

The slots are words that no template or theme would write, put where they stand by
the skeleton's Markdown and front matter (`SKELETON_MARKDOWN`), by overrides/main.html
(`nn_meta`) and by the hook (the edit link). Filling is one pass over the parsed pieces,
so text that happens to contain a slot's name is never filled in again.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote
from xml.sax.saxutils import escape

from generator.lean import LeanPage
from generator.templating import html

SKELETONS = {True: "quotes/nnslot_page.md", False: "tags/nnslot_page.md"}
"""Where MkDocs renders the skeleton with an edit link (True) and without; both at the depth of
the pages made from them, so relative addresses hold. They are removed once the pages are made.
The underscore keeps them apart from every id, alias and tag, which are slugs without one."""


def skeleton_html(src: str) -> str:
    return src.removesuffix(".md") + "/index.html"


SKELETON_MARKDOWN = """\
---
search:
  exclude: true
nn_meta: nnslotmeta
nn_title: nnslothtmltitle
---

# nnslottitle { #nnslotanchor }

nnslotbody
"""

# Each slot as it comes out of Material, and the QuotePage field (or "edit") that fills it.
SLOTS = {
    "nnslotmeta": "head",
    "nnslottitle": "title",
    "nnslothtmltitle": "html_title",
    "nnslotanchor": "anchor",
    "<p>nnslotbody</p>": "body",
    "nnslotedit": "edit",
    "nnslottoc": "toc",
}
REQUIRED = frozenset({"head", "title", "html_title", "anchor", "body", "toc"})
# A slot ends where a word would: "nnslotanchor_1" (a renamed duplicate id) is not a slot.
_SLOT = re.compile("(?:" + "|".join(re.escape(s) for s in sorted(SLOTS, key=len, reverse=True)) + r")(?![\w-])")


class SkeletonError(Exception):
    """The theme or a template changed so that a slot is missing or mangled."""


@dataclass(frozen=True, slots=True)
class Skeleton:
    pieces: tuple[str, ...]
    """Literal HTML and slot names, alternating: literal, slot, literal, …, literal."""

    @classmethod
    def parse(cls, html: str, *, edit: bool = False) -> Skeleton:
        """`edit`: the skeleton must have an edit link to fill."""
        pieces: list[str] = []
        at = 0
        for m in _SLOT.finditer(html):
            pieces += [_tidy(html[at : m.start()]), SLOTS[m[0]]]
            at = m.end()
        pieces.append(_tidy(html[at:]))
        found = set(pieces[1::2])
        required = REQUIRED | {"edit"} if edit else REQUIRED
        if not found >= required:
            raise SkeletonError(f"the page skeleton lacks the slots {sorted(required - found)}")
        stray = [p for p in pieces[::2] if "nnslot" in p]
        if stray:
            raise SkeletonError(f"a slot was changed on its way through the theme: …{stray[0][-200:]}")
        return cls(tuple(pieces))

    def literal(self) -> str:
        """The skeleton's own markup, without its slots."""
        return "".join(self.pieces[::2])

    def fill(self, values: Mapping[str, str]) -> str:
        pieces = self.pieces
        out = [pieces[0]]
        for i in range(1, len(pieces), 2):
            out += [values[pieces[i]], pieces[i + 1]]
        return "".join(out)


def _tidy(html: str) -> str:
    # Material's templates indent deeply and leave many blank lines: a third of every quote
    # page. Only the skeleton's own markup is tidied, never the quote's text, and line
    # breaks stay, so inline scripts with `//` comments keep working. The chrome has no <pre>.
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)*", "\n", html)


def lean_pages(
    pages: Iterable[LeanPage], skeletons: Mapping[bool, Skeleton], edit_base: str | None
) -> Iterator[tuple[str, str]]:
    """(path under the site, HTML) of every page; `edit_base` is the repository's edit
    address ending in '/', or None for no edit links."""
    for page in pages:
        edit = edit_base + quote(page.edit_path) if edit_base and page.edit_path else None
        values = {
            "head": page.head,
            "title": page.title,
            "html_title": page.html_title,
            "anchor": page.anchor,
            "body": page.body,
            "toc": page.toc,
            "edit": html(edit) if edit else "",
        }
        yield page.path, skeletons[edit is not None].fill(values)


_URL = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>(.*?)</url>", re.S)


def sitemap(xml: str, skeleton_urls: Iterable[str], urls: Iterable[str]) -> str:
    """MkDocs' sitemap without the skeletons and with every page made from them, dated as they were."""
    skeletons = set(skeleton_urls)
    entries = [m for m in _URL.finditer(xml) if unescape(m[1]) in skeletons]  # MkDocs escapes <loc>
    if len(entries) != len(skeletons):
        raise SkeletonError(f"the sitemap lacks an entry for one of {sorted(skeletons)}")
    rest = entries[0][2]
    added = "".join(f"\n    <url>\n         <loc>{escape(url)}</loc>{rest}</url>" for url in urls)
    for entry in reversed(entries[1:]):
        xml = xml[: entry.start()] + xml[entry.end() :]
    return xml[: entries[0].start()] + added + xml[entries[0].end() :]


def gzipped(text: str) -> bytes:
    """As MkDocs writes sitemap.xml.gz, but with no timestamp, so builds are byte-identical."""
    return gzip.compress(text.encode("utf-8"), mtime=0)


SPRITE = "assets/nn-icons.svg"
# Material inlines each icon's SVG wherever it is used: the header, the navigation and the
# repository link hold a dozen, 4 kB of every quote page. The skeleton's are moved into one
# sprite that every page made from it shares (and the browser caches).
_INLINE_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([^"]+)">(.*?)</svg>', re.S)


def spritify(skeleton_html: str, up: str) -> tuple[str, dict[str, str]]:
    """The skeleton with each inline icon replaced by a reference into the sprite, and the
    sprite's symbols by id. `up` leads from the skeleton's page to the site's root."""
    symbols: dict[str, str] = {}

    def use(m: re.Match[str]) -> str:
        view_box, body = m[1], m[2]
        name = "i" + hashlib.sha256(f"{view_box} {body}".encode()).hexdigest()[:10]
        symbols[name] = f'<symbol id="{name}" viewBox="{view_box}">{body}</symbol>'
        return f'<svg viewBox="{view_box}" aria-hidden="true"><use href="{up}{SPRITE}#{name}"></use></svg>'

    return _INLINE_SVG.sub(use, skeleton_html), symbols


def sprite(symbols: Mapping[str, str]) -> str:
    """One SVG holding every icon the quote, source and tag pages use, in a stable order."""
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols[k] for k in sorted(symbols)) + "</svg>\n"
