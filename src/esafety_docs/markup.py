"""The inline Markdown subset used in prose fields: **bold**, *italic*, [links](https://...).

Parsed with markdown-it-py (a CommonMark parser) so emphasis and link rules
behave as every Markdown editor does. Raw HTML is not enabled, so `<b>` or
`&amp;` in a source stays literal text and is printed exactly as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from .model import Emph, Inline, Inlines, Link, Strong, Text

# "image" is enabled only so an image can be recognised and refused.
_PARSER = MarkdownIt("zero").enable(["emphasis", "link", "escape", "image", "backticks"])


@dataclass(frozen=True)
class MarkupProblem:
    """Something in a prose field outside the supported subset."""

    message: str
    hint: str


def check_url(url: str) -> MarkupProblem | None:
    """Web addresses must be absolute https:// addresses a reader can open."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return None
    if parts.scheme == "http" and parts.netloc:
        return None  # allowed; the checks warn about it
    return MarkupProblem(
        f"web address {url!r} is not a full https:// address",
        "write the whole address, starting https:// (for example https://www.ddscp.org.uk)",
    )


def parse_inline(text: str) -> tuple[Inlines, list[MarkupProblem]]:
    """Turn one prose string into inline nodes, with any problems found."""
    problems: list[MarkupProblem] = []
    # Each frame is (kind, url, children) for an open strong/em/link.
    stack: list[tuple[str, str, list[Inline]]] = [("root", "", [])]
    for block in _PARSER.parseInline(text.strip()):
        for token in block.children or []:
            kind = token.type
            if kind == "text":
                _append_text(stack[-1][2], " ".join(token.content.split("\n")))
            elif kind in ("softbreak", "hardbreak"):
                _append_text(stack[-1][2], " ")
            elif kind in ("strong_open", "em_open"):
                stack.append((kind, "", []))
            elif kind == "link_open":
                url = str(token.attrs.get("href", ""))
                problem = check_url(url)
                if problem:
                    problems.append(problem)
                stack.append((kind, url, []))
            elif kind in ("strong_close", "em_close", "link_close"):
                opened, url, children = stack.pop()
                node: Inline
                if opened == "strong_open":
                    node = Strong(tuple(children))
                elif opened == "em_open":
                    node = Emph(tuple(children))
                else:
                    node = Link(url, tuple(children))
                stack[-1][2].append(node)
            elif kind == "image":
                problems.append(
                    MarkupProblem(
                        "images are not supported in text",
                        "remove the ![...](...) image; the pack has no pictures in text",
                    )
                )
            elif kind == "code_inline":
                problems.append(
                    MarkupProblem(
                        "`code` formatting is not supported",
                        "remove the backticks around the words",
                    )
                )
            else:  # pragma: no cover - the enabled rules produce only the tokens above
                problems.append(
                    MarkupProblem(f"unsupported formatting ({kind})", "use plain words")
                )
    return tuple(stack[0][2]), problems


def _append_text(children: list[Inline], text: str) -> None:
    """Merge adjacent text so renderers see one run per stretch of plain words."""
    if children and isinstance(children[-1], Text):
        children[-1] = Text(children[-1].text + text)
    else:
        children.append(Text(text))
