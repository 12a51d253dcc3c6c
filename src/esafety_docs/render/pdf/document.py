"""Documents and the combined pack as tagged A4 PDF (PDF/UA-1, PDF/A-2b) with reportlab.

A booklet has a cover, then its sections. A sheet is one page to pin on a wall:
a title band instead of a cover, its first section as a highlighted box, the
rest (contact cards in two columns) below, and document control on the back.
Every font comes from the brand and is embedded; source text is escaped before
it reaches reportlab's paragraph markup, so `<b>` in a source prints literally.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    NextPageTemplate,
    PageBreak,
    Table,
    TableStyle,
)

from ...reading.brand import Brand
from ...reading.model import Block, Document, Pack
from ..common import (
    BackPage,
    RenderBlock,
    cover_facts,
    expand,
    is_draft_pack,
    pack_part,
    sheet_lead,
    sheet_top,
)
from . import addresses
from .blocks import BlockWriter, paragraph
from .combine import Target, combine, read_part
from .contents import Contents, Entry
from .pages import (
    LANGUAGE,
    SHEET_WIDTH,
    TEXT_WIDTH,
    Bookmark,
    Rendered,
    RunningTitle,
    build,
    page_numbers,
)
from .styles import Styles
from .tags import Metadata, Node, TableDecoration, TaggedFigure, Tagger

# Binary image streams: ASCII85 text encoding of the logo was a visible cost
# (pure Python) and only makes the files bigger.
rl_config.useA85 = 0
addresses.install()

__all__ = ["Rendered", "render_document", "render_pack"]


def render_document(document: Document, pack: Pack, brand: Brand) -> Rendered:
    """One document: a booklet (cover, then sections) or a one-page sheet."""
    styles = Styles(brand)
    tagger = Tagger()
    root = tagger.root
    draft = document.status == "draft"
    outline = _Outline(offset=0)
    blocks = expand(document, pack)
    if document.layout == "sheet":
        story = _sheet(document, blocks, styles, root, outline)
    else:
        story = _cover(document.title, document.subtitle, document, pack, styles, root)
        story += BlockWriter(styles, outline.mark, TEXT_WIDTH).write(blocks, root)
    story.insert(0, RunningTitle(document.title, draft))
    meta = _metadata(document.title, document.summary, document.keywords, pack)
    first_page = "sheet" if document.layout == "sheet" else "cover"
    return build(story, meta, pack, styles, tagger, first_page)


def render_pack(
    pack: Pack, brand: Brand, documents: Sequence[bytes], notes: tuple[Block, ...] = ()
) -> Rendered:
    """The combined pack: cover, contents, then each document's own PDF (`documents`,
    in pack order) as it was laid out, each a Part, and last the pack's own part
    (release `notes`, then the pack's document control). Only the cover, contents
    and the pack's part are typeset here; see `combine`."""
    styles = Styles(brand)
    about = pack_part(pack, notes)
    parts = [
        *(read_part(data, d.title) for data, d in zip(documents, pack.documents, strict=True)),
        read_part(_render_part(about, pack, styles).data, about.title),
    ]
    entries: list[Entry] = []
    targets: list[Target] = []
    for index, part in enumerate(parts):
        entries.append(Entry(0, part.title, f"part{index}"))
        targets.append(Target(index, 0, None))
        for number, heading in enumerate(part.headings):
            entries.append(Entry(1, heading.title, f"part{index}-{number}"))
            targets.append(Target(index, heading.page, heading.top))
    front_pages = 2  # the cover and, nearly always, one page of contents
    for _ in range(3):  # a longer contents moves every part on, and so its numbers
        starts = list(itertools.accumulate((p.pages for p in parts), initial=front_pages + 1))
        pages = {e.key: starts[t.part] + t.page for e, t in zip(entries, targets, strict=True)}
        front = _render_front(pack, styles, entries, pages)
        if front.pages == front_pages:
            break
        front_pages = front.pages
    else:
        raise RuntimeError(f"the contents would not settle on {front_pages} pages")
    total = starts[-1] - 1
    data = combine(front.data, parts, targets, page_numbers(total, styles))
    return Rendered(data, total)


def _render_front(
    pack: Pack, styles: Styles, entries: list[Entry], pages: dict[str, int]
) -> Rendered:
    """The pack's cover and its contents, whose numbers are the pages given."""
    tagger = Tagger()
    cover = tagger.root.add("Part")
    story: list[Flowable] = [RunningTitle(pack.title, is_draft_pack(pack))]
    story += _cover(pack.title, "The complete pack", None, pack, styles, cover)
    story.append(paragraph("Contents", styles.contents_title, cover.add("H2")))
    story.append(Contents(entries, styles.contents, cover.add("TOC"), pages))
    keywords = tuple(sorted({k for d in pack.documents for k in d.keywords}))
    summary = "; ".join(d.title for d in pack.documents)
    meta = _metadata(pack.title, summary, keywords, pack)
    return build(story, meta, pack, styles, tagger)


def _render_part(document: Document, pack: Pack, styles: Styles) -> Rendered:
    """A part of the pack with no cover: its title and subtitle open its first page."""
    tagger = Tagger()
    root = tagger.root
    outline = _Outline(offset=0)
    story: list[Flowable] = [
        RunningTitle(document.title, document.status == "draft"),
        paragraph(document.title, styles.doc_title, root.add("H1")),
        paragraph(document.subtitle, styles.subtitle, root.add("P")),
    ]
    blocks = [b for b in expand(document, pack) if not isinstance(b, BackPage)]
    story += BlockWriter(styles, outline.mark, TEXT_WIDTH).write(blocks, root)
    meta = _metadata(document.title, document.summary, document.keywords, pack)
    return build(story, meta, pack, styles, tagger, first_page="content")


def _metadata(title: str, subject: str, keywords: tuple[str, ...], pack: Pack) -> Metadata:
    words = ", ".join([*keywords, f"version {pack.version}"])
    return Metadata(title, pack.publisher, subject, words, LANGUAGE)


class _Outline:
    """Hands out bookmark keys in story order, so the contents can link to headings
    before they are laid out. Levels start at `offset` (1 in the pack, where the
    documents themselves are level 0)."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.bookmarks: list[Bookmark] = []

    def mark(self, flowable: Flowable, level: int, text: str) -> None:
        """`level` is the heading's own: 0 for a document title, 1 for a section."""
        depth = level if level == 0 else level - 1 + self.offset
        bookmark = Bookmark(depth, text, f"h{len(self.bookmarks) + 1}")
        self.bookmarks.append(bookmark)
        flowable.bookmark = bookmark


# ------------------------------------------------------------------ first pages


def _logo(styles: Styles, parent: Node, width: float) -> TaggedFigure:
    brand = styles.brand
    image = Image(str(brand.logo), width=width, height=width * 0.3, kind="proportional")
    image.hAlign = "LEFT"
    return TaggedFigure(image, parent.add("Figure", alt=brand.logo_alt))


def _cover(
    title: str,
    subtitle: str,
    document: Document | None,
    pack: Pack,
    styles: Styles,
    parent: Node,
) -> list[Flowable]:
    logo = _logo(styles, parent, 80 * mm)
    title_paragraph = paragraph(title, styles.cover_title, parent.add("H1"))
    subtitle_paragraph = paragraph(subtitle, styles.subtitle, parent.add("P"))
    table_node = parent.add("Table")
    body = table_node.add("TBody")
    rows = []
    for label, value in cover_facts(document, pack):
        row = body.add("TR")
        rows.append(
            [
                paragraph(label, styles.header_cell, row.add("TH", scope="Row")),
                paragraph(value, styles.body, row.add("TD")),
            ]
        )
    facts = Table(
        rows,
        # Lined up with the title, so as wide as the frame inside its 6 pt padding.
        colWidths=[35 * mm, TEXT_WIDTH - 12 - 35 * mm],
        hAlign="LEFT",
        renderCB=TableDecoration(table_node),
    )
    facts.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.font, styles.body.fontSize),
                ("BACKGROUND", (0, 0), (0, -1), styles.primary),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.muted),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return [
        logo,
        title_paragraph,
        subtitle_paragraph,
        facts,
        NextPageTemplate("content"),
        PageBreak(),
    ]


def _sheet(
    document: Document,
    blocks: list[RenderBlock],
    styles: Styles,
    parent: Node,
    outline: _Outline,
) -> list[Flowable]:
    """One page: title band, the first section boxed, the rest; then the back page."""
    writer = BlockWriter(styles, outline.mark, SHEET_WIDTH, compact=True, back_width=TEXT_WIDTH)
    band = Table(
        [
            [
                _logo(styles, parent, 42 * mm),
                [
                    paragraph(document.title, styles.sheet_title, parent.add("H1")),
                    paragraph(document.subtitle, styles.sheet_subtitle, parent.add("P")),
                ],
            ]
        ],
        colWidths=[48 * mm, SHEET_WIDTH - 48 * mm],
        renderCB=TableDecoration(),
    )
    band.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.font, styles.body.fontSize),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 2.5, styles.primary),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    band.spaceAfter = 8
    first, rest = sheet_top(blocks)
    story: list[Flowable] = [band]
    if first:
        story.append(_callout(writer.write(first, parent, lead=sheet_lead(first)), styles))
    story.append(NextPageTemplate("content"))
    return story + writer.write(rest, parent)


class _Box(Table):  # type: ignore[misc]
    """A one-cell table used as a box. Its headings are placed inside it, where the
    document template does not see them: each gets its outline entry here."""

    def draw(self) -> None:
        super().draw()
        document = getattr(self.canv, "_doctemplate", None)
        for flowable in self._cellvalues[0][0]:
            if document is not None and getattr(flowable, "bookmark", None) is not None:
                document.afterFlowable(flowable)


def _callout(flowables: list[Flowable], styles: Styles) -> Table:
    """The sheet's first section in a tinted box with a bar in the brand colour."""
    box = _Box([[flowables]], colWidths=[SHEET_WIDTH], renderCB=TableDecoration())
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.font, styles.body.fontSize),
                ("BACKGROUND", (0, 0), (-1, -1), styles.light),
                ("LINEBEFORE", (0, 0), (0, -1), 5, styles.primary),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    box.spaceAfter = 6
    return box
