"""The preview shows what is wrong: a real `mkdocs serve`, a real browser, a broken part file.

A curator looking at the open tab, not the terminal, sees every error within seconds of
saving, no request is left waiting, and fixing the file brings the site back by itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator import pipeline
from tests.conftest import FIXTURE_CORPUS, ROOT
from tests.serving import build, site_root

SETTLE = 30_000
"""Milliseconds to wait for a rebuild to reach the open tab: MkDocs waits for saving to stop
(about half a second), then builds the small corpus in well under a second."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """`mkdocs serve` of the small corpus, as `make serve` runs it; yields the repository and its address."""
    with serving(site_root(tmp_path, FIXTURE_CORPUS / "data")) as url:
        yield tmp_path / "repo", url


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """`mkdocs serve` of the repository at `root` on a free port, until the block ends."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    server = subprocess.Popen(
        [mkdocs, "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("mkdocs serve did not start")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def answers_at_once(url: str) -> int:
    """The status of a request that must not wait on a build (MkDocs holds requests while one runs)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


@pytest.mark.browser
def test_a_broken_part_file_shows_its_errors_in_the_open_tab_and_fixing_it_brings_the_site_back(
    browser: Any, preview: tuple[Path, str]
) -> None:
    root, url = preview
    part = root / "data" / "parts" / "01-first-part.yaml"
    good = part.read_text("utf-8")
    page = browser.new_page()
    page.goto(url + "parts/first-part/", wait_until="load")  # load: the server keeps a long poll open
    assert page.locator("h1").inner_text().startswith("Part 1: First Part")

    part.write_text(good.replace("topic: Second Quote", "topic: Second: Quote"), "utf-8")
    page.locator("#nn-problems").wait_for(timeout=SETTLE)  # the tab reloaded by itself
    errors = page.locator("#nn-problems li").all_inner_texts()
    assert errors == [
        "data/parts/01-first-part.yaml:22:18: error: this is not valid YAML: mapping values are not allowed in "
        "this context — put the text in quotes: a ': ' inside unquoted text starts a new key"
    ]
    for other in ("", "parts/second-part/", "quotes/first-quote/", "no-such-page/"):
        assert answers_at_once(url + other) in (200, 404), other  # every address answers, none hangs

    part.write_text(good, "utf-8")
    page.locator("h1", has_text="Part 1: First Part").wait_for(timeout=SETTLE)  # and back, by itself
    assert page.locator("#nn-problems").count() == 0
    assert answers_at_once(url + "quotes/first-quote/") == 200
    page.close()


@pytest.mark.browser
def test_every_mistake_of_a_save_is_listed_once(browser: Any, preview: tuple[Path, str]) -> None:
    root, url = preview
    sources = root / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8").replace("    title: Ada's Blog\n", ""), "utf-8")
    part = root / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8").replace("source: blog", "soruce: blog"), "utf-8")
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.locator("#nn-problems").wait_for(timeout=SETTLE)
    errors = page.locator("#nn-problems li").all_inner_texts()
    # The missing title and the misspelt key: not also the quotes that name the source whose
    # title is missing, nor the quote's 'source' that the misspelling stands for (one
    # mistake, one error).
    assert len(errors) == 2, errors
    assert all(":" in e.split(" ", 1)[0] and " — " in e for e in errors), errors
    page.close()


@pytest.mark.browser
def test_a_rename_without_aliases_stops_the_preview_with_the_alias_to_add(
    browser: Any, preview: tuple[Path, str]
) -> None:
    root, url = preview
    part = root / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8").replace("id: third-quote", "id: third-quote-renamed"), "utf-8")
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.locator("#nn-problems").wait_for(timeout=SETTLE)
    assert page.locator("#nn-problems li").all_inner_texts() == [
        "data/parts/02-second-part.yaml:5:9: error: quote 'third-quote' was published at /quotes/third-quote/ — "
        "add `aliases: [third-quote]` to the quote that replaces it (did you mean 'third-quote-renamed'?)"
    ]
    page.close()


@pytest.mark.browser
def test_the_preview_runs_mkdocs_live_reload_and_the_page_of_problems_only_its_own_script(
    browser: Any, preview: tuple[Path, str]
) -> None:
    """Built pages carry a policy (tests/test_csp.py); the preview's do not, since MkDocs adds
    an inline script to each page it serves, new with every request, which no hash can allow.
    The page of problems keeps its policy: MkDocs' script is refused there, and the page's own
    reloads it (test_a_broken_part_file_shows_its_errors…)."""
    root, url = preview
    with urllib.request.urlopen(url + "quotes/first-quote/", timeout=5) as response:
        served = response.read().decode("utf-8")
    assert "Content-Security-Policy" not in served
    assert "var livereload = function(epoch, requestId)" in served

    part = root / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8").replace("source: blog", "soruce: blog"), "utf-8")
    context = browser.new_context()
    refused: list[str] = []
    context.expose_binding("__nnViolation", lambda source, v: refused.append(v))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__nnViolation([e.effectiveDirective, e.blockedURI, e.sample].join(' ')))"
    )
    asked: list[str] = []
    context.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.locator("#nn-problems").wait_for(timeout=SETTLE)
    page.wait_for_timeout(500)
    context.close()
    # The page's own script is allowed by its hash, so the one inline script refused is MkDocs'.
    assert refused == ["script-src-elem inline "], refused
    assert [p for p in asked if p.startswith("/livereload/0/")], f"the page's own script did not run: {asked}"


def luminance(css: str) -> float:
    """The relative luminance (WCAG 2) of a computed `rgb(r, g, b)` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_of_problems_follows_the_readers_colour_scheme(
    browser: Any, preview: tuple[Path, str], scheme: str
) -> None:
    root, url = preview
    part = root / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8").replace("source: blog", "soruce: blog"), "utf-8")
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.locator("#nn-problems").wait_for(timeout=SETTLE)
    back, text, heading, note = page.evaluate(
        """() => [document.body, document.body, document.querySelector('h1'), document.querySelector('p.note')]
            .map((e, i) => getComputedStyle(e)[i ? 'color' : 'backgroundColor'])"""
    )
    context.close()
    assert (luminance(back) < 0.05) == (scheme == "dark"), back
    assert contrast(text, back) >= 7, (text, back)
    assert contrast(heading, back) >= 4.5, (heading, back)
    assert contrast(note, back) >= 4.5, (note, back)


def test_a_build_beside_the_preview_carries_no_preview_address_and_the_preview_goes_on(tmp_path: Path) -> None:
    """`make serve` in one terminal, `make build` (or `make test`) in another, on one checkout.

    Each build's files change docs/, which the preview watches and rebuilds on; a preview
    that wrote its pages (which carry its own address) into docs/ as well would hand them to
    a build reading docs/ at the same moment."""
    # The real corpus: its builds take long enough for the preview to rebuild in the middle of one.
    root = site_root(tmp_path, ROOT / "data")
    part = root / "data" / "parts" / "01-understanding-mechanistic-interpretability.yaml"
    # A renamed quote, for a redirect page, which names the quote's full address.
    part.write_text(
        part.read_text("utf-8").replace(
            "  - id: alien-neuroscience\n", "  - id: alien-neuroscience\n    aliases: [alien-brains]\n", 1
        ),
        "utf-8",
    )
    with serving(root) as url:
        built_beside(root, url, tmp_path)


def built_beside(root: Path, url: str, tmp_path: Path) -> None:
    published = pipeline.site_of(root).url
    preview_address = url.removesuffix("/").encode()
    for attempt in range(3):
        out = tmp_path / f"site-{attempt}"
        result = build(root, out)
        assert result.returncode == 0, result.stderr
        leaked = sorted(
            p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and preview_address in p.read_bytes()
        )
        assert not leaked, f"build {attempt + 1} carries the preview's address in {leaked}"
        assert json.loads((out / "quotes.json").read_text("utf-8"))["url"] == published
        alias = (out / "quotes" / "alien-brains" / "index.html").read_text("utf-8")
        assert f'<link rel="canonical" href="{published}quotes/alien-neuroscience/">' in alias
        assert answers_at_once(url) == 200, "the preview stopped answering"
    # The preview goes on serving its own pages, at its own address.
    deadline = time.monotonic() + SETTLE / 1000
    while True:
        with urllib.request.urlopen(url + "quotes.json", timeout=5) as response:
            if json.loads(response.read())["url"] == url:
                break
        assert time.monotonic() < deadline, "the preview's quotes.json lost its address"
        time.sleep(0.5)
    assert not [p for p in (root / "docs").rglob("*") if p.is_file() and preview_address in p.read_bytes()], (
        "the preview's address is in docs/"
    )
