"""The pages a shared link opens, tried as a reader would in Chromium: the site around them,
search where the reader is, and the small things that tell a reader what happened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.test_accessibility import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# The pages people reach from shared links, and a part page, made by MkDocs, to compare.
LANDINGS = {
    "quote": "quotes/weight-decay/",
    "source": "sources/axrp-podcast/",
    "tag": "tags/grokking/",
    "part": "parts/the-phenomenon-of-grokking/",
}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@contextmanager
def opened(browser: Any, url: str, width: str = "desktop", scheme: str = "light", **options: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=scheme, **options)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load")
        yield page
        assert not errors, errors
    finally:
        context.close()


def visible_in_viewport(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            """e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                return r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight
                  && s.visibility === 'visible'; }""",
        )
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(LANDINGS))
def test_at_desktop_width_every_page_has_the_navigation_contents_repository_and_palette(
    browser: Any, site_url: str, kind: str, scheme: str
) -> None:
    with opened(browser, site_url + LANDINGS[kind], "desktop", scheme) as page:
        nav = page.locator(".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
        labels = [" ".join(t.split()) for t in nav.all_inner_texts()]
        assert labels[:2] == ["Home", "Parts"] and "Sources" in labels and "About" in labels, labels
        assert visible_in_viewport(page, ".md-sidebar--primary a.md-nav__link[href]")
        toc = page.locator(".md-sidebar--secondary [data-md-component=toc] a.md-nav__link")
        assert toc.count() >= 2
        for anchor in toc.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert page.locator(f"[id='{anchor[1:]}']").count() == 1, f"the contents link {anchor} to nothing"
        assert visible_in_viewport(page, ".md-header__source a.md-source")
        assert visible_in_viewport(page, ".md-header__option label:not([hidden])")
        assert not visible_in_viewport(page, ".md-header__button.nn-menu")  # no ☰ where the nav shows


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(LANDINGS))
def test_at_phone_width_the_menu_opens_the_navigation_by_touch_and_by_keyboard(
    browser: Any, site_url: str, kind: str, scheme: str
) -> None:
    with opened(browser, site_url + LANDINGS[kind], "phone", scheme) as page:
        assert not visible_in_viewport(page, ".md-sidebar--primary a.md-nav__link[href]")
        page.click(".md-header__button.nn-menu")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'"
        )
        page.wait_for_timeout(300)  # the slide-in
        assert visible_in_viewport(page, ".md-sidebar--primary a.md-nav__link[href]")
        assert visible_in_viewport(page, ".md-sidebar--primary a.md-source")  # the repository
        page.click("label.md-overlay", position={"x": PHONE["width"] - 20, "y": 400})  # beside the drawer
        page.wait_for_function("() => !document.getElementById('__drawer').checked")
        # The keyboard, on a page just opened: Skip to content, the logo, then the menu; Enter
        # opens it and moves focus in, Escape closes it and gives focus back.
        page.reload(wait_until="load")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('a.md-skip')")
        for _ in range(3):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.nn-menu')"):
                break
        menu = page.locator(".nn-menu")
        assert menu.evaluate("b => b === document.activeElement"), "Tab does not reach the menu"
        assert menu.get_attribute("aria-expanded") == "false" and menu.get_attribute("aria-label") == "Navigation"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary').contains(document.activeElement)")
        assert menu.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => document.activeElement.matches('.nn-menu') && !document.getElementById('__drawer').checked"
        )
        assert menu.get_attribute("aria-expanded") == "false"


def test_closed_drawer_links_are_no_tab_stops_on_a_phone(browser: Any, site_url: str) -> None:
    with opened(browser, site_url + LANDINGS["quote"], "phone") as page:
        for _ in range(12):
            page.keyboard.press("Tab")
            assert not page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", list(LANDINGS))
def test_search_shows_results_as_you_type_where_you_are(browser: Any, site_url: str, kind: str, width: str) -> None:
    url = site_url + LANDINGS[kind]
    with opened(browser, url, width) as page:
        if width == "phone":
            page.click("label.md-header__button[for=__search]")
        else:
            page.click(".md-search__input")
        page.wait_for_function("() => document.activeElement.matches('.md-search__input')")
        page.keyboard.type("fourier", delay=20)
        first = page.locator(".md-search-result__item a.md-search-result__link[href*='#']").first
        first.wait_for(state="visible")
        assert page.url == url  # results here, not on another page
        box = page.eval_on_selector(".md-search-result__list", "e => e.getBoundingClientRect().height")
        assert box > 40, "the results are not shown"
        assert (first.get_attribute("href") or "").endswith("#modular-arithmetic-tasks")
        # Escape closes the search, and the page is as it was.
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.getElementById('__search').checked")
        assert not visible_in_viewport(page, ".md-search-result__list")


def test_search_results_are_reached_with_the_arrow_keys_and_land_with_the_words_marked(
    browser: Any, site_url: str
) -> None:
    with opened(browser, site_url + LANDINGS["quote"]) as page:
        page.click(".md-search__input")
        page.keyboard.type("fourier", delay=20)
        page.locator(".md-search-result__item a[href*='h=fourier']").first.wait_for(state="visible")
        focused = []
        for _ in range(4):  # the part page's own entry comes first, then its sections
            page.keyboard.press("ArrowDown")
            focused.append(page.evaluate("document.activeElement.getAttribute('href') || ''"))
            if focused[-1].endswith("#modular-arithmetic-tasks"):
                break
        assert focused[-1].endswith("#modular-arithmetic-tasks"), focused
        page.keyboard.press("Enter")
        page.wait_for_url("**/parts/the-phenomenon-of-grokking/?h=fourier#modular-arithmetic-tasks")
        page.locator("article mark").first.wait_for(state="visible")


def test_the_search_index_loads_only_when_the_reader_starts_to_search_on_a_quote_page(
    browser: Any, site_url: str
) -> None:
    with opened(browser, site_url + LANDINGS["quote"]) as page:
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        page.wait_for_timeout(500)
        assert not [u for u in fetched if "search_index" in u]
        page.click(".md-search__input")
        page.keyboard.type("whiteboard")
        page.locator(".md-search-result__item").first.wait_for()
        assert [u for u in fetched if u.endswith("search/search_index.json")]


def test_a_search_hit_inside_a_record_disclosure_opens_it(browser: Any, site_url: str) -> None:
    # "alien neuroscience" is in the quote and in his own words, which sit in a closed
    # disclosure on the part page: landing from the search opens it to show the marks.
    url = f"{site_url}parts/understanding-mechanistic-interpretability/?h=alien+neuroscience#alien-neuroscience"
    with opened(browser, url) as page:
        record = page.locator(".nn-quote:has(h2[id='alien-neuroscience']) details.nn-record")
        page.wait_for_function(
            "() => document.querySelector(\".nn-quote:has(h2[id='alien-neuroscience']) details.nn-record\").open"
        )
        assert record.locator("mark").first.is_visible()
        # Only the quote the hit led to: another quote's record with the same words stays closed.
        others = page.eval_on_selector_all(
            ".nn-quote:not(:has(h2[id='alien-neuroscience'])) details.nn-record", "ds => ds.filter(d => d.open).length"
        )
        assert others == 0
    # Without a search, nothing opens.
    with opened(browser, f"{site_url}parts/understanding-mechanistic-interpretability/#alien-neuroscience") as page:
        page.wait_for_timeout(500)
        assert page.eval_on_selector_all("details.nn-record", "ds => ds.filter(d => d.open).length") == 0


@pytest.mark.parametrize(
    ("button", "announced"),
    [("cite-text", "Citation copied"), ("cite-bibtex", "BibTeX copied"), (None, "Link to the quote copied")],
    ids=["citation", "bibtex", "link"],
)
def test_every_copy_button_confirms_visibly_and_to_screen_readers(
    browser: Any, site_url: str, button: str | None, announced: str
) -> None:
    url = site_url + (LANDINGS["quote"] if button else LANDINGS["source"])
    with opened(browser, url, permissions=["clipboard-read", "clipboard-write"]) as page:
        target = page.locator(f"button[data-copy-from='{button}']" if button else "button.nn-copy-link").first
        before = target.screenshot()
        target.click()
        page.wait_for_function("() => document.getElementById('nn-announce').textContent.length > 0")
        assert page.inner_text("#nn-announce").startswith(announced)
        assert target.evaluate("b => getComputedStyle(b, '::after').content") == '" ✓"'
        page.mouse.move(0, 0)
        assert target.screenshot() != before


def test_the_404_page_suggests_a_quote_only_when_one_is_close(browser: Any, site_url: str) -> None:
    with opened(browser, f"{site_url}nope-not-here/") as page:
        page.wait_for_load_state("networkidle")
        assert page.locator("#nn-suggestions li").count() == 0
        assert not page.is_visible("#nn-suggest")
    with opened(browser, f"{site_url}quotes/weight-decai/") as page:
        page.locator("#nn-suggestions a").first.wait_for()
        assert page.is_visible("#nn-suggest")
        assert page.locator("#nn-suggestions a").all_inner_texts() == ["On Weight Decay"]


def test_an_unknown_quote_on_a_part_page_stays_there_and_says_so(browser: Any, site_url: str) -> None:
    url = f"{site_url}parts/the-phenomenon-of-grokking/#no-such-quote"
    with opened(browser, url) as page:
        notice = page.locator("#nn-missing[role=status]")
        notice.wait_for()
        assert "#no-such-quote" in notice.inner_text()
        assert page.url == url
        page.evaluate("location.hash = 'weight-decay'")
        page.wait_for_function("() => !document.getElementById('nn-missing')")


def test_the_pilcrow_of_a_long_heading_adds_no_line_on_a_phone(browser: Any, site_url: str) -> None:
    # Every heading's ¶ link stands on the line of its last word, never on a line of its own.
    with opened(browser, f"{site_url}parts/emergent-world-representations/", "phone") as page:
        lines = page.eval_on_selector_all(
            ".md-typeset :is(h1, h2):has(.headerlink)",
            """hs => hs.map(h => {
                const words = document.createRange();
                words.setStart(h, 0);
                words.setEndBefore(h.querySelector('.headerlink'));
                const rects = [...words.getClientRects()].filter(r => r.width > 0);
                const last = rects[rects.length - 1], link = h.querySelector('.headerlink').getBoundingClientRect();
                return [h.id, rects.length, Math.round(last.top), Math.round(link.top),
                        Math.round(h.getBoundingClientRect().bottom - last.bottom)];
            })""",
        )
        assert any(anchor == "statistical-parrot-debate" for anchor, *_ in lines)
        apart = [line for line in lines if abs(line[2] - line[3]) > 4]
        assert not apart, f"the ¶ link is not on the line of the heading's last word: {apart}"
        grown = [line for line in lines if line[4] > 12]
        assert not grown, f"these headings end in a line without words: {grown}"


def test_the_home_pages_origin_address_is_a_link(browser: Any, site_url: str) -> None:
    from generator import pipeline
    from tests.conftest import ROOT

    collection, _ = pipeline.check(ROOT)
    assert collection.origin_url
    with opened(browser, site_url) as page:
        link = page.locator(f"p.nn-prose a[href='{collection.origin_url}']")
        assert link.inner_text() == collection.origin_url
        assert collection.intro in page.inner_text("p.nn-prose")  # the words stay as written
