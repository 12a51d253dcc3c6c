"""Command line: argument parsing and exit codes only; the work is in `pipeline`.

Exit codes: 0 success, 1 problems in the sources, 2 usage or environment problems.
"""

from __future__ import annotations

import argparse
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
            "Build the DDSCP online safety pack (DOCX and PDF) from the YAML files in sources/."
        ),
        epilog=(
            "Exit codes: 0 done, 1 problems in the sources (listed as file:line:column), "
            "2 wrong usage or a folder that cannot be read or written."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def with_sources(sub: argparse.ArgumentParser) -> None:
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

    def with_strict(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--strict",
            action="store_true",
            help="treat warnings as errors (used for releases)",
        )

    build = commands.add_parser(
        "build", help="check the sources, then write the pack to OUT/<version>/"
    )
    with_sources(build)
    with_strict(build)
    build.add_argument(
        "--out",
        type=Path,
        default=Path("dist"),
        metavar="DIR",
        help="where packs are written, one folder per version (default: dist)",
    )
    check = commands.add_parser("check", help="check the sources only; writes nothing")
    with_sources(check)
    with_strict(check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `esafety-docs` command."""
    args = _parser().parse_args(argv)
    sources: Path = args.sources
    templates: Path = args.templates or sources.parent / "templates"
    for folder, option in ((sources, "--sources"), (templates, "--templates")):
        if not folder.is_dir():
            _say(f"esafety-docs: error: {option} folder {str(folder)!r} does not exist")
            return EXIT_USAGE
    try:
        return _run(args, sources, templates)
    except KeyboardInterrupt:
        _say("esafety-docs: interrupted; nothing was published")
        return 130


def _run(args: argparse.Namespace, sources: Path, templates: Path) -> int:
    from .pipeline import build, load

    started = time.perf_counter()
    try:
        loaded = load(sources, templates)
    except SourceError as error:
        _report(error.diagnostics)
        _say("Nothing was built: fix the errors above and run the command again.")
        return EXIT_CONTENT
    diagnostics = loaded.diagnostics
    if args.strict:
        diagnostics = [d.as_error() for d in diagnostics]
    _report(diagnostics)
    if diagnostics and args.strict:
        _say("Stopped: --strict treats every warning as an error.")
        return EXIT_CONTENT
    if args.command == "check":
        _say(f"No errors: {len(loaded.pack.documents)} documents and their contacts checked.")
        return EXIT_OK

    pack = loaded.pack
    _say(f"Building {pack.title}, version {pack.version} ({len(pack.documents)} documents)")
    try:
        result = build(loaded, args.out, _say)
    except OSError as error:
        _say(f"esafety-docs: error: cannot write to {str(args.out)!r}: {error.strerror or error}")
        return EXIT_USAGE
    _say(
        f"Done in {time.perf_counter() - started:.1f} s: {len(result.files)} files in "
        f"{result.folder}/"
    )
    print(result.folder)
    return EXIT_OK


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        _say(diagnostic.format())
    if diagnostics:
        _say(summary(diagnostics))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
