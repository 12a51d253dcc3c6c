"""The scale part: N copies of the contact sheet in one or two worker processes."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from timing import SCALE_DOCUMENT, SOURCES, TEMPLATES

# ------------------------------------------------------------------ scale

_WORKER: dict[str, Any] = {}


def _worker_start(sources: str, templates: str) -> None:
    """Load the pack once per worker and import both renderers."""
    from esafety_docs.building.pipeline import load
    from esafety_docs.render import docx, pdf

    loaded = load(Path(sources), Path(templates))
    sheet = next(d for d in loaded.pack.documents if d.id == SCALE_DOCUMENT)
    _WORKER.update(
        pack=loaded.pack,
        brand=loaded.brand,
        sheet=sheet,
        pdf=pdf.render_document,
        docx=docx.render_document,
        when=dt.datetime.now(dt.UTC).replace(microsecond=0),
    )


def _render_copy(number: int) -> tuple[int, int]:
    """One copy of the contact sheet as PDF and DOCX; the bytes are dropped at once.

    Returns the bytes written and this worker's peak RSS so far (KiB)."""
    document = replace(
        _WORKER["sheet"], title=f"Online safety contacts for partner agency {number:04d}"
    )
    size = len(_WORKER["pdf"](document, _WORKER["pack"], _WORKER["brand"]).data)
    size += len(_WORKER["docx"](document, _WORKER["pack"], _WORKER["brand"], _WORKER["when"]))
    return size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _warm_up(_: int) -> tuple[int, int]:
    """Render once, then hold the worker long enough that every worker gets one."""
    _, rss = _render_copy(-1)
    time.sleep(0.3)
    return os.getpid(), rss


def bench_scale(copies: int, workers: int) -> dict[str, Any]:
    """Documents per second (PDF + DOCX each) once the workers are started and warm."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_worker_start,
        initargs=(str(SOURCES), str(TEMPLATES)),
    ) as pool:
        warm = list(pool.map(_warm_up, range(workers)))
        started = time.perf_counter()
        done = list(pool.map(_render_copy, range(copies)))
        seconds = time.perf_counter() - started
    return {
        "copies": copies,
        "workers": workers,
        "distinct_workers_warmed": len({pid for pid, _ in warm}),
        "seconds": seconds,
        "documents_per_s": copies / seconds,
        "bytes": sum(size for size, _ in done),
        "worker_rss_after_warm_up_kib": max(rss for _, rss in warm),
        "worker_peak_rss_kib": max(rss for _, rss in done),
    }
