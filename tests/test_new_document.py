"""`esafety-docs new-document ID`: a valid starting file, listed in pack.yaml by adding
one line and changing nothing else in that file."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import jsonschema
import yaml

from conftest import SOURCES, run_cli
from readers import yaml_as_editors_read

NEW = "online-safety-guide"


def _added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    changed = [line for line in diff if line[:2] in ("+ ", "- ")]
    assert all(line.startswith("+ ") for line in changed), changed
    return [line[2:] for line in changed]


def test_a_new_document_is_written_listed_and_passes_check(sources_copy: Path) -> None:
    pack = sources_copy / "pack.yaml"
    before = pack.read_text(encoding="utf-8")

    result = run_cli("new-document", NEW, "--sources", sources_copy)

    assert result.returncode == 0, result.stderr
    created = sources_copy / f"{NEW}.yaml"
    assert result.stdout.strip() == str(created)
    assert _added_lines(before, pack.read_text(encoding="utf-8")) == [f"  - {NEW}\n"]
    assert yaml.safe_load(pack.read_text(encoding="utf-8"))["documents"][-1] == NEW

    text = created.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schemas/document.schema.json"
    schema = json.loads((SOURCES / "schemas" / "document.schema.json").read_text())
    jsonschema.validate(yaml_as_editors_read(text), schema)
    source = yaml.safe_load(text)
    assert (source["id"], source["title"], source["status"]) == (
        NEW,
        "Online safety guide",
        "draft",
    )
    check = run_cli("check", "--sources", sources_copy)
    assert check.returncode == 0, check.stderr
    assert "4 documents" in check.stderr
    assert f"{NEW}.yaml" not in check.stderr  # not a single warning about the new file


def test_the_title_can_be_given(sources_copy: Path) -> None:
    result = run_cli(
        "new-document", NEW, "--title", "Staying safe: a guide", "--sources", sources_copy
    )
    assert result.returncode == 0, result.stderr
    source = yaml.safe_load((sources_copy / f"{NEW}.yaml").read_text(encoding="utf-8"))
    assert source["title"] == "Staying safe: a guide"


def test_a_list_in_brackets_windows_line_ends_and_a_bom_are_kept(sources_copy: Path) -> None:
    pack = sources_copy / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    ids = ["online-safety-strategy", "police-sexting-briefing", "contact-sheet"]
    block = "documents:\n" + "".join(f"  - {doc_id}\n" for doc_id in ids)
    assert block in text
    flow = f"documents: [{', '.join(ids)}]  # in this order\n"
    windows = "\ufeff" + text.replace(block, flow).replace("\n", "\r\n")
    pack.write_bytes(windows.encode("utf-8"))

    result = run_cli("new-document", NEW, "--sources", sources_copy)

    assert result.returncode == 0, result.stderr
    expected = windows.replace("contact-sheet]", f"contact-sheet, {NEW}]")
    assert pack.read_bytes().decode("utf-8") == expected


def test_an_id_that_cannot_be_one_is_refused_with_the_id_it_could_be(sources_copy: Path) -> None:
    before = sorted(p.name for p in sources_copy.iterdir())
    result = run_cli("new-document", "Online Safety Guide", "--sources", sources_copy)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "esafety-docs: error: 'Online Safety Guide' cannot be a document id: ids use "
        "lower-case letters, digits and hyphens only",
        "    hint: use online-safety-guide instead",
    ]
    assert sorted(p.name for p in sources_copy.iterdir()) == before


def test_an_existing_document_is_never_overwritten(sources_copy: Path) -> None:
    sheet = sources_copy / "contact-sheet.yaml"
    before = sheet.read_bytes()
    result = run_cli("new-document", "contact-sheet", "--sources", sources_copy)
    assert result.returncode == 2
    assert "contact-sheet.yaml already exists" in result.stderr
    assert sheet.read_bytes() == before


def test_an_id_already_listed_gets_its_file_and_is_not_listed_twice(sources_copy: Path) -> None:
    pack = sources_copy / "pack.yaml"
    (sources_copy / "contact-sheet.yaml").unlink()
    before = pack.read_bytes()
    result = run_cli("new-document", "contact-sheet", "--sources", sources_copy)
    assert result.returncode == 0, result.stderr
    assert "pack.yaml already lists it" in result.stderr
    assert pack.read_bytes() == before


def test_a_broken_pack_file_is_reported_and_nothing_is_written(sources_copy: Path) -> None:
    pack = sources_copy / "pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("status: draft", "status: done"))
    before = pack.read_bytes()
    result = run_cli("new-document", NEW, "--sources", sources_copy)
    assert result.returncode == 1
    assert "error: status 'done' is not one of: draft, approved" in result.stderr
    assert not (sources_copy / f"{NEW}.yaml").exists()
    assert pack.read_bytes() == before
