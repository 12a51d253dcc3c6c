"""Versioned releases: publishing, manifest, checksums, and verification.

A release is dist/<version>/ plus manifest.json, SHA256SUMS, RELEASE-NOTES.md
(see releasenotes), the Atom feed releases.xml (see feed) and sources.json (a
snapshot of the sources, which the next release compares with). It is staged
beside its target and renamed into place; dist/latest.json moves only after
that. A released version is never overwritten: releasing it again is a no-op
when every file is identical and an error otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..building.pipeline import Loaded, Progress, PublishError, publish, render_all, staging_folder
from ..reading.model import Pack
from ..render.files import FEED_FORMAT, MANIFEST, OutputFile
from .feed import FEED, Entry, earlier_entries, feed_xml
from .history import NOTES, SNAPSHOT, Previous, manifest_of, releases, version_key
from .releasenotes import notes_for
from .snapshot import approvals, snapshot_of

if TYPE_CHECKING:
    from ..building.workers import Workers

SUMS = "SHA256SUMS"
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
    "feedgen",
    "lxml",
    "pillow",
)


@dataclass(frozen=True)
class ReleaseResult:
    folder: Path
    created: bool  # False when an identical release already existed
    notes: str  # RELEASE-NOTES.md


def release(
    loaded: Loaded,
    out: Path,
    when: dt.datetime,
    progress: Progress,
    previous: Previous | None = None,
    allow_draft: bool = False,
    workers: Workers | None = None,
    inputs: str = "",
) -> ReleaseResult:
    """Build, describe and publish one release made at `when`, comparing with `previous`.

    `inputs` (see `buildstate.inputs_digest`) lets a release made again from exactly
    what made the published one say so without rendering it all again."""
    pack = loaded.pack
    drafts = _drafts(pack)
    if drafts and not allow_draft:
        raise PublishError(
            f"nothing is released while it is a draft: {', '.join(drafts)}\n"
            "    hint: approve each one (`status: approved`, `approved_by`, `approved_on`), "
            "or set `release_drafts: publish` in pack.yaml to make a draft release"
        )
    snapshot = snapshot_of(pack)
    notes = notes_for(snapshot, previous, when.date())
    markdown = notes.markdown()
    target = out / pack.version
    made_from = _made_from(inputs, out, target) if inputs else None
    published = manifest_of(target)
    if made_from is not None and published.get(MADE_FROM) == made_from:
        return ReleaseResult(target, False, (target / NOTES).read_text(encoding="utf-8"))
    if published:  # what it was made from is no part of what a release holds
        made_from = published.get(MADE_FROM)
    with staging_folder(out, pack.version) as staging:
        entries = [*earlier_entries(out, pack.version), Entry(pack.version, when, markdown)]
        feed = feed_xml(pack, entries)
        (staging / FEED).write_bytes(feed)
        feed_file = OutputFile(
            FEED, FEED_FORMAT, "pack", len(feed), hashlib.sha256(feed).hexdigest(), None
        )
        files, _ = render_all(
            loaded,
            staging,
            when,
            progress,
            notes=notes.blocks,
            ready=(feed_file,),
            workers=workers,
        )
        (staging / SNAPSHOT).write_text(_json(snapshot), encoding="utf-8")
        (staging / NOTES).write_text(markdown, encoding="utf-8")
        manifest = _manifest(pack, files, snapshot, when)
        if made_from is not None:
            manifest[MADE_FROM] = made_from
        (staging / MANIFEST).write_text(_json(manifest), encoding="utf-8")
        (staging / SUMS).write_text(_sums(staging), encoding="utf-8")
        if (target / MANIFEST).exists():
            if (target / SUMS).read_bytes() == (staging / SUMS).read_bytes():
                return ReleaseResult(target, False, markdown)
            raise PublishError(
                f"version {pack.version} is already released in {target} with different "
                "content; a released version never changes. Give this edition a new "
                "`version` in pack.yaml"
            )
        publish(staging, target)
    _point_latest(out, pack.version)
    return ReleaseResult(target, True, markdown)


MADE_FROM = "made_from_sha256"


def _made_from(inputs: str, out: Path, target: Path) -> str:
    """Everything a release is made from: the sources, templates and tool (`inputs`),
    the libraries that shape the files, and every other release in `out` (the notes
    compare with them and the feed lists them). The same digest, the same files."""
    digest = hashlib.sha256(inputs.encode())
    digest.update(_json({name: _version_of(name) for name in SHAPING_LIBRARIES}).encode())
    for folder in releases(out):
        if folder != target and (folder / SUMS).is_file():
            digest.update(folder.name.encode() + b"\0" + (folder / SUMS).read_bytes())
    return digest.hexdigest()


def _drafts(pack: Pack) -> list[str]:
    """Each draft, at pack or document level, with the file that says so."""
    drafts = ["the pack (pack.yaml)"] if pack.status == "draft" else []
    for document in pack.documents:
        if document.status == "draft":
            drafts.append(f'"{document.title}" ({document.id}.yaml)')
    return drafts


# ------------------------------------------------------------------ manifest and checksums


def _manifest(
    pack: Pack, files: list[OutputFile], snapshot: dict[str, Any], when: dt.datetime
) -> dict[str, Any]:
    return {
        "pack": pack.title,
        "publisher": pack.publisher,
        "version": pack.version,
        "date": pack.date.isoformat(),
        "build_date": when.isoformat(),
        "released_on": when.date().isoformat(),
        "source_date_epoch": int(when.timestamp()),
        "tool_version": __version__,
        "sources_sha256": hashlib.sha256(_json(snapshot).encode()).hexdigest(),
        "approvals": approvals(snapshot),
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


# ------------------------------------------------------------------ latest


def _point_latest(out: Path, version: str) -> None:
    """Write dist/latest.json by rename, so readers never see half a file."""
    current = out / LATEST
    if current.is_file():
        try:
            if version_key(json.loads(current.read_text())["version"]) > version_key(version):
                return  # an older version was released late; latest stays newest
        except (ValueError, KeyError, TypeError):
            pass
    temporary = out / f".{LATEST}.{os.getpid()}"
    temporary.write_text(_json({"version": version, "folder": version}), encoding="utf-8")
    os.replace(temporary, current)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
