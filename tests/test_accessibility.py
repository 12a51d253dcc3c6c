"""Accessibility: the audit passes on the shipped pack, each rule catches its failure,
and independent readers see the structure the sources describe."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from conftest import document_file, expected_headings, pack_file, raw_yaml, run_cli
from esafety_docs.audit import DOCX_RULES, PDF_RULES, audit

DOCUMENTS = raw_yaml("pack.yaml")["documents"]


def test_the_whole_pack_passes_the_audit(pack_folder: Path) -> None:
    result = run_cli("audit", pack_folder)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    pdfs, docxs = len(DOCUMENTS) + 1, len(DOCUMENTS)
    assert len(lines) == pdfs * len(PDF_RULES) + docxs * len(DOCX_RULES)
    assert all(line.startswith("PASS ") for line in lines)


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
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text_by_mcid: dict[int, str] = {}
            for char in page.chars:
                if char.get("mcid") is not None:
                    text_by_mcid[char["mcid"]] = text_by_mcid.get(char["mcid"], "") + char["text"]
            for root in page.structure_tree:
                for node, _ in _walk(root):
                    mcids = sorted(_all_mcids(node)) if inclusive else node.get("mcids", [])
                    text = "".join(text_by_mcid.get(m, "") for m in mcids)
                    found.append((node["type"], " ".join(text.split())))
    return found


def _source_text(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
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
                if isinstance(block, dict) and "contacts" in block:
                    directory = {c["id"]: c for c in raw_yaml("contacts.yaml")["contacts"]}
                    for contact_id in block["contacts"]:
                        contact = directory[contact_id]
                        count += sum(1 for k in ("phone", "email", "web", "hours") if k in contact)
            count += items(section.get("sections", []))
        return count

    order = reading_order(pack_folder / document_file("police-sexting-briefing", "pdf"))
    kinds = [kind for kind, _ in order]
    assert (
        kinds.count("LI") == kinds.count("Lbl") == kinds.count("LBody") == items(source["sections"])
    )
    numbered = [text for kind, text in order if kind == "Lbl" and text[:1].isdigit()]
    assert numbered[:4] == ["1.", "2.", "3.", "4."]


def test_a_screen_reader_hears_each_organisation_then_its_details(pack_folder: Path) -> None:
    order = reading_order(pack_folder / document_file("contact-sheet", "pdf"), inclusive=True)
    contacts = raw_yaml("contacts.yaml")["contacts"]
    names = {c["name"] for c in contacts}
    row_headers = [text for kind, text in order if kind == "TH" and text in names]
    assert row_headers == [c["name"] for c in contacts]
    # Each row read in order: the name, then what it helps with, then its details.
    rows = ["".join(text.split()) for kind, text in order if kind == "TR"]
    links = ["".join(text.split()) for kind, text in order if kind == "Link"]
    for contact in contacts:
        row = next(r for r in rows if r.startswith("".join(contact["name"].split())))
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


# ------------------------------------------------------------------ each rule fails


def _pdf_copy(pack_folder: Path, tmp_path: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    source = pack_folder / document_file("police-sexting-briefing", "pdf")
    target = tmp_path / "broken.pdf"
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _elements(pdf: pikepdf.Pdf, role: str) -> list[Any]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == role]


def _append_content(pdf: pikepdf.Pdf, content: bytes) -> None:
    page = pdf.pages[1]
    page.contents_add(pikepdf.Stream(pdf, content), prepend=False)


def _first_link_annotation(pdf: pikepdf.Pdf) -> Any:
    return next(a for p in pdf.pages for a in p.obj.get("/Annots", []))


def _drop_objr(pdf: pikepdf.Pdf) -> None:
    link = _elements(pdf, "/Link")[0]
    link.K = pikepdf.Array([k for k in link.K if k.get("/Type") != "/OBJR"])


def _remove_xmp(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


def _unembed(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
            del obj["/FontFile2"]
            return


def _no_tounicode(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/ToUnicode" in obj:
            del obj["/ToUnicode"]
            return


PDF_BREAKAGES: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "pdf-tagged": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "pdf-content-marked": lambda pdf: _append_content(pdf, b"0 0 m 100 100 l S"),
    "pdf-standard-roles": lambda pdf: setattr(_elements(pdf, "/P")[0], "S", pikepdf.Name("/Blurb")),
    "pdf-heading-order": lambda pdf: setattr(_elements(pdf, "/H2")[0], "S", pikepdf.Name("/H4")),
    "pdf-table-structure": lambda pdf: setattr(_elements(pdf, "/TR")[0], "S", pikepdf.Name("/P")),
    "pdf-list-structure": lambda pdf: setattr(_elements(pdf, "/LBody")[0], "S", pikepdf.Name("/P")),
    "pdf-th-scope": lambda pdf: _elements(pdf, "/TH")[0].__delitem__("/A"),
    "pdf-figure-alt": lambda pdf: _elements(pdf, "/Figure")[0].__delitem__("/Alt"),
    "pdf-links": _drop_objr,
    "pdf-tab-order": lambda pdf: next(p for p in pdf.pages if "/Tabs" in p.obj).obj.__delitem__(
        "/Tabs"
    ),
    "pdf-language": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "pdf-display-title": lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False),
    "pdf-xmp-title-pdfua": _remove_xmp,
    "pdf-fonts-embedded": _unembed,
    "pdf-fonts-tounicode": _no_tounicode,
    "pdf-pdfa-identification": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
}


def test_every_pdf_rule_has_a_breakage() -> None:
    assert set(PDF_BREAKAGES) == set(PDF_RULES)


@pytest.mark.parametrize("rule", sorted(PDF_BREAKAGES))
def test_each_pdf_rule_catches_its_failure(pack_folder: Path, tmp_path: Path, rule: str) -> None:
    broken = _pdf_copy(pack_folder, tmp_path, PDF_BREAKAGES[rule])
    results = {r.rule: r for r in audit(broken)}
    assert not results[rule].passed, rule
    assert results[rule].detail


def test_artifacts_inside_tagged_content_are_caught(pack_folder: Path, tmp_path: Path) -> None:
    broken = _pdf_copy(
        pack_folder,
        tmp_path,
        lambda pdf: _append_content(pdf, b"/P <</MCID 900>> BDC /Artifact BMC EMC EMC"),
    )
    results = {r.rule: r for r in audit(broken)}
    assert "artifact inside tagged content" in results["pdf-content-marked"].detail


def test_a_link_annotation_without_contents_is_caught(pack_folder: Path, tmp_path: Path) -> None:
    broken = _pdf_copy(
        pack_folder, tmp_path, lambda pdf: _first_link_annotation(pdf).__delitem__("/Contents")
    )
    assert "no /Contents" in {r.rule: r for r in audit(broken)}["pdf-links"].detail


def _docx_copy(pack_folder: Path, tmp_path: Path, part: str, change: Callable[[str], str]) -> Path:
    source = pack_folder / document_file("contact-sheet", "docx")
    target = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == part:
                changed = change(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), f"the breakage did not change {part}"
                data = changed.encode("utf-8")
            new.writestr(item, data)
    return target


DOCX_BREAKAGES: dict[str, tuple[str, Callable[[str], str]]] = {
    "docx-headings": (
        "word/document.xml",
        lambda x: x.replace('w:val="Heading1"', 'w:val="Heading3"', 1),
    ),
    "docx-table-headers": ("word/document.xml", lambda x: re.sub(r"<w:tblHeader[^>]*/>", "", x)),
    "docx-alt-text": ("word/document.xml", lambda x: re.sub(r' descr="[^"]*"', "", x)),
    "docx-title-language": ("docProps/core.xml", lambda x: x.replace(">en-GB<", ">en-US<")),
    "docx-link-text": (
        "word/document.xml",
        lambda x: x.replace(">Derby and Derbyshire safeguarding procedures<", ">click here<"),
    ),
    "docx-no-empty-paragraphs": (
        "word/document.xml",
        lambda x: x.replace("<w:body>", "<w:body><w:p/>"),
    ),
    "docx-contrast": (
        "word/styles.xml",
        lambda x: x.replace('w:val="00576B"', 'w:val="BBBBBB"', 1),
    ),
}


def test_every_docx_rule_has_a_breakage() -> None:
    assert set(DOCX_BREAKAGES) == set(DOCX_RULES)


@pytest.mark.parametrize("rule", sorted(DOCX_BREAKAGES))
def test_each_docx_rule_catches_its_failure(pack_folder: Path, tmp_path: Path, rule: str) -> None:
    part, change = DOCX_BREAKAGES[rule]
    broken = _docx_copy(pack_folder, tmp_path, part, change)
    results = {r.rule: r for r in audit(broken)}
    assert not results[rule].passed, rule


def test_bold_text_posing_as_a_heading_is_caught(pack_folder: Path, tmp_path: Path) -> None:
    fake = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Looks like a heading</w:t></w:r></w:p>"
    broken = _docx_copy(
        pack_folder,
        tmp_path,
        "word/document.xml",
        lambda x: x.replace("<w:body>", "<w:body>" + fake),
    )
    assert "posing as a heading" in {r.rule: r for r in audit(broken)}["docx-headings"].detail


def test_build_refuses_to_publish_what_fails_the_audit(
    sources_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import esafety_docs.audit as audit_module
    from esafety_docs.archive import build_time
    from esafety_docs.pipeline import PublishError, build, load

    failing = dict(audit_module.PDF_RULES, **{"pdf-always-fails": lambda pdf: ["on purpose"]})
    monkeypatch.setattr(audit_module, "PDF_RULES", failing)
    loaded = load(sources_copy, sources_copy.parent / "templates")
    with pytest.raises(PublishError, match="pdf-always-fails: on purpose"):
        build(loaded, tmp_path / "out", build_time(), lambda line: None)
    assert not (tmp_path / "out" / "0.1.0").exists()


# ------------------------------------------------------------------ LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (soffice not on PATH)")
def test_libreoffice_opens_the_docx_with_headings_and_header_row(
    pack_folder: Path, tmp_path: Path
) -> None:
    assert SOFFICE is not None
    source = pack_folder / document_file("contact-sheet", "docx")
    result = subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = tmp_path / source.with_suffix(".pdf").name
    assert result.returncode == 0 and converted.exists(), result.stderr
    order = reading_order(converted, inclusive=True)
    headings = [text for kind, text in order if kind in ("H1", "H2", "H3") and text]
    assert headings[: len(expected_headings("contact-sheet"))] == [
        text for _, text in expected_headings("contact-sheet")
    ]
    header_cells = [text for kind, text in order if kind == "TH"]
    assert header_cells[:3] == ["Organisation", "What it helps with", "How to contact"]


def test_combined_pack_is_one_document_of_parts(pack_folder: Path) -> None:
    order = reading_order(pack_folder / pack_file("pdf"))
    kinds = [kind for kind, _ in order]
    assert kinds.count("Document") >= 1
    assert kinds.count("TOC") >= 1 and kinds.count("TOCI") >= len(DOCUMENTS)
    h1 = [text for kind, text in order if kind == "H1"]
    titles = [raw_yaml(f"{d}.yaml")["title"] for d in DOCUMENTS]
    assert h1[1 : 1 + len(titles)] == titles
