"""What a reader does, in a real headless Chromium against the built site."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def header_bottom(page: Any) -> float:
    return float(page.eval_on_selector(".md-header", "e => e.getBoundingClientRect().bottom"))


def assert_fully_visible_below_header(page: Any, selector: str) -> None:
    box = page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }")
    viewport_height = page.evaluate("window.innerHeight")
    assert box[0] >= header_bottom(page) - 1, f"{selector} hides under the sticky header: {box}"
    assert box[1] <= viewport_height, f"{selector} runs below the window: {box}"


def test_search_finds_a_quote_and_lands_on_it(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.click(".md-search__input")
    page.keyboard.type("grokking")
    first = page.locator(".md-search-result__item a.md-search-result__link[href*='#']").first
    first.wait_for()
    href = first.get_attribute("href")
    assert href is not None
    quote_id = href.rsplit("#", 1)[1]
    first.click()
    page.wait_for_url(f"**#{quote_id}")
    heading = f"h2[id='{quote_id}']"
    assert "grokking" in page.inner_text(f".nn-quote:has({heading})").lower()
    assert_fully_visible_below_header(page, heading)
