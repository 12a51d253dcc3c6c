"""Accessibility: the audit passes on the shipped pack, each rule catches its failure,
and independent readers see the structure the sources describe."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from conftest import document_file, expected_headings, pack_file, printed_contacts, raw_yaml

DOCUMENTS = raw_yaml("pack.yaml")["documents"]


# ------------------------------------------------------------------ reading order


def _walk(node: dict[str, Any], depth: int = 0) -> Any:
    yield node, depth
    for child in node.get("children", []):
        yield from _walk(child, depth + 1)


def _all_mcids(node: dict[str, Any]) -> list[int]:
    return list(node.get("mcids", [])) + [
        m for child in node.get("children", []) for m in _all_mcids(child)
    ]


def reading_order(path: Path, inclusive: bool = False) -> list[tuple[str, str]]:
    """(structure type, its text) in screen-reader order, page by page (pdfplumber).

    The text is the element's own, or with `inclusive` its descendants' too, in
    MCID order (MCIDs are numbered in drawing order on each page)."""
    found: list[tuple[str, str]] = []
    for text_by_mcid, structure_tree in _tagged_pages(path):
        for root in structure_tree:
            for node, _ in _walk(root):
                mcids = sorted(_all_mcids(node)) if inclusive else node.get("mcids", [])
                text = "".join(text_by_mcid.get(m, "") for m in mcids)
                found.append((node["type"], " ".join(text.split())))
    return found


@functools.cache
def _tagged_pages(path: Path) -> list[tuple[dict[int, str], list[dict[str, Any]]]]:
    """Each page's text by MCID and its structure tree, as pdfplumber reads them: once
    per file, as several tests read the same (shared, never changed) PDF."""
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text_by_mcid: dict[int, str] = {}
            for char in page.chars:
                if char.get("mcid") is not None:
                    text_by_mcid[char["mcid"]] = text_by_mcid.get(char["mcid"], "") + char["text"]
            pages.append((text_by_mcid, page.structure_tree))
    return pages


def _link_as_printed(match: re.Match[str]) -> str:
    """A link's words, then its address (no scheme, no trailing slash) in brackets,
    unless the words are the address: how a printed page shows it."""
    words, url = match.group(1), match.group(2)
    address = url.split("://", 1)[-1].rstrip("/")
    return (
        words
        if words.lower().rstrip("/") in (address.lower(), url.lower())
        else (f"{words} ({address})")
    )


def _source_text(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", _link_as_printed, markdown)
    text = re.sub(r"\*\*([^*]*)\*\*", r"\1", text)
    text = re.sub(r"\*([^*]*)\*", r"\1", text)
    return " ".join(text.split())


def _paragraphs(sections: list[dict[str, Any]]) -> list[str]:
    found = []
    for section in sections:
        found += [_source_text(b) for b in section["body"] if isinstance(b, str)]
        found += _paragraphs(section.get("sections", []))
    return found


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_headings_are_tagged_in_source_order(pack_folder: Path, doc_id: str) -> None:
    order = reading_order(pack_folder / document_file(doc_id, "pdf"))
    headings = [(int(t[1]), text) for t, text in order if re.fullmatch(r"H[1-6]", t) and text]
    title = raw_yaml(f"{doc_id}.yaml")["title"]
    expected = [(1, title)] + [(level + 1, text) for level, text in expected_headings(doc_id)]
    assert headings == expected


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_paragraph_text_reads_as_written_with_words_apart(pack_folder: Path, doc_id: str) -> None:
    order = reading_order(pack_folder / document_file(doc_id, "pdf"), inclusive=True)
    paragraphs = [text for kind, text in order if kind == "P"]
    joined = " | ".join(paragraphs)
    for expected in _paragraphs(raw_yaml(f"{doc_id}.yaml")["sections"]):
        assert expected in joined, expected


def test_list_items_are_l_li_lbl_lbody(pack_folder: Path) -> None:
    source = raw_yaml("police-sexting-briefing.yaml")

    def items(sections: list[dict[str, Any]]) -> int:
        count = 0
        for section in sections:
            for block in section["body"]:
                if isinstance(block, dict):
                    count += len(block.get("bullets") or []) + len(block.get("numbered") or [])
            count += items(section.get("sections", []))
        return count

    def details(sections: list[dict[str, Any]]) -> int:
        """Contact details: list items of their own, with no bullet to label them."""
        count = 0
        for section in sections:
            for block in section["body"]:
                if isinstance(block, dict) and "contacts" in block:
                    for contact in printed_contacts(block["contacts"]):
                        count += sum(1 for k in ("phone", "email", "web", "hours") if k in contact)
            count += details(section.get("sections", []))
        return count

    order = reading_order(pack_folder / document_file("police-sexting-briefing", "pdf"))
    kinds = [kind for kind, _ in order]
    listed, labelled = items(source["sections"]), details(source["sections"])
    assert kinds.count("LI") == kinds.count("LBody") == listed + labelled
    assert kinds.count("Lbl") == listed
    numbered = [text for kind, text in order if kind == "Lbl" and text[:1].isdigit()]
    assert numbered[:4] == ["1.", "2.", "3.", "4."]


def test_a_screen_reader_hears_each_organisation_then_its_details(pack_folder: Path) -> None:
    order = reading_order(pack_folder / document_file("contact-sheet", "pdf"), inclusive=True)
    contacts = printed_contacts("all")
    names = {c["name"] for c in contacts}
    headings = [text for kind, text in order if kind == "H3" and text in names]
    assert headings == [c["name"] for c in contacts]
    # Each card read in order: the name, then what it helps with, then its details.
    cards: dict[str, str] = {}
    current = None
    for kind, text in order:
        if kind in ("H2", "H3"):
            current = text if text in names else None
            cards.setdefault(text, "")
        elif current is not None and kind in ("P", "LBody"):
            cards[current] += "".join(text.split())
    links = ["".join(text.split()) for kind, text in order if kind == "Link"]
    for contact in contacts:
        row = cards[contact["name"]]
        assert row.startswith("".join(contact["helps_with"].split())[:30])
        expected = [("Phone:", contact.get("phone")), ("Email:", contact.get("email"))]
        if "web" in contact:
            expected.append(("Web:", contact["web"].split("://", 1)[1].rstrip("/")))
        position = 0
        for label, value in expected:
            if value is None:
                assert label not in row
                continue
            value = "".join(value.split())
            position = row.index(label + value, position)  # label then value, in this order
            assert value in links


def test_table_header_cells_have_a_scope(pack_folder: Path) -> None:
    with pikepdf.open(pack_folder / document_file("contact-sheet", "pdf")) as pdf:
        scopes = [
            str(obj.A.Scope)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH"
        ]
    assert "/Column" in scopes and "/Row" in scopes and len(scopes) >= 3 + 8


# ------------------------------------------------------------------ LibreOffice


def _struct_elements(node: Any) -> Any:
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _struct_elements(kid)


def _actual_text(element: Any, pdf: pikepdf.Pdf) -> str:
    """An element's text, read with pdfplumber from the MCIDs it and its kids own."""
    wanted: dict[tuple[int, int], set[int]] = {}

    def collect(node: Any, page: Any) -> None:
        page = node.get("/Pg", page)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) and page is not None:
                wanted.setdefault(page.objgen, set()).add(int(kid))
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                owner = kid.get("/Pg", page)
                wanted.setdefault(owner.objgen, set()).add(int(kid.MCID))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                collect(kid, page)

    collect(element, None)
    numbers = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    text = []
    with pdfplumber.open(pdf.filename) as plumbed:
        for objgen, mcids in wanted.items():
            page = plumbed.pages[numbers[objgen]]
            text += [c["text"] for c in page.chars if c.get("mcid") in mcids]
    return "".join(text)


@pytest.mark.slow
def test_libreoffice_opens_the_docx_with_headings_and_header_row(
    libreoffice_pdfs: dict[str, Path],
) -> None:
    converted = libreoffice_pdfs["contact-sheet"]
    # The whole structure tree, not page by page: LibreOffice nests the back page's
    # headings in a section that begins on the front.
    with pikepdf.open(converted) as pdf:
        headings = []
        for element in _struct_elements(pdf.Root.StructTreeRoot):
            if str(element.S) in ("/H1", "/H2", "/H3"):
                headings.append(" ".join(_actual_text(element, pdf).split()))
        header_cells = [
            " ".join(_actual_text(element, pdf).split())
            for element in _struct_elements(pdf.Root.StructTreeRoot)
            if str(element.S) == "/TH"
        ]
    expected = [text for _, text in expected_headings("contact-sheet")]
    assert [h for h in headings if h in expected] == expected
    assert header_cells[:2] == ["Item", "Details"]  # document control's header row
    assert "Version" in header_cells  # and its row headers


def test_combined_pack_is_one_document_of_parts(pack_folder: Path) -> None:
    order = reading_order(pack_folder / pack_file("pdf"))
    kinds = [kind for kind, _ in order]
    assert kinds.count("Document") >= 1
    assert kinds.count("TOC") >= 1 and kinds.count("TOCI") >= len(DOCUMENTS)
    h1 = [text for kind, text in order if kind == "H1"]
    titles = [raw_yaml(f"{d}.yaml")["title"] for d in DOCUMENTS]
    assert h1[1 : 1 + len(titles)] == titles
