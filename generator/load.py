"""Stage 1: read the YAML files of data/ into located nodes, keeping every line and column.

Nothing here knows what a quote is: it reports only what stops a file from being read
(encoding, YAML syntax, duplicate keys) and hands the rest to `validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.permalinks import PERMALINKS_FILE, Permalink, parse
from generator.problems import Problem, shown
from generator.yaml_hints import diagnose, duplicate_first_key

# libyaml's C parser is several times faster; the pure-Python one gives the same marks.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """The data files use no path-dependent tags, so the resolver's path bookkeeping, which
    the composer calls for every one of some 300,000 nodes at 10,000 quotes, is skipped."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


DATA_DIR = "data"
COLLECTION_FILE = "data/collection.yaml"
SOURCES_FILE = "data/sources.yaml"
PARTS_DIR = "data/parts"


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value and where it starts. Mappings hold `dict[str, Node]`, sequences `list[Node]`."""

    value: Any
    line: int
    column: int
    keys: dict[str, Node] = field(default_factory=dict)
    """For a mapping: where each key stands, so a wrong key can be pointed at."""


@dataclass(frozen=True, slots=True)
class Document:
    """One data file that parsed: its path relative to the repository and its root node."""

    path: str
    root: Node


@dataclass(frozen=True, slots=True)
class Loaded:
    """Everything read from data/, and what stopped any file from being read."""

    collection: Document | None
    sources: Document | None
    parts: tuple[Document, ...]
    problems: tuple[Problem, ...]
    unread: tuple[str, ...] = ()
    """Part files that could not be read: what their quotes use is unknown, not unused."""
    permalinks: tuple[Permalink, ...] = ()
    """The quote addresses published so far (data/permalinks.txt; none when it is absent)."""


def load(root: Path) -> Loaded:
    problems: list[Problem] = []
    collection = _load_required(root, COLLECTION_FILE, problems)
    sources = _load_required(root, SOURCES_FILE, problems)
    parts: list[Document] = []
    unread: list[str] = []
    parts_dir = root / PARTS_DIR
    if not parts_dir.is_dir():
        problems.append(
            Problem(
                PARTS_DIR,
                1,
                1,
                "the folder of parts is missing",
                "create data/parts/ with one file per part, e.g. data/parts/01-first-part.yaml",
            )
        )
    else:
        for path in sorted(parts_dir.iterdir()):
            rel = path.relative_to(root).as_posix()
            if path.name.startswith("."):
                continue  # editors' swap and lock files
            if path.is_dir() or path.suffix not in (".yaml", ".yml"):
                problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "data/parts/ holds only part files, and this is not a YAML file",
                        "move it out of data/parts/, or rename it to NN-part-id.yaml if it is a part",
                    )
                )
                continue
            doc = _load_file(path, rel, problems)
            if doc is not None:
                parts.append(doc)
            else:
                unread.append(rel)
        if not parts and not unread:
            problems.append(
                Problem(
                    PARTS_DIR,
                    1,
                    1,
                    "data/parts/ holds no part file, so the collection has no quotes",
                    "add one file per part, e.g. data/parts/01-first-part.yaml with its id, number, title and quotes",
                )
            )
    permalinks = _load_permalinks(root, problems)
    return Loaded(collection, sources, tuple(parts), tuple(problems), tuple(unread), permalinks)


def _load_permalinks(root: Path, problems: list[Problem]) -> tuple[Permalink, ...]:
    path = root / PERMALINKS_FILE
    if not path.is_file():
        return ()  # a new collection has published nothing yet
    if path.stat().st_size > MAX_BYTES:
        problems.append(
            Problem(
                PERMALINKS_FILE,
                1,
                1,
                f"the list of published addresses is larger than {MAX_BYTES // 1024 // 1024} MB",
                "restore it from git: `make permalinks` only appends a line per new address",
            )
        )
        return ()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, column = _position(raw, e.start)
        problems.append(
            Problem(PERMALINKS_FILE, line, column, f"byte 0x{raw[e.start]:02x} is not UTF-8", "save the file as UTF-8")
        )
        return ()
    links, found = parse(text.replace("\r\n", "\n"))
    problems.extend(found)
    return links


def _load_required(root: Path, rel: str, problems: list[Problem]) -> Document | None:
    path = root / rel
    if not path.is_file():
        problems.append(
            Problem(rel, 1, 1, "this file is missing", f"create {rel}; see README.md, 'The corpus', for its keys")
        )
        return None
    return _load_file(path, rel, problems)


def _load_file(path: Path, rel: str, problems: list[Problem]) -> Document | None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(
            Problem(
                rel,
                1,
                1,
                f"the file is {size / 1024 / 1024:.0f} MB; a data file may be at most {MAX_BYTES // 1024 // 1024} MB",
                "split the part into smaller parts, one file each (a part of 10,000 quotes is about 2 MB)",
            )
        )
        return None
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(
                rel,
                1,
                1,
                "the file starts with a byte-order mark",
                "save it as UTF-8 without BOM (most editors call it 'UTF-8', not 'UTF-8 with BOM')",
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, column = _position(raw, e.start)
        problems.append(Problem(rel, line, column, f"byte 0x{raw[e.start]:02x} is not UTF-8", "save the file as UTF-8"))
        return None
    text = text.replace("\r\n", "\n")  # CRLF from Windows editors is fine
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        problems.append(
            Problem(rel, 1, 1, "the file is empty", "fill it in (see README.md, 'The corpus') or delete it")
        )
        return None
    loader = _Loader(text)
    try:
        node = _Reader(loader, rel, problems, text).document()
    except yaml.MarkedYAMLError as e:
        problems.append(_syntax_problem(rel, e, text))
        return None
    except _Refused as e:
        problems.append(e.problem)
        return None
    finally:
        loader.dispose()
    return Document(rel, node)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


class _Refused(Exception):
    """The file uses YAML that the corpus refuses before reading any further; one problem says where."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


MAX_DEPTH = 16
"""Of nested lists and mappings. A part file needs 6 (part, quotes, a quote, its record, a
passage, a value); without a bound, a file of a million '[' would exhaust the stack."""

MAX_BYTES = 16 * 1024 * 1024
"""Of one data file. A part of 10,000 quotes with their records is about 2 MB; a file far
beyond that is a mistake (or an attack on CI), and is refused before it is parsed."""

_SHAPE_HINT = "a data file needs 6 levels at most: see README.md, 'The corpus', for the shape of each file"
_NO_ANCHORS = "write the value out in full; data files do not use YAML anchors, aliases or merge keys"


class _Reader:
    """Located nodes straight from libyaml's events, one pass, never composing YAML's own graph.

    Reading events rather than composed nodes is what lets anchors (`&a`), aliases (`*a`)
    and merge keys (`<<`) be refused where they stand, before anything is expanded: nine
    nested levels of `&a [*b, *b, …]` would otherwise grow to billions of nodes. It also
    bounds nesting, and it costs no more than composing did.
    """

    def __init__(self, loader: Any, rel: str, problems: list[Problem], text: str) -> None:
        self.loader = loader
        self.rel = rel
        self.problems = problems
        self.text = text
        self._lines: list[str] | None = None

    def lines(self) -> list[str]:
        """The file's lines, split once: only a hint needs them, and a file may need thousands."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def document(self) -> Node:
        loader = self.loader
        loader.get_event()  # StreamStart
        loader.get_event()  # DocumentStart
        node = self.node(loader.get_event(), 0)
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            mark = loader.peek_event().start_mark
            raise _Refused(
                Problem(
                    self.rel,
                    mark.line + 1,
                    mark.column + 1,
                    "this file holds a second YAML document (after '---')",
                    "keep one document per file: remove the '---' line and what follows, or move it to its own file",
                )
            )
        return node

    def refuse(self, event: Any, what: str) -> _Refused:
        mark = event.start_mark
        return _Refused(Problem(self.rel, mark.line + 1, mark.column + 1, what, _NO_ANCHORS))

    def node(self, event: Any, depth: int, key: str | None = None, item_of: str | None = None) -> Node:
        """The node that `event` starts; `key` holds it in a mapping, or `item_of` names the key
        that holds the list it is an item of (for a hint when an item lost its '- ')."""
        if isinstance(event, yaml.AliasEvent):
            raise self.refuse(event, f"the alias '*{event.anchor}' repeats a value from elsewhere in the file")
        if event.anchor is not None:
            raise self.refuse(event, f"the anchor '&{event.anchor}' names a value to be repeated elsewhere")
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, yaml.ScalarEvent):
            return Node(self.scalar(event), line, column)
        if depth >= MAX_DEPTH:
            raise _Refused(
                Problem(
                    self.rel,
                    line,
                    column,
                    f"lists and mappings are nested more than {MAX_DEPTH} deep here",
                    _SHAPE_HINT,
                )
            )
        loader = self.loader
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not loader.check_event(yaml.SequenceEndEvent):
                items.append(self.node(loader.get_event(), depth + 1, item_of=key or ""))
            loader.get_event()
            return Node(items, line, column)
        values: dict[str, Node] = {}
        keys: dict[str, Node] = {}
        lost_dash = False
        # Once an item has lost its "- " here, the keys that repeat after it are the same mistake.
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.get_event()
            lost_dash = self.entry(key_event, values, keys, depth, None if event.flow_style else item_of, lost_dash)
        loader.get_event()
        return Node(values, line, column, keys)

    def entry(
        self,
        key_event: Any,
        values: dict[str, Node],
        keys: dict[str, Node],
        depth: int,
        item_of: str | None,
        lost_dash: bool,
    ) -> bool:
        """Reads one key and its value into `values`; True once an item lost its '- ' here."""
        key_line, key_column = key_event.start_mark.line + 1, key_event.start_mark.column + 1
        key: Any = None
        if isinstance(key_event, yaml.ScalarEvent):
            if key_event.anchor is not None:
                raise self.refuse(key_event, f"the anchor '&{key_event.anchor}' names a value to be repeated elsewhere")
            if self.tag(key_event) == _MERGE:
                raise self.refuse(key_event, "the merge key '<<' copies a mapping from elsewhere in the file")
            key = self.scalar(key_event)
        else:
            self.node(key_event, depth + 1)  # refuses aliases and anchors in it, bounds its depth
        value = self.node(self.loader.get_event(), depth + 1, key if isinstance(key, str) else None)
        if not isinstance(key, str):
            self.problems.append(
                Problem(
                    self.rel,
                    key_line,
                    key_column,
                    f"the key {key!r} is not a word",
                    "use a key from README.md, 'The corpus', such as 'text' or 'source'",
                )
            )
            return lost_dash
        if key in values:
            if lost_dash:
                return True
            if item_of is not None and key == next(iter(keys)):
                hint = duplicate_first_key(self.lines(), key_line, key_column, keys[key].line, item_of)
                self.problems.append(Problem(self.rel, hint.line, hint.column, hint.message, hint.hint))
                return True
            self.problems.append(
                Problem(
                    self.rel,
                    key_line,
                    key_column,
                    f"the key {shown(key)} appears twice in this mapping (first on line {keys[key].line})",
                    "keep one of them; YAML would silently keep only the last",
                )
            )
            return lost_dash
        keys[key] = Node(key, key_line, key_column)
        values[key] = value
        return lost_dash

    def tag(self, event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        return str(tag)

    def scalar(self, event: Any) -> Any:
        if not event.implicit[0] and event.tag is None:
            return event.value  # quoted: text, whatever it looks like
        value = event.value
        if event.tag is None and value and value[0] not in _MAY_RESOLVE:
            return value  # plain, and no implicit type (bool, number, null, date, merge) starts so
        tag = self.tag(event)
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node, deep=True)


_MERGE = "tag:yaml.org,2002:merge"
_MAY_RESOLVE = frozenset(first for first in _Loader.yaml_implicit_resolvers if first)
"""First characters of a plain scalar that the loader's implicit resolvers (bool, number,
null, date, merge…) may read as other than text; ids, urls and words skip them."""
_STR = "tag:yaml.org,2002:str"


def _in_text(text: str, line: int, column: int) -> tuple[int, int]:
    """A mark (0-based) as a 1-based place that exists: at the end of a file without a final
    line break, libyaml marks a line after the last one."""
    lines = text.split("\n")
    if line < len(lines):
        return line + 1, min(column, len(lines[line])) + 1
    return len(lines), len(lines[-1]) + 1


def _syntax_problem(rel: str, e: yaml.MarkedYAMLError, text: str) -> Problem:
    problem = e.problem or ""
    if e.problem_mark is not None and "end of stream" not in problem:
        found = diagnose(text, e.problem_mark.line, e.problem_mark.column)
        if found is not None:
            return Problem(rel, found.line, found.column, found.message, found.hint)
    # An unclosed quote is noticed only at the end of the file; point at where it opens.
    unclosed = "end of stream" in problem and e.context_mark is not None
    mark = e.context_mark if unclosed else (e.problem_mark or e.context_mark)
    line, column = _in_text(text, mark.line, mark.column) if mark else (1, 1)
    what = " ".join(filter(None, [e.context, e.problem])) or "this is not valid YAML"
    if "nesting depth" in problem:
        # libyaml's own bound (1,000 levels of flow collections), met before ours can be.
        return Problem(rel, line, column, "lists and mappings are nested far too deep here", _SHAPE_HINT)
    if "tab" in problem or "'\\t'" in problem:
        hint = "indent with spaces, not tabs"
    elif "end of stream" in problem and "quoted scalar" in (e.context or ""):
        hint = "close the quote that this text opens, and escape quotes inside it (\\\" within \"…\", '' within '…')"
    elif "mapping values are not allowed" in problem:
        hint = "put the text in quotes: a ': ' inside unquoted text starts a new key"
    else:
        hint = 'fix the YAML syntax here; quoting the text with "…" usually helps'
    return Problem(rel, line, column, f"this is not valid YAML: {what}", hint)
