"""Stage 4: turn the model into page texts, `{path under docs/: text}`. Pure: no file I/O.

The pages MkDocs renders (home, about, parts, index pages, redirects) are here; the quote,
source and tag pages are in generator/lean.py, the exports for programs in
generator/exports.py, /all/ in generator/all_page.py, all rendered with the one environment
of generator/templating.py.
"""

from __future__ import annotations

from typing import Any

from generator.all_page import ALL_PATH, render_all
from generator.csp import with_policy
from generator.exports import render_feed, render_ids, render_json
from generator.model import Collection, Part, Quote, Site
from generator.problems import Problem, format_report
from generator.schema import dump, export_schema
from generator.templating import render_template, tag_label, text


def part_path(part: Part) -> str:
    return f"parts/{part.id}.md"


def render_home(collection: Collection, epub: str | None = None) -> str:
    first = next(collection.quotes())
    return render_template(
        "home.md.j2",
        epub=epub,
        collection=collection,
        part_path=part_path,
        quote=first,
        counts=collection.status_counts(),
        with_record=sum(1 for q in collection.quotes() if q.record),
    )


def render_about(collection: Collection) -> str:
    return render_template("about.md.j2", collection=collection, counts=collection.status_counts())


def render_part(collection: Collection, part: Part, site: Site) -> str:
    return render_template("part.md.j2", collection=collection, part=part, site=site)


def render_tags(collection: Collection) -> str:
    return render_template("tags.md.j2", collection=collection, tags=collection.tags(), tag_label=tag_label)


def render_alias(site: Site, quote: Quote) -> str:
    """A renamed quote's old address: a page of its own, which MkDocs copies as it is."""
    return with_policy(render_template("alias.html.j2", quote=quote, target_url=site.quote_url(quote.id)))


def render_problems(problems: tuple[Problem, ...]) -> str:
    """The page `mkdocs serve` shows while the corpus has problems: each as `make check`
    prints it, and a script that reloads the page once a rebuild succeeds."""
    # With its policy even under `mkdocs serve`, where it is shown: the script MkDocs adds for
    # live reload does not run in it, and need not, since the page's own does the same.
    page = render_template("problems.html.j2", problems=problems, report=format_report(problems, writing=False))
    return with_policy(page)


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
        "sources/index.md": render_template("sources.md.j2", collection=collection, by_source=by_source),
    }
    for part in collection.parts:
        pages[part_path(part)] = render_part(collection, part, site)
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
