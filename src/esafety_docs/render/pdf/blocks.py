"""The blocks `expand` gives, as tagged reportlab flowables.

Each flowable is made with the structure element it belongs to. Page breaks are
kept where a reader expects them: a heading always has at least two lines of
what follows on its page, a list's number stays with its item, a table row is
never split, contact cards are never split, and the back of a one-page sheet
starts on a new page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Table,
    TableStyle,
)

from ...reading.model import (
    BulletList,
    Emph,
    FillIn,
    Heading,
    Inlines,
    Link,
    NumberedList,
    Strong,
    Text,
)
from ...reading.model import Paragraph as ParagraphBlock
from ...reading.model import Table as TableBlock
from ..common import LABEL_GAP, Address, BackPage, Cards, RenderBlock, keeps_with_next
from .addresses import breakable, is_address
from .styles import Styles
from .tags import FillInField, Node, TableDecoration, TaggedParagraph, address_mark

Mark = Callable[[Flowable, int, str], None]  # give a heading its bookmark and outline level
# An address longer than this (in characters) may not fit the rest of a line, and
# reportlab breaks a word only once: it starts on a line of its own.
LONG_ADDRESS = 90


def markup(inlines: Inlines, styles: Styles) -> str:
    """Inline nodes as reportlab paragraph markup; every source character is escaped."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Address):
            colour = "#" + styles.muted.hexval()[2:]
            words = breakable(node.text)
            start = ""
            if len(node.text) > LONG_ADDRESS:  # starts a line, so it breaks at most once
                words, start = words.lstrip(), "<br/>"
            font = f'<font size="{styles.address_size}" color="{colour}">'
            out.append(
                f"{address_mark('start', words)}{font}{start}{escape(words)}</font>"
                f"{address_mark('end')}"
            )
        elif isinstance(node, Text):
            out.append(escape(node.text))
        elif isinstance(node, Strong):
            out.append(f"<b>{markup(node.children, styles)}</b>")
        elif isinstance(node, Emph):
            out.append(f"<i>{markup(node.children, styles)}</i>")
        elif isinstance(node, Link):
            href = escape(node.url, {'"': "&quot;"})
            text = markup(node.children, styles)
            link = f'<a href="{href}" color="{styles.link_color}"><u>{text}</u></a>'
            words = "".join(c.text for c in node.children if isinstance(c, Text))
            if len(node.children) == 1 and is_address(words):  # read whole where it wraps
                link = f"{address_mark('start', words)}{link}{address_mark('end')}"
            out.append(link)
    return "".join(out)


def paragraph(text: str, style: Any, node: Node) -> TaggedParagraph:
    """A paragraph of plain (escaped) text owned by `node`."""
    return TaggedParagraph(escape(text), style).tagged(node)


class BlockWriter:
    """Turns blocks into flowables under a parent structure element."""

    def __init__(
        self,
        styles: Styles,
        mark: Mark,
        text_width: float,
        compact: bool = False,
        back_width: float | None = None,
    ) -> None:
        self.styles = styles
        self.mark = mark
        self.text_width = text_width
        # The back of a sheet is an ordinary page: its tables fit that page's margins.
        self.back_width = back_width or text_width
        self.headings = styles.sheet_headings if compact else styles.headings
        self.section = ""  # the heading above, to name form fields after

    def write(
        self, blocks: Sequence[RenderBlock], parent: Node, lead: int | None = None
    ) -> list[Flowable]:
        """The blocks as flowables; the block at `lead` is a sheet's first line, set large."""
        story: list[Flowable] = []
        for index, block in enumerate(blocks):
            flowables = self.block(block, parent, large=index == lead)
            for flowable in flowables if keeps_with_next(blocks, index) else ():
                flowable.lead_in = True  # not reportlab's keepWithNext: RoomFor does it
            story += flowables
        return keep_headings_with_text(story)

    def block(self, block: RenderBlock, parent: Node, large: bool = False) -> list[Flowable]:
        styles = self.styles
        if isinstance(block, Heading):
            # The document title is the one H1; section levels 1-4 are H2-H5.
            heading = paragraph(
                block.text, self.headings[block.level - 1], parent.add(f"H{block.level + 1}")
            )
            self.mark(heading, block.level, block.text)
            self.section = block.text
            return [heading]
        if isinstance(block, ParagraphBlock):
            style = styles.callout if large else styles.body
            node = parent.add("P")
            return [TaggedParagraph(markup(block.inlines, styles), style).tagged(node)]
        if isinstance(block, BulletList | NumberedList):
            numbering = "Decimal" if isinstance(block, NumberedList) else "Disc"
            return self.list(block, parent.add("L", numbering=numbering))
        if isinstance(block, TableBlock):
            return [self.table(block, parent.add("Table"))]
        if isinstance(block, Cards):
            return [self.cards(block, parent)]
        if isinstance(block, FillIn):
            return [FillInBox(block.labels, self.section, styles, parent)]
        if isinstance(block, BackPage):
            self.text_width = self.back_width
            return [ToTheBack()]
        raise TypeError(f"{type(block).__name__} should have been expanded")  # pragma: no cover

    def list(
        self,
        block: BulletList | NumberedList,
        node: Node,
        style: Any = None,
        labelled: bool = True,
    ) -> list[Flowable]:
        styles = self.styles
        numbered = isinstance(block, NumberedList)
        labels = [f"{n}." if numbered else "\u2022" for n in range(1, len(block.items) + 1)]
        # Wide enough for the widest label, so "10." never wraps away from its item.
        widest = max(stringWidth(label, styles.font, styles.body.fontSize) for label in labels)
        indent = widest + LABEL_GAP
        items: list[Flowable] = []
        for label, inlines in zip(labels, block.items, strict=True):
            item = node.add("LI")
            mark = paragraph(label, styles.body, item.add("Lbl")) if labelled else None
            body = TaggedParagraph(markup(inlines, styles), style or styles.list_body)
            items.append(ListItem(mark, body.tagged(item.add("LBody")), indent if labelled else 0))
        if items:
            items[-1].spaceAfter = styles.body.spaceAfter
        return items

    def table(self, block: TableBlock, node: Node) -> Table:
        styles = self.styles
        head = node.add("THead").add("TR")
        rows: list[list[Any]] = [
            [
                paragraph(text, styles.header_cell, head.add("TH", scope="Column"))
                for text in block.header
            ]
        ]
        body = node.add("TBody")
        for row in block.rows:
            row_node = body.add("TR")
            cells: list[Any] = []
            for index, cell in enumerate(row):
                is_header = block.row_headers and index == 0
                cell_node = row_node.add("TH", scope="Row") if is_header else row_node.add("TD")
                style = styles.row_header_cell if is_header else styles.cell
                cells.append(
                    [
                        TaggedParagraph(markup(line, styles), style).tagged(cell_node)
                        for line in cell
                    ]
                )
            rows.append(cells)
        table = KeptTable(
            rows,
            colWidths=[self.text_width * share for share in block.widths],
            repeatRows=1,
            renderCB=TableDecoration(node),
        )
        table.setStyle(table_style(styles))
        table.spaceAfter = styles.body.spaceAfter
        table.keep_with_following = block.keep_with_next
        return table

    def cards(self, block: Cards, parent: Node) -> Flowable:
        """Contact cards in two balanced columns; no card is split."""
        styles = self.styles
        kept: list[list[Flowable]] = []
        for card in block.cards:
            flowables: list[Flowable] = []
            for part in card:
                if isinstance(part, Heading):
                    node = parent.add(f"H{part.level + 1}")
                    heading = paragraph(part.text, styles.card_heading, node)
                    self.mark(heading, part.level, part.text)
                    flowables.append(heading)
                elif isinstance(part, ParagraphBlock):
                    node = parent.add("P")
                    text = markup(part.inlines, styles)
                    flowables.append(TaggedParagraph(text, styles.card_text).tagged(node))
                elif isinstance(part, BulletList):
                    details = self.list(
                        part, parent.add("L", numbering="None"), styles.detail, False
                    )
                    flowables += details
            kept.append(flowables)
        return CardColumns(kept, gap=16, space=styles.body.fontSize * 0.7)


class CardColumns(Flowable):  # type: ignore[misc]
    """Cards in two columns, in reading order down the first column and then the
    second, balanced in height; no card is ever split. When they do not fit the
    rest of the page, the cards that do fit stay and the others move on."""

    def __init__(self, cards: list[list[Flowable]], gap: float, space: float) -> None:
        super().__init__()
        self.cards = cards
        self.gap = gap
        self.space = space  # between cards
        self.spaceAfter = space * 0.5

    def _heights(self, width: float) -> list[float]:
        column = (width - self.gap) / 2
        heights = []
        for card in self.cards:
            total = 0.0
            for index, flowable in enumerate(card):
                _, h = flowable.wrap(column, 10_000)
                total += h + (flowable.getSpaceBefore() if index else 0)
                total += flowable.getSpaceAfter() if index < len(card) - 1 else 0
            heights.append(total + self.space)
        return heights

    def _balance(self, heights: list[float]) -> tuple[int, float]:
        """How many cards go in the first column, and the taller column's height."""
        best = min(
            range(len(heights) + 1),
            key=lambda k: (max(sum(heights[:k]), sum(heights[k:])), -k),
        )
        return best, max(sum(heights[:best]), sum(heights[best:]))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.heights = self._heights(available_width)
        self.first, self.height = self._balance(self.heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        heights = self._heights(available_width)
        fit = 0
        while fit < len(heights):
            _, tallest = self._balance(heights[: fit + 1])
            if tallest > available_height:
                break
            fit += 1
        if fit == 0 or fit == len(heights):
            return []
        return [
            CardColumns(self.cards[:fit], self.gap, self.space),
            CardColumns(self.cards[fit:], self.gap, self.space),
        ]

    def draw(self) -> None:
        column = (self.width - self.gap) / 2
        document = getattr(self.canv, "_doctemplate", None)
        for index, card in enumerate(self.cards):
            in_first = index < self.first
            x = 0 if in_first else column + self.gap
            above = self.heights[:index] if in_first else self.heights[self.first : index]
            top = self.height - sum(above)
            for position, flowable in enumerate(card):
                if position:
                    top -= flowable.getSpaceBefore()
                _, h = flowable.wrap(column, 10_000)
                flowable.drawOn(self.canv, x, top - h)
                top -= h + flowable.getSpaceAfter()
                if document is not None and getattr(flowable, "bookmark", None) is not None:
                    document.afterFlowable(flowable)  # its outline entry and destination


class ListItem(Flowable):  # type: ignore[misc]
    """A label in the margin and the item's text beside it; the text may split across
    pages, keeping at least two lines with its label."""

    def __init__(self, label: TaggedParagraph | None, body: TaggedParagraph, indent: float) -> None:
        super().__init__()
        self.label = label
        self.body = body
        self.indent = indent
        self.spaceAfter = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _, self.height = self.body.wrap(available_width - self.indent, available_height)
        if self.label is not None:
            self.label.wrap(self.indent, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.body.split(available_width - self.indent, available_height)
        if len(parts) < 2:
            return []
        first = ListItem(self.label, parts[0], self.indent)
        rest = ListItem(None, parts[1], self.indent)
        rest.spaceAfter = self.spaceAfter
        return [first, rest]

    def getSpaceAfter(self) -> float:
        return self.spaceAfter

    def draw(self) -> None:
        if self.label is not None:
            self.label.drawOn(self.canv, 0, self.height - self.label.height)
        self.body.drawOn(self.canv, self.indent, 0)


class FillInBox(Flowable):  # type: ignore[misc]
    """Labelled lines to write on, each with a form field over it (tagged Form); side
    by side on one line where the page is wide enough for them."""

    LINE = 24.0
    SHORTEST = 150.0  # the least room a line to write on may have

    def __init__(self, labels: tuple[str, ...], topic: str, styles: Styles, parent: Node) -> None:
        super().__init__()
        self.styles = styles
        self.fields = []
        for label in labels:
            text = paragraph(label, styles.fill_label, parent.add("P"))
            tooltip = f"{topic}: {label.lower()}" if topic else label
            self.fields.append((text, parent.add("Form"), tooltip, label))
        self.spaceAfter = styles.body.spaceAfter

    def _label_width(self, label: str) -> float:
        return float(stringWidth(label, self.styles.bold, self.styles.fill_label.fontSize))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        count = len(self.fields)
        labels = sum(self._label_width(label) + 12 for _, _, _, label in self.fields)
        self.across = count > 1 and labels + count * self.SHORTEST + 16 * count <= self.width
        self.height = self.LINE * (1 if self.across else count) + 6
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        column = self.width / len(self.fields) if self.across else self.width
        widest = max(self._label_width(label) for _, _, _, label in self.fields)
        for index, (label_paragraph, field, tooltip, label) in enumerate(self.fields):
            row, place = (0, index) if self.across else (index, 0)
            left = place * column
            right = left + column - (16 if self.across and index < len(self.fields) - 1 else 0)
            baseline = self.height - 3 - self.LINE * (row + 1) + 7
            label_width = self._label_width(label) if self.across else widest
            label_paragraph.wrap(label_width + 4, self.LINE)
            label_paragraph.drawOn(canvas, left, baseline - 2)
            start = left + label_width + 10
            with canvas.artifact():
                canvas.saveState()
                canvas.setStrokeColor(self.styles.muted)
                canvas.setLineWidth(0.6)
                canvas.line(start, baseline - 3, right, baseline - 3)
                canvas.restoreState()
            name = "".join(c if c.isalnum() else "_" for c in tooltip.lower()).strip("_")
            canvas.tagger.form_field(
                canvas,
                FillInField(name, tooltip, field),
                (start, baseline - 2, right, baseline - 2 + self.LINE - 6),
            )


def table_style(styles: Styles) -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), styles.font, styles.cell.fontSize),
            ("BACKGROUND", (0, 0), (-1, 0), styles.primary),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [styles.paper, styles.light]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.muted),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )


# ------------------------------------------------------------------ page breaks

# A table this tall or shorter (a third of a page of text) moves to the next page
# whole rather than split; a longer one leaves at least two rows on each page.
SHORT_TABLE = 250.0
LEAST_ROWS = 2


class KeptTable(Table):  # type: ignore[misc]
    """A table that never leaves a row or two stranded on a page of its own."""

    keep_with_following = False  # kept on the page with what follows (see RoomFor)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if self.kept_whole():
            return []
        height = available_height
        while True:
            parts = super().split(available_width, height)
            if len(parts) < 2:
                return list(parts)
            first, rest = parts
            if len(first._cellvalues) - 1 < LEAST_ROWS:
                return []  # too little room here: it starts on the next page
            if len(rest._cellvalues) - 1 >= LEAST_ROWS:  # its repeated header row aside
                return list(parts)
            height -= first._rowHeights[-1]  # take one more row over with it

    def kept_whole(self) -> bool:
        return bool(self._height <= SHORT_TABLE)


class ToTheBack(CondPageBreak):  # type: ignore[misc]
    """A sheet's back: a new page while the front is still being filled. If the front
    has already run over onto a second page, what follows goes on that page, rather
    than leaving it nearly empty."""

    def __init__(self) -> None:
        super().__init__(0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        on_front = self._doctemplateAttr("page") == 1
        self.height = available_height + 1 if on_front else 0
        return super().wrap(available_width, available_height)  # type: ignore[no-any-return]


class RoomFor(CondPageBreak):  # type: ignore[misc]
    """Before a heading: start a new page unless the heading and at least two lines of
    what follows it (through any short lead-in and the next heading) fit here."""

    def __init__(self, flowables: list[Flowable]) -> None:
        super().__init__(0)
        self.flowables = flowables

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = needed_after_heading(self.flowables, available_width, available_height)
        return super().wrap(available_width, available_height)  # type: ignore[no-any-return]


def keep_headings_with_text(story: list[Flowable]) -> list[Flowable]:
    """Put a `RoomFor` before every heading, and every lead-in (a paragraph that
    introduces what follows it)."""
    out: list[Flowable] = []
    for index, flowable in enumerate(story):
        if _is_heading(flowable) or _is_lead_in(flowable):
            out.append(RoomFor(story[index : index + 6]))
        out.append(flowable)
    return out


def needed_after_heading(flowables: list[Flowable], width: float, height: float) -> float:
    """The height of a heading and what must stay with it: content until two lines of
    body text have been counted (a table counts its header row and two rows, a short
    table all of it), through the headings of its sub-sections but not past the next
    section of its own level or above: a short section that ends here is whole."""
    needed, lines = 0.0, 0
    level = _heading_level(flowables[0]) if flowables else None
    for index, flowable in enumerate(flowables):
        if lines >= 2:
            break
        later = _heading_level(flowable) if index else None
        if later is not None and level is not None and later <= level:
            break
        if _is_heading(flowable) or _is_lead_in(flowable):
            _, h = flowable.wrap(width, height)
            needed += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
            continue
        if isinstance(flowable, CardColumns):
            flowable.wrap(width, height)
            needed += flowable.heights[0] if flowable.heights else 0
            break
        if isinstance(flowable, Table):  # its header row and two rows, or all of a short one
            flowable.wrap(width, height)
            whole = isinstance(flowable, KeptTable) and flowable.kept_whole()
            needed += flowable._height if whole else sum(flowable._rowHeights[:3])
            if whole and flowable.keep_with_following:  # and what follows it, too
                needed += flowable.getSpaceAfter()
                continue
            break
        body = flowable.body if isinstance(flowable, ListItem) else flowable
        _, h = flowable.wrap(width, height)
        leading: float = getattr(getattr(body, "style", None), "leading", 14.0)
        count = max(1, round(h / leading)) if leading else 1
        if lines + count >= 2:
            needed += leading * (2 - lines) + flowable.getSpaceBefore()
            break
        needed += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        lines += count
    return needed


def _is_lead_in(flowable: Flowable) -> bool:
    """A paragraph that introduces what follows (`keeps_with_next`)."""
    return getattr(flowable, "lead_in", False) is True


def _heading_level(flowable: Flowable) -> int | None:
    """2 for an H2 and so on; None for anything that is not a heading."""
    return int(flowable.node.role[1:]) if _is_heading(flowable) else None


def _is_heading(flowable: Flowable) -> bool:
    node = getattr(flowable, "node", None)
    return node is not None and node.role[:1] == "H" and node.role[1:].isdigit()
