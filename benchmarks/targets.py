"""The targets, reported PASS or FAIL and never asserted: ratios are to the peers
measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from timing import Measured

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
