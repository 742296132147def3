"""MkDocs hook: `mkdocs build` and `mkdocs serve` run the generator themselves.

Listed under `hooks:` in mkdocs.yml. It regenerates the pages before MkDocs reads docs/,
gives MkDocs the navigation (parts and sources, never the quote pages), and has
`mkdocs serve` watch data/ and the templates.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

# MkDocs imports a hook by its file path, not as part of a package, so the repository
# must be on sys.path for `generator` to import without installing the project.
ROOT = Path(__file__).resolve().parent.parent


def _make_importable() -> None:
    # MkDocs restores sys.path right after importing a hook, and the processes that draw
    # preview cards are started from sys.path as it is then: so this runs again later.
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))


_make_importable()

from mkdocs.exceptions import Abort  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.load import COLLECTION_FILE, SOURCES_FILE  # noqa: E402
from generator.model import Collection, Site  # noqa: E402
from generator.problems import CorpusError  # noqa: E402
from generator.render import TEMPLATES, nav, part_path, source_path  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generator")


def on_config(config: Any) -> Any:
    _make_importable()
    root = Path(config.config_file_path).resolve().parent
    try:
        site = Site(config.site_url or "http://127.0.0.1:8000/", config.site_name)
        result = pipeline.build(
            root, site, strict=bool(config.strict), docs=Path(config.docs_dir), progress=pipeline.terminal_progress()
        )
    except CorpusError as e:
        # Abort, not PluginError: the message is the whole report, and a traceback would bury it.
        raise Abort(f"The corpus has problems:\n{e}") from None
    for warning in result.warnings:
        log.warning(str(warning))
    if result.written.written or result.written.removed:
        log.info(
            "generator: wrote %d files (%d cards drawn), removed %d",
            len(result.written.written),
            result.cards_drawn,
            len(result.written.removed),
        )
    config.nav = nav(result.collection)
    global _SOURCES_OF_PAGES
    _SOURCES_OF_PAGES = data_files(result.collection)
    return config


# Which data file each generated page is made from, for its "edit this page" link.
_SOURCES_OF_PAGES: dict[str, str | None] = {}


def data_files(collection: Collection) -> dict[str, str | None]:
    files: dict[str, str | None] = {"index.md": COLLECTION_FILE, "about.md": COLLECTION_FILE}
    for part in collection.parts:
        files[part_path(part)] = part.file
        files.update({f"quotes/{q.id}.md": q.file for q in part.quotes})
    files.update({source_path(s): SOURCES_FILE for s in collection.sources})
    files["sources/index.md"] = SOURCES_FILE
    files.update({f"tags/{tag}.md": None for tag in collection.tags()})  # made from every part file
    files["tags/index.md"] = None
    return files


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """A generated page's "edit" link opens the YAML it comes from, not the generated Markdown."""
    src = page.file.src_uri
    if src in _SOURCES_OF_PAGES and config.repo_url and config.edit_uri:
        data_file = _SOURCES_OF_PAGES[src]
        # edit_uri points into docs/ ("edit/main/docs/"); the data lives beside docs/.
        base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/").removesuffix("/docs").removesuffix("docs")
        page.edit_url = f"{base.rstrip('/')}/{data_file}" if data_file else None
    return context


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = Path(config.config_file_path).resolve().parent
    server.watch(str(root / "data"))
    server.watch(str(TEMPLATES))
    return server


def on_post_build(config: Any) -> None:
    demote_part_pages_in_search(Path(config.site_dir) / "search" / "search_index.json")


# Material's search groups hits by page and shows only the hits that score as high as the
# best one, folding the rest under "N more on this page". A part page's own entry gets a
# fixed boost over its sections, so a query that matches a part's title ("grokking") would
# fold away every quote of that part. Demoting the page entries lets the best quote lead.
PAGE_ENTRY_BOOST = 0.05


def demote_part_pages_in_search(index_path: Path) -> None:
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text("utf-8"))
    for doc in index["docs"]:
        if doc["location"].startswith("parts/") and "#" not in doc["location"]:
            doc["boost"] = PAGE_ENTRY_BOOST
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
