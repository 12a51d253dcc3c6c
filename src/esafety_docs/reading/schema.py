"""The source format in one place: every file, field and block kind comms staff may write.

The loader checks sources against these tables and the reference page
`docs/source-format.md` is tested against them, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One key of a source mapping: what it holds, whether it must be there, and why."""

    kind: str
    required: bool
    doc: str


# What each field kind accepts, in words for the reference page.
KINDS: dict[str, str] = {
    "text": "a line of plain text (printed exactly as written)",
    "prose": "text that may use **bold**, *italic* and [link text](https://...)",
    "date": "a date written YYYY-MM-DD",
    "status": "`draft` or `approved`",
    "layout": "`booklet` or `sheet`",
    "id": "lower-case letters, digits and hyphens, e.g. `contact-sheet`",
    "ids": "a list of ids",
    "contact_ids": "a list of contact ids, or `all` for every contact in the directory",
    "texts": "a list of lines of plain text",
    "ways": "a list of `phone` and/or `email`",
    "url": "a full web address starting https://",
    "email": "an email address",
    "phone": "a UK phone number with its area code, a freephone 0800 or 0808 number, or a "
    "UK short number such as 999, 101 or 116 123; printed in one format whatever the spacing",
    "months": "a whole number of months",
    "pending": "`leave_out` or `stop`",
    "drafts": "`publish` or `stop`",
    "contacts": "a list of contacts (see *Contact*)",
    "changes": "a list of changes (see *Change*)",
    "sections": "a list of sections (see *Section*)",
    "blocks": "a list of blocks (see *Blocks*)",
}

PACK: dict[str, Field] = {
    "title": Field("text", True, "Title of the whole pack, shown on the combined cover."),
    "publisher": Field("text", True, "Organisation that publishes the pack."),
    "version": Field("text", True, "Content version, e.g. 1.2.0; used in file names."),
    "date": Field("date", True, "Date of this version of the pack."),
    "status": Field(
        "status",
        True,
        "Whether the pack as a whole is approved; it can be approved only once every "
        "document in it is.",
    ),
    "owner": Field("text", True, "Who is responsible for the pack."),
    "approved_by": Field("text", False, "Who approved the pack (needed once approved)."),
    "approved_on": Field(
        "date",
        False,
        "When the pack was approved (needed once approved). Change it whenever the pack is "
        "approved again.",
    ),
    "approved_version": Field(
        "text",
        False,
        "The version the approval is for, e.g. 1.2.0. Needed only to approve changed words "
        "again on the same day as an earlier release's approval: a new `approved_version` "
        "is a new approval.",
    ),
    "review_due": Field("date", True, "When the pack must next be reviewed."),
    "check_contacts_every": Field(
        "months", False, "How old a contact's `checked_on` may be before a warning (default 12)."
    ),
    "documents": Field(
        "ids", True, "The documents in order; each id names a file `sources/<id>.yaml`."
    ),
    "linkcheck_ignore": Field(
        "texts",
        False,
        "Addresses `esafety-docs linkcheck` reports as ignored instead of opening them, "
        "such as a site known to refuse automatic checks. An address is ignored when it "
        "begins with one of these; `*` stands for any characters, e.g. "
        "`https://www.example.org.uk/members/`.",
    ),
    "release_pending": Field(
        "pending",
        False,
        "What a release does while a contact is `awaiting_confirmation`: `leave_out` "
        "releases without it (the release notes name what was left out); `stop` (the "
        "default) releases nothing until it is confirmed.",
    ),
    "release_drafts": Field(
        "drafts",
        False,
        "What a release does while the pack or a document is `status: draft`: `publish` "
        "makes a draft release (marked DRAFT on every page, listed on the site as a draft "
        "and never as the version to use); `stop` (the default) releases nothing until "
        "everything is approved.",
    ),
}

CONTACTS_FILE: dict[str, Field] = {
    "contacts": Field("contacts", True, "Every organisation, once."),
}

CONTACT: dict[str, Field] = {
    "id": Field("id", True, "Short name documents use to refer to this contact."),
    "name": Field("text", True, "The organisation's name."),
    "helps_with": Field("prose", True, "What it helps with, in a sentence."),
    "phone": Field("phone", False, "Phone number. Leave the line out if unknown."),
    "phone_note": Field(
        "text",
        False,
        "What callers choose or ask for once through, e.g. `option 2` or `extension 214`; "
        "printed in brackets after the number.",
    ),
    "email": Field("email", False, "Email address. Leave the line out if unknown."),
    "web": Field("url", False, "Web address. Leave the line out if unknown."),
    "hours": Field("text", False, "Opening hours, e.g. Monday to Friday, 10am to 4pm."),
    "notes": Field("prose", False, "Anything else a reader needs to know (printed)."),
    "editor_notes": Field(
        "text",
        False,
        "Notes for comms staff, never printed: why a detail differs from an old page, what "
        "to check next time. Shown by `check` and in release notes.",
    ),
    "old_numbers": Field(
        "texts",
        False,
        "Numbers this organisation no longer uses (never printed). A check refuses them "
        "anywhere in printed text.",
    ),
    "awaiting_confirmation": Field(
        "text",
        False,
        "Say what must be confirmed before this contact may be printed. Until the line is "
        "removed the contact is kept here but left out of every document, and `check` lists it.",
    ),
    "not_listed": Field(
        "ways",
        False,
        "`phone` and/or `email` when you know the pack cannot list them (none is published, "
        "or none has been verified): nothing is printed and no warning is given.",
    ),
    "source": Field("text", True, "Where these details came from (a web address or document)."),
    "checked_on": Field("date", True, "When the details were last checked."),
}

DOCUMENT: dict[str, Field] = {
    "id": Field("id", True, "Must match the file name (`sources/<id>.yaml`)."),
    "title": Field("text", True, "The document's title."),
    "subtitle": Field("text", True, "One line under the title on the cover."),
    "summary": Field("text", True, "One sentence saying what the document is for."),
    "status": Field("status", True, "`draft` until approved."),
    "owner": Field("text", True, "Who is responsible for the document."),
    "review_due": Field("date", True, "When the document must next be reviewed."),
    "layout": Field(
        "layout",
        False,
        "`booklet` (the default: a cover, then the content) or `sheet` (one page to pin on "
        "a wall: a title band instead of a cover, contacts in two columns, document control "
        "on the back).",
    ),
    "approved_by": Field("text", False, "Who approved it (needed once approved)."),
    "approved_on": Field(
        "date",
        False,
        "When it was approved (needed once approved). Change it whenever the words are "
        "approved again: a release refuses an approved document whose words changed "
        "since a release under the same date.",
    ),
    "approved_version": Field(
        "text",
        False,
        "The pack version the approval is for, e.g. 1.2.0. Needed only to approve changed "
        "words again on the same day as an earlier release's approval: a new "
        "`approved_version` is a new approval.",
    ),
    "keywords": Field("texts", False, "Search keywords stored in the files' properties."),
    "change_history": Field("changes", False, "What changed in each version."),
    "sections": Field("sections", True, "The document's content."),
}

CHANGE: dict[str, Field] = {
    "version": Field("text", True, "The version this change went into."),
    "date": Field("date", True, "When."),
    "change": Field(
        "text",
        True,
        "What changed, in a sentence for schools; the release notes of that version "
        "quote it first.",
    ),
}

SECTION: dict[str, Field] = {
    "title": Field("text", True, "The section's heading."),
    "body": Field("blocks", True, "What the section says."),
    "sections": Field("sections", False, "Sub-sections (at most three levels in all)."),
}

MAX_SECTION_DEPTH = 3

# Items of a section's `body`: a plain string is a paragraph; otherwise one of these keys.
BLOCKS: dict[str, Field] = {
    "bullets": Field("texts", False, "A bulleted list; each item may use prose formatting."),
    "numbered": Field("texts", False, "A numbered list of steps; items may use prose formatting."),
    "contacts": Field("contact_ids", False, "The details of these contacts, from the directory."),
    "contact_table": Field("contact_ids", False, "A table of these contacts."),
    "fill_in": Field(
        "texts",
        False,
        "Labelled lines for readers to write on, e.g. `[Name, Phone]` under a heading "
        "such as 'Our designated safeguarding lead' (a form field in the PDF).",
    ),
}

STATUSES = ("draft", "approved")
PENDING_CHOICES = ("leave_out", "stop")
DRAFT_CHOICES = ("publish", "stop")
LAYOUTS = ("booklet", "sheet")

# The longest gap `check_contacts_every` may set, in months.
MAX_MONTHS = 120

# The details `not_listed` may name.
WAYS = ("phone", "email")

# Every key a source file may use, anywhere in it.
SOURCE_KEYS = frozenset(
    key
    for spec in (PACK, CONTACTS_FILE, CONTACT, DOCUMENT, CHANGE, SECTION, BLOCKS)
    for key in spec
)

# Exact forms of some kinds, shared by the loader and the editors' JSON Schemas.
PATTERNS: dict[str, str] = {
    "id": r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "email": r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$",
}

# Kinds that hold lists; the loader walks each with its own method.
LIST_KINDS = frozenset(
    {
        "ids",
        "contact_ids",
        "texts",
        "ways",
        "contacts",
        "changes",
        "sections",
        "blocks",
        "mapping",
        "fonts",
        "files",
    }
)


def reference() -> str:
    """The source-format reference page (docs/source-format.md), made from the tables above."""

    def table(spec: dict[str, Field]) -> list[str]:
        rows = ["| key | required | holds | what it is for |", "|---|---|---|---|"]
        for name, item in spec.items():
            required = "yes" if item.required else "no"
            rows.append(f"| `{name}` | {required} | {KINDS[item.kind]} | {item.doc} |")
        return rows

    parts = [
        "# Source format",
        "",
        "This page is generated from `src/esafety_docs/reading/schema.py` "
        "(`python3 -m nox -s docs`); a test fails when the two",
        "differ. Every file is YAML, saved as UTF-8, indented with spaces. Leave out any",
        "detail you do not know: nothing is printed for it. The JSON Schemas in",
        "`sources/schemas/`, which editors use, are generated from the same tables.",
        "",
        "## `sources/pack.yaml`",
        "",
        *table(PACK),
        "",
        "## `sources/contacts.yaml`",
        "",
        *table(CONTACTS_FILE),
        "",
        "### Contact",
        "",
        *table(CONTACT),
        "",
        "## `sources/<document id>.yaml`",
        "",
        *table(DOCUMENT),
        "",
        "### Change",
        "",
        *table(CHANGE),
        "",
        "### Section",
        "",
        *table(SECTION),
        "",
        f"Sections nest at most {MAX_SECTION_DEPTH} levels deep.",
        "",
        "### Blocks",
        "",
        "Each item of a section's `body` is either a plain string (a paragraph, which may",
        "use prose formatting) or exactly one of these keys:",
        "",
        *table(BLOCKS),
        "",
        "## Prose formatting",
        "",
        "Prose fields accept `**bold**`, `*italic*` and `[link text](https://...)` only.",
        "Raw HTML tags, images and `code` are refused; a lone `<`, `>` or `&` prints as",
        "typed. Links must be full `https://` addresses (`http://` gives a warning).",
        "",
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference(), end="")
