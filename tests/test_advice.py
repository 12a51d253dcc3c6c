"""Diagnostics that give the fix: each case feeds the exact bad text comms staff typed
and expects the message in plain words and a hint showing what to write instead.

Positions are found by searching the broken file for the text at fault; messages and
hints are written out here in full, as the user must read them.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import SOURCES, TEMPLATES, position_of, replace_in, run_cli


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to the work folder, as the message shows it
    break_it: Callable[[Path], None]
    needle: str  # the message points at the first character of this text
    message: str
    hint: str
    severity: str = "error"
    strict: bool = False
    exit_code: int | None = None  # when other problems decide it; else from the severity


def edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        replace_in(root / relative, old, new)

    return apply


def rename(old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / old).rename(root / new)

    return apply


def add_file(relative: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / relative).write_text(text, encoding="utf-8")

    return apply


def copy(old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        shutil.copy(root / old, root / new)

    return apply


STRATEGY = "sources/online-safety-strategy.yaml"
SHEET = "sources/contact-sheet.yaml"
CONTACTS = "sources/contacts.yaml"
PACK = "sources/pack.yaml"
LINE_17 = (
    "The internet and social media are now a big part of children's lives. They help "
    "children keep in touch with friends, find information and learn. They also bring risks. "
    "Children may see harmful content, be bullied, or be groomed or sexually exploited."
)

YAML_TRAPS = [
    Case(
        "colon in an unquoted list item",
        STRATEGY,
        edit(
            STRATEGY,
            '- "understand the main online risks to children;"',
            "- Remember: if a child is at risk, tell your safeguarding lead.",
        ),
        "Remember:",
        "this text was read as a key and its value, because of the ': ' after 'Remember'",
        'put the text in quotes: - "Remember: if a child is at risk, tell your safeguarding lead."',
    ),
    Case(
        "colon in an unquoted paragraph",
        SHEET,
        edit(
            SHEET,
            "- Call **999**.",
            "- Remember: if a child is in immediate danger, call **999**.",
        ),
        "Remember:",
        "this text was read as a key and its value, because of the ': ' after 'Remember'",
        'put the text in quotes: - "Remember: if a child is in immediate danger, call **999**."',
    ),
    Case(
        "colon in a value after its key",
        SHEET,
        edit(
            SHEET,
            "subtitle: Who to contact about a child's safety online",
            "subtitle: Online safety: who to contact",
        ),
        "Online safety:",
        "the text after `subtitle:` has ': ' in it, which YAML reads as the start of another key",
        'put the text in quotes: subtitle: "Online safety: who to contact"',
    ),
    Case(
        "quoted words at the start of a line",
        SHEET,
        edit(
            SHEET,
            "- Call **999**.",
            '- "Immediate danger" means call **999**.',
        ),
        '"Immediate',
        "text that starts with a quotation mark must end with one: YAML reads the quotes as "
        "holding the whole text",
        "put the whole text in the other kind of quotes: "
        "- '\"Immediate danger\" means call **999**.'",
    ),
    Case(
        "an apostrophe inside single quotes",
        SHEET,
        edit(
            SHEET,
            "- Call **999**.",
            "- 'If a child's in immediate danger, call **999**.'",
        ),
        "'s in immediate",
        "an apostrophe inside text in single quotes ends the text there, so YAML cannot read "
        "the rest of the line",
        """put the text in double quotes: - "If a child's in immediate danger, call **999**.\"""",
    ),
    Case(
        "quoted words inside double quotes",
        SHEET,
        edit(
            SHEET,
            "- Call **999**.",
            '- "Children may say "it was a joke": call **999** if they are in danger."',
        ),
        '"it was',
        "a quotation mark inside text in double quotes ends the text there, so YAML cannot "
        "read the rest of the line",
        'write each quotation mark inside the text as \\" (or use “ ”): '
        '- "Children may say \\"it was a joke\\": call **999** if they are in danger."',
    ),
    Case(
        "missing colon before a nested key",
        SHEET,
        edit(SHEET, "  - title: Organisations that help", "  - title Organisations that help"),
        "title Organisations",
        "'title' has no ':' after it, so YAML cannot tell the key from its value",
        "add a colon after the key: - title: Organisations that help",
    ),
    Case(
        "bold at the start of a line",
        SHEET,
        edit(
            SHEET,
            "- Call **999**.",
            "- **Emergency:** call 999 if a child is in immediate danger.",
        ),
        "**Emergency",
        "text cannot start with * unless it is in quotes: YAML reads it as a reference to "
        "another value (an alias)",
        'put the text in quotes: - "**Emergency:** call 999 if a child is in immediate danger."',
    ),
    Case(
        "link at the start of a line",
        SHEET,
        edit(
            SHEET,
            "- Call **999**.",
            "- [Report to CEOP](https://www.ceop.police.uk/Safety-Centre/) if a child is at risk.",
        ),
        "[Report",
        "text cannot start with [ unless it is in quotes: YAML reads it as the start of a list",
        'put the text in quotes: - "[Report to CEOP](https://www.ceop.police.uk/Safety-Centre/) '
        'if a child is at risk."',
    ),
    Case(
        "unclosed quote on line 17",
        STRATEGY,
        edit(STRATEGY, f'{LINE_17}"\n', f"{LINE_17}\n"),
        '"The internet',
        "the quotation mark opened here is not closed, so the lines after it (up to line 18) "
        "were read as part of this text",
        f'close it at the end of the line: - "{LINE_17}"',
    ),
    Case(
        "missing colon on line 6",
        PACK,
        edit(PACK, "publisher: Derby", "publisher Derby"),
        "publisher Derby",
        "'publisher' has no ':' after it, so YAML cannot tell the key from its value",
        "add a colon after the key: publisher: Derby and Derbyshire Safeguarding Children "
        "Partnership",
    ),
    Case(
        "tab inside a list",
        STRATEGY,
        edit(
            STRATEGY,
            '          - "give children, parents',
            '\t- "give children, parents',
        ),
        '\t- "give',
        "this line is indented with a tab character; YAML indents with spaces only (most "
        "editors show a tab as spaces, so it is hard to see)",
        "replace the tab with 10 spaces, in line with the lines around it: "
        '`          - "give children, parents and carers clear and correct advice;"`',
    ),
    Case(
        "key indented too far",
        PACK,
        edit(PACK, "\npublisher:", "\n  publisher:"),
        "publisher:",
        "`publisher:` is indented further than `title:` above it, so YAML reads it as part "
        "of that value",
        "line it up with `title:` above: "
        "`publisher: Derby and Derbyshire Safeguarding Children Partnership`",
    ),
]

PHONES = [
    Case(
        "option after the number",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: 01332 585371 (option 2)"),
        "01332 585371 (option 2)",
        "'01332 585371 (option 2)' has words after the number; a phone line holds the number only",
        "give the words their own line: `phone: 01332 585371` and below it `phone_note: option 2`",
    ),
    Case(
        "drama number that looks real",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: 020 7946 0123"),
        "020 7946 0123",
        "020 7946 0123 is in a range Ofcom keeps for TV and radio drama (London), so it is "
        "not a real number",
        "copy the real number from the organisation's own website or letters",
    ),
    Case(
        "drama number in the fictional area",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: 01632 960 123"),
        "01632 960 123",
        "01632 960123 is in a range Ofcom keeps for TV and radio drama (no real area), so it "
        "is not a real number",
        "copy the real number from the organisation's own website or letters",
    ),
    Case(
        "drama number written in a paragraph",
        SHEET,
        edit(SHEET, "Call **999**.", "Call **999**, or the local team on 0115 496 0123."),
        "0115 496 0123",
        "0115 496 0123 is in a range Ofcom keeps for TV and radio drama (Nottingham), so it "
        "is not a real number",
        "copy the real number from the organisation's own website or letters",
    ),
    Case(
        "digits missing for the area code",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: 01332 5853"),
        "01332 5853",
        "'01332 5853' has 9 digits, but numbers starting 01332 have 11",
        "check the number at its source: it has 2 digits missing",
    ),
    Case(
        "a digit too many",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: 01332 5853711"),
        "01332 5853711",
        "'01332 5853711' has 12 digits, but numbers starting 01332 have 11",
        "check the number at its source: it has 1 digit too many",
    ),
    Case(
        "too short to be anything",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: 12345"),
        "12345",
        "'12345' is too short for a UK phone number, and it is not one of the UK's short "
        "numbers (such as 999, 101, 111 or 116 123)",
        "write the full number with its area code, e.g. 01332 585371",
    ),
    Case(
        "not a UK number",
        CONTACTS,
        edit(CONTACTS, "phone: 01332 585371", "phone: +33 1 23 45 67 89"),
        "+33 1 23 45 67 89",
        "'+33 1 23 45 67 89' is not a UK number: +33 (the code for FR) is not the UK's +44",
        "the pack lists UK numbers only; give the organisation's UK number, or leave the line out",
    ),
    Case(
        "a chargeable number on the second line of a folded paragraph",
        SHEET,
        edit(SHEET, "safeguarding lead about", "safeguarding lead (0871 123 4567) about"),
        "0871 123 4567",
        "0871 123 4567 is on a chargeable 087 range: callers pay extra",
        "print a current 01, 02, 03 or 0800 number instead; an old number can be kept in "
        "`editor_notes`, which is never printed",
    ),
    Case(
        "a note with no number",
        CONTACTS,
        edit(CONTACTS, "    phone: 01332 585371\n", "    phone_note: option 2\n"),
        "option 2",
        "NWG Network has a phone_note but no phone number for it to go with",
        "add the `phone:` line it belongs to, or remove the phone_note",
    ),
]

LINKS = [
    Case(
        "click here",
        SHEET,
        edit(SHEET, "[Derby and Derbyshire safeguarding procedures]", "[click here]"),
        "https://www.ddscp.org.uk)",
        "the link text 'click here' does not say where the link goes, so the build would stop on "
        "it (screen-reader users often hear link text alone)",
        "put words that say where it goes inside the brackets: [name of the page on "
        "www.ddscp.org.uk](https://www.ddscp.org.uk), not [click here](https://www.ddscp.org.uk)",
    ),
    Case(
        "read more",
        SHEET,
        edit(SHEET, "[Derby and Derbyshire safeguarding procedures]", "[Read more]"),
        "https://www.ddscp.org.uk)",
        "the link text 'Read more' does not say where the link goes, so the build would stop on "
        "it (screen-reader users often hear link text alone)",
        "put words that say where it goes inside the brackets: [name of the page on "
        "www.ddscp.org.uk](https://www.ddscp.org.uk), not [Read more](https://www.ddscp.org.uk)",
    ),
    Case(
        "the address as link text",
        SHEET,
        edit(SHEET, "[Derby and Derbyshire safeguarding procedures]", "[www.ddscp.org.uk]"),
        "https://www.ddscp.org.uk)",
        "the link text is the address 'www.ddscp.org.uk': screen readers read it out "
        "character by character, and it does not say what the page is",
        "put words that say where it goes inside the brackets: [name of the page on "
        "www.ddscp.org.uk](https://www.ddscp.org.uk)",
        severity="warning",
    ),
]

FILES = [
    Case(
        "contacts renamed to .yml",
        CONTACTS,
        rename(CONTACTS, "sources/contacts.yml"),
        "",
        "contacts.yaml is missing",
        "contacts.yml is there: if that is this file, rename it to contacts.yaml",
    ),
    Case(
        "the stray .yml named",
        "sources/contacts.yml",
        rename(CONTACTS, "sources/contacts.yml"),
        "",
        "contacts.yml is not used by the pack: did you mean contacts.yaml?",
        "rename it to contacts.yaml",
        severity="warning",
        exit_code=1,  # contacts.yaml itself is missing
    ),
    Case(
        "an old copy",
        "sources/contacts-old.yaml",
        copy(CONTACTS, "sources/contacts-old.yaml"),
        "",
        "contacts-old.yaml is not used by the pack; it looks like a copy of contacts.yaml",
        "move it out of the sources folder if you want to keep it",
        severity="warning",
    ),
    Case(
        "an old copy under --strict",
        "sources/contacts-old.yaml",
        copy(CONTACTS, "sources/contacts-old.yaml"),
        "",
        "contacts-old.yaml is not used by the pack; it looks like a copy of contacts.yaml",
        "move it out of the sources folder if you want to keep it",
        strict=True,
    ),
    Case(
        "a document not in the pack",
        "sources/online-safety-guide.yaml",
        copy(SHEET, "sources/online-safety-guide.yaml"),
        "",
        "online-safety-guide.yaml is not listed in pack.yaml, so it is not built",
        "add `- online-safety-guide` under `documents:` in pack.yaml, or move the file out of "
        "the sources folder",
        severity="warning",
    ),
    Case(
        "a file that is no source",
        "sources/notes.docx",
        add_file("sources/notes.docx", "not YAML"),
        "",
        "the file notes.docx is not used by the pack",
        "the sources folder holds only the pack's YAML files; move it somewhere else",
        severity="warning",
    ),
    Case(
        "a document saved as .yml",
        PACK,
        rename(SHEET, "sources/contact-sheet.yml"),
        "contact-sheet\n",
        "document 'contact-sheet' has no source file contact-sheet.yaml",
        "contact-sheet.yml is there: if that is the document, rename it to contact-sheet.yaml",
    ),
    Case(
        "an empty file",
        CONTACTS,
        add_file(CONTACTS, ""),
        "",
        "the file is empty",
        "it should hold the contacts directory, starting with `contacts:`; see "
        "docs/source-format.md for every key",
    ),
    Case(
        "a file of comments only",
        PACK,
        add_file(PACK, "# title: Online safety pack\n"),
        "",
        "the file holds only comments",
        "it should hold the pack file, starting with `title:`; see docs/source-format.md for "
        "every key",
    ),
]

SMALLER = [
    Case(
        "id in capitals",
        CONTACTS,
        edit(CONTACTS, "id: ceop", "id: CEOP"),
        "CEOP",
        "'CEOP' is not a valid id: ids use lower-case letters, digits and hyphens only",
        "write ceop",
    ),
    Case(
        "30 February",
        PACK,
        edit(PACK, "review_due: 2027-11-28", "review_due: 2027-02-30"),
        "2027-02-30",
        "'2027-02-30' is not a date: February 2027 has 28 days",
        "check the day; the last day of that month is 2027-02-28",
    ),
    Case(
        "a date written day first",
        PACK,
        edit(PACK, "review_due: 2027-11-28", "review_due: 28/11/2027"),
        "28/11/2027",
        "'28/11/2027' is not a date in the form YYYY-MM-DD",
        "write it year first: 2027-11-28",
    ),
    Case(
        "white text on a lighter teal",
        "templates/brand.yaml",
        edit("templates/brand.yaml", 'teal: "#00576B"', 'teal: "#4F9FB0"'),
        '"#4F9FB0"',
        "background #FFFFFF on primary #4F9FB0 has contrast 3.04:1, below the 4.5:1 WCAG 2.2 "
        "AA needs for table header row",
        "make primary (teal) darker",
    ),
    Case(
        "grey text on the shaded rows",
        "templates/brand.yaml",
        edit("templates/brand.yaml", 'ink: "#1B1B1B"', 'ink: "#8A8A8A"'),
        "ink\n  background",
        "foreground #8A8A8A on light #E6F0F2 has contrast 2.98:1, below the 4.5:1 WCAG 2.2 "
        "AA needs for shaded table rows",
        "make light (mist) lighter or foreground (ink) darker",
    ),
]

CASES = YAML_TRAPS + PHONES + LINKS + FILES + SMALLER


@pytest.mark.slow  # one run of the command per case
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_message_says_what_happened_and_the_hint_shows_the_fix(
    case: Case, tmp_path: Path
) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    case.break_it(tmp_path)
    line, column = position_of(tmp_path / case.file, case.needle)

    strict = ["--strict"] if case.strict else []
    result = run_cli("check", *strict, "--sources", "sources", cwd=tmp_path)

    expected = (
        f"{case.file}:{line}:{column}: {case.severity}: {case.message}\n    hint: {case.hint}\n"
    )
    assert result.stderr.count(expected) == 1, result.stderr  # said once, where it is
    exit_code = case.exit_code if case.exit_code is not None else int(case.severity == "error")
    assert result.returncode == exit_code
    assert "Traceback" not in result.stderr
    assert not re.search(r"\bgit\b", result.stderr)  # hints never assume git


# What the writer meant, for the traps whose hint shows the list item to write instead.
MEANT = {
    "an apostrophe inside single quotes": "If a child's in immediate danger, call **999**.",
    "quoted words inside double quotes": (
        'Children may say "it was a joke": call **999** if they are in danger.'
    ),
}


@pytest.mark.parametrize(("name", "meant"), MEANT.items())
def test_the_line_the_hint_shows_reads_as_the_text_meant(name: str, meant: str) -> None:
    hint = next(case.hint for case in YAML_TRAPS if case.name == name)
    assert yaml.safe_load("- " + hint.split(": - ", 1)[1]) == [meant]


def test_check_names_every_unused_file_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "sources" / "old notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sources" / ".contacts.yaml.swp").write_text("x", encoding="utf-8")
    (tmp_path / "sources" / "Thumbs.db").write_text("x", encoding="utf-8")
    plain = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert plain.returncode == 0
    unused = [line for line in plain.stderr.splitlines() if "not used by the pack" in line]
    assert unused == [
        "sources/old notes.txt:1:1: warning: the file old notes.txt is not used by the pack"
    ]
    strict = run_cli("check", "--strict", "--sources", "sources", cwd=tmp_path)
    assert strict.returncode == 1
    assert "error: the file old notes.txt is not used by the pack" in strict.stderr


def test_the_schemas_folder_is_not_an_unused_source() -> None:
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "not used by the pack" not in result.stderr
    assert "schemas" not in result.stderr


def test_an_id_in_capitals_is_reported_once_not_again_where_it_is_used(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit(CONTACTS, "id: ceop", "id: CEOP")(tmp_path)
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{CONTACTS}:{position_of(tmp_path / CONTACTS, 'CEOP')[0]}:9: error: 'CEOP' is not a "
        "valid id: ids use lower-case letters, digits and hyphens only"
    ]


def test_two_problems_with_one_link_both_point_at_it(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    old = "[Derby and Derbyshire safeguarding procedures](https://www.ddscp.org.uk)"
    edit(SHEET, old, "[click here](http://www.ddscp.org.uk)")(tmp_path)
    line = position_of(tmp_path / SHEET, "http://www.ddscp.org.uk")[0]
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    about_it = [
        text.split(": ")[0]
        for text in result.stderr.splitlines()
        if (": warning: " in text or ": error: " in text)
        and ("click here" in text or "http://www.ddscp" in text)
    ]
    assert len(about_it) == 2, result.stderr
    assert {place.split(":")[1] for place in about_it} == {str(line)}, about_it


def test_a_capitalised_id_whose_lower_case_is_taken_is_one_error(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    contacts = tmp_path / CONTACTS
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text + "  - id: NWG\n    name: Another network\n", encoding="utf-8")
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert any("'NWG' is not a valid id" in line for line in errors), errors
    assert not [line for line in errors if "used twice" in line], errors


def test_an_old_number_printed_twice_is_reported_at_each_place(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit(
        STRATEGY,
        "Its details are in the section on where to get help.",
        "Call it on 0844 381 4772.\n        Or call 0844 381 4772.",
    )(tmp_path)
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    places = [
        line.split(": error: ")[0] for line in result.stderr.splitlines() if "0844 381 4772" in line
    ]
    assert len(places) == 2 and len(set(places)) == 2, result.stderr


def test_check_stops_on_vague_link_text_where_the_build_would(tmp_path: Path) -> None:
    """Check and build agree: the same file:line, and neither goes on."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit(SHEET, "[Derby and Derbyshire safeguarding procedures]", "[click here]")(tmp_path)
    line = position_of(tmp_path / SHEET, "https://www.ddscp.org.uk)")[0]
    checked = run_cli("check", "--sources", "sources", cwd=tmp_path)
    built = run_cli("build", "--sources", "sources", cwd=tmp_path)
    place = f"{SHEET}:{line}:"
    for result in (checked, built):
        assert result.returncode == 1
        said = [text for text in result.stderr.splitlines() if "'click here'" in text]
        assert said and said[0].startswith(place) and ": error: " in said[0], result.stderr
    assert not (tmp_path / "dist").exists()  # the build stopped before writing anything


PASTED = [
    ("over-indented name", CONTACTS, "    name: Professionals", "      name: Professionals"),
    ("tab before name", CONTACTS, "    name: Professionals", "\tname: Professionals"),
    (
        "under-indented block text",
        CONTACTS,
        "    helps_with: >-\n      Advice for anyone",
        "  helps_with: >-\n      Advice for anyone",
    ),
    ("over-indented body", SHEET, "    body:\n      - Call", "      body:\n      - Call"),
    ("tab before body", SHEET, "    body:\n      - Call", "\tbody:\n      - Call"),
    ("under-indented body", SHEET, "    body:\n      - Call", "  body:\n      - Call"),
]


@pytest.mark.parametrize(("name", "file", "good", "bad"), PASTED, ids=[p[0] for p in PASTED])
def test_an_indentation_hint_is_right_when_pasted(
    tmp_path: Path, name: str, file: str, good: str, bad: str
) -> None:
    """Paste the line the hint shows in place of the faulty one: the file is right again."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit(file, good, bad)(tmp_path)
    broken = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert broken.returncode == 1
    place, hint = next(
        (line, following)
        for line, following in itertools.pairwise(broken.stderr.splitlines())
        if line.startswith(file) and ": error: " in line
    )
    row = int(place.split(":")[1])
    pasted = re.search(r"`([^`]*)`\s*$", hint)
    assert pasted, hint
    path = tmp_path / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[row - 1] = pasted.group(1) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    fixed = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert fixed.returncode == 0, (hint, fixed.stderr)
    assert path.read_text(encoding="utf-8") == (SOURCES.parent / file).read_text(encoding="utf-8")


def test_every_tab_in_a_file_is_reported_not_only_the_first(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    path = tmp_path / CONTACTS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [n for n, line in enumerate(lines, 1) if re.match(r"    [a-z_]+: \S", line)]
    tabbed = [rows[2], rows[12], rows[24]]  # three keys far apart
    for row in tabbed:
        lines[row - 1] = "\t" + lines[row - 1][4:]
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [int(line.split(":")[1]) for line in errors] == tabbed, result.stderr
    assert all("indented with a tab character" in line for line in errors)
    assert "were not checked" not in result.stderr  # every mistake was seen past


def test_a_mistake_nothing_can_be_read_past_says_the_rest_was_not_checked(
    tmp_path: Path,
) -> None:
    """An unclosed quote swallows the lines below it: one error, which says so."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    path = tmp_path / CONTACTS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(n for n, line in enumerate(lines, 1) if re.match(r"    name: \S", line))
    lines[row - 1] = lines[row - 1].replace("name: ", 'name: "', 1)
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 1
    said = result.stderr.splitlines()
    errors = [n for n, line in enumerate(said) if ": error: " in line]
    assert len(errors) == 1, result.stderr
    where = int(said[errors[0]].split(":")[1])
    assert where >= row, result.stderr
    note = f"    note: lines after {where} were not checked: run the check again once it is mended"
    assert said[errors[0] + 2] == note, result.stderr
