"""Links never break: every address ever published still leads to its quote.

`data/permalinks.txt` lists every published quote address; `make check` refuses a corpus in
which one no longer names a quote (tests/mistakes/renamed-*.case). A quote added to the
corpus must be added to the list (`make permalinks` appends it); a line removed from the
list shows up in review as a deliberate act.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

from generator import pipeline
from generator.cli import main
from generator.permalinks import PERMALINKS_FILE, listed, record, unrecorded
from tests.conftest import FIXTURE_CORPUS, ROOT
from tests.serving import build, site_root


def test_every_current_address_is_listed(update_golden: bool) -> None:
    collection, _ = pipeline.check(ROOT)
    if update_golden:
        record(ROOT, collection)
    missing = unrecorded(collection, listed(ROOT))
    assert not missing, f"new addresses; record them with `make permalinks`: {missing[:5]}"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--root", str(root), *args])
    return status, out.getvalue(), err.getvalue()


NEW_QUOTE = '\n  - id: fourth-quote\n    topic: Fourth Quote\n    text: "The fourth."\n    source: blog\n'


def test_make_permalinks_appends_the_new_quotes_addresses_and_keeps_every_line_before_them(
    small_corpus: Path,
) -> None:
    path = small_corpus / PERMALINKS_FILE
    before = path.read_bytes()
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8") + NEW_QUOTE, "utf-8")

    assert run(small_corpus, "permalinks") == (
        0,
        f"Recorded 2 new addresses in {PERMALINKS_FILE}:\n"
        "  /quotes/fourth-quote/\n  /parts/second-part/#fourth-quote\n",
        "",
    )
    assert path.read_bytes() == before + b"/quotes/fourth-quote/\n/parts/second-part/#fourth-quote\n"
    assert run(small_corpus, "permalinks") == (0, f"{PERMALINKS_FILE} already lists every quote address.\n", "")
    assert path.read_bytes().count(b"fourth-quote") == 2


def test_make_permalinks_starts_the_list_of_a_collection_that_has_none(small_corpus: Path) -> None:
    (small_corpus / PERMALINKS_FILE).unlink()
    assert run(small_corpus, "permalinks")[0] == 0
    text = (small_corpus / PERMALINKS_FILE).read_text("utf-8")
    assert text.startswith("# Every quote address the site has published")
    assert [ln for ln in text.splitlines() if not ln.startswith("#")] == [
        "/quotes/first-quote/",
        "/parts/first-part/#first-quote",
        "/quotes/second-quote/",
        "/parts/first-part/#second-quote",
        "/quotes/third-quote/",
        "/parts/second-part/#third-quote",
    ]


def test_make_permalinks_records_nothing_while_a_published_address_is_lost(small_corpus: Path) -> None:
    path = small_corpus / PERMALINKS_FILE
    before = path.read_bytes()
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8").replace("id: third-quote", "id: third-quote-renamed"), "utf-8")
    status, _, err = run(small_corpus, "permalinks")
    assert status == 1
    assert "quote 'third-quote' was published at /quotes/third-quote/ — add `aliases: [third-quote]`" in err
    assert path.read_bytes() == before


def test_mkdocs_build_refuses_a_corpus_that_lost_a_published_address(tmp_path: Path) -> None:
    root = site_root(tmp_path, FIXTURE_CORPUS / "data")
    part = root / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text("utf-8").replace("id: third-quote", "id: third-quote-renamed"), "utf-8")
    result = build(root, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "data/parts/02-second-part.yaml:5:9: error: quote 'third-quote' was published at /quotes/third-quote/ — "
        "add `aliases: [third-quote]` to the quote that replaces it (did you mean 'third-quote-renamed'?)\n"
        "Aborted: 1 error; nothing was written."
    ) in result.stdout + result.stderr  # MkDocs prints an Abort on stdout
    assert not (tmp_path / "site").exists()
    assert not (root / "docs" / "quotes.json").exists()


def test_contributings_renaming_example_is_what_make_check_says(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    part = tmp_path / "data" / "parts" / "03-emergent-world-representations.yaml"
    part.write_text(part.read_text("utf-8").replace("- id: othello-gpt\n", "- id: othello-gpt-world-model\n"), "utf-8")
    status, _, err = run(tmp_path, "check")
    assert status == 1
    problem, last = err.splitlines()
    assert last == "Aborted: 1 error."
    assert f"```\n{problem}\n```" in (ROOT / "CONTRIBUTING.md").read_text("utf-8")


def test_every_listed_address_resolves_to_its_quote_in_the_built_site(built_site: Path) -> None:
    collection, _ = pipeline.check(ROOT)
    site = pipeline.site_of(ROOT)
    names = {q.id: q for q in collection.quotes()} | {a: q for q in collection.quotes() for a in q.aliases}
    for link in listed(ROOT):
        address = link.address
        if m := re.fullmatch(r"/quotes/([a-z0-9-]+)/", address):
            quote = names.get(m[1])
            assert quote is not None, f"{address}: no quote has this id or alias any more"
            page = (built_site / "quotes" / m[1] / "index.html").read_text("utf-8")
            if m[1] == quote.id:
                assert '<p class="nn-text">' in page, address
                assert f'"url":"{site.quote_url(quote.id)}"' in page, address
            else:  # an alias page redirects to the quote's page
                assert f'url=../{quote.id}/"' in page, address
        elif m := re.fullmatch(r"/parts/([a-z0-9-]+)/#([a-z0-9-]+)", address):
            part_id, name = m[1], m[2]
            quote = names.get(name)
            assert quote is not None, f"{address}: no quote has this id or alias any more"
            part_page = built_site / "parts" / part_id / "index.html"
            if quote.part_id == part_id:
                assert f'id="{name}"' in part_page.read_text("utf-8"), address
            else:
                # Moved to another part: the part page's script sends the reader to the
                # quote's own page (checked in a browser by test_browser.py). The quote page must exist.
                assert (built_site / "quotes" / quote.id / "index.html").is_file(), address
        else:
            raise AssertionError(f"{address}: not a quote address")
