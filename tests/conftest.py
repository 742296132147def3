"""Shared fixtures: the repository, a small valid corpus, and a copy of either to break."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"

pytest_plugins = ("tests.network_guard",)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected output of golden tests; review the diff before committing",
    )
    parser.addoption(
        "--screenshots",
        action="store",
        default=None,
        metavar="DIR",
        help="save screenshots of the site to DIR (make screenshots)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A repository root holding a copy of the small test corpus and an empty docs/."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE_CORPUS / "data", root / "data")
    (root / "docs").mkdir()
    return root


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus, built once with `mkdocs build --strict` into a temporary folder."""
    from tests.serving import build

    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    from tests.serving import serve

    with serve(built_site) as url:
        yield url


def chromium_path() -> str:
    """Debian's Chromium; the browser tests fail, never skip, without it."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is needed for the browser tests: `apt-get install chromium`, or set CHROMIUM to its path")
    return path


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


# Every built page refuses to evaluate strings as script (generator/csp.py): a test waits with
# `page.wait_for_function("() => …")`, a function, never an expression, which Playwright evals
# in the page; and it adds a script or a style by `page.evaluate`, never as an element.
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small test corpus (which has a renamed quote, a moved one and a verbatim one) built."""
    from tests.serving import build, site_root

    tmp = tmp_path_factory.mktemp("small")
    root = site_root(tmp, FIXTURE_CORPUS / "data")
    out = tmp / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def small_site_url(small_site: Path) -> Iterator[str]:
    from tests.serving import serve

    with serve(small_site) as url:
        yield url


@pytest.fixture(scope="session")
def long_source_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A source with more quotes than a page holds records of (render.INLINE_RECORDS), built and served."""
    import yaml

    from generator.lean import INLINE_RECORDS
    from tests.serving import build, serve, site_root

    tmp = tmp_path_factory.mktemp("long")
    data = tmp / "data"
    (data / "parts").mkdir(parents=True)
    # The contract's collection: title, person, description, and nothing more.
    (data / "collection.yaml").write_text("title: Long\nperson: Ada Example\ndescription: A long source.\n")
    (data / "sources.yaml").write_text("sources:\n  - id: talk\n    title: A Talk\n    kind: talk\n")
    quotes = [
        {
            "id": f"q{i}",
            "topic": f"Quote {i}",
            "text": f"Quote number {i}.",
            "source": "talk",
            "tags": ["all"],
            "record": [
                {"text": f"His own words, number {i} & <b>{i}</b>.", "url": "https://example.org/t", "where": "A talk"}
            ]
            if i % 2
            else [],
        }
        for i in range(INLINE_RECORDS + 1)
    ]
    part = {"id": "only", "number": 1, "title": "Only", "quotes": quotes}
    (data / "parts" / "01-only.yaml").write_text(yaml.safe_dump(part, allow_unicode=True, sort_keys=False))
    root = site_root(tmp, data)
    result = build(root, tmp / "site")
    assert result.returncode == 0, result.stderr
    with serve(tmp / "site") as url:
        yield url
