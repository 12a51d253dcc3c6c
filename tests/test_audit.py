"""The audit: it passes the real pack, and every rule fails a copy broken on purpose.

Each breakage below changes one thing in a copy of a built file, the way a bug in
the renderer (or a careless edit by another program) could, and the rule named
for it must fail that copy. A test checks that no rule is left without one.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from conftest import SOURCES, document_file, pack_file, raw_yaml, run_cli
from esafety_docs.audit import RULES, audit, rules_for
from esafety_docs.audit.expected import source_for
from esafety_docs.building.pipeline import load

DOCUMENTS = raw_yaml("pack.yaml")["documents"]
BRIEFING = "police-sexting-briefing"


def test_the_whole_pack_passes_every_rule(pack_folder: Path) -> None:
    """`audit dist/<version>/* --sources`, as a shell expands it: every PDF and DOCX
    passes every rule, and the pages, pictures and zip beside them are skipped,
    saying so."""
    everything = sorted(pack_folder.iterdir())
    others = [p.name for p in everything if p.suffix not in (".pdf", ".docx")]
    assert {Path(name).suffix for name in others} >= {".html", ".png", ".zip"}
    result = run_cli("audit", *everything, "--sources", SOURCES)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    checks = [line for line in lines if " format: " not in line]
    pdfs, docxs = len(DOCUMENTS) + 1, len(DOCUMENTS)
    assert len(checks) == pdfs * len(rules_for("pdf")) + docxs * len(rules_for("docx"))
    assert all(line.startswith("PASS ") for line in checks), [
        line for line in checks if not line.startswith("PASS ")
    ]
    assert {line.split()[1] for line in lines if " format: " in line} == set(others)
    assert f"{len(others)} other files skipped" in result.stderr


def test_without_sources_the_comparisons_are_skipped_and_said_so(pack_folder: Path) -> None:
    result = run_cli("audit", pack_folder / document_file(BRIEFING, "pdf"))
    assert result.returncode == 0
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIP ")]
    assert {line.split()[2].rstrip(":") for line in skipped} == {
        r.name for r in RULES if r.needs_source and r.format == "pdf"
    }
    assert "skipped (give --sources to run them)" in result.stderr


def test_without_sources_a_heading_read_after_the_text_below_it_fails(
    pack_folder: Path, tmp_path: Path
) -> None:
    """The tags alone show it: the heading is drawn above the text read before it."""
    name = document_file(BRIEFING, "pdf")
    broken = _broken_pdf(pack_folder, tmp_path, name, _read_a_heading_after_the_paragraph_below_it)
    result = run_cli("audit", broken)
    assert result.returncode == 1
    (line,) = [line for line in result.stdout.splitlines() if "pdf-visual-order" in line]
    assert line.startswith("FAIL ") and "is read after" in line and "drawn below it" in line


def test_a_file_of_another_kind_alone_is_nothing_audited(pack_folder: Path) -> None:
    alone = run_cli("audit", pack_folder / "index.html")
    assert alone.returncode == 1
    assert "nothing was audited" in alone.stderr


def test_files_of_one_name_in_two_folders_are_counted_as_two(
    pack_folder: Path, tmp_path: Path
) -> None:
    pages = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        pages.append(tmp_path / folder / "index.html")
        pages[-1].write_bytes((pack_folder / "index.html").read_bytes())
    result = run_cli("audit", *pages)
    assert result.returncode == 1, "nothing was audited"
    assert "0 checks on 0 files: 0 failed; 2 other files skipped" in result.stderr


def test_list_names_every_rule_with_its_clause() -> None:
    result = run_cli("audit", "--list")
    assert result.returncode == 0
    for item in RULES:
        line = next(line for line in result.stdout.splitlines() if f" {item.name} " in line)
        assert item.clause in line
        assert re.search(r"ISO \d|WCAG|Matterhorn|house rule", item.clause), item.name


# ------------------------------------------------------------------ PDF copies


@functools.cache
def _source(name: str) -> Any:
    pack = load(SOURCES, SOURCES.parent / "templates").pack
    return source_for(name, pack)


@functools.cache
def _original(folder: Path, name: str) -> dict[str, Any]:
    """Every rule's result on a built file (read only, so worked out once per file)."""
    return {r.rule: r for r in audit(folder / name, _source(name))}


def _broken_pdf(folder: Path, tmp_path: Path, name: str, change: Callable[..., Any]) -> Path:
    target = tmp_path / name
    with pikepdf.open(folder / name) as pdf:
        save_options = change(pdf) or {}
        pdf.save(target, **save_options)
    return target


def _elements(pdf: pikepdf.Pdf, role: str) -> list[Any]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == role]


def _append_content(pdf: pikepdf.Pdf, content: bytes) -> None:
    pdf.pages[1].contents_add(pikepdf.Stream(pdf, content), prepend=False)


def _link_annotations(pdf: pikepdf.Pdf) -> list[Any]:
    return [a for p in pdf.pages for a in p.obj.get("/Annots", []) if "/URI" in a.get("/A", {})]


def _swap_parent_tree_entries(pdf: pikepdf.Pdf) -> None:
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    entries = numbers[3]  # the second page's array, MCID -> element
    first = next(i for i in range(1, len(entries)) if entries[i].objgen != entries[0].objgen)
    entries[0], entries[first] = entries[first], entries[0]


def _swap_two_paragraphs(pdf: pikepdf.Pdf) -> None:
    parent = next(e for e in _elements(pdf, "/Sect") + _elements(pdf, "/Document"))
    paragraphs = [i for i, k in enumerate(parent.K) if k.get("/S") == "/P"]
    one, two = paragraphs[2], paragraphs[3]
    parent.K[one], parent.K[two] = parent.K[two], parent.K[one]


def _read_a_heading_after_the_paragraph_below_it(pdf: pikepdf.Pdf) -> None:
    (document,) = _elements(pdf, "/Document")
    heading = next(i for i, k in enumerate(document.K) if k.get("/S") == "/H2")
    assert document.K[heading + 1].get("/S") == "/P"
    document.K[heading], document.K[heading + 1] = document.K[heading + 1], document.K[heading]


def _map_e_to_x(pdf: pikepdf.Pdf) -> None:
    for font in pdf.objects:
        if isinstance(font, pikepdf.Dictionary) and "/ToUnicode" in font:
            cmap = font.ToUnicode.read_bytes()
            font.ToUnicode.write(cmap.replace(b"<65> <0065>", b"<65> <0078>"))


def _widen_a_glyph(pdf: pikepdf.Pdf) -> None:
    font = next(
        o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Widths") is not None
    )
    font.Widths[40] = float(font.Widths[40]) + 150


def _same_subset_tags(pdf: pikepdf.Pdf) -> None:
    for font in pdf.objects:
        if isinstance(font, pikepdf.Dictionary) and "+" in str(font.get("/BaseFont", "")):
            family = str(font.BaseFont).split("+", 1)[1]
            font.BaseFont = pikepdf.Name(f"/AAAAAA+{family}")


def _one_tag_for_two_subsets(pdf: pikepdf.Pdf) -> None:
    """The bold face renamed as a second subset of the regular face, with its tag:
    two different programs under one name, as a tool that numbers subsets per face
    but not per file might write."""
    fonts = [
        f for f in pdf.objects if isinstance(f, pikepdf.Dictionary) and f.get("/Type") == "/Font"
    ]
    regular = next(f for f in fonts if str(f.BaseFont).endswith("+DejaVuSans"))
    bold = next(f for f in fonts if str(f.BaseFont).endswith("+DejaVuSans-Bold"))
    bold.BaseFont = regular.BaseFont
    bold.FontDescriptor.FontName = regular.BaseFont


def _describe_link_by_first_words(pdf: pikepdf.Pdf) -> None:
    annotation = _link_annotations(pdf)[0]
    annotation.Contents = pikepdf.String(" ".join(str(annotation.Contents).split()[:2]))


def _objr_without_page(pdf: pikepdf.Pdf) -> None:
    for link in _elements(pdf, "/Link"):
        for kid in link.K:
            if kid.get("/Type") == "/OBJR":
                del kid["/Pg"]


def _bookmark_to_cover(pdf: pikepdf.Pdf) -> None:
    first = pdf.Root.Outlines.First
    first.Dest[0] = pdf.pages[0].obj


def _bookmarks(pdf: pikepdf.Pdf) -> list[Any]:
    found: list[Any] = []
    item: Any = pdf.Root.Outlines.First
    while item is not None:
        found.append(item)
        item = item.get("/Next")
    return found


def _bookmark_to_a_page_that_only_mentions_it(pdf: pikepdf.Pdf) -> None:
    """A bookmark moved to a later page whose text holds its title too (a heading's
    words quoted in the text below it): the right words, but not the heading."""
    from pypdf import PdfReader

    texts = ["".join((p.extract_text() or "").split()) for p in PdfReader(pdf.filename).pages]
    pages = [page.obj.objgen for page in pdf.pages]
    for item in _bookmarks(pdf):
        at, title = pages.index(item.Dest[0].objgen), "".join(str(item.Title).split())
        later = [i for i in range(at + 1, len(texts)) if title in texts[i]]
        if later:
            item.Dest[0] = pdf.pages[later[0]].obj
            return
    raise AssertionError("no heading's words are repeated on a later page")


def _bookmark_opening_far_below_its_heading(pdf: pikepdf.Pdf) -> None:
    destination = _bookmarks(pdf)[1].Dest
    assert str(destination[1]) == "/XYZ"
    destination[3] = float(destination[3]) - 300


def _info_title_differs(pdf: pikepdf.Pdf) -> None:
    pdf.docinfo.Title = "Another title"


def _info_date_differs(pdf: pikepdf.Pdf) -> None:
    pdf.docinfo.ModDate = "D:20200101000000+00'00'"


def _damage_extension_schema(pdf: pikepdf.Pdf) -> None:
    xml = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(
        re.sub(rb"<pdfaProperty:valueType>.*?</pdfaProperty:valueType>", b"", xml)
    )


def _extension_schema_prefix_changed(pdf: pikepdf.Pdf) -> None:
    xml = pdf.Root.Metadata.read_bytes()
    changed = xml.replace(
        b"<pdfaSchema:prefix>pdfuaid<", b"<pdfaSchema:prefix>pdfua<"
    )  # the XMP still writes pdfuaid:part
    assert changed != xml
    pdf.Root.Metadata.write(changed)


def _extension_schema_unknown_type(pdf: pikepdf.Pdf) -> None:
    xml = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(
        re.sub(
            rb"<pdfaProperty:valueType>.*?</pdfaProperty:valueType>",
            b"<pdfaProperty:valueType>Number</pdfaProperty:valueType>",
            xml,
        )
    )


def _drop_list_numbering(pdf: pikepdf.Pdf) -> None:
    for element in _elements(pdf, "/L"):
        attributes = element.get("/A")
        if attributes is not None and attributes.get("/ListNumbering") == "/Decimal":
            del element["/A"]


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


def _drop_objr(pdf: pikepdf.Pdf) -> None:
    link = _elements(pdf, "/Link")[0]
    link.K = pikepdf.Array([k for k in link.K if k.get("/Type") != "/OBJR"])


# (rule, what is broken, change to a copy of the briefing's PDF)
PDF_BREAKAGES: list[tuple[str, str, Callable[[pikepdf.Pdf], Any]]] = [
    ("pdf-tagged", "no MarkInfo", lambda pdf: pdf.Root.__delitem__("/MarkInfo")),
    (
        "pdf-content-marked",
        "a line drawn outside any tag",
        lambda pdf: _append_content(pdf, b"0 0 m 100 100 l S"),
    ),
    (
        "pdf-content-marked",
        "an artifact inside tagged content",
        lambda pdf: _append_content(pdf, b"/P <</MCID 900>> BDC /Artifact BMC EMC EMC"),
    ),
    (
        "pdf-standard-roles",
        "an unknown role",
        lambda pdf: setattr(_elements(pdf, "/P")[0], "S", pikepdf.Name("/Blurb")),
    ),
    ("pdf-parent-tree", "two parent tree entries swapped", _swap_parent_tree_entries),
    (
        "pdf-heading-order",
        "H2 made H4",
        lambda pdf: setattr(_elements(pdf, "/H2")[0], "S", pikepdf.Name("/H4")),
    ),
    (
        "pdf-table-structure",
        "a TR made P",
        lambda pdf: setattr(_elements(pdf, "/TR")[0], "S", pikepdf.Name("/P")),
    ),
    ("pdf-th-scope", "a TH without scope", lambda pdf: _elements(pdf, "/TH")[0].__delitem__("/A")),
    (
        "pdf-list-structure",
        "an LBody made P",
        lambda pdf: setattr(_elements(pdf, "/LBody")[0], "S", pikepdf.Name("/P")),
    ),
    ("pdf-list-numbering", "a numbered list marked unnumbered", _drop_list_numbering),
    (
        "pdf-figure-alt",
        "a figure without alt text",
        lambda pdf: _elements(pdf, "/Figure")[0].__delitem__("/Alt"),
    ),
    (
        "pdf-bbox",
        "a figure without a BBox",
        lambda pdf: _elements(pdf, "/Figure")[0].__delitem__("/A"),
    ),
    (
        "pdf-bbox",
        "a table without a BBox",
        lambda pdf: _elements(pdf, "/Table")[0].__delitem__("/A"),
    ),
    ("pdf-source-text", "a ToUnicode map giving x for e", _map_e_to_x),
    ("pdf-reading-order", "two paragraphs swapped in the tags", _swap_two_paragraphs),
    (
        "pdf-visual-order",
        "a heading read after the paragraph below it",
        _read_a_heading_after_the_paragraph_below_it,
    ),
    ("pdf-fonts-embedded", "a font not embedded", _unembed),
    ("pdf-fonts-tounicode", "a font without ToUnicode", _no_tounicode),
    ("pdf-font-widths", "a width that is not the font's", _widen_a_glyph),
    ("pdf-font-subset-tags", "every subset tagged AAAAAA", _same_subset_tags),
    ("pdf-font-subset-tags", "two subsets of one face with one tag", _one_tag_for_two_subsets),
    ("pdf-links", "a link annotation outside a Link element", _drop_objr),
    ("pdf-links", "a link described by its first words", _describe_link_by_first_words),
    ("pdf-links", "a link reference without its page", _objr_without_page),
    (
        "pdf-tab-order",
        "no tab order",
        lambda pdf: next(p for p in pdf.pages if "/Tabs" in p.obj).obj.__delitem__("/Tabs"),
    ),
    ("pdf-bookmarks-land", "a bookmark opening the cover", _bookmark_to_cover),
    (
        "pdf-bookmarks-land",
        "a bookmark opening a page that only mentions it",
        _bookmark_to_a_page_that_only_mentions_it,
    ),
    (
        "pdf-bookmarks-land",
        "a bookmark opening far below its heading",
        _bookmark_opening_far_below_its_heading,
    ),
    ("pdf-version", "a PDF 1.4 header", lambda pdf: {"force_version": "1.4"}),
    (
        "pdf-pdfa-identification",
        "no output intent",
        lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
    ),
    ("pdf-xmp-title-pdfua", "no XMP", lambda pdf: pdf.Root.__delitem__("/Metadata")),
    ("pdf-info-matches-xmp", "Info and XMP titles differ", _info_title_differs),
    ("pdf-info-matches-xmp", "Info and XMP dates differ", _info_date_differs),
    ("pdf-xmp-extension-schema", "a property without its value type", _damage_extension_schema),
    ("pdf-xmp-extension-schema", "a schema under another prefix", _extension_schema_prefix_changed),
    ("pdf-xmp-extension-schema", "a value type XMP has not", _extension_schema_unknown_type),
    (
        "pdf-colour-spaces",
        "a CMYK colour with an sRGB intent",
        lambda pdf: _append_content(pdf, b"/Artifact BMC 0 0 0 1 k EMC"),
    ),
    ("pdf-language", "no language", lambda pdf: pdf.Root.__delitem__("/Lang")),
    (
        "pdf-display-title",
        "the file name shown instead of the title",
        lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False),
    ),
]


def _contents_link_to_cover(pdf: pikepdf.Pdf) -> None:
    annotation = next(a for a in pdf.pages[1].obj.Annots if "/Dest" in a)
    annotation.Dest[0] = pdf.pages[0].obj


def _toci_holds_a_link(pdf: pikepdf.Pdf) -> None:
    for reference in _elements(pdf, "/Reference"):
        reference.S = pikepdf.Name("/Link")


def _toc_runs_words_together(pdf: pikepdf.Pdf) -> None:
    content = (
        pdf.pages[1].Contents.read_bytes()
        if not isinstance(pdf.pages[1].Contents, pikepdf.Array)
        else b"".join(s.read_bytes() for s in pdf.pages[1].Contents)
    )
    changed = content.replace(b"(Online safety strategy ) Tj", b"(Online safety strategy) Tj")
    assert changed != content
    pdf.pages[1].Contents = pikepdf.Stream(pdf, changed)


def _widgets(pdf: pikepdf.Pdf) -> list[Any]:
    return [a for p in pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Widget"]


def _field_without_tooltip(pdf: pikepdf.Pdf) -> None:
    del _widgets(pdf)[0]["/TU"]


def _field_outside_a_form_element(pdf: pikepdf.Pdf) -> None:
    for form in _elements(pdf, "/Form"):
        form.S = pikepdf.Name("/P")


def _viewer_draws_the_fields(pdf: pikepdf.Pdf) -> None:
    pdf.Root.AcroForm.NeedAppearances = True


# (rule, what is broken, change to a copy of the contact sheet's PDF, which has a form)
SHEET_BREAKAGES: list[tuple[str, str, Callable[[pikepdf.Pdf], Any]]] = [
    ("pdf-form-fields", "a field without a tooltip", _field_without_tooltip),
    ("pdf-form-fields", "a field outside a Form element", _field_outside_a_form_element),
    ("pdf-form-fields", "fields the viewer must draw", _viewer_draws_the_fields),
]


@pytest.mark.slow  # one audit per breakage
@pytest.mark.parametrize(
    ("rule", "change"),
    [(r, c) for r, _, c in SHEET_BREAKAGES],
    ids=[w for _, w, _ in SHEET_BREAKAGES],
)
def test_each_form_rule_fails_its_broken_copy(
    pack_folder: Path, tmp_path: Path, rule: str, change: Callable[[pikepdf.Pdf], Any]
) -> None:
    name = document_file("contact-sheet", "pdf")
    original = _original(pack_folder, name)
    assert original[rule].passed, original[rule].detail
    broken = _broken_pdf(pack_folder, tmp_path, name, change)
    result = {r.rule: r for r in audit(broken, _source(name))}[rule]
    assert not result.passed and result.detail, rule


PACK_BREAKAGES: list[tuple[str, str, Callable[[pikepdf.Pdf], Any]]] = [
    ("pdf-internal-links-land", "a contents link opening the cover", _contents_link_to_cover),
    ("pdf-toc-structure", "a TOCI holding a Link", _toci_holds_a_link),
    ("pdf-toc-structure", "title and page number run together", _toc_runs_words_together),
]


def test_every_pdf_rule_has_a_breakage() -> None:
    """The layout rules' breakages are pages drawn by hand, in test_layout.py."""
    broken = {rule for rule, _, _ in PDF_BREAKAGES + PACK_BREAKAGES + SHEET_BREAKAGES}
    assert broken == {r.name for r in rules_for("pdf") if r.family != "layout"}


@pytest.mark.slow  # one audit per breakage
@pytest.mark.parametrize(
    ("rule", "change"), [(r, c) for r, _, c in PDF_BREAKAGES], ids=[w for _, w, _ in PDF_BREAKAGES]
)
def test_each_pdf_rule_fails_its_broken_copy(
    pack_folder: Path, tmp_path: Path, rule: str, change: Callable[[pikepdf.Pdf], Any]
) -> None:
    name = document_file(BRIEFING, "pdf")
    original = _original(pack_folder, name)
    assert original[rule].passed, original[rule].detail
    broken = _broken_pdf(pack_folder, tmp_path, name, change)
    result = {r.rule: r for r in audit(broken, _source(name))}[rule]
    assert not result.passed and result.detail, rule


@pytest.mark.slow  # one audit per breakage
@pytest.mark.parametrize(
    ("rule", "change"),
    [(r, c) for r, _, c in PACK_BREAKAGES],
    ids=[w for _, w, _ in PACK_BREAKAGES],
)
def test_each_contents_rule_fails_its_broken_copy(
    pack_folder: Path, tmp_path: Path, rule: str, change: Callable[[pikepdf.Pdf], Any]
) -> None:
    name = pack_file("pdf")
    broken = _broken_pdf(pack_folder, tmp_path, name, change)
    result = {r.rule: r for r in audit(broken, _source(name))}[rule]
    assert not result.passed and result.detail, rule


@pytest.mark.slow
def test_build_refuses_to_publish_what_fails_the_audit(
    sources_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import esafety_docs.audit as audit_module
    from esafety_docs.audit.rules import Rule
    from esafety_docs.building.archive import build_time
    from esafety_docs.building.pipeline import PublishError, build

    failing = Rule("pdf-always-fails", "test", "pdf", "none", lambda pdf: ["on purpose"])
    monkeypatch.setattr(audit_module, "RULES", [*audit_module.RULES, failing])
    loaded = load(sources_copy, sources_copy.parent / "templates")
    with pytest.raises(PublishError, match="pdf-always-fails: on purpose"):
        build(loaded, tmp_path / "out", build_time(), lambda line: None)
    assert not (tmp_path / "out" / "0.1.0").exists()


# ------------------------------------------------------------------ DOCX copies


def _broken_docx(folder: Path, tmp_path: Path, part: str, change: Callable[[str], str]) -> Path:
    source = folder / document_file("contact-sheet", "docx")
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


def _add_to_body(xml: str) -> Callable[[str], str]:
    return lambda document: document.replace("<w:body>", "<w:body>" + xml, 1)


TEXT_BOX = (
    "<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Call us</w:t>"
    "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
)
AMERICAN = '<w:p><w:r><w:rPr><w:lang w:val="en-US"/></w:rPr><w:t>Color</w:t></w:r></w:p>'
AMERICAN_PARAGRAPH = (
    '<w:p><w:pPr><w:rPr><w:lang w:val="en-US"/></w:rPr></w:pPr><w:r><w:t>Color</w:t></w:r></w:p>'
)


def _american_heading_style(styles: str) -> str:
    """Heading 1 set to en-US in its style: every heading reads as American."""
    return re.sub(
        r'(w:styleId="Heading1".*?<w:rPr>)',
        r'\1<w:lang w:val="en-US"/>',
        styles,
        count=1,
        flags=re.S,
    )


FAKE_HEADING = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Looks like a heading</w:t></w:r></w:p>"

DOCX_BREAKAGES: list[tuple[str, str, str, Callable[[str], str]]] = [
    (
        "docx-headings",
        "Heading 1 made Heading 3",
        "word/document.xml",
        lambda x: x.replace('w:val="Heading1"', 'w:val="Heading3"', 1),
    ),
    (
        "docx-headings",
        "bold text posing as a heading",
        "word/document.xml",
        _add_to_body(FAKE_HEADING),
    ),
    (
        "docx-table-headers",
        "no header row",
        "word/document.xml",
        lambda x: re.sub(r"<w:tblHeader[^>]*/>", "", x),
    ),
    (
        "docx-alt-text",
        "no alt text",
        "word/document.xml",
        lambda x: re.sub(r' descr="[^"]*"', "", x),
    ),
    (
        "docx-title-language",
        "an American document",
        "docProps/core.xml",
        lambda x: x.replace(">en-GB<", ">en-US<"),
    ),
    (
        "docx-link-text",
        "a link saying click here",
        "word/document.xml",
        lambda x: x.replace(">Derby and Derbyshire safeguarding procedures<", ">click here<"),
    ),
    ("docx-no-empty-paragraphs", "an empty paragraph", "word/document.xml", _add_to_body("<w:p/>")),
    (
        "docx-contrast",
        "pale heading colour",
        "word/styles.xml",
        lambda x: x.replace('w:val="00576B"', 'w:val="BBBBBB"', 1),
    ),
    ("docx-language-of-parts", "a run in en-US", "word/document.xml", _add_to_body(AMERICAN)),
    (
        "docx-language-of-parts",
        "a paragraph in en-US",
        "word/document.xml",
        _add_to_body(AMERICAN_PARAGRAPH),
    ),
    (
        "docx-language-of-parts",
        "a paragraph style in en-US",
        "word/styles.xml",
        _american_heading_style,
    ),
    ("docx-no-text-boxes", "a text box", "word/document.xml", _add_to_body(TEXT_BOX)),
]


def test_every_docx_rule_has_a_breakage() -> None:
    assert {rule for rule, _, _, _ in DOCX_BREAKAGES} == {r.name for r in rules_for("docx")}


@pytest.mark.slow  # one audit per breakage
@pytest.mark.parametrize(
    ("rule", "part", "change"),
    [(r, p, c) for r, _, p, c in DOCX_BREAKAGES],
    ids=[w for _, w, _, _ in DOCX_BREAKAGES],
)
def test_each_docx_rule_fails_its_broken_copy(
    pack_folder: Path, tmp_path: Path, rule: str, part: str, change: Callable[[str], str]
) -> None:
    broken = _broken_docx(pack_folder, tmp_path, part, change)
    result = {r.rule: r for r in audit(broken)}[rule]
    assert not result.passed and result.detail, rule
