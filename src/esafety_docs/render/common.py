"""What every renderer prints the same way: wording, file names, and the blocks
that are built from other data (contact details, document control).

Renderers call `expand` and then only need to know the generic blocks, so a
contact prints identically in every format and an absent detail prints nothing.
`expand` also adds what only a printed page needs: the address after a link
whose words are not the address (`Address`), contact cards kept together
(`Cards`), the date contact details were checked, and on a one-page sheet the
point where the back of the page starts (`BackPage`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import urlsplit

from ..reading.model import (
    Block,
    BulletList,
    Contact,
    ContactList,
    ContactTable,
    Document,
    Emph,
    Heading,
    Inlines,
    Link,
    NumberedList,
    Pack,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
)


@dataclass(frozen=True)
class Detail:
    """One labelled way to reach a contact; `url` makes it a link; `note` follows it in
    brackets, outside the link (e.g. "option 2" after a phone number)."""

    label: str
    text: str
    url: str | None
    note: str | None = None


@dataclass(frozen=True)
class Address(Text):
    """A link's address printed after its words, so a page on paper can still be
    followed. Renderers set it in smaller type (HTML shows it only in print); any
    code that does not know it prints it as plain text."""


@dataclass(frozen=True)
class Cards:
    """Contact cards: each a heading and its details, kept together on one page and
    set in columns where the page has room."""

    cards: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class BackPage:
    """On a one-page sheet: what follows goes on the back (document control)."""


RenderBlock = Block | Cards | BackPage


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


def printed_address(link: Link) -> str | None:
    """The address to print after a link, or None when its words already are it."""
    scheme = urlsplit(link.url).scheme
    if scheme not in ("http", "https"):
        return None  # tel: and mailto: links show the number or address itself
    address = web_text(link.url)
    words = "".join(plain_text(link.children).split()).lower()
    words = words.removeprefix("https://").removeprefix("http://").rstrip("/")
    return None if words in (address.lower(), address.lower().removeprefix("www.")) else address


def with_addresses(inlines: Inlines) -> Inlines:
    """Inlines with each link's address after it (see `Address`)."""
    out: list[Text | Strong | Emph | Link] = []
    for node in inlines:
        if isinstance(node, Strong):
            out.append(Strong(with_addresses(node.children)))
        elif isinstance(node, Emph):
            out.append(Emph(with_addresses(node.children)))
        else:
            out.append(node)
            address = printed_address(node) if isinstance(node, Link) else None
            if address:
                out.append(Address(f" ({address})"))
    return tuple(out)


def break_points(address: str, after: str = "/.-") -> list[str]:
    """An address cut after each '/', '.' and '-' (or the characters in `after`): the
    only places it may wrap, so a line never ends inside a word and no hyphen is added."""
    parts, current = [], ""
    for char in address:
        current += char
        if char in after:
            parts.append(current)
            current = ""
    return [*parts, current] if current else parts


def fit_text(text: str, width: float, measure: Callable[[str], float]) -> str:
    """`text`, shortened at a word with an ellipsis if it is wider than `width`."""
    if measure(text) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shortened = " ".join(words).rstrip(",;:") + "\u2026"
        if measure(shortened) <= width:
            return shortened
    return text[: max(1, int(len(text) * width / max(measure(text), 1)) - 1)] + "\u2026"


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


LABEL_JOIN = "\u00a0"  # no-break space


def detail_inlines(detail: Detail) -> Inlines:
    """`Phone: 0344 381 4772 (option 2)`, the value a link where it can be one; a
    number in bold, to be found at a glance."""
    words: Text | Strong = Text(detail.text)
    if detail.label == "Phone":
        words = Strong((words,))
    value: Text | Strong | Link = Link(detail.url, (words,)) if detail.url else words
    note = (Text(f" ({detail.note})"),) if detail.note else ()
    # A one-word value (an address) starts on the label's line: a no-break space.
    gap = " " if " " in detail.text else LABEL_JOIN
    return (Text(f"{detail.label}:{gap}"), value, *note)


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


class Made(StrEnum):
    """What made text that no source holds as written (a block's `made_by`), so a
    review copy can say where to change it."""

    COVER_FACTS = "cover facts"
    CHECKED_NOTE = "checked note"
    CONTACTS_TABLE = "contacts table"
    DOCUMENT_CONTROL = "document control"
    CHANGE_HISTORY = "change history"


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
LABEL_GAP = 7.0  # points between a list's number (or bullet) and its text
NOT_APPROVED = "Not yet approved"
PACK_PART_TITLE = "About this pack"


def expand(document: Document, pack: Pack) -> list[RenderBlock]:
    """The document's blocks as printed: contacts spelled out as cards or a table
    (with the date they were checked), links followed by their address, and
    document control appended (on the back, for a sheet)."""
    blocks: list[RenderBlock] = []
    level = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            level = block.level
            blocks.append(block)
        elif isinstance(block, ContactTable):
            blocks += [contact_table(block.contacts), checked_note(block.contacts)]
        elif isinstance(block, ContactList):
            cards = tuple(contact_card(contact, level + 1) for contact in block.contacts)
            blocks += [Cards(cards), checked_note(block.contacts)]
        else:
            blocks.append(_with_addresses(block))
    if document.layout == "sheet":
        blocks.append(BackPage())
    return blocks + document_control(document, pack)


def sheet_top(blocks: list[RenderBlock]) -> tuple[list[RenderBlock], list[RenderBlock]]:
    """A sheet's first section, set in a box at the top, and the blocks after it (all
    of them, and no box, when the sheet has only one section)."""
    second = next(
        (i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1 and i), None
    )
    return (blocks[:second], blocks[second:]) if second else ([], blocks)


SHEET_LEAD_SCALE = 1.25  # a sheet's first line, to the body text's size


def sheet_lead(boxed: Sequence[RenderBlock]) -> int | None:
    """Which block of a sheet's box is its first line ("Call 999"), set large enough to
    read from across a room: its first paragraph."""
    return next((i for i, b in enumerate(boxed) if isinstance(b, Paragraph)), None)


def keeps_with_next(blocks: Sequence[RenderBlock], index: int) -> bool:
    """Whether the paragraph at `index` stays on its page with what follows it: a
    lead-in (its words end with a colon: a list or a quotation follows), or a section's
    introduction, between its heading and its first sub-section or contact cards.
    The one rule for the PDF, the Word file and the HTML's print styles."""
    block = blocks[index]
    if not isinstance(block, Paragraph):
        return False
    if plain_text(block.inlines).rstrip().endswith(":"):
        return True
    above = blocks[index - 1] if index else None
    below = blocks[index + 1] if index + 1 < len(blocks) else None
    return isinstance(above, Heading) and (
        isinstance(below, Cards) or (isinstance(below, Heading) and below.level > above.level)
    )


def _with_addresses(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return replace(block, inlines=with_addresses(block.inlines))
    if isinstance(block, BulletList | NumberedList):
        return replace(block, items=tuple(with_addresses(item) for item in block.items))
    return block


def contact_card(contact: Contact, level: int) -> tuple[Block, ...]:
    """A contact: its name as a heading, what it helps with, its details, its notes."""
    card: list[Block] = [
        Heading(level, contact.name),
        Paragraph(with_addresses(contact.helps_with)),
    ]
    details = [detail_inlines(detail) for detail in contact_details(contact)]
    if details:
        card.append(BulletList(tuple(details)))
    if contact.notes:
        card.append(Paragraph(with_addresses(contact.notes)))
    return tuple(card)


def checked_note(contacts: tuple[Contact, ...]) -> Paragraph:
    """When the details above were last checked, as the sources record it."""
    dates = sorted({c.checked_on for c in contacts if c.checked_on is not None})
    if not dates:
        words = "Contact details have not been checked yet."
    elif len(dates) == 1:
        words = f"Contact details checked on {long_date(dates[0])}."
    else:
        words = f"Contact details checked between {long_date(dates[0])} and {long_date(dates[-1])}."
    return Paragraph((Text(words),), made_by=Made.CHECKED_NOTE)


CONTACT_TABLE_HEADER = ("Organisation", "What it helps with", "How to contact")


def contact_table(contacts: tuple[Contact, ...]) -> Table:
    rows = []
    for contact in contacts:
        helps: tuple[Inlines, ...] = (with_addresses(contact.helps_with),)
        if contact.notes:
            helps += (with_addresses(contact.notes),)
        details = tuple(detail_inlines(detail) for detail in contact_details(contact))
        rows.append((((Strong((Text(contact.name),)),),), helps, details))
    return Table(
        CONTACT_TABLE_HEADER,
        tuple(rows),
        widths=(0.25, 0.37, 0.38),
        row_headers=True,
        made_by=Made.CONTACTS_TABLE,
    )


def document_control(document: Document, pack: Pack) -> list[Block]:
    """The document control table and change history every document ends with.

    Approval is shown only for what is approved: a draft says "Not yet approved"
    even if an earlier approval is still written in its source.
    """

    def row(label: str, value: str) -> tuple[tuple[Inlines, ...], ...]:
        return (((Text(label),),), ((Text(value),),))

    approved = document.status == "approved"
    approved_by = document.approved_by if approved and document.approved_by else None
    approved_on = document.approved_on if approved else None
    facts = (
        row("Version", pack.version),
        row("Date", long_date(pack.date)),
        row("Status", status_label(document.status)),
        row("Owner", document.owner),
        row("Approved by", approved_by or NOT_APPROVED),
        row("Approval date", long_date(approved_on) if approved_on else NOT_APPROVED),
        row("Review due", long_date(document.review_due)),
    )
    # The change history belongs with the facts above it: never on a page of its own.
    together = bool(document.change_history)
    blocks: list[Block] = [
        Heading(1, "Document control"),
        Table(
            ("Item", "Details"),
            facts,
            (0.3, 0.7),
            row_headers=True,
            keep_with_next=together,
            made_by=Made.DOCUMENT_CONTROL,
        ),
    ]
    if document.change_history:
        history = tuple(
            (((Text(c.version),),), ((Text(long_date(c.date)),),), ((Text(c.change),),))
            for c in document.change_history
        )
        blocks += [
            Heading(2, "Change history"),
            Table(
                ("Version", "Date", "Change"),
                history,
                widths=(0.15, 0.25, 0.6),
                made_by=Made.CHANGE_HISTORY,
            ),
        ]
    return blocks


def pack_part(pack: Pack, notes: tuple[Block, ...] = ()) -> Document:
    """The combined PDF's closing part: the release notes, when there are any, then the
    pack's own document control (its status, approval and review at pack level)."""
    subtitle = "Document control for the complete pack"
    if notes:
        subtitle = "What changed in this release, and document control for the complete pack"
    return Document(
        id="pack",
        title=PACK_PART_TITLE,
        subtitle=subtitle,
        summary=subtitle,
        status=pack.status,
        owner=pack.owner,
        review_due=pack.review_due,
        blocks=notes,
        approved_by=pack.approved_by,
        approved_on=pack.approved_on,
    )
