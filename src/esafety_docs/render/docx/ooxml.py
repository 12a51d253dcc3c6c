"""The raw WordprocessingML that python-docx has no API for, kept in one place.

Hyperlinks, fields, header-row repetition, alt text, table styles, document
language, theme-free fonts and list restarts. Everything else in the DOCX
renderer goes through python-docx's own objects.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.styles.style import BaseStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def _element(tag: str, **attributes: str) -> Any:
    """A new WordprocessingML element; `w_val` stands for the attribute `w:val`."""
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name.replace("_", ":", 1)), value)
    return element


def add_paragraph(container: Any, style: BaseStyle, text: str = "") -> Paragraph:
    """A paragraph in `container` (document, cell) with `style` set by its id.

    python-docx's own `style=` looks for the default style among all styles on
    every call; measured at over half of DOCX render time.
    """
    paragraph = container.add_paragraph(text)
    set_style(paragraph, style)
    return paragraph  # type: ignore[no-any-return]


def set_style(paragraph: Paragraph, style: BaseStyle) -> None:
    """Set a paragraph's style by id, without python-docx's search for the default."""
    paragraph._p.style = style.style_id


def element_of(paragraph: Paragraph) -> Any:
    """The `w:p` element behind a python-docx paragraph."""
    return paragraph._p


def set_run_style(run: Run, style: BaseStyle) -> None:
    """Set a run's character style by id, without python-docx's search for the default."""
    run._r.style = style.style_id


def wrap_in_hyperlink(paragraph: Paragraph, runs: list[Run], url: str) -> None:
    """Move already-formatted runs into a clickable external hyperlink."""
    if not runs:
        return
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _element("w:hyperlink", r_id=rel_id, w_history="1")
    runs[0]._r.addprevious(link)
    for run in runs:
        link.append(run._r)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES, ...) that the word processor fills in."""
    for part in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if part == "instr":
            text = _element("w:instrText", xml_space="preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif part == "text":
            run.text = placeholder
        else:
            run._r.append(_element("w:fldChar", w_fldCharType=part))


def repeat_as_header_row(row: _Row) -> None:
    """Mark a table row as a header row, repeated at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_element("w:tblHeader", w_val="true"))
    tr_pr.append(_element("w:cantSplit", w_val="true"))


def set_alt_text(shape: InlineShape, description: str, title: str = "") -> None:
    """Alt text on a picture: what a screen reader says for it."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)


def set_document_language(document: DocxDocument, language: str) -> None:
    """Default language of all text (spell-check and screen-reader voice)."""
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    r_pr = doc_defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    r_pr.append(_element("w:lang", w_val=language, w_eastAsia=language, w_bidi="ar-SA"))


def set_style_font(style: BaseStyle, family: str) -> None:
    """Use one named font, dropping the theme fonts that would override it."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _element("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), family)


def add_table_style(document: DocxDocument, name: str, header_fill: str, rule: str) -> None:
    """A table style whose first row is filled with the brand colour and set bold in white."""
    xml_id = name.replace(" ", "")
    style = _element("w:style", w_type="table", w_styleId=xml_id)
    style.append(_element("w:name", w_val=name))
    style.append(_element("w:basedOn", w_val="TableNormal"))
    style.append(_element("w:uiPriority", w_val="59"))
    tbl_pr = _element("w:tblPr")
    borders = _element("w:tblBorders")
    for edge in ("top", "bottom", "insideH"):
        borders.append(_element(f"w:{edge}", w_val="single", w_sz="4", w_space="0", w_color=rule))
    tbl_pr.append(borders)
    margins = _element("w:tblCellMar")
    for edge in ("top", "bottom"):
        margins.append(_element(f"w:{edge}", w_w="80", w_type="dxa"))
    for edge in ("left", "right"):
        margins.append(_element(f"w:{edge}", w_w="100", w_type="dxa"))
    tbl_pr.append(margins)
    style.append(tbl_pr)
    first_row = _element("w:tblStylePr", w_type="firstRow")
    r_pr = _element("w:rPr")
    r_pr.append(_element("w:b"))
    r_pr.append(_element("w:color", w_val="FFFFFF"))
    first_row.append(r_pr)
    tc_pr = _element("w:tcPr")
    tc_pr.append(_element("w:shd", w_val="clear", w_color="auto", w_fill=header_fill))
    first_row.append(_element("w:tblPr"))
    first_row.append(_element("w:trPr"))
    first_row.append(tc_pr)
    style.append(first_row)
    document.styles.element.append(style)


def use_table_look_first_row(table: Table) -> None:
    """Tell Word the table uses its style's header-row formatting (and nothing else)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    tbl_pr.append(
        _element(
            "w:tblLook",
            w_val="0020",
            w_firstRow="1",
            w_lastRow="0",
            w_firstColumn="0",
            w_lastColumn="0",
            w_noHBand="1",
            w_noVBand="1",
        )
    )


def _style_numbering(document: DocxDocument, style: BaseStyle) -> tuple[Any, str] | None:
    """The numbering part and the abstract numbering a list style's number points at:
    the walk from style to w:num to w:abstractNum, written once."""
    p_pr = style.element.pPr
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None
    numbering = document.part.numbering_part.element
    num_id = num_pr.find(qn("w:numId")).get(qn("w:val"))
    abstract_id = next(
        (
            num.find(qn("w:abstractNumId")).get(qn("w:val"))
            for num in numbering.findall(qn("w:num"))
            if num.get(qn("w:numId")) == num_id
        ),
        None,
    )
    return None if abstract_id is None else (numbering, abstract_id)


def new_numbering(document: DocxDocument, style: BaseStyle) -> str | None:
    """A fresh numbering instance for a list style, so a new list starts at 1 again."""
    found = _style_numbering(document, style)
    if found is None:
        return None
    numbering, abstract_id = found
    instances = numbering.findall(qn("w:num"))
    new_id = str(max(int(num.get(qn("w:numId"))) for num in instances) + 1)
    num = _element("w:num", w_numId=new_id)
    num.append(_element("w:abstractNumId", w_val=abstract_id))
    override = _element("w:lvlOverride", w_ilvl="0")
    override.append(_element("w:startOverride", w_val="1"))
    num.append(override)
    numbering.append(num)
    return new_id


def set_number_indent(document: DocxDocument, style: BaseStyle, twips: int) -> None:
    """Give a numbered list style's labels `twips` of room (the hanging indent, and
    the tab after the number), so a wide label such as "10." keeps a gap before its text."""
    found = _style_numbering(document, style)
    if found is None:
        return
    numbering, abstract_id = found
    for abstract in numbering.findall(qn("w:abstractNum")):
        if abstract.get(qn("w:abstractNumId")) != abstract_id:
            continue
        for level in abstract.findall(qn("w:lvl")):
            if level.get(qn("w:ilvl")) != "0":
                continue
            for tab in level.iter(qn("w:tab")):
                tab.set(qn("w:pos"), str(twips))
            for indent in level.iter(qn("w:ind")):
                indent.set(qn("w:left"), str(twips))
                indent.set(qn("w:hanging"), str(twips))


def apply_numbering(paragraph: Paragraph, num_id: str) -> None:
    """Put a list paragraph into the numbering instance made by `new_numbering`."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = _element("w:numPr")
    num_pr.append(_element("w:ilvl", w_val="0"))
    num_pr.append(_element("w:numId", w_val=num_id))
    style_element = p_pr.find(qn("w:pStyle"))
    if style_element is not None:
        style_element.addnext(num_pr)
    else:
        p_pr.insert(0, num_pr)


# Parts python-docx's template brings that say nothing true about our document:
# its preview picture, Word 2010's second copy of every style, a bibliography store.
_LEFTOVER_TYPES = ("/thumbnail", "/stylesWithEffects", "/customXml")

_APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<Application>{application}</Application><DocSecurity>0</DocSecurity>\
<Company>{company}</Company><LinksUpToDate>false</LinksUpToDate>\
<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"""


def drop_template_leftovers(document: DocxDocument, application: str, company: str) -> None:
    """Remove what the template carries that is not ours, and say what made the file.

    The template's app.xml claimed "Microsoft Macintosh Word" with 0 words, and its
    thumbnail showed a picture of another document to every file browser.
    """
    from xml.sax.saxutils import escape

    for owner in (document.part.package, document.part):
        for rel_id, rel in list(owner.rels.items()):
            if rel.reltype.endswith(_LEFTOVER_TYPES):
                owner.rels.pop(rel_id)
    app = document.part.package.part_related_by(RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)
    app._blob = _APP_XML.format(application=escape(application), company=escape(company)).encode(
        "utf-8"
    )


def remove_paragraph_borders(style: BaseStyle) -> None:
    """A style's rules above or below (the template's Title has a blue one): drawn
    as an untagged line by LibreOffice's PDF export, and not part of the brand."""
    p_pr = style.element.pPr
    if p_pr is not None:
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)


def end_section(document: DocxDocument, last: Paragraph, columns: int) -> None:
    """End a section at `last` (laid out in `columns`); what follows starts a new,
    continuous section. The break rides on an existing paragraph: python-docx's own
    add_section adds an empty one, which LibreOffice moves into the columns."""
    body_sect_pr = document.element.body.sectPr
    ended = copy.deepcopy(body_sect_pr)
    _set_columns(ended, columns)
    last._p.get_or_add_pPr().append(ended)
    for old in body_sect_pr.findall(qn("w:type")):
        body_sect_pr.remove(old)
    body_sect_pr.insert(0, _element("w:type", w_val="continuous"))


def set_body_columns(document: DocxDocument, columns: int) -> None:
    """The columns of the section that the document's last paragraphs belong to."""
    _set_columns(document.element.body.sectPr, columns)


def _set_columns(sect_pr: Any, count: int, space_twips: int = 400) -> None:
    for old in sect_pr.findall(qn("w:cols")):
        sect_pr.remove(old)
    cols = _element("w:cols", w_num=str(count), w_space=str(space_twips))
    later = sect_pr.find(qn("w:docGrid"))
    if later is not None:
        later.addprevious(cols)
    else:
        sect_pr.append(cols)


def shade_paragraph(paragraph: Paragraph, fill: str, bar: str | None = None) -> None:
    """A tinted background behind a paragraph, with an optional bar down its left edge."""
    p_pr = paragraph._p.get_or_add_pPr()
    if bar:
        borders = _element("w:pBdr")
        borders.append(_element("w:left", w_val="single", w_sz="36", w_space="8", w_color=bar))
        _insert_in_order(p_pr, borders)
    _insert_in_order(p_pr, _element("w:shd", w_val="clear", w_color="auto", w_fill=fill))


def shade_cell(cell: Any, fill: str) -> None:
    """A cell's own fill, which every word processor shows (LibreOffice ignores the
    table style's header-row formatting)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    tc_pr.append(_element("w:shd", w_val="clear", w_color="auto", w_fill=fill))


def keep_row_together(row: _Row) -> None:
    """A row is never split across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(_element("w:cantSplit", w_val="true"))


# The order CT_PPr's children must appear in (ECMA-376 17.3.1.26), for the ones we set.
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "widowControl",
    "numPr",
    "pBdr",
    "shd",
    "tabs",
    "spacing",
    "ind",
    "jc",
    "rPr",
]


def _insert_in_order(p_pr: Any, child: Any) -> None:
    name = child.tag.split("}")[1]
    for old in p_pr.findall(child.tag):
        p_pr.remove(old)
    later = _PPR_ORDER[_PPR_ORDER.index(name) + 1 :]
    for existing in p_pr:
        if existing.tag.split("}")[1] in later:
            existing.addprevious(child)
            return
    p_pr.append(child)


def body_paragraphs(document: DocxDocument) -> list[Any]:
    """Every paragraph element of the body in reading order, table cells included."""
    return list(document.element.body.iter(qn("w:p")))


def body_end(document: DocxDocument) -> Any | None:
    """The body's last element before its section properties (None if it has none):
    what `paragraphs_after` counts from."""
    body = document.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last = last.getprevious()
    return last


def paragraphs_after(document: DocxDocument, end: Any | None) -> list[Any]:
    """The paragraph elements added to the body since `body_end` gave `end`, in
    reading order, table cells included: without walking what came before."""
    node = next(iter(document.element.body), None) if end is None else end.getnext()
    found: list[Any] = []
    while node is not None and node.tag != qn("w:sectPr"):
        found += node.iter(qn("w:p"))
        node = node.getnext()
    return found


def add_bookmark(paragraph: Any, number: int, name: str, around: bool = True) -> None:
    """A hidden bookmark (a name starting `_`) that Word and LibreOffice keep when they
    save: around the paragraph's whole text, or (`around=False`) at its start only,
    which LibreOffice lays out exactly as it would the paragraph without it (a bookmark
    ending after a tab's leader line shortens the line by a pixel)."""
    start = _element("w:bookmarkStart", w_id=str(number), w_name=name)
    end = _element("w:bookmarkEnd", w_id=str(number))
    p_pr = paragraph.find(qn("w:pPr"))
    paragraph.insert(0 if p_pr is None else 1, start)
    if around:
        paragraph.append(end)
    else:
        start.addnext(end)


_ITEM_PROPS = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<ds:datastoreItem ds:itemID="{item_id}" \
xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">\
<ds:schemaRefs><ds:schemaRef ds:uri="{namespace}"/></ds:schemaRefs></ds:datastoreItem>"""


def add_custom_xml(document: DocxDocument, xml: bytes, namespace: str, item_id: str) -> None:
    """Store an XML document of our own inside the file, as Office's custom XML data
    store does: Word and LibreOffice keep such parts when they save."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    uri = package.next_partname("/customXml/item%d.xml")
    item = Part(uri, "application/xml", xml, package)
    props_uri = PackURI(uri.replace("/item", "/itemProps"))
    props = _ITEM_PROPS.format(item_id=item_id, namespace=namespace).encode("utf-8")
    properties = Part(props_uri, CONTENT_TYPE.OFC_CUSTOM_XML_PROPERTIES, props, package)
    item.relate_to(properties, RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RELATIONSHIP_TYPE.CUSTOM_XML)
