"""Stage 3: the collection as frozen values. Only `validate.validate` builds these."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Status = Literal["verbatim", "paraphrase", "disputed", "unverified"]

STATUSES: dict[Status, str] = {
    "verbatim": "checked word for word against the place cited",
    "paraphrase": "a faithful rendering of something the source says, not its exact words",
    "disputed": "conflicts with the record: wrong source, wrong person or wrong content",
    "unverified": "as the collection attributes it; not found in anything on record, or not yet checked",
}
"""What each status means, in the words the site shows readers."""

SOURCE_KINDS = ("podcast", "blog", "paper", "forum", "talk", "research thread")


@dataclass(frozen=True, slots=True)
class Source:
    """Where quotes are said to come from."""

    id: str
    """Slug, unique, never reused: the source page's address."""
    title: str
    kind: str
    """One of SOURCE_KINDS."""
    url: str | None
    """Where a reader can check, if anywhere."""
    description: str | None


@dataclass(frozen=True, slots=True)
class Passage:
    """What he is on record as saying: his exact words and where a reader finds them."""

    text: str
    """His exact words, copied character for character; ` … ` marks words left out, ` ¶ ` a
    paragraph break between two nearby passages."""
    url: str
    """The public page where a reader can read them in context."""
    where: str
    """Where on that page: a section heading or a timestamp, one line."""
    note: str | None
    """E.g. co-written with another author; an automatic transcript."""


# --- What the last check of the record at its sources found (data/record-checks.yaml) ------

Result = Literal["found", "fragment-missed", "moved", "changed", "gone", "unreachable"]
RESULTS: tuple[Result, ...] = ("found", "fragment-missed", "moved", "changed", "gone", "unreachable")
State = Result | Literal["unchecked"]
"""A passage's `data-check` attribute: a result, or never checked as it is written now."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An archived copy in the Internet Archive."""

    url: str
    """https://web.archive.org/web/<14-digit timestamp>/<the address>"""
    date: date
    """When it was captured."""


@dataclass(frozen=True, slots=True)
class Check:
    """The last check of one passage (or one plain address) at its source."""

    result: State
    checked: date | None = None
    """When the source was last read: the run's date; None when never checked."""
    since: date | None = None
    """The first run that gave this result, in a row."""
    moved_to: str | None = None
    """Where the address now leads (result 'moved')."""
    snapshot: Snapshot | None = None
    """The newest archived copy known of the address."""
    last_found: date | None = None
    """For changed, gone and unreachable: the last run that found the words (or the address) there."""


UNCHECKED = Check("unchecked")


@functools.lru_cache(maxsize=1 << 16)
def text_digest(text: str) -> str:
    """What the results file keeps of a passage's text: enough to tell an edit. Cached: each
    passage's check is looked up on every surface that shows it (up to eight)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


PassageKey = tuple[str, str, str]
"""(quote id, the passage's url, the digest of its text)."""


def passage_key(quote_id: str, passage: Passage) -> PassageKey:
    return quote_id, passage.url, text_digest(passage.text)


@dataclass(frozen=True, slots=True, eq=False)
class RecordChecks:
    """Every result of the last run."""

    checked: date | None
    """The run's date; None when the record has never been checked (no results file)."""
    passages: Mapping[PassageKey, Check] = field(default_factory=dict)
    addresses: Mapping[str, Check] = field(default_factory=dict)
    """Quotes' and sources' own addresses (and every passage's address), by url."""

    def passage(self, quote_id: str, passage: Passage) -> Check:
        """The passage's result, or UNCHECKED when it was never checked as it is written now."""
        if not self.passages:  # never checked: no digest to take for each of 10,000 passages
            return UNCHECKED
        return self.passages.get(passage_key(quote_id, passage), UNCHECKED)

    def address(self, url: str) -> Check:
        """How `url` (a fragment makes no difference) answered, or UNCHECKED."""
        return self.addresses.get(url.split("#", 1)[0], UNCHECKED)


NEVER_CHECKED = RecordChecks(None)


@dataclass(frozen=True, slots=True)
class Quote:
    """One quote, as a reader sees it."""

    id: str
    """Slug, unique across the corpus: the quote's permanent address."""
    topic: str
    """The 'On …' label, without 'On'."""
    text: str
    source: Source
    status: Status
    note: str | None
    """The curator's note: what was checked, where, what differs."""
    url: str | None
    """The exact place to check this quote; beats the source's address."""
    tags: tuple[str, ...]
    aliases: tuple[str, ...]
    """Former ids, whose addresses must keep working."""
    record: tuple[Passage, ...]
    """What he is on record as saying on this, closest first; empty when nothing was found."""
    part_id: str
    file: str
    """The data file that holds it, relative to the repository."""
    line: int
    """The line of the data file where the quote starts."""

    @property
    def check_url(self) -> str | None:
        return self.url or self.source.url


@dataclass(frozen=True, slots=True)
class Part:
    """A chapter of the collection: its quotes in reading order."""

    id: str
    number: int
    title: str
    quotes: tuple[Quote, ...]
    file: str


@dataclass(frozen=True, slots=True)
class Site:
    """Where the site is published; from mkdocs.yml, so a fork changes it in one place."""

    url: str
    """The address of the home page, ending in '/'."""
    name: str
    repo_url: str | None = None
    """The repository, where readers report problems; None when the site names none."""

    def quote_url(self, quote_id: str) -> str:
        return f"{self.url}quotes/{quote_id}/"

    def part_url(self, quote: Quote) -> str:
        return f"{self.url}parts/{quote.part_id}/#{quote.id}"


@dataclass(frozen=True, slots=True)
class Collection:
    """The whole corpus, valid."""

    title: str
    person: str
    description: str
    intro: str
    """The home page's opening paragraph; the description when the corpus gives none."""
    origin_title: str | None
    origin_url: str | None
    sources: tuple[Source, ...]
    """In the order of data/sources.yaml."""
    parts: tuple[Part, ...]
    """Ordered by number."""
    checks: RecordChecks = NEVER_CHECKED
    """What the last check of the record at its sources found (data/record-checks.yaml)."""
    _by_id: dict[str, Part] = field(init=False, repr=False, compare=False)
    """parts by id: `part()` is asked once per quote on every tag, source and quote page."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {p.id: p for p in self.parts})

    def quotes(self) -> Iterator[Quote]:
        for part in self.parts:
            yield from part.quotes

    def part(self, part_id: str) -> Part:
        return self._by_id[part_id]

    def by_source(self) -> dict[str, tuple[Quote, ...]]:
        """Every source's quotes in reading order, in one pass; sources in their file's order."""
        found: dict[str, list[Quote]] = {s.id: [] for s in self.sources}
        for quote in self.quotes():
            found[quote.source.id].append(quote)
        return {sid: tuple(quotes) for sid, quotes in found.items()}

    def status_counts(self) -> dict[Status, int]:
        """How many quotes carry each status, every status listed, in the order of STATUSES."""
        counts: dict[Status, int] = dict.fromkeys(STATUSES, 0)
        for quote in self.quotes():
            counts[quote.status] += 1
        return counts

    def tags(self) -> dict[str, tuple[Quote, ...]]:
        """Every tag and its quotes in reading order; tags sorted by name."""
        found: dict[str, list[Quote]] = {}
        for quote in self.quotes():
            for tag in quote.tags:
                found.setdefault(tag, []).append(quote)
        return {tag: tuple(found[tag]) for tag in sorted(found)}
