"""Documents as DOCX with python-docx: real Word styles, fields, links and tables.

A booklet has a cover, then its sections; a sheet fits one side of A4 (contact
cards in two columns) with document control on the back. The header and footer
use one right-aligned tab at the text's edge, and the header's title is
shortened to fit one line, measured with the brand font's own widths. Raw XML
lives in `ooxml`.
"""

from __future__ import annotations

import datetime as dt
import io

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.shared import Cm, Emu, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from ...reading.brand import Brand
from ...reading.model import Document, Pack, Paragraph, Strong, Text
from ..common import (
    DRAFT_MARK,
    Made,
    RenderBlock,
    cover_facts,
    expand,
    fit_text,
    sheet_lead,
    sheet_top,
    version_line,
)
from ..measure import text_width
from . import ooxml
from .blocks import BodyWriter, Marker
from .styles import (
    FURNITURE_SIZE,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SHEET_MARGIN,
    SHEET_WIDTH,
    TEXT_WIDTH,
    Styles,
    branded_document,
)


def render_document(
    document: Document, pack: Pack, brand: Brand, when: dt.datetime, marker: Marker | None = None
) -> bytes:
    """One document as a .docx file's bytes; `when` is its modification time. A
    `marker` is told what each block became (the review copy's provenance)."""
    word, styles = branded_document(brand)
    sheet = document.layout == "sheet"
    _page_setup(word, document, pack, brand, styles, sheet)
    blocks = expand(document, pack)
    if sheet:
        blocks = _sheet_top(word, document, blocks, brand, styles, marker)
        writer = BodyWriter(word, styles, SHEET_WIDTH, sheet=True)
    else:
        _cover(word, document, pack, brand, styles, marker)
        writer = BodyWriter(word, styles, TEXT_WIDTH, sheet=False)
        writer.page_break = True
    writer.marker = marker
    writer.write(blocks)
    _properties(word, document, pack, when)
    if marker is not None:
        marker.finished(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page_setup(
    word: DocxDocument, document: Document, pack: Pack, brand: Brand, styles: Styles, sheet: bool
) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    margin = SHEET_MARGIN if sheet else MARGIN
    for side in ("left_margin", "right_margin"):
        setattr(section, side, margin)
    section.top_margin = Cm(1.6) if sheet else MARGIN
    section.bottom_margin = Cm(1.8) if sheet else MARGIN
    section.header_distance = section.footer_distance = Cm(0.8)
    width = SHEET_WIDTH if sheet else TEXT_WIDTH
    for part in (section.header, section.footer):
        tabs = part.paragraphs[0].paragraph_format.tab_stops
        tabs.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)
    header = section.header.paragraphs[0]
    ooxml.set_style(header, styles.header)
    right = f"{DRAFT_MARK}  {brand.short_name}" if document.status == "draft" else brand.short_name
    room = Emu(width).pt - _width(brand, right) - 24
    header.add_run(fit_text(document.title, room, lambda text: _width(brand, text)))
    header.add_run("\t")
    if document.status == "draft":
        mark = header.add_run(f"{DRAFT_MARK}  ")
        mark.bold = True
        mark.font.color.rgb = styles.headings[0].font.color.rgb
    header.add_run(brand.short_name)
    footer = section.footer.paragraphs[0]
    ooxml.set_style(footer, styles.footer)
    footer.add_run(f"{brand.footer}\tPage ")
    ooxml.add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    ooxml.add_field(footer, "NUMPAGES", "1")
    footer.add_run().add_break(WD_BREAK.LINE)
    footer.add_run(version_line(pack))


def _width(brand: Brand, text: str) -> float:
    return text_width(brand.font.regular, text, FURNITURE_SIZE)


def _cover(
    word: DocxDocument,
    document: Document,
    pack: Pack,
    brand: Brand,
    styles: Styles,
    marker: Marker | None,
) -> None:
    logo = word.add_picture(str(brand.logo), width=Cm(8))
    ooxml.set_alt_text(logo, brand.logo_alt)
    _titles(word, document, styles, marker)
    for label, value in cover_facts(document, pack):
        paragraph = ooxml.add_paragraph(word, styles.normal)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
        fact = Paragraph((Strong((Text(f"{label}: "),)), Text(value)), made_by=Made.COVER_FACTS)
        _tell(marker, fact, paragraph)


def _titles(
    word: DocxDocument, document: Document, styles: Styles, marker: Marker | None
) -> tuple[DocxParagraph, DocxParagraph]:
    """The title and subtitle, which a document's source holds as written."""
    title = ooxml.add_paragraph(word, styles.title, document.title)
    subtitle = ooxml.add_paragraph(word, styles.subtitle, document.subtitle)
    _tell(marker, Paragraph((Text(document.title),), origin="title"), title)
    _tell(marker, Paragraph((Text(document.subtitle),), origin="subtitle"), subtitle)
    return title, subtitle


def _tell(marker: Marker | None, block: Paragraph, paragraph: DocxParagraph) -> None:
    """Tell a review copy's marker what a paragraph written outside the body shows."""
    if marker is not None:
        marker.written(block, [ooxml.element_of(paragraph)])


def _sheet_top(
    word: DocxDocument,
    document: Document,
    blocks: list[RenderBlock],
    brand: Brand,
    styles: Styles,
    marker: Marker | None,
) -> list[RenderBlock]:
    """The logo, title and subtitle, then the first section in a tinted box; returns
    the blocks still to write."""
    logo = word.add_picture(str(brand.logo), width=Cm(3.4))
    ooxml.set_alt_text(logo, brand.logo_alt)
    title, subtitle = _titles(word, document, styles, marker)
    title.paragraph_format.space_before = Pt(2)
    title.paragraph_format.space_after = Pt(0)
    title.runs[0].font.size = Pt(21)
    subtitle.paragraph_format.space_after = Pt(6)
    first, rest = sheet_top(blocks)
    if not first:
        return rest
    writer = BodyWriter(word, styles, SHEET_WIDTH, sheet=True)
    writer.marker = marker
    start = len(word.paragraphs)
    writer.write(first, lead=sheet_lead(first))
    for paragraph in word.paragraphs[start:]:
        ooxml.shade_paragraph(paragraph, styles.fills["light"], bar=styles.fills["primary"])
    return rest


def _properties(word: DocxDocument, document: Document, pack: Pack, when: dt.datetime) -> None:
    props = word.core_properties
    props.title = document.title
    props.subject = document.summary
    props.author = pack.publisher
    props.last_modified_by = pack.publisher
    props.keywords = "; ".join(document.keywords)
    props.language = "en-GB"
    props.category = pack.title
    props.comments = f"Version {pack.version}, status {document.status}"
    props.revision = 1
    props.version = pack.version
    props.created = when
    props.modified = when
    ooxml.drop_template_leftovers(word, "esafety-docs", pack.publisher)
