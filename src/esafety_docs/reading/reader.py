"""Checked reading of one YAML file: its mappings and lists against the schema,
each value converted by its kind, every problem with its position.

Values come from PyYAML's composed nodes (`parsing` reads the file), so each
problem names the file, line and column of the exact key or value at fault.
Scalars are read as the text the user typed (no YAML 1.1 surprises such as `no`
becoming false or a phone number losing its leading zero); each field's kind
decides how to parse it (`values`). Every character of printed text is checked
here, where the position is known.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Reporter
from .parsing import compose_file
from .positions import char_position
from .schema import LIST_KINDS, Field
from .values import CONVERTERS

# Fields that stay with comms staff: everything else may be printed somewhere.
NOT_PRINTED = frozenset(
    {
        "id",
        "source",
        "checked_on",
        "editor_notes",
        "old_numbers",
        "awaiting_confirmation",
        "release_pending",
        "release_drafts",
    }
)


@dataclass(frozen=True)
class PrintedText:
    """A value readers will see, kept with its place for checks across files."""

    path: Path
    node: yaml.Node
    text: str
    file_text: str  # the whole file, to find where in the node a number is typed


@dataclass(frozen=True)
class ReadContext:
    """What field checks need to know beyond the file itself."""

    today: dt.date = field(default_factory=dt.date.today)
    # Code points every face of the PDF font can draw; None skips the check.
    drawable: frozenset[int] | None = None
    font_name: str = "the PDF font"
    # Every value that will be printed, filled in while reading (see check_printed_numbers).
    printed: list[PrintedText] = field(default_factory=list)


class YamlReader:
    """Walks the composed YAML of one file, converting values and reporting problems."""

    # Every key this kind of file may use anywhere, so YAML advice can tell a key from text.
    known_keys: frozenset[str] = frozenset()

    def __init__(self, path: Path, reporter: Reporter, context: ReadContext) -> None:
        self.path = path
        self.reporter = reporter
        self.context = context
        self.lines: list[str] = []
        self._converted: dict[int, object] = {}
        # The text `compose` parsed; node marks index into it (in characters).
        self.composed_text = ""

    # ------------------------------------------------------------ reporting

    def error(self, node: yaml.Node | None, message: str, hint: str = "") -> None:
        self.reporter.error(self.path, node.start_mark if node else None, message, hint)

    def warning(
        self, node: yaml.Node | None, message: str, hint: str = "", draft: bool = False
    ) -> None:
        self.reporter.warning(self.path, node.start_mark if node else None, message, hint, draft)

    def _error_at(self, line: int, column: int, message: str, hint: str) -> None:
        self.reporter.error_at(self.path, line, column, message, hint)

    # ------------------------------------------------------------ parsing

    def read_root(self, spec: dict[str, Field], what: str) -> dict[str, yaml.Node] | None:
        """Parse the file and check its top-level mapping against `spec`."""
        node = self.compose(f"{what}, starting with `{next(iter(spec))}:`")
        return None if node is None else self.mapping(node, spec, what)

    def compose(self, holds: str = "YAML") -> yaml.Node | None:
        """The file's YAML node tree, or None after reporting why it cannot be read
        (see `parsing`); `holds` says what the file should contain."""
        composed = compose_file(self.path, self.reporter, holds, self.known_keys)
        if composed is None:
            return None
        self.composed_text = composed.text
        self.lines = composed.text.splitlines()
        return composed.node

    # ------------------------------------------------------------ structure

    def mapping(
        self, node: yaml.Node, spec: dict[str, Field], what: str
    ) -> dict[str, yaml.Node] | None:
        """Check a mapping's keys against `spec` and convert its scalar values."""
        if not isinstance(node, yaml.MappingNode):
            example = next(iter(spec))
            self.error(
                node,
                f"{what} should be a set of `key: value` lines, but this is {_describe(node)}",
                f"write {what} as keys, starting with `{example}:`",
            )
            return None
        if self._text_read_as_key(node, spec):
            return None
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, f"a key in {what} must be a plain word", "check the indent")
            elif key in fields:
                self.error(
                    key_node, f"{key!r} is given twice in {what}", "delete one of the two lines"
                )
            elif key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1)
                self.error(
                    key_node,
                    f"unknown key {key!r} in {what}",
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"the keys allowed here are: {', '.join(spec)}",
                )
            else:
                fields[key] = value_node
        for name, field_spec in spec.items():
            if field_spec.required and name not in fields:
                self.error(
                    node,
                    f"{what} is missing {name!r}",
                    f"add `{name}:` ({field_spec.doc.rstrip('.')})",
                )
        for name, value_node in fields.items():
            if spec[name].kind not in LIST_KINDS:
                self._converted[id(value_node)] = self.convert(spec[name].kind, value_node, name)
        return fields

    def _text_read_as_key(self, node: yaml.MappingNode, spec: dict[str, Field]) -> bool:
        """A one-line `Text: more text` where a key of `spec` was expected is prose, not a
        key: report it so, with the line in quotes, and return True."""
        key = node.value[0][0] if len(node.value) == 1 else None
        if not isinstance(key, yaml.ScalarNode) or key.value in spec:
            return False
        if difflib.get_close_matches(str(key.value), list(spec), n=1):
            return False  # a misspelt key: "did you mean" says more
        return self._report_text_read_as_key(node)

    def _report_text_read_as_key(self, node: yaml.MappingNode) -> bool:
        from .yamlfix import text_read_as_key  # only when something is wrong

        advice = text_read_as_key(node, self.lines)
        if advice:
            self._error_at(advice.line, advice.column, advice.message, advice.hint)
        return advice is not None

    def values(self, fields: dict[str, yaml.Node]) -> Callable[[str], Any]:
        """A getter for the converted values of a checked mapping (None when absent or bad)."""

        def get(name: str) -> Any:
            node = fields.get(name)
            return None if node is None else self._converted.get(id(node))

        return get

    def sequence(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.error(
                node,
                f"{name!r} should be a list with at least one item",
                "write each item on its own line starting with `- `",
            )
            return []
        return list(node.value)

    def ids(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        """A list of ids, each with its node for positions; duplicates are errors."""
        result: list[tuple[str, yaml.Node]] = []
        for item in self.sequence(node, f"{what} ids"):
            value = self.convert("id", item, what)
            if not isinstance(value, str):
                continue
            if any(value == seen for seen, _ in result):
                self.error(item, f"{what} {value!r} is listed twice", "delete one of them")
                continue
            result.append((value, item))
        return result

    # ------------------------------------------------------------ scalars

    def text(self, node: yaml.Node, name: str) -> str | None:
        """A non-empty line of text whose every character the PDF font can draw."""
        if not isinstance(node, yaml.ScalarNode):
            if isinstance(node, yaml.MappingNode) and self._report_text_read_as_key(node):
                return None
            self.error(
                node,
                f"{name!r} should be text, but this is {_describe(node)}",
                "write the value on the same line as the key",
            )
            return None
        value = " ".join(node.value.split())
        if not value:
            self.error(
                node,
                f"{name!r} is empty",
                "write a value, or delete the line if the detail is not known",
            )
            return None
        drawable = self.context.drawable
        for index, char in enumerate(node.value):
            if char in "\n\t" or (
                char.isprintable() and (drawable is None or ord(char) in drawable)
            ):
                continue  # the common case, decided without looking anything else up
            line, column = char_position(node, index)
            if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
                self._error_at(
                    line,
                    column,
                    f"{name!r} contains the invisible character U+{ord(char):04X}",
                    "delete it (it was probably pasted from another program) and retype the text",
                )
                return None
            if drawable is not None and ord(char) not in drawable:
                self._error_at(
                    line,
                    column,
                    f"the character {char!r} (U+{ord(char):04X}, "
                    f"{unicodedata.name(char, 'unnamed')}) cannot be printed in "
                    f"{self.context.font_name}",
                    "replace it with a plain character, or it would print as a blank box",
                )
                return None
        return value

    def convert(self, kind: str, node: yaml.Node, name: str) -> object:
        """One field's value by kind; None (with a diagnostic) when it is wrong."""
        value = self.text(node, name)
        if value is None:
            return None
        converter = CONVERTERS.get(kind)
        converted = converter(self, value, node, name) if converter else value
        # A phone number refused by its own check is not refused again as printed text.
        if name not in NOT_PRINTED and not (kind == "phone" and converted is None):
            self.context.printed.append(PrintedText(self.path, node, value, self.composed_text))
        return converted


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a set of keys"
    return f"the text {node.value!r}" if node.value else "empty"
