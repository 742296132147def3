"""One corpus measured: the libyaml floor, the generator's stages, cards, EPUB, the generator
cold, warm and after one edit, then `mkdocs build --strict` beside the plain Material peer."""

from __future__ import annotations

import inspect
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.measure import SiteFigures, counter, data_files, measure_site, mkdocs_build, remove_generated, say, timed
from bench.plain import write_plain
from bench.synth import write_corpus
from generator import pipeline
from generator.cards import CardSpec, draw_cards
from generator.epub import EPUB_CACHE, cached_epub
from generator.load import load
from generator.model import Collection, Quote, Site
from generator.render import render_site
from generator.validate import validate
from tests.serving import site_root

REAL_DATA = Path(__file__).resolve().parent.parent / "data"
CARD_CACHE = getattr(pipeline, "CARD_CACHE", ".cache/cards")
BUILD_HAS_CARDS = "cards" in inspect.signature(pipeline.build).parameters


@dataclass
class Figures:
    name: str
    quotes: int = 0
    corpus_bytes: int = 0
    parse: float = 0.0
    load: float = 0.0
    validate: float = 0.0
    render: float = 0.0
    generator_no_cards: float = 0.0
    generator: float = 0.0
    generator_written: int = 0
    generator_warm: float = 0.0
    edit: float = 0.0
    edit_written: list[str] = field(default_factory=list)
    edit_allowed: bool = False
    edit_cards_drawn: int = 0
    build_cards_drawn: int = 0
    cards_cold: float = 0.0
    cards_warm: float = 0.0
    cards_processes: int = 0
    card_max: int = 0
    card_mean: float = 0.0
    cards_bytes: int = 0
    epub_cold: float = 0.0
    epub_warm: float = 0.0
    epub_bytes: int = 0
    build: float = 0.0
    builds: list[float] = field(default_factory=list)
    plain_build: float = 0.0
    plain_builds: list[float] = field(default_factory=list)
    ours: SiteFigures | None = None
    plain: SiteFigures | None = None


def card_specs(collection: Collection, site: Site) -> list[CardSpec]:
    """The cards pipeline.build draws: one per quote (see generator/pipeline.py)."""
    return [pipeline.card_spec(q, collection, site) for q in collection.quotes()]


def edit_one_quote(root: Path, quote: Quote) -> None:
    """Change one quote's text in its part file, as a curator would."""
    path = root / quote.file
    lines = path.read_text("utf-8").split("\n")
    for i in range(quote.line - 1, len(lines)):
        stripped = lines[i].lstrip(" -")
        if stripped.startswith('text: "'):
            lines[i] = lines[i].replace('text: "', 'text: "Edited for the benchmark. ', 1)
            path.write_text("\n".join(lines), "utf-8")
            return
    raise SystemExit(f"{quote.file}: no double-quoted text after line {quote.line}")


def run_corpus(name: str, quotes: int | None, out: Path, repeat: int, keep: bool) -> Figures:
    fig = Figures(name)
    work = out / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if quotes is None:
        data = REAL_DATA
    else:
        say(f"{name}: writing a synthetic corpus of {quotes:,} quotes")
        write_corpus(work / "corpus", quotes)
        data = work / "corpus" / "data"
    root = site_root(work, data)
    docs = root / "docs"
    site = pipeline.site_of(root)
    collection, _ = pipeline.check(root, strict=True)
    all_quotes = list(collection.quotes())
    fig.quotes = len(all_quotes)

    say(f"{name}: parsing the data files with libyaml")
    texts = [p.read_bytes() for p in data_files(root)]
    fig.corpus_bytes = sum(len(raw) for raw in texts)

    def parse() -> None:
        for raw in texts:
            yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)

    fig.parse = min(timed(parse)[0] for _ in range(3))

    say(f"{name}: the generator's stages")
    fig.load, loaded = timed(lambda: load(root))
    fig.validate, (valid, _) = timed(lambda: validate(loaded, strict=True))
    fig.render, _ = timed(lambda: render_site(valid, site))

    specs = card_specs(collection, site)
    cache = root / CARD_CACHE
    fig.cards_processes = os.cpu_count() or 1
    say(f"{name}: drawing {len(specs):,} cards from nothing on {fig.cards_processes} processes")
    fig.cards_cold, cold = timed(lambda: draw_cards(specs, cache, processes=None, progress=counter("cards")))
    fig.cards_warm, _ = timed(lambda: draw_cards(specs, cache))
    unique = {key: len(image) for key, image in zip(specs, cold.images, strict=True)}
    fig.card_max = max(unique.values())
    fig.card_mean = sum(unique.values()) / len(unique)
    fig.cards_bytes = sum(len(i) for i in cold.images)

    # Like the cards: made into an empty cache, then asked for again, before the generator is
    # timed, so its figures are those of a build whose corpus did not change.
    say(f"{name}: the EPUB from nothing")
    date = pipeline.corpus_date(root)
    shutil.rmtree(root / EPUB_CACHE, ignore_errors=True)
    with pipeline.without_gc_pauses():  # as pipeline.build runs it
        fig.epub_cold, book = timed(lambda: cached_epub(collection, site, date, root / EPUB_CACHE))
        fig.epub_warm = min(timed(lambda: cached_epub(collection, site, date, root / EPUB_CACHE))[0] for _ in range(3))
    fig.epub_bytes = book.file.stat().st_size

    say(f"{name}: the generator, docs/ empty, cards cached")
    remove_generated(docs)
    if BUILD_HAS_CARDS:
        fig.generator_no_cards, _ = timed(lambda: pipeline.build(root, site, strict=True, cards=False))
        remove_generated(docs)
    fig.generator, result = timed(lambda: pipeline.build(root, site, strict=True))
    fig.generator_written = len(result.written.written)
    fig.build_cards_drawn = getattr(result, "cards_drawn", 0)
    if not BUILD_HAS_CARDS:
        fig.generator_no_cards = fig.generator
    fig.generator_warm = min(timed(lambda: pipeline.build(root, site, strict=True))[0] for _ in range(2))

    say(f"{name}: editing one quote")
    target = all_quotes[len(all_quotes) // 2]
    edit_one_quote(root, target)
    fig.edit, result = timed(lambda: pipeline.build(root, site, strict=True))
    fig.edit_written = list(result.written.written)
    fig.edit_cards_drawn = getattr(result, "cards_drawn", 0)
    # The files that show the quote's text; nothing else has a reason to change.
    # (The quote's own page is not among them: it is made after MkDocs, into site/.)
    allowed = {f"cards/{target.id}.png", f"parts/{target.part_id}.md"}
    allowed |= {"quotes.json", "feed.xml", "index.md", "all.md"}  # all.md: the whole collection shows it too
    fig.edit_allowed = set(fig.edit_written) <= allowed and f"parts/{target.part_id}.md" in fig.edit_written

    for i in range(repeat):
        say(f"{name}: mkdocs build --strict, as from a fresh clone with the card cache ({i + 1}/{repeat})")
        remove_generated(docs)
        shutil.rmtree(work / "site", ignore_errors=True)
        fig.builds.append(mkdocs_build(root / "mkdocs.yml", work / "site", strict=True))
        say(f"{name}: plain Material build of the same pages ({i + 1}/{repeat})")
        shutil.rmtree(work / "plain", ignore_errors=True)
        shutil.rmtree(work / "plain-site", ignore_errors=True)
        config = write_plain(collection, site, work / "plain")
        fig.plain_builds.append(mkdocs_build(config, work / "plain-site", strict=False))
    fig.build = min(fig.builds)
    fig.plain_build = min(fig.plain_builds)

    say(f"{name}: measuring both sites")
    fig.ours = measure_site(work / "site")
    fig.plain = measure_site(work / "plain-site")
    if not keep:
        shutil.rmtree(work)
    return fig
