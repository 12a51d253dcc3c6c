"""What checking one address can find, in words comms staff use."""

from __future__ import annotations

from dataclasses import dataclass

WORKING = "working"
WELL_FORMED = "well formed"  # mailto: and tel:, checked for form only
IGNORED = "ignored"
REDIRECTED = "redirected"
RATE_LIMITED = "rate limited"
TIMED_OUT = "timed out"
BROKEN = "broken"
# Said of every web address instead of "broken" when none could be reached at all:
# the fault is then this computer's connection, not the sources.
UNREACHABLE = "unreachable"

# Report order: problems last, next to the summary, where a terminal leaves the eye.
KINDS = (WORKING, WELL_FORMED, IGNORED, REDIRECTED, RATE_LIMITED, TIMED_OUT, BROKEN, UNREACHABLE)


@dataclass(frozen=True)
class Outcome:
    """The result for one address."""

    kind: str
    detail: str = ""
    status: int | None = None  # the HTTP status that decided it, when there was one
    final: str | None = None  # where redirects led
    update_to: str | None = None  # the address to write instead, after a permanent redirect
    unreachable: bool = False  # no connection could be made at all (name, route, refused)
