"""Each DOCX re-opened with mammoth and plain zip/XML reading, not python-docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from conftest import document_file, expected_headings, raw_yaml
from readers import W, docx_html, docx_part, html_tags, unescape_html

DOCUMENTS = raw_yaml("pack.yaml")["documents"]
VERSION = raw_yaml("pack.yaml")["version"]


def _docx(folder: Path, doc_id: str) -> Path:
    return folder / document_file(doc_id, "docx")


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_headings_are_real_word_headings_in_source_order(pack_folder: Path, doc_id: str) -> None:
    html = docx_html(_docx(pack_folder, doc_id))
    found = [
        (int(level), unescape_html(text))
        for level, text in re.findall(r"<h([1-6])>(.*?)</h\1>", html, flags=re.S)
    ]
    assert found == expected_headings(doc_id)


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_cover_and_body_text_are_there(pack_folder: Path, doc_id: str) -> None:
    source = raw_yaml(f"{doc_id}.yaml")
    html = docx_html(_docx(pack_folder, doc_id))
    # Word's Title style, which the reader maps to <p class="title">
    assert re.findall(r'<p class="title">(.*?)</p>', html) == [source["title"]]
    text = " ".join(html_tags(html, "p") + html_tags(html, "li"))
    if source.get("layout") != "sheet":  # a sheet has no cover: its footer says the version
        assert f"Version: {VERSION}" in text
        assert "Status: Draft" in text
    first_paragraph = next(b for b in source["sections"][0]["body"] if isinstance(b, str))
    assert first_paragraph.split("**")[0].split("[")[0].strip()[:40] in text


def test_contact_sheet_is_cards_with_names_and_numbers(pack_folder: Path) -> None:
    html = docx_html(_docx(pack_folder, "contact-sheet"))
    names = html_tags(html, "h2")
    for contact in raw_yaml("contacts.yaml")["contacts"]:
        printed = not contact.get("awaiting_confirmation")
        assert (contact["name"] in names) is printed, contact["name"]
    card = html.split("Professionals Online Safety Helpline</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Phone: 0344 381 4772" in html_tags(card, "p")
    assert "<strong>0344 381 4772</strong>" in card  # the number in bold
    assert 'href="tel:+443443814772"' in html
    assert 'href="mailto:helpline@saferinternet.org.uk"' in html


def test_links_are_clickable_with_their_descriptive_text(pack_folder: Path) -> None:
    html = docx_html(_docx(pack_folder, "contact-sheet"))
    assert (
        '<a href="https://www.ddscp.org.uk">Derby and Derbyshire safeguarding procedures</a>'
        in html
    )


def test_numbered_lists_restart_for_each_list(pack_folder: Path) -> None:
    """Each `numbered:` block of the strategy is its own Word list starting at 1."""
    path = _docx(pack_folder, "online-safety-strategy")
    assert docx_html(path).count("<ol>") == _numbered_blocks("online-safety-strategy") == 2
    document = docx_part(path, "word/document.xml")
    num_ids: list[str] = []
    for paragraph in document.iter(f"{W}p"):
        element = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
        value = element.get(f"{W}val") if element is not None else None
        if value is not None and value not in num_ids:
            num_ids.append(value)
    assert len(num_ids) == 2  # one numbering instance per list
    numbering = docx_part(path, "word/numbering.xml")
    starts = {
        num.get(f"{W}numId"): num.find(f"{W}lvlOverride/{W}startOverride")
        for num in numbering.iter(f"{W}num")
    }
    for num_id in num_ids:
        override = starts[num_id]
        assert override is not None and override.get(f"{W}val") == "1"


def _numbered_blocks(doc_id: str) -> int:
    def count(sections: list[dict]) -> int:  # type: ignore[type-arg]
        total = 0
        for section in sections:
            total += sum(1 for b in section["body"] if isinstance(b, dict) and "numbered" in b)
            total += count(section.get("sections", []))
        return total

    return count(raw_yaml(f"{doc_id}.yaml")["sections"])


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_footer_has_page_x_of_y_fields_and_the_version(pack_folder: Path, doc_id: str) -> None:
    footer = docx_part(_docx(pack_folder, doc_id), "word/footer1.xml")
    instructions = [t.text.strip() for t in footer.iter(f"{W}instrText") if t.text]
    assert instructions == ["PAGE", "NUMPAGES"]
    text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
    assert f"Version {VERSION}" in text
    header = docx_part(_docx(pack_folder, doc_id), "word/header1.xml")
    title = raw_yaml(f"{doc_id}.yaml")["title"]
    assert title in "".join(t.text or "" for t in header.iter(f"{W}t"))


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_document_properties(pack_folder: Path, doc_id: str) -> None:
    core = docx_part(_docx(pack_folder, doc_id), "docProps/core.xml")
    values = {element.tag.split("}")[1]: element.text for element in core}
    source = raw_yaml(f"{doc_id}.yaml")
    assert values["title"] == source["title"]
    assert values["subject"] == source["summary"]
    assert values["creator"] == raw_yaml("pack.yaml")["publisher"]
    assert values["language"] == "en-GB"
    assert values["keywords"] == "; ".join(source["keywords"])
    styles = docx_part(_docx(pack_folder, doc_id), "word/styles.xml")
    langs = [e.get(f"{W}val") for e in styles.iter(f"{W}lang")]
    assert langs[0] == "en-GB"


def test_logo_has_alt_text_from_the_brand(pack_folder: Path) -> None:
    document = docx_part(_docx(pack_folder, "contact-sheet"), "word/document.xml")
    descriptions = [e.get("descr") for e in document.iter() if e.tag.endswith("}docPr")]
    brand = (Path(__file__).parent.parent / "templates" / "brand.yaml").read_text()
    assert descriptions and descriptions[0] and descriptions[0] in brand


_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_nothing_is_left_over_from_the_template(pack_folder: Path, doc_id: str) -> None:
    """No picture of another document, no application claiming to be Word with no
    words, no second copy of the styles, and nothing a relationship names is missing."""
    path = _docx(pack_folder, doc_id)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert not [n for n in names if re.search(r"thumbnail|customXml|stylesWithEffects", n)]
    for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
        for relationship in docx_part(path, rels).iter(_PACKAGE_RELS):
            if relationship.get("TargetMode") == "External":
                continue
            target = relationship.get("Target", "")
            assert (target.lstrip("/") if target.startswith("/") else base + target) in names
    app = {e.tag.split("}")[1]: e.text or "" for e in docx_part(path, "docProps/app.xml")}
    assert "Microsoft" not in app.get("Application", "")
    assert "Words" not in app or int(app["Words"]) > 0


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_the_title_style_draws_no_border(pack_folder: Path, doc_id: str) -> None:
    """LibreOffice's tagged export draws a paragraph border as an untagged line."""
    styles = docx_part(_docx(pack_folder, doc_id), "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    named = {
        name.get(f"{W}val"): s for s in by_id.values() if (name := s.find(f"{W}name")) is not None
    }
    style: ElementTree.Element | None = named["Title"]
    while style is not None:
        assert style.find(f"{W}pPr/{W}pBdr") is None, style.get(f"{W}styleId")
        based = style.find(f"{W}basedOn")
        style = by_id.get(based.get(f"{W}val")) if based is not None else None


def _keeps_with_next(paragraph: Any, style_keeps: dict[str, bool]) -> bool:
    """keepNext set on the paragraph itself, or on its style (or a style it is based on)."""
    own = paragraph.find(f"{W}pPr/{W}keepNext")
    if own is not None:
        return own.get(f"{W}val", "true") not in ("0", "false")
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style is not None and style_keeps.get(style.get(f"{W}val", ""), False)


def _style_keeps(path: Path) -> dict[str, bool]:
    """Each paragraph style id -> whether it keeps with the next paragraph."""
    styles = {s.get(f"{W}styleId", ""): s for s in docx_part(path, "word/styles.xml")}
    found: dict[str, bool] = {}
    for style_id in styles:
        current: Any = styles[style_id]
        for _ in range(10):  # follow basedOn, never for ever
            keep = current.find(f"{W}pPr/{W}keepNext")
            if keep is not None:
                found[style_id] = keep.get(f"{W}val", "true") not in ("0", "false")
                break
            based = current.find(f"{W}basedOn")
            if based is None or based.get(f"{W}val") not in styles:
                break
            current = styles[based.get(f"{W}val")]
    return found


def _level(paragraph: Any) -> int:
    """A heading paragraph's level (Heading2 is 2); 0 for any other block."""
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    found = re.fullmatch(r"Heading(\d)", "" if style is None else style.get(f"{W}val", ""))
    return int(found.group(1)) if found else 0


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_pages_break_where_the_pdf_breaks_them_in_any_word_processor(
    pack_folder: Path, doc_id: str
) -> None:
    """What keeps the PDF's pages readable, said in Word's own terms so LibreOffice and
    Google Docs keep it too: headings, a section's introduction and a paragraph ending
    in a colon keep with what follows; no table row splits; header rows repeat."""
    path = _docx(pack_folder, doc_id)
    keeps = _style_keeps(path)
    body = docx_part(path, "word/document.xml").find(f"{W}body")
    assert body is not None
    blocks = list(body)
    loose = []
    for index, block in enumerate(blocks):
        if block.tag != f"{W}p" or not _text(block).strip():
            continue
        above = _level(blocks[index - 1]) if index else 0
        below = _level(blocks[index + 1]) if index + 1 < len(blocks) else 0
        introduction = 0 < above < below  # between a heading and its first sub-section
        if (_level(block) or introduction or _text(block).rstrip().endswith(":")) and not (
            _keeps_with_next(block, keeps)
        ):
            loose.append(_text(block)[:50])
    assert not loose, f"these do not keep with what follows: {loose}"
    tables = list(body.iter(f"{W}tbl"))
    assert tables
    for table in tables:
        rows = table.findall(f"{W}tr")
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
