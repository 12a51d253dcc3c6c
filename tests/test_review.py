"""The Word review round trip, with real files: a review copy is changed the way Word
writes changes (tests/word_review.py), saved again by LibreOffice, and imported; the
test then reads the YAML file as text and compares it with the source edited by hand."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import mammoth
import pytest

from conftest import SOURCES, document_file, raw_yaml, run_cli
from libreoffice import SKIP_REASON, SOFFICE, saved_again, tagged_pdfs
from word_review import Review

BRIEFING = "police-sexting-briefing"
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason=SKIP_REASON)


def review_copy(folder: Path, doc_id: str) -> Path:
    (found,) = folder.glob(f"{doc_id}-*-review.docx")
    return found


def through_libreoffice(review: Review, tmp_path: Path) -> Path:
    edited = review.save(tmp_path / "reviewed.docx")
    return saved_again(edited, tmp_path / "saved", tmp_path / "profile")


def import_review(path: Path, sources: Path, *options: str) -> tuple[int, str]:
    result = run_cli("review", "import", path, "--sources", sources, *options)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.yaml")}


def line_of(text: str, words: str) -> int:
    """The 1-based line of the source text that holds `words` (once)."""
    (number,) = [n for n, line in enumerate(text.splitlines(), 1) if words in line]
    return number


def edited(text: str, old: str, new: str) -> str:
    """The source text with one edit made by hand: `old` occurs exactly once."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def words_of(docx: Path) -> list[str]:
    """The paragraphs as mammoth (not the code under test) reads them."""
    with docx.open("rb") as file:
        text = mammoth.extract_raw_text(file).value
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("doc_id", raw_yaml("pack.yaml")["documents"])
def test_a_review_copy_reads_as_the_word_edition(
    review_copies: Path, pack_folder: Path, doc_id: str
) -> None:
    copy = review_copy(review_copies, doc_id)
    assert words_of(copy) == words_of(pack_folder / document_file(doc_id, "docx"))
    with zipfile.ZipFile(copy) as archive:
        body = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, re.S)
    unmarked = [p for p in paragraphs if 'w:name="_esd_' not in p]
    assert paragraphs and not unmarked, f"{len(unmarked)} paragraphs carry no review mark"


def pages(pdf: Path) -> list[bytes]:
    """Each page drawn by PDFium, as pixels."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return [page.render(scale=0.7).to_pil().tobytes() for page in document]


@pytest.mark.slow
@needs_libreoffice
def test_a_review_copy_looks_exactly_like_the_word_edition_in_libreoffice(
    review_copies: Path, libreoffice_pdfs: dict[str, Path], tmp_path: Path
) -> None:
    """The marks are invisible: LibreOffice draws every page pixel for pixel the same."""
    doc_ids = raw_yaml("pack.yaml")["documents"]
    copies = [review_copy(review_copies, d) for d in doc_ids]
    done = tagged_pdfs(copies, tmp_path, tmp_path / "profile")
    assert done.returncode == 0, done.stderr
    for doc_id, copy in zip(doc_ids, copies, strict=True):
        drawn = pages(tmp_path / copy.with_suffix(".pdf").name)
        assert drawn == pages(libreoffice_pdfs[doc_id]), doc_id


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PRINTED_ADDRESS = re.compile(r" \((?:www\.|https?://)?[^\s()]+\.[^\s()]+\)")


def _plain(markup: str) -> str:
    """Source text as a reader sees it: links as their words, no emphasis marks."""
    return " ".join(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markup).replace("*", "").split())


@pytest.mark.parametrize("doc_id", raw_yaml("pack.yaml")["documents"])
def test_every_marked_paragraph_names_the_source_text_it_shows(
    review_copies: Path, doc_id: str
) -> None:
    """The manifest's path leads, in the YAML read independently, to the words the
    bookmarked paragraph shows (less the web address printed after a link)."""
    with zipfile.ZipFile(review_copy(review_copies, doc_id)) as archive:
        items = [n for n in archive.namelist() if re.fullmatch(r"customXml/item\d+\.xml", n)]
        (manifest,) = [
            root for n in items if (root := ElementTree.fromstring(archive.read(n))).get("pack")
        ]
        body = ElementTree.fromstring(archive.read("word/document.xml"))
    shown = {
        mark.get(f"{W}name"): " ".join("".join(t.text or "" for t in p.iter(f"{W}t")).split())
        for p in body.iter(f"{W}p")
        for mark in p.iter(f"{W}bookmarkStart")
    }
    source = raw_yaml(manifest.get("file", ""))
    sourced = [p for p in manifest if p.get("path")]
    assert len(sourced) > 5
    assert any(p.get("path") == "title" for p in sourced)
    for entry in sourced:
        value = source
        for key, index in re.findall(r"\.?([a-z_]+)|\[(\d+)\]", entry.get("path", "")):
            value = value[int(index)] if index else value[key]
        words = _plain(str(value))
        printed = shown[entry.get("mark")]
        for address in {a for a in _PRINTED_ADDRESS.findall(printed) if a not in words}:
            printed = printed.replace(address, "")
        assert printed == words, entry.get("path")


# ---------------------------------------------------------------- import


@pytest.mark.slow
@needs_libreoffice
def test_tracked_changes_and_comments_come_back_through_libreoffice(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    before = (sources_copy / f"{BRIEFING}.yaml").read_text(encoding="utf-8")
    review = Review(review_copy(review_copies, BRIEFING))
    review.tracked_replace("explains", "sets out", "Safeguarding lead")
    # The title, which the cover shows outside the body's blocks.
    review.tracked_replace("semi-nude images shared", "semi-nude images sent", "Police reviewer")
    # Inside bold words, and inside a link's words: the markup around them survives.
    review.tracked_insert_after("unlikely", " indeed", "Police reviewer", bold=True)
    review.tracked_replace("UKCIS advice", "UKCIS guidance", "Police reviewer")
    review.tracked_replace("Responding to the taking", "Responding to taking", "Police reviewer")
    review.untracked_replace("Leave the next steps", "Leave all next steps")
    review.untracked_bold("every case")
    review.comment("Outcome 21 is a Home Office code", "Is the 2016 date right?", "Board member")
    review.split_after("proportionate to what has happened.")
    code, report = import_review(through_libreoffice(review, tmp_path), sources_copy)
    assert code == 0, report

    expected = edited(before, "The briefing explains how", "The briefing sets out how")
    expected = edited(expected, "semi-nude images shared by", "semi-nude images sent by")
    expected = edited(expected, "It is **unlikely** that", "It is **unlikely indeed** that")
    expected = edited(expected, "[the UKCIS advice on", "[the UKCIS guidance on")
    expected = edited(expected, "*Responding to the taking", "*Responding to taking")
    expected = edited(expected, "Leave the next steps", "Leave all next steps")
    expected = edited(expected, '"Police record every case', '"Police record **every case**')
    assert (sources_copy / f"{BRIEFING}.yaml").read_text(encoding="utf-8") == expected

    file = f"{BRIEFING}.yaml"
    for words, by in (
        ("The briefing explains how", "tracked by Safeguarding lead"),
        ("title: Police response to nude", "tracked by Police reviewer"),
        ("It is **unlikely** that", "tracked by Police reviewer"),
        ("Leave the next steps", "not tracked"),
    ):
        line = line_of(before, words)
        assert re.search(rf"{re.escape(file)}:{line} \([^)]*, {by}\)", report), (words, by)
    assert "before: The briefing explains how police respond" in report
    assert "after:  The briefing sets out how police respond" in report
    comment_line = line_of(before, "Outcome 21 is a Home Office code")
    assert (
        f"{file}:{comment_line}: Board member, 2026-12-01 on "
        '"Outcome 21 is a Home Office code":' in report
    )
    assert "Is the 2016 date right?" in report
    split_line = line_of(before, "proportionate to what has happened")
    assert f"{file}:{split_line}: this paragraph was split into 2 paragraphs" in report


@pytest.mark.slow
@needs_libreoffice
def test_comments_into_the_yaml_and_one_reviewers_changes_only(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    before = (sources_copy / f"{BRIEFING}.yaml").read_text(encoding="utf-8")
    review = Review(review_copy(review_copies, BRIEFING))
    review.tracked_replace("explains", "sets out", "Safeguarding lead")
    review.tracked_replace("straight away", "at once", "Police reviewer")
    review.untracked_replace("Leave the next steps", "Leave all next steps")
    review.comment("Police record every case as a crime.", "Say which crime code.", "Board member")
    code, report = import_review(
        through_libreoffice(review, tmp_path),
        sources_copy,
        "--author",
        "Police reviewer",
        "--comments",
        "yaml",
    )
    assert code == 0, report
    expected = edited(before, "straight away", "at once")
    expected = edited(expected, "Leave the next steps", "Leave all next steps")  # no author
    expected = edited(
        expected,
        '          - "Police record every case as a crime."',
        "          # Review comment: Board member: Say which crime code.\n"
        '          - "Police record every case as a crime."',
    )
    assert (sources_copy / f"{BRIEFING}.yaml").read_text(encoding="utf-8") == expected
    assert "tracked changes by Safeguarding lead" in report


@pytest.mark.slow
@needs_libreoffice
def test_edits_to_text_the_pack_makes_are_reported_not_applied(
    sources_copy: Path, tmp_path: Path
) -> None:
    """The contacts table, the contact cards, document control, the cover, the note of
    when contacts were checked, and the header."""
    # One card checked earlier: the cards' note then differs from the table's.
    contacts = sources_copy / "contacts.yaml"
    before_uksic, uksic = contacts.read_text(encoding="utf-8").split("- id: uksic\n")
    uksic = uksic.replace("checked_on: 2026-11-28", "checked_on: 2026-11-20", 1)
    contacts.write_text(f"{before_uksic}- id: uksic\n{uksic}", encoding="utf-8")
    document = sources_copy / f"{BRIEFING}.yaml"
    document.write_text(
        document.read_text(encoding="utf-8") + "      - contact_table: [ceop, posh]\n",
        encoding="utf-8",
    )
    exported = run_cli("review", "export", "--sources", sources_copy, "--out", tmp_path / "d")
    assert exported.returncode == 0, exported.stderr
    untouched = digests(sources_copy)
    review = Review(review_copy(tmp_path / "d" / "review", BRIEFING))
    review.tracked_replace(
        "Reports of online sexual abuse", "Reports of abuse", "Reviewer", in_table=True
    )
    review.untracked_replace("0344 381 4772", "0344 381 4773", in_table=False)
    review.untracked_replace("Document control", "Control")
    review.untracked_replace("Review due", "Review by", in_table=True)
    review.untracked_replace("First draft", "A first draft", in_table=True)
    review.untracked_replace("Published by", "Issued by")
    review.untracked_replace("Contact details checked on", "Details checked on")
    review.untracked_replace_in_header("DDSCP", "The partnership")
    code, report = import_review(through_libreoffice(review, tmp_path), sources_copy)
    assert code == 0, report
    assert digests(sources_copy) == untouched
    assert "No changes to apply." in report
    ids = {c["name"]: c["id"] for c in raw_yaml("contacts.yaml")["contacts"]}
    ceop = "CEOP (Child Exploitation and Online Protection)"
    assert re.search(
        rf"the contacts table's row for {re.escape(ceop)}, which comes from contacts\.yaml, "
        rf'`id: {ids[ceop]}`: text the pack makes was changed: "Reports of online sexual '
        r'abuse.*" became "Reports of abuse',
        report,
    )
    posh = "Professionals Online Safety Helpline"
    assert (
        f"the details of {posh}, which come from contacts.yaml, `id: {ids[posh]}`: text the "
        'pack makes was changed: "Phone: 0344 381 4772" became "Phone: 0344 381 4773"' in report
    )
    assert re.search(r"what to do: change it where it comes from: .*contacts\.yaml", report)
    assert (
        'the page header: the header was changed: "Police response to nude and semi-nude '
        'images shared by young people DRAFT The partnership"' in report
    )
    assert (
        "the pack's own headings and layout: text the pack makes was changed: "
        '"Document control" became "Control"' in report
    )
    file = f"{BRIEFING}.yaml"
    for made_from, words in (
        (f"document control, which comes from {file} (", '"Review due" became "Review by"'),
        (f"the change history, which comes from `change_history:` in {file}", '"A first draft'),
        ("the cover, which comes from pack.yaml (publisher, version, date)", '"Issued by:'),
        (
            "a note the pack adds: when contacts were checked (`checked_on:` in contacts.yaml)",
            '"Details checked on',
        ),
    ):
        assert re.search(
            rf"{re.escape(made_from)}[^\n]*: text the pack makes was changed: [^\n]*"
            rf"{re.escape(words)}",
            report,
        ), made_from


@pytest.mark.slow
@needs_libreoffice
def test_paragraphs_joined_deleted_or_added_are_left_to_do_by_hand(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    before = (sources_copy / f"{BRIEFING}.yaml").read_text(encoding="utf-8")
    review = Review(review_copy(review_copies, BRIEFING))
    review.join_with_next("Police record every case as a crime.")
    review.tracked_delete_paragraph("So do not tell a young person", "Police reviewer")
    review.tracked_colour("Where they find these", "Police reviewer")
    review.tracked_new_paragraph_after(
        "Leave the next steps to the DSL.", "Keep a record.", "Police reviewer"
    )
    code, report = import_review(through_libreoffice(review, tmp_path), sources_copy)
    assert code == 0, report
    assert (sources_copy / f"{BRIEFING}.yaml").read_text(encoding="utf-8") == before
    file = f"{BRIEFING}.yaml"
    joined = line_of(before, "Police record every case as a crime.")
    assert f"{file}:{joined}: this paragraph was joined with the 1 after it" in report
    assert report.count("was joined") == 1
    deleted = line_of(before, "So do not tell a young person")
    assert f"{file}:{deleted}: all of this text was deleted" in report
    coloured = line_of(before, "Where they find these")
    assert f"{file}:{coloured}: formatting the sources do not hold was changed" in report
    added_after = line_of(before, "Leave the next steps to the DSL.")
    assert f'{file}:{added_after}: a new paragraph was added after this: "Keep a record."' in report


# ---------------------------------------------------------------- refusals


@pytest.mark.slow
def test_a_copy_from_sources_that_changed_since_is_refused(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    source = sources_copy / f"{BRIEFING}.yaml"
    moved_on = edited(
        source.read_text(encoding="utf-8"),
        "Tell the designated safeguarding lead (DSL) straight away.",
        "Tell the DSL straight away.",
    )
    source.write_text(moved_on, encoding="utf-8")
    review = Review(review_copy(review_copies, BRIEFING))
    review.tracked_replace("explains", "sets out", "Safeguarding lead")
    review.tracked_replace("straight away", "at once", "Safeguarding lead")
    review.comment("Tell the designated safeguarding lead", "Within the hour?", "Board member")
    reviewed = review.save(tmp_path / "reviewed.docx")

    code, report = import_review(reviewed, sources_copy)
    assert code == 1
    assert f"{BRIEFING}.yaml has changed since this review copy was made" in report
    assert "Nothing was written" in report
    assert source.read_text(encoding="utf-8") == moved_on

    code, report = import_review(reviewed, sources_copy, "--force", "--report-only")
    assert code == 0, report
    assert "Would change (1):" in report and "Report only: nothing was written." in report
    assert source.read_text(encoding="utf-8") == moved_on

    code, report = import_review(reviewed, sources_copy, "--force", "--comments", "yaml")
    assert code == 0, report
    # The comment is about words that have changed since: listed, never written in.
    assert source.read_text(encoding="utf-8") == edited(
        moved_on, "The briefing explains how", "The briefing sets out how"
    )
    conflict = line_of(moved_on, "Tell the DSL straight away.")
    assert f"{BRIEFING}.yaml:{conflict}: the source has changed here" in report
    assert (
        f"{BRIEFING}.yaml:{conflict}: a comment by Board member is about words that have "
        'changed since the review copy was made: "Within the hour?"'
    ) in report


@pytest.mark.slow
def test_a_review_copy_naming_a_file_outside_the_sources_is_refused(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    """The file name comes from inside the reviewed copy, so it is never trusted to
    lead out of the sources folder."""
    outside = sources_copy.parent / "outside.yaml"
    shutil.copy(sources_copy / f"{BRIEFING}.yaml", outside)
    review = Review(review_copy(review_copies, BRIEFING))
    review.tracked_replace("explains", "sets out", "Safeguarding lead")
    crafted = tmp_path / "crafted.docx"
    with (
        zipfile.ZipFile(review.save(tmp_path / "r.docx")) as old,
        zipfile.ZipFile(crafted, "w") as new,
    ):
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("customXml/item") and b"<review" in data:
                data = data.replace(f'file="{BRIEFING}.yaml"'.encode(), b'file="../outside.yaml"')
            new.writestr(item, data)
    untouched = outside.read_bytes()
    code, report = import_review(crafted, sources_copy, "--force")
    assert code == 1, report
    assert "was made from ../outside.yaml, which is not in" in report
    assert "Nothing was written" in report
    assert outside.read_bytes() == untouched


@pytest.mark.slow
def test_changes_that_would_not_check_are_listed_and_nothing_is_written(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    untouched = digests(sources_copy)
    review = Review(review_copy(review_copies, BRIEFING))
    review.tracked_replace("explains", "sets out", "Safeguarding lead")
    review.tracked_replace(
        "the College of Policing news item on the 2016 sexting briefing", "click here", "Lead"
    )
    code, report = import_review(review.save(tmp_path / "r.docx"), sources_copy)
    assert code == 1, report
    assert "with these changes the sources would not build. Nothing was written" in report
    line = line_of(
        (SOURCES / f"{BRIEFING}.yaml").read_text(encoding="utf-8"),
        "[the College of Policing news item",
    )
    assert re.search(rf"{BRIEFING}\.yaml:{line}:\d+: error: the link text 'click here'", report)
    assert digests(sources_copy) == untouched


@pytest.mark.slow
def test_a_source_that_no_longer_reads_as_yaml_is_named_not_a_traceback(
    review_copies: Path, sources_copy: Path, tmp_path: Path
) -> None:
    source = sources_copy / f"{BRIEFING}.yaml"
    broken = source.read_text(encoding="utf-8").replace("sections:\n", "sections: [\n", 1)
    source.write_text(broken, encoding="utf-8")
    review = Review(review_copy(review_copies, BRIEFING))
    review.tracked_replace("explains", "sets out", "Safeguarding lead")
    code, report = import_review(review.save(tmp_path / "r.docx"), sources_copy, "--force")
    assert code == 1
    assert f"{BRIEFING}.yaml:" in report and "cannot be read as YAML" in report
    assert source.read_text(encoding="utf-8") == broken
    exported = run_cli("review", "export", "--sources", sources_copy, "--out", tmp_path / "d")
    assert exported.returncode == 1 and "Traceback" not in exported.stderr
    assert f"{BRIEFING}.yaml:" in exported.stderr and "error:" in exported.stderr
    assert "no review copies written" in exported.stderr
    assert not (tmp_path / "d").exists()


def _encrypted(path: Path, target: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with path.open("rb") as plain:
        out = io.BytesIO()
        OOXMLFile(plain).encrypt("a password", out)
    target.write_bytes(out.getvalue())
    return target


@pytest.mark.slow
def test_files_that_are_not_review_copies_are_refused_with_what_to_do(
    review_copies: Path, pack_folder: Path, sources_copy: Path, tmp_path: Path
) -> None:
    copy = review_copy(review_copies, BRIEFING)
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(copy.read_bytes()[: len(copy.read_bytes()) // 2])
    other_pack = tmp_path / "other"
    shutil.copytree(sources_copy.parent, other_pack)
    pack = other_pack / "sources" / "pack.yaml"
    pack.write_text(
        edited(
            pack.read_text(encoding="utf-8"),
            "title: Online safety pack for professionals",
            "title: Another pack",
        ),
        encoding="utf-8",
    )
    untouched = (digests(sources_copy), digests(other_pack / "sources"))
    cases = [
        (pack_folder / document_file(BRIEFING, "docx"), sources_copy, 2, "is not a review copy"),
        (damaged, sources_copy, 2, "is damaged or not a Word document"),
        (_encrypted(copy, tmp_path / "locked.docx"), sources_copy, 2, "protected with a password"),
        (copy, other_pack / "sources", 1, "is a review copy of another pack"),
        (SOURCES / "pack.yaml", sources_copy, 2, "is damaged or not a Word document"),
    ]
    for path, sources, exit_code, message in cases:
        code, report = import_review(path, sources)
        assert (code, message in report) == (exit_code, True), report
        assert "Nothing was written" in report
    assert (digests(sources_copy), digests(other_pack / "sources")) == untouched
