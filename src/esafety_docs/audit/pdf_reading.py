"""A built PDF as the audit's rules read it: objects through qpdf (pikepdf), text
through PDFium (pypdfium2), neither of them the library that drew the pages.

Everything the rules share lives here: walking the structure tree, the text of
each marked-content sequence, each structure element's text, annotations and
fonts. Reading only: nothing here changes a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from .expected import Source

Box = tuple[float, float, float, float]  # left, bottom, right, top

if TYPE_CHECKING:
    from .pdf_drawing import Drawing

Element = pikepdf.Dictionary


class PdfFile:
    """One PDF, opened once for every rule; `source` is what it was built from, if known."""

    def __init__(self, path: Path, source: Source | None = None) -> None:
        self.path = path
        self.source = source
        self.pdf = pikepdf.open(path)

    def close(self) -> None:
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

    def elements(self) -> Iterator[tuple[Element, list[str]]]:
        """Every structure element with the roles of its ancestors, in reading order."""
        return iter(self._elements)

    @functools.cached_property
    def _elements(self) -> list[tuple[Element, list[str]]]:
        """The structure tree walked once: a dozen rules read it."""
        root = self.pdf.Root.get("/StructTreeRoot")
        if root is None or "/K" not in root:
            return []

        def walk(kids: object, path: list[str]) -> Iterator[tuple[Element, list[str]]]:
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    yield kid, path
                    if "/K" in kid:
                        yield from walk(kid.K, [*path, role(kid)])

        return list(walk(root.K, []))

    def standard_role(self, element: Element) -> str:
        """The element's role as a standard one, through the file's role map (which
        may chain: a few steps, never for ever)."""
        name = role(element)
        for _ in range(10):
            mapped = self._role_map.get("/" + name)
            if mapped is None:
                break
            name = str(mapped)[1:]
        return name

    @functools.cached_property
    def _role_map(self) -> Any:
        root = self.pdf.Root.get("/StructTreeRoot")
        return root.get("/RoleMap", {}) if isinstance(root, pikepdf.Dictionary) else {}

    def marked_content(self, element: Element) -> Iterator[tuple[int, int]]:
        """(page index, MCID) of each sequence an element owns directly, in order."""
        for kid in kids(element):
            key = self.sequence_of(element, kid)
            if key is not None:
                yield key

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
            self._texts[key] = self._text_of(element, written)
        return self._texts[key]

    @functools.cached_property
    def _texts(self) -> dict[tuple[tuple[int, int], bool], str]:
        """Element texts already worked out: rules ask for the same ones many times."""
        return {}

    def _text_of(self, element: Element, written: bool) -> str:
        source = self.written_text if written else self.marked_text
        parts = []
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                parts.append(self.text_of(kid, written))
            else:
                key = self.sequence_of(element, kid)
                if key is not None:
                    parts.append(source.get(key, ""))
        return "".join(parts)

    def sequence_of(self, element: Element, kid: Any) -> tuple[int, int] | None:
        """The (page index, MCID) a kid of /K points at, if it is marked content."""
        if isinstance(kid, int):
            page, mcid = element.get("/Pg"), kid
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            page, mcid = kid.get("/Pg", element.get("/Pg")), int(kid.MCID)
        else:
            return None
        return None if page is None else (self.page_numbers.get(page.objgen, -1), mcid)

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


def role(element: Element) -> str:
    return str(element.S)[1:]


def kids(element: Element) -> list[Any]:
    """An element's /K as a list (it may be one object, or absent)."""
    value = element.get("/K")
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [int(k) if isinstance(k, int) else k for k in value]
    return [int(value) if isinstance(value, int) else value]


def kid_roles(element: Element) -> list[str]:
    return [role(k) for k in kids(element) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def squash(text: str) -> str:
    """Text without any white space, for comparing what lines were broken differently."""
    return "".join(text.split())
