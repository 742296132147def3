"""A fetched body → the text a reader sees on it, one string per block.

HTML through lxml (a real parser: entities decoded, broken markup repaired as browsers do),
keeping only what a browser shows — not <script>, <style>, <template>, <noscript>, the
<head>, nor elements marked `hidden`; PDFs through pypdf; plain text as it is. The
character set comes from the response's header, else the page's own <meta>, else UTF-8.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
from dataclasses import dataclass
from typing import Literal

import lxml.etree
import lxml.html

Kind = Literal["html", "pdf", "text"]

# Elements whose content no reader sees.
_UNSEEN = frozenset(
    {"head", "script", "style", "template", "noscript", "iframe", "object", "svg", "math", "canvas", "select"}
)
# Elements that start a block of text: a text fragment's term must lie within one.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_SPACES = re.compile(r"\s+")
MAX_PDF_PAGES = 500
"""Pages of a PDF read; a paper's body is far shorter, and reading is slow."""


class Unreadable(Exception):
    """The body is not a page this check can read: why, in words."""


@dataclass(frozen=True, slots=True)
class PageText:
    """What a reader sees on a page."""

    blocks: tuple[str, ...]
    """Visible text, one string per block, whitespace collapsed."""
    kind: Kind


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _header_charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # As the WHATWG Encoding standard: pages labelled Latin-1 or ASCII are read as windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def charset(body: bytes, content_type: str | None) -> str:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    found = _codec(_header_charset(content_type))
    if found is None and (meta := _META_CHARSET.search(body[:4096])):
        found = _codec(meta[1].decode("ascii"))
    return found or "utf-8"


def page_text(body: bytes, content_type: str | None) -> PageText:
    kind = media_type(content_type)
    if kind == "application/pdf" or body.startswith(b"%PDF-"):
        return _pdf(body)
    head = body[:1024].lstrip().lower()
    if kind in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype html", b"<html")):
        return _html(body.decode(charset(body, content_type), errors="replace"))
    if kind.startswith("text/") or not kind:
        text = body.decode(charset(body, content_type), errors="replace")
        return PageText(_collapsed(re.split(r"\n\s*\n", text)), "text")
    raise Unreadable(f"it is {kind}, which this check cannot read")


def _collapsed(blocks: list[str]) -> tuple[str, ...]:
    return tuple(c for b in blocks if (c := _SPACES.sub(" ", b).strip()))


def _html(text: str) -> PageText:
    # Decoded here, so lxml must not decode again: given as UTF-8 and told so.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as e:
        raise Unreadable(f"its HTML could not be read ({e})") from None
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append("".join(current))
            current.clear()

    walk = lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walk:
        if event in ("comment", "pi"):
            if element.tail:
                current.append(element.tail)
            continue
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _UNSEEN or element.get("hidden") is not None or _DISPLAY_NONE.search(element.get("style") or ""):
                walk.skip_subtree()
                continue
            if tag in _BLOCKS:
                flush()
            elif tag == "br":  # a line break within the block
                current.append(" ")
            if element.text:
                current.append(element.text)
        else:
            if tag in _BLOCKS:
                flush()
            if element.tail:
                current.append(element.tail)
    flush()
    return PageText(_collapsed(blocks), "html")


def _pdf(body: bytes) -> PageText:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns of every oddity of a real-world PDF
            reader = PdfReader(io.BytesIO(body))
            texts = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise Unreadable(f"its PDF could not be read ({type(e).__name__})") from None
    return PageText(_collapsed(texts), "pdf")
