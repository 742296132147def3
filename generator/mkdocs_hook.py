"""MkDocs hook: `mkdocs build` and `mkdocs serve` run the generator themselves.

Listed under `hooks:` in mkdocs.yml. It regenerates the pages before MkDocs reads docs/,
gives MkDocs the navigation (parts and sources, never the quote pages), and has
`mkdocs serve` watch data/ and the templates.
"""

from __future__ import annotations

import json
import logging
import shutil
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

from generator import csp, pipeline, skeleton  # noqa: E402
from generator.html_fixes import valid_material_markup  # noqa: E402
from generator.lean import render_lean_pages  # noqa: E402
from generator.load import COLLECTION_FILE, SOURCES_FILE  # noqa: E402
from generator.model import Collection, Site  # noqa: E402
from generator.problems import CorpusError, Problem  # noqa: E402
from generator.render import nav, part_path, render_problems  # noqa: E402
from generator.templating import TEMPLATES  # noqa: E402
from generator.write import read_manifest  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generator")

# `mkdocs serve` or a build: a broken corpus stops a build, but a preview shows what is wrong.
_SERVING = False
# The problems of the corpus when `mkdocs serve` last built it, else None.
_PROBLEMS: tuple[Problem, ...] | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _SERVING
    _SERVING = command == "serve"


def on_config(config: Any) -> Any:
    global _PROBLEMS, _PREVIEW_PAGES
    _make_importable()
    root = Path(config.config_file_path).resolve().parent
    _PROBLEMS = None
    _PREVIEW_PAGES = None
    try:
        site = Site(config.site_url or "http://127.0.0.1:8000/", config.site_name, config.repo_url or None)
        # The preview keeps its pages in memory: they carry its own address (MkDocs makes the
        # dev address the site_url), and a build beside it reads docs/ (see on_files).
        result = pipeline.build(
            root,
            site,
            strict=bool(config.strict),
            docs=Path(config.docs_dir),
            progress=pipeline.terminal_progress(),
            in_memory=_SERVING,
        )
    except CorpusError as e:
        if not _SERVING:
            # Abort, not PluginError: the message is the whole report, and a traceback would bury it.
            raise Abort(f"The corpus has problems:\n{e}") from None
        # A failed rebuild leaves `mkdocs serve` waiting for a good one, and every request with
        # it: the open tab would hang with no word of why. So the preview builds a site of one
        # page that lists the problems, and reloads into the real site once they are fixed.
        # Printed, not logged: MkDocs' strict mode would count a logged error and fail the
        # very build that shows it.
        print(f"The corpus has problems; the preview shows them:\n{e}", file=sys.stderr, flush=True)
        _PROBLEMS = e.problems
        config.nav = []
        return config
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
    _PREVIEW_PAGES = result.pages
    global _SOURCES_OF_PAGES, _BUILT, _CARDS, _EPUB
    _SOURCES_OF_PAGES = data_files(result.collection)
    _BUILT = (result.collection, site)
    _CARDS = result.cards
    _EPUB = result.epub
    return config


# Which data file each generated page is made from, for its "edit this page" link.
_SOURCES_OF_PAGES: dict[str, str | None] = {}
# The collection on_config built, for the quote, source and tag pages on_post_build makes.
_BUILT: tuple[Collection, Site] | None = None
# The preview cards, "cards/<id>.png" -> the file in the card cache.
_CARDS: dict[str, Path] = {}
# The EPUB, "<title>.epub" -> the file in the EPUB cache.
_EPUB: tuple[str, Path] | None = None
# Under `mkdocs serve`: the generated pages, by their path under docs/, never written there.
_PREVIEW_PAGES: dict[str, str | bytes] | None = None


def on_files(files: Any, config: Any) -> Any:
    """MkDocs renders the two skeleton pages, handed to it in memory (see skeleton.py), and
    copies the preview cards and the EPUB straight from their caches. The preview's generated
    pages are handed to it in memory too."""
    from mkdocs.structure.files import File

    if _PROBLEMS is not None:
        # Only the theme's assets stay: every address gets the page of problems (on_post_build).
        for file in [f for f in files if f.is_documentation_page()]:
            files.remove(file)
        return files
    if _PREVIEW_PAGES is not None:
        # What a build wrote into docs/ is the build's, at the published address, and may be
        # older than the corpus: the preview shows its own pages in their place.
        theirs = read_manifest(Path(config.docs_dir)) | _PREVIEW_PAGES.keys()
        for file in [f for f in files if f.src_uri in theirs]:
            files.remove(file)
        for src, content in _PREVIEW_PAGES.items():
            files.append(File.generated(config, src, content=content))
    for src in skeleton.SKELETONS.values():
        files.append(File.generated(config, src, content=skeleton.SKELETON_MARKDOWN))
    for src, path in _CARDS.items():
        files.append(File.generated(config, src, abs_src_path=str(path)))
    if _EPUB is not None:
        files.append(File.generated(config, _EPUB[0], abs_src_path=str(_EPUB[1])))
    return files


def data_files(collection: Collection) -> dict[str, str | None]:
    files: dict[str, str | None] = {"index.md": COLLECTION_FILE, "about.md": COLLECTION_FILE}
    for part in collection.parts:
        files[part_path(part)] = part.file
    files["sources/index.md"] = SOURCES_FILE
    files["tags/index.md"] = None  # made from every part file
    return files


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """A generated page's "edit" link opens the YAML it comes from, not the generated Markdown."""
    src = page.file.src_uri
    base = _edit_base(config)
    if src in skeleton.SKELETONS.values():
        page.edit_url = "nnslotedit" if base and src == skeleton.SKELETONS[True] else None
    elif src in _SOURCES_OF_PAGES and base:
        data_file = _SOURCES_OF_PAGES[src]
        page.edit_url = f"{base}{data_file}" if data_file else None
    return context


def _edit_base(config: Any) -> str | None:
    """The address that a path in the repository is appended to, to edit that file; None
    when there are no edit links (no repository, or Material's edit feature off, without
    which the skeleton has no edit slot)."""
    features = config.theme.get("features") or []
    if not (config.repo_url and config.edit_uri and "content.action.edit" in features):
        return None
    # edit_uri points into docs/ ("edit/main/docs/"); the data lives beside docs/.
    base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/").removesuffix("/docs").removesuffix("docs")
    return str(base).rstrip("/") + "/"


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Material's header toggles in valid HTML (generator/html_fixes.py); the lean pages are
    made from a page that passed through here, so they are too. Then the page's policy, last,
    from its final bytes: a skeleton gets its own only once it is filled (write_lean_pages)."""
    html = valid_material_markup(output)
    if page.file.src_uri in skeleton.SKELETONS.values():
        return html
    # The page's content is where the corpus's text lands: its scripts, were there any, are
    # not the site's, and the policy does not allow them.
    content = page.content or ""
    if content not in html:
        raise Abort(f"{page.file.src_uri}: the page's content is not in its HTML as rendered; cannot tell its scripts")
    return _with_policy(html, own=html.replace(content, "", 1) if content else html)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    # 404.html comes from a template, not a page; sitemap.xml is not HTML.
    if not template_name.endswith(".html"):
        return output_content
    return _with_policy(valid_material_markup(output_content))


def _with_policy(html: str, own: str | None = None) -> str:
    """A built page with its Content-Security-Policy (generator/csp.py), allowing the scripts
    of `own`, the part the site wrote; a page `mkdocs serve` shows has none, since MkDocs adds
    an inline script to it that changes with every request."""
    return html if _SERVING else csp.with_policy(html, own)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = Path(config.config_file_path).resolve().parent
    server.watch(str(root / "data"))
    server.watch(str(TEMPLATES))
    return server


def on_post_build(config: Any) -> None:
    site_dir = Path(config.site_dir)
    if _PROBLEMS is not None:
        # index.html for the home page; MkDocs' server answers every other address with 404.html.
        page = render_problems(_PROBLEMS)
        for name in ("index.html", "404.html"):
            (site_dir / name).write_text(page, "utf-8")
        return
    demote_part_pages_in_search(site_dir / "search" / "search_index.json")
    if _BUILT is not None:
        with pipeline.without_gc_pauses():
            write_lean_pages(config, *_BUILT)


def write_lean_pages(config: Any, collection: Collection, site: Site) -> None:
    """Fill the skeletons MkDocs rendered with every quote, source and tag, then remove them."""
    site_dir = Path(config.site_dir)
    edit_base = _edit_base(config)
    frames: dict[bool, skeleton.Skeleton] = {}
    symbols: dict[str, str] = {}
    try:
        for with_edit, src in skeleton.SKELETONS.items():
            path = skeleton.skeleton_html(src)
            html, used = skeleton.spritify((site_dir / path).read_text("utf-8"), "../" * path.count("/"))
            symbols.update(used)
            frames[with_edit] = skeleton.Skeleton.parse(html, edit=with_edit and edit_base is not None)
    except skeleton.SkeletonError as e:
        raise Abort(f"Cannot make the quote, source and tag pages: {e}") from None
    (site_dir / skeleton.SPRITE).write_text(skeleton.sprite(symbols), "utf-8")
    # The pages' policy, from the skeletons alone (their scripts are the same, with or without
    # an edit link): the slots the corpus fills allow no script. Once, not per page.
    policy = csp.meta(csp.policy("".join(frame.literal() for frame in frames.values())))
    for src in skeleton.SKELETONS.values():
        shutil.rmtree((site_dir / skeleton.skeleton_html(src)).parent)
    pages = list(render_lean_pages(collection, site))
    progress = pipeline.terminal_progress()
    for done, (path, html) in enumerate(skeleton.lean_pages(pages, frames, edit_base), 1):
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html if _SERVING else csp.with_meta(html, policy), "utf-8")
        if progress and (done % 500 == 0 or done == len(pages)):
            progress("quote, source and tag pages", done, len(pages))
    sitemap = site_dir / "sitemap.xml"
    # Without a site_url, MkDocs' sitemap lists no addresses at all: nothing to put them beside.
    if sitemap.is_file() and config.site_url:
        skeleton_urls = [
            site.url + skeleton.skeleton_html(src).removesuffix("index.html") for src in skeleton.SKELETONS.values()
        ]
        urls = [site.url + p.path.removesuffix("index.html") for p in pages]
        try:
            xml = skeleton.sitemap(sitemap.read_text("utf-8"), skeleton_urls, urls)
        except skeleton.SkeletonError as e:
            raise Abort(f"Cannot list the quote, source and tag pages in sitemap.xml: {e}") from None
        sitemap.write_text(xml, "utf-8")
        (site_dir / "sitemap.xml.gz").write_bytes(skeleton.gzipped(xml))


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
