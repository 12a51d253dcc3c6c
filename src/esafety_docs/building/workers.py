"""Two render worker processes, forked before the sources are read.

Importing reportlab, pikepdf and PDFium costs a process about a fifth of a
second. Forked first, the workers import them while this process reads and
checks the sources, so rendering starts as soon as the sources are ready. Each
worker then takes the next job the moment it is free: first what another job
waits for (the combined PDF needs every document's PDF), then the longest, so
both finish at about the same time whatever the mix of jobs.

Workers ignore Ctrl+C (the build that started them handles it and stops them),
and leave by themselves when that build is gone, however it ended.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ..reading.model import Block, Pack
from . import jobs
from .jobs import Done, Job


class WorkerError(Exception):
    """A worker failed or stopped while rendering."""


@dataclass(frozen=True)
class Context:
    """What every job of one build shares, sent to each worker once."""

    pack: Pack
    brand: object
    when: dt.datetime
    notes: tuple[Block, ...]
    folder: Path
    environment: dict[str, str]  # SOURCE_DATE_EPOCH, set after the workers started


class Workers:
    """A fixed set of forked workers; `run` hands them one build's jobs."""

    def __init__(self, count: int = 2, preload: bool = True) -> None:
        """`preload`: import the PDF renderer first, as every build uses it. A worker
        given a Word file imports python-docx then, by which time the PDFs (which
        the combined PDF waits for) are under way."""
        fork = multiprocessing.get_context("fork")
        self._connections: list[Connection] = []
        self._processes: list[Any] = []
        self._stopped = False
        for _ in range(count):
            ours, theirs = fork.Pipe()
            process = fork.Process(target=_serve, args=(theirs, os.getpid(), preload), daemon=True)
            process.start()
            theirs.close()
            self._connections.append(ours)
            self._processes.append(process)

    def run(self, due: list[Job], context: Context, cost: Callable[[Job], float]) -> Iterator[Done]:
        """Yield each job as it finishes; the costliest start first. After a failure
        the workers are stopped: a job still under way would answer the next run."""
        if self._stopped:
            raise WorkerError("the render workers were stopped by an earlier failure")
        try:
            yield from self._schedule(due, context, cost)
        except BaseException:
            self.close()
            raise

    def _schedule(
        self, due: list[Job], context: Context, cost: Callable[[Job], float]
    ) -> Iterator[Done]:
        for connection in self._connections:
            connection.send(context)
        made_now = {name for job in due for name in job.names}  # the rest are there already
        needed = {name for job in due for name in job.needs}
        # What another job waits for comes first, so that one can start soonest.
        waiting = sorted(
            due, key=lambda job: (bool(needed & set(job.names)), cost(job)), reverse=True
        )
        finished: set[str] = set()
        idle = list(reversed(self._connections))
        busy: dict[Connection, Job] = {}
        while waiting or busy:
            for job in [j for j in waiting if set(j.needs) & made_now <= finished]:
                if not idle:
                    break
                connection = idle.pop()
                connection.send(job)
                busy[connection] = job
                waiting.remove(job)
            if not busy:
                raise WorkerError("jobs wait for each other: " + _names(waiting))
            for ready in wait(list(busy)):
                assert isinstance(ready, Connection)
                job = busy.pop(ready)
                try:
                    answer = ready.recv()
                except EOFError:
                    raise WorkerError(f"a worker stopped while rendering {job.names[0]}") from None
                if isinstance(answer, str):
                    raise WorkerError(f"rendering {job.names[0]} failed:\n{answer}")
                finished.update(job.names)
                idle.append(ready)
                yield answer

    def close(self) -> None:
        """Stop the workers at once, whatever they are doing."""
        self._stopped = True
        for connection in self._connections:
            connection.close()
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            process.join()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _names(waiting: list[Job]) -> str:
    return ", ".join(job.names[0] for job in waiting)


def _serve(connection: Connection, parent: int, preload: bool) -> None:
    """A worker's life: load the renderers, then render what it is sent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    jobs.follow_parent(parent)
    if preload:
        jobs.preload_pdf()
    context: Context | None = None
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if isinstance(message, Context):
            context = message
            os.environ.update(context.environment)
            continue
        assert context is not None and isinstance(message, Job)
        try:
            connection.send(_render(message, context))
        except Exception:
            connection.send(traceback.format_exc())


def _render(job: Job, context: Context) -> Done:
    done = jobs.run(job, context.pack, context.brand, context.when, context.notes, context.folder)
    if job.kind != "html":
        return done
    from ..render.html import webfonts

    # Handed to the main process (`webfonts.reuse_subsets`), which has not made them.
    return replace(done, subsets=webfonts.known_subsets())
