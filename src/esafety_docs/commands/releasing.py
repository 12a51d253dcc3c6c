"""release, publish, site, diff and verify: what they print and how they exit.
The releases themselves are made in `publishing`."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..reading.diagnostics import SourceError
from .messages import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, error, report, say

if TYPE_CHECKING:
    from ..building.pipeline import Loaded
    from ..building.workers import Workers
    from ..publishing.command import Plan
    from ..publishing.history import Previous


def release(
    loaded: Loaded,
    out: Path,
    started: float,
    earlier: Previous | None,
    workers: Workers | None,
    folders: tuple[Path, Path],
    drafts: bool,
) -> int:
    from ..building.buildstate import inputs_digest
    from ..publishing.history import release_time
    from ..publishing.release import release

    pack = loaded.pack
    when = release_time(out, pack.version)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))  # for every library too
    say(f"Releasing {pack.title}, version {pack.version}")
    inputs = inputs_digest(*folders)  # with the release's date, now that it is set
    result = release(loaded, out, when, say, earlier, drafts, workers, inputs)
    if not result.created:
        say(f"Version {pack.version} is already released with identical content: nothing to do.")
    else:
        say("Release notes:")
        for line in result.notes.splitlines():
            say(f"  {line}" if line else "")
        say(f"Released in {time.perf_counter() - started:.1f} s: {result.folder}/")
    print(result.folder)
    return EXIT_OK


def publish(plan: Plan, loaded: Loaded, push: bool, url: str | None) -> int:
    """After `publish` has released: the site, and the push when asked for."""
    from ..publishing.command import Refused, finish

    try:
        out = plan.releases.parent  # the folder given to publish: the site goes beside
        finish(plan, loaded.pack.version, push, url, out, loaded.brand, say)
    except Refused as refused:
        return not_published(refused)
    return EXIT_OK


def not_published(reason: Exception) -> int:
    error(str(reason))
    say("Nothing was published.")
    return EXIT_CONTENT


def site(sources: Path, templates: Path, out: Path, url: str | None) -> int:
    from ..publishing.command import Refused, site_only
    from ..reading.brand import load_brand
    from ..reading.diagnostics import Reporter

    try:
        brand = load_brand(templates, Reporter())
    except SourceError as failed:
        report(failed.diagnostics)
        return EXIT_CONTENT
    try:
        print(site_only(sources, out, url, brand, say))
    except Refused as refused:
        error(str(refused))
        return EXIT_CONTENT
    return EXIT_OK


def diff(loaded: Loaded, out: Path, earlier: Previous | None) -> int:
    """The notes a release would write now, on standard output."""
    from ..publishing.history import release_time
    from ..publishing.releasenotes import notes_for
    from ..publishing.snapshot import snapshot_of

    pack = loaded.pack
    released_on = release_time(out, pack.version).date()
    print(notes_for(snapshot_of(pack), earlier, released_on).markdown(), end="")
    return EXIT_OK


def verify(folders: list[Path]) -> int:
    return max(_verify(folder) for folder in folders)


def _verify(folder: Path) -> int:
    from ..publishing.release import verify

    if not folder.is_dir():
        error(f"{str(folder)!r} is not a folder")
        return EXIT_USAGE
    problems = verify(folder)
    for problem in problems:
        say(f"{folder}: {problem}")
    if problems:
        say(f"{len(problems)} problem(s): this release is not as published.")
        return EXIT_CONTENT
    say(f"{folder}: every file matches SHA256SUMS and the manifest.")
    return EXIT_OK
