"""build: load -> check -> render -> publish, writing dist/<version>/ atomically.

Renderers are imported only inside `render_all`, so `check` never pays for
reportlab or python-docx. Output is written to a hidden staging folder beside
the target and renamed into place only when every file is written, so a failed
or interrupted build leaves the previous pack as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..reading.brand import Brand, FontFiles, load_brand
from ..reading.diagnostics import Diagnostic, Reporter, SourceError, sort
from ..reading.model import Block, Pack
from ..reading.reader import ReadContext
from ..reading.sources import load_pack
from ..render import common
from ..render.files import MANIFEST, OutputFile
from .archive import write_zip
from .buildstate import FORMATS
from .fontcover import common_drawable
from .jobs import Done, Job

if TYPE_CHECKING:
    from .stages import Stages
    from .workers import Workers

Progress = Callable[[str], None]


class PublishError(Exception):
    """The output folder cannot take this pack (for example, the version is released)."""


@dataclass(frozen=True)
class Loaded:
    """Checked sources and brand, with the warnings found on the way."""

    pack: Pack
    brand: Brand
    diagnostics: list[Diagnostic]


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
    notes: tuple[Block, ...] = (),
    previous: Path | None = None,
    ready: tuple[OutputFile, ...] = (),
    defer: Collection[str] = (),
    workers: Workers | None = None,
    formats: Collection[str] = FORMATS,
    stages: Stages | None = None,
) -> tuple[list[OutputFile], dict[str, dict[str, Any]]]:
    """Write every document as DOCX, PDF (with a PNG of its first page) and HTML, the
    combined PDF (release `notes` at its end, when given), the zip, and last the download
    page (index.html, showing the notes and listing the files already `ready` in
    `folder`, such as the release feed) into `folder`.

    With fewer `formats` than all of FORMATS, only those editions are written: no
    thumbnails, zip or download page, which describe a whole pack.

    Outputs whose digest matches `previous`'s recorded state are copied from there
    instead of rendered; the rest are rendered, in worker processes when several are
    due and `workers` allows. Outputs of the kinds in `defer` are copied from
    `previous` even when out of date, keeping their old recorded digest so a later
    build renders them: the preview shows new HTML before the PDFs are ready.
    Returns the files and the state to record beside them; `stages`, when given,
    gains the seconds each stage of each job took.
    """
    from . import buildstate

    pack, brand = loaded.pack, loaded.brand
    base = buildstate.digest_of(
        buildstate.tool_digest(),
        _brand_digest(brand),
        (pack.title, pack.publisher, pack.version, pack.date, pack.status, pack.owner),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )
    whole = set(FORMATS) <= set(formats)
    planned: list[Job] = []
    for index, document in enumerate(pack.documents):
        model = replace(document, source_path=None)
        pdf_name = common.document_file(document, pack, "pdf")
        for kind, names in (
            ("docx", (common.document_file(document, pack, "docx"),)),
            ("pdf", (pdf_name, thumbnail_name(pdf_name)) if whole else (pdf_name,)),
            ("html", (common.document_file(document, pack, "html"),)),
        ):
            if kind in formats:
                digest = buildstate.digest_of(base, kind, model)
                planned.append(Job(kind, index, names, digest))
    if "pack" in formats:
        everything = [replace(d, source_path=None) for d in pack.documents]
        control = (pack.review_due, pack.approved_by, pack.approved_on)
        pack_digest = buildstate.digest_of(base, "pack", everything, control, notes)
        # The combined PDF holds each document's own PDF: it waits for those made now.
        needs = tuple(common.document_file(d, pack, "pdf") for d in pack.documents)
        planned.append(
            Job("pack", None, (common.pack_file(pack, "pdf"),), pack_digest, needs=needs)
        )

    old = buildstate.read(previous).get("outputs", {}) if previous else {}
    state: dict[str, dict[str, Any]] = {}
    files: dict[str, OutputFile] = {}
    due: list[Job] = []
    for job in planned:
        if previous is not None and all(
            name in old
            and (old[name].get("digest") == job.digest or job.kind in defer)
            and (previous / name).is_file()
            for name in job.names
        ):
            for name in job.names:
                _carry_over(previous / name, folder / name)
                entry = old[name]
                state[name] = entry
                files[name] = OutputFile(
                    name,
                    entry["format"],
                    entry["document"],
                    entry["size"],
                    entry["sha256"],
                    entry["pages"],
                )
        else:
            due.append(job)

    total = len(planned)
    failures: list[str] = []
    for number, done in enumerate(_execute(due, loaded, when, notes, folder, workers), start=1):
        failures += done.failures
        if stages is not None:
            stages.merge(done.stages)
        for item in done.written:
            files[item.name] = item
            state[item.name] = {**item.__dict__, "digest": done.job.digest}
        if done.subsets:
            from ..render.html import webfonts

            webfonts.reuse_subsets(done.subsets)
        sizes = ", ".join(common.file_size(w.size) for w in done.written)
        written = ", ".join(done.job.names)
        progress(f"  [{number}/{len(due)}] {written} ({sizes}, {done.seconds:.2f} s)")
    if len(due) < total:
        progress(f"  {total - len(due)} of {total} renders were up to date")
    if failures:
        lines = "\n".join(f"  {line}" for line in failures)
        raise PublishError(f"the accessibility audit failed, so nothing was published:\n{lines}")
    if due:
        progress(f"  audit: every PDF and DOCX rendered now passed ({len(due)} renders)")

    ordered = [files[name] for job in sorted(planned, key=_reading_order) for name in job.names]
    if not whole:
        return ordered, state
    zip_file = _write_pack_zip(pack, ordered, folder, when)
    index_file = _write_index(loaded, [*ordered, zip_file, *ready], folder, notes)
    all_files = [*ordered, zip_file, *ready, index_file]
    for item in (zip_file, index_file):
        state[item.name] = {**item.__dict__, "digest": item.sha256}
    return all_files, state


def _reading_order(job: Job) -> tuple[int, int]:
    """Files listed per document (DOCX, PDF, PNG, HTML), then the combined pack."""
    kinds = {"docx": 0, "pdf": 1, "html": 2, "pack": 3}
    return (job.document if job.document is not None else 1_000_000, kinds[job.kind])


def _execute(
    due: list[Job],
    loaded: Loaded,
    when: dt.datetime,
    notes: tuple[Block, ...],
    folder: Path,
    workers: Workers | None,
) -> Iterator[Done]:
    """Run jobs, yielding each as it finishes: in the `workers` when given (the
    costliest first, see `_cost`), or here. HTML pages alone, too quick to be worth
    sending, stay here; so does all of the preview's work, which keeps its renderers
    warm in its own process, whose threads must not be forked.
    """
    from . import jobs

    if workers is not None and any(job.kind != "html" for job in due):
        from .workers import Context

        environment = {k: v for k, v in os.environ.items() if k == "SOURCE_DATE_EPOCH"}
        context = Context(loaded.pack, loaded.brand, when, notes, folder, environment)
        yield from workers.run(due, context, lambda job: _cost(job, loaded.pack))
        return
    for job in due:
        yield jobs.run(job, loaded.pack, loaded.brand, when, notes, folder)


# A job's cost for each character of the documents it shows, relative to a PDF:
# measured on the shipped pack once its renderer is loaded (2-core machine).
_COST_PER_CHARACTER = {"pack": 0.9, "pdf": 1.0, "docx": 0.3, "html": 0.04}


def _cost(job: Job, pack: Pack) -> float:
    """How long a job takes, roughly, so the longest can start first."""
    shown = pack.documents if job.document is None else [pack.documents[job.document]]
    return _COST_PER_CHARACTER[job.kind] * sum(len(repr(d.blocks)) for d in shown)


def _carry_over(source: Path, target: Path) -> None:
    """An unchanged output moves into the new folder as it is (a hard link when possible)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _brand_digest(brand: Brand) -> str:
    """The brand's settings and its files' bytes; not where the files are, so a pack
    built from a moved or copied checkout keeps its outputs."""
    from .buildstate import digest_of

    files = [brand.logo, *brand.font.all()]
    font = brand.font
    faces = [Path(path.name) for path in font.all()]
    placeless = replace(brand, logo=Path(brand.logo.name), font=FontFiles(font.family, *faces))
    return digest_of(placeless, [hashlib.sha256(path.read_bytes()).hexdigest() for path in files])


def _write_pack_zip(
    pack: Pack, files: list[OutputFile], folder: Path, when: dt.datetime
) -> OutputFile:
    """Every document in every format and the combined PDF (not the thumbnails)."""

    zip_name = common.pack_file(pack, "zip")
    inside = zip_name.removesuffix(".zip")
    entries = [
        (f"{inside}/{f.name}", (folder / f.name).read_bytes()) for f in files if f.format != "png"
    ]
    data = write_zip(sorted(entries), when)
    (folder / zip_name).write_bytes(data)
    return _describe(zip_name, "zip", "pack", data, None)


def _write_index(
    loaded: Loaded, files: list[OutputFile], folder: Path, notes: tuple[Block, ...]
) -> OutputFile:
    from ..render import thumbnail
    from ..render.html import download

    sizes = {
        f.name: thumbnail.png_size((folder / f.name).read_bytes())
        for f in files
        if f.format == "png"
    }
    data = download.render_index(loaded.pack, loaded.brand, files, sizes, notes)
    (folder / download.INDEX).write_bytes(data)
    return _describe(download.INDEX, "html", "pack", data, None)


def thumbnail_name(pdf_name: str) -> str:
    """contact-sheet-v0.1.0-draft.pdf -> contact-sheet-v0.1.0-draft-thumbnail.png."""
    return pdf_name.removesuffix(".pdf") + "-thumbnail.png"


def _describe(name: str, fmt: str, document: str, data: bytes, pages: int | None) -> OutputFile:
    return OutputFile(name, fmt, document, len(data), hashlib.sha256(data).hexdigest(), pages)


@dataclass(frozen=True)
class BuildResult:
    """Where the pack landed and what it holds."""

    folder: Path
    files: list[OutputFile]


def build(
    loaded: Loaded,
    out: Path,
    when: dt.datetime,
    progress: Progress,
    inputs: str = "",
    force: bool = False,
    formats: Collection[str] = FORMATS,
    workers: Workers | None = None,
    stages: Stages | None = None,
) -> BuildResult:
    """Render the pack into out/<version>/, replacing an earlier build but never a release.

    Outputs already in out/<version>/ whose digests still match are kept (unless
    `force`); `inputs` (see buildstate) is recorded so an unchanged rebuild can stop early.
    """
    from . import buildstate

    target = out / loaded.pack.version
    if (target / MANIFEST).exists():
        raise PublishError(
            f"version {loaded.pack.version} is already released in {target}, and a released "
            "version never changes\n    hint: to see your edits, run `python3 -m nox -s preview` "
            "(it never touches a release); to publish them as a new edition, change `version` "
            "in pack.yaml"
        )
    previous = target if target.is_dir() and not force else None
    with staging_folder(out, loaded.pack.version) as staging:
        files, state = render_all(
            loaded,
            staging,
            when,
            progress,
            previous=previous,
            workers=workers,
            formats=formats,
            stages=stages,
        )
        buildstate.write(staging, inputs, state)
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
