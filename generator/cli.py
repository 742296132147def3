"""`python -m generator check|build|new|permalinks|check-record`: the pipeline from a terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import pipeline
from generator.problems import CorpusError, format_report

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the repository, holding data/ and docs/ (default: this checkout)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in [
        ("check", "validate data/ and report every problem"),
        ("build", "validate data/, then write the generated pages under docs/"),
    ]:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    commands.add_parser("schema", help="rewrite the JSON Schemas of the data files under docs/schema/")
    commands.add_parser("permalinks", help="record the addresses of new quotes in data/permalinks.txt, as published")
    # `new` parses its own options (generator/new.py); add_help=False passes --help on to it.
    commands.add_parser("new", help="add a quote to its part file, then validate", add_help=False)
    commands.add_parser("check-record", help="check every record passage at its source", add_help=False)
    args, rest = parser.parse_known_args(argv)
    if args.command == "new":
        from generator.new import run_new

        return run_new(args.root, rest)
    if args.command == "check-record":
        from generator.record_check.command import run_check_record

        return run_check_record(args.root, rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    try:
        if args.command == "schema":
            from generator.schema import SCHEMA_DIR, corpus_schemas, dump

            for name, schema in corpus_schemas().items():
                path = args.root / SCHEMA_DIR / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(dump(schema), "utf-8")
                print(f"Wrote {path.relative_to(args.root)}")
        elif args.command == "permalinks":
            from generator.permalinks import PERMALINKS_FILE, record

            new = record(args.root, pipeline.check(args.root)[0])
            if new:
                print(f"Recorded {len(new)} new addresses in {PERMALINKS_FILE}:")
                print("".join(f"  {a}\n" for a in new), end="")
            else:
                print(f"{PERMALINKS_FILE} already lists every quote address.")
        elif args.command == "check":
            collection, warnings = pipeline.check(args.root, strict=args.strict)
            for w in warnings:
                print(w, file=sys.stderr)
            print(
                f"OK: {sum(len(p.quotes) for p in collection.parts)} quotes in "
                f"{len(collection.parts)} parts, {len(collection.sources)} sources."
            )
        else:
            result = pipeline.build(
                args.root, pipeline.site_of(args.root), strict=args.strict, progress=pipeline.terminal_progress()
            )
            for w in result.warnings:
                print(w, file=sys.stderr)
            print(
                f"Wrote {len(result.written.written)} files ({result.cards_drawn} cards drawn), "
                f"removed {len(result.written.removed)}, left {result.written.unchanged} unchanged."
            )
    except CorpusError as e:
        print(format_report(e.problems, writing=args.command != "check"), file=sys.stderr)
        return 1
    return 0
