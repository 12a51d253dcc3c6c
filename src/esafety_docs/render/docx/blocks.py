"""The blocks `expand` gives, as Word paragraphs, lists and tables.

What the PDF does to keep pages readable is said here in Word's own terms, so
Word, LibreOffice and Google Docs keep it too: headings and lead-ins keep with
what follows, a contact card keeps together, table rows never split, a short
table stays on one page, and header cells carry their own fill, colour and bold
(LibreOffice does not show a table style's header-row formatting).
"""

from __future__ import annotations

from typing import Any, Protocol

from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Emu, Length, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ...reading.model import (
    BulletList,
    Emph,
    FillIn,
    Heading,
    Inlines,
    Link,
    NumberedList,
    Strong,
    Table,
    Text,
)
from ...reading.model import Paragraph as ParagraphBlock
from ..common import SHEET_LEAD_SCALE, Address, BackPage, Cards, RenderBlock, keeps_with_next
from . import ooxml
from .styles import DETAIL_SIZE, Styles

SHORT_TABLE_ROWS = 12  # a table this short is kept on one page


class Marker(Protocol):
    """Told what each block became, so a review copy can say where its text came from."""

    def written(self, block: RenderBlock, paragraphs: list[Any]) -> None: ...

    def finished(self, word: DocxDocument) -> None: ...


class BodyWriter:
    """Writes blocks into the document body, in order."""

    def __init__(self, word: DocxDocument, styles: Styles, width: Length, sheet: bool) -> None:
        self.word = word
        self.styles = styles
        self.width = width
        self.sheet = sheet  # one page: cards in two columns, headings closer to their text
        self.page_break = False  # the next paragraph starts a new page
        self.marker: Marker | None = None
        self.lead = False  # the paragraph being written is a sheet's first line

    def write(self, blocks: list[RenderBlock], lead: int | None = None) -> None:
        """Write the blocks; the block at `lead` is a sheet's first line, set large."""
        for index, block in enumerate(blocks):
            self.lead = index == lead
            self.block(block, introduces=keeps_with_next(blocks, index))
        self.lead = False

    def block(self, block: RenderBlock, introduces: bool = False) -> None:
        if self.marker is None:
            self._block(block, introduces)
            return
        end = ooxml.body_end(self.word)
        self._block(block, introduces)
        self.marker.written(block, ooxml.paragraphs_after(self.word, end))

    def _block(self, block: RenderBlock, introduces: bool) -> None:
        styles = self.styles
        if isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, ParagraphBlock):
            paragraph = self._start(ooxml.add_paragraph(self.word, styles.normal))
            runs = self.inlines(paragraph, block.inlines)
            for run in runs if self.lead else ():
                # Large, as in the PDF; its bold words stay the source's own (a whole
                # line in bold would read as a heading that is not one).
                run.font.size = Pt(styles.brand.base_size * SHEET_LEAD_SCALE)
            if introduces:
                paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, BulletList | NumberedList):
            self._list(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Cards):
            self._cards(block)
        elif isinstance(block, FillIn):
            self._fill_in(block)
        elif isinstance(block, BackPage):
            self.page_break = True

    def _heading(self, block: Heading, size: float | None = None) -> Paragraph:
        style = self.styles.headings[min(block.level, 4) - 1]
        paragraph = self._start(ooxml.add_paragraph(self.word, style, block.text))
        if self.sheet:
            paragraph.paragraph_format.space_before = Pt(7)
            paragraph.paragraph_format.space_after = Pt(2)
        if size is not None:
            paragraph.runs[0].font.size = Pt(size)
        return paragraph

    def _start(self, paragraph: Paragraph) -> Paragraph:
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        return paragraph

    def inlines(
        self, paragraph: Paragraph, inlines: Inlines, bold: bool = False, italic: bool = False
    ) -> list[Run]:
        runs = []
        for node in inlines:
            if isinstance(node, Address):
                run = paragraph.add_run(node.text)
                ooxml.set_run_style(run, self.styles.address)
                runs.append(run)
            elif isinstance(node, Text):
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

    def _list(
        self, block: BulletList | NumberedList, style: BaseStyle | None = None
    ) -> list[Paragraph]:
        styles = self.styles
        list_style = styles.number if isinstance(block, NumberedList) else styles.bullet
        num_id = ooxml.new_numbering(self.word, list_style) if list_style is styles.number else None
        paragraphs = []
        for item in block.items:
            paragraph = self._start(ooxml.add_paragraph(self.word, style or list_style))
            if num_id:
                ooxml.apply_numbering(paragraph, num_id)
            self.inlines(paragraph, item)
            paragraphs.append(paragraph)
        return paragraphs

    def _table(self, block: Table) -> None:
        styles = self.styles
        table = self.word.add_table(rows=1, cols=len(block.header))
        table.style = styles.table
        ooxml.use_table_look_first_row(table)
        header = table.rows[0]
        ooxml.repeat_as_header_row(header)
        white = RGBColor.from_string(styles.fills["background"])
        for cell, text in zip(header.cells, block.header, strict=True):
            ooxml.set_style(cell.paragraphs[0], styles.cell_heading)
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.color.rgb = True, white
            ooxml.shade_cell(cell, styles.fills["primary"])
        keep = len(block.rows) <= SHORT_TABLE_ROWS
        for number, row in enumerate(block.rows):
            row_cells = table.add_row()
            ooxml.keep_row_together(row_cells)
            last_row = number == len(block.rows) - 1
            for index, (cell, lines) in enumerate(zip(row_cells.cells, row, strict=True)):
                is_header = block.row_headers and index == 0
                style = styles.cell_heading if is_header else styles.cell
                for line, inlines in enumerate(lines):
                    paragraph = cell.paragraphs[0] if line == 0 else cell.add_paragraph()
                    ooxml.set_style(paragraph, style)
                    self.inlines(paragraph, inlines)
                    # Word's way to keep a table on one page: every row keeps with the next.
                    paragraph.paragraph_format.keep_with_next = (keep and not last_row) or (
                        block.keep_with_next
                    )
        for cell in header.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        for column, share in zip(table.columns, block.widths, strict=True):
            for cell in column.cells:
                cell.width = int(self.width * share)

    def _cards(self, block: Cards) -> None:
        """Each contact as a small heading, what it helps with, its details; kept
        together, and in two columns on a sheet (a continuous section)."""
        if self.sheet and self.word.paragraphs:
            ooxml.end_section(self.word, self.word.paragraphs[-1], columns=1)
            ooxml.set_body_columns(self.word, 2)
        styles = self.styles
        for card in block.cards:
            paragraphs: list[Paragraph] = []
            for part in card:
                if isinstance(part, Heading):
                    paragraphs.append(self._heading(part, DETAIL_SIZE))
                elif isinstance(part, ParagraphBlock):
                    paragraph = ooxml.add_paragraph(self.word, styles.card_text)
                    self.inlines(paragraph, part.inlines)
                    paragraphs.append(paragraph)
                elif isinstance(part, BulletList):
                    paragraphs += self._list(part, styles.detail)
            for paragraph in paragraphs[:-1]:
                paragraph.paragraph_format.keep_with_next = True
            for paragraph in paragraphs:
                paragraph.paragraph_format.keep_together = True
        if self.sheet:
            ooxml.end_section(self.word, self.word.paragraphs[-1], columns=2)
            ooxml.set_body_columns(self.word, 1)

    def _fill_in(self, block: FillIn) -> None:
        """A line to write on after each label, drawn by a tab's underline leader."""
        paragraph = self._start(ooxml.add_paragraph(self.word, self.styles.fill_in))
        share = self.width / len(block.labels)
        tabs = paragraph.paragraph_format.tab_stops
        for index, label in enumerate(block.labels):
            end = Emu(
                int(share * (index + 1) - (Emu(200_000) if index < len(block.labels) - 1 else 0))
            )
            tabs.add_tab_stop(end, WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)
            if index:
                tabs.add_tab_stop(Emu(int(share * index)), WD_TAB_ALIGNMENT.LEFT)
                paragraph.add_run("\t")
            paragraph.add_run(f"{label} \t")
