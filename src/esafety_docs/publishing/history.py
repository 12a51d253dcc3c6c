"""Earlier releases: finding them in the output folder and reading what they recorded.

`check`, `build`, `diff` and `release` compare the sources with the newest
earlier release (or with the folder given as `--since`: a release folder, or a
sources folder such as the one a pull request started from). Only the standard
library and the loader are used here, so `check` stays quick.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..render.files import MANIFEST
from .snapshot import FORMAT, Snapshot

SNAPSHOT = "sources.json"
NOTES = "RELEASE-NOTES.md"


class UnknownRelease(Exception):
    """`--since` names something that is neither a release nor a sources folder."""


@dataclass(frozen=True)
class Previous:
    """What the sources are compared with."""

    label: str  # "version 0.1.0", as the notes name it
    version: str
    released_on: dt.date | None  # None for a sources folder
    snapshot: Snapshot | None  # None when made by an older version of this tool


def version_key(name: str) -> tuple[tuple[int, str], ...]:
    """1.10.0 sorts after 1.9.0."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in name.split("."))


def releases(out: Path) -> list[Path]:
    """Every release folder in `out` (one with a manifest), oldest first."""
    if not out.is_dir():
        return []
    found = [
        folder
        for folder in out.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and (folder / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda folder: version_key(folder.name))


def _releases_before(out: Path, version: str, inclusive: bool) -> list[Path]:
    """The release folders in `out` that sort before `version` (or are it, if `inclusive`),
    oldest first."""
    limit = version_key(version)
    return [
        folder
        for folder in releases(out)
        if version_key(folder.name) < limit or (inclusive and version_key(folder.name) == limit)
    ]


def earlier_releases(out: Path, version: str, inclusive: bool = False) -> list[Previous]:
    """Every release in `out` before `version` (or up to it, if `inclusive`), newest first."""
    return [_read_release(folder) for folder in reversed(_releases_before(out, version, inclusive))]


def manifest_of(folder: Path) -> dict[str, Any]:
    """A release folder's manifest, or nothing when there is none to read."""
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def released_at(folder: Path) -> dt.datetime | None:
    """When a release was made, as its manifest records it."""
    try:
        return dt.datetime.fromisoformat(manifest_of(folder)["build_date"])
    except (ValueError, KeyError, TypeError):
        return None


def release_time(out: Path, version: str) -> dt.datetime:
    """When a release of `version` made now is dated.

    SOURCE_DATE_EPOCH when it is set; the time already recorded when this version
    is released (so releasing it again gives the same bytes); otherwise the start
    (UTC midnight) of today, so releases made on the same day are identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    recorded = released_at(out / version)
    if recorded is not None:
        return recorded
    return dt.datetime.combine(dt.date.today(), dt.time(), dt.UTC)


def _read_release(folder: Path) -> Previous:
    snapshot: Snapshot | None = None
    try:
        loaded: Any = json.loads((folder / SNAPSHOT).read_text(encoding="utf-8"))
        if isinstance(loaded, dict) and loaded.get("format") == FORMAT:
            snapshot = loaded
    except (OSError, ValueError):
        pass
    when = released_at(folder)
    return Previous(f"version {folder.name}", folder.name, when.date() if when else None, snapshot)


def read_since(since: Path) -> Previous:
    """What `--since` names: a release folder, or a sources folder."""
    if (since / MANIFEST).is_file():
        return _read_release(since)
    if (since / "pack.yaml").is_file():
        return _read_sources(since)
    raise UnknownRelease(
        f"--since {str(since)!r} is neither a release folder (with {MANIFEST}) nor a "
        "sources folder (with pack.yaml)"
    )


def _read_sources(folder: Path) -> Previous:
    from ..reading.diagnostics import Reporter, SourceError
    from ..reading.sources import load_pack
    from .snapshot import snapshot_of

    try:
        pack = load_pack(folder, Reporter())
    except SourceError as error:
        raise UnknownRelease(
            f"the sources in {str(folder)!r} have errors, so they cannot be compared with:\n{error}"
        ) from None
    shown = _relative(folder)
    return Previous(f"version {pack.version} as in {shown}", pack.version, None, snapshot_of(pack))


def _relative(folder: Path) -> str:
    """A folder as a path from the working folder: the notes may be posted where the
    machine's own paths mean nothing (a pull request's summary)."""
    try:
        return os.path.relpath(folder.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive, on Windows
        return folder.name
