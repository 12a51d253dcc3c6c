"""The pack reduced to plain data that a later release can compare with.

A release keeps this as sources.json. The next release compares with it to
write its notes, and to see whether words that were approved have changed. Each
section keeps only its own words (paragraphs and list items, one entry each)
and the contacts it names itself: a table of the whole directory does not
change its words when the directory grows. Contact details are compared on
their own, with the documents that show them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ..reading.model import (
    BulletList,
    ContactList,
    ContactTable,
    Document,
    Heading,
    NumberedList,
    Pack,
    Paragraph,
    plain_text,
)

FORMAT = 2
# What the pack prints of a contact; `source` and `checked_on` are for editors only.
CONTACT_FIELDS = ("name", "helps_with", "phone", "email", "web", "hours", "notes")

Snapshot = dict[str, Any]


def snapshot_of(pack: Pack) -> Snapshot:
    """Everything readers see, by document and section, plus each level's approval."""
    return {
        "format": FORMAT,
        "pack": {
            "title": pack.title,
            "version": pack.version,
            "date": pack.date.isoformat(),
            **_control(
                pack.status,
                pack.approved_by,
                pack.approved_on,
                pack.review_due,
                pack.approved_version,
            ),
            "documents": [d.id for d in pack.documents],
            "awaiting_confirmation": list(pack.awaiting_confirmation),
        },
        "contacts": {
            c.id: {
                "name": c.name,
                "helps_with": plain_text(c.helps_with),
                "phone": c.phone,
                "email": c.email,
                "web": c.web,
                "hours": c.hours,
                "notes": plain_text(c.notes) or None,
            }
            for c in pack.contacts
        },
        "documents": {d.id: _document(d) for d in pack.documents},
    }


def _control(
    status: str,
    approved_by: str | None,
    approved_on: dt.date | None,
    review_due: dt.date,
    approved_version: str | None,
) -> dict[str, Any]:
    control: dict[str, Any] = {
        "status": status,
        "approved_by": approved_by,
        "approved_on": approved_on.isoformat() if approved_on else None,
        "review_due": review_due.isoformat(),
    }
    if approved_version:  # only when given, so earlier releases' snapshots compare equal
        control["approved_version"] = approved_version
    return control


def _document(document: Document) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    shows: list[str] = []
    path: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            path = [*path[: block.level - 1], block.text]
            sections.append({"path": path, "words": [], "lists": [], "directory": False})
            continue
        if not sections:
            continue
        section = sections[-1]
        if isinstance(block, Paragraph):
            section["words"].append(plain_text(block.inlines))
        elif isinstance(block, BulletList | NumberedList):
            section["words"] += [plain_text(item) for item in block.items]
        elif isinstance(block, ContactList | ContactTable):
            if block.whole_directory:
                section["directory"] = True
            else:
                section["lists"] += [c.id for c in block.contacts]
            shows += [c.id for c in block.contacts if c.id not in shows]
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "summary": document.summary,
        **_control(
            document.status,
            document.approved_by,
            document.approved_on,
            document.review_due,
            document.approved_version,
        ),
        "changes": [
            {"version": c.version, "date": c.date.isoformat(), "change": c.change}
            for c in document.change_history
        ],
        "shows": shows,
        "sections": sections,
    }


def content_digest(document: dict[str, Any]) -> str:
    """A document's own words: what an approval of it covers.

    Title, subtitle, summary, and each section's title, words and the contacts it
    names; not contact details (kept current in the directory, and listed in the
    release notes) nor the document's status, dates and change history.
    """
    words = {key: document[key] for key in ("title", "subtitle", "summary", "sections")}
    return _digest(words)


def pack_digest(snapshot: Snapshot) -> str:
    """What the pack's own approval covers: its title and each document's words, in order."""
    order = snapshot["pack"]["documents"]
    documents = [[i, content_digest(snapshot["documents"][i])] for i in order]
    return _digest({"title": snapshot["pack"]["title"], "documents": documents})


def approvals(snapshot: Snapshot) -> dict[str, Any]:
    """The approval record a release keeps in its manifest, for the pack and each document."""

    def record(level: dict[str, Any], digest: str) -> dict[str, Any]:
        keys = ("status", "approved_by", "approved_on", "approved_version")
        return {**{key: level[key] for key in keys if key in level}, "content_sha256": digest}

    documents = snapshot["documents"]
    return {
        "pack": record(snapshot["pack"], pack_digest(snapshot)),
        "documents": {i: record(d, content_digest(d)) for i, d in documents.items()},
    }


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
