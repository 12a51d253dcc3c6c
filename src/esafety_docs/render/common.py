"""Wording shared by every renderer, so all formats say the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Contact, Document, Pack


@dataclass(frozen=True)
class Detail:
    """One labelled way to reach a contact; `url` makes it a link."""

    label: str
    text: str
    url: str | None


def long_date(day: dt.date) -> str:
    """28 November 2026: the form GOV.UK style uses."""
    return f"{day.day} {day:%B %Y}"


def web_text(url: str) -> str:
    """A web address as people read it: no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def contact_details(contact: Contact) -> list[Detail]:
    """Only the details a contact has: an absent one gives no line at all."""
    details: list[Detail] = []
    if contact.phone:
        details.append(Detail("Phone", contact.phone, f"tel:{contact.phone_e164}"))
    if contact.email:
        details.append(Detail("Email", contact.email, f"mailto:{contact.email}"))
    if contact.web:
        details.append(Detail("Web", web_text(contact.web), contact.web))
    if contact.hours:
        details.append(Detail("Hours", contact.hours, None))
    return details


def status_label(status: str) -> str:
    return "Approved" if status == "approved" else "Draft"


def cover_facts(document: Document | None, pack: Pack) -> list[tuple[str, str]]:
    """The labelled facts printed on a cover."""
    status = document.status if document else pack.status
    return [
        ("Published by", pack.publisher),
        ("Version", pack.version),
        ("Date", long_date(pack.date)),
        ("Status", status_label(status)),
    ]


def version_line(pack: Pack) -> str:
    """The version and date carried in every page footer."""
    return f"Version {pack.version}, {long_date(pack.date)}"


CONTACT_TABLE_HEADER = ("Organisation", "What it helps with", "How to contact")
