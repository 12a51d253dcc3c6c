"""The brand as reportlab styles: fonts registered once, every paragraph style in one place.

Body text never leaves a single line at the top of a page (no widows) nor at the
foot (no orphans), and never breaks inside a word: an over-long word moves to the
next line whole, and web addresses break only after '/', '.' or '-' (see
`addresses`).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...reading.brand import Brand
from ..common import SHEET_LEAD_SCALE
from .contents import ContentsStyle

# Contact details on a sheet are read from a metre away: at least 12 pt.
DETAIL_SIZE = 12.0


def register_fonts(brand: Brand) -> str:
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


class Styles:
    """Paragraph styles and colours derived from the brand, built once per render."""

    def __init__(self, brand: Brand) -> None:
        self.brand = brand
        self.font = register_fonts(brand)
        self.bold = self.font + "-Bold"
        size = brand.base_size
        self.ink = colors.HexColor(brand.color("foreground"))
        self.primary = colors.HexColor(brand.color("primary"))
        self.muted = colors.HexColor(brand.color("muted"))
        self.light = colors.HexColor(brand.color("light"))
        self.paper = colors.HexColor(brand.color("background"))
        self.link_color = brand.color("link")
        self.body = ParagraphStyle(
            "Body",
            fontName=self.font,
            fontSize=size,
            leading=size * brand.line_height,
            textColor=self.ink,
            spaceAfter=size * 0.6,
            alignment=TA_LEFT,
            allowWidows=0,
            allowOrphans=0,
            splitLongWords=0,
            # An address that does not fit moves to the next line whole, and is broken
            # there only if it is longer than a line (see addresses).
            uriWasteReduce=0.9,
        )
        self.address_size = round(size * 0.85, 2)
        self.small = ParagraphStyle(
            "Small", parent=self.body, fontSize=size * 0.85, leading=size * 0.85 * 1.35
        )
        self.cell = ParagraphStyle("Cell", parent=self.small, spaceAfter=2)
        self.header_cell = ParagraphStyle(
            "HeaderCell", parent=self.cell, fontName=self.bold, textColor=self.paper
        )
        self.row_header_cell = ParagraphStyle("RowHeaderCell", parent=self.cell, fontName=self.bold)
        self.cover_title = ParagraphStyle(
            "CoverTitle",
            parent=self.body,
            fontName=self.bold,
            fontSize=30,
            leading=36,
            textColor=self.primary,
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
        self.sheet_title = ParagraphStyle(
            "SheetTitle", parent=self.doc_title, fontSize=21, leading=25, spaceAfter=1 * mm
        )
        self.sheet_subtitle = ParagraphStyle(
            "SheetSubtitle", parent=self.body, fontSize=size * 1.1, leading=size * 1.45
        )
        self.headings = [
            ParagraphStyle(
                f"Heading{level}",
                parent=self.body,
                fontName=self.bold,
                fontSize=size * scale,
                leading=size * scale * 1.25,
                textColor=self.primary,
                spaceBefore=size * (1.4 if level == 1 else 0.9),
                spaceAfter=size * 0.5,
            )
            for level, scale in ((1, 1.6), (2, 1.3), (3, 1.1), (4, 1.0))
        ]
        # A one-page sheet keeps its headings smaller, so everything fits on the page.
        self.sheet_headings = [
            ParagraphStyle(
                f"SheetHeading{level}",
                parent=heading,
                fontSize=heading.fontSize * 0.85,
                leading=heading.leading * 0.85,
                spaceBefore=size * 0.6,
                spaceAfter=size * 0.35,
            )
            for level, heading in enumerate(self.headings, start=1)
        ]
        self.list_body = ParagraphStyle("ListBody", parent=self.body, spaceAfter=size * 0.3)
        # The first thing a sheet says (call 999), set large enough to see across a room;
        # bold only where the source says, as in the Word and HTML editions.
        self.callout = ParagraphStyle(
            "Callout",
            parent=self.body,
            fontSize=size * SHEET_LEAD_SCALE,
            leading=size * 1.6,
            spaceAfter=size * 0.4,
        )
        # Contact cards: the organisation as a small heading, its purpose, its details.
        self.card_heading = ParagraphStyle(
            "CardHeading",
            parent=self.headings[3],
            fontSize=DETAIL_SIZE,
            leading=DETAIL_SIZE * 1.25,
            spaceBefore=0,
            spaceAfter=2,
        )
        self.card_text = ParagraphStyle(
            "CardText", parent=self.body, fontSize=size * 0.9, leading=size * 0.9 * 1.35
        )
        self.card_text.spaceAfter = 2
        self.detail = ParagraphStyle(
            "Detail",
            parent=self.body,
            fontSize=DETAIL_SIZE,
            leading=DETAIL_SIZE * 1.3,
            spaceAfter=1,
        )
        self.fill_label = ParagraphStyle("FillLabel", parent=self.body, fontName=self.bold)
        self.contents = ContentsStyle(
            self.font, self.bold, size, size * brand.line_height, self.ink, self.muted
        )
