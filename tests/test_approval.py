"""Approval that means what it says, end to end through real releases.

Every output is read back with an independent reader (pypdf, mammoth, the
standard library's HTML parser and zipfile) and the expected text comes from
the edits made here, not from the code under test.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import SOURCES, TEMPLATES, confirm_every_contact, raw_yaml, replace_in, run_cli
from readers import docx_html, docx_part, docx_part_names, html_outline, pdf_pages_text
from shared import Shared, writable_copy

pytestmark = pytest.mark.slow  # every test here releases the pack

NOVEMBER_28 = {"SOURCE_DATE_EPOCH": "1795824000"}  # 2026-11-28T00:00:00Z
DECEMBER_1 = {"SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01T00:00:00Z
DOCUMENTS = raw_yaml("pack.yaml")["documents"]
STRATEGY = raw_yaml("online-safety-strategy.yaml")["title"]
PACK_APPROVER, DOCUMENT_APPROVER = "Partnership executive group", "Partnership board"
SCOPE_SENTENCE = "This includes paid staff and volunteers."


def approve(path: Path, by: str, on: str) -> None:
    replace_in(path, "status: draft", f"status: approved\napproved_by: {by}\napproved_on: {on}")


def approve_everything(sources: Path) -> None:
    """Every document and the pack approved, and every contact confirmed: nothing in
    the sources is a draft, and pack.yaml lets no draft be released."""
    confirm_every_contact(sources)
    replace_in(sources / "pack.yaml", "release_drafts: publish", "release_drafts: stop")
    for doc_id in DOCUMENTS:
        approve(sources / f"{doc_id}.yaml", DOCUMENT_APPROVER, "2026-11-20")
    approve(sources / "pack.yaml", PACK_APPROVER, "2026-11-25")


@pytest.fixture()
def approved(sources_copy: Path) -> Path:
    """The shipped sources with nothing in them a draft (see `approve_everything`)."""
    approve_everything(sources_copy)
    return sources_copy


@pytest.fixture(scope="module")
def approved_release(shared: Shared) -> Path:
    """A folder holding approved sources (see `approve_everything`) in sources/, with
    templates/, and their release of 28 November 2026 in dist/, made once per run."""

    def make(root: Path) -> None:
        shutil.copytree(SOURCES, root / "sources")
        shutil.copytree(TEMPLATES, root / "templates")
        approve_everything(root / "sources")
        code, stderr = release(root / "sources")
        (root / "released.json").write_text(json.dumps([code, stderr]), encoding="utf-8")

    root = shared.made_once("approved-release", make)
    code, stderr = json.loads((root / "released.json").read_text(encoding="utf-8"))
    assert code == 0, stderr
    return root


def release(sources: Path, *extra: str, env: dict[str, str] = NOVEMBER_28) -> tuple[int, str]:
    result = run_cli(
        "release", "--sources", sources, "--out", sources.parent / "dist", *extra, env=env
    )
    return result.returncode, result.stderr


def squash(text: str) -> str:
    return " ".join(text.split())


def everything_said(folder: Path) -> dict[str, str]:
    """The words of every file a school can open, each read by an independent reader."""
    said: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".pdf":
            said[path.name] = squash(" ".join(pdf_pages_text(path)))
        elif path.suffix == ".docx":
            headers = [n for n in docx_part_names(path) if n.startswith("word/header")]
            parts = [docx_html(path)]
            parts += ["".join(docx_part(path, n).itertext()) for n in headers]
            said[path.name] = squash(" ".join(parts))
        elif path.suffix == ".html":
            said[path.name] = squash(" ".join(html_outline(path).text))
        elif path.suffix in (".md", ".xml"):
            said[path.name] = squash(path.read_text(encoding="utf-8"))
    return said


def test_an_approved_release_never_says_draft(approved_release: Path) -> None:
    folder = approved_release / "dist" / "0.1.0"
    names = [p.name for p in folder.iterdir()]
    (archive,) = [folder / n for n in names if n.endswith(".zip")]
    names += zipfile.ZipFile(archive).namelist()
    names += [f["name"] for f in json.loads((folder / "manifest.json").read_text())["files"]]
    assert not [n for n in names if "draft" in n.lower()]
    said = everything_said(folder)
    assert len(said) == 3 * len(DOCUMENTS) + 4  # DOCX, PDF, HTML each; pack PDF, index, notes, feed
    for name, text in said.items():
        assert "DRAFT" not in text, name
        assert "Not yet approved" not in text, name
        assert "draft release" not in text, name
    for doc_id in DOCUMENTS:
        for suffix in (".pdf", ".docx", ".html"):
            text = said[f"{doc_id}-v0.1.0{suffix}"]
            assert "Approved by" in text and DOCUMENT_APPROVER in text
            assert "20 November 2026" in text
    combined = pdf_pages_text(folder / "online-safety-pack-for-professionals-v0.1.0.pdf")
    pack_control = squash(combined[-1])
    assert "About this pack" in squash(" ".join(combined[-2:]))
    assert f"Approved by {PACK_APPROVER}" in pack_control  # the pack's own approval
    assert "Approval date 25 November 2026" in pack_control
    assert "Status Approved" in pack_control
    index = said["index.html"]
    assert "Status Approved" in index


def test_changed_approved_words_stop_the_release_until_approved_again(
    approved_release: Path, tmp_path: Path
) -> None:
    approved = writable_copy(approved_release, tmp_path / "work") / "sources"
    strategy = approved / "online-safety-strategy.yaml"
    replace_in(
        strategy, SCOPE_SENTENCE, "This includes paid staff, volunteers and students on placement."
    )
    replace_in(approved / "pack.yaml", "version: 0.1.0", "version: 0.2.0")
    line = next(
        number
        for number, text in enumerate(strategy.read_text().splitlines(), 1)
        if text.startswith("approved_on:")
    )

    checked = run_cli("check", "--sources", approved, "--out", approved.parent / "dist")
    assert checked.returncode == 0, checked.stderr
    warning = (
        f'{strategy}:{line}:1: warning: "{STRATEGY}" is still marked as approved on '
        '20 November 2026, but these parts of it have changed since version 0.1.0: "Scope"'
    )
    assert warning in checked.stderr
    assert "set `approved_on`" in checked.stderr and "set `status: draft`" in checked.stderr

    code, stderr = release(approved, env=DECEMBER_1)
    assert code == 1
    assert warning.replace(": warning: ", ": error: ") in stderr
    assert "the pack is still marked as approved on 25 November 2026" in stderr
    assert f'changed since version 0.1.0: "{STRATEGY}"' in stderr
    assert "Traceback" not in stderr
    assert not (approved.parent / "dist" / "0.2.0").exists()
    latest = json.loads((approved.parent / "dist" / "latest.json").read_text())
    assert latest["version"] == "0.1.0"

    replace_in(strategy, "approved_on: 2026-11-20", "approved_on: 2026-11-27")
    still = run_cli("check", "--sources", approved, "--out", approved.parent / "dist")
    assert strategy.name not in still.stderr  # the document is approved again...
    assert "the pack is still marked as approved" in still.stderr  # ...but the pack is not

    replace_in(approved / "pack.yaml", "approved_on: 2026-11-25", "approved_on: 2026-11-27")
    code, stderr = release(approved, env=DECEMBER_1)
    assert code == 0, stderr
    notes = (approved.parent / "dist" / "0.2.0" / "RELEASE-NOTES.md").read_text()
    assert (
        "- Approved again, by Partnership board on 27 November 2026 "
        "(it was approved on 20 November 2026)."
    ) in notes
    assert f'- "Scope" reworded: it said "{SCOPE_SENTENCE}"' in notes


def test_an_old_approval_date_does_not_cover_words_changed_in_a_draft_release(
    approved_release: Path, tmp_path: Path
) -> None:
    """Words changed in a draft release, then marked approved again under the date that
    approved the earlier words: that approval never saw them."""
    approved = writable_copy(approved_release, tmp_path / "work") / "sources"
    strategy = approved / "online-safety-strategy.yaml"
    replace_in(strategy, SCOPE_SENTENCE, "This includes paid staff, volunteers and governors.")
    replace_in(strategy, "status: approved", "status: draft")
    replace_in(approved / "pack.yaml", "status: approved", "status: draft")
    replace_in(approved / "pack.yaml", "version: 0.1.0", "version: 0.2.0")
    code, stderr = release(approved, "--allow-draft", env=DECEMBER_1)
    assert code == 0, stderr

    replace_in(strategy, "status: draft", "status: approved")  # still approved_on: 2026-11-20
    replace_in(approved / "pack.yaml", "status: draft", "status: approved")
    replace_in(approved / "pack.yaml", "version: 0.2.0", "version: 0.3.0")
    warning = (
        f'warning: "{STRATEGY}" is still marked as approved on 20 November 2026, but these '
        'parts of it have changed since version 0.1.0: "Scope"'
    )
    checked = run_cli("check", "--sources", approved, "--out", approved.parent / "dist")
    assert warning in checked.stderr
    assert "the pack is still marked as approved on 25 November 2026" in checked.stderr
    code, stderr = release(approved, env=DECEMBER_1)
    assert code == 1
    assert warning.replace("warning: ", "error: ") in stderr
    assert not (approved.parent / "dist" / "0.3.0").exists()


def test_a_draft_document_is_named_when_the_release_is_refused(approved: Path) -> None:
    """A document set back to draft (its pack with it, as `check` demands) stops the
    release, and the refusal names the document and its file."""
    replace_in(approved / "online-safety-strategy.yaml", "status: approved", "status: draft")
    code, stderr = release(approved)
    assert code == 1
    assert "the pack is marked approved, but it holds drafts: " + STRATEGY in stderr
    replace_in(approved / "pack.yaml", "status: approved", "status: draft")
    code, stderr = release(approved)
    assert code == 1
    assert (
        "nothing is released while it is a draft: the pack (pack.yaml), "
        f'"{STRATEGY}" (online-safety-strategy.yaml)'
    ) in stderr
    assert not (approved.parent / "dist").exists() or not list(
        (approved.parent / "dist").glob("0.*")
    )


def test_a_draft_anywhere_needs_allow_draft_and_the_release_says_so(approved: Path) -> None:
    replace_in(approved / "pack.yaml", "status: approved", "status: draft")
    code, stderr = release(approved)
    assert code == 1
    assert "nothing is released while it is a draft: the pack (pack.yaml)" in stderr
    assert "`release_drafts: publish`" in stderr
    assert not (approved.parent / "dist").exists() or not list(
        (approved.parent / "dist").glob("0.*")
    )

    code, stderr = release(approved, "--allow-draft")
    assert code == 0, stderr
    folder = approved.parent / "dist" / "0.1.0"
    said = everything_said(folder)
    statement = "This is a draft release. It was published before everything in it was approved."
    assert f"{statement} Not yet approved: the pack as a whole." in said[
        "RELEASE-NOTES.md"
    ].replace("**", "")
    assert statement in said["index.html"]
    combined = "online-safety-pack-for-professionals-v0.1.0-draft.pdf"
    assert statement in said[combined]
    pack_control = squash(pdf_pages_text(folder / combined)[-1])
    assert "Status Draft" in pack_control and "Approved by Not yet approved" in pack_control
    for doc_id in DOCUMENTS:  # the documents themselves are approved, and say so
        assert (folder / f"{doc_id}-v0.1.0.pdf").is_file()
        assert "DRAFT" not in said[f"{doc_id}-v0.1.0.pdf"]


def test_changed_words_can_be_approved_again_on_the_same_day(
    approved_release: Path, tmp_path: Path
) -> None:
    """An approval that names the version it approves is a new approval, even on the
    day of the approval an earlier release was made under."""
    approved = writable_copy(approved_release, tmp_path / "work") / "sources"
    strategy = approved / "online-safety-strategy.yaml"
    replace_in(strategy, SCOPE_SENTENCE, "This includes paid staff, volunteers and trustees.")
    replace_in(approved / "pack.yaml", "version: 0.1.0", "version: 0.2.0")
    code, stderr = release(approved, env=DECEMBER_1)
    assert code == 1
    assert "`approved_version`" in stderr  # the hint names the way forward

    for path in (strategy, approved / "pack.yaml"):
        replace_in(path, "approved_on:", "approved_version: 0.2.0\napproved_on:")
    code, stderr = release(approved, env=DECEMBER_1)
    assert code == 0, stderr
    manifest = json.loads((approved.parent / "dist" / "0.2.0" / "manifest.json").read_text())
    assert manifest["approvals"]["pack"]["approved_version"] == "0.2.0"
    strategy_id = "online-safety-strategy"
    assert manifest["approvals"]["documents"][strategy_id]["approved_version"] == "0.2.0"
    assert manifest["approvals"]["documents"][strategy_id]["approved_on"] == "2026-11-20"
