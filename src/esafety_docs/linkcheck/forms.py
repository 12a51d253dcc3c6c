"""mailto: and tel: addresses are checked for form only: nothing is sent to them."""

from __future__ import annotations

import phonenumbers

from ..reading.values import is_email_address
from .outcome import BROKEN, WELL_FORMED, Outcome

FORM_ONLY_SCHEMES = ("mailto:", "tel:")


def check_form(address: str) -> Outcome:
    """Whether a mailto: or tel: address is written as one; never contacts it."""
    scheme, _, rest = address.partition(":")
    if scheme == "mailto":
        if is_email_address(rest.split("?", 1)[0]):
            return Outcome(WELL_FORMED, "email addresses are checked for form only")
        return Outcome(BROKEN, "not a valid email address")
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(rest, "GB"))
    except phonenumbers.NumberParseException:
        valid = False
    if valid:
        return Outcome(WELL_FORMED, "phone numbers are checked for form only")
    return Outcome(BROKEN, "not a valid UK phone number")
