"""No input hangs or exhausts the build: what a stranger's pull request could put in a data
file is refused with one located error, within a memory bound and a deadline.

These run `python -m generator check` as CI would, in a child process whose address space
is capped, so an input that expanded would fail the test by running out of memory or time,
not by making the test suite itself swap or hang.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

from generator.load import MAX_BYTES
from tests.conftest import FIXTURE_CORPUS, ROOT

MEMORY = 1024 * 1024 * 1024
"""The child's address space: generous for a small corpus, hopeless for a billion laughs."""
DEADLINE = 60
"""Seconds: an order of magnitude above what a refusal takes, far below an expansion."""


def check(data: Path) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(data.parent), "check", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        preexec_fn=cap,
        check=False,
    )


def corpus(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_CORPUS / "data", data)
    return data


def second_part(tags: str) -> str:
    return (
        "id: second-part\nnumber: 2\ntitle: Second Part\nquotes:\n  - id: third-quote\n"
        f'    topic: Third Quote\n    text: "The third quote."\n    source: blog\n    tags: {tags}\n'
    )


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "Aborted: 1 error.", result.stderr  # a check writes nothing, and says nothing of it
    assert len(lines) == 2, result.stderr
    return lines[0]


def test_nine_levels_of_aliases_are_refused_within_the_bounds(tmp_path: Path) -> None:
    # Expanded, these tags would be 9**9 (387 million) strings.
    names = "abcdefghi"
    levels = ["", "      - &a [" + ", ".join(["lol"] * 9) + "]"]
    levels += [f"      - &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 9) + "]" for i in range(1, 9)]
    data = corpus(tmp_path)
    (data / "parts" / "02-second-part.yaml").write_text(second_part("\n".join(levels)))
    error = one_error(check(data))
    assert error.startswith("data/parts/02-second-part.yaml:10:9: error: the anchor '&a'")


def test_a_million_nested_lists_are_refused_where_the_bound_is_passed(tmp_path: Path) -> None:
    data = corpus(tmp_path)
    (data / "parts" / "02-second-part.yaml").write_text(second_part("[" * 1_000_000 + "]" * 1_000_000))
    error = one_error(check(data))
    # libyaml's scanner, reading ahead, meets its own bound of 1,000 levels before the reader
    # reaches ours (MAX_DEPTH, see tests/mistakes/yaml-too-deep.case): either way, one error.
    assert error.startswith("data/parts/02-second-part.yaml:9:")
    assert "lists and mappings are nested" in error


def test_a_file_beyond_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    data = corpus(tmp_path)
    padding = "# " + "x" * 1000 + "\n"
    text = second_part("[alpha]") + padding * (MAX_BYTES // len(padding) + 1)
    (data / "parts" / "02-second-part.yaml").write_text(text)
    error = one_error(check(data))
    assert error.startswith("data/parts/02-second-part.yaml:1:1: error: the file is 16 MB")
