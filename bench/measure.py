"""The bench's measuring tools: progress for a person at a terminal, timing, file sizes, a
fresh-process `mkdocs build`, and the figures of a built site."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.visit import Visit, first_visit, gz
from generator.write import MANIFEST, read_manifest
from tests.serving import build as strict_build

INTERACTIVE = sys.stderr.isatty() and not os.environ.get("CI")

KB = 1000
MB = 1000 * 1000

# --- Progress -----------------------------------------------------------------------------

_START = time.perf_counter()


def elapsed() -> float:
    """Seconds since the bench started (since this module was imported)."""
    return time.perf_counter() - _START


def say(message: str) -> None:
    """A line of progress on stderr, for a person at a terminal only."""
    if INTERACTIVE:
        print(f"[{elapsed():6.1f}s] {message}", file=sys.stderr, flush=True)


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


def remove_generated(docs: Path) -> None:
    """docs/ as in a fresh clone: no generated page, no manifest (the card cache stays)."""
    for rel in sorted(read_manifest(docs) | {MANIFEST}):
        (docs / rel).unlink(missing_ok=True)
    for folder in sorted((p for p in docs.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def data_files(root: Path) -> list[Path]:
    return sorted((root / "data").rglob("*.yaml"))


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
