"""A built PDF as the audit's rules read it: objects through qpdf (pikepdf), text
through PDFium (pypdfium2), neither of them the library that drew the pages.

Everything the rules share lives here: the structure tree (read once, by
`pdf_tree`), the text of each marked-content sequence, each structure element's
text, annotations and fonts. Reading only: nothing here changes a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from .expected import Source
from .pdf_tree import Element, ObjectRef, Tree, read_tree

Box = tuple[float, float, float, float]  # left, bottom, right, top

if TYPE_CHECKING:
    from .pdf_drawing import Drawing


class PdfFile:
    """One PDF, opened once for every rule; `source` is what it was built from, if known."""

    def __init__(self, path: Path, source: Source | None = None) -> None:
        self.path = path
        self.source = source
        self.pdf = pikepdf.open(path)

    def close(self) -> None:
        """Close both readers, PDFium's pages before its document: left to the garbage
        collector, a long-lived process (the preview) may still hold them at exit,
        when PDFium complains about each one."""
        for page, textpage in self.__dict__.pop("pdfium_pages", []):
            textpage.close()
            page.close()
        document = self.__dict__.pop("_pdfium", None)
        if document is not None:
            document.close()
        self.pdf.close()

    # -------------------------------------------------------------- pages

    @functools.cached_property
    def page_numbers(self) -> dict[tuple[int, int], int]:
        """A page object's (object, generation) number -> its index."""
        return {page.obj.objgen: index for index, page in enumerate(self.pdf.pages)}

    @functools.cached_property
    def _pdfium(self) -> Any:
        import pypdfium2

        return pypdfium2.PdfDocument(str(self.path))

    @functools.cached_property
    def pdfium_pages(self) -> list[tuple[Any, Any]]:
        """Each page as PDFium loads it, with its text page, loaded once for every rule
        (PDFium's handles belong to a loaded page, so they stay loaded)."""
        pages = [self._pdfium[index] for index in range(len(self._pdfium))]
        return [(page, page.get_textpage()) for page in pages]

    @functools.cached_property
    def content_streams(self) -> list[list[Any]]:
        """Each page's content stream as (operands, operator) instructions, parsed once."""
        return [list(pikepdf.parse_content_stream(page)) for page in self.pdf.pages]

    @functools.cached_property
    def drawing(self) -> Drawing:
        """What every page draws, for the layout rules; read once."""
        from .pdf_drawing import Drawing

        return Drawing(self.pdfium_pages)

    @functools.cached_property
    def page_texts(self) -> list[str]:
        """Each page's text as PDFium reads it (through each font's ToUnicode map)."""
        return [textpage.get_text_range() for _, textpage in self.pdfium_pages]

    @functools.cached_property
    def marked_text(self) -> dict[tuple[int, int], str]:
        """(page index, MCID) -> the text drawn in that marked-content sequence."""
        return self._marked[0]

    @functools.cached_property
    def marked_tops(self) -> dict[tuple[int, int], float]:
        """(page index, MCID) -> the top of the highest text drawn in that sequence, in
        the page's own units (from the bottom): where a reader sees it on the page."""
        return {key: box[3] for key, box in self._marked[1].items()}

    @functools.cached_property
    def marked_boxes(self) -> dict[tuple[int, int], tuple[float, float, float, float]]:
        """(page index, MCID) -> (left, bottom, right, top) around the text drawn in that
        sequence, in the page's own units."""
        return self._marked[1]

    @functools.cached_property
    def _marked(self) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], Box]]:
        """Each marked-content sequence's text and box, read in one pass through PDFium."""
        import pypdfium2.raw as pdfium_c

        found: dict[tuple[int, int], str] = {}
        boxes: dict[tuple[int, int], Box] = {}
        for index, (page, textpage) in enumerate(self.pdfium_pages):
            for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], textpage=textpage):
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid >= 0:
                    key = (index, mcid)
                    found[key] = found.get(key, "") + item.extract()
                    left, bottom, right, top = (float(v) for v in item.get_bounds())
                    was = boxes.get(key, (left, bottom, right, top))
                    boxes[key] = (
                        min(was[0], left),
                        min(was[1], bottom),
                        max(was[2], right),
                        max(was[3], top),
                    )
        return found, boxes

    # -------------------------------------------------------------- structure

    @functools.cached_property
    def tree(self) -> Tree:
        """The structure tree, walked once for every rule."""
        return read_tree(self.pdf, self.page_numbers)

    def elements(self) -> Iterator[Element]:
        """Every structure element, in reading order (each knows its ancestors' roles)."""
        return iter(self.tree.every)

    def standard_role(self, element: Element) -> str:
        return self.tree.standard_role(element)

    @functools.cached_property
    def written_text(self) -> dict[tuple[int, int], str]:
        """(page index, MCID) -> the characters the content stream itself writes there,
        through each font's ToUnicode map, with no spaces added between pieces (as
        PDFium adds, reading like a person): what a program reading the tags gets."""
        found: dict[tuple[int, int], str] = {}
        for index, page in enumerate(self.pdf.pages):
            resources = page.obj.get("/Resources", pikepdf.Dictionary())
            fonts = resources.get("/Font", pikepdf.Dictionary())
            maps = {str(name): _unicode_map(fonts[name]) for name in fonts.keys()}  # noqa: SIM118
            sequences: list[int | None] = []
            current: dict[int, str] = {}
            for instruction in self.content_streams[index]:
                name, operands = str(instruction.operator), instruction.operands
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                    sequences.append(int(mcid) if mcid is not None else None)
                elif name in ("BDC", "BMC"):
                    sequences.append(None)
                elif name == "EMC" and sequences:
                    sequences.pop()
                elif name == "Tf":
                    current = maps.get(str(operands[0]), {})
                elif name in ("Tj", "'", '"', "TJ") and sequences and sequences[-1] is not None:
                    pieces = operands[-1] if name == "TJ" else [operands[-1]]
                    text = "".join(
                        current.get(code, "")
                        for piece in pieces
                        if isinstance(piece, pikepdf.String)
                        for code in bytes(piece)
                    )
                    key = (index, sequences[-1])
                    found[key] = found.get(key, "") + text
        return found

    def text_of(self, element: Element, written: bool = False) -> str:
        """An element's text and its descendants', in structure order; `written` gives
        the characters as written, without the spaces a reader would add."""
        key = (element.objgen, written)
        if key not in self._texts:
            source = self.written_text if written else self.marked_text
            self._texts[key] = "".join(
                self.text_of(kid, written) if isinstance(kid, Element) else source.get(kid, "")
                for kid in element.kids
                if not isinstance(kid, ObjectRef)
            )
        return self._texts[key]

    @functools.cached_property
    def _texts(self) -> dict[tuple[tuple[int, int], bool], str]:
        """Element texts already worked out: rules ask for the same ones many times."""
        return {}

    # -------------------------------------------------------------- objects

    def annotations(self) -> Iterator[tuple[int, pikepdf.Page, Any]]:
        for number, page in enumerate(self.pdf.pages, start=1):
            for annotation in page.obj.get("/Annots", []):
                yield number, page, annotation

    def fonts(self) -> Iterator[pikepdf.Dictionary]:
        return iter(self._fonts)

    @functools.cached_property
    def _fonts(self) -> list[pikepdf.Dictionary]:
        """Every font dictionary, found in one pass over the file's objects."""
        return [
            obj
            for obj in self.pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        ]

    @functools.cached_property
    def xmp(self) -> dict[str, str]:
        """The XMP properties the rules compare, by qualified name."""
        # Not as a context manager: that would write pikepdf's name into the file.
        meta = self.pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        return {key: _xmp_text(value) for key, value in meta.items()}


def _xmp_text(value: object) -> str:
    """An XMP value as text: a one-item list (dc:creator) is its item."""
    if isinstance(value, list | set | tuple) and len(value) == 1:
        return str(next(iter(value)))
    return str(value)


def _unicode_map(font: Any) -> dict[int, str]:
    """A simple font's one-byte codes -> text, from its ToUnicode CMap."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    cmap = stream.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(text, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


HEADING_ROLES = {"H", "H1", "H2", "H3", "H4", "H5", "H6"}


def squash(text: str) -> str:
    """Text without any white space, for comparing what lines were broken differently."""
    return "".join(text.split())
