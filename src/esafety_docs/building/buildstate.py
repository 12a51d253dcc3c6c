"""What a build was made from, kept beside its outputs, so the next build can skip work.

Two levels, after Sphinx's split between finding outdated documents and writing
them. `inputs_digest` hashes the bytes of every source and template file and the
tool itself: when it matches a folder's recorded state and the outputs are still
there, nothing needs doing, which is decided with the standard library alone (no
YAML parsing, no renderer imports). Otherwise each output carries the digest of
the model parts it was rendered from, and only outputs whose digest changed are
rendered again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import __version__

STATE = ".build-state.json"
FORMATS = ("docx", "pdf", "html", "pack")  # every edition; "pack" is the combined PDF


def _hash_files(digest: Any, root: Path) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


@functools.cache
def tool_digest() -> str:
    """The tool's version and its own code: a changed renderer invalidates every output."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".css") and "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(sources: Path, templates: Path) -> str:
    """Everything a build reads: sources, templates (fonts and logo included), the tool,
    and SOURCE_DATE_EPOCH (which is written into the files)."""
    digest = hashlib.sha256(tool_digest().encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for root in (sources, templates):
        digest.update(b"\1")
        _hash_files(digest, root)
    return digest.hexdigest()


def digest_of(*parts: object) -> str:
    """A stable digest of model parts (their reprs; frozen dataclasses print all fields)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def read(folder: Path) -> dict[str, Any]:
    """A folder's recorded state, or an empty one when missing or unreadable."""
    try:
        state: dict[str, Any] = json.loads((folder / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write(folder: Path, inputs: str, outputs: dict[str, dict[str, Any]]) -> None:
    text = json.dumps({"inputs": inputs, "outputs": outputs}, indent=1, sort_keys=True)
    (folder / STATE).write_text(text + "\n", encoding="utf-8")


def up_to_date(out: Path, inputs: str, folders: Iterable[Path] | None = None) -> Path | None:
    """The pack folder already built from exactly these inputs, if every output is intact."""
    if not out.is_dir():
        return None
    for folder in folders if folders is not None else sorted(out.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        state = read(folder)
        if state.get("inputs") != inputs:
            continue
        outputs = state.get("outputs", {})
        if outputs and all(
            (folder / name).is_file() and (folder / name).stat().st_size == entry.get("size")
            for name, entry in outputs.items()
        ):
            return folder
    return None
