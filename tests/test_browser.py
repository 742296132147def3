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


def search(page: Any, query: str) -> None:
    """Open the search, wait until its index is loaded, then type `query` as a reader would."""
    page.click(".md-search__input")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initializing/.test(m.textContent); }"
    )
    page.keyboard.type(query)


def test_search_finds_a_quote_and_lands_on_it(page: Any, site_url: str) -> None:
    page.goto(site_url)
    search(page, "grokking")
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


def test_searching_the_home_pages_sample_quote_leads_to_its_section_not_home(page: Any, site_url: str) -> None:
    page.goto(site_url)
    # Words of the sample quote that the rest of the home page does not use: only the quote
    # itself could make the home page a result for them.
    words = page.evaluate(
        """() => {
          const figure = document.querySelector('#nn-random');
          const sample = figure.querySelector('.nn-random-text').innerText;
          const rest = document.querySelector('.md-content').innerText.replace(figure.innerText, '');
          const seen = new Set(rest.toLowerCase().match(/[a-z]+/g));
          return (sample.toLowerCase().match(/[a-z]{5,}/g) || []).filter(w => !seen.has(w)).slice(0, 4);
        }"""
    )
    assert len(words) >= 2, words
    search(page, " ".join(words))
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(300)  # results settle as the words are typed
    links = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname + new URL(a.href).hash)"
    )
    href = page.locator(".nn-random-link").get_attribute("href")
    assert href is not None
    quote_id = href.strip("/").rsplit("/", 1)[-1]
    assert next(link for link in links if "#" in link).endswith(f"#{quote_id}"), links
    assert not [link for link in links if link in ("/", "/index.html")], links


def test_deep_link_lands_on_the_quote_visible_and_marked(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}parts/the-phenomenon-of-grokking/#weight-decay")
    assert_fully_visible_below_header(page, "h2[id='weight-decay']")
    marked = page.eval_on_selector_all(
        ".nn-quote",
        "els => els.filter(e => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)')"
        ".map(e => e.querySelector('h2').id)",
    )
    assert marked == ["weight-decay"]


def test_copy_link_puts_the_quote_page_address_on_the_clipboard_and_says_so(browser: Any, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_url}parts/the-phenomenon-of-grokking/")
    assert page.inner_text("#nn-announce") == ""  # the status region exists, empty, from the start
    button = page.locator(".nn-quote:has(h2[id='weight-decay']) button.nn-copy-link")
    button.focus()  # reachable from the keyboard
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('nn-announce').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}quotes/weight-decay/"
    assert "copied" in page.inner_text("#nn-announce").lower()
    context.close()


def test_copy_link_comes_after_the_heading_text_in_reading_order(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}parts/the-phenomenon-of-grokking/")
    follows = page.evaluate(
        """() => [...document.querySelectorAll('.nn-quote')].every(q =>
            q.querySelector('h2').compareDocumentPosition(q.querySelector('button.nn-copy-link'))
            & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert follows
    assert page.locator("h2[id='weight-decay'] button").count() == 0


def test_copy_link_on_a_source_page(browser: Any, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_url}sources/axrp-podcast/")
    page.locator("button.nn-copy-link").first.click()
    page.wait_for_function("() => document.getElementById('nn-announce').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}quotes/toy-models/"
    context.close()


def test_quote_page_cites_and_copies(browser: Any, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_url}quotes/weight-decay/")
    assert page.inner_text("h1").startswith("On Weight Decay")
    page.click("button[data-copy-from='cite-bibtex']")
    page.wait_for_function("() => document.getElementById('nn-announce').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{weight_decay,")
    assert page.get_attribute("a[rel=prev]", "href") == "../modular-arithmetic-tasks/"
    assert page.get_attribute("a[rel=next]", "href") == "../internal-progress-measures/"
    context.close()


def test_renamed_quote_old_address_lands_on_it(page: Any, small_site_url: str) -> None:
    page.goto(f"{small_site_url}quotes/old-second-quote/")
    page.wait_for_url(f"{small_site_url}quotes/second-quote/")
    assert page.inner_text("h1").startswith("On Second Quote")


def test_renamed_quote_old_part_anchor_lands_on_it(page: Any, small_site_url: str) -> None:
    page.goto(f"{small_site_url}parts/first-part/#old-second-quote")
    assert_fully_visible_below_header(page, "h2[id='second-quote']")
    marked = page.eval_on_selector(".nn-quote:has(:target) h2", "e => e.id")
    assert marked == "second-quote"


def test_moved_quote_old_part_anchor_lands_on_it(page: Any, small_site_url: str) -> None:
    # third-quote lives in the second part; a link to it in the first part is what a move leaves behind.
    page.goto(f"{small_site_url}parts/first-part/#third-quote")
    page.wait_for_url(f"{small_site_url}quotes/third-quote/")
    assert page.inner_text("h1").startswith("On Third Quote")


def test_404_offers_the_closest_quotes(page: Any, site_url: str) -> None:
    response = page.goto(f"{site_url}quotes/alien-neurosciense/")
    assert response.status == 404
    first = page.locator("#nn-suggestions a").first
    first.wait_for()
    assert first.inner_text() == "On Alien Neuroscience"
    first.click()
    page.wait_for_url(f"{site_url}quotes/alien-neuroscience/")


SEARCHES = [
    ("whiteboard", "residual-stream"),  # a word of the text
    ("sycophancy", "sycophancy"),  # the topic
    ("fourier", "modular-arithmetic-tasks"),  # a word of the text
    ("axrp toy", "toy-models"),  # the source's title and a word
    ("forecasting pacing", "pacing-problem"),  # a tag and a word
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_puts_the_expected_quote_first(page: Any, site_url: str, query: str, expected: str) -> None:
    page.goto(site_url)
    search(page, query)
    first = page.locator(".md-search-result__item a.md-search-result__link[href*='#']:visible").first
    first.wait_for()
    href = first.get_attribute("href") or ""
    assert href.split("#")[-1] == expected, f"{query!r} led with {href}"
    assert "/parts/" in href


def test_another_quote_shows_a_random_quote_without_reloading(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.evaluate("window.__sameDocument = true")
    first_text = page.evaluate("document.querySelector('.nn-random-text').textContent")
    seen = {first_text}
    shown = first_text
    for _ in range(4):
        page.click("button.nn-another")
        # Another quote than the one shown; it may be one shown before (the first, say).
        page.wait_for_function(f"() => document.querySelector('.nn-random-text').textContent !== {shown!r}")
        shown = page.evaluate("() => document.querySelector('.nn-random-text').textContent")
        seen.add(shown)
    assert len(seen) >= 2
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    link = page.get_attribute(".nn-random-link", "href") or ""
    quote_id = link.rstrip("/").rsplit("/", 1)[-1]
    page.click(".nn-random-link")
    page.wait_for_url(f"{site_url}quotes/{quote_id}/")
    assert page.inner_text(".nn-text") in seen


def test_search_index_is_fetched_only_when_the_reader_starts_to_search(page: Any, site_url: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{site_url}parts/the-phenomenon-of-grokking/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "search_index" in u]
    page.click(".md-search__input")
    page.keyboard.type("whiteboard")
    page.locator(".md-search-result__item").first.wait_for()
    assert [u for u in fetched if u.endswith("search/search_index.json")]


def test_the_palette_switches_on_a_quote_page_and_the_choice_carries_to_other_pages(
    browser: Any, site_url: str
) -> None:
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(f"{site_url}quotes/weight-decay/")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.click("label[title='Switch to dark mode']:visible")
    assert page.evaluate(scheme) == "slate"
    assert page.is_visible("label[title='Switch to light mode']")
    page.goto(f"{site_url}parts/the-phenomenon-of-grokking/")
    assert page.evaluate(scheme) == "slate"
    page.goto(f"{site_url}quotes/pacing-problem/")
    assert page.evaluate(scheme) == "slate"
    page.click("label[title='Switch to light mode']:visible")
    assert page.evaluate(scheme) == "default"
    context.close()


def test_a_quote_page_follows_a_dark_system_until_the_reader_chooses(browser: Any, site_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{site_url}quotes/weight-decay/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()
