"""The download page, dist/<version>/index.html: what a school sees first.

It lists each document with its summary, a thumbnail of its first page and
links to its HTML, PDF and DOCX files with their sizes and page counts; then the
combined pack, the zip, the release notes and a link to the releases feed when
there are any, and every file's SHA-256. Links are relative file names only, so
the page works opened from disk or from any static server, and it holds no
timestamp, so releases reproduce.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...reading.brand import Brand
from ...reading.model import Block, Document, Pack
from ..common import DRAFT_MARK, file_size, is_draft_pack, long_date, status_label
from ..files import FEED_FORMAT, OutputFile
from . import page as htmlpage
from .document import blocks_html
from .page import text

INDEX = "index.html"


_FORMAT_NAMES = {"html": "HTML", "pdf": "PDF", "docx": "DOCX", "zip": "ZIP"}
_ACTIONS = {"html": "Read it online", "pdf": "Download the PDF", "docx": "Download for Word"}


def describe(file: OutputFile) -> str:
    """'PDF, 4 pages, 63 KB': format, pages where known, size."""
    parts = [_FORMAT_NAMES.get(file.format, file.format.upper())]
    if file.pages is not None:
        parts.append(f"{file.pages} page" + ("" if file.pages == 1 else "s"))
    parts.append(file_size(file.size))
    return ", ".join(parts)


def render_index(
    pack: Pack,
    brand: Brand,
    files: Sequence[OutputFile],
    thumbnails: Mapping[str, tuple[int, int]],
    notes: tuple[Block, ...] = (),
) -> bytes:
    """The page as UTF-8 bytes. `thumbnails` maps a PNG's name to its pixel size;
    `notes` are a release's notes, and an Atom file among `files` is its feed."""
    draft = is_draft_pack(pack)
    status = status_label("draft" if draft else "approved")
    parts = []
    if draft:
        parts.append(
            f'<p class="draft-mark">{DRAFT_MARK}: this pack has not been approved yet.</p>\n'
        )
    parts.append(f"<h1>{text(pack.title)}</h1>\n")
    parts.append(
        f'<dl class="facts"><dt>Version</dt><dd>{text(pack.version)}</dd>'
        f"<dt>Date</dt><dd>{text(long_date(pack.date))}</dd>"
        f"<dt>Status</dt><dd>{text(status)}</dd>"
        f"<dt>Published by</dt><dd>{text(pack.publisher)}</dd></dl>\n"
    )
    parts += [_print_this(d, files) for d in pack.documents if d.layout == "sheet"]
    for document in pack.documents:
        own = [f for f in files if f.document == document.id]
        parts.append(_document(document.title, document.summary, own, thumbnails))
    parts.append(_whole_pack([f for f in files if f.document == "pack"]))
    parts.append(blocks_html(notes))
    feed = next((f.name for f in files if f.format == FEED_FORMAT), "")
    if feed:
        parts.append(
            f'<p>To hear about each new version, <a href="{text(feed)}">follow the releases '
            "feed</a> in a feed reader (it is an Atom feed).</p>\n"
        )
    parts.append(_checksums(files))
    title = f"{pack.title}, version {pack.version}" + (f" ({DRAFT_MARK})" if draft else "")
    summary = f"Download the {pack.title.lower()}: each document as HTML, PDF and Word."
    page = htmlpage.page(title, "".join(parts), brand, description=summary, feed=feed)
    return page.encode("utf-8")


def _print_this(document: Document, files: Sequence[OutputFile]) -> str:
    """The one file a busy school prints for the staffroom wall, said first."""
    pdf = next((f for f in files if f.document == document.id and f.format == "pdf"), None)
    if pdf is None:
        return ""
    back = " (on the back: document control)" if (pdf.pages or 0) > 1 else ""
    return (
        '<div class="callout print-this"><h2>For the staffroom wall</h2>\n'
        f"<p>Print <strong>{text(document.title)}</strong>: one page of who to contact, "
        f"to pin where staff can see it{text(back)}.</p>\n"
        f'<p><a href="{text(pdf.name)}">Download {text(document.title)} to print</a> '
        f'<span class="meta">({text(describe(pdf))})</span></p></div>\n'
    )


def _document(
    title: str, summary: str, files: Sequence[OutputFile], thumbnails: Mapping[str, tuple[int, int]]
) -> str:
    """The heading first, then a picture of the document's first page of content beside
    its summary and links, so the picture always sits inside its own document's block."""
    links = []
    for fmt in ("html", "pdf", "docx"):
        for file in (f for f in files if f.format == fmt):
            links.append(_file_item(file, _ACTIONS[fmt], title))
    image = ""
    for file in (f for f in files if f.format == "png"):
        width, height = thumbnails[file.name]
        image = (
            f'<img class="thumbnail" src="{text(file.name)}" width="{width}" height="{height}" '
            f'alt="The first page of content of {text(title)}">'
        )
    return (
        f'<section class="document" aria-labelledby="{text(_anchor(files))}">'
        f'<h2 id="{text(_anchor(files))}">{text(title)}</h2>\n<div class="row">{image}<div>'
        f'<p>{text(summary)}</p>\n<ul class="files">\n{"".join(links)}</ul></div></div>'
        "</section>\n"
    )


def _anchor(files: Sequence[OutputFile]) -> str:
    return f"doc-{files[0].document}" if files else "doc"


def _file_item(file: OutputFile, action: str, title: str) -> str:
    return (
        f'<li><a href="{text(file.name)}">{text(action)}'
        f'<span class="visually-hidden">: {text(title)}</span></a> '
        f'<span class="meta">({text(describe(file))})</span></li>\n'
    )


def _whole_pack(files: Sequence[OutputFile]) -> str:
    items = []
    for file in files:
        if file.format == "pdf":
            items.append(_file_item(file, "Every document in one PDF", "the complete pack"))
        elif file.format == "zip":
            items.append(_file_item(file, "Every file in one zip", "the complete pack"))
    return f'<h2>The complete pack</h2>\n<ul class="files">\n{"".join(items)}</ul>\n'


def _checksums(files: Sequence[OutputFile]) -> str:
    """Every file's exact size and SHA-256, folded away: few readers need them."""
    rows = "".join(
        f'<tr><th scope="row"><code>{text(f.name)}</code></th>'
        f'<td data-label="Size in bytes">{f.size}</td>'
        f'<td data-label="SHA-256"><code>{f.sha256}</code></td></tr>\n'
        for f in files
    )
    return (
        "<details>\n<summary>File checksums (SHA-256)</summary>\n"
        "<p>To check a download, compare its SHA-256 with the one listed here.</p>\n"
        '<table class="stack">\n<thead><tr><th scope="col">File</th>'
        '<th scope="col">Size in bytes</th><th scope="col">SHA-256</th></tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n</table>\n</details>\n"
    )
