"""`python -m generator check-record` against local servers: every result, the exact report,
the exit code, the --report JSON of the contract, the results file, and politeness."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.cli import main
from generator.permalinks import PERMALINKS_FILE
from generator.record_check import check
from generator.record_check.results import read_checks, text_digest
from tests.conftest import FIXTURE_CORPUS
from tests.record_sites import Reply, Site, html, pdf, redirect, serve

TODAY = date(2026, 12, 14)

# (quote id, passage text, the path it links on site.test)
PASSAGES = [
    ("keeps", "The model learns a general algorithm, and it’s “clean” — step by step.", "/keeps"),
    ("keeps", "A second passage on the same page … further down it.", "/keeps#later"),
    ("changed", "Interpretability is our best tool to detect deception in models.", "/changed"),
    ("split", "The model learns & grows slowly too, in several small steps.", "/split"),
    ("script", "These words are only inside a script on the page.", "/script"),
    ("missing", "Words on a page that is no longer there at all.", "/missing"),
    ("removed", "Words on a page that was removed for good by its owner.", "/removed"),
    ("moved", "Words that moved with their page to a new home.", "/chain-1"),
    ("loop", "Words behind redirects that never end anywhere at all.", "/loop-a"),
    ("busy", "Words behind a server that asks us to wait a moment.", "/busy"),
    ("stall", "Words behind a server that never answers in time.", "/stall"),
    ("huge", "Words in a page far too large to read in full.", "/huge"),
    ("paper", "the model learns a general algorithm for modular addition, using discrete Fourier", "/pdf/2301"),
    ("latin", "A café “naïve” résumé, in an older character set.", "/latin"),
    ("dash", "This is a well-known result about small models and their circuits.", "/dash"),
]
QUOTE_URLS = {"keeps": "/keeps", "changed": "/gone-page"}  # plain addresses of quotes


def corpus(root: Path) -> Path:
    """A repository whose part file holds PASSAGES, one quote each (two for 'keeps')."""
    shutil.copytree(FIXTURE_CORPUS / "data", root / "data")
    for part in (root / "data" / "parts").iterdir():
        part.unlink()
    (root / PERMALINKS_FILE).unlink()  # a new corpus: nothing of it published yet
    (root / "data" / "sources.yaml").write_text(
        "sources:\n"
        "  - id: site\n    title: The Site\n    kind: blog\n    url: https://site.test/\n"
        "  - id: old\n    title: The Old Site\n    kind: blog\n    url: https://site.test/old-home\n"
    )
    lines = ["id: checks", "number: 1", "title: Checks", "quotes:"]
    for qid in dict.fromkeys(q for q, _, _ in PASSAGES):
        lines += [f"  - id: {qid}", f"    topic: {qid}", '    text: "A quote."']
        lines.append(f"    source: {'old' if qid == 'latin' else 'site'}")
        if qid in QUOTE_URLS:
            lines.append(f"    url: https://site.test{QUOTE_URLS[qid]}")
        lines.append("    record:")
        for q, text, path in PASSAGES:
            if q == qid:
                lines += [
                    f"      - text: {json.dumps(text, ensure_ascii=False)}",
                    f"        url: https://site.test{path}",
                ]
                lines.append("        where: somewhere")
    (root / "data" / "parts" / "01-checks.yaml").write_text("\n".join(lines) + "\n")
    return root


KEEPS = """<!doctype html><html><head><title>Keeps</title><style>p { color: red }</style></head><body>
<h1>Keeps</h1><p>The model learns a general algorithm,
   and it's "clean" - step by step.</p>
<p>A second passage on the same page, and then some more words, further down it.</p></body></html>"""
CHANGED = "<p>Interpretability is one tool among many. It will not save us alone.</p>"
SPLIT = "<p>The <em>model</em> learns &amp; <a href='/x'>grows</a> slowly&nbsp;too, in several <b>small</b> steps.</p>"
SCRIPT = "<p>Nothing here.</p><script>var s = 'These words are only inside a script on the page.';</script>"
PAPER = "We find that the model learns a general algorithm for modular addition, using discrete Fourier transforms."


def snapshot_json(url: str) -> bytes:
    stamp = "20251002081500"
    closest = {"status": "200", "available": True, "timestamp": stamp}
    closest["url"] = f"http://web.archive.org/web/{stamp}/{url}"  # the API answers http:// addresses
    return json.dumps({"url": url, "archived_snapshots": {"closest": closest}}).encode()


def archive_api(_n: int, path: str) -> Reply:
    url = parse_qs(urlsplit(path).query)["url"][0]
    if url.endswith(("/keeps", "/changed", "/missing")):
        return Reply(200, snapshot_json(url), {"Content-Type": "application/json"})
    if url.endswith("/split"):
        return Reply(500, b"Internal Server Error")
    return Reply(200, json.dumps({"url": url, "archived_snapshots": {}}).encode())


def save_api(_n: int, path: str) -> Reply:
    url = path.split("/save/", 1)[1]
    return redirect(302, f"/web-archive/web/20261214093000/{url}")


def make_site() -> Site:
    site = Site()
    site.add("/site/", html("<p>The home page.</p>"))
    site.add("/site/old-home", redirect(301, "https://site.test/"))
    site.add("/site/keeps", html(KEEPS))
    site.add("/site/changed", html(CHANGED))
    site.add("/site/split", html(SPLIT))
    site.add("/site/script", html(SCRIPT))
    site.add("/site/removed", Reply(410, b"Gone"))
    site.add("/site/chain-1", redirect(301, "/site/chain-2"))
    site.add("/site/chain-2", redirect(308, "https://site.test/new-home"))
    site.add("/site/new-home", html("<p>Words that moved with their page to a new home.</p>"))
    site.add("/site/loop-a", redirect(302, "/site/loop-b"))
    site.add("/site/loop-b", redirect(302, "/site/loop-a"))
    site.add(
        "/site/busy",
        lambda n, _p: (
            Reply(429, b"slow down", {"Retry-After": "1"})
            if n == 0
            else html("<p>Words behind a server that asks us to wait a moment.</p>")
        ),
    )
    site.add("/site/stall", Reply(200, b"<p>too late</p>", delay=3))
    site.add("/site/huge", Reply(200, b"<p>" + b"x" * (1024 * 1024), {"Content-Type": "text/html"}, chunks=21))
    site.add("/site/pdf/2301", Reply(200, pdf(PAPER), {"Content-Type": "application/pdf"}))
    site.add(
        "/site/latin",
        html("<p>A café “naïve” résumé, in an older character set.</p>", charset="windows-1252"),
    )
    site.add("/site/dash", html("<p>This is a well—known result about small models and their circuits.</p>"))
    site.add("/archive/wayback/available", archive_api)
    site.add("/web-archive/save/*", save_api)
    return site


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(make_site()) as served:
        yield served


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--root", str(root), "check-record", *args])
    return status, out.getvalue(), err.getvalue()


def maps(site: Site) -> list[str]:
    return [
        f"--map=https://site.test={site.url}/site",
        f"--map=https://archive.org={site.url}/archive",
        f"--map=https://web.archive.org={site.url}/web-archive",
    ]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "today", lambda: TODAY)


REPORT = Path(__file__).parent / "fixtures" / "record-check-report.txt"
"""The exact report of the run below: one line per problem, archive warnings, the summary."""
RESULTS = {
    ("keeps", 1): "found",  # curly and straight quotes, dashes, case and line breaks alike
    ("keeps", 2): "found",  # ` … `: each piece there, in order
    ("changed", 1): "changed",
    ("split", 1): "found",  # across <em>, <a>, &amp; and &nbsp;
    ("script", 1): "changed",  # only in a <script>: not what a reader sees
    ("missing", 1): "gone",
    ("removed", 1): "gone",
    ("moved", 1): "moved",
    ("loop", 1): "unreachable",
    ("busy", 1): "found",  # 429 with Retry-After, then 200
    ("stall", 1): "unreachable",
    ("huge", 1): "unreachable",
    ("paper", 1): "found",  # a PDF, its lines broken
    ("latin", 1): "found",  # windows-1252, labelled iso-8859-1 as old servers do
    ("dash", 1): "fragment-missed",  # the page writes — where the passage writes -
    ("keeps", None): "found",
    ("changed", None): "gone",
    (None, None): "found",
}


@pytest.fixture
def checked(tmp_path: Path, site: Site) -> tuple[Path, int, str, str, Site]:
    root = corpus(tmp_path / "repo")
    status, out, err = run(root, *maps(site), "--timeout=1", "--captures=2", f"--report={tmp_path / 'report.json'}")
    return root, status, out, err, site


def test_every_result_is_reported_in_the_curators_format_and_the_run_fails(
    checked: tuple[Path, int, str, str, Site],
) -> None:
    _, status, out, err, _ = checked
    assert out == REPORT.read_text("utf-8")
    assert err == ""
    assert status == 1  # changed, gone and fragment-missed passages


def test_the_json_report_has_one_object_per_passage_and_plain_address(
    checked: tuple[Path, int, str, str, Site], tmp_path: Path
) -> None:
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    keys = {"quote", "passage", "url", "result", "final_url", "archive", "detail"}
    assert all(set(entry) == keys for entry in report)
    passages = [(e["quote"], e["passage"], e["result"]) for e in report if e["passage"] is not None]
    assert passages == [(q, n, RESULTS[q, n]) for q, n in _numbered()]
    plain = [(e["quote"], e["url"], e["result"], e["final_url"]) for e in report if e["passage"] is None]
    assert plain == [
        ("keeps", "https://site.test/keeps", "found", None),
        ("changed", "https://site.test/gone-page", "gone", None),
        (None, "https://site.test/", "found", None),
        (None, "https://site.test/old-home", "moved", "https://site.test/"),
    ]
    by = {(e["quote"], e["passage"]): e for e in report}
    assert by["moved", 1]["final_url"] == "https://site.test/new-home"
    assert by["changed", 1]["detail"] == "Interpretability is one tool among many."
    assert by["keeps", 1]["archive"] == "https://web.archive.org/web/20251002081500/https://site.test/keeps"
    assert by["latin", 1]["archive"] is None  # the archive has none, and no capture was asked for it
    assert by["busy", 1]["archive"] == "https://web.archive.org/web/20261214093000/https://site.test/busy"


def _numbered() -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    out = []
    for q, _, _ in PASSAGES:
        seen[q] = seen.get(q, 0) + 1
        out.append((q, seen[q]))
    return out


def test_the_results_file_holds_every_result(checked: tuple[Path, int, str, str, Site]) -> None:
    root = checked[0]
    checks, problems = read_checks(root)
    assert problems == []
    assert checks.checked == TODAY
    from generator.pipeline import check as check_corpus

    collection, _ = check_corpus(root)  # the results file is valid data
    for quote in collection.quotes():
        for n, passage in enumerate(quote.record, start=1):
            result = checks.passage(quote.id, passage)
            assert (result.result, result.checked, result.since) == (RESULTS[quote.id, n], TODAY, TODAY)
    moved = next(q for q in collection.quotes() if q.id == "moved").record[0]
    assert checks.passage("moved", moved).moved_to == "https://site.test/new-home"
    assert checks.address("https://site.test/old-home").moved_to == "https://site.test/"


def test_politely(checked: tuple[Path, int, str, str, Site]) -> None:
    root, _, _, _, site = checked
    from generator.record_check.command import user_agent

    assert site.user_agents == {user_agent(root)}
    assert "github.com/" in user_agent(root)
    # Each distinct page once: /keeps holds two passages and is a quote's url.
    assert site.hits["/site/keeps"] == 1
    assert site.hits["/site/chain-2"] == 1
    assert max(n for p, n in site.hits.items() if p != "/site/busy") == 1
    assert site.most_in_flight == 2  # in parallel, and never more than 2 to a host
    # Asked to wait a second, it waited a second.
    first, second = site.times["/site/busy"]
    assert second - first >= 1.0


def test_a_second_run_that_finds_the_same_changes_only_the_run_date(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    site.add("/site/busy", html("<p>Words behind a server that asks us to wait a moment.</p>"))
    assert run(root, *maps(site), "--timeout=1")[0] == 1
    before = (root / "data/record-checks.yaml").read_text("utf-8")
    later = date(2026, 12, 21)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(check, "today", lambda: later)
        status, out, _ = run(root, *maps(site), "--timeout=1", "--no-archive")
    assert status == 1
    after = (root / "data/record-checks.yaml").read_text("utf-8")
    assert after.replace("checked: 2026-12-21", "checked: 2026-12-14") == before
    assert "warning: the archive" not in out


def test_results_follow_a_passage_that_moves_and_forget_one_whose_text_changed(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    run(root, *maps(site), "--timeout=1", "--no-archive")
    part = root / "data/parts/01-checks.yaml"
    text = part.read_text("utf-8")
    # Swap the two passages of 'keeps', and edit the text of 'split'.
    first = '      - text: "The model learns'
    second = '      - text: "A second passage'
    a, b = text.index(first), text.index(second)
    end = text.index("  - id: changed")
    text = text[:a] + text[b:end] + text[a:b] + text[end:]
    text = text.replace("grows slowly too", "grows slowly, too")
    part.write_text(text, "utf-8")
    from generator.pipeline import check as check_corpus

    collection, _ = check_corpus(root)
    checks, _ = read_checks(root)
    quotes = {q.id: q for q in collection.quotes()}
    assert [checks.passage("keeps", p).result for p in quotes["keeps"].record] == ["found", "found"]
    assert checks.passage("split", quotes["split"].record[0]).result == "unchecked"


def test_a_run_with_nothing_failing_exits_0(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    part = root / "data/parts/01-checks.yaml"
    keep = {"keeps", "split", "moved", "busy", "stall", "paper", "latin"}
    text = part.read_text("utf-8")
    blocks = text.split("\n  - id: ")
    part.write_text("\n  - id: ".join([blocks[0]] + [b for b in blocks[1:] if b.split("\n")[0] in keep]), "utf-8")
    (root / "data/sources.yaml").write_text(
        "sources:\n  - id: site\n    title: The Site\n    kind: blog\n    url: https://site.test/\n"
        "  - id: old\n    title: The Old Site\n    kind: blog\n"
    )
    status, out, _ = run(root, *maps(site), "--timeout=1", "--no-archive")
    assert status == 0, out  # moved and unreachable are reported, but do not fail the run
    assert [line.split(": ")[1] for line in out.splitlines()[:-1]] == ["moved", "unreachable"]


def test_no_archive_asks_no_archive(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    run(root, *maps(site), "--timeout=1", "--no-archive")
    assert not [p for p in site.hits if p.startswith(("/archive", "/web-archive"))]


def test_a_trailing_slash_is_asked_of_the_archive_without_it(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    run(root, *maps(site), "--timeout=1", "--captures=0")
    asked = [parse_qs(urlsplit(p).query)["url"][0] for p in site.hits if p.startswith("/archive/")]
    assert "https://site.test/" in asked  # the home page: a bare host keeps its slash
    assert "https://site.test/keeps" in asked


@pytest.mark.parametrize("spec", ["nothing", "https://a.test", "a.test=b.test", "https://a.test=ftp://b.test"])
def test_a_bad_map_is_refused(tmp_path: Path, spec: str) -> None:
    root = corpus(tmp_path / "repo")
    with pytest.raises(SystemExit) as exit_info:
        run(root, "--map", spec)
    assert exit_info.value.code == 2


def test_a_broken_corpus_is_reported_and_nothing_is_fetched(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    part = root / "data/parts/01-checks.yaml"
    part.write_text(part.read_text("utf-8").replace("    topic: keeps", "    topci: keeps"), "utf-8")
    status, _, err = run(root, *maps(site))
    assert status == 1
    assert "Aborted:" in err
    assert not site.hits
    assert not (root / "data/record-checks.yaml").exists()


def test_a_damaged_results_file_is_rewritten(tmp_path: Path, site: Site) -> None:
    root = corpus(tmp_path / "repo")
    (root / "data/record-checks.yaml").write_text("checked: yesterday\npassages: []\naddresses: []\n")
    status, _, err = run(root, *maps(site), "--timeout=1", "--no-archive")
    assert status == 1
    assert err.startswith("data/record-checks.yaml:1:10: error: 'checked' must be a date like 2026-12-14")
    assert read_checks(root)[1] == []


def test_the_digest_is_of_the_text_as_written() -> None:
    assert text_digest("A") != text_digest("A ") and len(text_digest("A")) == 16
    assert re.fullmatch(r"[0-9a-f]{16}", text_digest("…"))
