"""The corpus carries the record: his words as the record copied them, at public addresses, and statuses that follow it.

The record (`../shared/record/parts-*.md`) compares every quote with what Neel Nanda actually said or wrote: one
table row per quote, with a verdict, the passages (his exact words, in straight double quotes), the url and the
locator of each, and a comment that quotes further words of his. These tests hold the corpus to it.

The record keeps the Markdown of the stored files it copied (`**probe**`, `[words](https://…)`); the corpus keeps
the words as the linked page shows them, so passages are compared with the record's once that Markdown is removed.

The record is read as committed in tests/fixtures/facts.json (tests/facts.py), so these run wherever the project
does, GitHub's CI included; tests/test_facts.py checks the facts against ../shared where it is present.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator import pipeline
from generator.model import Quote
from generator.problems import CorpusError
from tests import facts
from tests.conftest import ROOT
from tests.facts import JOINED, plain

# Where the record itself says the current status stands against its verdict; each needs a note that says why.
EXCEPTIONS = {
    "extrapolating-to-llms": "disputed",  # not found, but no such claim is his and the framing is others'
    "feature-splitting": "disputed",  # not found, but it misstates the phenomenon (Anthropic, Towards Monosemanticity)
}
# The record's totals (its README): 43 fair paraphrases, 17 that distort, 15 not found; with the two exceptions:
STATUS_COUNTS = {"paraphrase": 43, "disputed": 19, "unverified": 13}

# Mirrors and repository copies the record read, and the public site each copies.
MIRROR_OF = {
    "greaterwrong.com": "lesswrong.com",
    "lw2.issarice.com": "lesswrong.com",
    "mdsite.deno.dev": "neelnanda.io",
    "hf.vip.linode.site": "arxiv.org",
    "researchtrend.ai": "arxiv.org",
}
NOT_PUBLIC = (
    "greaterwrong",
    "issarice",
    "mdsite.deno.dev",
    "hf.vip.linode.site",
    "researchtrend.ai",
    "callummcdougall",
    "axrp.github.io",
    "theinsideview.github.io",
    "80000hours.org/?p=",
)
SAME_POSTS = {"alignmentforum.org": "lesswrong.com"}  # one post, one id, on both forums
# Words the comments quote that are not his: 80,000 Hours' summaries, hosts, a third-party course page.
NOT_HIS = (
    "Swiss cheese",
    "not a silver bullet",
    "maximising my luck surface area",
    "Write publicly.",
    "He doesn’t see a path",
    "The technical and practical barriers",
    "If a small model learns a world model for Othello",
    "alien neuroscience for truth seeking biologists",
)
# Passages whose url says they need a word of provenance beside them.
NEEDS_A_NOTE = {
    "transformer-circuits.pub": "a co-authored paper",
    "arxiv.org": "a co-authored paper",
    "share.snipd.com": "an automatic transcript",
    "neelnanda.io/glossary": "a copy of his glossary",
    "forum.effectivealtruism.org": "a guide co-written with Jess Smith",
}


read_record = facts.record


@cache
def corpus() -> dict[str, Quote]:
    collection, _ = pipeline.check(ROOT)
    return {q.id: q for q in collection.quotes()}


def site(url: str) -> str:
    """The site a url of the record names, or the public site its mirror copies."""
    if "glossary" in url or "callummcdougall" in url:
        return "neelnanda.io"
    m = re.search(r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})", url)
    assert m, f"no address in the record's url cell: {url!r}"
    host = MIRROR_OF.get(m[1], m[1])
    return SAME_POSTS.get(host, host)


def host(url: str) -> str:
    name = urlsplit(url).hostname or ""
    name = name.removeprefix("www.")
    return SAME_POSTS.get(name, name)


def test_the_record_has_one_row_for_every_quote_with_its_totals() -> None:
    rows = read_record()
    assert sorted(rows) == sorted(corpus()), f"quotes without a row, rows without a quote: {set(rows) ^ set(corpus())}"
    verdicts = Counter(row.status for row in rows.values())
    assert verdicts == {"paraphrase": 43, "disputed": 17, "unverified": 15}, f"the record's verdicts: {verdicts}"
    assert sum(bool(row.passages) for row in rows.values()) == 73


def test_every_record_passage_is_in_the_quotes_own_row_of_the_record() -> None:
    rows = read_record()
    for quote in corpus().values():
        row = rows[quote.id]
        for passage in quote.record:
            assert passage.text in row.passage_cell or passage.text in row.comment, (
                f"{quote.id}: a record passage is not, character for character, in its row of {row.file}: "
                f"{passage.text!r}"
            )
            assert "<br>" not in passage.text and passage.text == passage.text.strip(), passage.text


def test_every_passage_of_the_row_comes_first_in_the_records_order() -> None:
    for quote_id, row in read_record().items():
        quote = corpus()[quote_id]
        texts = [passage.text for passage in quote.record]
        expected = [text for _, text in row.passages]
        assert texts[: len(expected)] == expected, f"{quote_id}: the record must open with the passages of its row"
        if not expected:
            assert not quote.record, f"{quote_id}: its row gives no passage, so it has no record"


def test_each_passage_of_the_row_keeps_the_address_its_marker_gives() -> None:
    for quote_id, row in read_record().items():
        quote = corpus()[quote_id]
        for (marks, text), passage in zip(row.passages, quote.record, strict=False):
            letters = set(marks) - set("[]")
            urls = [url for url_marks, url in row.urls if not letters or not url_marks or letters & set(url_marks)]
            assert len({site(url) for url in urls}) == 1, f"{quote_id}: {marks or 'its passage'} has no single url"
            assert host(passage.url) == site(urls[0]), (
                f"{quote_id}: {text[:40]!r}… is on {site(urls[0])} in the record, not {host(passage.url)}"
            )


def test_most_quotes_carry_a_record() -> None:
    carrying = [q for q in corpus().values() if q.record]
    passages = sum(len(q.record) for q in carrying)
    assert len(carrying) >= 60, f"{len(carrying)} quotes carry a record ({passages} passages)"


def test_each_status_follows_the_verdict_or_is_an_exception_with_a_note() -> None:
    rows = read_record()
    for quote in corpus().values():
        row = rows[quote.id]
        expected = EXCEPTIONS.get(quote.id, row.status)
        assert quote.status == expected, (
            f"{quote.id}: the record says {row.verdict!r}, so {expected}, not {quote.status}"
        )
        if quote.id in EXCEPTIONS:
            assert row.status != expected, f"{quote.id}: no longer an exception; drop it from EXCEPTIONS"
            assert quote.note, f"{quote.id}: kept as {expected} against its verdict, so its note must say why"


def test_no_record_url_is_a_mirror_or_a_repository_copy() -> None:
    for quote in corpus().values():
        for passage in quote.record:
            assert not any(name in passage.url for name in NOT_PUBLIC), f"{quote.id}: {passage.url} is not public"
            assert urlsplit(passage.url).scheme == "https", f"{quote.id}: {passage.url}"


def test_no_record_passage_is_someone_elses_words() -> None:
    for quote in corpus().values():
        for passage in quote.record:
            assert not any(words in passage.text for words in NOT_HIS), f"{quote.id}: {passage.text!r} is not his"


def test_passages_that_need_provenance_carry_a_note() -> None:
    rows = read_record()
    for quote in corpus().values():
        for passage in quote.record:
            for address, what in NEEDS_A_NOTE.items():
                assert address not in passage.url or passage.note, f"{quote.id}: {passage.url} is {what}: say so"
            if rows[quote.id].status == "unverified":
                assert passage.note, f"{quote.id}: nothing says what the quote says, so each passage needs a note"


@pytest.mark.parametrize(
    "expected", [STATUS_COUNTS], ids=lambda counts: "-".join(f"{k}={v}" for k, v in counts.items())
)
def test_the_counts_of_statuses(expected: dict[str, int]) -> None:
    counts = Counter(quote.status for quote in corpus().values())
    assert counts == expected, f"status counts: {dict(counts)}"


def test_a_row_that_joins_passages_from_two_places_is_two_passages_in_the_corpus() -> None:
    for quote_id, separator in JOINED.items():
        row, quote = read_record()[quote_id], corpus()[quote_id]
        assert separator in row.passage_cell, f"{quote_id}: its row no longer joins two passages; drop it from JOINED"
        assert all(separator not in passage.text for passage in quote.record), f"{quote_id}: still joined"
        anchors = [urlsplit(p.url).fragment for p in quote.record[: len(row.passages)]]
        assert len(set(anchors)) == len(anchors), f"{quote_id}: each passage links its own place, not {anchors}"


def test_no_record_text_keeps_markdown() -> None:
    for quote in corpus().values():
        for passage in quote.record:
            assert plain(passage.text) == passage.text, f"{quote.id}: Markdown in {passage.text!r}"
            assert not re.search(r"(?m)^ {0,3}#{1,6}(?:[ \t]|$)|\*\*", passage.text), f"{quote.id}: {passage.text!r}"


def test_a_paper_passage_links_a_page_that_holds_it() -> None:
    """arXiv's abstract page holds the abstract only: a passage from the body links the full text, and says why."""
    on_arxiv = [(q.id, p) for q in corpus().values() for p in q.record if host(p.url) == "arxiv.org"]
    assert on_arxiv
    for quote_id, passage in on_arxiv:
        if urlsplit(passage.url).path.startswith("/abs/"):
            assert passage.where.endswith("abstract"), f"{quote_id}: {passage.where!r} is not on the abstract page"
        else:
            assert re.fullmatch(r"/(pdf|html)/\d{4}\.\d{4,5}(v\d+)?", urlsplit(passage.url).path), passage.url
            assert passage.note and "full text" in passage.note, f"{quote_id}: say why it links the full text"


def test_each_glossary_passage_says_it_is_worded_as_in_the_copy_until_checked() -> None:
    glossary = [(q.id, p) for q in corpus().values() for p in q.record if "neelnanda.io/glossary" in p.url]
    assert glossary
    for quote_id, passage in glossary:
        note = passage.note or ""
        assert "Worded as in a copy" in note and "until the first check" in note, f"{quote_id}: {note!r}"


def test_markdown_in_a_record_text_is_a_warning_and_an_error_when_strict(small_corpus: Path) -> None:
    part = small_corpus / "data" / "parts" / "01-first-part.yaml"
    text, words = part.read_text("utf-8"), '"The first quote, in his own words'
    part.write_text(text.replace(words, words.replace("first", "**first**")), "utf-8")
    line = 1 + text[: text.index(words)].count("\n")
    where = f"data/parts/01-first-part.yaml:{line}:15: "

    _, warnings = pipeline.check(small_corpus)
    assert [str(w) for w in warnings] == [
        f"{where}warning: a record text holds Markdown, '**first**', which the site shows as typed"
        " — write the words alone, as the linked page shows them: 'first'"
    ]
    with pytest.raises(CorpusError) as raised:
        pipeline.check(small_corpus, strict=True)
    assert [str(p) for p in raised.value.problems] == [str(warnings[0]).replace(": warning: ", ": error: ")]
