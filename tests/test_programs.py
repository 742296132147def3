"""What programs get: /quotes.json with its schema, an Atom feed, and schemas of the corpus."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import yaml

from generator import pipeline
from generator.schema import SCHEMA_DIR, corpus_schemas, dump
from tests.conftest import ROOT

COLLECTION, _ = pipeline.check(ROOT)
SITE = pipeline.site_of(ROOT)
ATOM = "{http://www.w3.org/2005/Atom}"


def test_quotes_json_holds_every_quote_and_matches_its_published_schema(built_site: Path) -> None:
    data = json.loads((built_site / "quotes.json").read_text("utf-8"))
    schema = json.loads((built_site / "quotes.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [q["id"] for q in data["quotes"]] == [q.id for q in COLLECTION.quotes()]
    first = data["quotes"][0]
    assert first["url"] == SITE.quote_url("alien-neuroscience")
    assert first["part_url"] == f"{SITE.url}parts/understanding-mechanistic-interpretability/#alien-neuroscience"
    assert first["source"] == {
        "id": "80000-hours-podcast",
        "title": "80,000 Hours Podcast",
        "kind": "podcast",
        "url": "https://80000hours.org/podcast/episodes/neel-nanda-mechanistic-interpretability/",
    }


def test_feed_is_atom_with_an_entry_per_quote_identified_by_its_permanent_address(built_site: Path) -> None:
    feed = ET.parse(built_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert ids == [SITE.quote_url(q.id) for q in COLLECTION.quotes()]
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}summary") is not None


def test_every_page_points_feed_readers_at_the_feed(built_site: Path) -> None:
    html = (built_site / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml"' in html and 'href="feed.xml"' in html


def test_committed_corpus_schemas_match_the_validator_rules() -> None:
    for name, schema in corpus_schemas().items():
        committed = (ROOT / SCHEMA_DIR / name).read_text("utf-8")
        assert committed == dump(schema), f"{SCHEMA_DIR}/{name} is stale: run `python -m generator schema`"


def test_the_real_corpus_is_valid_under_its_schemas_and_each_file_names_its_schema() -> None:
    schemas = corpus_schemas()
    files = [("collection.yaml", "collection"), ("sources.yaml", "sources")]
    files += [(f"parts/{p.name}", "part") for p in sorted((ROOT / "data" / "parts").glob("*.yaml"))]
    for rel, kind in files:
        path = ROOT / "data" / rel
        first_line = path.read_text("utf-8").splitlines()[0]
        depth = "../" * rel.count("/")
        assert first_line == f"# yaml-language-server: $schema=../{depth}docs/schema/{kind}.schema.json", rel
        jsonschema.validate(yaml.safe_load(path.read_text("utf-8")), schemas[f"{kind}.schema.json"])


def test_corpus_schemas_reject_what_the_validator_rejects() -> None:
    part = corpus_schemas()["part.schema.json"]
    quote = {"id": "q", "topic": "T", "text": "x", "source": "s"}
    good = {"id": "p", "number": 1, "title": "T", "quotes": [quote]}
    jsonschema.validate(good, part)
    for broken in (
        {**good, "number": "1"},
        {**good, "quotes": []},
        {**good, "quotes": [{**quote, "soruce": "s"}]},
        {**good, "quotes": [{**quote, "id": "Not A Slug"}]},
        {**good, "quotes": [{**quote, "status": "verified"}]},
        {**good, "quotes": [{**quote, "url": "https://example.org/page\x1b[0m"}]},
        {**good, "quotes": [{**quote, "topic": "T\x07"}]},
        {**good, "quotes": [{**quote, "text": "x\ufdd0"}]},
    ):
        assert not jsonschema.Draft202012Validator(part).is_valid(broken), broken
