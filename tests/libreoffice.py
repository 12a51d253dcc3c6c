"""LibreOffice as a school would use it: it opens our DOCX files and exports them to
PDF. Found on PATH; without it the tests that need it are skipped, saying so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SKIP_REASON = "LibreOffice is not installed (soffice not on PATH); .ci/run installs it"


def tagged_pdfs(
    documents: list[Path], folder: Path, profile: Path
) -> subprocess.CompletedProcess[str]:
    """Export every DOCX to `folder` in one call, with a profile of its own (so other
    LibreOffice processes never share it)."""
    assert SOFFICE is not None
    return subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            # Tagged, as a school exporting to PDF for a screen reader would: the rules
            # then know the headings from the tags, not from the size of the type.
            'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(folder),
            *map(str, documents),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def saved_again(document: Path, folder: Path, profile: Path) -> Path:
    """The DOCX as LibreOffice writes it after opening it: open, then save as .docx."""
    assert SOFFICE is not None
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder),
            str(document),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    saved = folder / document.name
    assert done.returncode == 0 and saved.is_file(), done.stderr
    return saved
