"""The one entry to `sources/`: the pack file, then the contacts directory
(`contacts`), then each document (`documents`), into a `Pack`, reporting every
problem in every file in one run; then the checks across files (printed
numbers, drafts in an approved pack, files the pack does not use)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from . import schema
from .contacts import ContactsReader
from .diagnostics import Reporter, SourceError
from .documents import DocumentReader
from .model import Contact, Document, Pack
from .parsing import missing_file_hint
from .printed_numbers import check_printed_numbers
from .reader import ReadContext
from .source_reader import CONTACTS_FILE, PACK_FILE, SourceReader
from .values import suggested_id

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
        otherwise = (
            f"the sources folder must hold {PACK_FILE}; check --sources points at the right folder"
        )
        hint = missing_file_hint(pack_path, "the pack file", otherwise)
        reporter.error(pack_path, None, f"the pack file {PACK_FILE} is missing", hint)
        raise SourceError(reporter.diagnostics)

    pack_reader = SourceReader(pack_path, reporter, context)
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
        pack_reader.texts(pack_fields["linkcheck_ignore"], "linkcheck_ignore")

    contacts_reader = ContactsReader(sources / CONTACTS_FILE, reporter, context)
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
                otherwise = (
                    f"create {doc_path.name} in the sources folder (the new-document "
                    f"command writes a starting file), or remove {doc_id!r} here"
                )
                pack_reader.error(
                    id_node,
                    f"document {doc_id!r} has no source file {doc_path.name}",
                    missing_file_hint(doc_path, "the document", otherwise),
                )
                continue
            document = DocumentReader(doc_path, reporter, context, directory).document(doc_id)
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
            doc_id = suggested_id(path.stem) or "new-document"
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
