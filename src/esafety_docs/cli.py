"""Command line: argument parsing, messages and exit codes; the work is elsewhere.

Exit codes: 0 success, 1 problems in the sources (or a release that must not
happen as asked), 2 usage or environment problems.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .building.buildstate import FORMATS
from .reading.diagnostics import Diagnostic, SourceError, sort, summary

if TYPE_CHECKING:
    from .building.pipeline import Loaded
    from .building.workers import Workers
    from .publishing.history import Previous

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
RELEASING = ("release", "publish")  # commands that make a release


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esafety-docs",
        description=(
            "Build the DDSCP online safety pack (HTML, Word (DOCX) and PDF, a combined PDF, "
            "a zip and a download page) from the YAML files in sources/."
        ),
        epilog=(
            "Exit codes: 0 done, 1 problems in the sources (listed as file:line:column), "
            "2 wrong usage or a folder that cannot be read or written."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_building(commands)
    _add_releasing(commands)
    _add_inspecting(commands)
    _add_linkcheck(commands)
    _add_review(commands)
    return parser


def _with_sources(sub: argparse.ArgumentParser, strict: bool = True) -> None:
    sub.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="folder holding pack.yaml, contacts.yaml and the documents (default: sources)",
    )
    sub.add_argument(
        "--templates",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder holding brand.yaml, fonts and logo (default: templates/ beside the "
        "sources folder)",
    )
    if strict:
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")


def _with_out(
    sub: argparse.ArgumentParser,
    what: str = "where packs are written, one folder per version",
) -> None:
    sub.add_argument(
        "--out", type=Path, default=Path("dist"), metavar="DIR", help=f"{what} (default: dist)"
    )


def _with_since(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--since",
        type=Path,
        metavar="DIR",
        help="a release folder, or a sources folder, to compare with (default: the "
        "newest earlier version in OUT)",
    )


def _with_url(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--url",
        metavar="URL",
        help="the address the site is served at, ending in / (default: the GitHub "
        "Pages address of origin, else the folder OUT/site)",
    )


def _add_building(commands: Any) -> None:
    """build, check and new-document: what comms staff run while editing."""
    build = commands.add_parser(
        "build",
        help="check the sources, then write OUT/<version>/",
        description="Checks the sources, then renders what changed since the last build "
        "into OUT/<version>/ (every output when nothing was built before).",
    )
    _with_sources(build)
    _with_out(build)
    build.add_argument(
        "--force", action="store_true", help="render every output, even those up to date"
    )
    build.add_argument(
        "--formats",
        type=_formats,
        default=FORMATS,
        metavar="LIST",
        help="only these editions, comma-separated, from: "
        f"{', '.join(FORMATS)} (the combined PDF); default all. A build of fewer "
        "writes no zip, thumbnails or download page",
    )
    check = commands.add_parser(
        "check",
        help="check the sources only; writes nothing",
        description="Checks every source file and the brand, and lists every problem found "
        "as file:line:column with a hint saying how to fix it. Writes nothing and loads no "
        "renderer, so it is quick to run after every edit. Also warns when approved "
        "words have changed since the newest release in OUT.",
    )
    _with_sources(check)
    _with_out(check)

    new_document = commands.add_parser(
        "new-document",
        help="start a new document: write sources/ID.yaml and list it in pack.yaml",
        description="Writes a starting file for a new document (every required key filled "
        "in, ready to edit) and adds its id to the end of the documents in pack.yaml, "
        "keeping that file's comments and layout.",
    )
    new_document.add_argument(
        "id",
        metavar="ID",
        help="the new document's id and file name, e.g. online-safety-guide "
        "(lower-case letters, digits and hyphens)",
    )
    new_document.add_argument(
        "--title", metavar="TITLE", help="the document's title (default: made from the id)"
    )
    new_document.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="folder holding pack.yaml (default: sources)",
    )


def _add_releasing(commands: Any) -> None:
    """release, publish, site and diff: versions, and what schools get."""
    release = commands.add_parser(
        "release",
        help="strict checks, then a reproducible, checksummed release with release notes",
        description="Checks strictly, builds OUT/<version>/ with manifest.json, SHA256SUMS, "
        "RELEASE-NOTES.md and the feed releases.xml, and moves OUT/latest.json to it. Never "
        "overwrites a released version. Output is reproducible: every date in it is the "
        "release date, which is SOURCE_DATE_EPOCH when set, otherwise today.",
    )
    _with_sources(release, strict=False)
    _with_out(release)
    _with_since(release)
    release.add_argument(
        "--allow-draft",
        action="store_true",
        help="release even if the pack or a document is a draft (the release says so)",
    )
    publish = commands.add_parser(
        "publish",
        help="what the tagged CI job does: a release from git history, and the site",
        description="Reads every published release from the `releases` branch, checks that "
        "the commit's tag is v + the pack's version, releases into OUT/releases/<version>/ "
        "(strict checks; what pack.yaml's `release_pending` and `release_drafts` allow), "
        "and makes the site for schools in OUT/site/. Without --push, or on a commit "
        "without a tag, it is a rehearsal: nothing is published.",
    )
    _with_sources(publish, strict=False)
    _with_out(publish)
    publish.add_argument(
        "--tag", metavar="TAG", help="the release tag, e.g. v1.2.0 (default: this commit's tag)"
    )
    publish.add_argument(
        "--push",
        action="store_true",
        help="publish: add the new release to the `releases` branch on origin (CI does this)",
    )

    _with_url(publish)
    site = commands.add_parser(
        "site",
        help="make the site for schools from the published releases alone",
        description="Reads every release from the `releases` branch and writes the site "
        "into OUT/site/: a home page, latest/ (the newest approved release), "
        "releases/<version>/ for every release, and the feed releases.xml.",
    )
    _with_sources(site, strict=False)
    _with_out(site)
    _with_url(site)
    diff = commands.add_parser(
        "diff",
        help="print the release notes a release would write now; writes nothing",
        description="Compares the sources with the newest earlier release in OUT (or "
        "--since DIR) and prints the release notes as Markdown.",
    )
    _with_sources(diff, strict=False)
    _with_out(diff)
    _with_since(diff)


def _add_inspecting(commands: Any) -> None:
    """preview, audit and verify: looking at what was made."""
    preview = commands.add_parser(
        "preview",
        help="serve a preview on this computer that rebuilds on every save",
        description="Builds the pack into OUT/preview/ (never into a version folder, so it "
        "works after a release), serves it on http://127.0.0.1:PORT/, opens the download "
        "page and rebuilds what changed each time a file in the sources or templates is "
        "saved: HTML first, then PDF, then Word and the combined PDF. Open pages reload "
        "by themselves; errors in the sources are shown over the last good preview. "
        "Ctrl+C stops it.",
    )
    _with_sources(preview, strict=False)
    preview.add_argument(
        "--out",
        type=Path,
        default=Path("dist"),
        metavar="DIR",
        help="the preview is built in OUT/preview/ (default: dist)",
    )
    preview.add_argument(
        "--port",
        type=_port,
        default=8000,
        metavar="N",
        help="port on 127.0.0.1 to serve on (default: 8000; 0 picks a free one)",
    )
    preview.add_argument(
        "--no-open", action="store_true", help="do not open the download page in a browser"
    )
    audit = commands.add_parser(
        "audit",
        help="check built PDF and DOCX files for accessibility (PDF/UA-1, PDF/A-2b, WCAG)",
        description="Prints one PASS, FAIL or SKIP line per rule per file, with the page or "
        "element at fault; exits 1 if anything fails. With --sources, also checks that each "
        "file says what its sources say, in their order.",
    )
    audit.add_argument("paths", type=Path, nargs="*", metavar="PATH", help="files or folders")
    audit.add_argument(
        "--sources",
        type=Path,
        metavar="DIR",
        help="the sources the files were built from (templates/ beside it), to compare with",
    )
    audit.add_argument(
        "--list", action="store_true", help="list every rule with the clause it checks, and stop"
    )
    verify = commands.add_parser(
        "verify",
        help="re-check a release folder's checksums",
        description="Checks a release folder, as downloaded or as published, against its "
        "SHA256SUMS and manifest.json, and names every missing, extra or altered file. "
        "Exits 1 if anything differs.",
    )
    verify.add_argument(
        "folders", type=Path, nargs="+", metavar="DIR", help="one or more release folders"
    )


def _add_linkcheck(commands: Any) -> None:
    """linkcheck: every web address in the sources, checked."""
    linkcheck = commands.add_parser(
        "linkcheck",
        help="check that every web address in the sources still works",
        description="Finds every address in the sources and checks each once: working, "
        "redirected, broken, timed out or ignored (linkcheck_ignore in pack.yaml), with "
        "every file:line:column where it is written. mailto: and tel: are checked for form "
        "only. Exits 1 if an address is broken, 2 if no web address could be reached at all.",
    )
    linkcheck.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="folder holding the YAML sources (default: sources)",
    )
    linkcheck.add_argument(
        "--timeout",
        type=_bounded(float, 0.1, 300),
        default=10.0,
        metavar="S",
        help="seconds to wait for each answer (default: 10)",
    )
    linkcheck.add_argument(
        "--workers",
        type=_bounded(int, 1, 32),
        default=8,
        metavar="N",
        help="addresses checked at once, at most two per site (default: 8)",
    )
    linkcheck.add_argument(
        "--json", type=Path, metavar="FILE", help="also write the findings to FILE as JSON"
    )


def _add_review(commands: Any) -> None:
    """review export and review import: the Word review round trip."""
    review = commands.add_parser(
        "review",
        help="Word review round trip: export review copies, import what reviewers changed",
        description="`review export` writes a review copy (DOCX) of each document; "
        "`review import FILE` puts the reviewer's tracked changes and edits back into the "
        "sources and lists their comments and whatever must be done by hand.",
    )
    steps = review.add_subparsers(dest="review_step", metavar="STEP", required=True)
    export = steps.add_parser(
        "export",
        help="write a review copy of each document into OUT/review/",
        description="Each copy looks like the Word edition and remembers, invisibly, where "
        "every paragraph came from, so `review import` can put the changes back.",
    )
    _with_sources(export, strict=False)
    _with_out(export, "the copies go in OUT/review/")
    reviewed = steps.add_parser(
        "import",
        help="apply a reviewed copy's changes to the sources and report its comments",
        description="Reads the tracked insertions and deletions, edits made without "
        "tracking, and comments. Changes that map onto the sources are written (only those "
        "lines change); the rest is listed with what to do by hand. Nothing is written if "
        "the sources changed since the copy was exported, unless --force.",
    )
    reviewed.add_argument("file", type=Path, metavar="REVIEWED.docx")
    _with_sources(reviewed, strict=False)
    reviewed.add_argument(
        "--report-only", action="store_true", help="list what would change; write nothing"
    )
    reviewed.add_argument(
        "--comments",
        choices=("report", "yaml"),
        default="report",
        help="report: list comments only (default); yaml: also write each one into the "
        "source as a `# Review comment:` line above the text it is about",
    )
    reviewed.add_argument(
        "--author",
        metavar="NAME",
        help="apply only this reviewer's tracked changes (as Word shows the name); edits "
        "made without tracking have no author and are always included",
    )
    reviewed.add_argument(
        "--force",
        action="store_true",
        help="apply even if the sources changed since export: changes where the source "
        "text is still as exported are applied, the others listed as conflicts",
    )


def _bounded(kind: type[int] | type[float], low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number of `kind` from `low` to `high`."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not between {low:g} and {high:g}")
        return value

    return parse


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or 'nothing'} is not an edition; choose from {', '.join(FORMATS)}"
        )
    return chosen


def _port(text: str) -> int:
    """A TCP port number, for argparse."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `esafety-docs` command."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "verify":
            return max(_verify(folder) for folder in args.folders)
        if args.command == "audit":
            from .commands.audit import run_audit

            return run_audit(args.paths, args.sources, args.list)
        if args.command == "linkcheck":
            return _linkcheck(args)
        if args.command == "new-document":
            return _new_document(args.sources, args.id, args.title)
        sources: Path = args.sources
        templates: Path = args.templates or sources.parent / "templates"
        for folder, option in ((sources, "--sources"), (templates, "--templates")):
            if not folder.is_dir():
                _say(f"esafety-docs: error: {option} folder {str(folder)!r} does not exist")
                return EXIT_USAGE
        if args.command == "review":
            return _review(args, sources, templates)
        if args.command == "preview":
            from .preview.command import run

            return run(sources, templates, args.out, args.port, not args.no_open, _say)
        if args.command == "site":
            return _site(args, sources, templates)
        if args.command == "publish":
            from .publishing.command import Refused, prepare

            try:
                args.plan = prepare(sources, args.out, _say)
            except Refused as error:
                return _not_published(error)
            args.site_out, args.out = args.out, args.plan.releases
        return _run(args, sources, templates)
    except KeyboardInterrupt:
        published = args.command in ("build", *RELEASING)
        _say("esafety-docs: interrupted" + ("; nothing was published" if published else ""))
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run(args: argparse.Namespace, sources: Path, templates: Path) -> int:
    started = time.perf_counter()
    inputs = ""
    if args.command == "build":
        from .building.buildstate import inputs_digest, up_to_date

        inputs = inputs_digest(sources, templates)
        if set(args.formats) != set(FORMATS):
            inputs += " " + ",".join(sorted(args.formats))  # never up to date for a whole pack
        current = None if args.force or args.strict else up_to_date(args.out, inputs)
        if current is not None:
            _say(f"Up to date: nothing has changed since {current}/ was built.")
            print(current)
            return EXIT_OK

    workers = None
    only_html = set(getattr(args, "formats", FORMATS)) <= {"html"}  # rendered right here
    if args.command in ("build", *RELEASING) and not only_html:
        processes = _render_processes()
        if processes is None:
            _say(f"esafety-docs: error: {JOBS} must be a whole number from 1 to 8")
            return EXIT_USAGE
        if processes > 1:
            from .building.workers import Workers

            workers = Workers(processes)  # they load the renderers while the sources are read
    try:
        return _checked_run(args, sources, templates, started, inputs, workers)
    finally:
        if workers is not None:
            workers.close()


JOBS = "ESAFETY_DOCS_JOBS"


def _render_processes() -> int | None:
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
    args: argparse.Namespace,
    sources: Path,
    templates: Path,
    started: float,
    inputs: str,
    workers: Workers | None,
) -> int:
    from .building.pipeline import PublishError, load

    try:
        loaded = load(sources, templates)
    except SourceError as error:
        _report(error.diagnostics)
        _say("Nothing was built: fix the errors above and run the command again.")
        return EXIT_CONTENT
    from .publishing.approval import stale_approvals
    from .publishing.history import UnknownRelease, earlier_releases, read_since
    from .publishing.snapshot import snapshot_of

    pack = loaded.pack
    releasing = args.command in RELEASING
    released = earlier_releases(args.out, pack.version, not releasing)  # each read once
    try:
        since = getattr(args, "since", None)
        earlier = read_since(since) if since is not None else next(iter(released), None)
    except UnknownRelease as error:
        _say(f"esafety-docs: error: {error}")
        return EXIT_USAGE
    approved_under = [earlier, *released]
    stale = stale_approvals(pack, sources, snapshot_of(pack), approved_under)
    strict = releasing or getattr(args, "strict", False)
    diagnostics = sort([*loaded.diagnostics, *stale])
    # pack.yaml (or --allow-draft) may let a release leave out what is not ready to print.
    allowed = releasing and (pack.release_pending == "leave_out" or _allow_draft(args))
    if strict:
        diagnostics = [d if allowed and d.draft else d.as_error() for d in diagnostics]
    _report(diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        if releasing and any(d.draft for d in diagnostics):
            _say(
                "Stopped: what is not ready to print (above) is awaiting confirmation, and "
                "pack.yaml says `release_pending: stop`. Confirm it, or set "
                "`release_pending: leave_out` to release without it (the notes say so)."
            )
        else:
            _say(f"Stopped: {args.command} treats every warning as an error.")
        return EXIT_CONTENT
    if args.command == "check":
        _say(f"No errors: {len(pack.documents)} documents and their contacts checked.")
        return EXIT_OK
    if args.command == "diff":
        return _diff(args, loaded, earlier)
    try:
        if args.command == "publish":
            from .publishing.command import Refused, for_version

            try:
                args.plan = for_version(args.plan, pack.version, args.tag, args.push)
            except Refused as error:
                return _not_published(error)
        if releasing:
            code = _release(args, loaded, started, earlier, workers, (sources, templates))
            if code == EXIT_OK and args.command == "publish":
                return _publish(args, loaded)
            return code
        return _build(args, loaded, started, inputs, workers)
    except PublishError as error:
        if args.command == "publish":
            return _not_published(error)
        _say(f"esafety-docs: error: {error}")
        return EXIT_CONTENT
    except OSError as error:
        _say(f"esafety-docs: error: cannot write to {str(args.out)!r}: {error.strerror or error}")
        return EXIT_USAGE


def _build(
    args: argparse.Namespace,
    loaded: object,
    started: float,
    inputs: str,
    workers: Workers | None,
) -> int:
    from .building.archive import build_time
    from .building.pipeline import Loaded, build

    assert isinstance(loaded, Loaded)
    pack = loaded.pack
    _say(f"Building {pack.title}, version {pack.version} ({len(pack.documents)} documents)")
    if set(args.formats) != set(FORMATS):
        _say(f"Only {', '.join(args.formats)}: no zip, thumbnails or download page")
    result = build(
        loaded,
        args.out,
        build_time(),
        _say,
        inputs=inputs,
        force=args.force,
        formats=args.formats,
        workers=workers,
    )
    _say(
        f"Done in {time.perf_counter() - started:.1f} s: "
        f"{len(result.files)} files in {result.folder}/"
    )
    print(result.folder)
    return EXIT_OK


def _release(
    args: argparse.Namespace,
    loaded: Loaded,
    started: float,
    earlier: Previous | None,
    workers: Workers | None,
    folders: tuple[Path, Path],
) -> int:
    from .building.buildstate import inputs_digest
    from .publishing.history import release_time
    from .publishing.release import release

    pack = loaded.pack
    when = release_time(args.out, pack.version)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))  # for every library too
    _say(f"Releasing {pack.title}, version {pack.version}")
    inputs = inputs_digest(*folders)  # with the release's date, now that it is set
    drafts = pack.release_drafts == "publish" or _allow_draft(args)
    result = release(loaded, args.out, when, _say, earlier, drafts, workers, inputs)
    if not result.created:
        _say(f"Version {pack.version} is already released with identical content: nothing to do.")
    else:
        _say("Release notes:")
        for line in result.notes.splitlines():
            _say(f"  {line}" if line else "")
        _say(f"Released in {time.perf_counter() - started:.1f} s: {result.folder}/")
    print(result.folder)
    return EXIT_OK


def _allow_draft(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "allow_draft", False))


def _publish(args: argparse.Namespace, loaded: Loaded) -> int:
    """After `publish` has released: the site, and the push when asked for."""
    from .publishing.command import Refused, finish

    try:
        finish(
            args.plan, loaded.pack.version, args.push, args.url, args.site_out, loaded.brand, _say
        )
    except Refused as error:
        return _not_published(error)
    return EXIT_OK


def _not_published(error: Exception) -> int:
    _say(f"esafety-docs: error: {error}")
    _say("Nothing was published.")
    return EXIT_CONTENT


def _site(args: argparse.Namespace, sources: Path, templates: Path) -> int:
    from .publishing.command import Refused, site_only
    from .reading.brand import load_brand
    from .reading.diagnostics import Reporter

    try:
        brand = load_brand(templates, Reporter())
    except SourceError as error:
        _report(error.diagnostics)
        return EXIT_CONTENT
    try:
        print(site_only(sources, args.out, args.url, brand, _say))
    except Refused as error:
        _say(f"esafety-docs: error: {error}")
        return EXIT_CONTENT
    return EXIT_OK


def _diff(args: argparse.Namespace, loaded: Loaded, earlier: Previous | None) -> int:
    """The notes a release would write now, on standard output."""
    from .publishing.history import release_time
    from .publishing.releasenotes import notes_for
    from .publishing.snapshot import snapshot_of

    pack = loaded.pack
    released_on = release_time(args.out, pack.version).date()
    print(notes_for(snapshot_of(pack), earlier, released_on).markdown(), end="")
    return EXIT_OK


def _verify(folder: Path) -> int:
    from .publishing.release import verify

    if not folder.is_dir():
        _say(f"esafety-docs: error: {str(folder)!r} is not a folder")
        return EXIT_USAGE
    problems = verify(folder)
    for problem in problems:
        _say(f"{folder}: {problem}")
    if problems:
        _say(f"{len(problems)} problem(s): this release is not as published.")
        return EXIT_CONTENT
    _say(f"{folder}: every file matches SHA256SUMS and the manifest.")
    return EXIT_OK


def _new_document(sources: Path, doc_id: str, title: str | None) -> int:
    from .reading.newdocument import NewDocumentError, create

    if not (sources / "pack.yaml").is_file():
        _say(f"esafety-docs: error: there is no pack.yaml in {str(sources)!r}")
        _say("    hint: run the command in the pack's folder, or give --sources DIR")
        return EXIT_USAGE
    try:
        created = create(sources, doc_id, title, dt.date.today())
    except NewDocumentError as error:
        _say(f"esafety-docs: error: {error}")
        _say(f"    hint: {error.hint}")
        return EXIT_USAGE
    except SourceError as error:
        _report(error.diagnostics)
        _say("Nothing was written: fix pack.yaml, then run the command again.")
        return EXIT_CONTENT
    listed = "added it to pack.yaml" if created.listed else "pack.yaml already lists it"
    _say(f"Wrote {created.path} and {listed}. Open it, write the document, then check it.")
    print(created.path)
    return EXIT_OK


def _linkcheck(args: argparse.Namespace) -> int:
    from .linkcheck.command import linkcheck

    if not args.sources.is_dir():
        _say(f"esafety-docs: error: --sources folder {str(args.sources)!r} does not exist")
        return EXIT_USAGE
    return linkcheck(args.sources, args.timeout, args.workers, args.json)


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        _say(diagnostic.format())
    if diagnostics:
        _say(summary(diagnostics))


def _review(args: argparse.Namespace, sources: Path, templates: Path) -> int:
    from .review import command

    if args.review_step == "export":
        return command.run_export(sources, templates, args.out, _say)
    options = command.ImportOptions(args.report_only, args.comments, args.author, args.force)
    return command.run_import(args.file, sources, templates, options, _say)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
