"""Stage 5: put rendered pages under docs/, touching only what the generator owns.

A manifest (docs/.generated, hidden from MkDocs) lists every file the generator wrote.
Only those are ever replaced or removed; a hand-written file where a page would go is
an error, not an overwrite. Unchanged files are not rewritten, so `mkdocs serve`, which
watches docs/, does not rebuild in a loop. Each file is replaced atomically.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.problems import CorpusError, Problem

MANIFEST = ".generated"


@dataclass(frozen=True, slots=True)
class Written:
    """What a write changed, as paths under docs/."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def read_manifest(docs: Path) -> set[str]:
    path = docs / MANIFEST
    if not path.is_file():
        return set()
    return {line for line in path.read_text("utf-8").splitlines() if line and not line.startswith("#")}


def conflicts(pages: dict[str, str | bytes], docs: Path, docs_label: str = "docs") -> list[Problem]:
    """Hand-written files that generated pages would overwrite."""
    owned = read_manifest(docs)
    return [
        Problem(
            f"{docs_label}/{rel}",
            1,
            1,
            f"this hand-written file stands where the generator writes a page ({rel})",
            "move or rename the hand-written file; generated pages are not committed",
        )
        for rel in sorted(pages)
        if rel not in owned and (docs / rel).exists()
    ]


def write(pages: dict[str, str | bytes], docs: Path, docs_label: str = "docs") -> Written:
    problems = conflicts(pages, docs, docs_label)
    if problems:
        raise CorpusError(problems)
    owned = read_manifest(docs)
    written: list[str] = []
    unchanged = 0
    for rel in sorted(pages):
        content = pages[rel]
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = docs / rel
        if path.is_file() and path.read_bytes() == data:
            unchanged += 1
            continue
        atomic_write(path, data)
        written.append(rel)
    removed = sorted(owned - pages.keys())
    for rel in removed:
        path = docs / rel
        path.unlink(missing_ok=True)
        _remove_empty_parents(path.parent, docs)
    manifest = "# Files written by `python -m generator build`; it removes only these.\n"
    manifest += "".join(f"{rel}\n" for rel in sorted(pages))
    manifest_path = docs / MANIFEST
    if not manifest_path.is_file() or manifest_path.read_text("utf-8") != manifest:
        atomic_write(manifest_path, manifest.encode("utf-8"))
    return Written(tuple(written), tuple(removed), unchanged)


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: a reader (a build running beside this
    one, `mkdocs serve`) sees the old file or the new, never half of one. Also the card and
    EPUB caches' way of storing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_empty_parents(folder: Path, docs: Path) -> None:
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
