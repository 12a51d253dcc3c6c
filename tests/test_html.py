"""HTML editions read back with the standard library's HTML parser, not a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import document_file, expected_headings, raw_yaml, run_cli
from readers import html_outline, pdf_outline

PACK = raw_yaml("pack.yaml")
DOCUMENTS = PACK["documents"]


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_html_headings_read_in_the_order_of_the_pdf_outline(pack_folder: Path, doc_id: str) -> None:
    page = html_outline(pack_folder / document_file(doc_id, "html"))
    assert page.headings[0] == (1, raw_yaml(f"{doc_id}.yaml")["title"])
    assert [level for level, _ in page.headings].count(1) == 1
    sections = [(level - 2, title) for level, title in page.headings[1:]]
    assert sections == pdf_outline(pack_folder / document_file(doc_id, "pdf"))
    assert sections == [(depth - 1, title) for depth, title in expected_headings(doc_id)]


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_html_editions_are_self_contained_and_in_british_english(
    pack_folder: Path, doc_id: str
) -> None:
    page = html_outline(pack_folder / document_file(doc_id, "html"))
    assert page.lang == "en-GB"
    assert "script" not in page.tags
    assert all(source.startswith("data:") for source in page.sources)
    raw = (pack_folder / document_file(doc_id, "html")).read_text(encoding="utf-8")
    assert not re.search(r"url\((?!data:)", raw), "CSS must not fetch anything"
    assert "@font-face" in raw and "@media print" in raw and "size: A4" in raw
    assert page.hrefs[0] == "#main"  # the skip link comes first
    assert page.hrefs[1] == "index.html"  # then the way back to every file of the pack


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_cover_facts_draft_mark_and_document_control(pack_folder: Path, doc_id: str) -> None:
    page = html_outline(pack_folder / document_file(doc_id, "html"))
    text = " ".join(" ".join(page.text).split())
    assert text.count("DRAFT") >= 1
    for fact in ("Version 0.1.0", "Date 28 November 2026", "Status Draft"):
        assert fact in text
    for label in ("Owner", "Approved by", "Approval date", "Review due"):
        assert label in text
    assert set(page.scopes) <= {"col", "row"} and "row" in page.scopes


def test_contact_details_are_tel_and_mailto_links(pack_folder: Path) -> None:
    page = html_outline(pack_folder / document_file("contact-sheet", "html"))
    assert "tel:+443443814772" in page.hrefs
    assert "mailto:helpline@saferinternet.org.uk" in page.hrefs
    assert all(re.match(r"(https://|tel:\+44|mailto:|#|[\w.-]+$)", h) for h in page.hrefs)


def test_download_page_lists_each_document_and_the_pack(pack_folder: Path) -> None:
    page = html_outline(pack_folder / "index.html")
    assert page.headings[0] == (1, PACK["title"])
    titles = [title for level, title in page.headings if level == 2]
    assert titles[0] == "For the staffroom wall"  # the sheet to print, named first
    assert titles[1 : 1 + len(DOCUMENTS)] == [raw_yaml(f"{d}.yaml")["title"] for d in DOCUMENTS]
    for doc_id in DOCUMENTS:
        for ext in ("html", "pdf", "docx"):
            assert document_file(doc_id, ext) in page.hrefs
    assert all("/" not in h and ":" not in h for h in page.hrefs if h != "#main")


def test_a_plain_build_has_no_release_notes_section(pack_folder: Path) -> None:
    page = html_outline(pack_folder / "index.html")
    assert not any(title.startswith("What changed") for _, title in page.headings)


@pytest.mark.slow
def test_markup_in_a_contact_name_is_escaped(sources_copy: Path, tmp_path: Path) -> None:
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace(
            "name: Derbyshire Schools Net", "name: '<script>alert(1)</script> & Net'"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    built = run_cli("build", "--sources", sources_copy, "--out", out, "--formats", "html")
    assert built.returncode == 0, built.stderr
    path = out / "0.1.0" / document_file("contact-sheet", "html")
    raw = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Net" in raw
    assert "<script" not in raw
    assert "<script>alert(1)</script> & Net" in "".join(html_outline(path).text)
