"""A PDF's structure tree read once into plain data, which every rule walks.

Each step through a pikepdf object is a call into qpdf, and a dozen rules walked
the tree and each element's /K again; here the tree is walked once, and rules
work on Python lists. Each element keeps its pikepdf dictionary for the few
attributes rules read (/A, /Alt), so nothing is copied that nobody asks for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import pikepdf

Key = tuple[int, int]  # (page index, MCID) of a marked-content sequence


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """An object an element owns (a link or form field annotation), by its object
    number, and the page index its reference names (None when it names none)."""

    target: tuple[int, int]
    page: int | None


@dataclass(eq=False, slots=True)
class Element:
    """One structure element: its role as written, its place, and its kids in order:
    elements, marked-content sequences (as keys) and object references."""

    role: str
    objgen: tuple[int, int]
    path: tuple[str, ...]  # the roles of its ancestors, outermost first
    obj: pikepdf.Dictionary
    kids: list[Element | Key | ObjectRef] = field(default_factory=list)

    @property
    def elements(self) -> list[Element]:
        return [kid for kid in self.kids if isinstance(kid, Element)]

    @property
    def kid_roles(self) -> list[str]:
        return [kid.role for kid in self.elements]

    @property
    def contents(self) -> list[Key]:
        """The marked-content sequences it owns itself, in order."""
        return [kid for kid in self.kids if isinstance(kid, tuple)]

    @property
    def objects(self) -> list[ObjectRef]:
        return [kid for kid in self.kids if isinstance(kid, ObjectRef)]

    def attributes(self) -> list[pikepdf.Dictionary]:
        """Its attribute objects (/A may be one, or a list)."""
        value = self.obj.get("/A")
        items = value if isinstance(value, pikepdf.Array) else [value]
        return [item for item in items if isinstance(item, pikepdf.Dictionary)]


@dataclass(frozen=True)
class Tree:
    """The structure tree: the root's elements, and every element in reading order."""

    top: list[Element]
    every: list[Element]
    role_map: dict[str, str]  # role -> the role it maps to, without slashes
    present: bool  # the file has a structure tree with content

    @functools.cached_property
    def owners(self) -> dict[tuple[int, int], tuple[Element, ObjectRef]]:
        """Each annotation an element owns, by its object number: that element and
        its reference to it (which names a page). Three rules look annotations up."""
        return {ref.target: (element, ref) for element in self.every for ref in element.objects}

    def standard_role(self, element: Element) -> str:
        """The element's role as a standard one, through the role map (which may
        chain: a few steps, never for ever)."""
        name = element.role
        for _ in range(10):
            if name not in self.role_map:
                break
            name = self.role_map[name]
        return name


def read_tree(pdf: pikepdf.Pdf, page_numbers: dict[tuple[int, int], int]) -> Tree:
    """Walk /StructTreeRoot once; `page_numbers` maps a page's objgen to its index
    (a page the file does not list is index -1)."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return Tree([], [], {}, present=False)
    role_map = {
        str(name)[1:]: str(value)[1:]
        for name, value in root.get("/RoleMap", pikepdf.Dictionary()).items()
    }
    every: list[Element] = []

    def page_of(reference: Any) -> int | None:
        return None if reference is None else page_numbers.get(reference.objgen, -1)

    def element(obj: pikepdf.Dictionary, path: tuple[str, ...]) -> Element:
        made = Element(str(obj.S)[1:], obj.objgen, path, obj)
        every.append(made)
        page = obj.get("/Pg")
        for kid in _listed(obj.get("/K")):
            if isinstance(kid, int):
                at = page_of(page)
                if at is not None:
                    made.kids.append((at, kid))
            elif not isinstance(kid, pikepdf.Dictionary):
                continue
            elif "/S" in kid:
                made.kids.append(element(kid, (*path, made.role)))
            elif kid.get("/Type") == "/MCR":
                at = page_of(kid.get("/Pg", page))
                if at is not None:
                    made.kids.append((at, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                made.kids.append(ObjectRef(kid.Obj.objgen, page_of(kid.get("/Pg"))))
        return made

    top = [element(kid, ()) for kid in _listed(root.get("/K")) if _is_element(kid)]
    return Tree(top, every, role_map, present="/K" in root)


def _is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def _listed(value: Any) -> list[Any]:
    """/K as a list: it may be one object, an array, or absent."""
    if value is None:
        return []
    items = list(value) if isinstance(value, pikepdf.Array) else [value]
    return [int(item) if isinstance(item, int) else item for item in items]
