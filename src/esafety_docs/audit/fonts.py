"""Fonts: embedded, mapped to Unicode, measured as their programs say, and each
subset named apart (ISO 14289-1 7.21; ISO 19005-2 6.2.11; ISO 32000-1 9.6.4)."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf

from .pdf_reading import PdfFile
from .rules import rule

FAMILY = "fonts"


def _descriptor(font: pikepdf.Dictionary) -> Any:
    if font.get("/Subtype") == "/Type0":
        return font.DescendantFonts[0].get("/FontDescriptor")
    return font.get("/FontDescriptor")


@rule("pdf-fonts-embedded", "ISO 14289-1 7.21.4.1; ISO 19005-2 6.2.11.4.1", family=FAMILY)
def fonts_embedded(file: PdfFile) -> list[str]:
    problems = []
    for font in file.fonts():
        descriptor = _descriptor(font)
        if descriptor is None or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            problems.append(f"{font.get('/BaseFont')} is not embedded")
    return problems


@rule("pdf-fonts-tounicode", "ISO 14289-1 7.21.7; ISO 19005-2 6.2.11.7", family=FAMILY)
def fonts_tounicode(file: PdfFile) -> list[str]:
    return [
        f"{font.get('/BaseFont')} has no ToUnicode map"
        for font in file.fonts()
        if "/ToUnicode" not in font
    ]


@rule("pdf-font-widths", "ISO 19005-2 6.2.11.5; ISO 14289-1 7.21.5", family=FAMILY)
def font_widths(file: PdfFile) -> list[str]:
    """Each glyph's width in /Widths is the width the embedded program gives it."""
    from fontTools.ttLib import TTFont

    problems = []
    for font, program in _truetype_programs(file):
        table = TTFont(io.BytesIO(program))
        cmap = table["cmap"].getcmap(3, 0) or table["cmap"].getcmap(1, 0)
        if cmap is None:
            continue
        scale = 1000 / table["head"].unitsPerEm
        first, widths = int(font.get("/FirstChar", 0)), list(font.get("/Widths", []))
        for code, glyph in cmap.cmap.items():
            code &= 0xFF  # a (3,0) table lists codes in the F0xx range
            if first <= code < first + len(widths):
                said, actual = float(widths[code - first]), table["hmtx"][glyph][0] * scale
                if abs(said - actual) > 1:
                    problems.append(
                        f"{font.get('/BaseFont')}: code {code} is {said:g} wide in /Widths "
                        f"but {actual:.0f} in the font"
                    )
                    break
    return problems


@rule("pdf-font-subset-tags", "ISO 32000-1 9.6.4", family=FAMILY)
def font_subset_tags(file: PdfFile) -> list[str]:
    """Different subsets have different six-letter tags: two faces, or two subsets of
    one face (different programs), never share one."""
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for font in file.fonts():
        name = str(font.get("/BaseFont", ""))[1:]
        match = re.fullmatch(r"([A-Z]{6})\+(.+)", name)
        if not match:
            continue
        tag, family = match.groups()
        subset = (family, _program_digest(font))
        if tag in seen and seen[tag] != subset:
            other = seen[tag][0]
            problems.append(
                f"{other} and {family} share the subset tag {tag}"
                if other != family
                else f"two different subsets of {family} share the subset tag {tag}"
            )
        seen.setdefault(tag, subset)
    return problems


def _program_digest(font: pikepdf.Dictionary) -> str:
    """A digest of the embedded font program, as stored ("" if none is embedded)."""
    descriptor = _descriptor(font)
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if descriptor is not None and key in descriptor:
            return hashlib.sha256(descriptor[key].read_raw_bytes()).hexdigest()
    return ""


def _truetype_programs(file: PdfFile) -> Iterator[tuple[pikepdf.Dictionary, bytes]]:
    for font in file.fonts():
        descriptor = _descriptor(font)
        if font.get("/Subtype") == "/TrueType" and descriptor is not None:
            program = descriptor.get("/FontFile2")
            if program is not None:
                yield font, program.read_bytes()
