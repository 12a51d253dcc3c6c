"""What every renderer prints the same way: wording, file names, and the blocks
that are built from other data (contact details, document control).

Renderers call `expand` and then only need to know the generic blocks, so a
contact prints identically in every format and an absent detail prints nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import (
    Block,
    BulletList,
    Contact,
    ContactList,
    ContactTable,
    Document,
    Heading,
    Inlines,
    Link,
    Pack,
    Paragraph,
    Strong,
    Table,
    Text,
)


@dataclass(frozen=True)
class Detail:
    """One labelled way to reach a contact; `url` makes it a link; `note` follows it in
    brackets, outside the link (e.g. "option 2" after a phone number)."""

    label: str
    text: str
    url: str | None
    note: str | None = None


def long_date(day: dt.date) -> str:
    """28 November 2026: the form GOV.UK style uses."""
    return f"{day.day} {day:%B %Y}"


def file_size(count: int) -> str:
    """63 KB or 1.2 MB, as GOV.UK attachment lists give sizes."""
    if count < 1024 * 1024:
        return f"{max(1, round(count / 1024))} KB"
    return f"{count / 1048576:.1f} MB"


def web_text(url: str) -> str:
    """A web address as people read it: no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def contact_details(contact: Contact) -> list[Detail]:
    """Only the details a contact has: an absent one gives no line at all."""
    details: list[Detail] = []
    if contact.phone:
        details.append(
            Detail("Phone", contact.phone, f"tel:{contact.phone_e164}", contact.phone_note)
        )
    if contact.email:
        details.append(Detail("Email", contact.email, f"mailto:{contact.email}"))
    if contact.web:
        details.append(Detail("Web", web_text(contact.web), contact.web))
    if contact.hours:
        details.append(Detail("Hours", contact.hours, None))
    return details


def detail_inlines(detail: Detail) -> Inlines:
    """`Phone: 0344 381 4772`, the value a link where it can be one."""
    value: Text | Link = Text(detail.text)
    if detail.url:
        value = Link(detail.url, (Text(detail.text),))
    note = (Text(f" ({detail.note})"),) if detail.note else ()
    return (Strong((Text(f"{detail.label}: "),)), value, *note)


def status_label(status: str) -> str:
    return "Approved" if status == "approved" else "Draft"


def is_draft_pack(pack: Pack) -> bool:
    """The combined pack is a draft while the pack or any document in it is."""
    return pack.status == "draft" or any(d.status == "draft" for d in pack.documents)


def document_file(document: Document, pack: Pack, extension: str) -> str:
    """e.g. contact-sheet-v0.1.0-draft.pdf: readable, versioned, marked while draft."""
    draft = "-draft" if document.status == "draft" else ""
    return f"{document.id}-v{pack.version}{draft}.{extension}"


def pack_file(pack: Pack, extension: str) -> str:
    """e.g. online-safety-pack-for-professionals-v0.1.0.pdf for the combined pack."""
    words = "".join(c if c.isalnum() else " " for c in pack.title.lower()).split()
    draft = "-draft" if is_draft_pack(pack) else ""
    return f"{'-'.join(words)}-v{pack.version}{draft}.{extension}"


def cover_facts(document: Document | None, pack: Pack) -> list[tuple[str, str]]:
    """The labelled facts printed on a cover."""
    status = document.status if document else ("draft" if is_draft_pack(pack) else "approved")
    return [
        ("Published by", pack.publisher),
        ("Version", pack.version),
        ("Date", long_date(pack.date)),
        ("Status", status_label(status)),
    ]


def version_line(pack: Pack) -> str:
    """The version and date carried in every page footer."""
    return f"Version {pack.version}, {long_date(pack.date)}"


DRAFT_MARK = "DRAFT"


def expand(document: Document, pack: Pack) -> list[Block]:
    """The document's blocks with contacts spelled out and document control appended."""
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, ContactTable):
            blocks.append(contact_table(block.contacts))
        elif isinstance(block, ContactList):
            for contact in block.contacts:
                blocks += contact_entry(contact)
        else:
            blocks.append(block)
    return blocks + document_control(document, pack)


def contact_entry(contact: Contact) -> list[Block]:
    """A contact in running text: name and purpose, its details as a list, then notes."""
    entry: list[Block] = [
        Paragraph((Strong((Text(contact.name),)), Text(": "), *contact.helps_with))
    ]
    details = [detail_inlines(detail) for detail in contact_details(contact)]
    if details:
        entry.append(BulletList(tuple(details)))
    if contact.notes:
        entry.append(Paragraph(contact.notes))
    return entry


CONTACT_TABLE_HEADER = ("Organisation", "What it helps with", "How to contact")


def contact_table(contacts: tuple[Contact, ...]) -> Table:
    rows = []
    for contact in contacts:
        helps = (contact.helps_with, contact.notes) if contact.notes else (contact.helps_with,)
        details = tuple(detail_inlines(detail) for detail in contact_details(contact))
        rows.append((((Strong((Text(contact.name),)),),), helps, details))
    return Table(CONTACT_TABLE_HEADER, tuple(rows), widths=(0.25, 0.37, 0.38), row_headers=True)


def document_control(document: Document, pack: Pack) -> list[Block]:
    """The document control table and change history every document ends with."""

    def row(label: str, value: str) -> tuple[tuple[Inlines, ...], ...]:
        return (((Text(label),),), ((Text(value),),))

    approved_by = document.approved_by or "Not yet approved"
    approved_on = long_date(document.approved_on) if document.approved_on else "Not yet approved"
    facts = (
        row("Version", pack.version),
        row("Date", long_date(pack.date)),
        row("Status", status_label(document.status)),
        row("Owner", document.owner),
        row("Approved by", approved_by),
        row("Approval date", approved_on),
        row("Review due", long_date(document.review_due)),
    )
    blocks: list[Block] = [
        Heading(1, "Document control"),
        Table(("Item", "Details"), facts, widths=(0.3, 0.7), row_headers=True),
    ]
    if document.change_history:
        history = tuple(
            (((Text(c.version),),), ((Text(long_date(c.date)),),), ((Text(c.change),),))
            for c in document.change_history
        )
        blocks += [
            Heading(2, "Change history"),
            Table(("Version", "Date", "Change"), history, widths=(0.15, 0.25, 0.6)),
        ]
    return blocks
