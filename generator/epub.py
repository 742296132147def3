"""The whole collection as an EPUB 3 for e-readers, `/<the title as a slug>.epub`.

render (XHTML from `templates/epub/`: a cover page, a first chapter on what the statuses mean,
one chapter per part) → package (ebooklib: metadata, manifest, spine, nav and NCX, cover) → zip
(fixed order and times) → cache (`.cache/epub/<key>.epub`, kept by everything that makes it;
MkDocs copies it into the site from there, as it does the preview cards).

A book travels further from the site than any page, so it carries what the site does: each
quote "attributed to" the person unless verbatim, its status, note and record, and its
permanent address; its metadata names the collection as the book's compiler and the person as
the one the texts are attributed to, never as their author.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote as percent_encoded
from urllib.parse import urlsplit

# ebooklib ships no type information: its objects are unchecked (the ignore holds whether or
# not mypy's overrides name the package).
import ebooklib  # type: ignore[import-untyped,unused-ignore]
import jinja2
import PIL
from ebooklib import epub  # type: ignore[import-untyped,unused-ignore]

from generator import cards, cover, model, provenance
from generator.cards import place as card_place
from generator.cards import text as card_text
from generator.cover import CoverSpec, draw_cover
from generator.model import STATUSES, Check, Collection, Part, Quote, Site, Status
from generator.provenance import (
    VERDICTS,
    WARNED,
    archived_url,
    capital,
    check_line,
    context_url,
    credit,
    day,
    moved_url,
)
from generator.write import atomic_write

EPUB_VERSION = "1"
"""Bump when the book changes for a reason its key cannot see (a library behaving otherwise
under the same version), so every cached book is rebuilt."""

EPUB_CACHE = ".cache/epub"
"""Under the repository root."""

KEEP = 4
"""Books kept in the cache: the current one and the few before it (`mkdocs serve` makes one
per edit; at 10,000 quotes each is megabytes)."""

QUOTES_PER_FILE = 250
"""A part longer than this is split over several files (one chapter still): e-readers slow
down on content documents of more than a few hundred kilobytes."""

TEMPLATES = Path(__file__).parent / "templates" / "epub"
XHTML = "application/xhtml+xml"
COVER_IMAGE = "cover.png"
EARLIEST = (1980, 1, 1, 0, 0, 0)
"""A zip entry's time cannot be earlier (SOURCE_DATE_EPOCH may be)."""


@dataclass(frozen=True, slots=True)
class Book:
    """The EPUB made sure of: where it goes in the site, and its file in the cache."""

    path: str
    """Under the site, e.g. "lessons-from-neel-nanda.epub"."""
    file: Path
    built: bool
    """Built by this call rather than found in the cache."""


@dataclass(frozen=True, slots=True)
class Document:
    """One XHTML content document of the book."""

    uid: str
    """Its id in the package, an XML name."""
    name: str
    """Its file name in the package."""
    xhtml: str


def book_path(collection: Collection) -> str:
    """The book's file name: the collection's title as a slug, e.g. "lessons-from-neel-nanda.epub"."""
    ascii_title = unicodedata.normalize("NFKD", collection.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")
    return f"{slug or 'collection'}.epub"


# --- Render ------------------------------------------------------------------------------

# Characters a URL may hold as they are; everything else in an address is percent-encoded for
# the link (`<`, `"`, spaces of other scripts, a second `#`). The address a reader sees is the
# corpus's own text.
_PATH_SAFE = "/!$&'()*+,;=:@-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


@functools.lru_cache(maxsize=1 << 16)
def href(url: str) -> str | None:
    """`url` as a valid link target, or None when its host is not one a link can name (the
    validator asks only for a scheme and something after it): then the address is printed
    without a link. Cached: the quotes of a source share its address."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if not _HOST.fullmatch(host):
        try:  # an internationalised domain name, as a link names it
            host = parts.netloc.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
        if not _HOST.fullmatch(host):
            return None

    def encoded(value: str, safe: str) -> str:
        return _LONE_PERCENT.sub("%25", percent_encoded(value, safe=safe))

    out = f"{parts.scheme}://{host}{encoded(parts.path, _PATH_SAFE)}"
    if "?" in url.partition("#")[0]:
        out += "?" + encoded(parts.query, _QUERY_SAFE)
    if "#" in url:
        out += "#" + encoded(parts.fragment, _QUERY_SAFE)
    return out


def _verdicts() -> dict[Status, tuple[str, str]]:
    """Each status as a quote shows it: ("Paraphrase", "not the exact words")."""
    out: dict[Status, tuple[str, str]] = {}
    for status, verdict in VERDICTS.items():
        word, _, meaning = verdict.partition(": ")
        out[status] = (capital(word), meaning)
    return out


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        # XHTML: every value printed is escaped for XML text and attributes alike.
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        statuses=STATUSES,
        verdicts=_verdicts(),
        capital=capital,
        credit=credit,
        context_url=context_url,
        href=href,
        warned=WARNED,
        check_line=check_line,
        moved_url=moved_url,
        archived_url=archived_url,
        day=day,
    )
    return env


_ENV = _environment()


def _render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def _files(part: Part) -> Iterator[tuple[str, tuple[Quote, ...]]]:
    """A part's file names and the quotes in each: one file unless the part is long."""
    for start in range(0, max(len(part.quotes), 1), QUOTES_PER_FILE):
        suffix = f"-{start // QUOTES_PER_FILE + 1}" if start else ""
        yield f"part-{part.id}{suffix}", part.quotes[start : start + QUOTES_PER_FILE]


def cover_spec(collection: Collection, site: Site) -> CoverSpec:
    return CoverSpec(collection.title, collection.person, tuple(collection.status_counts().items()), site.url)


def _cover_alt(spec: CoverSpec) -> str:
    counts = ", ".join(f"{n:,} {status}" for status, n in spec.counts)
    return f"Cover: {spec.title}. Quotes attributed to {spec.person}. {counts}. {spec.site}"


ABOUT_TITLE = "About this collection"


def render_documents(collection: Collection, site: Site, date: str) -> list[Document]:
    """The book's content documents in reading order: cover, the statuses, then the parts."""
    spec = cover_spec(collection, site)
    docs = [
        Document(
            "cover",
            "cover.xhtml",
            _render("cover.xhtml.j2", title=collection.title, image=COVER_IMAGE, alt=_cover_alt(spec)),
        ),
        Document(
            "about",
            "about.xhtml",
            _render(
                "about.xhtml.j2",
                title=ABOUT_TITLE,
                collection=collection,
                site=site,
                counts=collection.status_counts(),
                date=date[:10],
            ),
        ),
    ]
    for part in collection.parts:
        heading = f"Part {part.number}: {part.title}"
        for i, (uid, quotes) in enumerate(_files(part)):
            docs.append(
                Document(
                    uid,
                    f"{uid}.xhtml",
                    _render(
                        "part.xhtml.j2",
                        title=heading,
                        part=part,
                        quotes=quotes,
                        continued=i > 0,
                        person=collection.person,
                        quote_url=site.quote_url,
                        checks=collection.checks,
                    ),
                )
            )
    return docs


# --- Package -----------------------------------------------------------------------------


def _metadata(book: Any, collection: Collection, site: Site, date: str) -> None:
    book.set_identifier(site.url)
    book.set_title(collection.title)
    book.set_language("en")
    # Not the person as dc:creator: most texts are not his words, and a reading system would
    # shelve the book under his name as its author. The collection compiled it (MARC relator
    # "com"); the person is named as the one the texts are attributed to ("att", attributed
    # name: "a person to whom authorship has been dubiously or incorrectly ascribed").
    book.add_author(collection.title, role="com", uid="compiler")
    book.add_metadata("DC", "contributor", collection.person, {"id": "attributed"})
    book.add_metadata(None, "meta", "att", {"refines": "#attributed", "property": "role", "scheme": "marc:relators"})
    book.add_metadata("DC", "date", date)
    book.add_metadata("DC", "description", collection.description)
    # The site the book is an edition of; its address is also the book's identifier.
    book.add_metadata("DC", "source", site.url)
    book.add_metadata("DC", "publisher", site.name)
    # What a reader who cannot see learns before opening it (schema.org accessibility metadata).
    for prop, value in (
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "Text with headings for each part and quote and a table of contents; the cover's "
            "text is given as its alternative text.",
        ),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})


def _toc(collection: Collection) -> list[Any]:
    """The about chapter, then each part with its quotes under it."""
    file_of: dict[str, str] = {}
    for part in collection.parts:
        for name, quotes in _files(part):
            file_of.update({q.id: f"{name}.xhtml" for q in quotes})
    toc: list[Any] = [epub.Link("about.xhtml", ABOUT_TITLE, "about")]
    for part in collection.parts:
        first = f"{next(_files(part))[0]}.xhtml"
        entries = [epub.Link(f"{file_of[q.id]}#q-{q.id}", f"On {q.topic}", f"q-{q.id}") for q in part.quotes]
        toc.append((epub.Section(f"Part {part.number}: {part.title}", first), entries))
    return toc


def _package(collection: Collection, site: Site, date: str, documents: list[Document], image: bytes) -> bytes:
    book = epub.EpubBook()
    _metadata(book, collection, site, date)
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=_css()))
    book.set_cover(COVER_IMAGE, image, create_page=False)
    # Plain items, not EpubHtml: ebooklib would re-parse each document with lxml's HTML parser
    # and serialise it again, which costs seconds at 10,000 quotes and is one more parser
    # between the corpus and the page. These are complete XHTML documents already.
    items = [
        book.add_item(epub.EpubItem(uid=d.uid, file_name=d.name, media_type=XHTML, content=d.xhtml.encode("utf-8")))
        for d in documents
    ]
    book.add_item(epub.EpubNav(title="Contents"))
    book.add_item(epub.EpubNcx())
    book.toc = _toc(collection)
    book.spine = items
    book.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": "Cover"},
        {"type": "text", "href": "about.xhtml", "title": ABOUT_TITLE},
    ]
    out = BytesIO()
    modified = datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    options = {
        "mtime": modified,  # dcterms:modified: when the corpus changed, not now
        "epub3_pages": False,  # a page list would re-parse every document to find none
        "compresslevel": 0,  # compressed once, by _zipped
        "raise_exceptions": True,
    }
    epub.write_epub(out, book, options)
    return _zipped(out.getvalue(), modified)


@functools.cache
def _css() -> bytes:
    return (TEMPLATES / "style.css").read_bytes()


def _zipped(data: bytes, when: datetime) -> bytes:
    """The package again, the same bytes for the same content: zipfile stamps each entry
    with the time it is written, so every entry gets `when` instead; `mimetype` first and
    stored, as EPUB requires; the rest in ebooklib's order, which is the book's."""
    stamp = max((when.year, when.month, when.day, when.hour, when.minute, when.second), EARLIEST)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        if names[0] != "mimetype":
            raise ValueError(f"ebooklib wrote {names[0]!r} before the mimetype")
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # the same on every system (zipfile says 0 on Windows)
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name), compresslevel=None if stored else 9)
    return out.getvalue()


def render_epub(collection: Collection, site: Site, date: str) -> bytes:
    """The EPUB's bytes. Pure: the same collection, site and date give the same bytes (with the
    same libraries). `date` is when the corpus last changed (pipeline.corpus_date)."""
    documents = render_documents(collection, site, date)
    return _package(collection, site, date, documents, draw_cover(cover_spec(collection, site)))


# --- Cache -------------------------------------------------------------------------------


def _content(collection: Collection) -> list[Any]:
    """Everything the model says about the collection, but where in the data files it was
    written (a file or line moved is not a new book). tests/test_epub.py checks that no
    field of the model is left out."""
    return [
        [
            collection.title,
            collection.person,
            collection.description,
            collection.intro,
            collection.origin_title,
            collection.origin_url,
        ],
        [[s.id, s.title, s.kind, s.url, s.description] for s in collection.sources],
        [
            [
                p.id,
                p.number,
                p.title,
                [
                    [
                        q.id,
                        q.topic,
                        q.text,
                        q.source.id,
                        q.status,
                        q.note,
                        q.url,
                        q.tags,
                        q.aliases,
                        q.part_id,
                        [
                            [r.text, r.url, r.where, r.note, _check(collection.checks.passage(q.id, r))]
                            for r in q.record
                        ],
                    ]
                    for q in p.quotes
                ],
            ]
            for p in collection.parts
        ],
    ]


def _check(c: Check) -> list[Any]:
    """A passage's last check, as the book shows it."""
    snapshot = [c.snapshot.url, c.snapshot.date.isoformat()] if c.snapshot else None
    dates = [d.isoformat() if d else None for d in (c.checked, c.since, c.last_found)]
    return [c.result, *dates, c.moved_to, snapshot]


_CODE = (__file__, cover.__file__, provenance.__file__, model.__file__, card_place.__file__, card_text.__file__)
"""The modules whose code shapes the book; with the templates, their bytes are in the key, so
a change to any of them makes a new book without anyone remembering to bump EPUB_VERSION."""


@functools.cache
def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for path in (cards.REGULAR_FONT, cards.BOLD_FONT):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _code_digest() -> str:
    # Read each time: `mkdocs serve` rebuilds when a template changes.
    digest = hashlib.sha256()
    for path in [*map(Path, _CODE), *sorted(p for p in TEMPLATES.iterdir() if p.is_file())]:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def epub_key(collection: Collection, site: Site, date: str) -> str:
    """The book's cache key: changes with the corpus, the site, the date, the code and templates,
    the fonts, the libraries that write it, or EPUB_VERSION."""
    versions = [EPUB_VERSION, ".".join(map(str, ebooklib.VERSION)), version("lxml"), PIL.__version__]
    versions.append(zlib.ZLIB_RUNTIME_VERSION)  # another zlib may compress to other bytes
    # JSON escapes every non-ASCII character and quotes every field, so no two different
    # inputs share a payload.
    payload = json.dumps([versions, _code_digest(), _fonts_digest(), site.url, site.name, date, _content(collection)])
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _prune(cache_dir: Path, keep: Path) -> None:
    books = sorted(cache_dir.glob("*.epub"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in [b for b in books if b != keep][KEEP - 1 :]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()


def cached_epub(collection: Collection, site: Site, date: str, cache_dir: Path) -> Book:
    """The book, from `cache_dir/<epub_key>.epub` when there, else built and stored there."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{epub_key(collection, site, date)}.epub"
    built = not path.is_file()
    if built:
        atomic_write(path, render_epub(collection, site, date))
        _prune(cache_dir, path)
    return Book(book_path(collection), path, built)
