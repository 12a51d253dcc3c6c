"""Approval bound to content: approved words that changed need a new approval date.

A release records a digest of each document's own words, and of the pack's, with
the approval they were released under (snapshot.approvals). If the words have
changed since a release made under the same approval (the same date and, where
one is named, the same `approved_version`), the approval
no longer covers what would be published: `check` warns, and `release` (which
treats warnings as errors) stops. Both name the sections that changed and the
two ways forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..reading.diagnostics import Diagnostic, Reporter, display_path
from ..reading.model import Pack
from ..reading.reader import ReadContext, YamlReader
from ..render.common import long_date
from .history import Previous
from .snapshot import Snapshot, content_digest, pack_digest

HINT = (
    "if the new words are approved, set `approved_on` (and `approved_by`) to that "
    "approval, and when it is the same day, `approved_version` to the version it "
    "approves; if not, set `status: draft` until they are"
)


def stale_approvals(
    pack: Pack, sources: Path, new: Snapshot, compared: Sequence[Previous | None]
) -> list[Diagnostic]:
    """A warning for the pack and each document still approved under a date whose words
    have changed since the release that recorded that approval.

    `compared` is what the sources are compared with, then every earlier release,
    newest first: an approval date is held to the words of the newest of them that
    was released under it, so words changed in a draft release in between are
    still caught when the old date comes back.
    """
    known = [p for p in compared if p is not None and p.snapshot is not None]
    found: list[Diagnostic] = []
    for document in pack.documents:
        after = new["documents"][document.id]
        match = _released_under(known, after, document.id)
        if match is None:
            continue
        previous, old = match
        before = old["documents"][document.id]
        if content_digest(before) == content_digest(after):
            continue
        changed = ", ".join(_changed_parts(before, after))
        found.append(
            _warning(
                document.source_path or sources / f"{document.id}.yaml",
                f'"{document.title}" is still marked as approved on '
                f"{_date(after['approved_on'])}, but these parts of it have changed since "
                f"{previous.label}: {changed}",
            )
        )
    match = _released_under(known, new["pack"])
    if match is not None and pack_digest(match[1]) != pack_digest(new):
        previous, old = match
        documents = [
            f'"{new["documents"][i]["title"]}"'
            for i in new["pack"]["documents"]
            if i not in old["documents"]
            or content_digest(old["documents"][i]) != content_digest(new["documents"][i])
        ]
        if old["pack"]["documents"] != new["pack"]["documents"] and not documents:
            documents = ["the list of documents"]
        found.append(
            _warning(
                sources / "pack.yaml",
                f"the pack is still marked as approved on {_date(new['pack']['approved_on'])}, "
                f"but these documents in it have changed since {previous.label}: "
                f"{', '.join(documents)}",
            )
        )
    return found


def _released_under(
    known: list[Previous], after: dict[str, Any], doc_id: str | None = None
) -> tuple[Previous, Snapshot] | None:
    """The first of `known` in which the document `doc_id` (or the pack) was approved
    under the approval `after` still claims, with its snapshot."""
    for previous in known:
        old = previous.snapshot
        assert old is not None
        before = old["pack"] if doc_id is None else old["documents"].get(doc_id)
        if before is not None and _same_approval(before, after):
            return previous, old
    return None


def _same_approval(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Approved now, and approved before under the same date and the same version named
    (none, in sources that name no version)."""
    approved = after["status"] == before["status"] == "approved"
    same_date = before["approved_on"] == after["approved_on"]
    return (
        approved and same_date and before.get("approved_version") == after.get("approved_version")
    )


def _changed_parts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The title, subtitle, summary and sections whose words differ, in reading order."""
    parts = [f"the {key}" for key in ("title", "subtitle", "summary") if before[key] != after[key]]
    old = {tuple(s["path"]): s for s in before["sections"]}
    new = {tuple(s["path"]): s for s in after["sections"]}
    parts += [f'"{path[-1]}"' for path, section in new.items() if old.get(path) != section]
    parts += [f'"{path[-1]}"' for path in old if path not in new]
    return parts or ["the order of the sections"]


def _date(iso: str) -> str:
    return long_date(dt.date.fromisoformat(iso))


def _warning(path: Path, message: str) -> Diagnostic:
    """Pointed at the file's `approved_on`, where the fix goes."""
    line, column = _key_position(path, "approved_on")
    return Diagnostic(display_path(path), line, column, "warning", message, HINT)


def _key_position(path: Path, key: str) -> tuple[int, int]:
    """1-based line and column of a top-level key (the file was read fine moments ago)."""
    node = YamlReader(path, Reporter(), ReadContext()).compose()
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node.start_mark.line + 1, key_node.start_mark.column + 1
    return 1, 1
