"""Characters that mean something to XML or reportlab print exactly as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import document_file, run_cli
from readers import docx_html, html_tags, pdf_pages_text, unescape_html

LITERAL_NAME = "Safe <b>Net</b> & </para> <font color=red>Help</font> &amp;"
LITERAL_PROSE = r"Compare a < b & c > d, and \<i>not italic\</i>."


@pytest.mark.slow
def test_markup_characters_come_out_literally_in_docx_and_pdf(
    sources_copy: Path, tmp_path: Path
) -> None:
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace(
            "name: Derbyshire Schools Net", f'name: "{LITERAL_NAME}"'
        ),
        encoding="utf-8",
    )
    sheet = sources_copy / "contact-sheet.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("- Call **999**.", f"- '{LITERAL_PROSE}'"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("build", "--sources", sources_copy, "--out", out, "--formats", "docx,pdf")
    assert result.returncode == 0, result.stderr
    folder = out / "0.1.0"
    printed_prose = "Compare a < b & c > d, and <i>not italic</i>."

    # Narrow table cells wrap inside long "words", so compare without white space.
    pdf_text = "".join(
        " ".join(pdf_pages_text(folder / document_file("contact-sheet", "pdf"))).split()
    )
    assert "".join(LITERAL_NAME.split()) in pdf_text
    assert "".join(printed_prose.split()) in pdf_text

    html = docx_html(folder / document_file("contact-sheet", "docx"))
    assert LITERAL_NAME in html_tags(html, "h2")  # each organisation is a card's heading
    paragraphs = html_tags(html, "p")
    assert printed_prose in paragraphs
    assert "<font" not in unescape_html(html.replace("&lt;font", ""))
