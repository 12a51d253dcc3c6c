"""The preview part: save a changed paragraph, time until the preview serves it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import ENV, SOURCES, TEMPLATES, BenchError, Measured, cli_command

# The paragraph the preview part edits, and how often it looks for the result.
PREVIEW_DOCUMENT = "online-safety-strategy"
PREVIEW_PHRASE = "This strategy sets out how"
HTML_POLL_SECONDS, PDF_POLL_SECONDS = 0.02, 0.05
PREVIEW_TIMEOUT = 60.0


# ------------------------------------------------------------------ preview


class PreviewProcess:
    """`esafety-docs preview` on a free port, its messages collected as they come."""

    def __init__(self, sources: Path, out: Path) -> None:
        command = [*cli_command(), "preview", "--sources", sources, "--out", out]
        self.process = subprocess.Popen(
            [str(a) for a in [*command, "--port", "0", "--no-open"]],
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        self.lines: list[str] = []
        self._ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(PREVIEW_TIMEOUT) or not self.url:
            self.stop()
            raise BenchError("the preview did not start:\n" + "".join(self.lines[-20:]))

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            found = re.search(r"Preview at (http://127\.0\.0\.1:\d+/)", line)
            if found:
                self.url = found.group(1)
            if line.startswith("Watching"):
                self._ready.set()
        self._ready.set()

    def get(self, name: str) -> bytes:
        with urllib.request.urlopen(self.url + name, timeout=10) as response:
            data: bytes = response.read()
        return data

    def stop(self) -> int:
        """Ctrl+C, as a person would; returns the preview's peak RSS (KiB)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _, _, usage = os.wait4(self.process.pid, 0)
        except ChildProcessError:
            return 0
        return int(usage.ru_maxrss)


def wait_until(found: Callable[[], bool], every: float, what: str) -> float:
    """Seconds (perf_counter) at which `found()` first held, checking every `every` s."""
    deadline = time.perf_counter() + PREVIEW_TIMEOUT
    while not found():
        if time.perf_counter() > deadline:
            raise BenchError(f"the preview never served {what}")
        time.sleep(every)
    return time.perf_counter()


def pdf_text(data: bytes) -> str:
    """Every page's text, read by PDFium (not the library that wrote the PDF)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def time_one_save(
    preview: PreviewProcess, source: Path, text: str, marker: str, names: tuple[str, str, str]
) -> tuple[float, float, float]:
    """Save `text` (which holds `marker`); seconds until the HTML edition, its PDF and
    the combined PDF (`names`) are served with it."""
    html_name, pdf_name, pack_name = names
    old = {name: preview.get(name) for name in (pdf_name, pack_name)}
    source.write_text(text, encoding="utf-8")
    saved = time.perf_counter()
    html_at = wait_until(
        lambda: marker.encode() in preview.get(html_name), HTML_POLL_SECONDS, "the HTML"
    )

    def new_pdf(name: str) -> Callable[[], bool]:
        def found() -> bool:
            data = preview.get(name)
            return data != old[name] and marker in pdf_text(data)

        return found

    pdf_at = wait_until(new_pdf(pdf_name), PDF_POLL_SECONDS, pdf_name)
    pack_at = wait_until(new_pdf(pack_name), PDF_POLL_SECONDS, pack_name)
    return html_at - saved, pdf_at - saved, pack_at - saved


def bench_preview(runs: int, work: Path) -> dict[str, Any]:
    """Save a changed paragraph and time the new HTML, then the new PDF, being served."""
    from esafety_docs.building.pipeline import load
    from esafety_docs.render import common

    base = work / "preview"
    sources = base / "sources"
    shutil.copytree(SOURCES, sources)
    shutil.copytree(TEMPLATES, base / "templates")
    source = sources / f"{PREVIEW_DOCUMENT}.yaml"
    original = source.read_text(encoding="utf-8")
    if original.count(PREVIEW_PHRASE) != 1:
        raise BenchError(f"expected {PREVIEW_PHRASE!r} exactly once in {source.name}")
    pack = load(sources, base / "templates").pack
    document = next(d for d in pack.documents if d.id == PREVIEW_DOCUMENT)
    names = (
        common.document_file(document, pack, "html"),
        common.document_file(document, pack, "pdf"),
        common.pack_file(pack, "pdf"),
    )

    html = Measured("preview: save to HTML")
    html.note = f"a paragraph of {source.name} changed; {names[0]} served with the change"
    pdf = Measured("preview: save to PDF")
    pdf.note = f"the same save; {names[1]} served with the change"
    everything = Measured("preview: save to all")
    everything.note = f"the same save; {names[2]}, rendered last, served with the change"
    preview = PreviewProcess(sources, base / "dist")
    try:
        for index in range(-1, runs):  # the first save warms the preview's caches
            marker = f"Benchmarkedit{index + 2}"
            edited = original.replace(PREVIEW_PHRASE, f"{PREVIEW_PHRASE} {marker}")
            seconds = time_one_save(preview, source, edited, marker, names)
            if index >= 0:
                for measured, value in zip((html, pdf, everything), seconds, strict=True):
                    measured.seconds.append(value)
    finally:
        peak = preview.stop()
    everything.max_rss_kib.append(peak)
    return {"html": html, "pdf": pdf, "all": everything, "messages": preview.lines[-12:]}
