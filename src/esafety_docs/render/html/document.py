"""Documents as HTML editions: one accessible page each, from the same model.

GOV.UK asks public bodies to publish HTML first, with PDF alongside. The page
walks the blocks `expand` gives, exactly as the DOCX and PDF renderers do, so
contacts and document control read the same in every format. The document
title is the page's h1 and section levels 1-3 become h2-h4, so the headings
follow the PDF outline. Tables are real tables with column and row headers.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...reading.brand import Brand
from ...reading.model import (
    BulletList,
    Document,
    FillIn,
    Heading,
    Inlines,
    NumberedList,
    Pack,
    Paragraph,
    Table,
)
from ..common import (
    DRAFT_MARK,
    BackPage,
    Cards,
    RenderBlock,
    cover_facts,
    document_file,
    expand,
    fit_text,
    keeps_with_next,
    sheet_lead,
    sheet_top,
    status_label,
    version_line,
)
from ..measure import text_width
from . import page as htmlpage
from .page import Furniture, inlines, text


def render_document(document: Document, pack: Pack, brand: Brand) -> bytes:
    """One document as a complete, self-contained HTML page (UTF-8 bytes)."""
    draft = document.status == "draft"
    sheet = document.layout == "sheet"
    parts = [
        '<p class="screen-only back"><a href="index.html">All documents in this pack</a></p>\n'
    ]
    if draft:
        parts.append(
            f'<p class="draft-mark">{DRAFT_MARK}: this document has not been approved yet.</p>\n'
        )
    parts.append(f"<h1>{text(document.title)}</h1>\n")
    parts.append(f'<p class="subtitle">{text(document.subtitle)}</p>\n')
    parts.append(_facts(cover_facts(document, pack)))
    parts.append(_other_formats(document, pack))
    blocks = expand(document, pack)
    first, _ = sheet_top(blocks) if sheet else ([], blocks)
    lead = sheet_lead(first)  # the sheet's first line, large, as on paper
    html = [
        _block(block, keeps_with_next(blocks, index), large=index == lead)
        for index, block in enumerate(blocks)
    ]
    if first:  # the sheet's first section, boxed as on paper
        parts.append(f'<div class="callout">\n{"".join(html[: len(first)])}</div>\n')
        html = html[len(first) :]
    parts += html
    title = f"{DRAFT_MARK}: {document.title}" if draft else document.title
    furniture = Furniture(
        fit_text(
            document.title, PRINTED_TITLE_WIDTH, lambda t: text_width(brand.font.regular, t, 8)
        ),
        DRAFT_MARK if draft else "",
        brand.short_name,
        version_line(pack),
        brand.footer,
        *(["1.3cm 1.4cm 1.9cm"] if sheet else []),
    )
    page = htmlpage.page(
        f"{title} ({status_label(document.status)}, version {pack.version})",
        "".join(parts),
        brand,
        description=document.summary,
        footer_note=version_line(pack),
        furniture=furniture,
        body_class="sheet" if sheet else "",
    )
    return page.encode("utf-8")


# Room for the title in a printed page's header, in points (A4 less margins and the
# partnership's name).
PRINTED_TITLE_WIDTH = 330


def _facts(facts: list[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{text(label)}</dt><dd>{text(value)}</dd>" for label, value in facts)
    return f'<dl class="facts">{rows}</dl>\n'


def _other_formats(document: Document, pack: Pack) -> str:
    """Relative links to the same document's PDF and Word files, which sit beside it."""
    pdf = text(document_file(document, pack, "pdf"))
    docx = text(document_file(document, pack, "docx"))
    return (
        f'<p class="screen-only">This document is also available as a '
        f'<a href="{pdf}">PDF<span class="visually-hidden"> of {text(document.title)}</span></a>'
        f' and as a <a href="{docx}">Word document'
        f'<span class="visually-hidden"> of {text(document.title)}</span></a>.</p>\n'
    )


def blocks_html(blocks: Sequence[RenderBlock]) -> str:
    """Generic blocks (after `expand`) as HTML; a level-1 heading becomes an h2."""
    return "".join(_block(block, keeps_with_next(blocks, i)) for i, block in enumerate(blocks))


def _block(block: RenderBlock, lead_in: bool = False, large: bool = False) -> str:
    if isinstance(block, Heading):
        level = block.level + 1  # h1 is the document title
        return f"<h{level}>{text(block.text)}</h{level}>\n"
    if isinstance(block, Paragraph):
        names = " ".join(name for name, on in (("lead", large), ("lead-in", lead_in)) if on)
        opening = f'<p class="{names}">' if names else "<p>"
        return f"{opening}{inlines(block.inlines)}</p>\n"
    if isinstance(block, BulletList | NumberedList):
        tag = "ol" if isinstance(block, NumberedList) else "ul"
        items = "".join(f"<li>{inlines(item)}</li>\n" for item in block.items)
        return f"<{tag}>\n{items}</{tag}>\n"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Cards):
        cards = "".join(
            f'<section class="card">\n{"".join(_block(part) for part in card)}</section>\n'
            for card in block.cards
        )
        return f'<div class="cards">\n{cards}</div>\n'
    if isinstance(block, FillIn):
        lines = "".join(
            f'<div><span class="label">{text(label)}</span><span class="line"></span></div>'
            for label in block.labels
        )
        return f'<div class="fill-in">{lines}</div>\n'
    if isinstance(block, BackPage):
        return '<div class="back-page" aria-hidden="true"></div>\n'
    raise TypeError(f"expand() left a block the HTML edition cannot print: {block!r}")


def _table(block: Table) -> str:
    """A data table; wide ones stack into labelled blocks on narrow screens (CSS)."""
    head = "".join(f'<th scope="col">{text(cell)}</th>' for cell in block.header)
    rows = []
    for row in block.rows:
        cells = []
        for index, lines in enumerate(row):
            content = _cell(lines)
            if block.row_headers and index == 0:
                cells.append(f'<th scope="row">{content}</th>')
            else:
                cells.append(f'<td data-label="{text(block.header[index])}">{content}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>\n")
    stack = ' class="stack"' if len(block.header) > 2 else ""
    return (
        f"<table{stack}>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
    )


def _cell(lines: tuple[Inlines, ...]) -> str:
    if len(lines) == 1:
        return inlines(lines[0])
    return "".join(f"<p>{inlines(line)}</p>" for line in lines)
