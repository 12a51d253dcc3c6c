"""Run the preview: serve it, watch the sources and templates, rebuild on every save.

The watcher runs from the start, in a thread of its own, and queues what it sees,
so a save made while the first build runs is not missed. Rebuilds run here, in
the main thread, one at a time; saves that arrive during one are taken together.
Ctrl+C stops the watcher and the server and ends the process: no worker
processes are started, so none can be left behind. Ctrl+C also sets a flag that
is looked at after every pass and while waiting for saves, because a library
that catches every exception (reportlab has bare `except:` clauses) can swallow
the KeyboardInterrupt if it arrives in the middle of its work, and Python itself
drops one raised inside a garbage-collection callback (printing a traceback,
which the preview keeps quiet: the flag stops it all the same).
"""

from __future__ import annotations

import functools
import os
import queue
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

from .rebuild import PREVIEW, Rebuilder
from .server import PreviewServer, Shown, port_in_use

EXIT_OK, EXIT_USAGE = 0, 2
# Wait this long after a file event for the rest of a save (editors often write
# a file in several steps), but never group events for longer than the maximum.
QUIET_MS, MAXIMUM_MS = 50, 400

Say = Callable[[str], None]
Batch = set[tuple[watchfiles.Change, str]]


def run(sources: Path, templates: Path, out: Path, port: int, open_browser: bool, say: Say) -> int:
    """Serve OUT/preview/ on 127.0.0.1:`port` until interrupted; the exit code."""
    folder = out / PREVIEW
    for watched in (sources, templates):
        if folder.resolve().is_relative_to(watched.resolve()):
            say(
                f"esafety-docs: error: the preview folder {str(folder)!r} is inside "
                f"{str(watched)!r}, so every build would start another\n"
                "    hint: give an --out folder outside the sources and templates"
            )
            return EXIT_USAGE
    shown = Shown(folder)
    try:
        server = PreviewServer(shown, port)
    except OSError as error:
        if port_in_use(error):
            say(
                f"esafety-docs: error: port {port} is already in use (is a preview already "
                f"running?); choose another with --port, for example --port {port + 1}"
            )
        else:
            say(f"esafety-docs: error: cannot serve on port {port}: {error.strerror or error}")
        return EXIT_USAGE
    stop = threading.Event()
    saves: queue.SimpleQueue[Batch | Exception] = queue.SimpleQueue()
    watcher = threading.Thread(
        target=_watch, args=((sources, templates), stop, saves), name="watcher", daemon=True
    )
    serving = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="server", daemon=True
    )
    rebuilder = Rebuilder(sources, templates, shown, say)
    stopping = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        stopping.set()
        raise KeyboardInterrupt

    # SIGTERM (as from nox after Ctrl+C) stops the preview as cleanly as Ctrl+C does.
    previous = {number: signal.signal(number, interrupt) for number in _STOP_SIGNALS}
    threading.Thread(target=_stop_with_parent, args=(stop,), name="parent", daemon=True).start()
    unraisable = sys.unraisablehook
    sys.unraisablehook = functools.partial(_quiet_about_interrupts, unraisable)
    try:
        watcher.start()
        say(f"Building the preview in {folder}/ ...")
        rebuilder.rebuild(newer_save=stopping.is_set)
        _stop_if(stopping)
        serving.start()
        say(f"Preview at {server.url} (press Ctrl+C to stop)")
        say(f"Watching {sources}/ and {templates}/: save a file to see the change.")
        if open_browser:
            webbrowser.open(server.url)
        _warm_up()
        while True:
            batch = _next_batch(saves, stopping)
            if isinstance(batch, Exception):
                say(f"esafety-docs: error: stopped watching for changes: {batch}")
                return EXIT_USAGE
            say(f"{time.strftime('%H:%M:%S')} saved: {_names(batch)}")
            rebuilder.rebuild(newer_save=lambda: not saves.empty() or stopping.is_set())
            _stop_if(stopping)
    except KeyboardInterrupt:
        say("Preview stopped.")
        return EXIT_OK
    except OSError as error:
        say(f"esafety-docs: error: cannot write the preview to {str(folder)!r}: {error}")
        return EXIT_USAGE
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = unraisable
        stop.set()
        shown.close()
        if serving.is_alive():
            server.shutdown()
        server.server_close()
        watcher.join(timeout=5)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _stop_with_parent(stop: threading.Event) -> None:
    """Stop when the process that started the preview ends: nox killed by SIGTERM does
    not pass it on, and the server must not keep its port. The preview then stops as
    it does on SIGTERM (a process left without its parent gets a new one)."""
    parent = os.getppid()
    while not stop.wait(0.5):
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def _quiet_about_interrupts(report: Callable[[Any], object], unraisable: Any) -> None:
    """Leave out the Ctrl+C that Python could not raise (the stop flag acts on it)."""
    if not issubclass(unraisable.exc_type, KeyboardInterrupt):
        report(unraisable)


def _stop_if(stopping: threading.Event) -> None:
    """Stop now if Ctrl+C came while a library was busy and swallowed it."""
    if stopping.is_set():
        raise KeyboardInterrupt


def _watch(
    paths: tuple[Path, ...], stop: threading.Event, saves: queue.SimpleQueue[Batch | Exception]
) -> None:
    """Queue each group of file changes until `stop` is set (watchfiles checks it often)."""
    try:
        for batch in watchfiles.watch(
            *paths, debounce=MAXIMUM_MS, step=QUIET_MS, stop_event=stop, raise_interrupt=False
        ):
            saves.put(batch)
    except Exception as error:  # a watched folder removed, too many files to watch, ...
        saves.put(error)


def _next_batch(
    saves: queue.SimpleQueue[Batch | Exception], stopping: threading.Event
) -> Batch | Exception:
    """The next change and any queued behind it. Waits in short steps, because on
    Windows Ctrl+C cannot interrupt a wait without a timeout."""
    while True:
        _stop_if(stopping)
        try:
            first = saves.get(timeout=0.5)
            break
        except queue.Empty:
            continue
    batch: Batch = set()
    item: Batch | Exception | None = first
    while item is not None:
        if isinstance(item, Exception):
            return item
        batch |= item
        try:
            item = saves.get_nowait()
        except queue.Empty:
            item = None
    return batch


def _names(batch: Batch) -> str:
    """The files saved or removed, leaving out editors' short-lived temporary files."""
    names = {
        Path(path).name
        for _, path in batch
        if Path(path).exists() or path.endswith((".yaml", ".yml"))
    }
    return ", ".join(sorted(names)) or "a file was removed"


def _warm_up() -> None:
    """Import the renderers now, so the first save after a restart (when nothing
    needed rendering at start) does not wait for them."""
    from .. import audit  # noqa: F401
    from ..render import docx, html, pdf, thumbnail  # noqa: F401
