"""The catalogue of curator mistakes: each `mistakes/*.case` file is one broken corpus
and the exact report it must produce.

A case file holds sections, each opened by a line `=== <what>`:
`=== data/...` replaces (or adds) that file of the small test corpus, byte for byte;
`=== delete` lists files to remove; `=== args` lists extra command-line options;
`=== expected` is the exact report on stderr. Refresh with `pytest --update-golden`.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from generator.cli import main

CASES = sorted((Path(__file__).parent / "mistakes").glob("*.case"))


def parse_case(raw: bytes) -> dict[str, bytes]:
    sections: dict[str, bytes] = {}
    name: str | None = None
    for line in raw.splitlines(keepends=True):
        header = line.rstrip(b"\r\n")
        if header.startswith(b"=== "):
            name = header[4:].decode()
            sections[name] = b""
        elif name is not None:
            sections[name] += line
    return sections


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["--root", str(root), *args])
    return status, err.getvalue()


def apply(case: Path, root: Path) -> tuple[list[str], str]:
    """Break the corpus at `root` as `case` says; its extra options and its expected report."""
    sections = parse_case(case.read_bytes())
    for rel in sections.pop("delete", b"").decode().split():
        (root / rel).unlink()
    args = sections.pop("args", b"").decode().split()
    expected = sections.pop("expected").decode()
    for rel, content in sections.items():
        (root / rel).write_bytes(content)
    return args, expected


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_mistake_is_reported_precisely_and_nothing_is_written(
    case: Path, small_corpus: Path, update_golden: bool
) -> None:
    # A site built before the mistake, plus a hand-written page: both must survive untouched.
    assert run(small_corpus, "build")[0] == 0
    (small_corpus / "docs" / "hand-written.md").write_text("# Mine\n")
    before = snapshot(small_corpus / "docs")

    args, expected = apply(case, small_corpus)
    status, report = run(small_corpus, "build", *args)

    if update_golden:
        raw = case.read_bytes()
        case.write_bytes(raw[: raw.index(b"=== expected")] + b"=== expected\n" + report.encode())
        return
    assert report == expected
    assert status == 1
    assert report.rstrip().splitlines()[-1].startswith("Aborted: ")
    assert snapshot(small_corpus / "docs") == before


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_check_reports_the_same_problems_and_claims_no_writing(case: Path, small_corpus: Path) -> None:
    """`make check` never writes, so its report ends without "nothing was written"."""
    args, expected = apply(case, small_corpus)
    status, report = run(small_corpus, "check", *args)
    *problems, last = expected.rstrip("\n").split("\n")
    assert last.endswith("; nothing was written."), last
    assert report == "\n".join([*problems, last.replace("; nothing was written.", ".")]) + "\n"
    assert status == 1


def test_every_report_line_names_file_line_column_and_a_fix() -> None:
    for case in CASES:
        lines = parse_case(case.read_bytes())["expected"].decode().splitlines()
        assert lines, f"{case.name} expects no report"
        for line in lines[:-1]:
            location, _, rest = line.partition(": ")
            file, line_no, column = location.rsplit(":", 2)
            assert file.startswith("data/"), line
            assert int(line_no) >= 1 and int(column) >= 1, line
            assert rest.startswith(("error: ", "warning: ")), line
            assert " — " in rest, f"no hint after ' — ' in {line!r}"
