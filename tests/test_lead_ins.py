"""A paragraph that introduces what follows keeps with it in every format: the Word
file says keepNext, the HTML marks it for its print styles, and the PDF never ends a
page with it. Which paragraphs those are is worked out here from the YAML alone."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pdfplumber
import pytest

from conftest import document_file, raw_yaml

DOCUMENTS = raw_yaml("pack.yaml")["documents"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KEY = 40  # characters of a paragraph's start that name it


def _plain(markup: str) -> str:
    """Inline Markdown's words: links by their text, no emphasis marks."""
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markup)
    return " ".join(words.replace("**", "").replace("*", "").replace("\\", "").split())


def expected_lead_ins(sections: list[dict]) -> list[str]:  # type: ignore[type-arg]
    """Paragraphs ending with a colon, and a section's introduction: its one paragraph
    between its title and its first sub-section or its contacts."""
    found = []
    for section in sections:
        body = section.get("body", [])
        for index, item in enumerate(body):
            if not isinstance(item, str):
                continue
            later = body[index + 1] if index + 1 < len(body) else None
            introduces = index == 0 and (
                (later is None and section.get("sections"))
                or (isinstance(later, dict) and {"contacts", "contact_table"} & set(later))
            )
            if _plain(item).endswith(":") or introduces:
                found.append(_plain(item))
        found += expected_lead_ins(section.get("sections", []))
    return found


def _docx_lead_ins(path: Path) -> list[str]:
    """Body paragraphs in the body text style that keep with the next."""
    with zipfile.ZipFile(path) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    kept = []
    for paragraph in body.findall(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") not in ("Normal",):
            continue
        if paragraph.find(f"{W}pPr/{W}keepNext") is not None:
            text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
            kept.append(" ".join(text.split())[:KEY])
    return kept


def _html_lead_ins(path: Path) -> list[str]:
    page = path.read_text(encoding="utf-8")
    found = re.findall(r'<p class="(?:lead )?lead-in">(.*?)</p>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split())[:KEY] for p in found]


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_word_and_html_keep_the_same_paragraphs_with_what_follows(
    pack_folder: Path, doc_id: str
) -> None:
    expected = [p[:KEY] for p in expected_lead_ins(raw_yaml(f"{doc_id}.yaml")["sections"])]
    assert expected, "every shipped document has a paragraph that introduces a list"
    assert _docx_lead_ins(pack_folder / document_file(doc_id, "docx")) == expected
    assert _html_lead_ins(pack_folder / document_file(doc_id, "html")) == expected


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_no_pdf_page_ends_with_a_paragraph_that_introduces_the_next(
    pack_folder: Path, doc_id: str
) -> None:
    """After each such paragraph, more of the body follows on the same page. The body is
    the upright text between the running header and the footer (the watermark is drawn
    slanted)."""
    sections = raw_yaml(f"{doc_id}.yaml")["sections"]
    with pdfplumber.open(pack_folder / document_file(doc_id, "pdf")) as pdf:
        pages = [_body_text(page) for page in pdf.pages]
    flat = [" ".join(text.split()) for text in pages]
    lead_ins = expected_lead_ins(sections)
    assert lead_ins
    for lead_in in lead_ins:
        ending = lead_in[-20:]
        (page,) = [n for n, words in enumerate(flat) if ending in words]
        after = flat[page][flat[page].index(ending) + len(ending) :]
        assert len(after.split()) > 8, f"page {page + 1} ends with {lead_in!r}"


# The running header ends, and the footer starts, this far from the page's edge (pt).
HEADER, FOOTER = 70, 60


def _body_text(page: pdfplumber.page.Page) -> str:
    upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj["upright"])
    body = upright.within_bbox((0, HEADER, page.width, page.height - FOOTER))
    return body.extract_text() or ""
