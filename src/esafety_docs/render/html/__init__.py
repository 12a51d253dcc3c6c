"""HTML editions and the download page, sharing one page shell (`page`) and stylesheet."""

from .document import render_document

__all__ = ["render_document"]
