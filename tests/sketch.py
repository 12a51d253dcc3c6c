"""Pages drawn by hand, operator by operator, for the layout rules' tests: each
test says exactly what is on the page, in the standard Helvetica, and no
renderer of ours is involved."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pikepdf

BODY = 10.5


class Sketch:
    """A PDF drawn operator by operator. With `tagged`, text goes into marked
    content owned by named structure elements (one element may own text on
    several pages, as a paragraph split over a page does), and furniture is
    marked as an artifact."""

    def __init__(self, tagged: bool = False) -> None:
        self.tagged = tagged
        self.pages: list[list[str]] = []
        self.links: list[tuple[int, tuple[float, float, float, float], str]] = []
        self.elements: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        self.opacities: dict[str, float] = {}
        self._mcids: list[int] = []

    def page(self) -> Sketch:
        """A new page, with a running footer as real pages have."""
        self.pages.append([])
        self._mcids.append(0)
        return self.text(60, 40, f"Page {len(self.pages)}", size=8, furniture=True)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = BODY,
        bold: bool = False,
        colour: str = "#1B1B1B",
        role: str = "P",
        element: str | None = None,
        furniture: bool = False,
        angle: float = 0.0,
        alpha: float | None = None,
    ) -> Sketch:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops = (
            f"{r:.3f} {g:.3f} {b:.3f} rg BT /{'F2' if bold else 'F1'} {size} Tf "
            f"{cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x} {y} Tm ({escaped}) Tj ET"
        )
        if alpha is not None:
            name = f"A{len(self.opacities)}"
            self.opacities[name] = alpha
            ops = f"q /{name} gs {ops} Q"
        self.pages[-1].append(self._marked(ops, role, element, furniture))
        return self

    def lines(self, texts: list[str], top: float, size: float = BODY, **style: Any) -> float:
        """Lines one under another from `top`; returns the baseline after the last."""
        y = top
        for text in texts:
            self.text(60, y, text, size=size, **style)
            y -= size * 1.45
        return y

    def box(self, x: float, y: float, width: float, height: float, colour: str) -> Sketch:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        ops = f"{r:.3f} {g:.3f} {b:.3f} rg {x} {y} {width} {height} re f"
        self.pages[-1].append(self._marked(ops, "", None, furniture=True))
        return self

    def link(self, rect: tuple[float, float, float, float], uri: str) -> Sketch:
        self.links.append((len(self.pages) - 1, rect, uri))
        return self

    def _marked(self, ops: str, role: str, element: str | None, furniture: bool) -> str:
        if not self.tagged:
            return ops
        if furniture:
            return f"/Artifact BMC {ops} EMC"
        page = len(self.pages) - 1
        mcid = self._mcids[page]
        self._mcids[page] += 1
        name = element or f"{role}-{page}-{mcid}"
        self.elements.setdefault(name, (role, []))[1].append((page, mcid))
        return f"/{role} <</MCID {mcid}>> BDC {ops} EMC"

    def save(self, path: Path) -> Path:
        pdf = pikepdf.new()
        fonts = pikepdf.Dictionary(
            F1=_standard_font(pdf, "/Helvetica"), F2=_standard_font(pdf, "/Helvetica-Bold")
        )
        states = pikepdf.Dictionary(
            {
                f"/{name}": pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=alpha)
                for name, alpha in self.opacities.items()
            }
        )
        for ops in self.pages:
            page = pdf.add_blank_page(page_size=(595, 842))
            page.Resources = pikepdf.Dictionary(Font=fonts, ExtGState=states)
            page.Contents = pdf.make_stream("\n".join(ops).encode("cp1252"))
        for index, rect, uri in self.links:
            annotation = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=list(rect),
                    A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=uri),
                )
            )
            pdf.pages[index].obj.Annots = pikepdf.Array([annotation])
        if self.tagged:
            self._structure(pdf)
        pdf.save(path)
        return path

    def _structure(self, pdf: pikepdf.Pdf) -> None:
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
        )
        children = []
        for role, sequences in self.elements.values():
            marked = [
                pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pdf.pages[page].obj, MCID=mcid)
                for page, mcid in sequences
            ]
            children.append(
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.StructElem,
                        S=pikepdf.Name("/" + role),
                        P=document,
                        K=marked,
                    )
                )
            )
        document.K = children
        root.K = document
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _standard_font(pdf: pikepdf.Pdf, name: str) -> Any:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name(name),
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
