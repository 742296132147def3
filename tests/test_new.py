"""`python -m generator new`: a quote appended to its part file, the rest of the file kept
byte for byte, the corpus still valid; anything wrong leaves the file exactly as it was."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import pipeline
from generator.model import Quote
from generator.new import NewQuote, append_quote, derive_id, free_id, run_new
from generator.permalinks import PERMALINKS_FILE
from generator.problems import Problem

FIRST = "data/parts/01-first-part.yaml"
SECOND = "data/parts/02-second-part.yaml"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def typed_in_a_terminal(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """`make new` in a terminal, answered with `answers` in turn; the prompts it asks, as asked."""
    prompts: list[str] = []
    replies = iter(answers)

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        return next(replies)

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default nobody is at the terminal, as in CI."""
    monkeypatch.setattr("sys.stdin", _Pipe())


def snapshot(root: Path) -> dict[str, bytes]:
    data = root / "data"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def last_quote(root: Path, part_id: str) -> Quote:
    collection, _ = pipeline.check(root)
    return collection.part(part_id).quotes[-1]


def add(root: Path, *args: str) -> int:
    return run_new(root, list(args))


def test_round_trip_appends_the_quote_and_keeps_every_other_byte(
    small_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(small_corpus)
    status = add(
        small_corpus,
        *("--part", "1", "--topic", "the Black Box Problem", "--text", 'He said "look inside".'),
        *("--source", "podcast", "--status", "paraphrase", "--note", "Checked at 12:30."),
        *("--url", "https://example.org/episode#t=750", "--tags", "alpha, circuits"),
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "black-box-problem" in out
    assert "/quotes/black-box-problem/" in out

    after = snapshot(small_corpus)
    old, new = before.pop(FIRST), after.pop(FIRST)
    assert after == before  # no other file touched, no stray file left
    assert new.startswith(old)
    assert new[len(old) :] == (
        b"\n"
        b"  - id: black-box-problem\n"
        b"    topic: the Black Box Problem\n"
        b'    text: "He said \\"look inside\\"."\n'
        b"    source: podcast\n"
        b"    status: paraphrase\n"
        b'    note: "Checked at 12:30."\n'
        b"    url: https://example.org/episode#t=750\n"
        b"    tags: [alpha, circuits]\n"
    )

    quote = last_quote(small_corpus, "first-part")
    assert (quote.id, quote.topic, quote.text, quote.source.id, quote.status) == (
        "black-box-problem",
        "the Black Box Problem",
        'He said "look inside".',
        "podcast",
        "paraphrase",
    )
    assert (quote.note, quote.url, quote.tags) == (
        "Checked at 12:30.",
        "https://example.org/episode#t=750",
        ("alpha", "circuits"),
    )


def test_the_part_is_found_by_id_and_status_defaults_to_unverified(small_corpus: Path) -> None:
    assert add(small_corpus, "--part", "second-part", "--topic", "Fourth", "--text", "Four.", "--source", "blog") == 0
    quote = last_quote(small_corpus, "second-part")
    assert (quote.id, quote.status, quote.note, quote.url, quote.tags) == ("fourth", "unverified", None, None, ())


def test_the_id_is_derived_from_the_topic_and_made_unique(small_corpus: Path) -> None:
    # 'first-quote' is an id, 'old-second-quote' an alias: both name a quote for ever.
    for expected in ("first-quote-2", "first-quote-3"):
        assert add(small_corpus, "--part", "2", "--topic", "The First Quote", "--text", "x", "--source", "blog") == 0
        assert last_quote(small_corpus, "second-part").id == expected
    assert add(small_corpus, "--part", "2", "--topic", "Old Second Quote", "--text", "y", "--source", "blog") == 0
    assert last_quote(small_corpus, "second-part").id == "old-second-quote-2"


@pytest.mark.parametrize(
    ("topic", "slug"),
    [
        ("the Black Box Problem", "black-box-problem"),
        ("The Swiss Cheese Model of Safety", "swiss-cheese-model-of-safety"),
        ("Theory of Mind", "theory-of-mind"),
        ("Über-Grokking: Part 2!", "uber-grokking-part-2"),
        ("the", "the"),
        ("???", "quote"),
    ],
)
def test_derive_id(topic: str, slug: str) -> None:
    assert derive_id(topic) == slug


def test_free_id() -> None:
    assert free_id("a", set()) == "a"
    assert free_id("a", {"a", "a-2", "a-4"}) == "a-3"


def test_an_unknown_source_is_refused_before_anything_is_written(
    small_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(small_corpus)
    status = add(small_corpus, "--part", "1", "--topic", "Fifth", "--text", "Five.", "--source", "blgo")
    assert status == 2
    assert capsys.readouterr().err == (
        "python -m generator new: error: --source: there is no source 'blgo' in data/sources.yaml "
        "(did you mean 'blog'?) — use one of: blog, podcast; or add the source to data/sources.yaml first\n"
    )
    assert snapshot(small_corpus) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--status", "checked"), "--status: 'status' must be one of"),
        (("--status", "paraphrased"), "(did you mean 'paraphrase'?) — write e.g. status: paraphrase"),
        (("--url", "example.org/page"), "--url: 'url' must be a full http(s) address"),
        (("--id", "Bad Id"), "--id: 'id' must be a slug"),
        (("--id", "second-quote"), "--id: 'second-quote' is already the id or an alias of a quote"),
        (("--id", "old-second-quote"), "--id: 'old-second-quote' is already the id or an alias of a quote"),
        (("--tags", "Alpha"), "--tags: 'tags item' must be a slug"),
        (("--note", "  "), "--note: 'note' is empty"),
    ],
)
def test_whatever_the_corpus_would_refuse_is_refused_before_anything_is_written(
    small_corpus: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    before = snapshot(small_corpus)
    status = add(small_corpus, "--part", "1", "--topic", "Sixth", "--text", "Six.", "--source", "blog", *args)
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("python -m generator new: error: ") and message in err, err
    assert err.count("\n") == 1, err
    assert snapshot(small_corpus) == before


def test_every_wrong_option_is_reported_at_once(small_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--part", "1", "--topic", "T", "--text", "X.", "--source", "blgo", "--status", "checked", "--id", "A B")
    assert add(small_corpus, *args) == 2
    assert [line.split(": ")[2] for line in capsys.readouterr().err.splitlines()] == ["--source", "--status", "--id"]


def test_in_a_terminal_a_wrong_source_is_asked_again_and_nothing_typed_is_lost(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    long_text = "A long quote, typed with care, that must not be lost to a typo in the source."
    prompts = typed_in_a_terminal(monkeypatch, ["2", "Typos", long_text, "blgo", "podcats", "podcast"])
    assert run_new(small_corpus, []) == 0
    out = capsys.readouterr().out
    assert prompts[-3:] == ["Source id: ", "Source id: ", "Source id: "]
    assert "--source: there is no source 'blgo' in data/sources.yaml (did you mean 'blog'?)" in out
    assert "--source: there is no source 'podcats' in data/sources.yaml (did you mean 'podcast'?)" in out
    quote = last_quote(small_corpus, "second-part")
    assert (quote.id, quote.text, quote.source.id) == ("typos", long_text, "podcast")


def test_in_a_terminal_a_wrong_option_is_asked_for_again(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers: Iterator[str] = iter(["paraphrase", "https://example.org/at", ""])  # status, url, id
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    args = ("--part", "1", "--topic", "Asked", "--text", "A.", "--source", "blog", "--status", "paraphrased")
    assert add(small_corpus, *args, "--id", "second-quote", "--url", "nowhere") == 0
    out = capsys.readouterr().out
    assert "--status: 'status' must be one of" in out and "--id: 'second-quote' is already" in out
    quote = last_quote(small_corpus, "first-part")
    # An empty answer for --id leaves it out: the id is derived from the topic.
    assert (quote.id, quote.status, quote.url) == ("asked", "paraphrase", "https://example.org/at")


def test_a_problem_found_after_appending_names_the_option_or_a_line_of_the_file_as_it_is(
    small_corpus: Path,
) -> None:
    """The file is put back after a failed check, so no message may name a line of the
    file with the quote in it."""
    head = 'quotes:\n- id: first-quote\n  topic: First\n  text: "One."\n  source: blog\n'
    tail = "# the part's own keys\nid: first-part\nnumber: 1\ntitle: First Part\n"
    original = (head + tail).encode()
    collection, _ = pipeline.check(small_corpus)
    quote = NewQuote(collection.part("first-part"), "next", "Next", "Two.", "nowhere", "unverified", None, None, ())
    appended = append_quote(original, quote)
    new_lines = appended.content.decode().split("\n")
    source_line = new_lines.index("  source: nowhere") + 1
    title_line = new_lines.index("title: First Part") + 1
    in_quote = Problem(FIRST, source_line, 11, "quote 'next' names source 'nowhere'", "use one of: blog")
    after = Problem(FIRST, title_line, 8, "something about the title", "fix it")
    before = Problem(FIRST, 3, 3, "something about the first quote", "fix it")
    assert (
        appended.placed(in_quote, "prog")
        == "prog: error: --source: quote 'next' names source 'nowhere' — use one of: blog"
    )
    assert appended.placed(after, "prog") == f"{FIRST}:9:8: error: something about the title — fix it"
    assert (head + tail).split("\n")[8] == "title: First Part"
    assert appended.placed(before, "prog") == str(before)


def test_comments_and_formatting_survive(small_corpus: Path) -> None:
    part = small_corpus / FIRST
    original = (
        b"# A header comment, kept.\n"
        b"id: first-part\n"
        b"number: 1\n"
        b"title: First Part  # an inline comment\n"
        b"quotes:\n"
        b"  # the opening quote\n"
        b"  - id: first-quote\n"
        b"    topic: the First Quote\n"
        b'    text: "The first quote."\n'
        b"    source: blog\n"
        b"    tags: [alpha]   # why alpha\n"
        b"\n"
        b"  - id: second-quote\n"
        b"    topic: Second Quote\n"
        b"    text: >-\n"
        b"      Folded text\n"
        b"      on two lines.\n"
        b"    source: podcast\n"
        b"    aliases:\n"
        b"      - old-second-quote\n"
        b"\n"
        b"# A trailing comment, kept.\n"
    )
    part.write_bytes(original)
    assert add(small_corpus, "--part", "1", "--topic", "Third", "--text", "Three.", "--source", "blog") == 0
    new = part.read_bytes()
    assert new.startswith(original)
    assert new[len(original) :] == (
        b'\n  - id: third\n    topic: Third\n    text: "Three."\n    source: blog\n    status: unverified\n'
    )
    assert [q.id for q in pipeline.check(small_corpus)[0].part("first-part").quotes] == [
        "first-quote",
        "second-quote",
        "third",
    ]


def test_the_quote_goes_before_a_key_that_follows_the_list(small_corpus: Path) -> None:
    (small_corpus / PERMALINKS_FILE).unlink()  # this part file drops a published quote
    part = small_corpus / FIRST
    head = 'quotes:\n- id: first-quote\n  topic: First\n  text: "One."\n  source: blog\n'
    tail = "# the part's own keys\nid: first-part\nnumber: 1\ntitle: First Part\n"
    part.write_bytes((head + tail).encode())
    assert add(small_corpus, "--part", "1", "--topic", "Next", "--text", "Two.", "--source", "podcast") == 0
    block = '\n- id: next\n  topic: Next\n  text: "Two."\n  source: podcast\n  status: unverified\n'
    assert part.read_bytes() == (head + block + tail).encode()
    assert last_quote(small_corpus, "first-part").id == "next"


def test_a_crlf_file_stays_crlf(small_corpus: Path) -> None:
    part = small_corpus / SECOND
    original = part.read_bytes().replace(b"\n", b"\r\n")
    part.write_bytes(original)
    assert add(small_corpus, "--part", "2", "--topic", "Windows", "--text", "CRLF.", "--source", "blog") == 0
    new = part.read_bytes()
    assert new.startswith(original)
    added = new[len(original) :]
    assert added.startswith(b"\r\n  - id: windows\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")


def test_a_file_without_a_final_line_break_gets_one(small_corpus: Path) -> None:
    part = small_corpus / SECOND
    original = part.read_bytes().rstrip(b"\n")
    part.write_bytes(original)
    assert add(small_corpus, "--part", "2", "--topic", "Last", "--text", "L.", "--source", "blog") == 0
    assert part.read_bytes().startswith(original + b"\n\n  - id: last\n")


@pytest.mark.parametrize(
    "text",
    [
        'Quotes " and \\ backslashes, <b>tags</b> & {{ braces }}, *stars*',
        "Two lines,\nand a tab\there.",
        "  Spaces kept around  ",
        "Unicode: café, 日本語, 🧠, a line separator\u2028and a BOM\ufeffinside",
        "# not a comment: [not, a, list]",
        "yes",
    ],
)
def test_any_text_comes_back_exactly_as_typed(small_corpus: Path, text: str) -> None:
    assert add(small_corpus, "--part", "1", "--topic", "Exact", "--text", text, "--source", "blog") == 0
    assert last_quote(small_corpus, "first-part").text == text


@pytest.mark.parametrize("topic", ["yes", "null", "Topic: with a colon", "#hashtag", "123"])
def test_a_topic_that_yaml_would_misread_is_quoted(small_corpus: Path, topic: str) -> None:
    assert add(small_corpus, "--part", "1", "--topic", topic, "--text", "T.", "--source", "blog") == 0
    assert last_quote(small_corpus, "first-part").topic == topic


def test_missing_options_without_a_terminal_are_an_error(
    small_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(small_corpus)
    assert add(small_corpus, "--part", "1", "--topic", "No text", "--source", "blog") == 2
    assert "--text is required" in capsys.readouterr().err
    assert snapshot(small_corpus) == before


def test_an_unknown_part_is_an_error(small_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(small_corpus)
    assert add(small_corpus, "--part", "7", "--topic", "T", "--text", "X.", "--source", "blog") == 2
    assert "no part '7'; use one of: 1 (first-part), 2 (second-part)" in capsys.readouterr().err
    assert snapshot(small_corpus) == before


def test_in_a_terminal_missing_options_are_asked_for(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = typed_in_a_terminal(monkeypatch, ["9", "second-part", "", "the Asked Topic", "Asked text.", "podcast"])
    assert run_new(small_corpus, []) == 0
    out = capsys.readouterr().out
    assert prompts == [
        "Part (number or id): ",
        "Part (number or id): ",
        'Topic (shown as "On …"): ',
        'Topic (shown as "On …"): ',
        "Text: ",
        "Source id: ",
    ]
    assert "No part '9'." in out
    assert "Sources: blog, podcast" in out
    quote = last_quote(small_corpus, "second-part")
    assert (quote.id, quote.topic, quote.text, quote.source.id) == (
        "asked-topic",
        "the Asked Topic",
        "Asked text.",
        "podcast",
    )


def test_an_invalid_corpus_is_refused_before_anything_is_written(
    small_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    part = small_corpus / SECOND
    part.write_bytes(part.read_bytes().replace(b"source: blog", b"source: nowhere"))
    before = snapshot(small_corpus)
    assert add(small_corpus, "--part", "1", "--topic", "T", "--text", "X.", "--source", "blog") == 1
    err = capsys.readouterr().err
    assert "names source 'nowhere'" in err
    assert "must be valid before a quote is added" in err
    assert snapshot(small_corpus) == before
