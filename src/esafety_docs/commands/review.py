"""`esafety-docs review export` and `review import`: the work behind the CLI."""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from ruamel.yaml.error import YAMLError

from ..reading.diagnostics import SourceError
from ..review.plan import ByHand, Plan, plan
from ..review.reviewed import Piece, ReviewError, open_review
from ..review.sourcefile import SourceFile, WriteError
from .messages import EXIT_CONTENT, EXIT_OK, EXIT_USAGE

Say = Callable[[str], None]


@dataclass(frozen=True)
class ImportOptions:
    report_only: bool = False
    comments: str = "report"  # or "yaml": also written into the source as YAML comments
    author: str | None = None  # only this reviewer's tracked changes
    force: bool = False  # apply even though the sources changed since export


def run_export(sources: Path, templates: Path, out: Path, say: Say) -> int:
    from ..building.pipeline import load
    from ..review.export import export_reviews

    try:
        loaded = load(sources, templates)
    except SourceError as error:
        for diagnostic in error.diagnostics:
            say(diagnostic.format())
        say("esafety-docs: no review copies written: mend the sources first")
        return EXIT_CONTENT
    say(f"Writing review copies of {len(loaded.pack.documents)} documents:")
    written = export_reviews(loaded.pack, loaded.brand, sources, out, say)
    say(
        "Send these to reviewers. Ask them to switch on Track Changes (Word: Review > Track "
        "Changes; LibreOffice: Edit > Track Changes > Record Changes) and to save as .docx. "
        "Then, for each file they send back: `python3 -m nox -s review -- import FILE "
        "--report-only` to see what it changes, and the same without --report-only to apply it."
    )
    print(written[0].parent if written else out)
    return EXIT_OK


def run_import(path: Path, sources: Path, templates: Path, options: ImportOptions, say: Say) -> int:
    try:
        reviewed = open_review(path)
    except ReviewError as error:
        say(f"esafety-docs: {error}. Nothing was written.")
        return EXIT_USAGE
    manifest = reviewed.manifest
    pack_title = _pack_title(sources)
    if pack_title != manifest.pack:
        say(
            f"esafety-docs: {path.name} is a review copy of another pack ({manifest.pack!r}; "
            f"these sources are {pack_title!r}). Nothing was written."
        )
        return EXIT_CONTENT
    source_path = sources / manifest.file
    # The name comes from the reviewed file: only a file of the sources folder itself.
    if Path(manifest.file).name != manifest.file or not source_path.is_file():
        say(
            f"esafety-docs: {path.name} was made from {manifest.file}, which is not in "
            f"{sources}. Nothing was written."
        )
        return EXIT_CONTENT
    from ..review.export import digest

    stale = digest(source_path) != manifest.digests.get(manifest.file)
    if stale and not options.force:
        say(
            f"esafety-docs: {manifest.file} has changed since this review copy was made "
            f"(from version {manifest.version}). Nothing was written. Export a new review "
            "copy for the next round, or run again with --force to apply the changes where "
            "the text is still as it was (the others are listed as conflicts)."
        )
        return EXIT_CONTENT
    try:
        source = SourceFile(source_path)
    except (OSError, UnicodeDecodeError) as error:
        say(f"esafety-docs: {manifest.file} cannot be read ({error}). Nothing was written.")
        return EXIT_USAGE
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f":{mark.line + 1}" if mark is not None else ""
        say(
            f"esafety-docs: {manifest.file}{at} cannot be read as YAML, so nothing can be "
            "put back into it. Nothing was written. Mend it first (`python3 -m nox -s "
            "check` says how), then import again."
        )
        return EXIT_CONTENT

    def accept(piece: Piece) -> bool:
        return options.author is None or piece.author == options.author

    result = plan(reviewed, source, accept, stale)
    _report(path, manifest.version, result, options, say)
    if options.report_only:
        say("Report only: nothing was written.")
        return EXIT_OK
    for change in result.changes:
        source.set(change.entry.path, change.markup)
    if options.comments == "yaml":
        for note in result.notes:
            if note.entry is not None:
                comment = note.comment
                source.comment(note.entry.path, f"{comment.author}: {comment.text}")
    if not source.changed and not source.notes:
        say("Nothing to write: no change maps onto the sources.")
        return EXIT_OK
    try:
        text = source.rendered()
    except WriteError as error:
        say(f"esafety-docs: {error}. Nothing was written.")
        return EXIT_CONTENT
    problems = _checked(sources, templates, source_path.name, text)
    if problems:
        say(
            "esafety-docs: with these changes the sources would not build. Nothing was "
            "written; make the changes by hand, mending these:"
        )
        for problem in problems:
            say(textwrap.indent(problem, "  "))
        return EXIT_CONTENT
    try:
        source_path.write_text(text, encoding="utf-8")
    except OSError as error:
        say(f"esafety-docs: cannot write {source_path}: {error.strerror or error}")
        return EXIT_USAGE
    say(
        f"Wrote {source_path}: {len(result.changes)} changes"
        + (f", {len(source.notes)} comments" if source.notes else "")
        + ". Look over the change (git diff), then build."
    )
    return EXIT_OK


def _pack_title(sources: Path) -> str:
    try:
        data = yaml.safe_load((sources / "pack.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ""
    return str(data.get("title", "")) if isinstance(data, dict) else ""


def _checked(sources: Path, templates: Path, name: str, text: str) -> list[str]:
    """The errors the sources would have with `name` holding `text`, read from a copy."""
    from ..building.pipeline import load

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / sources.name
        shutil.copytree(sources, copy)
        (copy / name).write_text(text, encoding="utf-8")
        try:
            load(copy, templates)
        except SourceError as error:
            return [
                d.format().replace(str(copy), str(sources))
                for d in error.diagnostics
                if d.severity == "error"
            ]
    return []


def _report(path: Path, version: str, result: Plan, options: ImportOptions, say: Say) -> None:
    say(f"Review of {path.name} (made from version {version} of the sources)")
    verb = "Would change" if options.report_only else "Changes"
    say(f"\n{verb} ({len(result.changes)}):" if result.changes else "\nNo changes to apply.")
    for change in result.changes:
        by = f"tracked by {', '.join(change.authors)}" if change.authors else "not tracked"
        say(f"  {change.entry.file}:{change.line} ({change.entry.path}, {by})")
        say(f"    before: {change.before}")
        say(f"    after:  {change.after}")
    if result.notes:
        how = "also written into the source" if options.comments == "yaml" else "not written"
        say(f"\nComments ({len(result.notes)}, {how}):")
    for note in result.notes:
        comment = note.comment
        when = f", {comment.date[:10]}" if comment.date else ""
        say(f'  {note.where}: {comment.author or "(no name)"}{when} on "{comment.anchored}":')
        say(f"    {comment.text}")
    _list("Conflicts: the source changed here since export", result.conflicts, say)
    _list("Not applied: do these by hand", result.by_hand, say)
    if result.skipped_authors:
        say(
            f"\nLeft out (--author {options.author}): tracked changes by "
            f"{', '.join(sorted(result.skipped_authors))}."
        )
    say("")


def _list(title: str, items: list[ByHand], say: Say) -> None:
    if not items:
        return
    say(f"\n{title} ({len(items)}):")
    for item in items:
        say(f"  {item.where}: {item.what}")
        say(f"    what to do: {item.todo}")
