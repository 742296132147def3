"""Reports cannot speak for others: what a report echoes (a file name, a key, a value typed) is
shown escaped, as `repr` shows it, so no line of it carries a raw control character, recolours
a terminal, or starts with `::`, which GitHub's runner reads as a workflow command.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from generator.cli import main
from generator.problems import Problem, printable, shown
from tests.conftest import FIXTURE_CORPUS
from tests.serving import build, site_root

# A terminal escape that clears the screen, then a line that GitHub would take as an annotation.
FORGED = "\x1b[2J\x1b[31m\n::warning file=README.md,line=1::forged by the corpus"
LOCATED = re.compile(r"^(?:data/\S+|'data/.+'):\d+:\d+: (?:error|warning): .+ — .+$")


def run(root: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--root", str(root), *args])
    return status, out.getvalue() + err.getvalue()


def assert_speaks_for_itself(report: str) -> list[str]:
    """Every line printable (no escape, no stray line break) and none a workflow command."""
    lines = report.splitlines()  # splits at every line break Python knows: \x1c-\x1e, \x85, \u2028 too
    assert lines, "no report at all"
    for line in lines:
        assert line.isprintable(), f"a raw control character in {line!r}"
        assert not line.lstrip().startswith("::"), f"a workflow command: {line!r}"
    assert "\x1b" not in report and "\r" not in report
    return lines


def test_a_key_holding_an_escape_and_a_workflow_command_is_echoed_escaped(small_corpus: Path) -> None:
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    key = "soruce" + FORGED
    escaped = key.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    part.write_text(part.read_text("utf-8").replace("    source: blog\n", f'    "{escaped}": blog\n'), "utf-8")
    status, report = run(small_corpus, "check")
    assert status == 1
    lines = assert_speaks_for_itself(report)
    assert lines == [
        "data/parts/02-second-part.yaml:5:5: error: quote 'third-quote' has no 'source' "
        "— add it, e.g. source: 80000-hours-podcast",
        "data/parts/02-second-part.yaml:8:5: error: unknown key "
        "'soruce\\x1b[2J\\x1b[31m\\n::warning file=README.md,line=1::forged by the corpus' in quote 'third-quote' "
        "— use one of: id, topic, text, source, status, note, url, tags, aliases, record",
        "Aborted: 2 errors.",
    ]


def test_a_duplicate_key_holding_an_escape_is_echoed_escaped(small_corpus: Path) -> None:
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    key = '"a\\x1b]0;title\\x07\\n::error::x"'
    part.write_text(part.read_text("utf-8") + f"    {key}: 1\n    {key}: 2\n", "utf-8")
    _, report = run(small_corpus, "check")
    lines = assert_speaks_for_itself(report)
    assert any("the key 'a\\x1b]0;title\\x07\\n::error::x' appears twice" in line for line in lines), lines


def test_part_file_names_holding_escapes_and_workflow_commands_are_echoed_escaped(small_corpus: Path) -> None:
    parts = small_corpus / "data" / "parts"
    (parts / f"03-third{FORGED}.yaml").write_text("id: third-part\nnumber: 3\ntitle: Third\nquotes: []\n", "utf-8")
    (parts / f"notes{FORGED}.txt").write_text("not a part\n", "utf-8")
    status, report = run(small_corpus, "check")
    assert status == 1
    lines = assert_speaks_for_itself(report)
    part, stray = f"data/parts/03-third{FORGED}.yaml", f"data/parts/notes{FORGED}.txt"
    assert f"{part!r}:1:1: error: a part file is named for its number and id" in report
    assert f"{stray!r}:1:1: error: data/parts/ holds only part files" in report
    assert all(LOCATED.match(line) for line in lines[:-1]), lines
    assert lines[-1] == "Aborted: 3 errors."


def test_a_build_reports_the_same_names_escaped(tmp_path: Path) -> None:
    """MkDocs prints the hook's report (an Abort) itself: it must be just as inert."""
    root = site_root(tmp_path, FIXTURE_CORPUS / "data")
    (root / "data" / "parts" / f"notes{FORGED}.txt").write_text("not a part\n", "utf-8")
    result = build(root, tmp_path / "site")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert repr(f"data/parts/notes{FORGED}.txt") in output
    assert_speaks_for_itself(output)


def test_make_new_echoes_a_part_it_does_not_know_escaped(small_corpus: Path) -> None:
    status, report = run(small_corpus, "new", "--part", f"first{FORGED}", "--topic", "T", "--text", "x")
    assert status == 2
    assert_speaks_for_itself(report)
    assert f"no part {shown('first' + FORGED)}" in report


def test_every_line_a_problem_prints_is_printable_whatever_it_holds() -> None:
    problem = Problem(f"data/parts/01-x{FORGED}.yaml", 3, 4, f"a message {FORGED}", f"a hint\u2028{FORGED}\u202e")
    line = str(problem)
    assert line.isprintable() and "\n" not in line
    assert line.startswith(repr(f"data/parts/01-x{FORGED}.yaml") + ":3:4: error: a message \\x1b[2J")
    assert line.endswith("forged by the corpus\\u202e")


def test_printable_text_is_left_as_it_is() -> None:
    text = "data/parts/01-x.yaml:1:1: error: 'ünïcödé' — “quotes”, a\\backslash and emoji 🎉"
    assert printable(text) is text
    assert str(Problem("data/parts/01-x.yaml", 1, 1, "m", "h")) == "data/parts/01-x.yaml:1:1: error: m — h"
