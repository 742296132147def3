"""How the pages look, in a real headless Chromium: nothing wider than a small phone, and
screenshots to look at (`pytest tests/test_looks.py -k screenshot --screenshots DIR`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_accessibility import PAGES, SCHEMES, open_page

pytestmark = pytest.mark.browser

# What sticks out past the right edge of the window, for the failure message.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.getClientRects().length)
    .filter(e => !e.closest('.md-sidebar, .md-search, [hidden]'))
    .slice(0, 8)
    .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`
              + ` (right edge ${Math.round(e.getBoundingClientRect().right)})`)"""


def assert_no_horizontal_overflow(page: Any, what: str) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        culprits = "\n".join(page.evaluate(OVERFLOWING))
        pytest.fail(f"{what} is {scroll_width} px wide in a {inner_width} px window; sticking out:\n{culprits}")


@pytest.mark.parametrize("kind", list(PAGES))
def test_nothing_overflows_at_320px(browser: Any, site_url: str, kind: str) -> None:
    with open_page(browser, site_url, kind, viewport={"width": 320, "height": 640}) as page:
        assert_no_horizontal_overflow(page, f"the {kind} page")


SCREENSHOT_PAGES = ("home", "part", "quote")
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", SCREENSHOT_PAGES)
def test_screenshot(
    request: pytest.FixtureRequest, browser: Any, site_url: str, kind: str, width: str, scheme: str
) -> None:
    """Saves a full-page screenshot when pytest is given `--screenshots DIR`; checks the width always."""
    with open_page(browser, site_url, kind, scheme, WIDTHS[width]) as page:
        assert_no_horizontal_overflow(page, f"the {kind} page, {scheme}, {width}")
        folder = request.config.getoption("--screenshots")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            path = Path(folder) / f"{kind}-{width}-{scheme}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            assert path.stat().st_size > 10_000, f"{path} is nearly empty"
