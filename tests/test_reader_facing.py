"""What a school holds in its hands: no dead or chargeable number and no wrong law in
any file, and a contact sheet that is one side of A4 with large, bold numbers.

Read back with pypdf, pdfplumber, the zip and XML parsers of the standard library,
none of them the libraries that wrote the files."""

from __future__ import annotations

import functools
import html
import io
import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from docx2python import docx2python

from conftest import (
    SOURCES,
    document_file,
    printed_address,
    printed_contacts,
    raw_yaml,
    source_links,
)
from readers import docx_html

# Characters nobody sees, which a copied address must not carry into a browser.
WATERMARK_SIZE = 40  # points: larger type than any heading
INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")

# The helpline's old chargeable number, and the Serious Crime Act 2015 cross-heading the
# legislation link once pointed at (Schedule 4) instead of section 67.
DEAD_NUMBER = re.compile(r"0\W*8\W*4\W*4\W*3\W*8\W*1")
WRONG_LAW = "ukpga/2015/9/schedule/4"


def _everything_written(path: Path) -> str:
    """The text a reader (or a link) can reach in one file, whatever its format."""
    return _reachable(path.name, path.read_bytes())


@functools.cache
def _reachable(name: str, data: bytes) -> str:
    """What `_everything_written` finds in a file of this name holding these bytes
    (read in memory: a file inside the zip is never written out beside the pack)."""
    suffix = Path(name).suffix
    if suffix == ".pdf":
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() for page in reader.pages)
        uris = [
            str(annotation.get_object().get("/A", {}).get("/URI", ""))
            for page in reader.pages
            for annotation in page.get("/Annots", [])
        ]
        return text + "\n".join(uris)
    if suffix in (".docx", ".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = []
            for inner in archive.namelist():
                content = archive.read(inner)
                if Path(inner).suffix in (".pdf", ".docx"):
                    parts.append(_reachable(inner, content))
                else:
                    parts.append(content.decode("utf-8", "replace"))
            # Word splits text into runs: the words of a paragraph, joined, as well.
            return "\n".join(parts) + re.sub(r"<[^>]+>", "", "\n".join(parts))
    text = data.decode("utf-8", errors="replace")
    return html.unescape(text) if suffix == ".html" else text  # &#x27; is an apostrophe


def test_no_file_prints_the_dead_number_or_links_the_wrong_law(pack_folder: Path) -> None:
    checked = []
    for path in sorted(pack_folder.iterdir()):
        if path.suffix not in (".pdf", ".docx", ".html", ".zip"):
            continue
        written = _everything_written(path)
        assert not DEAD_NUMBER.search(written), f"{path.name} prints the 0844 number"
        assert WRONG_LAW not in written, f"{path.name} links Schedule 4 of the 2015 Act"
        checked.append(path.name)
    assert len(checked) == 3 * 3 + 3  # three documents in three formats, pack, zip, index
    # The check can see them: the right section is linked, and the number is on record.
    assert "ukpga/2015/9/section/67" in _everything_written(
        pack_folder / document_file("online-safety-strategy", "html")
    )
    # ... and the pattern finds the number where editors keep it, as it is written there.
    assert DEAD_NUMBER.search((SOURCES / "contacts.yaml").read_text(encoding="utf-8"))


SHEET = "contact-sheet"


def test_the_contact_sheet_is_one_side_with_document_control_on_the_back(
    pack_folder: Path,
) -> None:
    reader = pypdf.PdfReader(pack_folder / document_file(SHEET, "pdf"))
    front, back = (" ".join(page.extract_text().split()) for page in reader.pages)
    names = [c["name"] for c in printed_contacts("all")]
    assert names
    for name in names:
        assert " ".join(name.split()) in front, f"{name} is not on the front"
    for contact in printed_contacts("all"):  # no card spills onto the back
        for detail in ("phone", "email"):
            assert not contact.get(detail) or str(contact[detail]) not in back
    assert "Organisations that help" not in back
    assert "999" in front
    assert "Our designated safeguarding lead" in front
    assert re.search(r"checked on \d{1,2} \w+ \d{4}", front, re.IGNORECASE)
    assert "Document control" not in front and "Document control" in back
    for box in (page.mediabox for page in reader.pages):
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_the_contact_sheets_numbers_are_bold_and_at_least_12_point(pack_folder: Path) -> None:
    numbers = [str(c["phone"]) for c in printed_contacts("all") if c.get("phone")]
    assert len(numbers) >= 2
    with pdfplumber.open(pack_folder / document_file(SHEET, "pdf")) as pdf:
        chars = pdf.pages[0].chars
    written = "".join(c["text"] for c in chars)
    for number in numbers:
        start = written.find(number)
        assert start >= 0, f"{number} is not on the sheet's front"
        for char in chars[start : start + len(number)]:
            assert char["size"] >= 12 - 0.01, f"{number} is set at {char['size']:.1f} pt"
            assert "Bold" in char["fontname"], f"{number} is not bold"
    # 999 is said first, and large.
    start = written.find("999")
    assert start >= 0 and min(c["size"] for c in chars[start : start + 3]) >= 12


def test_what_editors_keep_is_in_no_file_a_reader_gets(pack_folder: Path) -> None:
    """Editors' notes, where details came from, and a contact awaiting confirmation
    (its candidate numbers too) stay in the sources: no page, document or zip shows
    them, in any format."""
    contacts = raw_yaml("contacts.yaml")["contacts"]
    printed = {str(c.get("web", "")).rstrip("/") for c in contacts}
    kept = []
    for contact in contacts:
        if contact.get("editor_notes"):
            kept.append(" ".join(contact["editor_notes"].split())[:40])
        source = str(contact.get("source", ""))
        if source.startswith("http") and not any(
            web.startswith(source.rstrip("/"))
            for web in printed  # a site the pack links
        ):
            kept.append(re.sub(r"^https?://(www\.)?", "", source).rstrip("/"))
        if contact.get("awaiting_confirmation"):
            kept.append(contact["name"])
            kept += re.findall(r"0\d{4} \d{6}", " ".join(contact["awaiting_confirmation"].split()))
            kept += [str(contact[key]) for key in ("phone", "web") if contact.get(key)]
    assert len(kept) >= 6, kept
    for path in sorted(pack_folder.iterdir()):
        if path.suffix not in (".pdf", ".docx", ".html", ".zip"):
            continue
        written = " ".join(_everything_written(path).split())
        shown = [item for item in kept if item in written]
        assert not shown, f"{path.name} shows what editors keep: {shown}"


def test_each_document_tells_readers_to_call_999_once(pack_folder: Path) -> None:
    """Said twice, the second reads as a different instruction; said once, well."""
    for doc_id in raw_yaml("pack.yaml")["documents"]:
        pages = pypdf.PdfReader(pack_folder / document_file(doc_id, "pdf")).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        assert len(re.findall(r"\b999\b", text)) == 1, (doc_id, re.findall(r".{40}999.{20}", text))
    sheet = pypdf.PdfReader(pack_folder / document_file("contact-sheet", "pdf")).pages[0]
    first = " ".join(sheet.extract_text().split())
    assert "If a child is in immediate danger Call 999." in first


def test_no_label_is_left_alone_at_the_end_of_a_line(pack_folder: Path) -> None:
    """'Web:' alone, its address on the line below, reads as a label with nothing."""
    for path in sorted(pack_folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                for word, following in itertools.pairwise(words):
                    if word["text"] in ("Web:", "Email:", "Phone:"):
                        same_line = abs(following["top"] - word["top"]) < 2
                        assert same_line, f"{path.name} page {number}: {word['text']} alone"


def _addresses(doc_id: str) -> list[str]:
    """Every web address a document prints: its links' and its contacts'."""
    links = [printed_address(url) for _, url in source_links(doc_id)]
    if doc_id != "contact-sheet":
        return links
    return links + [printed_address(str(c["web"])) for c in printed_contacts("all") if c.get("web")]


def _poppler_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_a_copied_address_is_exactly_the_address(pack_folder: Path) -> None:
    """Schools copy printed addresses into browsers and emails. No reader finds an
    invisible character in our PDF or DOCX; poppler (as PDF viewers do, following
    /ActualText) gives each PDF address whole, even where it wraps after a hyphen;
    readers that only read the glyphs give it with a line break at most."""
    for doc_id in raw_yaml("pack.yaml")["documents"]:
        pdf, docx = (pack_folder / document_file(doc_id, kind) for kind in ("pdf", "docx"))
        pages = pypdf.PdfReader(pdf).pages
        with pdfplumber.open(pdf) as opened:
            # In drawing order (the sheet's cards stand side by side), the DRAFT
            # watermark's large letters left out (pdfplumber reads them into lines).
            plumbed = "\n".join(
                page.filter(lambda o: o.get("size", 0) < WATERMARK_SIZE).extract_text(
                    use_text_flow=True
                )
                for page in opened.pages
            )
        with docx2python(docx) as document:
            docx_text = document.text
        texts = {
            "poppler": _poppler_text(pdf),
            "pypdf": "\n".join(page.extract_text() for page in pages),
            "pdfplumber": plumbed,
            "docx2python": docx_text,
            "mammoth": docx_html(docx),
        }
        for reader, text in texts.items():
            found = INVISIBLE.findall(text)
            assert not found, f"{doc_id}, {reader}: {len(found)} invisible characters"
        addresses = _addresses(doc_id)
        assert addresses, doc_id
        for address in addresses:
            for reader in ("poppler", "docx2python", "mammoth"):
                assert address in texts[reader], f"{doc_id}, {reader}: {address}"
            for reader in ("pypdf", "pdfplumber"):
                unwrapped = texts[reader].replace("\n", "")
                assert address in unwrapped, f"{doc_id}, {reader}: {address}"
