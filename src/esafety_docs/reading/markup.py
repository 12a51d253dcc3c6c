"""The inline Markdown subset used in prose fields: **bold**, *italic*, [links](https://...).

Parsed with markdown-it-py (a CommonMark parser), so emphasis and link rules
behave as in every Markdown editor. `<https://...>` and a bare `https://...`
address become links too (markdown-it's autolink rule and linkify-it-py).
Raw HTML tags are recognised only to be refused; a lone `<`, `>` or `&` is
ordinary text and prints exactly as typed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from .model import Emph, Inline, Inlines, Link, Strong, Text, plain_text

_RULES = ["emphasis", "link", "autolink", "escape", "image", "backticks", "html_inline"]


def _parser(linkify: bool) -> MarkdownIt:
    """The inline parser. Images, `code` and raw HTML are recognised only to be refused."""
    parser = MarkdownIt("zero", {"html": True, "linkify": linkify}).enable(
        [*_RULES, "linkify"] if linkify else _RULES
    )
    if linkify:
        # Only addresses written out with their scheme become links: "www.example.org"
        # or "name@example.org" in a sentence stay text, as typed.
        assert parser.linkify is not None, "install markdown-it-py with its linkify extra"
        parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    # markdown-it silently leaves javascript:, file: and data: links as text; let every
    # target through so check_url can name the problem instead.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


_PARSER = _parser(linkify=False)


@functools.cache
def _linking_parser() -> MarkdownIt:
    """The parser that also links bare addresses; its patterns take a while to build,
    so it is made only when some text holds one."""
    return _parser(linkify=True)


@dataclass(frozen=True)
class MarkupProblem:
    """Something in a prose field outside the supported subset."""

    message: str
    hint: str
    severity: str = "error"
    at: str = ""  # the text at fault as typed (an address, a tag), to point at it


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
            url,
        )
    return MarkupProblem(
        f"{url!r} is not a full https:// web address",
        "write the whole address, starting https:// (for example https://www.ddscp.org.uk)",
        at=url,
    )


# Link text that says nothing about where the link goes (WCAG 2.2, 2.4.4 link purpose).
VAGUE_LINK_TEXT = frozenset(
    {
        "click here",
        "click",
        "here",
        "read more",
        "more",
        "more info",
        "more information",
        "find out more",
        "learn more",
        "this link",
        "link",
        "this",
        "this page",
        "website",
        "this website",
        "go",
    }
)
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+\Z|\S+\.(?:uk|org|com|net|gov|police)\S*\Z")


def is_vague_link_text(text: str) -> bool:
    """Whether link text says nothing of where it goes; the check and the audit of
    the built files ask the same question, so `check` stops where `build` would."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()) in VAGUE_LINK_TEXT


def check_link_text(text: str, url: str) -> MarkupProblem | None:
    """An error when link text does not say where the link goes ("click here", "read
    more"), which the build's accessibility audit refuses too; a warning for the
    address itself where words describing the page belong."""
    better = f"[name of the page on {urlsplit(url).netloc or url}]({url})"
    if is_vague_link_text(text):
        return MarkupProblem(
            f"the link text {text!r} does not say where the link goes, so the build would "
            "stop on it (screen-reader users often hear link text alone)",
            f"put words that say where it goes inside the brackets: {better}, not [{text}]({url})",
            "error",
            url,
        )
    if _ADDRESS.match(text.strip()):
        return MarkupProblem(
            f"the link text is the address {text!r}: screen readers read it out character "
            "by character, and it does not say what the page is",
            f"put words that say where it goes inside the brackets: {better}",
            "warning",
            url,
        )
    return None


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
    blocks = _PARSER.parseInline(text.strip())
    if any(t.type == "text" and "://" in t.content for b in blocks for t in b.children or []):
        blocks = _linking_parser().parseInline(text.strip())
    for block in blocks:
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
                    # An address written as itself (<https://...> or bare) is shown on
                    # purpose; only [text](url) has text that should describe the page.
                    if token.markup not in ("autolink", "linkify"):
                        unclear = check_link_text(plain_text(node.children), url)
                        problems += [unclear] if unclear else []
                stack[-1][2].append(node)
            elif kind == "html_inline":
                problems.append(
                    MarkupProblem(
                        f"HTML such as {token.content!r} is not supported in text",
                        "use **bold** or *italic*; to show the tag itself, put a backslash "
                        "before the < (\\<)",
                        at=token.content,
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
