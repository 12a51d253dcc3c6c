"""esafety-docs: the DDSCP online safety pack, from YAML sources to DOCX and PDF."""

__version__ = "0.1.0"
