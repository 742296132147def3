"""Stage 2: check every field and every reference, collect every problem, build the model.

All problems of a run are gathered before anything is decided, so a curator fixes them
in one pass. A `Collection` exists only when there is no error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, cast
from urllib.parse import urlsplit

from generator.load import Document, Loaded, Node
from generator.model import SOURCE_KINDS, STATUSES, Collection, Part, Passage, Quote, Source, Status
from generator.permalinks import still_published
from generator.problems import Problem, did_you_mean, shown

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SPACE = re.compile(r"\s")
# Control characters, which a browser drops or replaces and XML refuses (tab and line break are
# text), and the 66 code points Unicode keeps as non-characters, which the HTML parser reports
# as errors. They come from copying out of a PDF or a terminal, never on purpose.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)
_SHOWN_BEFORE = 24
"""Characters of the value shown before an invisible one, to say where it is."""


def _forbidden(value: str, node: Node, file: str, name: str, problems: list[Problem]) -> None:
    found = _FORBIDDEN.search(value)  # one scan in C, not a Python step per character
    if found is None:
        return
    bad, at = found[0], found.start()
    code = ord(bad)
    what = (
        f"the invisible control character U+{code:04X}"
        if code < 0xA0
        else f"U+{code:04X}, which Unicode reserves as a non-character"
    )
    before = value[max(0, at - _SHOWN_BEFORE) : at]
    where = f"after {shown(('…' if at > _SHOWN_BEFORE else '') + before)}" if before else "at its start"
    _fail(
        problems,
        file,
        node,
        f"'{name}' holds {what}, {where}",
        "remove it (it usually comes from copying out of a PDF or a terminal)",
    )


class _Invalid(Exception):
    """A field was wrong; its problem is already recorded."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    required: bool
    check: Callable[[Node, str, str, list[Problem]], Any]
    """(node, file, field name, problems) → value, or raise _Invalid after recording a problem."""
    example: str
    schema: dict[str, Any]
    """The same rule as JSON Schema, for editors (see generator/schema.py)."""


def _text(single_line: bool) -> Callable[[Node, str, str, list[Problem]], str]:
    def check(node: Node, file: str, name: str, problems: list[Problem]) -> str:
        if not isinstance(node.value, str):
            _fail(
                problems,
                file,
                node,
                f"'{name}' must be text, not {_kind(node.value)}",
                f'write it as text in quotes, e.g. {name}: "…"',
            )
        value = cast(str, node.value)
        if not value.strip():
            _fail(
                problems, file, node, f"'{name}' is empty", f"write the {name} (or, if it is optional, remove the line)"
            )
        _forbidden(value, node, file, name, problems)
        if single_line and "\n" in value:
            _fail(problems, file, node, f"'{name}' must be one line", "remove the line breaks")
        # A browser collapses runs of spaces in a title, so they would not show as written.
        if single_line and (value != value.strip() or "  " in value or "\t" in value):
            _fail(
                problems,
                file,
                node,
                f"'{name}' has spaces at its start or end, a tab, or two spaces in a row",
                "use single spaces between words and none around them",
            )
        return value

    return check


def _slug(node: Node, file: str, name: str, problems: list[Problem]) -> str:
    value = node.value
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        suggestion = _slugify(str(value))
        _fail(
            problems,
            file,
            node,
            f"'{name}' must be a slug (lowercase a-z, 0-9 and single hyphens), not {value!r}",
            f"write e.g. {name}: {suggestion or 'some-words'}",
        )
    return cast(str, value)


def _slug_list(node: Node, file: str, name: str, problems: list[Problem]) -> tuple[str, ...]:
    values: list[str] = []
    ok = True
    for item in _list(node, file, name, problems):
        try:
            values.append(_slug(item, file, f"{name} item", problems))
        except _Invalid:
            ok = False
    if not ok:
        raise _Invalid
    return tuple(values)


def _int(node: Node, file: str, name: str, problems: list[Problem]) -> int:
    if type(node.value) is not int or node.value < 1:
        _fail(
            problems,
            file,
            node,
            f"'{name}' must be a whole number from 1 up, not {node.value!r}",
            f"write e.g. {name}: 3 (without quotes)",
        )
    return cast(int, node.value)


def _url(node: Node, file: str, name: str, problems: list[Problem]) -> str:
    value = node.value
    # Said before the shape, which would only repeat the address with the character escaped.
    # Left in, one such character makes the feed and the EPUB not well-formed XML.
    if isinstance(value, str):
        _forbidden(value, node, file, name, problems)
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or _SPACE.search(cast(str, value)) is not None
    ):
        _fail(
            problems,
            file,
            node,
            f"'{name}' must be a full http(s) address, not {value!r}",
            f"write e.g. {name}: https://example.org/page",
        )
    return cast(str, value)


def _choice(choices: tuple[str, ...]) -> Callable[[Node, str, str, list[Problem]], str]:
    def check(node: Node, file: str, name: str, problems: list[Problem]) -> str:
        if node.value not in choices:
            close = difflib.get_close_matches(str(node.value), choices, n=1, cutoff=0.6)
            _fail(
                problems,
                file,
                node,
                f"'{name}' must be one of {', '.join(choices)}, not {node.value!r}"
                f"{did_you_mean(str(node.value), choices)}",
                f"write e.g. {name}: {close[0] if close else choices[0]}",
            )
        return cast(str, node.value)

    return check


def _list(node: Node, file: str, name: str, problems: list[Problem]) -> list[Node]:
    if not isinstance(node.value, list):
        _fail(
            problems,
            file,
            node,
            f"'{name}' must be a list, not {_kind(node.value)}",
            f"write each item on its own line starting with '- ' under '{name}:'",
        )
    return cast(list[Node], node.value)


def _passages(node: Node, file: str, name: str, problems: list[Problem]) -> tuple[Passage, ...]:
    """A quote's record: each passage checked like any mapping, all problems reported."""
    passages: list[Passage] = []
    ok = True
    for number, item in enumerate(_list(node, file, name, problems), 1):
        values = _mapping(item, f"record passage {number}", PASSAGE_FIELDS, problems, file)
        if values is None:
            ok = False
            continue
        passages.append(Passage(values["text"], values["url"], values["where"], values.get("note")))
    if not ok:
        raise _Invalid
    return tuple(passages)


# The rules above as JSON Schema, so editors check and complete the data files as you type.
# _FORBIDDEN as JSON Schema (ECMA-262) writes it; the non-characters beyond U+FFFF are pairs of
# surrogates there, left to the validator.
_S_FORBIDDEN = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff"
_S_LINE: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": rf"^(?!.*[{_S_FORBIDDEN}])\S(?:.*\S)?$"}
_S_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": rf"^(?![\s\S]*[{_S_FORBIDDEN}])[\s\S]*\S"}
_S_SLUG: dict[str, Any] = {"type": "string", "pattern": "^" + SLUG.pattern + "$"}
_S_INT: dict[str, Any] = {"type": "integer", "minimum": 1}
_S_URL: dict[str, Any] = {"type": "string", "format": "uri", "pattern": rf"^https?://[^\s{_S_FORBIDDEN}]+$"}
_S_SLUGS: dict[str, Any] = {"type": "array", "items": _S_SLUG}
_S_QUOTES: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/quote"}}
_S_SOURCES: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/source"}}
_S_RECORD: dict[str, Any] = {"type": "array", "items": {"$ref": "#/$defs/passage"}}

COLLECTION_FIELDS = (
    Field("title", True, _text(True), "Lessons from Neel Nanda", _S_LINE),
    Field("person", True, _text(True), "Neel Nanda", _S_LINE),
    Field("description", True, _text(False), "One paragraph for the home page and page metadata.", _S_TEXT),
    # Beyond the contract's title, person and description: optional (design.md).
    Field("intro", False, _text(False), "What the collection is and where it comes from.", _S_TEXT),
    Field("origin_title", False, _text(True), "The page the collection comes from", _S_LINE),
    Field("origin_url", False, _url, "https://example.org/the-collection", _S_URL),
)
SOURCE_FIELDS = (
    Field("id", True, _slug, "80000-hours-podcast", _S_SLUG),
    Field("title", True, _text(True), "80,000 Hours Podcast", _S_LINE),
    Field("kind", True, _choice(SOURCE_KINDS), "podcast", {"enum": list(SOURCE_KINDS)}),
    Field("url", False, _url, "https://80000hours.org/podcast/", _S_URL),
    Field("description", False, _text(False), "One or two sentences.", _S_TEXT),
)
PART_FIELDS = (
    Field("id", True, _slug, "the-phenomenon-of-grokking", _S_SLUG),
    Field("number", True, _int, "2", _S_INT),
    Field("title", True, _text(True), "The Phenomenon of Grokking", _S_LINE),
    Field("quotes", True, _list, "[…]", _S_QUOTES),
)
SOURCES_FILE_FIELDS = (Field("sources", True, _list, "[…]", _S_SOURCES),)
QUOTE_FIELDS = (
    Field("id", True, _slug, "alien-neuroscience", _S_SLUG),
    Field("topic", True, _text(True), "Alien Neuroscience", _S_LINE),
    Field("text", True, _text(False), '"Mechanistic interpretability is …"', _S_TEXT),
    Field("source", True, _slug, "80000-hours-podcast", _S_SLUG),
    Field("status", False, _choice(tuple(STATUSES)), "unverified", {"enum": list(STATUSES)}),
    Field("note", False, _text(False), '"Found in …"', _S_TEXT),
    Field("url", False, _url, "https://example.org/exact-page", _S_URL),
    Field("tags", False, _slug_list, "[grokking, safety]", _S_SLUGS),
    Field("aliases", False, _slug_list, "[old-id]", _S_SLUGS),
    Field("record", False, _passages, "[{text: …, url: …, where: …}]", _S_RECORD),
)
PASSAGE_FIELDS = (
    Field("text", True, _text(False), '"And this is just another cute example of alien neuroscience."', _S_TEXT),
    Field("url", True, _url, "https://theinsideview.ai/neel", _S_URL),
    Field(
        "where", True, _text(True), 'The Inside View (2023), section "What is Mechanistic Interpretability?"', _S_LINE
    ),
    Field("note", False, _text(False), "co-written with Jess Smith", _S_TEXT),
)


def quote_field_problem(name: str, value: str | tuple[str, ...]) -> Problem | None:
    """What validation says of a quote's field `name` holding `value` (a tuple for a list
    field), or None when it is fine: for `make new`, which checks what is typed as it is typed."""
    field = next(f for f in QUOTE_FIELDS if f.name == name)
    node = Node([Node(v, 1, 1) for v in value] if isinstance(value, tuple) else value, 1, 1)
    problems: list[Problem] = []
    try:
        field.check(node, "", name, problems)
    except _Invalid:
        return problems[0]
    return None


def validate(loaded: Loaded, *, strict: bool = False) -> tuple[Collection | None, list[Problem]]:
    """Every problem of the corpus, and the model when none is an error.

    Warnings (an unused source) become errors when `strict`.
    """
    problems = list(loaded.problems)
    collection = _mapping(loaded.collection, "the collection", COLLECTION_FIELDS, problems)
    broken: set[str] = set()
    sources = _sources(loaded.sources, problems, broken)
    quote_names: list[_Name] = []
    parts = [p for doc in loaded.parts if (p := _part(doc, sources, broken, quote_names, problems)) is not None]
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


def _mapping(
    doc: Document | Node | None, what: str, fields: tuple[Field, ...], problems: list[Problem], file: str | None = None
) -> dict[str, Any] | None:
    """Check a mapping against its fields; None if anything in it is wrong."""
    if doc is None:
        return None
    node = doc.root if isinstance(doc, Document) else doc
    file = doc.path if isinstance(doc, Document) else cast(str, file)
    if not isinstance(node.value, dict):
        problems.append(
            Problem(
                file,
                node.line,
                node.column,
                f"{what} must be a mapping of keys to values, not {_kind(node.value)}",
                f"write it as 'key: value' lines: {', '.join(f.name for f in fields if f.required)}",
            )
        )
        return None
    names = [f.name for f in fields]
    ok = True
    misspelt: set[str] = set()
    """Fields a misspelt key stands for: their absence is the same mistake, already reported."""
    for key, key_node in node.keys.items():
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            misspelt.update(close)
            problems.append(
                Problem(
                    file,
                    key_node.line,
                    key_node.column,
                    f"unknown key {shown(key)} in {what}{did_you_mean(key, names)}",
                    f"use one of: {', '.join(names)}",
                )
            )
            ok = False
    values: dict[str, Any] = {}
    for f in fields:
        child = node.value.get(f.name)
        if child is None or (child.value is None and not f.required):
            if f.required:
                if f.name not in misspelt:
                    problems.append(
                        Problem(
                            file,
                            node.line,
                            node.column,
                            f"{what} has no '{f.name}'",
                            f"add it, e.g. {f.name}: {f.example}",
                        )
                    )
                ok = False
            continue
        try:
            values[f.name] = f.check(child, file, f.name, problems)
        except _Invalid:
            ok = False
    return values if ok else None


def _sources(doc: Document | None, problems: list[Problem], broken: set[str]) -> dict[str, Source]:
    """The valid sources by id; the ids of entries that are there but invalid go in `broken`,
    so that quotes naming them are not also reported (one mistake, one error)."""
    sources: dict[str, Source] = {}
    if doc is None:
        return sources
    root = _mapping(doc, "data/sources.yaml", SOURCES_FILE_FIELDS, problems)
    if root is None:
        return sources
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
    doc: Document, sources: dict[str, Source], broken: set[str], quote_names: list[_Name], problems: list[Problem]
) -> Part | None:
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
            if sources and q["source"] not in broken:
                problems.append(
                    Problem(
                        doc.path,
                        src_node.line,
                        src_node.column,
                        f"quote '{q['id']}' names source '{q['source']}', which is not in data/sources.yaml"
                        f"{did_you_mean(q['source'], sources)}",
                        f"use one of: {', '.join(sources)}; or add the source to data/sources.yaml",
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


def _fail(problems: list[Problem], file: str, node: Node, message: str, hint: str) -> None:
    problems.append(Problem(file, node.line, node.column, message, hint))
    raise _Invalid


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
