"""The brand's colours: palette names or #RRGGBB for each role, and the WCAG 2.2
contrast every pair of text and background colours must meet, with a hint that
says which colour to make lighter or darker."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from .schema import Field

if TYPE_CHECKING:
    from .reader import YamlReader

ROLES = ("foreground", "background", "primary", "muted", "light", "link")
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\Z")

# (text role, background role, minimum ratio, where the pair is used). Every pair
# carries text below 18pt (or 14pt bold), so each needs the 4.5:1 of body text.
CONTRAST_PAIRS = (
    ("foreground", "background", 4.5, "body text"),
    ("muted", "background", 4.5, "page header and footer"),
    ("link", "background", 4.5, "links"),
    ("primary", "background", 4.5, "headings"),
    ("background", "primary", 4.5, "table header row"),
    ("foreground", "light", 4.5, "shaded table rows"),
    ("link", "light", 4.5, "links in shaded table rows"),
)


def read_colours(
    reader: YamlReader, node: yaml.Node, spec: dict[str, Field]
) -> dict[str, str] | None:
    """The role -> #RRGGBB colours of brand.yaml's `color`, each pair of text and
    background checked for contrast; None after reporting what is wrong."""
    fields = reader.mapping(node, spec, "color")
    if fields is None or "palette" not in fields:
        return None
    palette_node = fields["palette"]
    palette: dict[str, str] = {}
    palette_nodes: dict[str, yaml.Node] = {}
    if isinstance(palette_node, yaml.MappingNode):
        for key, value in palette_node.value:
            color = reader.text(value, f"palette colour {key.value}")
            if color and not _HEX.match(color):
                reader.error(value, f"{color!r} is not a colour", "write it as #RRGGBB")
            elif color:
                palette[str(key.value)] = color.upper()
                palette_nodes[str(key.value)] = value
    colors: dict[str, str] = {}
    # Where each role's colour is written: its palette entry, or the role's own line.
    written: dict[str, tuple[str, yaml.Node]] = {}
    get = reader.values(fields)
    for role in ROLES:
        value = get(role)
        if value is None:
            continue
        if value in palette:
            written[role] = (f"{role} ({value})", palette_nodes[value])
        else:
            written[role] = (role, fields[role])
        resolved = palette.get(value, value.upper())
        if not _HEX.match(resolved):
            reader.error(
                fields[role],
                f"colour {value!r} for {role} is neither a palette name nor #RRGGBB",
                f"use one of: {', '.join(palette)}" if palette else "write it as #RRGGBB",
            )
            continue
        colors[role] = resolved
    if len(colors) < len(ROLES):
        return None
    for text, background, minimum, usage in CONTRAST_PAIRS:
        ratio = contrast_ratio(colors[text], colors[background])
        if ratio < minimum:
            moves = _contrast_moves(text, colors[text], background, colors[background])
            # Point at the colour to change when there is only one way to go.
            at = written[moves[0][0]][1] if len(moves) == 1 else fields[text]
            reader.error(
                at,
                f"{text} {colors[text]} on {background} {colors[background]} has contrast "
                f"{ratio:.2f}:1, below the {minimum}:1 WCAG 2.2 AA needs for {usage}",
                "make " + " or ".join(f"{written[role][0]} {way}" for role, way in moves),
            )
    return colors


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.2 contrast ratio of two #RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def relative_luminance(color: str) -> float:
    """WCAG 2.2 relative luminance of a #RRGGBB colour (0 black to 1 white)."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_moves(
    text: str, text_color: str, background: str, background_color: str
) -> list[tuple[str, str]]:
    """Which way each colour can move: the lighter one lighter, the darker one darker
    (white text on teal needs a darker teal, not a darker white). (role, way) pairs."""
    if relative_luminance(text_color) >= relative_luminance(background_color):
        lighter, darker = (text, text_color), (background, background_color)
    else:
        lighter, darker = (background, background_color), (text, text_color)
    moves = []
    if lighter[1] != "#FFFFFF":
        moves.append((lighter[0], "lighter"))
    if darker[1] != "#000000":
        moves.append((darker[0], "darker"))
    return moves
