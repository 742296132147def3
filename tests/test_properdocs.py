"""ProperDocs, the maintained fork of MkDocs 1.6, builds the same site as MkDocs.

MkDocs 1.6.1 gets no more releases; should it stop working on a new Python, the site
switches to ProperDocs by one line (`MKDOCS` in the Makefile). This keeps that true: the
real site built by each, file by file, the same but for the `generator` meta tag, which
names the builder.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from tests.conftest import ROOT
from tests.serving import build

GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_site_mkdocs_builds(built_site: Path, tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site", "properdocs")
    assert result.returncode == 0, result.stderr
    by_mkdocs, by_properdocs = files(built_site), files(tmp_path / "site")
    assert sorted(by_mkdocs) == sorted(by_properdocs)

    # Each page names its builder (overrides/main.html): the two really are different builds.
    pages = [name for name in by_mkdocs if name.endswith(".html")]
    assert len(pages) > 100
    mkdocs, properdocs = f"mkdocs-{version('mkdocs')},", f"ProperDocs {version('properdocs')},"
    for name in pages:
        assert [g.decode() for g in GENERATOR.findall(by_mkdocs[name])] == [f"{mkdocs} mkdocs-material"], name
        (by,) = GENERATOR.findall(by_properdocs[name])
        assert properdocs in by.decode(), name

    differ = [
        name
        for name, content in by_mkdocs.items()
        if GENERATOR.sub(b"", content) != GENERATOR.sub(b"", by_properdocs[name])
    ]
    assert differ == [], f"ProperDocs builds these otherwise than MkDocs: {differ}"
