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
from typing import Any

import pytest

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


def kinds_of_address(root: Path) -> dict[str, list[str]]:
    """The addresses data/permalinks.txt lists, by what each leads to now: a quote by its id
    where it is, a quote by an alias (renamed), or a quote in another part (moved)."""
    collection, _ = pipeline.check(root)
    names = {q.id: q for q in collection.quotes()} | {a: q for q in collection.quotes() for a in q.aliases}
    kinds: dict[str, list[str]] = {"id": [], "alias": [], "moved": []}
    for link in listed(root):
        quote = names.get(link.name)
        assert quote is not None, f"{link.address}: no quote has this id or alias any more"
        kind = "alias" if link.name != quote.id else "moved" if link.part not in (None, quote.part_id) else "id"
        kinds[kind].append(link.address)
    return kinds


def check_listed_addresses(root: Path, site: Path) -> dict[str, list[str]]:
    """Every listed address has its page in the built site: the quote's, a redirect to it, or a
    part page whose script sends a moved quote's readers on (followed in a browser below)."""
    collection, _ = pipeline.check(root)
    url = pipeline.site_of(ROOT)  # both sites are built with the project's mkdocs.yml
    names = {q.id: q for q in collection.quotes()} | {a: q for q in collection.quotes() for a in q.aliases}
    for link in listed(root):
        address, quote = link.address, names[link.name]
        if m := re.fullmatch(r"/quotes/([a-z0-9-]+)/", address):
            page = (site / "quotes" / m[1] / "index.html").read_text("utf-8")
            if m[1] == quote.id:
                assert '<p class="nn-text">' in page, address
                assert f'"url":"{url.quote_url(quote.id)}"' in page, address
            else:  # an alias page redirects to the quote's page
                assert f'url=../{quote.id}/"' in page, address
        elif m := re.fullmatch(r"/parts/([a-z0-9-]+)/#([a-z0-9-]+)", address):
            part_id, name = m[1], m[2]
            part_page = (site / "parts" / part_id / "index.html").read_text("utf-8")
            if quote.part_id == part_id:
                assert f'id="{name}"' in part_page, address
            else:
                assert f'id="{name}"' not in part_page, address  # so the part page's script takes the reader on
                assert (site / "quotes" / quote.id / "index.html").is_file(), address
        else:
            raise AssertionError(f"{address}: not a quote address")
    return kinds_of_address(root)


def test_every_listed_address_resolves_to_its_quote_in_the_built_site(built_site: Path) -> None:
    kinds = check_listed_addresses(ROOT, built_site)
    assert len(kinds["id"]) >= 150


def test_a_renamed_and_a_moved_quotes_old_addresses_resolve_in_the_small_site(small_site: Path) -> None:
    kinds = check_listed_addresses(FIXTURE_CORPUS, small_site)
    assert kinds["alias"] == ["/quotes/old-second-quote/", "/parts/first-part/#old-second-quote"]
    assert kinds["moved"] == ["/parts/first-part/#third-quote"]


@pytest.mark.browser
def test_every_listed_address_lands_a_reader_on_its_quote(page: Any, small_site_url: str) -> None:
    """Followed as a reader follows a link: by its id, by an alias, or into the part it left."""
    collection, _ = pipeline.check(FIXTURE_CORPUS)
    names = {q.id: q for q in collection.quotes()} | {a: q for q in collection.quotes() for a in q.aliases}
    kinds = kinds_of_address(FIXTURE_CORPUS)
    assert kinds["alias"] and kinds["moved"], "the small corpus must rename and move a quote"
    for kind, addresses in kinds.items():
        for address in addresses:
            quote = names[address.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]]
            page.goto("about:blank")
            page.goto(small_site_url + address.lstrip("/"), wait_until="load")
            on_its_page = f"{small_site_url}quotes/{quote.id}/"
            if address.startswith("/quotes/") or kind == "moved":
                page.wait_for_url(on_its_page)
                assert page.inner_text("h1").startswith(f"On {quote.topic}"), address
            else:  # on its part page, scrolled to it
                assert page.url.split("#")[0] == f"{small_site_url}parts/{quote.part_id}/", address
                target = page.evaluate(
                    "() => document.querySelector(':target')?.closest('.nn-quote')?.querySelector('h2')?.id"
                )
                assert target == quote.id, (kind, address, target)
