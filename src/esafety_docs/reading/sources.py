"""The only module that reads `sources/`: pack, contacts directory and documents.

Turns the YAML into a `Pack`, reporting every problem in every file in one
run. Checks that need several fields at once (a contact with no way to reach
it, an approved document without an approver, overdue dates) live here too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import yaml

from . import schema
from .diagnostics import Reporter, SourceError
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
    Pack,
    Paragraph,
)
from .parsing import similar_file
from .printed_numbers import check_printed_numbers
from .reader import ReadContext, YamlReader
from .values import suggested_id

PACK_FILE = "pack.yaml"
CONTACTS_FILE = "contacts.yaml"
# The editors' JSON Schemas live beside the sources; they are not sources themselves.
SCHEMAS_FOLDER = "schemas"
# Files operating systems leave in folders by themselves.
SYSTEM_FILES = frozenset({"Thumbs.db", "desktop.ini"})
DEFAULT_CHECK_MONTHS = 12


def load_pack(sources: Path, reporter: Reporter, context: ReadContext | None = None) -> Pack:
    """Read and check every source; raise SourceError listing all errors found."""
    context = context or ReadContext()
    pack_path = sources / PACK_FILE
    if not pack_path.is_file():
        near = similar_file(pack_path)
        reporter.error(
            pack_path,
            None,
            f"the pack file {PACK_FILE} is missing",
            f"{near.name} is there: if that is the pack file, rename it to {PACK_FILE}"
            if near
            else f"the sources folder must hold {PACK_FILE}; check --sources points at the "
            "right folder",
        )
        raise SourceError(reporter.diagnostics)

    pack_reader = _PackReader(pack_path, reporter, context)
    pack_fields = pack_reader.read_root(schema.PACK, "the pack file")
    get = pack_reader.values(pack_fields or {})
    if pack_fields and "review_due" in pack_fields:
        pack_reader.check_review_due(pack_fields["review_due"], get("review_due"), "the pack")
    if pack_fields:
        pack_reader.check_approval(pack_fields, "the pack")
    edition = get("date")
    if pack_fields and edition is not None and edition > context.today:
        pack_reader.warning(
            pack_fields["date"],
            f"the pack's date {edition.isoformat()} is in the future: every page prints it "
            "as the date of this edition",
            "set `date` to the day this edition is finished (today at the latest)",
        )
    months = get("check_contacts_every") or DEFAULT_CHECK_MONTHS
    if pack_fields and "linkcheck_ignore" in pack_fields:
        pack_reader._texts(pack_fields["linkcheck_ignore"], "linkcheck_ignore")

    contacts_reader = _PackReader(sources / CONTACTS_FILE, reporter, context)
    contacts_root = contacts_reader.read_root(schema.CONTACTS_FILE, "the contacts directory")
    directory: dict[str, Contact] | None = None  # None: unreadable, so ids go unchecked
    if contacts_root and "contacts" in contacts_root:
        directory = contacts_reader.contacts(contacts_root["contacts"], months)

    printed_directory = {k: c for k, c in (directory or {}).items() if not c.awaiting_confirmation}
    documents: list[Document] = []
    listed: list[str] = []
    if pack_fields and "documents" in pack_fields:
        for doc_id, id_node in pack_reader.ids(pack_fields["documents"], "document"):
            listed.append(doc_id)
            doc_path = sources / f"{doc_id}.yaml"
            if not doc_path.is_file():
                near = similar_file(doc_path)
                pack_reader.error(
                    id_node,
                    f"document {doc_id!r} has no source file {doc_path.name}",
                    f"{near.name} is there: if that is the document, rename it to {doc_path.name}"
                    if near
                    else f"create {doc_path.name} in the sources folder (the new-document "
                    f"command writes a starting file), or remove {doc_id!r} here",
                )
                continue
            document = _PackReader(doc_path, reporter, context, directory).document(doc_id)
            if document:
                documents.append(document)

    check_printed_numbers(reporter, context.printed, (directory or {}).values())
    drafts = [d.title for d in documents if d.status == "draft"]
    if pack_fields and get("status") == "approved" and drafts:
        pack_reader.error(
            pack_fields["status"],
            f"the pack is marked approved, but it holds drafts: {', '.join(drafts)}",
            "approve every document first, or set the pack's `status: draft`",
        )
    if pack_fields and "documents" in pack_fields:
        check_unused_files(sources, listed, reporter)
    if reporter.errors or pack_fields is None:
        raise SourceError(reporter.diagnostics)
    return Pack(
        title=get("title"),
        publisher=get("publisher"),
        version=get("version"),
        date=get("date"),
        status=get("status"),
        owner=get("owner"),
        review_due=get("review_due"),
        documents=tuple(documents),
        contacts=tuple(printed_directory.values()),
        approved_by=get("approved_by"),
        approved_on=get("approved_on"),
        approved_version=get("approved_version"),
        release_pending=get("release_pending") or "stop",
        release_drafts=get("release_drafts") or "stop",
        awaiting_confirmation=tuple(
            c.name for c in (directory or {}).values() if c.awaiting_confirmation
        ),
    )


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


def check_unused_files(sources: Path, documents: list[str], reporter: Reporter) -> None:
    """Warn about every file in the sources folder the pack does not read.

    A renamed `contacts.yml`, an old copy or a document missing from pack.yaml
    would otherwise be ignored without a word. Hidden files, the files operating
    systems leave behind and the editors' schemas folder are not sources.
    """
    expected = [PACK_FILE, CONTACTS_FILE, *(f"{doc_id}.yaml" for doc_id in documents)]
    for path in sorted(sources.iterdir()):
        name = path.name
        if name in expected or name.startswith(".") or name in SYSTEM_FILES:
            continue
        if name == SCHEMAS_FOLDER and path.is_dir():
            continue
        renamed = next((e for e in expected if Path(e).stem == path.stem.lower()), None)
        copied = renamed or _copy_of(path.stem.lower(), expected)
        if renamed and not (sources / renamed).exists():
            message = f"{name} is not used by the pack: did you mean {renamed}?"
            hint = f"rename it to {renamed}"
        elif _is_document(path) and not renamed:
            doc_id = "-".join(re.findall(r"[a-z0-9]+", path.stem.lower())) or "new-document"
            message = f"{name} is not listed in {PACK_FILE}, so it is not built"
            hint = f"add `- {doc_id}` under `documents:` in {PACK_FILE}"
            if name != f"{doc_id}.yaml":
                hint = f"rename it to {doc_id}.yaml and {hint}"
            hint += ", or move the file out of the sources folder"
        elif copied:
            message = f"{name} is not used by the pack; it looks like a copy of {copied}"
            hint = "move it out of the sources folder if you want to keep it"
        else:
            what = "folder" if path.is_dir() else "file"
            message = f"the {what} {name} is not used by the pack"
            hint = "the sources folder holds only the pack's YAML files; move it somewhere else"
        reporter.warning(path, None, message, hint)


def _copy_of(stem: str, expected: list[str]) -> str | None:
    """The expected file a stray one is probably a copy of: contacts-old, Copy of pack."""
    for wanted in expected:
        if Path(wanted).stem in stem:
            return wanted
    close = difflib.get_close_matches(stem, [Path(e).stem for e in expected], n=1, cutoff=0.85)
    return f"{close[0]}.yaml" if close else None


def _is_document(path: Path) -> bool:
    """A YAML file with top-level `sections:`, as every document has."""
    if not path.is_file() or path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"^sections:", text, re.M) is not None


def _bare(note: str | None) -> str | None:
    """A phone note without the brackets the pack prints around it anyway."""
    if note is None:
        return None
    return note.strip().removeprefix("(").removesuffix(")").strip() or None


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later`."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


class _PackReader(YamlReader):
    """Reads the pack's own structures: contacts, documents, sections and blocks."""

    known_keys = schema.SOURCE_KEYS

    def __init__(
        self,
        path: Path,
        reporter: Reporter,
        context: ReadContext,
        directory: dict[str, Contact] | None = None,
    ) -> None:
        super().__init__(path, reporter, context)
        self.directory = directory

    def check_review_due(self, node: yaml.Node, due: dt.date | None, what: str) -> None:
        if due is not None and due < self.context.today:
            self.warning(
                node,
                f"{what} was due for review on {due.isoformat()}",
                "review it, then set `review_due` to the next review date",
            )

    def check_approval(self, fields: dict[str, yaml.Node], what: str) -> None:
        """One rule for the pack and each document: approved means who and when."""
        get = self.values(fields)
        if get("status") == "approved":
            for needed in ("approved_by", "approved_on"):
                if needed not in fields:
                    self.error(
                        fields["status"],
                        f"{what} is marked approved but has no {needed!r}",
                        f"add `{needed}:` or set `status: draft`",
                    )
        approved_on = get("approved_on")
        if approved_on and approved_on > self.context.today:
            self.error(fields["approved_on"], "the approval date is in the future", "fix the date")

    # ------------------------------------------------------------ contacts

    def contacts(self, node: yaml.Node, check_every_months: int) -> dict[str, Contact]:
        directory: dict[str, Contact] = {}
        for item in self.sequence(node, "contacts"):
            fields = self.mapping(item, schema.CONTACT, "a contact")
            if fields is None:
                continue
            get = self.values(fields)
            contact_id, name = get("id"), get("name")
            if contact_id is None and isinstance(fields.get("id"), yaml.ScalarNode):
                # `CEOP`, already reported: read on as `ceop`, so the documents that name
                # it are not also told that no such contact exists.
                suggested = suggested_id(fields["id"].value)
                contact_id = suggested if suggested and suggested not in directory else None
            if contact_id in directory:
                self.error(
                    fields["id"],
                    f"contact id {contact_id!r} is used twice",
                    "each organisation appears once; give the other one a different id",
                )
                continue
            if contact_id is None or name is None:
                continue
            self._check_reachable(item, fields, name)
            if "phone_note" in fields and "phone" not in fields:
                self.error(
                    fields["phone_note"],
                    f"{name} has a phone_note but no phone number for it to go with",
                    "add the `phone:` line it belongs to, or remove the phone_note",
                )
            self._check_checked_on(fields, get("checked_on"), name, check_every_months)
            awaiting = get("awaiting_confirmation") or ""
            if awaiting:
                self.warning(
                    fields["awaiting_confirmation"],
                    f"{name} is awaiting confirmation, so no document prints it: {awaiting}",
                    "confirm the details at the source, then delete the "
                    "`awaiting_confirmation` line (and update `checked_on`)",
                    draft=True,
                )
            old_numbers = (
                self._texts(fields["old_numbers"], "old_numbers") if "old_numbers" in fields else []
            )
            phone = get("phone")
            directory[contact_id] = Contact(
                id=contact_id,
                name=name,
                helps_with=get("helps_with") or (),
                phone=phone.national if phone else None,
                phone_e164=phone.dial if phone else None,
                phone_note=_bare(get("phone_note")) if phone else None,
                email=get("email"),
                web=get("web"),
                hours=get("hours"),
                notes=get("notes") or (),
                source=get("source") or "",
                checked_on=get("checked_on"),
                editor_notes=get("editor_notes") or "",
                old_numbers=tuple(old_numbers),
                awaiting_confirmation=awaiting,
            )
        return directory

    def _check_reachable(self, item: yaml.Node, fields: dict[str, yaml.Node], name: str) -> None:
        if not any(way in fields for way in ("phone", "email", "web")):
            self.error(
                item,
                f"{name} has no phone, email or web address, so nobody can reach it",
                "add at least one checked way to contact it, or remove the contact",
            )
            return
        not_listed = set()
        if "not_listed" in fields:
            for entry in self.sequence(fields["not_listed"], "not_listed"):
                way = self.text(entry, "not_listed")
                if way not in ("phone", "email"):
                    self.error(entry, f"{way!r} cannot be not_listed", "write phone or email")
                elif way in fields:
                    self.error(
                        entry,
                        f"{name} has a {way} but also lists it as not listed",
                        f"remove `{way}` from not_listed, or remove the {way}",
                    )
                else:
                    not_listed.add(way)
        missing = [way for way in ("phone", "email") if way not in fields and way not in not_listed]
        if missing:
            words = {"phone": "phone number", "email": "email address"}
            self.warning(
                item,
                f"{name} has no {' or '.join(words[m] for m in missing)}; the pack prints none",
                f"add {' or '.join(f'`{m}:`' for m in missing)} with details checked at the "
                f"source, or `not_listed: [{', '.join(missing)}]` if there is none to list",
            )

    def _check_checked_on(
        self, fields: dict[str, yaml.Node], checked: dt.date | None, name: str, limit: int
    ) -> None:
        if checked is None:
            return
        today = self.context.today
        if checked > today:
            self.error(
                fields["checked_on"],
                f"{name} was checked on {checked.isoformat()}, which is in the future",
                f"write the date the details were really checked (today is {today.isoformat()})",
            )
        elif months_between(checked, today) >= limit:
            self.warning(
                fields["checked_on"],
                f"{name}'s details were last checked on {checked.isoformat()}, "
                f"more than {limit} months ago",
                "check them at the source, then update `checked_on`",
            )

    # ------------------------------------------------------------ documents

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
        keywords = self._texts(fields["keywords"], "keywords") if "keywords" in fields else []
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

    def _texts(self, node: yaml.Node, name: str) -> list[str]:
        return [text for item in self.sequence(node, name) if (text := self.text(item, name))]

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
            labels = self._texts(value, kind)
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
