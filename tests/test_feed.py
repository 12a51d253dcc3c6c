"""Two releases in a row: the same notes in every format, and a feed that follows them.

Release 0.1.0, then change a phone number and a paragraph, add a contact and a
change_history line and release 0.2.0. The feed is read with feedparser, as a feed reader
would; the notes are compared across RELEASE-NOTES.md, the combined PDF
(pypdf), the download page (the standard library's HTML parser) and the feed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest

from conftest import SOURCES, TEMPLATES, Made, raw_yaml, run_cli
from readers import html_outline, pdf_pages_text
from shared import Shared, writable_copy

pytestmark = pytest.mark.slow  # two releases

DECEMBER_1 = {"SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01T00:00:00Z
EDITORS = "Made clearer that partners work together to keep children safe online."
NEW_CONTACT = (
    "  - id: example\n"
    "    name: Example Advice Line\n"
    "    helps_with: Advice for schools about online safety.\n"
    "    web: https://www.example.org/advice\n"
    "    not_listed: [phone, email]\n"
    "    source: https://www.example.org\n"
    "    checked_on: 2026-11-28\n"
)
SHEET = raw_yaml("contact-sheet.yaml")["title"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def dist(shared: Shared, draft_release: Made) -> Path:
    """Release 0.1.0 (the shared one, dated 28 November), then 0.2.0 on 1 December."""
    root = shared.made_once("two-releases", lambda folder: _release_again(folder, draft_release))
    return root / "dist"


def _release_again(root: Path, first: Made) -> None:
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    shutil.copytree(TEMPLATES, root / "templates")
    out = writable_copy(first.out, root / "dist")
    _edit(sources / "pack.yaml", "version: 0.1.0", "version: 0.2.0")
    _edit(sources / "contacts.yaml", "phone: 01332 585371", "phone: 01332 585372")
    contacts = sources / "contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8") + "\n" + NEW_CONTACT)
    strategy = sources / "online-safety-strategy.yaml"
    _edit(
        strategy,
        "will help keep children safe online.",
        "will work together to keep children safe online.",
    )
    _edit(
        strategy,
        "change_history:\n",
        f"change_history:\n  - version: 0.2.0\n    date: 2026-12-01\n    change: {EDITORS}\n",
    )
    second = run_cli("release", "--allow-draft", "--sources", sources, "--out", out, env=DECEMBER_1)
    assert second.returncode == 0, second.stderr


def _text(html: str) -> str:
    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.words: list[str] = []

        def handle_data(self, data: str) -> None:
            self.words.append(data)

    parser = Words()
    parser.feed(html)
    return " ".join(" ".join(parser.words).split())


def _note_lines(markdown: str) -> list[str]:
    """Each heading, bullet and paragraph of RELEASE-NOTES.md as plain words."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^(#+|-) ", "", line).replace("**", "")
        line = re.sub(r"\\(.)", r"\1", line)
        if line:
            lines.append(" ".join(line.split()))
    return lines


def test_the_notes_read_the_same_in_every_format(dist: Path) -> None:
    folder = dist / "0.2.0"
    markdown = (folder / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", markdown)  # every date is written in words
    lines = _note_lines(markdown)
    assert lines[:4] == [
        "What changed in version 0.2.0",
        "Released on: 1 December 2026",
        "Edition date: 28 November 2026 (the date the pack's pages carry)",
        "Compared with: version 0.1.0, released on 28 November 2026",
    ]
    strategy = lines.index("Online safety strategy")
    assert lines[strategy + 1] == EDITORS  # the editors' words first
    assert lines[strategy + 2].startswith('"Purpose and vision" reworded: it said "')
    assert any(
        line.startswith("NWG Network's phone number is now 01332 585372 (it was 01332 585371)")
        for line in lines
    )
    assert f'New contact: Example Advice Line (www.example.org/advice): in "{SHEET}".' in lines
    combined = next(folder.glob("online-safety-pack-*.pdf"))
    end_of_pdf = " ".join(" ".join(pdf_pages_text(combined)[-2:]).split())
    page = " ".join(" ".join(html_outline(folder / "index.html").text).split())
    entry = feedparser.parse(str(folder / "releases.xml")).entries[0]
    in_feed = _text(entry.content[0].value)
    for line in lines:
        assert line in end_of_pdf, line
        assert line in page, line
        assert line in in_feed, line


def test_the_feed_has_one_entry_per_release_newest_first(dist: Path) -> None:
    feed: Any = feedparser.parse(str(dist / "0.2.0" / "releases.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [
        "Version 0.2.0, released on 1 December 2026",
        "Version 0.1.0, released on 28 November 2026",
    ]
    assert [time.strftime("%Y-%m-%d", e.updated_parsed) for e in feed.entries] == [
        "2026-12-01",
        "2026-11-28",
    ]
    assert time.strftime("%Y-%m-%d", feed.feed.updated_parsed) == "2026-12-01"
    assert len({e.id for e in feed.entries}) == 2
    older: Any = feedparser.parse(str(dist / "0.1.0" / "releases.xml"))
    assert [e.id for e in older.entries] == [feed.entries[1].id]  # ids never change
    first_notes = (dist / "0.1.0" / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    for line in _note_lines(first_notes):
        assert line in _text(feed.entries[1].content[0].value)
    assert any(link.href == "index.html" for link in feed.feed.links)


def test_the_feed_is_linked_checksummed_and_listed(dist: Path) -> None:
    folder = dist / "0.2.0"
    data = (folder / "releases.xml").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert f"{digest}  releases.xml" in (folder / "SHA256SUMS").read_text().splitlines()
    manifest = json.loads((folder / "manifest.json").read_text())
    (entry,) = [f for f in manifest["files"] if f["name"] == "releases.xml"]
    assert entry["sha256"] == digest and entry["size"] == len(data)
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="releases.xml"', index
    )
    assert "releases.xml" in html_outline(folder / "index.html").hrefs
    assert run_cli("verify", folder).returncode == 0


def test_diff_prints_the_notes_the_release_wrote(dist: Path, tmp_path: Path) -> None:
    sources = dist.parent / "sources"
    before = sorted(p.name for p in dist.iterdir())
    result = run_cli(
        "diff", "--sources", sources, "--since", dist / "0.1.0", cwd=tmp_path, env=DECEMBER_1
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (dist / "0.2.0" / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in dist.iterdir()) == before
    assert list(tmp_path.iterdir()) == []
