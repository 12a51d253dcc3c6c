"""JSON Schemas of the source files, made from schema.py, so editors can help as people type.

VS Code (with the YAML extension) and other editors that use yaml-language-server
read the `# yaml-language-server: $schema=...` line at the top of each source and
offer completion, hover help and inline errors from these schemas. They are
generated, like docs/source-format.md, so they say what the loader checks:

    python3 -m nox -s docs   (runs python -m esafety_docs.reading.editor_schemas sources/schemas)

A test fails when the committed files differ from what this module makes.
The loader remains the judge: phone numbers, dates that do not exist and
references between files are checked only by `esafety-docs check`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import schema
from .schema import Field

FOLDER = "schemas"  # inside the sources folder
FILES = {
    "pack": "pack.schema.json",
    "contacts": "contacts.schema.json",
    "document": "document.schema.json",
}
DRAFT = "http://json-schema.org/draft-07/schema#"

Json = dict[str, Any]


def modeline(kind: str) -> str:
    """The first line of a source of this kind, naming its schema for the editor."""
    return f"# yaml-language-server: $schema={FOLDER}/{FILES[kind]}"


def schemas() -> dict[str, Json]:
    """Every schema, by file name."""
    contact = _object(schema.CONTACT)
    change = _object(schema.CHANGE)
    block = {
        "description": "A paragraph (text), or exactly one of: "
        + ", ".join(f"`{name}`" for name in schema.BLOCKS),
        "anyOf": [
            _kind("prose"),
            {**_object(schema.BLOCKS), "minProperties": 1, "maxProperties": 1},
        ],
    }
    sections: Json = {}
    for depth in range(1, schema.MAX_SECTION_DEPTH + 1):
        spec = dict(schema.SECTION)
        if depth == schema.MAX_SECTION_DEPTH:
            del spec["sections"]  # no deeper than the loader allows
        sections[f"section-{depth}"] = _object(spec, depth=depth)
    return {
        FILES["pack"]: _file("the pack file (sources/pack.yaml)", schema.PACK, {}),
        FILES["contacts"]: _file(
            "the contacts directory (sources/contacts.yaml)",
            schema.CONTACTS_FILE,
            {"contact": contact},
        ),
        FILES["document"]: _file(
            "a document (sources/<id>.yaml)",
            schema.DOCUMENT,
            {"change": change, "block": block, **sections},
        ),
    }


def text(value: Json) -> str:
    """A schema as the committed file holds it."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every schema into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, value in schemas().items():
        path = folder / name
        path.write_text(text(value), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _file(title: str, spec: dict[str, Field], definitions: Json) -> Json:
    top: Json = {
        "$schema": DRAFT,
        "title": f"esafety-docs: {title}",
        "description": "Generated from src/esafety_docs/reading/schema.py; every key is explained "
        "in docs/source-format.md.",
        **_object(spec),
    }
    if definitions:
        top["definitions"] = definitions
    return top


def _object(spec: dict[str, Field], depth: int = 0) -> Json:
    """A mapping with exactly the keys of `spec`, each described for hover help."""
    properties = {}
    for name, field in spec.items():
        value = _kind(field.kind, depth)
        value["description"] = f"{field.doc} Holds {schema.KINDS[field.kind]}."
        properties[name] = value
    required = [name for name, field in spec.items() if field.required]
    result: Json = {"type": "object", "additionalProperties": False}
    if required:
        result["required"] = required
    result["properties"] = properties
    return result


def _kind(kind: str, depth: int = 0) -> Json:
    """The JSON Schema of one field kind. Scalars the loader reads as text may also be
    numbers to YAML (`version: 2`), so text kinds accept both."""
    id_item: Json = {"type": "string", "pattern": schema.PATTERNS["id"]}
    ids: Json = {"type": "array", "minItems": 1, "uniqueItems": True, "items": id_item}
    line: Json = {"type": ["string", "number"], "minLength": 1}
    kinds: dict[str, Json] = {
        "text": line,
        "prose": line,
        "date": {"type": "string", "pattern": schema.PATTERNS["date"]},
        "status": {"enum": list(schema.STATUSES)},
        "layout": {"enum": list(schema.LAYOUTS)},
        "pending": {"enum": list(schema.PENDING_CHOICES)},
        "drafts": {"enum": list(schema.DRAFT_CHOICES)},
        "id": id_item,
        "ids": ids,
        "contact_ids": {"anyOf": [{"const": "all"}, ids]},
        "texts": {"type": "array", "minItems": 1, "items": line},
        "ways": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"enum": list(schema.WAYS)},
        },
        "url": {"type": "string", "pattern": r"^https?://\S+$"},
        "email": {"type": "string", "pattern": schema.PATTERNS["email"]},
        "phone": {"type": ["string", "integer"]},
        "months": {"type": "integer", "minimum": 1, "maximum": schema.MAX_MONTHS},
        "contacts": _list("contact"),
        "changes": _list("change"),
        "blocks": _list("block"),
        "sections": _list(f"section-{depth + 1}"),
    }
    return dict(kinds[kind])


def _list(definition: str) -> Json:
    return {"type": "array", "minItems": 1, "items": {"$ref": f"#/definitions/{definition}"}}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("sources") / FOLDER
    for path in write(target):
        print(path)
