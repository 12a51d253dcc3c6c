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

REPO = "https://github.example/ddscp/pack/blob/0123abc"


def freshness(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run as the workflow does: a bare interpreter (no site-packages) with src/ on the path."""
    return subprocess.run(
        [sys.executable, "-S", "-m", "esafety_docs.freshness", *map(str, args)],
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
    assert len(items) == 3  # the broken link, the moved one, the overdue contact


def test_a_link_check_that_wrote_no_report_is_said_plainly(
    outputs: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, check, _ = outputs
    result = freshness("--date", "2026-12-07", "--links", tmp_path / "none.json", "--check", check)
    assert result.returncode == 0
    assert "The link check did not finish: see the job's log." in result.stdout
    assert "NWG Network's details were last checked" in result.stdout
