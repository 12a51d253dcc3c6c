"""Which characters a TrueType font can draw, read from its cmap table.

A few dozen lines of struct reading instead of importing reportlab, so
`esafety-docs check` stays fast and can still say which character would print
as a blank box in the PDF.
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path


@cache
def drawable(path: Path) -> frozenset[int]:
    """Code points mapped to a glyph by the font's Unicode cmap (formats 4 and 12)."""
    data = path.read_bytes()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    cmap = None
    for index in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"cmap":
            cmap = offset
    if cmap is None:
        raise ValueError(f"{path.name} has no cmap table")
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        subtables[(platform, encoding)] = cmap + offset
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            return frozenset(_read_subtable(data, subtables[key]))
    raise ValueError(f"{path.name} has no Unicode cmap")


def _read_subtable(data: bytes, start: int) -> set[int]:
    (fmt,) = struct.unpack_from(">H", data, start)
    points: set[int] = set()
    if fmt == 4:
        (seg_x2,) = struct.unpack_from(">H", data, start + 6)
        segments = seg_x2 // 2
        ends = struct.unpack_from(f">{segments}H", data, start + 14)
        starts = struct.unpack_from(f">{segments}H", data, start + 16 + seg_x2)
        deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 2 * seg_x2)
        range_at = start + 16 + 3 * seg_x2
        offsets = struct.unpack_from(f">{segments}H", data, range_at)
        for seg, (first, last) in enumerate(zip(starts, ends, strict=True)):
            for code in range(first, min(last, 0xFFFE) + 1):
                if offsets[seg] == 0:
                    glyph = (code + deltas[seg]) & 0xFFFF
                else:
                    where = range_at + 2 * seg + offsets[seg] + 2 * (code - first)
                    (glyph,) = struct.unpack_from(">H", data, where)
                    glyph = (glyph + deltas[seg]) & 0xFFFF if glyph else 0
                if glyph:
                    points.add(code)
    elif fmt == 12:
        (groups,) = struct.unpack_from(">I", data, start + 12)
        for group in range(groups):
            first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * group)
            points.update(range(first, last + 1))
    else:
        raise ValueError(f"cmap format {fmt} is not supported")
    return points


def common_drawable(paths: list[Path]) -> frozenset[int]:
    """Characters every face of a family can draw (bold and italic included)."""
    result: frozenset[int] | None = None
    for path in paths:
        points = drawable(path)
        result = points if result is None else result & points
    return result or frozenset()
