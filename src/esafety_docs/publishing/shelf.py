"""The releases branch: every published release, kept in git exactly as published.

The branch `releases` holds one folder per released version (`0.1.0/`, ...),
each as its SHA256SUMS describes it. It is the record of what schools were
given: a release made in a fresh clone reads the earlier releases from it (so
its notes compare with the previous one and its feed lists them all), and a
version on it is never published again with other content. Commits are only
ever added, and pushed without force, so two runs at once cannot both publish.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..render.files import MANIFEST
from .gitrepo import GitError, Repository
from .history import version_key
from .release import verify

BRANCH = "releases"
REMOTE = "origin"


class ShelfError(Exception):
    """The published releases cannot be read, or the new one cannot be added."""


@dataclass(frozen=True)
class Shelf:
    """Where the published releases were read from, and the commit read."""

    repository: Repository
    ref: str  # "origin/releases", or "releases" in a clone without a remote
    commit: str | None  # None: nothing has been published yet
    remote: bool


def open_shelf(repository: Repository, say: Callable[[str], None]) -> Shelf:
    """The newest record of what is published: the remote's branch when there is a
    remote (fetched now, so a stale clone cannot miss a release), else the local one."""
    if not repository.has_remote(REMOTE):
        ref = f"refs/heads/{BRANCH}"
        return Shelf(repository, BRANCH, repository.commit_of(ref), False)
    tracking = f"refs/remotes/{REMOTE}/{BRANCH}"
    try:
        listed = repository.text("ls-remote", "--heads", REMOTE, BRANCH)
        if listed:
            repository.fetch(REMOTE, f"+refs/heads/{BRANCH}:{tracking}")
        elif repository.commit_of(tracking):  # removed from the remote since
            repository.run("update-ref", "-d", tracking)
    except GitError as error:
        say(f"Could not ask {REMOTE} what is published ({error}); using what this clone knows.")
    return Shelf(repository, f"{REMOTE}/{BRANCH}", repository.commit_of(tracking), True)


def take_down(shelf: Shelf, into: Path) -> list[str]:
    """Write every published release into `into` (emptied first) and check each against
    its checksums; the versions found, oldest first."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    if shelf.commit is None:
        return []
    try:
        shelf.repository.extract(shelf.commit, into)
    except GitError as error:
        raise ShelfError(f"the published releases on {shelf.ref} cannot be read: {error}") from None
    problems: list[str] = []
    versions: list[str] = []
    for folder in sorted(into.iterdir(), key=lambda f: version_key(f.name)):
        if not folder.is_dir() or not (folder / MANIFEST).is_file():
            problems.append(f"{folder.name}: not a release folder (it has no {MANIFEST})")
            continue
        problems += [f"{folder.name}: {problem}" for problem in verify(folder)]
        versions.append(folder.name)
    if problems:
        listed = "\n".join(f"    {problem}" for problem in problems)
        raise ShelfError(
            f"the published releases on branch {shelf.ref} are not as they were published:\n"
            f"{listed}\n"
            f"    hint: a published release never changes. Put the branch back as it was "
            f"(`git log {shelf.ref}` shows each release's commit), then run this again"
        )
    return versions


def put_up(shelf: Shelf, folder: Path, version: str, when: dt.datetime) -> str:
    """Add the release in `folder` to the branch as `version/`, on the remote first:
    only a release the remote has taken counts as published. The new commit."""
    repository = shelf.repository
    message = f"Publish version {version}\n\nAdds {version}/ exactly as released."
    commit = repository.commit_folder(shelf.commit, folder, version, message, int(when.timestamp()))
    if shelf.remote:
        try:
            repository.push(REMOTE, f"{commit}:refs/heads/{BRANCH}")
        except GitError as error:
            raise ShelfError(
                f"version {version} could not be published: {REMOTE} did not take it.\n"
                f"    {error}\n"
                "    hint: if another release was published meanwhile, run this again: it "
                "will read that one first; otherwise check the job may push (`contents: write`)"
            ) from None
        repository.run("update-ref", f"refs/remotes/{REMOTE}/{BRANCH}", commit)
    local = repository.commit_of(f"refs/heads/{BRANCH}")
    if not shelf.remote or local in (None, shelf.commit):
        repository.move_branch(BRANCH, commit, local)
    return commit
