"""The record check at scale: 10,000 quotes with records on 50 local hosts.

Writes the synthetic 10,000-quote corpus of bench/synth.py with its addresses spread over 50
hosts (passages on 2,000 transcript pages, quotes' and sources' own pages), serves every page
and a stand-in for the Internet Archive from local servers in a process of their own, then
times `python -m generator check-record` against them, `--map`ped, in a fresh process, and
takes its peak memory. A few pages are made to fail: 1 passage in 100 is left off its page
(changed), 1 quote page in 100 is missing (gone), a tenth of the sources redirect (moved).

    .venv/bin/python -m bench.record [--quotes 10000] [--no-readme]

Its figure goes to bench/README.md, between the markers of its own section.
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench.synth import corpus_texts

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
HOSTS = 50
BUDGET_SECONDS = 120.0
START, END = "<!-- record-check: written by bench/record.py -->", "<!-- /record-check -->"
Page = tuple[int, dict[str, str], bytes]


def host(n: int) -> str:
    return f"https://host-{n % HOSTS:02d}.bench.test"


def spread(texts: dict[str, str]) -> dict[str, str]:
    """The corpus with its example.org addresses spread over HOSTS hosts, by quote number."""
    out: dict[str, str] = {}
    for rel, text in texts.items():
        lines, number = [], 0
        for line in text.split("\n"):
            if m := re.match(r"  - id: \S+-(\d+)$", line):
                number = int(m[1])
            if m := re.match(r"(\s+url: )https://example\.org/transcripts/\d+(#section-\d+)$", line):
                line = f"{m[1]}{host(number)}/transcripts/{number // HOSTS % 40}{m[2]}"
            elif m := re.match(r"(\s+url: )https://example\.org/check/(\S+)$", line):
                line = f"{m[1]}{host(number)}/check/{m[2]}"
            elif m := re.match(r"(\s+url: )https://example\.org/sources/(\S+)-(\d+)$", line):
                line = f"{m[1]}{host(int(m[3]))}/sources/{m[2]}-{m[3]}"
            lines.append(line)
        out[rel] = "\n".join(lines)
    return out


def pages(root: Path) -> tuple[dict[tuple[str, str], Page], int]:
    """Every page the corpus links to, as (status, headers, body), by (origin, path); and
    how many passages were left off their pages."""
    from generator.pipeline import check

    collection, _ = check(root)
    rng = random.Random(18)
    filler = [q.text for q in collection.quotes()][:400]
    by_page: dict[str, list[str]] = {}
    left_off = 0
    for quote in collection.quotes():
        for passage in quote.record:
            if rng.random() < 0.01:
                left_off += 1
                continue
            by_page.setdefault(passage.url.split("#")[0], []).append(passage.text)
    served: dict[tuple[str, str], Page] = {}

    def put(url: str, page: Page) -> None:
        parts = urlsplit(url)
        served[f"{parts.scheme}://{parts.netloc}", parts.path] = page

    head = "<!doctype html><html><head><title>A page</title><style>p{margin:0}</style><script>var a = 1;</script>"
    for url, texts in by_page.items():
        body = [head, "</head><body><nav><a href='/'>Home</a></nav><main>"]
        for text in texts:
            body.append("<p>" + html.escape(rng.choice(filler)) + "</p>")
            words = html.escape(text).split(" ")
            if len(words) > 4:  # a word in <em>, as pages emphasise
                words[2] = f"<em>{words[2]}</em>"
            body.append("<p>" + " ".join(words).replace(" ¶ ", "</p><p>") + "</p>")
        body.append("</main></body></html>")
        put(url, (200, {"Content-Type": "text/html; charset=utf-8"}, "".join(body).encode()))
    for quote in collection.quotes():
        if quote.url and rng.random() >= 0.01:
            put(quote.url, (200, {"Content-Type": "text/html"}, f"{head}<p>{html.escape(quote.text)}</p>".encode()))
    for n, source in enumerate(collection.sources):
        if source.url:
            page = f"{head}<p>{html.escape(source.title)}</p>".encode()
            if n % 10 == 0:
                put(source.url, (301, {"Location": source.url + "/"}, b""))
                put(source.url + "/", (200, {"Content-Type": "text/html"}, page))
            else:
                put(source.url, (200, {"Content-Type": "text/html"}, page))
    return served, left_off


def _archive(path: str) -> Page:
    parts = urlsplit(path)
    if parts.path.endswith("/wayback/available"):
        url = parse_qs(parts.query)["url"][0]
        if sum(map(ord, url)) % 2:
            return 200, {"Content-Type": "application/json"}, b'{"archived_snapshots": {}}'
        closest = {"status": "200", "available": True, "url": f"http://web.archive.org/web/20260101000000/{url}"}
        return (
            200,
            {"Content-Type": "application/json"},
            json.dumps({"archived_snapshots": {"closest": closest}}).encode(),
        )
    if "/save/" in parts.path:
        return 302, {"Location": "/web/20261201000000/" + path.split("/save/", 1)[1]}, b""
    return 404, {}, b""


def serve_all(served: dict[tuple[str, str], Page], ports: Any) -> None:
    """Runs in its own process: one threaded server per host, and one for the archive."""
    origins = sorted({origin for origin, _ in served} | {host(n) for n in range(HOSTS)})

    def handler(origin: str | None) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs: 40 ms a page

            def do_GET(self) -> None:
                status, headers, body = (
                    _archive(self.path) if origin is None else served.get((origin, self.path), (404, {}, b"no"))
                )
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    found: dict[str, int] = {}
    for origin in [*origins, None]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler(origin))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        found[origin or "archive"] = server.server_address[1]
    ports.put(found)
    threading.Event().wait()


def measure(quotes: int, out: Path) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    texts = spread(corpus_texts(quotes))
    for rel, text in texts.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, "utf-8")
    served, left_off = pages(out)
    context = multiprocessing.get_context("fork")
    ports = context.Queue()
    server = context.Process(target=serve_all, args=(served, ports), daemon=True)
    server.start()
    try:
        found: dict[str, int] = ports.get(timeout=60)
        maps = [f"--map={origin}=http://127.0.0.1:{port}" for origin, port in found.items() if origin != "archive"]
        archive = f"http://127.0.0.1:{found['archive']}"
        maps += [f"--map=https://archive.org={archive}", f"--map=https://web.archive.org={archive}"]
        report = out / "report.json"
        command = [sys.executable, "-m", "generator", "--root", str(out), "check-record", *maps, f"--report={report}"]
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CI": "1"}, check=False)
        seconds = time.monotonic() - started
        # Before the servers' process is reaped, so that the largest child measured is the check.
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    finally:
        server.terminate()
        server.join()
    if result.returncode not in (0, 1):
        raise SystemExit(f"check-record failed ({result.returncode}):\n{result.stderr[-3000:]}")
    entries = json.loads(report.read_text("utf-8"))
    results: dict[str, int] = {}
    for e in entries:
        results[e["result"]] = results.get(e["result"], 0) + 1
    return {
        "quotes": quotes,
        "passages": sum(1 for e in entries if e["passage"] is not None),
        "addresses": len({e["url"].split("#")[0] for e in entries}),
        "seconds": seconds,
        "peak": peak,
        "results": results,
        "left_off": left_off,
        "summary": result.stdout.strip().splitlines()[-1],
    }


def section(f: dict[str, Any]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    verdict = "PASS" if f["seconds"] <= BUDGET_SECONDS else "**FAIL**"
    tally = ", ".join(f"{n:,} {r}" for r, n in sorted(f["results"].items()))
    return f"""{START}
## The record check at scale

`.venv/bin/python -m bench.record` (part of `make bench`): the {f["quotes"]:,}-quote corpus with its
addresses spread over {HOSTS} local hosts ({f["passages"]:,} passages and {f["addresses"]:,} distinct
addresses, each served with a snapshot or none by a local stand-in for the Internet Archive),
checked by `python -m generator check-record --map …` in a fresh process: every page fetched,
read and matched, every address looked up in the archive, at most 2 requests in flight per host.
Measured {when} on {os.cpu_count()} cores, Python {platform.python_version()}.

| | measured | budget | |
|---|---|---|---|
| wall-clock time | {f["seconds"]:.1f} s | ≤ {BUDGET_SECONDS:.0f} s | {verdict} |
| peak memory (max RSS) | {f["peak"] / 1024 / 1024:.0f} MB | bounded | pages streamed, capped, dropped once read |

Results: {tally} ({f["left_off"]} passages were left off their pages on purpose).
The command's summary: {f["summary"]}
{END}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--no-readme", action="store_true", help="do not write the figure into bench/README.md")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the report under bench/out/record/")
    args = parser.parse_args(argv)
    out = ROOT / "bench" / "out" / "record"
    figures = measure(args.quotes, out)
    text = section(figures)
    print(text, file=sys.stderr)
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    if not args.no_readme:
        readme = README.read_text("utf-8")
        if START in readme:
            readme = readme[: readme.index(START)] + text + readme[readme.index(END) + len(END) + 1 :]
        else:
            readme = readme.rstrip("\n") + "\n\n" + text
        README.write_text(readme, "utf-8")
    strict = os.environ.get("BENCH_STRICT") == "1"
    return 1 if strict and figures["seconds"] > BUDGET_SECONDS else 0


if __name__ == "__main__":
    raise SystemExit(main())
