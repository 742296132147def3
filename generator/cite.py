"""Citations of a quote: plain text and BibTeX, escaped for their own syntax."""

from __future__ import annotations

import re

from generator.model import Collection, Quote

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(value: str) -> str:
    """Inert inside a braced BibTeX field: every brace is escaped, so none can end the field."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m[0]], " ".join(value.split()))


def plain_citation(collection: Collection, quote: Quote, url: str) -> str:
    return (
        f"“{quote.text}” — {collection.person}, on {quote.topic}, as attributed to "
        f"{quote.source.title} (status: {quote.status}). {collection.title}, {url}"
    )


def bibtex(collection: Collection, quote: Quote, url: str) -> str:
    key = f"{quote.id.replace('-', '_')}"
    note = f"Attributed to {quote.source.title}; status: {quote.status}. “{quote.text}”"
    fields = [
        ("author", collection.person),
        ("title", f"On {quote.topic}"),
        ("howpublished", collection.title),
        ("note", note),
    ]
    body = ",\n".join(f"  {name} = {{{bibtex_escape(value)}}}" for name, value in fields)
    return f"@misc{{{key},\n{body},\n  url = {{{bibtex_escape(url)}}}\n}}"
