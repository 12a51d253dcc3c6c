"""Documents and the combined pack as tagged A4 PDF (PDF/UA-1, PDF/A-2b) with reportlab.

Every font comes from the brand and is embedded: reportlab's fallbacks to the
standard Helvetica (the doc template's initial font, table styles, the contents
table) are all set to the brand font. Source text is escaped before it reaches
reportlab's paragraph markup, so `<b>` in a source prints literally. Each
flowable is made with the structure element it belongs to; `pdftags` does the
marking and writes the structure tree.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
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
from ..model import Table as TableBlock
from .common import DRAFT_MARK, cover_facts, expand, is_draft_pack, pack_part, version_line
from .pdftags import (
    PAGINATION,
    Metadata,
    Node,
    TaggedFigure,
    TaggedParagraph,
    Tagger,
    TaggingCanvas,
    finish,
    table_render_callback,
)

# Binary image streams: ASCII85 text encoding of the logo was a visible cost
# (pure Python) and only makes the files bigger.
rl_config.useA85 = 0

MARGIN = 20 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Rendered:
    """A finished PDF and how many pages it has."""

    data: bytes
    pages: int


def render_document(document: Document, pack: Pack, brand: Brand) -> Rendered:
    """One document: cover, its sections, then its document control table."""
    styles = _Styles(brand)
    tagger = Tagger()
    root = tagger.root
    draft = document.status == "draft"
    story = _cover(document.title, document.subtitle, document, pack, styles, root, draft)
    story += _document_body(document, pack, styles, root, outline_offset=0)
    meta = _metadata(document.title, document.summary, document.keywords, pack)
    return _build(story, meta, pack, styles, tagger)


def render_pack(pack: Pack, brand: Brand, notes: tuple[Block, ...] = ()) -> Rendered:
    """The combined pack: cover, contents, every document in order, each a Part, and
    last the pack's own part (release `notes`, then the pack's document control)."""
    styles = _Styles(brand)
    tagger = Tagger()
    cover = tagger.root.add("Part")
    story = _cover(pack.title, "The complete pack", None, pack, styles, cover, is_draft_pack(pack))
    story.append(_paragraph("Contents", styles.contents_title, cover.add("H2")))
    story += [_TaggedContents(styles, cover.add("TOC")), PageBreak()]
    for index, document in enumerate((*pack.documents, pack_part(pack, notes))):
        part = tagger.root.add("Part")
        if index:
            story.append(PageBreak())
        story.append(_RunningTitle(document.title, document.status == "draft"))
        title = _paragraph(document.title, styles.doc_title, part.add("H1"))
        title._outline = (0, document.title, True)
        story += [title, _paragraph(document.subtitle, styles.subtitle, part.add("P"))]
        story += _document_body(document, pack, styles, part, outline_offset=1)
    keywords = tuple(sorted({k for d in pack.documents for k in d.keywords}))
    summary = "; ".join(d.title for d in pack.documents)
    meta = _metadata(pack.title, summary, keywords, pack)
    return _build(story, meta, pack, styles, tagger, multi_pass=True)


def _metadata(title: str, subject: str, keywords: tuple[str, ...], pack: Pack) -> Metadata:
    words = ", ".join([*keywords, f"version {pack.version}"])
    return Metadata(title, pack.publisher, subject, words, LANGUAGE)


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
        self.list_body = ParagraphStyle("ListBody", parent=self.body, spaceAfter=size * 0.3)
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
            href = escape(node.url, {'"': "&quot;"})
            text = _markup(node.children, styles)
            out.append(f'<a href="{href}" color="{styles.link_color}"><u>{text}</u></a>')
    return "".join(out)


def _paragraph(text: str, style: ParagraphStyle, node: Node) -> TaggedParagraph:
    """A paragraph of plain (escaped) text owned by `node`."""
    return TaggedParagraph(escape(text), style).tagged(node)


def _document_body(
    document: Document, pack: Pack, styles: _Styles, parent: Node, outline_offset: int
) -> list[Flowable]:
    story: list[Flowable] = []
    for block in expand(document, pack):
        story += _block(block, styles, parent, outline_offset)
    return story


def _block(block: Block, styles: _Styles, parent: Node, outline_offset: int) -> list[Flowable]:
    if isinstance(block, Heading):
        # The document title is the one H1; section levels 1-3 are H2-H4.
        paragraph = _paragraph(
            block.text, styles.headings[block.level - 1], parent.add(f"H{block.level + 1}")
        )
        level = block.level - 1 + outline_offset
        paragraph._outline = (level, block.text, level <= 1 and outline_offset > 0)
        return [paragraph]
    if isinstance(block, ParagraphBlock):
        return [
            TaggedParagraph(_markup(block.inlines, styles), styles.body).tagged(parent.add("P"))
        ]
    if isinstance(block, BulletList | NumberedList):
        return _list(block, styles, parent.add("L"))
    if isinstance(block, TableBlock):
        return [_table(block, styles, parent.add("Table"))]
    raise TypeError(f"{type(block).__name__} should have been expanded")  # pragma: no cover


def _list(block: BulletList | NumberedList, styles: _Styles, node: Node) -> list[Flowable]:
    numbered = isinstance(block, NumberedList)
    items: list[Flowable] = []
    for number, inlines in enumerate(block.items, start=1):
        item = node.add("LI")
        label = _paragraph(f"{number}." if numbered else "\u2022", styles.body, item.add("Lbl"))
        body = TaggedParagraph(_markup(inlines, styles), styles.list_body).tagged(item.add("LBody"))
        items.append(_ListItem(label, body))
    if items:
        items[-1].spaceAfter = styles.body.spaceAfter
    return items


class _ListItem(Flowable):  # type: ignore[misc]
    """A label in the margin and the item's text beside it; the text may split across pages."""

    INDENT = 16

    def __init__(self, label: TaggedParagraph | None, body: TaggedParagraph) -> None:
        super().__init__()
        self.label = label
        self.body = body
        self.spaceAfter = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _, self.height = self.body.wrap(available_width - self.INDENT, available_height)
        if self.label is not None:
            self.label.wrap(self.INDENT, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.body.split(available_width - self.INDENT, available_height)
        if len(parts) < 2:
            return []
        first = _ListItem(self.label, parts[0])
        rest = _ListItem(None, parts[1])
        rest.spaceAfter = self.spaceAfter
        return [first, rest]

    def getSpaceAfter(self) -> float:
        return self.spaceAfter

    def draw(self) -> None:
        if self.label is not None:
            label_height = self.label.height
            self.label.drawOn(self.canv, 0, self.height - label_height)
        self.body.drawOn(self.canv, self.INDENT, 0)


def _table(block: TableBlock, styles: _Styles, node: Node) -> Table:
    head = node.add("THead").add("TR")
    rows: list[list[Any]] = [
        [
            _paragraph(text, styles.header_cell, head.add("TH", scope="Column"))
            for text in block.header
        ]
    ]
    body = node.add("TBody")
    for row in block.rows:
        row_node = body.add("TR")
        cells: list[Any] = []
        for index, cell in enumerate(row):
            is_header = block.row_headers and index == 0
            cell_node = row_node.add("TH", scope="Row") if is_header else row_node.add("TD")
            style = styles.row_header_cell if is_header else styles.cell
            cells.append(
                [TaggedParagraph(_markup(lines, styles), style).tagged(cell_node) for lines in cell]
            )
        rows.append(cells)
    table = Table(
        rows,
        colWidths=[TEXT_WIDTH * share for share in block.widths],
        repeatRows=1,
        renderCB=table_render_callback,
    )
    table.setStyle(_table_style(styles))
    table.spaceAfter = styles.body.spaceAfter
    return table


def _table_style(styles: _Styles) -> TableStyle:
    brand = styles.brand
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), styles.font, styles.cell.fontSize),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(brand.color("primary"))),
            (
                "ROWBACKGROUNDS",
                (0, 1),
                (-1, -1),
                [colors.HexColor(brand.color("background")), colors.HexColor(brand.color("light"))],
            ),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(brand.color("muted"))),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )


class _TaggedContents(TableOfContents):  # type: ignore[misc]
    """The contents page as TOC > TOCI, its layout table marked as decoration."""

    def __init__(self, styles: _Styles, node: Node) -> None:
        super().__init__(
            levelStyles=[styles.toc1, styles.toc2],
            dotsMinLevel=-1,
            tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), styles.font, styles.body.fontSize)]),
        )
        self.node = node

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        size = super().wrap(available_width, available_height)
        self.node.kids = []  # wrapped again on every pass: entries are made afresh
        self._table._renderCB = table_render_callback
        for row in self._table._cellvalues:
            for cell in row:
                for flowable in cell if isinstance(cell, list | tuple) else [cell]:
                    if hasattr(flowable, "blPara") or hasattr(flowable, "frags"):
                        flowable.__class__ = TaggedParagraph
                        flowable.node = self.node.add("TOCI")
        return size  # type: ignore[no-any-return]


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
    styles: _Styles,
    parent: Node,
    draft: bool,
) -> list[Flowable]:
    brand = styles.brand
    image = Image(str(brand.logo), width=80 * mm, height=24 * mm, kind="proportional")
    image.hAlign = "LEFT"
    logo = TaggedFigure(image, parent.add("Figure", alt=brand.logo_alt))
    title_paragraph = _paragraph(title, styles.cover_title, parent.add("H1"))
    subtitle_paragraph = _paragraph(subtitle, styles.subtitle, parent.add("P"))
    body = parent.add("Table").add("TBody")
    rows = []
    for label, value in cover_facts(document, pack):
        row = body.add("TR")
        rows.append(
            [
                _paragraph(label, styles.header_cell, row.add("TH", scope="Row")),
                _paragraph(value, styles.body, row.add("TD")),
            ]
        )
    facts = Table(
        rows,
        colWidths=[35 * mm, TEXT_WIDTH - 35 * mm],
        hAlign="LEFT",
        renderCB=table_render_callback,
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
        title_paragraph,
        subtitle_paragraph,
        facts,
        NextPageTemplate("content"),
        PageBreak(),
    ]


# ------------------------------------------------------------------ document


class _PackDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Adds outline entries (and contents entries) for headings as they are placed."""

    def beforeDocument(self) -> None:
        self._headings = 0  # bookmark names count from zero on every pass: same bytes each build

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "_outline", None)
        if outline is None:
            return
        level, text, toc = outline
        self._headings += 1
        key = f"h{self._headings}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if toc:
            self.notify("TOCEntry", (level, escape(text), self.page, key))


def _numbered_canvas(
    tagger: Tagger, furniture: Callable[[TaggingCanvas, int, int], None]
) -> type[TaggingCanvas]:
    """A tagging canvas that holds pages back until the end, so footers can say 'Page X of Y'."""

    class NumberedCanvas(TaggingCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.tagger = tagger
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []
            tagger.page = 0

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()
            tagger.page = len(self._held_pages)

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                with self.artifact(PAGINATION):
                    furniture(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _build(
    story: list[Flowable],
    meta: Metadata,
    pack: Pack,
    styles: _Styles,
    tagger: Tagger,
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
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=[meta.keywords],
        creator="esafety-docs",
        lang=LANGUAGE,
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
    canvasmaker = _numbered_canvas(
        tagger, lambda canv, n, total: _furniture(canv, n, total, pack, styles)
    )
    if multi_pass:
        doc.multiBuild(story, canvasmaker=canvasmaker)
    else:
        doc.build(story, canvasmaker=canvasmaker)
    return Rendered(finish(buffer.getvalue(), tagger, meta), doc.page)


def _mark_cover(canv: TaggingCanvas, doc: BaseDocTemplate) -> None:
    canv._is_cover = True


def _mark_content(canv: TaggingCanvas, doc: BaseDocTemplate) -> None:
    canv._is_cover = False
    canv.showOutline()


def _furniture(canv: TaggingCanvas, number: int, total: int, pack: Pack, styles: _Styles) -> None:
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


def _draft_mark(canv: TaggingCanvas, styles: _Styles) -> None:
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
