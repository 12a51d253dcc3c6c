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
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, SourceError, summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


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

    def with_sources(sub: argparse.ArgumentParser, strict: bool = True) -> None:
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

    def with_out(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--out",
            type=Path,
            default=Path("dist"),
            metavar="DIR",
            help="where packs are written, one folder per version (default: dist)",
        )

    build = commands.add_parser(
        "build",
        help="check the sources, then write OUT/<version>/",
        description="Checks the sources, then renders what changed since the last build "
        "into OUT/<version>/ (every output when nothing was built before).",
    )
    with_sources(build)
    with_out(build)
    build.add_argument(
        "--force", action="store_true", help="render every output, even those up to date"
    )
    check = commands.add_parser(
        "check",
        help="check the sources only; writes nothing",
        description="Checks every source file and the brand, and lists every problem found "
        "as file:line:column with a hint saying how to fix it. Writes nothing and loads no "
        "renderer, so it is quick to run after every edit.",
    )
    with_sources(check)
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
    release = commands.add_parser(
        "release",
        help="strict checks, then a reproducible, checksummed release with release notes",
        description="Checks strictly, builds OUT/<version>/ with manifest.json, SHA256SUMS "
        "and RELEASE-NOTES.md, and moves OUT/latest.json to it. Never overwrites a released "
        "version. Output is reproducible: SOURCE_DATE_EPOCH is taken from the pack date "
        "unless it is set.",
    )
    with_sources(release, strict=False)
    with_out(release)
    release.add_argument(
        "--since",
        type=Path,
        metavar="DIR",
        help="the release to compare with (default: the newest earlier version in OUT)",
    )
    release.add_argument(
        "--allow-draft", action="store_true", help="release even if a document is a draft"
    )
    audit = commands.add_parser(
        "audit",
        help="check built PDF and DOCX files for accessibility (PDF/UA-1, WCAG)",
        description="Prints one PASS or FAIL line per rule per file, with the page or "
        "element at fault; exits 1 if anything fails.",
    )
    audit.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files or folders")
    verify = commands.add_parser("verify", help="re-check a release folder's checksums")
    verify.add_argument("folder", type=Path, metavar="DIR", help="a release folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `esafety-docs` command."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "verify":
            return _verify(args.folder)
        if args.command == "audit":
            return _audit(args.paths)
        if args.command == "new-document":
            return _new_document(args.sources, args.id, args.title)
        sources: Path = args.sources
        templates: Path = args.templates or sources.parent / "templates"
        for folder, option in ((sources, "--sources"), (templates, "--templates")):
            if not folder.is_dir():
                _say(f"esafety-docs: error: {option} folder {str(folder)!r} does not exist")
                return EXIT_USAGE
        return _run(args, sources, templates)
    except KeyboardInterrupt:
        _say("esafety-docs: interrupted; nothing was published")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _run(args: argparse.Namespace, sources: Path, templates: Path) -> int:
    started = time.perf_counter()
    inputs = ""
    if args.command == "build":
        from .buildstate import inputs_digest, up_to_date

        inputs = inputs_digest(sources, templates)
        current = None if args.force or args.strict else up_to_date(args.out, inputs)
        if current is not None:
            _say(f"Up to date: nothing has changed since {current}/ was built.")
            print(current)
            return EXIT_OK

    from .pipeline import PublishError, load

    try:
        loaded = load(sources, templates)
    except SourceError as error:
        _report(error.diagnostics)
        _say("Nothing was built: fix the errors above and run the command again.")
        return EXIT_CONTENT
    strict = args.command == "release" or args.strict
    diagnostics = [d.as_error() for d in loaded.diagnostics] if strict else loaded.diagnostics
    _report(diagnostics)
    if diagnostics and strict:
        _say(f"Stopped: {args.command} treats every warning as an error.")
        return EXIT_CONTENT
    if args.command == "check":
        _say(f"No errors: {len(loaded.pack.documents)} documents and their contacts checked.")
        return EXIT_OK
    try:
        if args.command == "release":
            return _release(args, loaded, started)
        return _build(args, loaded, started, inputs)
    except PublishError as error:
        _say(f"esafety-docs: error: {error}")
        return EXIT_CONTENT
    except OSError as error:
        _say(f"esafety-docs: error: cannot write to {str(args.out)!r}: {error.strerror or error}")
        return EXIT_USAGE


def _build(args: argparse.Namespace, loaded: object, started: float, inputs: str) -> int:
    from .archive import build_time
    from .pipeline import Loaded, build

    assert isinstance(loaded, Loaded)
    pack = loaded.pack
    _say(f"Building {pack.title}, version {pack.version} ({len(pack.documents)} documents)")
    result = build(loaded, args.out, build_time(), _say, inputs=inputs, force=args.force)
    _say(
        f"Done in {time.perf_counter() - started:.1f} s: "
        f"{len(result.files)} files in {result.folder}/"
    )
    print(result.folder)
    return EXIT_OK


def _release(args: argparse.Namespace, loaded: object, started: float) -> int:
    from .archive import build_time
    from .pipeline import Loaded
    from .release import release

    assert isinstance(loaded, Loaded)
    pack = loaded.pack
    if not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        midnight = dt.datetime.combine(pack.date, dt.time(), dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    _say(f"Releasing {pack.title}, version {pack.version}")
    result = release(loaded, args.out, build_time(), _say, args.since, args.allow_draft)
    if not result.created:
        _say(f"Version {pack.version} is already released with identical content: nothing to do.")
    else:
        _say("Release notes:")
        for note in result.notes:
            _say(f"  - {note}")
        _say(f"Released in {time.perf_counter() - started:.1f} s: {result.folder}/")
    print(result.folder)
    return EXIT_OK


def _verify(folder: Path) -> int:
    from .release import verify

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
    from .newdocument import NewDocumentError, create

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


def _audit(paths: list[Path]) -> int:
    from .audit import audit

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".pdf", ".docx"))
        elif path.is_file():
            files.append(path)
        else:
            _say(f"esafety-docs: error: {str(path)!r} does not exist")
            return EXIT_USAGE
    results = [result for path in files for result in audit(path)]
    for result in results:
        print(result.format())
    failures = sum(1 for r in results if not r.passed)
    _say(f"{len(results)} checks on {len(files)} files: {failures} failed")
    return EXIT_CONTENT if failures or not files else EXIT_OK


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        _say(diagnostic.format())
    if diagnostics:
        _say(summary(diagnostics))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
