"""Independent readers of the outputs: none of these libraries wrote the files."""

from __future__ import annotations

import copy
import functools
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar
from xml.etree import ElementTree

import mammoth
import pikepdf
import yaml
from pypdf import PdfReader

T = TypeVar("T")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# mammoth ignores Word's Title style unless told what it is.
_STYLE_MAP = "p[style-name='Title'] => p.title:fresh"


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML without its YAML 1.1 timestamps, so 2026-11-28 stays a string."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def yaml_as_editors_read(text: str) -> Any:
    """A source as yaml-language-server (YAML 1.2) sees it when it checks the schema."""
    return yaml.load(text, Loader=_Yaml12Loader)


def _by_content(read: Callable[[Path], T]) -> Callable[[Path], T]:
    """`read`, remembered for each file as it is (its size and time of change): many
    tests read the same shared pack, which no test may change. Callers get a copy of
    a list they could change."""
    seen: dict[tuple[str, int, int], T] = {}

    @functools.wraps(read)
    def remembered(path: Path) -> T:
        status = path.stat()
        key = (str(path.resolve()), status.st_size, status.st_mtime_ns)
        if key not in seen:
            seen[key] = read(path)
        found = seen[key]
        return copy.copy(found)

    return remembered


@_by_content
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


@_by_content
def pdf_pages_text(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


@_by_content
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


class PageOutline(HTMLParser):
    """What a stdlib HTML parser (not the writer, not a browser) sees in a page:
    headings in order, table header scopes, link targets, every tag and src."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.scopes: list[str | None] = []
        self.hrefs: list[str] = []
        self.sources: list[str] = []
        self.tags: list[str] = []
        self.lang: str | None = None
        self.text: list[str] = []
        self._heading: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = found.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))
        if tag == "th":
            self.scopes.append(found.get("scope"))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        for key in ("src", "srcset", "data"):
            if found.get(key):
                self.sources.append(str(found[key]))
        if tag == "link" and found.get("href"):
            self.sources.append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, " ".join((text + data).split()))


def html_outline(path: Path) -> PageOutline:
    parser = PageOutline()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser
