"""One source file opened for review changes with ruamel.yaml's round-trip writer:
only the scalars that change are written anew; comments, quoting, key order and
the layout of every other line stay byte for byte as they were."""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.util import load_yaml_guess_indent

_STEP = re.compile(r"\.?([A-Za-z_]\w*)|\[(\d+)\]")


class WriteError(Exception):
    """The file could not be changed without touching lines that should stay."""


def steps(origin: str) -> list[str | int]:
    """`sections[1].body[0]` as the keys and indexes that reach it."""
    return [int(index) if index else key for key, index in _STEP.findall(origin)]


def scalar_at(data: Any, origin: str) -> str:
    """The text at `origin` in a source file's data, with its spaces as the reader
    sees them (runs of spaces and line breaks as one space)."""
    parent, last = _parent(data, origin)
    return " ".join(str(parent[last]).split())


class SourceFile:
    """A source file with changes to some of its scalars and comments to add."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 1 << 16  # never fold a line that was not folded
        self.data, sequence, offset = load_yaml_guess_indent(self.text, yaml=self.yaml)
        sequence, offset = sequence or 2, offset or 0
        self.yaml.indent(mapping=max(sequence - offset, 2), sequence=sequence, offset=offset)
        self.changed: dict[str, str] = {}
        self.notes: list[tuple[str, str]] = []  # (origin, comment text)

    def _parent(self, origin: str) -> tuple[Any, str | int]:
        return _parent(self.data, origin)

    def text_at(self, origin: str) -> str | None:
        """The text at `origin` as the reader sees it (see `scalar_at`); None when the
        file has no such place any more."""
        try:
            return scalar_at(self.data, origin)
        except (KeyError, IndexError, TypeError):
            return None

    def line(self, origin: str) -> int:
        """The 1-based line where the text at `origin` starts (0: there is none)."""
        return _line(self.data, origin)

    def set(self, origin: str, text: str) -> None:
        node, last = self._parent(origin)
        old = node[last]
        for kind in (
            DoubleQuotedScalarString,
            SingleQuotedScalarString,
            FoldedScalarString,
            LiteralScalarString,
        ):
            if isinstance(old, kind):
                node[last] = kind(text)
                break
        else:
            node[last] = text
        self.changed[origin] = text

    def comment(self, origin: str, text: str) -> None:
        self.notes.append((origin, " ".join(text.split())))

    def rendered(self) -> str:
        """The file's new text; WriteError if anything but the changes would change."""
        buffer = io.StringIO()
        self.yaml.dump(self.data, buffer)
        text = buffer.getvalue()
        self._check(text)
        return _with_comments(text, self.notes)

    def _check(self, text: str) -> None:
        """Only lines of the changed scalars may differ, and the file must read as the
        old one with just those values changed."""
        try:
            before: Any = yaml.safe_load(self.text)
            for origin, value in self.changed.items():
                parent, key = _parent(before, origin)
                parent[key] = value
            unchanged = yaml.safe_load(text) == before
        except yaml.YAMLError:
            unchanged = False
        if not unchanged:
            raise WriteError(f"{self.path.name} would read differently after the change")
        old_lines = self.text.splitlines()
        allowed = _spans({self.line(origin) for origin in self.changed}, old_lines)
        matcher = difflib.SequenceMatcher(None, old_lines, text.splitlines(), autojunk=False)
        for tag, first, last, _, _ in matcher.get_opcodes():
            touched = set(range(first + 1, last + 1)) or {first + 1}
            if tag != "equal" and not touched <= allowed:
                raise WriteError(
                    f"{self.path.name} could not be changed without rewriting other lines "
                    f"(line {min(touched)})"
                )


def _spans(starts: set[int], lines: list[str]) -> set[int]:
    """The lines each changed scalar takes: its first, and any that continue it
    (deeper indented, not a new item or key)."""
    taken = set()
    for start in starts:
        taken.add(start)
        indent = len(lines[start - 1]) - len(lines[start - 1].lstrip())
        for number in range(start + 1, len(lines) + 1):
            line = lines[number - 1]
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            taken.add(number)
    return taken


def _parent(data: Any, origin: str) -> tuple[Any, str | int]:
    *above, last = steps(origin)
    for step in above:
        data = data[step]
    return data, last


def _line(data: Any, origin: str) -> int:
    """The 1-based line of the text at `origin`; 0 when the file has no such place."""
    try:
        node, last = _parent(data, origin)
        if isinstance(node, CommentedSeq):
            return int(node.lc.item(last)[0]) + 1
        if isinstance(node, CommentedMap):
            return int(node.lc.value(last)[0]) + 1
    except (KeyError, IndexError, TypeError):
        pass
    return 0


def _with_comments(text: str, notes: list[tuple[str, str]]) -> str:
    """Review comments as YAML comment lines just above the item or key they are about."""
    if not notes:
        return text
    data = YAML().load(text)
    lines = text.splitlines(keepends=True)
    for origin, note in sorted(notes, key=lambda n: -_line(data, n[0])):
        row = _line(data, origin) - 1
        while row > 0 and not lines[row].lstrip().startswith("- ") and ":" not in lines[row]:
            row -= 1  # a value on a line of its own: the comment goes above its key or dash
        indent = lines[row][: len(lines[row]) - len(lines[row].lstrip())]
        lines.insert(row, f"{indent}# Review comment: {note}\n")
    return "".join(lines)
