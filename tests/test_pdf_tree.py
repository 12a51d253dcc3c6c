"""The audit's one reading of a PDF's structure tree agrees with pypdf's walk of it:
every element in reading order, its ancestors' roles, and the marked content and
annotations it owns. Every structure rule and the layout rules' owners read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject

from esafety_docs.audit.pdf_reading import PdfFile
from esafety_docs.audit.pdf_tree import Element, ObjectRef

Entry = tuple[str, tuple[str, ...], list[Any]]


def _pypdf_walk(path: Path) -> list[Entry]:
    reader = pypdf.PdfReader(path)
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}  # type: ignore[union-attr]
    found: list[Entry] = []

    def page_of(reference: Any) -> int | None:
        return None if reference is None else pages.get(reference.idnum, -1)

    def walk(element: DictionaryObject, path: tuple[str, ...]) -> None:
        role = str(element["/S"])[1:]
        owned: list[Any] = []
        found.append((role, path, owned))
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, ArrayObject) else [] if kids is None else [kids]
        page = element.get("/Pg")
        for kid in kids:
            target = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(target, int):
                owned.append((page_of(page.indirect_reference if page else None), int(target)))
            elif isinstance(target, DictionaryObject) and "/S" in target:
                walk(target, (*path, role))
            elif isinstance(target, DictionaryObject) and target.get("/Type") == "/MCR":
                where = target.raw_get("/Pg") if "/Pg" in target else element.raw_get("/Pg")
                owned.append((page_of(where), int(target["/MCID"])))  # type: ignore[call-overload]
            elif isinstance(target, DictionaryObject) and target.get("/Type") == "/OBJR":
                where = target.raw_get("/Pg") if "/Pg" in target else None
                owned.append(("object", target.raw_get("/Obj").idnum, page_of(where)))

    root: Any = reader.trailer["/Root"]
    top = root["/StructTreeRoot"]["/K"]
    for kid in top if isinstance(top, ArrayObject) else [top]:
        walk(kid.get_object(), ())
    return found


def _ours(path: Path) -> list[Entry]:
    file = PdfFile(path)
    try:

        def owned(element: Element) -> list[Any]:
            return [
                ("object", kid.target[0], kid.page) if isinstance(kid, ObjectRef) else kid
                for kid in element.kids
                if not isinstance(kid, Element)
            ]

        return [(e.role, e.path, owned(e)) for e in file.elements()]
    finally:
        file.close()


@pytest.mark.parametrize("kind", ["documents", "pack"])
def test_the_tree_snapshot_is_the_tree_pypdf_reads(pack_folder: Path, kind: str) -> None:
    pack = [p for p in pack_folder.glob("*.pdf") if "pack" in p.name]
    files = pack if kind == "pack" else sorted(set(pack_folder.glob("*.pdf")) - set(pack))
    assert files
    for path in files:
        theirs, ours = _pypdf_walk(path), _ours(path)
        assert len(ours) > 50
        assert ours == theirs, path.name
