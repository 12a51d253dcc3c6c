"""Word documents with python-docx; `ooxml` holds the raw WordprocessingML it lacks."""

from .document import render_document

__all__ = ["render_document"]
