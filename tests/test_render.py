"""Rendered pages of the small corpus, compared with committed golden files.

Refresh with `pytest tests/test_render.py --update-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.lean import render_lean_pages
from generator.model import Site
from generator.render import nav, render_site
from generator.templating import text
from tests.conftest import FIXTURE_CORPUS

GOLDEN = Path(__file__).parent / "golden"
COLLECTION, _ = pipeline.check(FIXTURE_CORPUS)
SITE = Site("https://example.org/lessons/", "Test Site", "https://github.com/example/lessons")
SITE_PAGES = render_site(COLLECTION, SITE)
PAGES = dict(SITE_PAGES)
# What each quote, source and tag page is made of (skeleton.py puts it into Material's page).
PAGES.update(
    {
        p.path.removesuffix("/index.html") + ".html": (
            f"<!-- {p.title} | {p.anchor} | {p.edit_path} -->\n{p.head}{p.body}<!-- table of contents -->\n{p.toc}"
        )
        for p in render_lean_pages(COLLECTION, SITE)
    }
)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_matches_golden(path: str, update_golden: bool) -> None:
    golden = GOLDEN / path
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[path], "utf-8")
    assert golden.read_text("utf-8") == PAGES[path]


def test_no_golden_file_is_left_over() -> None:
    goldens = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert goldens == set(PAGES)


def test_rendering_twice_gives_the_same_bytes() -> None:
    again = pipeline.check(FIXTURE_CORPUS)[0]
    assert render_site(again, SITE) == SITE_PAGES
    assert list(render_lean_pages(again, SITE)) == list(render_lean_pages(COLLECTION, SITE))


def test_nav_lists_the_parts_and_index_pages_but_no_quote_source_or_tag_page() -> None:
    # Every page repeats the navigation: it must not grow with quotes, sources or tags.
    assert nav(COLLECTION) == [
        {"Home": "index.md"},
        {"Parts": [{"First Part": "parts/first-part.md"}, {"Second Part": "parts/second-part.md"}]},
        {"Sources": "sources/index.md"},
        {"Tags": "tags/index.md"},
        {"About": "about.md"},
        {"The data": "data.md"},
    ]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain words, and stops.", "plain words, and stops."),
        ("<b>", "&#60;b&#62;"),
        ("a*b_c", "a&#42;b&#95;c"),
        ("é — ü", "é — ü"),
        ("line\nbreak", "line&#10;break"),
    ],
)
def test_text_filter_makes_markup_inert(raw: str, escaped: str) -> None:
    assert text(raw) == escaped


def test_a_redirect_page_writes_its_addresses_plainly_as_every_page_does() -> None:
    page = SITE_PAGES["quotes/old-second-quote/index.html"]
    assert '<link rel="canonical" href="https://example.org/lessons/quotes/second-quote/">' in page
    assert "&#58;" not in page and "&#47;" not in page


def test_a_corpus_written_to_the_contract_builds(tmp_path: Path) -> None:
    """collection.yaml with only title, person and description (design.md): the rest has defaults."""
    import shutil

    from generator.load import load
    from generator.validate import validate

    shutil.copytree(FIXTURE_CORPUS / "data", tmp_path / "data")
    (tmp_path / "data" / "collection.yaml").write_text(
        "title: Lessons\nperson: Ada Example\ndescription: What she said, and how well it is checked.\n", "utf-8"
    )
    collection, problems = validate(load(tmp_path), strict=True)
    assert collection is not None, problems
    assert collection.intro == collection.description
    assert (collection.origin_title, collection.origin_url) == (None, None)
    home = render_site(collection, SITE)["index.md"]
    assert "What she said, and how well it is checked." in home.split("\n---\n", 1)[1]
