"""Citations of a quote: plain text and BibTeX, escaped for their own syntax."""

from __future__ import annotations

import re

from generator.model import Check, Collection, Quote
from generator.provenance import VERDICTS, attributed_by, check_line, credit, day

# BibTeX counts every brace in a field, escaped or not: `\}` still closes a group, and a topic
# `Safety}, author = "…"` would end the title there and write an author of its own. So a
# brace is written as the command that prints it, whose own braces are balanced and empty.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
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
    """Inert inside a braced BibTeX field: no brace of the value is one BibTeX counts, so
    none can end the field, and LaTeX prints every character as written."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m[0]], " ".join(value.split()))


def record_check(check: Check) -> str:
    """How a citation says when the passage it cites was last read at its source and where it
    is archived, as Wikipedia's access-date and archive-url do."""
    if check.checked is None:
        return "not yet checked at the source"
    if check.result in ("found", "fragment-missed", "moved"):
        said = f"checked at the source on {day(check.checked)}"
    else:
        said = check_line(check).rstrip(".").lower()
    if check.moved_to:
        said += f", now at {check.moved_to}"
    if check.snapshot:
        said += f"; archived at {check.snapshot.url} on {day(check.snapshot.date)}"
    return said


# BibTeX reads a name list: `and` between names makes several people, a comma makes "Last, First".
_NAME_SYNTAX = re.compile(r",|(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def bibtex_name(name: str) -> str:
    """One person as BibTeX reads a name: braced whole when BibTeX would read it as several
    people or reorder it, so that nobody is credited but the person named."""
    escaped = bibtex_escape(name)
    return f"{{{escaped}}}" if _NAME_SYNTAX.search(name) else escaped


def plain_citation(collection: Collection, quote: Quote, url: str) -> str:
    """The quote as the collection gives it, with its status; then, where there is a record,
    where the closest passage of his own words is, which is what to quote instead, and when
    that was last checked."""
    cited = (
        f"“{quote.text}” — {credit(quote, collection.person)}, on {quote.topic}, according to "
        f"{quote.source.title} ({VERDICTS[quote.status]}). {collection.title}, {url}"
    )
    if not quote.record:
        return cited
    first = quote.record[0]
    check = record_check(collection.checks.passage(quote.id, first))
    return f"{cited}\nOn the record: {collection.person}, {first.where}, {first.url} ({check})"


def bibtex(collection: Collection, quote: Quote, url: str) -> str:
    key = f"{quote.id.replace('-', '_')}"
    note = f"{attributed_by(quote, collection.person)}; {VERDICTS[quote.status]}. “{quote.text}”"
    checked = None
    if quote.record:
        first = quote.record[0]
        check = collection.checks.passage(quote.id, first)
        note += f" On the record: {first.where}, {first.url} ({record_check(check)})"
        checked = check.checked
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
    # When the record's address in the note was last read at its source (BibLaTeX's urldate).
    if checked:
        fields.append(("urldate", checked.isoformat()))
    written = {"author": bibtex_name}
    body = ",\n".join(f"  {name} = {{{written.get(name, bibtex_escape)(value)}}}" for name, value in fields)
    return f"@misc{{{key},\n{body},\n  url = {{{bibtex_escape(url)}}}\n}}"
