"""How sure the site may sound: a quote's status in words, and links into his own words.

Every surface that carries a quote away (a page's head, a preview card, JSON-LD, a citation,
the feed) says who the words are *attributed to* unless they are verbatim, and names the
status; record passages, which are his words, are the only text credited to him outright.
Pure functions of the model, shared by `render`, `cite` and `pipeline`.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import quote, urlsplit

from generator.model import Passage, Quote, Status

VERDICTS: dict[Status, str] = {
    "verbatim": "verbatim: the exact words, checked against the place cited",
    "paraphrase": "paraphrase: not the exact words",
    "disputed": "disputed: it conflicts with what is on record",
    "unverified": "unverified: not found in anything on record",
}
"""The status as a phrase that can follow a quote anywhere it travels."""


def capital(text: str) -> str:
    """The first letter upper case, the rest untouched (unlike str.capitalize, which lowers names)."""
    return text[:1].upper() + text[1:]


def credit(quote: Quote, person: str) -> str:
    """Who the words are given to: the person only when they are his exact words."""
    return person if quote.status == "verbatim" else f"attributed to {person}"


def attributed_by(quote: Quote, person: str) -> str:
    """Whose words the source says they are, as a sentence starts: "Attributed to him by the
    source", or, for his exact words, "His name, in the source"."""
    if quote.status == "verbatim":
        return f"{person}, in {quote.source.title}"
    return f"Attributed to {person} by {quote.source.title}"


def social_title(quote: Quote, person: str) -> str:
    """og:title: changes with the status, as the card does."""
    if quote.status == "verbatim":
        return f"On {quote.topic} — {person}"
    return f"On {quote.topic} — {quote.status}, attributed to {person}"


def html_title(quote: Quote) -> str:
    """The <title>, before the site's name."""
    return f"On {quote.topic}" if quote.status == "verbatim" else f"On {quote.topic} ({quote.status})"


DESCRIPTION_CHARACTERS = 200
"""Of a quote in a description: search results and link previews show less than this, and
each page carries the description twice (10,000 pages)."""


def shortened(text: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    """`text` whole if it is short enough, else cut at a space and ended with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


def summary(quote: Quote, person: str) -> str:
    """The meta and og:description: the status first, so a truncated preview still says it."""
    verdict = capital(VERDICTS[quote.status])
    return f"{verdict}. “{shortened(quote.text)}” — {credit(quote, person)}, according to {quote.source.title}."


def image_alt(quote: Quote, person: str) -> str:
    """What the preview card shows, for those who cannot see it: its status and credit first."""
    return f"Card: On {quote.topic}, {quote.status}, {credit(quote, person)}, according to {quote.source.title}."


# --- Text fragments ---------------------------------------------------------------------

# Where a passage leaves words out (…) or joins two paragraphs (¶), it is no longer one
# stretch of the page's text: a fragment uses one contiguous piece.
_PIECES = re.compile(r"\s*[…¶]\s*")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\(.)")
# A word that reads the same on the source page whatever its typography: no quotes or
# apostrophes (which static site generators curl), no dashes, no Markdown markers.
_PLAIN_WORD = r"[A-Za-z0-9(&][A-Za-z0-9()/%.,;:?!+=&-]*"
# Runs of plain words, each bounded by whitespace: one scan in C finds them all.
_PLAIN_RUN = re.compile(rf"(?<!\S){_PLAIN_WORD}(?:\s+{_PLAIN_WORD})*(?!\S)")
# Emphasis markers (`*em*`, `__strong__`) at either end of a word, not an underscore inside one (W_O).
_EMPHASIS = re.compile(r"(?<![A-Za-z0-9])[*_]+|[*_]+(?![A-Za-z0-9])")
EXACT_WORDS = 12
"""A piece of up to this many words is matched whole; a longer one by its first and last
`EDGE_WORDS`, which keeps the address short and survives a typo in the middle."""
EDGE_WORDS = 5
MIN_WORDS = 3
"""Fewer plain words in a row than this, and the piece is used as it is."""


def _shown(piece: str) -> str:
    # The stored copy's Markdown (`**bold**`, `[text](link)`) is not on the page a reader opens.
    # Most passages have none: a substring test is far cheaper than a regex pass.
    if "](" in piece:
        piece = _LINK.sub(r"\1", piece)
    if "\\" in piece:
        piece = _ESCAPE.sub(r"\1", piece)
    if "*" in piece or "_" in piece:
        piece = _EMPHASIS.sub("", piece)
    return piece


def fragment_terms(text: str) -> tuple[str, str | None]:
    """(textStart, textEnd or None) for a passage: the longest run of plain words in any one
    piece of it, whole if short, else by its two ends."""
    best: list[str] = []
    fallback: list[str] = []
    for piece in _PIECES.split(text) if "…" in text or "¶" in text else (text,):
        shown = _shown(piece)
        for run in _PLAIN_RUN.findall(shown):
            words = run.split()
            if len(words) > len(best):
                best = words
        if len(best) < MIN_WORDS:
            words = shown.split()
            if len(words) > len(fallback):
                fallback = words
    words = best if len(best) >= MIN_WORDS else fallback
    if len(words) <= EXACT_WORDS:
        return " ".join(words), None
    return " ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])


def _term(value: str) -> str:
    # WICG Text Fragments: `-`, `,` and `&` are syntax inside the directive, so they (and
    # everything outside the unreserved set, as UTF-8) are percent-encoded. quote() leaves
    # `-` alone, as URLs allow.
    return quote(value, safe="").replace("-", "%2D")


def is_pdf(url: str) -> bool:
    """Whether an address serves a PDF: by its name, or arXiv's full texts, which have none."""
    parts = urlsplit(url)
    path = parts.path.lower()
    return path.endswith(".pdf") or (parts.netloc.removeprefix("www.") == "arxiv.org" and path.startswith("/pdf/"))


@functools.lru_cache(maxsize=1 << 16)
def context_url(passage: Passage) -> str:
    """The passage's address, opening scrolled to his words and highlighted where the browser
    supports text fragments (Chromium, Safari, Firefox); elsewhere, and for a PDF, whose
    viewers ignore text fragments, the plain address.
    Cached: each passage is shown on its quote, part, source and tag pages and exported twice."""
    start, end = fragment_terms(passage.text)
    if not start or is_pdf(passage.url):
        return passage.url
    directive = "text=" + _term(start) + (f",{_term(end)}" if end else "")
    # A fragment already there (a section's anchor) stays: browsers fall back to it.
    return f"{passage.url}:~:{directive}" if "#" in passage.url else f"{passage.url}#:~:{directive}"


@functools.lru_cache(maxsize=1 << 16)
def short_address(url: str, longest: int = 48) -> str:
    """An address as print shows it: no scheme, no `www.`, no fragment or query, and a long
    path shortened to its last segment ("axrp.net/…/episode-19-….html"). Cached: a source's
    address is printed beside each of its passages on four kinds of page."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path if parts.path not in ("", "/") else ""
    if len(host) + len(path) <= longest:
        return host + path
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    if len(last) > longest // 2:
        last = last[: longest // 2 - 1] + "…"
    tail = "/" if path.endswith("/") else ""
    return f"{host}/…/{last}{tail}"


# --- Structured data --------------------------------------------------------------------


def quotation(quote: Quote, person: str, url: str) -> dict[str, Any]:
    """schema.org JSON-LD for a quote: the person is its creator only when it is verbatim;
    otherwise the attribution is a claim of its source, and the record passages, which are
    his words, are the quotations credited to him."""
    person_node = {"@type": "Person", "name": person}
    data: dict[str, Any] = {
        "@type": "Quotation",
        "text": quote.text,
        "about": quote.topic,
        "creativeWorkStatus": quote.status,
        "description": f"{attributed_by(quote, person)}: {VERDICTS[quote.status]}.",
        "isBasedOn": {
            "@type": "CreativeWork",
            "name": quote.source.title,
            **({"url": quote.source.url} if quote.source.url else {}),
        },
        "url": url,
    }
    if quote.status == "verbatim":
        data["creator"] = person_node
    if quote.record:
        data["citation"] = [
            {
                "@type": "Quotation",
                "text": p.text,
                "creator": person_node,
                "url": p.url,
                # The work is named by the locator; its address is the passage's own.
                "isPartOf": {"@type": "CreativeWork", "name": p.where},
                **({"description": p.note} if p.note else {}),
            }
            for p in quote.record
        ]
    return data
