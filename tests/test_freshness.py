"""The freshness run's report: real link check and check outputs in, Markdown out."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import ROOT, SOURCES, TEMPLATES, run_cli
from esafety_docs.linkcheck.command import linkcheck
from webservers import Log, local_names_only, web_server

pytestmark = pytest.mark.slow  # a live server for the link check it reports on

REPO = "https://github.example/ddscp/pack/blob/0123abc"


def freshness(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run as the workflow does: a bare interpreter (no site-packages) with src/ on the path."""
    return subprocess.run(
        [sys.executable, "-S", "-m", "esafety_docs.linkcheck.freshness", *map(str, args)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src")},
        timeout=60,
    )


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture
def outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, str]:
    """A link report with a broken and a moved address, and `check --strict` output
    with one contact overdue for checking: each made by the real command."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    contacts = tmp_path / "sources" / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    at = text.index("checked_on: 2026-11-28", text.index("id: nwg"))
    contacts.write_text(text[:at] + "checked_on: 2020-01-01" + text[at + 22 :], encoding="utf-8")
    check = tmp_path / "check.txt"
    check.write_text(run_cli("check", "--strict", cwd=tmp_path).stderr, encoding="utf-8")

    log = Log()
    local_names_only(monkeypatch)
    monkeypatch.chdir(tmp_path)
    with web_server(log) as h:
        links = tmp_path / "links"
        links.mkdir()
        body = [f"[gone]({h}/missing)", f"[moved]({h}/moved)", f"[fine]({h}/ok)"]
        document = {"sections": [{"title": "Links", "body": [{"bullets": body}]}]}
        (links / "doc.yaml").write_text(yaml.safe_dump(document, width=200), encoding="utf-8")
        report = tmp_path / "linkcheck.json"
        assert linkcheck(Path("links"), 5, 4, report, io.StringIO(), io.StringIO()) == 1
    return report, check, h


def test_each_broken_link_and_overdue_contact_is_listed_with_its_line(
    outputs: tuple[Path, Path, str], tmp_path: Path
) -> None:
    report, check, h = outputs
    result = freshness(
        "--date", "2026-12-07", "--links", report, "--check", check, "--source-url", REPO
    )
    assert result.returncode == 0, result.stderr
    page = result.stdout
    doc_line = line_of(tmp_path / "links" / "doc.yaml", f"{h}/missing")
    moved_line = line_of(tmp_path / "links" / "doc.yaml", f"{h}/moved")
    overdue_line = line_of(tmp_path / "sources" / "contacts.yaml", "checked_on: 2020-01-01")
    assert page.startswith("## Pack freshness check, 2026-12-07\n")
    assert (
        f"- [ ] <{h}/missing> is broken (404 Not Found): edit "
        f"[`links/doc.yaml` line {doc_line}]({REPO}/links/doc.yaml#L{doc_line})"
    ) in page.splitlines()
    assert (
        f"- [ ] <{h}/moved> is moved: edit "
        f"[`links/doc.yaml` line {moved_line}]({REPO}/links/doc.yaml#L{moved_line})"
    ) in page.splitlines()
    assert f"  - The page has moved for good: write {h}/ok instead." in page.splitlines()
    assert f"{h}/ok>" not in page  # working addresses are not listed
    assert (
        f"- [ ] [`sources/contacts.yaml` line {overdue_line}]"
        f"({REPO}/sources/contacts.yaml#L{overdue_line}): NWG Network's details were last "
        "checked on 2020-01-01, more than 12 months ago."
    ) in page.splitlines()
    assert "  - Check them at the source, then update `checked_on`." in page.splitlines()


def test_the_page_is_markdown_with_one_task_per_thing_to_edit(
    outputs: tuple[Path, Path, str],
) -> None:
    report, check, _ = outputs
    page = freshness("--date", "2026-12-07", "--links", report, "--check", check).stdout
    tokens = MarkdownIt("commonmark").parse(page)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Pack freshness check, 2026-12-07",
        "Web addresses",
        "Contact details and review dates",
    ]
    items = [t.content for t in tokens if t.type == "inline" and t.content.startswith("[ ] ")]
    # the broken link, the moved one, the overdue contact, the contact awaiting confirmation
    assert len(items) == 4


def test_a_link_check_that_wrote_no_report_is_said_plainly(
    outputs: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, check, _ = outputs
    result = freshness("--date", "2026-12-07", "--links", tmp_path / "none.json", "--check", check)
    assert result.returncode == 0
    assert "The link check did not finish: see the job's log." in result.stdout
    assert "NWG Network's details were last checked" in result.stdout


def report_step(folder: Path, open_issue: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run the workflow's report step as written, with a stand-in `gh` that logs its calls."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/freshness.yml").read_text())
    step = next(
        s
        for s in workflow["jobs"]["freshness"]["steps"]
        if s.get("id") is None and s.get("name") == "Report the findings"
    )
    bin_dir = folder / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(
        '#!/bin/sh\necho "$@" >> "$GH_LOG"\n'
        'if [ "$1 $2" = "issue list" ]; then printf "%s" "$OPEN_ISSUE"; fi\n'
    )
    gh.chmod(0o755)
    (folder / "src").symlink_to(ROOT / "src")
    env = {
        "PATH": f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin",
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "GH_LOG": str(folder / "gh.log"),
        "OPEN_ISSUE": open_issue,
        "SOURCE_URL": REPO,
    }
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    log = folder / "gh.log"
    return result, log.read_text() if log.exists() else ""


def today() -> str:
    return subprocess.run(
        ["date", "-u", "+%Y-%m-%d"], capture_output=True, text=True
    ).stdout.strip()


@pytest.mark.parametrize(("open_issue", "call"), [("", "create"), ("7", "edit 7")])
def test_the_workflow_opens_or_updates_one_issue_titled_with_the_date(
    outputs: tuple[Path, Path, str], tmp_path: Path, open_issue: str, call: str
) -> None:
    report, check, _ = outputs
    assert (report.parent, check.parent) == (tmp_path, tmp_path)  # where the step reads them
    result, gh_calls = report_step(tmp_path, open_issue)
    assert result.returncode == 1  # the job is marked failed, so someone looks
    assert (tmp_path / "summary.md").read_text() == (tmp_path / "findings.md").read_text()
    assert "NWG Network's details were last checked" in (tmp_path / "summary.md").read_text()
    assert gh_calls.splitlines()[-1] == (
        f"issue {call} --title Pack freshness check: {today()} --body-file findings.md"
    )


def test_no_issue_when_the_run_could_not_get_online(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local_names_only(monkeypatch)  # every site's name fails, as on a runner with no network
    sources = tmp_path / "offline"
    sources.mkdir()
    (sources / "doc.yaml").write_text(
        'links:\n  - "[a](https://one.example.org.uk)"\n  - "[b](https://two.example.org.uk)"\n'
    )
    assert linkcheck(sources, 5, 4, tmp_path / "linkcheck.json", io.StringIO(), io.StringIO()) == 2
    (tmp_path / "check.txt").write_text("No errors: 3 documents and their contacts checked.\n")
    result, gh_calls = report_step(tmp_path, "")
    assert result.returncode == 1
    assert "Nothing to edit: run the workflow again later." in (tmp_path / "summary.md").read_text()
    assert "issue create" not in gh_calls and "issue edit" not in gh_calls
