"""Tagged A4 PDF (PDF/UA-1, PDF/A-2b) with reportlab: `document` lays pages out, `tags`
holds every PDF internal (marked content, structure tree, metadata)."""

from .document import Rendered, render_document, render_pack

__all__ = ["Rendered", "render_document", "render_pack"]
