"""`make bench`: build synthetic corpora of 1,000 and 10,000 quotes (and the real one) beside a
plain Material site of the same pages, print the figures and the budgets of issue 6, and
record them in bench/README.md.

    .venv/bin/python -m bench.run [--sizes 1000,10000] [--repeat 3] [--no-real] [--no-readme] [--keep]

Everything is written under bench/out/ (ignored by git) and deleted once measured, unless
--keep. Progress goes to stderr when a person watches a terminal, nothing in CI or a pipe;
the table goes to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import Figures, run_corpus  # noqa: E402
from bench.measure import MB, elapsed, say  # noqa: E402
from bench.report import README_HEAD, budgets, report, size  # noqa: E402

OUT = ROOT / "bench" / "out"
README = ROOT / "bench" / "README.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="builds per size below 10,000; the fastest counts")
    parser.add_argument("--no-real", action="store_true", help="skip the real corpus")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and sites under bench/out/")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    free = shutil.disk_usage(ROOT).free
    if free < 3 * 1000 * MB:
        raise SystemExit(f"only {size(free)} free on the disk; the 10,000-quote sites need about 2 GB")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    OUT.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="run-", dir=OUT))  # its own folder: two runs at once do not collide
    figs: list[Figures] = []
    try:
        if not args.no_real:
            figs.append(run_corpus("real", None, out, args.repeat, args.keep))
        for n in sizes:
            figs.append(run_corpus(f"{n:,}", n, out, args.repeat if n < 10_000 else 1, args.keep))
    finally:
        if args.keep:
            say(f"kept everything under {out.relative_to(ROOT)}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    total = elapsed()
    text = report(figs, when, total)
    print(text)
    if not args.no_readme:
        README.write_text(README_HEAD + text + "\n", "utf-8")
        say(f"wrote {README.relative_to(ROOT)}")
    with contextlib.suppress(OSError):
        OUT.rmdir()  # only when empty
    failed = [b for b in budgets(figs) if not b.ok]
    return 1 if failed and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
