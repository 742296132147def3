"""Stage 1: read the YAML files of data/ into located nodes, keeping every line and column.

Nothing here knows what a quote is: it reports only what stops a file from being read
(encoding, YAML syntax, duplicate keys) and hands the rest to `validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem

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


def load(root: Path) -> Loaded:
    problems: list[Problem] = []
    collection = _load_required(root, COLLECTION_FILE, problems)
    sources = _load_required(root, SOURCES_FILE, problems)
    parts: list[Document] = []
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
    return Loaded(collection, sources, tuple(parts), tuple(problems))


def _load_required(root: Path, rel: str, problems: list[Problem]) -> Document | None:
    path = root / rel
    if not path.is_file():
        problems.append(
            Problem(rel, 1, 1, "this file is missing", f"create {rel}; see README.md, 'The corpus', for its keys")
        )
        return None
    return _load_file(path, rel, problems)


def _load_file(path: Path, rel: str, problems: list[Problem]) -> Document | None:
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
        yaml_node = loader.get_single_node()
        node = _convert(yaml_node, loader, rel, problems)
    except yaml.MarkedYAMLError as e:
        problems.append(_syntax_problem(rel, e))
        return None
    finally:
        loader.dispose()
    return Document(rel, node)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _convert(node: yaml.Node, loader: Any, rel: str, problems: list[Problem]) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Node] = {}
        keys: dict[str, Node] = {}
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        for key_node, value_node in node.value:
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                key = None
            elif key_node.tag == _STR:
                key = key_node.value
            else:
                key = loader.construct_object(key_node)
            if not isinstance(key, str):
                problems.append(
                    Problem(
                        rel,
                        key_line,
                        key_column,
                        f"the key {key!r} is not a word",
                        "use a key from README.md, 'The corpus', such as 'text' or 'source'",
                    )
                )
                continue
            if key in values:
                first = keys[key]
                problems.append(
                    Problem(
                        rel,
                        key_line,
                        key_column,
                        f"the key '{key}' appears twice in this mapping (first on line {first.line})",
                        "keep one of them; YAML would silently keep only the last",
                    )
                )
                continue
            keys[key] = Node(key, key_line, key_column)
            values[key] = _convert(value_node, loader, rel, problems)
        return Node(values, line, column, keys)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, loader, rel, problems) for item in node.value], line, column)
    if node.tag == _STR:
        return Node(node.value, line, column)  # what construct_object returns, at a tenth of the cost
    return Node(loader.construct_object(node), line, column)


_STR = "tag:yaml.org,2002:str"


def _syntax_problem(rel: str, e: yaml.MarkedYAMLError) -> Problem:
    problem = e.problem or ""
    # An unclosed quote is noticed only at the end of the file; point at where it opens.
    unclosed = "end of stream" in problem and e.context_mark is not None
    mark = e.context_mark if unclosed else (e.problem_mark or e.context_mark)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = " ".join(filter(None, [e.context, e.problem])) or "this is not valid YAML"
    if "tab" in problem or "'\\t'" in problem:
        hint = "indent with spaces, not tabs"
    elif "end of stream" in problem and "quoted scalar" in (e.context or ""):
        hint = "close the quote that this text opens, and escape quotes inside it (\\\" within \"…\", '' within '…')"
    elif "mapping values are not allowed" in problem:
        hint = "put the text in quotes: a ': ' inside unquoted text starts a new key"
    else:
        hint = 'fix the YAML syntax here; quoting the text with "…" usually helps'
    return Problem(rel, line, column, f"this is not valid YAML: {what}", hint)
