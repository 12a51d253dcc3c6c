"""Each kind of field value (a date, a status, an id, a web address, a phone
number, a paragraph of inline Markdown...) from the text typed, or a diagnostic
that says what is wrong at its line and column and how to write it instead."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import yaml

from .markup import check_url, parse_inline
from .model import Inlines
from .phones import Phone, parse_phone
from .positions import mark_in
from .schema import DRAFT_CHOICES, LAYOUTS, MAX_MONTHS, PATTERNS, PENDING_CHOICES, STATUSES

if TYPE_CHECKING:
    from .reader import YamlReader

_ID = re.compile(PATTERNS["id"])
_DATE = re.compile(PATTERNS["date"])
_EMAIL = re.compile(PATTERNS["email"])
# A date written the British way round, 28/02/2027 or 28.2.2027.
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def suggested_id(value: str) -> str:
    """The id `value` was meant to be: `CEOP` -> `ceop` ('' when nothing is left)."""
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))


def is_email_address(value: str) -> bool:
    """The plain form of an address: name@domain, with no spaces or doubled dots."""
    return bool(_EMAIL.match(value)) and ".." not in value and len(value) <= 254


def _date(reader: YamlReader, value: str, node: yaml.Node, name: str) -> dt.date | None:
    if _DATE.match(value):
        year, month, day = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12:
            reader.error(
                node,
                f"{value!r} is not a date: there is no month {month}",
                "write dates as YYYY-MM-DD, year first, then month (01 to 12), then day",
            )
            return None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            reader.error(
                node,
                f"{value!r} is not a date: {calendar.month_name[month]} {year} has {last} days",
                f"check the day; the last day of that month is {year}-{month:02d}-{last}",
            )
            return None
        return dt.date(year, month, day)
    british = _DAY_FIRST.fullmatch(value)
    if british:
        day, month, year = (int(part) for part in british.groups())
        hint = f"write it year first: {year}-{month:02d}-{day:02d}"
    else:
        hint = "write dates as YYYY-MM-DD, e.g. 2026-11-28"
    reader.error(node, f"{value!r} is not a date in the form YYYY-MM-DD", hint)
    return None


def _status(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    hint = "write `draft` until the document is approved"
    return _choice(reader, value, node, "status", STATUSES, hint)


def _layout(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    hint = "write `sheet` for one page to pin up, or leave the line out for a booklet"
    return _choice(reader, value, node, "layout", LAYOUTS, hint)


def _pending(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    return _choice(reader, value, node, name, PENDING_CHOICES)


def _drafts(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    return _choice(reader, value, node, name, DRAFT_CHOICES)


def _choice(
    reader: YamlReader,
    value: str,
    node: yaml.Node,
    name: str,
    choices: tuple[str, ...],
    hint: str = "",
) -> str | None:
    """One of a few words; the hint says which to write (by default, all of them)."""
    if value in choices:
        return value
    reader.error(
        node,
        f"{name} {value!r} is not one of: {', '.join(choices)}",
        hint or f"write one of {' or '.join(f'`{c}`' for c in choices)}",
    )
    return None


def _id(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    if _ID.match(value):
        return value
    suggestion = suggested_id(value)
    reader.error(
        node,
        f"{value!r} is not a valid id: ids use lower-case letters, digits and hyphens only",
        f"write {suggestion}" if suggestion else "use a short name such as contact-sheet",
    )
    return None


def _months(reader: YamlReader, value: str, node: yaml.Node, name: str) -> int | None:
    if value.isdigit() and 1 <= int(value) <= MAX_MONTHS:
        return int(value)
    reader.error(node, f"{value!r} is not a number of months", "write a whole number, e.g. 12")
    return None


def _number(reader: YamlReader, value: str, node: yaml.Node, name: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if 0 < number < 1000:
        return number
    reader.error(node, f"{value!r} is not a positive number", "write a number such as 10.5")
    return None


def _url(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    problem = check_url(value)
    if problem and problem.severity == "error":
        reader.error(node, problem.message, problem.hint)
        return None
    if problem:
        reader.warning(node, problem.message, problem.hint)
    return value


def _email(reader: YamlReader, value: str, node: yaml.Node, name: str) -> str | None:
    if is_email_address(value):
        return value
    reader.error(node, f"{value!r} is not an email address", "write it as name@example.org.uk")
    return None


def _phone(reader: YamlReader, value: str, node: yaml.Node, name: str) -> Phone | None:
    phone = parse_phone(value)
    if not isinstance(phone, Phone):
        reader.error(node, phone.message, phone.hint)
        return None
    # A chargeable range is refused with every other printed number (printed_numbers).
    return phone


def _prose(reader: YamlReader, value: str, node: yaml.Node, name: str) -> Inlines | None:
    inlines, problems = parse_inline(value)
    errors = False
    # The same problem with the same words twice: the second place next. Two
    # problems with one link's words (vague text, not https) both point at it.
    searched: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.at, problem.message)
        mark, searched[key] = mark_in(reader.composed_text, node, problem.at, searched.get(key, 0))
        errors = errors or problem.severity == "error"
        reader.reporter.at(reader.path, mark, problem.severity, problem.message, problem.hint)
    return None if errors else inlines


CONVERTERS: dict[str, Callable[[YamlReader, str, yaml.Node, str], object]] = {
    "date": _date,
    "status": _status,
    "layout": _layout,
    "pending": _pending,
    "drafts": _drafts,
    "id": _id,
    "months": _months,
    "number": _number,
    "url": _url,
    "email": _email,
    "phone": _phone,
    "prose": _prose,
}
