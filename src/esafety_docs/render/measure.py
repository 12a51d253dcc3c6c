"""How wide a line of text is in a brand font, without a layout engine.

The DOCX renderer cannot ask a word processor how wide its running header will
be; the font's own advance widths (read once with fontTools) tell it, so a long
title can be shortened to fit before it wraps onto a second line.
"""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def _advances(font: Path) -> tuple[dict[int, int], int, int]:
    from fontTools.ttLib import TTFont

    table = TTFont(str(font), lazy=True)
    metrics = table["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in table.getBestCmap().items()}
    return widths, table["head"].unitsPerEm, metrics[".notdef"][0]


def text_width(font: Path, text: str, size: float) -> float:
    """The width of `text` set in `font` at `size` points, in points."""
    widths, units, missing = _advances(font)
    return sum(widths.get(ord(char), missing) for char in text) * size / units
