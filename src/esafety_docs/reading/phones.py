"""UK phone numbers: which the pack accepts, how it prints them, and why it refuses one.

Validity comes from libphonenumber's metadata (the `phonenumbers` package): full
numbers with an area code, freephone 0800/0808 numbers, and the UK's short
numbers such as 999, 101, 111 and 116 123. Numbers Ofcom keeps for TV and radio
drama are refused by name: libphonenumber already treats the 01632 and 07700
ranges as unassigned, but the city ranges (020 7946 0xxx and the rest) look
like real numbers to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

# Ranges where callers pay a service charge: no place for a helpline.
CHARGEABLE_PREFIXES = ("084", "087", "09")

# Ofcom's numbers for TV and radio drama: each prefix is followed by three more
# digits (1,000 numbers), and none of them will ever be given to a real line.
DRAMA_PREFIXES = {
    "01134960": "Leeds",
    "01144960": "Sheffield",
    "01154960": "Nottingham",
    "01164960": "Leicester",
    "01174960": "Bristol",
    "01184960": "Reading",
    "01214960": "Birmingham",
    "01314960": "Edinburgh",
    "01414960": "Glasgow",
    "01514960": "Liverpool",
    "01614960": "Manchester",
    "01914980": "Tyneside, Durham and Sunderland",
    "02079460": "London",
    "02896496": "Northern Ireland",
    "02920180": "Cardiff",
    "01632960": "no real area",
    "07700900": "mobiles",
    "08081570": "freephone",
    "09098790": "premium rate",
    "03069990": "UK-wide",
}

_EXAMPLE = "01332 585371"
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Phone:
    """A number the pack can print: `national` as readers dial it, `dial` for tel: links."""

    national: str
    dial: str
    chargeable: str | None = None  # the chargeable prefix, when callers pay extra


@dataclass(frozen=True)
class PhoneProblem:
    """Why a number is refused, in plain words, and what to do instead."""

    message: str
    hint: str


def parse_phone(value: str) -> Phone | PhoneProblem:
    """Check one `phone:` value and give it its printed form, or say precisely what is wrong."""
    letter = _LETTER.search(value)
    if letter:
        return _words_in_number(value, letter.start())
    digits = re.sub(r"\D", "", value)
    if not digits:
        return PhoneProblem(
            f"{value!r} is not a phone number",
            f"write the number in digits, e.g. {_EXAMPLE}, or leave the line out",
        )
    if value.lstrip().startswith(("+", "00")):
        international = _international(value)
        if isinstance(international, PhoneProblem):
            return international
        digits = international
    if not digits.startswith("0"):
        short = _short_number(digits)
        if short:
            return short
        if len(digits) <= 6:
            return PhoneProblem(
                f"{value!r} is too short for a UK phone number, and it is not one of the UK's "
                "short numbers (such as 999, 101, 111 or 116 123)",
                f"write the full number with its area code, e.g. {_EXAMPLE}",
            )
        return PhoneProblem(
            f"{value!r} does not start with 0 or +44, so its area code is missing or cut short",
            f"write the full number with its area code, e.g. {_EXAMPLE}",
        )
    drama = drama_range(digits)
    if drama:
        return drama
    number = phonenumbers.parse(digits, "GB")
    if phonenumbers.is_valid_number(number):
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        dial = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        charged = next((p for p in CHARGEABLE_PREFIXES if national.startswith(p)), None)
        return Phone(national, dial, charged)
    return _why_invalid(value, digits)


def drama_range(digits: str) -> PhoneProblem | None:
    """The problem with a number (national digits) from a range kept for drama, if it is."""
    drama = DRAMA_PREFIXES.get(digits[:8]) if len(digits) == 11 else None
    if drama is None:
        return None
    return PhoneProblem(
        f"{_spaced(digits)} is in a range Ofcom keeps for TV and radio drama "
        f"({drama}), so it is not a real number",
        "copy the real number from the organisation's own website or letters",
    )


def _words_in_number(value: str, first_letter: int) -> PhoneProblem:
    """`01332 585371 (option 2)`: the number is fine, the words belong in phone_note."""
    number_part = value[:first_letter].rstrip(" ([,;:-")
    note = value[len(number_part) :].strip().strip("()").strip()
    parsed = parse_phone(number_part) if re.search(r"\d", number_part) else None
    if isinstance(parsed, Phone):
        return PhoneProblem(
            f"{value!r} has words after the number; a phone line holds the number only",
            f"give the words their own line: `phone: {parsed.national}` and below it "
            f"`phone_note: {note}`",
        )
    return PhoneProblem(
        f"{value!r} is not a phone number: it has letters in it",
        f"write the number in digits, e.g. {_EXAMPLE}; words such as 'option 2' go in "
        "`phone_note:`",
    )


def _international(value: str) -> str | PhoneProblem:
    """A number written with +44 (or 0044) becomes national digits; any other country is refused."""
    written = value.strip()
    try:
        number = phonenumbers.parse("+" + written[2:] if written.startswith("00") else written)
    except phonenumbers.NumberParseException:
        return PhoneProblem(
            f"{value!r} is not a phone number", f"write a UK number such as {_EXAMPLE}"
        )
    code = number.country_code or 0
    if code != 44:
        region = phonenumbers.region_code_for_country_code(code)
        where = f" (the code for {region})" if region not in ("ZZ", "001") else ""
        return PhoneProblem(
            f"{value!r} is not a UK number: +{code}{where} is not the UK's +44",
            "the pack lists UK numbers only; give the organisation's UK number, or leave "
            "the line out",
        )
    return "0" + str(number.national_number)


def _short_number(digits: str) -> Phone | None:
    """999, 101, 116 123 and the like, as libphonenumber's short-number metadata knows them."""
    if len(digits) > 6:
        return None
    from phonenumbers import shortnumberinfo  # rarely needed; loads its own metadata

    number = phonenumbers.parse(digits, "GB")
    if not shortnumberinfo.is_valid_short_number_for_region(number, "GB"):
        return None
    printed = f"{digits[:3]} {digits[3:]}" if len(digits) == 6 else digits
    cost = shortnumberinfo.expected_cost_for_region(number, "GB")
    charged = digits[:3] if cost == shortnumberinfo.ShortNumberCost.PREMIUM_RATE else None
    return Phone(printed, digits, charged)


def _why_invalid(value: str, digits: str) -> PhoneProblem:
    """Name the problem: digits missing or extra for the area code, or no such number."""
    count = len(digits)
    fixed = _nearest_valid_length(digits)
    if fixed is not None:
        valid_length, area = fixed
        difference = valid_length - count
        change = (
            f"{difference} digit{'s' if difference > 1 else ''} missing"
            if difference > 0
            else f"{-difference} digit{'s' if difference < -1 else ''} too many"
        )
        return PhoneProblem(
            f"{value!r} has {count} digits, but numbers starting {area} have {valid_length}",
            f"check the number at its source: it has {change}",
        )
    if count < 10:
        return PhoneProblem(
            f"{value!r} is too short: it has {count} digits, and a UK number with its area "
            "code has 10 or 11",
            f"write the full number with its area code, e.g. {_EXAMPLE}",
        )
    if count > 11:
        return PhoneProblem(
            f"{value!r} is too long: it has {count} digits, and a UK number has at most 11 "
            "(with the 0 at the start)",
            "check the number at its source; an extension or option goes in `phone_note:`",
        )
    return PhoneProblem(
        f"{value!r} is not a UK number in use: no UK numbers begin {digits[:4]} like this",
        "check the number at its source and copy it exactly, with its area code",
    )


def _nearest_valid_length(digits: str) -> tuple[int, str] | None:
    """If adding up to four digits, or removing up to two, gives a valid number: the
    length numbers with this start have, and the area code (or prefix) they share."""
    candidates = [digits + "0" * extra for extra in (1, 2, 3, 4)] + [digits[:-1], digits[:-2]]
    for candidate in candidates:
        if len(candidate) < 4:
            continue
        number = phonenumbers.parse(candidate, "GB")
        if phonenumbers.is_valid_number(number):
            area = phonenumbers.length_of_geographical_area_code(number)
            area = area or phonenumbers.length_of_national_destination_code(number)
            return len(candidate), "0" + str(number.national_number)[:area]
    return None


def _spaced(digits: str) -> str:
    """A drama-range number in the national format, for the message."""
    number = phonenumbers.parse(digits, "GB")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
