"""The Markdown given to the benchmark's peers, re-read with markdown-it-py (CommonMark)."""

from __future__ import annotations

import datetime as dt

from markdown_it import MarkdownIt

from conftest import SOURCES, TEMPLATES, expected_headings, raw_yaml
from esafety_docs.building.pipeline import load
from esafety_docs.reading.model import Document, Emph, Link, Pack, Paragraph, Strong, Table, Text
from esafety_docs.render.markdown import document_markdown

TRICKY = "Use *stars*, _under_, [x](y), <b>tag</b>, `code`, a | pipe, # hash & \\ slash"


def _shipped(doc_id: str) -> str:
    pack = load(SOURCES, TEMPLATES).pack
    document = next(d for d in pack.documents if d.id == doc_id)
    return document_markdown(document, pack)


def _tokens(markdown: str) -> list:  # type: ignore[type-arg]
    """Every token, inline children included, in reading order."""
    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        found.append(token)
        found += token.children or []
    return found


def _one_document(*blocks: Paragraph | Table) -> str:
    day = dt.date(2026, 11, 28)
    document = Document("t", "Title", "Sub", "Summary", "draft", "Owner", day, tuple(blocks))
    pack = Pack("Pack", "Publisher", "0.1.0", day, "draft", "Owner", day, (document,))
    return document_markdown(document, pack)


def test_every_heading_of_the_contact_sheet_is_a_markdown_heading() -> None:
    lines = _shipped("contact-sheet").splitlines()
    for level, title in expected_headings("contact-sheet"):
        assert f"{'#' * level} {title}" in lines


def test_each_contact_is_a_heading_and_its_phone_a_tel_link() -> None:
    markdown = _shipped("contact-sheet")
    lines = markdown.splitlines()
    for contact in raw_yaml("contacts.yaml")["contacts"]:
        headings = [line for line in lines if line.lstrip("#").strip() == contact["name"]]
        if contact.get("awaiting_confirmation"):
            assert not headings, contact["name"]  # never printed until confirmed
            assert contact["phone"] not in markdown
            continue
        # the section listing them is a level-1 heading, so each card is level 2
        assert len(headings) == 1 and headings[0].startswith("## "), contact["name"]
        card = markdown.split(headings[0], 1)[1].split("\n###", 1)[0]
        if "phone" in contact:
            assert f"[**{contact['phone']}**](tel:+44" in card


def test_special_characters_print_literally() -> None:
    markdown = _one_document(
        Paragraph((Text(TRICKY),)),
        Paragraph((Text("1. not a list"),)),
        Paragraph((Text("- not a bullet"),)),
    )
    blocks = MarkdownIt("commonmark").enable("table").parse(markdown)
    top_level = {
        blocks[i + 1].content: {child.type for child in blocks[i + 1].children or []}
        for i, token in enumerate(blocks)
        if token.type == "paragraph_open" and token.level == 0
    }
    read_back = {
        "".join(child.content for child in blocks[i + 1].children or [])
        for i, token in enumerate(blocks)
        if token.type == "paragraph_open" and token.level == 0
    }
    for literal in (TRICKY, "1. not a list", "- not a bullet"):
        assert literal in read_back  # a plain top-level paragraph saying exactly this
    assert all(kinds == {"text"} for source, kinds in top_level.items() if "Use" in source)


def test_bold_italic_links_and_table_cells_keep_their_shape() -> None:
    table = Table(
        ("Name", "How"),
        ((((Text("a | b"),),), ((Strong((Text("Phone: "),)), Text("0344")),)),),
        widths=(0.5, 0.5),
    )
    paragraph = Paragraph(
        (Emph((Text("see "),)), Link("https://example.org/a_(b)", (Text("the site"),)))
    )
    markdown = _one_document(paragraph, table)
    blocks = MarkdownIt("commonmark").enable("table").parse(markdown)
    cells = [
        "".join(child.content for child in blocks[i + 1].children or [])
        for i, token in enumerate(blocks)
        if token.type == "td_open"
    ]
    assert cells[:2] == ["a | b", "Phone: 0344"]
    tokens = _tokens(markdown)
    strong = [i for i, t in enumerate(tokens) if t.type == "strong_open"]
    assert any(tokens[i + 1].content == "Phone:" for i in strong)
    emph = [i for i, t in enumerate(tokens) if t.type == "em_open"]
    assert any(tokens[i + 1].content == "see" for i in emph)
    links = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert "https://example.org/a_%28b%29" in links
