"""Stage 4: turn the model into page texts, `{path under docs/: text}`. Pure: no file I/O.

Every field of the corpus is untrusted text. Templates never print a corpus value
without a filter that makes it inert where it stands (see `text`, `front`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import escape as html_escape
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode
from xml.sax.saxutils import escape

import jinja2
from markdown.extensions.toc import slugify

from generator.cite import bibtex, plain_citation
from generator.csp import with_policy
from generator.load import SOURCES_FILE
from generator.model import STATUSES, Check, Collection, Part, Quote, Site, Source
from generator.problems import Problem, format_report
from generator.provenance import (
    VERDICTS,
    capital,
    check_html,
    check_sentence,
    context_url,
    credit,
    day,
    html_title,
    image_alt,
    quotation,
    short_address,
    social_title,
    summary,
)
from generator.schema import dump, export_schema

TEMPLATES = Path(__file__).parent / "templates"

# Characters that mean nothing to Markdown, its extensions or HTML. Everything else
# becomes a numeric character reference, so `*`, `[`, `{:`, `--8<--`, `:smile:`, `{{`,
# `<script>` and `&amp;` reach the browser as the characters typed, never as syntax.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.")


_ENTITIES = {chr(c): f"&#{c};" for c in range(0x80) if chr(c) not in _PLAIN}
_NOT_PLAIN = re.compile("[^a-zA-Z0-9 ,.\x80-\U0010ffff]")


def text(value: str) -> str:
    """Inert in Markdown, in HTML text and in a quoted HTML attribute."""
    return _NOT_PLAIN.sub(lambda m: _ENTITIES[m[0]], value)  # C scans; Python only at each escape


def html(value: str) -> str:
    """Inert in HTML text and in a quoted attribute: for the quote pages, which are HTML
    that never passes through Markdown, so `text`'s wider escaping would only add bytes
    (a URL's every ':', '/' and '-'; 10,000 pages)."""
    return html_escape(value, quote=True)


# JSON is YAML, but YAML also reads U+0085, U+2028 and U+2029 as line breaks and refuses
# a few code points outright; those are written as escapes, which both languages share.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def front(value: Any) -> str:
    """A value for the YAML front matter, on one line, exactly as given."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def linked(value: str, url: str | None) -> str:
    """`value` made inert as `text` makes it, with each occurrence of `url` in it a link to
    that address: the words stay exactly as written, and the address can be followed."""
    if not url or url not in value:
        return text(value)
    link = f'<a href="{text(url)}">{text(url)}</a>'
    return link.join(text(piece) for piece in value.split(url))


def tag_label(tag: str) -> str:
    return tag.replace("-", " ")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        autoescape=False,  # output is Markdown; `text` escapes for Markdown and HTML at once
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        text=text,
        linked=linked,
        html=html,
        front=front,
        esc=lambda value, markdown: text(value) if markdown else html(value),
        context_url=context_url,
        short_address=short_address,
        credit=credit,
        check_html=check_html,
        day=day,
    )
    # JSON-LD without the spaces json.dumps puts after every separator: 10,000 pages carry it.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    env.globals.update(
        statuses=STATUSES,
        verdicts=VERDICTS,
        tag_label=tag_label,
    )
    return env


_ENV = _environment()


def _render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


render_template = _render
"""For the other render modules (all_page): one environment, one set of filters."""


def part_path(part: Part) -> str:
    return f"parts/{part.id}.md"


def status_counts(collection: Collection) -> dict[str, int]:
    """How many quotes carry each status, every status listed."""
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for quote in collection.quotes():
        counts[quote.status] += 1
    return counts


def render_home(collection: Collection, epub: str | None = None) -> str:
    first = next(collection.quotes())
    return _render(
        "home.md.j2",
        epub=epub,
        collection=collection,
        part_path=part_path,
        quote=first,
        counts=status_counts(collection),
        with_record=sum(1 for q in collection.quotes() if q.record),
    )


def render_about(collection: Collection) -> str:
    return _render("about.md.j2", collection=collection, counts=status_counts(collection))


def render_part(collection: Collection, part: Part, site: Site) -> str:
    return _render("part.md.j2", collection=collection, part=part, site=site)


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
    head = _render(
        "quote_head.html.j2",
        url=url,
        description=summary(quote, person),
        social_title=social_title(quote, person),
        image=f"{site.url}{card_path(quote)}",
        image_alt=image_alt(quote, person),
        jsonld=jsonld,
    )
    body = _render(
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
    return _ENV.get_template("_quote.html.j2").module.toc(entries)  # type: ignore[attr-defined,no-any-return]


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
    head = _render("page_head.html.j2", description=description, url=url, title=heading)
    return LeanPage(path, html(heading), html(heading), _anchor(heading), head, body, toc, edit_path)


INLINE_RECORDS = 100
"""A source or tag page holds the record of each of its quotes while it lists at most this
many; a longer one (a source of thousands of quotes) would weigh megabytes, so its
disclosures fetch each record from the quote's page when opened."""


def render_source_page(collection: Collection, site: Site, source: Source, quotes: tuple[Quote, ...]) -> LeanPage:
    inline = len(quotes) <= INLINE_RECORDS
    body = _render(
        "source.html.j2",
        source=source,
        quotes=quotes,
        part_of=collection.part,
        person=collection.person,
        site=site,
        checks=collection.checks,
        inline=inline,
    )
    description = f"{source.title}: a source of {collection.title}, with the quotes attributed to it."
    contents = toc([("quotes-attributed-to-it", "Quotes attributed to it", _quote_entries(quotes, inline))])
    path = f"sources/{source.id}/index.html"
    return _lean_page(site, path, source.title, description, body, contents, SOURCES_FILE)


def render_tag_page(collection: Collection, site: Site, tag: str, quotes: tuple[Quote, ...]) -> LeanPage:
    inline = len(quotes) <= INLINE_RECORDS
    body = _render(
        "tag.html.j2",
        quotes=quotes,
        part_of=collection.part,
        person=collection.person,
        site=site,
        checks=collection.checks,
        inline=inline,
    )
    description = f"Quotes of {collection.title} tagged {tag_label(tag)}."
    contents = toc([(q, t, ()) for q, t in _quote_entries(quotes, inline)])
    return _lean_page(site, f"tags/{tag}/index.html", f"Tagged “{tag_label(tag)}”", description, body, contents, None)


def render_lean_pages(collection: Collection, site: Site) -> Iterator[LeanPage]:
    """The pages made after MkDocs has run: one per quote, per source and per tag."""
    yield from render_quotes(collection, site)
    by_source = collection.by_source()
    for source in collection.sources:
        yield render_source_page(collection, site, source, by_source[source.id])
    for tag, tagged in collection.tags().items():
        yield render_tag_page(collection, site, tag, tagged)


def render_tags(collection: Collection) -> str:
    return _render("tags.md.j2", collection=collection, tags=collection.tags(), tag_label=tag_label)


def render_alias(site: Site, quote: Quote) -> str:
    """A renamed quote's old address: a page of its own, which MkDocs copies as it is."""
    return with_policy(_render("alias.html.j2", quote=quote, target_url=site.quote_url(quote.id)))


def render_json(collection: Collection, site: Site) -> str:
    """/quotes.json: the collection for programs."""
    quotes = [
        {
            "id": q.id,
            "topic": q.topic,
            "text": q.text,
            "part": {
                "id": q.part_id,
                "number": collection.part(q.part_id).number,
                "title": collection.part(q.part_id).title,
            },
            "source": {"id": q.source.id, "title": q.source.title, "kind": q.source.kind, "url": q.source.url},
            "status": q.status,
            "attribution": credit(q, collection.person),
            "note": q.note,
            "record": [
                {
                    "text": p.text,
                    "url": p.url,
                    "where": p.where,
                    "note": p.note,
                    "context_url": context_url(p),
                    "check": check_data(collection.checks.passage(q.id, p)),
                }
                for p in q.record
            ],
            "check_url": q.check_url,
            "tags": list(q.tags),
            "aliases": list(q.aliases),
            "url": site.quote_url(q.id),
            "part_url": site.part_url(q),
        }
        for q in collection.quotes()
    ]
    checked = collection.checks.checked
    data = {
        "title": collection.title,
        "person": collection.person,
        "url": site.url,
        "record_checked": checked.isoformat() if checked else None,
        "quotes": quotes,
    }
    # Compact: with `indent`, json uses its pure-Python encoder, 2.5 s at 10,000 quotes.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def check_data(c: Check) -> dict[str, Any]:
    """A passage's last check for programs: quotes.json (its schema: schema.CHECK)."""

    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "result": c.result,
        "checked": iso(c.checked),
        "since": iso(c.since),
        "moved_to": c.moved_to,
        "archive": {"url": c.snapshot.url, "date": c.snapshot.date.isoformat()} if c.snapshot else None,
        "last_found": iso(c.last_found),
    }


ATOM = "http://www.w3.org/2005/Atom"
PARA = "\n\n"


def _x(value: str) -> str:
    """Text or a double-quoted attribute value in XML (the validator refuses control characters)."""
    return escape(value, {'"': "&quot;"})


def render_feed(collection: Collection, site: Site, updated: str) -> str:
    """/feed.xml: an Atom 1.0 feed whose entry ids are the quotes' permanent addresses.

    The corpus has no dates, so every entry carries the date of the corpus itself. Each
    entry's content is the quote and its attribution; a summary would repeat it. Written
    as strings, not with ElementTree, which took 1.7 s of every build at 10,000 quotes.
    """
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="{ATOM}">\n',
        f" <id>{_x(site.url)}</id>\n",
        f" <title>{_x(collection.title)}</title>\n",
        f" <subtitle>{_x(collection.description)}</subtitle>\n",
        f" <updated>{updated}</updated>\n",
        f' <link href="{_x(site.url)}feed.xml" rel="self" type="application/atom+xml" />\n',
        f' <link href="{_x(site.url)}" rel="alternate" type="text/html" />\n',
        # The feed's author is the collection, not the person: most entries are not his words.
        f" <author>\n  <name>{_x(collection.title)}</name>\n  <uri>{_x(site.url)}</uri>\n </author>\n",
    ]
    person = collection.person
    for quote in collection.quotes():
        url = _x(site.quote_url(quote.id))
        title = f"On {quote.topic}" if quote.status == "verbatim" else f"On {quote.topic} ({quote.status})"
        content = [
            f"{quote.text}\n\n— {credit(quote, person)}, according to {quote.source.title}. "
            f"{capital(VERDICTS[quote.status])}."
        ]
        if quote.record:
            content.append(f"On the record, {person}'s own words:")
            content.extend(
                f"“{p.text}” — {p.where}. {p.url}"
                + (f" ({p.note})" if p.note else "")
                + f" {check_sentence(collection.checks.passage(quote.id, p))}"
                for p in quote.record
            )
        out.append(
            f" <entry>\n  <id>{url}</id>\n  <title>{_x(title)}</title>\n  <updated>{updated}</updated>\n"
            f'  <link href="{url}" rel="alternate" type="text/html" />\n'
            f'  <content type="text">{_x(PARA.join(content))}</content>\n'
        )
        out.extend(f'  <category term="{_x(tag)}" label="{_x(tag_label(tag))}" />\n' for tag in quote.tags)
        out.append(" </entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def render_problems(problems: tuple[Problem, ...]) -> str:
    """The page `mkdocs serve` shows while the corpus has problems: each as `make check`
    prints it, and a script that reloads the page once a rebuild succeeds."""
    # With its policy even under `mkdocs serve`, where it is shown: the script MkDocs adds for
    # live reload does not run in it, and need not, since the page's own does the same.
    page = _render("problems.html.j2", problems=problems, report=format_report(problems, writing=False))
    return with_policy(page)


def render_ids(collection: Collection) -> str:
    """/quote-ids.json: just what the 404 page needs to suggest the nearest quotes, so it
    does not download the whole collection: [id, topic, [aliases…]] per quote."""
    rows = [[q.id, q.topic, list(q.aliases)] for q in collection.quotes()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_site(
    collection: Collection, site: Site, updated: str = "2000-01-01T00:00:00Z", epub: str | None = None
) -> dict[str, str]:
    """Every generated text file, keyed by its path under docs/ (forward slashes).

    `updated` (RFC 3339) dates the feed; see pipeline.corpus_date. `epub` is the book's path
    under the site, for the pages that link to it.
    """
    by_source = collection.by_source()
    pages: dict[str, str] = {
        "index.md": render_home(collection, epub),
        "about.md": render_about(collection),
        "quotes.json": render_json(collection, site),
        "quotes.schema.json": dump(export_schema()),
        "quote-ids.json": render_ids(collection),
        "feed.xml": render_feed(collection, site, updated),
        "tags/index.md": render_tags(collection),
        "sources/index.md": _render("sources.md.j2", collection=collection, by_source=by_source),
    }
    for part in collection.parts:
        pages[part_path(part)] = render_part(collection, part, site)
    # Imported here: all_page renders with this module's environment, so it imports render.
    from generator.all_page import ALL_PATH, render_all

    pages[ALL_PATH] = render_all(collection, site, epub)
    # The quote, source and tag pages are made after MkDocs has run (render_lean_pages, skeleton.py).
    for quote in collection.quotes():
        for alias in quote.aliases:
            pages[f"quotes/{alias}/index.html"] = render_alias(site, quote)
    return pages


def nav(collection: Collection) -> list[dict[str, Any]]:
    """MkDocs' `nav`: the parts and the index pages, never one entry per quote, source or
    tag, because every page repeats the whole navigation.

    MkDocs treats nav titles as HTML, so corpus text is escaped here too.
    """

    def entry(title: str, path: str) -> dict[str, str]:
        return {text(title): path}

    return [
        {"Home": "index.md"},
        {"Parts": [entry(p.title, part_path(p)) for p in collection.parts]},
        {"Sources": "sources/index.md"},
        {"Tags": "tags/index.md"},
        {"About": "about.md"},
        {"The data": "data.md"},
    ]
