"""What a built file should say, taken from the model it was built from.

Rules that compare a file with its sources (is every text there, in reading
order, as written?) need this; `build` passes it for every file it audits, and
`esafety-docs audit --sources DIR` finds it by the file's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..reading.model import (
    Block,
    BulletList,
    Document,
    Heading,
    NumberedList,
    Pack,
    Paragraph,
    Table,
    plain_text,
)
from ..render.common import Cards, RenderBlock, document_file, expand, pack_file, pack_part


@dataclass(frozen=True)
class Source:
    """The texts a reader meets in a file, in reading order: titles, headings,
    paragraphs, list items and table cells, as the sources give them."""

    name: str  # the document id, or "pack"
    texts: tuple[str, ...]


def document_source(document: Document, pack: Pack) -> Source:
    return Source(document.id, tuple(_document_texts(document, pack)))


def pack_source(pack: Pack, notes: tuple[Block, ...] = ()) -> Source:
    """The combined PDF: every document, then the pack's own part (release notes and
    the pack's document control)."""
    parts = (*pack.documents, pack_part(pack, notes))
    texts = [text for document in parts for text in _document_texts(document, pack)]
    return Source("pack", (pack.title, *texts))


def source_for(file_name: str, pack: Pack) -> Source | None:
    """The source of a file in a pack folder, recognised by its name."""
    for document in pack.documents:
        if file_name in (
            document_file(document, pack, "pdf"),
            document_file(document, pack, "docx"),
        ):
            return document_source(document, pack)
    return pack_source(pack) if file_name == pack_file(pack, "pdf") else None


def _document_texts(document: Document, pack: Pack) -> list[str]:
    texts = [document.title]
    for block in expand(document, pack):
        texts += _block_texts(block)
    return texts


def _block_texts(block: RenderBlock) -> list[str]:
    if isinstance(block, Cards):
        return [text for card in block.cards for part in card for text in _block_texts(part)]
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, Paragraph):
        return [plain_text(block.inlines)]
    if isinstance(block, BulletList | NumberedList):
        return [plain_text(item) for item in block.items]
    if isinstance(block, Table):
        cells = list(block.header)
        for row in block.rows:
            cells += [" ".join(plain_text(line) for line in cell) for cell in row]
        return cells
    return []
