"""The plain Material peer: the same pages as hand-written Markdown for Material's defaults,
built beside ours so that every figure is also a ratio."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from generator.model import Collection, Quote, Site

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md(value: str) -> str:
    """Plain Markdown text, as a person writing the pages by hand would escape it."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def write_plain(collection: Collection, site: Site, root: Path) -> Path:
    """The same pages as plain Markdown for Material's defaults: no generator, hook, cards or templates."""
    docs = root / "docs"
    config = root / "mkdocs.yml"
    docs.mkdir(parents=True)
    # The navigation lists the parts and the sources, as ours does, and Material repeats it in
    # every page. Not the quote pages: Material's default nav would list all of them in every
    # page, which grows with the square of the corpus (1,000 quotes: 400 kB a page, 0.5 GB;
    # 10,000 would be some 30 GB), so they are left out of it as in our site.
    nav: list[dict[str, Any]] = [{"Home": "index.md"}]
    nav.append({"Parts": [{html.escape(p.title): f"parts/{p.id}.md"} for p in collection.parts]})
    nav.append({"Sources": [{html.escape(s.title): f"sources/{s.id}.md"} for s in collection.sources]})
    config.write_text(
        f"site_name: {json.dumps(collection.title)}\nsite_url: {json.dumps(site.url)}\n"
        "theme:\n  name: material\nplugins:\n  - search\nnot_in_nav: /quotes/\n"
        f"nav: {json.dumps(nav, ensure_ascii=False)}\n",
        "utf-8",
    )

    def quote_block(q: Quote, up: str) -> str:
        text = "\n>\n".join(f"> {md(p)}" for p in q.text.split("\n"))
        lines = [
            text,
            "",
            f"— {md(collection.person)}, according to [{md(q.source.title)}]({up}sources/{q.source.id}.md)"
            f" · status: {q.status}",
        ]
        if q.note:
            lines += ["", f"**Note:** {md(q.note)}"]
        if q.tags:
            lines += ["", "Tags: " + ", ".join(md(t) for t in q.tags)]
        # The same content as ours: what he is on record as saying, under each quote.
        for passage in q.record:
            words = "\n>\n".join(f"> {md(p)}" for p in passage.text.split("\n"))
            note = f" ({md(passage.note)})" if passage.note else ""
            lines += ["", words, "", f"— {md(passage.where)}{note}, [read it in context](<{passage.url}>)"]
        return "\n".join(lines)

    (docs / "index.md").write_text(
        f"# {md(collection.title)}\n\n{md(collection.intro)}\n\n"
        + "".join(f"{p.number}. [{md(p.title)}](parts/{p.id}.md)\n" for p in collection.parts),
        "utf-8",
    )
    for folder in ("parts", "sources", "quotes"):
        (docs / folder).mkdir()
    by_source: dict[str, list[Quote]] = {}
    for part in collection.parts:
        body = [f"# Part {part.number}: {md(part.title)}\n"]
        for q in part.quotes:
            by_source.setdefault(q.source.id, []).append(q)
            body.append(f"## On {md(q.topic)}\n\n{quote_block(q, '../')}\n\n[Quote page](../quotes/{q.id}.md)\n")
            (docs / "quotes" / f"{q.id}.md").write_text(
                f"# On {md(q.topic)}\n\n{quote_block(q, '../')}\n\n"
                f"Part {part.number}: [{md(part.title)}](../parts/{part.id}.md)\n",
                "utf-8",
            )
        (docs / "parts" / f"{part.id}.md").write_text("\n".join(body), "utf-8")
    for source in collection.sources:
        items = "".join(f"- [On {md(q.topic)}](../quotes/{q.id}.md)\n" for q in by_source.get(source.id, []))
        about = f"{md(source.description)}\n\n" if source.description else ""
        (docs / "sources" / f"{source.id}.md").write_text(
            f"# {md(source.title)}\n\n{source.kind}\n\n{about}## Quotes attributed to it\n\n{items}", "utf-8"
        )
    return config
