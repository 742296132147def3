"""ProperDocs, the maintained fork of MkDocs 1.6, builds the same site as MkDocs.

MkDocs 1.6.1 gets no more releases; should it stop working on a new Python, the site
switches to ProperDocs by one line (`MKDOCS` in the Makefile). This keeps that true: the
real site built by each, file by file, the same but for the `generator` meta tag, which
names the builder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from tests.conftest import ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


def properdocs_build(out: Path) -> subprocess.CompletedProcess[str]:
    """`properdocs build --strict` of the repository into `out`, run as tests.serving.build
    runs MkDocs: by its command, from outside the repository."""
    env = {**os.environ}
    env.pop("PYTHONPATH", None)
    properdocs = str(Path(sys.executable).parent / "properdocs")
    return subprocess.run(
        [properdocs, "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_site_mkdocs_builds(built_site: Path, tmp_path: Path) -> None:
    result = properdocs_build(tmp_path / "site")
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
