"""The document model written as Markdown (pandoc's dialect, CommonMark-compatible).

Used by the benchmark to give other tools (pandoc, WeasyPrint, Typst) the same
content our renderers print: it goes through `render.common.expand`, so contacts
and the document control table are spelled out exactly as in the DOCX and PDF.
Source text is escaped, so `*`, `[` or `|` in a source print literally.
"""

from __future__ import annotations

import re

from ..reading.model import (
    BulletList,
    ContactList,
    ContactTable,
    Document,
    Emph,
    FillIn,
    Heading,
    Inlines,
    Link,
    NumberedList,
    Pack,
    Paragraph,
    Strong,
    Table,
    Text,
)
from .common import BackPage, Cards, RenderBlock, cover_facts, expand

# ASCII punctuation that means something somewhere in pandoc's Markdown or in
# CommonMark; every one may be backslash-escaped in both.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&!])")
# What would turn the start of a block into a list item, quote, rule or definition.
_BLOCK_START = re.compile(r"^(\s*)([-+:=>]|\d+[.)])")


def escape(text: str) -> str:
    """Literal text: markup characters backslash-escaped, line breaks made spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split("\n")))


def _escape_block_start(text: str) -> str:
    match = _BLOCK_START.match(text)
    if not match:
        return text
    marker = match.group(2)
    return f"{match.group(1)}{marker[:-1]}\\{marker[-1]}{text[match.end() :]}"


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _wrap(marker: str, inner: str) -> str:
    """`**x**` with the spaces outside, since `**x **` is not bold in Markdown."""
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def inlines(nodes: Inlines) -> str:
    """Inline content: **bold**, *italic*, [links](url), everything else literal."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(escape(node.text))
        elif isinstance(node, Strong):
            parts.append(_wrap("**", inlines(node.children)))
        elif isinstance(node, Emph):
            parts.append(_wrap("*", inlines(node.children)))
        elif isinstance(node, Link):
            parts.append(f"[{inlines(node.children)}]({_url(node.url)})")
    return "".join(parts)


def _line(nodes: Inlines) -> str:
    """A paragraph or list item on one line (leading spaces would make it code)."""
    return _escape_block_start(inlines(nodes).strip())


def _table(table: Table) -> str:
    """A pipe table; the dashes under the header give pandoc the column widths."""

    def cell(paragraphs: tuple[Inlines, ...]) -> str:
        return "; ".join(inlines(p).strip() for p in paragraphs)

    header = "| " + " | ".join(escape(name) for name in table.header) + " |"
    rule = "|" + "|".join("-" * max(3, round(w * 60)) for w in table.widths) + "|"
    rows = ["| " + " | ".join(cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join([header, rule, *rows])


def block(item: RenderBlock) -> str:
    """One generic block (after `expand`) as Markdown, without a trailing blank line."""
    if isinstance(item, Cards):
        return "\n\n".join(block(part) for card in item.cards for part in card)
    if isinstance(item, FillIn):
        return "\n".join(f"- **{escape(label)}:** \\_\\_\\_\\_\\_\\_" for label in item.labels)
    if isinstance(item, BackPage):
        return ""
    if isinstance(item, Heading):
        return f"{'#' * item.level} {escape(item.text)}"
    if isinstance(item, Paragraph):
        return _line(item.inlines)
    if isinstance(item, BulletList):
        return "\n".join(f"- {_line(entry)}" for entry in item.items)
    if isinstance(item, NumberedList):
        return "\n".join(f"{n}. {_line(entry)}" for n, entry in enumerate(item.items, start=1))
    if isinstance(item, Table):
        return _table(item)
    if isinstance(item, ContactList | ContactTable):
        raise ValueError("contacts are spelled out by render.common.expand before export")
    raise TypeError(f"unknown block {type(item).__name__}")


def _yaml_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def document_markdown(document: Document, pack: Pack) -> str:
    """A whole document: metadata (title, subtitle), the cover facts as a list, then
    every block `expand` gives, headings at the same levels as in the DOCX and PDF."""
    lines = [
        "---",
        f"title: {_yaml_string(document.title)}",
        f"subtitle: {_yaml_string(document.subtitle)}",
        "lang: en-GB",
        "---",
        "",
    ]
    out = ["\n".join(lines)]
    out.append("\n".join(f"- **{escape(k)}:** {escape(v)}" for k, v in cover_facts(document, pack)))
    previous: RenderBlock | None = BulletList(())  # the cover facts
    for item in expand(document, pack):
        if isinstance(item, BulletList | NumberedList) and isinstance(
            previous, BulletList | NumberedList
        ):
            out.append("<!-- -->")  # two lists in a row stay two lists
        out.append(block(item))
        previous = item
    return "\n\n".join(part for part in out if part) + "\n"
