"""The one entry point that the command line and the MkDocs hook share."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator.cards import CardSpec, draw_cards
from generator.epub import EPUB_CACHE, book_path, cached_epub
from generator.lean import card_path
from generator.load import load
from generator.model import Collection, Quote, Site
from generator.problems import CorpusError, Problem, errors_of
from generator.record_check.results import NEVER_CHECKED, read_checks
from generator.render import render_site
from generator.validate import validate
from generator.write import Written, conflicts, write


@dataclass(frozen=True, slots=True)
class Result:
    collection: Collection
    warnings: tuple[Problem, ...]
    written: Written
    cards_drawn: int
    """Preview cards drawn by this build; the rest came from the cache."""
    cards: dict[str, Path]
    """Each card's address in the site ("cards/<id>.png") and its file in the cache. Cards are
    not copied into docs/: MkDocs is handed them where they are (mkdocs_hook.on_files)."""
    epub: tuple[str, Path] | None = None
    """The EPUB's address in the site ("<title as a slug>.epub") and its file in the cache
    (EPUB_CACHE), handed to MkDocs as the cards are; None when the build was asked for none."""
    pages: dict[str, str | bytes] | None = None
    """The generated pages, by their path under docs/, when they were kept in memory instead
    of written (the preview's: see mkdocs_hook.on_files); None when written to docs/."""


CARD_CACHE = ".cache/cards"
"""Under the repository root; cards are kept by the content that draws them."""

Progress = Callable[[str, int, int], None]
"""(what, done, total): called as long operations advance."""


def terminal_progress() -> Progress | None:
    """Progress on stderr when a person watches a terminal; nothing in CI or a pipe."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(what: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{what}: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show


@contextlib.contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Loading 10,000 quotes makes some 300,000 objects and no reference cycles, yet Python's
    cyclic collector walks the growing heap again and again as they are made: a third of
    the generator's time. Reference counting still frees everything; the collector runs
    again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(root: Path, *, strict: bool = False) -> tuple[Collection, tuple[Problem, ...]]:
    """The valid collection and its warnings; raises CorpusError listing every error."""
    with without_gc_pauses():
        return _check(root, strict=strict)


def _check(root: Path, *, strict: bool) -> tuple[Collection, tuple[Problem, ...]]:
    collection, problems = validate(load(root), strict=strict)
    checks, damaged = read_checks(root)  # data/record-checks.yaml is data too, validated alike
    problems += damaged
    if collection is None or errors_of(problems):
        raise CorpusError(problems)
    if checks is not NEVER_CHECKED:
        collection = dataclasses.replace(collection, checks=checks)
    return collection, tuple(problems)


def site_of(root: Path) -> Site:
    """Where the site is published, read from mkdocs.yml (whose `!ENV` tags MkDocs' loader resolves)."""
    from mkdocs.utils.yaml import yaml_load

    path = root / "mkdocs.yml"
    if not path.is_file():  # a bare corpus, as in the tests: preview addresses
        return Site("http://127.0.0.1:8000/", "Preview")
    with path.open("rb") as f:
        config = yaml_load(f)
    url = str(config.get("site_url") or "http://127.0.0.1:8000/")
    repo = config.get("repo_url")
    return Site(url if url.endswith("/") else url + "/", str(config["site_name"]), str(repo) if repo else None)


def corpus_date(root: Path) -> str:
    """When the corpus last changed, for the feed: SOURCE_DATE_EPOCH if set (reproducible
    builds), else the last commit that touched data/, else a fixed date. Never the clock,
    so two builds of the same corpus are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        try:
            out = subprocess.run(
                ["git", "log", "-1", "--format=%ct", "--", "data"],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        epoch = out or "946684800"  # 2000-01-01
    return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def card_spec(quote: Quote, collection: Collection, site: Site) -> CardSpec:
    """What a quote's preview card shows; its status is part of it, so a new status draws a new card."""
    return CardSpec(quote.text, quote.topic, collection.person, quote.source.title, site.name, quote.status)


def build(
    root: Path,
    site: Site,
    *,
    strict: bool = False,
    docs: Path | None = None,
    cards: bool = True,
    epub: bool = True,
    progress: Progress | None = None,
    in_memory: bool = False,
) -> Result:
    """Check, render, draw the cards, make sure of the EPUB and write; nothing is written
    unless everything is valid. `in_memory`: keep the pages in the result, not in docs/."""
    with without_gc_pauses():
        return _build(
            root, site, strict=strict, docs=docs, cards=cards, epub=epub, progress=progress, in_memory=in_memory
        )


def _build(
    root: Path,
    site: Site,
    *,
    strict: bool,
    docs: Path | None,
    cards: bool,
    epub: bool,
    progress: Progress | None,
    in_memory: bool,
) -> Result:
    collection, warnings = _check(root, strict=strict)
    docs = docs or root / "docs"
    date = corpus_date(root)
    book = book_path(collection) if epub else None
    pages: dict[str, str | bytes] = dict(render_site(collection, site, date, epub=book))
    clashes = conflicts(pages, docs)
    if clashes:
        raise CorpusError(clashes)
    drawn = 0
    card_files: dict[str, Path] = {}
    if cards:
        quotes = list(collection.quotes())
        specs = [card_spec(q, collection, site) for q in quotes]
        report = (lambda done, total: progress("cards", done, total)) if progress else None
        drawn_cards = draw_cards(specs, root / CARD_CACHE, progress=report, load=False)
        card_files = {card_path(q): path for q, path in zip(quotes, drawn_cards.paths, strict=True)}
        drawn = drawn_cards.drawn
    # Built only when what it shows changed; otherwise found in the cache by its key.
    cached = cached_epub(collection, site, date, root / EPUB_CACHE) if epub else None
    book_file = (cached.path, cached.file) if cached else None
    if in_memory:
        return Result(collection, warnings, Written((), (), 0), drawn, card_files, book_file, pages)
    return Result(collection, warnings, write(pages, docs), drawn, card_files, book_file)
