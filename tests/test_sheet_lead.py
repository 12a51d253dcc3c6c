"""A sheet's first line ("Call 999") is set large enough to read from across a room,
the same in the PDF, the Word file and the HTML, and only that line."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import yaml

from conftest import TEMPLATES, document_file, raw_yaml

SHEET = "contact-sheet"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _first_line() -> str:
    """The words of the sheet's first paragraph, from its source."""
    first = raw_yaml(f"{SHEET}.yaml")["sections"][0]["body"][0]
    return " ".join(first.replace("*", "").split())


def _source_bold() -> str:
    """The words the source marks bold in the sheet's first paragraph."""
    first = raw_yaml(f"{SHEET}.yaml")["sections"][0]["body"][0]
    return "".join(re.findall(r"\*\*(.+?)\*\*", first))


def _body_size() -> float:
    brand = yaml.safe_load((TEMPLATES / "brand.yaml").read_text(encoding="utf-8"))
    return float(brand["typography"]["base"]["size"])


def test_the_sheets_first_line_is_large_in_every_format(pack_folder: Path) -> None:
    line, body = _first_line(), _body_size()
    with pdfplumber.open(pack_folder / document_file(SHEET, "pdf")) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    printed, wanted = "".join(c["text"] for c in chars), line.replace(" ", "")
    start = printed.index(wanted)
    sizes = {round(c["size"], 1) for c in chars[start : start + len(wanted)]}
    assert sizes and min(sizes) >= body * 1.2, sizes
    as_large = "".join(c["text"] for c in chars if round(c["size"], 1) in sizes)
    assert as_large == wanted, "no other text on the sheet is set at the first line's size"
    # Bold where the source says (`**999**`), not the whole line: as in Word and HTML.
    drawn = chars[start : start + len(wanted)]
    bold = "".join(c["text"] for c in drawn if "bold" in c["fontname"].lower())
    assert bold == _source_bold().replace(" ", ""), bold

    with zipfile.ZipFile(pack_folder / document_file(SHEET, "docx")) as archive:
        xml = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    words = [" ".join("".join(re.findall(r"<w:t[^>]*>([^<]*)", p)).split()) for p in paragraphs]
    (lead,) = [p for p, w in zip(paragraphs, words, strict=True) if w == line]
    half_points = {int(v) for v in re.findall(r'<w:sz w:val="(\d+)"', lead)}
    assert half_points and min(half_points) / 2 >= body * 1.2, half_points
    body_text = [
        (p, w) for p, w in zip(paragraphs, words, strict=True) if '<w:pStyle w:val="Normal"/>' in p
    ]
    large = [
        w
        for p, w in body_text
        if any(int(v) / 2 >= body * 1.2 for v in re.findall(r'<w:sz w:val="(\d+)"', p))
    ]
    assert large == [line], large

    page = (pack_folder / document_file(SHEET, "html")).read_text(encoding="utf-8")
    finder = _LeadFinder()
    finder.feed(page)
    assert finder.found == [(line, True)], "one lead paragraph, inside the call-out"
    # What makes it large in the page's own styles: the lead inside a call-out.
    assert re.search(r"\.callout \.lead \{ font-size: 1\.25rem; \}", page)


class _LeadFinder(HTMLParser):
    """Each paragraph of class `lead`: its words, and whether a call-out holds it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[list[str]] = []  # the classes of each element still open
        self.found: list[tuple[str, bool]] = []
        self._words: list[str] | None = None
        self._in_callout = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and "lead" in classes:
            self._words = []
            self._in_callout = any("callout" in c for c in self.open)
        if tag not in VOID:
            self.open.append(classes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._words is not None:
            self.found.append((" ".join("".join(self._words).split()), self._in_callout))
            self._words = None
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self._words is not None:
            self._words.append(data)


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
