"""What a curator did wrong, where, and how to fix it."""

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
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message} — {self.hint}"


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
