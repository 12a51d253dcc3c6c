"""The problems that stop the preview, as terminal text and as a panel over the page.

Both show, for each problem, where it is (`file:line:column`, which editors can
jump to), the message, the line of YAML at fault with a caret under the column,
and the hint. Everything taken from the sources is escaped in the panel.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ..reading.diagnostics import Diagnostic, summary

PANEL_ID = "esafety-preview-problems"


def offending_line(diagnostic: Diagnostic) -> tuple[str, str] | None:
    """The source line a problem points at and a caret line under its column, or None
    when the file or line cannot be read (a missing file, a problem about a whole file)."""
    try:
        lines = Path(diagnostic.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if not 1 <= diagnostic.line <= len(lines):
        return None
    line = lines[diagnostic.line - 1]
    # Copy tabs so the caret sits under the same character however tabs are shown.
    lead = "".join(c if c == "\t" else " " for c in line[: max(diagnostic.column - 1, 0)])
    return line, lead + "^"


def excerpt(diagnostic: Diagnostic) -> list[str]:
    """'   12 | phone: ...' and the caret line beneath, numbered like an editor's gutter."""
    found = offending_line(diagnostic)
    if found is None:
        return []
    line, caret = found
    number = str(diagnostic.line)
    return [f"{number:>5} | {line}", f"{'':>5} | {caret}"]


def terminal_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Each problem as the CLI prints it, with the offending line under its first line."""
    blocks = []
    for diagnostic in diagnostics:
        first, *rest = diagnostic.format().splitlines()
        blocks.append("\n".join([first, *excerpt(diagnostic), *rest]))
    if diagnostics:
        blocks.append(summary(list(diagnostics)))
    return "\n".join(blocks)


def panel_html(
    diagnostics: Sequence[Diagnostic], messages: Sequence[str] = (), built: bool = True
) -> str:
    """A fixed panel at the top of the page; the last good preview (if `built`) stays
    beneath it."""
    # Errors first: they are what keeps the preview out of date; warnings only advise.
    items = [_item(d) for d in sorted(diagnostics, key=lambda d: d.severity != "error")]
    items += [f"<li><p>{html.escape(message)}</p></li>" for message in messages]
    count = summary(list(diagnostics)) if diagnostics else "a problem"
    beneath = "Below is the last version that built." if built else "Nothing has built yet."
    return (
        f'<section id="{PANEL_ID}" role="alert" aria-labelledby="{PANEL_ID}-title">'
        f"<style>{_CSS}</style>"
        f'<h2 id="{PANEL_ID}-title">The preview is out of date: {html.escape(count)}</h2>'
        f"<p>{beneath} Fix these problems in the sources "
        "and save: the preview comes back by itself.</p>"
        f"<ol>{''.join(items)}</ol></section>"
    )


def _item(diagnostic: Diagnostic) -> str:
    where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    parts = [
        f'<p><code class="where">{html.escape(where)}</code> '
        f'<strong class="{html.escape(diagnostic.severity)}">{html.escape(diagnostic.severity)}'
        f"</strong>: {html.escape(diagnostic.message)}</p>"
    ]
    lines = excerpt(diagnostic)
    if lines:
        parts.append(f"<pre>{html.escape(chr(10).join(lines))}</pre>")
    if diagnostic.hint:
        parts.append(f'<p class="hint">Hint: {html.escape(diagnostic.hint)}</p>')
    return f"<li>{''.join(parts)}</li>"


_CSS = f"""
#{PANEL_ID}{{position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;
margin:0;padding:1rem 1.5rem;background:#fff;color:#0b0c0c;border-bottom:6px solid #b10e1e;
box-shadow:0 4px 12px rgba(0,0,0,.35);font:16px/1.45 system-ui,sans-serif}}
#{PANEL_ID} h2{{margin:0 0 .5rem;font-size:1.25rem;color:#b10e1e}}
#{PANEL_ID} ol{{margin:0;padding-left:1.5rem}}
#{PANEL_ID} li{{margin:.75rem 0}}
#{PANEL_ID} p{{margin:.25rem 0}}
#{PANEL_ID} pre{{margin:.25rem 0;padding:.5rem;background:#f3f2f1;color:#0b0c0c;overflow:auto;
font:14px/1.4 ui-monospace,monospace;tab-size:4}}
#{PANEL_ID} .error{{color:#b10e1e}}
#{PANEL_ID} .warning{{color:#594d00}}
"""
