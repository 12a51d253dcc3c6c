"""`esafety-docs audit`: audit files or folders and print one line per rule per file."""

from __future__ import annotations

from pathlib import Path

from ..audit.expected import Source, source_for
from ..audit.rules import RULES
from .messages import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, say

# The order `--list` prints the families in: the file first, then what is in it.
FAMILIES = (
    "PDF/A file and metadata",
    "PDF structure",
    "fonts",
    "navigation",
    "layout",
    "DOCX",
)

AUDITED = (".pdf", ".docx")  # the kinds of file the rules read


def run_audit(paths: list[Path], sources: Path | None, list_rules: bool) -> int:
    """Results go to standard output; the summary and errors to standard error."""
    if list_rules:
        for family in dict.fromkeys([*FAMILIES, *(r.family for r in RULES)]):
            print(f"{family}:")
            for item in (r for r in RULES if r.family == family):
                print(f"  {item.name:28} {item.clause}")
        return EXIT_OK
    if not paths:
        say("esafety-docs: error: give the files or folders to audit (or --list)")
        return EXIT_USAGE
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in AUDITED)
        elif path.is_file():
            files.append(path)
        else:
            say(f"esafety-docs: error: {str(path)!r} does not exist")
            return EXIT_USAGE
    known = _sources(sources) if sources is not None else {}
    if known is None:
        return EXIT_CONTENT
    from ..audit import audit

    audited = [path for path in files if path.suffix.lower() in AUDITED]
    others = [path for path in files if path not in audited]
    results = [result for path in audited for result in audit(path, known.get(path.name))]
    for result in [*results, *(r for path in others for r in audit(path))]:
        print(result.format())  # the other files each say why they were skipped
    failures = sum(1 for r in results if not r.passed)
    skipped = sum(1 for r in results if r.skipped)
    note = f", {skipped} skipped (give --sources to run them)" if skipped else ""
    if others:
        count, plural = len(others), "s" if len(others) > 1 else ""
        note += f"; {count} other file{plural} skipped (only PDF and DOCX are audited)"
    say(f"{len(results)} checks on {len(audited)} files: {failures} failed{note}")
    if not audited:
        say("esafety-docs: error: none of these is a PDF or DOCX file, so nothing was audited")
    return EXIT_CONTENT if failures or not audited else EXIT_OK


def _sources(folder: Path) -> dict[str, Source] | None:
    """Each file name a build of these sources writes -> what the file should say."""
    from ..building.pipeline import load
    from ..reading.diagnostics import SourceError
    from ..render.common import document_file, pack_file

    try:
        pack = load(folder, folder.parent / "templates").pack
    except SourceError as error:
        for diagnostic in error.diagnostics:
            say(diagnostic.format())
        say("esafety-docs: error: the sources have errors, so files cannot be compared with them")
        return None
    names = [document_file(d, pack, ext) for d in pack.documents for ext in ("pdf", "docx")]
    found = {name: source for name in names if (source := source_for(name, pack)) is not None}
    combined = source_for(pack_file(pack, "pdf"), pack)
    if combined is not None:
        found[pack_file(pack, "pdf")] = combined
    return found
