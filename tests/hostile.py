"""Hostile text: what a stranger's pull request might put in any field of the corpus.

Each payload that could run script sets `window.__pwned`; a test that sees it set has
found text that became code.
"""

from __future__ import annotations

from pathlib import Path

import yaml

PWN = "window.__pwned=1"

HOSTILE: dict[str, str] = {
    "script": f"<script>{PWN}</script>",
    "img-onerror": f"<img src=x onerror={PWN}>",
    "iframe": f'<iframe src="javascript:{PWN}"></iframe>',
    "unclosed-div": "<div class='x'>never closed",
    "end-textarea": "</textarea><b>bold</b>",
    "entities": "&amp; &lt;b&gt; &#42; &copy; &",
    "link-javascript": f"[click](javascript:{PWN})",
    "link-data": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "image": "![alt](https://example.org/x.png)",
    "emphasis": "**bold** __strong__ *em* _em_ ~~strike~~ `code`",
    "heading": "# Heading\n## Subheading",
    "list": "- one\n- two\n1. three",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "code-fence": "```python\nprint('x')\n```",
    "attr-list-onclick": f'text {{: onclick="{PWN}"}}',
    "attr-list-id-class": "text { #evil .md-button }",
    "jinja-expression": "{{ 7*7 }} {{ config.site_name }}",
    "jinja-statement": "{% for x in range(3) %}loop{% endfor %} {# comment #}",
    "snippet-include": '--8<-- "/etc/passwd"\n--8<-- "mkdocs.yml"',
    "admonition": "!!! note\n    inside an admonition",
    "footnote": "text[^1]\n\n[^1]: the footnote",
    "abbreviation": "HTML here\n\n*[HTML]: Hyper Text Markup Language",
    "emoji-shortcode": ":smile: :material-alert: :fontawesome-brands-github:",
    "rtl-override": "abc\u202edcba\u202c end",
    "zero-width": "zero\u200bwidth\u200c joiner\u200d and\ufeffBOM",
    "long-word": "x" * 600,
    "ten-kb": ("A long quote, with words and punctuation; <b>tags</b> & [links](x). " * 150)[:10240],
    "quotes-and-backslashes": "\"double\" 'single' \\backslash\\ `tick` </script><!-- comment -->",
    # BibTeX counts braces whether or not a backslash precedes them: each of these would end a
    # field of a citation early, write a field of its own, or cut the entry short.
    "bibtex-author": 'Safety}, author = "Neel Nanda',
    "bibtex-smiley": "Smileys :} and :-{",
    "bibtex-entry": "}} @misc{forged, author = {Neel Nanda}, title = {Mine}} \\{ \\} \\",
    "latex": "\\input{/etc/passwd} \\def\\x{y} $math$ 100% #1 a_b ~ ^ &",
}


# Valid as an address, hostile as HTML, XML, BibTeX and a text fragment: quotes, angle brackets,
# `&`, `,`, `-`, braces and a backslash.
HOSTILE_URL = 'https://example.org/a?b=1&c=<script>&d="x"#frag-1,2}{\\'

# What a corpus must never hold, and the check refuses, each with its own error: a control character
# or a non-character in an address (it would make the feed and the EPUB not well-formed XML), and
# keys that would speak for the report that echoes them.
REFUSED_URLS = {
    "escape": "https://example.org/\x1b[31mred",
    "bell": "https://example.org/a\x07b",
    "form-feed": "https://example.org/\x0cpage",
    "c1": "https://example.org/\x85next",
    "non-character": "https://example.org/\ufdd0",
}
REFUSED_KEYS = (
    "\x1b[2J\x1b[31mred",
    "key\n::warning file=README.md,line=1::forged",
    "\u202eevil",
)


def write_refused_corpus(data: Path) -> None:
    """The hostile corpus with REFUSED_URLS in every kind of url field (the collection's origin,
    a source's, quotes' and a passage's) and each of REFUSED_KEYS in a quote of its own."""
    write_hostile_corpus(data)
    collection = yaml.safe_load((data / "collection.yaml").read_text("utf-8"))
    sources = yaml.safe_load((data / "sources.yaml").read_text("utf-8"))
    part_file = data / "parts" / "01-hostile-part.yaml"
    part = yaml.safe_load(part_file.read_text("utf-8"))
    urls = list(REFUSED_URLS.values())
    collection["origin_url"] = urls[0]
    sources["sources"][0]["url"] = urls[1]
    part["quotes"][0]["url"] = urls[2]
    part["quotes"][1]["record"][0]["url"] = urls[3]
    part["quotes"][2]["url"] = urls[4]
    for quote, key in zip(part["quotes"][3:], REFUSED_KEYS, strict=False):
        quote[key] = "a value"
    # Every character that is not ASCII escaped: written as it is, a U+0085 is a line break to YAML.
    for name, content in [("collection.yaml", collection), ("sources.yaml", sources)]:
        (data / name).write_text(yaml.safe_dump(content, sort_keys=False), "utf-8")
    part_file.write_text(yaml.safe_dump(part, sort_keys=False, width=10**6), "utf-8")


def single_line(value: str) -> str:
    """The payload as a title or topic must be: one line, single spaces, none around it."""
    return " ".join(value.split())[:300]


def write_hostile_corpus(data: Path) -> None:
    """A corpus in which every field a reader sees holds a payload."""
    (data / "parts").mkdir(parents=True)
    names = list(HOSTILE)
    collection = {
        "title": "Hostile <script>" + PWN + "</script>",
        "person": "Ada <b>Example</b> & {{ 7*7 }}",
        "description": HOSTILE["script"] + " " + HOSTILE["attr-list-onclick"],
        "intro": HOSTILE["snippet-include"] + "\n" + HOSTILE["img-onerror"],
        "origin_title": single_line(HOSTILE["end-textarea"]),
        "origin_url": "https://example.org/?q=<script>",
    }
    sources = {
        "sources": [
            {
                "id": "evil-source",
                "title": single_line(HOSTILE["img-onerror"]),
                "kind": "blog",
                "url": "https://example.org/a?b=1&c=<script>",
                "description": HOSTILE["jinja-statement"] + "\n" + HOSTILE["script"],
            }
        ]
    }
    quotes = [
        {
            "id": f"q-{name}",
            "topic": single_line(value) or name,
            "text": value,
            "source": "evil-source",
            "status": "disputed",
            "note": value,
            "tags": ["hostile"],
            "record": [
                {
                    "text": value,
                    "url": HOSTILE_URL,
                    "where": single_line(value) or name,
                    "note": value,
                }
            ],
        }
        for name, value in HOSTILE.items()
    ]
    part = {"id": "hostile-part", "number": 1, "title": single_line(HOSTILE["script"]), "quotes": quotes}
    assert len(quotes) == len(names)
    for name, content in [("collection.yaml", collection), ("sources.yaml", sources)]:
        (data / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), "utf-8")
    (data / "parts" / "01-hostile-part.yaml").write_text(
        yaml.safe_dump(part, allow_unicode=True, sort_keys=False, width=10**6), "utf-8"
    )
