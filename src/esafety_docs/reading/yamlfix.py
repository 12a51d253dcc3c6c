"""YAML mistakes explained in plain words, each with the line as it should be written.

Comms staff write prose in YAML, and prose is full of characters YAML gives a
meaning to: `: ` makes a key, `*` an alias, `[` a list, a tab is not indentation
at all. PyYAML reports these in its own terms and often on a later line than
the mistake. This module finds the line that needs changing and shows the fix.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import yaml

try:  # the C scanner, as the reader uses; its messages are the ones explained here
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Advice:
    """Where the mistake is (1-based line and column), what happened and how to fix it."""

    line: int
    column: int
    message: str
    hint: str


# A line that starts a list item or a `key:`: what an unclosed quote swallows.
_NEW_ITEM = re.compile(r"\s*(?:-(?:\s|$)|[A-Za-z_][\w-]*:(?:\s|$))")
# Indent, any `- ` markers, an optional `key: `, then the value.
_ITEM_WITH_KEY = re.compile(r"\s*(?:-\s+)+[A-Za-z_][\w-]*:(?:\s|$)")
_BLOCK_TEXT = re.compile(r"[>|][-+]?[1-9]?\s*(?:#.*)?")  # `>-`: a block of text follows
_LINE = re.compile(r"(?P<lead>\s*(?:-\s+)*)(?:(?P<key>[A-Za-z_][\w-]*):(?:\s+|$))?(?P<value>.*)")

# What YAML makes of a value that starts with one of these characters.
_STARTS = {
    '"': "quoted text",
    "'": "quoted text",
    "*": "a reference to another value (an alias)",
    "&": "a name for the value (an anchor)",
    "!": "a type tag",
    "@": "a reserved character",
    "`": "a reserved character",
    "[": "the start of a list",
    "{": "the start of a set of keys",
    "|": "the start of a block of text",
    ">": "the start of a block of text",
    "%": "a directive",
}


_PASTE = re.compile(r": `([^`]*)`\Z")


def repaired(text: str, advice: Advice) -> str | None:
    """`text` with the advice's corrected line pasted in, when its hint shows the whole
    line (a tab or indentation fix), so that the lines after it can be checked too;
    None when the hint says what to do in words."""
    found = _PASTE.search(advice.hint)
    lines = text.splitlines(keepends=True)
    if not found or not 0 < advice.line <= len(lines):
        return None
    ending = lines[advice.line - 1][len(lines[advice.line - 1].rstrip("\r\n")) :]
    lines[advice.line - 1] = found.group(1) + (ending or "\n")
    return "".join(lines)


def explain(error: yaml.MarkedYAMLError, text: str, keys: Collection[str]) -> Advice:
    """The advice for a YAML syntax error in `text`; `keys` are the keys the file may use."""
    lines = text.splitlines() or [""]
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    line = mark.line if mark else 0

    quote = _unclosed_quote(error, text, lines)
    if quote:
        return quote
    if ("alias" in context or "anchor" in context) and error.context_mark:
        advice = _special_start(lines, error.context_mark.line)
        if advice:
            return advice
    if "tab" in problem or "cannot start any token" in problem:
        advice = _tab(lines, [line, *([error.context_mark.line] if error.context_mark else [])])
        if advice:
            return advice
    if "could not find expected ':'" in problem and error.context_mark:
        return _missing_colon(lines, error.context_mark.line, keys)
    if "mapping values are not allowed" in problem and mark:
        return _colon_in_value(lines, mark.line, mark.column, keys)
    for candidate in dict.fromkeys(
        [line, *([error.context_mark.line] if error.context_mark else [])]
    ):
        advice = _special_start(lines, candidate)
        if advice:
            return advice
    if "expected <block end>" in problem or "expected '-' indicator" in problem:
        advice = _under_indented(lines, line, keys)
        if advice:
            return advice
    return _fallback(error)


def _under_indented(lines: list[str], row: int, keys: Collection[str]) -> Advice | None:
    """A key indented less than the keys of the mapping it belongs to, which YAML reads
    as ending that mapping where none can end: line it up with the key above."""
    source = lines[row] if row < len(lines) else ""
    match = _LINE.fullmatch(source)
    above = _previous_key_line(lines, row)
    if not match or match["key"] not in keys or match["lead"].strip() or above is None:
        return None
    column = _key_column(lines[above])
    if column <= len(match["lead"]):
        return None
    previous_key = lines[above].strip().lstrip("- ").split(":")[0]
    return Advice(
        row + 1,
        len(match["lead"]) + 1,
        f"`{match['key']}:` is indented less than `{previous_key}:` above it, so YAML "
        "cannot tell which part of the file it belongs to",
        f"line it up with `{previous_key}:` above: `{' ' * column}{source.strip()}`",
    )


def text_read_as_key(node: yaml.MappingNode, lines: list[str]) -> Advice | None:
    """`- Remember: if a child...` is one key and its value to YAML; say so, and quote it.

    Only a mapping of one plain key and one plain value that start on the same line
    qualifies; anything else is a real (if wrong) set of keys.
    """
    if len(node.value) != 1:
        return None
    key, value = node.value[0]
    if not (
        isinstance(key, yaml.ScalarNode)
        and isinstance(value, yaml.ScalarNode)
        and not key.style
        and not value.style
        and value.value
        and key.start_mark.line == value.start_mark.line
    ):
        return None
    row = key.start_mark.line
    source = lines[row] if row < len(lines) else ""
    start = key.start_mark.column
    lead = source[:start].strip()
    if value.end_mark.line == row:
        fixed = _quoted(source[start : value.end_mark.column])
        how = f"put the text in quotes: {lead} {fixed}".replace("  ", " ")
    else:
        opening = _quoted(source[start:])[:-1]
        how = (
            f"put the text in quotes: {lead} {opening}... with the closing quote after "
            f"the last word, on line {value.end_mark.line + 1}"
        ).replace("  ", " ")
    return Advice(
        row + 1,
        start + 1,
        f"this text was read as a key and its value, because of the ': ' after {key.value!r}",
        how,
    )


# ------------------------------------------------------------------ the cases


def _unclosed_quote(error: yaml.MarkedYAMLError, text: str, lines: list[str]) -> Advice | None:
    """A quote left open runs on until the next quote, swallowing the lines between."""
    problem, context = error.problem or "", error.context or ""
    if "end of stream" in problem and "quoted" in context and error.context_mark:
        opened = error.context_mark
        source = lines[opened.line]
        return Advice(
            opened.line + 1,
            opened.column + 1,
            "the quotation mark opened here is never closed",
            f"close it at the end of the text: {source.strip()}{source[opened.column]}",
        )
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            tokens.append(token)
    except yaml.YAMLError:
        pass
    for token in reversed(tokens):
        if not isinstance(token, yaml.ScalarToken) or token.style not in ("'", '"'):
            continue
        start, end = token.start_mark, token.end_mark
        if start.line >= mark.line or end.line == start.line or end.line > mark.line:
            continue
        swallowed = range(start.line + 1, end.line + 1)
        first_item = next((row for row in swallowed if _NEW_ITEM.match(lines[row])), None)
        if first_item is None:
            continue
        last_text = first_item - 1
        quote = lines[start.line][start.column]
        fixed = lines[last_text].rstrip() + quote
        where = "at the end of the line" if last_text == start.line else "where the text ends"
        return Advice(
            start.line + 1,
            start.column + 1,
            f"the quotation mark opened here is not closed, so the lines after it "
            f"(up to line {end.line + 1}) were read as part of this text",
            f"close it {where}: {fixed.strip()}",
        )
    return None


def _special_start(lines: list[str], row: int) -> Advice | None:
    """A value starting with *, &, [, @ and the like needs quotes to be read as text."""
    if row >= len(lines):
        return None
    source = lines[row]
    match = _LINE.fullmatch(source)
    if not match or not match["value"] or match["value"][0] not in _STARTS:
        return None
    value = match["value"]
    if _BLOCK_TEXT.fullmatch(value):
        return None  # `key: >-` is right as it is; the mistake is elsewhere
    if value[0] in "[{" and "](" not in value and not value.startswith("{"):
        return None  # a real list written in brackets, such as [posh, ceop]
    start = match.start("value")
    if value[0] in "\"'":
        if value.rstrip().endswith(value[0]):
            return _quote_inside(source, row, start)  # None: the mistake is elsewhere
        return Advice(
            row + 1,
            start + 1,
            "text that starts with a quotation mark must end with one: YAML reads the "
            "quotes as holding the whole text",
            f"put the whole text in the other kind of quotes: {_fixed_value(source, start)}",
        )
    return Advice(
        row + 1,
        start + 1,
        f"text cannot start with {value[0]} unless it is in quotes: YAML reads it as "
        f"{_STARTS[value[0]]}",
        f"put the text in quotes: {_fixed_value(source, start)}",
    )


def _quote_inside(source: str, row: int, start: int) -> Advice | None:
    """`"Say "no" to strangers"` or `'the partnership's work'`: a quotation mark or
    apostrophe inside the text ends it there, and YAML cannot read the words after it."""
    value = source[start:].rstrip()
    quote, inner = value[0], value[1:-1]
    lead = source[:start].strip()
    if quote == '"':
        early = re.search(r'(?<!\\)"', inner)
        message = "a quotation mark inside text in double quotes ends the text there"
        fixed = re.sub(r'(?<!\\)"', r"\\" + '"', inner)
        hint = f'write each quotation mark inside the text as \\" (or use “ ”): {lead} "{fixed}"'
    else:
        early = re.search("'", inner.replace("''", "\0\0"))
        message = "an apostrophe inside text in single quotes ends the text there"
        fixed = _quoted(inner.replace("''", "'"))
        how = "put the text in double quotes" if fixed[0] == '"' else "write each ' inside it twice"
        hint = f"{how}: {lead} {fixed}"
    if len(value) < 2 or early is None:
        return None
    return Advice(
        row + 1,
        start + early.start() + 2,
        f"{message}, so YAML cannot read the rest of the line",
        hint.strip(),
    )


def _tab(lines: list[str], rows: list[int]) -> Advice | None:
    """Tabs look like spaces in most editors, but YAML does not accept them as indentation."""
    for row in rows:
        if row >= len(lines) or "\t" not in lines[row]:
            continue
        source = lines[row]
        column = source.index("\t")
        body = source.lstrip(" \t")
        if source[: len(source) - len(body)].count("\t") == 0:
            fixed = source.replace("\t", " ")
            return Advice(
                row + 1,
                column + 1,
                "there is a tab character here; YAML allows only spaces between the parts "
                "of a line",
                f"replace the tab with a space: {fixed.strip()}",
            )
        indent = _indent_for(lines, row, body)
        return Advice(
            row + 1,
            column + 1,
            "this line is indented with a tab character; YAML indents with spaces only "
            "(most editors show a tab as spaces, so it is hard to see)",
            f"replace the tab with {indent} spaces, in line with the lines around it: "
            f"`{' ' * indent}{body}`",
        )
    return None


def _missing_colon(lines: list[str], row: int, keys: Collection[str]) -> Advice:
    """`version 0.1.0`: YAML only notices on the next line, so point at this one."""
    source = lines[row] if row < len(lines) else ""
    lead = source[: len(source) - len(source.lstrip(" -"))]
    word, _, rest = source[len(lead) :].partition(" ")
    column = len(lead) + 1
    if word.rstrip(":") in keys:
        word = word.rstrip(":")
        fixed = f"{lead}{word}: {rest.strip()}".rstrip()
        return Advice(
            row + 1,
            column,
            f"{word!r} has no ':' after it, so YAML cannot tell the key from its value",
            f"add a colon after the key: {fixed.strip()}",
        )
    return Advice(
        row + 1,
        column,
        "this line is neither `key: value` nor indented under the line above it",
        "if it continues the text above, indent it like that text; if it starts a new key, "
        "add ':' after the key",
    )


def _colon_in_value(lines: list[str], row: int, column: int, keys: Collection[str]) -> Advice:
    """': ' inside a value starts another key; a key indented too far looks the same."""
    source = lines[row] if row < len(lines) else ""
    match = _LINE.fullmatch(source)
    if match and match["key"] and match["value"] and column > match.end("key"):
        key = match["key"]
        return Advice(
            row + 1,
            match.start("value") + 1,
            f"the text after `{key}:` has ': ' in it, which YAML reads as the start of another key",
            f"put the text in quotes: {_fixed_value(source, match.start('value'))}",
        )
    above = _previous_key_line(lines, row)
    if above is not None:
        above_match = _LINE.fullmatch(lines[above])
        first_word = lines[above].strip(" -").split(" ")[0]
        if above_match and not above_match["key"] and first_word in keys:
            return _missing_colon(lines, above, keys)  # `title Organisations` then `body:`
    if match and match["key"] in keys and above is not None:
        above_indent = _key_column(lines[above])
        previous_key = lines[above].strip().lstrip("- ").split(":")[0]
        return Advice(
            row + 1,
            len(source) - len(source.lstrip()) + 1,
            f"`{match['key']}:` is indented further than `{previous_key}:` above it, so YAML "
            "reads it as part of that value",
            f"line it up with `{previous_key}:` above: `{' ' * above_indent}{source.strip()}`",
        )
    return Advice(
        row + 1,
        column + 1,
        "this line continues the text above, and the ': ' in it is read as the start of a key",
        "put the whole text in quotes, from its first word to its last",
    )


_FRIENDLY = (
    # (words in PyYAML's problem or context, what to tell comms staff, the hint)
    (
        "did not find expected key",
        "this line is not lined up with the keys around it",
        "line it up with the keys above it (use the same number of spaces)",
    ),
    (
        "expected <block end>",
        "this line is not lined up with the lines around it",
        "line it up with the lines above it (use the same number of spaces)",
    ),
    (
        "did not find expected '-' indicator",
        "this line is not lined up with the list items around it",
        "start each item of the list with `- `, lined up with the others",
    ),
)


def _fallback(error: yaml.MarkedYAMLError) -> Advice:
    mark = error.problem_mark or error.context_mark
    technical = error.problem or "malformed YAML"
    if error.context:
        technical = f"{technical} {error.context}"
    message, hint = next(
        ((message, hint) for words, message, hint in _FRIENDLY if words in technical),
        (
            "the YAML is malformed",
            "check the indentation and quotes on this line and the one above",
        ),
    )
    return Advice(
        mark.line + 1 if mark else 1,
        mark.column + 1 if mark else 1,
        f"{message} (YAML: {technical})",
        hint,
    )


# ------------------------------------------------------------------ helpers


def _quoted(text: str) -> str:
    """Text in the quotes that keep it as written: double unless it holds " or \\."""
    text = text.rstrip()
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _fixed_value(source: str, start: int) -> str:
    """The line with its value, from `start` to the end, in quotes (indent dropped)."""
    return f"{source[:start].strip()} {_quoted(source[start:])}".strip()


def _previous_key_line(lines: list[str], row: int) -> int | None:
    for above in range(row - 1, -1, -1):
        if _NEW_ITEM.match(lines[above]) and lines[above].strip():
            return above
    return None


def _key_column(line: str) -> int:
    """Where a line's key starts: after its indent and any `- ` list markers."""
    return (
        len(line) - len(line.lstrip(" -"))
        if line.lstrip().startswith("- ")
        else (len(line) - len(line.lstrip()))
    )


def _indent_for(lines: list[str], row: int, body: str) -> int:
    """Spaces to put in place of a tab: one step in from a line that opens a block,
    or as much as the line of the same kind next to it."""

    def indent(text: str) -> int:
        return len(text) - len(text.lstrip())

    def nearest(rows: range) -> str | None:
        return next((lines[r].rstrip() for r in rows if lines[r].strip()), None)

    is_item = body.startswith("-")
    key_row = None if is_item else _previous_key_line(lines, row)
    if key_row is not None and "\t" not in lines[key_row]:
        # A key goes in line with the key above (past any block of text it holds),
        # or one step in from a key that opens a block.
        key_line = lines[key_row].rstrip()
        return _key_column(key_line) + (2 if key_line.endswith(":") else 0)
    above = nearest(range(row - 1, -1, -1))
    below = nearest(range(row + 1, len(lines)))
    if above is not None and above.endswith(":"):
        return _key_column(above) + 2
    if above is not None and not is_item and _ITEM_WITH_KEY.match(above):
        return _key_column(above)  # the next key of the same list item
    for neighbour in (above, below):
        if neighbour and "\t" not in neighbour and neighbour.lstrip().startswith("-") == is_item:
            return indent(neighbour)
    return indent(above) if above is not None else 0
