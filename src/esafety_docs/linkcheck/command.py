"""`esafety-docs linkcheck`: find every address in the sources, check each once, report.

Exit codes: 0 nothing broken; 1 a broken address, or a source that cannot be
read; 2 no web address could be reached at all (this computer is offline, or
a proxy or firewall is in the way), or the report cannot be written.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from ..reading.diagnostics import Reporter
from ..reading.diagnostics import summary as diagnostics_summary
from .find import find_addresses, ignored_by
from .forms import FORM_ONLY_SCHEMES, check_form
from .outcome import BROKEN, IGNORED, UNREACHABLE, Outcome
from .report import Finding, as_json, hint, line, ordered, summary

WEB_SCHEMES = ("https://", "http://")


def linkcheck(
    sources: Path,
    timeout: float = 10.0,
    workers: int = 8,
    json_path: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check every address the sources hold and print one line for each."""
    out = out or sys.stdout
    err = err or sys.stderr
    if not sources.is_dir():
        print(f"esafety-docs: error: --sources folder {str(sources)!r} does not exist", file=err)
        return 2
    reporter = Reporter()
    found = find_addresses(sources, reporter)
    for diagnostic in reporter.diagnostics:
        print(diagnostic.format(), file=err)
    if reporter.diagnostics:
        print(diagnostics_summary(reporter.diagnostics), file=err)

    outcomes: dict[str, Outcome] = {}
    web: list[str] = []
    for address in found.places:
        pattern = ignored_by(address, found.ignore)
        if pattern is not None:
            outcomes[address] = Outcome(IGNORED, f"matches {pattern!r} in linkcheck_ignore")
        elif address.lower().startswith(FORM_ONLY_SCHEMES):
            outcomes[address] = check_form(address)
        elif address.lower().startswith(WEB_SCHEMES):
            web.append(address)
        else:
            outcomes[address] = Outcome(BROKEN, "only https:// and http:// addresses can be opened")
    if web:
        outcomes.update(_check_web(web, timeout, workers, err))

    offline = _offline(web, outcomes)
    if offline:
        outcomes.update({a: replace(outcomes[a], kind=UNREACHABLE) for a in web})
    findings = [Finding(a, places, outcomes[a]) for a, places in found.places.items()]
    for finding in ordered(findings):
        print(line(finding), file=out)
        if advice := hint(finding):
            print(f"    hint: {advice}", file=out)
    print(summary(findings), file=out, flush=True)

    if json_path is not None:
        problems = [d.format() for d in reporter.diagnostics]
        try:
            json_path.write_text(as_json(findings, problems), encoding="utf-8")
        except OSError as error:
            print(f"esafety-docs: error: cannot write {str(json_path)!r}: {error}", file=err)
            return 2
    if offline:
        return 2
    broken = any(f.outcome.kind == BROKEN for f in findings)
    return 1 if broken or reporter.errors else 0


def _check_web(
    addresses: list[str], timeout: float, workers: int, err: TextIO
) -> dict[str, Outcome]:
    from .probe import Settings, check_web  # the HTTP client loads only when needed

    sites = len({urlsplit(address).hostname for address in addresses})
    print(
        f"Checking {_plural(len(addresses), 'web address', 'web addresses')} on "
        f"{_plural(sites, 'site', 'sites')}, waiting at most {timeout:g} s for each answer...",
        file=err,
        flush=True,
    )
    progress = _Progress(err)
    try:
        return check_web(addresses, Settings(timeout=timeout, workers=workers), progress)
    finally:
        progress.close()


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _offline(web: list[str], outcomes: dict[str, Outcome]) -> bool:
    """Every web address, on two sites or more, failed before any connection was made."""
    sites = {urlsplit(address).hostname for address in web}
    return len(sites) >= 2 and all(outcomes[address].unreachable for address in web)


class _Progress:
    """A running count on a terminal; an occasional line in a log."""

    tick_every = 1.0
    log_every = 10.0

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.last_log = time.monotonic()
        self.shown = 0  # width of the running count on screen

    def tick(self, done: int, total: int, waiting: list[str]) -> None:
        sites = list(dict.fromkeys(urlsplit(url).hostname or url for url in waiting))
        text = f"  checked {done} of {total}"
        if sites:
            text += "; waiting for " + ", ".join(sites[:3]) + (", ..." if len(sites) > 3 else "")
        if self.live:
            self.stream.write("\r" + text.ljust(self.shown))
            self.shown = len(text)
            self.stream.flush()
        elif time.monotonic() - self.last_log >= self.log_every:
            self.last_log = time.monotonic()
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
