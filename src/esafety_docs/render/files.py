"""A pack's files as its manifest lists them: what jobs write, the release
records and the download page links to."""

from __future__ import annotations

from dataclasses import dataclass

MANIFEST = "manifest.json"  # in every built or released folder
FEED_FORMAT = "atom"  # the manifest's name for the releases feed's format


@dataclass(frozen=True)
class OutputFile:
    """One file of a pack, as the manifest describes it."""

    name: str
    format: str  # docx, pdf, html, png, zip or atom
    document: str  # a document id, or "pack" for the combined PDF, the zip and index.html
    size: int
    sha256: str
    pages: int | None
