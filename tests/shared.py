"""Outputs made once per test run and shared by every test that only reads them.

Building or releasing the whole pack takes seconds, and many tests only read the
result. Each such output is made once, by whichever test asks first, in a folder
every pytest-xdist worker of the run can see; a file lock makes the other workers
wait for it rather than make it again. A test that changes files gets its own copy
(`writable_copy`). Every file's digest is recorded when the output is made, and
`Shared.changed` names any file a test wrote into after all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


class Shared:
    """The run's shared outputs, each in a folder of its own under one root."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        base = factory.getbasetemp()
        # Under xdist each worker's temporary folder sits inside the run's own.
        self.root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
        self.root.mkdir(exist_ok=True)
        self.used: set[str] = set()

    def made_once(self, name: str, make: Callable[[Path], None]) -> Path:
        """The folder `make` filled for this run: made now unless a test already did."""
        folder, recorded = self.root / name, self.root / f"{name}.sha256.json"
        with FileLock(str(self.root / f"{name}.lock")):
            if not recorded.exists():  # never made, or `make` failed: (re)make it
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                make(folder)
                recorded.write_text(json.dumps(_digests(folder)), encoding="utf-8")
        self.used.add(name)
        return folder

    def changed(self) -> list[str]:
        """Files of the outputs used here that differ from when they were made."""
        found = []
        for name in sorted(self.used):
            recorded = json.loads((self.root / f"{name}.sha256.json").read_text(encoding="utf-8"))
            now = _digests(self.root / name)
            found += [
                f"{name}/{path}"
                for path in sorted(recorded.keys() | now.keys())
                if recorded.get(path) != now.get(path)
            ]
        return found


def writable_copy(folder: Path, target: Path) -> Path:
    """A copy of a shared output (timestamps kept) for a test that changes it."""
    shutil.copytree(folder, target, symlinks=True)
    return target


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
