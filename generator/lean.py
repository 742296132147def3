"""The quote, source and tag pages: what differs from one page to the next, each part ready
for where it stands in the HTML; generator/skeleton.py puts them into the page Material
rendered once. Pure: no file I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from markdown.extensions.toc import slugify

from generator.cite import bibtex, plain_citation
from generator.load import SOURCES_FILE
from generator.model import Collection, Quote, Site, Source
from generator.provenance import credit, html_title, image_alt, quotation, social_title, summary
from generator.templating import html, macros, render_template, tag_label


def card_path(quote: Quote) -> str:
    return f"cards/{quote.id}.png"


@dataclass(frozen=True, slots=True)
class LeanPage:
    """A quote, source or tag page: the parts that differ from page to page, each ready for
    where it stands in the HTML (generator/skeleton.py puts them into Material's page)."""

    path: str
    """Under the site, e.g. "quotes/<id>/index.html"."""
    title: str
    """The heading, escaped."""
    html_title: str
    """The <title> before the site's name, escaped: a quote's names its status."""
    anchor: str
    """The heading's id."""
    head: str
    """Description, canonical address, Open Graph (and JSON-LD for a quote)."""
    body: str
    """The article below the heading."""
    toc: str
    """The entries of the table of contents, as Material's sidebar lists them."""
    edit_path: str | None
    """The data file to edit for this page, relative to the repository; None if there is no one file."""


def _anchor(heading: str) -> str:
    # The id Markdown's toc extension gave the heading when these pages were Markdown, so
    # links to /quotes/<id>/#on-<topic> keep working.
    anchor = slugify(heading, "-")
    return anchor if anchor and anchor not in _SECTION_IDS else "top"


_SECTION_IDS = frozenset({"cite-this-quote", "quotes-attributed-to-it", "attributed", "on-the-record"})
"""The ids of the headings inside the lean pages' articles."""


def render_quote(
    collection: Collection, site: Site, quote: Quote, previous: Quote | None, next: Quote | None
) -> LeanPage:
    url = site.quote_url(quote.id)
    person = collection.person
    jsonld = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "url": url,
        "name": f"On {quote.topic}",
        "isPartOf": {"@type": "WebSite", "name": site.name, "url": site.url},
        "mainEntity": quotation(quote, person, url),
    }
    head = render_template(
        "quote_head.html.j2",
        url=url,
        description=summary(quote, person),
        social_title=social_title(quote, person),
        image=f"{site.url}{card_path(quote)}",
        image_alt=image_alt(quote, person),
        jsonld=jsonld,
    )
    body = render_template(
        "quote.html.j2",
        collection=collection,
        quote=quote,
        credit=credit(quote, person),
        part=collection.part(quote.part_id),
        previous=previous,
        next=next,
        citation=plain_citation(collection, quote, url),
        bibtex=bibtex(collection, quote, url),
        report=report_url(site, quote),
    )
    heading = f"On {quote.topic}"
    return LeanPage(
        f"quotes/{quote.id}/index.html",
        html(heading),
        html(html_title(quote)),
        _anchor(heading),
        head,
        body,
        _QUOTE_TOC,
        quote.file,
    )


REPORT_FORM = "report-a-misattribution.yml"
"""The issue form (.github/ISSUE_TEMPLATE/) where a reader reports a problem with a quote."""
REPORT_FIELDS = {"quote": "the quote's permanent address"}
"""The form's fields that a quote page fills in, by their ids (tests/test_landing.py reads the
form to check that each is there)."""


def report_url(site: Site, quote: Quote) -> str | None:
    """The issue form, opened with the quote's id in the title and its address filled in."""
    if not site.repo_url:
        return None
    query = urlencode(
        {"template": REPORT_FORM, "title": f"Misattribution: {quote.id}", "quote": site.quote_url(quote.id)},
        quote_via=quote_plus,
    )
    return f"{site.repo_url.rstrip('/')}/issues/new?{query}"


def render_quotes(collection: Collection, site: Site) -> Iterator[LeanPage]:
    """Every quote's page, in reading order, each knowing its neighbours."""
    quotes = list(collection.quotes())
    for i, quote in enumerate(quotes):
        previous = quotes[i - 1] if i > 0 else None
        following = quotes[i + 1] if i + 1 < len(quotes) else None
        yield render_quote(collection, site, quote, previous, following)


TocEntry = tuple[str, str, tuple[tuple[str, str], ...]]
"""(anchor, title as HTML, children as (anchor, title as HTML) pairs)."""


def toc(entries: list[TocEntry]) -> str:
    return str(macros("_quote.html.j2").toc(entries))


_QUOTE_TOC = toc(
    [
        ("attributed", "As the collection gives it", ()),
        ("on-the-record", "On the record", ()),
        ("cite-this-quote", "Cite this quote", ()),
    ]
)
"""The same on every quote page."""


def _quote_entries(quotes: tuple[Quote, ...], inline: bool) -> tuple[tuple[str, str], ...]:
    """A source or tag page's quotes in its table of contents, when the page shows each of them."""
    return tuple((q.id, f"On {html(q.topic)}") for q in quotes) if inline else ()


def _lean_page(
    site: Site, path: str, heading: str, description: str, body: str, toc: str, edit_path: str | None
) -> LeanPage:
    url = site.url + path.removesuffix("index.html")
    head = render_template("page_head.html.j2", description=description, url=url, title=heading)
    return LeanPage(path, html(heading), html(heading), _anchor(heading), head, body, toc, edit_path)


INLINE_RECORDS = 100
"""A source or tag page holds the record of each of its quotes while it lists at most this
many; a longer one (a source of thousands of quotes) would weigh megabytes, so its
disclosures fetch each record from the quote's page when opened."""


def _list_body(template: str, collection: Collection, site: Site, quotes: tuple[Quote, ...], **more: Any) -> str:
    """A source or tag page's article: its quotes, each whole up to INLINE_RECORDS of them."""
    return render_template(
        template,
        quotes=quotes,
        part_of=collection.part,
        person=collection.person,
        site=site,
        checks=collection.checks,
        inline=len(quotes) <= INLINE_RECORDS,
        **more,
    )


def render_source_page(collection: Collection, site: Site, source: Source, quotes: tuple[Quote, ...]) -> LeanPage:
    body = _list_body("source.html.j2", collection, site, quotes, source=source)
    description = f"{source.title}: a source of {collection.title}, with the quotes attributed to it."
    listed = _quote_entries(quotes, len(quotes) <= INLINE_RECORDS)
    contents = toc([("quotes-attributed-to-it", "Quotes attributed to it", listed)])
    path = f"sources/{source.id}/index.html"
    return _lean_page(site, path, source.title, description, body, contents, SOURCES_FILE)


def render_tag_page(collection: Collection, site: Site, tag: str, quotes: tuple[Quote, ...]) -> LeanPage:
    body = _list_body("tag.html.j2", collection, site, quotes)
    description = f"Quotes of {collection.title} tagged {tag_label(tag)}."
    contents = toc([(q, t, ()) for q, t in _quote_entries(quotes, len(quotes) <= INLINE_RECORDS)])
    return _lean_page(site, f"tags/{tag}/index.html", f"Tagged “{tag_label(tag)}”", description, body, contents, None)


def render_lean_pages(collection: Collection, site: Site) -> Iterator[LeanPage]:
    """The pages made after MkDocs has run: one per quote, per source and per tag."""
    yield from render_quotes(collection, site)
    by_source = collection.by_source()
    for source in collection.sources:
        yield render_source_page(collection, site, source, by_source[source.id])
    for tag, tagged in collection.tags().items():
        yield render_tag_page(collection, site, tag, tagged)
