"""How sure the site may sound: a quote's status in words, and links into his own words.

Every surface that carries a quote away (a page's head, a preview card, JSON-LD, a citation,
the feed) says who the words are *attributed to* unless they are verbatim, and names the
status; record passages, which are his words, are the only text credited to him outright.
Pure functions of the model, shared by `render`, `cite` and `pipeline`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from datetime import date
from html import escape as html_escape
from typing import Any
from urllib.parse import quote, urlsplit

from generator.model import Check, Passage, Quote, Status

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


# --- What the last check at the source found ------------------------------------------


def day(when: date) -> str:
    """A date as the site writes it: 14 Dec 2026."""
    return f"{when.day} {when:%b %Y}"


WARNED = frozenset({"moved", "changed", "gone"})
"""Results a reader is warned of: the link may not lead to his words."""


def check_line(check: Check) -> str:
    """What a reader is told of a passage's last check at its source: only what the check
    found, and when. A passage never checked as it is written now says so."""
    if check.checked is None:
        return "Not yet checked at the source."
    when = day(check.checked)
    last = f"; last found there on {day(check.last_found)}" if check.last_found else ""
    return {
        "unchecked": "Not yet checked at the source.",
        "found": f"Checked at the source on {when}.",
        "fragment-missed": f"Checked at the source on {when}; the link opens the page but may not mark the words.",
        "moved": f"Checked on {when}: the page has moved, and holds the words at its new address.",
        "changed": f"Not on the page when it was checked on {when}{last}.",
        "gone": f"The page was gone when it was checked on {when}{last}.",
        "unreachable": f"The page could not be reached when it was checked on {when}{last}.",
    }[check.result]


def check_sentence(check: Check) -> str:
    """The check in plain text, for the feed and citations: what was found, and the new
    address and archived copy where there are."""
    sentence = check_line(check)
    if check.moved_to:
        sentence += f" Its new address: {check.moved_to}"
    if check.snapshot:
        sentence += f" Archived copy of {day(check.snapshot.date)}: {check.snapshot.url}"
    return sentence


NOT_YET = '<p class="nn-checked">Not yet checked at the source.</p>'


def check_html(check: Check, passage: Passage) -> str:
    """The line under a passage: what the last check at the source found and, where the link
    may fail a reader, the way to the words (their new address, or the archived copy). It
    holds only addresses and dates, escaped for HTML, which Markdown leaves alone in an HTML
    block. A function, not a template macro: it is written under each of 12,000 passages."""
    if check.checked is None:
        return NOT_YET
    warn = check.result in WARNED
    out = [f'<p class="nn-checked{" nn-checked--warn" if warn else ""}">']
    if warn:
        out.append("<strong>Warning:</strong> ")
    out.append(html_escape(check_line(check)))
    new = moved_url(passage, check)
    if new:
        out.append(f' <a class="nn-moved" href="{html_escape(new)}" rel="nofollow">Read it at its new address</a>.')
    copy = archived_url(passage, check)
    if copy and check.snapshot:
        label = "Read it in the archived copy" if warn and not new else "Archived copy"
        dot = "." if warn and not new else ""
        when = day(check.snapshot.date)
        out.append(f' <a class="nn-archived" href="{html_escape(copy)}" rel="nofollow">{label} ({when})</a>{dot}')
    elif warn and not new:
        out.append(" No archived copy is known.")
    out.append("</p>")
    return "".join(out)


def moved_url(passage: Passage, check: Check) -> str | None:
    """Where a moved passage is now, opening at his words as its first address did."""
    return context_url(dataclasses.replace(passage, url=check.moved_to)) if check.moved_to else None


def archived_url(passage: Passage, check: Check) -> str | None:
    """The newest archived copy of the passage's page, opening at his words as the page would."""
    return context_url(dataclasses.replace(passage, url=check.snapshot.url)) if check.snapshot else None


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
