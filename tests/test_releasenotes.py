"""Release notes for schools, through `esafety-docs diff --since <sources>`.

`diff` prints the notes a release would write, without rendering anything, so
each change to the sources is tried quickly here; test_approval.py checks that
a real release prints the same notes in every format. Expected wording is
worked out from the sources with plain PyYAML, not taken from the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from conftest import SOURCES, raw_yaml, replace_in, run_cli

DECEMBER_1 = {"SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01T00:00:00Z
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
STRATEGY = raw_yaml("online-safety-strategy.yaml")["title"]
SHEET = raw_yaml("contact-sheet.yaml")["title"]
BRIEFING = raw_yaml("police-sexting-briefing.yaml")["title"]


def diff(sources: Path, *extra: str | Path, env: dict[str, str] | None = None) -> str:
    """The notes `diff` prints, compared with the shipped sources."""
    result = run_cli(
        "diff",
        "--sources",
        sources,
        "--out",
        sources.parent / "dist",
        "--since",
        SOURCES,
        *extra,
        env=env or DECEMBER_1,
    )
    assert result.returncode == 0, result.stderr
    assert not (sources.parent / "dist").exists()  # diff writes nothing
    return result.stdout


def groups(notes: str) -> dict[str, list[str]]:
    """The notes' bullet lines under each `## ` heading."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in notes.splitlines():
        if line.startswith("## "):
            current = line[3:]
            found[current] = []
        elif line.startswith("- ") and current:
            found[current].append(line[2:])
    return found


def documents_showing(contact_id: str) -> list[str]:
    """Titles of the documents that print a contact, read from the raw sources."""

    def sections(items: list[dict]) -> Iterator[dict]:  # type: ignore[type-arg]
        for item in items:
            yield item
            yield from sections(item.get("sections", []))

    titles = []
    for doc_id in raw_yaml("pack.yaml")["documents"]:
        source = raw_yaml(f"{doc_id}.yaml")
        for section in sections(source["sections"]):
            blocks = [b for b in section["body"] if isinstance(b, dict)]
            named = [b.get("contacts") or b.get("contact_table") for b in blocks]
            if any(n == "all" or (isinstance(n, list) and contact_id in n) for n in named):
                titles.append(f'"{source["title"]}"')
                break
    return titles


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def test_a_changed_phone_number_names_old_and_new_and_the_documents(sources_copy: Path) -> None:
    replace_in(sources_copy / "contacts.yaml", "phone: 01332 585371", "phone: 01332 585372")
    notes = diff(sources_copy)
    where = documents_showing("nwg")
    assert len(where) == 2  # the strategy lists it by name; the contact sheet lists everyone
    assert groups(notes)["Contacts"] == [
        f"NWG Network's phone number is now 01332 585372 (it was 01332 585371): in {_and(where)}."
    ]
    assert "No section has been reworded." in notes
    assert "reworded:" not in notes


def test_an_added_contact_is_named_with_its_documents_and_no_section_is_reworded(
    sources_copy: Path,
) -> None:
    entry = (
        "  - id: example\n"
        "    name: Example Advice Line\n"
        "    helps_with: Advice for testing the release notes.\n"
        "    web: https://www.example.org/advice\n"
        "    not_listed: [phone, email]\n"
        "    source: https://www.example.org\n"
        "    checked_on: 2026-11-28\n"
    )
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    notes = diff(sources_copy)
    assert groups(notes)["Contacts"] == [
        f'New contact: Example Advice Line (www.example.org/advice): in "{SHEET}".'
    ]
    assert set(groups(notes)) == {"Contacts"}  # the table grew; no section's words changed
    assert "No section has been reworded." in notes
    assert "reworded" not in notes.replace("No section has been reworded.", "")


def test_the_editors_sentence_comes_first_then_the_rewording_before_and_after(
    sources_copy: Path,
) -> None:
    briefing = sources_copy / "police-sexting-briefing.yaml"
    replace_in(
        briefing, "Police record every case as a crime.", "Police log every case as a crime."
    )
    sentence = "Said that police log every case, as the College of Policing now puts it."
    replace_in(
        briefing,
        "change_history:\n",
        f"change_history:\n  - version: 0.1.0\n    date: 2026-11-30\n    change: {sentence}\n",
    )
    notes = groups(diff(sources_copy))
    assert notes[BRIEFING] == [
        sentence,
        '"What police do when a report is made" reworded: it said "Police record every case '
        'as a crime." and now says "Police log every case as a crime."',
    ]


def test_the_editors_sentences_come_newest_first(sources_copy: Path) -> None:
    strategy = sources_copy / "online-safety-strategy.yaml"
    older, newer = "Checked every web address.", "Named the new training offer."
    entries = "".join(
        f"  - version: 0.1.0\n    date: {day}\n    change: {sentence}\n"
        for day, sentence in (("2026-11-29", older), ("2026-11-30", newer))
    )
    text = strategy.read_text(encoding="utf-8")
    history_end = text.index("sections:\n")
    strategy.write_text(text[:history_end] + entries + text[history_end:], encoding="utf-8")
    assert groups(diff(sources_copy))[STRATEGY] == [newer, older]


def test_a_long_sentence_is_quoted_around_the_words_that_changed(sources_copy: Path) -> None:
    old = "This includes paid staff and volunteers."
    replace_in(
        sources_copy / "online-safety-strategy.yaml", old, "This includes staff and volunteers."
    )
    replace_in(sources_copy / "online-safety-strategy.yaml", "phones, tablets,", "phones, laptops,")
    first, second = groups(diff(sources_copy))[STRATEGY]
    assert first == (
        '"Scope" reworded: it said "This includes paid staff and volunteers." and now says '
        '"This includes staff and volunteers."'
    )
    quotes = re.findall(r'"([^"]*)"', second)
    assert quotes[0] == "Scope"
    assert quotes[1].startswith("… ") and quotes[2].startswith("… ")
    assert "phones, tablets, computers" in quotes[1] and "phones, laptops," in quotes[2]
    assert "It covers any device" not in second  # the unchanged start is left out
    assert all(len(q) < 100 for q in quotes)


def test_moved_added_and_removed_sections(sources_copy: Path) -> None:
    strategy = sources_copy / "online-safety-strategy.yaml"
    text = strategy.read_text(encoding="utf-8")
    scope_start = text.index("  - title: Scope\n")
    scope_end = text.index("  - title: Definitions and risks\n")
    purpose = text.index("  - title: Purpose and vision\n")
    scope = text[scope_start:scope_end]
    text = text[:scope_start] + text[scope_end:]
    text = text[:purpose] + scope + text[purpose:]
    commerce = text.index("      - title: Commerce\n")
    after_commerce = text.index("  - title: Legal and policy context\n")
    text = text[:commerce] + text[after_commerce:]
    text = text.replace(
        "  - title: Monitoring and review\n",
        "  - title: Glossary\n    body:\n      - Words used in this strategy.\n"
        "  - title: Monitoring and review\n",
    )
    strategy.write_text(text, encoding="utf-8")
    assert groups(diff(sources_copy))[STRATEGY] == [
        'New section "Glossary".',
        'The section "Commerce" has been removed.',
        '"Scope" now comes first.',  # only the one that moved, not those it passed
    ]


def test_contacts_a_section_names_itself(sources_copy: Path) -> None:
    replace_in(
        sources_copy / "online-safety-strategy.yaml",
        "contacts: [ceop, posh, uksic, thinkuknow, childnet, nwg, ddscp, schoolsnet]",
        "contacts: [ceop, posh, uksic, thinkuknow, childnet, ddscp, schoolsnet]",
    )
    notes = groups(diff(sources_copy))
    assert notes[STRATEGY] == ['"Where to get help" no longer lists NWG Network.']


def test_approval_and_review_dates_are_written_in_words(sources_copy: Path) -> None:
    replace_in(
        sources_copy / "contact-sheet.yaml",
        "status: draft",
        "status: approved\napproved_by: Partnership board\napproved_on: 2026-11-20",
    )
    replace_in(
        sources_copy / "contact-sheet.yaml", "review_due: 2027-11-28", "review_due: 2028-11-28"
    )
    notes = diff(sources_copy)
    assert groups(notes)[SHEET] == [
        "Approved by Partnership board on 20 November 2026.",
        "Next review due 28 November 2028 (it was 28 November 2027).",
    ]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", notes)
    dates = re.findall(rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b", notes)
    assert len(dates) >= 5
    assert "**Released on:** 1 December 2026" in notes
    assert "**Edition date:** 28 November 2026" in notes


def test_a_draft_is_named_in_the_notes(sources_copy: Path) -> None:
    notes = diff(sources_copy)
    assert "**This is a draft release.**" in notes
    assert f'"{STRATEGY}"' in notes and "the pack as a whole" in notes
    assert "Nothing in the pack has changed since version 0.1.0" in notes


def test_diff_refuses_a_since_folder_it_cannot_read(sources_copy: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("diff", "--sources", sources_copy, "--since", empty)
    assert result.returncode == 2
    assert "is neither a release folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_release_made_by_an_older_tool_is_named_not_compared(
    sources_copy: Path, tmp_path: Path
) -> None:
    older = tmp_path / "dist" / "0.0.9"
    older.mkdir(parents=True)
    (older / "manifest.json").write_text('{"build_date": "2026-10-01T00:00:00+00:00"}')
    (older / "sources.json").write_text('{"contacts": {}, "documents": {}}')
    result = run_cli("diff", "--sources", sources_copy, "--out", tmp_path / "dist", env=DECEMBER_1)
    assert result.returncode == 0, result.stderr
    assert "**Compared with:** version 0.0.9, released on 1 October 2026" in result.stdout
    assert (
        "Version 0.0.9 was made by an earlier version of this tool, so what changed since then "
        "cannot be listed." in result.stdout
    )


def test_a_sources_folder_compared_with_is_named_relative_to_the_working_folder(
    sources_copy: Path,
) -> None:
    notes = diff(sources_copy)  # compared with the shipped sources, from the project folder
    assert "**Compared with:** version 0.1.0 as in sources\n" in notes
    assert str(SOURCES.parent) not in notes
