"""The pack as a whole: the combined PDF, the zip, and no empty labels anywhere."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageStat

from conftest import document_file, pack_file, raw_yaml, run_cli
from readers import docx_html, html_tags, pdf_outline, pdf_pages_text

PACK = raw_yaml("pack.yaml")
VERSION = PACK["version"]
COMBINED = pack_file("pdf").removesuffix(".pdf")
LABELS = ("Phone", "Email", "Web", "Hours")


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_the_pack_folder_holds_every_document_in_every_format(pack_folder: Path) -> None:
    names = sorted(p.name for p in pack_folder.iterdir() if not p.name.startswith("."))
    expected = sorted(
        [document_file(d, ext) for d in PACK["documents"] for ext in ("docx", "pdf", "html")]
        + [
            document_file(d, "pdf").removesuffix(".pdf") + "-thumbnail.png"
            for d in PACK["documents"]
        ]
        + [f"{COMBINED}.pdf", f"{COMBINED}.zip", "index.html"]
    )
    assert names == expected


def test_combined_pdf_holds_the_three_documents_in_order(pack_folder: Path) -> None:
    path = pack_folder / f"{COMBINED}.pdf"
    titles = [raw_yaml(f"{d}.yaml")["title"] for d in PACK["documents"]]
    top_level = [title for depth, title in pdf_outline(path) if depth == 0]
    assert top_level == [*titles, "About this pack"]  # last, the pack's own document control
    pages = pdf_pages_text(path)
    assert PACK["title"] in " ".join(pages[0].split())
    assert "Contents" in pages[1]
    # Each document starts on a later page than the one before it.
    starts = [
        next(
            i
            for i, page in enumerate(pages[2:], start=2)
            if " ".join(t.split()) in " ".join(page.split())
        )
        for t in titles
    ]
    assert starts == sorted(starts) and len(set(starts)) == 3
    closing = " ".join(pages[-1].split())
    assert "Document control for the complete pack" in closing
    assert f"Review due {_long(PACK['review_due'])}" in closing
    assert len(pages) > sum(1 for _ in titles) + 2


def test_combined_pdf_shows_each_document_page_for_page_as_its_own_pdf(
    pack_folder: Path,
) -> None:
    """Each document's pages come into the pack as they are in its own PDF; only the
    page numbers run on through the pack."""
    pack = pdf_pages_text(pack_folder / f"{COMBINED}.pdf")
    start = 2  # after the pack's cover and its contents page
    for doc_id in PACK["documents"]:
        own = pdf_pages_text(pack_folder / document_file(doc_id, "pdf"))
        for number, text in enumerate(own, start=1):
            in_pack = pack[start + number - 1]
            assert f"Page {start + number} of {len(pack)}" in in_pack, (doc_id, number)
            assert in_pack.replace(f"Page {start + number} of {len(pack)}", "") == text.replace(
                f"Page {number} of {len(own)}", ""
            ), (doc_id, number)
        start += len(own)
    assert "About this pack" in pack[start]


def test_contents_page_lists_each_document_with_its_page(pack_folder: Path) -> None:
    pages = pdf_pages_text(pack_folder / f"{COMBINED}.pdf")
    contents = pages[1]
    for doc_id in PACK["documents"]:
        title = raw_yaml(f"{doc_id}.yaml")["title"]
        match = re.search(re.escape(title) + r"\s*(\d+)", " ".join(contents.split()))
        assert match, title
        page_number = int(match.group(1))
        assert " ".join(title.split()) in " ".join(pages[page_number - 1].split())


def _contents_pages(pdf: Path) -> list[list[str]]:
    """The entries (title and page number) of each contents page, read from the lines
    between the running header and footer, up to the first document's own page."""
    found = []
    with pdfplumber.open(pdf) as opened:
        for page in opened.pages[1:]:
            text = page.filter(lambda obj: obj.get("size", 0) < 60)  # not the DRAFT mark
            lines = [
                " ".join(line["text"].replace(".", " ").split())
                for line in text.extract_text_lines()
                if 0.08 * page.height < line["top"] < 0.9 * page.height
            ]
            entries = [line for line in lines if re.fullmatch(r".+ \d+", line)]
            if not entries or entries != [line for line in lines if line != "Contents"]:
                break
            found.append(entries)
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("extra", "pages"), [(12, 1), (26, 2), (70, 3)])
def test_a_long_contents_shrinks_onto_its_page_or_breaks_leaving_no_stray_line(
    sources_copy: Path, tmp_path: Path, extra: int, pages: int
) -> None:
    """The contents once ran one line onto a page of its own. With more sections in the
    strategy: a few more shrink the type onto one page; more break it before a
    document's title; more than a page for the strategy alone break it inside the
    strategy. Never a page of a line or two, never a title at a page foot, and never
    a failed build."""
    strategy = sources_copy / "online-safety-strategy.yaml"
    added = "".join(
        f'  - title: Further section {n}\n    body:\n      - "More about this."\n'
        for n in range(1, extra + 1)
    )
    strategy.write_text(strategy.read_text(encoding="utf-8") + added, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--sources", sources_copy, "--out", out, "--formats", "pack")
    assert result.returncode == 0, result.stderr[-2000:]
    contents = _contents_pages(out / VERSION / f"{COMBINED}.pdf")
    assert len(contents) == pages, [entries[:2] for entries in contents]
    assert sum(len(entries) for entries in contents) >= extra + 25
    titles = {raw_yaml(f"{d}.yaml")["title"] for d in PACK["documents"]} | {"About this pack"}
    for number, entries in enumerate(contents, start=2):
        assert len(entries) >= 3, f"page {number} holds only {entries}"
        if entries is not contents[-1]:  # a page the contents goes on from
            ending = [entry.rsplit(" ", 1)[0] for entry in entries[-2:]]
            assert not set(ending) & titles, f"page {number} ends with a title: {ending}"


def test_zip_holds_every_file_once(pack_folder: Path) -> None:
    with zipfile.ZipFile(pack_folder / f"{COMBINED}.zip") as archive:
        assert archive.testzip() is None
        names = sorted(Path(n).name for n in archive.namelist())
        for name in names:
            assert archive.read(f"{COMBINED}/{name}") == (pack_folder / name).read_bytes()
    # Everything but the zip itself, the download page and its thumbnails.
    skipped = (".zip", ".png")
    on_disk = sorted(
        p.name
        for p in pack_folder.iterdir()
        if p.suffix not in skipped and p.name != "index.html" and not p.name.startswith(".")
    )
    assert names == on_disk


def _empty_labels(text: str) -> list[str]:
    """Labels followed by another label or by nothing: a detail printed blank."""
    labels = "|".join(LABELS)
    squashed = " ".join(text.split())
    return re.findall(rf"\b({labels}):(?= (?:{labels}):|$)", squashed)


def test_the_empty_label_check_can_fail() -> None:
    assert _empty_labels("Phone: 0344 381 4772 Email: Web: x.org") == ["Email"]
    assert _empty_labels("Hours:") == ["Hours"]
    assert _empty_labels("Email:\nhelpline@saferinternet.org.uk") == []


def test_no_output_shows_an_empty_label(pack_folder: Path) -> None:
    for path in pack_folder.iterdir():
        if path.suffix == ".pdf":
            chunks = pdf_pages_text(path)
        elif path.suffix == ".docx":
            html = docx_html(path)
            chunks = html_tags(html, "p") + html_tags(html, "li")
        else:
            continue
        for chunk in chunks:
            assert _empty_labels(chunk) == [], (path.name, chunk)


@pytest.mark.slow
def test_a_contact_without_email_prints_no_email_label(sources_copy: Path, tmp_path: Path) -> None:
    contacts = sources_copy / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(
        text.replace("    email: helpline@saferinternet.org.uk\n", ""), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = run_cli("build", "--sources", sources_copy, "--out", out, "--formats", "pdf")
    assert result.returncode == 0, result.stderr
    assert "Professionals Online Safety Helpline has no email address" in result.stderr
    sheet = out / VERSION / document_file("contact-sheet", "pdf")
    text = " ".join(" ".join(pdf_pages_text(sheet)).split())
    assert "helpline@saferinternet.org.uk" not in text
    assert text.count("Email:") == 0
    assert "Phone: 0344 381 4772" in text


@pytest.mark.parametrize("doc_id", PACK["documents"])
def test_each_thumbnail_is_the_page_where_its_document_begins(
    pack_folder: Path, doc_id: str
) -> None:
    """Covers look alike, so the download page's picture is the page that shows the
    document's first section (the sheet's only side), found in the PDF's own text."""
    pdf = pack_folder / document_file(doc_id, "pdf")
    first_section = " ".join(raw_yaml(f"{doc_id}.yaml")["sections"][0]["title"].split())
    texts = [" ".join(text.split()) for text in pdf_pages_text(pdf)]
    opening = next(i for i, text in enumerate(texts) if first_section in text)
    thumbnail = Image.open(pack_folder / pdf.name.replace(".pdf", "-thumbnail.png"))
    document = pypdfium2.PdfDocument(pdf)

    def likeness(index: int) -> float:
        page = document[index]
        drawn = page.render(scale=thumbnail.width / page.get_width()).to_pil()
        drawn = drawn.convert("RGB").resize(thumbnail.size)
        return ImageStat.Stat(ImageChops.difference(drawn, thumbnail.convert("RGB"))).mean[0]

    try:
        # The picture is in 64 colours, so even the right page differs a little
        # (about 1.6 of 255 on average); every other page differs by 18 or more.
        assert likeness(opening) < 3.0, f"{doc_id}: the picture is not page {opening + 1}"
        for other in set(range(len(document))) - {opening}:
            assert likeness(other) > 5.0, f"{doc_id}: page {other + 1} looks the same"
    finally:
        document.close()
