"""Loading the shipped sources, and the loader's diagnostics for broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SOURCES, raw_yaml, section_titles
from esafety_docs.reading.diagnostics import Reporter, SourceError
from esafety_docs.reading.model import (
    ContactList,
    Heading,
    Link,
    Paragraph,
    Strong,
    Text,
    plain_text,
)
from esafety_docs.reading.sources import load_pack


@pytest.fixture(scope="module")
def pack():  # type: ignore[no-untyped-def]
    return load_pack(SOURCES, Reporter())


def test_documents_come_in_the_order_the_pack_file_gives(pack) -> None:  # type: ignore[no-untyped-def]
    assert [d.id for d in pack.documents] == raw_yaml("pack.yaml")["documents"]
    assert [d.id for d in pack.documents] == [
        "online-safety-strategy",
        "police-sexting-briefing",
        "contact-sheet",
    ]


def test_headings_follow_the_sections_of_each_source(pack) -> None:  # type: ignore[no-untyped-def]
    for document in pack.documents:
        expected = section_titles(raw_yaml(f"{document.id}.yaml")["sections"])
        headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
        assert headings == expected
        assert len(headings) >= 2


def test_strategy_has_the_usual_shape_of_a_partnership_strategy(pack) -> None:  # type: ignore[no-untyped-def]
    strategy = pack.documents[0]
    top = {b.text.lower() for b in strategy.blocks if isinstance(b, Heading) and b.level == 1}
    for expected in ("purpose and vision", "scope", "principles", "priorities", "action plan"):
        assert any(expected in title for title in top), expected


def test_contacts_are_read_once_each_with_phone_numbers_formatted(pack) -> None:  # type: ignore[no-untyped-def]
    raw = raw_yaml("contacts.yaml")["contacts"]
    printed = [c["id"] for c in raw if not c.get("awaiting_confirmation")]
    assert [c.id for c in pack.contacts] == printed  # one awaits confirmation: never printed
    assert len(printed) < len(raw)
    by_id = {c.id: c for c in pack.contacts}
    assert by_id["posh"].phone == "0344 381 4772"
    assert by_id["posh"].phone_e164 == "+443443814772"
    assert by_id["nwg"].phone == "01332 585371"
    # Details the brief does not give stay absent, never blank.
    assert by_id["childnet"].phone is None and by_id["childnet"].email is None
    assert by_id["nwg"].email is None


def test_contact_sheet_lists_the_whole_printed_directory(pack) -> None:  # type: ignore[no-untyped-def]
    sheet = pack.documents[-1]
    lists = [b for b in sheet.blocks if isinstance(b, ContactList)]
    assert len(lists) == 1
    assert lists[0].contacts == pack.contacts
    assert all(not c.awaiting_confirmation for c in lists[0].contacts)


def test_missing_details_are_warnings_naming_the_organisation_unless_not_listed(
    sources_copy: Path,
) -> None:
    reporter = Reporter()
    load_pack(SOURCES, reporter)
    # The shipped sources say which details are not listed; only the contact awaiting
    # confirmation is reported, as a warning marked draft.
    assert [d for d in reporter.diagnostics if not d.draft] == []
    contacts = sources_copy / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(
        "".join(line for line in text.splitlines(keepends=True) if "not_listed:" not in line)
    )
    reporter = Reporter()
    load_pack(sources_copy, reporter)
    messages = [d.message for d in reporter.warnings]
    assert "Childnet has no phone number or email address; the pack prints none" in messages
    assert "NWG Network has no email address; the pack prints none" in messages
    assert len(messages) == text.count("not_listed:") + text.count("awaiting_confirmation:")
    assert not reporter.errors


def test_inline_markdown_becomes_bold_and_links(sources_copy: Path) -> None:
    sheet = sources_copy / "contact-sheet.yaml"
    text = sheet.read_text(encoding="utf-8").replace(
        "Call **999**.", "Call **999** or see [CEOP's advice](https://www.ceop.police.uk/)."
    )
    sheet.write_text(text, encoding="utf-8")
    pack = load_pack(sources_copy, Reporter())
    paragraph = next(b for b in pack.documents[-1].blocks if isinstance(b, Paragraph))
    assert paragraph.inlines[1] == Strong((Text("999"),))
    links = [n for n in paragraph.inlines if isinstance(n, Link)]
    assert links[0].url == "https://www.ceop.police.uk/"
    assert plain_text(paragraph.inlines).endswith("Call 999 or see CEOP's advice.")


def _errors_for(sources: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_pack(sources, Reporter())
    return [d.format() for d in caught.value.diagnostics if d.severity == "error"]


def test_an_unknown_key_names_file_line_column_and_suggests_the_right_one(
    sources_copy: Path,
) -> None:
    path = sources_copy / "contacts.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("hours:"))
    lines[index] = lines[index].replace("hours:", "hours_:")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = _errors_for(sources_copy)
    column = lines[index].index("hours_") + 1
    assert len(errors) == 1
    assert f"contacts.yaml:{index + 1}:{column}: error: unknown key 'hours_'" in errors[0]
    assert "did you mean 'hours'?" in errors[0]


def test_a_bad_phone_number_and_an_unknown_contact_are_both_reported(sources_copy: Path) -> None:
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace("01332 585371", "01332 58"), encoding="utf-8"
    )
    briefing = sources_copy / "police-sexting-briefing.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "ceop" in text
    briefing.write_text(text.replace("- ceop", "- ceopp", 1).replace("[ceop,", "[ceopp,", 1))
    errors = _errors_for(sources_copy)
    assert any("'01332 58' has 7 digits, but numbers starting 01332 have 11" in e for e in errors)
    assert any("no contact with id 'ceopp'" in e and "did you mean 'ceop'?" in e for e in errors)


def test_an_id_with_a_word_added_is_matched_to_the_id_it_names(sources_copy: Path) -> None:
    briefing = sources_copy / "police-sexting-briefing.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace("[ceop, posh,", "[ceop, posh-helpline,", 1))
    (error,) = _errors_for(sources_copy)
    assert "no contact with id 'posh-helpline'" in error
    assert "did you mean 'posh'? If not, add it to contacts.yaml" in error


def test_tabs_and_unclosed_quotes_point_at_the_line(sources_copy: Path) -> None:
    pack_file = sources_copy / "pack.yaml"
    pack_file.write_text('title: "Online safety\npublisher: x\n', encoding="utf-8")
    (errors,) = _errors_for(sources_copy)
    assert errors.startswith("sources/pack.yaml:") or "pack.yaml:" in errors
    assert "hint:" in errors


def test_an_alias_bomb_is_refused_quickly(sources_copy: Path) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        levels.append(f"a{n}: &a{n} [{refs}]")
    (sources_copy / "pack.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    errors = _errors_for(sources_copy)
    assert any("anchors and aliases" in e for e in errors)


def test_a_missing_pack_file_is_one_clear_error(tmp_path: Path) -> None:
    (errors,) = _errors_for(tmp_path)
    assert "pack.yaml:1:1: error: the pack file pack.yaml is missing" in errors
