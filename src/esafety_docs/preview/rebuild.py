"""One rebuild of the preview after a save: HTML editions first, then PDF, then Word.

The preview lives in OUT/preview/, beside the version folders but never one of
them, so it works after the current version is released and never changes a
release. It is kept between runs, so a restarted preview renders only what
changed. `build` never takes it for an up-to-date pack (its recorded inputs are
empty) and `release` never compares with it (it has no manifest).

Rendering happens in this process, not in worker processes: the renderers stay
imported and warm between saves, and the preview's threads must not be forked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..building import buildstate
from ..building.archive import build_time
from ..building.pipeline import Loaded, PublishError, load, render_all, staging_folder
from ..reading.diagnostics import SourceError
from ..render.html.download import INDEX
from .panel import panel_html, terminal_text
from .server import Shown

PREVIEW = "preview"
# Each pass shows its outputs before the next starts, quickest and most looked at
# first: what it is called, and the kinds it leaves for later passes.
PASSES = (
    ("HTML", ("pdf", "docx", "pack")),
    ("PDF", ("docx", "pack")),
    ("Word and the combined PDF", ()),
)

Say = Callable[[str], None]


class Rebuilder:
    """Turns the sources into the preview, or into a problems panel over the last one."""

    def __init__(self, sources: Path, templates: Path, shown: Shown, say: Say) -> None:
        self.sources = sources
        self.templates = templates
        self.shown = shown
        self.say = say
        self._warnings: list[str] = []
        self._showing_problems = False

    @property
    def folder(self) -> Path:
        return self.shown.folder

    def rebuild(self, newer_save: Callable[[], bool] = lambda: False) -> None:
        """Run the passes in turn, each shown as soon as it is done; stop early when
        `newer_save()` says the sources changed again (their HTML comes first then)."""
        loaded = self._load()
        if loaded is None:
            return
        if not self.folder.is_dir():  # nothing to show meanwhile: build it all at once
            self._render(loaded, "Preview", defer=())
            return
        for number, (what, defer) in enumerate(PASSES):
            if (number and newer_save()) or not self._render(loaded, what, defer):
                return

    def _load(self) -> Loaded | None:
        try:
            loaded = load(self.sources, self.templates)
        except SourceError as error:
            built = self.folder.is_dir()
            self.say(terminal_text(error.diagnostics))
            shown = "The preview still shows the last version that built"
            if not built:
                shown = "Nothing can be shown until the sources build"
            self.say(f"{shown}: fix the errors above and save again.")
            self.shown.show_problems(panel_html(error.diagnostics, built=built))
            self._showing_problems = True
            self._warnings = []
            return None
        warnings = [d.format() for d in loaded.diagnostics]
        if warnings != self._warnings:
            self.say(terminal_text(loaded.diagnostics))
            self._warnings = warnings
        return loaded

    def _render(self, loaded: Loaded, what: str, defer: tuple[str, ...]) -> bool:
        """One pass into a staging folder, swapped in whole; False if it failed."""
        started = time.perf_counter()
        previous = self.folder if self.folder.is_dir() else None
        before = buildstate.read(self.folder).get("outputs", {}) if previous else {}
        try:
            with staging_folder(self.folder.parent, PREVIEW) as staging:
                _, state = render_all(
                    loaded,
                    staging,
                    build_time(),
                    lambda _line: None,
                    previous=previous,
                    defer=defer,
                )
                buildstate.write(staging, "", state)  # no inputs: never a finished pack
                self.shown.publish(staging)
        except PublishError as error:
            self.say(f"esafety-docs: error: {error}")
            self.shown.show_problems(panel_html([], [str(error)], built=previous is not None))
            self._showing_problems = True
            return False
        if self._showing_problems:
            self.say("No errors now: the preview is up to date again.")
            self._showing_problems = False
        changed = sorted(
            name
            for name, entry in state.items()
            if before.get(name) != entry and name != INDEX and not name.endswith(".zip")
        )
        seconds = time.perf_counter() - started
        self.say(f"  {what}: {_listing(changed)} ({seconds:.2f} s)")
        return True


def _listing(names: list[str]) -> str:
    """What a pass rewrote: a few names, or how many."""
    if not names:
        return "nothing changed"
    shown = ", ".join(names) if len(names) <= 3 else f"{len(names)} files"
    return f"{shown} updated"
