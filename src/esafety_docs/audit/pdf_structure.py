"""PDF structure: the tags a screen reader follows (ISO 14289-1, the Matterhorn Protocol).

Every rule reads the structure tree and the content streams back from the file;
rules marked `needs_source` also compare them with the model the file was built
from, so a file whose tags are out of order or whose text decodes wrongly fails.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pikepdf

from .pdf_reading import PdfFile, squash
from .pdf_tree import Element
from .rules import rule

FAMILY = "PDF structure"
ORDER_SLACK = 2.0  # points: text this far above the text read before it went back up

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


@rule("pdf-tagged", "ISO 14289-1 7.1; Matterhorn 01-001", family=FAMILY)
def tagged(file: PdfFile) -> list[str]:
    problems = []
    mark = file.pdf.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        problems.append("catalog /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in file.pdf.Root:
        problems.append("no structure tree")
    return problems


@rule("pdf-content-marked", "ISO 14289-1 7.1; Matterhorn 01-005, 01-006", family=FAMILY)
def content_marked(file: PdfFile) -> list[str]:
    """Untagged content, and artifacts inside tagged content (or the reverse)."""
    problems = []
    for number, instructions in enumerate(file.content_streams, start=1):
        stack: list[str] = []  # "mcid", "artifact" or "other" per open sequence
        for instruction in instructions:
            operands, name = instruction.operands, str(instruction.operator)
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


@rule("pdf-standard-roles", "ISO 14289-1 7.1; Matterhorn 02-001, 02-003", family=FAMILY)
def standard_roles(file: PdfFile) -> list[str]:
    problems = []
    mapped = set(file.tree.role_map)
    for name in sorted(mapped & STANDARD_TYPES):
        problems.append(f"the standard type {name} is remapped")
    for element in file.elements():
        if element.role not in STANDARD_TYPES and element.role not in mapped:
            problems.append(f"{element.role} is neither standard nor role-mapped")
    return problems


@rule("pdf-parent-tree", "ISO 32000-1 14.7.4.4; ISO 14289-1 7.1", family=FAMILY)
def parent_tree(file: PdfFile) -> list[str]:
    """The parent tree, which maps content back to its element, agrees with the tree."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for element in file.elements():
        for key in element.contents:
            owner[key] = element.objgen
    root: Any = file.pdf.Root.get("/StructTreeRoot", pikepdf.Dictionary())
    numbers = list(root.get("/ParentTree", pikepdf.Dictionary()).get("/Nums", []))
    entries = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers) - 1, 2)}
    problems = []
    for index, page in enumerate(file.pdf.pages):
        parents: Any = page.obj.get("/StructParents")
        listed = entries.get(int(parents)) if parents is not None else None
        if listed is None:
            continue
        for mcid, element in enumerate(listed):
            expected = owner.get((index, mcid))
            if expected is not None and element.objgen != expected:
                problems.append(f"page {index + 1}: MCID {mcid} points at the wrong element")
    return problems


@rule("pdf-heading-order", "ISO 14289-1 7.4; Matterhorn 14-002, 14-003", family=FAMILY)
def heading_order(file: PdfFile) -> list[str]:
    """One H1 per document (each Part of a pack), first; levels never skip going down."""
    problems = []
    scopes: dict[str, list[int]] = {}
    part = 0
    for element in file.elements():
        name = element.role
        if name == "Part" and len(element.path) <= 1:
            part += 1
        match = re.fullmatch(r"H([1-6])", name)
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


@rule("pdf-table-structure", "ISO 14289-1 7.5; Matterhorn 09-004", family=FAMILY)
def table_structure(file: PdfFile) -> list[str]:
    problems = []
    allowed = {
        "Table": {"THead", "TBody", "TFoot", "TR", "Caption"},
        "THead": {"TR"},
        "TBody": {"TR"},
        "TFoot": {"TR"},
        "TR": {"TH", "TD"},
    }
    for element in file.elements():
        name = element.role
        if name in allowed:
            wrong = [r for r in element.kid_roles if r not in allowed[name]]
            if wrong:
                problems.append(f"{name} holds {', '.join(sorted(set(wrong)))}")
        if name in ("TR", "TH", "TD") and "Table" not in element.path:
            problems.append(f"{name} outside a Table")
    return problems


@rule("pdf-th-scope", "ISO 14289-1 7.5; Matterhorn 15-003", family=FAMILY)
def th_scope(file: PdfFile) -> list[str]:
    return [
        "a TH has no /Scope"
        for element in file.elements()
        if element.role == "TH"
        and not any(
            str(a.get("/Scope")) in ("/Row", "/Column", "/Both") for a in element.attributes()
        )
    ]


@rule("pdf-list-structure", "ISO 14289-1 7.6; Matterhorn 09-005", family=FAMILY)
def list_structure(file: PdfFile) -> list[str]:
    problems = []
    for element in file.elements():
        name, roles, path = element.role, element.kid_roles, element.path
        if name == "L" and any(r not in ("LI", "L", "Caption") for r in roles):
            problems.append("L holds something other than LI")
        if name == "LI" and (any(r not in ("Lbl", "LBody") for r in roles) or "LBody" not in roles):
            problems.append("LI is not Lbl + LBody")
        if name in ("LI", "Lbl", "LBody") and "L" not in path:
            problems.append(f"{name} outside a list")
    return problems


@rule("pdf-list-numbering", "ISO 14289-1 7.6; ISO 32000-1 14.8.5.5", family=FAMILY)
def list_numbering(file: PdfFile) -> list[str]:
    """A list labelled 1., 2., ... says it is numbered, so it is announced as ordered."""
    problems = []
    for element in file.elements():
        if element.role != "L":
            continue
        labels = [
            file.text_of(label).strip()
            for item in element.elements
            if item.role == "LI"
            for label in item.elements
            if label.role == "Lbl"
        ]
        numbering = next(
            (str(a.get("/ListNumbering")) for a in element.attributes() if "/ListNumbering" in a),
            "/None",
        )
        numbered = bool(labels) and all(re.fullmatch(r"\d+[.)]?", label) for label in labels)
        if numbered and numbering in ("/None", "/Disc", "/Circle", "/Square"):
            problems.append(f"a list labelled {labels[0]} ... has ListNumbering {numbering[1:]}")
    return problems


@rule(
    "pdf-form-fields",
    "ISO 14289-1 7.18.4; Matterhorn 28-005; ISO 19005-2 6.3.3, 6.4.1",
    family=FAMILY,
)
def form_fields(file: PdfFile) -> list[str]:
    """Each form field's widget sits in a Form element, says what it is for (/TU), prints,
    and looks the same in every viewer (its own appearance; no NeedAppearances)."""
    problems = []
    for number, _, widget in file.annotations():
        if widget.get("/Subtype") != "/Widget":
            continue
        owner = file.tree.owners.get(widget.objgen)
        if owner is None or owner[0].role != "Form":
            problems.append(f"page {number}: a form field is not in a Form element")
        if not str(widget.get("/TU", "")).strip():
            problems.append(f"page {number}: a form field has no tooltip (/TU)")
        if "/N" not in widget.get("/AP", {}):
            problems.append(f"page {number}: a form field has no appearance of its own")
        if int(widget.get("/F", 0)) & 4 == 0:
            problems.append(f"page {number}: a form field does not print")
    form: Any = file.pdf.Root.get("/AcroForm", pikepdf.Dictionary())
    if bool(form.get("/NeedAppearances", False)):
        problems.append("the form asks viewers to draw its fields (NeedAppearances)")
    return problems


@rule("pdf-figure-alt", "ISO 14289-1 7.3; Matterhorn 13-004", family=FAMILY)
def figure_alt(file: PdfFile) -> list[str]:
    return [
        "a Figure has no alternative text"
        for element in file.elements()
        if element.role == "Figure" and not str(element.obj.get("/Alt", "")).strip()
    ]


@rule("pdf-bbox", "ISO 14289-1 7.3; ISO 32000-1 14.8.5.4.3 (BBox)", family=FAMILY)
def bounding_boxes(file: PdfFile) -> list[str]:
    """Figures and tables say where they are on the page, for magnifiers and reflow."""
    problems = []
    for element in file.elements():
        if element.role in ("Figure", "Table"):
            boxes: list[Any] = [a.get("/BBox") for a in element.attributes() if "/BBox" in a]
            if not boxes or len(boxes[0]) != 4:
                problems.append(f"a {element.role} has no /BBox")
    return problems


@rule("pdf-toc-structure", "ISO 32000-1 14.8.4.3.2 (TOCI); ISO 14289-1 7.1", family=FAMILY)
def toc_structure(file: PdfFile) -> list[str]:
    """Contents entries hold Lbl, Reference, NonStruct, P or TOC, and read with
    their words apart (a title and its page number are not run together)."""
    problems = []
    allowed = {"Lbl", "Reference", "NonStruct", "P", "TOC"}
    for element in file.elements():
        if element.role == "TOCI":
            wrong = sorted(set(element.kid_roles) - allowed)
            if wrong:
                problems.append(f"a TOCI holds {', '.join(wrong)}")
            text = file.text_of(element, written=True)
            if re.search(r"[^\W\d]\d+\s*$", text.strip()):
                problems.append(f"a contents entry runs words together: {text.strip()!r}")
    return problems


@rule(
    "pdf-source-text",
    "ISO 14289-1 7.2; Matterhorn 10-001 (character mapping)",
    family=FAMILY,
    needs_source=True,
)
def source_text(file: PdfFile) -> list[str]:
    """Every text of the sources reads back from the tags exactly as written."""
    assert file.source is not None
    stream = squash(_tagged_text(file))
    return [
        f"the tagged text does not contain {text[:60]!r}"
        for text in file.source.texts
        if squash(text) and squash(text) not in stream
    ][:5]


@rule(
    "pdf-reading-order",
    "ISO 14289-1 7.2; Matterhorn 09-001",
    family=FAMILY,
    needs_source=True,
)
def reading_order(file: PdfFile) -> list[str]:
    """The tags give the sources' texts in the sources' order."""
    assert file.source is not None
    stream = squash(_tagged_text(file))
    position, previous, problems = 0, "", []
    for text in file.source.texts:
        wanted = squash(text)
        if not wanted or wanted not in stream:
            continue  # a missing text is pdf-source-text's finding
        found = stream.find(wanted, position)
        if found < 0:
            problems.append(f"{text[:40]!r} is read before {previous[:40]!r}")
            continue
        position, previous = found + len(wanted), text
    return problems


@rule(
    "pdf-visual-order",
    "ISO 14289-1 7.2; Matterhorn 09-001 (tags in reading order)",
    family=FAMILY,
)
def visual_order(file: PdfFile) -> list[str]:
    """Read from the tags, text never goes back up its column: what comes next is
    below, or in a column to the right (a new column may start higher up)."""
    boxes = file.marked_boxes
    drawn = [key for key in _sequences_in_reading_order(file) if key in boxes]
    problems = []
    for before, after in pairwise(drawn):
        if before[0] != after[0]:
            continue  # a new page
        earlier_box, box = boxes[before], boxes[after]  # left, bottom, right, top
        same_column = min(earlier_box[2], box[2]) > max(earlier_box[0], box[0])
        if same_column and box[1] > earlier_box[3] + ORDER_SLACK:
            text = file.marked_text.get(after, "").strip()[:40]
            earlier = file.marked_text.get(before, "").strip()[:40]
            problems.append(
                f"page {after[0] + 1}: {text!r} is read after {earlier!r}, which is drawn below it"
            )
    return problems[:5]


def _sequences_in_reading_order(file: PdfFile) -> list[tuple[int, int]]:
    """Every (page index, MCID) the structure tree owns, in the order it reads them."""
    found: list[tuple[int, int]] = []

    def walk(element: Element) -> None:
        for kid in element.kids:
            if isinstance(kid, Element):
                walk(kid)
            elif isinstance(kid, tuple):
                found.append(kid)

    for element in file.tree.top:
        walk(element)
    return found


def _tagged_text(file: PdfFile) -> str:
    return "".join(file.text_of(element) for element in file.tree.top)
