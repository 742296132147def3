"""Citations of a quote: plain text and BibTeX, escaped for their own syntax."""

from __future__ import annotations

import re

from generator.model import Collection, Quote
from generator.provenance import VERDICTS, capital, credit

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
    """The quote as the collection gives it, with its status; then, where there is a record,
    where the closest passage of his own words is, which is what to quote instead."""
    cited = (
        f"“{quote.text}” — {credit(quote, collection.person)}, on {quote.topic}, according to "
        f"{quote.source.title} ({VERDICTS[quote.status]}). {collection.title}, {url}"
    )
    if not quote.record:
        return cited
    first = quote.record[0]
    return f"{cited}\nOn the record: {collection.person}, {first.where}, {first.url}"


def bibtex(collection: Collection, quote: Quote, url: str) -> str:
    key = f"{quote.id.replace('-', '_')}"
    note = (
        f"{capital(credit(quote, collection.person))} by {quote.source.title}; {VERDICTS[quote.status]}. “{quote.text}”"
    )
    if quote.record:
        first = quote.record[0]
        note += f" On the record: {first.where}, {first.url}"
    # Only verbatim words have him as their author; otherwise the entry is the collection's.
    fields = [("author", collection.person)] if quote.status == "verbatim" else []
    fields += [
        (
            "title",
            f"On {quote.topic}" if quote.status == "verbatim" else f"On {quote.topic} (attributed; {quote.status})",
        ),
        ("howpublished", collection.title),
        ("note", note),
    ]
    body = ",\n".join(f"  {name} = {{{bibtex_escape(value)}}}" for name, value in fields)
    return f"@misc{{{key},\n{body},\n  url = {{{bibtex_escape(url)}}}\n}}"
