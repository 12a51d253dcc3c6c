"""The page every HTML output shares: escaping, links, head, brand CSS, header, footer.

Everything that comes from the sources passes through `text()` (html.escape), so
no source can add markup or script. Link targets are only ever https, http,
mailto or tel; any other scheme is printed as text instead of becoming a link.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from ...reading.brand import Brand
from ...reading.model import Emph, Inlines, Link, Strong, Text
from ..common import Address, break_points
from .webfonts import font_face_css

LANG = "en-GB"
_SAFE_SCHEMES = ("https", "http", "mailto", "tel")
_FONT_FAMILY = "Brand Sans"


def text(value: str) -> str:
    """Source text as HTML text or attribute value: <, >, &, " and ' escaped."""
    return html.escape(value, quote=True)


def inlines(nodes: Inlines) -> str:
    """Inline nodes as HTML: strong, em and a, with every text escaped."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Address):  # on paper only: on screen the link is enough
            parts.append(f'<span class="print-only address">{breakable(node.text)}</span>')
        elif isinstance(node, Text):
            parts.append(text(node.text))
        elif isinstance(node, Strong):
            parts.append(f"<strong>{inlines(node.children)}</strong>")
        elif isinstance(node, Emph):
            parts.append(f"<em>{inlines(node.children)}</em>")
        elif isinstance(node, Link):
            shown = "".join(c.text for c in node.children if isinstance(c, Text))
            if len(node.children) == 1 and shown and not any(c.isspace() for c in shown):
                label = breakable(shown)  # the address itself is the link's text
            else:
                label = inlines(node.children)
            parts.append(link(node.url, label))
    return "".join(parts)


@dataclass(frozen=True)
class Furniture:
    """The running header and footer of a printed page (CSS page-margin boxes)."""

    title: str
    mark: str  # "DRAFT" or ""
    short_name: str
    version: str
    partnership: str  # the brand's footer line, above the version as in the PDF
    margins: str = "2cm 2cm 2.2cm"  # a one-page sheet uses more of the paper

    def css(self) -> str:
        """The margin boxes; the page's own footer is left off paper, as they carry it
        (printed after the last line, it could take a page of its own)."""
        header = f"{self.mark}  {self.short_name}".strip()
        boxes = {
            "top-left": _css_string(self.title),
            "top-right": _css_string(header),
            "bottom-left": f'{_css_string(self.partnership)} "\\A" {_css_string(self.version)}',
            "bottom-right": '"Page " counter(page) " of " counter(pages)',
        }
        rules = "".join(
            f"@{box}{{content:{content};font-size:8pt;color:var(--muted);"
            f"font-family:var(--font),sans-serif;white-space:pre;}}"
            for box, content in boxes.items()
        )
        return (
            f"\n@media print{{@page{{margin:{self.margins};{rules}}}"
            "footer.site{display:none;}}\n"
        )

    def text(self) -> str:
        return (
            self.title
            + self.mark
            + self.short_name
            + self.partnership
            + self.version
            + "Page of 0123456789"
        )


def _css_string(value: str) -> str:
    """A CSS string literal; no source text can close it or the style element."""
    escaped = "".join(c if c.isalnum() or c in " ,.-'" else f"\\{ord(c):x} " for c in value)
    return f'"{escaped}"'


def breakable(address: str) -> str:
    """An escaped address that may wrap after '/', '.' or '-' (and nowhere else)."""
    return "<wbr>".join(text(part) for part in break_points(address))


def link(url: str, label_html: str) -> str:
    """An <a>, or just the label when the address is not one a page may link to."""
    if urlsplit(url).scheme.lower() not in _SAFE_SCHEMES:
        return label_html
    return f'<a href="{text(url)}">{label_html}</a>'


def page(
    title: str,
    body: str,
    brand: Brand,
    description: str = "",
    footer_note: str = "",
    furniture: Furniture | None = None,
    body_class: str = "",
    feed: str = "",
) -> str:
    """A complete page: head with the brand's CSS and fonts, skip link, header, `body`.

    `body` is the already-escaped content of <main>; `description` is plain text.
    `furniture` is what every printed page carries in its margins; `feed` names an
    Atom feed beside the page, announced so feed readers find it.
    """
    print_css = furniture.css() if furniture else ""
    body_open = f'<body class="{text(body_class)}">' if body_class else "<body>"
    visible = html.unescape(title + description + body + brand.footer + footer_note)
    visible += furniture.text() if furniture else ""
    note = f"<p>{text(footer_note)}</p>" if footer_note else ""
    meta = f'<meta name="description" content="{text(description)}">\n' if description else ""
    if feed:
        meta += (
            f'<link rel="alternate" type="application/atom+xml" title="Releases" '
            f'href="{text(feed)}">\n'
        )
    logo = base64.b64encode(brand.logo.read_bytes()).decode("ascii")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n{meta}"
        f"<style>\n{font_face_css(brand.font, _FONT_FAMILY, visible)}\n"
        f"{_brand_variables(brand)}\n{_stylesheet()}{print_css}</style>\n</head>\n"
        f"{body_open}\n"
        '<a class="skip-link" href="#main">Skip to main content</a>\n'
        '<header class="site"><div class="wrap">'
        f'<img src="data:image/png;base64,{logo}" alt="{text(brand.logo_alt)}">'
        "</div></header>\n"
        f'<main id="main" class="wrap">\n{body}</main>\n'
        f'<footer class="site"><div class="wrap"><p>{text(brand.footer)}</p>{note}</div></footer>\n'
        "</body>\n</html>\n"
    )


def _brand_variables(brand: Brand) -> str:
    roles = ("foreground", "background", "primary", "muted", "light", "link")
    colours = "".join(f"--{role}:{brand.color(role)};" for role in roles)
    return f':root{{{colours}--font:"{_FONT_FAMILY}";--line-height:{brand.line_height};}}'


def _stylesheet() -> str:
    return (
        resources.files("esafety_docs.render.html").joinpath("page.css").read_text(encoding="utf-8")
    )
