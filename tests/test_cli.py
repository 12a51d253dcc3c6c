"""The command as comms staff meet it: messages, progress and exit codes."""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Made, no_processes_left_for, raw_yaml, run_cli
from esafety_docs import cli
from shared import writable_copy


def test_help_lists_the_commands_and_every_format() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "check" in result.stdout
    assert "new-document" in result.stdout
    description = " ".join(result.stdout.split("positional arguments")[0].split())
    for word in ("HTML", "DOCX", "PDF"):
        assert word in description


def _description(command: str) -> str:
    """The paragraph `COMMAND --help` prints between its usage and its arguments."""
    result = run_cli(command, "--help")
    assert result.returncode == 0
    usage_and_rest = result.stdout.split("\n\n", 1)
    described = usage_and_rest[1] if len(usage_and_rest) > 1 else ""
    before_arguments = re.split(r"^(?:positional arguments|options):", described, flags=re.M)[0]
    return " ".join(before_arguments.split())


def test_check_help_says_what_check_does() -> None:
    assert "file:line:column" in _description("check")


def _commands() -> list[str]:
    """Every subcommand the real argument parser has."""
    parser = cli._parser()
    return [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]


@pytest.mark.parametrize("command", _commands())
def test_every_command_says_what_it_does_in_its_help(command: str) -> None:
    assert len(_description(command)) > 40


def test_each_progress_line_shows_its_own_render_time(pack_build: Made) -> None:
    """Times are each file's own, not the running time of the worker that made it: so
    no render took longer than the build, and the renders of the (at most two) workers
    never add up to more than twice the whole build."""
    lines = [line for line in pack_build.stderr.splitlines() if re.match(r"\s+\[\d+/\d+\]", line)]
    times = [float(re.findall(r"([\d.]+) s\)$", line)[0]) for line in lines]
    total = float(re.findall(r"Done in ([\d.]+) s", pack_build.stderr)[0])
    assert len(times) == 10
    assert max(times) <= total + 0.05
    assert sum(times) <= 2 * total + 0.1
    assert len(set(times)) > 2


def test_build_shows_progress_and_ends_with_the_pack_folder(pack_build: Made) -> None:
    # one line per render (DOCX, PDF with its thumbnail, HTML per document; the pack)
    assert "[1/10]" in pack_build.stderr and "[10/10]" in pack_build.stderr
    assert pack_build.stdout.strip() == str(pack_build.out / "0.1.0")
    assert "Done in" in pack_build.stderr.splitlines()[-1]


def test_content_errors_exit_1_with_positions_and_leave_the_old_pack(
    sources_copy: Path, tmp_path: Path, pack_build: Made
) -> None:
    out = writable_copy(pack_build.out, tmp_path / "dist")
    before = {p.name: p.read_bytes() for p in (out / "0.1.0").iterdir()}
    pack_file = sources_copy / "pack.yaml"
    pack_file.write_text(
        pack_file.read_text(encoding="utf-8").replace("status: draft", "status: finished"),
        encoding="utf-8",
    )
    result = run_cli("build", "--sources", sources_copy, "--out", out)
    assert result.returncode == 1
    line = next(i for i, text in enumerate(pack_file.read_text().splitlines()) if "status:" in text)
    assert f"pack.yaml:{line + 1}:9: error: status 'finished' is not one of: draft, approved" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in (out / "0.1.0").iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == ["0.1.0"]  # no staging folder left


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", "--no-such-option").returncode == 2
    missing = run_cli("build", "--sources", tmp_path / "nowhere")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


def test_check_reports_warnings_and_writes_nothing(sources_copy: Path, tmp_path: Path) -> None:
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace("    not_listed: [email]\n", "")
    )
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("check", "--sources", sources_copy, cwd=work)
    assert result.returncode == 0
    assert "warning: NWG Network has no email address" in result.stderr
    assert list(work.iterdir()) == []


def test_the_shipped_sources_pass_strict_checks_but_for_a_contact_awaiting_confirmation() -> None:
    assert run_cli("check").returncode == 0
    result = run_cli("check", "--strict")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    awaiting = [c for c in raw_yaml("contacts.yaml")["contacts"] if "awaiting_confirmation" in c]
    assert len(errors) == len(awaiting) == 1
    assert f"{awaiting[0]['name']} is awaiting confirmation" in errors[0]


@pytest.mark.slow
def test_a_build_killed_half_way_leaves_the_previous_pack(
    sources_copy: Path, tmp_path: Path, pack_build: Made
) -> None:
    out = writable_copy(pack_build.out, tmp_path / "dist")
    before = {p.name: p.read_bytes() for p in (out / "0.1.0").iterdir()}
    pack_file = sources_copy / "pack.yaml"
    pack_file.write_text(
        pack_file.read_text(encoding="utf-8").replace("date: 2026-11-28", "date: 2026-11-29")
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "esafety_docs", "build", "--sources", sources_copy, "--out", out],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # wait until rendering is under way, then pull the plug
        if "[3/10]" in line:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert {p.name: p.read_bytes() for p in (out / "0.1.0").iterdir()} == before
    visible = [p.name for p in out.iterdir() if not p.name.startswith(".")]
    assert visible == ["0.1.0"]
    assert no_processes_left_for(str(out))


@pytest.mark.parametrize("value", ["0", "two", "9"])
def test_a_number_of_render_processes_out_of_range_is_a_usage_error(
    tmp_path: Path, value: str
) -> None:
    result = run_cli("build", "--out", tmp_path, env={"ESAFETY_DOCS_JOBS": value})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "esafety-docs: error: ESAFETY_DOCS_JOBS must be a whole number from 1 to 8"
    )
    assert not any(tmp_path.iterdir())


def test_a_pack_date_in_the_future_is_a_warning_where_the_date_is(
    sources_copy: Path, tmp_path: Path
) -> None:
    pack = sources_copy / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    line = text[: text.index("\ndate: ")].count("\n") + 2
    pack.write_text(text.replace("\ndate: 2026-11-28", "\ndate: 2099-01-01"), encoding="utf-8")
    checked = run_cli("check", "--sources", sources_copy, "--out", tmp_path / "dist")
    assert checked.returncode == 0, checked.stderr
    assert (
        f"{pack}:{line}:7: warning: the pack's date 2099-01-01 is in the future"
    ) in checked.stderr
    assert "set `date` to the day this edition is finished" in checked.stderr


def test_check_reads_each_earlier_release_once(
    sources_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest release is what the notes compare with, and one of the releases an
    approval may have been made under: it is read from disk once for both."""
    from esafety_docs.publishing import history
    from esafety_docs.render.files import MANIFEST

    out = tmp_path / "dist"
    for version in ("0.0.1", "0.0.2"):
        (out / version).mkdir(parents=True)
        (out / version / MANIFEST).write_text(
            '{"build_date": "2026-11-01T00:00:00+00:00"}', encoding="utf-8"
        )
    reads: list[str] = []
    original = history._read_release

    def counted(folder: Path) -> history.Previous:
        reads.append(folder.name)
        return original(folder)

    monkeypatch.setattr(history, "_read_release", counted)
    assert cli.main(["check", "--sources", str(sources_copy), "--out", str(out)]) == 0
    assert sorted(reads) == ["0.0.1", "0.0.2"]


def test_a_build_can_say_where_its_time_went(pack_build: Made) -> None:
    """ESAFETY_DOCS_TIMINGS: seconds for reading, each format's rendering and each
    family of audit rules, which the benchmark prints so the next cut is plain."""
    from esafety_docs.audit import RULES  # importing the package registers every rule

    stages = json.loads((pack_build.folder.parent.parent / "stages.json").read_text())
    families = {f"audit {r.family}" for r in RULES}
    renders = {f"render {kind}" for kind in ("docx", "pdf", "html", "pack")}
    assert set(stages) == {"read", "thumbnail", *renders, *families}
    assert all(seconds > 0 for seconds in stages.values())
    assert list(stages.values()) == sorted(stages.values(), reverse=True)
