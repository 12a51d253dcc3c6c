"""Rebuilds do only the work a change needs, decided from digests kept with the outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import NOVEMBER_28, TEMPLATES, Made, document_file, run_cli
from shared import writable_copy

EPOCH = NOVEMBER_28  # the date of the shared `dated_build`


def _rendered(stderr: str) -> list[str]:
    """The files the build rendered, from its progress lines."""
    names: list[str] = []
    for line in stderr.splitlines():
        match = re.match(r"\s+\[\d+/\d+\] (.+) \(", line)
        if match:
            names += match.group(1).split(", ")
    return names


def _inodes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in folder.iterdir()}


def test_an_unchanged_rebuild_does_nothing_and_loads_no_renderer(
    sources_copy: Path, tmp_path: Path, pack_build: Made
) -> None:
    out = writable_copy(pack_build.out, tmp_path / "dist")  # built from the same files
    before = {p.name: p.stat().st_mtime_ns for p in (out / "0.1.0").iterdir()}
    again = run_cli("-X", "importtime", "build", "--sources", sources_copy, "--out", out)
    assert again.returncode == 0, again.stderr
    assert "Up to date" in again.stderr
    assert again.stdout.strip() == str(out / "0.1.0")
    imported = [line for line in again.stderr.splitlines() if line.startswith("import time:")]
    assert imported, "python -X importtime printed nothing"
    assert not [line for line in imported if re.search(r"\b(reportlab|docx|yaml)\b", line)]
    assert {p.name: p.stat().st_mtime_ns for p in (out / "0.1.0").iterdir()} == before


def test_a_copied_checkout_keeps_its_outputs(
    sources_copy: Path, tmp_path: Path, pack_build: Made
) -> None:
    """Sources and templates copied elsewhere (a moved checkout, a CI clone) with a
    built pack: what the pack shows is unchanged, so nothing is rendered again."""
    out = writable_copy(pack_build.out, tmp_path / "dist")
    pack = sources_copy / "pack.yaml"
    pack.write_text(pack.read_text() + "\n# A comment changes the file, not the pack.\n")
    again = run_cli("build", "--sources", sources_copy, "--out", out)
    assert again.returncode == 0, again.stderr
    assert "Up to date" not in again.stderr  # the files did change
    assert _rendered(again.stderr) == []
    assert "10 of 10 renders were up to date" in again.stderr


@pytest.mark.slow
def test_one_phone_number_rebuilds_only_what_shows_it(
    sources_copy: Path, tmp_path: Path, dated_build: Made
) -> None:
    out = writable_copy(dated_build.out, tmp_path / "dist")  # built with the same templates
    assert len(_rendered(dated_build.stderr)) == 13  # 3 x (DOCX, PDF, PNG, HTML) + the pack PDF
    briefing = [document_file("police-sexting-briefing", ext) for ext in ("docx", "pdf", "html")]
    kept = {name: ino for name, ino in _inodes(out / "0.1.0").items() if name in briefing}
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace("01332 585371", "01332 585372"))

    second = run_cli(
        "build", "--sources", sources_copy, "--templates", TEMPLATES, "--out", out, env=EPOCH
    )
    assert second.returncode == 0, second.stderr
    rendered = set(_rendered(second.stderr))
    # NWG is in the contact sheet's table and the strategy's list of contacts, not the briefing.
    for doc_id in ("contact-sheet", "online-safety-strategy"):
        assert {document_file(doc_id, ext) for ext in ("docx", "pdf", "html")} <= rendered
    assert any(name.startswith("online-safety-pack") for name in rendered)
    assert not rendered & set(briefing)
    assert "3 of 10 renders were up to date" in second.stderr
    after = _inodes(out / "0.1.0")
    assert all(after[name] == ino for name, ino in kept.items())  # carried over, not rewritten


@pytest.mark.slow
def test_a_brand_change_rebuilds_everything(sources_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run_cli("build", "--sources", sources_copy, "--out", out).returncode == 0
    brand = sources_copy.parent / "templates" / "brand.yaml"
    brand.write_text(brand.read_text().replace('teal: "#00576B"', 'teal: "#00506B"'))
    again = run_cli("build", "--sources", sources_copy, "--out", out)
    assert again.returncode == 0, again.stderr
    assert len(_rendered(again.stderr)) == 13
    assert "up to date" not in again.stderr.lower()


@pytest.mark.slow
def test_force_renders_everything(sources_copy: Path, tmp_path: Path, pack_build: Made) -> None:
    out = writable_copy(pack_build.out, tmp_path / "dist")  # built with the same templates
    folders = ("--sources", sources_copy, "--templates", TEMPLATES, "--out", out)
    assert "Up to date" in run_cli("build", *folders).stderr  # nothing to do, unless...
    forced = run_cli("build", "--force", *folders)
    assert forced.returncode == 0
    assert len(_rendered(forced.stderr)) == 13
