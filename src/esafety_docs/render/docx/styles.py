"""Brand fonts and colours applied to Word's built-in styles, resolved once per file.

Styles are looked up once and set by id (`ooxml.add_paragraph`), because
python-docx searches all styles on every `style=` and that search was measured
at over half of DOCX render time.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import ParagraphStyle

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


def _brand_styles(word: DocxDocument, brand: Brand) -> None:
    """Set Word's built-in styles in the brand's font and colours, and add the pack's own."""
    family = brand.font.family
    primary, ink, muted = (
        colour(brand, "primary"),
        colour(brand, "foreground"),
        colour(brand, "muted"),
    )
    ooxml.set_document_language(word, "en-GB")
    all_styles = word.styles
    normal = all_styles["Normal"]
    title = all_styles["Title"]
    subtitle = all_styles["Subtitle"]
    headings = [all_styles[f"Heading {level}"] for level in (1, 2, 3, 4)]
    number = all_styles["List Number"]
    # Room for "10." and a gap, as in the PDF: the template's 18 pt ran "10." into
    # its item's text in LibreOffice.
    label = text_width(brand.font.regular, "10.", brand.base_size) + LABEL_GAP
    ooxml.set_number_indent(word, number, round(max(18.0, label) * 20))
    header = all_styles["Header"]
    footer = all_styles["Footer"]
    for style in (normal, title, subtitle, *headings):
        ooxml.set_style_font(style, family)
    normal.font.size = Pt(brand.base_size)
    normal.font.color.rgb = ink
    normal_format = normal.paragraph_format
    normal_format.space_after = Pt(brand.base_size * 0.6)
    normal_format.line_spacing = brand.line_height * 0.85
    normal_format.widow_control = True
    title.font.color.rgb = primary
    title.font.size = Pt(30)
    title.font.bold = True
    title.paragraph_format.space_before = Pt(60)
    title.paragraph_format.space_after = Pt(12)
    ooxml.remove_paragraph_borders(title)
    subtitle.font.color.rgb = ink
    subtitle.font.italic = False
    subtitle.paragraph_format.space_after = Pt(24)
    for style, size in zip(headings, (16, 13.5, 11.5, 11), strict=True):
        style.font.color.rgb = primary
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(size)
        style.paragraph_format.space_after = Pt(size * 0.4)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.keep_together = True
    for style in (header, footer):
        # No tabs of their own: the template's centre tab, at a US Letter width,
        # sent the partnership's name onto a second line. Each header and
        # footer paragraph sets one right tab at its page's text edge.
        style.font.size = Pt(FURNITURE_SIZE)
        style.font.color.rgb = muted
        ooxml.set_style_font(style, family)
        style.paragraph_format.tab_stops.clear_all()
    link = all_styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = colour(brand, "link")
    link.font.underline = True
    address = all_styles.add_style("Printed Address", WD_STYLE_TYPE.CHARACTER)
    address.font.size = Pt(brand.base_size * 0.85)
    address.font.color.rgb = muted
    cell = _smaller_text(word, "Table Text", brand.base_size * 0.9, 2)
    # LibreOffice's tagged PDF export makes a cell whose paragraph has this
    # style a table header (TH); Word shows it as bold cell text.
    cell_heading = all_styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    cell_heading.base_style = cell
    cell_heading.font.bold = True
    _smaller_text(word, "Card Text", brand.base_size * 0.9, 2)
    _smaller_text(word, "Contact Detail", DETAIL_SIZE, 1)
    fill_in = all_styles.add_style("Fill In", WD_STYLE_TYPE.PARAGRAPH)
    fill_in.base_style = normal
    fill_in.font.bold = True
    fill_in.paragraph_format.space_before = Pt(8)
    fills = _fills(brand)
    ooxml.add_table_style(word, TABLE_STYLE, header_fill=fills["primary"], rule=fills["muted"])
    _darken_template_colours(word, primary)


def _smaller_text(word: DocxDocument, name: str, size: float, space_after: float) -> ParagraphStyle:
    """A paragraph style of Normal text at another size, closer to what follows."""
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = word.styles["Normal"]
    style.font.size = Pt(size)
    style.paragraph_format.space_after = Pt(space_after)
    return style


def _fills(brand: Brand) -> dict[str, str]:
    """Cell shading by role, as OOXML writes colours (hex, no #)."""
    return {
        role: brand.color(role).lstrip("#") for role in ("primary", "light", "background", "muted")
    }


class Styles:
    """The styles every part of a document uses, each looked up once."""

    def __init__(self, word: DocxDocument, brand: Brand) -> None:
        self.brand = brand
        self.fills = _fills(brand)
        found = word.styles
        self.normal = found["Normal"]
        self.title = found["Title"]
        self.subtitle = found["Subtitle"]
        self.headings = [found[f"Heading {level}"] for level in (1, 2, 3, 4)]
        self.bullet = found["List Bullet"]
        self.number = found["List Number"]
        self.header = found["Header"]
        self.footer = found["Footer"]
        self.link = found["Hyperlink"]
        self.address = found["Printed Address"]
        self.cell = found["Table Text"]
        self.cell_heading = found["Table Heading"]
        self.card_text = found["Card Text"]
        self.detail = found["Contact Detail"]
        self.fill_in = found["Fill In"]
        self.table = found[TABLE_STYLE]


_STYLED_TEMPLATES: dict[str, bytes] = {}  # by repr(brand)


def branded_document(brand: Brand) -> tuple[DocxDocument, Styles]:
    """A new, empty Word document in the brand's styles, and those styles.

    Styling Word's template took a third of each document's render time, so it
    is styled once per brand in each process and the styled copy reopened."""
    key = repr(brand)
    if key not in _STYLED_TEMPLATES:
        word = docx.Document()
        _brand_styles(word, brand)
        buffer = io.BytesIO()
        word.save(buffer)
        _STYLED_TEMPLATES[key] = buffer.getvalue()
    word = docx.Document(io.BytesIO(_STYLED_TEMPLATES[key]))
    return word, Styles(word, brand)


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
