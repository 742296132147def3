"""`python -m generator new`: add a quote to the end of its part file, then validate.

The quote is appended as text in the file's own style, so every byte already in the
file stays as it was, comments included. The whole corpus is then checked by the same
pipeline as `make check`; if anything is wrong, the file is put back exactly as it was
and the problems are reported. Options that are missing are asked for when a person is
at the terminal, and are an error otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import pipeline
from generator.model import STATUSES, Collection, Part
from generator.problems import CorpusError
from generator.validate import SLUG

# The pure-Python loader: its marks count characters, which is what slicing the text needs.
_Loader: Any = yaml.SafeLoader

# Characters that YAML reads as line breaks or does not accept literally, and the C1
# controls: written as \uXXXX escapes so that the text comes back exactly as typed.
_ESCAPE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


class _UsageError(Exception):
    """The command was given (or answered) something it cannot use; exit status 2."""


@dataclass(frozen=True, slots=True)
class NewQuote:
    part: Part
    id: str
    topic: str
    text: str
    source: str
    status: str
    note: str | None
    url: str | None
    tags: tuple[str, ...]


def run_new(root: Path, argv: list[str]) -> int:
    """Add one quote as `argv` describes; 0 when added, 1 when the corpus refuses it, 2 on misuse."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        collection, _ = pipeline.check(root)
    except CorpusError as e:
        print(e, file=sys.stderr)
        print("The corpus must be valid before a quote is added: fix the problems above (make check).", file=sys.stderr)
        return 1
    try:
        quote = _gather(args, collection)
    except _UsageError as e:
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return 2

    path = root / quote.part.file
    original = path.read_bytes()
    try:
        updated = append_quote(original, quote)
    except ValueError as e:
        print(f"{quote.part.file}: error: {e}", file=sys.stderr)
        return 1

    _replace(path, updated)
    try:
        collection, warnings = pipeline.check(root)
        added = collection.part(quote.part.id).quotes[-1]
    except CorpusError as e:
        _replace(path, original)
        print(e, file=sys.stderr)
        print(f"The quote was not added: {quote.part.file} is as it was.", file=sys.stderr)
        return 1
    except BaseException:
        _replace(path, original)
        raise
    if added.id != quote.id:  # the text landed somewhere other than the end of the list
        _replace(path, original)
        print(
            f"{quote.part.file}: error: the quote could not be appended to the end of 'quotes'; "
            "add it by hand. The file is as it was.",
            file=sys.stderr,
        )
        return 1

    for w in warnings:
        print(w, file=sys.stderr)
    print(f"Added quote '{quote.id}' to {quote.part.file}, line {added.line}.")
    print(f"Its address: /quotes/{quote.id}/")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator new",
        description="Add a quote to the end of its part file, keeping the file as it is, then validate the corpus. "
        "Missing --part, --topic, --text and --source are asked for when run in a terminal.",
    )
    parser.add_argument("--part", help="the part: its id or its number")
    parser.add_argument("--topic", help='shown as "On <topic>", e.g. "the Black Box Problem"')
    parser.add_argument("--text", help="the quote, exactly as it should be shown")
    parser.add_argument("--source", help="a source id from data/sources.yaml")
    parser.add_argument(
        "--status",
        default="unverified",
        help=f"how well the attribution is checked: {', '.join(STATUSES)} (default: unverified)",
    )
    parser.add_argument("--note", help="what was checked, where, and what differs")
    parser.add_argument("--url", help="the exact place to check the quote (http or https)")
    parser.add_argument("--tags", help="comma-separated tags, e.g. circuits,safety")
    parser.add_argument(
        "--id",
        help="its permanent address (default: derived from the topic, without a leading 'the', made unique)",
    )
    return parser


def _gather(args: argparse.Namespace, collection: Collection) -> NewQuote:
    ask = _asker()
    if args.part is not None:
        part = _find_part(collection, args.part)
        if part is None:
            raise _UsageError(f"no part '{args.part}'; use one of: {_part_choices(collection)}")
    elif ask is None:
        raise _UsageError(_missing("--part") + f"; one of: {_part_choices(collection)}")
    else:
        listing = "\n".join(f"  {p.number}  {p.id}  ({p.title})" for p in collection.parts)
        print(f"Parts:\n{listing}")
        part = None
        while part is None:
            answer = _ask_required(ask, "--part", "Part (number or id): ")
            part = _find_part(collection, answer)
            if part is None:
                print(f"No part '{answer}'.")

    topic = args.topic if args.topic is not None else _ask_required(ask, "--topic", 'Topic (shown as "On …"): ')
    text = args.text if args.text is not None else _ask_required(ask, "--text", "Text: ")
    if args.source is not None:
        source = args.source
    else:
        if ask is not None:
            print(f"Sources: {', '.join(s.id for s in collection.sources)}")
        source = _ask_required(ask, "--source", "Source id: ")

    tags = tuple(t.strip() for t in args.tags.split(",") if t.strip()) if args.tags else ()
    quote_id = args.id if args.id is not None else free_id(derive_id(topic), set(_names(collection)))
    return NewQuote(part, quote_id, topic, text, source, args.status, args.note, args.url, tags)


def _asker() -> Callable[[str], str] | None:
    """`input` when a person is at the terminal, else None."""
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        return None
    return input


def _ask_required(ask: Callable[[str], str] | None, option: str, prompt: str) -> str:
    if ask is None:
        raise _UsageError(_missing(option))
    while True:
        try:
            answer = ask(prompt)
        except EOFError:
            raise _UsageError(f"no answer for {option}") from None
        if answer.strip():
            return answer.strip()


def _missing(option: str) -> str:
    return f"{option} is required (it is asked for only when run in a terminal)"


def _find_part(collection: Collection, wanted: str) -> Part | None:
    wanted = wanted.strip()
    for part in collection.parts:
        if wanted == part.id or (wanted.isdigit() and int(wanted) == part.number):
            return part
    return None


def _part_choices(collection: Collection) -> str:
    return ", ".join(f"{p.number} ({p.id})" for p in collection.parts)


def _names(collection: Collection) -> Iterator[str]:
    """Every id and alias in the corpus: each names one quote for ever."""
    for quote in collection.quotes():
        yield quote.id
        yield from quote.aliases


def derive_id(topic: str) -> str:
    """A slug of the topic without a leading 'the': 'the Black Box Problem' → 'black-box-problem'."""
    stripped = _LEADING_THE.sub("", topic.strip()) or topic
    ascii_text = unicodedata.normalize("NFKD", stripped).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    return slug if SLUG.fullmatch(slug) else "quote"


def free_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` … whichever is not yet an id or an alias."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def append_quote(original: bytes, quote: NewQuote) -> bytes:
    """The part file with `quote` appended to its `quotes:` list; every byte before it is kept.

    Raises ValueError when the list is not a block list that text can be appended to.
    """
    text = original.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=_Loader)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the part file is not a mapping")
    entries = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "quotes"]
    if not entries:
        raise ValueError("the part file has no 'quotes'")
    seq = entries[0][1]
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        raise ValueError("'quotes' is not a list written one '- ' item per line, so the quote cannot be appended")
    first = seq.value[0]
    dash_column = seq.start_mark.column
    key_column = first.start_mark.column if isinstance(first, yaml.MappingNode) else dash_column + 2
    if key_column <= dash_column:
        key_column = dash_column + 2

    # Insert after the last line of the last quote's content. When only blank lines and
    # comments follow it, insert at the very end instead, so the old file is a prefix of the new.
    end = _content_end(seq.value[-1])
    if end > 0 and text[end - 1] == "\n":  # a block scalar ends after its last line break
        insert_at = end
    else:
        line_end = text.find("\n", end)
        insert_at = len(text) if line_end == -1 else line_end + 1
    rest = text[insert_at:]
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in rest.splitlines()):
        insert_at = len(text)
    before, after = text[:insert_at], text[insert_at:]
    if before and not before.endswith("\n"):
        before += newline
    lines = _quote_lines(quote)
    first_line = " " * dash_column + "-" + " " * (key_column - dash_column - 1) + lines[0]
    block = [first_line] + [" " * key_column + line for line in lines[1:]]
    blank = "" if before.endswith(newline + newline) or not before else newline
    return (before + blank + newline.join(block) + newline + after).encode("utf-8")


def _content_end(node: yaml.Node) -> int:
    """Where the last character written for a node stands in the text (block collections end late)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            children += [key, value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return max((_content_end(child) for child in children), default=int(node.start_mark.index))


def _quote_lines(quote: NewQuote) -> list[str]:
    lines = [
        f"id: {_plain_or_quoted(quote.id)}",
        f"topic: {_plain_or_quoted(quote.topic)}",
        f"text: {_quoted(quote.text)}",
        f"source: {_plain_or_quoted(quote.source)}",
        f"status: {_plain_or_quoted(quote.status)}",
    ]
    if quote.note is not None:
        lines.append(f"note: {_quoted(quote.note)}")
    if quote.url is not None:
        lines.append(f"url: {_plain_or_quoted(quote.url)}")
    if quote.tags:
        lines.append(f"tags: [{', '.join(_flow_item(t) for t in quote.tags)}]")
    return lines


def _quoted(value: str) -> str:
    """A YAML double-quoted string that reads back as exactly `value`."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _plain_or_quoted(value: str) -> str:
    """`value` as a plain scalar when YAML reads it back unchanged as text, else quoted."""
    if value and value == value.strip() and not _ESCAPE.search(value) and "\n" not in value:
        try:
            if yaml.load(f"k: {value}\n", Loader=_Loader) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return _quoted(value)


def _flow_item(value: str) -> str:
    if SLUG.fullmatch(value):
        try:
            if yaml.load(f"[{value}]\n", Loader=_Loader) == [value]:
                return value
        except yaml.YAMLError:
            pass
    return _quoted(value)


def _replace(path: Path, content: bytes) -> None:
    """Write `content` to `path` atomically, keeping the file's permissions."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
