"""What every command says and how it exits: messages to standard error, results
(a folder, a path) alone on standard output, so scripts can read them."""

from __future__ import annotations

import sys

from ..reading.diagnostics import Diagnostic, summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report(diagnostics: list[Diagnostic]) -> None:
    """Each problem as file:line:column with its hint, then how many there were."""
    for diagnostic in diagnostics:
        say(diagnostic.format())
    if diagnostics:
        say(summary(diagnostics))


def error(text: str) -> None:
    say(f"esafety-docs: error: {text}")
