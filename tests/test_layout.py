"""The layout rules: each fails a page drawn wrong on purpose and passes the same
page drawn right, and every format of the real pack has none of their faults,
read from our PDFs, from LibreOffice's PDF of each DOCX and from Chromium's
printed PDF of each HTML edition.

The broken pages are drawn by hand (`sketch.Sketch`), in raw PDF operators, so
each test says exactly what is on the page and no renderer of ours is involved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from browser import SKIP_REASON, Guard, chromium, chromium_path, serve
from conftest import (
    document_file,
    pack_file,
    printed_address,
    printed_contacts,
    raw_yaml,
    replace_in,
    run_cli,
    source_links,
)
from esafety_docs.audit import audit, rules_for
from libreoffice import SOFFICE, tagged_pdfs
from readers import docx_html, html_tags
from shared import Shared
from sketch import BODY, Sketch

LAYOUT_RULES = [r.name for r in rules_for("pdf") if r.family == "layout"]
DOCUMENTS = raw_yaml("pack.yaml")["documents"]
CHROMIUM = chromium_path()

TOP = 780.0  # where a sketched page's text starts
SENTENCE = "Every report gets a police response that is in proportion to what happened."


# ------------------------------------------------------------------ helpers


def _findings(path: Path, rule: str) -> list[str]:
    result = next(r for r in audit(path) if r.rule == rule)
    return [] if result.passed else result.detail.split("; ")


def _full_page(sketch: Sketch, down_to: float = 90, **style: Any) -> Sketch:
    """A page of body text from the top down to `down_to`."""
    count = int((TOP - down_to) / (BODY * 1.45)) + 1
    sketch.page().lines([SENTENCE] * count, TOP, **style)
    return sketch


# ------------------------------------------------------------------ overlap


def test_words_drawn_over_each_other_are_found(tmp_path: Path) -> None:
    title = "Police response to nude and semi-nude images shared by young people"
    broken = Sketch().page().text(60, 790, title, size=8.5).text(250, 790, "DRAFT", bold=True)
    findings = _findings(broken.save(tmp_path / "broken.pdf"), "pdf-text-overlap")
    assert len(findings) == 1
    assert (
        findings[0].startswith("page 1: words drawn over each other:") and '"DRAFT"' in findings[0]
    )
    clean = Sketch().page().text(60, 790, title, size=8.5).text(420, 790, "DRAFT", bold=True)
    assert _findings(clean.save(tmp_path / "clean.pdf"), "pdf-text-overlap") == []


@pytest.mark.parametrize(
    "watermark",
    [
        {"size": 24, "colour": "#00576B", "angle": 50},
        {"size": 110, "colour": "#00576B", "alpha": 0.08},
        {"size": 110, "colour": "#D8E6EA"},
    ],
    ids=["rotated", "huge and transparent", "huge and faint"],
)
def test_a_watermark_over_the_text_is_left_out(tmp_path: Path, watermark: dict[str, Any]) -> None:
    sketch = _full_page(Sketch()).text(150, 400, "DRAFT", **watermark)
    assert _findings(sketch.save(tmp_path / "watermarked.pdf"), "pdf-text-overlap") == []
    assert _findings(tmp_path / "watermarked.pdf", "pdf-text-contrast") == []


def test_large_upright_text_is_no_watermark(tmp_path: Path) -> None:
    """Drawn over the body text in a solid colour, it is a fault, however large."""
    sketch = _full_page(Sketch()).text(150, 400, "DRAFT", size=110, colour="#00576B")
    assert _findings(sketch.save(tmp_path / "stamp.pdf"), "pdf-text-overlap")


def test_letters_of_one_word_may_touch(tmp_path: Path) -> None:
    """Two runs that make one word (a full stop after an italic word, a kerned
    pair) are not different words drawn over each other."""
    sketch = Sketch().page().text(60, 700, "people", size=20).text(116, 700, ".", size=20)
    assert _findings(sketch.save(tmp_path / "word.pdf"), "pdf-text-overlap") == []


def test_a_word_struck_twice_for_bold_is_not_an_overlap(tmp_path: Path) -> None:
    """Some programs draw bold by striking the same text twice, a little apart."""
    sketch = Sketch().page().text(60, 700, "Organisation").text(60.3, 700, "Organisation")
    assert _findings(sketch.save(tmp_path / "bold.pdf"), "pdf-text-overlap") == []


# ------------------------------------------------------------------ contrast


def test_dark_text_on_a_dark_fill_fails_and_white_passes(tmp_path: Path) -> None:
    broken = Sketch().page().box(60, 690, 300, 20, "#00576B").text(66, 696, "Organisation")
    findings = _findings(broken.save(tmp_path / "dark.pdf"), "pdf-text-contrast")
    assert len(findings) == 1
    assert findings[0].startswith("page 1: text #1B1B1B on #00576B is 2.11:1, needs 4.5:1")
    clean = Sketch().page().box(60, 690, 300, 20, "#00576B")
    clean.text(66, 696, "Organisation", colour="#FFFFFF")
    assert _findings(clean.save(tmp_path / "white.pdf"), "pdf-text-contrast") == []


@pytest.mark.parametrize(
    ("size", "bold", "passes"),
    [(12, False, False), (18, False, True), (14, True, True), (14, False, False)],
    ids=["12pt fails", "18pt is large", "14pt bold is large", "14pt regular is not"],
)
def test_large_text_needs_three_to_one(
    tmp_path: Path, size: float, bold: bool, passes: bool
) -> None:
    """#808080 on white is 3.95:1: enough for large text only (WCAG 2.2 1.4.3)."""
    sketch = (
        Sketch().page().text(60, 700, "Where to get help", size=size, bold=bold, colour="#808080")
    )
    assert (_findings(sketch.save(tmp_path / "grey.pdf"), "pdf-text-contrast") == []) is passes


def test_pale_text_on_white_paper_fails(tmp_path: Path) -> None:
    sketch = Sketch().page().text(60, 700, "Details are checked regularly.", colour="#BBBBBB")
    findings = _findings(sketch.save(tmp_path / "pale.pdf"), "pdf-text-contrast")
    assert findings and "#BBBBBB on #FFFFFF" in findings[0]


# ------------------------------------------------------------------ headings


@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_a_heading_at_the_foot_with_one_line_after_it_fails(tmp_path: Path, tagged: bool) -> None:
    broken = _full_page(Sketch(tagged), down_to=150)
    broken.text(60, 120, "Roles of partners", size=16.8, bold=True, role="H2")
    broken.text(60, 100, "Keeping children safe online needs all partners to play their part.")
    _full_page(broken)
    findings = _findings(broken.save(tmp_path / "broken.pdf"), "pdf-heading-kept-with-text")
    assert findings == [
        'page 1: "Roles of partners" is at the foot of the page with 1 line after it'
    ]

    clean = _full_page(Sketch(tagged), down_to=110)
    clean.page().text(60, TOP, "Roles of partners", size=16.8, bold=True, role="H2")
    clean.lines([SENTENCE] * 3, TOP - 22)
    assert _findings(clean.save(tmp_path / "clean.pdf"), "pdf-heading-kept-with-text") == []


@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
@pytest.mark.parametrize(
    ("over_the_page", "stranded"),
    [
        (("Sexual communication with a child", 13.1, "H3"), True),
        (("Principles", 16.8, "H2"), False),
    ],
    ids=["its first sub-section follows", "the next section follows"],
)
def test_a_heading_and_its_introduction_are_stranded_when_its_sub_section_moves_on(
    tmp_path: Path, tagged: bool, over_the_page: tuple[str, float, str], stranded: bool
) -> None:
    """'Legal and policy context' and its one-line introduction at a page foot, and
    its first sub-section on the next page: the section goes on, so its heading was
    left behind. A short section that is over when the next one starts is whole."""
    title, size, role = over_the_page
    sketch = _full_page(Sketch(tagged), down_to=150)
    sketch.text(60, 120, "Legal and policy context", size=16.8, bold=True, role="H2")
    sketch.text(60, 100, "This is a short summary of the law, not legal advice.")
    sketch.page().text(60, TOP, title, size=size, bold=True, role=role)
    sketch.lines([SENTENCE] * 30, TOP - 25)
    findings = _findings(sketch.save(tmp_path / "intro.pdf"), "pdf-heading-kept-with-text")
    if stranded:
        assert findings == [
            'page 1: "Legal and policy context" is at the foot of the page with 1 line after it'
        ]
    else:
        assert findings == []


@pytest.mark.parametrize(
    ("line", "heading"),
    [("Web: www.thinkuknow.co.uk/", False), ("Roles of partners", True)],
    ids=["a contact's web address", "a heading"],
)
def test_large_type_showing_an_address_is_no_heading_without_tags(
    tmp_path: Path, line: str, heading: bool
) -> None:
    """Untagged (LibreOffice's default export), a heading is known by its size; a
    contact's web address, set large to read from a metre away, is larger than the
    body text too, but it is a detail, not a heading."""
    sketch = _full_page(Sketch(), down_to=150)
    sketch.lines([line, "professionals"], 120, size=13)  # 10.5 pt body text around it
    _full_page(sketch)
    findings = _findings(sketch.save(tmp_path / "large.pdf"), "pdf-heading-kept-with-text")
    assert bool(findings) is heading, findings


def test_a_heading_with_two_lines_after_it_may_sit_low(tmp_path: Path) -> None:
    sketch = _full_page(Sketch(), down_to=170)
    sketch.text(60, 140, "Roles of partners", size=16.8, bold=True)
    sketch.lines([SENTENCE, SENTENCE], 120)
    _full_page(sketch)
    assert _findings(sketch.save(tmp_path / "low.pdf"), "pdf-heading-kept-with-text") == []


@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_a_table_header_row_is_not_a_line_of_what_follows(tmp_path: Path, tagged: bool) -> None:
    """'Document control', the table's header row and one row at a page foot."""
    sketch = _full_page(Sketch(tagged), down_to=170)
    sketch.text(60, 140, "Document control", size=16.8, bold=True, role="H2")
    sketch.text(66, 118, "Item", size=9, bold=True, role="TH")
    sketch.text(200, 118, "Details", size=9, bold=True, role="TH")
    sketch.text(66, 100, "Version", size=9, role="TD").text(200, 100, "0.1.0", size=9, role="TD")
    _full_page(sketch)
    findings = _findings(sketch.save(tmp_path / "stranded.pdf"), "pdf-heading-kept-with-text")
    assert findings == [
        'page 1: "Document control / Item Details" is at the foot of the page with 1 line after it'
    ]


def test_a_bold_name_running_on_in_its_table_cell_is_no_heading(tmp_path: Path) -> None:
    """A row header in bold that wraps further than the cells beside it leaves
    lines holding only bold words: they are still the table, not headings."""
    sketch = _full_page(Sketch(), down_to=170)
    sketch.text(66, 130, "Derby and Derbyshire", bold=True)
    sketch.text(250, 130, "Local safeguarding procedures.")
    sketch.lines(["Safeguarding Children", "Partnership"], 130 - BODY * 1.3, bold=True)
    _full_page(sketch)
    assert _findings(sketch.save(tmp_path / "row.pdf"), "pdf-heading-kept-with-text") == []


def test_a_heading_ending_the_document_is_not_stranded(tmp_path: Path) -> None:
    sketch = _full_page(Sketch(), down_to=150)
    sketch.text(60, 120, "Change history", size=16.8, bold=True)
    sketch.text(60, 100, "First draft.")
    assert _findings(sketch.save(tmp_path / "end.pdf"), "pdf-heading-kept-with-text") == []


# ------------------------------------------------------------------ page fill


@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_a_nearly_empty_page_before_more_content_fails(tmp_path: Path, tagged: bool) -> None:
    """The running footer at the foot of every page is furniture, not content:
    without artifact marks it is known by coming back at the same height."""
    broken = _full_page(Sketch(tagged))
    broken.page().lines([SENTENCE] * 3, TOP)
    _full_page(broken)
    findings = _findings(broken.save(tmp_path / "gap.pdf"), "pdf-page-filled")
    assert len(findings) == 1 and findings[0].startswith("page 2 is ")
    assert findings[0].endswith("full and more follows on page 3")

    clean = _full_page(Sketch(tagged))
    _full_page(clean, down_to=450)
    _full_page(clean)
    assert _findings(clean.save(tmp_path / "half.pdf"), "pdf-page-filled") == []


def test_a_short_last_page_or_one_before_a_new_document_is_fine(tmp_path: Path) -> None:
    sketch = _full_page(Sketch())
    sketch.page().lines([SENTENCE], TOP)
    sketch.page().text(60, TOP, "Police response to nude images", size=24, bold=True)
    sketch.lines([SENTENCE] * 40, TOP - 40)
    sketch.page().lines([SENTENCE], TOP)
    assert _findings(sketch.save(tmp_path / "parts.pdf"), "pdf-page-filled") == []


# ------------------------------------------------------------------ addresses

ADDRESS = "https://www.childnet.com/teachers-and-professionals/"


@pytest.mark.parametrize(
    ("first", "second", "passes"),
    [
        ("Web: www.childnet.com/teachers-an", "d-professionals", False),
        ("Web: www.childnet.com/teachers-", "and-professionals", True),
        ("Web: www.childnet.com/", "teachers-and-professionals", True),
        ("Web:", "www.childnet.com/teachers-and-professionals", True),
    ],
    ids=["inside a word", "after a hyphen", "after a slash", "moved whole"],
)
def test_an_address_breaks_only_after_a_slash_dot_or_hyphen(
    tmp_path: Path, first: str, second: str, passes: bool
) -> None:
    sketch = Sketch().page()
    sketch.lines([first, second, "Works with children aged 3 to 18."], TOP)
    sketch.link((60, TOP - 18, 300, TOP + 10), ADDRESS)
    findings = _findings(sketch.save(tmp_path / "address.pdf"), "pdf-address-unbroken")
    if passes:
        assert findings == []
    else:
        assert findings == [
            'page 1: "www.childnet.com/teachers-an" / "d-professionals" breaks an address '
            "inside a word"
        ]


def test_an_unlinked_address_shown_whole_elsewhere_is_known(tmp_path: Path) -> None:
    sketch = Sketch().page()
    sketch.lines(["See www.thinkuknow.co.uk/professi", "onals for resources."], TOP)
    sketch.lines(["Again: www.thinkuknow.co.uk/professionals"], TOP - 60)
    findings = _findings(sketch.save(tmp_path / "unlinked.pdf"), "pdf-address-unbroken")
    assert len(findings) == 1 and '"www.thinkuknow.co.uk/professi" / "onals"' in findings[0]


def test_ordinary_words_at_line_ends_are_not_addresses(tmp_path: Path) -> None:
    sketch = Sketch().page()
    sketch.lines(["Visit www.ddscp.org.uk", "for more."], TOP)
    sketch.link((60, TOP - 3, 200, TOP + 10), "https://www.ddscp.org.uk/")
    assert _findings(sketch.save(tmp_path / "words.pdf"), "pdf-address-unbroken") == []


# ------------------------------------------------------------------ widows


@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_one_word_ending_a_paragraph_at_the_top_of_a_page_fails(
    tmp_path: Path, tagged: bool
) -> None:
    broken = _full_page(Sketch(tagged), down_to=150)
    wrapped = "All partners, schools and services should keep to the procedures of their own"
    broken.lines([wrapped], 120, element="split")
    broken.page().text(60, TOP, "agency.", element="split")
    broken.lines([SENTENCE] * 5, TOP - 25)
    findings = _findings(broken.save(tmp_path / "widow.pdf"), "pdf-no-widow-word")
    assert findings == ['page 2 opens with the single word "agency." from a paragraph on page 1']

    clean = _full_page(Sketch(tagged), down_to=150)
    clean.lines([wrapped.removesuffix(" own")], 120, element="split")
    clean.page().text(60, TOP, "own agency.", element="split")
    clean.lines([SENTENCE] * 5, TOP - 25)
    assert _findings(clean.save(tmp_path / "clean.pdf"), "pdf-no-widow-word") == []


@pytest.mark.parametrize(
    "items",
    [["• exploitation;", "• grooming;"], ["Childline", "Childnet"]],
    ids=["punctuated", "names"],
)
def test_a_one_word_item_that_starts_a_page_is_not_a_widow(
    tmp_path: Path, items: list[str]
) -> None:
    sketch = _full_page(Sketch(), down_to=120)
    sketch.lines(["These organisations help:", items[0]], 100)
    sketch.page().lines([items[1], "Think U Know"], TOP)
    assert _findings(sketch.save(tmp_path / "list.pdf"), "pdf-no-widow-word") == []


# ------------------------------------------------------------------ edges


def test_text_off_the_paper_or_at_its_edge_fails(tmp_path: Path) -> None:
    """Contents page numbers drawn at the paper's right edge and above its top."""
    broken = Sketch().page().text(60, 700, "Online safety strategy").text(589, 700, "3")
    broken.text(560, 960, "4")
    findings = _findings(broken.save(tmp_path / "edge.pdf"), "pdf-text-on-paper")
    assert findings == ['page 1: off the paper or at its very edge: "3", "4"']
    clean = Sketch().page().text(60, 700, "Online safety strategy").text(520, 700, "3")
    assert _findings(clean.save(tmp_path / "inside.pdf"), "pdf-text-on-paper") == []


def test_every_layout_rule_is_tested_above() -> None:
    tested = {
        "pdf-text-overlap",
        "pdf-text-contrast",
        "pdf-heading-kept-with-text",
        "pdf-page-filled",
        "pdf-address-unbroken",
        "pdf-no-widow-word",
        "pdf-text-on-paper",
    }
    assert set(LAYOUT_RULES) == tested


def test_audit_reports_a_layout_fault_with_file_and_page(tmp_path: Path) -> None:
    broken = Sketch().page().box(60, 690, 300, 20, "#00576B").text(66, 696, "Organisation")
    path = broken.save(tmp_path / "sheet.pdf")
    result = run_cli("audit", path)
    assert result.returncode == 1
    assert "FAIL sheet.pdf pdf-text-contrast: page 1: text #1B1B1B on #00576B" in result.stdout


# ------------------------------------------------------------------ the real pack


@pytest.fixture(scope="module")
def chromium_pdfs(rendered: Path, shared: Shared) -> dict[str, Path]:
    """Chromium's printed PDF (A4, its default print settings) of every HTML edition
    in `rendered` (the rendered pack, see conftest.py), by document id."""
    if CHROMIUM is None:
        pytest.skip(SKIP_REASON)
    printed = {doc_id: document_file(doc_id, "pdf") for doc_id in DOCUMENTS}

    def make(folder: Path) -> None:
        assert CHROMIUM is not None
        with serve(rendered) as base, chromium(CHROMIUM) as browser:
            for doc_id in DOCUMENTS:
                page = browser.new_page()
                guard = Guard()
                guard.attach(page)
                page.goto(base + document_file(doc_id, "html"))
                page.pdf(path=str(folder / printed[doc_id]), format="A4")
                page.close()
                assert guard.outside == []

    folder = shared.made_once("chromium", make)
    return {doc_id: folder / name for doc_id, name in printed.items()}


def _layout_faults(path: Path) -> str:
    """Every layout fault in the file, one rule a line ("" when there are none)."""
    return "\n".join(
        f"{r.rule}: {r.detail}" for r in audit(path) if r.rule in LAYOUT_RULES and not r.passed
    )


def _ours() -> Iterator[str]:
    yield from (document_file(d, "pdf") for d in DOCUMENTS)
    yield pack_file("pdf")


@pytest.mark.slow
@pytest.mark.parametrize("name", list(_ours()))
def test_our_pdfs_have_no_layout_faults(rendered: Path, name: str) -> None:
    faults = _layout_faults(rendered / name)
    assert not faults, f"{name}:\n{faults}"


@pytest.mark.slow
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_libreoffice_pdf_of_each_docx_has_no_layout_faults(
    libreoffice_pdfs: dict[str, Path], doc_id: str
) -> None:
    faults = _layout_faults(libreoffice_pdfs[doc_id])
    assert not faults, f"LibreOffice's PDF of {doc_id}.docx:\n{faults}"


@pytest.mark.slow
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_chromium_print_of_each_html_edition_has_no_layout_faults(
    chromium_pdfs: dict[str, Path], doc_id: str
) -> None:
    faults = _layout_faults(chromium_pdfs[doc_id])
    assert not faults, f"Chromium's print of {doc_id}.html:\n{faults}"


@pytest.mark.slow
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_every_page_chromium_prints_is_marked_and_the_last_holds_the_document(
    chromium_pdfs: dict[str, Path], doc_id: str
) -> None:
    """Printed from the browser, as the PDF: DRAFT, the partnership, the version and
    'Page X of Y' on every page, and no page after the document's last words (the
    page's own footer once took a page to itself)."""
    source, pack = raw_yaml(f"{doc_id}.yaml"), raw_yaml("pack.yaml")
    pages = [
        " ".join(page.extract_text().split()) for page in PdfReader(chromium_pdfs[doc_id]).pages
    ]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, f"page {number}: {text[-80:]}"
        assert f"Version {pack['version']}, 28 November 2026" in text, f"page {number}"
        assert "Derby and Derbyshire Safeguarding Children Partnership" in text
        assert "DRAFT" in text or source["status"] != "draft", f"page {number}"
    last_words = " ".join(source["change_history"][-1]["change"].split())
    assert last_words in pages[-1], f"{doc_id}: the last page is {pages[-1][:120]!r}"


def _running_lines(pdf: Path) -> list[tuple[list[str], list[str]]]:
    """Each page's header and footer as lines of text: the lines in the top and
    bottom tenth of the page that come back on most pages (page numbers aside), so
    body text near the margin is left out. Words share a line when their baselines
    are within 2.5 pt, as a bold DRAFT beside smaller type does; upright text only."""
    pages = []
    with pdfplumber.open(pdf) as opened:
        for page in opened.pages:
            upright = page.filter(lambda obj: obj.get("upright", True) and obj.get("size", 0) < 60)
            words = upright.extract_words(extra_attrs=["size"])
            top = _lines_of([w for w in words if w["bottom"] < 0.1 * page.height])
            bottom = _lines_of([w for w in words if w["top"] > 0.9 * page.height])
            pages.append((top, bottom))
    counts: dict[str, int] = {}
    for top, bottom in pages:
        for line in {re.sub(r"\d+", "#", text) for text in top + bottom}:
            counts[line] = counts.get(line, 0) + 1

    def running(lines: list[str]) -> list[str]:
        return [text for text in lines if counts[re.sub(r"\d+", "#", text)] * 2 > len(pages)]

    return [(running(top), running(bottom)) for top, bottom in pages]


def _lines_of(words: list[dict[str, Any]]) -> list[str]:
    """Words grouped into lines by baseline, each line read left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: w["bottom"]):
        if lines and word["bottom"] - lines[-1][-1]["bottom"] < 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines]


def _numbered_items(pdf: Path) -> list[tuple[str, float]]:
    """Each line that starts with a list number ("10."): the number, and the space
    between its full stop and the item's first letter, in points."""
    found = []
    with pdfplumber.open(pdf) as opened:
        for page in opened.pages:
            for line in page.extract_text_lines(return_chars=True):
                label = re.match(r"(\d{1,2})\.\s*[^\d\s]", line["text"])
                if not label:
                    continue
                chars = [c for c in line["chars"] if c["text"].strip()]
                stop = len(label.group(1))  # the full stop's place among the characters
                if chars[stop]["text"] == ".":
                    found.append((label.group(1), chars[stop + 1]["x0"] - chars[stop]["x1"]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("made_by", ["ours", "libreoffice", "chromium"])
def test_every_list_number_keeps_a_gap_before_its_item(
    request: pytest.FixtureRequest, rendered: Path, made_by: str
) -> None:
    """ "10." once touched its item's text in LibreOffice ("10.Check how well"). Read
    from the glyphs each program draws: every number, 1 to 10, a space clear of it."""
    doc_id = "online-safety-strategy"  # its action plan runs to 10
    if made_by == "ours":
        pdf = rendered / document_file(doc_id, "pdf")
    else:
        pdf = request.getfixturevalue(f"{made_by}_pdfs")[doc_id]
    items = _numbered_items(pdf)
    found = {number for number, _ in items}
    assert {str(n) for n in range(1, 11)} <= found, f"{made_by}: items found: {sorted(found)}"
    tight = [f"{number}. ({gap:.1f} pt)" for number, gap in items if gap < 2.5]
    assert not tight, f"{made_by}: numbers touching their text: {tight}"


@pytest.mark.slow
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_headers_and_footers_hold_their_lines_in_libreoffice(
    libreoffice_pdfs: dict[str, Path], doc_id: str
) -> None:
    """The DOCX as LibreOffice lays it out: the title, DRAFT and DDSCP on one header
    line, however long the title; the footer's two lines with 'Page X of Y' at the
    end of the first, never on a line of its own."""
    pages = _running_lines(libreoffice_pdfs[doc_id])
    for number, (header, footer) in enumerate(pages, start=1):
        assert len(header) == 1 and header[0].endswith("DRAFT DDSCP"), f"page {number}: {header}"
        assert len(footer) == 2, f"page {number}: {footer}"
        assert footer[0].startswith("Derby and Derbyshire"), f"page {number}: {footer}"
        assert footer[0].endswith(f"Page {number} of {len(pages)}"), f"page {number}: {footer}"
        assert footer[1].startswith("Version "), f"page {number}: {footer}"


def _printed(text: str) -> str:
    """Text with every space and line break taken out, so an address wrapped over two
    lines reads as one."""
    return re.sub(r"\s", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("made_by", ["ours", "word", "chromium"])
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_every_link_shows_its_address_once_on_paper(
    request: pytest.FixtureRequest, rendered: Path, made_by: str, doc_id: str
) -> None:
    """A printed page must still be followable: each link whose words are not an
    address is followed by its address, once, without https:// (in our PDF, in the
    DOCX's text and in Chromium's print of the HTML edition); an address that is its
    own link's words is never shown twice."""
    if made_by == "ours":
        text = " ".join(
            page.extract_text() for page in PdfReader(rendered / document_file(doc_id, "pdf")).pages
        )
    elif made_by == "word":
        html = docx_html(rendered / document_file(doc_id, "docx"))
        text = " ".join(item for tag in ("p", "li", "td") for item in html_tags(html, tag))
    else:
        pdf = request.getfixturevalue("chromium_pdfs")[doc_id]
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    squashed = _printed(text)
    links = source_links(doc_id)
    assert links or doc_id == "contact-sheet", doc_id
    for words, url in links:
        shown = printed_address(url)
        assert _printed(f"{words} ({shown})") in squashed, f"{made_by}: {words!r}"
        linked = sum(1 for _, other in links if other == url)
        assert squashed.count(f"({_printed(shown)})") == linked, f"{made_by}: {shown} not once"
    assert "(https://" not in squashed and "(http://" not in squashed, made_by
    webs = [printed_address(str(c["web"])) for c in printed_contacts("all") if c.get("web")]
    for web in webs:
        assert _printed(f"{web} ({web})") not in squashed, f"{made_by}: {web} shown twice"


LONG_TITLE = (
    "Police response to nude and semi-nude images shared by young people, and what "
    "schools, colleges, early years settings and children's homes should do first"
)


@pytest.mark.slow
def test_a_long_title_keeps_the_running_header_on_one_line_in_every_format(
    sources_copy: Path, tmp_path: Path
) -> None:
    """However long the title, the header shows it (shortened if it must be) on one
    line with DRAFT and DDSCP, drawn over nothing: in our PDF, in LibreOffice's PDF of
    the DOCX and in Chromium's print of the HTML edition."""
    if CHROMIUM is None or SOFFICE is None:
        pytest.skip("needs Chromium and LibreOffice, which .ci/run installs")
    briefing = sources_copy / "police-sexting-briefing.yaml"
    text = briefing.read_text(encoding="utf-8")
    old = "title: Police response to nude and semi-nude images shared by young people\n"
    briefing.write_text(text.replace(old, f"title: {LONG_TITLE}\n", 1), encoding="utf-8")
    # Only the briefing is read here: the others would be rendered for nothing.
    for other in ("online-safety-strategy", "contact-sheet"):
        replace_in(sources_copy / "pack.yaml", f"  - {other}\n", "")
    out = tmp_path / "out"
    made = run_cli("build", "--sources", sources_copy, "--out", out, "--formats", "docx,pdf,html")
    assert made.returncode == 0, made.stderr[-2000:]
    folder = out / str(raw_yaml("pack.yaml")["version"])
    name = document_file("police-sexting-briefing", "pdf")
    converted = tagged_pdfs([folder / name.replace(".pdf", ".docx")], tmp_path, tmp_path / "lo")
    assert converted.returncode == 0, converted.stderr
    printed = tmp_path / "printed.pdf"
    with serve(folder) as base, chromium(CHROMIUM) as browser:
        page = browser.new_page()
        page.goto(base + name.replace(".pdf", ".html"))
        page.pdf(path=str(printed), format="A4")
    for made_by, pdf in (
        ("ours", folder / name),
        ("libreoffice", tmp_path / name),
        ("chromium", printed),
    ):
        assert "pdf-text-overlap: " not in _layout_faults(pdf), made_by
        for number, (header, _) in enumerate(_running_lines(pdf), start=1):
            if made_by == "ours" and number == 1:
                continue  # the cover: DRAFT alone at its top
            assert len(header) == 1, f"{made_by}, page {number}: {header}"
            assert header[0].startswith("Police response"), f"{made_by}, page {number}"
            assert header[0].endswith("DRAFT DDSCP"), f"{made_by}, page {number}: {header}"


@pytest.mark.slow
@pytest.mark.parametrize("made_by", ["libreoffice", "chromium"])
def test_the_contact_sheets_numbers_are_bold_and_large_in_word_processors_and_browsers(
    request: pytest.FixtureRequest, made_by: str
) -> None:
    """999 and every phone number at 12 pt or more, in bold, read from the glyphs
    LibreOffice and Chromium draw, as the PDF's own test reads ours."""
    pdf = request.getfixturevalue(f"{made_by}_pdfs")["contact-sheet"]
    numbers = ["999", *(str(c["phone"]) for c in printed_contacts("all") if c.get("phone"))]
    with pdfplumber.open(pdf) as opened:
        chars = [c for c in opened.pages[0].chars if c["text"].strip()]
    written = "".join(c["text"] for c in chars)
    for number in numbers:
        digits = number.replace(" ", "")
        start = written.find(digits)
        assert start >= 0, f"{made_by}: {number} is not on the sheet's front"
        for char in chars[start : start + len(digits)]:
            assert char["size"] >= 12 - 0.01, f"{made_by}: {number} at {char['size']:.1f} pt"
            assert "bold" in char["fontname"].lower(), f"{made_by}: {number} is not bold"


@pytest.mark.slow
@pytest.mark.parametrize("made_by", ["libreoffice", "chromium"])
def test_the_contact_sheet_is_one_side_in_word_processors_and_browsers(
    request: pytest.FixtureRequest, made_by: str
) -> None:
    """The DOCX as LibreOffice lays it out and the HTML edition as Chromium prints it:
    the organisations on the front, document control (and nothing else) on the back."""
    pdf = request.getfixturevalue(f"{made_by}_pdfs")["contact-sheet"]
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
    assert len(pages) == 2, f"{made_by}: {len(pages)} pages"
    front, back = pages
    for contact in printed_contacts("all"):
        assert " ".join(contact["name"].split()) in front, f"{made_by}: {contact['name']}"
        assert not contact.get("phone") or str(contact["phone"]) not in back
    assert "999" in front and "Document control" in back
    assert "Organisations that help" not in back and "Document control" not in front


def _pages_holding(path: Path, *headings: str) -> list[int]:
    """The last page each heading is printed on (a contents page may name it first),
    read back with pdfplumber; a watermark's letters may share the heading's line."""
    found: dict[str, int] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            text = page.extract_text() or ""
            for heading in headings:
                if heading in text:
                    found[heading] = number
    return [found[heading] for heading in headings]


@pytest.mark.slow  # reads LibreOffice's PDFs of the DOCX files too
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_the_change_history_is_on_the_page_of_the_document_control(
    rendered: Path, libreoffice_pdfs: dict[str, Path], doc_id: str
) -> None:
    """It sat alone on a last page of its own, the document control ending the page
    before, in our PDF and in Word's file as LibreOffice lays it out."""
    for path in (rendered / document_file(doc_id, "pdf"), libreoffice_pdfs[doc_id]):
        control, history = _pages_holding(path, "Document control", "Change history")
        assert control == history, f"{path.name}: pages {control} and {history}"
