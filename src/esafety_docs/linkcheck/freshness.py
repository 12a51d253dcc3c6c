"""The scheduled freshness run's findings, as Markdown for the job summary and issue.

Reads the link checker's `--json` report and the output of `check --strict`,
and lists what comms staff must edit, each with its file and line (a link to
the line when the repository's address is given). Standard library only, so
the workflow runs it without installing anything:

    python -m esafety_docs.linkcheck.freshness --date 2026-12-07 --links linkcheck.json \\
        --check check.txt [--source-url URL] > findings.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .outcome import BROKEN, RATE_LIMITED, REDIRECTED, TIMED_OUT, UNREACHABLE

# `path:line:col: error|warning: message`, as `check` prints it, then an indented hint.
_DIAGNOSTIC = re.compile(
    r"(?P<path>[^\s:][^:]*):(?P<line>\d+):\d+: (?:error|warning): (?P<text>.+)"
)
_HINT = re.compile(r"\s+hint: (?P<text>.+)")


def findings_markdown(
    date: str, links: dict[str, Any] | None, check_output: str, source_url: str = ""
) -> str:
    """The whole page: links to fix, details to re-check, then what could not be checked."""
    parts = [f"## Pack freshness check, {date}", ""]
    parts += _link_section(links, source_url)
    parts += _check_section(check_output, source_url)
    return "\n".join(parts)


def _link_section(links: dict[str, Any] | None, source_url: str) -> list[str]:
    lines = ["### Web addresses", ""]
    if links is None:
        return [*lines, "The link check did not finish: see the job's log.", ""]
    lines += [f"{links['summary']}.", ""]
    entries = links["addresses"]
    if any(entry["outcome"] == UNREACHABLE for entry in entries):
        return [*lines, "Nothing to edit: run the workflow again later.", ""]
    to_fix = [
        entry
        for entry in entries
        if entry["outcome"] == BROKEN or (entry["outcome"] == REDIRECTED and entry["update_to"])
    ]
    for entry in to_fix:
        found = "moved" if entry["outcome"] == REDIRECTED else f"broken ({entry['detail']})"
        places = ", ".join(_place(p["path"], p["line"], source_url) for p in entry["places"])
        lines.append(f"- [ ] <{entry['address']}> is {found}: edit {places}")
        if entry["hint"]:
            lines.append(f"  - {_sentence(entry['hint'])}")
    unchecked = [e for e in entries if e["outcome"] in (TIMED_OUT, RATE_LIMITED)]
    if unchecked:
        lines += ["", "Not checked this time (nothing to edit unless it happens every week):"]
        lines += [f"- <{e['address']}>: {e['outcome']} ({e['detail']})" for e in unchecked]
    return [*lines, ""]


def _check_section(output: str, source_url: str) -> list[str]:
    lines = ["### Contact details and review dates", ""]
    found = False
    for line in output.splitlines():
        if match := _DIAGNOSTIC.fullmatch(line.rstrip()):
            where = _place(match["path"], int(match["line"]), source_url)
            lines.append(f"- [ ] {where}: {_sentence(match['text'])}")
            found = True
        elif found and (hint := _HINT.fullmatch(line.rstrip())):
            lines.append(f"  - {_sentence(hint['text'])}")
    if not found:
        lines.append("Nothing to re-check.")
    return [*lines, ""]


def _place(path: str, line: int, source_url: str) -> str:
    text = f"`{path}` line {line}"
    return f"[{text}]({source_url.rstrip('/')}/{path}#L{line})" if source_url else text


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m esafety_docs.linkcheck.freshness")
    parser.add_argument("--date", required=True, help="the date the checks ran, YYYY-MM-DD")
    parser.add_argument("--links", type=Path, required=True, help="linkcheck's --json report")
    parser.add_argument("--check", type=Path, required=True, help="what check --strict printed")
    parser.add_argument("--source-url", default="", help="address of the files at this commit")
    args = parser.parse_args(argv)
    try:
        links = json.loads(args.links.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        links = None  # the link check stopped before writing its report
    try:
        check_output = args.check.read_text(encoding="utf-8")
    except OSError as error:
        print(f"freshness: error: cannot read {str(args.check)!r}: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(findings_markdown(args.date, links, check_output, args.source_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
