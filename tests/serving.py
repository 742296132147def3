"""Build a site from a corpus and serve it the way GitHub Pages does, for the tests."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.write import MANIFEST, read_manifest

ROOT = Path(__file__).resolve().parent.parent


def site_root(tmp: Path, data: Path) -> Path:
    """A repository root in `tmp` with the project's configuration and `data` as its corpus."""
    root = tmp / "repo"
    root.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "generator").symlink_to(ROOT / "generator")
    (root / "overrides").symlink_to(ROOT / "overrides")
    # The hand-written part of docs/: everything the generator did not write.
    generated = read_manifest(ROOT / "docs") | {MANIFEST}
    for path in (ROOT / "docs").rglob("*"):
        rel = path.relative_to(ROOT / "docs").as_posix()
        if path.is_file() and rel not in generated:
            (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, root / "docs" / rel)
    shutil.copytree(data, root / "data")
    return root


def build(root: Path, out: Path, command: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` (or `command`, e.g. ProperDocs) of the repository at `root` into `out`.

    Run as a curator runs it, through the `mkdocs` command and from elsewhere than the
    repository, so nothing works only because the current folder is on sys.path.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)
    builder = str(Path(sys.executable).parent / command)
    return subprocess.run(
        [builder, "build", "--strict", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=root.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


class _Handler(SimpleHTTPRequestHandler):
    """Static files; a missing one gets the site's 404 page with status 404, as on GitHub Pages."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port with a threaded server; yields the base address."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
