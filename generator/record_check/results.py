"""data/record-checks.yaml: what the last run of the record check found, as data.

Written only by `python -m generator check-record`; curators never edit it. The build reads
it (`read_checks`) and validates it like every data file, so a hand edit or a merge gone
wrong is reported as `file:line:col: error: …`. A passage is matched to its entry by its
quote's id, its address and a digest of its text: reordering passages keeps their results,
and editing a passage's text makes it "not yet checked" until the next run.

The file's bytes depend only on the results: entries sorted, one layout, and a date that
changes only when a result does (`since`), so a run that found what the last one found
changes the run date and nothing else.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.fields import Field, _choice, _Invalid, _list, _mapping, _slug, _url
from generator.load import Node, _load_file

# The results as the model holds them; re-exported for the check's own modules.
from generator.model import (
    NEVER_CHECKED,
    RESULTS,
    UNCHECKED,
    Check,
    PassageKey,
    RecordChecks,
    Result,
    Snapshot,
    State,
    passage_key,
    text_digest,
)
from generator.problems import Problem

RESULTS_FILE = "data/record-checks.yaml"

WORDS_THERE: frozenset[State] = frozenset({"found", "fragment-missed", "moved"})
"""Results that found the words at the source (moved: at the address it moved to)."""
FAILING: frozenset[State] = frozenset({"changed", "gone", "fragment-missed"})
"""Passage results that make the check exit 1."""

__all__ = [
    "FAILING",
    "NEVER_CHECKED",
    "RESULTS",
    "RESULTS_FILE",
    "UNCHECKED",
    "WORDS_THERE",
    "Check",
    "Finding",
    "PassageKey",
    "RecordChecks",
    "Result",
    "Snapshot",
    "State",
    "dump",
    "merged",
    "passage_key",
    "read_checks",
    "text_digest",
]

# --- Reading and validating ------------------------------------------------------------

_HINT = f"never edit this file: restore it (git checkout -- {RESULTS_FILE}) or run `make check-record`"
_DIGEST = re.compile(r"[0-9a-f]{16}")


def _date(node: Node, file: str, name: str, problems: list[Problem]) -> date:
    if type(node.value) is not date:
        problems.append(Problem(file, node.line, node.column, f"'{name}' must be a date like 2026-12-14", _HINT))
        raise _Invalid
    value: date = node.value
    return value


def _digest(node: Node, file: str, name: str, problems: list[Problem]) -> str:
    if not isinstance(node.value, str) or not _DIGEST.fullmatch(node.value):
        problems.append(Problem(file, node.line, node.column, f"'{name}' must be 16 hexadecimal digits", _HINT))
        raise _Invalid
    return node.value


_RESULT = Field("result", True, _choice(RESULTS), "found", {"enum": list(RESULTS)})
_COMMON = (
    _RESULT,
    Field("since", True, _date, "2026-12-14", {}),
    Field("moved_to", False, _url, "https://example.org/new-place", {}),
    Field("archive", False, _url, "https://web.archive.org/web/20261214000000/https://example.org/", {}),
    Field("archived", False, _date, "2026-12-14", {}),
    Field("last_found", False, _date, "2026-12-07", {}),
)
PASSAGE_FIELDS = (
    Field("quote", True, _slug, "alien-neuroscience", {}),
    Field("url", True, _url, "https://theinsideview.ai/neel", {}),
    Field("text_sha256", True, _digest, "0123456789abcdef", {}),
    *_COMMON,
)
ADDRESS_FIELDS = (Field("url", True, _url, "https://theinsideview.ai/neel", {}), *_COMMON)
FILE_FIELDS = (
    Field("checked", True, _date, "2026-12-14", {}),
    Field("passages", True, _list, "[…]", {}),
    Field("addresses", True, _list, "[…]", {}),
)


def read_checks(root: Path) -> tuple[RecordChecks, list[Problem]]:
    """The results file's checks and its problems; no file means nothing was ever checked."""
    path = root / RESULTS_FILE
    if not path.is_file():
        return NEVER_CHECKED, []
    problems: list[Problem] = []
    doc = _load_file(path, RESULTS_FILE, problems)
    if doc is None:
        return NEVER_CHECKED, problems
    top = _mapping(doc, RESULTS_FILE, FILE_FIELDS, problems)
    if top is None:
        return NEVER_CHECKED, problems
    checked: date = top["checked"]
    passages: dict[PassageKey, Check] = {}
    addresses: dict[str, Check] = {}
    for node in top["passages"]:
        values = _mapping(node, "a passage's check", PASSAGE_FIELDS, problems, RESULTS_FILE)
        entry = values and _check(values, node, checked, problems)
        if values and entry:
            key = (values["quote"], values["url"], values["text_sha256"])
            if key in passages:
                _problem(problems, node, "this passage's check is listed twice")
            passages[key] = entry
    for node in top["addresses"]:
        values = _mapping(node, "an address's check", ADDRESS_FIELDS, problems, RESULTS_FILE)
        entry = values and _check(values, node, checked, problems)
        if values and entry:
            if values["url"] in addresses:
                _problem(problems, node, "this address's check is listed twice")
            addresses[values["url"]] = entry
    if problems:
        # The field rules' hints tell a curator what to write; here the fix is never to write.
        return NEVER_CHECKED, [dataclasses.replace(p, hint=_HINT) for p in problems]
    return RecordChecks(checked, passages, addresses), problems


def _problem(problems: list[Problem], node: Node, message: str) -> None:
    problems.append(Problem(RESULTS_FILE, node.line, node.column, message, _HINT))


def _check(values: dict[str, Any], node: Node, checked: date, problems: list[Problem]) -> Check | None:
    result: Result = values["result"]
    before = len(problems)
    if values["since"] > checked:
        _problem(problems, node.value["since"], f"'since' is after the run's date ({checked.isoformat()})")
    if ("moved_to" in values) != (result == "moved"):
        _problem(problems, node, "'moved_to' goes with the result 'moved', and only with it")
    if ("archive" in values) != ("archived" in values):
        _problem(problems, node, "'archive' and 'archived' go together: the copy's address and its date")
    if "last_found" in values and (result in WORDS_THERE or values["last_found"] >= values["since"]):
        _problem(problems, node.value["last_found"], "'last_found' must come before 'since', and not with this result")
    if len(problems) > before:
        return None
    snapshot = Snapshot(values["archive"], values["archived"]) if "archive" in values else None
    return Check(result, checked, values["since"], values.get("moved_to"), snapshot, values.get("last_found"))


# --- Writing ---------------------------------------------------------------------------

# YAML reads these raw in a double-quoted scalar as other than themselves: write them escaped.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's) that reads back as `text`."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def _entry_lines(head: list[tuple[str, str]], check: Check) -> list[str]:
    fields = [*head, ("result", check.result), ("since", _iso(check.since))]
    if check.moved_to:
        fields.append(("moved_to", _quoted(check.moved_to)))
    if check.snapshot:
        fields += [("archive", _quoted(check.snapshot.url)), ("archived", check.snapshot.date.isoformat())]
    if check.last_found:
        fields.append(("last_found", check.last_found.isoformat()))
    return [f"{'  - ' if i == 0 else '    '}{k}: {v}" for i, (k, v) in enumerate(fields)]


def _iso(day: date | None) -> str:
    assert day is not None, "a written check has a date"
    return day.isoformat()


def dump(checks: RecordChecks) -> str:
    assert checks.checked is not None, "only a run's results are written"
    lines = [
        "# What `python -m generator check-record` found at each passage's source (README.md,",
        "# 'Checking the record'). Written by that command: never edit it by hand.",
        f"checked: {checks.checked.isoformat()}",
        "passages:" if checks.passages else "passages: []",
    ]
    for (quote, url, digest), check in sorted(checks.passages.items()):
        lines += _entry_lines([("quote", quote), ("url", _quoted(url)), ("text_sha256", digest)], check)
    lines.append("addresses:" if checks.addresses else "addresses: []")
    for url, check in sorted(checks.addresses.items()):
        lines += _entry_lines([("url", _quoted(url))], check)
    return "\n".join(lines) + "\n"


# --- One run's findings merged with the last run's -------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """What this run found for one passage or address."""

    result: Result
    moved_to: str | None = None
    snapshot: Snapshot | None = None
    """The newest archived copy found this run; None when none was found or the archive was not asked."""


def merged(
    previous: RecordChecks,
    today: date,
    passages: Mapping[PassageKey, Finding],
    addresses: Mapping[str, Finding],
) -> RecordChecks:
    """This run's results, keeping what still holds from the last: since when each result
    holds, the last archived copy when none was found this time, the last date the words
    were there. Entries of passages no longer in the corpus are dropped."""

    def one(finding: Finding, before: Check) -> Check:
        same = before.result == finding.result
        since = before.since if same and before.since else today
        last_found = None
        if finding.result not in WORDS_THERE:
            if before.result in WORDS_THERE:
                last_found = previous.checked
            elif before.result != "unchecked":
                last_found = before.last_found
        snapshot = finding.snapshot
        if before.snapshot and (snapshot is None or snapshot.date < before.snapshot.date):
            snapshot = before.snapshot
        return Check(finding.result, today, since, finding.moved_to, snapshot, last_found)

    return RecordChecks(
        today,
        {key: one(f, previous.passages.get(key, UNCHECKED)) for key, f in passages.items()},
        {url: one(f, previous.address(url)) for url, f in addresses.items()},
    )
