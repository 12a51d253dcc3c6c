# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Sessions for esafety-docs: build (default), preview, review, check, new-document,
linkcheck, diff, docs, tests, tests-fast, lint, bench, release, site, verify, lock.

Dependency lists come from pyproject.toml so they are written once; releases
install from the pinned requirements/release.lock so their bytes can be
reproduced.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
LOCK = "requirements/release.lock"


def _install(session: nox.Session, *groups: str) -> None:
    """Install the project (editable, so edits need no reinstall) and dependency groups,
    byte-compiled as they are installed: otherwise the first commands a fresh
    environment runs each compile reportlab, pikepdf and the rest again."""
    extras = [dep for group in groups for dep in nox.project.dependency_groups(PYPROJECT, group)]
    session.install("-e", ".", *extras, env={"UV_COMPILE_BYTECODE": "1"})


@nox.session
def build(session: nox.Session) -> None:
    """Build the pack from sources/ into dist/<version>/ (extra arguments go to the CLI)."""
    _install(session)
    session.run("esafety-docs", "build", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Check the sources without building (extra arguments go to the CLI, e.g. `-- --strict`)."""
    _install(session)
    session.run("esafety-docs", "check", *session.posargs)


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every web address in the sources (for example `-- --json linkcheck.json`)."""
    _install(session)
    session.run("esafety-docs", "linkcheck", *session.posargs)


@nox.session
def diff(session: nox.Session) -> None:
    """Print the release notes a release would write now; writes nothing.

    Extra arguments go to `esafety-docs diff` (for example `-- --since DIR`).
    """
    _install(session)
    session.run("esafety-docs", "diff", *session.posargs)


@nox.session
def review(session: nox.Session) -> None:
    """Word review round trip: review copies into dist/review/ (the default), or
    `-- import REVIEWED.docx` to put a reviewer's changes back into the sources.

    Extra arguments go to `esafety-docs review` (for example `-- import FILE --report-only`).
    """
    _install(session)
    session.run("esafety-docs", "review", *(session.posargs or ["export"]))


@nox.session
def preview(session: nox.Session) -> None:
    """Serve a preview on http://127.0.0.1:8000/ that rebuilds on every save; Ctrl+C stops it.

    Extra arguments go to `esafety-docs preview` (for example `-- --port 8001`).
    """
    _install(session)
    session.run("esafety-docs", "preview", *session.posargs)


@nox.session(name="new-document")
def new_document(session: nox.Session) -> None:
    """Start a new document: `-- ID` writes sources/ID.yaml and lists it in pack.yaml."""
    if not session.posargs:
        session.error("give the new document's id after --, e.g. -- online-safety-guide")
    _install(session)
    session.run("esafety-docs", "new-document", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite on every core (extra arguments go to pytest)."""
    _install(session, "tests")
    _pytest(session, *session.posargs)


@nox.session(name="tests-fast")
def tests_fast(session: nox.Session) -> None:
    """The quick inner loop: the tests not marked slow, with one real build read back."""
    _install(session, "tests")
    _pytest(session, "-m", "not slow", *session.posargs)


def _pytest(session: nox.Session, *args: str) -> None:
    """pytest on every core (`-n 0` among the arguments runs it in this one process).

    The tests start the command in hundreds of fresh processes: each must find
    reportlab, pikepdf and the rest already compiled, so Python writes its .pyc
    files even where PYTHONDONTWRITEBYTECODE is set.
    """
    session.run(
        "pytest",
        "-n",
        "auto",
        "--dist",
        "worksteal",
        *args,
        env={"PYTHONDONTWRITEBYTECODE": ""},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format), mypy (strict) and the CI workflows against their schema."""
    _install(session, "lint", "tests")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    workflows = sorted(str(path) for path in Path(".github/workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)


@nox.session
def docs(session: nox.Session) -> None:
    """Regenerate docs/source-format.md and sources/schemas/ after changing schema.py."""
    _install(session)
    with open("docs/source-format.md", "w", encoding="utf-8", newline="\n") as page:
        session.run("python", "-m", "esafety_docs.reading.schema", stdout=page)
    session.run("python", "-m", "esafety_docs.reading.editor_schemas", "sources/schemas")


@nox.session
def bench(session: nox.Session) -> None:
    """Time the real CLI against an import floor and pandoc, WeasyPrint and Typst.

    Extra arguments go to benchmarks/bench.py (for example `-- --runs 3 --quick`).
    """
    _install(session, "bench")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def release(session: nox.Session) -> None:
    """Exactly what the tagged CI job runs: a release from git history, and the site.

    Reads every published release from the `releases` branch, checks the tag against
    the pack's version, releases into dist/releases/<version>/ from pinned
    dependencies and makes the site in dist/site/. A rehearsal unless the commit
    is tagged and `-- --push` is given (CI gives it). Extra arguments go to
    `esafety-docs publish` (for example `-- --url https://example.org/pack/`).
    """
    session.install("-r", LOCK)
    session.install("--no-deps", "-e", ".")
    session.run("esafety-docs", "publish", *session.posargs)


@nox.session
def site(session: nox.Session) -> None:
    """The site for schools in dist/site/, from the published releases alone (no release)."""
    session.install("-r", LOCK)
    session.install("--no-deps", "-e", ".")
    session.run("esafety-docs", "site", *session.posargs)


@nox.session
def verify(session: nox.Session) -> None:
    """Re-check release folders against their checksums (default: every one published)."""
    _install(session)
    folders = session.posargs or [
        str(folder) for folder in sorted(Path("dist/releases").glob("*")) if folder.is_dir()
    ]
    if not folders:
        session.error(
            "no release folder to check: name one (nox -s verify -- FOLDER), or run "
            "`nox -s site` first to fetch every published release into dist/releases/"
        )
    session.run("esafety-docs", "verify", *folders)


@nox.session
def lock(session: nox.Session) -> None:
    """Re-pin the release dependencies after changing them in pyproject.toml."""
    session.install("uv")
    session.run(
        "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "--generate-hashes",
        "--python-version",
        "3.11",
        "--output-file",
        LOCK,
    )


if __name__ == "__main__":
    nox.main()
