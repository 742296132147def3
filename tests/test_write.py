"""Nothing lost: the generator owns only the files it wrote, writes them atomically and
deterministically, and leaves everything alone when the corpus has a problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import pipeline
from generator.model import Site
from generator.permalinks import PERMALINKS_FILE
from generator.problems import CorpusError
from generator.write import MANIFEST, read_manifest, write
from tests.serving import build, site_root
from tests.test_mistakes import run, snapshot

SITE = Site("https://example.org/", "Test")


def test_manifest_lists_exactly_the_generated_files(small_corpus: Path) -> None:
    result = pipeline.build(small_corpus, SITE)
    docs = small_corpus / "docs"
    on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} - {MANIFEST}
    assert read_manifest(docs) == on_disk
    assert set(result.written.written) == on_disk


def test_a_rebuild_that_changes_nothing_writes_nothing(small_corpus: Path) -> None:
    pipeline.build(small_corpus, SITE)
    docs = small_corpus / "docs"
    times = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    result = pipeline.build(small_corpus, SITE)
    assert result.written.written == () and result.written.removed == ()
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == times


def test_two_builds_give_byte_identical_pages(small_corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-docs"
    other.mkdir()
    pipeline.build(small_corpus, SITE)
    pipeline.build(small_corpus, SITE, docs=other)
    assert snapshot(small_corpus / "docs") == snapshot(other)


def test_a_removed_quote_takes_its_pages_with_it_and_nothing_else(small_corpus: Path) -> None:
    pipeline.build(small_corpus, SITE)
    docs = small_corpus / "docs"
    (docs / "notes.md").write_text("mine\n")
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    part.unlink()
    (small_corpus / PERMALINKS_FILE).unlink()  # published, its quote could not go (test_permalinks.py)
    (small_corpus / "data" / "sources.yaml").write_text(
        "sources:\n  - id: blog\n    title: Blog\n    kind: blog\n  - id: podcast\n    title: P\n    kind: podcast\n"
    )
    result = pipeline.build(small_corpus, SITE)
    assert "parts/second-part.md" in result.written.removed
    assert "cards/third-quote.png" not in result.cards
    assert not (docs / "parts" / "second-part.md").exists()
    assert (docs / "notes.md").read_text() == "mine\n"


def test_a_hand_written_file_where_a_page_goes_is_an_error_naming_both(small_corpus: Path) -> None:
    docs = small_corpus / "docs"
    (docs / "parts").mkdir()
    (docs / "parts" / "first-part.md").write_text("# my own page\n")
    before = snapshot(docs)
    with pytest.raises(CorpusError) as caught:
        pipeline.build(small_corpus, SITE)
    assert str(caught.value.problems[0]) == (
        "docs/parts/first-part.md:1:1: error: this hand-written file stands where the generator writes "
        "a page (parts/first-part.md) — move or rename the hand-written file; generated pages are not committed"
    )
    assert snapshot(docs) == before  # not even the pages that would not clash were written


def test_an_interrupted_write_leaves_each_file_old_or_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write({"a.md": "old a\n", "b.md": "old b\n"}, docs)
    real_replace = os.replace
    calls = 0

    def crash_on_second(src: str, dst: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt  # the build is stopped mid-way
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        write({"a.md": "new a\n", "b.md": "new b\n"}, docs)
    monkeypatch.undo()
    assert (docs / "a.md").read_text() == "new a\n"
    assert (docs / "b.md").read_text() == "old b\n"
    assert sorted(p.name for p in docs.iterdir()) == [MANIFEST, "a.md", "b.md"]  # no temporary file left


def test_a_corpus_error_leaves_docs_and_a_built_site_untouched(tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_CORPUS

    root = site_root(tmp_path, FIXTURE_CORPUS / "data")
    out = tmp_path / "site"
    assert build(root, out).returncode == 0
    site_before, docs_before = snapshot(out), snapshot(root / "docs")
    part = root / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text().replace("source: blog", "source: blgo"))

    result = build(root, out)

    assert result.returncode == 1
    assert (
        "data/parts/02-second-part.yaml:8:13: error: quote 'third-quote' names source 'blgo'"
        in result.stdout + result.stderr
    )
    assert snapshot(out) == site_before
    assert snapshot(root / "docs") == docs_before
    status, report = run(root, "check")
    assert status == 1 and "did you mean 'blog'?" in report
