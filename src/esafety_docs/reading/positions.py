"""Where something is in a source file, as the line and column a person sees."""

from __future__ import annotations

import yaml


def line_column(data: str | bytes, offset: int) -> tuple[int, int]:
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
    line, column = line_column(file_text, offset)
    mark = yaml.Mark(node.start_mark.name, offset, line - 1, column - 1, None, 0)
    return mark, offset + len(needle)


def char_position(node: yaml.ScalarNode, index: int) -> tuple[int, int]:
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
