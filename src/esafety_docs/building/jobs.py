"""One unit of rendering work, runnable in this process or in a worker process
(see `workers`).

The renderers are imported only here, so the main process never pays for
reportlab or python-docx. Each job audits what it wrote, so the audit runs in
parallel too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..reading.model import Block, Document, Pack
from ..render.files import OutputFile

if TYPE_CHECKING:
    from ..reading.brand import Brand


@dataclass(frozen=True)
class Job:
    """What to render: `kind` is docx, pdf (with a PNG of its first content page when
    `names` has two), html, or pack."""

    kind: str
    document: int | None  # index into pack.documents; None for the combined pack
    names: tuple[str, ...]  # the files it writes, in order
    digest: str  # of everything the output is made from
    needs: tuple[str, ...] = ()  # files other jobs write that this one reads


@dataclass(frozen=True)
class Done:
    """One finished job: the files it wrote, its audit failures and its seconds."""

    job: Job
    written: list[OutputFile]
    failures: list[str]
    seconds: float
    subsets: dict[tuple[Path, str], bytes]  # web-font subsets an HTML job made
    stages: dict[str, float]  # seconds per stage (see `stages`)


def run(
    job: Job,
    pack: Pack,
    brand: object,
    when: dt.datetime,
    notes: tuple[Block, ...],
    folder: Path,
) -> Done:
    """Render one job into `folder`: what it wrote, any audit failures, and the
    seconds it and each of its steps took."""
    from ..audit import audit
    from ..audit.expected import document_source, pack_source
    from ..reading.brand import Brand
    from .archive import restamp_zip
    from .stages import Stages

    assert isinstance(brand, Brand)
    started = time.perf_counter()
    stages, drawing = Stages(), 0.0  # drawing: the thumbnail's seconds
    document = pack.documents[job.document] if job.document is not None else None
    outputs: list[tuple[str, str, bytes, int | None]] = []
    if job.kind == "docx" and document is not None:
        from ..render import docx as docx_renderer

        data = restamp_zip(docx_renderer.render_document(document, pack, brand, when), when)
        outputs.append((job.names[0], "docx", data, None))
    elif job.kind == "pdf" and document is not None:
        from ..render import pdf as pdf_renderer
        from ..render import thumbnail

        rendered = pdf_renderer.render_document(document, pack, brand)
        outputs.append((job.names[0], "pdf", rendered.data, rendered.pages))
        if len(job.names) > 1:  # the download page's picture of it
            drawn = time.perf_counter()
            content = 0 if document.layout == "sheet" else 1  # the page after a cover
            picture = thumbnail.page_png(rendered.data, content)
            outputs.append((job.names[1], "png", picture, None))
            drawing = time.perf_counter() - drawn
            stages.add("thumbnail", drawing)
    elif job.kind == "html" and document is not None:
        from ..render import html as html_renderer

        outputs.append(
            (job.names[0], "html", html_renderer.render_document(document, pack, brand), None)
        )
    elif job.kind == "pack":
        from ..render import pdf as pdf_renderer

        documents = [_document_pdf(d, pack, brand, folder) for d in pack.documents]
        rendered = pdf_renderer.render_pack(pack, brand, documents, notes)
        outputs.append((job.names[0], "pdf", rendered.data, rendered.pages))
    stages.add(f"render {job.kind}", time.perf_counter() - started - drawing)
    owner = document.id if document is not None else "pack"
    source = document_source(document, pack) if document else pack_source(pack, notes)
    written, failures = [], []
    for name, fmt, data, pages in outputs:
        (folder / name).write_bytes(data)
        written.append(
            OutputFile(name, fmt, owner, len(data), hashlib.sha256(data).hexdigest(), pages)
        )
        if fmt in ("pdf", "docx"):
            found = audit(folder / name, source, stages)
            failures += [r.format() for r in found if not r.passed]
    return Done(job, written, failures, time.perf_counter() - started, {}, stages)


def preload_pdf() -> None:
    """Import the PDF renderer and what its jobs use (the audit, the thumbnails), so
    a worker that starts with this is ready before its first job arrives."""
    from .. import audit  # noqa: F401
    from ..render import pdf, thumbnail  # noqa: F401


def _document_pdf(document: Document, pack: Pack, brand: Brand, folder: Path) -> bytes:
    """A document's PDF for the combined pack: the one this build put in `folder`,
    or, when the build leaves the documents' PDFs out, one made now."""
    from ..render import pdf as pdf_renderer
    from ..render.common import document_file

    made = folder / document_file(document, pack, "pdf")
    if made.is_file():
        return made.read_bytes()
    return pdf_renderer.render_document(document, pack, brand).data


def follow_parent(parent: int) -> None:
    """Worker initializer: leave as soon as the build that started us is gone.

    Pool workers wait for work forever; if the build is killed (Ctrl+C twice,
    SIGKILL, a closed terminal) they would otherwise live on, each holding a copy
    of the renderers in memory.
    """
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
