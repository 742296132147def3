"""The GitHub automation, checked offline: the workflows and Dependabot's configuration
against GitHub's schemas, the workflows by zizmor's security audits, every action pinned
to a commit, and the deploy workflow's jobs and permissions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.y*ml") if p.stem != "config")

# `uses: owner/repo[/path]@<40 hex> # v1.2.3`: a tag can be moved to other code, a commit cannot.
PINNED = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+(?:\.\d+)*)$"
)
USES = re.compile(r"^\s*(?:-\s+)?uses:")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), path
    # YAML 1.1 reads the key `on` as true.
    if True in data:
        data["on"] = data.pop(True)
    return data


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def check_jsonschema(schema: str, *files: Path) -> None:
    assert files, f"no files to check against {schema}"
    result = run(sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def all_uses(data: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for job in data["jobs"].values():
        if "uses" in job:  # a reusable workflow
            found.append(job["uses"])
        found += [step["uses"] for step in job.get("steps", []) if "uses" in step]
    return found


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "record.yml"}


def test_workflows_match_githubs_schema() -> None:
    check_jsonschema("vendor.github-workflows", *WORKFLOWS)


def test_dependabot_config_matches_its_schema() -> None:
    check_jsonschema("vendor.dependabot", GITHUB / "dependabot.yml")
    ecosystems = {u["package-ecosystem"] for u in load(GITHUB / "dependabot.yml")["updates"]}
    assert ecosystems == {"github-actions", "pip"}


def test_issue_forms_match_githubs_schemas() -> None:
    assert {p.name for p in ISSUE_FORMS} == {"suggest-a-quote.yml", "report-a-misattribution.yml"}
    check_jsonschema("vendor.github-issue-forms", *ISSUE_FORMS)
    check_jsonschema("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml")


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    if not zizmor.is_file():
        pytest.fail(f"zizmor is missing from {zizmor.parent}: `make install` installs the dev dependencies")
    result = run(
        zizmor,
        *("--offline", "--no-progress", "--min-severity", "medium", "--format", "json"),
        GITHUB / "workflows",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == [], result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text("utf-8").splitlines() if USES.match(line)]
    unpinned = [line.strip() for line in lines if not PINNED.match(line)]
    assert not unpinned, f"pin these to a full commit SHA with '# vX.Y.Z' after it: {unpinned}"
    # Every `uses:` that GitHub reads is one of the lines checked above.
    pinned = {f"{m['action']}@{m['sha']}" for line in lines if (m := PINNED.match(line))}
    assert set(all_uses(load(path))) <= pinned
    assert pinned


def test_one_action_is_pinned_to_one_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text("utf-8").splitlines():
            if m := PINNED.match(line):
                pins.setdefault(m["action"], set()).add(f"{m['sha']} # {m['version']}")
    assert {action: sha for action, sha in pins.items() if len(sha) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_no_secret_and_no_privileged_trigger(path: Path) -> None:
    text = path.read_text("utf-8")
    data = load(path)
    assert "secrets." not in text
    assert "pull_request_target" not in data["on"]
    assert "workflow_run" not in data["on"]
    assert "permissions" in data, "set the workflow's default permissions explicitly"
    for step in (s for job in data["jobs"].values() for s in job.get("steps", [])):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False


def test_ci_runs_the_make_targets_on_every_push_and_pull_request() -> None:
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert "github.ref" in ci["concurrency"]["group"]
    (job,) = ci["jobs"].values()
    assert job["container"]["image"].startswith("debian:")
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert "chromium" in runs[0]
    assert runs[1:] == ["make lint", "make typecheck", "make test", "make build"]


def test_deploy_builds_then_publishes_with_the_narrowest_permissions() -> None:
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert deploy["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert deploy["permissions"] == {}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    jobs = deploy["jobs"]
    graph = {name: job.get("needs", []) for name, job in jobs.items()}
    assert graph == {"build": [], "deploy": "build"}
    build, publish = jobs["build"], jobs["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}

    def action(step: dict[str, Any]) -> str:
        return str(step.get("uses", "")).split("@")[0] or str(step.get("run", ""))

    steps = [s for s in build["steps"] if "uses" in s or s.get("run") == "make build"]
    assert [action(s) for s in steps] == [
        "actions/checkout",
        "actions/configure-pages",
        "make build",
        "actions/upload-pages-artifact",
    ]
    configure, make_build, upload = steps[1], steps[2], steps[3]
    assert make_build["env"]["SITE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    assert upload["with"] == {"path": "site"}
    (publish_step,) = publish["steps"]
    assert action(publish_step) == "actions/deploy-pages"
    assert publish_step["id"] == "deployment"


def test_pre_commit_hooks_are_pinned_and_check_the_corpus() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    remote = [repo for repo in config["repos"] if repo["repo"] != "local"]
    assert remote
    for repo in remote:
        assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), repo
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "check-yaml", "end-of-file-fixer", "trailing-whitespace"} <= set(hooks)
    corpus = hooks["corpus-check"]
    assert corpus["entry"] == ".venv/bin/python -m generator check"
    assert (corpus["language"], corpus["files"], corpus["pass_filenames"]) == ("system", "^data/", False)


def test_record_check_runs_weekly_one_at_a_time_with_the_narrowest_permissions() -> None:
    record = load(GITHUB / "workflows" / "record.yml")
    assert set(record["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = record["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit() and (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert record["permissions"] == {}
    assert record["concurrency"]["cancel-in-progress"] is False
    jobs = record["jobs"]
    assert {name: job.get("permissions") for name, job in jobs.items()} == {
        "check": {"contents": "read"},
        "pull-request": {"contents": "write", "pull-requests": "write"},
        "issue": {"issues": "write"},
    }
    assert jobs["pull-request"]["needs"] == "check" and jobs["issue"]["needs"] == "check"


def test_record_check_tests_the_results_before_proposing_them_and_never_pushes_to_main() -> None:
    record = load(GITHUB / "workflows" / "record.yml")
    check = record["jobs"]["check"]
    assert check["container"]["image"].startswith("debian:")
    runs = [step.get("run", "") for step in check["steps"]]
    checked = next(i for i, r in enumerate(runs) if "make check-record" in r)
    tested = next(i for i, r in enumerate(runs) if r.strip() == "make test")
    assert checked < tested
    # The pull request's job runs only after the check job, tests included, succeeded.
    pull = record["jobs"]["pull-request"]
    assert "always()" not in str(pull.get("if")) and "cancelled()" not in str(pull.get("if"))
    script = "\n".join(step.get("run", "") for step in pull["steps"])
    pushes = [line for line in script.splitlines() if "git push" in line]
    assert pushes and all('"HEAD:refs/heads/$BRANCH"' in line for line in pushes)
    assert pull["env"]["BRANCH"] == "record-check"
    assert "The tests passed on these results" in script
    assert "gh pr edit" in script and "gh pr create --base main --head" in script
    issue = "\n".join(step.get("run", "") for step in record["jobs"]["issue"]["steps"])
    assert "gh issue edit" in issue and "gh issue create" in issue
