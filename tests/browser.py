"""A real browser for the tests: the system's Chromium driven by playwright, and a
static server on 127.0.0.1 only. Nothing is downloaded; pages may fetch only
from that server, and every other request is refused and recorded."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = (
    "Chromium is not installed (looked for /usr/bin/chromium); install it with "
    "`apt-get install -y chromium`, as .ci/run does, to run the browser tests"
)


def chromium_path() -> str | None:
    """The system Chromium, or None when it is absent (the only reason to skip)."""
    for candidate in (*CHROMIUM_PATHS, shutil.which("chromium") or ""):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium(executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Guard:
    """Refuses, and records, every request that does not go to the loopback server."""

    def __init__(self) -> None:
        self.outside: list[str] = []

    def attach(self, page: Page) -> None:
        page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme == "data" or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def open_page(browser: Browser, guard: Guard, url: str, width: int = 1280) -> Page:
    """A new page `width` pixels wide at `url`, every request outside refused by
    `guard`, a dialog a failure; the response must be a success."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    guard.attach(page)
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    response = page.goto(url)
    assert response is not None and response.ok, url
    return page
