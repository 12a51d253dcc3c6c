"""The link checker against local web servers: every outcome, and where each address is.

Nothing here leaves the machine: the servers listen on 127.0.0.1, name lookups
for anything else are refused in-process, and HTTPS is trusted through a
certificate authority made for the test.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from conftest import ROOT, SOURCES, raw_yaml, run_cli
from esafety_docs.linkcheck.command import linkcheck
from webservers import Log, closed_port, local_names_only, silent_server, web_server

pytestmark = pytest.mark.slow  # live servers, and timeouts waited for

TIMEOUT = 0.5
NO_SUCH_SITE = "https://no-such-site.test/"


class SourceWriter:
    """Writes a source file line by line, noting where each address is typed."""

    def __init__(self, name: str, places: dict[str, list[str]]) -> None:
        self.name = name
        self.lines: list[str] = []
        self.places = places

    def add(self, text: str, *addresses: str) -> None:
        for address in addresses:
            column = text.index(address) + 1
            self.places[address].append(f"sources/{self.name}:{len(self.lines) + 1}:{column}")
        self.lines.append(text)

    def save(self, folder: Path) -> None:
        (folder / self.name).write_text("\n".join(self.lines) + "\n", encoding="utf-8")


@dataclass
class Run:
    code: int
    out: str
    err: str
    places: dict[str, list[str]]
    log: Log
    json: dict  # type: ignore[type-arg]
    base: dict[str, str]

    def at(self, address: str) -> str:
        return ", ".join(self.places[address])

    def line_for(self, address: str) -> str:
        """The report line about `address` (the one naming it first)."""
        lines = [
            line
            for line in self.out.splitlines()
            if line.split(": ", 1)[-1].startswith(address + " ")
        ]
        assert len(lines) == 1, f"{address}: {lines}"
        return lines[0]

    def hint_for(self, address: str) -> str | None:
        lines = self.out.splitlines()
        following = lines[lines.index(self.line_for(address)) + 1]
        return following.strip() if following.startswith("    hint: ") else None


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def run(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """One link check of sources that hold every case, against live local servers."""
    log = Log()
    stranger = trustme.CA()  # signs a certificate nobody trusts
    folder = tmp_path_factory.mktemp("linkcheck")
    sources = folder / "sources"
    sources.mkdir()
    with (
        web_server(log) as h,
        web_server(log, ca.issue_cert("127.0.0.1")) as s,
        web_server(log, stranger.issue_cert("127.0.0.1")) as untrusted,
        silent_server() as silent,
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        refused = closed_port()
        places: dict[str, list[str]] = defaultdict(list)

        pack = SourceWriter("pack.yaml", places)
        pack.add("title: Links under test")
        pack.add("linkcheck_ignore:")
        pack.add(f"  - {h}/private/")

        contacts = SourceWriter("contacts.yaml", places)
        contacts.add("contacts:")
        contacts.add("  - id: helpline")
        contacts.add("    name: Helpline")
        contacts.add(f"    web: {h}/once", f"{h}/once")
        contacts.add("    email: helpline@saferinternet.org.uk", "helpline@saferinternet.org.uk")
        contacts.add("    phone: 0344 381 4772", "0344 381 4772")
        contacts.add(f"    source: {s}/ok", f"{s}/ok")
        contacts.add("  - id: mistyped")
        contacts.add("    name: Mistyped details")
        contacts.add("    email: helpline.saferinternet.org.uk", "helpline.saferinternet.org.uk")
        contacts.add("    phone: 0344 381", "0344 381")

        doc = SourceWriter("links.yaml", places)
        doc.add("id: links")
        doc.add("sections:")
        doc.add("  - title: Every case")
        doc.add("    body:")
        doc.add("      - >-")
        doc.add("        A folded paragraph, where the address is on its second line:")
        doc.add(
            f"        [the helpline]({h}/once) and, bare, {h}/page/bare.",
            f"{h}/once",
            f"{h}/page/bare",
        )
        doc.add(f"        Twice in one paragraph: [again]({h}/once).", f"{h}/once")
        doc.add("      - bullets:")
        for address in (
            f"{h}/ok",
            f"{h}/once#part-two",
            f"{h}/moved",
            f"{h}/elsewhere",
            f"{h}/moved-then-elsewhere",
            f"{h}/loop-a",
            f"{h}/missing",
            f"{h}/gone",
            f"{h}/moved-to-missing",
            f"{h}/forbidden",
            f"{h}/busy",
            f"{h}/slow-down",
            f"{h}/no-head",
            f"{h}/flaky",
            f"{silent}/",
            f"{refused}/",
            f"{untrusted}/ok",
            NO_SUCH_SITE,
            f"{h}/private/page",
        ):
            doc.add(f'          - "Read [this page]({address})."', address)
        doc.add(f'          - "In angle brackets: <{h}/page/angle>"', f"{h}/page/angle")
        for writer in (pack, contacts, doc):
            writer.save(sources)

        local_names_only(monkeypatch)
        monkeypatch.setenv("SSL_CERT_FILE", str(folder / "ca.pem"))
        ca.cert_pem.write_to_path(str(folder / "ca.pem"))
        monkeypatch.chdir(folder)
        out, err = io.StringIO(), io.StringIO()
        code = linkcheck(Path("sources"), TIMEOUT, 8, Path("report.json"), out, err)
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        base = {"h": h, "s": s, "untrusted": untrusted, "silent": silent, "refused": refused}
        yield Run(code, out.getvalue(), err.getvalue(), dict(places), log, report, base)


# (address, its exact report line, the hint line after it or None); {at} is every place.
CASES = [
    ("{h}/ok", "working: {h}/ok at {at}", None),
    ("{s}/ok", "working: {s}/ok at {at}", None),
    ("{h}/once", "working: {h}/once at {at}", None),
    ("{h}/once#part-two", "working: {h}/once#part-two at {at}", None),
    ("{h}/page/bare", "working: {h}/page/bare at {at}", None),
    ("{h}/page/angle", "working: {h}/page/angle at {at}", None),
    (
        "{h}/moved",
        "redirected: {h}/moved -> {h}/ok (moved permanently) at {at}",
        "hint: the page has moved for good: write {h}/ok instead",
    ),
    ("{h}/elsewhere", "redirected: {h}/elsewhere -> {h}/ok (moved temporarily) at {at}", None),
    (
        "{h}/moved-then-elsewhere",
        "redirected: {h}/moved-then-elsewhere -> {h}/ok (moved permanently, then temporarily)"
        " at {at}",
        "hint: the page has moved for good: write {h}/elsewhere instead",
    ),
    ("{h}/loop-a", "broken: {h}/loop-a (it redirects in a loop) at {at}", "BROKEN"),
    ("{h}/missing", "broken: {h}/missing (404 Not Found) at {at}", "BROKEN"),
    ("{h}/gone", "broken: {h}/gone (410 Gone) at {at}", "BROKEN"),
    (
        "{h}/moved-to-missing",
        "broken: {h}/moved-to-missing (404 Not Found at {h}/missing, after a redirect) at {at}",
        "BROKEN",
    ),
    (
        "{h}/forbidden",
        "broken: {h}/forbidden (403 Forbidden) at {at}",
        "hint: if it opens in a browser, the site refuses automatic checks: add it to "
        "linkcheck_ignore in pack.yaml",
    ),
    ("{h}/busy", "working: {h}/busy at {at}", None),
    (
        "{h}/slow-down",
        "rate limited: {h}/slow-down (429 Too Many Requests, asked to wait 3600 s) at {at}",
        "hint: the site asked to be checked less often: run the check again later",
    ),
    ("{h}/no-head", "working: {h}/no-head at {at}", None),
    ("{h}/flaky", "working: {h}/flaky at {at}", None),
    (
        "{silent}/",
        "timed out: {silent}/ (no answer within 0.5 s) at {at}",
        "hint: the site did not answer in time: run the check again later, and if it still "
        "times out, open it in a browser",
    ),
    ("{refused}/", "broken: {refused}/ (the connection was refused) at {at}", "BROKEN"),
    (
        "{untrusted}/ok",
        "broken: {untrusted}/ok (bad certificate: unable to get local issuer certificate) at {at}",
        "BROKEN",
    ),
    (
        NO_SUCH_SITE,
        f"broken: {NO_SUCH_SITE} (the name no-such-site.test does not resolve) at {{at}}",
        "BROKEN",
    ),
    (
        "{h}/private/page",
        "ignored: {h}/private/page (matches '{h}/private/' in linkcheck_ignore) at {at}",
        None,
    ),
    (
        "mailto:helpline@saferinternet.org.uk",
        "well formed: mailto:helpline@saferinternet.org.uk (email addresses are checked for "
        "form only) at {at}",
        None,
    ),
    (
        "tel:03443814772",
        "well formed: tel:03443814772 (phone numbers are checked for form only) at {at}",
        None,
    ),
    (
        "mailto:helpline.saferinternet.org.uk",
        "broken: mailto:helpline.saferinternet.org.uk (not a valid email address) at {at}",
        "hint: correct the email address in the sources: it is written name@organisation.org.uk",
    ),
    (
        "tel:0344381",
        "broken: tel:0344381 (not a valid UK phone number) at {at}",
        "hint: correct the number in the sources: the full number with its area code",
    ),
]
BROKEN_HINT = (
    "hint: open it in a browser; if it is gone, find the page's new address or remove the link"
)
# Where each form-only address is typed, as the writer noted it.
TYPED_AS = {
    "mailto:helpline@saferinternet.org.uk": "helpline@saferinternet.org.uk",
    "tel:03443814772": "0344 381 4772",
    "mailto:helpline.saferinternet.org.uk": "helpline.saferinternet.org.uk",
    "tel:0344381": "0344 381",
}


@pytest.mark.parametrize(("address", "expected", "hint"), CASES, ids=[c[0] for c in CASES])
def test_each_case_has_its_exact_report_line(
    run: Run, address: str, expected: str, hint: str | None
) -> None:
    address = address.format(**run.base)
    at = run.at(TYPED_AS.get(address, address))
    assert run.line_for(address) == expected.format(**run.base, at=at)
    wanted = BROKEN_HINT if hint == "BROKEN" else hint and hint.format(**run.base)
    assert run.hint_for(address) == wanted


def test_the_summary_counts_every_outcome_and_broken_addresses_fail_the_run(run: Run) -> None:
    assert run.out.splitlines()[-1] == (
        "27 addresses: 9 working, 3 redirected, 10 broken, 1 timed out, 1 rate limited, "
        "1 ignored, 2 well formed"
    )
    assert run.code == 1
    assert "Traceback" not in run.err


def test_problems_come_last_next_to_the_summary(run: Run) -> None:
    kinds = [line.split(":")[0] for line in run.out.splitlines()[:-1] if not line.startswith(" ")]
    assert kinds.index("broken") > max(i for i, k in enumerate(kinds) if k == "working")
    assert kinds[-1] == "broken"


def test_an_address_written_in_four_places_is_asked_for_once(run: Run) -> None:
    once = f"{run.base['h']}/once"
    assert len(run.places[once]) == 3  # the contact's web, and twice in one folded paragraph
    assert len(run.places[f"{once}#part-two"]) == 1  # the same page, further down
    assert run.log.count("/once") == 1


def test_head_refused_falls_back_to_get(run: Run) -> None:
    assert run.log.methods("/no-head") == ["HEAD", "GET"]


def test_a_momentary_server_error_is_asked_again(run: Run) -> None:
    assert run.log.count("/flaky") == 2


def test_retry_after_is_waited_for_and_a_long_one_is_not(run: Run) -> None:
    first, second = run.log.times("/busy")
    assert second - first >= 0.9  # the server asked for 1 s
    assert run.log.count("/slow-down") == 1  # asked for an hour: reported, not waited for


def test_ignored_addresses_are_never_requested(run: Run) -> None:
    assert not [path for path in run.log.paths() if path.startswith("/private/")]


def test_the_json_report_gives_outcome_status_and_places(run: Run) -> None:
    h = run.base["h"]
    entries = {entry["address"]: entry for entry in run.json["addresses"]}
    assert len(entries) == 27
    missing = entries[f"{h}/missing"]
    assert (missing["outcome"], missing["status"]) == ("broken", 404)
    places = [f"{p['path']}:{p['line']}:{p['column']}" for p in missing["places"]]
    assert places == run.places[f"{h}/missing"]
    moved = entries[f"{h}/moved"]
    assert (moved["outcome"], moved["final_address"], moved["update_to"]) == (
        "redirected",
        f"{h}/ok",
        f"{h}/ok",
    )
    assert run.json["summary"] == run.out.splitlines()[-1]
    assert run.json["problems"] == []


def write_links(folder: Path, *addresses: str) -> Path:
    """A sources folder whose one document links to each address."""
    sources = folder / "sources"
    sources.mkdir()
    bullets = "".join(f'      - "[link {i}]({a})"\n' for i, a in enumerate(addresses))
    (sources / "links.yaml").write_text(
        f"sections:\n  - title: Links\n    body:\n    - bullets:\n{bullets}", encoding="utf-8"
    )
    return sources


def test_one_site_gets_at_most_two_requests_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = Log()
    local_names_only(monkeypatch)
    with web_server(log) as h:
        sources = write_links(tmp_path, *(f"{h}/slow/{n}" for n in range(6)))
        out = io.StringIO()
        code = linkcheck(sources, 5, 8, None, out, io.StringIO())
    assert code == 0, out.getvalue()
    assert out.getvalue().splitlines()[-1] == "6 addresses: 6 working"
    assert log.most_in_flight == 2  # eight workers, but two at a time for one site


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_what_is_still_being_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local_names_only(monkeypatch)
    with silent_server() as silent:
        sources = write_links(tmp_path, f"{silent}/")
        terminal = Terminal()
        linkcheck(sources, TIMEOUT, 8, None, io.StringIO(), terminal)
    shown = terminal.getvalue()
    assert "\r  checked 0 of 1; waiting for 127.0.0.1" in shown
    assert shown.endswith("\r")  # the running count is wiped before the report


def test_a_name_lookup_that_hangs_does_not_keep_the_command_running(tmp_path: Path) -> None:
    sources = write_links(tmp_path, "https://hanging-resolver.test/")
    code = (
        "import socket, sys, time\n"
        "def hang(*args, **kwargs):\n"
        "    time.sleep(120)  # a resolver that never answers\n"
        "socket.getaddrinfo = hang\n"
        "from esafety_docs.cli import main\n"
        "sys.exit(main(['linkcheck', '--sources', sys.argv[1], '--timeout', '0.3']))\n"
    )
    # Fails with TimeoutExpired if the process waits for the lookup it gave up on.
    result = subprocess.run(
        [sys.executable, "-c", code, str(sources)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "timed out: https://hanging-resolver.test/ (no answer within 0.3 s) at "
    )


def test_offline_every_address_is_unreachable_and_one_line_says_why() -> None:
    # Every request goes to a proxy on a closed local port: nothing leaves the machine,
    # just as nothing gets out of a computer with no connection.
    proxy = closed_port()
    env = {"HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "ALL_PROXY": "", "NO_PROXY": ""}
    result = run_cli("linkcheck", "--timeout", "5", env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr

    text = "".join(path.read_text(encoding="utf-8") for path in SOURCES.glob("*.yaml"))
    web = {a.rstrip(".") for a in re.findall(r"https?://[^\s)\"'>\]]+", text)}
    contacts = raw_yaml("contacts.yaml")["contacts"]
    form_only = {c["email"] for c in contacts if "email" in c} | {
        str(c["phone"]) for c in contacts if "phone" in c
    }
    lines = result.stdout.splitlines()
    unreachable = [line for line in lines if line.startswith("unreachable: ")]
    assert {line.split()[1] for line in unreachable} == web
    assert lines[-1] == (
        f"{len(web) + len(form_only)} addresses: {len(web)} unreachable, "
        f"{len(form_only)} well formed. No web address could be reached at all: check this "
        "computer's internet connection, then run the check again"
    )


def test_check_and_build_never_load_the_http_client() -> None:
    code = (
        "import sys; from esafety_docs.cli import main; main(['check']); "
        "print('httpx' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=os.environ
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "0"], "argument --workers: 0 is not between 1 and 32"),
        (["--timeout", "soon"], "argument --timeout: 'soon' is not a number"),
        (["--sources", "nowhere"], "error: --sources folder 'nowhere' does not exist"),
    ],
)
def test_wrong_usage_is_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = run_cli("linkcheck", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_source_that_cannot_be_read_is_named_and_fails_the_run(tmp_path: Path) -> None:
    sources = write_links(tmp_path, "mailto:helpline@saferinternet.org.uk")
    (sources / "pack.yaml").write_text("title: 'never closed\n", encoding="utf-8")
    result = run_cli("linkcheck", "--sources", "sources", "--json", "report.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "sources/pack.yaml:1:8: error: the quotation mark opened here is never closed" in (
        result.stderr
    )
    assert result.stdout.splitlines()[-1] == "1 address: 1 well formed"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["problems"][0].startswith("sources/pack.yaml:1:8: error:")


def test_check_names_a_linkcheck_ignore_that_is_not_a_list(tmp_path: Path) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    pack = tmp_path / "sources" / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8") + "linkcheck_ignore: https://www.example.org.uk\n",
        encoding="utf-8",
    )
    line = len(pack.read_text(encoding="utf-8").splitlines())
    result = run_cli("check", "--sources", "sources", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        f"sources/pack.yaml:{line}:19: error: 'linkcheck_ignore' should be a list with at least "
        "one item" in result.stderr
    )
