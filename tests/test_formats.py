"""`build --formats` renders only some editions."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from docx2python import docx2python

from conftest import SOURCES, document_file, raw_yaml, run_cli


@pytest.mark.slow
def test_a_build_of_some_formats_writes_only_those_editions(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    partial = run_cli("build", "--formats", "docx,pdf", "--sources", SOURCES, "--out", out)
    assert partial.returncode == 0, partial.stderr
    folder = Path(partial.stdout.strip())
    documents = raw_yaml("pack.yaml")["documents"]
    expected = {document_file(d, ext) for d in documents for ext in ("docx", "pdf")}
    assert {p.name for p in folder.iterdir() if not p.name.startswith(".")} == expected
    for doc_id in documents:
        title = raw_yaml(f"{doc_id}.yaml")["title"]
        pdf_text = "".join(
            page.extract_text()
            for page in pypdf.PdfReader(folder / document_file(doc_id, "pdf")).pages
        )
        assert " ".join(title.split()[:3]) in " ".join(pdf_text.split())
        with docx2python(folder / document_file(doc_id, "docx")) as docx:
            assert title in docx.text

    # The whole pack afterwards is not "up to date": it adds what was left out and
    # keeps the DOCX files (the PDFs come again, with their thumbnails).
    whole = run_cli("build", "--sources", SOURCES, "--out", out)
    assert whole.returncode == 0, whole.stderr
    assert "Up to date" not in whole.stderr
    assert f"{len(documents)} of {3 * len(documents) + 1} renders were up to date" in whole.stderr
    names = {p.name for p in folder.iterdir()}
    assert "index.html" in names and any(n.endswith(".zip") for n in names)


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", "--formats", "docx,epub", "--sources", SOURCES, "--out", tmp_path)
    assert result.returncode == 2
    assert "epub is not an edition" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())
