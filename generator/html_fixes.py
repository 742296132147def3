"""Material's markup made valid HTML where no template override reaches it.

Material's base.html writes the two checkboxes that open the navigation drawer and the
search with `autocomplete="off"`, outside any template block: only a copy of the whole
base.html could change them in a template. HTML allows `autocomplete` only on inputs that
take text, so the Nu HTML Checker reports both on every page.

The attribute is there for a reason (Material's "Reset drawer and search upon back button
invocation", 2018): without it, a browser restores a checked box when the reader goes Back
(Chromium, Firefox) or reloads (Firefox), and the page comes back with its drawer or search
open.

Valid HTML can say the same thing: `autocomplete="off"` on a form keeps browsers from
restoring the state of the form's controls (tests/test_html_fixes.py shows it in Chromium),
and the `form` attribute makes the toggles controls of an empty form of their own without
moving them: Material's stylesheet finds what they open as their following siblings.
"""

from __future__ import annotations

import re

FORM_ID = "__nn_toggles"
"""The empty form the toggles belong to: Material's `__` for its own ids, `nn` for ours."""

# Exactly what Material 9.8 writes, the two toggles one after the other.
_TOGGLES = re.compile(
    r'(?P<indent>[ \t]*)<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"'
    r' autocomplete="off">(?P<between>\s*)'
    r'<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
)


class MaterialMarkupChanged(Exception):
    """Material no longer writes the toggles this module rewrites: a theme upgrade changed them."""


def valid_material_markup(html: str) -> str:
    """`html`, a page rendered by Material, with its header toggles in valid HTML.

    A page without Material's toggles raises rather than passing through: the fix would
    then silently stop applying after a theme upgrade, and the site would go back to
    reopening the drawer on Back or to failing the checker, noticed only later, if at all.
    """
    found = _TOGGLES.findall(html)
    if len(found) != 1:
        raise MaterialMarkupChanged(
            f"expected Material's drawer and search toggles once in the page, found them {len(found)} times: "
            "if a new Material writes them differently, update generator/html_fixes.py to match "
            "(and drop it if they are valid HTML now)"
        )
    return _TOGGLES.sub(_replace, html, count=1)


def _replace(m: re.Match[str]) -> str:
    indent, between = m["indent"], m["between"]
    return (
        f'{indent}<form id="{FORM_ID}" autocomplete="off" hidden></form>\n'
        f'{indent}<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" form="{FORM_ID}">'
        f"{between}"
        f'<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" form="{FORM_ID}">'
    )
