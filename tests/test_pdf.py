"""Each PDF re-opened with pypdf, pdfplumber and pikepdf/qpdf, not reportlab."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from conftest import document_file, expected_headings, pack_file, raw_yaml, section_titles
from readers import STANDARD_14, pdf_fonts, pdf_outline, pdf_pages_text

PACK = raw_yaml("pack.yaml")
DOCUMENTS = PACK["documents"]
VERSION = PACK["version"]


def _pdf(folder: Path, doc_id: str) -> Path:
    return folder / document_file(doc_id, "pdf")


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_outline_is_the_headings_of_the_source(pack_folder: Path, doc_id: str) -> None:
    expected = [(depth - 1, title) for depth, title in expected_headings(doc_id)]
    assert pdf_outline(_pdf(pack_folder, doc_id)) == expected


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_text_headings_and_cover(pack_folder: Path, doc_id: str) -> None:
    source = raw_yaml(f"{doc_id}.yaml")
    pages = pdf_pages_text(_pdf(pack_folder, doc_id))
    everything = _squash(" ".join(pages))
    assert _squash(source["title"]) in _squash(pages[0])
    # A booklet's cover states the status; a sheet has no cover, but says DRAFT.
    assert ("DRAFT" if source.get("layout") == "sheet" else "Draft") in pages[0]
    for _, title in section_titles(source["sections"]):
        assert _squash(title) in everything


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_every_page_carries_page_x_of_y_version_and_date(pack_folder: Path, doc_id: str) -> None:
    with pdfplumber.open(_pdf(pack_folder, doc_id)) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            assert f"Page {number} of {total}" in text
            assert f"Version {VERSION}, 28 November 2026" in text


def test_long_documents_run_to_several_pages(pack_folder: Path) -> None:
    assert len(PdfReader(_pdf(pack_folder, "online-safety-strategy")).pages) >= 4
    assert len(PdfReader(_pdf(pack_folder, "police-sexting-briefing")).pages) >= 3


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_metadata_language_and_title_bar(pack_folder: Path, doc_id: str) -> None:
    source = raw_yaml(f"{doc_id}.yaml")
    meta = PdfReader(_pdf(pack_folder, doc_id)).metadata
    assert meta is not None
    assert meta.title == source["title"]
    assert meta.author == PACK["publisher"]
    assert meta.subject == source["summary"]
    with pikepdf.open(_pdf(pack_folder, doc_id)) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def test_contact_sheet_shows_names_numbers_and_clickable_links(pack_folder: Path) -> None:
    path = _pdf(pack_folder, "contact-sheet")
    text = _squash(" ".join(pdf_pages_text(path)))
    for contact in raw_yaml("contacts.yaml")["contacts"]:
        if contact.get("awaiting_confirmation"):  # never printed until confirmed
            assert _squash(contact["name"]) not in text and contact["phone"] not in text
        else:
            assert _squash(contact["name"]) in text
    assert "Phone: 0344 381 4772" in text
    assert "Phone: 01332 585371" in text
    links = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if annot.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                    links.append(str(action.URI))
    assert "tel:+443443814772" in links
    assert "mailto:helpline@saferinternet.org.uk" in links
    assert "https://www.ddscp.org.uk" in links


ALL_PDFS = [document_file(d, "pdf") for d in DOCUMENTS] + [pack_file("pdf")]


@pytest.mark.parametrize("name", ALL_PDFS)
def test_every_font_is_embedded_and_none_is_standard_14(pack_folder: Path, name: str) -> None:
    fonts = pdf_fonts(pack_folder / name)
    assert fonts
    for base_font, embedded in fonts:
        assert embedded, base_font
        assert re.sub(r"^[A-Z]{6}\+", "", base_font.lstrip("/")) not in STANDARD_14


@pytest.mark.parametrize("name", ALL_PDFS)
def test_nothing_is_drawn_wider_than_the_running_footer(pack_folder: Path, name: str) -> None:
    """The footer's rule spans the page's text width: no table, box, rule or line of
    text (the diagonal DRAFT mark aside) may reach past either end of it, as the
    sheet's back page once did with tables laid out for the front's wider margins."""
    with pdfplumber.open(pack_folder / name) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rules = [
                line
                for line in page.lines
                if abs(line["top"] - line["bottom"]) < 0.5 and line["top"] > 0.85 * page.height
            ]
            assert rules, f"page {number} has no footer rule"
            footer = max(rules, key=lambda line: line["top"])
            drawn = [
                *(("a filled box", r["x0"], r["x1"]) for r in page.rects if r.get("fill")),
                *(("a rule", line["x0"], line["x1"]) for line in page.lines),
                *((repr(c["text"]), c["x0"], c["x1"]) for c in page.chars if c["upright"]),
            ]
            outside = [
                f"{what} at {left:.1f}-{right:.1f}"
                for what, left, right in drawn
                if left < footer["x0"] - 3 or right > footer["x1"] + 3
            ]
            assert not outside, (
                f"page {number}: past the footer's {footer['x0']:.1f}-{footer['x1']:.1f}: "
                + ", ".join(outside[:3])
            )


@pytest.mark.parametrize("name", ALL_PDFS)
def test_qpdf_finds_no_problems(pack_folder: Path, name: str) -> None:
    with pikepdf.open(pack_folder / name) as pdf:
        assert pdf.check_pdf_syntax() == []


# Every PDF a build writes, and the combined PDF of a release, which holds more (the
# release notes) and is laid out again: (which run made it, its name).
EVERY_MADE_PDF = [pytest.param("build", name, id=name) for name in ALL_PDFS] + [
    pytest.param(
        "release", pack_file("pdf"), id=f"release-{pack_file('pdf')}", marks=pytest.mark.slow
    )
]
BOTH_COMBINED_PDFS = [p for p in EVERY_MADE_PDF if p.values[1] == pack_file("pdf")]


def _made(request: pytest.FixtureRequest, made: str, name: str) -> Path:
    """A PDF from the shared build, or from the shared release (made only if asked for)."""
    if made == "build":
        folder: Path = request.getfixturevalue("pack_folder")
    else:
        folder = request.getfixturevalue("draft_release").folder
    return folder / name


# ------------------------------------------------------------------ navigation


def _page_words(reader: PdfReader) -> list[str]:
    return ["".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.mark.parametrize(("made", "name"), EVERY_MADE_PDF)
def test_every_bookmark_opens_the_page_that_shows_its_heading(
    request: pytest.FixtureRequest, made: str, name: str
) -> None:
    reader = PdfReader(_made(request, made, name))
    pages = _page_words(reader)
    landed: list[tuple[str, int | None]] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                landed.append((str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline)
    assert landed
    wrong = [(t, n) for t, n in landed if n is None or "".join(t.split()) not in pages[n]]
    assert not wrong, f"bookmarks opening a page without their heading: {wrong}"
    assert len({n for _, n in landed}) > 1


def _text_under(page: pdfplumber.page.Page, rect: list[float]) -> str:
    """The words drawn inside a link's rectangle, leaving out the large DRAFT watermark."""
    x0, y0, x1, y1 = rect
    box = (x0, page.height - y1, x1, page.height - y0)
    text = page.crop(box).filter(lambda o: o.get("size", 0) < 40).extract_text() or ""
    return " ".join(text.split())


@pytest.mark.parametrize(("made", "name"), BOTH_COMBINED_PDFS)
def test_every_contents_link_opens_the_page_that_shows_its_heading(
    request: pytest.FixtureRequest, made: str, name: str
) -> None:
    path = _made(request, made, name)
    reader = PdfReader(path)
    pages = _page_words(reader)
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}  # type: ignore[union-attr]
    links: list[tuple[str, str, int]] = []  # (title, printed page number, page opened)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(reader.pages):
            for reference in page.get("/Annots", []) or []:
                annotation = reference.get_object()
                if "/Dest" not in annotation:
                    continue
                text = _text_under(pdf.pages[number], [float(v) for v in annotation["/Rect"]])
                title, printed = re.fullmatch(r"(.*?)\s*(\d*)", text).groups()  # type: ignore[union-attr]
                links.append((title, printed, page_index[annotation["/Dest"][0].idnum]))
    # Each entry is one link holding its title and its page number.
    assert all(title and printed for title, printed, _ in links), links
    listed = {"".join(title.split()) for title, _, _ in links}
    for doc_id in DOCUMENTS:
        source = raw_yaml(f"{doc_id}.yaml")
        for title in [source["title"], *(section["title"] for section in source["sections"])]:
            assert "".join(title.split()) in listed, title
    wrong = [(t, i + 1) for t, _, i in links if "".join(t.split()) not in pages[i]]
    assert not wrong, f"contents links opening a page without their heading: {wrong}"
    misprinted = [(t, n, i + 1) for t, n, i in links if int(n) != i + 1]
    assert not misprinted, f"contents entries printing another page than they open: {misprinted}"


# ------------------------------------------------------------------ PDF/A, by another validator


def _without_pdfua_schema(path: Path) -> io.BytesIO:
    """A copy whose XMP leaves out the PDF/UA identification and its extension schema,
    and without the contact sheet's form field.

    pikepdf's validator does not read extension schemas, so it flags any property
    outside the predefined PDF/A schemas, and it does not check interactive forms;
    the audit's pdf-xmp-extension-schema and pdf-form-fields rules check those parts.
    Everything else is validated as built."""
    with pikepdf.open(path) as pdf:
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
            for page in pdf.pages:
                annotations: Any = page.obj.get("/Annots", [])
                kept = [a for a in annotations if a.get("/Subtype") != "/Widget"]
                if len(kept) != len(annotations):
                    page.obj.Annots = pikepdf.Array(kept)
        xml = pdf.Root.Metadata.read_bytes().decode("utf-8")
        xml = re.sub(r"\s*<pdfuaid:part>.*?</pdfuaid:part>", "", xml)
        xml = re.sub(r"\s*<pdfaExtension:schemas>.*?</pdfaExtension:schemas>", "", xml, flags=re.S)
        xml = re.sub(r'\s*xmlns:(pdfuaid|pdfaExtension|pdfaSchema|pdfaProperty)="[^"]*"', "", xml)
        pdf.Root.Metadata.write(xml.encode("utf-8"))
        copy = io.BytesIO()
        pdf.save(copy)
    copy.seek(0)
    return copy


@pytest.mark.parametrize(("made", "name"), EVERY_MADE_PDF)
def test_pikepdfs_pdfa_validator_approves_every_pdf(
    request: pytest.FixtureRequest, made: str, name: str
) -> None:
    from pikepdf import pdfa

    report = pdfa.validate_written(_without_pdfua_schema(_made(request, made, name)), "2b")
    assert report.passed, [str(finding) for finding in report.findings][:10]


def test_pikepdfs_pdfa_validator_can_fail(pack_folder: Path) -> None:
    from pikepdf import pdfa

    with pikepdf.open(pack_folder / ALL_PDFS[0]) as pdf:
        del pdf.Root["/OutputIntents"]
        broken = io.BytesIO()
        pdf.save(broken)
    broken.seek(0)
    assert not pdfa.validate_written(broken, "2b").passed


@pytest.mark.parametrize(("made", "name"), EVERY_MADE_PDF)
def test_document_control_tables_are_never_split(
    request: pytest.FixtureRequest, made: str, name: str
) -> None:
    """Short tables move to the next page whole: every document control table has its
    first row (Version) and its last (Review due) on one page, in every PDF, the
    release's combined PDF with its notes included (where it once left one row on a
    page of its own)."""
    pages = [" ".join(text.split()) for text in pdf_pages_text(_made(request, made, name))]
    firsts = [i for i, text in enumerate(pages) if re.search(r"Item Details Version \d", text)]
    lasts = [i for i, text in enumerate(pages) if "Review due" in text and "Owner" in text]
    assert firsts, "no document control table found"
    assert firsts == lasts, (firsts, lasts)
