"""A PNG of a PDF's first page of content, for the download page.

Booklets all open with a cover that looks like the others, so their picture is
the page after it: what tells the documents apart.

pypdfium2 (PDFium, the engine Chromium uses) draws the page; Pillow writes the
PNG. Neither adds a timestamp or other metadata, so the same PDF always gives
the same bytes, as reproducible releases need.
"""

from __future__ import annotations

import io
import struct

import pypdfium2
from PIL.Image import Quantize

FASTOCTREE = Quantize.FASTOCTREE  # deterministic: the same page gives the same bytes

WIDTH = 300  # pixels: sharp at the page's 150 CSS px on high-density screens
# A page of text in a few shades of a few colours: 64 of them look the same as
# full colour and make the file about a quarter of the size, and quantising and
# packing them costs a third of what squeezing a full-colour PNG does.
COLOURS = 64


def page_png(pdf: bytes, index: int = 0, width: int = WIDTH) -> bytes:
    """Page `index` (or the last page, if there are fewer) drawn `width` pixels wide,
    on white, as PNG bytes."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[min(index, len(document) - 1)]
        try:
            bitmap = page.render(scale=width / page.get_width())
            image = bitmap.to_pil().convert("RGB").quantize(COLOURS, method=FASTOCTREE)
        finally:
            page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=9)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) from the PNG header, for the <img> width and height attributes."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)
