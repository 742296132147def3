"""Focus you can see (WCAG 2.4.7), on every control of every kind of page, tried as a keyboard
reader tries it: Tab through the whole page, and at each stop compare the pixels around the
focused control with the same pixels once focus has left it. axe and Lighthouse do not test
this; a control that looks the same either way fails here.

The small corpus has every kind of page with few quotes, so every stop of every page is
visited, in both palettes, at desktop and at phone width.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_accessibility import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "part": "parts/first-part/",
    "quote": "quotes/first-quote/",
    "source": "sources/blog/",
    "tag": "tags/alpha/",
    "sources": "sources/",
    "tags": "tags/",
    "about": "about/",
    "data": "data/",
    "all": "all/",
    "404": "quotes/first-quot/",
}

# Motion would make the two pictures differ for reasons other than focus, and the caret of
# a text box blinks: neither may count as a focus indicator here.
STILL = (
    "*, *::before, *::after"
    " { transition: none !important; animation: none !important; caret-color: transparent !important; }"
)

# The focused control, with what shows its focus when it is out of sight itself (a palette
# radio button's visible toggle, a checkbox's labels), as one box in the window; null at the end.
STOP = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  window.__nnSeen = window.__nnSeen || new Set();
  if (window.__nnSeen.has(el)) return null;
  window.__nnSeen.add(el);
  const shown = [el, ...(el.labels || [])];
  const option = el.closest('.md-header__option');
  if (option) shown.push(...option.querySelectorAll('label:not([hidden])'));
  let box = null;
  for (const e of shown) {
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || getComputedStyle(e).visibility !== 'visible') continue;
    box = box ? {l: Math.min(box.l, r.left), t: Math.min(box.t, r.top),
                 r: Math.max(box.r, r.right), b: Math.max(box.b, r.bottom)}
              : {l: r.left, t: r.top, r: r.right, b: r.bottom};
  }
  const words = el.getAttribute('aria-label') || el.textContent || el.getAttribute('href') || '';
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + words.trim().slice(0, 40) + '"';
  if (!box) return {name, clip: null};
  const x = Math.max(0, box.l - 6), y = Math.max(0, box.t - 6);
  const w = Math.min(innerWidth, box.r + 6) - x, h = Math.min(innerHeight, box.b + 6) - y;
  return {name, clip: w >= 1 && h >= 1 ? {x, y, width: w, height: h} : null};
}"""

MAX_STOPS = 400  # far more than any page of the small corpus has; reaching it means a trap


def unfocused_stops(page: Any) -> tuple[int, list[str]]:
    """Tab through the page; the number of stops, and each control that looks the same focused and not."""
    same: list[str] = []
    for stop in range(MAX_STOPS):
        page.keyboard.press("Tab")
        info = page.evaluate(STOP)
        if info is None:
            return stop, same
        if info["clip"] is None:
            same.append(f"{info['name']} (focused, but nothing of it is in sight)")
            continue
        focused = page.screenshot(clip=info["clip"])
        page.evaluate("document.activeElement.blur()")  # the next Tab still starts from here
        if page.screenshot(clip=info["clip"]) == focused:
            same.append(info["name"])
    raise AssertionError(f"Tab went round more than {MAX_STOPS} stops without coming back")


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_every_control_shows_its_focus(browser: Any, small_site_url: str, kind: str, scheme: str, width: str) -> None:
    context = browser.new_context(viewport=DESKTOP if width == "desktop" else PHONE, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(small_site_url + PAGES[kind], wait_until="load")
        if kind == "404":
            page.locator("#nn-suggestions a").first.wait_for()
        # A constructed stylesheet, not a <style> element, which the page's policy would refuse.
        page.evaluate(
            "css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
            " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
            STILL,
        )
        page.mouse.move(0, 0)
        stops, same = unfocused_stops(page)
        assert stops >= 5, f"only {stops} stops: the page did not load as expected"
        assert not same, f"{len(same)} of {stops} controls look the same focused and not: {same}"
    finally:
        context.close()
