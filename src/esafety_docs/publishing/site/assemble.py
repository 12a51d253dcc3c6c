"""The static site for schools, made from the published releases alone.

    index.html            home page: the version to use, every version, the feed
    latest/               a copy of the newest approved release (a stable address)
    releases/<version>/   every release, exactly as published, kept for good
    releases.xml          the Atom feed, absolute links, one entry per release

The site is written beside its target and renamed into place, so a half-made
site is never left where the previous one was.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ...reading.brand import Brand
from ..feed import FEED, earlier_entries, pack_feed
from ..history import manifest_of, released_at, releases
from .home import LATEST, RELEASES, Published, home_page, nothing_approved_page


class SiteError(Exception):
    """There is nothing to make a site of."""


def build_site(published: Path, target: Path, site: str, brand: Brand) -> list[Published]:
    """Write the site for the release folders in `published` into `target`, to be served
    at `site` (an address ending in /). The releases listed, newest first."""
    folders = list(reversed(releases(published)))
    if not folders:
        raise SiteError(
            "nothing has been published yet, so there is no site to make: publish a "
            "release first (see README, Releases)"
        )
    listed = [_published(folder) for folder in folders]
    newest = manifest_of(folders[0])
    title = str(newest.get("pack", "Releases"))
    publisher = str(newest.get("publisher", title))
    staging = target.with_name(f".{target.name}.new")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / RELEASES).mkdir(parents=True)
    for folder in folders:
        shutil.copytree(folder, staging / RELEASES / folder.name)
    approved = next((f for f, p in zip(folders, listed, strict=True) if p.approved), None)
    if approved is not None:
        shutil.copytree(approved, staging / LATEST)
    else:
        (staging / LATEST).mkdir()
        (staging / LATEST / "index.html").write_bytes(nothing_approved_page(title, brand))
    (staging / FEED).write_bytes(pack_feed(title, publisher, earlier_entries(published), site))
    (staging / "index.html").write_bytes(home_page(title, listed, site, brand))
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return listed


def _published(folder: Path) -> Published:
    manifest = manifest_of(folder)
    when = released_at(folder) or dt.datetime.fromtimestamp(0, dt.UTC)
    try:
        edition = dt.date.fromisoformat(manifest["date"])
    except (KeyError, TypeError, ValueError):
        edition = when.date()
    try:
        approved = manifest["approvals"]["pack"]["status"] == "approved"
    except (KeyError, TypeError):
        approved = False
    return Published(folder.name, edition, when.date(), approved)
