"""What the last check of the record at its sources found, on every surface a passage is shown:
the quote page, a part page's disclosure, /all/, the EPUB, quotes.json, the feed and the
citations. Never more than the check found: a passage never checked, or edited since, says
"Not yet checked at the source"."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator import pipeline
from generator.all_page import render_all
from generator.cite import bibtex, plain_citation
from generator.epub import render_documents
from generator.exports import render_feed, render_json
from generator.lean import render_quote
from generator.model import Check, Collection, RecordChecks, Site, Snapshot, passage_key
from generator.provenance import context_url
from generator.record_check.results import RESULTS_FILE, dump
from generator.render import render_part
from generator.schema import export_schema
from tests.conftest import FIXTURE_CORPUS

COLLECTION, _ = pipeline.check(FIXTURE_CORPUS)
SITE = Site("https://example.org/lessons/", "Test Site")
QUOTE = COLLECTION.parts[0].quotes[0]
FIRST, SECOND = QUOTE.record[0], QUOTE.record[1]
RUN = date(2026, 12, 14)
EARLIER = date(2026, 11, 30)
COPY = Snapshot("https://web.archive.org/web/20251002081500/https://example.org/interview", date(2025, 10, 2))

# Each result the check gives, as the first passage's, and what a reader is told of it.
CASES: dict[str, tuple[Check, str]] = {
    "found": (Check("found", RUN, EARLIER, snapshot=COPY), "Checked at the source on 14 Dec 2026."),
    "fragment-missed": (
        Check("fragment-missed", RUN, RUN),
        "Checked at the source on 14 Dec 2026; the link opens the page but may not mark the words.",
    ),
    "moved": (
        Check("moved", RUN, RUN, moved_to="https://example.org/talks/interview", snapshot=COPY),
        "Checked on 14 Dec 2026: the page has moved, and holds the words at its new address.",
    ),
    "changed": (
        Check("changed", RUN, RUN, snapshot=COPY, last_found=EARLIER),
        "Not on the page when it was checked on 14 Dec 2026; last found there on 30 Nov 2026.",
    ),
    "gone": (Check("gone", RUN, RUN), "The page was gone when it was checked on 14 Dec 2026."),
    "unreachable": (
        Check("unreachable", RUN, RUN, last_found=EARLIER),
        "The page could not be reached when it was checked on 14 Dec 2026; last found there on 30 Nov 2026.",
    ),
}
WARNED = {"moved", "changed", "gone"}


def checked(check: Check) -> Collection:
    """The fixture collection after a run that found `check` for the first passage and
    nothing it could read for the second (its entry is of a text since edited)."""
    stale = passage_key(QUOTE.id, dataclasses.replace(SECOND, text=SECOND.text + " (before an edit)"))
    checks = RecordChecks(RUN, {passage_key(QUOTE.id, FIRST): check, stale: Check("found", RUN, RUN)})
    return dataclasses.replace(COLLECTION, checks=checks)


def passages_of(html: str) -> list[str]:
    """Each passage's markup, from its opening tag."""
    return ['<li class="nn-passage"' + piece for piece in html.split('<li class="nn-passage"')[1:]]


@pytest.mark.parametrize("state", list(CASES))
def test_the_quote_page_says_what_the_check_found_and_offers_the_way_to_the_words(state: str) -> None:
    check, told = CASES[state]
    page = render_quote(checked(check), SITE, QUOTE, None, None).body
    first, second = passages_of(page)
    assert f'data-check="{state}"' in first
    assert told in unescape(first)
    assert ("<strong>Warning:</strong>" in first) == (state in WARNED)
    if check.snapshot:
        archived = context_url(dataclasses.replace(FIRST, url=check.snapshot.url))
        assert ":~:text=" in archived  # the archived copy opens at his words too
        assert f'class="nn-archived" href="{archived}"' in unescape(first)
        label = "Read it in the archived copy" if state in ("changed", "gone") else "Archived copy"
        assert f"{label} (2 Oct 2025)" in first
    else:
        assert "nn-archived" not in first
    if state == "gone":
        assert "No archived copy is known." in first
    if check.moved_to:
        assert context_url(dataclasses.replace(FIRST, url=check.moved_to)) in unescape(first)
    # The second passage was edited since it was checked: nothing is claimed for it.
    assert 'data-check="unchecked"' in second and "Not yet checked at the source." in second


@pytest.mark.parametrize("state", list(CASES))
def test_the_part_page_all_page_and_book_carry_the_same_check(state: str) -> None:
    check, told = CASES[state]
    collection = checked(check)
    part = render_part(collection, collection.parts[0], SITE)
    assert f'data-check="{state}"' in passages_of(part)[0]
    whole = render_all(collection, SITE)
    assert f'data-check="{state}"' in passages_of(whole)[0]
    book = "".join(d.xhtml for d in render_documents(collection, SITE, "2026-12-14T00:00:00Z"))
    assert f'class="checked check-{state}"' in book
    assert told.replace("'", "&#39;") in book
    if check.snapshot:
        assert "Archived copy of 2 Oct 2025: " in book and check.snapshot.url in book


@pytest.mark.parametrize("state", list(CASES))
def test_programs_and_citations_carry_the_check(state: str) -> None:
    check, told = CASES[state]
    collection = checked(check)
    data = json.loads(render_json(collection, SITE))
    jsonschema.validate(data, export_schema())
    assert data["record_checked"] == "2026-12-14"
    record = next(q for q in data["quotes"] if q["id"] == QUOTE.id)["record"]
    assert record[0]["check"]["result"] == state and record[0]["check"]["checked"] == "2026-12-14"
    assert record[0]["check"]["archive"] == ({"url": COPY.url, "date": "2025-10-02"} if check.snapshot else None)
    assert record[0]["check"]["moved_to"] == check.moved_to
    assert record[1]["check"] == {
        "result": "unchecked",
        "checked": None,
        "since": None,
        "moved_to": None,
        "archive": None,
        "last_found": None,
    }
    feed = unescape(render_feed(collection, SITE, "2026-12-14T00:00:00Z"))
    assert told in feed
    citation = plain_citation(collection, QUOTE, SITE.quote_url(QUOTE.id))
    entry = bibtex(collection, QUOTE, SITE.quote_url(QUOTE.id))
    assert "urldate = {2026-12-14}" in entry
    if check.snapshot:
        assert f"archived at {COPY.url} on 2 Oct 2025" in citation
    if state in ("found", "fragment-missed", "moved"):
        assert "checked at the source on 14 Dec 2026" in citation
    else:
        assert "checked at the source" not in citation


def test_never_checked_is_said_and_no_date_is_claimed_anywhere() -> None:
    page = render_quote(COLLECTION, SITE, QUOTE, None, None).body
    assert [p.count('data-check="unchecked"') for p in passages_of(page)] == [1, 1]
    assert "Checked at the source on" not in page
    data = json.loads(render_json(COLLECTION, SITE))
    assert data["record_checked"] is None
    citation = plain_citation(COLLECTION, QUOTE, SITE.quote_url(QUOTE.id))
    assert "(not yet checked at the source)" in citation
    assert "urldate" not in bibtex(COLLECTION, QUOTE, SITE.quote_url(QUOTE.id))


def test_a_results_file_reaches_the_built_site(tmp_path: Path) -> None:
    """The file the check writes, read by a real build: the quote page and quotes.json show it."""
    from tests.serving import build, site_root

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_CORPUS / "data", data)
    check, told = CASES["changed"]
    (data.parent / RESULTS_FILE).write_text(dump(checked(check).checks), "utf-8")
    root = site_root(tmp_path / "build", data)
    out = tmp_path / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stderr
    page = (out / "quotes" / QUOTE.id / "index.html").read_text("utf-8")
    assert 'data-check="changed"' in page and told in unescape(page)
    quotes: dict[str, Any] = json.loads((out / "quotes.json").read_text("utf-8"))
    assert quotes["record_checked"] == "2026-12-14"
    about = unescape((out / "about" / "index.html").read_text("utf-8"))
    assert "The last check ran on 14 Dec 2026." in about


def test_the_report_link_fills_in_the_issue_forms_real_fields() -> None:
    """GitHub fills a form's field from the query parameter named by the field's id: a
    parameter that names no field is dropped without a word, so each is checked here."""
    from urllib.parse import parse_qs, urlsplit

    import yaml

    from generator.lean import REPORT_FIELDS, REPORT_FORM, report_url
    from tests.conftest import ROOT

    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / REPORT_FORM).read_text("utf-8"))
    ids = {item["id"] for item in form["body"] if "id" in item}
    inputs = {item["id"] for item in form["body"] if item.get("type") == "input"}
    site = Site(SITE.url, SITE.name, "https://github.com/example/lessons/")
    url = report_url(site, QUOTE)
    assert url is not None
    parts = urlsplit(url)
    assert parts.netloc == "github.com" and parts.path == "/example/lessons/issues/new"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query.pop("template") == REPORT_FORM
    assert query.pop("title") == f"Misattribution: {QUOTE.id}"
    assert set(query) == set(REPORT_FIELDS) <= inputs <= ids
    assert query["quote"] == SITE.quote_url(QUOTE.id)
    assert report_url(SITE, QUOTE) is None  # no repository, no link
    body = render_quote(COLLECTION, site, QUOTE, None, None).body
    assert f'<a href="{url.replace("&", "&amp;")}" rel="nofollow">Report a problem with this quote</a>' in body
