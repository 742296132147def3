"""A citation cannot be forged: every BibTeX entry, of the real corpus and of the hostile one,
in every status, reads back with pybtex (as BibTeX tools read it) as exactly the fields the
site meant, each holding its text intact once its LaTeX is read as LaTeX prints it.

BibTeX counts every brace in a field, escaped or not: with braces written `\\{` `\\}`, a topic
`Safety}, author = "Neel Nanda"` on a disputed quote ended the title there and gave the entry
his name as its author, which the site withholds from every quote that is not verbatim.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from pybtex.database import BibliographyData, Person, parse_string

from generator import pipeline
from generator.cite import bibtex
from generator.model import STATUSES, Check, Collection, Quote, RecordChecks, Snapshot, Status, passage_key
from generator.provenance import VERDICTS
from tests.conftest import ROOT
from tests.hostile import HOSTILE, HOSTILE_URL, write_hostile_corpus

URL = "https://example.org/quotes/q/"

# How LaTeX prints what a field holds: each command the entry may use, and the character it is.
LATEX_PRINTS = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\#": "#",
    r"\$": "$",
    r"\%": "%",
    r"\&": "&",
    r"\_": "_",
}
_LATEX = re.compile("|".join(re.escape(k) for k in LATEX_PRINTS))


def printed(field: str) -> str:
    """A field's value as LaTeX prints it. Anything left that LaTeX would read as a command
    or a group (a backslash, a brace) fails: the value was not written as text."""
    rest = _LATEX.sub("", field)
    assert not set(rest) & set("\\{}$%#&_~^"), f"LaTeX syntax left in {field!r}"
    return _LATEX.sub(lambda m: LATEX_PRINTS[m[0]], field)


def name_of(person: Person) -> str:
    """A person's name in reading order, as LaTeX prints it; a name braced whole is one name."""
    parts = [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names]
    name = " ".join([*parts, *person.lineage_names])
    if len(parts) == 1 and name.startswith("{") and name.endswith("}"):
        name = name[1:-1]
    return printed(name)


def words(text: str) -> str:
    """BibTeX and LaTeX read any run of white space as one space."""
    return " ".join(text.split())


def read_back(entry: str) -> BibliographyData:
    return parse_string(entry, "bibtex")  # pybtex is strict by default: a syntax error raises


def check_entry(collection: Collection, quote: Quote, checked: str = "not yet checked at the source") -> None:
    """`checked`: what the note says of the record's last check at its source."""
    data = read_back(bibtex(collection, quote, URL))
    assert list(data.entries) == [quote.id.replace("-", "_")], "one entry, under the quote's own key"
    entry = data.entries[quote.id.replace("-", "_")]
    assert entry.type == "misc"
    verbatim = quote.status == "verbatim"
    fields = {name.lower(): printed(value) for name, value in entry.fields.items()}
    dated = quote.record and collection.checks.passage(quote.id, quote.record[0]).checked
    expected = ["howpublished", "note", "title", "url"] + (["urldate"] if dated else [])
    assert sorted(fields) == expected, f"{quote.id}: {sorted(fields)}"
    if dated:
        assert fields["urldate"] == "2026-12-14"
    authors = [name_of(p) for p in entry.persons.get("author", [])]
    assert authors == ([words(collection.person)] if verbatim else []), f"{quote.id}: authored by {authors}"
    topic = words(quote.topic)
    assert fields["title"] == (f"On {topic}" if verbatim else f"On {topic} (attributed; {quote.status})")
    assert fields["howpublished"] == words(collection.title)
    source = quote.source.title
    said = f"{collection.person}, in {source}" if verbatim else f"Attributed to {collection.person} by {source}"
    note = f"{said}; {VERDICTS[quote.status]}. “{quote.text}”"
    if quote.record:
        note += f" On the record: {quote.record[0].where}, {quote.record[0].url} ({checked})"
    assert fields["note"] == words(note), quote.id
    assert fields["url"] == URL


@cache
def real() -> Collection:
    return pipeline.check(ROOT)[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    root = tmp_path_factory.mktemp("hostile-cite")
    write_hostile_corpus(root / "data")
    return pipeline.check(root)[0]


@pytest.mark.parametrize("status", list(STATUSES))
def test_every_entry_of_the_real_corpus_reads_back_as_the_fields_meant(status: Status) -> None:
    collection = real()
    for quote in collection.quotes():
        check_entry(collection, dataclasses.replace(quote, status=status))


@pytest.mark.parametrize("status", list(STATUSES))
def test_every_entry_of_the_hostile_corpus_reads_back_as_the_fields_meant(hostile: Collection, status: Status) -> None:
    quotes = list(hostile.quotes())
    assert len(quotes) == len(HOSTILE)
    assert all(q.record and q.record[0].url == HOSTILE_URL for q in quotes)
    for quote in quotes:
        check_entry(hostile, dataclasses.replace(quote, status=status))


def a_quote(**changes: str) -> tuple[Collection, Quote]:
    collection = real()
    quote = next(q for q in collection.quotes() if q.record)
    return collection, dataclasses.replace(quote, **changes)  # type: ignore[arg-type]


def test_a_topic_cannot_make_him_the_author_of_a_disputed_quote() -> None:
    collection, quote = a_quote(topic='Safety}, author = "Neel Nanda"', status="disputed")
    entry = read_back(bibtex(collection, quote, URL)).entries[quote.id.replace("-", "_")]
    assert "author" not in entry.persons and "author" not in entry.fields
    assert {"howpublished", "note", "url"} <= set(entry.fields)
    check_entry(collection, quote)


@pytest.mark.parametrize("topic", ["Smileys :}", "Smileys :{", "}}}}", "{{{{", "a}b{c", "\\", "\\}"])
def test_unbalanced_braces_and_backslashes_neither_cut_the_entry_nor_add_to_it(topic: str) -> None:
    collection, quote = a_quote(topic=topic)
    check_entry(collection, quote)


@pytest.mark.parametrize(
    "person", ["Neel Nanda and Chris Olah", "Nanda, Neel", "Olah, Chris AND Nanda, Neel", "Ada and", "Jr, {x}"]
)
def test_the_person_is_one_author_whatever_the_name_holds(person: str) -> None:
    collection, quote = a_quote(status="verbatim")
    collection = dataclasses.replace(collection, person=person)
    entry = read_back(bibtex(collection, quote, URL)).entries[quote.id.replace("-", "_")]
    assert [name_of(p) for p in entry.persons["author"]] == [person]
    check_entry(collection, quote)


def test_the_text_written_into_an_entry_is_what_latex_prints() -> None:
    collection, quote = a_quote(text="50% of {x} & y_1 ~ #2 $3 ^ \\ end", status="paraphrase")
    entry = read_back(bibtex(collection, quote, URL)).entries[quote.id.replace("-", "_")]
    assert "“50% of {x} & y_1 ~ #2 $3 ^ \\ end”" in printed(entry.fields["note"])


def test_each_escape_the_tests_read_is_one_latex_prints() -> None:
    """The reading above knows these commands; the entry may use no others."""
    collection, quote = a_quote(text="".join(LATEX_PRINTS.values()))
    field = read_back(bibtex(collection, quote, URL)).entries[quote.id.replace("-", "_")].fields["note"]
    assert set(re.findall(r"\\[a-z]+\{\}|\\.", field)) == set(LATEX_PRINTS)


def test_the_site_writes_the_entry_it_shows(built_site: Path) -> None:
    """The quote page's BibTeX is this module's entry, as the browser shows it."""
    from html import unescape

    collection = real()
    quote = next(collection.quotes())
    page = (built_site / "quotes" / quote.id / "index.html").read_text("utf-8")
    shown = re.search(r'<pre class="nn-cite-text" id="cite-bibtex">(.*?)</pre>', page, re.S)
    assert shown is not None
    assert unescape(shown[1]) == bibtex(collection, quote, pipeline.site_of(ROOT).quote_url(quote.id))


def test_a_checked_passage_dates_the_entry_and_names_its_archived_copy() -> None:
    collection = real()
    quote = next(q for q in collection.quotes() if q.record)
    copy = Snapshot("https://web.archive.org/web/20251002081500/https://example.org/", date(2025, 10, 2))
    found = Check("found", date(2026, 12, 14), date(2026, 12, 14), snapshot=copy)
    checks = RecordChecks(found.checked, {passage_key(quote.id, quote.record[0]): found})
    said = f"checked at the source on 14 Dec 2026; archived at {copy.url} on 2 Oct 2025"
    check_entry(dataclasses.replace(collection, checks=checks), quote, said)
