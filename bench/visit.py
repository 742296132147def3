"""What a first visit to a page of a built site fetches: the page and everything it makes a
browser load at once, each gzipped as a web server sends it."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


def gz(data: bytes) -> int:
    """Bytes on the wire: gzip at the level web servers use."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# Elements whose script in docs/assets/site.js fetches a file as the page loads, not on a click:
# the 404 page's suggestions. Which file is read from site.js itself (the first `fetch(new
# URL("…"` after the element is looked up), so the figure follows the script.
LOADS_ON_SIGHT = ("nn-suggestions",)
SITE_JS = "assets/site.js"


def script_fetches(site: Path) -> dict[str, str]:
    """{element id: the file site.js fetches at load when the page has that element}."""
    path = site / SITE_JS
    script = path.read_text("utf-8") if path.is_file() else ""
    found: dict[str, str] = {}
    for ident in LOADS_ON_SIGHT:
        m = re.search(rf"""getElementById\(["']{ident}["']\)[\s\S]*?fetch\(new URL\(["']([^"']+)["']""", script)
        if m:
            found[ident] = m[1]
    return found


class _Refs(HTMLParser):
    """What a browser fetches to show a page: stylesheets, icons, preloads, scripts, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self._config = False
        self.config = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "link":
            rel = set(a.get("rel", "").lower().split())
            if rel & {"stylesheet", "icon", "preload", "modulepreload"} and a.get("href"):
                self.urls.append(a["href"])
        elif tag == "script":
            if a.get("src"):
                self.urls.append(a["src"])
            self._config = a.get("id") == "__config"
        elif tag in ("img", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "use" and a.get("href", "").partition("#")[0]:  # an SVG sprite (quote pages)
            self.urls.append(a["href"].partition("#")[0])

    def handle_data(self, data: str) -> None:
        if self._config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._config = False


@dataclass
class Visit:
    page: str
    page_gz: int
    total_gz: int
    assets: dict[str, int] = field(default_factory=dict)
    """Path under the site → gzipped bytes."""
    other_hosts: list[str] = field(default_factory=list)


def _resolve(site: Path, base: str, url: str) -> str | None:
    """The path under the site that `url`, written in the file at `base`, names; None for another host."""
    parts = urlsplit(url)
    if not parts.path:
        return ""
    if parts.scheme in ("http", "https") or url.startswith("//"):
        return None
    if parts.scheme == "data":
        return ""
    path = str(PurePosixPath(base).parent / unquote(parts.path)) if not parts.path.startswith("/") else parts.path[1:]
    resolved = os.path.normpath(path).replace(os.sep, "/")
    if (site / resolved).is_dir():
        resolved = f"{resolved}/index.html"
    return resolved


def first_visit(site: Path, page: str) -> Visit:
    """A first visit to `page` (a path under the site): the page and everything it makes the
    browser fetch on load, each gzipped. The search index is fetched only on search: excluded."""
    data = (site / page).read_bytes()
    refs = _Refs()
    refs.feed(data.decode("utf-8"))
    urls = list(refs.urls)
    if refs.config:  # Material starts its search worker on every page load
        with contextlib.suppress(ValueError, KeyError, TypeError):
            urls.append(json.loads(refs.config)["search"])
    visit = Visit(page, gz(data), 0)
    queue = [(page, u) for u in urls]
    queue += [("index.html", fetched) for ident, fetched in script_fetches(site).items() if ident in refs.ids]
    while queue:
        base, url = queue.pop(0)
        rel = _resolve(site, base, url)
        if rel is None:
            visit.other_hosts.append(url)
            continue
        if not rel or rel in visit.assets or rel.endswith("search_index.json"):
            continue
        path = site / rel
        if not path.is_file():
            continue
        body = path.read_bytes()
        visit.assets[rel] = gz(body)
        if rel.endswith(".css"):  # fonts and images a stylesheet names
            text = body.decode("utf-8", "replace")
            for found in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]", text):
                target = found[0] or found[1]
                if not target.startswith("data:") and not target.startswith("#"):
                    queue.append((rel, target))
    visit.total_gz = visit.page_gz + sum(visit.assets.values())
    return visit
