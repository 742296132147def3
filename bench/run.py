"""`make bench`: build synthetic corpora of 1,000 and 10,000 quotes (and the real one) beside a
plain Material site of the same pages, print the figures and the budgets of issue 6, and
record them in bench/README.md.

    .venv/bin/python -m bench.run [--sizes 1000,10000] [--repeat 3] [--no-real] [--no-readme] [--keep]

Everything is written under bench/out/ (ignored by git) and deleted once measured, unless
--keep. Progress goes to stderr when a person watches a terminal, nothing in CI or a pipe;
the table goes to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import inspect
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.synth import write_corpus  # noqa: E402
from generator import pipeline  # noqa: E402
from generator.cards import CardSpec, draw_cards  # noqa: E402
from generator.epub import EPUB_CACHE, cached_epub  # noqa: E402
from generator.load import load  # noqa: E402
from generator.model import Collection, Quote, Site  # noqa: E402
from generator.render import render_site  # noqa: E402
from generator.validate import validate  # noqa: E402
from generator.write import MANIFEST, read_manifest  # noqa: E402
from tests.serving import build as strict_build  # noqa: E402
from tests.serving import site_root  # noqa: E402

OUT = ROOT / "bench" / "out"
README = ROOT / "bench" / "README.md"
INTERACTIVE = sys.stderr.isatty() and not os.environ.get("CI")
CARD_CACHE = getattr(pipeline, "CARD_CACHE", ".cache/cards")
BUILD_HAS_CARDS = "cards" in inspect.signature(pipeline.build).parameters

KB = 1000
MB = 1000 * 1000

# --- Progress -----------------------------------------------------------------------------

_START = time.perf_counter()


def say(message: str) -> None:
    """A line of progress on stderr, for a person at a terminal only."""
    if INTERACTIVE:
        print(f"[{time.perf_counter() - _START:6.1f}s] {message}", file=sys.stderr, flush=True)


def counter(what: str) -> Callable[[int, int], None] | None:
    if not INTERACTIVE:
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r           {what}: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# --- Files --------------------------------------------------------------------------------


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def gz(data: bytes) -> int:
    """Bytes on the wire: gzip at the level web servers use."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def remove_generated(docs: Path) -> None:
    """docs/ as in a fresh clone: no generated page, no manifest (the card cache stays)."""
    for rel in sorted(read_manifest(docs) | {MANIFEST}):
        (docs / rel).unlink(missing_ok=True)
    for folder in sorted((p for p in docs.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def data_files(root: Path) -> list[Path]:
    return sorted((root / "data").rglob("*.yaml"))


# --- What a first visit fetches -------------------------------------------------------------

# Elements whose script in docs/assets/site.js fetches a file as the page loads, not on a click:
# the 404 page's suggestions. Which file is read from site.js itself (the first `fetch(new
# URL("…"` after the element is looked up), so the figure follows the script.
LOADS_ON_SIGHT = ("nn-suggestions",)
SITE_JS = "assets/site.js"


def script_fetches(site: Path) -> dict[str, str]:
    """{element id: the file site.js fetches at load when the page has that element}."""
    path = site / SITE_JS
    script = path.read_text("utf-8") if path.is_file() else ""
    found: dict[str, str] = {}
    for ident in LOADS_ON_SIGHT:
        m = re.search(rf"""getElementById\(["']{ident}["']\)[\s\S]*?fetch\(new URL\(["']([^"']+)["']""", script)
        if m:
            found[ident] = m[1]
    return found


class _Refs(HTMLParser):
    """What a browser fetches to show a page: stylesheets, icons, preloads, scripts, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self._config = False
        self.config = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "link":
            rel = set(a.get("rel", "").lower().split())
            if rel & {"stylesheet", "icon", "preload", "modulepreload"} and a.get("href"):
                self.urls.append(a["href"])
        elif tag == "script":
            if a.get("src"):
                self.urls.append(a["src"])
            self._config = a.get("id") == "__config"
        elif tag in ("img", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "use" and a.get("href", "").partition("#")[0]:  # an SVG sprite (quote pages)
            self.urls.append(a["href"].partition("#")[0])

    def handle_data(self, data: str) -> None:
        if self._config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._config = False


@dataclass
class Visit:
    page: str
    page_gz: int
    total_gz: int
    assets: dict[str, int] = field(default_factory=dict)
    """Path under the site → gzipped bytes."""
    other_hosts: list[str] = field(default_factory=list)


def _resolve(site: Path, base: str, url: str) -> str | None:
    """The path under the site that `url`, written in the file at `base`, names; None for another host."""
    parts = urlsplit(url)
    if not parts.path:
        return ""
    if parts.scheme in ("http", "https") or url.startswith("//"):
        return None
    if parts.scheme == "data":
        return ""
    path = str(PurePosixPath(base).parent / unquote(parts.path)) if not parts.path.startswith("/") else parts.path[1:]
    resolved = os.path.normpath(path).replace(os.sep, "/")
    if (site / resolved).is_dir():
        resolved = f"{resolved}/index.html"
    return resolved


def first_visit(site: Path, page: str) -> Visit:
    """A first visit to `page` (a path under the site): the page and everything it makes the
    browser fetch on load, each gzipped. The search index is fetched only on search: excluded."""
    data = (site / page).read_bytes()
    refs = _Refs()
    refs.feed(data.decode("utf-8"))
    urls = list(refs.urls)
    if refs.config:  # Material starts its search worker on every page load
        with contextlib.suppress(ValueError, KeyError, TypeError):
            urls.append(json.loads(refs.config)["search"])
    visit = Visit(page, gz(data), 0)
    queue = [(page, u) for u in urls]
    queue += [("index.html", fetched) for ident, fetched in script_fetches(site).items() if ident in refs.ids]
    while queue:
        base, url = queue.pop(0)
        rel = _resolve(site, base, url)
        if rel is None:
            visit.other_hosts.append(url)
            continue
        if not rel or rel in visit.assets or rel.endswith("search_index.json"):
            continue
        path = site / rel
        if not path.is_file():
            continue
        body = path.read_bytes()
        visit.assets[rel] = gz(body)
        if rel.endswith(".css"):  # fonts and images a stylesheet names
            text = body.decode("utf-8", "replace")
            for found in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]", text):
                target = found[0] or found[1]
                if not target.startswith("data:") and not target.startswith("#"):
                    queue.append((rel, target))
    visit.total_gz = visit.page_gz + sum(visit.assets.values())
    return visit


# --- A built site -------------------------------------------------------------------------


@dataclass
class SiteFigures:
    pages: int
    bytes: int
    card_bytes: int
    largest_page: str
    largest_page_bytes: int
    index_bytes: int
    index_gz: int
    part_visit: Visit | None
    worst_visit: Visit | None


def measure_site(site: Path, visits: bool = True) -> SiteFigures:
    pages = [p for p in site.rglob("*.html")]
    sizes = {p: p.stat().st_size for p in pages}
    largest = max(pages, key=lambda p: sizes[p])
    index = site / "search" / "search_index.json"
    index_data = index.read_bytes() if index.is_file() else b""
    cards = site / "cards"
    part_visit = worst = None
    if visits:
        candidates = [p.relative_to(site).as_posix() for p in (site / "parts").glob("*/index.html")]
        part_visits = [first_visit(site, rel) for rel in candidates]
        part_visit = max(part_visits, key=lambda v: v.total_gz) if part_visits else None
        others = ["index.html", "404.html", largest.relative_to(site).as_posix()]
        others += [p.relative_to(site).as_posix() for p in sorted(site.glob("*/index.html"))]
        quote_pages = sorted((site / "quotes").glob("*/index.html"))
        if quote_pages:
            others.append(max(quote_pages, key=lambda p: sizes[p]).relative_to(site).as_posix())
        all_visits = part_visits + [first_visit(site, rel) for rel in dict.fromkeys(others) if (site / rel).is_file()]
        worst = max(all_visits, key=lambda v: v.total_gz)
    return SiteFigures(
        pages=len(pages),
        bytes=tree_bytes(site),
        card_bytes=tree_bytes(cards) if cards.is_dir() else 0,
        largest_page=largest.relative_to(site).as_posix(),
        largest_page_bytes=sizes[largest],
        index_bytes=len(index_data),
        index_gz=gz(index_data),
        part_visit=part_visit,
        worst_visit=worst,
    )


def mkdocs_build(config: Path, out: Path, strict: bool) -> float:
    """Seconds for `mkdocs build` in a fresh process, as a person or CI runs it."""
    if strict:
        seconds, result = timed(lambda: strict_build(config.parent, out))
    else:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config), "--site-dir", str(out)]
        seconds, result = timed(
            lambda: subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True, check=False)
        )
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed for {config}:\n{result.stdout}\n{result.stderr}")
    return float(seconds)


# --- The plain Material peer --------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md(value: str) -> str:
    """Plain Markdown text, as a person writing the pages by hand would escape it."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def write_plain(collection: Collection, site: Site, root: Path) -> Path:
    """The same pages as plain Markdown for Material's defaults: no generator, hook, cards or templates."""
    docs = root / "docs"
    config = root / "mkdocs.yml"
    docs.mkdir(parents=True)
    # The navigation lists the parts and the sources, as ours does, and Material repeats it in
    # every page. Not the quote pages: Material's default nav would list all of them in every
    # page, which grows with the square of the corpus (1,000 quotes: 400 kB a page, 0.5 GB;
    # 10,000 would be some 30 GB), so they are left out of it as in our site.
    nav: list[dict[str, Any]] = [{"Home": "index.md"}]
    nav.append({"Parts": [{html.escape(p.title): f"parts/{p.id}.md"} for p in collection.parts]})
    nav.append({"Sources": [{html.escape(s.title): f"sources/{s.id}.md"} for s in collection.sources]})
    config.write_text(
        f"site_name: {json.dumps(collection.title)}\nsite_url: {json.dumps(site.url)}\n"
        "theme:\n  name: material\nplugins:\n  - search\nnot_in_nav: /quotes/\n"
        f"nav: {json.dumps(nav, ensure_ascii=False)}\n",
        "utf-8",
    )

    def quote_block(q: Quote, up: str) -> str:
        text = "\n>\n".join(f"> {md(p)}" for p in q.text.split("\n"))
        lines = [
            text,
            "",
            f"— {md(collection.person)}, according to [{md(q.source.title)}]({up}sources/{q.source.id}.md)"
            f" · status: {q.status}",
        ]
        if q.note:
            lines += ["", f"**Note:** {md(q.note)}"]
        if q.tags:
            lines += ["", "Tags: " + ", ".join(md(t) for t in q.tags)]
        # The same content as ours: what he is on record as saying, under each quote.
        for passage in q.record:
            words = "\n>\n".join(f"> {md(p)}" for p in passage.text.split("\n"))
            note = f" ({md(passage.note)})" if passage.note else ""
            lines += ["", words, "", f"— {md(passage.where)}{note}, [read it in context](<{passage.url}>)"]
        return "\n".join(lines)

    (docs / "index.md").write_text(
        f"# {md(collection.title)}\n\n{md(collection.intro)}\n\n"
        + "".join(f"{p.number}. [{md(p.title)}](parts/{p.id}.md)\n" for p in collection.parts),
        "utf-8",
    )
    for folder in ("parts", "sources", "quotes"):
        (docs / folder).mkdir()
    by_source: dict[str, list[Quote]] = {}
    for part in collection.parts:
        body = [f"# Part {part.number}: {md(part.title)}\n"]
        for q in part.quotes:
            by_source.setdefault(q.source.id, []).append(q)
            body.append(f"## On {md(q.topic)}\n\n{quote_block(q, '../')}\n\n[Quote page](../quotes/{q.id}.md)\n")
            (docs / "quotes" / f"{q.id}.md").write_text(
                f"# On {md(q.topic)}\n\n{quote_block(q, '../')}\n\n"
                f"Part {part.number}: [{md(part.title)}](../parts/{part.id}.md)\n",
                "utf-8",
            )
        (docs / "parts" / f"{part.id}.md").write_text("\n".join(body), "utf-8")
    for source in collection.sources:
        items = "".join(f"- [On {md(q.topic)}](../quotes/{q.id}.md)\n" for q in by_source.get(source.id, []))
        about = f"{md(source.description)}\n\n" if source.description else ""
        (docs / "sources" / f"{source.id}.md").write_text(
            f"# {md(source.title)}\n\n{source.kind}\n\n{about}## Quotes attributed to it\n\n{items}", "utf-8"
        )
    return config


# --- One corpus ---------------------------------------------------------------------------


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
        data = ROOT / "data"
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


# --- Report -------------------------------------------------------------------------------


def s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def size(n: float) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= KB:
        return f"{n / KB:.1f} kB"
    return f"{n:.0f} B"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def figures_table(figs: list[Figures]) -> str:
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, value: Callable[[Figures], str]) -> None:
        rows.append((label, [value(f) for f in figs]))

    def ours(f: Figures) -> SiteFigures:
        assert f.ours is not None
        return f.ours

    def plain(f: Figures) -> SiteFigures:
        assert f.plain is not None
        return f.plain

    row("quotes", lambda f: f"{f.quotes:,}")
    row("corpus (the YAML of data/)", lambda f: size(f.corpus_bytes))
    row("YAML parse alone (libyaml C loader)", lambda f: s(f.parse))
    row("generator stages: load · validate · render", lambda f: f"{s(f.load)} · {s(f.validate)} · {s(f.render)}")
    row("**generator**, docs/ empty, cards cached", lambda f: f"{s(f.generator)} ({f.generator_written:,} files)")
    row("generator without cards, docs/ empty", lambda f: s(f.generator_no_cards))
    row("generator, nothing changed", lambda f: s(f.generator_warm))
    row(
        "generator after editing one quote",
        lambda f: f"{s(f.edit)}: {len(f.edit_written)} files, {f.edit_cards_drawn} card drawn",
    )
    row(
        "cards from nothing (every core)",
        lambda f: (
            f"{s(f.cards_cold)} on {f.cards_processes} ({f.cards_cold / f.quotes * 1000 * f.cards_processes:.0f}"
            " ms per card per core)"
        ),
    )
    row("cards, all cached", lambda f: s(f.cards_warm))
    row("card size: largest · mean", lambda f: f"{size(f.card_max)} · {size(f.card_mean)}")
    row("EPUB from nothing", lambda f: s(f.epub_cold))
    row("EPUB, cached", lambda f: s(f.epub_warm))
    row("EPUB size", lambda f: size(f.epub_bytes))
    row("**full build** (`mkdocs build --strict`, cards cached)", lambda f: s(f.build))
    row("plain Material build (`mkdocs build`)", lambda f: s(f.plain_build))
    row("full build ÷ plain", lambda f: ratio(f.build, f.plain_build))
    row("pages (HTML files): ours · plain", lambda f: f"{ours(f).pages:,} · {plain(f).pages:,}")
    row("**site size** with cards", lambda f: size(ours(f).bytes))
    row("site size without cards", lambda f: size(ours(f).bytes - ours(f).card_bytes))
    row("plain site size", lambda f: size(plain(f).bytes))
    row("site without cards ÷ plain", lambda f: ratio(ours(f).bytes - ours(f).card_bytes, plain(f).bytes))
    row("site without cards ÷ corpus", lambda f: ratio(ours(f).bytes - ours(f).card_bytes, f.corpus_bytes))
    row(
        "bytes per quote: with cards · without",
        lambda f: f"{size(ours(f).bytes / f.quotes)} · {size((ours(f).bytes - ours(f).card_bytes) / f.quotes)}",
    )
    row("largest page", lambda f: f"{size(ours(f).largest_page_bytes)} `{ours(f).largest_page}`")
    row("largest page, plain", lambda f: f"{size(plain(f).largest_page_bytes)} `{plain(f).largest_page}`")
    row("search index: raw · gzipped", lambda f: f"{size(ours(f).index_bytes)} · {size(ours(f).index_gz)}")
    row("search index, plain: raw · gzipped", lambda f: f"{size(plain(f).index_bytes)} · {size(plain(f).index_gz)}")

    def visit(v: Visit | None) -> str:
        return "–" if v is None else f"{size(v.total_gz)} (page {size(v.page_gz)}) `{v.page}`"

    row("**first visit to a part page**, gzipped (largest)", lambda f: visit(ours(f).part_visit))
    row("first visit, worst page measured, gzipped", lambda f: visit(ours(f).worst_visit))
    row("first visit to a part page, plain", lambda f: visit(plain(f).part_visit))

    header = "| | " + " | ".join(f.name for f in figs) + " |"
    lines = [header, "|---|" + "---|" * len(figs)]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(lines)


@dataclass
class Budget:
    name: str
    limit: str
    measured: str
    ratio: str
    ok: bool


def budgets(figs: list[Figures]) -> list[Budget]:
    by_name = {f.name: f for f in figs}
    out: list[Budget] = []
    big = max(figs, key=lambda f: f.quotes)
    small = [f for f in figs if f.quotes < big.quotes and f.name != "real"]
    real = by_name.get("real")
    assert big.ours is not None
    label = f"{big.quotes:,} quotes"

    def add(name: str, limit: str, measured: float, bound: float, show: Callable[[float], str]) -> None:
        out.append(Budget(name, limit, show(measured), f"{measured / bound:.2f}", measured <= bound))

    add(
        f"full build, cards cached ≤ 0.5 × plain ({label})",
        f"≤ {s(0.5 * big.plain_build)}",
        big.build,
        0.5 * big.plain_build,
        s,
    )
    add(f"full build ≤ 60 s ({label})", "≤ 60 s", big.build, 60, s)
    add(f"cards from nothing, every core ≤ 60 s ({label})", "≤ 60 s", big.cards_cold, 60, s)
    add(f"each card ≤ 25 kB ({label}, largest)", "≤ 25 kB", big.card_max, 25 * KB, size)
    add(f"site with cards ≤ 400 MB ({label})", "≤ 400 MB", big.ours.bytes, 400 * MB, size)
    add(f"site without cards ≤ 150 MB ({label})", "≤ 150 MB", big.ours.bytes - big.ours.card_bytes, 150 * MB, size)
    if small:
        base = max(small, key=lambda f: f.quotes)
        times = big.quotes / base.quotes
        add(
            f"build grows linearly: {label} ≤ {times * 1.2:.0f} × {base.quotes:,}",
            f"≤ {s(times * 1.2 * base.build)}",
            big.build,
            times * 1.2 * base.build,
            s,
        )
    add(f"generator ≤ 2 × libyaml parse ({label})", f"≤ {s(2 * big.parse)}", big.generator, 2 * big.parse, s)
    add(f"generator ≤ 2 s ({label})", "≤ 2 s", big.generator, 2, s)
    out.append(
        Budget(
            f"one quote edited: rewrites only what shows it ({label})",
            "its page, part, /all/, card, EPUB, quotes.json, feed",
            f"{len(big.edit_written)} files, {big.edit_cards_drawn} card drawn",
            "–",
            big.edit_allowed and big.edit_cards_drawn <= 1,
        )
    )
    worst = max((f for f in figs if f.ours and f.ours.worst_visit), key=lambda f: f.ours.worst_visit.total_gz)  # type: ignore[union-attr]
    assert worst.ours is not None and worst.ours.worst_visit is not None
    add(
        f"first visit to any page ≤ 300 kB gzipped ({worst.name}, `{worst.ours.worst_visit.page}`)",
        "≤ 300 kB",
        worst.ours.worst_visit.total_gz,
        300 * KB,
        size,
    )
    if real is not None:
        add(
            f"real site ({real.quotes} quotes), cards cached ≤ 1.2 × plain",
            f"≤ {s(1.2 * real.plain_build)}",
            real.build,
            1.2 * real.plain_build,
            s,
        )
    return out


def budgets_table(rows: list[Budget]) -> str:
    lines = ["| budget | limit | measured | ÷ limit | |", "|---|---|---|---|---|"]
    lines += [f"| {b.name} | {b.limit} | {b.measured} | {b.ratio} | {'PASS' if b.ok else '**FAIL**'} |" for b in rows]
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    system = f"{platform.system()} {platform.machine()}"
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {system}"


def notes(figs: list[Figures]) -> list[str]:
    out: list[str] = []
    for f in figs:
        if f.build_cards_drawn:
            out.append(
                f"{f.name}: the build drew {f.build_cards_drawn} cards the bench had drawn already: "
                "its card specs differ from bench.run.card_specs."
            )
        if f.ours and f.ours.worst_visit and f.ours.worst_visit.other_hosts:
            out.append(f"{f.name}: a first visit asks other hosts: {', '.join(f.ours.worst_visit.other_hosts)}")
        if not f.edit_allowed:
            out.append(f"{f.name}: editing one quote rewrote {', '.join(f.edit_written) or 'nothing'}")
    if not BUILD_HAS_CARDS:
        out.append("pipeline.build does not draw cards yet: the builds and sites above have none.")
    return out


def report(figs: list[Figures], when: str, total: float) -> str:
    lines = [
        f"Measured {when} on {machine()}; the whole run took {s(total)}.",
        "",
        figures_table(figs),
        "",
        budgets_table(budgets(figs)),
    ]
    extra = notes(figs)
    if extra:
        lines += ["", *(f"- {n}" for n in extra)]
    return "\n".join(lines)


README_HEAD = """\
# The benchmark

`make bench` checks the budgets of issue 6 ("10,000 quotes build in under a minute, and no
reader downloads the whole collection on every page"). It writes synthetic corpora of 1,000
and 10,000 quotes in the real corpus format (`bench/synth.py`: deterministic from a seed;
50 parts, 200 sources; quote texts of the real corpus's lengths, one in twenty long; notes,
tags, aliases, and text that would be markup if it were not escaped), builds each one, and
builds beside it a plain Material site of the same pages, so every figure is also a ratio
that holds on a noisy machine. The real 75-quote corpus is measured the same way.

```sh
make bench                                   # everything: 5 minutes on 2 cores, 1 of them drawing cards
.venv/bin/python -m bench.run --sizes 1000 --no-readme   # a quick look, README untouched
.venv/bin/python -m bench.synth bench/out/corpus --quotes 10000   # just write a corpus
```

Options: `--sizes 1000,10000`, `--repeat N` (builds of each size below 10,000 are repeated
N times and the fastest counts; default 3), `--no-real`, `--keep` (leave the sites under
`bench/out/`), `--no-readme`; `BENCH_STRICT=1` makes it exit with status 1 when a budget
fails. Each run works in its own folder under `bench/out/` and deletes it once measured:
the plain 10,000-quote site alone is about a gigabyte. Progress goes to stderr on a
terminal, never in CI (`CI` set) or a pipe.

## What each figure means

- **corpus**: the bytes of the data files; *site without cards ÷ corpus* says how many bytes of
  site each byte of the corpus becomes, which stays comparable when the corpus itself grows
  (quotes gained records of his own words in issue 11: the 10,000-quote corpus went from 5.2
  to 9.9 MB).
- **YAML parse alone**: reading and parsing every data file with libyaml's C loader
  (`yaml.load(…, Loader=yaml.CSafeLoader)`), the floor the generator is compared with.
- **generator stages**: `load` (YAML with line numbers), `validate` (and build the model),
  `render_site` (every page as text), each timed once in-process.
- **generator**: `generator.pipeline.build` in-process (load, validate, render, making
  sure every card is in the cache, write) into an empty `docs/`, as in a fresh clone whose
  card cache CI kept; *without cards* passes `cards=False`; *nothing changed* runs it again;
  *after editing one quote* prefixes one quote's text and counts the files it rewrote. The
  quote, source and tag pages are not the generator's: they are made after MkDocs has run
  (`generator/skeleton.py`), so their time is in the full build.
- **cards from nothing**: `generator.cards.draw_cards` for every quote into an empty cache,
  one process per core; *all cached* asks again. Card sizes are of the PNG files.
- **EPUB from nothing**: `generator.epub.cached_epub` into an empty cache (render every
  chapter, draw the cover, package and zip); *cached* asks again, which costs the cache key
  (the whole model as JSON, hashed) and is part of every generator figure above. *EPUB size*
  is the file's, as the site serves it. Editing one quote makes a new book: that is in the
  *after editing one quote* figure.
- **full build**: `mkdocs build --strict` in a fresh process (the hook runs the generator,
  MkDocs renders the home, part and index pages, then the hook fills every quote, source
  and tag page into its skeleton), from a `docs/` without generated pages, card cache
  kept. **plain Material build**: `mkdocs build` of the same pages (home, parts, sources,
  one page per quote) as hand-written Markdown: Material's defaults, the search plugin, no
  hook, no cards, no templates, and a nav of the parts and the sources that Material
  repeats in every page. The quote pages are left out of its nav: Material's default nav
  would list all of them in every page, and that grows with the square of the corpus
  (1,000 quotes: 400 kB a page, 505 MB, 44 s; 10,000 would be some 30 GB). Both are
  wall-clock seconds, the fastest of the repeats.
- **pages**: HTML files in the built site. **site size**: the bytes of every file, as GitHub
  Pages counts them (limit 1 GB). **bytes per quote**: site size ÷ quotes.
- **search index**: `search/search_index.json`, raw and gzipped (level 6, as web servers do).
- **first visit**: the page's HTML plus everything it makes a browser fetch on load, each
  gzipped: stylesheets, icons, preloads, scripts, images, what the stylesheets import,
  Material's search worker (started on every page), and what the site's scripts fetch at
  once (the 404 page's suggestions read `quotes.json`). The search index is left out: it is
  fetched only when the reader starts to search (`overrides/main.html`; the browser tests
  check it). *part page* is the largest part page; *worst page measured* is the largest of
  every part page, the home and 404 pages, the largest page, the largest quote page and each
  section index.

## Budgets

At 10,000 quotes on 2 cores: full build with cards cached ≤ 0.5 × the plain build and ≤ 60
s; cards from nothing ≤ 60 s on every core, each ≤ 25 kB; site ≤ 400 MB with cards, ≤ 150
MB without; 10,000 quotes build in ≤ 12 × the time of 1,000; the generator ≤ 2 × the
libyaml parse and ≤ 2 s, and after editing one quote it rewrites only what shows that quote
and draws one card; a first visit to any page ≤ 300 kB gzipped. The real site, cards cached,
builds in ≤ 1.2 × its plain peer.

## Latest results

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="builds per size below 10,000; the fastest counts")
    parser.add_argument("--no-real", action="store_true", help="skip the real corpus")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and sites under bench/out/")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    free = shutil.disk_usage(ROOT).free
    if free < 3 * 1000 * MB:
        raise SystemExit(f"only {size(free)} free on the disk; the 10,000-quote sites need about 2 GB")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    OUT.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="run-", dir=OUT))  # its own folder: two runs at once do not collide
    figs: list[Figures] = []
    try:
        if not args.no_real:
            figs.append(run_corpus("real", None, out, args.repeat, args.keep))
        for n in sizes:
            figs.append(run_corpus(f"{n:,}", n, out, args.repeat if n < 10_000 else 1, args.keep))
    finally:
        if args.keep:
            say(f"kept everything under {out.relative_to(ROOT)}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    total = time.perf_counter() - _START
    text = report(figs, when, total)
    print(text)
    if not args.no_readme:
        README.write_text(README_HEAD + text + "\n", "utf-8")
        say(f"wrote {README.relative_to(ROOT)}")
    with contextlib.suppress(OSError):
        OUT.rmdir()  # only when empty
    failed = [b for b in budgets(figs) if not b.ok]
    return 1 if failed and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
