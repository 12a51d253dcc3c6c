"""Seconds spent in each stage of a build: reading the sources, rendering each
format, and each family of audit rules, summed over every job (so work done side
by side in the render processes adds up to more than the build's wall time).

With ESAFETY_DOCS_TIMINGS=FILE, `build` writes them to FILE as JSON: the
benchmark reports them, so the next cut to make is the stage at the top.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TIMINGS = "ESAFETY_DOCS_TIMINGS"


class Stages(dict[str, float]):
    """Stage name -> seconds, added up."""

    def add(self, name: str, seconds: float) -> None:
        self[name] = self.get(name, 0.0) + seconds

    def merge(self, other: dict[str, float]) -> None:
        for name, seconds in other.items():
            self.add(name, seconds)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)


def wanted() -> Path | None:
    """Where to write the stage times, if the environment asks for them."""
    given = os.environ.get(TIMINGS, "").strip()
    return Path(given) if given else None


def write(stages: dict[str, float], path: Path) -> None:
    ordered = dict(sorted(stages.items(), key=lambda item: -item[1]))
    path.write_text(json.dumps({k: round(v, 6) for k, v in ordered.items()}, indent=1) + "\n")
