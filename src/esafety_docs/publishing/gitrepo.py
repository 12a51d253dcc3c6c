"""Every git command the publishing steps run, in one place.

Releases are published onto a branch of the repository (see shelf), so what
was published travels with every clone instead of living in one machine's
dist/. Only git plumbing is used: the working tree, the index and the branch
checked out are never touched.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """A git command failed, or the folder is not in a usable repository."""


# Commits on the releases branch are made by the tool, whoever runs it.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "esafety-docs",
    "GIT_AUTHOR_EMAIL": "esafety-docs@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "esafety-docs",
    "GIT_COMMITTER_EMAIL": "esafety-docs@users.noreply.github.com",
}


@dataclass(frozen=True)
class Repository:
    """A git repository, by the top folder of its working tree."""

    top: Path

    @classmethod
    def around(cls, folder: Path) -> Repository:
        """The repository that holds `folder`."""
        try:
            found = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed; releases are published with git") from None
        if found.returncode != 0:
            raise GitError(
                f"{str(folder)!r} is not in a git repository: releases are published from a "
                "clone of the project's repository (git clone ...), not from a copy"
            )
        return cls(Path(found.stdout.strip()))

    def run(self, *args: str, env: dict[str, str] | None = None, data: bytes = b"") -> bytes:
        """Standard output of `git args`; GitError with git's own words when it fails."""
        done = subprocess.run(
            ["git", "-c", "core.autocrlf=false", *args],
            cwd=self.top,
            input=data,
            capture_output=True,
            check=False,
            env={**os.environ, **(env or {})},
        )
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"`git {' '.join(args)}` failed: {said}")
        return done.stdout

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8").strip()

    def commit_of(self, ref: str) -> str | None:
        """The commit `ref` names, or None when there is no such ref."""
        try:
            return self.text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        except GitError:
            return None

    def is_shallow(self) -> bool:
        return self.text("rev-parse", "--is-shallow-repository") == "true"

    def tags(self, pattern: str) -> dict[str, str]:
        """Each tag matching `pattern` and the commit it points at, in one git call
        (`*objectname` is an annotated tag's commit; a plain tag names its own)."""
        listed = self.text(
            "for-each-ref",
            "--format=%(refname:short) %(objectname) %(*objectname)",
            f"refs/tags/{pattern}",
        )
        found = {}
        for line in listed.splitlines():
            name, commit, *peeled = line.split()
            found[name] = peeled[0] if peeled else commit
        return found

    def has_remote(self, name: str) -> bool:
        return name in self.text("remote").split()

    def fetch(self, remote: str, *refspecs: str) -> None:
        self.run("fetch", "--quiet", remote, *refspecs)

    def push(self, remote: str, refspec: str) -> None:
        """A push that only ever adds: git refuses it unless it is a fast-forward."""
        self.run("push", "--quiet", remote, refspec)

    def extract(self, ref: str, into: Path) -> None:
        """Every file of `ref`'s tree, written under `into`."""
        data = self.run("archive", "--format=tar", ref)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(into, filter="data")

    def commit_folder(
        self, parent: str | None, folder: Path, name: str, message: str, when: int
    ) -> str:
        """A new commit: `parent`'s tree with `folder` added as `name/` (replacing
        nothing else). The current branch, index and working tree are untouched."""
        with tempfile.TemporaryDirectory() as scratch:
            index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            if parent:
                self.run("read-tree", parent, env=index)
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                blob = self.text("hash-object", "-w", "--", str(path))
                inside = f"{name}/{path.relative_to(folder).as_posix()}"
                self.run(
                    "update-index", "--add", "--cacheinfo", f"100644,{blob},{inside}", env=index
                )
            tree = self.run("write-tree", env=index).decode().strip()
        dated = {
            **_IDENTITY,
            "GIT_AUTHOR_DATE": f"{when} +0000",
            "GIT_COMMITTER_DATE": f"{when} +0000",
        }
        parents = ["-p", parent] if parent else []
        return self.run("commit-tree", tree, *parents, "-m", message, env=dated).decode().strip()

    def move_branch(self, branch: str, commit: str, was: str | None) -> None:
        """Point `branch` at `commit`, only if it still points where it did (`was`)."""
        self.run("update-ref", f"refs/heads/{branch}", commit, was or "0" * 40)
