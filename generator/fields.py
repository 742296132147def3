"""The rules of every field of the data files: each checks a value, says what is wrong and
how to fix it, and carries its JSON Schema, so the editor schema and the validator cannot
drift. generator/validate.py walks the corpus with them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from generator.load import Document, Node
from generator.model import SOURCE_KINDS, STATUSES, Passage
from generator.problems import Problem, did_you_mean, shown

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SPACE = re.compile(r"\s")
# Control characters, which a browser drops or replaces and XML refuses (tab and line break are
# text), and the 66 code points Unicode keeps as non-characters, which the HTML parser reports
# as errors. They come from copying out of a PDF or a terminal, never on purpose.
# One scan in C finds them, with every character beyond the first plane as a suspect: a class
# of the 32 non-characters of the other planes made the scan of every text field ten times
# slower (0.3 s at 10,000 quotes), and such characters (emoji) are rare and checked one by one.
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")


def _first_forbidden(value: str) -> re.Match[str] | None:
    for found in _SUSPECT.finditer(value):
        code = ord(found[0])
        if code < 0x10000 or code & 0xFFFE == 0xFFFE:
            return found
    return None


_SHOWN_BEFORE = 24
"""Characters of the value shown before an invisible one, to say where it is."""


def _forbidden(value: str, node: Node, file: str, name: str, problems: list[Problem]) -> None:
    found = _first_forbidden(value)
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
# The same characters as JSON Schema (ECMA-262) writes them; the non-characters beyond U+FFFF are pairs of
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
