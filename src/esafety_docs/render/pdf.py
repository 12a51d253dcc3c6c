"""Documents and the combined pack as A4 PDF with reportlab platypus.

Every font comes from the brand and is embedded: reportlab's three fallbacks
to the standard Helvetica (the doc template's initial font, table styles and
list bullets) are all set to the brand font. Source text is escaped before it
reaches reportlab's paragraph markup, so `<b>` in a source prints literally.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from ..brand import Brand
from ..model import (
    Block,
    BulletList,
    Document,
    Emph,
    Heading,
    Inlines,
    Link,
    NumberedList,
    Pack,
    Strong,
    Text,
)
from ..model import Paragraph as ParagraphBlock
from ..model import (
    Table as TableBlock,
)
from .common import DRAFT_MARK, cover_facts, expand, is_draft_pack, version_line

MARGIN = 20 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


@dataclass(frozen=True)
class Rendered:
    """A finished PDF and how many pages it has."""

    data: bytes
    pages: int


def render_document(document: Document, pack: Pack, brand: Brand) -> Rendered:
    """One document: cover, its sections, then its document control table."""
    styles = _Styles(brand)
    draft = document.status == "draft"
    story = _cover(document.title, document.subtitle, document, pack, brand, styles, draft)
    story += _document_body(document, pack, styles, outline_offset=0)
    return _build(story, document.title, document.summary, document.keywords, pack, styles)


def render_pack(pack: Pack, brand: Brand) -> Rendered:
    """The combined pack: cover, contents, then every document in order."""
    styles = _Styles(brand)
    story = _cover(pack.title, "The complete pack", None, pack, brand, styles, is_draft_pack(pack))
    toc = TableOfContents(
        levelStyles=[styles.toc1, styles.toc2],
        dotsMinLevel=-1,
        tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), styles.font, styles.body.fontSize)]),
    )
    story += [Paragraph("Contents", styles.contents_title), toc, PageBreak()]
    for index, document in enumerate(pack.documents):
        if index:
            story.append(PageBreak())
        story.append(_RunningTitle(document.title, document.status == "draft"))
        title = _heading_paragraph(document.title, styles.doc_title, level=0, toc=True)
        story += [title, Paragraph(escape(document.subtitle), styles.subtitle)]
        story += _document_body(document, pack, styles, outline_offset=1)
    keywords = tuple(sorted({k for d in pack.documents for k in d.keywords}))
    summary = "; ".join(d.title for d in pack.documents)
    return _build(story, pack.title, summary, keywords, pack, styles, multi_pass=True)


# ------------------------------------------------------------------ styles


def _register_fonts(brand: Brand) -> str:
    """Register the brand family once per process; returns the regular face's name."""
    base = "Brand-" + brand.font.family.replace(" ", "")
    if base not in pdfmetrics.getRegisteredFontNames():
        faces = {
            base: brand.font.regular,
            base + "-Bold": brand.font.bold,
            base + "-Italic": brand.font.italic,
            base + "-BoldItalic": brand.font.bold_italic,
        }
        for name, path in faces.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            base,
            normal=base,
            bold=base + "-Bold",
            italic=base + "-Italic",
            boldItalic=base + "-BoldItalic",
        )
    return base


class _Styles:
    """Paragraph styles derived from the brand, built once per render."""

    def __init__(self, brand: Brand) -> None:
        self.brand = brand
        self.font = _register_fonts(brand)
        self.bold = self.font + "-Bold"
        size = brand.base_size
        ink = colors.HexColor(brand.color("foreground"))
        primary = colors.HexColor(brand.color("primary"))
        self.link_color = brand.color("link")
        self.body = ParagraphStyle(
            "Body",
            fontName=self.font,
            fontSize=size,
            leading=size * brand.line_height,
            textColor=ink,
            spaceAfter=size * 0.6,
            alignment=TA_LEFT,
        )
        self.small = ParagraphStyle(
            "Small", parent=self.body, fontSize=size * 0.85, leading=size * 0.85 * 1.35
        )
        self.cell = ParagraphStyle("Cell", parent=self.small, spaceAfter=2)
        self.header_cell = ParagraphStyle(
            "HeaderCell",
            parent=self.cell,
            fontName=self.bold,
            textColor=colors.HexColor(brand.color("background")),
        )
        self.row_header_cell = ParagraphStyle("RowHeaderCell", parent=self.cell, fontName=self.bold)
        self.cover_title = ParagraphStyle(
            "CoverTitle",
            parent=self.body,
            fontName=self.bold,
            fontSize=30,
            leading=36,
            textColor=primary,
            spaceBefore=40 * mm,
            spaceAfter=8 * mm,
        )
        self.subtitle = ParagraphStyle(
            "Subtitle",
            parent=self.body,
            fontSize=size * 1.35,
            leading=size * 1.8,
            spaceAfter=10 * mm,
        )
        self.doc_title = ParagraphStyle(
            "DocTitle", parent=self.cover_title, fontSize=24, leading=29, spaceBefore=0
        )
        self.contents_title = ParagraphStyle(
            "ContentsTitle", parent=self.doc_title, spaceAfter=6 * mm
        )
        self.headings = [
            ParagraphStyle(
                f"Heading{level}",
                parent=self.body,
                fontName=self.bold,
                fontSize=size * scale,
                leading=size * scale * 1.25,
                textColor=primary,
                spaceBefore=size * (1.4 if level == 1 else 0.9),
                spaceAfter=size * 0.5,
                keepWithNext=True,
            )
            for level, scale in ((1, 1.6), (2, 1.3), (3, 1.1))
        ]
        self.toc1 = ParagraphStyle(
            "TOC1", parent=self.body, fontName=self.bold, leftIndent=0, spaceBefore=6
        )
        self.toc2 = ParagraphStyle("TOC2", parent=self.body, leftIndent=12, spaceAfter=2)


# ------------------------------------------------------------------ content


def _markup(inlines: Inlines, styles: _Styles) -> str:
    """Inline nodes as reportlab paragraph markup; every source character is escaped."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(escape(node.text))
        elif isinstance(node, Strong):
            out.append(f"<b>{_markup(node.children, styles)}</b>")
        elif isinstance(node, Emph):
            out.append(f"<i>{_markup(node.children, styles)}</i>")
        elif isinstance(node, Link):
            out.append(_link(node.url, _markup(node.children, styles), styles))
    return "".join(out)


def _link(url: str, markup: str, styles: _Styles) -> str:
    href = escape(url, {'"': "&quot;"})
    return f'<a href="{href}" color="{styles.link_color}"><u>{markup}</u></a>'


def _document_body(
    document: Document, pack: Pack, styles: _Styles, outline_offset: int
) -> list[Flowable]:
    story: list[Flowable] = []
    for block in expand(document, pack):
        story += _block(block, styles, outline_offset)
    return story


def _block(block: Block, styles: _Styles, outline_offset: int) -> list[Flowable]:
    if isinstance(block, Heading):
        style = styles.headings[block.level - 1]
        level = block.level - 1 + outline_offset
        return [_heading_paragraph(block.text, style, level, toc=level <= 1 and outline_offset > 0)]
    if isinstance(block, ParagraphBlock):
        return [Paragraph(_markup(block.inlines, styles), styles.body)]
    if isinstance(block, BulletList | NumberedList):
        return [_list(block, styles)]
    if isinstance(block, TableBlock):
        return [_table(block, styles)]
    raise TypeError(f"{type(block).__name__} should have been expanded")  # pragma: no cover


def _list(block: BulletList | NumberedList, styles: _Styles) -> ListFlowable:
    items = [
        ListItem(Paragraph(_markup(item, styles), styles.body), leftIndent=16)
        for item in block.items
    ]
    numbered = isinstance(block, NumberedList)
    return ListFlowable(
        items,
        bulletType="1" if numbered else "bullet",
        bulletFormat="%s." if numbered else None,
        start=None if numbered else "\u2022",
        bulletFontName=styles.font,
        bulletFontSize=styles.body.fontSize,
        leftIndent=16,
        bulletDedent=12,
        spaceAfter=styles.body.spaceAfter,
    )


def _table(block: TableBlock, styles: _Styles) -> Table:
    header = [Paragraph(escape(text), styles.header_cell) for text in block.header]
    rows: list[list[Any]] = [header]
    for row in block.rows:
        cells: list[Any] = []
        for index, cell in enumerate(row):
            style = styles.row_header_cell if block.row_headers and index == 0 else styles.cell
            cells.append([Paragraph(_markup(lines, styles), style) for lines in cell])
        rows.append(cells)
    brand = styles.brand
    table = Table(rows, colWidths=[TEXT_WIDTH * share for share in block.widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.font, styles.cell.fontSize),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(brand.color("primary"))),
                (
                    "ROWBACKGROUNDS",
                    (0, 1),
                    (-1, -1),
                    [
                        colors.HexColor(brand.color("background")),
                        colors.HexColor(brand.color("light")),
                    ],
                ),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(brand.color("muted"))),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    table.spaceAfter = styles.body.spaceAfter
    return table


def _heading_paragraph(text: str, style: ParagraphStyle, level: int, toc: bool) -> Paragraph:
    paragraph = Paragraph(escape(text), style)
    paragraph._outline = (level, text, toc)
    return paragraph


class _RunningTitle(Flowable):  # type: ignore[misc]
    """Zero-size marker: from here on, pages show this document's title (and draft mark)."""

    def __init__(self, title: str, draft: bool) -> None:
        super().__init__()
        self.title = title
        self.draft = draft

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._running_title = self.title
        self.canv._draft = self.draft


def _cover(
    title: str,
    subtitle: str,
    document: Document | None,
    pack: Pack,
    brand: Brand,
    styles: _Styles,
    draft: bool,
) -> list[Flowable]:
    logo = Image(str(brand.logo), width=80 * mm, height=24 * mm, kind="proportional")
    logo.hAlign = "LEFT"
    facts = Table(
        [
            [Paragraph(escape(label), styles.header_cell), Paragraph(escape(value), styles.body)]
            for label, value in cover_facts(document, pack)
        ],
        colWidths=[35 * mm, TEXT_WIDTH - 35 * mm],
        hAlign="LEFT",
    )
    facts.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.font, styles.body.fontSize),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor(brand.color("primary"))),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(brand.color("muted"))),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return [
        _RunningTitle(title, draft),
        logo,
        Paragraph(escape(title), styles.cover_title),
        Paragraph(escape(subtitle), styles.subtitle),
        facts,
        NextPageTemplate("content"),
        PageBreak(),
    ]


# ------------------------------------------------------------------ document


class _PackDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Adds outline entries (and contents entries) for headings as they are placed."""

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "_outline", None)
        if outline is None:
            return
        level, text, toc = outline
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if toc:
            self.notify("TOCEntry", (level, escape(text), self.page, key))


def _numbered_canvas(furniture: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds pages back until the end, so footers can say 'Page X of Y'."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                furniture(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _build(
    story: list[Flowable],
    title: str,
    subject: str,
    keywords: tuple[str, ...],
    pack: Pack,
    styles: _Styles,
    multi_pass: bool = False,
) -> Rendered:
    buffer = io.BytesIO()
    doc = _PackDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=title,
        author=pack.publisher,
        subject=subject,
        keywords=[*keywords, f"version {pack.version}"],
        creator="esafety-docs",
        lang="en-GB",
        displayDocTitle=1,
        initialFontName=styles.font,
        initialFontSize=styles.body.fontSize,
    )
    frame = Frame(
        MARGIN, doc.bottomMargin, TEXT_WIDTH, PAGE_HEIGHT - doc.topMargin - doc.bottomMargin
    )
    doc.addPageTemplates(
        [
            PageTemplate("cover", frames=[frame], onPage=_mark_cover),
            PageTemplate("content", frames=[frame], onPage=_mark_content),
        ]
    )
    canvasmaker = _numbered_canvas(lambda canv, n, total: _furniture(canv, n, total, pack, styles))
    if multi_pass:
        doc.multiBuild(story, canvasmaker=canvasmaker)
    else:
        doc.build(story, canvasmaker=canvasmaker)
    return Rendered(buffer.getvalue(), doc.page)


def _mark_cover(canv: Canvas, doc: BaseDocTemplate) -> None:
    canv._is_cover = True


def _mark_content(canv: Canvas, doc: BaseDocTemplate) -> None:
    canv._is_cover = False
    canv.showOutline()


def _furniture(canv: Canvas, number: int, total: int, pack: Pack, styles: _Styles) -> None:
    """Running header and footer: document title, version and date, 'Page X of Y'."""
    brand = styles.brand
    muted = colors.HexColor(brand.color("muted"))
    size = 8.5
    canv.saveState()
    canv.setFillColor(muted)
    canv.setStrokeColor(muted)
    canv.setLineWidth(0.5)
    if not getattr(canv, "_is_cover", False):
        top = PAGE_HEIGHT - MARGIN
        canv.setFont(styles.font, size)
        canv.drawString(MARGIN, top, getattr(canv, "_running_title", pack.title))
        canv.drawRightString(PAGE_WIDTH - MARGIN, top, brand.short_name)
        canv.line(MARGIN, top - 3 * mm, PAGE_WIDTH - MARGIN, top - 3 * mm)
    bottom = MARGIN - 2 * mm
    canv.line(MARGIN, bottom + 4 * mm, PAGE_WIDTH - MARGIN, bottom + 4 * mm)
    canv.setFont(styles.font, size)
    canv.drawString(MARGIN, bottom, brand.footer)
    canv.drawString(MARGIN, bottom - 4 * mm, version_line(pack))
    canv.drawRightString(PAGE_WIDTH - MARGIN, bottom, f"Page {number} of {total}")
    if getattr(canv, "_draft", False):
        _draft_mark(canv, styles)
    canv.restoreState()


def _draft_mark(canv: Canvas, styles: _Styles) -> None:
    """DRAFT in the header, and faintly across the page, on every page of a draft."""
    primary = colors.HexColor(styles.brand.color("primary"))
    canv.setFillColor(primary)
    canv.setFont(styles.bold, 10)
    canv.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN, DRAFT_MARK)
    canv.saveState()
    canv.setFillAlpha(0.08)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(50)
    canv.setFont(styles.bold, 110)
    canv.drawCentredString(0, -40, DRAFT_MARK)
    canv.restoreState()
