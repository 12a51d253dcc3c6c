"""templates/brand.yaml -> Brand: everything visual the renderers need, checked once.

Keys follow the brand.yml schema (meta, logo, color, typography) plus `footer`.
Colour roles name a palette entry or give #RRGGBB, and text/background pairs must
meet WCAG 2.2 AA contrast (see `colours`); every file named must be inside the
templates folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .colours import ROLES, read_colours
from .diagnostics import Reporter, SourceError
from .reader import ReadContext, YamlReader
from .schema import Field

BRAND_FILE = "brand.yaml"

_BRAND = {
    "meta": Field("mapping", True, "Names of the publisher."),
    "logo": Field("mapping", True, "Logo images and their alt text."),
    "color": Field("mapping", True, "Palette and colour roles."),
    "typography": Field("mapping", True, "Font files and sizes."),
    "footer": Field("mapping", True, "Footer text on every page."),
}
_META = {
    "name": Field("mapping", True, "`short` and `full` names."),
    "link": Field("url", True, "The publisher's web site."),
}
_NAME = {"short": Field("text", True, "Short name."), "full": Field("text", True, "Full name.")}
_LOGO = {
    "images": Field("mapping", True, "Named logo images."),
    "small": Field("text", False, "Image name for small sizes."),
    "medium": Field("text", True, "Image name used on covers."),
    "large": Field("text", False, "Image name for large sizes."),
}
_IMAGE = {
    "path": Field("text", True, "File inside templates/."),
    "alt": Field("text", True, "What a screen reader says."),
}
_COLOR = {"palette": Field("mapping", True, "Named colours.")} | {
    role: Field("text", True, f"Palette name or #RRGGBB for {role}.") for role in ROLES
}
_TYPOGRAPHY = {
    "fonts": Field("fonts", True, "Font families and their files."),
    "base": Field("mapping", True, "Body text family, size and line height."),
    "headings": Field("mapping", False, "Heading family, weight and colour."),
    "link": Field("mapping", False, "Link colour."),
}
_FONT = {
    "family": Field("text", True, "Family name."),
    "source": Field("text", True, "Must be `files`."),
    "files": Field("files", True, "The TTF files."),
}
_FONT_FILE = {
    "path": Field("text", True, "TTF file inside templates/."),
    "weight": Field("text", True, "400 or 700."),
    "style": Field("text", True, "normal or italic."),
}
_BASE = {
    "family": Field("text", True, "Body font family."),
    "size": Field("number", True, "Body size in points."),
    "line-height": Field("number", True, "Line height as a multiple of the size."),
}
_FOOTER = {"text": Field("text", True, "Footer text.")}

_FACES = {("400", "normal"): "regular", ("700", "normal"): "bold"}
_FACES |= {("400", "italic"): "italic", ("700", "italic"): "bold_italic"}


@dataclass(frozen=True)
class FontFiles:
    """The four faces of one family, as resolved paths inside templates/."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def all(self) -> list[Path]:
        return [self.regular, self.bold, self.italic, self.bold_italic]


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


def load_brand(templates: Path, reporter: Reporter) -> Brand:
    """Read and check brand.yaml; raise SourceError listing every problem."""
    reader = _BrandReader(templates, reporter)
    brand = reader.read()
    if brand is None or reporter.errors:
        raise SourceError(reporter.diagnostics)
    return brand


class _BrandReader(YamlReader):
    known_keys = frozenset(
        key for spec in (_BRAND, _META, _NAME, _LOGO, _IMAGE, _COLOR, _TYPOGRAPHY) for key in spec
    ) | frozenset([*_FONT, *_FONT_FILE, *_BASE, *_FOOTER])

    def __init__(self, templates: Path, reporter: Reporter) -> None:
        super().__init__(templates / BRAND_FILE, reporter, ReadContext())
        self.templates = templates

    def read(self) -> Brand | None:
        top = self.read_root(_BRAND, "the brand file")
        if top is None or len(top) < len(_BRAND):
            return None
        meta = self.mapping(top["meta"], _META, "meta")
        names = self.mapping(meta["name"], _NAME, "meta.name") if meta and "name" in meta else None
        colors = read_colours(self, top["color"], _COLOR)
        font, size, line_height = self._typography(top["typography"])
        logo = self._logo(top["logo"])
        footer = self.mapping(top["footer"], _FOOTER, "footer")
        if None in (meta, names, colors, font, size, logo, footer):
            return None
        assert meta and names and colors and font and size and line_height and logo and footer
        return Brand(
            name=self.values(names)("full"),
            short_name=self.values(names)("short"),
            link=self.values(meta)("link"),
            colors=colors,
            font=font,
            base_size=size,
            line_height=line_height,
            logo=logo[0],
            logo_alt=logo[1],
            footer=self.values(footer)("text"),
        )

    def _typography(self, node: yaml.Node) -> tuple[FontFiles | None, float | None, float | None]:
        fields = self.mapping(node, _TYPOGRAPHY, "typography")
        if fields is None or "base" not in fields or "fonts" not in fields:
            return None, None, None
        base = self.mapping(fields["base"], _BASE, "typography.base")
        if base is None:
            return None, None, None
        get = self.values(base)
        family = get("family")
        for font_node in self.sequence(fields["fonts"], "fonts"):
            font = self.mapping(font_node, _FONT, "a font")
            if font and self.values(font)("family") == family:
                return self._font_files(family, font["files"]), get("size"), get("line-height")
        self.error(
            base.get("family"),
            f"no font in typography.fonts has the family {family!r}",
            "add the font's files under typography.fonts",
        )
        return None, None, None

    def _font_files(self, family: str, node: yaml.Node) -> FontFiles | None:
        faces: dict[str, Path] = {}
        unusable = False
        for item in self.sequence(node, "files"):
            face = self.mapping(item, _FONT_FILE, "a font file")
            if face is None:
                continue
            get = self.values(face)
            slot = _FACES.get((get("weight"), get("style")))
            if slot is None:
                self.error(item, "a font file must be weight 400 or 700, style normal or italic")
                continue
            path = self._path(face["path"], get("path"))
            if path:
                faces[slot] = path
            unusable = unusable or path is None
        missing = [slot for slot in _FACES.values() if slot not in faces]
        if missing and not unusable:  # a bad path is already reported
            self.error(
                node,
                f"the font {family!r} needs a {', '.join(missing)} face",
                "list four files: weight 400 and 700, each normal and italic",
            )
            return None
        return None if missing else FontFiles(family=family, **faces)

    def _logo(self, node: yaml.Node) -> tuple[Path, str] | None:
        fields = self.mapping(node, _LOGO, "logo")
        if fields is None or "images" not in fields or "medium" not in fields:
            return None
        chosen = self.values(fields)("medium")
        images = fields["images"]
        if not isinstance(images, yaml.MappingNode):
            self.error(images, "logo.images should be named images", "see templates/README.md")
            return None
        for key, value in images.value:
            if key.value == chosen:
                image = self.mapping(value, _IMAGE, f"logo image {chosen}")
                if image is None:
                    return None
                path = self._path(image["path"], self.values(image)("path"))
                alt = self.values(image)("alt")
                return (path, alt) if path and alt else None
        self.error(fields["medium"], f"there is no logo image called {chosen!r}", "fix the name")
        return None

    def _path(self, node: yaml.Node, relative: str | None) -> Path | None:
        """A file named by the brand; refused if missing or if it leads out of templates/."""
        if relative is None:
            return None
        root = self.templates.resolve()
        target = (self.templates / relative).resolve()
        if Path(relative).is_absolute() or not target.is_relative_to(root):
            self.error(
                node,
                f"{relative!r} is outside the templates folder",
                "put the file in templates/ and give its path relative to that folder",
            )
            return None
        if not target.is_file():
            self.error(node, f"{relative!r} does not exist in the templates folder", "check it")
            return None
        return target
