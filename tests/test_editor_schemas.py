"""The editors' JSON Schemas: generated from schema.py, named by every shipped source,
and in agreement with the loader, checked with an independent validator (jsonschema)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import SOURCES, replace_in, run_cli
from esafety_docs.reading import editor_schemas
from readers import yaml_as_editors_read

SCHEMAS = SOURCES / "schemas"


def _schema_named_by(source: Path) -> Path:
    """The schema file a source's first line points the editor at."""
    first = source.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), f"{source.name} does not name its schema on line 1"
    return (source.parent / first.removeprefix(prefix)).resolve()


def _errors(source: Path) -> list[str]:
    schema = json.loads(_schema_named_by(source).read_text(encoding="utf-8"))
    data = yaml_as_editors_read(source.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def _shipped_sources() -> list[Path]:
    return sorted(SOURCES.glob("*.yaml"))


def test_the_committed_schemas_are_what_schema_py_makes() -> None:
    made = editor_schemas.schemas()
    committed = sorted(p.name for p in SCHEMAS.glob("*.json"))
    assert committed == sorted(made), "run `python3 -m nox -s docs`"
    for name, value in made.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == editor_schemas.text(value), (
            f"sources/schemas/{name} is out of date: run `python3 -m nox -s docs`"
        )


def test_every_schema_is_a_valid_draft_7_schema() -> None:
    for path in SCHEMAS.glob("*.json"):
        jsonschema.Draft7Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("source", _shipped_sources(), ids=lambda p: p.name)
def test_each_shipped_source_names_its_schema_and_passes_it(source: Path) -> None:
    expected = {"pack.yaml": "pack", "contacts.yaml": "contacts"}.get(source.name, "document")
    assert _schema_named_by(source) == (SCHEMAS / editor_schemas.FILES[expected]).resolve()
    assert _errors(source) == []


def _edit(name: str, old: str, new: str) -> Callable[[Path], Path]:
    def apply(sources: Path) -> Path:
        replace_in(sources / name, old, new)
        return sources / name

    return apply


_DEEP = """
    sections:
      - title: Two
        body: [two]
        sections:
          - title: Three
            body: [three]
            sections:
              - title: Four
                body: [four]
"""

# Each break: what is done to a shipped source, and the schema error it must cause.
BREAKS: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "unknown key in a contact",
        _edit("contacts.yaml", "    hours:", "    opening:"),
        "contacts/0: Additional properties are not allowed ('opening' was unexpected)",
    ),
    (
        "status not in the list",
        _edit("pack.yaml", "status: draft", "status: done"),
        "status: 'done' is not one of ['draft', 'approved']",
    ),
    (
        "id in capitals",
        _edit("contacts.yaml", "id: ceop", "id: CEOP"),
        "contacts/2/id: 'CEOP' does not match",
    ),
    (
        "required key missing",
        _edit("pack.yaml", "owner: Derby and Derbyshire Safeguarding Children Partnership\n", ""),
        ": 'owner' is a required property",
    ),
    (
        "date written day first",
        _edit("pack.yaml", "date: 2026-11-28", "date: 28/11/2026"),
        "date: '28/11/2026' does not match",
    ),
    (
        "not_listed names something else",
        _edit("contacts.yaml", "not_listed: [phone, email]", "not_listed: [phone, fax]"),
        "contacts/1/not_listed/1: 'fax' is not one of ['phone', 'email']",
    ),
    (
        "a block with two kinds",
        _edit(
            "contact-sheet.yaml",
            "      - contacts: all\n",
            "      - contacts: all\n        bullets: [one]\n",
        ),
        "sections/2/body/1: ",
    ),
    (
        "sections four levels deep",
        _edit(
            "contact-sheet.yaml",
            "      - contacts: all\n",
            f"      - contacts: all{_DEEP}",
        ),
        "sections/2/sections/0/sections/0: Additional properties are not allowed "
        "('sections' was unexpected)",
    ),
]


@pytest.mark.parametrize("case", BREAKS, ids=[name for name, _, _ in BREAKS])
def test_a_source_broken_on_purpose_fails_its_schema_and_the_check(
    case: tuple[str, Callable[[Path], Path], str], tmp_path: Path
) -> None:
    _, break_it, expected = case
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(SOURCES.parent / "templates", tmp_path / "templates")
    broken = break_it(tmp_path / "sources")

    errors = _errors(broken)
    assert any(error.startswith(expected) for error in errors), errors
    # The schema and the loader are made from the same tables: the check refuses it too.
    result = run_cli("check", "--sources", tmp_path / "sources")
    assert result.returncode == 1, result.stderr


def _properties(node: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every (key, property schema) anywhere in a schema."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.append((key, value))
        for value in node.values():
            found += _properties(value)
    elif isinstance(node, list):
        for value in node:
            found += _properties(value)
    return found


def test_every_key_has_hover_help() -> None:
    for path in SCHEMAS.glob("*.json"):
        properties = _properties(json.loads(path.read_text(encoding="utf-8")))
        assert properties
        for key, value in properties:
            assert len(value.get("description", "")) > 10, f"{path.name}: {key}"


def test_vs_code_recommends_the_yaml_extension_and_indents_yaml_with_spaces() -> None:
    folder = SOURCES.parent / ".vscode"
    extensions = json.loads((folder / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
    assert settings["[yaml]"]["editor.insertSpaces"] is True
