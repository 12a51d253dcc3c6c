"""The link check's findings as text for comms staff and as JSON for machines."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from .find import Place
from .outcome import (
    BROKEN,
    IGNORED,
    KINDS,
    RATE_LIMITED,
    REDIRECTED,
    TIMED_OUT,
    UNREACHABLE,
    WELL_FORMED,
    WORKING,
    Outcome,
)

# What to do about each kind of finding (redirects and refusals have their own below).
_HINTS = {
    BROKEN: "open it in a browser; if it is gone, find the page's new address or remove the link",
    TIMED_OUT: "the site did not answer in time: run the check again later, and if it still "
    "times out, open it in a browser",
    RATE_LIMITED: "the site asked to be checked less often: run the check again later",
}
_REFUSES_ROBOTS = frozenset({401, 403})


@dataclass(frozen=True)
class Finding:
    """One address, everywhere it is written, and what checking it found."""

    address: str
    places: list[Place]
    outcome: Outcome


def line(finding: Finding) -> str:
    """`outcome: address (detail) at file:line:col, ...`, one line whatever the count."""
    outcome = finding.outcome
    shown = finding.address
    if outcome.kind == REDIRECTED and outcome.final:
        shown += f" -> {outcome.final}"
    detail = f" ({outcome.detail})" if outcome.detail else ""
    where = ", ".join(str(place) for place in finding.places)
    return f"{outcome.kind}: {shown}{detail} at {where}"


def hint(finding: Finding) -> str:
    """What to change in the sources, or "" when nothing needs doing."""
    outcome = finding.outcome
    if outcome.kind == REDIRECTED:
        if outcome.update_to:
            return f"the page has moved for good: write {outcome.update_to} instead"
        return ""
    if outcome.kind == BROKEN and finding.address.startswith("mailto:"):
        return "correct the email address in the sources: it is written name@organisation.org.uk"
    if outcome.kind == BROKEN and finding.address.startswith("tel:"):
        return "correct the number in the sources: the full number with its area code"
    if outcome.kind == BROKEN and outcome.status in _REFUSES_ROBOTS:
        return (
            "if it opens in a browser, the site refuses automatic checks: add it to "
            "linkcheck_ignore in pack.yaml"
        )
    return _HINTS.get(outcome.kind, "")


def summary(findings: list[Finding]) -> str:
    """'9 addresses: 7 working, 1 redirected, 1 broken' (kinds with none left out)."""
    counts = Counter(finding.outcome.kind for finding in findings)
    order = (
        WORKING,
        REDIRECTED,
        BROKEN,
        UNREACHABLE,
        TIMED_OUT,
        RATE_LIMITED,
        IGNORED,
        WELL_FORMED,
    )
    parts = [f"{counts[kind]} {kind}" for kind in order if counts[kind]]
    total = len(findings)
    text = f"{total} address{'' if total == 1 else 'es'}"
    text += f": {', '.join(parts)}" if parts else " found"
    if counts[UNREACHABLE]:
        text += (
            ". No web address could be reached at all: check this computer's internet "
            "connection, then run the check again"
        )
    return text


def ordered(findings: list[Finding]) -> list[Finding]:
    """Problems last, next to the summary; otherwise in the order the sources give them."""
    return sorted(findings, key=lambda f: KINDS.index(f.outcome.kind))


def as_json(findings: list[Finding], problems: list[str]) -> str:
    """The machine-readable report written by `--json`."""
    report = {
        "summary": summary(findings),
        "counts": dict(Counter(finding.outcome.kind for finding in findings)),
        "problems": problems,
        "addresses": [
            {
                "address": finding.address,
                "outcome": finding.outcome.kind,
                "detail": finding.outcome.detail,
                "status": finding.outcome.status,
                "final_address": finding.outcome.final,
                "update_to": finding.outcome.update_to,
                "hint": hint(finding),
                "places": [
                    {"path": place.path, "line": place.line, "column": place.column}
                    for place in finding.places
                ],
            }
            for finding in findings
        ],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
