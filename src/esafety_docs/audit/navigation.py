"""Navigation: links, bookmarks and tab order, followed to where they lead
(ISO 14289-1 7.18; WCAG 2.2 2.4.4 and 2.4.5)."""

from __future__ import annotations

import decimal
import re
import weakref
from collections.abc import Iterator
from typing import Any

import pikepdf

from .pdf_reading import HEADING_ROLES, PdfFile, squash
from .rules import rule

FAMILY = "navigation"


@rule("pdf-links", "ISO 14289-1 7.18.1, 7.18.5; Matterhorn 28-011, 28-012", family=FAMILY)
def links(file: PdfFile) -> list[str]:
    """Each link annotation sits in a Link element (by an OBJR naming its page), and
    its description (/Contents) is the whole of the link's text."""
    problems = []
    for number, _, annotation in file.annotations():
        if annotation.get("/Subtype") != "/Link":
            continue
        element, reference = file.tree.owners.get(annotation.objgen, (None, None))
        contents = str(annotation.get("/Contents", "")).strip()
        if element is None or reference is None or element.role != "Link":
            problems.append(f"page {number}: a link annotation is not in a Link element")
        elif reference.page != number - 1:
            problems.append(f"page {number}: a link's object reference does not name its page")
        elif contents and squash(contents) != squash(file.text_of(element)):
            problems.append(
                f"page {number}: a link is described as {contents[:40]!r}, "
                f"not by its whole text {' '.join(file.text_of(element).split())[:60]!r}"
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
    """Every bookmark opens the page that shows its heading, at the heading."""
    problems = []
    count = 0
    headings = _headings(file)
    for title, destination in _outline(file.pdf):
        count += 1
        problem = _landing(file, headings, title, destination)
        if problem:
            problems.append(f"bookmark {title!r} {problem}")
    if count == 0:
        problems.append("no bookmarks")
    return problems


@rule("pdf-internal-links-land", "ISO 32000-1 12.3.2; WCAG 2.2 2.4.4", family=FAMILY)
def internal_links_land(file: PdfFile) -> list[str]:
    """Every link within the file opens the page that shows what its text names, at
    that heading (a contents entry's text ends with its page number)."""
    problems = []
    headings = _headings(file)
    for number, _, annotation in file.annotations():
        destination = annotation.get("/Dest")
        action = annotation.get("/A")
        if destination is None and action is not None and action.get("/S") == "/GoTo":
            destination = action.get("/D")
        if destination is None:
            continue
        owner = file.tree.owners.get(annotation.objgen)
        words = " ".join((file.text_of(owner[0]) if owner is not None else "").split())
        title = re.sub(r"\s*\d+$", "", words)
        problem = _landing(file, headings, title, destination)
        if problem:
            problems.append(f"page {number}: the link {title!r} {problem}")
    return problems


# How far below the top of the view a heading may start and still be where the view
# opens: the space above a heading, or a line of it, in points.
_HEADING_BELOW_TOP = 40


def _landing(
    file: PdfFile, headings: list[tuple[str, int, float]], title: str, destination: Any
) -> str | None:
    """What is wrong with where a destination leads for a heading `title`, or None.

    Where the title is a heading's text in the structure, the destination must open
    the page that heading is drawn on, at the heading: another page that only
    mentions the same words is not where the heading is. Otherwise (an untagged
    file, or a bookmark that is no heading) the page must at least show the title."""
    page = _destination_page(file, destination)
    if page is None:
        return "leads nowhere"
    if not title:
        return None
    wanted = squash(title)
    placed = [(p, top) for text, p, top in headings if text == wanted]
    if not placed:
        if wanted not in squash(file.page_texts[page]):
            return f"opens page {page + 1}, which does not show it"
        return None
    on_page = [top for p, top in placed if p == page]
    if not on_page:
        where = ", ".join(str(p + 1) for p, _ in placed)
        return f"opens page {page + 1}, but its heading is on page {where}"
    view_top = _destination_top(destination, file)
    if view_top is not None and not any(
        view_top - _HEADING_BELOW_TOP <= top <= view_top + 2 for top in on_page
    ):
        return f"opens page {page + 1} at {view_top:.0f} pt, not at its heading"
    return None


_HEADINGS: weakref.WeakKeyDictionary[PdfFile, list[tuple[str, int, float]]] = (
    weakref.WeakKeyDictionary()
)


def _headings(file: PdfFile) -> list[tuple[str, int, float]]:
    """Each heading element's text (without spaces), the page it starts on and the
    top of its first line there; read once per file, for both rules here."""
    if file not in _HEADINGS:
        _HEADINGS[file] = _read_headings(file)
    return _HEADINGS[file]


def _read_headings(file: PdfFile) -> list[tuple[str, int, float]]:
    found = []
    for element in file.elements():
        if file.standard_role(element) not in HEADING_ROLES:
            continue
        sequences = element.contents
        if not sequences:
            continue
        page = sequences[0][0]
        tops = [file.marked_tops[s] for s in sequences if s[0] == page and s in file.marked_tops]
        if tops:
            found.append((squash(file.text_of(element)), page, max(tops)))
    return found


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


def _explicit(file: PdfFile, destination: Any) -> Any:
    """A destination as its explicit array: a name is looked up, a dictionary opened."""
    if isinstance(destination, pikepdf.String | pikepdf.Name):
        destination = _named(file.pdf, str(destination).lstrip("/"))
    if isinstance(destination, pikepdf.Dictionary):
        destination = destination.get("/D")
    return destination if isinstance(destination, pikepdf.Array) and len(destination) else None


def _destination_page(file: PdfFile, destination: Any) -> int | None:
    """The page index a destination opens: an explicit [page ...] array, or a name."""
    explicit = _explicit(file, destination)
    if explicit is not None and isinstance(explicit[0], pikepdf.Dictionary):
        return file.page_numbers.get(explicit[0].objgen)
    return None


def _destination_top(destination: Any, file: PdfFile) -> float | None:
    """The height a destination puts at the top of the view, where it names one
    (/XYZ, /FitH, /FitBH and /FitR do; /Fit shows the whole page)."""
    explicit = _explicit(file, destination)
    if explicit is None or len(explicit) < 2:
        return None
    kind = str(explicit[1])
    index = {"/XYZ": 3, "/FitH": 2, "/FitBH": 2, "/FitR": 5}.get(kind)
    if index is None or len(explicit) <= index:
        return None
    value = explicit[index]
    return float(value) if isinstance(value, int | float | decimal.Decimal) else None


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
