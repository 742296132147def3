"""`python -m generator check-record`: check every passage at its source, report, write the results.

    python -m generator check-record [--map ORIGIN=BASE]... [--report FILE] [--no-archive]

One line per problem, in the curator's format (`file:line:col: changed: …`), then a summary;
exit 1 when any passage is changed, gone or fragment-missed, else 0 (unreachable is a
warning: networks fail). The results go to data/record-checks.yaml either way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from generator.load import Loaded, load
from generator.pipeline import site_of, terminal_progress
from generator.problems import CorpusError, errors_of
from generator.record_check.check import CAPTURES, Outcome, Run, Settings, report_entry, run
from generator.record_check.fetch import Politeness, Remap
from generator.record_check.results import FAILING, RESULTS, RESULTS_FILE, dump, read_checks
from generator.validate import validate
from generator.write import atomic_write


def user_agent(root: Path) -> str:
    """Names the site and its repository, so a site's owner knows who asks and where to say stop."""
    site = site_of(root)
    repository = "https://github.com/lessons-from-neel-nanda/lessons-from-neel-nanda.github.io"
    path = root / "mkdocs.yml"
    if path.is_file():
        from mkdocs.utils.yaml import yaml_load

        with path.open("rb") as f:
            repository = str(yaml_load(f).get("repo_url") or repository)
    return f"record-check/1.0 (+{repository}; checks the passages quoted on {site.name}, {site.url}, once a week)"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m generator check-record", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ORIGIN=BASE",
        help="send every request whose address starts with ORIGIN to BASE + the rest (repeatable; the archive's too)",
    )
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write every result to FILE as JSON")
    parser.add_argument("--no-archive", action="store_true", help="do not ask the Internet Archive for copies")
    parser.add_argument(
        "--timeout", type=float, default=Politeness().timeout, metavar="SECONDS", help="per page (default %(default)g)"
    )
    parser.add_argument(
        "--captures",
        type=int,
        default=CAPTURES,
        metavar="N",
        help="ask the archive to capture at most N pages it has no copy of (default %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        args.remap = Remap([Remap.parse(spec) for spec in args.map])
    except ValueError as e:
        parser.error(str(e))
    if args.timeout <= 0 or args.captures < 0:
        parser.error("--timeout must be above 0 and --captures at least 0")
    return args


def run_check_record(root: Path, argv: list[str]) -> int:
    args = parse(argv)
    loaded = load(root)
    collection, problems = validate(loaded, strict=False)
    if collection is None or errors_of(problems):
        print(CorpusError(problems), file=sys.stderr)
        return 1
    previous, damaged = read_checks(root)
    for p in damaged:
        print(f"{p} (starting afresh: the check rewrites it)", file=sys.stderr)
    politeness = Politeness(timeout=args.timeout)
    settings = Settings(user_agent(root), politeness, args.remap, not args.no_archive, args.captures)
    result = run(collection, previous, settings, terminal_progress())

    for line in report_lines(result, _locations(loaded)):
        print(line)
    written = dump(result.checks)
    path = root / RESULTS_FILE
    if not path.is_file() or path.read_text("utf-8") != written:
        atomic_write(path, written.encode("utf-8"))
    if args.report:
        text = json.dumps([report_entry(o) for o in result.outcomes], ensure_ascii=False, indent=2) + "\n"
        atomic_write(args.report, text.encode("utf-8"))
    print(summary(result))
    failing = any(o.result in FAILING for o in result.outcomes if o.target.passage is not None)
    return 1 if failing else 0


Location = tuple[str, int, int]


def _locations(loaded: Loaded) -> dict[tuple[str, str, int | None], Location]:
    """Where each passage, quote url and source url is written: ("quote", id, n or None) or ("source", id, None)."""
    found: dict[tuple[str, str, int | None], Location] = {}
    for doc in loaded.parts:
        for quote in doc.root.value["quotes"].value:
            qid = quote.value["id"].value
            if "url" in quote.value:
                node = quote.value["url"]
                found["quote", qid, None] = (doc.path, node.line, node.column)
            for n, passage in enumerate(quote.value["record"].value if "record" in quote.value else (), start=1):
                found["quote", qid, n] = (doc.path, passage.line, passage.column)
    if loaded.sources is not None:
        for source in loaded.sources.root.value["sources"].value:
            if "url" in source.value:
                node = source.value["url"]
                found["source", source.value["id"].value, None] = (loaded.sources.path, node.line, node.column)
    return found


def _what(o: Outcome) -> str:
    t = o.target
    if t.passage is not None:
        return f"quote '{t.quote}', passage {t.passage}"
    return f"quote '{t.quote}' url" if t.quote else f"source '{t.source}' url"


def problem_line(o: Outcome, where: Location) -> str | None:
    """The report's line for one outcome; None when there is nothing to say (found)."""
    t, what = o.target, _what(o)
    archived = f" (archived copy: {o.snapshot.url})" if o.snapshot else ""
    if o.result == "found":
        return None
    if o.result == "changed":
        closest = f" (closest: “{o.detail}”)" if o.detail else " (no sentence there comes close)"
        line = f"{what} is no longer at {t.url}{closest}"
        hint = f"read the page{archived} and copy the words as it now writes them, or link the page that holds them"
    elif o.result == "fragment-missed":
        line = f"{what} is at {t.url}, but its link's highlight ({o.detail}) does not match it there"
        hint = "copy the words from the page character for character (dashes, spelling), so the link opens at them"
    elif o.result == "moved":
        line = f"{what} moved: {t.url} now leads to {o.final_url} (found there)" if t.text else ""
        line = line or f"{what} {t.url} now leads to {o.final_url}"
        hint = f"change the url to {o.final_url}"
    elif o.result == "gone":
        line = f"{what}: {t.url} {o.detail}" if t.text else f"{what} {t.url} {o.detail}"
        hint = f"link the page that now holds the words{archived}" if t.text else f"link where it now is{archived}"
    else:
        line = f"{what}{':' if t.text else ''} {t.url} could not be read: {o.detail}"
        hint = "nothing to do unless it lasts: the next run tries again"
    file, line_no, column = where
    return f"{file}:{line_no}:{column}: {o.result}: {line} — {hint}"


def report_lines(result: Run, locations: dict[tuple[str, str, int | None], Location]) -> list[str]:
    lines: list[str] = []
    for o in result.outcomes:
        t = o.target
        key = ("quote", t.quote, t.passage) if t.quote else ("source", t.source or "", None)
        line = problem_line(o, locations.get(key, ("data", 1, 1)))
        if line:
            lines.append(line)
    lines += [f"warning: the archive, for {address}: {error}" for address, error in result.archive_errors]
    return lines


def summary(result: Run) -> str:
    passages = [o for o in result.outcomes if o.target.passage is not None]
    plain = len(result.outcomes) - len(passages)
    counts = Counter(o.result for o in result.outcomes)
    tally = ", ".join(f"{counts[r]:,} {r}" for r in RESULTS if counts[r])
    archived = sum(1 for c in result.checks.addresses.values() if c.snapshot)
    return (
        f"Checked {_n(len(passages), 'passage')} and {_n(plain, 'other address', 'other addresses')}"
        f" ({_n(result.addresses, 'distinct page')} on {_n(result.hosts, 'host')}, {_n(result.requests, 'request')}):"
        f" {tally or 'nothing to check'}. Archived copies of {_n(archived, 'page')};"
        f" {_n(len(result.captured), 'capture')} asked for. Wrote {RESULTS_FILE}."
    )


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"
