"""DOCX: what a screen reader and any word processor find in a Word file
(WCAG 2.2 applied to documents; the structure PDF export relies on)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

from ..reading.colours import contrast_ratio
from ..reading.markup import is_vague_link_text
from .expected import Source
from .rules import rule

FAMILY = "DOCX"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LANGUAGE = "en-GB"


class DocxFile:
    """The parts of a DOCX the rules read, parsed straight from the zip."""

    def __init__(self, path: Path, source: Source | None = None) -> None:
        self.source = source
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            self.document = ElementTree.fromstring(archive.read("word/document.xml"))
            self.others = {
                name: ElementTree.fromstring(archive.read(name))
                for name in sorted(names)
                if re.fullmatch(r"word/(header|footer|footnotes|endnotes)\d*\.xml", name)
            }
            self.styles = ElementTree.fromstring(archive.read("word/styles.xml"))
            self.numbering = (
                ElementTree.fromstring(archive.read("word/numbering.xml"))
                if "word/numbering.xml" in names
                else None
            )
            self.core = (
                ElementTree.fromstring(archive.read("docProps/core.xml"))
                if "docProps/core.xml" in names
                else None
            )
        self.style_names: dict[str | None, str] = {}
        for style in self.styles.iter(f"{W}style"):
            name = style.find(f"{W}name")
            self.style_names[style.get(f"{W}styleId")] = (
                name.get(f"{W}val", "") if name is not None else ""
            )

    def text_parts(self) -> Iterator[tuple[str, ElementTree.Element]]:
        """The body, headers, footers and notes: every part a reader meets text in."""
        yield "word/document.xml", self.document
        yield from self.others.items()

    def body_paragraphs(self) -> Iterator[ElementTree.Element]:
        """Paragraphs of the body itself, not inside tables."""
        body = self.document.find(f"{W}body")
        if body is not None:
            yield from body.findall(f"{W}p")

    def style_of(self, paragraph: ElementTree.Element) -> str:
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        return (
            self.style_names.get(style.get(f"{W}val") if style is not None else None, "")
            or "Normal"
        )


def _text(element: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


@rule("docx-headings", "WCAG 2.2 1.3.1, 2.4.6", family=FAMILY)
def docx_headings(docx: DocxFile) -> list[str]:
    problems = []
    levels = []
    for paragraph in docx.body_paragraphs():
        style = docx.style_of(paragraph)
        match = re.fullmatch(r"[Hh]eading ([1-9])", style)
        if match:
            levels.append(int(match.group(1)))
            continue
        runs = [r for r in paragraph.iter(f"{W}r") if _text(r).strip()]
        if style.startswith("List"):
            continue  # a list item in bold is emphasis, not a heading
        all_bold = runs and all(r.find(f"{W}rPr/{W}b") is not None for r in runs)
        if all_bold and len(_text(paragraph)) < 100:
            problems.append(f"bold body text posing as a heading: {_text(paragraph)[:40]!r}")
    if not levels:
        problems.append("no heading styles used")
    elif levels[0] != 1:
        problems.append(f"the first heading is Heading {levels[0]}")
    for before, after in pairwise(levels):
        if after > before + 1:
            problems.append(f"Heading {before} is followed by Heading {after}")
    return problems


@rule("docx-table-headers", "WCAG 2.2 1.3.1", family=FAMILY)
def docx_tables(docx: DocxFile) -> list[str]:
    problems = []
    for number, table in enumerate(docx.document.iter(f"{W}tbl"), start=1):
        first = table.find(f"{W}tr")
        if first is None or first.find(f"{W}trPr/{W}tblHeader") is None:
            problems.append(f"table {number}: the header row is not marked as a header")
        spans = [int(g.get(f"{W}val", "1")) for g in table.iter(f"{W}gridSpan")]
        if any(span > 1 for span in spans) or any(True for _ in table.iter(f"{W}vMerge")):
            problems.append(f"table {number}: has merged cells")
    return problems


@rule("docx-alt-text", "WCAG 2.2 1.1.1", family=FAMILY)
def docx_alt_text(docx: DocxFile) -> list[str]:
    return [
        f"image {p.get('name', '')!r} has no alt text"
        for p in docx.document.iter()
        if p.tag.endswith("}docPr") and not (p.get("descr") or "").strip()
    ]


@rule("docx-title-language", "WCAG 2.2 2.4.2, 3.1.1", family=FAMILY)
def docx_title_language(docx: DocxFile) -> list[str]:
    problems = []
    core = {e.tag.split("}")[1]: (e.text or "") for e in docx.core} if docx.core is not None else {}
    if not core.get("title", "").strip():
        problems.append("no document title")
    if core.get("language") != "en-GB":
        problems.append(f"document language is {core.get('language') or 'not set'}, not en-GB")
    default = docx.styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    if default is None or default.get(f"{W}val") != "en-GB":
        problems.append("text language is not en-GB")
    return problems


@rule("docx-link-text", "WCAG 2.2 2.4.4", family=FAMILY)
def docx_link_text(docx: DocxFile) -> list[str]:
    problems = []
    for link in docx.document.iter(f"{W}hyperlink"):
        text = _text(link).strip()
        if not text:
            problems.append("a hyperlink has no text")
        elif is_vague_link_text(text):
            problems.append(f"a hyperlink says only {text!r}")
    return problems


@rule("docx-no-empty-paragraphs", "WCAG 2.2 1.3.1", family=FAMILY)
def docx_empty_paragraphs(docx: DocxFile) -> list[str]:
    problems = []
    for paragraph in docx.body_paragraphs():
        has_content = _text(paragraph).strip() or any(
            e.tag.endswith(("}drawing", "}pict", "}object")) for e in paragraph.iter()
        )
        if not has_content:
            problems.append("an empty paragraph is used for spacing")
            break
    return problems


@rule("docx-contrast", "WCAG 2.2 1.4.3", family=FAMILY)
def docx_contrast(docx: DocxFile) -> list[str]:
    """Text colours of the styles on white, and the header row's text on its fill."""
    problems = []
    for style in docx.styles.iter(f"{W}style"):
        name = style.find(f"{W}name")
        color = style.find(f"{W}rPr/{W}color")
        value = color.get(f"{W}val") if color is not None else None
        if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value) and style.get(f"{W}type") != "table":
            ratio = contrast_ratio(f"#{value}", "#FFFFFF")
            if ratio < 4.5:
                label = name.get(f"{W}val") if name is not None else style.get(f"{W}styleId")
                problems.append(f"style {label}: #{value} on white is {ratio:.2f}:1")
        for conditional in style.findall(f"{W}tblStylePr"):
            text = conditional.find(f"{W}rPr/{W}color")
            fill = conditional.find(f"{W}tcPr/{W}shd")
            pair = (
                (text.get(f"{W}val", ""), fill.get(f"{W}fill", ""))
                if text is not None and fill is not None
                else ("", "")
            )
            if all(re.fullmatch(r"[0-9A-Fa-f]{6}", value) for value in pair):
                ratio = contrast_ratio(f"#{pair[0]}", f"#{pair[1]}")
                if ratio < 4.5:
                    problems.append(f"table header text on its fill is {ratio:.2f}:1")
    return problems


@rule("docx-language-of-parts", "WCAG 2.2 3.1.2", family=FAMILY)
def docx_language_of_parts(docx: DocxFile) -> list[str]:
    """No run or paragraph is marked as another language than the document's (a
    screen reader would switch voice for it), directly or through its style or its
    list numbering."""
    problems = []
    parts = [*docx.text_parts(), ("word/styles.xml", docx.styles)]
    if docx.numbering is not None:
        parts.append(("word/numbering.xml", docx.numbering))
    for part, root in parts:
        for lang in root.iter(f"{W}lang"):
            for attribute in (f"{W}val", f"{W}eastAsia"):
                value = lang.get(attribute)
                if value and value != LANGUAGE:
                    problems.append(f"{part}: text marked as {value}, not {LANGUAGE}")
                    break
    return sorted(set(problems))


@rule("docx-no-text-boxes", "WCAG 2.2 1.3.2", family=FAMILY)
def docx_no_text_boxes(docx: DocxFile) -> list[str]:
    """Text boxes float outside the reading order, and screen readers skip them."""
    problems = []
    for part, root in docx.text_parts():
        boxes = [e for e in root.iter() if e.tag.endswith(("}txbxContent", "}textbox", "}txbx"))]
        if boxes:
            problems.append(f"{part} has {len(boxes)} text box(es)")
    return problems
