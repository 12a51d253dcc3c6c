"""Web addresses in PDF text break only after '/' or '.', never inside a word.

reportlab breaks a word that does not fit a line at any character (the
"teachers-an / d-professionals" schools found), or, for addresses that start
with a scheme such as https://, after a slash. Printed addresses carry no scheme,
so reportlab's own address splitter (`_uri_split_pairs`, consulted when a style
sets `uriWasteReduce`) is given one that also knows addresses written without
it and offers every '/' and '.' as a place to break, adding no hyphen. Any other
word is left to reportlab as before.

Not straight after '-': when reportlab lays a paragraph out again (it often does),
it joins the two halves of a word broken after a hyphen and drops the hyphen, so
"teachers-and" would come back as "teachersand". A part of an address too long
for any line (a long page name on gov.uk) gets an invisible zero-width space
after each hyphen (`breakable`), and may break after that instead.
"""

from __future__ import annotations

import re

from reportlab.platypus import paragraph as _paragraph

from ..common import LABEL_JOIN, break_points

_ADDRESS = re.compile(r"(?:www\.)?[a-z0-9\u200b-]+(?:\.[a-z0-9\u200b-]+)+(?:/\S*)?\Z", re.I)
_LABEL = re.compile(r"[A-Za-z]+:\Z")
_reportlab_split_pairs = _paragraph._uri_split_pairs
ZERO_WIDTH_SPACE = "\u200b"
LONGEST_PART = 40  # characters of an address part that still fit a narrow column


def breakable(address: str) -> str:
    """The address with a zero-width space after each hyphen of any part too long to
    fit a line, so that part too can break without losing a character."""
    parts = break_points(address, after="/.")
    return "".join(
        part.replace("-", "-" + ZERO_WIDTH_SPACE) if len(part) > LONGEST_PART else part
        for part in parts
    )


def is_address(words: str) -> bool:
    """Whether a link's words are a web address (printed without a scheme)."""
    return bool(_ADDRESS.match(words))


def address_split_pairs(word: str) -> list[tuple[str, str]] | None:
    """Each (head, tail) an address may be broken into, the longest head first. A
    label joined to its address by a no-break space ("Web:" + address) stays with at
    least the first part of it."""
    label, joined, address = word.rpartition(LABEL_JOIN)
    if joined and not _LABEL.match(label):
        label, address = "", word
    if not _ADDRESS.match(address):
        return _reportlab_split_pairs(word)  # type: ignore[no-any-return]
    pieces = break_points(address, after="/." + ZERO_WIDTH_SPACE)
    pieces[0] = label + joined + pieces[0]
    return [("".join(pieces[:i]), "".join(pieces[i:])) for i in range(len(pieces) - 1, 0, -1)]


def install() -> None:
    """Use `address_split_pairs` in every paragraph reportlab lays out in this process."""
    _paragraph._uri_split_pairs = address_split_pairs
