"""`esafety-docs publish` and `site`: a release from a tagged commit, onto the site.

`publish` is exactly what the tagged CI job runs, so a release can be rehearsed
in any clone: it reads what is already published from the releases branch
(see shelf), checks the tag against the pack's version, releases into
OUT/releases/ beside the published ones (the strict checks and the notes are
`release`'s), and makes the site in OUT/site/. Only with --push, and only on a
tagged commit, does the new release go onto the branch: that push is the
moment of publishing, so a run that fails before it has published nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..reading.brand import Brand
from .gitrepo import GitError, Repository
from .history import released_at, version_key
from .shelf import BRANCH, REMOTE, Shelf, ShelfError, open_shelf, put_up, take_down
from .site.assemble import SiteError, build_site
from .site.home import RELEASES

SITE = "site"
_TAG_PATTERN = "v*"
_GITHUB = re.compile(r"github\.com[:/](?P<owner>[^/]+)/(?P<name>[^/]+?)(?:\.git)?/?$")

Say = Callable[[str], None]


class Refused(Exception):
    """Publishing must not go on; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class Plan:
    """What one run of `publish` found before releasing anything."""

    shelf: Shelf
    releases: Path  # OUT/releases: the published releases, then the new one beside them
    published: tuple[str, ...]  # versions already on the releases branch
    tags: dict[str, str]  # every `v*` tag and its commit
    head: str | None
    tag: str | None = None  # None: the commit is not tagged, so this is a rehearsal


def prepare(sources: Path, out: Path, say: Say) -> Plan:
    """Read the tags and what is already published (into OUT/releases)."""
    try:
        repository = Repository.around(sources)
        if repository.is_shallow():
            raise Refused(
                "this clone holds only part of the history (a shallow clone), so earlier "
                "releases and tags cannot all be seen\n"
                "    hint: clone the whole repository; in GitHub Actions, check out with "
                "`fetch-depth: 0`"
            )
        head = repository.commit_of("HEAD")
        tags = repository.tags(_TAG_PATTERN)
        shelf = open_shelf(repository, say)
        published = tuple(take_down(shelf, out / RELEASES))
    except (GitError, ShelfError) as error:
        raise Refused(str(error)) from None
    if published:
        say(f"Already published ({shelf.ref}): {', '.join(published)}")
    else:
        say(f"Nothing published yet ({shelf.ref} does not exist): this is the first release.")
    return Plan(shelf, out / RELEASES, published, tags, head)


def for_version(plan: Plan, version: str, tag: str | None, push: bool) -> Plan:
    """The plan for releasing `version` (as the loaded pack.yaml gives it), with its tag;
    Refused when the tag, the version and the releases branch disagree."""
    tag = _tag_of(plan.tags, plan.head, tag, version)
    if tag is not None and tag != f"v{version}":
        raise Refused(
            f"the tag {tag} does not match the pack's version, {version} (pack.yaml "
            "`version`): a release is tagged v + its version\n"
            f"    hint: if this is version {tag[1:]}, set `version: {tag[1:]}` in pack.yaml, "
            f"commit and tag that commit; otherwise delete the tag (`git tag -d {tag}`, "
            f"`git push {REMOTE} :refs/tags/{tag}`) and tag v{version}"
        )
    if push and tag is None:
        raise Refused(
            "--push publishes only a tagged commit, and this one has no release tag\n"
            f"    hint: tag it (`git tag v{version}`) and push the tag; CI publishes it"
        )
    _check_tags(plan.tags, plan.head, version, plan.published)
    return replace(plan, tag=tag)


def _tag_of(tags: dict[str, str], head: str | None, given: str | None, version: str) -> str | None:
    """The release tag of this commit: the one given (it must be here), else the one tag
    at HEAD, else the one of several that matches the version; None if untagged."""
    if given is not None:
        if given not in tags:
            raise Refused(
                f"there is no tag {given} in this clone\n"
                "    hint: check the name (`git tag --list 'v*'`), or fetch the tags "
                f"(`git fetch {REMOTE} --tags`)"
            )
        if tags[given] != head:
            raise Refused(
                f"the tag {given} is on commit {tags[given][:12]}, but this clone is at "
                f"{(head or '')[:12]}\n    hint: check out the tag first (`git checkout {given}`)"
            )
        return given
    here = sorted(name for name, commit in tags.items() if commit == head)
    if len(here) <= 1:
        return here[0] if here else None
    if f"v{version}" in here:
        return f"v{version}"
    raise Refused(
        f"this commit has several release tags ({', '.join(here)}) and none is "
        f"v{version}\n    hint: delete the wrong ones (`git tag -d NAME`)"
    )


def _check_tags(
    tags: dict[str, str], head: str | None, version: str, published: tuple[str, ...]
) -> None:
    """Refuse when tags and the releases branch disagree: an earlier tag that was never
    published, or this version tagged on another commit but not published from it."""
    missing = [
        name
        for name in sorted(tags, key=lambda n: version_key(n[1:]))
        if name[1:] not in published and version_key(name[1:]) < version_key(version)
    ]
    if missing:
        raise Refused(
            f"{', '.join(missing)} {'was' if len(missing) == 1 else 'were'} tagged but never "
            f"published on {BRANCH}, so this release could not compare with "
            f"{'it' if len(missing) == 1 else 'them'}\n"
            "    hint: publish each one first (re-run its release job), or, if it was never "
            f"given to schools, delete its tag (`git push {REMOTE} :refs/tags/NAME`, "
            "`git tag -d NAME`)"
        )
    own = tags.get(f"v{version}")
    if own is not None and own != head and version not in published:
        raise Refused(
            f"version {version} is tagged v{version} on another commit ({own[:12]}), "
            "which was never published\n"
            f"    hint: give this edition a new `version` in pack.yaml, or publish v{version} "
            "from its own commit"
        )


def finish(
    plan: Plan, version: str, push: bool, url: str | None, out: Path, brand: Brand, say: Say
) -> None:
    """After the release: make the site, then publish it if asked to and it is new."""
    new = version not in plan.published
    address = _with_slash(url) or default_address(plan.shelf.repository, out / SITE)
    try:
        build_site(plan.releases, out / SITE, address, brand)
        say(f"Site for {address} made in {out / SITE}/")
        if plan.tag is None:
            say(
                f"Rehearsal: this commit has no release tag, so nothing was published. "
                f"To publish version {version}, tag it and push the tag "
                f"(`git tag v{version}`, `git push {REMOTE} v{version}`)."
            )
        elif not push:
            say(
                f"Rehearsal of {plan.tag}: this is what CI publishes; nothing was pushed "
                "(the release job runs this with --push)."
            )
        elif new:
            put_up(plan.shelf, plan.releases / version, version, _released(plan, version))
            say(f"Published version {version} on {BRANCH}; the site is ready to deploy.")
        else:
            say(f"Version {version} was already published; the site is made again to deploy.")
    except (GitError, ShelfError, SiteError) as error:
        raise Refused(str(error)) from None


def _released(plan: Plan, version: str) -> dt.datetime:
    when = released_at(plan.releases / version)
    assert when is not None  # the release just written records it
    return when


def site_only(sources: Path, out: Path, url: str | None, brand: Brand, say: Say) -> Path:
    """`esafety-docs site`: the site from what is published alone; no release is made."""
    try:
        shelf = open_shelf(Repository.around(sources), say)
        published = take_down(shelf, out / RELEASES)
        address = _with_slash(url) or default_address(shelf.repository, out / SITE)
        build_site(out / RELEASES, out / SITE, address, brand)
    except (GitError, ShelfError, SiteError) as error:
        raise Refused(str(error)) from None
    say(f"Site of {len(published)} release(s) for {address} made in {out / SITE}/")
    return out / SITE


def _with_slash(url: str | None) -> str | None:
    """The site's address as links are made from it: ending in / (Pages gives none)."""
    return url if not url or url.endswith("/") else url + "/"


def default_address(repository: Repository, site: Path) -> str:
    """Where the site will be served when no --url says: the GitHub Pages address of the
    `origin` repository on GitHub, else the folder itself (for looking at it here)."""
    try:
        remote = (
            repository.text("remote", "get-url", REMOTE) if repository.has_remote(REMOTE) else ""
        )
    except GitError:
        remote = ""
    found = _GITHUB.search(remote)
    if found:
        owner, name = found["owner"].lower(), found["name"]
        host = f"{owner}.github.io"
        return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"
    return site.resolve().as_uri() + "/"
