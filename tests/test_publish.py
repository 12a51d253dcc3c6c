"""Publishing from git, as CI does it: fresh clones with an empty dist/, real tags, a
real remote (a bare repository), and the releases branch as the only memory.

Each clone is made here with git itself; what was published is read back from
the remote with git, the feed with feedparser and the site's pages with the
standard library's HTML parser, never through the code under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from conftest import SOURCES, TEMPLATES, confirm_every_contact, git, raw_yaml, replace_in, run_cli

pytestmark = pytest.mark.slow  # each test publishes the pack from a fresh clone

SITE = "https://example.org/pack/"
DOCUMENTS = raw_yaml("pack.yaml")["documents"]
FIRST_DRAFT = "First draft written from the partnership's web page"
NEW_SUMMARY = "Every organisation that helps, on one page, checked again."


def approve_everything(sources: Path) -> None:
    confirm_every_contact(sources)
    for doc_id in DOCUMENTS:
        replace_in(
            sources / f"{doc_id}.yaml",
            "status: draft",
            "status: approved\napproved_by: Partnership board\napproved_on: 2026-11-20",
        )
    replace_in(
        sources / "pack.yaml",
        "status: draft",
        "status: approved\napproved_by: Partnership executive group\napproved_on: 2026-11-25",
    )


@dataclass
class Remote:
    """A bare repository standing in for GitHub, and a place for clones."""

    bare: Path
    root: Path
    clones: int = 0
    second: Path = Path()  # the clone that published 0.2.0

    def clone(self, ref: str = "main") -> Path:
        """A fresh clone, as a CI runner makes one: full history, nothing in dist/."""
        self.clones += 1
        folder = self.root / f"clone-{self.clones}"
        git(self.root, "clone", "--quiet", str(self.bare), str(folder))
        git(folder, "checkout", "--quiet", ref)
        return folder

    def copy(self, folder: Path) -> Remote:
        """An independent copy of this remote, for breaking on purpose."""
        shutil.copytree(self.bare, folder / "origin.git")
        return Remote(folder / "origin.git", folder)

    def releases_commit(self) -> str:
        """Where the releases branch on the remote points: unchanged, nothing published."""
        return git(self.bare, "rev-parse", "releases")

    def published(self) -> str:
        """The releases branch on the remote, as `git log` names its commits."""
        return git(self.bare, "log", "--format=%s", "releases", "--")

    def files(self, version: str) -> list[str]:
        listed = git(self.bare, "ls-tree", "--name-only", "releases", f"{version}/")
        return sorted(Path(name).name for name in listed.splitlines())


def publish(clone: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "publish", "--sources", clone / "sources", "--out", clone / "dist", *extra, cwd=clone
    )


def commit_and_tag(clone: Path, message: str, tag: str | None) -> None:
    git(clone, "commit", "--quiet", "-am", message)
    git(clone, "push", "--quiet", "origin", "HEAD:main")
    if tag:
        git(clone, "tag", tag)
        git(clone, "push", "--quiet", "origin", tag)


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    """Approved sources at v0.1.0, published from one fresh clone; then a new summary
    at v0.2.0, published from another. Both with `--push`, as the CI job runs."""
    root = tmp_path_factory.mktemp("publish")
    bare = root / "origin.git"
    git(root, "init", "--quiet", "--bare", "-b", "main", str(bare))
    work = root / "work"
    git(root, "init", "--quiet", "-b", "main", str(work))
    shutil.copytree(SOURCES, work / "sources")
    shutil.copytree(TEMPLATES, work / "templates")
    approve_everything(work / "sources")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "Sources")
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "--quiet", "origin", "main")
    git(work, "tag", "v0.1.0")
    git(work, "push", "--quiet", "origin", "v0.1.0")
    made = Remote(bare, root)

    first = made.clone("v0.1.0")
    result = publish(first, "--push", "--url", SITE)
    assert result.returncode == 0, result.stderr

    second = made.clone()
    replace_in(second / "sources" / "pack.yaml", "version: 0.1.0", "version: 0.2.0")
    contact_sheet = second / "sources" / "contact-sheet.yaml"
    summary = raw_yaml("contact-sheet.yaml")["summary"]
    text = contact_sheet.read_text(encoding="utf-8")
    start = text.index("summary:")
    end = text.index("\n", text.index(summary.split()[-1], start))
    contact_sheet.write_text(
        text[:start] + f"summary: {NEW_SUMMARY}" + text[end:], encoding="utf-8"
    )
    replace_in(contact_sheet, "approved_on: 2026-11-20", "approved_on: 2026-12-01")
    replace_in(
        second / "sources" / "pack.yaml", "approved_on: 2026-11-25", "approved_on: 2026-12-01"
    )
    commit_and_tag(second, "Version 0.2.0", "v0.2.0")
    result = publish(second, "--push", "--url", SITE)
    assert result.returncode == 0, result.stderr
    made.second = second
    yield made


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append((self._href or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href is not None:
            href, said = self.links[-1]
            self.links[-1] = (href, said + data)


def read_page(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_each_release_is_published_on_the_releases_branch(remote: Remote) -> None:
    assert remote.published().splitlines() == ["Publish version 0.2.0", "Publish version 0.1.0"]
    for version in ("0.1.0", "0.2.0"):
        names = remote.files(version)
        assert {"SHA256SUMS", "manifest.json", "RELEASE-NOTES.md", "releases.xml"} <= set(names)
        assert any(name.endswith(".pdf") for name in names)


def test_a_fresh_clone_compares_with_the_release_before(remote: Remote) -> None:
    second = remote.second
    notes = (second / "dist" / "releases" / "0.2.0" / "RELEASE-NOTES.md").read_text()
    assert "**Compared with:** version 0.1.0" in notes
    assert NEW_SUMMARY in notes
    assert "first release" not in notes
    first_notes = git(remote.bare, "show", "releases:0.1.0/RELEASE-NOTES.md")
    assert "This is the first release of the pack." in first_notes
    assert FIRST_DRAFT not in first_notes  # schools never had that draft


def test_the_site_lists_both_releases_and_latest_is_the_newest(remote: Remote) -> None:
    site = remote.second / "dist" / "site"
    for version in ("0.1.0", "0.2.0"):
        ok = run_cli("verify", site / "releases" / version)
        assert ok.returncode == 0, ok.stderr
    latest = read_page(site / "latest" / "index.html")
    assert "version 0.2.0" in " ".join(" ".join(latest.text).split()).lower()
    assert (site / "latest" / "SHA256SUMS").read_bytes() == (
        site / "releases" / "0.2.0" / "SHA256SUMS"
    ).read_bytes()
    home = read_page(site / "index.html")
    hrefs = dict(home.links)
    assert hrefs["releases/0.2.0/"] == "Version 0.2.0"
    assert hrefs["releases/0.1.0/"] == "Version 0.1.0"
    assert "latest/" in hrefs and "0.2.0" in hrefs["latest/"]


def test_the_site_feed_has_every_release_with_absolute_links(remote: Remote) -> None:
    site = remote.second / "dist" / "site"
    feed = feedparser.parse((site / "releases.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [link.href for link in feed.feed.links] == [SITE, SITE + "releases.xml"]
    versions = [entry.link for entry in feed.entries]
    assert versions == [SITE + "releases/0.2.0/", SITE + "releases/0.1.0/"]
    assert NEW_SUMMARY in feed.entries[0].content[0].value


def test_the_site_is_made_again_from_git_history_alone(remote: Remote, tmp_path: Path) -> None:
    clone = remote.clone()
    made = run_cli("site", "--sources", clone / "sources", "--out", clone / "dist", cwd=clone)
    assert made.returncode == 0, made.stderr
    built = remote.second / "dist" / "site"
    for version in ("0.1.0", "0.2.0"):
        sums = clone / "dist" / "site" / "releases" / version / "SHA256SUMS"
        assert sums.read_bytes() == (built / "releases" / version / "SHA256SUMS").read_bytes()


def test_publishing_the_same_release_again_changes_nothing(remote: Remote) -> None:
    before = remote.releases_commit()
    again = publish(remote.clone("v0.2.0"), "--push", "--url", SITE)
    assert again.returncode == 0, again.stderr
    assert "Version 0.2.0 was already published" in again.stderr
    assert remote.releases_commit() == before


def test_a_version_already_published_is_never_published_with_other_words(
    remote: Remote,
) -> None:
    before = remote.releases_commit()
    clone = remote.clone()
    replace_in(clone / "sources" / "contact-sheet.yaml", NEW_SUMMARY, "Other words, same version.")
    git(clone, "commit", "--quiet", "-am", "Changed without a new version")
    git(clone, "tag", "-f", "v0.2.0")  # the tag moved onto new words
    refused = publish(clone, "--push", "--url", SITE)
    assert refused.returncode == 1
    assert "version 0.2.0 is already released" in refused.stderr
    assert "Give this edition a new `version` in pack.yaml" in refused.stderr
    assert "Nothing was published." in refused.stderr
    assert "Traceback" not in refused.stderr
    assert remote.releases_commit() == before


def test_a_tag_that_is_not_the_version_is_refused(remote: Remote) -> None:
    before = remote.releases_commit()
    clone = remote.clone()
    replace_in(clone / "sources" / "contact-sheet.yaml", NEW_SUMMARY, "Words for a new version.")
    git(clone, "commit", "--quiet", "-am", "New words, version not changed")
    git(clone, "tag", "v2.0.0")
    refused = publish(clone, "--push")
    assert refused.returncode == 1
    assert "the tag v2.0.0 does not match the pack's version, 0.2.0" in refused.stderr
    assert "set `version: 2.0.0` in pack.yaml" in refused.stderr
    assert "Nothing was published." in refused.stderr
    assert remote.releases_commit() == before


def test_an_untagged_commit_is_a_rehearsal(remote: Remote) -> None:
    before = remote.releases_commit()
    clone = remote.clone()
    replace_in(clone / "sources" / "pack.yaml", "version: 0.2.0", "version: 0.3.0")
    git(clone, "commit", "--quiet", "-am", "Next version")
    rehearsed = publish(clone)
    assert rehearsed.returncode == 0, rehearsed.stderr
    assert "Rehearsal: this commit has no release tag, so nothing was published" in (
        rehearsed.stderr
    )
    assert (clone / "dist" / "site" / "releases" / "0.3.0" / "SHA256SUMS").is_file()
    assert remote.releases_commit() == before
    pushed = publish(clone, "--push")
    assert pushed.returncode == 1
    assert "--push publishes only a tagged commit" in pushed.stderr


@pytest.fixture()
def tampered_remote(remote: Remote, tmp_path: Path) -> Remote:
    """A copy of the remote whose releases branch has an altered file in 0.1.0/."""
    copy = remote.copy(tmp_path)
    work = copy.clone("origin/releases")
    notes = work / "0.1.0" / "RELEASE-NOTES.md"
    notes.write_text(notes.read_text() + "\nA line nobody released.\n")
    git(work, "commit", "--quiet", "-am", "Tampered")
    git(work, "push", "--quiet", "origin", "HEAD:releases")
    return copy


def test_a_published_release_altered_on_the_branch_stops_publishing(
    tampered_remote: Remote,
) -> None:
    before = tampered_remote.releases_commit()
    refused = publish(tampered_remote.clone("v0.2.0"), "--push")
    assert refused.returncode == 1
    assert "0.1.0: altered: RELEASE-NOTES.md does not match its SHA-256" in refused.stderr
    assert "Put the branch back as it was" in refused.stderr
    assert "Nothing was published." in refused.stderr
    assert tampered_remote.releases_commit() == before


def test_a_tag_never_published_stops_the_next_release(remote: Remote, tmp_path: Path) -> None:
    clone = remote.copy(tmp_path).clone()
    git(clone, "tag", "v0.1.5", "HEAD~1")
    replace_in(clone / "sources" / "pack.yaml", "version: 0.2.0", "version: 0.3.0")
    git(clone, "commit", "--quiet", "-am", "Next version")
    git(clone, "tag", "v0.3.0")
    refused = publish(clone, "--push")
    assert refused.returncode == 1
    assert "v0.1.5 was tagged but never published on releases" in refused.stderr
    assert "git push origin :refs/tags/NAME" in refused.stderr


def test_a_folder_on_the_branch_that_is_no_release_stops_publishing(
    remote: Remote, tmp_path: Path
) -> None:
    copy = remote.copy(tmp_path)
    work = copy.clone("origin/releases")
    (work / "notes").mkdir()
    (work / "notes" / "todo.txt").write_text("not a release\n")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "A stray folder")
    git(work, "push", "--quiet", "origin", "HEAD:releases")
    refused = publish(copy.clone("v0.2.0"), "--push")
    assert refused.returncode == 1
    assert "notes: not a release folder (it has no manifest.json)" in refused.stderr
    assert "Nothing was published." in refused.stderr


def test_this_version_tagged_on_another_commit_and_never_published_is_refused(
    remote: Remote, tmp_path: Path
) -> None:
    copy = remote.copy(tmp_path)
    clone = copy.clone()
    replace_in(clone / "sources" / "pack.yaml", "version: 0.2.0", "version: 0.3.0")
    git(clone, "commit", "--quiet", "-am", "Version 0.3.0")
    git(clone, "tag", "v0.3.0")  # tagged, never published
    replace_in(
        clone / "sources" / "contacts.yaml", "10am to 4pm", "9am to 5pm"
    )  # no approval needed
    git(clone, "commit", "--quiet", "-am", "New hours, same version")
    refused = publish(clone)
    assert refused.returncode == 1
    assert "version 0.3.0 is tagged v0.3.0 on another commit" in refused.stderr
    assert "give this edition a new `version` in pack.yaml" in refused.stderr
    assert not (clone / "dist" / "releases" / "0.3.0").exists()  # refused before releasing


def test_a_release_pushed_meanwhile_means_this_one_is_not_published(
    remote: Remote, tmp_path: Path
) -> None:
    """Two runs at once: the second to push finds the branch moved, and publishes
    nothing (its push would not be a fast-forward), rather than replacing the first."""
    from esafety_docs.publishing.gitrepo import Repository
    from esafety_docs.publishing.shelf import ShelfError, open_shelf, put_up

    copy = remote.copy(tmp_path)
    slow = copy.clone()
    shelf = open_shelf(Repository(slow), lambda line: None)
    quick = copy.clone("origin/releases")
    (quick / "0.2.1").mkdir()
    (quick / "0.2.1" / "manifest.json").write_text("{}\n")
    git(quick, "add", "-A")
    git(quick, "commit", "--quiet", "-m", "Publish version 0.2.1")
    git(quick, "push", "--quiet", "origin", "HEAD:releases")
    pushed_first = copy.releases_commit()
    folder = tmp_path / "0.3.0"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}\n")
    with pytest.raises(ShelfError, match="origin did not take it"):
        put_up(shelf, folder, "0.3.0", dt.datetime(2026, 12, 7, tzinfo=dt.UTC))
    assert copy.releases_commit() == pushed_first


def test_a_shallow_clone_is_refused(remote: Remote) -> None:
    shallow = remote.root / "shallow"
    git(remote.root, "clone", "--quiet", "--depth", "1", f"file://{remote.bare}", str(shallow))
    refused = publish(shallow)
    assert refused.returncode == 1
    assert "shallow clone" in refused.stderr and "fetch-depth: 0" in refused.stderr


def test_a_folder_outside_git_is_refused_clearly(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    refused = publish(tmp_path)
    assert refused.returncode == 1
    assert "is not in a git repository" in refused.stderr
    assert "Traceback" not in refused.stderr
