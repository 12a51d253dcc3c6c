"""A reviewer's new wording turned back into the source's inline Markdown.

The edit is made to the source text itself, word by word, so the markup around
words that did not change (bold, italic, links, the way an address was written)
stays exactly as written. Each result is parsed again and must give the
reviewer's words with the reviewer's formatting; if splicing cannot give that,
the paragraph is written out afresh from the formatting Word holds.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..reading.markup import parse_inline
from ..reading.model import Emph, Inlines, Link, Strong, Text
from .reviewed import Piece, Style

Char = tuple[str, Style]
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_JOINABLE = re.compile(r"(?<![*\\])\*\*( +)\*\*(?!\*)")
_SPECIAL = re.compile(r"([\\*_\[\]<`])")


PLAIN = Style()


def flatten(inlines: Inlines, style: Style = PLAIN) -> list[Char]:
    """Each character of some inlines with the formatting it prints in."""
    chars: list[Char] = []
    for node in inlines:
        if isinstance(node, Text):
            chars += [(c, style) for c in node.text]
        elif isinstance(node, Strong):
            chars += flatten(node.children, Style(True, style.italic, style.url))
        elif isinstance(node, Emph):
            chars += flatten(node.children, Style(style.bold, True, style.url))
        elif isinstance(node, Link):
            chars += flatten(node.children, Style(style.bold, style.italic, node.url))
    return chars


def styled(pieces: Iterable[Piece]) -> list[Char]:
    """The source's characters of some pieces (printed addresses left out), with
    runs of spaces as one space, as the reader of the sources sees them."""
    chars: list[Char] = []
    for piece in pieces:
        if piece.generated:
            continue
        for char in piece.text:
            if char.isspace():
                if chars and chars[-1][0] != " ":
                    chars.append((" ", piece.style))
            else:
                chars.append((char, piece.style))
    while chars and chars[-1][0] == " ":
        chars.pop()
    return chars


def reads_as(markup: str) -> list[Char]:
    return flatten(parse_inline(markup)[0])


def same(a: list[Char], b: list[Char]) -> bool:
    """Equal words and formatting; a space's own formatting does not show, so is ignored."""
    return len(a) == len(b) and all(
        x[0] == y[0] and (x[0] == " " or x[1] == y[1]) for x, y in zip(a, b, strict=True)
    )


def revise(markup: str, target: list[Char]) -> str | None:
    """The source text that reads as `target`; None when none could be found."""
    old = reads_as(markup)
    if same(old, target):
        return markup
    positions = _align(markup, "".join(c for c, _ in old))
    spliced = [
        _spliced(markup, old, target, positions, glue_left)
        for glue_left in (True, False)
        if positions is not None
    ]
    # "**very** **unlikely**" reads better as "**very unlikely**".
    spliced += [_JOINABLE.sub(r"\1", candidate) for candidate in spliced]
    found = [candidate for candidate in spliced if same(reads_as(candidate), target)]
    if found:  # the fewer markers, the closer to what a person would write
        return min(found, key=len)
    written = written_out(target)
    return written if same(reads_as(written), target) else None


def _align(markup: str, plain: str) -> list[int] | None:
    """Where each character of the plain words stands in the markup."""
    positions, cursor = [], 0
    for char in plain:
        found = markup.find(char, cursor)
        if found < 0:
            return None
        positions.append(found)
        cursor = found + 1
    return positions


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _spliced(
    markup: str, old: list[Char], target: list[Char], positions: list[int], glue_left: bool
) -> str:
    old_text = "".join(c for c, _ in old)
    new_text = "".join(c for c, _ in target)
    a, b = _tokens(old_text), _tokens(new_text)
    starts_a = _starts(a)
    starts_b = _starts(b)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    result = markup
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        first, last = starts_a[i1], starts_a[i2]  # characters [first, last) of the old words
        inserted = target[starts_b[j1] : starts_b[j2]]
        if first < last:  # words go: from the first one's mark to the last one's
            span_start, span_end = positions[first], positions[last - 1] + 1
            context = old[first][1]
        elif glue_left and first > 0:
            span_start = span_end = positions[first - 1] + 1
            context = old[first - 1][1]
        elif first < len(positions):
            span_start = span_end = positions[first]
            context = old[first][1]
        else:
            span_start = span_end = len(markup)
            context = old[-1][1] if old else Style()
        result = result[:span_start] + _marked(inserted, context) + result[span_end:]
    return result


def _starts(tokens: list[str]) -> list[int]:
    starts, total = [], 0
    for token in tokens:
        starts.append(total)
        total += len(token)
    return [*starts, total]


def _escaped(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _marked(chars: list[Char], context: Style) -> str:
    """New words, with the markup their formatting needs beyond what surrounds them."""
    text = "".join(c for c, _ in chars)
    styles = {s for c, s in chars if c != " "}
    if len(styles) != 1:
        return _escaped(text) if not styles else written_out(chars)
    (style,) = styles
    extra = Style(
        style.bold and not context.bold,
        style.italic and not context.italic,
        style.url if style.url != context.url else "",
    )
    return _wrapped(text, extra)


def _wrapped(text: str, style: Style) -> str:
    """Text with markers for `style`, the spaces at either end left outside them."""
    core = text.strip(" ")
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
    if style.url and core == style.url and not (style.bold or style.italic):
        return f"{lead}<{core}>{trail}"
    inner = _escaped(core)
    if style.italic:
        inner = f"*{inner}*"
    if style.bold:
        inner = f"**{inner}**"
    if style.url:
        inner = f"[{inner}]({style.url})"
    return f"{lead}{inner}{trail}"


def written_out(chars: list[Char]) -> str:
    """The whole text written afresh as Markdown, one run per stretch of one formatting."""
    runs: list[tuple[Style, str]] = []
    for char, style in chars:
        if char == " " and runs:
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        elif runs and runs[-1][0] == style:
            runs[-1] = (style, runs[-1][1] + char)
        else:
            runs.append((style, char))
    return "".join(_wrapped(text, style) for style, text in runs)
