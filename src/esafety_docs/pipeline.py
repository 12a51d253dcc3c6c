"""build: load -> check -> render -> publish, writing dist/<version>/ atomically.

Renderers are imported only inside `render_all`, so `check` never pays for
reportlab or python-docx. Output is written to a hidden staging folder beside
the target and renamed into place only when every file is written, so a failed
or interrupted build leaves the previous pack as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .archive import restamp_zip, write_zip
from .brand import Brand, load_brand
from .diagnostics import Diagnostic, Reporter, SourceError, sort
from .fontcover import common_drawable
from .model import Document, Pack
from .reader import ReadContext
from .sources import load_pack

Progress = Callable[[str], None]
MANIFEST = "manifest.json"


class PublishError(Exception):
    """The output folder cannot take this pack (for example, the version is released)."""


@dataclass(frozen=True)
class Loaded:
    """Checked sources and brand, with the warnings found on the way."""

    pack: Pack
    brand: Brand
    diagnostics: list[Diagnostic]


@dataclass(frozen=True)
class OutputFile:
    """One file of a pack, described as the manifest lists it."""

    name: str
    format: str  # "docx", "pdf", "html", "png" or "zip"
    document: str  # a document id, or "pack" for the combined PDF, the zip and index.html
    size: int
    sha256: str
    pages: int | None


def load(sources: Path, templates: Path) -> Loaded:
    """Read and check everything; raises SourceError listing every problem found.

    The brand is read first so source text can be checked against the PDF font.
    """
    reporter = Reporter()
    try:
        brand: Brand | None = load_brand(templates, reporter)
    except SourceError:
        brand = None
    drawable = common_drawable(brand.font.all()) if brand else None
    context = ReadContext(drawable=drawable, font_name=brand.font.family if brand else "")
    pack = load_pack(sources, reporter, context)
    if brand is None or reporter.errors:
        raise SourceError(reporter.diagnostics)
    return Loaded(pack, brand, sort(reporter.diagnostics))


def render_all(
    loaded: Loaded,
    folder: Path,
    when: dt.datetime,
    progress: Progress,
    extra: tuple[Document, ...] = (),
    notes: list[str] | None = None,
) -> list[OutputFile]:
    """Write every document as DOCX, PDF and HTML with a PNG of its first page, the
    combined PDF (with any `extra` documents at its end), the zip, and last the
    download page (index.html, showing `notes` when given) into `folder`."""
    from .render import common, download, thumbnail
    from .render import docx as docx_renderer
    from .render import html as html_renderer
    from .render import pdf as pdf_renderer

    pack, brand = loaded.pack, loaded.brand
    Job = tuple[str, str, str, Callable[[], tuple[bytes, int | None]]]
    jobs: list[Job] = []
    for document in pack.documents:
        pdf_name = common.document_file(document, pack, "pdf")

        def docx_job(d: Document = document) -> tuple[bytes, int | None]:
            return restamp_zip(docx_renderer.render_document(d, pack, brand, when), when), None

        def pdf_job(d: Document = document) -> tuple[bytes, int | None]:
            rendered = pdf_renderer.render_document(d, pack, brand)
            return rendered.data, rendered.pages

        def html_job(d: Document = document) -> tuple[bytes, int | None]:
            return html_renderer.render_document(d, pack, brand), None

        def png_job(pdf: str = pdf_name) -> tuple[bytes, int | None]:
            return thumbnail.first_page_png((folder / pdf).read_bytes()), None

        jobs.append((common.document_file(document, pack, "docx"), "docx", document.id, docx_job))
        jobs.append((pdf_name, "pdf", document.id, pdf_job))
        jobs.append((common.document_file(document, pack, "html"), "html", document.id, html_job))
        jobs.append((thumbnail_name(pdf_name), "png", document.id, png_job))

    def pack_job() -> tuple[bytes, int | None]:
        combined = replace(pack, documents=pack.documents + extra)
        rendered = pdf_renderer.render_pack(combined, brand)
        return rendered.data, rendered.pages

    jobs.append((common.pack_file(pack, "pdf"), "pdf", "pack", pack_job))

    files: list[OutputFile] = []
    total = len(jobs) + 2  # and the zip, and the download page
    for number, (name, fmt, document_id, render) in enumerate(jobs, start=1):
        started = time.perf_counter()
        data, pages = render()
        (folder / name).write_bytes(data)
        files.append(_describe(name, fmt, document_id, data, pages))
        elapsed = time.perf_counter() - started
        progress(f"  [{number}/{total}] {name} ({_size(len(data))}, {elapsed:.2f} s)")
    zip_name = common.pack_file(pack, "zip")
    folder_in_zip = zip_name.removesuffix(".zip")
    # The zip is for reading offline: documents in every format, not page thumbnails.
    entries = [
        (f"{folder_in_zip}/{f.name}", (folder / f.name).read_bytes())
        for f in files
        if f.format != "png"
    ]
    data = write_zip(sorted(entries), when)
    (folder / zip_name).write_bytes(data)
    files.append(_describe(zip_name, "zip", "pack", data, None))
    progress(f"  [{total - 1}/{total}] {zip_name} ({_size(len(data))})")
    sizes = {
        f.name: thumbnail.png_size((folder / f.name).read_bytes())
        for f in files
        if f.format == "png"
    }
    data = download.render_index(pack, brand, files, sizes, notes)
    (folder / download.INDEX).write_bytes(data)
    files.append(_describe(download.INDEX, "html", "pack", data, None))
    progress(f"  [{total}/{total}] {download.INDEX} ({_size(len(data))})")
    _audit(folder, files, progress)
    return files


def thumbnail_name(pdf_name: str) -> str:
    """contact-sheet-v0.1.0-draft.pdf -> contact-sheet-v0.1.0-draft-page1.png."""
    return pdf_name.removesuffix(".pdf") + "-page1.png"


def _audit(folder: Path, files: list[OutputFile], progress: Progress) -> None:
    """Check every PDF and DOCX for accessibility before anything is published."""
    from .audit import audit

    results = [r for f in files if f.format in ("pdf", "docx") for r in audit(folder / f.name)]
    failures = [r for r in results if not r.passed]
    if failures:
        lines = "\n".join(f"  {r.format()}" for r in failures)
        raise PublishError(f"the accessibility audit failed, so nothing was published:\n{lines}")
    progress(f"  audit: {len(results)} checks passed on {len({r.file for r in results})} files")


def _describe(name: str, fmt: str, document: str, data: bytes, pages: int | None) -> OutputFile:
    return OutputFile(name, fmt, document, len(data), hashlib.sha256(data).hexdigest(), pages)


@dataclass(frozen=True)
class BuildResult:
    """Where the pack landed and what it holds."""

    folder: Path
    files: list[OutputFile]


def build(loaded: Loaded, out: Path, when: dt.datetime, progress: Progress) -> BuildResult:
    """Render the pack into out/<version>/, replacing an earlier build but never a release."""
    target = out / loaded.pack.version
    if (target / MANIFEST).exists():
        raise PublishError(
            f"version {loaded.pack.version} is already released in {target}; a released "
            "version never changes. Give this edition a new `version` in pack.yaml"
        )
    with staging_folder(out, loaded.pack.version) as staging:
        files = render_all(loaded, staging, when, progress)
        publish(staging, target)
    return BuildResult(target, files)


class staging_folder:
    """A hidden folder in `out` that is removed unless it was published."""

    def __init__(self, out: Path, version: str) -> None:
        out.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
        self.path = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=out))

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)


def publish(staging: Path, target: Path) -> None:
    """Swap the finished folder into place; the old one goes only once the new one is there."""
    staging.chmod(0o755)
    if target.exists():
        retired = target.with_name(f".{target.name}-old-{time.time_ns()}")
        target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(target)


def _remove_leftovers(out: Path) -> None:
    """Staging folders left by a build that was killed: hidden, never a pack."""
    stale_before = time.time() - 600
    for leftover in out.glob(".*-*"):
        if leftover.is_dir() and leftover.stat().st_mtime < stale_before:
            shutil.rmtree(leftover, ignore_errors=True)


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 1024 * 1024 else f"{count / 1048576:.1f} MB"
