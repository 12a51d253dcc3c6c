"""The only module that reads `sources/`: YAML in, a checked `Pack` out.

Every value is taken from PyYAML's composed nodes, so each problem can name the
file, line and column of the exact key or value at fault. Scalars are read as
the text the user typed (no YAML 1.1 surprises such as `no` becoming false or a
phone number losing its leading zero); each field's kind decides how to parse it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from . import schema
from .diagnostics import Diagnostic, Reporter, SourceError, display_path
from .markup import check_url, parse_inline
from .model import (
    Block,
    BulletList,
    Change,
    Contact,
    ContactList,
    ContactTable,
    Document,
    Heading,
    Inlines,
    NumberedList,
    Pack,
    Paragraph,
)

try:  # the C loader is several times faster; marks are the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# A source is a few kilobytes; anything past this is a mistake (or an attack).
MAX_SOURCE_BYTES = 1_000_000

PACK_FILE = "pack.yaml"
CONTACTS_FILE = "contacts.yaml"

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_EMAIL = re.compile(r"[^@\s]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\Z")


def load_pack(sources: Path, reporter: Reporter) -> Pack:
    """Read and check every source; raise SourceError listing all errors found."""
    pack_path = sources / PACK_FILE
    if not pack_path.is_file():
        reporter.error(
            pack_path,
            None,
            f"the pack file {PACK_FILE} is missing",
            f"the sources folder must hold {PACK_FILE}; check --sources points at the right folder",
        )
        raise SourceError(reporter.diagnostics)

    pack_reader = _Reader(pack_path, reporter)
    pack_fields = pack_reader.read_root(schema.PACK, "the pack file")

    contacts_reader = _Reader(sources / CONTACTS_FILE, reporter)
    contacts_root = contacts_reader.read_root(schema.CONTACTS_FILE, "the contacts directory")
    directory: dict[str, Contact] = {}
    if contacts_root and "contacts" in contacts_root:
        directory = contacts_reader.contacts(contacts_root["contacts"])

    documents: list[Document] = []
    if pack_fields and "documents" in pack_fields:
        ids_node = pack_fields["documents"]
        for doc_id, id_node in pack_reader.ids(ids_node, "document"):
            doc_path = sources / f"{doc_id}.yaml"
            if not doc_path.is_file():
                reporter.error(
                    pack_path,
                    id_node.start_mark,
                    f"document {doc_id!r} has no source file {doc_path.name}",
                    f"create {doc_path.name} in the sources folder, or remove {doc_id!r} here",
                )
                continue
            document = _Reader(doc_path, reporter, directory).document(doc_id)
            if document:
                documents.append(document)

    if reporter.errors or pack_fields is None:
        raise SourceError(reporter.diagnostics)
    get = pack_reader.values(pack_fields)
    return Pack(
        title=get("title"),
        publisher=get("publisher"),
        version=get("version"),
        date=get("date"),
        status=get("status"),
        owner=get("owner"),
        review_due=get("review_due"),
        documents=tuple(documents),
        contacts=tuple(directory.values()),
    )


class _Reader:
    """Walks the composed YAML of one file, converting values and reporting problems."""

    def __init__(
        self, path: Path, reporter: Reporter, directory: dict[str, Contact] | None = None
    ) -> None:
        self.path = path
        self.reporter = reporter
        self.directory = directory or {}
        self._converted: dict[int, object] = {}

    # ------------------------------------------------------------ reading

    def read_root(self, spec: dict[str, schema.Field], what: str) -> dict[str, yaml.Node] | None:
        """Parse the file and check its top-level mapping against `spec`."""
        node = self._compose()
        if node is None:
            return None
        return self.mapping(node, spec, what)

    def _compose(self) -> yaml.Node | None:
        error = self.reporter.error
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            error(self.path, None, f"{self.path.name} is missing", "restore the file from git")
            return None
        except OSError as exc:
            error(self.path, None, f"cannot read the file: {exc.strerror}", "check the file")
            return None
        if len(data) > MAX_SOURCE_BYTES:
            error(
                self.path,
                None,
                f"the file is {len(data):,} bytes; sources may be at most {MAX_SOURCE_BYTES:,}",
                "a source holds text, not data: split it or remove what was pasted in by mistake",
            )
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            self.reporter.diagnostics.append(
                _diag(self.path, line, column, f"byte 0x{data[exc.start]:02x} is not UTF-8 text")
            )
            return None
        try:
            node = yaml.compose(text.removeprefix("\ufeff"), Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            error(self.path, exc.problem_mark, _yaml_message(exc), _yaml_hint(exc))
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
            error(self.path, None, f"the file is not valid YAML: {exc}", "check the file")
            return None
        if node is None:
            error(self.path, None, "the file is empty", "restore the file from git")
            return None
        shared = _first_shared_node(node)
        if shared is not None:
            error(
                self.path,
                shared.start_mark,
                "YAML anchors and aliases (& and *) are not allowed in sources",
                "write the value out in full where it is needed",
            )
            return None
        return node

    def mapping(
        self, node: yaml.Node, spec: dict[str, schema.Field], what: str
    ) -> dict[str, yaml.Node] | None:
        """Check a mapping's keys against `spec`: unknown, duplicate and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.reporter.error(
                self.path,
                node.start_mark,
                f"{what} should be a set of `key: value` lines, but this is {_describe(node)}",
                f"write {what} as keys, e.g. `{next(iter(spec))}: ...`",
            )
            return None
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.reporter.error(
                    self.path, key_node.start_mark, "a key must be a plain word", "check the indent"
                )
                continue
            key = key_node.value
            if key in fields:
                self.reporter.error(
                    self.path,
                    key_node.start_mark,
                    f"{key!r} is given twice in {what}",
                    "keep one of them and delete the other",
                )
            elif key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1)
                hint = f"did you mean {close[0]!r}?" if close else ""
                self.reporter.error(
                    self.path,
                    key_node.start_mark,
                    f"unknown key {key!r} in {what}",
                    hint or f"the keys allowed here are: {', '.join(spec)}",
                )
            else:
                fields[key] = value_node
        for name, field_spec in spec.items():
            if field_spec.required and name not in fields:
                self.reporter.error(
                    self.path,
                    node.start_mark,
                    f"{what} is missing {name!r}",
                    f"add `{name}:` ({field_spec.doc.rstrip('.')})",
                )
        for name, value_node in fields.items():
            self._converted[id(value_node)] = self._convert(spec[name].kind, value_node, name)
        return fields

    def values(self, fields: dict[str, yaml.Node]) -> Callable[[str], Any]:
        """A getter for converted values of a checked mapping (None when absent)."""

        def get(name: str) -> Any:
            node = fields.get(name)
            return None if node is None else self._converted.get(id(node))

        return get

    # ------------------------------------------------------------ scalars

    def text(self, node: yaml.Node, name: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.reporter.error(
                self.path,
                node.start_mark,
                f"{name!r} should be text, but this is {_describe(node)}",
                "write the value on the same line as the key",
            )
            return None
        value = " ".join(node.value.split())
        if not value:
            self.reporter.error(
                self.path,
                node.start_mark,
                f"{name!r} is empty",
                "write a value, or delete the line if the detail is not known",
            )
            return None
        for index, char in enumerate(node.value):
            if unicodedata.category(char) in ("Cc", "Cf") and char not in "\n\t":
                self.reporter.error(
                    self.path,
                    node.start_mark,
                    f"{name!r} contains an invisible control character "
                    f"U+{ord(char):04X} at character {index + 1}",
                    "retype the text; it was probably pasted from another program",
                )
                return None
        return value

    def _convert(self, kind: str, node: yaml.Node, name: str) -> object:
        """Turn one field's node into its value; None (with a diagnostic) when it is wrong."""
        if kind in schema.LIST_KINDS:
            return None  # lists are walked by their own methods
        value = self.text(node, name)
        if value is None:
            return None
        mark = node.start_mark
        if kind == "date":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                self.reporter.error(
                    self.path, mark, f"{value!r} is not a date", "write dates as YYYY-MM-DD"
                )
                return None
        if kind == "status" and value not in schema.STATUSES:
            self.reporter.error(
                self.path,
                mark,
                f"status {value!r} is not one of: {', '.join(schema.STATUSES)}",
                "write `draft` until the document is approved",
            )
            return None
        if kind == "id" and not _ID.match(value):
            self.reporter.error(
                self.path,
                mark,
                f"{value!r} is not a valid id",
                "use lower-case letters, digits and hyphens only, e.g. contact-sheet",
            )
            return None
        if kind == "months":
            if not value.isdigit() or int(value) < 1:
                self.reporter.error(
                    self.path, mark, f"{value!r} is not a number of months", "write e.g. 12"
                )
                return None
            return int(value)
        if kind == "url":
            problem = check_url(value)
            if problem:
                self.reporter.error(self.path, mark, problem.message, problem.hint)
                return None
        if kind == "email" and not _EMAIL.match(value):
            self.reporter.error(
                self.path,
                mark,
                f"{value!r} is not an email address",
                "write it as name@example.org.uk",
            )
            return None
        if kind == "phone":
            return self._phone(value, node)
        if kind == "prose":
            return self._prose(value, node)
        return value

    def _phone(self, value: str, node: yaml.Node) -> tuple[str, str] | None:
        try:
            number = phonenumbers.parse(value, "GB")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.reporter.error(
                self.path,
                node.start_mark,
                f"{value!r} is not a valid UK phone number",
                "write the full number with its area code, e.g. 01332 585371",
            )
            return None
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return national, e164

    def _prose(self, value: str, node: yaml.Node) -> Inlines | None:
        inlines, problems = parse_inline(value)
        for problem in problems:
            self.reporter.error(self.path, node.start_mark, problem.message, problem.hint)
        return None if problems else inlines

    # ------------------------------------------------------------ lists

    def _sequence(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.reporter.error(
                self.path,
                node.start_mark,
                f"{name!r} should be a list with at least one item",
                "write each item on its own line starting with `- `",
            )
            return []
        return list(node.value)

    def ids(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        """A list of ids, each with its node for positions; duplicates are errors."""
        result: list[tuple[str, yaml.Node]] = []
        for item in self._sequence(node, f"{what} ids"):
            value = self._convert("id", item, what)
            if not isinstance(value, str):
                continue
            if any(value == seen for seen, _ in result):
                self.reporter.error(
                    self.path,
                    item.start_mark,
                    f"{what} {value!r} is listed twice",
                    "delete one of them",
                )
                continue
            result.append((value, item))
        return result

    def contacts(self, node: yaml.Node) -> dict[str, Contact]:
        directory: dict[str, Contact] = {}
        for item in self._sequence(node, "contacts"):
            fields = self.mapping(item, schema.CONTACT, "a contact")
            if fields is None:
                continue
            get = self.values(fields)
            contact_id, name = get("id"), get("name")
            if contact_id in directory:
                self.reporter.error(
                    self.path,
                    fields["id"].start_mark,
                    f"contact id {contact_id!r} is used twice",
                    "each organisation appears once; give the other one a different id",
                )
                continue
            if contact_id is None or name is None:
                continue
            missing = [field for field in ("phone", "email") if field not in fields]
            if missing:
                words = {"phone": "phone number", "email": "email address"}
                self.reporter.warning(
                    self.path,
                    item.start_mark,
                    f"{name} has no {' or '.join(words[m] for m in missing)}; the pack prints none",
                    f"add {' or '.join(f'`{m}:`' for m in missing)} only with details "
                    "checked at the source",
                )
            phone = get("phone")
            directory[contact_id] = Contact(
                id=contact_id,
                name=name,
                helps_with=get("helps_with") or (),
                phone=phone[0] if phone else None,
                phone_e164=phone[1] if phone else None,
                email=get("email"),
                web=get("web"),
                hours=get("hours"),
                notes=get("notes") or (),
                source=get("source") or "",
                checked_on=get("checked_on"),
            )
        return directory

    # ------------------------------------------------------------ documents

    def document(self, expected_id: str) -> Document | None:
        fields = self.read_root(schema.DOCUMENT, "the document")
        if fields is None:
            return None
        get = self.values(fields)
        if "id" in fields and get("id") not in (None, expected_id):
            self.reporter.error(
                self.path,
                fields["id"].start_mark,
                f"id {get('id')!r} does not match the file name {self.path.name}",
                f"write `id: {expected_id}`",
            )
        blocks: list[Block] = []
        if "sections" in fields:
            self._sections(fields["sections"], 1, blocks)
        keywords = self._texts(fields["keywords"], "keywords") if "keywords" in fields else []
        changes = self._changes(fields["change_history"]) if "change_history" in fields else []
        try:
            return Document(
                id=expected_id,
                title=get("title"),
                subtitle=get("subtitle"),
                summary=get("summary"),
                status=get("status"),
                owner=get("owner"),
                review_due=get("review_due"),
                blocks=tuple(blocks),
                keywords=tuple(keywords),
                approved_by=get("approved_by"),
                approved_on=get("approved_on"),
                change_history=tuple(changes),
                source_path=self.path,
            )
        except TypeError:  # pragma: no cover - only reached alongside reported errors
            return None

    def _texts(self, node: yaml.Node, name: str) -> list[str]:
        return [text for item in self._sequence(node, name) if (text := self.text(item, name))]

    def _changes(self, node: yaml.Node) -> list[Change]:
        changes = []
        for item in self._sequence(node, "change_history"):
            fields = self.mapping(item, schema.CHANGE, "a change")
            if fields:
                get = self.values(fields)
                if None not in (get("version"), get("date"), get("change")):
                    changes.append(Change(get("version"), get("date"), get("change")))
        return changes

    def _sections(self, node: yaml.Node, depth: int, blocks: list[Block]) -> None:
        for item in self._sequence(node, "sections"):
            fields = self.mapping(item, schema.SECTION, "a section")
            if fields is None:
                continue
            title = self.values(fields)("title")
            if title:
                blocks.append(Heading(depth, title))
            if "body" in fields:
                for block_node in self._sequence(fields["body"], "body"):
                    block = self._block(block_node)
                    if block:
                        blocks.append(block)
            if "sections" in fields:
                if depth >= schema.MAX_SECTION_DEPTH:
                    self.reporter.error(
                        self.path,
                        fields["sections"].start_mark,
                        f"sections may be nested at most {schema.MAX_SECTION_DEPTH} levels deep",
                        "move this part up a level or make it a list",
                    )
                else:
                    self._sections(fields["sections"], depth + 1, blocks)

    def _block(self, node: yaml.Node) -> Block | None:
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, "paragraph")
            inlines = self._prose(text, node) if text else None
            return Paragraph(inlines) if inlines else None
        fields = self.mapping(node, schema.BLOCKS, "a block")
        if not fields:
            return None
        if len(fields) != 1:
            self.reporter.error(
                self.path,
                node.start_mark,
                "each block holds exactly one kind of content",
                f"use one of: {', '.join(schema.BLOCKS)}, with a new `- ` item for each",
            )
            return None
        ((kind, value),) = fields.items()
        if kind in ("bullets", "numbered"):
            items = []
            for item in self._sequence(value, kind):
                text = self.text(item, "list item")
                inlines = self._prose(text, item) if text else None
                if inlines:
                    items.append(inlines)
            return BulletList(tuple(items)) if kind == "bullets" else NumberedList(tuple(items))
        contacts = self._contact_refs(value)
        return ContactTable(contacts) if kind == "contact_table" else ContactList(contacts)

    def _contact_refs(self, node: yaml.Node) -> tuple[Contact, ...]:
        if isinstance(node, yaml.ScalarNode) and node.value == "all":
            return tuple(self.directory.values())
        found = []
        for contact_id, id_node in self.ids(node, "contact"):
            contact = self.directory.get(contact_id)
            if contact is None:
                close = difflib.get_close_matches(contact_id, list(self.directory), n=1)
                self.reporter.error(
                    self.path,
                    id_node.start_mark,
                    f"no contact with id {contact_id!r} in {CONTACTS_FILE}",
                    f"did you mean {close[0]!r}?" if close else f"add it to {CONTACTS_FILE}",
                )
            else:
                found.append(contact)
        return tuple(found)


def _first_shared_node(root: yaml.Node) -> yaml.Node | None:
    """The first node reached twice: an alias. Found without expanding anything,
    so an alias bomb ("billion laughs") costs no more than its own size."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                pending += [value, key]
    return None


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a set of keys"
    return f"the text {node.value!r}" if node.value else "empty"


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "the YAML is malformed"
    if exc.context:
        return f"{problem} ({exc.context})"
    return problem


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "'\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "quote" in (exc.context or "") or "quoted" in problem:
        return "close the quotation mark, or remove it"
    if "special characters" in problem or "non-printable" in problem:
        return "remove the invisible character (often pasted from another program)"
    if "mapping values" in problem:
        return 'a value containing ": " must be put in double quotes'
    return "check the indentation and quotes on this line and the one above"


def _diag(path: Path, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(
        display_path(path),
        line,
        column,
        "error",
        message,
        "save the file as UTF-8 text (in most editors: Save As, Encoding: UTF-8)",
    )
