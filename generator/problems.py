"""What a curator did wrong, where, and how to fix it.

A report repeats what it was given: file names, keys, values. Those are untrusted too: a
part file named with a terminal's escape sequence, or a key holding a line break followed
by `::warning file=…::`, would otherwise recolour a terminal or forge an annotation in a
CI log. So whatever a report echoes is shown as `repr` shows it (`shown`), and every line
of a report is made printable once more as it is written (`Problem.__str__`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One mistake in the corpus, located to a line and a column (both 1-based)."""

    path: str
    """The file, relative to the repository, with forward slashes."""
    line: int
    column: int
    message: str
    """What is wrong."""
    hint: str
    """How to fix it: an imperative sentence, with an example where one helps."""
    severity: Severity = "error"

    def __str__(self) -> str:
        path = self.path if self.path.isprintable() else shown(self.path)
        return printable(f"{path}:{self.line}:{self.column}: {self.severity}: {self.message} — {self.hint}")


def shown(value: object) -> str:
    """Input echoed in a report, as `repr` writes it: quoted, with every character that is
    not printable (control characters, line breaks, bidirectional overrides) as an escape."""
    return repr(value)


def printable(text: str) -> str:
    """`text` with each character that is not printable written as `repr` escapes it: one
    line whatever the message repeats, and nothing a terminal or a CI log would act on."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class CorpusError(Exception):
    """The corpus has problems: nothing may be written. Carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__(format_report(self.problems))


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def format_report(problems: Iterable[Problem], *, writing: bool = True) -> str:
    """Every problem, one a line, then how many errors stopped the run. `writing`: the run
    would have written files (a build), so it says that nothing was; a check writes nothing."""
    problems = list(problems)
    lines = [str(p) for p in problems]
    errors = len(errors_of(problems))
    if errors:
        written = "; nothing was written" if writing else ""
        lines.append(f"Aborted: {errors} error{'s' if errors != 1 else ''}{written}.")
    return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
