"""Navigation: links, bookmarks and tab order, followed to where they lead
(ISO 14289-1 7.18; WCAG 2.2 2.4.4 and 2.4.5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pikepdf

from .pdf_reading import PdfFile, kids, role, squash
from .rules import rule

FAMILY = "navigation"


@rule("pdf-links", "ISO 14289-1 7.18.1, 7.18.5; Matterhorn 28-011, 28-012", family=FAMILY)
def links(file: PdfFile) -> list[str]:
    """Each link annotation sits in a Link element (by an OBJR naming its page), and
    its description (/Contents) is the whole of the link's text."""
    owners: dict[tuple[int, int], tuple[str, Any, pikepdf.Dictionary]] = {}
    for element, _ in file.elements():
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                owners[kid.Obj.objgen] = (role(element), kid.get("/Pg"), element)
    problems = []
    for number, page, annotation in file.annotations():
        if annotation.get("/Subtype") != "/Link":
            continue
        owner = owners.get(annotation.objgen)
        contents = str(annotation.get("/Contents", "")).strip()
        if owner is None or owner[0] != "Link":
            problems.append(f"page {number}: a link annotation is not in a Link element")
        elif owner[1] is None or owner[1].objgen != page.obj.objgen:
            problems.append(f"page {number}: a link's object reference does not name its page")
        elif contents and squash(contents) != squash(file.text_of(owner[2])):
            problems.append(
                f"page {number}: a link is described as {contents[:40]!r}, "
                f"not by its whole text {' '.join(file.text_of(owner[2]).split())[:60]!r}"
            )
        if not contents:
            problems.append(f"page {number}: a link annotation has no /Contents")
        if "/StructParent" not in annotation:
            problems.append(f"page {number}: a link annotation has no /StructParent")
    return problems


@rule("pdf-tab-order", "ISO 14289-1 7.18.3; Matterhorn 28-009, 28-010", family=FAMILY)
def tab_order(file: PdfFile) -> list[str]:
    return [
        f"page {number} has annotations but no /Tabs /S"
        for number, page in enumerate(file.pdf.pages, start=1)
        if len(page.obj.get("/Annots", [])) and page.obj.get("/Tabs") != "/S"
    ]


@rule("pdf-bookmarks-land", "ISO 32000-1 12.3.3; WCAG 2.2 2.4.5", family=FAMILY)
def bookmarks_land(file: PdfFile) -> list[str]:
    """Every bookmark opens the page that shows its heading."""
    problems = []
    count = 0
    for title, destination in _outline(file.pdf):
        count += 1
        page = _destination_page(file, destination)
        if page is None:
            problems.append(f"bookmark {title!r} leads nowhere")
        elif squash(title) not in squash(file.page_texts[page]):
            problems.append(f"bookmark {title!r} opens page {page + 1}, which does not show it")
    if count == 0:
        problems.append("no bookmarks")
    return problems


@rule("pdf-internal-links-land", "ISO 32000-1 12.3.2; WCAG 2.2 2.4.4", family=FAMILY)
def internal_links_land(file: PdfFile) -> list[str]:
    """Every link within the file opens the page that shows what its text names."""
    problems = []
    owners: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for element, _ in file.elements():
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                owners[kid.Obj.objgen] = element
    for number, _, annotation in file.annotations():
        destination = annotation.get("/Dest")
        action = annotation.get("/A")
        if destination is None and action is not None and action.get("/S") == "/GoTo":
            destination = action.get("/D")
        if destination is None:
            continue
        page = _destination_page(file, destination)
        owner = owners.get(annotation.objgen)
        words = file.text_of(owner) if owner is not None else ""
        title = " ".join(words.split()).rstrip("0123456789 ")
        if page is None:
            problems.append(f"page {number}: a link to {title!r} leads nowhere")
        elif title and squash(title) not in squash(file.page_texts[page]):
            problems.append(f"page {number}: the link {title!r} opens page {page + 1}")
    return problems


def _outline(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    outlines = pdf.Root.get("/Outlines")
    if outlines is None:
        return
    item = outlines.get("/First")
    stack: list[Any] = []
    while item is not None:
        destination = item.get("/Dest")
        if destination is None and "/A" in item:
            destination = item.A.get("/D")
        yield str(item.get("/Title", "")), destination
        if "/First" in item:
            stack.append(item.get("/Next"))
            item = item.First
            continue
        item = item.get("/Next")
        while item is None and stack:
            item = stack.pop()


def _destination_page(file: PdfFile, destination: Any) -> int | None:
    """The page index a destination opens: an explicit [page ...] array, or a name."""
    if isinstance(destination, pikepdf.String | pikepdf.Name):
        destination = _named(file.pdf, str(destination).lstrip("/"))
    if isinstance(destination, pikepdf.Dictionary):
        destination = destination.get("/D")
    if isinstance(destination, pikepdf.Array) and len(destination):
        target = destination[0]
        if isinstance(target, pikepdf.Dictionary):
            return file.page_numbers.get(target.objgen)
    return None


def _named(pdf: pikepdf.Pdf, name: str) -> Any:
    dests = pdf.Root.get("/Dests")
    if dests is not None and f"/{name}" in dests:
        return dests[f"/{name}"]
    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        tree = pikepdf.NameTree(names.Dests)
        if name in tree:
            return tree[name]
    return None
