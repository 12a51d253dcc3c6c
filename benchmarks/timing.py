"""What every part of the benchmark shares: where things are, running a
command as a person would, and timing it over several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


def run(
    argv: Sequence[str | Path], cwd: Path = ROOT, extra: dict[str, str] | None = None
) -> Finished:
    """Run a command to completion, with `extra` added to its environment; its peak
    RSS comes from wait4 (this child only)."""
    args = [str(a) for a in argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        env = {**ENV, **(extra or {})}
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env)
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
