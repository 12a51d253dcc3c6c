"""Benchmark the real `esafety-docs` command against an import floor and other tools.

Run with `nox -s bench` (or `python benchmarks/bench.py` in an environment with
the `bench` dependency group). Every timing is the wall time of whole processes,
so it measures whatever the CLI does, however it is later built. Each figure is
the median of `--runs` runs, and is shown as a ratio to a floor measured in the
same run: `python -c "import yaml, docx, reportlab.platypus"`, the imports no
build can avoid. Every command is run once, untimed, before it is measured, so
byte-compiled files and the page cache are warm: "cold" means an empty output
folder, not a cold machine. Commands run without SOURCE_DATE_EPOCH and
PYTHONDONTWRITEBYTECODE, as on a person's machine.

Peers get the same content: the model exported as Markdown
(`esafety_docs.export_markdown`), turned into DOCX by pandoc, into PDF by
WeasyPrint (from pandoc's standalone HTML) and by Typst (from pandoc's Typst).
The "same work" run asks the real command for what the peers make and no more
(`build --formats docx,pdf`), and the targets are ratios to the peers measured
in the same run.

The preview part starts `esafety-docs preview` on a copy of the sources, saves a
changed paragraph of the strategy, and times how long the preview's web server
takes to serve the new HTML edition, then the new PDF (read back with PDFium),
then the new combined PDF (the last file it renders), polling as a browser
would; the next save waits for that last one, so each save meets an idle preview.

The scale part renders N copies of the contact sheet, each with a different
title, in one or two worker processes, and reports documents per second and the
workers' peak memory. Results are printed as a table and written to
benchmarks/results.json. Nothing is asserted: targets are reported PASS or FAIL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
TEMPLATES = ROOT / "templates"
FONTS = TEMPLATES / "fonts"
RESULTS = Path(__file__).resolve().parent / "results.json"

FLOOR_CODE = "import yaml, docx, reportlab.platypus"
HEAVY_MODULES = ("reportlab", "docx")  # the no-op rebuild must not import these

EDIT_CONTACT = "nwg"
OLD_PHONE, NEW_PHONE = "01332 585371", "01332 585372"
SCALE_DOCUMENT = "contact-sheet"

# Targets (reported, never asserted): ratios are to peers measured in the same run.
COLD_VS_TYPST = 1.0  # cold build <= pandoc DOCX + Typst PDF
SAME_WORK_VS_TYPST = 0.6  # DOCX + PDF of the documents only <= 0.6x that
EDIT_VS_COLD = 0.6
SCALE_SPEED_UP = 1.8  # two workers against one
SCALE_MEMORY_GROWTH = 1.1  # peak memory at the most copies against the fewest
SAME_WORK_FORMATS = "docx,pdf"
NOOP_SECONDS = 0.15
CHECK_SECONDS = 0.25
PREVIEW_HTML_SECONDS = 0.5
PREVIEW_PDF_SECONDS = 2.5

# The paragraph the preview part edits, and how often it looks for the result.
PREVIEW_DOCUMENT = "online-safety-strategy"
PREVIEW_PHRASE = "This strategy sets out how"
HTML_POLL_SECONDS, PDF_POLL_SECONDS = 0.02, 0.05
PREVIEW_TIMEOUT = 60.0

WEASYPRINT_CODE = """\
import sys
import weasyprint
for html, pdf in zip(sys.argv[1::2], sys.argv[2::2]):
    weasyprint.HTML(filename=html).write_pdf(pdf)
"""
TYPST_CODE = """\
import sys
import typst
fonts = sys.argv[1]
for source, pdf in zip(sys.argv[2::2], sys.argv[3::2]):
    typst.compile(source, output=pdf, font_paths=[fonts], ignore_system_fonts=True)
"""


class BenchError(Exception):
    """A measured command failed: the numbers would mean nothing."""


# ------------------------------------------------------------------ processes


DROPPED_VARIABLES = ("SOURCE_DATE_EPOCH", "PYTHONDONTWRITEBYTECODE")


def _environment() -> dict[str, str]:
    """The caller's environment, less what would make runs unlike a person's: builds
    use the current time (no SOURCE_DATE_EPOCH), and Python keeps its bytecode caches
    (with PYTHONDONTWRITEBYTECODE every process would recompile every module)."""
    return {k: v for k, v in os.environ.items() if k not in DROPPED_VARIABLES}


ENV = _environment()


@dataclass(frozen=True)
class Finished:
    """One whole process: wall time, its own peak RSS, and what it printed."""

    seconds: float
    max_rss_kib: int
    stdout: str
    stderr: str


def run(argv: Sequence[str | Path], cwd: Path = ROOT) -> Finished:
    """Run a command to completion; its peak RSS comes from wait4 (this child only)."""
    args = [str(a) for a in argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(args)} exited {proc.returncode}:\n{stderr[-3000:]}")
    return Finished(seconds, usage.ru_maxrss, stdout, stderr)


def cli_command() -> list[str]:
    """The installed `esafety-docs` script beside this interpreter, else `python -m`."""
    script = Path(sys.executable).with_name("esafety-docs")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "esafety_docs"]


@dataclass
class Measured:
    """Several runs of one scenario."""

    name: str
    seconds: list[float] = field(default_factory=list)
    max_rss_kib: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def add(self, seconds: float, max_rss_kib: int) -> None:
        self.seconds.append(seconds)
        self.max_rss_kib.append(max_rss_kib)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "median_s": self.median,
            "runs_s": self.seconds,
            "max_rss_kib": self.max_rss_kib,
            "note": self.note,
        }


def repeat(
    name: str,
    runs: int,
    commands: Callable[[], Sequence[Sequence[str | Path]]],
    before_each: Callable[[], None] | None = None,
    warm_up: bool = True,
) -> Measured:
    """Median-ready timings of a group of commands run one after another.

    `commands` is called before every run (so it can point at a fresh folder); the
    group's time is the sum of its processes' wall times, its RSS the largest.
    """
    measured = Measured(name)
    for index in range(-1 if warm_up else 0, runs):
        if before_each:
            before_each()
        finished = [run(command) for command in commands()]
        if index >= 0:
            measured.add(sum(f.seconds for f in finished), max(f.max_rss_kib for f in finished))
    return measured


# ------------------------------------------------------------------ the CLI


def build_command(sources: Path, out: Path) -> list[str | Path]:
    return [*cli_command(), "build", "--sources", sources, "--out", out]


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Each file's SHA-256 and mtime (ns), to see what a build actually rewrote."""
    return {
        path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def compare(
    before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]
) -> dict[str, str]:
    """name -> "bytes", "mtime" (same bytes, rewritten), "unchanged", "added" or "removed"."""
    verdicts: dict[str, str] = {}
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            verdicts[name] = "removed"
        elif name not in before:
            verdicts[name] = "added"
        elif before[name][0] != after[name][0]:
            verdicts[name] = "bytes"
        elif before[name][1] != after[name][1]:
            verdicts[name] = "mtime"
        else:
            verdicts[name] = "unchanged"
    return verdicts


def affected_outputs(sources: Path, templates: Path, contact_id: str) -> set[str]:
    """The files that print a contact: every format of every document listing it (and
    its first-page thumbnail), the combined PDF, the zip, the download page (which
    states sizes and checksums) and the build state. Worked out from the model."""
    from esafety_docs.buildstate import STATE
    from esafety_docs.model import ContactList, ContactTable
    from esafety_docs.pipeline import load, thumbnail_name
    from esafety_docs.render import common
    from esafety_docs.render.html import download

    pack = load(sources, templates).pack
    names = {common.pack_file(pack, "pdf"), common.pack_file(pack, "zip"), download.INDEX, STATE}
    for document in pack.documents:
        for block in document.blocks:
            if isinstance(block, ContactList | ContactTable) and any(
                c.id == contact_id for c in block.contacts
            ):
                names |= {common.document_file(document, pack, e) for e in ("docx", "pdf", "html")}
                names.add(thumbnail_name(common.document_file(document, pack, "pdf")))
    return names


def imported_heavy_modules(stderr: str) -> list[str]:
    """Modules under reportlab or docx named in `python -X importtime` output."""
    found = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            module = line.rsplit("|", 1)[1].strip()
            if module.split(".")[0] in HEAVY_MODULES:
                found.append(module)
    return found


def bench_cli(runs: int, work: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    floor = repeat("floor", runs, lambda: [[sys.executable, "-c", FLOOR_CODE]])
    floor.note = f'python -c "{FLOOR_CODE}"'
    results["floor"] = floor
    print(f"  floor        {floor.median:.3f} s", flush=True)

    cold_outs: list[Path] = []

    def fresh_out() -> None:
        cold_outs.append(Path(tempfile.mkdtemp(prefix="cold-", dir=work)))

    cold = repeat(
        "cold build",
        runs,
        lambda: [build_command(SOURCES, cold_outs[-1])],
        before_each=fresh_out,
    )
    cold.note = "full pack into an empty output folder"
    results["cold"] = cold
    print(f"  cold build   {cold.median:.3f} s", flush=True)

    same = repeat(
        "same work",
        runs,
        lambda: [[*build_command(SOURCES, cold_outs[-1]), "--formats", SAME_WORK_FORMATS]],
        before_each=fresh_out,
    )
    same.note = f"the documents as DOCX and PDF only (--formats {SAME_WORK_FORMATS}), as the peers"
    results["same"] = same
    print(f"  same work    {same.median:.3f} s", flush=True)

    fresh_out()
    run(build_command(SOURCES, cold_outs[-1]))
    noop_out = cold_outs[-1]  # holds a finished build of the whole pack
    noop = repeat("no-op rebuild", runs, lambda: [build_command(SOURCES, noop_out)])
    noop.note = "same sources into the same, already built folder"
    results["noop"] = noop
    importtime = [sys.executable, "-X", "importtime", "-m", "esafety_docs"]
    traced = run([*importtime, "build", "--sources", SOURCES, "--out", noop_out])
    results["noop_heavy_imports"] = imported_heavy_modules(traced.stderr)
    print(f"  no-op        {noop.median:.3f} s", flush=True)

    results["edit"] = bench_edit(runs, work)
    print(f"  one edit     {results['edit']['measured'].median:.3f} s", flush=True)

    check = repeat("check only", runs, lambda: [[*cli_command(), "check", "--sources", SOURCES]])
    check.note = "esafety-docs check"
    results["check"] = check
    print(f"  check        {check.median:.3f} s", flush=True)

    preview = bench_preview(runs, work)
    results["preview_html"], results["preview_pdf"] = preview["html"], preview["pdf"]
    results["preview_all"] = preview["all"]
    print(f"  preview HTML {preview['html'].median:.3f} s", flush=True)
    print(f"  preview PDF  {preview['pdf'].median:.3f} s", flush=True)
    print(f"  preview all  {preview['all'].median:.3f} s", flush=True)
    return results


def bench_edit(runs: int, work: Path) -> dict[str, Any]:
    """Change one contact's phone in a copy of the sources and rebuild into a folder
    built from the unchanged copy; record what the build rewrote."""
    base = work / "edit"
    sources, out = base / "sources", base / "dist"
    shutil.copytree(SOURCES, sources)
    shutil.copytree(TEMPLATES, base / "templates")
    contacts = sources / "contacts.yaml"
    original = contacts.read_text(encoding="utf-8")
    if original.count(OLD_PHONE) != 1:
        raise BenchError(f"expected {OLD_PHONE!r} exactly once in contacts.yaml")
    edited = original.replace(OLD_PHONE, NEW_PHONE)
    affected = affected_outputs(sources, base / "templates", EDIT_CONTACT)

    measured = Measured("one edit")
    measured.note = f"{EDIT_CONTACT} phone {OLD_PHONE} -> {NEW_PHONE}, into the built folder"
    verdicts: list[dict[str, str]] = []
    for index in range(-1, runs):
        contacts.write_text(original, encoding="utf-8")
        folder = Path(run(build_command(sources, out)).stdout.strip().splitlines()[-1])
        before = snapshot(folder)
        contacts.write_text(edited, encoding="utf-8")
        finished = run(build_command(sources, out))
        if index >= 0:
            measured.add(finished.seconds, finished.max_rss_kib)
            verdicts.append(compare(before, snapshot(folder)))
    rewritten = sorted({n for v in verdicts for n, what in v.items() if what != "unchanged"})
    return {
        "measured": measured,
        "affected": sorted(affected),
        "rewritten": rewritten,
        "unaffected_rewritten": sorted(set(rewritten) - affected),
        "per_run": verdicts,
    }


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
    from esafety_docs.pipeline import load
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


# ------------------------------------------------------------------ peers


def probe(code: str) -> str | None:
    """None if `python -c code` works here, else the reason it does not."""
    try:
        run([sys.executable, "-c", code])
    except BenchError as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        return lines[-1] if lines else str(error)
    return None


def bench_peers(runs: int, work: Path) -> dict[str, Any]:
    from esafety_docs.export_markdown import document_markdown
    from esafety_docs.pipeline import load

    folder = work / "peers"
    folder.mkdir()
    started = time.perf_counter()
    pack = load(SOURCES, TEMPLATES).pack
    stems = []
    for document in pack.documents:
        (folder / f"{document.id}.md").write_text(
            document_markdown(document, pack), encoding="utf-8"
        )
        stems.append(folder / document.id)
    results: dict[str, Any] = {
        "export_s": time.perf_counter() - started,
        "documents": [s.name for s in stems],
        "unavailable": {},
        "versions": {},
    }

    def files(suffix: str) -> list[str]:
        return [f"{s}{suffix}" for s in stems]

    reason = probe("import pypandoc; print(pypandoc.get_pandoc_path())")
    if reason:
        results["unavailable"]["pandoc"] = f"pypandoc-binary: {reason}"
        return results
    pandoc = run(
        [sys.executable, "-c", "import pypandoc; print(pypandoc.get_pandoc_path())"]
    ).stdout.strip()
    results["versions"]["pandoc"] = run([pandoc, "--version"]).stdout.splitlines()[0]

    def pandoc_to(fmt: str, suffix: str, *extra: str) -> list[list[str | Path]]:
        return [
            [pandoc, "-f", "markdown", "-s", "-t", fmt, *extra, "-o", f"{s}{suffix}", f"{s}.md"]
            for s in stems
        ]

    results["pandoc_docx"] = repeat("pandoc md->docx", runs, lambda: pandoc_to("docx", ".docx"))
    results["pandoc_html"] = repeat("pandoc md->html", runs, lambda: pandoc_to("html5", ".html"))
    typst_vars = ["-V", "papersize=a4", "-V", "mainfont=DejaVu Sans"]
    results["pandoc_typst"] = repeat(
        "pandoc md->typst", runs, lambda: pandoc_to("typst", ".typ", *typst_vars)
    )
    print(f"  pandoc docx  {results['pandoc_docx'].median:.3f} s", flush=True)

    reason = probe("import weasyprint")
    if reason:
        results["unavailable"]["weasyprint"] = reason
    else:
        results["versions"]["weasyprint"] = run(
            [sys.executable, "-c", "import weasyprint; print(weasyprint.__version__)"]
        ).stdout.strip()
        pairs = [
            x for pair in zip(files(".html"), files(".weasyprint.pdf"), strict=True) for x in pair
        ]
        results["weasyprint"] = repeat(
            "WeasyPrint html->pdf", runs, lambda: [[sys.executable, "-c", WEASYPRINT_CODE, *pairs]]
        )
        print(f"  weasyprint   {results['weasyprint'].median:.3f} s", flush=True)

    reason = probe("import typst")
    if reason:
        results["unavailable"]["typst"] = reason
    else:
        results["versions"]["typst"] = run(
            [sys.executable, "-c", "import importlib.metadata as m; print(m.version('typst'))"]
        ).stdout.strip()
        pairs = [x for pair in zip(files(".typ"), files(".typst.pdf"), strict=True) for x in pair]
        results["typst"] = repeat(
            "Typst typst->pdf", runs, lambda: [[sys.executable, "-c", TYPST_CODE, FONTS, *pairs]]
        )
        print(f"  typst        {results['typst'].median:.3f} s", flush=True)
    return results


# ------------------------------------------------------------------ scale

_WORKER: dict[str, Any] = {}


def _worker_start(sources: str, templates: str) -> None:
    """Load the pack once per worker and import both renderers."""
    from esafety_docs.pipeline import load
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


# ------------------------------------------------------------------ report


@dataclass(frozen=True)
class Target:
    row: str  # the measurement it is about
    name: str
    holds: bool | None  # None: could not be measured here
    detail: str

    @property
    def verdict(self) -> str:
        return "n/a" if self.holds is None else ("PASS" if self.holds else "FAIL")


def targets(cli: dict[str, Any], peers: dict[str, Any] | None) -> list[Target]:
    cold, same = cli["cold"].median, cli["same"].median
    noop, check = cli["noop"].median, cli["check"].median
    found: list[Target] = []
    peers = peers or {}
    unavailable = peers.get("unavailable", {})
    docx_parts = ["pandoc_docx"]
    typst_parts = [*docx_parts, "pandoc_typst", "typst"]

    def total(parts: list[str]) -> float | None:
        if all(isinstance(peers.get(p), Measured) for p in parts):
            return float(sum(peers[p].median for p in parts))
        return None

    reason = "; ".join(f"{k}: {v}" for k, v in unavailable.items()) or "peers not run"
    typst = total(typst_parts)
    for row, seconds, ratio, what in (
        ("cold", cold, COLD_VS_TYPST, "cold build"),
        ("same", same, SAME_WORK_VS_TYPST, "same work"),
    ):
        found.append(
            Target(
                row,
                f"{what} <= {ratio}x (pandoc DOCX + Typst PDF)",
                None if typst is None else seconds <= ratio * typst,
                reason if typst is None else f"{seconds / typst:.2f}x of {typst:.3f} s",
            )
        )

    heavy = cli["noop_heavy_imports"]
    tops = sorted({m.split(".")[0] for m in heavy})
    found.append(
        Target(
            "noop",
            f"no-op rebuild <= {NOOP_SECONDS} s",
            noop <= NOOP_SECONDS,
            f"{noop:.3f} s",
        )
    )
    found.append(
        Target(
            "noop",
            "no-op rebuild imports neither reportlab nor docx",
            not heavy,
            f"imported {len(heavy)} modules of {', '.join(tops)}" if heavy else "none imported",
        )
    )
    edit = cli["edit"]
    extra = edit["unaffected_rewritten"]
    edit_seconds = edit["measured"].median
    found.append(
        Target(
            "edit",
            f"one edit <= {EDIT_VS_COLD}x cold build",
            edit_seconds <= EDIT_VS_COLD * cold,
            f"{edit_seconds / cold:.2f}x",
        )
    )
    found.append(
        Target(
            "edit",
            "one edit re-renders only affected outputs",
            not extra,
            f"also rewrote {', '.join(extra)}" if extra else "only affected files rewritten",
        )
    )
    found.append(
        Target(
            "check", f"check only <= {CHECK_SECONDS} s", check <= CHECK_SECONDS, f"{check:.3f} s"
        )
    )
    latency = (("preview_html", PREVIEW_HTML_SECONDS), ("preview_pdf", PREVIEW_PDF_SECONDS))
    for key, limit in latency:
        seconds = cli[key].median
        worst = max(cli[key].seconds)
        found.append(
            Target(
                key,
                f"{cli[key].name} <= {limit} s",
                seconds <= limit,
                f"{seconds:.3f} s, slowest {worst:.3f} s",
            )
        )
    return found


def scale_targets(scale: list[dict[str, Any]]) -> list[Target]:
    """Two workers against one for each number of copies; memory flat as copies grow."""
    found = []
    by_copies: dict[int, dict[int, dict[str, Any]]] = {}
    for result in scale:
        by_copies.setdefault(result["copies"], {})[result["workers"]] = result
    for copies, runs in sorted(by_copies.items()):
        if 1 in runs and 2 in runs:
            speed_up = runs[2]["documents_per_s"] / runs[1]["documents_per_s"]
            found.append(
                Target(
                    "scale",
                    f"{copies} copies: 2 workers >= {SCALE_SPEED_UP}x one",
                    speed_up >= SCALE_SPEED_UP,
                    f"{speed_up:.2f}x",
                )
            )
    if len(by_copies) > 1:
        fewest, most = min(by_copies), max(by_copies)
        for workers in sorted(by_copies[fewest].keys() & by_copies[most].keys()):
            low = by_copies[fewest][workers]["worker_peak_rss_kib"]
            high = by_copies[most][workers]["worker_peak_rss_kib"]
            found.append(
                Target(
                    "scale",
                    f"{workers} worker(s): peak memory at {most} copies "
                    f"<= {SCALE_MEMORY_GROWTH}x at {fewest}",
                    high <= SCALE_MEMORY_GROWTH * low,
                    f"{low / 1024:.0f} -> {high / 1024:.0f} MiB",
                )
            )
    return found


def table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(
    cli: dict[str, Any],
    peers: dict[str, Any] | None,
    scale: list[dict[str, Any]],
    found: list[Target],
) -> str:
    floor = cli["floor"].median
    rows = [["benchmark", "median s", "x floor", "target", "result"]]

    def add(measured: Measured, key: str = "") -> None:
        mine: list[Target | None] = [t for t in found if key and t.row == key] or [None]
        for number, target in enumerate(mine):
            cells = ["", "", ""]
            if number == 0:
                cells = [measured.name, f"{measured.median:.3f}", f"{measured.median / floor:.2f}"]
            if target:
                cells += [target.name, f"{target.verdict} ({target.detail})"]
            rows.append(cells + [""] * (5 - len(cells)))

    add(cli["floor"])
    for key in ("cold", "same", "noop", "check", "preview_html", "preview_pdf", "preview_all"):
        add(cli[key], key)
        if key == "noop":
            add(cli["edit"]["measured"], "edit")
    unavailable: dict[str, str] = {}
    if peers:
        unavailable = peers["unavailable"]
        for key in ("pandoc_docx", "pandoc_html", "weasyprint", "pandoc_typst", "typst"):
            if isinstance(peers.get(key), Measured):
                add(peers[key])
        for parts, name in (
            (("pandoc_docx", "pandoc_html", "weasyprint"), "= pandoc DOCX + WeasyPrint PDF"),
            (("pandoc_docx", "pandoc_typst", "typst"), "= pandoc DOCX + Typst PDF"),
        ):
            if all(isinstance(peers.get(p), Measured) for p in parts):
                seconds = sum(peers[p].median for p in parts)
                rows.append([name, f"{seconds:.3f}", f"{seconds / floor:.2f}", "", ""])
    out = [table(rows, right={1, 2})]
    for tool, reason in unavailable.items():
        out.append(f"{tool}: unavailable ({reason})")

    cold_rss = cli["cold"].max_rss_kib
    out.append(
        f"\ncold build peak RSS: median {statistics.median(cold_rss) / 1024:.1f} MiB, "
        f"max {max(cold_rss) / 1024:.1f} MiB"
    )
    edit = cli["edit"]
    out.append(f"one edit ({edit['measured'].note}):")
    last = edit["per_run"][-1] if edit["per_run"] else {}
    for name, what in last.items():
        mark = "affected" if name in edit["affected"] else "not affected"
        out.append(f"  {what:9}  {name}  ({mark})")

    if scale:
        out.append("\nScale: copies of the contact sheet, each rendered as PDF + DOCX")
        rows = [["copies", "workers", "seconds", "docs/s", "worker RSS warm MiB", "peak MiB"]]
        for s in scale:
            rows.append(
                [
                    str(s["copies"]),
                    str(s["workers"]),
                    f"{s['seconds']:.2f}",
                    f"{s['documents_per_s']:.1f}",
                    f"{s['worker_rss_after_warm_up_kib'] / 1024:.1f}",
                    f"{s['worker_peak_rss_kib'] / 1024:.1f}",
                ]
            )
        out.append(table(rows, right={0, 1, 2, 3, 4, 5}))
        for target in (t for t in found if t.row == "scale"):
            out.append(f"  {target.verdict}  {target.name} ({target.detail})")
    return "\n".join(out)


def jsonable(value: Any) -> Any:
    if isinstance(value, Measured):
        return value.as_json()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _git_commit() -> str | None:
    try:
        return run(["git", "rev-parse", "HEAD"]).stdout.strip()
    except (BenchError, OSError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="skip the scale part")
    parser.add_argument("--no-peers", action="store_true", help="skip pandoc/WeasyPrint/Typst")
    parser.add_argument(
        "--copies",
        type=int,
        nargs="+",
        default=[100, 500],
        metavar="N",
        help="scale: copies of the contact sheet (default 100 500)",
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], metavar="W", help="default 1 2"
    )
    parser.add_argument(
        "--json", type=Path, default=RESULTS, help="default benchmarks/results.json"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    print(
        f"esafety-docs bench: {args.runs} runs each, {sys.executable} "
        f"(Python {platform.python_version()}, {os.cpu_count()} CPUs)",
        flush=True,
    )
    load_before = os.getloadavg()
    if load_before[0] > 0.5 * (os.cpu_count() or 1):
        print(f"  note: load average {load_before[0]:.2f} before starting; timings may be noisy")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="esafety-bench-") as temporary:
        work = Path(temporary)
        cli = bench_cli(args.runs, work)
        peers = None if args.no_peers else bench_peers(args.runs, work)
    scale = []
    if not args.quick:
        for copies in args.copies:
            for workers in args.workers:
                result = bench_scale(copies, workers)
                print(
                    f"  scale {copies} x {workers} worker(s): "
                    f"{result['documents_per_s']:.1f} docs/s",
                    flush=True,
                )
                scale.append(result)
    found = targets(cli, peers) + scale_targets(scale)
    print()
    print(report(cli, peers, scale, found))

    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "commit": _git_commit(),
        "python": sys.executable,
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "cli": cli_command(),
        "total_s": time.perf_counter() - started,
        "cli_results": cli,
        "peers": peers,
        "scale": scale,
        "targets": [{"name": t.name, "result": t.verdict, "detail": t.detail} for t in found],
    }
    args.json.write_text(json.dumps(jsonable(results), indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
