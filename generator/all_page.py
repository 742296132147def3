"""/all/: the whole collection on one page, to read straight through, print or save as PDF.

Every part in order and every quote with its topic, status, attributed source, note, record
and permanent address: what a printed copy needs to be as honest as the site. Its print
styles are the site's own (docs/assets/site.css, `@media print`). Out of the search index
(each quote keeps one hit, on its part page) and out of the navigation.
"""

from __future__ import annotations

from generator.model import Collection, Site
from generator.templating import render_template

ALL_PATH = "all.md"

ALL_ON_ONE_PAGE = 400
"""Quotes up to which /all/ holds them all. A quote with its record is some 1.5 kB of HTML,
0.5 kB gzipped: 400 of them keep a first visit to /all/ within the 300 kB budget of every
page (make bench), where 1,000 made it 440 kB and 10,000 would make it 15 MB, slow to open
and to print. A reader printing more than that prints by part anyway: past it, /all/ lists
the parts, each of which prints with the same styles, and points to the EPUB, which always
holds everything."""


def render_all(collection: Collection, site: Site, epub: str | None = None) -> str:
    """The page's Markdown. `epub` is the book's address under the site, if there is one."""
    quotes = sum(len(p.quotes) for p in collection.parts)
    return render_template(
        "all.md.j2",
        collection=collection,
        site=site,
        counts=collection.status_counts(),
        whole=quotes <= ALL_ON_ONE_PAGE,
        quotes=quotes,
        epub=epub,
    )
