"""Problems found in the sources, reported the way compilers do.

`path:line:col: error: message` then an indented hint, so editors can jump to
the place and comms staff know what to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: `check` and no-op builds start faster without it
    import yaml


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place in one source file. Line and column are 1-based."""

    path: str
    line: int
    column: int
    severity: str  # "error" or "warning"
    message: str
    hint: str = ""
    # About content that is not ready to print yet (a contact awaiting confirmation):
    # a release made with --allow-draft lets it through, as it does draft documents.
    draft: bool = False
    note: str = ""  # what else the user should know, after the fix (lines not read)

    def as_error(self) -> Diagnostic:
        """The same problem, raised to an error (for --strict)."""
        return replace(self, severity="error")

    def format(self) -> str:
        """The compiler-style text shown to the user."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        if self.note:
            text += f"\n    note: {self.note}"
        return text


class SourceError(Exception):
    """Raised when sources cannot be turned into a pack; carries every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sort(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def sort(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """By file and position; problems at one place keep the order they were found in."""
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.column))


def display_path(path: Path) -> str:
    """A path as the user typed it relative to the working folder, when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class Reporter:
    """Collects diagnostics for one run; positions come from YAML marks."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def at(
        self,
        path: Path,
        mark: yaml.Mark | None,
        severity: str,
        message: str,
        hint: str = "",
        draft: bool = False,
    ) -> None:
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        self.diagnostics.append(
            Diagnostic(display_path(path), line, column, severity, message, hint, draft)
        )

    def error(self, path: Path, mark: yaml.Mark | None, message: str, hint: str = "") -> None:
        self.at(path, mark, "error", message, hint)

    def error_at(self, path: Path, line: int, column: int, message: str, hint: str) -> None:
        """An error at a position worked out without a YAML mark (1-based, as shown)."""
        self.diagnostics.append(
            Diagnostic(display_path(path), line, column, "error", message, hint)
        )

    def warning(
        self,
        path: Path,
        mark: yaml.Mark | None,
        message: str,
        hint: str = "",
        draft: bool = False,
    ) -> None:
        self.at(path, mark, "warning", message, hint, draft)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def summary(diagnostics: list[Diagnostic]) -> str:
    """'2 errors, 3 warnings', with singulars where they belong."""
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
