"""Addresses once published: a quote's address is its own for ever.

`data/permalinks.txt` lists every quote address the site has published, one a line:
`/quotes/<id>/` and `/parts/<part-id>/#<id>`. `validate` refuses a corpus in which one of
them no longer names a quote, by its id or an alias, and says which alias to add, so a
rename without `aliases` stops `make check`, the preview and the build where the curator
works. `python -m generator permalinks` (`make permalinks`) appends the addresses of new
quotes, and a test fails while one is missing. Lines are only ever added.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.model import Collection
from generator.problems import Problem
from generator.write import atomic_write

if TYPE_CHECKING:  # load reads the list with `parse`, so this module cannot import it at run time
    from generator.load import Loaded, Node

PERMALINKS_FILE = "data/permalinks.txt"
_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SLUG_RE = re.compile(_SLUG)
_QUOTE = re.compile(rf"/quotes/(?P<name>{_SLUG})/")
_PART = re.compile(rf"/parts/(?P<part>{_SLUG})/#(?P<name>{_SLUG})")
HEADER = (
    "# Every quote address the site has published: each must keep leading to its quote, by its id\n"
    "# or an alias (`make check` says which alias to add). `make permalinks` appends new quotes'\n"
    "# addresses; never delete a line.\n"
)


@dataclass(frozen=True, slots=True)
class Permalink:
    """One published address and where it is listed."""

    address: str
    name: str
    """The quote id it was published under: today an id or an alias."""
    part: str | None
    """For `/parts/<part-id>/#<id>`: the part the quote was published in."""
    line: int


def parse(text: str) -> tuple[tuple[Permalink, ...], list[Problem]]:
    links: list[Permalink] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _QUOTE.fullmatch(line) or _PART.fullmatch(line)
        if m is None:
            problems.append(
                Problem(
                    PERMALINKS_FILE,
                    number,
                    1,
                    f"{line!r} is not a quote address",
                    "each line is /quotes/<id>/ or /parts/<part-id>/#<id>; `make permalinks` writes them",
                )
            )
            continue
        links.append(Permalink(line, m["name"], m.groupdict().get("part"), number))
    return tuple(links), problems


def addresses(collection: Collection) -> Iterator[str]:
    """Every address the collection publishes for its quotes, in reading order."""
    for quote in collection.quotes():
        yield f"/quotes/{quote.id}/"
        yield f"/parts/{quote.part_id}/#{quote.id}"


def unrecorded(collection: Collection, listed: tuple[Permalink, ...]) -> list[str]:
    known = {link.address for link in listed}
    return [a for a in addresses(collection) if a not in known]


def listed(root: Path) -> tuple[Permalink, ...]:
    """The addresses data/permalinks.txt lists (its mistakes are `load`'s to report)."""
    path = root / PERMALINKS_FILE
    return parse(path.read_text("utf-8"))[0] if path.is_file() else ()


def record(root: Path, collection: Collection) -> list[str]:
    """Append the addresses not yet listed to data/permalinks.txt, keeping every byte before them."""
    new = unrecorded(collection, listed(root))
    path = root / PERMALINKS_FILE
    if new:
        text = path.read_text("utf-8") if path.is_file() else HEADER
        if text and not text.endswith("\n"):
            text += "\n"
        atomic_write(path, (text + "".join(f"{a}\n" for a in new)).encode("utf-8"))
    return new


@dataclass(frozen=True, slots=True)
class _Written:
    """The quotes as written, valid or not: so a quote with another mistake is not also
    reported as gone."""

    ids: dict[str, tuple[str, Node, tuple[str, ...]]]
    """Each id: its file, its node and its quote's aliases."""
    names: set[str]
    """Every id and alias."""
    quotes_keys: dict[str, tuple[str, Node]]
    """Each part's id: its file and its `quotes:` key."""
    unnamed: set[str]
    """Part files holding a quote without a valid id: it may be a lost one, misspelt."""


def _written(loaded: Loaded) -> _Written | None:
    """None when a part's quotes cannot be read at all: what they are called is unknown."""
    found = _Written({}, set(), {}, set())
    for doc in loaded.parts:
        root = doc.root.value
        quotes = root.get("quotes") if isinstance(root, dict) else None
        if quotes is None or not isinstance(quotes.value, list):
            return None
        part_id = root["id"].value if "id" in root else None
        if isinstance(part_id, str):
            found.quotes_keys[part_id] = (doc.path, doc.root.keys["quotes"])
        for node in quotes.value:
            if not isinstance(node.value, dict):
                return None
            id_node, aliases = node.value.get("id"), node.value.get("aliases")
            listed = aliases.value if aliases is not None and isinstance(aliases.value, list) else []
            alias_names = tuple(str(a.value) for a in listed if a.value)
            found.names.update(alias_names)
            if id_node is not None and isinstance(id_node.value, str) and _SLUG_RE.fullmatch(id_node.value):
                found.names.add(id_node.value)
                found.ids[id_node.value] = (doc.path, id_node, alias_names)
            else:
                found.unnamed.add(doc.path)
    return found


def still_published(loaded: Loaded) -> list[Problem]:
    """Every published address still names a quote, by its id or an alias: a rename without
    `aliases` is reported at the quote that most likely replaces it, with the alias to add."""
    written = _written(loaded) if loaded.permalinks and not loaded.unread else None
    if written is None:
        return []
    problems: list[Problem] = []
    reported: set[str] = set()
    published_in = {link.name: link.part for link in loaded.permalinks if link.part}
    # A renamed quote's new id has not been published: the quote that replaces a lost one is
    # among those, the one whose id is like the old one, or else the only new one of its part;
    # or, for an alias dropped, a published quote whose id is very like it.
    published = {link.name for link in loaded.permalinks}
    new = {name: place for name, place in written.ids.items() if name not in published}
    # A quote's own address first: it is the one to name when both of its addresses are gone.
    for link in sorted(loaded.permalinks, key=lambda link: (link.part is not None, link.line)):
        if link.name in written.names or link.name in reported:
            continue
        reported.add(link.name)
        part = written.quotes_keys.get(published_in.get(link.name) or "")
        if part is not None and part[0] in written.unnamed:
            continue  # its id's own problem is reported; it may be this very quote, misspelt
        close = difflib.get_close_matches(link.name, list(new), n=1, cutoff=0.6)
        if not close and part is not None:
            close = [name for name, place in new.items() if place[0] == part[0]]
        if not close:
            close = difflib.get_close_matches(link.name, list(written.ids), n=1, cutoff=0.8)
        if len(close) == 1:
            file, node, aliases = written.ids[close[0]]
            line, column = node.line, node.column
            if aliases:
                listed = ", ".join([*aliases, link.name])
                add = f"'{link.name}' to the aliases of the quote that replaces it, `aliases: [{listed}]`"
            else:
                add = f"`aliases: [{link.name}]` to the quote that replaces it"
            hint = f"add {add} (did you mean '{close[0]}'?)"
        else:
            file, line, column = (part[0], part[1].line, part[1].column) if part else (PERMALINKS_FILE, link.line, 1)
            hint = (
                f"add `aliases: [{link.name}]` to the quote that replaces it, or put the quote back "
                "(a quote found not to be his is marked disputed, not deleted)"
            )
        problems.append(Problem(file, line, column, f"quote '{link.name}' was published at {link.address}", hint))
    return problems
