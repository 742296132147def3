"""What a YAML syntax error most likely is, said in the curator's terms.

libyaml knows where it stopped, not why: a key indented two spaces too far reads to it as
"mapping values are not allowed in this context", a `"` left unescaped inside a quoted text
as "did not find expected key". Its position is right, so this module looks at the lines
around it for the few mistakes people make in these files (a tab in an indentation, a line
indented otherwise than its siblings, a `"` inside "…", an item without its `- `) and says
which one it is. It only reads text: when none fits, `load` falls back on libyaml's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(r"(?P<indent> *)(?:(?P<dash>-) +)?(?P<key>[A-Za-z_][\w-]*):(?:[ \t]|$)")
"""A line that holds a key: its indentation, an optional `- ` and the key. Keys in the data
files are single words, so a line of text that happens to hold ': ' rarely looks like one."""
_LEADING = re.compile(r"[ \t]*(?:-[ \t]*)?")
_OPENING_QUOTE = re.compile(r" *(?:- +)?(?:[A-Za-z_][\w-]*: +)?(?P<quote>[\"'])")
_NOUNS = {"quotes": "quote", "sources": "source", "record": "record passage"}
"""What an item of the lists in the data files is called, by the key that holds the list."""


@dataclass(frozen=True, slots=True)
class Hint:
    """A diagnosis: where the mistake is (1-based), what it is and how to fix it."""

    line: int
    column: int
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    """0-based."""
    key: str
    indent: int
    """Spaces before the key, or before the '- ' of an item."""
    column: int
    """0-based column of the key."""
    dash: bool
    opens: bool
    """The key has no value on its line: what follows, indented further, belongs to it."""


def _parse(lines: list[str], number: int) -> _Line | None:
    m = _KEY.match(lines[number])
    if m is None:
        return None
    rest = lines[number][m.end() :].strip()
    return _Line(
        number, m["key"], len(m["indent"]), m.start("key"), m["dash"] is not None, not rest or rest.startswith("#")
    )


def diagnose(text: str, line: int, column: int) -> Hint | None:
    """The mistake that most likely stopped libyaml at (line, column), both 0-based, if one fits."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    return _tab(lines, line) or _stray_quote(lines, line, column) or _indentation(lines, line)


def _spaces(n: int) -> str:
    return f"{n} space{'s' if n != 1 else ''}"


def _above(lines: list[str], number: int) -> list[_Line]:
    """The key lines that enclose line `number` or stand beside it, nearest first: the line
    above, then each line less indented than all before it (its parents), up to column 1."""
    found: list[_Line] = []
    limit: int | None = None
    for i in range(number - 1, -1, -1):
        parsed = _parse(lines, i)
        if parsed is None:
            continue  # a blank line, a comment, or a text going on over several lines
        if limit is None or parsed.indent < limit:
            found.append(parsed)
            limit = parsed.indent
            if limit == 0:
                break
    return found


def _tab(lines: list[str], line: int) -> Hint | None:
    # libyaml stops on the tab's line or the one after it, whichever way the tab is placed.
    for i in range(max(0, line - 1), line + 1):
        leading = _LEADING.match(lines[i])
        if leading is None or "\t" not in leading[0] or not lines[i][leading.end() :].strip():
            continue
        tab = leading[0].index("\t")
        hint = "indent with spaces, not tabs (YAML allows no tab in an indentation)"
        key = re.match(r"[\w-]+", lines[i][leading.end() :])
        above = _above(lines, i)
        if key and leading[0].find("-") > tab:  # the tab stands before an item's '- '
            items = [a for a in above if a.dash]
            if items:
                hint += ": " + _like(f"'- {key[0]}'", items[0].indent, items[0])
        elif key and above:
            if above[0].opens:
                hint += f": indent the lines under '{above[0].key}' on line {above[0].number + 1} further than it"
            else:
                hint += ": " + _like(f"'{key[0]}'", above[0].column, above[0])
        return Hint(i + 1, tab + 1, "a tab indents this line", hint)
    return None


def _like(subject: str, column: int, sibling: _Line, item: bool = False) -> str:
    """`start 'x' at column 5, like 'y' on line 7` (column 0-based)."""
    shown = f"- {sibling.key}" if item or subject.startswith("'- ") else sibling.key
    return f"start {subject} at column {column + 1}, like '{shown}' on line {sibling.number + 1}"


def _stray_quote(lines: list[str], line: int, column: int) -> Hint | None:
    """A quoted text that ends early at a quote meant to be inside it: libyaml then stops on
    what follows that quote on the same line."""
    text = lines[line]
    before = text[:column].rstrip()
    after = text[column:].strip()
    if not before or before[-1] not in "\"'" or not after or after.startswith("#"):
        return None
    quote = before[-1]
    at = len(before) - 1
    opening = _OPENING_QUOTE.match(text)
    if opening is not None and opening.start("quote") == at:
        return None  # the quote that opens the text, not one inside it
    inside, mark, escaped = ('"…"', "'\"'", "'\\\"'") if quote == '"' else ("'…'", '"\'"', "\"''\"")
    hint = f"write each {mark} inside {inside} as {escaped}"
    if opening is not None and opening["quote"] == quote:
        start, end = opening.start("quote"), text.rindex(quote)
        hint += f": {_excerpt(_escaped(text[start + 1 : end], quote), quote, at - start)}"
    return Hint(
        line + 1,
        at + 1,
        f"the text in {inside} ends at this {mark}, but the line goes on after it",
        hint,
    )


def _escaped(inner: str, quote: str) -> str:
    if quote == '"':
        return re.sub(r'(?<!\\)"', r'\\"', inner)
    return re.sub(r"(?<!')'(?!')", "''", inner)


EXCERPT = 60
"""Characters of a corrected text shown in a hint; a longer one is cut around the first fix."""


def _excerpt(fixed: str, quote: str, first: int) -> str:
    """The corrected text in its quotes; only the part around the first fix when it is long."""
    if len(fixed) + 2 <= EXCERPT:
        return f"{quote}{fixed}{quote}"
    start = max(0, first - EXCERPT // 3)
    end = start + EXCERPT
    return ("…" if start else quote) + fixed[start:end] + ("…" if end < len(fixed) else quote)


def _indentation(lines: list[str], line: int) -> Hint | None:
    """A key or an item indented otherwise than the keys or items around it, or an item that
    lost its `- `."""
    here = _parse(lines, line)
    if here is None:
        return None
    above = _above(lines, line)
    if not above:
        return None
    nearest = above[0]
    if nearest.opens and here.indent > nearest.indent:
        return None  # a child of the key above: nothing to compare it with
    keys = above
    if here.dash:
        # An item's siblings are the items of the same list: compare the '- ' columns.
        dashes = {a.indent: a for a in reversed(keys) if a.dash}
        if here.indent in dashes or not dashes:
            return None
        column = min(dashes, key=lambda c: (abs(c - here.indent), -c))
        sibling = dashes[column]
        return _misplaced(f"- {here.key}", here.number, here.indent, column, sibling, "items")
    columns = {a.column: a for a in reversed(keys)}
    if here.column in columns:
        return None
    items = {a.indent: a for a in reversed(keys) if a.dash}
    if here.indent in items and items[here.indent].key == here.key:
        return _missing_dash(lines, here, items[here.indent])
    if here.column == 0 and min(columns) > 0:
        # The file's first keys are indented and this one is right: point at where it began.
        first = keys[-1]
        return _misplaced(first.key, first.number, first.column, 0, here, "keys")
    column = min(columns, key=lambda c: (abs(c - here.column), -c))
    return _misplaced(here.key, here.number, here.column, column, columns[column], "keys")


def _misplaced(name: str, number: int, column: int, expected: int, sibling: _Line, what: str) -> Hint:
    more = "more" if column > expected else "less"
    return Hint(
        number + 1,
        column + 1,
        f"'{name}' is indented {_spaces(abs(column - expected))} {more} than the {what} beside it, "
        f"which start at column {expected + 1}",
        _like("it", expected, sibling, item=what == "items"),
    )


def _missing_dash(lines: list[str], here: _Line, item: _Line) -> Hint:
    noun = "item"
    for parent in _above(lines, item.number):
        if parent.indent <= item.indent and parent.opens:
            noun = _NOUNS.get(parent.key, noun)
            break
    fixed = " " * item.indent + "- " + lines[here.number][here.column :].rstrip()
    return Hint(
        here.number + 1,
        here.column + 1,
        f"this '{here.key}' starts a new {noun} without the '- ' that begins each {noun}",
        f"write it as '{fixed}', like the {noun} on line {item.number + 1}",
    )


def duplicate_first_key(lines: list[str], line: int, column: int, first_line: int, list_key: str | None) -> Hint:
    """An item's first key written a second time in it (both 1-based): most likely a new item
    that lost its `- `, whose keys then all read as the first item's keys again."""
    noun = _NOUNS.get(list_key or "", "item")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    dash = max(column - 3, 0)
    fixed = " " * dash + "- " + text[column - 1 :].rstrip()
    return Hint(
        line,
        column,
        f"this '{_key_at(text, column)}' starts a new {noun} without the '- ' that begins each {noun}",
        f"write it as '{fixed}', like the {noun} on line {first_line}",
    )


def _key_at(text: str, column: int) -> str:
    key = re.match(r"[\w-]+", text[column - 1 :])
    return key[0] if key else "key"
