"""build, check, diff, release and publish: the commands that read and check the
whole pack first, and stop before writing anything when the checks fail.

Only what a command needs is imported, when it needs it: `check` never loads a
renderer, and an up-to-date `build` is decided without reading any YAML.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..building.buildstate import FORMATS
from ..building.stages import Stages
from ..reading.diagnostics import SourceError, sort
from . import releasing
from .messages import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, error, report, say

if TYPE_CHECKING:
    from ..building.pipeline import Loaded
    from ..building.workers import Workers
    from ..publishing.command import Plan

RELEASING = ("release", "publish")  # commands that make a release
JOBS = "ESAFETY_DOCS_JOBS"


@dataclass(frozen=True)
class PackRequest:
    """One run of a pack command, as the command line asked for it."""

    command: str  # build, check, diff, release or publish
    sources: Path
    templates: Path
    out: Path
    formats: tuple[str, ...] = FORMATS
    force: bool = False
    strict: bool = False
    since: Path | None = None
    allow_draft: bool = False
    tag: str | None = None
    push: bool = False
    url: str | None = None

    @property
    def releasing(self) -> bool:
        return self.command in RELEASING

    @property
    def some_formats(self) -> bool:
        """Only some of the editions (`--formats`): never the whole pack."""
        return set(self.formats) != set(FORMATS)


def run(request: PackRequest) -> int:
    started = time.perf_counter()
    plan = None
    if request.command == "publish":
        from ..publishing.command import Refused, prepare

        try:
            plan = prepare(request.sources, request.out, say)
        except Refused as refused:
            return releasing.not_published(refused)
        request = replace(request, out=plan.releases)  # the site goes beside, in out
    inputs = ""
    if request.command == "build":
        from ..building.buildstate import inputs_digest, up_to_date

        inputs = inputs_digest(request.sources, request.templates)
        if request.some_formats:
            inputs += " " + ",".join(sorted(request.formats))  # never up to date for a whole pack
        current = None if request.force or request.strict else up_to_date(request.out, inputs)
        if current is not None:
            say(f"Up to date: nothing has changed since {current}/ was built.")
            print(current)
            return EXIT_OK

    workers = None
    only_html = set(request.formats) <= {"html"}  # rendered right here
    if request.command in ("build", *RELEASING) and not only_html:
        processes = render_processes()
        if processes is None:
            error(f"{JOBS} must be a whole number from 1 to 8")
            return EXIT_USAGE
        if processes > 1:
            from ..building.workers import Workers

            workers = Workers(processes)  # they load the renderers while the sources are read
    try:
        return _checked_run(request, started, inputs, workers, plan)
    finally:
        if workers is not None:
            workers.close()


def render_processes() -> int | None:
    """How many processes render: ESAFETY_DOCS_JOBS when set (1 to 8; None if it is
    not), otherwise two with two cores or more. One is as quick where something else
    already keeps every core busy, such as a test run spread over them; and one is all
    there can be where processes cannot be forked (Windows)."""
    given = os.environ.get(JOBS, "").strip()
    if given and not (given.isdigit() and 1 <= int(given) <= 8):
        return None
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if not given:
        return 2 if (os.cpu_count() or 1) >= 2 else 1
    return int(given)


def _checked_run(
    request: PackRequest,
    started: float,
    inputs: str,
    workers: Workers | None,
    plan: Plan | None,
) -> int:
    from ..building.pipeline import PublishError, load

    stages = Stages()
    try:
        with stages.timed("read"):
            loaded = load(request.sources, request.templates)
    except SourceError as failed:
        report(failed.diagnostics)
        say("Nothing was built: fix the errors above and run the command again.")
        return EXIT_CONTENT
    from ..publishing.approval import stale_approvals
    from ..publishing.history import UnknownRelease, earlier_releases, read_since
    from ..publishing.snapshot import snapshot_of

    pack = loaded.pack
    released = earlier_releases(request.out, pack.version, not request.releasing)  # read once
    try:
        since = request.since
        earlier = read_since(since) if since is not None else next(iter(released), None)
    except UnknownRelease as unknown:
        error(str(unknown))
        return EXIT_USAGE
    approved_under = [earlier, *released]
    stale = stale_approvals(pack, request.sources, snapshot_of(pack), approved_under)
    strict = request.releasing or request.strict
    diagnostics = sort([*loaded.diagnostics, *stale])
    # pack.yaml (or --allow-draft) may let a release leave out what is not ready to print.
    allowed = request.releasing and (pack.release_pending == "leave_out" or request.allow_draft)
    if strict:
        diagnostics = [d if allowed and d.draft else d.as_error() for d in diagnostics]
    report(diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        if request.releasing and any(d.draft for d in diagnostics):
            say(
                "Stopped: what is not ready to print (above) is awaiting confirmation, and "
                "pack.yaml says `release_pending: stop`. Confirm it, or set "
                "`release_pending: leave_out` to release without it (the notes say so)."
            )
        else:
            say(f"Stopped: {request.command} treats every warning as an error.")
        return EXIT_CONTENT
    if request.command == "check":
        say(f"No errors: {len(pack.documents)} documents and their contacts checked.")
        return EXIT_OK
    if request.command == "diff":
        return releasing.diff(loaded, request.out, earlier)
    try:
        if plan is not None:
            from ..publishing.command import Refused, for_version

            try:
                plan = for_version(plan, pack.version, request.tag, request.push)
            except Refused as refused:
                return releasing.not_published(refused)
        if request.releasing:
            drafts = pack.release_drafts == "publish" or request.allow_draft
            folders = (request.sources, request.templates)
            code = releasing.release(
                loaded, request.out, started, earlier, workers, folders, drafts
            )
            if code == EXIT_OK and plan is not None:
                return releasing.publish(plan, loaded, request.push, request.url)
            return code
        return _build(request, loaded, started, inputs, workers, stages)
    except PublishError as failed:
        if plan is not None:
            return releasing.not_published(failed)
        error(str(failed))
        return EXIT_CONTENT
    except OSError as failed:
        error(f"cannot write to {str(request.out)!r}: {failed.strerror or failed}")
        return EXIT_USAGE


def _build(
    request: PackRequest,
    loaded: Loaded,
    started: float,
    inputs: str,
    workers: Workers | None,
    stages: Stages,
) -> int:
    from ..building import stages as timings
    from ..building.archive import build_time
    from ..building.pipeline import build

    pack = loaded.pack
    say(f"Building {pack.title}, version {pack.version} ({len(pack.documents)} documents)")
    if request.some_formats:
        say(f"Only {', '.join(request.formats)}: no zip, thumbnails or download page")
    result = build(
        loaded,
        request.out,
        build_time(),
        say,
        inputs=inputs,
        force=request.force,
        formats=request.formats,
        workers=workers,
        stages=stages,
    )
    timings_file = timings.wanted()
    if timings_file is not None:
        timings.write(stages, timings_file)
    seconds = time.perf_counter() - started
    say(f"Done in {seconds:.1f} s: {len(result.files)} files in {result.folder}/")
    print(result.folder)
    return EXIT_OK
