"""The inline Markdown subset used in prose fields: **bold**, *italic*, [links](https://...).

Parsed with markdown-it-py (a CommonMark parser), so emphasis and link rules
behave as in every Markdown editor. Raw HTML tags are recognised only to be
refused; a lone `<`, `>` or `&` is ordinary text and prints exactly as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from .model import Emph, Inline, Inlines, Link, Strong, Text

# "image", "backticks" and "html_inline" are enabled only so they can be refused.
_PARSER = MarkdownIt("zero", {"html": True}).enable(
    ["emphasis", "link", "escape", "image", "backticks", "html_inline"]
)
# markdown-it silently leaves javascript:, file: and data: links as text; let every
# target through so check_url can name the problem instead.
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]


@dataclass(frozen=True)
class MarkupProblem:
    """Something in a prose field outside the supported subset."""

    message: str
    hint: str
    severity: str = "error"


def check_url(url: str) -> MarkupProblem | None:
    """Web addresses must be absolute https:// addresses (http:// is only warned about)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return None
    if parts.scheme == "http" and parts.netloc:
        return MarkupProblem(
            f"{url!r} is not a secure (https://) address",
            "use the https:// address if the site has one",
            "warning",
        )
    return MarkupProblem(
        f"{url!r} is not a full https:// web address",
        "write the whole address, starting https:// (for example https://www.ddscp.org.uk)",
    )


_REFUSED = {
    "image": MarkupProblem(
        "images are not supported in text", "remove the ![...](...) image from the text"
    ),
    "code_inline": MarkupProblem(
        "`code` formatting is not supported", "remove the backticks around the words"
    ),
}


def parse_inline(text: str) -> tuple[Inlines, list[MarkupProblem]]:
    """Turn one prose string into inline nodes, with any problems found."""
    problems: list[MarkupProblem] = []
    # Each frame is (opening token type, url, children) for an open strong/em/link.
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
            elif kind == "html_inline":
                problems.append(
                    MarkupProblem(
                        f"HTML such as {token.content!r} is not supported in text",
                        "use **bold** or *italic*; to show the tag itself, put a backslash "
                        "before the < (\\<)",
                    )
                )
            else:
                problems.append(
                    _REFUSED.get(
                        kind, MarkupProblem(f"unsupported formatting ({kind})", "use plain words")
                    )
                )
    return tuple(stack[0][2]), problems


def _append_text(children: list[Inline], text: str) -> None:
    """Merge adjacent text so renderers see one run per stretch of plain words."""
    if children and isinstance(children[-1], Text):
        children[-1] = Text(children[-1].text + text)
    else:
        children.append(Text(text))
