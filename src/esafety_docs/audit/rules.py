"""What a rule is, where rules are registered, and what one rule says about one file.

Each family module (PDF structure, PDF/A file and metadata, fonts, navigation,
DOCX, layout) declares its rules with `@rule`, naming the clause each checks,
so `esafety-docs audit --list` can print them all and a new rule has an
obvious home.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Check = Callable[[Any], list[str]]


@dataclass(frozen=True)
class Rule:
    """One machine check: its name, the family it belongs to, the file format it
    reads, the standard clause it checks, and the function that finds problems."""

    name: str
    family: str
    format: str  # "pdf" or "docx"
    clause: str
    check: Check
    needs_source: bool = False  # compares the file with the sources it was built from


RULES: list[Rule] = []


def rule(
    name: str, clause: str, *, family: str, needs_source: bool = False
) -> Callable[[Check], Check]:
    """Register a check; the format is the name's prefix (pdf-..., docx-...)."""

    def register(check: Check) -> Check:
        fmt = name.split("-", 1)[0]
        RULES.append(Rule(name, family, fmt, clause, check, needs_source))
        return check

    return register


@dataclass(frozen=True)
class Result:
    """One rule applied to one file: passed, failed (with where and why), or skipped."""

    file: str
    rule: str
    passed: bool
    detail: str = ""
    skipped: bool = False

    def format(self) -> str:
        status = "SKIP" if self.skipped else "PASS" if self.passed else "FAIL"
        return f"{status} {self.file} {self.rule}" + (f": {self.detail}" if self.detail else "")
