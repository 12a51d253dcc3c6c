"""The page every HTML output shares: escaping, links, head, brand CSS, header, footer.

Everything that comes from the sources passes through `text()` (html.escape), so
no source can add markup or script. Link targets are only ever https, http,
mailto or tel; any other scheme is printed as text instead of becoming a link.
"""

from __future__ import annotations

import base64
import html
from importlib import resources
from urllib.parse import urlsplit

from ..brand import Brand
from ..model import Emph, Inlines, Link, Strong, Text
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
        if isinstance(node, Text):
            parts.append(text(node.text))
        elif isinstance(node, Strong):
            parts.append(f"<strong>{inlines(node.children)}</strong>")
        elif isinstance(node, Emph):
            parts.append(f"<em>{inlines(node.children)}</em>")
        elif isinstance(node, Link):
            parts.append(link(node.url, inlines(node.children)))
    return "".join(parts)


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
    feed: str = "",
) -> str:
    """A complete page: head with the brand's CSS and fonts, skip link, header, `body`.

    `body` is the already-escaped content of <main>; `description` is plain text;
    `feed` names an Atom feed beside the page, announced so feed readers find it.
    """
    visible = html.unescape(title + description + body + brand.footer + footer_note)
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
        f"{_brand_variables(brand)}\n{_stylesheet()}</style>\n</head>\n<body>\n"
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
    return resources.files("esafety_docs.render").joinpath("page.css").read_text(encoding="utf-8")
