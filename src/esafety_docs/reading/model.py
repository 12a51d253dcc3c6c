"""The document model: every kind of content the pack can hold, on one screen.

Loaders produce it, renderers consume it, and neither knows the other. All
nodes are frozen so a renderer cannot change what another one will see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """Literal text, printed exactly as written (no markup is interpreted)."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Bold text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emph:
    """Italic text."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink; `children` are the descriptive link text."""

    url: str
    children: tuple[Inline, ...]


Inline = Text | Strong | Emph | Link
Inlines = tuple[Inline, ...]

# ---------------------------------------------------------------- contacts


@dataclass(frozen=True)
class Contact:
    """One organisation in the contacts directory. Absent details are None."""

    id: str
    name: str
    helps_with: Inlines
    phone: str | None = None  # national format, e.g. "0344 381 4772", or "116 123"
    phone_e164: str | None = None  # for tel: links, e.g. "+443443814772" (short: "116123")
    phone_note: str | None = None  # printed after the number, e.g. "option 2"
    email: str | None = None
    web: str | None = None
    hours: str | None = None
    notes: Inlines = ()
    source: str = ""
    checked_on: dt.date | None = None
    editor_notes: str = ""  # for comms staff only: never printed
    old_numbers: tuple[str, ...] = ()  # superseded numbers: never printed anywhere
    awaiting_confirmation: str = ""  # what to confirm; until then the contact is not printed


# ---------------------------------------------------------------- blocks

# SOURCE PATHS: a block read from a source says where, as a path in its file such
# as `sections[1].body[0].bullets[2]`, so a reviewed copy can be mapped back. Blocks
# the pack makes itself have none; instead they say what made them (`made_by`, one of
# a render.common.Made), so a review can say where to change them. Neither
# ever makes two blocks differ.


@dataclass(frozen=True)
class Heading:
    """A section title. Level 1 is a top-level section of a document (up to 3)."""

    level: int
    text: str
    origin: str = field(default="", compare=False)  # where in its source file: SOURCE PATHS


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text."""

    inlines: Inlines
    origin: str = field(default="", compare=False)
    made_by: str = field(default="", compare=False)


@dataclass(frozen=True)
class BulletList:
    """An unordered list; each item is one line of inlines."""

    items: tuple[Inlines, ...]
    origins: tuple[str, ...] = field(default=(), compare=False)  # one per item


@dataclass(frozen=True)
class NumberedList:
    """An ordered list of steps."""

    items: tuple[Inlines, ...]
    origins: tuple[str, ...] = field(default=(), compare=False)  # one per item


@dataclass(frozen=True)
class ContactList:
    """The details of some organisations, in the order the source lists them.

    `whole_directory` is True when the source says `all`: the list then follows the
    directory, so a contact added there is not a change to the section's own words.
    """

    contacts: tuple[Contact, ...]
    whole_directory: bool = False


@dataclass(frozen=True)
class ContactTable:
    """The contact sheet's table: one row per organisation (see ContactList)."""

    contacts: tuple[Contact, ...]
    whole_directory: bool = False


@dataclass(frozen=True)
class FillIn:
    """Labelled blank lines for a reader to write on (a form field in the PDF)."""

    labels: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A data table: a header row, then rows of cells, each cell one or more paragraphs.

    `widths` are the columns' shares of the text width; `row_headers` marks the first
    cell of each row as the header for that row; `keep_with_next` keeps the whole
    table on the page with what follows it (a short table and its sequel).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Inlines, ...], ...], ...]
    widths: tuple[float, ...]
    row_headers: bool = False
    keep_with_next: bool = False
    made_by: str = field(default="", compare=False)


Block = (
    Heading | Paragraph | BulletList | NumberedList | ContactList | ContactTable | FillIn | Table
)

# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Change:
    """One line of a document's change history."""

    version: str
    date: dt.date
    change: str


@dataclass(frozen=True)
class Document:
    """One document of the pack, with its document-control details."""

    id: str
    title: str
    subtitle: str
    summary: str
    status: str  # "draft" or "approved"
    owner: str
    review_due: dt.date
    blocks: tuple[Block, ...]
    layout: str = "booklet"  # or "sheet": one page to pin up, document control on the back
    keywords: tuple[str, ...] = ()
    approved_by: str | None = None
    approved_on: dt.date | None = None
    approved_version: str | None = None
    change_history: tuple[Change, ...] = ()
    source_path: Path | None = None


@dataclass(frozen=True)
class Pack:
    """The whole pack: its control details, documents in order and the directory."""

    title: str
    publisher: str
    version: str
    date: dt.date
    status: str  # "draft" or "approved", for the pack as a whole
    owner: str
    review_due: dt.date
    documents: tuple[Document, ...]
    contacts: tuple[Contact, ...] = field(default=())
    approved_by: str | None = None
    approved_on: dt.date | None = None
    approved_version: str | None = None
    # Names of the contacts awaiting confirmation: no document prints them yet.
    awaiting_confirmation: tuple[str, ...] = ()
    # What a release does meanwhile (pack.yaml `release_pending`, `release_drafts`).
    release_pending: str = "stop"
    release_drafts: str = "stop"


def plain_text(inlines: Inlines) -> str:
    """The words of some inlines without their formatting."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)
