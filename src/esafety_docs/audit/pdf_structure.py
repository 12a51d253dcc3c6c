"""Machine checks of built files: PDF/UA-1 (after the Matterhorn Protocol) and accessible DOCX.

Each rule looks at the file as a reader would, not at how it was made, so a file
broken on purpose (or by a future change) fails the rule that covers it. One
result per rule per file; `build` refuses to publish a pack with any failure.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pikepdf

from .brand import contrast_ratio


@dataclass(frozen=True)
class Result:
    """One rule applied to one file: passed, or failed with where and why."""

    file: str
    rule: str
    passed: bool
    detail: str = ""

    def format(self) -> str:
        status = "PASS" if self.passed else "FAIL"
        return f"{status} {self.file} {self.rule}" + (f": {self.detail}" if self.detail else "")


def audit(path: Path) -> list[Result]:
    """Every rule for the file's format (by extension)."""
    if path.suffix.lower() == ".pdf":
        return _run(path, PDF_RULES, _open_pdf)
    if path.suffix.lower() == ".docx":
        return _run(path, DOCX_RULES, _Docx)
    return [Result(path.name, "format", False, "only .pdf and .docx files can be audited")]


def _run(
    path: Path, rules: dict[str, Callable[..., list[str]]], opener: Callable[[Path], object]
) -> list[Result]:
    try:
        subject = opener(path)
    except Exception as error:
        return [Result(path.name, "readable", False, f"cannot be opened: {error}")]
    results = []
    for rule, check in rules.items():
        try:
            problems = check(subject)
        except Exception as error:
            problems = [f"the file is malformed here: {error}"]
        results.append(Result(path.name, rule, not problems, "; ".join(problems[:5])))
    return results


# ------------------------------------------------------------------ PDF

STANDARD_TYPES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
_PAINTING = frozenset(
    ["Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"]
)


def _open_pdf(path: Path) -> pikepdf.Pdf:
    return pikepdf.open(path)


def _elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, list[str]]]:
    """Every structure element with the roles of its ancestors, in reading order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return

    def walk(kids: object, path: list[str]) -> Iterator[tuple[pikepdf.Dictionary, list[str]]]:
        items = kids if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid, path
                if "/K" in kid:
                    yield from walk(kid.K, [*path, str(kid.S)[1:]])

    if "/K" in root:
        yield from walk(root.K, [])


def _role(element: pikepdf.Dictionary) -> str:
    return str(element.S)[1:]


def _kid_roles(element: pikepdf.Dictionary) -> list[str]:
    kids = element.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [_role(k) for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def pdf_tagged(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    mark = pdf.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        problems.append("catalog /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in pdf.Root:
        problems.append("no structure tree")
    return problems


def pdf_content_marked(pdf: pikepdf.Pdf) -> list[str]:
    """Untagged content, and artifacts inside tagged content (or the reverse)."""
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[str] = []  # "mcid", "artifact" or "other" per open sequence
        for instruction in pikepdf.parse_content_stream(page):
            operands, operator = instruction.operands, instruction.operator
            name = str(operator)
            if name in ("BDC", "BMC"):
                tag = str(operands[0])
                properties = operands[1] if name == "BDC" and len(operands) > 1 else None
                has_mcid = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
                kind = "artifact" if tag == "/Artifact" else "mcid" if has_mcid else "other"
                if kind == "artifact" and "mcid" in stack:
                    problems.append(f"page {number}: an artifact inside tagged content")
                if kind == "mcid" and "artifact" in stack:
                    problems.append(f"page {number}: tagged content inside an artifact")
                stack.append(kind)
            elif name == "EMC":
                if stack:
                    stack.pop()
            elif name in _PAINTING and not any(k in ("mcid", "artifact") for k in stack):
                problems.append(f"page {number}: '{name}' draws untagged content")
                break
    return problems


def pdf_standard_roles(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    tree: Any = pdf.Root.get("/StructTreeRoot", pikepdf.Dictionary())
    role_map: Any = tree.get("/RoleMap", pikepdf.Dictionary())
    mapped = {str(key)[1:] for key in role_map.keys()}  # noqa: SIM118 - a pikepdf Dictionary
    for role in sorted(mapped & STANDARD_TYPES):
        problems.append(f"the standard type {role} is remapped")
    for element, _ in _elements(pdf):
        role = _role(element)
        if role not in STANDARD_TYPES and role not in mapped:
            problems.append(f"{role} is neither standard nor role-mapped")
    return problems


def pdf_heading_order(pdf: pikepdf.Pdf) -> list[str]:
    """One H1 per document (each Part of a pack), first; levels never skip going down."""
    problems = []
    scopes: dict[str, list[int]] = {}
    part = 0
    for element, path in _elements(pdf):
        role = _role(element)
        if role == "Part" and len(path) <= 1:
            part += 1
        match = re.fullmatch(r"H([1-6])", role)
        if match:
            scopes.setdefault(f"part {part}" if part else "document", []).append(
                int(match.group(1))
            )
    if not scopes:
        return ["no headings"]
    for scope, levels in scopes.items():
        if levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{scope}: needs exactly one H1, first (found {levels.count(1)})")
        for before, after in pairwise(levels):
            if after > before + 1:
                problems.append(f"{scope}: H{before} is followed by H{after}")
    return problems


def pdf_table_structure(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    allowed = {
        "Table": {"THead", "TBody", "TFoot", "TR", "Caption"},
        "THead": {"TR"},
        "TBody": {"TR"},
        "TFoot": {"TR"},
        "TR": {"TH", "TD"},
    }
    for element, path in _elements(pdf):
        role = _role(element)
        if role in allowed:
            wrong = [r for r in _kid_roles(element) if r not in allowed[role]]
            if wrong:
                problems.append(f"{role} holds {', '.join(sorted(set(wrong)))}")
        if role in ("TR", "TH", "TD") and not set(path) & {"Table"}:
            problems.append(f"{role} outside a Table")
    return problems


def pdf_list_structure(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for element, path in _elements(pdf):
        role = _role(element)
        kids = _kid_roles(element)
        if role == "L" and any(r not in ("LI", "L", "Caption") for r in kids):
            problems.append("L holds something other than LI")
        if role == "LI" and (any(r not in ("Lbl", "LBody") for r in kids) or "LBody" not in kids):
            problems.append("LI is not Lbl + LBody")
        if role in ("LI", "Lbl", "LBody") and "L" not in path:
            problems.append(f"{role} outside a list")
    return problems


def pdf_th_scope(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for element, _ in _elements(pdf):
        if _role(element) == "TH":
            attributes = element.get("/A")
            items = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
            scopes = [a.get("/Scope") for a in items if isinstance(a, pikepdf.Dictionary)]
            if not any(str(s) in ("/Row", "/Column", "/Both") for s in scopes if s is not None):
                problems.append("a TH has no /Scope")
    return problems


def pdf_figure_alt(pdf: pikepdf.Pdf) -> list[str]:
    return [
        "a Figure has no alternative text"
        for element, _ in _elements(pdf)
        if _role(element) == "Figure" and not str(element.get("/Alt", "")).strip()
    ]


def _annotations(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Page, Any]]:
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            yield number, page, annotation


def pdf_links(pdf: pikepdf.Pdf) -> list[str]:
    """Each link annotation sits in a Link element (by OBJR) and describes itself."""
    owners: dict[tuple[int, int], str] = {}
    for element, _ in _elements(pdf):
        kids = element.get("/K")
        items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                owners[kid.Obj.objgen] = _role(element)
    problems = []
    for number, _, annotation in _annotations(pdf):
        if annotation.get("/Subtype") != "/Link":
            continue
        if owners.get(annotation.objgen) != "Link":
            problems.append(f"page {number}: a link annotation is not in a Link element")
        if not str(annotation.get("/Contents", "")).strip():
            problems.append(f"page {number}: a link annotation has no /Contents")
        if "/StructParent" not in annotation:
            problems.append(f"page {number}: a link annotation has no /StructParent")
    return problems


def pdf_tab_order(pdf: pikepdf.Pdf) -> list[str]:
    return [
        f"page {number} has annotations but no /Tabs /S"
        for number, page in enumerate(pdf.pages, start=1)
        if len(page.obj.get("/Annots", [])) and page.obj.get("/Tabs") != "/S"
    ]


def pdf_language(pdf: pikepdf.Pdf) -> list[str]:
    return [] if str(pdf.Root.get("/Lang", "")).strip() else ["catalog has no /Lang"]


def pdf_display_title(pdf: pikepdf.Pdf) -> list[str]:
    preferences: Any = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    shown = bool(preferences.get("/DisplayDocTitle", False))
    return [] if shown else ["ViewerPreferences /DisplayDocTitle is not true"]


def pdf_xmp(pdf: pikepdf.Pdf) -> list[str]:
    with pdf.open_metadata() as meta:
        title = meta.get("dc:title")
        part = meta.get("{http://www.aiim.org/pdfua/ns/id/}part")
    problems = []
    if not title:
        problems.append("XMP has no dc:title")
    if part != "1":
        problems.append("XMP has no pdfuaid:part = 1")
    return problems


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
            yield obj


def pdf_fonts_embedded(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for font in _fonts(pdf):
        descriptor = font.get("/FontDescriptor")
        if font.get("/Subtype") == "/Type0":
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        if descriptor is None or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            problems.append(f"{font.get('/BaseFont')} is not embedded")
    return problems


def pdf_fonts_unicode(pdf: pikepdf.Pdf) -> list[str]:
    return [
        f"{font.get('/BaseFont')} has no ToUnicode map"
        for font in _fonts(pdf)
        if "/ToUnicode" not in font
    ]


def pdf_pdfa(pdf: pikepdf.Pdf) -> list[str]:
    """PDF/A-2b identification and output intent (full conformance needs veraPDF)."""
    problems = []
    with pdf.open_metadata() as meta:
        if meta.get("{http://www.aiim.org/pdfa/ns/id/}part") != "2":
            problems.append("XMP has no pdfaid:part = 2")
    if not len(pdf.Root.get("/OutputIntents", [])):
        problems.append("no output intent")
    for number, _, annotation in _annotations(pdf):
        if int(annotation.get("/F", 0)) & 4 == 0:
            problems.append(f"page {number}: an annotation is not printable")
    return problems


PDF_RULES: dict[str, Callable[..., list[str]]] = {
    "pdf-tagged": pdf_tagged,
    "pdf-content-marked": pdf_content_marked,
    "pdf-standard-roles": pdf_standard_roles,
    "pdf-heading-order": pdf_heading_order,
    "pdf-table-structure": pdf_table_structure,
    "pdf-list-structure": pdf_list_structure,
    "pdf-th-scope": pdf_th_scope,
    "pdf-figure-alt": pdf_figure_alt,
    "pdf-links": pdf_links,
    "pdf-tab-order": pdf_tab_order,
    "pdf-language": pdf_language,
    "pdf-display-title": pdf_display_title,
    "pdf-xmp-title-pdfua": pdf_xmp,
    "pdf-fonts-embedded": pdf_fonts_embedded,
    "pdf-fonts-tounicode": pdf_fonts_unicode,
    "pdf-pdfa-identification": pdf_pdfa,
}

# ------------------------------------------------------------------ DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAGUE_LINKS = {"click here", "here", "link", "read more", "more", "this link"}


class _Docx:
    """The parts of a DOCX the rules read, parsed straight from the zip."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            self.document = ElementTree.fromstring(archive.read("word/document.xml"))
            self.styles = ElementTree.fromstring(archive.read("word/styles.xml"))
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


def docx_headings(docx: _Docx) -> list[str]:
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


def docx_tables(docx: _Docx) -> list[str]:
    problems = []
    for number, table in enumerate(docx.document.iter(f"{W}tbl"), start=1):
        first = table.find(f"{W}tr")
        if first is None or first.find(f"{W}trPr/{W}tblHeader") is None:
            problems.append(f"table {number}: the header row is not marked as a header")
        spans = [int(g.get(f"{W}val", "1")) for g in table.iter(f"{W}gridSpan")]
        if any(span > 1 for span in spans) or any(True for _ in table.iter(f"{W}vMerge")):
            problems.append(f"table {number}: has merged cells")
    return problems


def docx_alt_text(docx: _Docx) -> list[str]:
    return [
        f"image {p.get('name', '')!r} has no alt text"
        for p in docx.document.iter()
        if p.tag.endswith("}docPr") and not (p.get("descr") or "").strip()
    ]


def docx_title_language(docx: _Docx) -> list[str]:
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


def docx_link_text(docx: _Docx) -> list[str]:
    problems = []
    for link in docx.document.iter(f"{W}hyperlink"):
        text = _text(link).strip()
        if not text:
            problems.append("a hyperlink has no text")
        elif text.lower().rstrip(".") in _VAGUE_LINKS:
            problems.append(f"a hyperlink says only {text!r}")
    return problems


def docx_empty_paragraphs(docx: _Docx) -> list[str]:
    problems = []
    for paragraph in docx.body_paragraphs():
        has_content = _text(paragraph).strip() or any(
            e.tag.endswith(("}drawing", "}pict", "}object")) for e in paragraph.iter()
        )
        if not has_content:
            problems.append("an empty paragraph is used for spacing")
            break
    return problems


def docx_contrast(docx: _Docx) -> list[str]:
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


DOCX_RULES: dict[str, Callable[..., list[str]]] = {
    "docx-headings": docx_headings,
    "docx-table-headers": docx_tables,
    "docx-alt-text": docx_alt_text,
    "docx-title-language": docx_title_language,
    "docx-link-text": docx_link_text,
    "docx-no-empty-paragraphs": docx_empty_paragraphs,
    "docx-contrast": docx_contrast,
}
