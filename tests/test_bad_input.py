"""Every kind of bad input gets one exact, positioned diagnostic and a non-zero exit,
never a traceback, and never touches a pack already in dist/.

Expected positions are found by searching the broken file for the text at fault,
not taken from the code under test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SOURCES, TEMPLATES, Made, position_of, replace_in, run_cli


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to the work folder, as the message shows it
    break_it: Callable[[Path], None]
    needle: str  # text whose first character the message must point at
    message: str
    exit_code: int = 1
    severity: str = "error"


def edit(relative: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        replace_in(root / relative, old, new, count)

    return apply


def write_bytes(relative: str, data: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / relative).write_bytes(data)

    return apply


def billion_laughs(root: Path) -> None:
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    (root / "sources/pack.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def symlink_logo_out(root: Path) -> None:
    (root / "templates/outside.png").symlink_to("/etc/passwd")
    edit("templates/brand.yaml", "path: logo.png", "path: outside.png")(root)


CASES = [
    Case(
        "unclosed quote",
        "sources/pack.yaml",
        edit("sources/pack.yaml", "title: Online", 'title: "Online'),
        '"Online',
        "the quotation mark opened here is never closed",
    ),
    Case(
        "bad indentation",
        "sources/pack.yaml",
        edit("sources/pack.yaml", "\npublisher:", "\n  publisher:"),
        "publisher:",
        "`publisher:` is indented further than `title:` above it, so YAML reads it as part "
        "of that value",
    ),
    Case(
        "tab indent",
        "sources/contacts.yaml",
        edit("sources/contacts.yaml", "    name: Childnet", "\tname: Childnet"),
        "\tname: Childnet",
        "this line is indented with a tab character; YAML indents with spaces only (most "
        "editors show a tab as spaces, so it is hard to see)",
    ),
    Case(
        "alias bomb",
        "sources/pack.yaml",
        billion_laughs,
        "&a0",
        "YAML anchors and aliases (& and *) are not allowed in sources",
    ),
    Case(
        "very large file",
        "sources/contacts.yaml",
        write_bytes("sources/contacts.yaml", b"# " + b"x" * 1_000_100 + b"\ncontacts: []\n"),
        "# x",
        "the file is 1,000,116 bytes; a source may be at most 1,000,000 bytes",
    ),
    Case(
        "not UTF-8",
        "sources/pack.yaml",
        write_bytes("sources/pack.yaml", b"title: Caf\xe9 pack\n"),
        "\ufffd pack",
        "byte 0xe9 is not UTF-8 text",
    ),
    Case(
        "NUL byte",
        "sources/pack.yaml",
        write_bytes("sources/pack.yaml", b"title: Online\x00 pack\n"),
        "\x00",
        "the file contains the invisible control character U+0000",
    ),
    Case(
        "escaped control character",
        "sources/contact-sheet.yaml",
        edit(
            "sources/contact-sheet.yaml",
            "subtitle: Who to contact about a child's safety online",
            'subtitle: "Who \\a to contact"',
        ),
        '"Who',
        "'subtitle' contains the invisible character U+0007",
    ),
    Case(
        "list instead of mapping",
        "sources/contacts.yaml",
        write_bytes("sources/contacts.yaml", b"- posh\n- ceop\n"),
        "- posh",
        "the contacts directory should be a set of `key: value` lines, but this is a list",
    ),
    Case(
        "raw HTML in prose",
        "sources/contact-sheet.yaml",
        edit("sources/contact-sheet.yaml", "Call **999**.", "Call <b>999</b>."),
        "<b>999",
        "HTML such as '<b>' is not supported in text",
    ),
    Case(
        "reportlab markup in prose",
        "sources/contact-sheet.yaml",
        edit("sources/contact-sheet.yaml", "Call **999**.", "Call 999.</para><para>"),
        "</para>",
        "HTML such as '</para>' is not supported in text",
    ),
    Case(
        "javascript link",
        "sources/contact-sheet.yaml",
        edit("sources/contact-sheet.yaml", "(https://www.ddscp.org.uk)", "(javascript:alert(1))"),
        "javascript:alert(1)",
        "'javascript:alert(1)' is not a full https:// web address",
    ),
    Case(
        "logo path leaves templates",
        "templates/brand.yaml",
        edit("templates/brand.yaml", "path: logo.png", "path: ../../etc/passwd"),
        "../../etc/passwd",
        "'../../etc/passwd' is outside the templates folder",
    ),
    Case(
        "absolute font path",
        "templates/brand.yaml",
        edit("templates/brand.yaml", "path: fonts/DejaVuSans.ttf", "path: /etc/passwd"),
        "/etc/passwd",
        "'/etc/passwd' is outside the templates folder",
    ),
    Case(
        "logo symlinked out of templates",
        "templates/brand.yaml",
        symlink_logo_out,
        "outside.png",
        "'outside.png' is outside the templates folder",
    ),
    Case(
        "unknown key",
        "sources/contacts.yaml",
        edit("sources/contacts.yaml", "    hours:", "    hour:"),
        "hour:",
        "unknown key 'hour' in a contact",
    ),
    Case(
        "invalid phone number",
        "sources/contacts.yaml",
        edit("sources/contacts.yaml", "phone: 01332 585371", "phone: 01332 5853"),
        "01332 5853",
        "'01332 5853' has 9 digits, but numbers starting 01332 have 11",
    ),
    Case(
        "unknown contact id",
        "sources/police-sexting-briefing.yaml",
        edit("sources/police-sexting-briefing.yaml", "[ceop, posh", "[ceop, pohs"),
        "pohs",
        "no contact with id 'pohs' in contacts.yaml",
    ),
    Case(
        "checked in the future",
        "sources/contacts.yaml",
        edit("sources/contacts.yaml", "checked_on: 2026-11-28", "checked_on: 2999-01-01"),
        "2999-01-01",
        "Professionals Online Safety Helpline was checked on 2999-01-01, which is in the future",
    ),
    Case(
        "contact nobody can reach",
        "sources/contacts.yaml",
        edit(
            "sources/contacts.yaml",
            "    web: https://www.childnet.com/teachers-and-professionals\n",
            "",
        ),
        "id: childnet",
        "Childnet has no phone, email or web address, so nobody can reach it",
    ),
    Case(
        "character the font cannot draw",
        "sources/contact-sheet.yaml",
        edit("sources/contact-sheet.yaml", "Who to contact", "Who \U0001f642 to contact"),
        "\U0001f642",
        "the character '\U0001f642' (U+1F642, SLIGHTLY SMILING FACE) cannot be printed in "
        "DejaVu Sans",
    ),
    Case(
        "approved without approver",
        "sources/contact-sheet.yaml",
        edit("sources/contact-sheet.yaml", "status: draft", "status: approved"),
        "approved",
        "this document is marked approved but has no 'approved_by'",
    ),
    Case(
        "pack approved without approver",
        "sources/pack.yaml",
        edit("sources/pack.yaml", "status: draft", "status: approved"),
        "approved",
        "the pack is marked approved but has no 'approved_by'",
    ),
    Case(
        "pack approved holding drafts",
        "sources/pack.yaml",
        edit(
            "sources/pack.yaml",
            "status: draft",
            "status: approved\napproved_by: Partnership board\napproved_on: 2026-11-20",
        ),
        "approved",
        "the pack is marked approved, but it holds drafts: Online safety strategy, "
        "Police response to nude and semi-nude images shared by young people, "
        "Online safety contacts",
    ),
    Case(
        "an old number printed in a paragraph",
        "sources/online-safety-strategy.yaml",
        edit(
            "sources/online-safety-strategy.yaml",
            "Its details are in the section on where to get help.",
            "Call it on 0844 381 4772.",
        ),
        "0844 381 4772",  # pointed at the number itself, inside its paragraph
        "0844 381 4772 is an old number of Professionals Online Safety Helpline, listed in "
        "its `old_numbers`; it must never be printed",
    ),
    Case(
        "a chargeable number as a contact's phone",
        "sources/contacts.yaml",
        edit("sources/contacts.yaml", "phone: 01332 585371", "phone: 0871 234 5678"),
        "0871 234 5678",
        "0871 234 5678 is on a chargeable 087 range: callers pay extra",
    ),
    Case(
        "brand colour below contrast",
        "templates/brand.yaml",
        # #777777 on white is the well-known near miss: 4.48:1.
        edit("templates/brand.yaml", "link: link-blue", 'link: "#777777"'),
        '"#777777"',
        "link #777777 on background #FFFFFF has contrast 4.48:1, below the 4.5:1 "
        "WCAG 2.2 AA needs for links",
    ),
]


@pytest.fixture()
def published(pack_build: Made) -> Path:
    """A pack already built from the good sources, which no bad input may touch."""
    return pack_build.out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.slow  # one build per case
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_one_exact_diagnostic(case: Case, tmp_path: Path, published: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    dist = tmp_path / "dist"
    shutil.copytree(published, dist, symlinks=True)
    before = _snapshot(dist)
    case.break_it(tmp_path)
    line, column = position_of(tmp_path / case.file, case.needle)

    result = run_cli("build", "--sources", "sources", "--out", "dist", cwd=tmp_path)

    expected = f"{case.file}:{line}:{column}: {case.severity}: {case.message}"
    errors = [text for text in result.stderr.splitlines() if ": error: " in text]
    assert errors and errors[0] == expected, result.stderr
    assert result.returncode == case.exit_code
    assert "Traceback" not in result.stderr
    assert "hint: " in result.stderr
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?", result.stderr.splitlines()[-2])
    assert _snapshot(dist) == before


def test_empty_sources_folder(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "sources/pack.yaml:1:1: error: the pack file pack.yaml is missing"
    )


def test_all_problems_come_in_one_run_sorted_with_a_summary(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit("sources/contacts.yaml", "phone: 01332 585371", "phone: 12345")(tmp_path)
    edit("sources/pack.yaml", "status: draft", "status: done")(tmp_path)
    edit("sources/contact-sheet.yaml", "status: draft", "stauts: draft")(tmp_path)
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 1
    located = [line for line in result.stderr.splitlines() if line.startswith("sources/")]
    files = [line.split(":")[0] for line in located]
    assert files == sorted(files)
    errors = [line for line in located if ": error: " in line]
    assert len(errors) == 4  # bad phone, bad status, unknown key, and the missing status
    assert any("did you mean 'status'?" in line for line in result.stderr.splitlines())
    assert "4 errors, 1 warning" in result.stderr  # and the contact awaiting confirmation


def test_warnings_pass_but_fail_under_strict(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit("sources/contacts.yaml", "    not_listed: [email]\n", "")(tmp_path)
    plain = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert plain.returncode == 0
    assert "warning: NWG Network has no email address; the pack prints none" in plain.stderr
    strict = run_cli("check", "--strict", "--sources", "sources", cwd=tmp_path)
    assert strict.returncode == 1
    assert "error: NWG Network has no email address; the pack prints none" in strict.stderr


def test_old_checks_and_overdue_reviews_are_warnings(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    edit("sources/contacts.yaml", "checked_on: 2026-11-28", "checked_on: 2020-01-01")(tmp_path)
    edit("sources/pack.yaml", "review_due: 2027-11-28", "review_due: 2021-01-01")(tmp_path)
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 0
    assert "details were last checked on 2020-01-01, more than 12 months ago" in result.stderr
    assert "the pack was due for review on 2021-01-01" in result.stderr


def test_check_does_not_import_the_renderers() -> None:
    code = (
        "import sys; from esafety_docs.cli import main; rc = main(['check']); "
        "print(sorted(m for m in ('reportlab', 'docx') if m in sys.modules))"
    )
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SOURCES.parent,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.stdout.strip() == "[]", result.stderr
