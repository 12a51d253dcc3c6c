"""The real command timed: a cold build, the same work as the peers, a no-op
rebuild, one edit, a check, and the preview's save-to-served latencies."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from preview_runs import bench_preview
from targets import SAME_WORK_FORMATS
from timing import (
    EDIT_CONTACT,
    FLOOR_CODE,
    HEAVY_MODULES,
    NEW_PHONE,
    OLD_PHONE,
    SOURCES,
    TEMPLATES,
    BenchError,
    Measured,
    cli_command,
    repeat,
    run,
)

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
    from esafety_docs.building.buildstate import STATE
    from esafety_docs.building.pipeline import load, thumbnail_name
    from esafety_docs.reading.model import ContactList, ContactTable
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
    results["stages"] = cold_stages(work)

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


def cold_stages(work: Path) -> dict[str, float]:
    """One more cold build, untimed, that writes the seconds of each of its stages
    (read, render per format, audit per family; see esafety_docs.building.stages)."""
    out = Path(tempfile.mkdtemp(prefix="stages-", dir=work))
    found = out / "stages.json"
    run(build_command(SOURCES, out / "dist"), extra={"ESAFETY_DOCS_TIMINGS": str(found)})
    stages: dict[str, float] = json.loads(found.read_text(encoding="utf-8"))
    return stages


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
