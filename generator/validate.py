"""Stage 2: check every field and every reference, collect every problem, build the model.

All problems of a run are gathered before anything is decided, so a curator fixes them
in one pass. A `Collection` exists only when there is no error. Each field's own rule is in
generator/fields.py; here the corpus is walked with them and checked across its files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import cast

from generator.fields import (
    COLLECTION_FIELDS,
    PART_FIELDS,
    QUOTE_FIELDS,
    SLUG,
    SOURCE_FIELDS,
    SOURCES_FILE_FIELDS,
    _mapping,
)
from generator.load import Document, Loaded, Node
from generator.model import Collection, Part, Quote, Source, Status
from generator.permalinks import still_published
from generator.problems import Problem, did_you_mean


def validate(loaded: Loaded, *, strict: bool = False) -> tuple[Collection | None, list[Problem]]:
    """Every problem of the corpus, and the model when none is an error.

    Warnings (an unused source) become errors when `strict`.
    """
    problems = list(loaded.problems)
    collection = _mapping(loaded.collection, "the collection", COLLECTION_FIELDS, problems)
    broken: set[str] = set()
    listed = _sources(loaded.sources, problems, broken)
    sources = listed or {}
    quote_names: list[_Name] = []
    parts = [p for doc in loaded.parts if (p := _part(doc, sources, bool(listed), broken, quote_names, problems))]
    _cross_check(loaded, parts, sources, quote_names, problems, strict)
    _markdown_in_records(loaded, problems, strict)
    problems.extend(still_published(loaded))
    if collection is None or any(p.severity == "error" for p in problems) or loaded.sources is None:
        return None, sorted(problems)
    parts.sort(key=lambda p: p.number)
    return Collection(
        title=collection["title"],
        person=collection["person"],
        description=collection["description"],
        intro=collection.get("intro") or collection["description"],
        origin_title=collection.get("origin_title"),
        origin_url=collection.get("origin_url"),
        sources=tuple(sources.values()),
        parts=tuple(parts),
    ), sorted(problems)


def _sources(doc: Document | None, problems: list[Problem], broken: set[str]) -> dict[str, Source] | None:
    """The valid sources by id, or None when data/sources.yaml could not be read as a list of
    sources (its own problem says why). The ids of entries that are there but invalid go in
    `broken`, so that quotes naming them are not also reported (one mistake, one error)."""
    if doc is None:
        return None
    root = _mapping(doc, "data/sources.yaml", SOURCES_FILE_FIELDS, problems)
    if root is None:
        return None
    sources: dict[str, Source] = {}
    if not root["sources"]:
        node = doc.root.value["sources"]
        problems.append(
            Problem(
                doc.path,
                node.line,
                node.column,
                "data/sources.yaml lists no sources, so no quote can name its source",
                "list each source once under 'sources:', e.g. '- id: my-blog' with its title and kind",
            )
        )
    first: dict[str, Node] = {}
    for node in root["sources"]:
        values = _mapping(node, _named(node, "source"), SOURCE_FIELDS, problems, doc.path)
        if values is None:
            written = node.value.get("id") if isinstance(node.value, dict) else None
            if written is not None and isinstance(written.value, str):
                broken.add(written.value)
            continue
        sid = values["id"]
        if sid in first:
            problems.append(
                Problem(
                    doc.path,
                    node.line,
                    node.column,
                    f"source id '{sid}' is used twice (first on line {first[sid].line})",
                    "give each source its own id, or merge the two entries",
                )
            )
            continue
        first[sid] = node
        sources[sid] = Source(sid, values["title"], values["kind"], values.get("url"), values.get("description"))
    return sources


def _part(
    doc: Document,
    sources: dict[str, Source],
    sources_read: bool,
    broken: set[str],
    quote_names: list[_Name],
    problems: list[Problem],
) -> Part | None:
    """`sources_read`: data/sources.yaml was read as a list of sources, so a source missing
    from it is this quote's mistake; when it was not, or lists none, its own problem says so,
    and that is enough (one mistake, one error)."""
    values = _mapping(doc, "a part", PART_FIELDS, problems)
    if values is None:
        return None
    part_id, number = values["id"], values["number"]
    expected = f"{number:02d}-{part_id}.yaml"
    name = PurePosixPath(doc.path).name
    ok = True
    if name != expected:
        problems.append(
            Problem(
                doc.path,
                doc.root.line,
                doc.root.column,
                f"a part file is named for its number and id, so this one should be '{expected}'",
                f"rename the file to data/parts/{expected}, or change number or id to match its name",
            )
        )
        ok = False
    if not values["quotes"]:
        node = doc.root.value["quotes"]
        problems.append(
            Problem(
                doc.path,
                node.line,
                node.column,
                f"part '{part_id}' has no quotes",
                "add at least one quote, or delete the file",
            )
        )
        return None
    quotes: list[Quote] = []
    for node in values["quotes"]:
        q = _mapping(node, _named(node, "quote"), QUOTE_FIELDS, problems, doc.path)
        if q is None:
            ok = False
            continue
        id_node = node.value["id"]
        quote_names.append(_Name(q["id"], "id", q["id"], doc.path, id_node.line, id_node.column))
        for alias_node in node.value["aliases"].value if "aliases" in q else ():
            quote_names.append(_Name(alias_node.value, "alias", q["id"], doc.path, alias_node.line, alias_node.column))
        source = sources.get(q["source"])
        if source is None:
            src_node = node.value["source"]
            # When sources.yaml is broken, or this source's entry is, their own problems say so.
            if sources_read and q["source"] not in broken:
                problems.append(
                    Problem(
                        doc.path,
                        src_node.line,
                        src_node.column,
                        f"quote '{q['id']}' names source '{q['source']}', which is not in data/sources.yaml"
                        f"{did_you_mean(q['source'], sources)}",
                        f"use one of: {', '.join(sources)}; or add the source to data/sources.yaml"
                        if sources
                        else "add the source to data/sources.yaml",
                    )
                )
            ok = False
            continue
        quotes.append(
            Quote(
                id=q["id"],
                topic=q["topic"],
                text=q["text"],
                source=source,
                status=cast(Status, q.get("status", "unverified")),
                note=q.get("note"),
                url=q.get("url"),
                tags=q.get("tags", ()),
                aliases=q.get("aliases", ()),
                record=q.get("record", ()),
                part_id=part_id,
                file=doc.path,
                line=node.line,
            )
        )
    if not ok:
        return None
    return Part(part_id, number, values["title"], tuple(quotes), doc.path)


@dataclass(frozen=True, slots=True)
class _Name:
    """Where an id or an alias of a quote is written."""

    name: str
    role: str
    quote: str
    file: str
    line: int
    column: int


def _part_number(parts: list[Part], file: str) -> int:
    return next((p.number for p in parts if p.file == file), 0)


def _cross_check(
    loaded: Loaded,
    parts: list[Part],
    sources: dict[str, Source],
    quote_names: list[_Name],
    problems: list[Problem],
    strict: bool,
) -> None:
    """Problems that span files: duplicate ids, numbers and addresses; unused sources."""
    part_ids: dict[str, Part] = {}
    numbers: dict[int, Part] = {}
    roots = {doc.path: doc.root for doc in loaded.parts}
    for part in sorted(parts, key=lambda p: p.file):
        id_node, number_node = roots[part.file].value["id"], roots[part.file].value["number"]
        if part.id in part_ids:
            problems.append(
                Problem(
                    part.file,
                    id_node.line,
                    id_node.column,
                    f"part id '{part.id}' is also the id of {part_ids[part.id].file}",
                    "give each part its own id",
                )
            )
        part_ids.setdefault(part.id, part)
        if part.number in numbers:
            problems.append(
                Problem(
                    part.file,
                    number_node.line,
                    number_node.column,
                    f"part number {part.number} is also the number of {numbers[part.number].file}",
                    "give each part its own number",
                )
            )
        numbers.setdefault(part.number, part)

    # A quote's id and aliases all name it for ever, so no name may point at two quotes.
    names: dict[str, _Name] = {}
    for name in sorted(quote_names, key=lambda n: (_part_number(parts, n.file), n.line, n.column)):
        if name.role == "alias" and name.name == name.quote:
            problems.append(
                Problem(
                    name.file,
                    name.line,
                    name.column,
                    f"quote '{name.quote}' lists its own id among its aliases",
                    "remove it from aliases: aliases are former ids",
                )
            )
            continue
        first = names.get(name.name)
        if first is None:
            names[name.name] = name
            continue
        what = f"quote id '{name.name}'" if name.role == "id" else f"alias '{name.name}' of quote '{name.quote}'"
        other = "a quote id" if first.role == "id" else f"an alias of quote '{first.quote}'"
        problems.append(
            Problem(
                name.file,
                name.line,
                name.column,
                f"{what} is already used as {other} at {first.file}:{first.line}",
                "an id or alias names one quote for ever: choose a new one here"
                " (if the other is published, its address must keep working)",
            )
        )

    # Only when every part file was read and is valid can a source be known to be unused.
    if loaded.sources is not None and parts and len(parts) == len(loaded.parts) and not loaded.unread:
        used = {q.source.id for p in parts for q in p.quotes}
        for sid in sources:
            if sid not in used:
                line, column = _source_position(loaded.sources, sid)
                problems.append(
                    Problem(
                        loaded.sources.path,
                        line,
                        column,
                        f"source '{sid}' is not used by any quote",
                        "remove it from data/sources.yaml, or add a quote that names it",
                        "error" if strict else "warning",
                    )
                )


# Markdown a record text can keep from the file it was copied from (a link, bold, a heading's mark):
# the site shows text as typed, so a reader would see brackets and asterisks the linked page does not.
_MARKDOWN = re.compile(
    r"\[(?P<link>[^\]\n]*)\]\(https?:[^)\s]*\)"  # [words](https://…); plain [brackets] are words
    r"|\*\*(?P<bold>[^\n]*?)\*\*|\*\*"  # **words**, or a ** left over
    r"|^ {0,3}#{1,6}(?:[ \t]+(?P<heading>[^\n]*)|$)",  # as CommonMark: '#1' or 'C#' is not a heading
    re.MULTILINE,
)


def _markdown_in_records(loaded: Loaded, problems: list[Problem], strict: bool) -> None:
    """A warning for each record text holding Markdown; an error when `strict`, as `make check` and the build run."""

    def items(node: Node, key: str) -> list[Node]:
        child = node.value.get(key) if isinstance(node.value, dict) else None
        return child.value if child is not None and isinstance(child.value, list) else []

    for doc in loaded.parts:
        for passage in (p for q in items(doc.root, "quotes") for p in items(q, "record")):
            text = passage.value.get("text") if isinstance(passage.value, dict) else None
            value = text.value if text is not None and isinstance(text.value, str) else ""
            # Most texts hold none of the three marks: skip the pattern for them (12,000 at scale).
            found = list(_MARKDOWN.finditer(value)) if "](" in value or "**" in value or "#" in value else []
            if text is None or not found:
                continue
            markup, words = found[0][0], found[0]["link"] or found[0]["bold"] or found[0]["heading"]
            shown = markup if len(markup) <= 60 else markup[:59] + "…"
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            problems.append(
                Problem(
                    doc.path,
                    text.line,
                    text.column,
                    f"a record text holds Markdown, {shown!r}{more}, which the site shows as typed",
                    f"write the words alone, as the linked page shows them: {words!r}"
                    if words
                    else f"remove {shown.strip()!r}: write the words alone, as the linked page shows them",
                    "error" if strict else "warning",
                )
            )


def _source_position(doc: Document, sid: str) -> tuple[int, int]:
    for node in doc.root.value["sources"].value:
        id_node = node.value.get("id")
        if id_node is not None and id_node.value == sid:
            return id_node.line, id_node.column
    return 1, 1


def _named(node: Node, kind: str) -> str:
    """ "quote 'x'" for an item whose id can be read, so its problems say which; else "a quote"."""
    id_node = node.value.get("id") if isinstance(node.value, dict) else None
    if id_node is not None and isinstance(id_node.value, str) and SLUG.fullmatch(id_node.value):
        return f"{kind} '{id_node.value}'"
    return f"a {kind}"
