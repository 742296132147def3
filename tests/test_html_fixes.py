"""generator/html_fixes.py: Material's header toggles in valid HTML, and still closed after Back."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import material
import pytest

from generator.html_fixes import FORM_ID, MaterialMarkupChanged, valid_material_markup
from tests.serving import serve

DRAWER = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
SEARCH = '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
SEARCH_BOX = '<input type="text" class="md-search__input" name="query" autocomplete="off">'


def page(toggles: str = f"{DRAWER}\n    {SEARCH}") -> str:
    """A page shaped like Material's: the toggles first in the body, then what they open."""
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>A page</title></head>\n'
        f'<body dir="ltr">\n    {toggles}\n    <label class="md-overlay" for="__drawer"></label>\n'
        f'    <header class="md-header"><form class="md-search__form" name="search">{SEARCH_BOX}</form></header>\n'
        '    <main><a id="away" href="other.html">Another page</a></main>\n</body>\n</html>\n'
    )


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_matches_what_the_installed_material_writes() -> None:
    # Read from Material's own template, so upgrading Material to one that writes the
    # toggles otherwise fails here, before any build.
    base = (Path(material.__file__).parent / "templates" / "base.html").read_text("utf-8")
    assert DRAWER in base and SEARCH in base
    assert valid_material_markup(base).count(f'form="{FORM_ID}"') == 2


def test_the_toggles_lose_autocomplete_and_belong_to_a_form_that_keeps_it_off() -> None:
    elements = Elements(valid_material_markup(page())).found
    checkboxes = [attrs for tag, attrs in elements if tag == "input" and attrs.get("type") == "checkbox"]
    assert [c["id"] for c in checkboxes] == ["__drawer", "__search"]
    for checkbox in checkboxes:
        assert "autocomplete" not in checkbox
        assert checkbox["form"] == FORM_ID
    (form,) = [attrs for tag, attrs in elements if tag == "form" and attrs.get("id") == FORM_ID]
    assert form == {"id": FORM_ID, "autocomplete": "off", "hidden": None}


def test_the_toggles_are_rewritten_in_place_and_nothing_else_changes() -> None:
    # The toggles stay where Material put them, before what they open: its stylesheet
    # reaches the drawer and the search as their following siblings. The text search box
    # keeps its autocomplete="off": it takes text.
    fixed = (
        f'<form id="{FORM_ID}" autocomplete="off" hidden></form>\n'
        f'    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" form="{FORM_ID}">\n'
        f'    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" form="{FORM_ID}">'
    )
    assert valid_material_markup(page()) == page(fixed)


@pytest.mark.parametrize(
    "toggles",
    [
        "",
        DRAWER,
        SEARCH,
        f"{SEARCH}\n{DRAWER}",
        f"{DRAWER}\n{SEARCH}\n{DRAWER}\n{SEARCH}",
        f"{DRAWER.replace('checkbox', 'radio')}\n{SEARCH}",
        DRAWER + "\n" + SEARCH.replace(" autocomplete", ' aria-hidden="true" autocomplete'),
    ],
    ids=["none", "drawer-only", "search-only", "swapped", "twice", "changed-type", "new-attribute"],
)
def test_anything_but_materials_markup_fails_loudly(toggles: str) -> None:
    with pytest.raises(MaterialMarkupChanged, match=r"generator/html_fixes\.py"):
        valid_material_markup(page(toggles))


def test_a_page_fixed_once_is_not_fixed_again() -> None:
    # Applied twice, the second pass finds no toggles of Material's to fix: a loud error
    # rather than a second form, so a double wiring in the hook is noticed.
    with pytest.raises(MaterialMarkupChanged):
        valid_material_markup(valid_material_markup(page()))


def toggles_after_back(browser: Any, url: str) -> list[bool]:
    """Open both toggles on `url`, follow a link away, come Back: which are checked now?"""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(url)
        tab.evaluate("for (const id of ['__drawer', '__search']) document.getElementById(id).checked = true")
        tab.click("#away")
        tab.wait_for_url("**/other.html")
        tab.go_back()
        tab.wait_for_url(url)
        return list(tab.evaluate("['__drawer', '__search'].map(id => document.getElementById(id).checked)"))
    finally:
        context.close()


@pytest.mark.browser
def test_the_fixed_toggles_are_closed_after_back_as_materials_were(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "material.html").write_text(page(), "utf-8")
    (tmp_path / "fixed.html").write_text(valid_material_markup(page()), "utf-8")
    # What a plain removal of the attribute would do, to show the form is what does it.
    (tmp_path / "removed.html").write_text(page().replace(' autocomplete="off">', ">"), "utf-8")
    (tmp_path / "other.html").write_text(page().replace('id="away"', 'id="elsewhere"'), "utf-8")
    with serve(tmp_path) as base:
        assert toggles_after_back(browser, base + "material.html") == [False, False]
        assert toggles_after_back(browser, base + "removed.html") == [True, True]
        assert toggles_after_back(browser, base + "fixed.html") == [False, False]
