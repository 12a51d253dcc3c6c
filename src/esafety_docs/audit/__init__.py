"""Machine checks of built files, each rule reading the file as a reader would.

One module per family: `pdf_structure` (tags), `pdf_file` (PDF/A file and
metadata), `fonts`, `navigation`, `layout` (the pages as drawn), `docx`. Each
rule names the clause it checks (`esafety-docs audit --list`); each has a test
that breaks a file on purpose.
`build` audits every file it renders, with the sources the file was made from,
and publishes nothing if a rule fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import docx, fonts, layout, navigation, pdf_file, pdf_structure  # noqa: F401 - they register rules
from .docx import DocxFile
from .expected import Source
from .pdf_reading import PdfFile
from .rules import RULES, Result, Rule

__all__ = ["NOT_AUDITED", "RULES", "Result", "Rule", "Source", "audit", "rules_for"]

NOT_AUDITED = "no rules for this kind of file (only PDF and DOCX files are audited)"

_OPENERS: dict[str, Callable[[Path, Source | None], Any]] = {
    "pdf": PdfFile,
    "docx": DocxFile,
}


def rules_for(fmt: str) -> list[Rule]:
    return [r for r in RULES if r.format == fmt]


def audit(
    path: Path, source: Source | None = None, seconds: dict[str, float] | None = None
) -> list[Result]:
    """Every rule for the file's format (by extension); rules that compare the file
    with its sources are skipped, saying so, when `source` is not given. A file of
    another kind is skipped as a whole, so `audit dist/<version>/*` reads the
    PDF and DOCX files among everything a build writes. `seconds`, when given,
    gains the time each family of rules took ("audit <family>")."""
    seconds = {} if seconds is None else seconds
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in _OPENERS:  # a build's pages, pictures and zip sit beside them
        return [Result(path.name, "format", True, NOT_AUDITED, skipped=True)]
    try:
        subject = _OPENERS[fmt](path, source)
    except Exception as error:
        return [Result(path.name, "readable", False, f"cannot be opened: {error}")]
    results = []
    try:
        for item in rules_for(fmt):
            if item.needs_source and source is None:
                results.append(
                    Result(path.name, item.name, True, "needs the sources (--sources)", True)
                )
                continue
            started = time.perf_counter()
            try:
                problems = item.check(subject)
            except Exception as error:
                problems = [f"the file is malformed here: {error}"]
            stage = f"audit {item.family}"
            seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
            results.append(Result(path.name, item.name, not problems, "; ".join(problems[:5])))
    finally:
        close = getattr(subject, "close", None)
        if close is not None:
            close()
    return results
