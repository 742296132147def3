"""`python -m generator new`: add a quote to the end of its part file, then validate.

The quote is appended as text in the file's own style, so every byte already in the
file stays as it was, comments included. The whole corpus is then checked by the same
pipeline as `make check`; if anything is wrong, the file is put back exactly as it was
and the problems are reported. Options that are missing are asked for when a person is
at the terminal, and are an error otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
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
from generator.fields import SLUG, quote_field_problem
from generator.model import STATUSES, Collection, Part
from generator.problems import CorpusError, Problem, did_you_mean, printable, shown

# The pure-Python loader: its marks count characters, which is what slicing the text needs.
_Loader: Any = yaml.SafeLoader

# Characters that YAML reads as line breaks or does not accept literally, and the C1
# controls: written as \uXXXX escapes so that the text comes back exactly as typed.
_ESCAPE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


class _UsageError(Exception):
    """The command was given something it cannot use; exit status 2. One argument per problem."""


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
        for problem in e.args:
            print(f"{parser.prog}: error: {problem}", file=sys.stderr)
        return 2

    path = root / quote.part.file
    original = path.read_bytes()
    try:
        appended = append_quote(original, quote)
    except ValueError as e:
        print(f"{quote.part.file}: error: {e}", file=sys.stderr)
        return 1

    _replace(path, appended.content)
    try:
        collection, warnings = pipeline.check(root)
        added = collection.part(quote.part.id).quotes[-1]
    except CorpusError as e:
        # What is typed is checked as it is typed (_gather), so this is rare. The file is put
        # back, so a problem in the new lines names the option that made them, not a line.
        _replace(path, original)
        for problem in e.problems:
            print(appended.placed(problem, parser.prog), file=sys.stderr)
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
    print("With your pull request, record it as published: make permalinks")
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
    """The quote to add, every field checked as the corpus will check it. In a terminal, a
    field found wrong is asked for again, keeping everything typed so far; elsewhere every
    wrong option is reported at once."""
    ask = _asker()
    if args.part is not None:
        part = _find_part(collection, args.part)
        if part is None:
            raise _UsageError(f"no part {shown(args.part)}; use one of: {_part_choices(collection)}")
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
                print(f"No part {shown(answer)}.")

    wrong: list[str] = []
    settle = _Settler(ask, wrong)
    topic = args.topic if args.topic is not None else _ask_required(ask, "--topic", _PROMPTS["topic"])
    topic = settle("--topic", topic, _field("topic"))
    text = args.text if args.text is not None else _ask_required(ask, "--text", _PROMPTS["text"])
    text = settle("--text", text, _field("text"))
    sources = [s.id for s in collection.sources]
    if args.source is None and ask is not None:
        print(f"Sources: {', '.join(sources)}")
    source = args.source if args.source is not None else _ask_required(ask, "--source", _PROMPTS["source"])
    source = settle("--source", source, lambda value: _source_problem(value, sources))
    status = settle("--status", args.status, _field("status"))
    note = settle("--note", args.note, _field("note"), required=False)
    url = settle("--url", args.url, _field("url"), required=False)
    tags = settle("--tags", _tags(args.tags), _field("tags"), required=False, read=_tags)
    taken = set(_names(collection))
    quote_id = settle("--id", args.id, lambda value: _id_problem(value, taken), required=False)
    if wrong:
        raise _UsageError(*wrong)
    if quote_id is None:
        quote_id = free_id(derive_id(topic), taken)
    return NewQuote(part, quote_id, topic, text, source, status, note, url, tags or ())


_PROMPTS = {
    "topic": 'Topic (shown as "On …"): ',
    "text": "Text: ",
    "source": "Source id: ",
    "status": f"Status ({', '.join(STATUSES)}): ",
    "note": "Note (or nothing): ",
    "url": "Address to check it at (or nothing): ",
    "tags": "Tags, separated by commas (or nothing): ",
    "id": "Id (or nothing, to derive it from the topic): ",
}


class _Settler:
    """Checks a value as it is typed: in a terminal, one found wrong is said and asked again
    (nothing else typed is lost); elsewhere its problem is kept for the report."""

    def __init__(self, ask: Callable[[str], str] | None, wrong: list[str]) -> None:
        self.ask = ask
        self.wrong = wrong

    def __call__(
        self,
        option: str,
        value: Any,
        problem_of: Callable[[Any], str | None],
        *,
        required: bool = True,
        read: Callable[[str], Any] = lambda answer: answer,
    ) -> Any:
        while value is not None and (problem := problem_of(value)) is not None:
            if self.ask is None:
                self.wrong.append(f"{option}: {problem}")
                return value
            print(f"{option}: {problem}")
            prompt = _PROMPTS[option.removeprefix("--")]
            if required:
                value = read(_ask_required(self.ask, option, prompt))
            else:
                value = read(answer) if (answer := _ask_optional(self.ask, option, prompt)) else None
        return value


def _field(name: str) -> Callable[[Any], str | None]:
    def problem_of(value: Any) -> str | None:
        problem = quote_field_problem(name, value)
        return printable(f"{problem.message} — {problem.hint}") if problem else None

    return problem_of


def _source_problem(value: str, sources: list[str]) -> str | None:
    if (problem := _field("source")(value)) is not None:
        return problem
    if value in sources:
        return None
    return (
        f"there is no source '{value}' in data/sources.yaml{did_you_mean(value, sources)} — "
        f"use one of: {', '.join(sources)}; or add the source to data/sources.yaml first"
    )


def _id_problem(value: str, taken: set[str]) -> str | None:
    if (problem := _field("id")(value)) is not None:
        return problem
    if value not in taken:
        return None
    return (
        f"'{value}' is already the id or an alias of a quote, and names it for ever — "
        "choose another id, or leave --id out to derive one from the topic"
    )


def _tags(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(t.strip() for t in value.split(",") if t.strip()) or None


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


def _ask_optional(ask: Callable[[str], str], option: str, prompt: str) -> str:
    try:
        return ask(prompt).strip()
    except EOFError:
        raise _UsageError(f"no answer for {option}") from None


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


@dataclass(frozen=True, slots=True)
class Appended:
    """A part file with a quote appended, and where the quote's lines are in it."""

    content: bytes
    file: str
    first: int
    """The 1-based line of the quote's `- id:`."""
    fields: tuple[str, ...]
    """The field on each of its lines, in order."""
    added: int
    """Lines the file gained: those after the quote moved down by as many."""

    def placed(self, problem: Problem, prog: str) -> str:
        """`problem`, said of the file as it was (it is put back): a problem in the quote's own
        lines names the option that made them; a line after it, its number before the quote."""
        if problem.path != self.file or problem.line < self.first:
            return str(problem)
        if problem.line < self.first + len(self.fields):
            option = "--" + self.fields[problem.line - self.first]
            return f"{prog}: error: {option}: {problem.message} — {problem.hint}"
        return str(dataclasses.replace(problem, line=problem.line - self.added))


def append_quote(original: bytes, quote: NewQuote) -> Appended:
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
    fields, lines = zip(*_quote_lines(quote), strict=True)
    first_line = " " * dash_column + "-" + " " * (key_column - dash_column - 1) + lines[0]
    block = [first_line] + [" " * key_column + line for line in lines[1:]]
    blank = "" if before.endswith(newline + newline) or not before else newline
    updated = before + blank + newline.join(block) + newline + after
    return Appended(
        updated.encode("utf-8"),
        quote.part.file,
        (before + blank).count("\n") + 1,
        fields,
        updated.count("\n") - text.count("\n"),
    )


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


def _quote_lines(quote: NewQuote) -> list[tuple[str, str]]:
    """(field, its line) for each field of the quote, in the order written."""
    lines = [
        ("id", f"id: {_plain_or_quoted(quote.id)}"),
        ("topic", f"topic: {_plain_or_quoted(quote.topic)}"),
        ("text", f"text: {_quoted(quote.text)}"),
        ("source", f"source: {_plain_or_quoted(quote.source)}"),
        ("status", f"status: {_plain_or_quoted(quote.status)}"),
    ]
    if quote.note is not None:
        lines.append(("note", f"note: {_quoted(quote.note)}"))
    if quote.url is not None:
        lines.append(("url", f"url: {_plain_or_quoted(quote.url)}"))
    if quote.tags:
        lines.append(("tags", f"tags: [{', '.join(_flow_item(t) for t in quote.tags)}]"))
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
