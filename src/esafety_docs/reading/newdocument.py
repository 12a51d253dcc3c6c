"""`esafety-docs new-document ID`: a starting file for a new document, listed in pack.yaml.

The new file names its schema on its first line, so the editor helps from the
first keystroke, and passes `check` as it is. pack.yaml is edited as text (one
line added to `documents`), so its comments, order and layout stay as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import editor_schemas, schema
from .diagnostics import Reporter, SourceError, display_path
from .reader import ReadContext, YamlReader
from .source_reader import PACK_FILE


class NewDocumentError(Exception):
    """The document cannot be started as asked; `hint` says what to do instead."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Created:
    """What `create` did."""

    path: Path
    listed: bool  # False when pack.yaml already listed the id


def create(sources: Path, doc_id: str, title: str | None, today: dt.date) -> Created:
    """Write sources/<doc_id>.yaml and add the id to the end of pack.yaml's documents."""
    if not re.fullmatch(schema.PATTERNS["id"], doc_id):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", doc_id.lower())) or "online-safety-guide"
        raise NewDocumentError(
            f"{doc_id!r} cannot be a document id: ids use lower-case letters, digits and "
            "hyphens only",
            f"use {suggestion} instead",
        )
    path = sources / f"{doc_id}.yaml"
    if path.exists():
        raise NewDocumentError(
            f"{display_path(path)} already exists",
            "choose another id, or open that file to edit the document",
        )
    pack_path = sources / PACK_FILE
    reporter = Reporter()
    reader = YamlReader(pack_path, reporter, ReadContext(today=today))
    fields = reader.read_root(schema.PACK, "the pack file")
    documents = fields.get("documents") if fields else None
    listed = [value for value, _ in reader.ids(documents, "document")] if documents else []
    if fields is None or documents is None or reporter.errors:
        raise SourceError(reporter.errors)
    get = reader.values(fields)

    text = starting_file(
        doc_id, title or _title_from(doc_id), get("owner"), get("review_due"), get("version"), today
    )
    _write(path, text)
    if doc_id in listed:
        return Created(path, listed=False)
    raw = pack_path.read_bytes().decode("utf-8")
    _write(pack_path, _with_document(raw, documents, doc_id))
    return Created(path, listed=True)


def starting_file(
    doc_id: str, title: str, owner: str, review_due: dt.date, version: str, today: dt.date
) -> str:
    """A document that passes `check` as it is, with every required key to fill in."""

    def quoted(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string

    return "\n".join(
        [
            editor_schemas.modeline("document"),
            "# A new document of the pack. Replace the words in quotes with your own;",
            "# every key is explained in docs/source-format.md. Check it with",
            "# `python3 -m nox -s check` (on Windows: `py -m nox -s check`).",
            f"id: {doc_id}",
            f"title: {quoted(title)}",
            'subtitle: "One line that goes under the title on the cover"',
            'summary: "One sentence saying what this document is for."',
            "status: draft",
            f"owner: {quoted(owner)}",
            f"review_due: {review_due.isoformat()}",
            "change_history:",
            f"  - version: {quoted(version)}",
            f"    date: {today.isoformat()}",
            '    change: "First draft."',
            "sections:",
            '  - title: "First section"',
            "    body:",
            '      - "Write the first paragraph here. Each paragraph is a new line starting'
            ' with a dash."',
            "      - bullets:",
            '          - "A list item"',
            '          - "Another list item"',
            "",
        ]
    )


def _title_from(doc_id: str) -> str:
    """online-safety-guide -> Online safety guide."""
    return doc_id.replace("-", " ").capitalize()


def _with_document(raw: str, documents: yaml.Node, doc_id: str) -> str:
    """pack.yaml's text with `doc_id` added after the last document, in the same style."""
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    lines = raw.removeprefix(bom).splitlines(keepends=True)
    assert isinstance(documents, yaml.SequenceNode) and documents.value
    if documents.flow_style:  # documents: [a, b]
        end = documents.end_mark
        row = lines[end.line]
        closing = row.rindex("]", 0, end.column)
        lines[end.line] = f"{row[:closing]}, {doc_id}{row[closing:]}"
    else:  # one `- id` line per document
        last = documents.value[-1]
        row = lines[last.start_mark.line]
        ending = row[len(row.rstrip("\r\n")) :] or "\n"
        if not row.endswith(("\n", "\r")):
            lines[last.start_mark.line] = row + ending
        marker = row[: last.start_mark.column]
        lines.insert(last.end_mark.line + 1, f"{marker}{doc_id}{ending}")
    return bom + "".join(lines)


def _write(path: Path, text: str) -> None:
    """Replace the file whole, so an interrupted write never leaves half a file."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(text.encode("utf-8"))
    os.replace(temporary, path)
