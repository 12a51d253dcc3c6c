"""releases.xml: an Atom feed with one entry per release, so schools can follow them.

Each entry holds that release's notes (its RELEASE-NOTES.md as HTML) and links
to that release's download page. The feed of a release also carries the
entries of the earlier releases in the output folder, newest first; its links
are relative (a release folder sits beside the others). The published site's
feed gives the same entries with absolute links, as feed readers need. It holds
no "now": every date is a release date and every id is derived from the pack's
title and version, so the feed reproduces.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..reading.model import Pack
from ..render.common import long_date
from .history import NOTES, released_at, releases, version_key

FEED = "releases.xml"
# A fixed namespace: ids depend only on the pack's title and version.
_IDS = uuid.UUID("5b8b3c52-3c1e-4c39-9a55-0d2f3a0c7e61")


@dataclass(frozen=True)
class Entry:
    """One release as the feed shows it."""

    version: str
    released: dt.datetime
    notes_markdown: str


def earlier_entries(out: Path, version: str | None = None) -> list[Entry]:
    """The releases in `out` (before `version`, if given) that recorded notes and a date."""
    entries = []
    for folder in releases(out):
        when = released_at(folder)
        notes = folder / NOTES
        earlier = version is None or version_key(folder.name) < version_key(version)
        if earlier and when and notes.is_file():
            entries.append(Entry(folder.name, when, notes.read_text(encoding="utf-8")))
    return entries


def feed_xml(pack: Pack, entries: list[Entry]) -> bytes:
    """A release's own feed: links relative to its folder, entries newest first."""
    return pack_feed(pack.title, pack.publisher, entries)


def pack_feed(title: str, publisher: str, entries: list[Entry], site: str = "") -> bytes:
    """The Atom document; with `site` (the published site's address, ending in /) every
    link is absolute: the site's home page, the feed itself, each release's page."""
    from feedgen.feed import FeedGenerator
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False})  # source text never becomes markup
    ordered = sorted(entries, key=lambda e: version_key(e.version), reverse=True)
    feed = FeedGenerator()
    feed.id(_id(title))
    feed.title(f"{title}: new versions")
    feed.subtitle(f"Each new version of the {title.lower()}, and what changed in it.")
    feed.author({"name": publisher})
    feed.link(href=site or "index.html", rel="alternate", type="text/html")
    feed.link(href=f"{site}{FEED}", rel="self", type="application/atom+xml")
    feed.language("en-GB")
    feed.generator("esafety-docs", version=__version__)
    feed.updated(max(e.released for e in ordered))
    for entry in reversed(ordered):  # feedgen puts each new entry first
        item = feed.add_entry()
        item.id(_id(title, entry.version))
        page = f"{site}releases/{entry.version}/" if site else f"../{entry.version}/index.html"
        item.link(href=page, rel="alternate", type="text/html")
        item.title(f"Version {entry.version}, released on {long_date(entry.released.date())}")
        item.updated(entry.released)
        item.published(entry.released)
        item.content(markdown.render(entry.notes_markdown), type="html")
    data: bytes = feed.atom_str(pretty=True)
    return data


def _id(*parts: str) -> str:
    return uuid.uuid5(_IDS, "\n".join(parts)).urn
