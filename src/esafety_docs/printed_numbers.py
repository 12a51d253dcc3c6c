"""No reader is sent to a dead or chargeable number: a check across every printed text.

A phone field, a paragraph, a contact's notes: wherever a number is printed, it
must not be on a range where callers pay a service charge, nor one a contact
lists among its `old_numbers`. Editors' notes are not printed, so an old number
may be kept there to explain why it changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers

from .diagnostics import Reporter
from .model import Contact
from .reader import PrintedText, mark_in

# Ranges where callers pay a service charge: no place for a helpline.
CHARGEABLE_PREFIXES = ("084", "087", "09")


def check_printed_numbers(
    reporter: Reporter, printed: Iterable[PrintedText], contacts: Iterable[Contact]
) -> None:
    """An error for each chargeable or superseded number found in printed text."""
    superseded = {
        _digits(number): contact.name for contact in contacts for number in contact.old_numbers
    }
    for item in printed:
        for match in phonenumbers.PhoneNumberMatcher(item.text, "GB", leniency=0):
            national = phonenumbers.format_number(
                match.number, phonenumbers.PhoneNumberFormat.NATIONAL
            )
            prefix = next((p for p in CHARGEABLE_PREFIXES if national.startswith(p)), None)
            where, _ = mark_in(item.file_text, item.node, match.raw_string.lstrip("( "))
            if _digits(national) in superseded:
                reporter.error(
                    item.path,
                    where,
                    f"{national} is an old number of {superseded[_digits(national)]}, "
                    "listed in its `old_numbers`; it must never be printed",
                    "use the current number; keep the old one only in `editor_notes`",
                )
            elif prefix:
                reporter.error(
                    item.path,
                    where,
                    f"{national} is on a chargeable {prefix} range: callers pay extra",
                    "print a current 01, 02, 03 or 0800 number instead; an old number can be "
                    "kept in `editor_notes`, which is never printed",
                )


def _digits(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    return "0" + digits[2:] if digits.startswith("44") else digits
