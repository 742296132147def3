"""What programs read: /quotes.json, /feed.xml and /quote-ids.json. Pure: no file I/O."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from generator.model import Check, Collection, Site
from generator.provenance import VERDICTS, capital, check_sentence, context_url, credit
from generator.templating import tag_label


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


def render_ids(collection: Collection) -> str:
    """/quote-ids.json: just what the 404 page needs to suggest the nearest quotes, so it
    does not download the whole collection: [id, topic, [aliases…]] per quote."""
    rows = [[q.id, q.topic, list(q.aliases)] for q in collection.quotes()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n"
