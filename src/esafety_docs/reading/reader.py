"""Checked reading of one YAML file: values converted by kind, problems with positions.

Values come from PyYAML's composed nodes, so each problem names the file, line
and column of the exact key or value at fault. Scalars are read as the text the
user typed (no YAML 1.1 surprises such as `no` becoming false or a phone number
losing its leading zero); each field's kind decides how to parse it. Field-level
checks (dates, phone ranges, web addresses, printable characters) happen here,
where the position is known.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Reporter, display_path
from .markup import check_url, parse_inline
from .model import Inlines
from .phones import Phone, parse_phone
from .schema import (
    DRAFT_CHOICES,
    LAYOUTS,
    LIST_KINDS,
    MAX_MONTHS,
    PATTERNS,
    PENDING_CHOICES,
    STATUSES,
    Field,
)

try:  # the C loader is several times faster; its marks are the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# A source holds a few kilobytes of text; anything past this is a mistake (or an attack).
MAX_SOURCE_BYTES = 1_000_000

_ID = re.compile(PATTERNS["id"])
_DATE = re.compile(PATTERNS["date"])
_EMAIL = re.compile(PATTERNS["email"])
# A date written the British way round, 28/02/2027 or 28.2.2027.
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


# Fields that stay with comms staff: everything else may be printed somewhere.
# Syntax errors reported from one file at most, each found after fixing the one before.
MAX_SYNTAX_ERRORS = 20

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


def suggested_id(value: str) -> str:
    """The id `value` was meant to be: `CEOP` -> `ceop` ('' when nothing is left)."""
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))


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
        self.reporter.diagnostics.append(
            Diagnostic(display_path(self.path), line, column, "error", message, hint)
        )

    # ------------------------------------------------------------ parsing

    def read_root(self, spec: dict[str, Field], what: str) -> dict[str, yaml.Node] | None:
        """Parse the file and check its top-level mapping against `spec`."""
        node = self.compose(f"{what}, starting with `{next(iter(spec))}:`")
        return None if node is None else self.mapping(node, spec, what)

    def compose(self, holds: str = "YAML") -> yaml.Node | None:
        """The file's YAML node tree, or None after reporting why it cannot be read.

        `holds` says what the file should contain, for the message about an empty file.
        """
        if not self.path.is_file():
            near = similar_file(self.path)
            self.error(
                None,
                f"{self.path.name} is missing",
                f"{near.name} is there: if that is this file, rename it to {self.path.name}"
                if near
                else f"put {self.path.name} back in {self.path.parent.name}/ "
                f"(it should hold {holds})",
            )
            return None
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self.error(None, f"cannot read the file: {exc.strerror}", "check the file")
            return None
        if len(data) > MAX_SOURCE_BYTES:
            self.error(
                None,
                f"the file is {len(data):,} bytes; a source may be at most "
                f"{MAX_SOURCE_BYTES:,} bytes",
                "a source holds text, not data: remove what was pasted in by mistake",
            )
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _line_column(data, exc.start)
            self._error_at(
                line,
                column,
                f"byte 0x{data[exc.start]:02x} is not UTF-8 text",
                "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
            )
            return None
        text = text.removeprefix("\ufeff")
        self.composed_text = text
        self.lines = text.splitlines()
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.reader.ReaderError as exc:
            line, column = _line_column(text, exc.position)
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            self._error_at(
                line,
                column,
                f"the file contains the invisible control character U+{code:04X}",
                "delete it (it was probably pasted from another program) and retype the text",
            )
            return None
        except yaml.MarkedYAMLError as exc:
            self._syntax_errors(exc, text)
            return None
        except (yaml.YAMLError, RecursionError):
            self.error(None, "the file is not valid YAML", "check it against the examples")
            return None
        if node is None:
            self.error(
                None,
                "the file is empty" if not text.strip() else "the file holds only comments",
                f"it should hold {holds}; see docs/source-format.md for every key",
            )
            return None
        shared = _first_shared_node(node)
        if shared is not None:
            self.error(
                shared,
                "YAML anchors and aliases (& and *) are not allowed in sources",
                "write the value out in full where it is needed",
            )
            return None
        return node

    def _syntax_errors(self, error: yaml.MarkedYAMLError, text: str) -> None:
        """Report the syntax error, then every later one that can be found: while a
        hint shows the corrected line, it is pasted in and the rest read again."""
        from .yamlfix import explain, repaired  # only when something is wrong

        last = 0
        for _ in range(MAX_SYNTAX_ERRORS):
            advice = explain(error, text, self.known_keys)
            if advice.line <= last:
                break  # no further on: what is left depends on this line
            self._error_at(advice.line, advice.column, advice.message, advice.hint)
            last, fixed = advice.line, repaired(text, advice)
            if fixed is None:
                break
            try:
                yaml.compose(fixed, Loader=_Loader)
                return
            except yaml.MarkedYAMLError as later:
                error, text = later, fixed
            except (yaml.YAMLError, RecursionError):
                break
        self._say_the_rest_was_not_checked(last, text)

    def _say_the_rest_was_not_checked(self, line: int, text: str) -> None:
        """After a mistake the reader cannot see past, the last message says that the
        lines below it were not read, so a clean second run is no surprise."""
        below = [
            t for t in text.splitlines()[line:] if t.strip() and not t.lstrip().startswith("#")
        ]
        if below and self.reporter.diagnostics:
            note = f"lines after {line} were not checked: run the check again once it is mended"
            self.reporter.diagnostics[-1] = replace(self.reporter.diagnostics[-1], note=note)

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
            line, column = _char_position(node, index)
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
        converter = _CONVERTERS.get(kind)
        converted = converter(self, value, node, name) if converter else value
        # A phone number refused by its own check is not refused again as printed text.
        if name not in NOT_PRINTED and not (kind == "phone" and converted is None):
            self.context.printed.append(PrintedText(self.path, node, value, self.composed_text))
        return converted

    def _date(self, value: str, node: yaml.Node, name: str) -> dt.date | None:
        if _DATE.match(value):
            year, month, day = (int(part) for part in value.split("-"))
            if not 1 <= month <= 12:
                self.error(
                    node,
                    f"{value!r} is not a date: there is no month {month}",
                    "write dates as YYYY-MM-DD, year first, then month (01 to 12), then day",
                )
                return None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                self.error(
                    node,
                    f"{value!r} is not a date: {calendar.month_name[month]} {year} has {last} days",
                    f"check the day; the last day of that month is {year}-{month:02d}-{last}",
                )
                return None
            return dt.date(year, month, day)
        british = _DAY_FIRST.fullmatch(value)
        if british:
            day, month, year = (int(part) for part in british.groups())
            hint = f"write it year first: {year}-{month:02d}-{day:02d}"
        else:
            hint = "write dates as YYYY-MM-DD, e.g. 2026-11-28"
        self.error(node, f"{value!r} is not a date in the form YYYY-MM-DD", hint)
        return None

    def _status(self, value: str, node: yaml.Node, name: str) -> str | None:
        if value in STATUSES:
            return value
        self.error(
            node,
            f"status {value!r} is not one of: {', '.join(STATUSES)}",
            "write `draft` until the document is approved",
        )
        return None

    def _layout(self, value: str, node: yaml.Node, name: str) -> str | None:
        if value in LAYOUTS:
            return value
        self.error(
            node,
            f"layout {value!r} is not one of: {', '.join(LAYOUTS)}",
            "write `sheet` for one page to pin up, or leave the line out for a booklet",
        )
        return None

    def _pending(self, value: str, node: yaml.Node, name: str) -> str | None:
        return self._choice(value, node, name, PENDING_CHOICES)

    def _drafts(self, value: str, node: yaml.Node, name: str) -> str | None:
        return self._choice(value, node, name, DRAFT_CHOICES)

    def _choice(
        self, value: str, node: yaml.Node, name: str, choices: tuple[str, ...]
    ) -> str | None:
        if value in choices:
            return value
        self.error(
            node,
            f"{name} {value!r} is not one of: {', '.join(choices)}",
            f"write one of {' or '.join(f'`{c}`' for c in choices)}",
        )
        return None

    def _id(self, value: str, node: yaml.Node, name: str) -> str | None:
        if _ID.match(value):
            return value
        suggestion = suggested_id(value)
        self.error(
            node,
            f"{value!r} is not a valid id: ids use lower-case letters, digits and hyphens only",
            f"write {suggestion}" if suggestion else "use a short name such as contact-sheet",
        )
        return None

    def _months(self, value: str, node: yaml.Node, name: str) -> int | None:
        if value.isdigit() and 1 <= int(value) <= MAX_MONTHS:
            return int(value)
        self.error(node, f"{value!r} is not a number of months", "write a whole number, e.g. 12")
        return None

    def _number(self, value: str, node: yaml.Node, name: str) -> float | None:
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if 0 < number < 1000:
            return number
        self.error(node, f"{value!r} is not a positive number", "write a number such as 10.5")
        return None

    def _url(self, value: str, node: yaml.Node, name: str) -> str | None:
        problem = check_url(value)
        if problem and problem.severity == "error":
            self.error(node, problem.message, problem.hint)
            return None
        if problem:
            self.warning(node, problem.message, problem.hint)
        return value

    def _email(self, value: str, node: yaml.Node, name: str) -> str | None:
        if is_email_address(value):
            return value
        self.error(node, f"{value!r} is not an email address", "write it as name@example.org.uk")
        return None

    def _phone(self, value: str, node: yaml.Node, name: str) -> Phone | None:
        phone = parse_phone(value)
        if not isinstance(phone, Phone):
            self.error(node, phone.message, phone.hint)
            return None
        # A chargeable range is refused with every other printed number (printed_numbers).
        return phone

    def _prose(self, value: str, node: yaml.Node, name: str) -> Inlines | None:
        inlines, problems = parse_inline(value)
        errors = False
        # The same problem with the same words twice: the second place next. Two
        # problems with one link's words (vague text, not https) both point at it.
        searched: dict[tuple[str, str], int] = {}
        for problem in problems:
            key = (problem.at, problem.message)
            mark, searched[key] = mark_in(
                self.composed_text, node, problem.at, searched.get(key, 0)
            )
            errors = errors or problem.severity == "error"
            self.reporter.at(self.path, mark, problem.severity, problem.message, problem.hint)
        return None if errors else inlines


_CONVERTERS: dict[str, Callable[[YamlReader, str, yaml.Node, str], object]] = {
    "date": YamlReader._date,
    "status": YamlReader._status,
    "layout": YamlReader._layout,
    "pending": YamlReader._pending,
    "drafts": YamlReader._drafts,
    "id": YamlReader._id,
    "months": YamlReader._months,
    "number": YamlReader._number,
    "url": YamlReader._url,
    "email": YamlReader._email,
    "phone": YamlReader._phone,
    "prose": YamlReader._prose,
}


def is_email_address(value: str) -> bool:
    """The plain form of an address: name@domain, with no spaces or doubled dots."""
    return bool(_EMAIL.match(value)) and ".." not in value and len(value) <= 254


def similar_file(path: Path) -> Path | None:
    """A file beside a missing `path` that is probably it under another name
    (contacts.yml for contacts.yaml, Contacts.yaml, contact.yaml)."""
    try:
        present = sorted(p for p in path.parent.iterdir() if p.is_file() and p != path)
    except OSError:
        return None
    stem = path.stem.lower()
    for candidate in present:
        if candidate.stem.lower() == stem and candidate.suffix.lower() in (".yml", ".yaml"):
            return candidate
    names = {candidate.name.lower(): candidate for candidate in present}
    close = difflib.get_close_matches(path.name.lower(), list(names), n=1, cutoff=0.85)
    return names[close[0]] if close else None


def _line_column(data: str | bytes, offset: int) -> tuple[int, int]:
    newline = "\n" if isinstance(data, str) else b"\n"
    line = data.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    column = offset - (data.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]
    return line, column


def mark_in(file_text: str, node: yaml.Node, needle: str, after: int = 0) -> tuple[yaml.Mark, int]:
    """Where `needle` is typed inside `node` (from offset `after` on), so a problem in a
    long paragraph names its own line; the node's start when it is not typed as it
    reads (split over lines, or written with escapes). Also the offset to search on from."""
    start = max(node.start_mark.index, after)
    offset = file_text.find(needle, start, node.end_mark.index) if needle else -1
    if offset < 0:
        return node.start_mark, after
    line, column = _line_column(file_text, offset)
    mark = yaml.Mark(node.start_mark.name, offset, line - 1, column - 1, None, 0)
    return mark, offset + len(needle)


def _char_position(node: yaml.ScalarNode, index: int) -> tuple[int, int]:
    """Line and column of one character of a scalar; exact for one-line plain or
    quoted text without escapes, otherwise the start of the value."""
    mark = node.start_mark
    line, column = mark.line + 1, mark.column + 1
    one_line = "\n" not in node.value and (mark.line == node.end_mark.line)
    if not node.style and one_line:  # plain: None from the Python loader, "" from the C one
        return line, column + index
    if node.style in ("'", '"') and one_line:
        width = node.end_mark.column - mark.column - 2
        if width == len(node.value):
            return line, column + 1 + index
    return line, column


def _first_shared_node(root: yaml.Node) -> yaml.Node | None:
    """The first node reached twice, which only an alias makes. Found without
    expanding anything, so an alias bomb costs no more than its own size."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                pending += [value, key]
    return None


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a set of keys"
    return f"the text {node.value!r}" if node.value else "empty"
