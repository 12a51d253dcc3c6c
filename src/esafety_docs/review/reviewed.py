"""Reads a review copy back as Word or LibreOffice saved it: the one place that
reads a reviewed file's WordprocessingML.

Each body paragraph becomes pieces of text with their formatting and, where a
reviewer tracked changes, whether the piece was inserted or deleted and by whom.
The hidden bookmarks say which paragraph is which; comments keep their author,
their words and the text they are attached to.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .manifest import MARK_PREFIX, Manifest, from_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .doc, or an encrypted .docx
ADDRESS_STYLE = "Printed Address"  # the character style of the addresses the pack prints
_OFF = ("0", "false", "off", "none")


class ReviewError(Exception):
    """A file that cannot be imported, with what to do about it."""


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    url: str = ""


@dataclass(frozen=True)
class Piece:
    """A stretch of text with one formatting and one tracked change (or none)."""

    text: str
    style: Style = Style()
    change: str = ""  # "", "ins" or "del"
    author: str = ""
    generated: bool = False  # a printed address: the pack adds it, the source does not hold it


@dataclass
class ReadParagraph:
    pieces: list[Piece] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # the review bookmarks it lies in
    mark_change: str = ""  # "ins": a tracked new paragraph break; "del": paragraphs joined
    mark_author: str = ""
    comments: list[str] = field(default_factory=list)  # ids of comments anchored here
    formatting_changed: bool = False  # a tracked change of bold, italic or style


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchored: str  # the words it is attached to


@dataclass
class Reviewed:
    manifest: Manifest
    paragraphs: list[ReadParagraph]
    comments: list[Comment]
    furniture: dict[str, list[Piece]]  # header/footer part -> its pieces


Accept = Callable[[Piece], bool]


def view(pieces: Iterable[Piece], accept: Accept) -> list[Piece]:
    """The pieces as they read once the accepted changes are taken and the rest undone."""
    kept = []
    for piece in pieces:
        if piece.change == "ins" and not accept(piece):
            continue
        if piece.change == "del" and accept(piece):
            continue
        kept.append(piece)
    return kept


def words(pieces: Iterable[Piece]) -> str:
    """The source's words of some pieces: printed addresses left out, spaces as printed."""
    return " ".join("".join(p.text for p in pieces if not p.generated).split())


def open_review(path: Path) -> Reviewed:
    """The review copy at `path`; ReviewError says plainly what is wrong with the file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReviewError(f"{path} cannot be read: {error.strerror or error}") from None
    if data.startswith(_CFB):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ReviewError(
                f"{path.name} is protected with a password, so it cannot be read. Open it in "
                "Word, remove the password (File > Info > Protect Document > Encrypt with "
                "Password, then clear it) and save it again as .docx"
            )
        raise ReviewError(
            f"{path.name} is an old-style Word file (.doc). Open it in Word or LibreOffice "
            "and save it as a Word document (.docx), then import that"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _reviewed(path, archive)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, EOFError, OSError):
        raise ReviewError(
            f"{path.name} is damaged or not a Word document: it cannot be opened as a .docx. "
            "If Word or LibreOffice can still open it, save it again as .docx and import that"
        ) from None


def _reviewed(path: Path, archive: zipfile.ZipFile) -> Reviewed:
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise ReviewError(f"{path.name} is not a Word document (.docx)")
    manifest = _manifest(archive, names)
    if manifest is None:
        raise ReviewError(
            f"{path.name} is not a review copy: it does not say where its text came "
            "from. Import only the files `esafety-docs review export` makes (in "
            "dist/review/), after they have been reviewed"
        )
    styles = _address_styles(archive.read("word/styles.xml") if "word/styles.xml" in names else b"")
    links = _links(archive, "word/_rels/document.xml.rels", names)
    reader = _read(_parse(archive.read("word/document.xml")), styles, links)
    comments = _comments(archive, names, reader.comment_text)
    furniture = {
        name: [
            p
            for para in _read(_parse(archive.read(name)), styles, {}).paragraphs
            for p in para.pieces
        ]
        for name in sorted(names)
        if name.startswith(("word/header", "word/footer")) and name.endswith(".xml")
    }
    return Reviewed(manifest, reader.paragraphs, comments, furniture)


def _parse(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=False))


def _manifest(archive: zipfile.ZipFile, names: set[str]) -> Manifest | None:
    for name in sorted(names):
        if name.startswith("customXml/item") and "Props" not in name and name.endswith(".xml"):
            found = from_xml(archive.read(name))
            if found is not None:
                return found
    return None


def _address_styles(styles_xml: bytes) -> set[str]:
    """The ids of the printed-address character style (programs may renumber ids)."""
    if not styles_xml:
        return set()
    found = set()
    for style in _parse(styles_xml).iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None and name.get(f"{W}val") == ADDRESS_STYLE:
            found.add(style.get(f"{W}styleId", ""))
    return found


def _links(archive: zipfile.ZipFile, rels: str, names: set[str]) -> dict[str, str]:
    if rels not in names:
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in _parse(archive.read(rels))
        if rel.get("Type") == _HYPERLINK
    }


def read_paragraphs(root: Any, address_styles: set[str]) -> list[ReadParagraph]:
    """Every paragraph under `root` in reading order (table cells included)."""
    return _read(root, address_styles, {}).paragraphs


def _read(root: Any, address_styles: set[str], links: dict[str, str]) -> _ParagraphReader:
    reader = _ParagraphReader(address_styles, links)
    for element in root.iter(f"{W}p"):
        if not _inside_text_box(element):
            reader.paragraph(element)
    return reader


def _inside_text_box(element: Any) -> bool:
    return next(element.iterancestors(f"{W}txbxContent"), None) is not None


class _ParagraphReader:
    """Walks paragraphs in order, keeping which bookmarks and comments are open."""

    def __init__(self, address_styles: set[str], links: dict[str, str]) -> None:
        self.address_styles = address_styles
        self.links = links
        self.paragraphs: list[ReadParagraph] = []
        self.open_marks: dict[str, str] = {}  # bookmark id -> name
        self.open_comments: dict[str, list[Piece]] = {}
        self.comment_text: dict[str, list[Piece]] = {}
        self.field_url = ""
        self.in_field_code = False

    def paragraph(self, element: Any) -> None:
        self.current = ReadParagraph(marks=list(self.open_marks.values()))
        mark = element.find(f"{W}pPr/{W}rPr")
        if mark is not None:
            for kind in ("ins", "del"):
                change = mark.find(f"{W}{kind}")
                if change is not None:
                    self.current.mark_change = kind
                    self.current.mark_author = change.get(f"{W}author", "")
        self._children(element, Style(), "", "", False)
        self.paragraphs.append(self.current)

    def _children(self, element: Any, style: Style, change: str, author: str, gen: bool) -> None:
        for child in element:
            self._element(child, style, change, author, gen)

    def _element(self, child: Any, style: Style, change: str, author: str, gen: bool) -> None:
        tag = child.tag
        if tag == f"{W}r":
            self._run(child, style, change, author)
        elif tag in (f"{W}ins", f"{W}del", f"{W}moveTo", f"{W}moveFrom"):
            kind = "ins" if tag in (f"{W}ins", f"{W}moveTo") else "del"
            self._children(child, style, kind, child.get(f"{W}author", ""), gen)
        elif tag == f"{W}hyperlink":
            url = self.links.get(child.get(_R_ID, ""), "")
            self._children(child, Style(style.bold, style.italic, url), change, author, gen)
        elif tag == f"{W}bookmarkStart":
            name = child.get(f"{W}name", "")
            if name.startswith(MARK_PREFIX):
                self.open_marks[child.get(f"{W}id", "")] = name
                if name not in self.current.marks:
                    self.current.marks.append(name)
        elif tag == f"{W}bookmarkEnd":
            self.open_marks.pop(child.get(f"{W}id", ""), None)
        elif tag == f"{W}commentRangeStart":
            comment = child.get(f"{W}id", "")
            self.open_comments[comment] = self.comment_text.setdefault(comment, [])
            self.current.comments.append(comment)
        elif tag == f"{W}commentRangeEnd":
            self.open_comments.pop(child.get(f"{W}id", ""), None)
        elif tag in (f"{W}pPr", f"{W}rPr"):
            return
        else:  # smart tags, content controls, simple fields: their runs are text
            self._children(child, style, change, author, gen)

    def _run(self, run: Any, style: Style, change: str, author: str) -> None:
        properties = run.find(f"{W}rPr")
        generated = False
        if properties is not None:
            style = Style(
                _on(properties, "b", style.bold), _on(properties, "i", style.italic), style.url
            )
            named = properties.find(f"{W}rStyle")
            generated = named is not None and named.get(f"{W}val") in self.address_styles
            if properties.find(f"{W}rPrChange") is not None:
                self.current.formatting_changed = True
        for child in run:
            tag = child.tag
            if tag == f"{W}fldChar":
                kind = child.get(f"{W}fldCharType")
                self.in_field_code = kind == "begin"
                if kind == "end":
                    self.field_url = ""
            elif tag == f"{W}instrText":
                code = (child.text or "").strip()
                if code.startswith("HYPERLINK"):
                    self.field_url = code.split('"')[1] if code.count('"') >= 2 else ""
            elif tag == f"{W}commentReference":
                comment = child.get(f"{W}id", "")
                if comment not in self.current.comments:
                    self.current.comments.append(comment)
            elif not self.in_field_code:
                text = _text_of(child)
                if text:
                    url = style.url or self.field_url
                    self._add(
                        Piece(text, Style(style.bold, style.italic, url), change, author, generated)
                    )

    def _add(self, piece: Piece) -> None:
        self.current.pieces.append(piece)
        for pieces in self.open_comments.values():
            pieces.append(piece)


def _on(properties: Any, name: str, inherited: bool) -> bool:
    element = properties.find(f"{W}{name}")
    if element is None:
        return inherited
    return element.get(f"{W}val", "true").lower() not in _OFF


def _text_of(element: Any) -> str:
    tag = element.tag
    if tag in (f"{W}t", f"{W}delText"):
        return str(element.text or "")
    if tag == f"{W}tab":
        return "\t"
    if tag in (f"{W}br", f"{W}cr"):
        return " "
    if tag == f"{W}noBreakHyphen":
        return "-"
    return ""


def _comments(
    archive: zipfile.ZipFile, names: set[str], anchored: dict[str, list[Piece]]
) -> list[Comment]:
    if "word/comments.xml" not in names:
        return []
    comments = []
    for element in _parse(archive.read("word/comments.xml")).iter(f"{W}comment"):
        number = element.get(f"{W}id", "")
        text = " ".join(
            "".join(_text_of(t) for t in p.iter(f"{W}t")) for p in element.iter(f"{W}p")
        )
        comments.append(
            Comment(
                number,
                element.get(f"{W}author", ""),
                element.get(f"{W}date", ""),
                " ".join(text.split()),
                words(view(anchored.get(number, []), lambda piece: True)),
            )
        )
    return comments
