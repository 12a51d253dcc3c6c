"""Review copies: each document's DOCX as readers get it, with every body paragraph
marked (hidden bookmarks) and a manifest saying where each one came from."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from docx.document import Document as DocxDocument

from ..building.archive import restamp_zip
from ..reading.brand import Brand
from ..reading.model import (
    BulletList,
    Document,
    FillIn,
    Heading,
    NumberedList,
    Pack,
    Paragraph,
    Table,
    plain_text,
)
from ..reading.source_reader import CONTACTS_FILE, PACK_FILE
from ..render.common import Cards, Made, RenderBlock, document_file
from ..render.docx import ooxml
from ..render.docx.document import render_document
from .manifest import ITEM_ID, MARK_PREFIX, NAMESPACE, Entry, Manifest, to_xml
from .reviewed import ADDRESS_STYLE, read_paragraphs, words
from .sourcefile import scalar_at

REVIEW_FOLDER = "review"
FIRST_MARK = 5000  # bookmark ids: clear of any a program adds itself


def review_file(document: Document, pack: Pack) -> str:
    return document_file(document, pack, "docx").removesuffix(".docx") + "-review.docx"


def export_reviews(
    pack: Pack, brand: Brand, sources: Path, out: Path, say: Callable[[str], None]
) -> list[Path]:
    """Write a review copy of every document into OUT/review/; returns their paths."""
    folder = out / REVIEW_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.combine(pack.date, dt.time(), dt.UTC)
    written = []
    for document in pack.documents:
        path = folder / review_file(document, pack)
        path.write_bytes(review_copy(document, pack, brand, sources, when))
        say(f"  wrote {path}")
        written.append(path)
    return written


def review_copy(
    document: Document, pack: Pack, brand: Brand, sources: Path, when: dt.datetime
) -> bytes:
    assert document.source_path is not None, "a document read from sources knows its file"
    marker = _Marker(document, pack, sources, document.source_path)
    return restamp_zip(render_document(document, pack, brand, when, marker), when)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Marker:
    """Bookmarks each paragraph as it is written and records where it came from."""

    def __init__(self, document: Document, pack: Pack, sources: Path, source: Path) -> None:
        self.document, self.pack, self.sources, self.source = document, pack, sources, source
        self.data = yaml.safe_load(source.read_text(encoding="utf-8"))
        self.contact_ids = {contact.name: contact.id for contact in pack.contacts}
        self.origins: dict[int, str] = {}  # id() of a paragraph element -> its source path
        self.made: dict[int, str] = {}  # id() of a paragraph element -> what makes it
        self.elements: list[Any] = []  # keeps the elements alive while their ids are keys

    def written(self, block: RenderBlock, paragraphs: list[Any]) -> None:
        self.elements += paragraphs
        if isinstance(block, Heading | Paragraph) and block.origin and paragraphs:
            self.origins[id(paragraphs[0])] = block.origin
            return
        if isinstance(block, BulletList | NumberedList) and block.origins:
            for element, origin in zip(paragraphs, block.origins, strict=False):
                self.origins[id(element)] = origin
            return
        made = _made_from(block, len(paragraphs), self.source.name, self.contact_ids)
        for element, what in zip(paragraphs, made, strict=True):
            self.made[id(element)] = what

    def finished(self, word: DocxDocument) -> None:
        address = {s.style_id for s in word.styles if s.name == ADDRESS_STYLE}
        entries = []
        for number, element in enumerate(ooxml.body_paragraphs(word)):
            mark = f"{MARK_PREFIX}{number}"
            read = next(iter(read_paragraphs(element, address)), None)
            text = words(read.pieces) if read else ""
            origin = self.origins.get(id(element))
            if origin:
                markup = scalar_at(self.data, origin)
                entries.append(Entry(mark, text, self.source.name, origin, markup))
            else:
                default = "the document's layout, which the pack sets"
                entries.append(Entry(mark, text, made_from=self.made.get(id(element), default)))
            # Around source text, so a paragraph split in two is seen; text the pack
            # makes only needs finding (any change to it is done by hand).
            ooxml.add_bookmark(element, FIRST_MARK + number, mark, around=bool(origin))
        furniture = {}
        for index, section in enumerate(word.sections):
            for name, part in (("header", section.header), ("footer", section.footer)):
                texts = read_paragraphs(part._element, address)
                furniture[f"{name}{index + 1}"] = " ".join(words(p.pieces) for p in texts)
        manifest = Manifest(
            pack=self.pack.title,
            version=self.pack.version,
            document=self.document.id,
            file=self.source.name,
            digests={
                name: digest(self.sources / name)
                for name in (self.source.name, CONTACTS_FILE, PACK_FILE)
            },
            entries=tuple(entries),
            furniture=furniture,
        )
        ooxml.add_custom_xml(word, to_xml(manifest), NAMESPACE, ITEM_ID)


def _made_from(block: RenderBlock, count: int, file: str, ids: dict[str, str]) -> list[str]:
    """Where to change each of the `count` paragraphs a block of text the pack makes
    became, in words for the report."""

    def contact(name: str) -> str:
        return f"{CONTACTS_FILE}, `id: {ids[name]}`" if name in ids else CONTACTS_FILE

    made_by = block.made_by if isinstance(block, Paragraph | Table) else ""
    each: list[str] = []
    if isinstance(block, Cards):
        for card in block.cards:
            name = next((b.text for b in card if isinstance(b, Heading)), "")
            for part in card:
                for _ in part.items if isinstance(part, BulletList) else (part,):
                    each.append(f"the details of {name}, which come from {contact(name)}")
        whole = f"the contact cards, which come from {CONTACTS_FILE}"
    elif isinstance(block, Table) and made_by == Made.CONTACTS_TABLE:
        each += [f"the contacts table, which comes from {CONTACTS_FILE}"] * len(block.header)
        for row in block.rows:
            name = plain_text(row[0][0]) if row and row[0] else ""
            for cell in row:
                where = f"the contacts table's row for {name}, which comes from {contact(name)}"
                each += [where] * len(cell)
        whole = f"the contacts table, which comes from {CONTACTS_FILE}"
    else:
        made = _MADE_FROM.get(made_by)
        whole = made.format(file=file) if made else _made_from_other(block, file)
    # Each paragraph named only when the block became exactly the paragraphs counted.
    return each if len(each) == count else [whole] * count


_MADE_FROM: dict[str, str] = {  # {file}: the document's source
    Made.COVER_FACTS: f"the cover, which comes from {PACK_FILE} (publisher, version, date) "
    "and `status:` in {file}",
    Made.CHECKED_NOTE: f"a note the pack adds: when contacts were checked (`checked_on:` in "
    f"{CONTACTS_FILE})",
    Made.DOCUMENT_CONTROL: "document control, which comes from {file} (status, owner, "
    f"approved_by, approved_on, review_due) and {PACK_FILE} (version, date)",
    Made.CHANGE_HISTORY: "the change history, which comes from `change_history:` in {file}",
}


def _made_from_other(block: RenderBlock, file: str) -> str:
    if isinstance(block, FillIn):
        return f"the lines to write on, from `fill_in:` in {file}"
    return "the pack's own headings and layout"
