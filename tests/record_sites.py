"""Local stand-ins for the web, for the record check's tests: a threaded HTTP server on
127.0.0.1 whose routes each play one behaviour (a page, a redirect, a stall, a rate limit…),
counting every request, and a tiny PDF with real text in it."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds of silence before answering: a stall."""
    chunks: int = 1
    """Send the body this many times over, without a Content-Length: a body too large to read."""


Route = Callable[[int, str], Reply]
"""Given how many times this path was asked for before, and the path with its query, the reply."""


def html(body: str, charset: str = "utf-8") -> Reply:
    return Reply(200, body.encode(charset), {"Content-Type": f"text/html; charset={charset}"})


def redirect(status: int, to: str) -> Reply:
    return Reply(status, b"", {"Location": to})


class Site:
    """Routes by path (the query string included, for the archive's API), and what was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        """When each path was asked for (time.monotonic())."""
        self.user_agents: set[str] = set()
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        self.url = ""

    def add(self, path: str, reply: Reply | Route) -> None:
        if isinstance(reply, Reply):
            fixed = reply

            def always(_n: int, _path: str) -> Reply:
                return fixed

            reply = always
        self.routes[path] = reply


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            path = self.path
            with site.lock:
                before = site.hits[path]
                site.hits[path] += 1
                site.times.setdefault(path, []).append(time.monotonic())
                site.user_agents.add(self.headers.get("User-Agent", ""))
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
            try:
                route = site.routes.get(path) or site.routes.get(urlsplit(path).path)
                if route is None:  # a route ending in "*" takes every path that starts with it
                    starts = [p for p in site.routes if p.endswith("*") and path.startswith(p[:-1])]
                    route = site.routes[max(starts, key=len)] if starts else None
                reply = route(before, path) if route else Reply(404, b"not here")
                if reply.delay:
                    # A stall outlives the client's timeout, after which the client's slot is
                    # free again: counted as in flight, it would be counted twice.
                    with site.lock:
                        site.in_flight -= 1
                    time.sleep(reply.delay)
                    with site.lock:
                        site.in_flight += 1
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunks == 1:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                for _ in range(reply.chunks):
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should past its cap or its timeout
            finally:
                with site.lock:
                    site.in_flight -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def pdf(text: str) -> bytes:
    """A one-page PDF whose text is `text` (Latin-1), laid out in lines as papers are."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) > 60:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    escaped = [ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for ln in lines]
    stream = "BT /F1 11 Tf 14 TL 72 720 Td " + " ".join(f"({ln}) '" for ln in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
