"""Finished tagged PDFs joined into one: the combined pack, with PDF internals
kept here as `tags` keeps those of a single file.

Every document starts on a new page, so the pack can hold each document's own
PDF, pages as they were laid out, rather than typeset everything again: pikepdf
copies the pages (with their links and form fields), each file's structure tree
becomes a Part of the pack's, the parent tree's keys move up past the ones
before, the outline gains an entry per document above the document's own, the
contents page's links are pointed at the headings they name, and every page
gets the pack's "Page X of Y" (see `tags.renumber_pages`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from .tags import renumber_pages, save, tag_font_subsets


@dataclass(frozen=True)
class Heading:
    """An outline entry of a finished PDF: where its heading is, and those below it."""

    title: str
    page: int  # index in its own file
    top: float | None  # the height the view opens at, None for the top of the page
    below: tuple[Heading, ...]
    closed: bool


@dataclass(frozen=True)
class Part:
    """One finished file of the pack, the title its outline entry and contents line
    carry, and what `read_part` found in it."""

    data: bytes
    title: str
    pages: int
    headings: tuple[Heading, ...]


def read_part(data: bytes, title: str) -> Part:
    """A finished PDF as a part: its page count and its outline, read back from it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            headings = tuple(_heading(item, pages) for item in outline.root)
        return Part(data, title, len(pdf.pages), headings)


@dataclass(frozen=True)
class Target:
    """Where one contents link opens: a part, a page in it and a height on that page."""

    part: int
    page: int
    top: float | None


def _heading(item: OutlineItem, pages: dict[tuple[int, int], int]) -> Heading:
    page, top = _place(item.destination, pages)
    below = tuple(_heading(child, pages) for child in item.children)
    return Heading(str(item.title), page, top, below, bool(item.is_closed))


def _place(destination: object, pages: dict[tuple[int, int], int]) -> tuple[int, float | None]:
    """(page index, top) of an explicit destination, as reportlab writes them."""
    if not isinstance(destination, Array) or not len(destination):
        return 0, None
    page = pages.get(destination[0].objgen, 0)
    kind = destination[1] if len(destination) > 1 else Name.Fit
    if kind == Name.XYZ and len(destination) > 3 and destination[3] is not None:
        return page, float(destination[3])
    return page, None


def combine(front: bytes, parts: Sequence[Part], links: Sequence[Target], numbers: bytes) -> bytes:
    """`front` (finished: the pack's cover and contents, whose metadata the whole
    takes) followed by every part; `links` are the contents page's links, in the
    order drawn; `numbers` holds one "Page X of Y" page per page of the whole."""
    with pikepdf.open(io.BytesIO(front)) as pdf:
        tree = pdf.Root.StructTreeRoot
        document = tree.K
        numbers_list = list(tree.ParentTree.Nums)
        next_key = int(tree.ParentTreeNextKey)
        starts: list[int] = []
        for part in parts:
            start = len(pdf.pages)
            starts.append(start)
            with pikepdf.open(io.BytesIO(part.data)) as source:
                for page in source.pages:
                    pdf.pages.append(page)
                added = pdf.pages[start:]
                _join_form(pdf, source, added)
                next_key = _join_structure(pdf, source, document, added, numbers_list, next_key)
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(numbers_list)))
        tree.ParentTreeNextKey = next_key
        _point_links(pdf, links, starts)
        _write_outline(pdf, list(zip(parts, starts, strict=True)))
        renumber_pages(pdf, numbers)
        _share_duplicates(pdf)
        tag_font_subsets(pdf)
        return save(pdf)


def _join_structure(
    pdf: pikepdf.Pdf,
    source: pikepdf.Pdf,
    document: pikepdf.Object,
    added: Sequence[pikepdf.Page],
    numbers: list[Any],
    next_key: int,
) -> int:
    """The source's Document element becomes a Part of `document`; its parent tree
    keys (and the pages' and annotations' references to them) move up by `next_key`.
    Returns the next free key. The pages are already copied, so every reference the
    copied elements make to a page or an annotation lands on the copy."""
    tree = source.Root.StructTreeRoot
    element = pdf.copy_foreign(tree.K)
    element.S = Name.Part
    element.P = document
    document.K.append(element)
    pairs = list(tree.ParentTree.Nums)
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        numbers += [int(key) + next_key, _copied(pdf, value)]
    for page in added:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + next_key
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + next_key
    return next_key + int(tree.ParentTreeNextKey)


def _share_duplicates(pdf: pikepdf.Pdf) -> None:
    """Streams the parts each brought alike (the logo, a font program two documents
    subset the same way) kept once, every reference moved to the one kept. Streams
    that differ only in what they refer to (a picture and its mask) become alike
    once those are shared, so it goes round until nothing more is shared."""
    dropped: set[tuple[int, int]] = set()  # no longer referred to; qpdf leaves them out
    while True:
        kept: dict[tuple[bytes, str], pikepdf.Object] = {}
        moved: dict[tuple[int, int], pikepdf.Object] = {}
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream) or obj.objgen in dropped:
                continue
            entries = repr(sorted((str(k), repr(v)) for k, v in obj.items() if k != "/Length"))
            first = kept.setdefault((obj.read_raw_bytes(), entries), obj)
            if first is not obj:
                moved[obj.objgen] = first
        if not moved:
            return
        dropped |= moved.keys()
        for obj in list(pdf.objects):  # the catalog and every page among them
            if isinstance(obj, Dictionary | Array | pikepdf.Stream) and obj.objgen not in dropped:
                _move_references(obj, moved)


def _move_references(
    container: pikepdf.Object, moved: dict[tuple[int, int], pikepdf.Object]
) -> None:
    """References in `container` (and the direct objects inside it) to a moved stream
    point at the one kept instead."""
    items: list[tuple[Any, Any]] = (
        list(enumerate(container)) if isinstance(container, Array) else list(container.items())
    )
    for key, value in items:
        if not isinstance(value, pikepdf.Object):
            continue  # a number, name or string pikepdf hands over as a Python value
        if value.is_indirect:
            if value.objgen in moved:
                container[key] = moved[value.objgen]
        elif isinstance(value, Dictionary | Array):
            _move_references(value, moved)


def _join_form(pdf: pikepdf.Pdf, source: pikepdf.Pdf, added: Sequence[pikepdf.Page]) -> None:
    """The source's fill-in fields join the pack's form. Each is one field and its
    widget in one dictionary, already copied with its page; the form's defaults (its
    font and appearance) come along the first time."""
    if "/AcroForm" not in source.Root:
        return
    if "/AcroForm" not in pdf.Root:
        form = source.Root.AcroForm
        pdf.Root.AcroForm = Dictionary(
            Fields=Array(), DA=form.get("/DA", ""), DR=_copied(pdf, form.get("/DR", Dictionary()))
        )
    fields = pdf.Root.AcroForm.Fields
    for page in added:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == Name.Widget:
                fields.append(annotation)


def _copied(pdf: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """A foreign value in `pdf`: indirect objects copied (or found already copied),
    direct arrays and dictionaries rebuilt around them."""
    if value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copied(pdf, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copied(pdf, item) for key, item in value.items()})
    return value


def _front_links(pdf: pikepdf.Pdf, before: int) -> Iterator[pikepdf.Object]:
    """Link annotations of the pages before the first part, in the order drawn."""
    for page in pdf.pages[:before]:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == Name.Link and "/Dest" in annotation:
                yield annotation


def _point_links(pdf: pikepdf.Pdf, links: Sequence[Target], starts: list[int]) -> None:
    """Each contents link, drawn pointing at its own page, now opens its heading."""
    found = list(_front_links(pdf, starts[0] if starts else len(pdf.pages)))
    if len(found) != len(links):
        raise ValueError(f"the contents page has {len(found)} links for {len(links)} entries")
    for annotation, target in zip(found, links, strict=True):
        annotation.Dest = _destination(pdf, starts[target.part] + target.page, target.top)


def _destination(pdf: pikepdf.Pdf, page: int, top: float | None) -> Array:
    if top is None:
        return Array([pdf.pages[page].obj, Name.Fit])
    return Array([pdf.pages[page].obj, Name.XYZ, 0, top, None])


def _write_outline(pdf: pikepdf.Pdf, parts: list[tuple[Part, int]]) -> None:
    """One entry per part, opening its first page, with the part's own outline below."""

    def item(heading: Heading, start: int) -> OutlineItem:
        entry = OutlineItem(heading.title, _destination(pdf, start + heading.page, heading.top))
        entry.children.extend(item(child, start) for child in heading.below)
        entry.is_closed = heading.closed
        return entry

    with pdf.open_outline() as outline:
        outline.root.clear()
        for part, start in parts:
            top = OutlineItem(part.title, _destination(pdf, start, None))
            top.children.extend(item(heading, start) for heading in part.headings)
            outline.root.append(top)
