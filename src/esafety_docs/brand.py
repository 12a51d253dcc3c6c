"""templates/brand.yaml -> Brand: everything visual that renderers need, resolved once.

Colour roles may name a palette entry or give a hex value; every file the brand
names must stay inside the templates folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .diagnostics import Reporter, SourceError

BRAND_FILE = "brand.yaml"
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\Z")


@dataclass(frozen=True)
class FontFiles:
    """The four faces of one family, as paths inside templates/."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Brand:
    """Resolved brand: hex colours by role, one font family, logo, footer."""

    name: str
    short_name: str
    link: str
    colors: dict[str, str]  # role -> "#RRGGBB"
    font: FontFiles
    base_size: float
    line_height: float
    logo: Path
    logo_alt: str
    footer: str

    def color(self, role: str) -> str:
        return self.colors[role]


def default_templates() -> Path:
    """templates/ beside the sources, found from the working folder."""
    return Path("templates")


def load_brand(templates: Path, reporter: Reporter) -> Brand:
    """Read brand.yaml; raise SourceError with positions for anything wrong."""
    path = templates / BRAND_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        reporter.error(path, None, "the brand file is missing", "restore templates/brand.yaml")
        raise SourceError(reporter.diagnostics) from None
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        mark = getattr(exc, "problem_mark", None)
        reporter.error(path, mark, f"the brand file cannot be read: {exc}", "check its YAML")
        raise SourceError(reporter.diagnostics) from None

    try:
        palette: dict[str, str] = raw["color"]["palette"]
        colors = {
            role: _resolve_color(value, palette)
            for role, value in raw["color"].items()
            if role != "palette"
        }
        family = raw["typography"]["base"]["family"]
        font_entry = next(f for f in raw["typography"]["fonts"] if f["family"] == family)
        faces = {(f["weight"], f["style"]): f["path"] for f in font_entry["files"]}
        logo_name = raw["logo"]["medium"]
        logo = raw["logo"]["images"][logo_name]
        brand = Brand(
            name=raw["meta"]["name"]["full"],
            short_name=raw["meta"]["name"]["short"],
            link=raw["meta"]["link"],
            colors=colors,
            font=FontFiles(
                family=family,
                regular=_inside(templates, faces[(400, "normal")]),
                bold=_inside(templates, faces[(700, "normal")]),
                italic=_inside(templates, faces[(400, "italic")]),
                bold_italic=_inside(templates, faces[(700, "italic")]),
            ),
            base_size=float(raw["typography"]["base"]["size"]),
            line_height=float(raw["typography"]["base"]["line-height"]),
            logo=_inside(templates, logo["path"]),
            logo_alt=logo["alt"],
            footer=raw["footer"]["text"],
        )
    except (KeyError, TypeError, StopIteration, ValueError) as exc:
        reporter.error(
            path,
            None,
            f"the brand file is incomplete or wrong: {exc}",
            "compare it with the keys documented in templates/README.md",
        )
        raise SourceError(reporter.diagnostics) from None
    return brand


def _resolve_color(value: str, palette: dict[str, str]) -> str:
    color = palette.get(value, value)
    if not isinstance(color, str) or not _HEX.match(color):
        raise ValueError(f"colour {value!r} is not a palette name or #RRGGBB")
    return color.upper()


def _inside(templates: Path, relative: str) -> Path:
    """A file named by the brand, refused if it is missing or leads out of templates/."""
    root = templates.resolve()
    target = (templates / relative).resolve()
    if not target.is_relative_to(root):
        raise ValueError(f"{relative!r} is outside the templates folder")
    if not target.is_file():
        raise ValueError(f"{relative!r} does not exist in the templates folder")
    return target
