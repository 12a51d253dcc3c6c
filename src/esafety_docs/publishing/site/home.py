"""The site's pages of its own: the home page, and `latest/` before any approval.

The home page is what a school bookmarks: the newest approved version first,
with the address that always opens it, then every version ever released with
its edition date, release date and status, and the feed. Drafts are listed as
drafts, never as the version to use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...reading.brand import Brand
from ...render.common import long_date
from ...render.html import page as htmlpage
from ...render.html.page import text
from ..feed import FEED

LATEST = "latest"
RELEASES = "releases"


@dataclass(frozen=True)
class Published:
    """One release as the site lists it, from its manifest."""

    version: str
    edition: dt.date  # the date the pack's pages carry
    released: dt.date
    approved: bool


def home_page(title: str, releases: list[Published], site: str, brand: Brand) -> bytes:
    """index.html at the site's root; `releases` newest first."""
    newest = next((r for r in releases if r.approved), None)
    parts = [f"<h1>{text(title)}</h1>\n"]
    if newest is not None:
        parts.append(
            "<p>The version to use is "
            f'<a href="{LATEST}/">version {text(newest.version)} of '
            f"{text(long_date(newest.edition))}</a>, the newest approved version. "
            f"This address always opens the newest approved version: "
            f"<code>{htmlpage.breakable(site + LATEST + '/')}</code>.</p>\n"
        )
    else:
        parts.append(
            "<p>No version has been approved yet. The drafts below are for review only: "
            "they are not yet the partnership's approved guidance.</p>\n"
        )
    parts.append("<h2>Every version, newest first</h2>\n")
    items = "".join(
        f'<li><a href="{RELEASES}/{text(r.version)}/">Version {text(r.version)}</a>: '
        f"{'approved' if r.approved else 'a draft, for review only'}; edition date "
        f"{text(long_date(r.edition))}, released on {text(long_date(r.released))}.</li>\n"
        for r in releases
    )
    parts.append(f'<ul class="files">\n{items}</ul>\n')
    parts.append(
        "<p>Every version stays at its own address for good. To hear about each new "
        f'version, <a href="{FEED}">follow the releases feed</a> in a feed reader (it is an '
        "Atom feed).</p>\n"
    )
    summary = f"Download the {title.lower()}: the newest approved version and every earlier one."
    return htmlpage.page(title, "".join(parts), brand, description=summary, feed=FEED).encode()


def nothing_approved_page(title: str, brand: Brand) -> bytes:
    """latest/index.html while no version has been approved: says so, never shows a draft."""
    body = (
        f"<h1>{text(title)}: no approved version yet</h1>\n"
        "<p>No version of this pack has been approved yet, so there is no version to use. "
        'Drafts for review are listed on the <a href="../">home page</a>.</p>\n'
    )
    return htmlpage.page(f"{title}: no approved version yet", body, brand).encode()
