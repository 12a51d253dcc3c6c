"""The combined pack's contents page, laid out once the documents' page numbers
are known (see `document.render_pack`).

Each entry is one link (title and page number) tagged TOCI > Reference > Link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .tags import END, Node, TaggingCanvas

INDENT = 14  # points for a section under its document
NUMBER_COLUMN = 30  # points kept free on the right for page numbers
# Smallest type the contents may shrink to so that it fits on one page.
SMALLEST_SCALE = 0.8
FEWEST_ON_A_PAGE = 3  # entries a contents page holds, at the least, when it must break


@dataclass(frozen=True)
class Entry:
    """One line of the contents: a document (level 0) or one of its sections (1)."""

    level: int
    title: str
    key: str  # the bookmark its link opens


@dataclass(frozen=True)
class ContentsStyle:
    font: str
    bold: str
    size: float
    leading: float
    ink: colors.Color
    muted: colors.Color


class Contents(Flowable):  # type: ignore[misc]
    """The entries, shrunk a little if that makes them fit one page, else split
    between pages at a document's first entry so no page holds a stray line."""

    def __init__(
        self,
        entries: list[Entry],
        style: ContentsStyle,
        node: Node,
        pages: Mapping[str, int],
        scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.entries = entries
        self.style = style
        self.node = node
        self.pages = pages  # bookmark key -> page number, filled in while laying out
        self.scale = scale

    # -------------------------------------------------------------- measuring

    def _size(self, scale: float) -> tuple[float, float]:
        return self.style.size * scale, self.style.leading * scale

    def _lines(self, entry: Entry, width: float, scale: float) -> list[str]:
        size, _ = self._size(scale)
        font = self.style.bold if entry.level == 0 else self.style.font
        room = width - INDENT * entry.level - NUMBER_COLUMN
        return simpleSplit(entry.title, font, size, room) or [""]

    def _space_before(self, index: int, entry: Entry, scale: float) -> float:
        return 0.0 if index == 0 or entry.level else self.style.leading * scale * 0.6

    def _heights(self, width: float, scale: float) -> list[float]:
        """The height of the first i entries, for every i: one pass, each entry measured
        once (a split asks about every place it might cut)."""
        _, leading = self._size(scale)
        heights = [0.0]
        for i, e in enumerate(self.entries):
            lines = len(self._lines(e, width, scale))
            heights.append(heights[-1] + (self._space_before(i, e, scale) + leading * lines))
        return heights

    def _height(self, width: float, scale: float) -> float:
        return self._heights(width, scale)[-1]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        scale = self.scale
        while self._height(available_width, scale) > available_height and scale > SMALLEST_SCALE:
            scale = round(scale - 0.05, 2)
        if self._height(available_width, scale) <= available_height:
            self.scale = scale
        self.height = self._height(available_width, self.scale)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Two parts of balanced length, divided before a document's title; when one
        document's entries run past a whole page, as many as fit, leaving at least
        `FEWEST_ON_A_PAGE` for the next page so no page holds a stray line."""

        heights = self._heights(available_width, self.scale)

        def fits(i: int) -> bool:
            return heights[i] <= available_height

        starts = [i for i, e in enumerate(self.entries) if e.level == 0 and i and fits(i)]
        if starts:
            middle = len(self.entries) / 2
            cut = min(starts, key=lambda i: abs(i - middle))
        elif available_height < self._whole_page() / 2:
            return []  # at a page foot: the document's entries start on the next page
        else:
            last = len(self.entries) - FEWEST_ON_A_PAGE
            cut = next((i for i in range(last, FEWEST_ON_A_PAGE - 1, -1) if fits(i)), 0)
            if not cut:
                return []
        return [
            Contents(self.entries[:cut], self.style, self.node, self.pages, self.scale),
            Contents(self.entries[cut:], self.style, self.node, self.pages, self.scale),
        ]

    def _whole_page(self) -> float:
        """The height a page's frame gives its content, inside its padding."""
        frame = self._doctemplateAttr("frame")
        if frame is None:
            return 0.0
        return float(frame.height - frame.topPadding - frame.bottomPadding)

    # -------------------------------------------------------------- drawing

    def draw(self) -> None:
        canvas: TaggingCanvas = self.canv
        tagger = canvas.tagger
        size, leading = self._size(self.scale)
        top = self.height
        for index, entry in enumerate(self.entries):
            top -= self._space_before(index, entry, self.scale)
            lines = self._lines(entry, self.width, self.scale)
            font = self.style.bold if entry.level == 0 else self.style.font
            x = INDENT * entry.level
            link = self.node.add("TOCI", dynamic=True).add("Reference").add("Link")
            link.text = entry.title
            canvas._code.append(tagger.open(link))
            canvas.setFont(font, size)
            canvas.setFillColor(self.style.ink)
            baseline = top
            for line in lines:
                baseline -= leading
                # A space after every line keeps the words of the title and the
                # number apart for anyone who reads or copies the text.
                canvas.drawString(x, baseline + leading * 0.28, line + " ")
            number = str(self.pages[entry.key])
            link.text = f"{entry.title} {number}"
            canvas.drawRightString(self.width, baseline + leading * 0.28, number)
            canvas._code.append(END)
            last_width = stringWidth(lines[-1] + " ", font, size)
            self._leader(canvas, x + last_width, baseline + leading * 0.28, size)
            bottom = top - leading * len(lines)
            canvas.link_owner = link
            # The link opens its own line until the pack points it at the heading it
            # names, which is in another file until then (see `combine`).
            canvas.bookmarkPage(entry.key)
            canvas.linkRect("", entry.key, (x, bottom, self.width, top), relative=1)
            canvas.link_owner = None
            top = bottom

    def _leader(self, canvas: TaggingCanvas, start: float, baseline: float, size: float) -> None:
        """Dots from the title to its page number: decoration, so an artifact."""
        end = self.width - NUMBER_COLUMN + 4
        if end - start < 12:
            return
        with canvas.artifact():
            canvas.saveState()
            canvas.setStrokeColor(self.style.muted)
            canvas.setLineWidth(0.6)
            canvas.setDash([0.6, 2.4])
            canvas.line(start + 3, baseline + size * 0.1, end, baseline + size * 0.1)
            canvas.restoreState()
