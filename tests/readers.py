"""Independent readers of the outputs: none of these libraries wrote the files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import mammoth
import pikepdf
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# mammoth ignores Word's Title style unless told what it is.
_STYLE_MAP = "p[style-name='Title'] => p.title:fresh"


def docx_html(path: Path) -> str:
    """The DOCX as mammoth's semantic HTML (headings, lists, tables, links), images dropped."""
    with path.open("rb") as handle:
        html = mammoth.convert_to_html(handle, style_map=_STYLE_MAP).value
    return re.sub(r'src="data:[^"]*"', 'src=""', html)


def html_tags(html: str, tag: str) -> list[str]:
    """The text inside every <tag> element of a small HTML string, tags stripped."""
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, flags=re.S)
    return [unescape_html(re.sub(r"<[^>]+>", "", item)) for item in found]


def unescape_html(text: str) -> str:
    import html

    return html.unescape(text)


def docx_part(path: Path, name: str) -> ElementTree.Element:
    """One XML part of a DOCX, parsed straight from the zip."""
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read(name))


def docx_part_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def pdf_pages_text(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def pdf_outline(path: Path) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order, as pypdf reads the outline."""
    reader = PdfReader(path)
    flat: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                flat.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return flat


STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(base font name, embedded?) for every font object anywhere in the file (pikepdf)."""
    fonts = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                descriptor = obj.get("/FontDescriptor")
                if obj.get("/Subtype") == "/Type0":
                    descriptor = obj["/DescendantFonts"][0].get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                fonts.append((str(obj.get("/BaseFont")), embedded))
    return fonts
