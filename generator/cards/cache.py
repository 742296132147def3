"""The cards on disk, content-addressed: a card is redrawn only when what it shows, the fonts,
Pillow or `CARD_VERSION` change; the missing ones are drawn in a process pool when many."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import PIL

from generator.cards.draw import draw_card
from generator.cards.spec import CardSpec
from generator.cards.text import BOLD_FONT, REGULAR_FONT
from generator.write import atomic_write

CARD_VERSION = "7"
"""Bump whenever the drawing changes, so every cached card is redrawn."""

PARALLEL_ABOVE = 16
"""Draw in a process pool only when more cards than this are missing; below, starting workers costs more."""

CHUNK = 32
"""Cards a worker draws per task: a third of a second of work, enough to make handing out tasks and
sending back their PNGs negligible."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Cards:
    """What `draw_cards` returns: the cards, and how many it drew rather than read from the cache."""

    images: tuple[bytes, ...]
    """PNG bytes, in the order of the specs; empty when asked not to `load` them."""
    paths: tuple[Path, ...]
    """Where each spec's card is kept in the cache, in the order of the specs."""
    drawn: int
    """Cards drawn by this call (a card repeated in the specs is drawn once)."""
    cached: int
    """Specs whose card was read from the cache."""


@functools.cache
def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for path in (REGULAR_FONT, BOLD_FONT):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def card_key(spec: CardSpec) -> str:
    """The card's cache key: changes with any field, the fonts, Pillow's version, or CARD_VERSION."""
    fields = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)}
    # JSON escapes every non-ASCII character, lone surrogates included, and quotes every
    # field, so no two different specs share a payload.
    # Pillow's version too: a new FreeType or PNG encoder may draw other pixels.
    payload = json.dumps([CARD_VERSION, PIL.__version__, _fonts_digest(), fields], sort_keys=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _read_cached(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    # Writes are atomic, but a file put there by hand or cut short by a full disk is redrawn.
    return data if data.startswith(_PNG_SIGNATURE) else None


def _start_method() -> str:
    # Not fork: forking a process that runs threads (`mkdocs serve` does) can deadlock.
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def draw_cards(
    specs: Sequence[CardSpec],
    cache_dir: Path,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    load: bool = True,
) -> Cards:
    """Every spec's card, from `cache_dir/<card_key>.png` when there, else drawn and stored there.

    More than PARALLEL_ABOVE missing cards are drawn in `processes` worker processes (None: one
    per CPU). `progress(done, total)` counts specs: it is called once after the cache is read,
    then as each drawn card is stored. With `load=False` the cards are only made sure of,
    not read: `paths` says where they are.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = [card_key(spec) for spec in specs]
    images: dict[str, bytes] = {}
    missing: dict[str, CardSpec] = {}
    # Without `load`, one listing of the cache says which cards are there: opening 10,000
    # files to check each one's signature took a fifth of the generator's time. What is
    # there is whole, as atomic_write stores it; `load` still checks every card it reads.
    present = {entry.name for entry in os.scandir(cache_dir)} if not load else set()
    for key, spec in zip(keys, specs, strict=True):
        if key in images or key in missing:
            continue
        path = cache_dir / f"{key}.png"
        if not load:
            if f"{key}.png" in present:
                images[key] = b""
            else:
                missing[key] = spec
            continue
        data = _read_cached(path)
        if data is None:
            missing[key] = spec
        else:
            images[key] = data
    cached = sum(key in images for key in keys)
    repeats = Counter(keys)
    done = cached
    if progress is not None:
        progress(done, len(specs))

    def receive(drawn: Iterator[bytes]) -> None:
        nonlocal done
        for key, data in zip(missing, drawn, strict=True):
            atomic_write(cache_dir / f"{key}.png", data)
            images[key] = data if load else b""
            done += repeats[key]
            if progress is not None:
                progress(done, len(specs))

    workers = min(processes or os.cpu_count() or 1, len(missing))
    if len(missing) > PARALLEL_ABOVE and workers > 1:
        # An executor, not multiprocessing.Pool: if a worker dies (it cannot import this
        # package, say), Pool waits for its lost task for ever; the executor raises instead.
        # Workers import generator.cards.draw by name to find draw_card.
        context = multiprocessing.get_context(_start_method())
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # map keeps the specs' order and hands back each card as soon as it and those
            # before it are done, so progress moves while the pool works. Chunks of CHUNK cards,
            # not a quarter of each worker's share: with those, one worker could sit idle for the
            # whole of the other's last chunk, seconds at 10,000 cards.
            receive(pool.map(draw_card, missing.values(), chunksize=CHUNK))
    else:
        receive(map(draw_card, missing.values()))
    return Cards(
        images=tuple(images[key] for key in keys) if load else (),
        paths=tuple(cache_dir / f"{key}.png" for key in keys),
        drawn=len(missing),
        cached=cached,
    )
