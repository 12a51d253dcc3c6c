"""What each page of a PDF draws, read back with PDFium: pieces of text with their
boxes, sizes, colours and weights, filled shapes, pictures, and which text is
page furniture. Any PDF will do (ours, LibreOffice's, a browser's), so the
layout rules judge the page a reader sees, not what a renderer meant to draw.

PDFium makes one text object per text-showing operator: a piece of one line in
one font, size and colour (a `Run`). Reading runs rather than characters keeps
this fast; characters are read only where two runs overlap (`glyphs`).
"""

from __future__ import annotations

import ctypes
import functools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pypdfium2
import pypdfium2.raw as pdfium

# Furniture found by position (in PDFs without artifact marks) lies in the outer
# eighth of the page and comes back at the same height on another page.
MARGIN_SHARE = 1 / 8
SAME_HEIGHT = 3.0  # points
# A watermark: rotated text, or text this many times the body size drawn faint.
WATERMARK_SIZE = 2.5
# A word continues into the next run when the gap is under this share of the size.
WORD_GAP = 0.25
BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold", re.IGNORECASE)
FILL_STROKE = 2  # text rendering mode that thickens glyphs (fake bold)
INVISIBLE = 3  # text rendering mode of text nobody sees (OCR layers)
LINE_END_HYPHEN = "\x02"  # how PDFium gives a hyphen that ends a line


class Box(NamedTuple):
    """A rectangle in page space: x grows to the right, y grows upwards."""

    left: float
    bottom: float
    right: float
    top: float

    def overlap(self, other: Box) -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.top, other.top) - max(self.bottom, other.bottom)
        return width * height if width > 0 and height > 0 else 0.0

    def area(self) -> float:
        return max(self.right - self.left, 0.0) * max(self.top - self.bottom, 0.0)

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


RGBA = tuple[int, int, int, int]
RGB = tuple[float, float, float]


def blend(colour: RGBA, under: RGB) -> RGB:
    """A colour painted with its opacity over another."""
    alpha = colour[3] / 255
    r, g, b = (c * alpha + u * (1 - alpha) for c, u in zip(colour[:3], under, strict=True))
    return (r, g, b)


@dataclass(slots=True)
class Run:
    """One piece of text drawn by one operator: part of one line."""

    text: str
    box: Box
    baseline: float
    size: float  # the size it is seen at, in points
    colour: RGBA
    bold: bool
    upright: bool
    order: int  # drawing order on its page
    mcid: int  # -1 outside marked content
    artifact: bool
    handle: int  # PDFium's object address, to find its characters
    furniture: bool = False
    watermark: bool = False
    off_page: bool = False  # drawn where no reader can see it

    @property
    def body(self) -> bool:
        """Text of the document itself: not furniture, not a watermark, not blank."""
        return not (self.furniture or self.watermark or self.off_page) and bool(self.text.strip())


class Fill(NamedTuple):
    """A filled shape, taken as its bounding box, in drawing order."""

    box: Box
    colour: RGBA
    order: int


class Picture(NamedTuple):
    """An image, in drawing order; an artifact is decoration, not content."""

    box: Box
    order: int
    artifact: bool


@dataclass(slots=True)
class Line:
    """Runs of the document's own text on one baseline, across the whole page
    (table cells side by side make one line), left to right."""

    runs: list[Run]
    text: str
    box: Box
    size: float
    bold: bool

    @property
    def words(self) -> list[str]:
        """Words, leaving out list bullets and other marks that are not words."""
        return [w for w in self.text.split() if any(ch.isalnum() for ch in w)]


@dataclass(slots=True)
class DrawnPage:
    number: int  # from 1
    box: Box
    runs: list[Run]
    fills: list[Fill]
    pictures: list[Picture]
    lines: list[Line] = field(default_factory=list)  # top to bottom

    @property
    def body_runs(self) -> list[Run]:
        return [run for run in self.runs if run.body]

    def content_box(self) -> Box | None:
        """Where the document's own text and pictures are on this page."""
        shown = [p.box for p in self.pictures if not p.artifact and self.box.overlap(p.box)]
        boxes = [line.box for line in self.lines] + shown
        if not boxes:
            return None
        return Box(
            min(b.left for b in boxes),
            min(b.bottom for b in boxes),
            max(b.right for b in boxes),
            max(b.top for b in boxes),
        )


class Glyph(NamedTuple):
    char: str
    box: Box
    run: Run
    word: int  # characters of one word share this number


class Drawing:
    """Every page of one PDF as drawn, with furniture and watermarks marked."""

    def __init__(self, pages: list[tuple[pypdfium2.PdfPage, pypdfium2.PdfTextPage]]) -> None:
        # PDFium's handles belong to a loaded page: the caller keeps each page (and
        # its text page) loaded, so `glyphs` can find the runs its characters belong to.
        self._textpages = [textpage for _, textpage in pages]
        self.pages = [
            _read_page(page, textpage, number)
            for number, (page, textpage) in enumerate(pages, start=1)
        ]
        self.marks_artifacts = any(run.artifact for page in self.pages for run in page.runs)
        for page in self.pages:
            for run in page.runs:
                run.watermark = not run.upright
                run.off_page = not page.box.overlap(run.box)
        if self.marks_artifacts:
            for page in self.pages:
                for run in page.runs:
                    run.furniture = run.artifact
        else:
            _furniture_by_position(self.pages)
        self.body_size = _commonest_size(self.pages)
        for page in self.pages:
            for run in page.runs:
                if run.size >= WATERMARK_SIZE * self.body_size and _faint(run.colour):
                    run.watermark = True
            page.lines = lines_of(page.body_runs)

    def glyphs(self, page: DrawnPage, runs: list[Run]) -> list[Glyph]:
        """Each character of these runs with its own box, numbered by word: a
        word ends at a space, or where the next run does not follow on."""
        wanted = {run.handle: run for run in runs}
        textpage = self._textpages[page.number - 1]
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        found: list[Glyph] = []
        word, previous = 0, None
        for index in range(pdfium.FPDFText_CountChars(textpage.raw)):
            run = wanted.get(_address(pdfium.FPDFText_GetTextObject(textpage.raw, index)))
            char = chr(pdfium.FPDFText_GetUnicode(textpage.raw, index)) if run else " "
            if run is None or char.isspace() or pdfium.FPDFText_IsGenerated(textpage.raw, index):
                word += 1
                previous = None
                continue
            pdfium.FPDFText_GetCharBox(
                textpage.raw, index, *(ctypes.byref(v) for v in (left, right, bottom, top))
            )
            box = Box(left.value, bottom.value, right.value, top.value)
            if previous is not None and previous.run is not run and not _follows(previous, box):
                word += 1
            glyph = Glyph(char, box, run, word)
            found.append(glyph)
            previous = glyph
        return found


def lines_of(runs: list[Run]) -> list[Line]:
    """Group runs into lines by baseline, top line first."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -r.baseline):
        if lines and abs(lines[-1][0].baseline - run.baseline) <= 0.3 * min(
            run.size, lines[-1][0].size
        ):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [line_of(group) for group in lines]


def line_of(runs: list[Run]) -> Line:
    """Runs on one baseline as a line, left to right, a space where words part."""
    runs = sorted(runs, key=lambda r: r.box.left)
    text = ""
    for before, run in zip([None, *runs], runs, strict=False):
        if before is not None and (
            run.box.left - before.box.right > WORD_GAP * run.size
            or before.text[-1:].isspace()
            or run.text[:1].isspace()
        ):
            text += " "
        text += run.text.strip()
    words = [r for r in runs if r.text.strip()]
    return Line(
        runs,
        text,
        Box(
            min(r.box.left for r in runs),
            min(r.box.bottom for r in runs),
            max(r.box.right for r in runs),
            max(r.box.top for r in runs),
        ),
        max(r.size for r in runs),
        all(r.bold for r in words),
    )


def reading_stream(pages: list[DrawnPage]) -> Iterator[tuple[int, list[Run]]]:
    """The document's own text in drawing order, one line at a time with its page
    number: a new line starts where the next run leaves the baseline or goes
    back to the left."""
    for page in pages:
        current: list[Run] = []
        for run in sorted(page.body_runs, key=lambda r: r.order):
            if current:
                last = current[-1]
                moved = abs(last.baseline - run.baseline) > 0.3 * min(run.size, last.size)
                if moved or run.box.left < last.box.left - 1:
                    yield page.number, current
                    current = []
            current.append(run)
        if current:
            yield page.number, current


def _follows(previous: Glyph, box: Box) -> bool:
    """True when a character in a new run continues the word before it."""
    size = previous.run.size
    same_line = abs(previous.box.bottom - box.bottom) < 0.5 * size
    return same_line and -0.5 * size <= box.left - previous.box.right <= WORD_GAP * size


def _faint(colour: RGBA) -> bool:
    """Hard to see on white: partly transparent, or below 3:1 against white."""
    from ..reading.colours import contrast_ratio

    return colour[3] < 255 or contrast_ratio(hex_colour(colour), "#FFFFFF") < 3


def hex_colour(colour: RGBA | RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*(round(c) for c in colour[:3]))


def _commonest_size(pages: list[DrawnPage]) -> float:
    """The size most of the document's own characters are set in (its body text)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for run in page.runs:
            if not (run.furniture or run.watermark or run.off_page):
                sizes[round(run.size, 1)] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _furniture_by_position(pages: list[DrawnPage]) -> None:
    """Without artifact marks, running headers and footers are the lines in the
    top or bottom margin that come back at the same height on another page
    (page numbers aside)."""
    found: list[tuple[DrawnPage, Line, str]] = []
    for page in pages:
        height = page.box.top - page.box.bottom
        upper = page.box.top - MARGIN_SHARE * height
        lower = page.box.bottom + MARGIN_SHARE * height
        for line in lines_of([r for r in page.runs if r.upright and r.text.strip()]):
            if line.box.bottom >= upper or line.box.top <= lower:
                found.append((page, line, re.sub(r"\d+", "#", "".join(line.text.split()))))
    for page, line, key in found:
        baseline = line.runs[0].baseline
        if any(
            other is not page
            and other_key == key
            and abs(o.runs[0].baseline - baseline) < SAME_HEIGHT
            for other, o, other_key in found
        ):
            for run in line.runs:
                run.furniture = True


# ------------------------------------------------------------------ PDFium


def _read_page(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage, number: int) -> DrawnPage:
    runs: list[Run] = []
    fills: list[Fill] = []
    pictures: list[Picture] = []
    fonts: dict[int, bool] = {}
    for order, (obj, matrix) in enumerate(_objects(page.raw)):
        kind = pdfium.FPDFPageObj_GetType(obj)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            run = _run(obj, matrix, textpage.raw, order, fonts)
            if run is not None:
                runs.append(run)
        elif kind == pdfium.FPDF_PAGEOBJ_PATH:
            fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
            pdfium.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
            colour = _colour(pdfium.FPDFPageObj_GetFillColor, obj)
            if fill_mode.value and colour is not None and colour[3]:
                fills.append(Fill(_bounds(obj, matrix), colour, order))
        elif kind == pdfium.FPDF_PAGEOBJ_IMAGE:
            artifact = "Artifact" in _marks(obj)
            pictures.append(Picture(_bounds(obj, matrix), order, artifact))
    return DrawnPage(number, Box(*page.get_bbox()), runs, fills, pictures)


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _objects(page: Any) -> Iterator[tuple[Any, Matrix]]:
    """Every object on the page in drawing order, inside form XObjects too, each
    with the matrix that takes its form's space to the page."""

    def walk(count: int, get: Any, matrix: Matrix) -> Iterator[tuple[Any, Matrix]]:
        for i in range(count):
            obj = get(i)
            if pdfium.FPDFPageObj_GetType(obj) == pdfium.FPDF_PAGEOBJ_FORM:
                inner = _multiply(_matrix(obj), matrix)
                yield from walk(
                    pdfium.FPDFFormObj_CountObjects(obj),
                    functools.partial(pdfium.FPDFFormObj_GetObject, obj),
                    inner,
                )
            else:
                yield obj, matrix

    return walk(
        pdfium.FPDFPage_CountObjects(page),
        functools.partial(pdfium.FPDFPage_GetObject, page),
        IDENTITY,
    )


def _run(obj: Any, form: Matrix, textpage: Any, order: int, fonts: dict[int, bool]) -> Run | None:
    mode = pdfium.FPDFTextObj_GetTextRenderMode(obj)
    if mode == INVISIBLE or mode >= 7:
        return None
    size = ctypes.c_float()
    pdfium.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    a, b, c, d, _, f = _multiply(_matrix(obj), form)
    scale = math.sqrt(abs(a * d - b * c))
    getter = pdfium.FPDFPageObj_GetStrokeColor if mode == 1 else pdfium.FPDFPageObj_GetFillColor
    colour = _colour(getter, obj) or (0, 0, 0, 255)
    font = pdfium.FPDFTextObj_GetFont(obj)
    key = _address(font)
    if key not in fonts:
        fonts[key] = _bold_font(font)
    return Run(
        text=_text(obj, textpage),
        box=_bounds(obj, form),
        baseline=f,
        size=size.value * scale,
        colour=colour,
        bold=fonts[key] or mode == FILL_STROKE,
        upright=abs(b) < 0.01 * abs(a) and abs(c) < 0.01 * abs(d) and a > 0 and d > 0,
        order=order,
        mcid=pdfium.FPDFPageObj_GetMarkedContentID(obj),
        artifact="Artifact" in _marks(obj),
        handle=_address(obj),
    )


def _bold_font(font: Any) -> bool:
    if not font:
        return False
    if pdfium.FPDFFont_GetWeight(font) >= 600:
        return True
    buffer = ctypes.create_string_buffer(256)
    length = pdfium.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    return bool(BOLD_NAME.search(buffer.raw[: max(length - 1, 0)].decode("latin-1")))


def _text(obj: Any, textpage: Any) -> str:
    length = pdfium.FPDFTextObj_GetText(obj, textpage, None, 0)
    if length <= 2:
        return ""
    buffer = (ctypes.c_ushort * length)()
    pdfium.FPDFTextObj_GetText(obj, textpage, buffer, length)
    text = bytes(buffer).decode("utf-16-le", errors="replace").rstrip("\x00")
    return text.replace(LINE_END_HYPHEN, "-")


def _marks(obj: Any) -> list[str]:
    names = []
    for index in range(pdfium.FPDFPageObj_CountMarks(obj)):
        mark = pdfium.FPDFPageObj_GetMark(obj, index)
        buffer = (ctypes.c_ushort * 64)()
        length = ctypes.c_ulong()
        if pdfium.FPDFPageObjMark_GetName(mark, buffer, ctypes.sizeof(buffer), length):
            names.append(bytes(buffer)[: length.value].decode("utf-16-le").rstrip("\x00"))
    return names


def _colour(getter: Any, obj: Any) -> RGBA | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, *(ctypes.byref(v) for v in (r, g, b, a))):
        return None
    return (r.value, g.value, b.value, a.value)


def _matrix(obj: Any) -> Matrix:
    matrix = pdfium.FS_MATRIX()
    if not pdfium.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies `first`, then `then` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    A, B, C, D, E, F = then
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _bounds(obj: Any, form: Matrix) -> Box:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top)))
    corners = [(x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
    if form != IDENTITY:
        a, b, c, d, e, f = form
        corners = [(a * x + c * y + e, b * x + d * y + f) for x, y in corners]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0
