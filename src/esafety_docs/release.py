"""Versioned releases: manifest, checksums, release notes, and verification.

A release is dist/<version>/ plus manifest.json, SHA256SUMS, RELEASE-NOTES.md and
sources.json (a normalised snapshot of the sources, which the next release
compares against to write its notes). It is staged beside its target and renamed
into place; dist/latest.json moves only after that. A released version is never
overwritten: releasing it again is a no-op when every file is identical and an
error otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .jobs import OutputFile
from .model import (
    Block,
    BulletList,
    ContactList,
    ContactTable,
    Document,
    Heading,
    NumberedList,
    Pack,
    Paragraph,
    Text,
    plain_text,
)
from .pipeline import (
    MANIFEST,
    Loaded,
    Progress,
    PublishError,
    publish,
    render_all,
    staging_folder,
)

SNAPSHOT = "sources.json"
SUMS = "SHA256SUMS"
NOTES = "RELEASE-NOTES.md"
LATEST = "latest.json"
# Libraries whose versions shape the output bytes.
SHAPING_LIBRARIES = (
    "python-docx",
    "reportlab",
    "pikepdf",
    "pypdfium2",
    "fonttools",
    "pyyaml",
    "markdown-it-py",
    "phonenumbers",
    "lxml",
    "pillow",
)


@dataclass(frozen=True)
class ReleaseResult:
    folder: Path
    created: bool  # False when an identical release already existed
    notes: list[str]


def release(
    loaded: Loaded,
    out: Path,
    when: dt.datetime,
    progress: Progress,
    since: Path | None = None,
    allow_draft: bool = False,
) -> ReleaseResult:
    """Build, describe and publish one release; see the module docstring."""
    pack = loaded.pack
    drafts = [d.id for d in pack.documents if d.status == "draft"]
    if drafts and not allow_draft:
        raise PublishError(
            f"these documents are drafts: {', '.join(drafts)}. Approve them (status: approved, "
            "approved_by, approved_on) or release with --allow-draft"
        )
    previous = since if since is not None else newest_release_before(out, pack.version)
    snapshot = snapshot_of(pack)
    old = _read_snapshot(previous) if previous else None
    notes = change_notes(old, snapshot, previous.name if previous else None)
    notes_document = _notes_document(pack, notes)
    target = out / pack.version
    with staging_folder(out, pack.version) as staging:
        files, _ = render_all(loaded, staging, when, progress, extra=(notes_document,), notes=notes)
        (staging / SNAPSHOT).write_text(_json(snapshot), encoding="utf-8")
        (staging / NOTES).write_text(_notes_markdown(pack, notes), encoding="utf-8")
        manifest = _manifest(pack, files, snapshot, when)
        (staging / MANIFEST).write_text(_json(manifest), encoding="utf-8")
        (staging / SUMS).write_text(_sums(staging), encoding="utf-8")
        if (target / MANIFEST).exists():
            if (target / SUMS).read_bytes() == (staging / SUMS).read_bytes():
                return ReleaseResult(target, False, notes)
            raise PublishError(
                f"version {pack.version} is already released in {target} with different "
                "content; a released version never changes. Give this edition a new "
                "`version` in pack.yaml"
            )
        publish(staging, target)
    _point_latest(out, pack.version)
    return ReleaseResult(target, True, notes)


# ------------------------------------------------------------------ snapshot and notes


def snapshot_of(pack: Pack) -> dict[str, Any]:
    """The sources reduced to what readers see, in a form the next release can compare."""
    contacts = {
        c.id: {
            "name": c.name,
            "helps with": plain_text(c.helps_with),
            "phone": c.phone,
            "email": c.email,
            "web": c.web,
            "hours": c.hours,
            "notes": plain_text(c.notes) or None,
        }
        for c in pack.contacts
    }
    documents = {}
    for document in pack.documents:
        sections: dict[str, list[str]] = {}
        path: list[str] = []
        for block in document.blocks:
            if isinstance(block, Heading):
                path = [*path[: block.level - 1], block.text]
                sections[" / ".join(path)] = []
            elif path:
                sections[" / ".join(path)].append(_block_text(block))
        documents[document.id] = {
            "title": document.title,
            "status": document.status,
            "review due": document.review_due.isoformat(),
            "sections": {title: " ".join(text) for title, text in sections.items()},
        }
    return {
        "pack": {"title": pack.title, "version": pack.version, "date": pack.date.isoformat()},
        "contacts": contacts,
        "documents": documents,
    }


def _block_text(block: Block) -> str:
    """A block's words; a contact block by its ids (the contacts are compared on their own)."""
    if isinstance(block, Paragraph):
        return plain_text(block.inlines)
    if isinstance(block, BulletList | NumberedList):
        return " ".join(plain_text(item) for item in block.items)
    if isinstance(block, ContactList | ContactTable):
        return " ".join(f"[contact {c.id}]" for c in block.contacts)
    return ""


def change_notes(old: dict[str, Any] | None, new: dict[str, Any], since: str | None) -> list[str]:
    """Plain-language lines saying what changed between two snapshots."""
    if old is None:
        return ["This is the first release of the pack."]
    notes: list[str] = []
    old_contacts, new_contacts = old["contacts"], new["contacts"]
    for contact_id in new_contacts.keys() - old_contacts.keys():
        notes.append(f"Contact added: {new_contacts[contact_id]['name']}.")
    for contact_id in old_contacts.keys() - new_contacts.keys():
        notes.append(f"Contact removed: {old_contacts[contact_id]['name']}.")
    for contact_id in sorted(new_contacts.keys() & old_contacts.keys()):
        before, after = old_contacts[contact_id], new_contacts[contact_id]
        for field in after:
            if before.get(field) != after[field]:
                notes.append(
                    f"{after['name']}: {field} changed from {_shown(before.get(field))} "
                    f"to {_shown(after[field])}."
                )
    old_docs, new_docs = old["documents"], new["documents"]
    for doc_id in new_docs.keys() - old_docs.keys():
        notes.append(f"Document added: {new_docs[doc_id]['title']}.")
    for doc_id in old_docs.keys() - new_docs.keys():
        notes.append(f"Document removed: {old_docs[doc_id]['title']}.")
    for doc_id in [d for d in new_docs if d in old_docs]:
        before, after = old_docs[doc_id], new_docs[doc_id]
        title = after["title"]
        if before["title"] != title:
            notes.append(f"{before['title']} is now called {title}.")
        for field in ("status", "review due"):
            if before[field] != after[field]:
                notes.append(f"{title}: {field} changed from {before[field]} to {after[field]}.")
        old_sections, new_sections = before["sections"], after["sections"]
        for section in new_sections:
            if section not in old_sections:
                notes.append(f"{title}: section added: {section}.")
            elif old_sections[section] != new_sections[section]:
                notes.append(f"{title}: section reworded: {section}.")
        for section in old_sections:
            if section not in new_sections:
                notes.append(f"{title}: section removed: {section}.")
    if not notes:
        notes.append(f"No changes to the content since version {since}.")
    return notes


def _shown(value: object) -> str:
    return "(none)" if value is None else f'"{value}"'


def _notes_markdown(pack: Pack, notes: list[str]) -> str:
    lines = [
        f"# {pack.title}: version {pack.version}",
        "",
        f"Released {pack.date.isoformat()}.",
        "",
    ]
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _notes_document(pack: Pack, notes: list[str]) -> Document:
    """The release notes as a short last document of the combined pack."""
    return Document(
        id="release-notes",
        title=f"What changed in version {pack.version}",
        subtitle="Release notes, generated by comparing the sources with the previous release",
        summary="What changed since the previous release.",
        status=pack.status,
        owner=pack.owner,
        review_due=pack.review_due,
        blocks=(
            Heading(1, "Changes"),
            BulletList(tuple((Text(note),) for note in notes)),
        ),
    )


# ------------------------------------------------------------------ manifest and checksums


def _manifest(
    pack: Pack, files: list[OutputFile], snapshot: dict[str, Any], when: dt.datetime
) -> dict[str, Any]:
    return {
        "pack": pack.title,
        "version": pack.version,
        "date": pack.date.isoformat(),
        "build_date": when.isoformat(),
        "tool_version": __version__,
        "sources_sha256": hashlib.sha256(_json(snapshot).encode()).hexdigest(),
        "libraries": {name: _version_of(name) for name in SHAPING_LIBRARIES},
        "files": [
            {
                "name": f.name,
                "format": f.format,
                "document": f.document,
                "size": f.size,
                "sha256": f.sha256,
                "pages": f.pages,
            }
            for f in files
        ],
    }


def _version_of(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _sums(folder: Path) -> str:
    """`sha256sum -c` format for every file in the folder but the sums file itself."""
    lines = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != SUMS:
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    return "\n".join(lines) + "\n"


def verify(folder: Path) -> list[str]:
    """Problems found re-checking a release against its SHA256SUMS and manifest."""
    sums_path = folder / SUMS
    if not sums_path.is_file():
        return [f"{SUMS} is missing, so nothing can be checked"]
    problems: list[str] = []
    listed: dict[str, str] = {}
    for number, line in enumerate(sums_path.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            problems.append(f"{SUMS} line {number} is not `<sha256>  <file name>`")
            continue
        listed[name] = digest
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"altered: {name} does not match its SHA-256")
    for path in sorted(folder.iterdir()):
        if path.name not in listed and path.name != SUMS:
            problems.append(f"extra: {path.name} is not in {SUMS}")
    manifest_path = folder / MANIFEST
    if manifest_path.is_file() and MANIFEST in listed:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            for entry in manifest["files"]:
                if listed.get(entry["name"]) != entry["sha256"]:
                    problems.append(f"manifest and {SUMS} disagree about {entry['name']}")
        except (ValueError, KeyError, TypeError):
            problems.append(f"{MANIFEST} cannot be read")
    return problems


# ------------------------------------------------------------------ finding releases


def _version_key(name: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in name.split("."))


def newest_release_before(out: Path, version: str) -> Path | None:
    """The newest released version in `out` that sorts before `version`."""
    if not out.is_dir():
        return None
    earlier = [
        folder
        for folder in out.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(".")
        and (folder / MANIFEST).is_file()
        and _version_key(folder.name) < _version_key(version)
    ]
    return max(earlier, key=lambda f: _version_key(f.name), default=None)


def _read_snapshot(folder: Path) -> dict[str, Any]:
    path = folder / SNAPSHOT
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PublishError(f"cannot read the previous release's {path}: {error}") from None
    return loaded


def _point_latest(out: Path, version: str) -> None:
    """Write dist/latest.json by rename, so readers never see half a file."""
    current = out / LATEST
    if current.is_file():
        try:
            if _version_key(json.loads(current.read_text())["version"]) > _version_key(version):
                return  # an older version was released late; latest stays newest
        except (ValueError, KeyError, TypeError):
            pass
    temporary = out / f".{LATEST}.{os.getpid()}"
    temporary.write_text(_json({"version": version, "folder": version}), encoding="utf-8")
    os.replace(temporary, current)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
