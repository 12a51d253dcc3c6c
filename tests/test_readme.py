"""Every command the README shows works as written: it names a real nox session (read
from noxfile.py) or a real `esafety-docs` command, with options that command has."""

from __future__ import annotations

import argparse
import ast
import functools
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass

import pytest

from conftest import ROOT
from esafety_docs import cli

README = ROOT / "README.md"
NOXFILE = ROOT / "noxfile.py"

# nox's own options that the README may use; anything else is a mistake.
NOX_FLAGS = {"-l", "--list", "-R", "-r", "--reuse-existing-virtualenvs", "--no-install"}
NOX_SESSION_FLAGS = {"-s", "--session", "--sessions"}


@dataclass(frozen=True)
class Session:
    """A nox session, and what its extra arguments (after --) are given to."""

    name: str
    cli_command: str | None  # `esafety-docs <this>` receives the extra arguments
    script_options: frozenset[str] | None  # or a Python script with these --options


def nox_sessions() -> dict[str, Session]:
    """The sessions noxfile.py defines, found by reading it (sessions added later count)."""
    tree = ast.parse(NOXFILE.read_text(encoding="utf-8"))
    sessions = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) != "nox.session":
                continue
            name = node.name
            for keyword in call.keywords if call else []:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    name = str(keyword.value.value)
            sessions[name] = _what_runs(name, node)
    return sessions


def _what_runs(name: str, function: ast.FunctionDef) -> Session:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "_pytest":
            return Session(name, None, pytest_options())
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "session.run":
            words = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if words[:1] == ["esafety-docs"] and len(words) > 1:
                return Session(name, str(words[1]), None)
            if words[:1] == ["python"] and len(words) > 1 and str(words[1]).endswith(".py"):
                script = ast.parse((ROOT / str(words[1])).read_text(encoding="utf-8"))
                options = {
                    c.value
                    for c in ast.walk(script)
                    if isinstance(c, ast.Constant)
                    and isinstance(c.value, str)
                    and c.value.startswith("--")
                }
                return Session(name, None, frozenset(options))
    return Session(name, None, None)


@functools.cache
def pytest_options() -> frozenset[str]:
    """Every --option pytest takes here (this project's own included), from its help."""
    shown = subprocess.run(
        [sys.executable, "-m", "pytest", "--help"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    return frozenset(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", shown))


def cli_commands() -> dict[str, set[str]]:
    """Each `esafety-docs` subcommand with its options, from the real argument parser."""
    parser = cli._parser()
    found = {"": set(parser._option_string_actions)}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = set(sub._option_string_actions)
                for inner in sub._actions:  # `review export`, `review import`
                    if isinstance(inner, argparse._SubParsersAction):
                        for step, step_parser in inner.choices.items():
                            found[f"{name} {step}"] = set(step_parser._option_string_actions)
    return found


def readme_commands(text: str) -> list[str]:
    """Command lines in fenced blocks and in inline `code` that run nox or esafety-docs."""
    fence = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
    pieces = [line for block in fence.findall(text) for line in block.splitlines()]
    pieces += re.findall(r"`([^`\n]+)`", fence.sub("", text))
    commands = []
    for piece in pieces:
        for part in piece.split("&&"):
            command = part.split(" #")[0].strip()
            words = command.split()
            if words[:3] in (["python3", "-m", "nox"], ["py", "-m", "nox"]) or words[:1] in (
                ["nox"],
                ["esafety-docs"],
            ):
                commands.append(command)
    return commands


def problems_with(command: str, sessions: dict[str, Session], cli: dict[str, set[str]]) -> str:
    """What is wrong with one README command, or '' when it would run as written."""
    words = shlex.split(command)
    if words[0] == "esafety-docs":
        return _cli_problem(words[1:], cli)
    args = words[3:] if words[0] in ("python3", "py") else words[1:]
    extra = args[args.index("--") + 1 :] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    chosen: list[str] = []
    while args:
        flag = args.pop(0)
        if flag in NOX_SESSION_FLAGS and args:
            chosen.append(args.pop(0))
        elif flag not in NOX_FLAGS:
            return f"nox has no option {flag!r} that the README may use"
    for name in chosen:
        if name not in sessions:
            return f"there is no nox session {name!r} (sessions: {', '.join(sorted(sessions))})"
    if extra:
        if len(chosen) != 1:
            return "extra arguments after -- need exactly one session"
        session = sessions[chosen[0]]
        if session.cli_command:
            return _cli_problem([session.cli_command, *extra], cli)
        if session.script_options is not None:
            unknown = [w for w in extra if w.startswith("--") and w not in session.script_options]
            return f"the {session.name} session has no option {unknown[0]}" if unknown else ""
        return f"the {session.name} session takes no extra arguments"
    return ""


def _cli_problem(words: list[str], commands: dict[str, set[str]]) -> str:
    """A synopsis such as `build [--sources DIR] [--strict]` or a real call, checked for
    the subcommand and each --option; DIR, PATH... and other values are not judged."""
    plain = [w.strip("[]") for w in words]
    named = [w for w in plain if not w.startswith("-")]
    first = next(iter(named), "")
    has_steps = any(other.startswith(f"{first} ") for other in commands)
    name = " ".join(named[:2]) if has_steps else first  # `review import`: the step too
    if name and name not in commands:
        return f"esafety-docs has no command {name!r}"
    known = commands[name] | commands[""] if name else commands[""]
    for word in plain:
        option = word.split("=")[0]
        if option.startswith("-") and option not in known:
            return f"`esafety-docs {name}` has no option {option!r}"
    return ""


def test_every_readme_command_names_a_real_session_or_command() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert len(commands) > 10
    sessions, cli = nox_sessions(), cli_commands()
    wrong = {c: problem for c in commands if (problem := problems_with(c, sessions, cli))}
    assert wrong == {}


def test_the_readme_tells_windows_users_what_to_type() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    windows = [c for c in commands if c.startswith("py -m nox")]
    assert any("-s check" in c for c in windows)
    assert any("-s build" in c for c in windows)


def test_comms_staff_are_told_commands_that_work_after_the_quick_start() -> None:
    """The editing steps use nox sessions: `esafety-docs` alone is installed only in them."""
    text = README.read_text(encoding="utf-8")
    editing = text.split("## Editing the pack")[1].split("\n## ")[0]
    assert not [c for c in readme_commands(editing) if c.startswith("esafety-docs")]
    assert any(c.endswith("-s check") for c in readme_commands(editing))


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("python3 -m nox -s chek", "there is no nox session 'chek'"),
        ("py -m nox -s check -- --stric", "`esafety-docs check` has no option '--stric'"),
        ("nox -S build", "nox has no option '-S'"),
        ("esafety-docs biuld", "esafety-docs has no command 'biuld'"),
        ("esafety-docs verify [--strict] DIR", "`esafety-docs verify` has no option '--strict'"),
        ("python3 -m nox -s bench -- --fast", "the bench session has no option --fast"),
        ("python3 -m nox -s tests -- --screenshot", "the tests session has no option --screenshot"),
        ("python3 -m nox -s release -- --push", ""),
        (
            "python3 -m nox -s release -- --allow-draft",
            "`esafety-docs publish` has no option '--allow-draft'",
        ),
        ("python3 -m nox -s new-document -- online-safety-guide", ""),
        ("esafety-docs build [--sources DIR] [--force]", ""),
        ("python3 -m nox -s review -- import x.docx --author A", ""),
        ("esafety-docs review imprt x.docx", "esafety-docs has no command 'review imprt'"),
        ("python3 -m nox -s review -- exprt", "esafety-docs has no command 'review exprt'"),
        (
            "python3 -m nox -s review -- import x.docx --out d",
            "`esafety-docs review import` has no option '--out'",
        ),
    ],
)
def test_the_checker_catches_commands_that_would_not_work(command: str, problem: str) -> None:
    found = problems_with(command, nox_sessions(), cli_commands())
    assert found.startswith(problem) and (found == "") == (problem == ""), found
