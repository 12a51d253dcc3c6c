"""A reviewer's work on a review copy, written as Word writes it: tracked insertions
(`w:ins`) and deletions (`w:del`) with their author, edits made without tracking,
comments in their own part, a paragraph split in two.

Independent of the code under test: it edits the WordprocessingML with lxml.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
DATE = "2026-12-01T10:00:00Z"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


class Review:
    """Open a review copy, change it, then `save` it under a new name."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[Any] = []
        self.next_id = 900

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _tracked(self, kind: str, author: str) -> Any:
        """A w:ins, w:del or w:rPrChange element as Word writes one: id, author, date."""
        return etree.Element(
            f"{W}{kind}", {f"{W}id": self._id(), f"{W}author": author, f"{W}date": DATE}
        )

    def run_with(self, text: str, in_table: bool | None = None) -> Any:
        """The one run whose text holds `text` (in a table cell, or not, if asked)."""
        found = [
            r
            for r in self.document.iter(f"{W}r")
            if text in "".join(t.text or "" for t in r.iter(f"{W}t"))
            and in_table in (None, any(a.tag == f"{W}tc" for a in r.iterancestors()))
        ]
        assert len(found) == 1, f"{len(found)} runs hold {text!r}"
        return found[0]

    def _split(self, run: Any, text: str) -> tuple[Any, Any, Any]:
        """The run cut into the part before `text`, `text` itself and the part after."""
        (t,) = run.iter(f"{W}t")
        whole = t.text or ""
        start = whole.index(text)
        pieces = []
        for part in (whole[:start], text, whole[start + len(text) :]):
            piece = copy.deepcopy(run)
            (pt,) = piece.iter(f"{W}t")
            pt.text = part
            pt.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            pieces.append(piece)
        parent = run.getparent()
        index = parent.index(run)
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
        return pieces[0], pieces[1], pieces[2]

    def tracked_replace(
        self, old: str, new: str, author: str, in_table: bool | None = None
    ) -> None:
        """Select `old` and type `new` with Track Changes on ("" deletes it)."""
        _, middle, _ = self._split(self.run_with(old, in_table), old)
        deleted = self._tracked("del", author)
        parent = middle.getparent()
        index = parent.index(middle)
        parent.remove(middle)
        for t in middle.iter(f"{W}t"):
            t.tag = f"{W}delText"
        deleted.append(middle)
        parent.insert(index, deleted)
        if new:
            inserted = self._tracked("ins", author)
            run = copy.deepcopy(middle)
            for t in run.iter(f"{W}delText"):
                t.tag = f"{W}t"
                t.text = new
            inserted.append(run)
            parent.insert(index + 1, inserted)

    def tracked_insert_after(self, anchor: str, new: str, author: str, bold: bool = False) -> None:
        """Click just after `anchor` and type `new` (in bold if asked) with tracking on."""
        _, middle, _ = self._split(self.run_with(anchor), anchor)
        run = copy.deepcopy(middle)
        (t,) = run.iter(f"{W}t")
        t.text = new
        if bold:
            _make_bold(run)
        inserted = self._tracked("ins", author)
        inserted.append(run)
        middle.addnext(inserted)

    def untracked_bold(self, words: str) -> None:
        """Select `words` and press Ctrl+B (tracking off)."""
        _, middle, _ = self._split(self.run_with(words), words)
        _make_bold(middle)

    def tracked_colour(self, words: str, author: str) -> None:
        """Select `words` and make them red with Track Changes on (Word records the
        run's formatting as it was in w:rPrChange)."""
        _, middle, _ = self._split(self.run_with(words), words)
        properties = _run_properties(middle)
        was = copy.deepcopy(properties)
        etree.SubElement(properties, f"{W}color", {f"{W}val": "FF0000"})
        change = self._tracked("rPrChange", author)
        change.append(was)
        properties.append(change)

    def untracked_replace(self, old: str, new: str, in_table: bool | None = None) -> None:
        """Type over `old` with Track Changes off."""
        for t in self.run_with(old, in_table).iter(f"{W}t"):
            t.text = (t.text or "").replace(old, new)

    def untracked_replace_in_header(self, old: str, new: str) -> None:
        """Double-click the page header and type over `old` there."""
        (name,) = [
            n
            for n, data in self.parts.items()
            if n.startswith("word/header") and old.encode() in data
        ]
        self.parts[name] = self.parts[name].replace(old.encode(), new.encode())

    def comment(self, on: str, text: str, author: str) -> None:
        """Select `on` and add a comment."""
        _, middle, _ = self._split(self.run_with(on), on)
        number = self._id()
        middle.addprevious(etree.Element(f"{W}commentRangeStart", {f"{W}id": number}))
        middle.addnext(etree.Element(f"{W}commentRangeEnd", {f"{W}id": number}))
        reference = etree.Element(f"{W}r")
        etree.SubElement(reference, f"{W}commentReference", {f"{W}id": number})
        middle.getnext().addnext(reference)
        self.comments.append((number, author, text))

    def split_after(self, anchor: str) -> None:
        """Put the cursor after `anchor` and press Enter (tracking off)."""
        _, middle, _ = self._split(self.run_with(anchor), anchor)
        paragraph = next(a for a in middle.iterancestors() if a.tag == f"{W}p")
        second = etree.Element(f"{W}p")
        properties = paragraph.find(f"{W}pPr")
        if properties is not None:
            second.append(copy.deepcopy(properties))
        for sibling in list(middle.itersiblings()):
            second.append(sibling)
        paragraph.addnext(second)

    def _paragraph(self, anchor: str) -> Any:
        run = self.run_with(anchor)
        return next(a for a in run.iterancestors() if a.tag == f"{W}p")

    def _mark_paragraph(self, paragraph: Any, kind: str, author: str) -> None:
        """Track the paragraph's own mark (the pilcrow) as inserted or deleted."""
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            properties = etree.Element(f"{W}pPr")
            paragraph.insert(0, properties)
        marks = properties.find(f"{W}rPr")
        if marks is None:
            marks = etree.SubElement(properties, f"{W}rPr")
        marks.append(self._tracked(kind, author))

    def join_with_next(self, anchor: str) -> None:
        """Delete the break at the end of the paragraph holding `anchor` (tracking off)."""
        paragraph = self._paragraph(anchor)
        following = paragraph.getnext()
        for child in list(following):
            if child.tag != f"{W}pPr":
                paragraph.append(child)
        following.getparent().remove(following)

    def tracked_delete_paragraph(self, anchor: str, author: str) -> None:
        """Select the whole paragraph holding `anchor`, its mark too, and delete it."""
        paragraph = self._paragraph(anchor)
        for run in list(paragraph.iterchildren(f"{W}r")):
            deleted = self._tracked("del", author)
            run.addprevious(deleted)
            deleted.append(run)
            for t in run.iter(f"{W}t"):
                t.tag = f"{W}delText"
        self._mark_paragraph(paragraph, "del", author)

    def tracked_new_paragraph_after(self, anchor: str, text: str, author: str) -> None:
        """Click at the end of the paragraph holding `anchor`, press Enter and type."""
        paragraph = self._paragraph(anchor)
        new = etree.Element(f"{W}p")
        properties = paragraph.find(f"{W}pPr")
        if properties is not None:
            new.append(copy.deepcopy(properties))
        inserted = self._tracked("ins", author)
        new.append(inserted)
        etree.SubElement(etree.SubElement(inserted, f"{W}r"), f"{W}t").text = text
        self._mark_paragraph(paragraph, "ins", author)
        paragraph.addnext(new)

    def save(self, path: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(
            self.document, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if self.comments:
            root = etree.Element(f"{W}comments", nsmap={"w": W_NS})
            for number, author, text in self.comments:
                comment = etree.SubElement(
                    root,
                    f"{W}comment",
                    {
                        f"{W}id": number,
                        f"{W}author": author,
                        f"{W}date": DATE,
                        f"{W}initials": author[:2],
                    },
                )
                paragraph = etree.SubElement(comment, f"{W}p")
                etree.SubElement(etree.SubElement(paragraph, f"{W}r"), f"{W}t").text = text
            parts["word/comments.xml"] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            rels = parts["word/_rels/document.xml.rels"].decode()
            rels = rels.replace(
                "</Relationships>",
                f'<Relationship Id="rIdComments" '
                f'Type="{_COMMENTS_REL}" Target="comments.xml"/></Relationships>',
            )
            parts["word/_rels/document.xml.rels"] = rels.encode()
            types = parts["[Content_Types].xml"].decode()
            types = types.replace(
                "</Types>",
                f'<Override PartName="/word/comments.xml" ContentType="{_COMMENTS_TYPE}"/></Types>',
            )
            parts["[Content_Types].xml"] = types.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return path


def _run_properties(run: Any) -> Any:
    """The run's w:rPr, made (as its first child) if it has none."""
    properties = run.find(f"{W}rPr")
    if properties is None:
        properties = etree.Element(f"{W}rPr")
        run.insert(0, properties)
    return properties


def _make_bold(run: Any) -> None:
    """Ctrl+B on a run: w:b first in its properties, unless it is bold already."""
    properties = _run_properties(run)
    if properties.find(f"{W}b") is None:
        properties.insert(0, etree.Element(f"{W}b"))
