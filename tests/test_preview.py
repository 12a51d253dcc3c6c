"""The preview: its web server, its problems panel, and the order it rebuilds in.

The server is started in this process on a free port and spoken to over real
sockets with http.client, which sends paths exactly as written (no cleaning of
`..`), as an attacker's client would. Pages are read back with the standard
library's HTML parser.
"""

from __future__ import annotations

import hashlib
import http.client
import shutil
import socket
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import document_file, pack_file, run_cli
from esafety_docs.building import buildstate
from esafety_docs.preview.panel import PANEL_ID, panel_html
from esafety_docs.preview.rebuild import PASSES, Rebuilder
from esafety_docs.preview.server import EVENTS, PreviewServer, Shown
from esafety_docs.reading.diagnostics import Diagnostic

PAGE = (
    b'<!DOCTYPE html>\n<html lang="en-GB"><head><title>T</title></head>\n'
    b"<body>\n<main><h1>Contacts</h1></main>\n</body>\n</html>\n"
)
SECRET = "not for the browser"


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _parse(data: bytes) -> _Elements:
    parser = _Elements()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    """A preview folder with a page, a PDF and a hidden file, served on a free port;
    secrets sit beside and above it."""
    folder = tmp_path / "dist" / "preview"
    folder.mkdir(parents=True)
    (folder / "index.html").write_bytes(PAGE)
    (folder / "sheet.pdf").write_bytes(b"%PDF-1.7 not really\n")
    (folder / ".build-state.json").write_text(SECRET)
    (tmp_path / "dist" / "secret.txt").write_text(SECRET)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "pack.yaml").write_text(SECRET)
    server = PreviewServer(Shown(folder), 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server, folder
    finally:
        server.shown.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get(
    server: PreviewServer, path: str, host: str | None = None, method: str = "GET"
) -> tuple[int, bytes, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = {"Host": host} if host else {}
        connection.putrequest(method, path, skip_host=bool(host), skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../sources/pack.yaml",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2f..%2fsources%2fpack.yaml",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/sub/../../secret.txt",
        "/.build-state.json",
        "/%2ebuild-state.json",
        "/index.html%00.txt",
        "/%2fetc%2fpasswd",
        "secret.txt",
        "http://127.0.0.1/../secret.txt",
    ],
)
def test_requests_outside_the_preview_folder_are_refused(
    site: tuple[PreviewServer, Path], path: str
) -> None:
    server, _ = site
    status, body, _ = _get(server, path)
    assert status in (400, 403, 404), (path, status)
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_files_in_the_preview_folder_are_served_as_they_are(
    site: tuple[PreviewServer, Path],
) -> None:
    server, folder = site
    status, body, headers = _get(server, "/sheet.pdf")
    assert status == 200 and body == (folder / "sheet.pdf").read_bytes()
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Cache-Control"] == "no-store"
    assert _get(server, "/missing.pdf")[0] == 404


def test_other_host_names_are_refused(site: tuple[PreviewServer, Path]) -> None:
    server, _ = site
    assert _get(server, "/", host="attacker.example")[0] == 403
    assert _get(server, "/", host=f"localhost:{server.port}")[0] == 200


def test_the_reload_script_is_only_in_served_html(site: tuple[PreviewServer, Path]) -> None:
    server, folder = site
    for path in ("/", "/index.html"):
        status, body, headers = _get(server, path)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        page = _parse(body)
        assert [tag for tag, _ in page.tags].count("script") == 1
        assert EVENTS in "".join(page.scripts)
        assert "Contacts" in "".join(page.text)
    assert (folder / "index.html").read_bytes() == PAGE  # the file itself is untouched
    assert b"<script" not in _get(server, "/sheet.pdf")[1]
    status, body, _ = _get(server, "/index.html", method="HEAD")
    assert status == 200 and body == b""


def test_the_port_in_use_is_reported_in_one_line(sources_copy: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(
            "preview",
            "--sources",
            sources_copy,
            "--out",
            tmp_path / "out",
            "--port",
            port,
            "--no-open",
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port} is already in use" in lines[0] and "--port" in lines[0]
    assert not (tmp_path / "out").exists()  # refused before building anything


def test_a_port_that_is_not_a_number_is_a_usage_error(sources_copy: Path) -> None:
    result = run_cli("preview", "--sources", sources_copy, "--port", "80000", "--no-open")
    assert result.returncode == 2
    assert "not a port number" in result.stderr and "Traceback" not in result.stderr


def _stream(server: PreviewServer, name: str, tag: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", f"{EVENTS}?page={name}&tag={tag}")
    response = connection.getresponse()
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    assert response.readline() == b"retry: 1000\n"
    assert response.readline() == b"\n"
    return response


def _served_tag(server: PreviewServer, name: str) -> str:
    script = "".join(_parse(_get(server, "/" + name)[1]).scripts)
    return script.split('"&tag=" + "')[1].split('"')[0]


def test_an_open_page_is_told_to_reload_when_its_file_or_the_panel_changes(
    site: tuple[PreviewServer, Path], tmp_path: Path
) -> None:
    server, folder = site
    assert _stream(server, "index.html", "stale").readline() == b"event: reload\n"

    current = _stream(server, "index.html", _served_tag(server, "index.html"))
    staging = tmp_path / "staging"
    shutil.copytree(folder, staging)
    (staging / "sheet.pdf").write_bytes(b"%PDF-1.7 changed\n")
    server.shown.publish(staging)  # the page's own file is the same
    other = _stream(server, "sheet.pdf", "stale")
    assert other.readline() == b"event: reload\n"
    server.shown.show_problems("<p>broken</p>")
    assert current.readline() == b"event: reload\n"  # woken by the panel, not the PDF
    assert b"<p>broken</p>" in _get(server, "/index.html")[1]
    assert b"broken" not in (folder / "index.html").read_bytes()


def test_the_problems_panel_shows_place_line_message_and_hint(tmp_path: Path) -> None:
    source = tmp_path / "contacts.yaml"
    source.write_text("contacts:\n  - id: nwg\n    fax: <b>01332</b>\n", encoding="utf-8")
    problem = Diagnostic(
        str(source), 3, 5, "error", "unknown key 'fax' <script>", "remove 'fax' & save"
    )
    panel = _parse(panel_html([problem]).encode())
    text = "".join(panel.text)
    assert (panel.tags[0][0], panel.tags[0][1].get("id")) == ("section", PANEL_ID)
    assert panel.tags[0][1].get("role") == "alert"
    assert f"{source}:3:5" in text
    assert "unknown key 'fax' <script>" in text  # shown as text, never as markup
    assert "Hint: remove 'fax' & save" in text
    assert "    3 |     fax: <b>01332</b>" in text
    assert "      |     ^" in text  # the caret under column 5
    assert [tag for tag, _ in panel.tags if tag in ("script", "b")] == []
    assert "1 error, 0 warnings" in text


def test_the_panel_lists_the_errors_before_the_warnings(tmp_path: Path) -> None:
    early = Diagnostic(str(tmp_path / "a.yaml"), 1, 1, "warning", "an early warning", "")
    late = Diagnostic(str(tmp_path / "b.yaml"), 9, 1, "error", "a later error", "")
    text = "".join(_parse(panel_html([early, late]).encode()).text)
    assert text.index("a later error") < text.index("an early warning")


def test_a_problem_without_a_readable_line_still_shows_its_place(tmp_path: Path) -> None:
    problem = Diagnostic(str(tmp_path / "gone.yaml"), 1, 1, "error", "file is missing", "")
    text = "".join(_parse(panel_html([problem]).encode()).text)
    assert f"{tmp_path / 'gone.yaml'}:1:1" in text and "file is missing" in text


class _Recording(Shown):
    """Keeps each published folder's file digests, in order."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.published: list[dict[str, str]] = []

    def publish(self, staging: Path) -> None:
        self.published.append(
            {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in staging.iterdir()}
        )
        super().publish(staging)


@pytest.mark.slow
def test_html_is_published_first_then_pdf_then_word(sources_copy: Path, tmp_path: Path) -> None:
    templates = sources_copy.parent / "templates"
    shown = _Recording(tmp_path / "dist" / "preview")
    messages: list[str] = []
    rebuilder = Rebuilder(sources_copy, templates, shown, messages.append)
    rebuilder.rebuild()
    assert len(shown.published) == 1  # the first build is whole
    first = shown.published[0]

    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace("01332 585371", "01332 585372"))
    rebuilder.rebuild()
    html_pass, pdf_pass, word_pass = shown.published[1:]
    sheet = {ext: document_file("contact-sheet", ext) for ext in ("html", "pdf", "docx")}
    combined = pack_file("pdf")
    new_html, new_pdf, new_docx = (
        html_pass[sheet["html"]],
        pdf_pass[sheet["pdf"]],
        word_pass[sheet["docx"]],
    )
    assert new_html != first[sheet["html"]]
    assert html_pass[sheet["pdf"]] == first[sheet["pdf"]]  # left for later passes
    assert html_pass[sheet["docx"]] == first[sheet["docx"]]
    assert pdf_pass[sheet["html"]] == new_html
    assert new_pdf != first[sheet["pdf"]]
    assert pdf_pass[sheet["docx"]] == first[sheet["docx"]]
    assert pdf_pass[combined] == first[combined]
    assert word_pass[sheet["pdf"]] == new_pdf
    assert new_docx != first[sheet["docx"]]
    assert word_pass[combined] != first[combined]
    briefing = document_file("police-sexting-briefing", "pdf")
    assert word_pass[briefing] == first[briefing]  # does not list NWG

    # A build of the same sources is never answered by the preview folder.
    inputs = buildstate.inputs_digest(sources_copy, templates)
    assert buildstate.up_to_date(tmp_path / "dist", inputs) is None


@pytest.mark.slow
def test_a_source_error_keeps_the_last_preview_and_shows_the_panel(
    sources_copy: Path, tmp_path: Path
) -> None:
    shown = _Recording(tmp_path / "dist" / "preview")
    messages: list[str] = []
    rebuilder = Rebuilder(sources_copy, sources_copy.parent / "templates", shown, messages.append)
    rebuilder.rebuild()
    index_before = (shown.folder / "index.html").read_bytes()

    pack = sources_copy / "pack.yaml"
    good = pack.read_text()
    pack.write_text(good.replace("status: draft", "status: finished"))
    rebuilder.rebuild()
    assert len(shown.published) == 1  # nothing new was published
    data, panel = shown.read("index.html")
    assert data == index_before
    line = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("status:"))
    assert "pack.yaml:" + str(line) + ":9" in "".join(_parse(panel.encode()).text)
    assert "Below is the last version that built." in "".join(_parse(panel.encode()).text)
    terminal = "\n".join(messages)
    assert messages[-1].startswith("The preview still shows the last version that built: ")
    assert f"pack.yaml:{line}:9: error:" in terminal
    assert f"{line:>5} | status: finished" in terminal

    pack.write_text(good)
    rebuilder.rebuild()
    assert shown.read("index.html")[1] == ""  # the panel is gone
    assert "No errors now" in messages[-len(PASSES) - 1]


def test_building_a_released_version_points_to_the_preview(
    sources_copy: Path, tmp_path: Path
) -> None:
    released = tmp_path / "dist" / "0.1.0"
    released.mkdir(parents=True)
    (released / "manifest.json").write_text("{}")
    result = run_cli("build", "--sources", sources_copy, "--out", tmp_path / "dist")
    assert result.returncode == 1
    assert "version 0.1.0 is already released" in result.stderr
    hint = result.stderr.split("hint:", 1)[1]
    assert "nox -s preview" in hint and "change `version` in pack.yaml" in hint
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in released.iterdir()) == ["manifest.json"]


def test_sources_broken_from_the_start_show_their_errors_on_the_download_page(
    sources_copy: Path, tmp_path: Path
) -> None:
    contacts = sources_copy / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace("  - id: nwg\n", "  - id: nwg\n\tname: x\n"))
    shown = Shown(tmp_path / "dist" / "preview")
    messages: list[str] = []
    Rebuilder(sources_copy, sources_copy.parent / "templates", shown, messages.append).rebuild()
    assert not shown.folder.exists()
    # Nothing ever built, so neither the terminal nor the panel speaks of a last version.
    assert messages[-1] == (
        "Nothing can be shown until the sources build: fix the errors above and save again."
    )
    server = PreviewServer(shown, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        status, body, _ = _get(server, "/")
        assert _get(server, "/contact-sheet.pdf")[0] == 404
    finally:
        shown.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert status == 200
    page = _parse(body)
    assert ("html", {"lang": "en-GB"}) in page.tags
    assert any(attrs.get("id") == PANEL_ID for _, attrs in page.tags)
    assert "contacts.yaml:" in "".join(page.text)
    assert "Nothing has built yet. Fix these problems" in "".join(page.text)
    assert "last version" not in "".join(page.text)
    assert [tag for tag, _ in page.tags].count("script") == 1  # it reloads once fixed


def test_a_preview_folder_inside_the_watched_sources_is_refused(sources_copy: Path) -> None:
    result = run_cli(
        "preview", "--sources", sources_copy, "--out", sources_copy / "out", "--no-open"
    )
    assert result.returncode == 2
    assert "inside" in result.stderr and "hint: give an --out folder outside" in result.stderr
    assert not (sources_copy / "out").exists()


def test_the_preview_stops_when_the_process_that_started_it_is_killed(
    sources_copy: Path, tmp_path: Path
) -> None:
    """As when nox is stopped with SIGTERM: nox does not pass it on to the preview."""
    import os
    import signal
    import subprocess
    import sys
    import time

    starter = (
        "import subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-m', 'esafety_docs', *sys.argv[1:]])\n"
        "print(child.pid, flush=True)\n"
        "child.wait()\n"
    )
    command = ["preview", "--sources", sources_copy, "--out", tmp_path / "out"]
    parent = subprocess.Popen(
        [sys.executable, "-c", starter, *map(str, command), "--port", "0", "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None and parent.stderr is not None
    child = int(parent.stdout.readline())
    for line in parent.stderr:
        if line.startswith("Preview at"):
            port = int(line.split(":")[-1].split("/")[0])
            break
    else:
        pytest.fail("the preview never started")
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        try:  # reaped by init or a subreaper only; a zombie of ours cannot be left here
            if os.waitpid(child, os.WNOHANG)[0] == child:
                break
        except ChildProcessError:
            pass
        time.sleep(0.2)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the preview kept running after the process that started it was killed")
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # the port is free again
