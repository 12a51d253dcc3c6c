"""Real numbers are accepted and printed alike in every format; an extension or option
prints after the number, outside its link; bare and <...> addresses become links."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SOURCES, TEMPLATES, run_cli
from esafety_docs.reading.diagnostics import Reporter
from esafety_docs.reading.model import Link, Paragraph, Text
from esafety_docs.reading.sources import load_pack
from readers import docx_html, html_outline, pdf_pages_text
from shared import Shared

CEOP = "https://www.ceop.police.uk/Safety-Centre/"
THINKUKNOW = "https://www.thinkuknow.co.uk/professionals/"


def _set_nwg_phone(sources: Path, lines: str) -> None:
    contacts = sources / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    assert "    phone: 01332 585371\n" in text
    contacts.write_text(text.replace("    phone: 01332 585371\n", lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "printed", "dialled"),
    [
        ("116 123", "116 123", "116123"),  # Samaritans
        ("116123", "116 123", "116123"),
        ("999", "999", "999"),
        ("0800 1111", "0800 1111", "+448001111"),  # Childline's short freephone number
        ("0808 800 5000", "0808 800 5000", "+448088005000"),
        ("+44 1332 585371", "01332 585371", "+441332585371"),
        ("01332585371", "01332 585371", "+441332585371"),
    ],
)
def test_real_uk_numbers_are_accepted_and_printed_one_way(
    sources_copy: Path, written: str, printed: str, dialled: str
) -> None:
    _set_nwg_phone(sources_copy, f"    phone: {written}\n")
    reporter = Reporter()
    pack = load_pack(sources_copy, reporter)
    assert [d for d in reporter.diagnostics if not d.draft] == []
    nwg = next(c for c in pack.contacts if c.id == "nwg")
    assert (nwg.phone, nwg.phone_e164) == (printed, dialled)


@pytest.fixture(scope="module")
def built(shared: Shared) -> Path:
    """The pack built from sources with a phone note and addresses written out in text."""
    return shared.made_once("phones-and-links", _build_with_notes_and_addresses) / "dist" / "0.1.0"


def _build_with_notes_and_addresses(root: Path) -> None:
    shutil.copytree(SOURCES, root / "sources")
    shutil.copytree(TEMPLATES, root / "templates")
    _set_nwg_phone(root / "sources", "    phone: 01332 585371\n    phone_note: (option 2)\n")
    sheet = root / "sources" / "contact-sheet.yaml"
    text = sheet.read_text(encoding="utf-8")
    old = "- Call **999**."
    assert old in text
    sheet.write_text(
        text.replace(old, f'{old}\n      - "Report at <{CEOP}>, or see {THINKUKNOW}."'),
        encoding="utf-8",
    )
    # The documents' own editions: nothing here reads the combined PDF or the zip.
    formats = ("--formats", "docx,pdf,html")
    result = run_cli("build", "--sources", "sources", "--out", "dist", *formats, cwd=root)
    assert result.returncode == 0, result.stderr


def _one(folder: Path, pattern: str) -> Path:
    (path,) = folder.glob(pattern)
    return path


@pytest.mark.slow  # reads `built`, a pack of its own
def test_the_note_prints_after_the_number_outside_its_link_in_html(built: Path) -> None:
    page = _one(built, "contact-sheet-*.html")
    outline = html_outline(page)
    assert "tel:+441332585371" in outline.hrefs
    html = page.read_text(encoding="utf-8")
    link = re.search(
        r'<a [^>]*href="tel:\+441332585371"[^>]*><strong>([^<]*)</strong></a>([^<]*)', html
    )
    assert link is not None  # the number, in bold, is the link; the note follows it
    assert (link.group(1), link.group(2)) == ("01332 585371", " (option 2)")


@pytest.mark.slow  # reads `built`, a pack of its own
def test_the_note_prints_after_the_number_outside_its_link_in_docx(built: Path) -> None:
    html = docx_html(_one(built, "contact-sheet-*.docx"))
    assert '<a href="tel:+441332585371"><strong>01332 585371</strong></a> (option 2)' in html


@pytest.mark.slow  # reads `built`, a pack of its own
def test_the_note_prints_after_the_number_in_pdf(built: Path) -> None:
    path = _one(built, "contact-sheet-*.pdf")
    words = " ".join(" ".join(pdf_pages_text(path)).split())
    assert "01332 585371 (option 2)" in words
    assert "tel:+441332585371" in _pdf_link_targets(path)


@pytest.mark.slow  # reads `built`, a pack of its own
def test_written_out_addresses_become_links_in_every_format(built: Path) -> None:
    html_links = html_outline(_one(built, "contact-sheet-*.html")).hrefs
    # Zero-width spaces mark where a word processor may wrap an address: not text.
    docx = docx_html(_one(built, "contact-sheet-*.docx"))
    pdf_links = _pdf_link_targets(_one(built, "contact-sheet-*.pdf"))
    for url in (CEOP, THINKUKNOW):
        assert url in html_links
        assert f'<a href="{url}">{url}</a>' in docx
        assert url in pdf_links
    # the full stop after a bare address is not part of it
    assert f'<a href="{THINKUKNOW}">{THINKUKNOW}</a>.' in docx


def test_an_autolink_is_a_link_in_the_model(sources_copy: Path) -> None:
    sheet = sources_copy / "contact-sheet.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(
        text.replace("Call **999**.", "Call **999**. See <https://example.org>."),
        encoding="utf-8",
    )
    pack = load_pack(sources_copy, Reporter())
    paragraph = next(b for b in pack.documents[-1].blocks if isinstance(b, Paragraph))
    assert paragraph.inlines[-3:] == (
        Text(". See "),
        Link("https://example.org", (Text("https://example.org"),)),
        Text("."),
    )


def _pdf_link_targets(path: Path) -> set[str]:
    targets = set()
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.add(str(action["/URI"]))
    return targets
