"""The bench's report: the table of figures, the budgets of issue 6, notes, and the text of
bench/README.md above the latest results."""

from __future__ import annotations

import contextlib
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import BUILD_HAS_CARDS, Figures
from bench.measure import KB, MB, SiteFigures
from bench.visit import Visit


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
                "its card specs differ from bench.corpus.card_specs."
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

## Lighthouse, by hand

Lighthouse needs npm and a few minutes a page, so `make bench` does not run it. Serve a
built site gzipped as GitHub Pages does (a threaded `http.server` that gzips html, css, js,
json, svg and xml), then, per page:

```sh
npm i -E lighthouse@12.8.2
CHROME_PATH=/usr/bin/chromium npx lighthouse URL --quiet --output=json --output-path=out.json \\
  --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking \\
  --disable-component-update --no-first-run"
```

Measured 2026-12-07 on the real site, mobile preset, three runs each, with the whole site
around every page and its Content-Security-Policy: performance, accessibility, best practices
and SEO 100 in every run for `/quotes/othello-gpt/` (LCP 1.1–1.2 s, blocking 10–20 ms, 79
KiB), `/sources/axrp-podcast/` (1.1–1.2 s, 10–20 ms, 82 KiB), `/tags/grokking/` (1.1–1.2 s,
20–30 ms, 84 KiB) and `/parts/emergent-world-representations/` (1.1–1.2 s, 20–40 ms, 83
KiB).

## Latest results

"""
