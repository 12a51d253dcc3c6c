"""build: load -> check -> render -> publish, writing dist/<version>/ atomically.

Renderers are imported only here, inside `build`, so `check` never pays for
reportlab or python-docx. Output is written to a temporary folder beside the
target and renamed into place only when every file is written, so a failed or
interrupted build leaves the previous pack as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .brand import Brand, load_brand
from .diagnostics import Diagnostic, Reporter, SourceError, sort
from .fontcover import common_drawable
from .model import Pack
from .reader import ReadContext
from .sources import load_pack

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Loaded:
    """Checked sources and brand, with the warnings found on the way."""

    pack: Pack
    brand: Brand
    diagnostics: list[Diagnostic]


@dataclass(frozen=True)
class BuildResult:
    """Where the pack landed and what it holds."""

    folder: Path
    files: list[Path]


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


def slug(text: str) -> str:
    """A readable file-name part: lower case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build(loaded: Loaded, out: Path, progress: Progress) -> BuildResult:
    """Render every document in both formats, the combined pack and a zip."""
    from .render import docx as docx_renderer
    from .render import pdf as pdf_renderer

    pack, brand = loaded.pack, loaded.brand
    out.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{pack.version}-", dir=out))
    try:
        jobs: list[tuple[str, Callable[[], bytes]]] = []
        for document in pack.documents:
            stem = f"{document.id}-v{pack.version}"
            jobs.append(
                (f"{stem}.docx", partial(docx_renderer.render_document, document, pack, brand))
            )
            jobs.append(
                (f"{stem}.pdf", partial(pdf_renderer.render_document, document, pack, brand))
            )
        pack_stem = f"{slug(pack.title)}-v{pack.version}"
        jobs.append((f"{pack_stem}.pdf", partial(pdf_renderer.render_pack, pack, brand)))

        files: list[str] = []
        for number, (name, render) in enumerate(jobs, start=1):
            started = time.perf_counter()
            data = render()
            (staging / name).write_bytes(data)
            files.append(name)
            elapsed = time.perf_counter() - started
            progress(f"  [{number}/{len(jobs) + 1}] {name} ({_size(len(data))}, {elapsed:.2f} s)")
        zip_name = f"{pack_stem}.zip"
        _zip(staging, files, staging / zip_name, pack.date)
        files.append(zip_name)
        progress(f"  [{len(jobs) + 1}/{len(jobs) + 1}] {zip_name}")
        target = out / pack.version
        _publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(target, [target / name for name in files])


def _zip(folder: Path, names: list[str], destination: Path, day: dt.date) -> None:
    """A zip with a fixed entry order and timestamps, so equal inputs give equal bytes."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(names):
            info = zipfile.ZipInfo(f"{destination.stem}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (folder / name).read_bytes())


def _publish(staging: Path, target: Path) -> None:
    """Swap the finished folder into place; the old pack goes only once the new one is there."""
    staging.chmod(0o755)
    if target.exists():
        retired = target.with_name(f".{target.name}-old-{time.time_ns()}")
        target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(target)


def _remove_leftovers(out: Path) -> None:
    """Staging folders left by a build that was killed; hidden, and never a pack."""
    stale_before = time.time() - 600
    for leftover in out.glob(".*-*"):
        if leftover.is_dir() and leftover.stat().st_mtime < stale_before:
            shutil.rmtree(leftover, ignore_errors=True)


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 1024 * 1024 else f"{count / 1048576:.1f} MB"
