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
(`esafety_docs.render.markdown`), turned into DOCX by pandoc, into PDF by
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

This file runs the parts and reports; each part is a module of its own beside it:
timing.py (running and timing commands), command_runs.py (the real command),
preview_runs.py, peer_runs.py, scale_runs.py and targets.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from command_runs import bench_cli
from peer_runs import bench_peers
from scale_runs import bench_scale
from targets import Target, scale_targets, targets
from timing import BenchError, Measured, cli_command, run

RESULTS = Path(__file__).resolve().parent / "results.json"


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


def stage_table(stages: dict[str, float]) -> str:
    """Where one cold build's time goes, largest first. Seconds are summed over the
    jobs, which run side by side in the render processes, so the total is more
    than the build's wall time; the share says which stage to cut next."""
    total = sum(stages.values()) or 1.0
    rows = [["stage (one cold build)", "seconds", "share"]]
    for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        rows.append([name, f"{seconds:.3f}", f"{100 * seconds / total:.0f}%"])
    rows.append(["sum over processes", f"{total:.3f}", ""])
    return "\n" + table(rows, right={1, 2})


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

    out.append(stage_table(cli["stages"]))

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
