"""A fetched body → what a reader sees on it."""

from __future__ import annotations

import pytest

from generator.record_check.page import Unreadable, charset, page_text
from tests.record_sites import pdf


def blocks(body: str | bytes, content_type: str | None = "text/html") -> tuple[str, ...]:
    return page_text(body.encode() if isinstance(body, str) else body, content_type).blocks


def test_only_what_a_reader_sees() -> None:
    body = """<!doctype html><html><head><title>Title</title><style>p{}</style>
    <script>var hidden = "script words";</script></head><body>
    <template><p>template words</p></template><noscript>noscript words</noscript>
    <p>Seen <em>words</em> &amp; <a href="#">more</a>&nbsp;too<!-- a comment -->, then
       &ldquo;quoted&rdquo;.</p><div hidden>hidden words</div><p style="display: none">gone</p>
    <script>document.write("late script")</script><ul><li>one<li>two</ul></body></html>"""
    assert blocks(body) == ("Seen words & more too, then “quoted”.", "one", "two")  # &nbsp; is a space


def test_blocks_break_where_paragraphs_do_and_line_breaks_are_spaces() -> None:
    assert blocks("<h2>Head</h2>text<p>para<br>line</p><td>cell</td>") == ("Head", "text", "para line", "cell")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("<p>café</p>".encode("cp1252"), "text/html; charset=ISO-8859-1", "cp1252"),  # as browsers read Latin-1
        ('<meta charset="windows-1252"><p>café</p>'.encode("cp1252"), "text/html", "cp1252"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', "text/html", "koi8-r"),
        ("<p>café</p>".encode(), "text/html", "utf-8"),
        ("\ufeff<p>café</p>".encode(), "text/html; charset=latin-1", "utf-8-sig"),  # a BOM wins
        (b"<p>x</p>", "text/html; charset=no-such-thing", "utf-8"),
    ],
)
def test_the_character_set(body: bytes, content_type: str, expected: str) -> None:
    assert charset(body, content_type) == expected


def test_a_page_in_another_character_set_reads_as_written() -> None:
    body = "<p>Ein „Zitat“ – café</p>".encode("cp1252")
    assert blocks(body, "text/html; charset=windows-1252") == ("Ein „Zitat“ – café",)


def test_xhtml_with_an_xml_declaration() -> None:
    body = '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><p>ok é</p></html>'
    assert blocks(body, "application/xhtml+xml") == ("ok é",)


def test_a_pdf_is_read_for_its_text() -> None:
    text = page_text(pdf("A paper's body, with (parentheses) and a long line " * 4), "application/octet-stream")
    assert text.kind == "pdf"
    assert "with (parentheses) and a long line" in " ".join(text.blocks)


def test_plain_text_by_paragraph() -> None:
    assert blocks("one\nline\n\ntwo", "text/plain") == ("one line", "two")


@pytest.mark.parametrize(("body", "content_type"), [(b"\x89PNG...", "image/png"), (b"%PDF-1.4 broken", None)])
def test_what_cannot_be_read_says_why(body: bytes, content_type: str | None) -> None:
    with pytest.raises(Unreadable):
        page_text(body, content_type)
