"""Documents as DOCX with python-docx: real Word styles, fields, links and tables.

Styles are looked up once and set by id (`ooxml.add_paragraph`), because
python-docx searches all styles on every `style=` and that search was measured
at over half of DOCX render time. Raw XML lives in `ooxml`.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ...brand import Brand, contrast_ratio
from ...model import (
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
    Table,
    Text,
)
from ...model import Paragraph as ParagraphBlock
from ..common import DRAFT_MARK, cover_facts, expand, version_line
from . import ooxml

TABLE_STYLE = "Pack Table"


def render_document(document: Document, pack: Pack, brand: Brand, when: dt.datetime) -> bytes:
    """One document as a .docx file's bytes; `when` is its modification time."""
    word = docx.Document()
    styles = _Styles(word, brand)
    _page_setup(word, document, pack, brand, styles)
    _cover(word, document, pack, brand, styles)
    writer = _BodyWriter(word, styles)
    for index, block in enumerate(expand(document, pack)):
        writer.block(block, new_page=index == 0)
    _properties(word, document, pack, when)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


class _Styles:
    """Brand fonts and colours applied to Word's built-in styles, resolved once."""

    def __init__(self, word: DocxDocument, brand: Brand) -> None:
        family = brand.font.family
        primary = RGBColor.from_string(brand.color("primary").lstrip("#"))
        ink = RGBColor.from_string(brand.color("foreground").lstrip("#"))
        ooxml.set_document_language(word, "en-GB")
        all_styles = word.styles
        self.normal = all_styles["Normal"]
        self.title = all_styles["Title"]
        self.subtitle = all_styles["Subtitle"]
        self.headings = [all_styles[f"Heading {level}"] for level in (1, 2, 3)]
        self.bullet = all_styles["List Bullet"]
        self.number = all_styles["List Number"]
        self.header = all_styles["Header"]
        self.footer = all_styles["Footer"]
        for style in (self.normal, self.title, self.subtitle, *self.headings):
            ooxml.set_style_font(style, family)
        self.normal.font.size = Pt(brand.base_size)
        self.normal.font.color.rgb = ink
        normal_format = self.normal.paragraph_format
        normal_format.space_after = Pt(brand.base_size * 0.6)
        normal_format.line_spacing = brand.line_height * 0.85
        self.title.font.color.rgb = primary
        self.title.font.size = Pt(30)
        self.title.font.bold = True
        self.title.paragraph_format.space_before = Pt(60)
        self.title.paragraph_format.space_after = Pt(12)
        ooxml.remove_paragraph_borders(self.title)
        self.subtitle.font.color.rgb = ink
        self.subtitle.font.italic = False
        self.subtitle.paragraph_format.space_after = Pt(24)
        for style, size in zip(self.headings, (16, 13.5, 11.5), strict=True):
            style.font.color.rgb = primary
            style.font.size = Pt(size)
            style.font.bold = True
            style.paragraph_format.space_before = Pt(size)
            style.paragraph_format.space_after = Pt(size * 0.4)
            style.paragraph_format.keep_with_next = True
        self.link = all_styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        self.link.font.color.rgb = RGBColor.from_string(brand.color("link").lstrip("#"))
        self.link.font.underline = True
        self.cell = all_styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        self.cell.base_style = self.normal
        self.cell.font.size = Pt(brand.base_size * 0.9)
        self.cell.paragraph_format.space_after = Pt(2)
        # LibreOffice's tagged PDF export makes a cell whose paragraph has this
        # style a table header (TH); Word shows it as bold cell text.
        self.cell_heading = all_styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
        self.cell_heading.base_style = self.cell
        self.cell_heading.font.bold = True
        ooxml.add_table_style(
            word,
            TABLE_STYLE,
            header_fill=brand.color("primary").lstrip("#"),
            rule=brand.color("muted").lstrip("#"),
        )
        self.table = all_styles[TABLE_STYLE]
        _darken_template_colours(word, primary)


def _darken_template_colours(word: DocxDocument, primary: RGBColor) -> None:
    """The template's other styles (Heading 4-9, linked character styles, a hundred
    table styles) use colours that fail WCAG contrast: the table styles go, and the
    rest get the brand colour, so whoever applies them later still gets readable text."""
    for style in list(word.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in ("Normal Table", TABLE_STYLE):
            style.delete()  # unused, and many have header colours that fail contrast
            continue
        font = getattr(style, "font", None)
        if font is None or font.color.type is None or font.color.rgb is None:
            continue
        if contrast_ratio(f"#{font.color.rgb}", "#FFFFFF") < 4.5:
            font.color.rgb = primary


def _page_setup(
    word: DocxDocument, document: Document, pack: Pack, brand: Brand, styles: _Styles
) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    header = section.header.paragraphs[0]
    ooxml.set_style(header, styles.header)
    draft = f"{DRAFT_MARK} \u2013 " if document.status == "draft" else ""
    header.text = f"{draft}{document.title}\t\t{brand.short_name}"
    footer = section.footer.paragraphs[0]
    ooxml.set_style(footer, styles.footer)
    footer.add_run(f"{brand.footer}\t\tPage ")
    ooxml.add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    ooxml.add_field(footer, "NUMPAGES", "1")
    footer.add_run().add_break(WD_BREAK.LINE)
    footer.add_run(version_line(pack))


def _cover(
    word: DocxDocument, document: Document, pack: Pack, brand: Brand, styles: _Styles
) -> None:
    logo = word.add_picture(str(brand.logo), width=Cm(8))
    ooxml.set_alt_text(logo, brand.logo_alt)
    ooxml.add_paragraph(word, styles.title, document.title)
    ooxml.add_paragraph(word, styles.subtitle, document.subtitle)
    for label, value in cover_facts(document, pack):
        paragraph = ooxml.add_paragraph(word, styles.normal)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


class _BodyWriter:
    """Writes blocks into the document body (or into a table cell)."""

    def __init__(self, word: DocxDocument, styles: _Styles) -> None:
        self.word = word
        self.styles = styles

    def block(self, block: Block, new_page: bool = False) -> None:
        first: Paragraph | None = None
        if isinstance(block, Heading):
            heading_style = self.styles.headings[block.level - 1]
            first = ooxml.add_paragraph(self.word, heading_style, block.text)
        elif isinstance(block, ParagraphBlock):
            first = ooxml.add_paragraph(self.word, self.styles.normal)
            self.inlines(first, block.inlines)
        elif isinstance(block, BulletList | NumberedList):
            first = self._list(block)
        elif isinstance(block, Table):
            self._table(block)  # never first: every section starts with its heading
        if new_page and first is not None:
            first.paragraph_format.page_break_before = True

    def inlines(
        self, paragraph: Paragraph, inlines: Inlines, bold: bool = False, italic: bool = False
    ) -> list[Run]:
        runs = []
        for node in inlines:
            if isinstance(node, Text):
                run = paragraph.add_run(node.text)
                run.bold = bold or None
                run.italic = italic or None
                runs.append(run)
            elif isinstance(node, Strong):
                runs += self.inlines(paragraph, node.children, True, italic)
            elif isinstance(node, Emph):
                runs += self.inlines(paragraph, node.children, bold, True)
            elif isinstance(node, Link):
                link_runs = self.inlines(paragraph, node.children, bold, italic)
                for run in link_runs:
                    ooxml.set_run_style(run, self.styles.link)
                ooxml.wrap_in_hyperlink(paragraph, link_runs, node.url)
                runs += link_runs
        return runs

    def _list(self, block: BulletList | NumberedList) -> Paragraph | None:
        style = self.styles.number if isinstance(block, NumberedList) else self.styles.bullet
        num_id = ooxml.new_numbering(self.word, style) if style is self.styles.number else None
        first = None
        for item in block.items:
            paragraph = ooxml.add_paragraph(self.word, style)
            if num_id:
                ooxml.apply_numbering(paragraph, num_id)
            self.inlines(paragraph, item)
            first = first or paragraph
        return first

    def _table(self, block: Table) -> None:
        table = self.word.add_table(rows=1, cols=len(block.header))
        table.style = self.styles.table
        ooxml.use_table_look_first_row(table)
        header = table.rows[0]
        ooxml.repeat_as_header_row(header)
        for cell, text in zip(header.cells, block.header, strict=True):
            ooxml.set_style(cell.paragraphs[0], self.styles.cell_heading)
            cell.paragraphs[0].add_run(text)
        for row in block.rows:
            for index, (cell, lines) in enumerate(zip(table.add_row().cells, row, strict=True)):
                is_header = block.row_headers and index == 0
                style = self.styles.cell_heading if is_header else self.styles.cell
                for number, inlines in enumerate(lines):
                    paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                    ooxml.set_style(paragraph, style)
                    self.inlines(paragraph, inlines)
        text_width = Cm(17.0)
        for column, share in zip(table.columns, block.widths, strict=True):
            for cell in column.cells:
                cell.width = int(text_width * share)


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
