"""new-document: a starting file for a new document, and what to do next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..reading.diagnostics import SourceError
from ..reading.newdocument import NewDocumentError, create
from .messages import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, error, report, say


def run(sources: Path, doc_id: str, title: str | None) -> int:
    if not (sources / "pack.yaml").is_file():
        error(f"there is no pack.yaml in {str(sources)!r}")
        say("    hint: run the command in the pack's folder, or give --sources DIR")
        return EXIT_USAGE
    try:
        created = create(sources, doc_id, title, dt.date.today())
    except NewDocumentError as refused:
        error(str(refused))
        say(f"    hint: {refused.hint}")
        return EXIT_USAGE
    except SourceError as failed:
        report(failed.diagnostics)
        say("Nothing was written: fix pack.yaml, then run the command again.")
        return EXIT_CONTENT
    listed = "added it to pack.yaml" if created.listed else "pack.yaml already lists it"
    say(f"Wrote {created.path} and {listed}. Open it, write the document, then check it.")
    print(created.path)
    return EXIT_OK
