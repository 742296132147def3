"""One run of the record check: every address the corpus links to, fetched once; each passage
and address given its result; the archive asked; the results merged with the last run's."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from generator.model import Collection
from generator.provenance import context_url
from generator.record_check import archive
from generator.record_check.fetch import Fetched, Fetcher, Politeness, Remap, run_async, without_fragment
from generator.record_check.match import Page, directive
from generator.record_check.page import PageText, page_text
from generator.record_check.results import (
    WORDS_THERE,
    Finding,
    PassageKey,
    RecordChecks,
    Result,
    Snapshot,
    merged,
    passage_key,
)

Progress = Callable[[str, int, int], None]


def today() -> date:
    """The run's date, in UTC (a function, so tests can fix it)."""
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class Target:
    """One thing the report has a line for: a record passage, or a quote's or source's own address."""

    url: str
    quote: str | None = None
    passage: int | None = None
    """1-based, in the quote's record."""
    source: str | None = None
    text: str | None = None
    link: str | None = None
    """The passage's "Read it in context" link, with its text fragment."""
    key: PassageKey | None = None

    @property
    def address(self) -> str:
        return without_fragment(self.url)


@dataclass(frozen=True, slots=True)
class Outcome:
    target: Target
    result: Result
    final_url: str | None
    """Where the address led: the new address when moved; else the last redirect's target, if any."""
    detail: str | None
    """Why, in words: the closest sentence (changed), the status (gone), the error (unreachable)."""
    snapshot: Snapshot | None = None
    """The newest archived copy known, this run's or an earlier one's."""


CAPTURES = 10
"""Captures asked of the archive per run, at most: Save Page Now is slow and rate-limited."""


@dataclass(frozen=True, slots=True)
class Settings:
    user_agent: str
    politeness: Politeness = field(default_factory=Politeness)
    remap: Remap = field(default_factory=Remap)
    archive: bool = True
    captures: int = CAPTURES


@dataclass(frozen=True, slots=True)
class Run:
    outcomes: tuple[Outcome, ...]
    checks: RecordChecks
    archive_errors: tuple[tuple[str, str], ...]
    """(address, what went wrong) for each failed archive request."""
    captured: tuple[str, ...]
    """Addresses whose capture was asked for."""
    requests: int
    addresses: int
    hosts: int


def targets(collection: Collection) -> list[Target]:
    """Every passage, then every quote's and source's own address, in reading order."""
    found: list[Target] = []
    for quote in collection.quotes():
        for n, passage in enumerate(quote.record, start=1):
            link = context_url(passage)
            found.append(Target(passage.url, quote.id, n, None, passage.text, link, passage_key(quote.id, passage)))
    for quote in collection.quotes():
        if quote.url:
            found.append(Target(quote.url, quote.id))
    found += [Target(s.url, source=s.id) for s in collection.sources if s.url]
    return found


def judge(target: Target, fetched: Fetched[PageText], page: Page | None) -> Outcome:
    """A target's result from what its address answered: a pure function, as `match`'s are."""
    final = fetched.final_url if fetched.final_url != target.address else None
    moved_to = fetched.moved_to
    if moved_to and "#" in target.url and "#" not in moved_to:
        moved_to += "#" + target.url.split("#", 1)[1]  # as a browser carries the fragment on
    status = fetched.status
    if status in (404, 410):
        where = f"moved to {final}, which " if final else ""
        return Outcome(target, "gone", final, f"{where}answers {status} {'Not Found' if status == 404 else 'Gone'}")
    if status is None or not 200 <= status < 300 or fetched.error:
        why = fetched.error or f"it answers {status}"
        return Outcome(target, "unreachable", final, why)
    if target.text is None or page is None:
        return Outcome(target, "moved", moved_to, None) if moved_to else Outcome(target, "found", final, None)
    verdict = page.verdict(target.text, target.link)
    if verdict.result == "changed":
        return Outcome(target, "changed", final, verdict.closest)
    if moved_to:
        return Outcome(target, "moved", moved_to, None)
    if verdict.result == "fragment-missed":
        start, end = directive(target.link) or ("", None)
        return Outcome(target, "fragment-missed", final, "text=" + start + (f",{end}" if end else ""))
    return Outcome(target, verdict.result, final, None)


async def _run(
    collection_targets: list[Target], settings: Settings, previous: RecordChecks, progress: Progress | None
) -> tuple[list[Outcome], dict[str, Snapshot | None], list[tuple[str, str]], list[str], int]:
    by_address: dict[str, list[Target]] = {}
    for t in collection_targets:
        by_address.setdefault(t.address, []).append(t)
    outcomes: dict[Target, Outcome] = {}
    snapshots: dict[str, Snapshot | None] = {}
    errors: list[tuple[str, str]] = []
    done = 0

    async with Fetcher(settings.user_agent, settings.politeness, settings.remap) as fetcher:

        async def one(address: str, group: list[Target]) -> None:
            nonlocal done
            reads = any(t.text is not None for t in group)
            fetched = await fetcher.fetch(address, page_text if reads else None)
            page = None
            if fetched.content is not None:
                page = Page(fetched.content.blocks, loose=fetched.content.kind == "pdf")
            for t in group:
                outcomes[t] = judge(t, fetched, page)
            del page, fetched  # the page's text is not kept while the archive is asked
            if settings.archive:
                try:
                    snapshots[address] = await archive.newest(fetcher, address)
                except archive.ArchiveError as e:
                    errors.append((address, f"could not look it up: {e}"))
            done += 1
            if progress:
                progress("record", done, len(by_address))

        await asyncio.gather(*(one(a, g) for a, g in by_address.items()))

        captured: list[str] = []
        if settings.archive and settings.captures > 0:
            wanted = [
                a
                for a, group in by_address.items()
                if snapshots.get(a) is None
                and previous.address(a).snapshot is None
                and a not in dict(errors)
                and any(outcomes[t].result in WORDS_THERE for t in group)
            ]
            wanted.sort(key=lambda a: (all(t.text is None for t in by_address[a]), a))  # passages' pages first
            captured = wanted[: settings.captures]

            async def capture(address: str) -> None:
                try:
                    made = await archive.capture(fetcher, address)
                except archive.ArchiveError as e:
                    errors.append((address, f"could not ask for a capture: {e}"))
                    return
                if made is not None:
                    snapshots[address] = made

            await asyncio.gather(*(capture(a) for a in captured))
        requests = fetcher.requests

    return [outcomes[t] for t in collection_targets], snapshots, sorted(errors), captured, requests


def run(collection: Collection, previous: RecordChecks, settings: Settings, progress: Progress | None = None) -> Run:
    found = targets(collection)
    outcomes, snapshots, errors, captured, requests = run_async(_run(found, settings, previous, progress))
    day = today()
    passages: dict[PassageKey, Finding] = {}
    addresses: dict[str, Finding] = {}
    for o in outcomes:
        t = o.target
        finding = Finding(o.result, o.final_url if o.result == "moved" else None, snapshots.get(t.address))
        if t.key is not None:
            passages[t.key] = finding
    for o in outcomes:
        # An address's own result: as a plain address answers, whatever its passages say.
        t = o.target
        if t.address in addresses:
            continue
        result: Result = o.result if o.result in ("moved", "gone", "unreachable") else "found"
        moved = o.final_url if result == "moved" else None
        addresses[t.address] = Finding(result, without_fragment(moved) if moved else None, snapshots.get(t.address))
    checks = merged(previous, day, passages, addresses)
    final: list[Outcome] = []
    for o in outcomes:
        t = o.target
        kept = checks.passages[t.key].snapshot if t.key else checks.address(t.address).snapshot
        final.append(Outcome(t, o.result, o.final_url, o.detail, kept))
    distinct = {t.address for t in found}
    hosts = {a.split("/")[2] for a in distinct}
    return Run(tuple(final), checks, tuple(errors), tuple(captured), requests, len(distinct), len(hosts))


def report_entry(outcome: Outcome) -> dict[str, Any]:
    """One object of --report's JSON list (../shared/design.md, "The record stays true")."""
    t = outcome.target
    return {
        "quote": t.quote,
        "passage": t.passage,
        "url": t.url,
        "result": outcome.result,
        "final_url": outcome.final_url,
        "archive": outcome.snapshot.url if outcome.snapshot else None,
        "detail": outcome.detail,
    }
