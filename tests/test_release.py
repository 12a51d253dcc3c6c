"""Releases: reproducible bytes, checksums, notes, verification, never overwriting."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import (
    NOVEMBER_28,
    TEMPLATES,
    VERSION,
    Made,
    confirm_every_contact,
    document_file,
    no_processes_left_for,
    raw_yaml,
    run_cli,
)
from readers import R, W, docx_part, html_outline, pdf_pages_text
from shared import writable_copy

EPOCH = NOVEMBER_28  # the date of the shared `dated_build` and `draft_release`


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _release(
    sources: Path, out: Path, *extra: str | Path, env: dict[str, str] = EPOCH
) -> subprocess.CompletedProcess[str]:
    return run_cli("release", "--sources", sources, "--out", out, "--allow-draft", *extra, env=env)


def _approvals(folder: Path) -> dict[str, str]:
    """Each document's recorded content digest, from a release's manifest."""
    manifest = json.loads((folder / "manifest.json").read_text())
    return {i: a["content_sha256"] for i, a in manifest["approvals"]["documents"].items()}


def _bump(sources: Path, version: str, phone: str | None = None) -> None:
    pack = sources / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    current = next(line for line in text.splitlines() if line.startswith("version:"))
    pack.write_text(text.replace(current, f"version: {version}"), encoding="utf-8")
    if phone:
        contacts = sources / "contacts.yaml"
        text = contacts.read_text(encoding="utf-8")
        contacts.write_text(text.replace("phone: 01332 585371", f"phone: {phone}"))


@pytest.mark.slow
def test_two_builds_with_the_same_epoch_are_byte_identical(
    sources_copy: Path, tmp_path: Path, dated_build: Made
) -> None:
    first, second = dated_build.out, tmp_path / "two"  # from sources in another folder
    built = run_cli(
        "build", "--sources", sources_copy, "--templates", TEMPLATES, "--out", second, env=EPOCH
    )
    assert built.returncode == 0
    assert _tree(first) == _tree(second)
    # per document DOCX, PDF, HTML, PNG; pack PDF, zip, index; and the build state
    assert len(_tree(first)) == 16


@pytest.mark.slow
def test_two_releases_in_separate_processes_are_byte_identical(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    first, second = draft_release.out, tmp_path / "two"  # from sources in another folder
    # The first rendered in one process, this one shared between two workers.
    assert _release(sources_copy, second, env={**EPOCH, "ESAFETY_DOCS_JOBS": "2"}).returncode == 0
    assert _tree(first) == _tree(second)
    folder = first / "0.1.0"
    core = docx_part(folder / document_file("contact-sheet", "docx"), "docProps/core.xml")
    modified = [e.text for e in core if e.tag.endswith("}modified")]
    assert modified == ["2026-11-28T00:00:00Z"]  # the release date, from SOURCE_DATE_EPOCH
    metadata = PdfReader(folder / document_file("contact-sheet", "pdf")).metadata
    assert metadata is not None
    assert str(metadata["/CreationDate"]).startswith("D:20261128000000")


@pytest.mark.slow
def test_a_release_is_dated_today_unless_dated_before(sources_copy: Path, tmp_path: Path) -> None:
    today = dt.date.today()
    result = _release(sources_copy, tmp_path / "today", env={})
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "today" / "0.1.0" / "manifest.json").read_text())
    assert manifest["released_on"] in (today.isoformat(), dt.date.today().isoformat())
    notes = (tmp_path / "today" / "0.1.0" / "RELEASE-NOTES.md").read_text()
    released = dt.date.fromisoformat(manifest["released_on"])
    assert f"- **Released on:** {released.day} {released:%B %Y}\n" in notes

    # Released on another day, then released again with no date given: the recorded
    # date is used, so the same content is the same release.
    dated = tmp_path / "dated"
    assert _release(sources_copy, dated, env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    again = _release(sources_copy, dated, env={})
    assert again.returncode == 0, again.stderr
    assert "already released with identical content" in again.stderr


def test_without_an_epoch_builds_use_the_current_time(pack_folder: Path) -> None:
    core = docx_part(pack_folder / document_file("contact-sheet", "docx"), "docProps/core.xml")
    modified = next(e.text for e in core if e.tag.endswith("}modified"))
    assert modified is not None and not modified.startswith("2026-11-28T00:00:00")


@pytest.mark.slow
def test_release_folder_has_manifest_sums_and_notes_that_match(draft_release: Made) -> None:
    folder = draft_release.folder
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["version"] == "0.1.0"
    assert manifest["libraries"]["reportlab"] and manifest["libraries"]["python-docx"]
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if entry["format"] == "pdf":
            assert entry["pages"] == len(PdfReader(folder / entry["name"]).pages)
    assert "This is the first release" in (folder / "RELEASE-NOTES.md").read_text()
    assert manifest["released_on"] == "2026-11-28"
    assert manifest["source_date_epoch"] == int(EPOCH["SOURCE_DATE_EPOCH"])
    statuses = {i: a["status"] for i, a in manifest["approvals"]["documents"].items()}
    assert statuses == {
        d: raw_yaml(f"{d}.yaml")["status"] for d in raw_yaml("pack.yaml")["documents"]
    }
    assert json.loads((draft_release.out / "latest.json").read_text())["version"] == "0.1.0"


@pytest.mark.slow
def test_contact_details_are_not_part_of_the_approved_words(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    out = writable_copy(draft_release.out, tmp_path / "dist")
    _bump(sources_copy, "0.2.0", phone="01332 585372")
    result = _release(sources_copy, out)
    assert result.returncode == 0, result.stderr
    assert _approvals(out / "0.2.0") == _approvals(out / "0.1.0")
    assert (
        "NWG Network's phone number is now 01332 585372"
        in (out / "0.2.0" / "RELEASE-NOTES.md").read_text()
    )
    assert json.loads((out / "latest.json").read_text())["version"] == "0.2.0"


@pytest.mark.slow
def test_since_compares_with_a_chosen_release(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    _bump(sources_copy, "0.3.0")
    result = _release(sources_copy, tmp_path / "new", "--since", draft_release.folder)
    assert result.returncode == 0, result.stderr
    notes = (tmp_path / "new" / "0.3.0" / "RELEASE-NOTES.md").read_text()
    assert "Nothing in the pack has changed since version 0.1.0." in notes


@pytest.mark.slow
def test_verify_names_altered_missing_and_extra_files(tmp_path: Path, draft_release: Made) -> None:
    folder = writable_copy(draft_release.folder, tmp_path / "0.1.0")
    assert run_cli("verify", folder).returncode == 0
    pdf = folder / document_file("contact-sheet", "pdf")
    docx = folder / document_file("contact-sheet", "docx")
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    docx.unlink()
    (folder / "extra.txt").write_text("not part of the release")
    result = run_cli("verify", folder)
    assert result.returncode == 1
    assert f"altered: {pdf.name} does not match its SHA-256" in result.stderr
    assert f"missing: {docx.name}" in result.stderr
    assert "extra: extra.txt is not in SHA256SUMS" in result.stderr


@pytest.mark.slow
def test_a_released_version_is_never_overwritten(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    out = writable_copy(draft_release.out, tmp_path / "dist")
    before = _tree(out)
    again = _release(sources_copy, out)
    assert again.returncode == 0
    assert "already released with identical content" in again.stderr
    # Made from exactly what made the published release: known without rendering it.
    assert not re.search(r"\[\d+/\d+\]", again.stderr), again.stderr
    _bump(sources_copy, "0.1.0", phone="01332 585372")
    changed = _release(sources_copy, out)
    assert changed.returncode == 1
    assert "version 0.1.0 is already released" in changed.stderr
    rebuilt = run_cli("build", "--sources", sources_copy, "--out", out)
    assert rebuilt.returncode == 1
    assert "already released" in rebuilt.stderr
    assert _tree(out) == before


@pytest.mark.slow
def test_a_release_made_again_after_a_template_changed_is_compared_in_full(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    """Only exactly the same sources, templates, tool and libraries skip the render:
    a comment added to the brand changes no file, but it is rendered and compared."""
    out = writable_copy(draft_release.out, tmp_path / "dist")
    brand = sources_copy.parent / "templates" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "# checked again\n", encoding="utf-8")
    again = _release(sources_copy, out)
    assert again.returncode == 0, again.stderr
    assert "already released with identical content" in again.stderr
    assert re.search(r"\[\d+/\d+\]", again.stderr), "it was not rendered again"


@pytest.mark.slow
def test_a_release_killed_part_way_leaves_dist_as_it_was(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    out = writable_copy(draft_release.out, tmp_path / "dist")
    before = _tree(out)
    _bump(sources_copy, "0.2.0", phone="01332 585372")
    command = ["release", "--allow-draft", "--sources", str(sources_copy), "--out", str(out)]
    process = subprocess.Popen(
        [sys.executable, "-m", "esafety_docs", *command],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "[8/10]" in line:  # most renders written, the zip, notes and manifest not yet
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    after = {name: data for name, data in _tree(out).items() if not name.startswith(".")}
    assert after == before
    assert not (out / "0.2.0").exists()
    assert no_processes_left_for(str(out))  # the worker processes went with it


def release_setting(sources: Path, key: str, value: str | None) -> None:
    """Set one of pack.yaml's `release_pending` and `release_drafts`, or (None) leave
    it out."""
    pack = sources / "pack.yaml"
    lines = pack.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{key}:")]
    assert value or len(kept) == len(lines) - 1, f"{key} is not in pack.yaml"
    added = [f"{key}: {value}\n"] if value else []
    pack.write_text("".join(kept + added), encoding="utf-8")


def test_a_contact_awaiting_confirmation_stops_a_release_unless_pack_yaml_allows_it(
    sources_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    release_setting(sources_copy, "release_pending", None)  # left out: stop
    result = run_cli("release", "--sources", sources_copy, "--out", out)
    assert result.returncode == 1
    assert "is awaiting confirmation, so no document prints it" in result.stderr
    assert "set `release_pending: leave_out`" in result.stderr.splitlines()[-1]
    assert not out.exists() or not any(out.iterdir())

    release_setting(sources_copy, "release_pending", "leave_out")
    result = run_cli("release", "--sources", sources_copy, "--out", out)
    assert result.returncode == 0, result.stderr
    notes = (out / VERSION / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert "Not listed in this release, until the details are confirmed:" in notes


@pytest.mark.slow  # reads the shared release, which the quick loop does not make
def test_a_release_with_allow_draft_names_the_contact_it_leaves_out(draft_release: Made) -> None:
    """The shipped sources hold a contact awaiting confirmation: the release made with
    --allow-draft says, in every format of its notes, that it is not listed."""
    (awaiting,) = [c for c in raw_yaml("contacts.yaml")["contacts"] if "awaiting_confirmation" in c]
    sentence = f"Not listed in this release, until the details are confirmed: {awaiting['name']}."
    folder = draft_release.folder
    combined = next(folder.glob("online-safety-pack-*.pdf"))
    said = {
        "RELEASE-NOTES.md": (folder / "RELEASE-NOTES.md").read_text().replace("**", ""),
        "download page": " ".join(html_outline(folder / "index.html").text),
        "combined PDF": " ".join(pdf_pages_text(combined)[-3:]),
    }
    for where, text in said.items():
        assert sentence in " ".join(text.split()), where


def test_drafts_are_refused_when_pack_yaml_does_not_allow_them(
    sources_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    confirm_every_contact(sources_copy)
    release_setting(sources_copy, "release_drafts", None)  # left out: stop
    result = run_cli("release", "--sources", sources_copy, "--out", out)
    assert result.returncode == 1
    assert "nothing is released while it is a draft: the pack (pack.yaml)" in result.stderr
    assert "set `release_drafts: publish` in pack.yaml" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_release_refuses_warnings(sources_copy: Path, tmp_path: Path) -> None:
    pack = sources_copy / "pack.yaml"
    pack.write_text(pack.read_text().replace("review_due: 2027-11-28", "review_due: 2020-01-01"))
    result = _release(sources_copy, tmp_path)
    assert result.returncode == 1
    assert "error: the pack was due for review on 2020-01-01" in result.stderr


@pytest.mark.parametrize("doc_id", ["online-safety-strategy", "contact-sheet"])
def test_a_draft_is_marked_on_every_page_of_both_formats(pack_folder: Path, doc_id: str) -> None:
    pages = pdf_pages_text(pack_folder / document_file(doc_id, "pdf"))
    assert len(pages) > 1
    assert all("DRAFT" in page for page in pages)
    name = document_file(doc_id, "docx")
    assert name.endswith("-draft.docx")
    document = docx_part(pack_folder / name, "word/document.xml")
    sections = list(document.iter(f"{W}sectPr"))  # a sheet's cards are a section of their own
    references = {r.get(f"{R}id") for s in sections for r in s.iter(f"{W}headerReference")}
    assert len(references) == 1  # every section shows the same header
    header = docx_part(pack_folder / name, "word/header1.xml")
    assert "DRAFT" in "".join(t.text or "" for t in header.iter(f"{W}t"))


@pytest.mark.slow
def test_an_approved_document_has_no_draft_mark(sources_copy: Path, tmp_path: Path) -> None:
    sheet = sources_copy / "contact-sheet.yaml"
    sheet.write_text(
        sheet.read_text().replace(
            "status: draft",
            "status: approved\napproved_by: Partnership board\napproved_on: 2026-11-20",
        )
    )
    assert run_cli("build", "--sources", sources_copy, "--out", tmp_path).returncode == 0
    pdf = tmp_path / "0.1.0" / "contact-sheet-v0.1.0.pdf"
    assert all("DRAFT" not in page for page in pdf_pages_text(pdf))
    text = " ".join(" ".join(pdf_pages_text(pdf)).split())
    assert "Approved by Partnership board" in text
    assert "Approval date 20 November 2026" in text
    shutil.rmtree(tmp_path / "0.1.0")


@pytest.mark.slow
def test_a_reworded_list_item_names_its_section_in_the_notes(
    sources_copy: Path, tmp_path: Path, draft_release: Made
) -> None:
    out = writable_copy(draft_release.out, tmp_path / "dist")
    _bump(sources_copy, "0.2.0")
    briefing = sources_copy / "police-sexting-briefing.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "Police record every case as a crime." in text
    briefing.write_text(text.replace("Police record every case", "Police log every case"))
    assert _release(sources_copy, out).returncode == 0
    notes = (out / "0.2.0" / "RELEASE-NOTES.md").read_text()
    title = raw_yaml("police-sexting-briefing.yaml")["title"]
    group = notes.split(f"## {title}\n\n", 1)[1].split("\n\n", 1)[0].strip()
    assert group == (
        '- "What police do when a report is made" reworded: it said "Police record every case '
        'as a crime." and now says "Police log every case as a crime."'
    )
    before, after = _approvals(out / "0.1.0"), _approvals(out / "0.2.0")
    assert [d for d in after if after[d] != before[d]] == ["police-sexting-briefing"]
