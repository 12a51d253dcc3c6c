"""Shared fixtures: the shipped sources built, released and converted once per test
run (see shared.py), each read by many tests; and helpers to run the real command."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from libreoffice import SKIP_REASON as NO_LIBREOFFICE
from libreoffice import SOFFICE, tagged_pdfs
from shared import Shared

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
TEMPLATES = ROOT / "templates"
NOVEMBER_28 = {"SOURCE_DATE_EPOCH": "1795824000"}  # 2026-11-28T00:00:00Z: the dated shared packs
VERSION = str(yaml.safe_load((SOURCES / "pack.yaml").read_text(encoding="utf-8"))["version"])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="save a picture of every page the browser tests open (in test-artifacts/), "
        "not only of a page that fails",
    )


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a file as a person would: `old` (which must be there) becomes `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def position_of(path: Path, needle: str) -> tuple[int, int]:
    """The 1-based line and column where `needle` first stands in a file (an empty
    needle: the start of the file)."""
    if not needle:
        return 1, 1
    text = path.read_bytes().decode("utf-8", errors="replace")
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def git(cwd: Path, *args: str) -> str:
    """A git command in `cwd`, as a committer of its own; its output, stripped."""
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def run_cli(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command as a user would, with what it prints and its exit code
    (SOURCE_DATE_EPOCH comes only from `env`, never from the environment the tests
    run in). It renders in one process unless `env` says otherwise: the tests
    already keep every core busy, so a second process would only wait its turn
    (test_workers, the killed builds and a release made with two check the
    workers themselves).

    The command runs in this test process (see `_run_here`), which has already
    imported it, unless it renders in several processes or `-X importtime` comes
    first: those need a fresh process, and get one. Tests that start or kill the
    command's own process (test_cli, test_preview, test_release) do so themselves.
    """
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment["ESAFETY_DOCS_JOBS"] = "1"
    environment.update(env or {})
    if not _interpreter_options(args) and environment["ESAFETY_DOCS_JOBS"] == "1":
        return _run_here(_cli_args(args), cwd, environment)
    return subprocess.run(
        [sys.executable, *_interpreter_options(args), "-m", "esafety_docs", *_cli_args(args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )


def _run_here(
    args: list[str], cwd: Path, environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`esafety-docs ARGS` through the same `cli.main` the installed command calls,
    in `cwd` with exactly `environment`, both restored afterwards. A fresh process
    would spend a fifth of a second importing before it did anything, hundreds of
    times a run. As in a fresh process, an exception nobody caught prints its
    traceback and exits 1, so the tests that forbid tracebacks still see them."""
    from esafety_docs import cli

    saved, here = dict(os.environ), os.getcwd()
    printed, warned = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(warned):
            try:
                code = cli.main(args)
            except SystemExit as stop:  # argparse's usage errors, and --help
                code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(args, code, printed.getvalue(), warned.getvalue())


def no_processes_left_for(marker: str, wait: float = 10.0) -> bool:
    """True once no process mentions `marker` on its command line (its workers exit too)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        alive = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and marker in (proc / "cmdline").read_text():
                    alive.append(proc.name)
            except OSError:
                continue
        if not alive:
            return True
        time.sleep(0.2)
    return False


def raw_yaml(name: str) -> dict:  # type: ignore[type-arg]
    """A shipped source read with plain PyYAML: the tests' own view of what it says."""
    loaded: dict = yaml.safe_load((SOURCES / name).read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return loaded


def section_titles(sections: list[dict], depth: int = 1) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    """(depth, title) of every section in a raw document source, in reading order."""
    found = []
    for section in sections:
        found.append((depth, section["title"]))
        found += section_titles(section.get("sections", []), depth + 1)
    return found


def printed_contacts(ids: list[str] | str) -> list[dict]:  # type: ignore[type-arg]
    """The contacts a `contacts:` block prints, in order: all of them, or those listed,
    leaving out any awaiting confirmation (never printed)."""
    directory = raw_yaml("contacts.yaml")["contacts"]
    chosen = directory if ids == "all" else [c for i in ids for c in directory if c["id"] == i]
    return [c for c in chosen if not c.get("awaiting_confirmation")]


def source_links(doc_id: str) -> list[tuple[str, str]]:
    """(words, address) of every link in a document's source whose words are not
    its address, read from the raw YAML text."""
    raw = (SOURCES / f"{doc_id}.yaml").read_text(encoding="utf-8")
    return [
        (words, url)
        for words, url in re.findall(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", raw)
        if not re.match(r"(https?://|www\.)", words)
    ]


def printed_address(url: str) -> str:
    """An address as the documents print it: no scheme, no closing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def printed_headings(sections: list[dict], depth: int = 1) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    """(depth, title) of every heading a document prints for its sections, in reading
    order: each section's title, the names of the contacts its body lists (one level
    down, as cards), then its sub-sections."""
    found = []
    for section in sections:
        found.append((depth, section["title"]))
        for block in section["body"]:
            if isinstance(block, dict) and "contacts" in block:
                found += [(depth + 1, c["name"]) for c in printed_contacts(block["contacts"])]
        found += printed_headings(section.get("sections", []), depth + 1)
    return found


def confirm_every_contact(sources: Path) -> None:
    """Sources as if comms staff had confirmed every contact awaiting confirmation."""
    contacts = sources / "contacts.yaml"
    lines = contacts.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith("    awaiting_confirmation:"):
            skipping = True
            continue
        if skipping and line.startswith("      "):
            continue
        skipping = False
        kept.append(line)
    contacts.write_text("".join(kept), encoding="utf-8")


def document_file(doc_id: str, extension: str) -> str:
    """The expected file name: id, version, and -draft while the source says draft."""
    version = raw_yaml("pack.yaml")["version"]
    draft = "-draft" if raw_yaml(f"{doc_id}.yaml")["status"] == "draft" else ""
    return f"{doc_id}-v{version}{draft}.{extension}"


def pack_file(extension: str) -> str:
    """The combined pack's expected file name (a draft while any document is)."""
    pack = raw_yaml("pack.yaml")
    statuses = [pack["status"], *(raw_yaml(f"{d}.yaml")["status"] for d in pack["documents"])]
    draft = "-draft" if "draft" in statuses else ""
    return f"online-safety-pack-for-professionals-v{pack['version']}{draft}.{extension}"


def expected_headings(doc_id: str) -> list[tuple[int, str]]:
    """Every heading a document prints, in order: its sections, then document control."""
    source = raw_yaml(f"{doc_id}.yaml")
    headings = [*printed_headings(source["sections"]), (1, "Document control")]
    if source.get("change_history"):
        headings.append((2, "Change history"))
    return headings


def _interpreter_options(args: tuple[str | Path, ...]) -> list[str]:
    """`-X importtime` given first goes to Python itself."""
    return ["-X", "importtime"] if args[:2] == ("-X", "importtime") else []


def _cli_args(args: tuple[str | Path, ...]) -> list[str]:
    return [str(a) for a in (args[2:] if args[:2] == ("-X", "importtime") else args)]


@dataclass(frozen=True)
class Made:
    """What one run of the command wrote into `out` (shared: copy it before changing
    anything) and what it printed."""

    out: Path
    stdout: str
    stderr: str

    @property
    def folder(self) -> Path:
        """out/<version>/, the pack folder."""
        return self.out / VERSION


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    outputs = Shared(tmp_path_factory)
    yield outputs
    changed = outputs.changed()
    assert not changed, f"a test wrote into outputs other tests read: {changed}"


def _made_by_cli(
    shared: Shared, name: str, *args: str | Path, env: dict[str, str] | None = None
) -> Made:
    """`esafety-docs ARGS --out OUT`, run once for the whole test run."""

    def make(folder: Path) -> None:
        result = run_cli(*args, "--out", folder / "dist", env=env)
        printed = {"code": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
        (folder / "printed.json").write_text(json.dumps(printed), encoding="utf-8")

    folder = shared.made_once(name, make)
    printed = json.loads((folder / "printed.json").read_text(encoding="utf-8"))
    assert printed["code"] == 0, printed["stderr"]
    return Made(folder / "dist", printed["stdout"], printed["stderr"])


@pytest.fixture(scope="session")
def pack_build(shared: Shared) -> Made:
    """One build of the shipped sources into an empty folder, dated now."""
    timings = {"ESAFETY_DOCS_TIMINGS": str(shared.root / "build" / "stages.json")}
    made = _made_by_cli(shared, "build", "build", "--sources", SOURCES, env=timings)
    assert made.stdout.strip() == str(made.folder)
    return made


@pytest.fixture(scope="session")
def pack_folder(pack_build: Made) -> Path:
    """dist/<version>/ from one build of the shipped sources."""
    return pack_build.folder


@pytest.fixture(scope="session")
def dated_build(shared: Shared) -> Made:
    """One build of the shipped sources into an empty folder, dated 28 November 2026.

    Like every shared pack it uses the repository's templates/: a build records the
    brand by its absolute paths, so only a later build given the same templates
    folder (`--templates`) can carry outputs over from it."""
    return _made_by_cli(shared, "dated-build", "build", "--sources", SOURCES, env=NOVEMBER_28)


@pytest.fixture(scope="session")
def draft_release(shared: Shared) -> Made:
    """A release of the shipped sources into an empty folder (so the first release),
    with --allow-draft and dated 28 November 2026."""
    return _made_by_cli(
        shared, "release", "release", "--allow-draft", "--sources", SOURCES, env=NOVEMBER_28
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """The system's headless Chromium, one per test module (see browser.py)."""
    from browser import SKIP_REASON, chromium, chromium_path

    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_REASON)
    with chromium(executable) as launched:
        yield launched


@pytest.fixture()
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of sources/ and templates/ side by side, for breaking on purpose."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path / "sources"


@pytest.fixture(scope="session")
def rendered(shared: Shared) -> Path:
    """The shipped sources rendered in every format, whatever their pages hold.

    A build publishes nothing when a layout rule fails, but the layout tests have to
    see every format's pages whatever they hold, so this renders with the layout
    rules left out of the build's own audit; those tests run them file by file,
    naming each fault."""
    import esafety_docs.audit as audit_module
    from esafety_docs.building.archive import build_time
    from esafety_docs.building.pipeline import build, load

    def make(out: Path) -> None:
        others = [r for r in audit_module.RULES if r.family != "layout"]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(audit_module, "RULES", others)
            build(load(SOURCES, TEMPLATES), out, build_time(), lambda line: None)

    return shared.made_once("rendered", make) / VERSION


@pytest.fixture(scope="session")
def libreoffice_pdfs(
    rendered: Path, shared: Shared, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """LibreOffice's tagged PDF of every DOCX in `rendered`, by document id."""
    if SOFFICE is None:
        pytest.skip(NO_LIBREOFFICE)
    documents = raw_yaml("pack.yaml")["documents"]

    def make(folder: Path) -> None:
        docx = [rendered / document_file(d, "docx") for d in documents]
        result = tagged_pdfs(docx, folder, tmp_path_factory.mktemp("libreoffice-profile"))
        printed = {"code": result.returncode, "stderr": result.stderr}
        (folder / "printed.json").write_text(json.dumps(printed), encoding="utf-8")

    folder = shared.made_once("libreoffice", make)
    printed = json.loads((folder / "printed.json").read_text(encoding="utf-8"))
    converted = {d: folder / document_file(d, "pdf") for d in documents}
    assert printed["code"] == 0 and all(p.exists() for p in converted.values()), printed["stderr"]
    return converted


@pytest.fixture(scope="session")
def review_copies(shared: Shared) -> Path:
    """dist/review/ from one `review export` of the shipped sources (shared: copy a
    file before changing it)."""
    return _made_by_cli(shared, "review", "review", "export", "--sources", SOURCES).out / "review"
