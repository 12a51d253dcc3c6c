"""The preview as comms staff use it: a real `esafety-docs preview` process and a
real headless Chromium. Save a file, and the open page changes by itself; break
a file, and the page shows where; fix it, and the preview is back; Ctrl+C, and
nothing is left running. Skipped only where Chromium is absent.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import SKIP_REASON, Guard, chromium, chromium_path
from conftest import ROOT, document_file, no_processes_left_for, raw_yaml

CHROMIUM = chromium_path()
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON), pytest.mark.slow]
OLD_PHONE, NEW_PHONE = "01332 585371", "01332 585372"
WAIT_MS = 20_000  # generous for a busy machine; the benchmark measures the real latency
PANEL = "#esafety-preview-problems"


@dataclass
class Preview:
    process: subprocess.Popen[str]
    url: str = ""
    messages: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None


@pytest.fixture()
def preview(sources_copy: Path, tmp_path: Path) -> Iterator[Preview]:
    """`esafety-docs preview` on a free port, read until it says it is watching."""
    out = tmp_path / "dist"
    command = ["preview", "--sources", sources_copy, "--out", out, "--port", "0", "--no-open"]
    process = subprocess.Popen(
        [sys.executable, "-m", "esafety_docs", *map(str, command)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = Preview(process)
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            running.messages.append(line)
            found = re.search(r"Preview at (http://127\.0\.0\.1:\d+/)", line)
            if found:
                running.url = found.group(1)
            if line.startswith("Watching"):
                ready.set()
        ready.set()

    running.reader = threading.Thread(target=read, daemon=True)
    running.reader.start()
    try:
        assert ready.wait(120) and running.url, "".join(running.messages)
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        running.reader.join(timeout=10)


def test_a_save_shows_in_the_open_page_and_errors_show_over_it(
    preview: Preview, sources_copy: Path, tmp_path: Path
) -> None:
    assert CHROMIUM is not None
    out = tmp_path / "dist"
    contacts = sources_copy / "contacts.yaml"
    good = contacts.read_text(encoding="utf-8")
    sheet = document_file("contact-sheet", "html")
    guard = Guard()
    with chromium(CHROMIUM) as browser:
        page = browser.new_page()
        guard.attach(page)
        response = page.goto(preview.url)
        assert response is not None and response.ok
        expect(page.locator("h1")).to_have_text(str(raw_yaml("pack.yaml")["title"]))
        page.goto(preview.url + sheet)
        main = page.locator("main")
        expect(main).to_contain_text(OLD_PHONE)

        edited = good.replace(OLD_PHONE, NEW_PHONE)
        contacts.write_text(edited, encoding="utf-8")
        expect(main).to_contain_text(NEW_PHONE, timeout=WAIT_MS)  # no reload asked for

        line = next(i for i, t in enumerate(edited.splitlines(), 1) if NEW_PHONE in t)
        broken = edited.replace(f"phone: {NEW_PHONE}\n", f"phone: {NEW_PHONE}\n    fax: 1\n")
        contacts.write_text(broken, encoding="utf-8")
        panel = page.locator(PANEL)
        expect(panel).to_contain_text(f"contacts.yaml:{line + 1}:5", timeout=WAIT_MS)
        expect(panel).to_contain_text("fax: 1")  # the offending line of YAML
        expect(panel).to_contain_text("error")
        expect(main).to_contain_text(NEW_PHONE)  # the last good preview, beneath
        page.screenshot(path=str(_artifacts() / "preview-error-panel.png"))

        contacts.write_text(edited, encoding="utf-8")
        expect(panel).to_have_count(0, timeout=WAIT_MS)
        expect(main).to_contain_text(NEW_PHONE)
        assert guard.outside == []
        page.close()

    for built in (out / "preview").glob("*.html"):
        assert "<script" not in built.read_text(encoding="utf-8"), built.name
    terminal = "".join(preview.messages)
    assert f"contacts.yaml:{line + 1}:5: error:" in terminal
    assert "No errors now" in terminal

    preview.process.send_signal(signal.SIGINT)  # Ctrl+C
    assert preview.process.wait(timeout=30) == 0
    assert preview.reader is not None
    preview.reader.join(timeout=10)  # it ends when the process has closed its output
    assert preview.messages[-1].strip() == "Preview stopped."
    assert "Traceback" not in "".join(preview.messages)
    assert no_processes_left_for(str(out))


def _artifacts() -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder
