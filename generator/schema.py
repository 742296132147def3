"""JSON Schemas of the data files, made from the same field rules that `validate` applies.

Committed under docs/schema/ (published at /schema/) and named by each data file's first
line, so editors with a YAML language server check and complete the corpus as you type.
`python -m generator schema` rewrites them; a test fails when they drift from the rules.
"""

from __future__ import annotations

import json
from typing import Any

from generator.fields import (
    COLLECTION_FIELDS,
    PART_FIELDS,
    PASSAGE_FIELDS,
    QUOTE_FIELDS,
    SOURCE_FIELDS,
    SOURCES_FILE_FIELDS,
    Field,
)

SCHEMA_DIR = "docs/schema"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _object(fields: tuple[Field, ...], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {f.name: {**f.schema, "examples": [f.example]} for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def corpus_schemas() -> dict[str, dict[str, Any]]:
    quote = _object(QUOTE_FIELDS, "One quote. Its id is its address for ever; former ids go in aliases.")
    source = _object(SOURCE_FIELDS, "A source that quotes are attributed to.")
    return {
        "collection.schema.json": {
            "$schema": DRAFT,
            "title": "data/collection.yaml",
            **_object(COLLECTION_FIELDS, "The collection as a whole."),
        },
        "sources.schema.json": {
            "$schema": DRAFT,
            "title": "data/sources.yaml",
            **_object(SOURCES_FILE_FIELDS, "Every source once."),
            "$defs": {"source": source},
        },
        "part.schema.json": {
            "$schema": DRAFT,
            "title": "data/parts/NN-part-id.yaml",
            **_object(PART_FIELDS, "One part of the collection, its quotes in reading order."),
            "$defs": {
                "quote": quote,
                "passage": _object(
                    PASSAGE_FIELDS, "What he is on record as saying: his exact words and where to read them."
                ),
            },
        },
    }


def export_schema() -> dict[str, Any]:
    """The schema of /quotes.json (see render.render_json)."""
    text = {"type": "string"}
    maybe_text = {"type": ["string", "null"]}
    slug = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}
    url = {"type": "string", "format": "uri"}
    return {
        "$schema": DRAFT,
        "title": "quotes.json",
        "description": "Every quote of the collection, in reading order, with its source and addresses.",
        "type": "object",
        "required": ["title", "person", "url", "quotes"],
        "additionalProperties": False,
        "properties": {
            "title": text,
            "person": text,
            "url": url,
            "record_checked": {
                **day,
                "description": "When the record was last checked at its sources (null: never yet).",
            },
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "id",
                        "topic",
                        "text",
                        "part",
                        "source",
                        "status",
                        "attribution",
                        "note",
                        "record",
                        "check_url",
                        "tags",
                        "aliases",
                        "url",
                        "part_url",
                    ],
                    "properties": {
                        "id": {**slug, "description": "Permanent; the quote's address is built from it."},
                        "topic": text,
                        "text": {**text, "description": "Exactly as written; plain text, never markup."},
                        "part": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "number", "title"],
                            "properties": {"id": slug, "number": {"type": "integer"}, "title": text},
                        },
                        "source": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "title", "kind", "url"],
                            "properties": {
                                "id": slug,
                                "title": text,
                                "kind": text,
                                "url": {"type": ["string", "null"], "format": "uri"},
                            },
                        },
                        "status": {"enum": ["verbatim", "paraphrase", "disputed", "unverified"]},
                        "attribution": {
                            **text,
                            "description": "Who the text is given to: the person only when verbatim, "
                            "else 'attributed to <person>'.",
                        },
                        "note": maybe_text,
                        "record": {
                            "type": "array",
                            "description": "What the person is on record as saying on this, closest first: "
                            "exact words, unlike `text`.",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["text", "url", "where", "note", "context_url", "check"],
                                "properties": {
                                    "text": {**text, "description": "The exact words; ' … ' marks words left out."},
                                    "url": {**url, "description": "The public page that holds them."},
                                    "where": {**text, "description": "Where on that page: a section or a time."},
                                    "note": {**maybe_text, "description": "E.g. co-written; automatic transcript."},
                                    "context_url": {
                                        **url,
                                        "description": "url with a text fragment that opens it at these words.",
                                    },
                                    "check": CHECK,
                                },
                            },
                        },
                        "check_url": {
                            "type": ["string", "null"],
                            "format": "uri",
                            "description": "Where to check this quote: its own address, else its source's.",
                        },
                        "tags": {"type": "array", "items": slug},
                        "aliases": {"type": "array", "items": slug, "description": "Former ids; still resolve."},
                        "url": {**url, "description": "The quote's own page: its permanent address."},
                        "part_url": {**url, "description": "The quote's place on its part page."},
                    },
                },
            },
        },
    }


day: dict[str, Any] = {"type": ["string", "null"], "format": "date"}
CHECK: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "The last check of the passage at its source (README.md, 'Checking the record').",
    "required": ["result", "checked", "since", "moved_to", "archive", "last_found"],
    "properties": {
        "result": {
            "enum": ["unchecked", "found", "fragment-missed", "moved", "changed", "gone", "unreachable"],
            "description": "unchecked: never checked as it is written now; the rest as the check found it.",
        },
        "checked": {**day, "description": "When the source was read; null when never."},
        "since": {**day, "description": "The first check of a row that gave this result."},
        "moved_to": {"type": ["string", "null"], "format": "uri", "description": "Where a moved page is now."},
        "archive": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "required": ["url", "date"],
            "description": "The newest archived copy known (Internet Archive).",
            "properties": {"url": {"type": "string", "format": "uri"}, "date": {"type": "string", "format": "date"}},
        },
        "last_found": {**day, "description": "For changed, gone, unreachable: the last check that found the words."},
    },
}


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
