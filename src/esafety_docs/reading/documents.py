"""One document's source: its front matter, sections, blocks, change history
and the contacts it names, which must be in the directory (a mistyped id gets
the closest one as a suggestion)."""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from . import schema
from .diagnostics import Reporter
from .model import (
    Block,
    BulletList,
    Change,
    Contact,
    ContactList,
    ContactTable,
    Document,
    FillIn,
    Heading,
    NumberedList,
    Paragraph,
)
from .reader import ReadContext
from .source_reader import CONTACTS_FILE, SourceReader


class DocumentReader(SourceReader):
    """Reads one document; `directory` is the contacts it may name (None when the
    directory could not be read, so its ids go unchecked)."""

    def __init__(
        self,
        path: Path,
        reporter: Reporter,
        context: ReadContext,
        directory: dict[str, Contact] | None,
    ) -> None:
        super().__init__(path, reporter, context)
        self.directory = directory

    def document(self, expected_id: str) -> Document | None:
        fields = self.read_root(schema.DOCUMENT, "the document")
        if fields is None:
            return None
        get = self.values(fields)
        if "id" in fields and get("id") not in (None, expected_id):
            self.error(
                fields["id"],
                f"id {get('id')!r} does not match the file name {self.path.name}",
                f"write `id: {expected_id}`",
            )
        if "review_due" in fields:
            self.check_review_due(fields["review_due"], get("review_due"), "this document")
        self.check_approval(fields, "this document")
        blocks: list[Block] = []
        if "sections" in fields:
            self._sections(fields["sections"], 1, blocks)
        keywords = self.texts(fields["keywords"], "keywords") if "keywords" in fields else []
        changes = self._changes(fields["change_history"]) if "change_history" in fields else []
        required = ("title", "subtitle", "summary", "status", "owner", "review_due")
        if any(get(name) is None for name in required) or not blocks:
            return None
        return Document(
            id=expected_id,
            title=get("title"),
            subtitle=get("subtitle"),
            summary=get("summary"),
            status=get("status"),
            owner=get("owner"),
            review_due=get("review_due"),
            blocks=tuple(blocks),
            layout=get("layout") or "booklet",
            keywords=tuple(keywords),
            approved_by=get("approved_by"),
            approved_on=get("approved_on"),
            approved_version=get("approved_version"),
            change_history=tuple(changes),
            source_path=self.path,
        )

    def _changes(self, node: yaml.Node) -> list[Change]:
        changes = []
        for item in self.sequence(node, "change_history"):
            fields = self.mapping(item, schema.CHANGE, "a change")
            if fields:
                get = self.values(fields)
                if None not in (get("version"), get("date"), get("change")):
                    changes.append(Change(get("version"), get("date"), get("change")))
        return changes

    def _sections(self, node: yaml.Node, depth: int, blocks: list[Block], at: str = "") -> None:
        for number, item in enumerate(self.sequence(node, "sections")):
            here = f"{at}sections[{number}]"
            fields = self.mapping(item, schema.SECTION, "a section")
            if fields is None:
                continue
            title = self.values(fields)("title")
            if title:
                blocks.append(Heading(depth, title, origin=f"{here}.title"))
            if "body" in fields:
                for index, block_node in enumerate(self.sequence(fields["body"], "body")):
                    block = self._block(block_node, f"{here}.body[{index}]")
                    if block:
                        blocks.append(block)
            if "sections" in fields:
                if depth >= schema.MAX_SECTION_DEPTH:
                    self.error(
                        fields["sections"],
                        f"sections may be nested at most {schema.MAX_SECTION_DEPTH} levels deep",
                        "move this part up a level, or make it a list",
                    )
                else:
                    self._sections(fields["sections"], depth + 1, blocks, f"{here}.")

    def _block(self, node: yaml.Node, at: str) -> Block | None:
        if isinstance(node, yaml.ScalarNode):
            inlines = self.convert("prose", node, "paragraph")
            return Paragraph(inlines, at) if isinstance(inlines, tuple) and inlines else None
        fields = self.mapping(node, schema.BLOCKS, "a block")
        if not fields:
            return None
        if len(fields) != 1:
            self.error(
                node,
                "each block holds exactly one kind of content",
                f"use one of: {', '.join(schema.BLOCKS)}, with a new `- ` item for each",
            )
            return None
        ((kind, value),) = fields.items()
        if kind == "fill_in":
            labels = self.texts(value, kind)
            return FillIn(tuple(labels)) if labels else None
        if kind in ("bullets", "numbered"):
            items, origins = [], []
            for index, item in enumerate(self.sequence(value, kind)):
                inlines = self.convert("prose", item, "list item")
                if isinstance(inlines, tuple) and inlines:
                    items.append(inlines)
                    origins.append(f"{at}.{kind}[{index}]")
            listed = BulletList if kind == "bullets" else NumberedList
            return listed(tuple(items), tuple(origins))
        contacts = self._contact_refs(value)
        whole = isinstance(value, yaml.ScalarNode) and value.value == "all"
        if kind == "contact_table":
            return ContactTable(contacts, whole_directory=whole)
        return ContactList(contacts, whole_directory=whole)

    def _contact_refs(self, node: yaml.Node) -> tuple[Contact, ...]:
        if self.directory is None:  # the directory itself is broken; already reported
            return ()
        if isinstance(node, yaml.ScalarNode) and node.value == "all":
            return tuple(c for c in self.directory.values() if not c.awaiting_confirmation)
        found = []
        for contact_id, id_node in self.ids(node, "contact"):
            contact = self.directory.get(contact_id)
            if contact is not None and contact.awaiting_confirmation:
                self.warning(
                    id_node,
                    f"{contact.name} is awaiting confirmation, so it is left out here",
                    f"confirm its details in {CONTACTS_FILE} first",
                    draft=True,
                )
            elif contact is None:
                close = closest_id(contact_id, list(self.directory))
                self.error(
                    id_node,
                    f"no contact with id {contact_id!r} in {CONTACTS_FILE}",
                    f"did you mean {close!r}? If not, add it to {CONTACTS_FILE}"
                    if close
                    else f"add it to {CONTACTS_FILE}",
                )
            else:
                found.append(contact)
        return tuple(found)


def closest_id(typed: str, known: list[str]) -> str | None:
    """The known id a mistyped one most likely meant: a close spelling, or one whose
    words (between hyphens) the typed id shares, such as `posh` for `posh-helpline`."""
    close = difflib.get_close_matches(typed, known, n=1)
    if close:
        return close[0]
    words = set(typed.split("-"))
    sharing = [k for k in known if words & set(k.split("-"))]
    if not sharing:
        return None
    return max(sharing, key=lambda k: difflib.SequenceMatcher(None, typed, k).ratio())
