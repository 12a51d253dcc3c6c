"""No reader is sent to a dead, made-up or chargeable number: a check across every printed text.

A phone field, a paragraph, a contact's notes: wherever a number is printed, it
must not be on a range where callers pay a service charge, nor in a range kept
for TV and radio drama (the numbers people make up look like these), nor one a
contact lists among its `old_numbers`. Editors' notes are not printed, so an old
number may be kept there to explain why it changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers

from .diagnostics import Reporter
from .model import Contact
from .phones import CHARGEABLE_PREFIXES, drama_range
from .positions import mark_in
from .reader import PrintedText


def check_printed_numbers(
    reporter: Reporter, printed: Iterable[PrintedText], contacts: Iterable[Contact]
) -> None:
    """An error for each chargeable or superseded number found in printed text."""
    superseded = {
        _digits(number): contact.name for contact in contacts for number in contact.old_numbers
    }
    for item in printed:
        searched: dict[str, int] = {}  # the same number twice: the second place next
        for match in phonenumbers.PhoneNumberMatcher(item.text, "GB", leniency=0):
            national = phonenumbers.format_number(
                match.number, phonenumbers.PhoneNumberFormat.NATIONAL
            )
            prefix = next((p for p in CHARGEABLE_PREFIXES if national.startswith(p)), None)
            written = match.raw_string.lstrip("( ")
            where, searched[written] = mark_in(
                item.file_text, item.node, written, searched.get(written, 0)
            )
            drama = drama_range(_digits(national))
            if drama:
                reporter.error(item.path, where, drama.message, drama.hint)
            elif _digits(national) in superseded:
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
