"""Command line: argument parsing only. Each command's work is in `commands/` or in
the package of its own (preview, review, linkcheck).

Exit codes: 0 success, 1 problems in the sources (or a release that must not
happen as asked), 2 usage or environment problems.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .building.buildstate import FORMATS
from .commands import pack
from .commands.messages import EXIT_OK, EXIT_USAGE, error, say


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


def _with_sources_folder(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help=f"folder holding {what} (default: sources)",
    )


def _with_sources(sub: argparse.ArgumentParser, strict: bool = True) -> None:
    _with_sources_folder(sub, "pack.yaml, contacts.yaml and the documents")
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
    _with_sources_folder(new_document, "pack.yaml")


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
    _with_out(preview, "the preview is built in OUT/preview/")
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
    _with_sources_folder(linkcheck, "the YAML sources")
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
        return _dispatch(args)
    except KeyboardInterrupt:
        published = args.command in ("build", *pack.RELEASING)
        say("esafety-docs: interrupted" + ("; nothing was published" if published else ""))
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    """Hand the parsed arguments to the command's own module."""
    if args.command == "verify":
        from .commands import releasing

        return releasing.verify(args.folders)
    if args.command == "audit":
        from .commands.audit import run_audit

        return run_audit(args.paths, args.sources, args.list)
    if args.command == "linkcheck":
        from .linkcheck.command import linkcheck

        return linkcheck(args.sources, args.timeout, args.workers, args.json)
    if args.command == "new-document":
        from .commands import new_document

        return new_document.run(args.sources, args.id, args.title)
    sources: Path = args.sources
    templates: Path = args.templates or sources.parent / "templates"
    for folder, option in ((sources, "--sources"), (templates, "--templates")):
        if not folder.is_dir():
            error(f"{option} folder {str(folder)!r} does not exist")
            return EXIT_USAGE
    if args.command == "review":
        return _review(args, sources, templates)
    if args.command == "preview":
        from .preview.command import run

        return run(sources, templates, args.out, args.port, not args.no_open, say)
    if args.command == "site":
        from .commands import releasing

        return releasing.site(sources, templates, args.out, args.url)
    asked = {name: getattr(args, name) for name in _PACK_OPTIONS if hasattr(args, name)}
    return pack.run(pack.PackRequest(args.command, sources, templates, **asked))


# What a pack command's options may set; each command has only some of them.
_PACK_OPTIONS = [
    f.name
    for f in dataclasses.fields(pack.PackRequest)
    if f.name not in ("command", "sources", "templates")
]


def _review(args: argparse.Namespace, sources: Path, templates: Path) -> int:
    from .commands import review as command

    if args.review_step == "export":
        return command.run_export(sources, templates, args.out, say)
    options = command.ImportOptions(args.report_only, args.comments, args.author, args.force)
    return command.run_import(args.file, sources, templates, options, say)


if __name__ == "__main__":
    sys.exit(main())
