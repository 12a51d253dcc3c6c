"""Brand fonts and colours applied to Word's built-in styles, resolved once per file.

Styles are looked up once and set by id (`ooxml.add_paragraph`), because
python-docx searches all styles on every `style=` and that search was measured
at over half of DOCX render time.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Emu, Pt, RGBColor

from ...reading.brand import Brand
from ...reading.colours import contrast_ratio
from ..common import LABEL_GAP
from ..measure import text_width
from . import ooxml

TABLE_STYLE = "Pack Table"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN)
SHEET_MARGIN = Cm(1.4)
SHEET_WIDTH = Emu(PAGE_WIDTH - 2 * SHEET_MARGIN)
DETAIL_SIZE = 12  # contact details are read from a metre away
FURNITURE_SIZE = 8.5


def colour(brand: Brand, role: str) -> RGBColor:
    return RGBColor.from_string(brand.color(role).lstrip("#"))


class Styles:
    """The styles every part of a document uses, each resolved once."""

    def __init__(self, word: DocxDocument, brand: Brand) -> None:
        self.brand = brand
        family = brand.font.family
        primary, ink, muted = (
            colour(brand, "primary"),
            colour(brand, "foreground"),
            colour(brand, "muted"),
        )
        self.fills = {
            role: brand.color(role).lstrip("#")
            for role in ("primary", "light", "background", "muted")
        }
        ooxml.set_document_language(word, "en-GB")
        all_styles = word.styles
        self.normal = all_styles["Normal"]
        self.title = all_styles["Title"]
        self.subtitle = all_styles["Subtitle"]
        self.headings = [all_styles[f"Heading {level}"] for level in (1, 2, 3, 4)]
        self.bullet = all_styles["List Bullet"]
        self.number = all_styles["List Number"]
        # Room for "10." and a gap, as in the PDF: the template's 18 pt ran "10." into
        # its item's text in LibreOffice.
        label = text_width(brand.font.regular, "10.", brand.base_size) + LABEL_GAP
        ooxml.set_number_indent(word, self.number, round(max(18.0, label) * 20))
        self.header = all_styles["Header"]
        self.footer = all_styles["Footer"]
        for style in (self.normal, self.title, self.subtitle, *self.headings):
            ooxml.set_style_font(style, family)
        self.normal.font.size = Pt(brand.base_size)
        self.normal.font.color.rgb = ink
        normal_format = self.normal.paragraph_format
        normal_format.space_after = Pt(brand.base_size * 0.6)
        normal_format.line_spacing = brand.line_height * 0.85
        normal_format.widow_control = True
        self.title.font.color.rgb = primary
        self.title.font.size = Pt(30)
        self.title.font.bold = True
        self.title.paragraph_format.space_before = Pt(60)
        self.title.paragraph_format.space_after = Pt(12)
        ooxml.remove_paragraph_borders(self.title)
        self.subtitle.font.color.rgb = ink
        self.subtitle.font.italic = False
        self.subtitle.paragraph_format.space_after = Pt(24)
        for style, size in zip(self.headings, (16, 13.5, 11.5, 11), strict=True):
            style.font.color.rgb = primary
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.paragraph_format.space_before = Pt(size)
            style.paragraph_format.space_after = Pt(size * 0.4)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.keep_together = True
        for style in (self.header, self.footer):
            # No tabs of their own: the template's centre tab, at a US Letter width,
            # sent the partnership's name onto a second line. Each header and
            # footer paragraph sets one right tab at its page's text edge.
            style.font.size = Pt(FURNITURE_SIZE)
            style.font.color.rgb = muted
            ooxml.set_style_font(style, family)
            style.paragraph_format.tab_stops.clear_all()
        self.link = all_styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        self.link.font.color.rgb = colour(brand, "link")
        self.link.font.underline = True
        self.address = all_styles.add_style("Printed Address", WD_STYLE_TYPE.CHARACTER)
        self.address.font.size = Pt(brand.base_size * 0.85)
        self.address.font.color.rgb = muted
        self.cell = all_styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        self.cell.base_style = self.normal
        self.cell.font.size = Pt(brand.base_size * 0.9)
        self.cell.paragraph_format.space_after = Pt(2)
        # LibreOffice's tagged PDF export makes a cell whose paragraph has this
        # style a table header (TH); Word shows it as bold cell text.
        self.cell_heading = all_styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
        self.cell_heading.base_style = self.cell
        self.cell_heading.font.bold = True
        self.card_text = all_styles.add_style("Card Text", WD_STYLE_TYPE.PARAGRAPH)
        self.card_text.base_style = self.normal
        self.card_text.font.size = Pt(brand.base_size * 0.9)
        self.card_text.paragraph_format.space_after = Pt(2)
        self.detail = all_styles.add_style("Contact Detail", WD_STYLE_TYPE.PARAGRAPH)
        self.detail.base_style = self.normal
        self.detail.font.size = Pt(DETAIL_SIZE)
        self.detail.paragraph_format.space_after = Pt(1)
        self.fill_in = all_styles.add_style("Fill In", WD_STYLE_TYPE.PARAGRAPH)
        self.fill_in.base_style = self.normal
        self.fill_in.font.bold = True
        self.fill_in.paragraph_format.space_before = Pt(8)
        ooxml.add_table_style(
            word,
            TABLE_STYLE,
            header_fill=self.fills["primary"],
            rule=self.fills["muted"],
        )
        self.table = all_styles[TABLE_STYLE]
        _darken_template_colours(word, primary)


def _darken_template_colours(word: DocxDocument, primary: RGBColor) -> None:
    """The template's other styles (Heading 5-9, linked character styles, a hundred
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
