"""The page: A4 templates, the running header and footer, the draft mark, and the
document template that lays a story out once and hands it to `tags.finish`.

The header is measured before it is drawn, so a long title is shortened with an
ellipsis rather than drawn over the draft mark or the partnership's name.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from ...reading.model import Pack
from ..common import DRAFT_MARK, fit_text, version_line
from .styles import Styles
from .tags import (
    NUMBER_FORM,
    NUMBER_ORIGIN,
    PAGINATION,
    Metadata,
    Tagger,
    TaggingCanvas,
    finish,
)

MARGIN = 20 * mm
SHEET_MARGIN = 13 * mm  # a one-page sheet uses more of the paper
PAGE_WIDTH, PAGE_HEIGHT = A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
SHEET_WIDTH = PAGE_WIDTH - 2 * SHEET_MARGIN
LANGUAGE = "en-GB"
FURNITURE_SIZE = 8.5


@dataclass(frozen=True)
class Rendered:
    """A finished PDF and how many pages it has."""

    data: bytes
    pages: int


@dataclass(frozen=True)
class Bookmark:
    """A heading's entry in the outline; its key names the destination links open."""

    level: int
    text: str
    key: str


class RunningTitle(Flowable):  # type: ignore[misc]
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


class PackDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Adds an outline entry and a destination for each heading as it is placed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._placed: set[str] = set()

    def afterFlowable(self, flowable: Flowable) -> None:
        bookmark: Bookmark | None = getattr(flowable, "bookmark", None)
        if bookmark is None or bookmark.key in self._placed:
            return  # not a heading, or the second part of one split across pages
        self._placed.add(bookmark.key)
        top = getattr(flowable, "drawn_top", None)
        if top is None:
            self.canv.bookmarkPage(bookmark.key)
        else:  # open at the heading itself, at the reader's own zoom
            self.canv.bookmarkPage(bookmark.key, fit="XYZ", left=0, top=round(top + 4))
        self.canv.addOutlineEntry(
            bookmark.text, bookmark.key, level=bookmark.level, closed=bookmark.level > 0
        )


def numbered_canvas(
    tagger: Tagger,
    furniture: Callable[[TaggingCanvas, int], None],
    draw_number: Callable[[Canvas, str], None],
) -> type[TaggingCanvas]:
    """A tagging canvas that draws each page's header and footer as the page ends.
    Its "Page X of Y" is a form of its own (see tags.NUMBER_FORM), which can be
    drawn before it is made: the forms are made once the last page says what Y is."""

    class NumberedCanvas(TaggingCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.tagger = tagger
            super().__init__(*args, **kwargs)
            self._pages = 0
            tagger.page = 0

        def showPage(self) -> None:
            self._pages += 1
            with self.artifact(PAGINATION):
                furniture(self, self._pages)
            super().showPage()
            tagger.page = self._pages

        def save(self) -> None:
            for page in range(1, self._pages + 1):
                # Drawn right-aligned at its origin; furniture places it.
                self.beginForm(f"{NUMBER_FORM}{page}", -200, -5, 5, 15)
                draw_number(self, f"Page {page} of {self._pages}")
                self.endForm()
            super().save()

    return NumberedCanvas


def build(
    story: list[Flowable],
    meta: Metadata,
    pack: Pack,
    styles: Styles,
    tagger: Tagger,
    first_page: str = "cover",
) -> Rendered:
    """Lay the story out once, then tag and finish the file. The first page uses the
    `first_page` template (cover or sheet); the story moves on to the others."""
    buffer = io.BytesIO()
    doc = PackDocTemplate(
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
        MARGIN,
        doc.bottomMargin,
        TEXT_WIDTH,
        PAGE_HEIGHT - doc.topMargin - doc.bottomMargin,
        id="text",
    )
    sheet = Frame(
        SHEET_MARGIN,
        doc.bottomMargin - 4 * mm,
        SHEET_WIDTH,
        PAGE_HEIGHT - SHEET_MARGIN - doc.bottomMargin + 4 * mm,
        id="sheet",
    )
    templates = [
        PageTemplate("cover", frames=[frame], onPage=_mark("cover")),
        PageTemplate("sheet", frames=[sheet], onPage=_mark("sheet")),
        PageTemplate("content", frames=[frame], onPage=_mark("content")),
    ]
    templates.sort(key=lambda template: template.id != first_page)
    doc.addPageTemplates(templates)
    canvasmaker = numbered_canvas(
        tagger,
        lambda canv, number: furniture(canv, number, pack, styles),
        lambda canv, text: number_text(canv, styles, text),
    )
    doc.build(story, canvasmaker=canvasmaker)
    return Rendered(finish(buffer.getvalue(), tagger, meta), doc.page)


def _mark(kind: str) -> Callable[[TaggingCanvas, BaseDocTemplate], None]:
    """Remember which kind of page is being drawn, for its furniture."""

    def on_page(canv: TaggingCanvas, doc: BaseDocTemplate) -> None:
        canv._page_kind = kind
        if kind == "content":
            canv.showOutline()

    return on_page


def furniture(canv: TaggingCanvas, number: int, pack: Pack, styles: Styles) -> None:
    """Running header and footer: document title, version and date, 'Page X of Y'."""
    brand = styles.brand
    kind = getattr(canv, "_page_kind", "content")
    draft = getattr(canv, "_draft", False)
    left, right = (
        (SHEET_MARGIN, PAGE_WIDTH - SHEET_MARGIN)
        if kind == "sheet"
        else (
            MARGIN,
            PAGE_WIDTH - MARGIN,
        )
    )
    canv.saveState()
    canv.setFillColor(styles.muted)
    canv.setStrokeColor(styles.muted)
    canv.setLineWidth(0.5)
    top = PAGE_HEIGHT - MARGIN
    if kind == "content":
        right_edge = right - stringWidth(brand.short_name, styles.font, FURNITURE_SIZE)
        if draft:
            right_edge -= stringWidth(DRAFT_MARK, styles.bold, 10) + 10
        title = getattr(canv, "_running_title", pack.title)
        title = fit_text(
            title, right_edge - left - 18, lambda t: stringWidth(t, styles.font, FURNITURE_SIZE)
        )
        canv.setFont(styles.font, FURNITURE_SIZE)
        canv.drawString(left, top, title)
        canv.drawRightString(right, top, brand.short_name)
        canv.line(left, top - 3 * mm, right, top - 3 * mm)
    if draft:
        _draft_mark(canv, styles, kind, right)
    bottom = MARGIN - 2 * mm
    canv.setFillColor(styles.muted)
    canv.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
    canv.setFont(styles.font, FURNITURE_SIZE)
    canv.drawString(left, bottom, brand.footer)
    canv.drawString(left, bottom - 4 * mm, version_line(pack))
    canv.saveState()
    canv.translate(right, bottom)
    canv.doForm(f"{NUMBER_FORM}{number}")  # "Page X of Y"
    canv.restoreState()
    canv.restoreState()


def page_numbers(total: int, styles: Styles) -> bytes:
    """A PDF of `total` pages, page X showing "Page X of <total>" right-aligned at
    NUMBER_ORIGIN: each becomes the number form of one page of a combined pack (see
    `tags.renumber_pages`)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=styles.font)
    for number in range(1, total + 1):
        canvas.saveState()
        canvas.translate(*NUMBER_ORIGIN)
        number_text(canvas, styles, f"Page {number} of {total}")
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def number_text(canvas: Canvas, styles: Styles, text: str) -> None:
    """A page number as the footer shows it, ending at the origin."""
    canvas.setFillColor(styles.muted)
    canvas.setFont(styles.font, FURNITURE_SIZE)
    canvas.drawRightString(0, 0, text)


def _draft_mark(canv: TaggingCanvas, styles: Styles, kind: str, right: float) -> None:
    """DRAFT in the header (beside the partnership's name, or alone at the top of a
    cover or sheet), and faintly across the page, on every page of a draft."""
    canv.setFillColor(styles.primary)
    canv.setFont(styles.bold, 10)
    top = PAGE_HEIGHT - MARGIN
    if kind == "content":
        gap = stringWidth(styles.brand.short_name, styles.font, FURNITURE_SIZE) + 10
        canv.drawRightString(right - gap, top, DRAFT_MARK)
    else:
        canv.drawRightString(right, PAGE_HEIGHT - SHEET_MARGIN + 2 * mm, DRAFT_MARK)
    canv.saveState()
    canv.setFillAlpha(0.08)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(50)
    canv.setFont(styles.bold, 110)
    canv.drawCentredString(0, -40, DRAFT_MARK)
    canv.restoreState()
