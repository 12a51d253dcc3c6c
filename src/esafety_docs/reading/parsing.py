"""Reading one source file as YAML: every reason it cannot be read (missing,
too big, not UTF-8, an invisible character, a syntax error, empty, an alias)
becomes a diagnostic at its line and column, with the corrected line as a hint
where one can be worked out (`yamlfix`)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .diagnostics import Reporter
from .positions import line_column

try:  # the C loader is several times faster; its marks are the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# A source holds a few kilobytes of text; anything past this is a mistake (or an attack).
MAX_SOURCE_BYTES = 1_000_000
# Syntax errors reported from one file at most, each found after fixing the one before.
MAX_SYNTAX_ERRORS = 20


@dataclass(frozen=True)
class Composed:
    """A file's YAML node tree and the text it was read from (marks index into it)."""

    node: yaml.Node
    text: str


@dataclass(frozen=True)
class _Say:
    path: Path
    reporter: Reporter

    def error(self, mark: yaml.Mark | None, message: str, hint: str) -> None:
        self.reporter.error(self.path, mark, message, hint)

    def error_at(self, line: int, column: int, message: str, hint: str) -> None:
        self.reporter.error_at(self.path, line, column, message, hint)


def compose_file(
    path: Path, reporter: Reporter, holds: str = "YAML", known_keys: frozenset[str] = frozenset()
) -> Composed | None:
    """The file's YAML node tree and text, or None after reporting why it cannot be
    read. `holds` says what the file should contain, for the message about an empty
    file; `known_keys` lets the advice on a syntax error tell a key from text."""
    say = _Say(path, reporter)
    if not path.is_file():
        otherwise = f"put {path.name} back in {path.parent.name}/ (it should hold {holds})"
        say.error(None, f"{path.name} is missing", missing_file_hint(path, "this file", otherwise))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        say.error(None, f"cannot read the file: {exc.strerror}", "check the file")
        return None
    if len(data) > MAX_SOURCE_BYTES:
        say.error(
            None,
            f"the file is {len(data):,} bytes; a source may be at most {MAX_SOURCE_BYTES:,} bytes",
            "a source holds text, not data: remove what was pasted in by mistake",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_column(data, exc.start)
        say.error_at(
            line,
            column,
            f"byte 0x{data[exc.start]:02x} is not UTF-8 text",
            "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
        )
        return None
    text = text.removeprefix("\ufeff")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        line, column = line_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        say.error_at(
            line,
            column,
            f"the file contains the invisible control character U+{code:04X}",
            "delete it (it was probably pasted from another program) and retype the text",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        _syntax_errors(say, exc, text, known_keys)
        return None
    except (yaml.YAMLError, RecursionError):
        say.error(None, "the file is not valid YAML", "check it against the examples")
        return None
    if node is None:
        say.error(
            None,
            "the file is empty" if not text.strip() else "the file holds only comments",
            f"it should hold {holds}; see docs/source-format.md for every key",
        )
        return None
    shared = _first_shared_node(node)
    if shared is not None:
        say.error(
            shared.start_mark,
            "YAML anchors and aliases (& and *) are not allowed in sources",
            "write the value out in full where it is needed",
        )
        return None
    return Composed(node, text)


def _syntax_errors(
    say: _Say, error: yaml.MarkedYAMLError, text: str, known_keys: frozenset[str]
) -> None:
    """Report the syntax error, then every later one that can be found: while a
    hint shows the corrected line, it is pasted in and the rest read again."""
    from .yamlfix import explain, repaired  # only when something is wrong

    last = 0
    for _ in range(MAX_SYNTAX_ERRORS):
        advice = explain(error, text, known_keys)
        if advice.line <= last:
            break  # no further on: what is left depends on this line
        say.error_at(advice.line, advice.column, advice.message, advice.hint)
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
    _say_the_rest_was_not_checked(say.reporter, last, text)


def _say_the_rest_was_not_checked(reporter: Reporter, line: int, text: str) -> None:
    """After a mistake the reader cannot see past, the last message says that the
    lines below it were not read, so a clean second run is no surprise."""
    below = [t for t in text.splitlines()[line:] if t.strip() and not t.lstrip().startswith("#")]
    if below and reporter.diagnostics:
        note = f"lines after {line} were not checked: run the check again once it is mended"
        reporter.diagnostics[-1] = replace(reporter.diagnostics[-1], note=note)


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


def missing_file_hint(path: Path, what: str, otherwise: str) -> str:
    """How to mend a missing file: rename the file beside it that is probably it (`what`
    says what the file is), or do `otherwise` when there is none."""
    near = _similar_file(path)
    return (
        f"{near.name} is there: if that is {what}, rename it to {path.name}" if near else otherwise
    )


def _similar_file(path: Path) -> Path | None:
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
