"""Local web servers for the link checker's tests: every case a real site can show.

Everything listens on 127.0.0.1 and nothing else is contacted. HTTPS uses a
certificate from a throwaway certificate authority that only the test trusts.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

REDIRECTS = {
    "/moved": (301, "/moved-again"),
    "/moved-again": (308, "/ok"),
    "/elsewhere": (302, "/ok"),
    "/moved-then-elsewhere": (301, "/elsewhere"),
    "/moved-to-missing": (301, "/missing"),
    "/loop-a": (302, "/loop-b"),
    "/loop-b": (302, "/loop-a"),
}
STATUSES = {"/missing": 404, "/gone": 410, "/forbidden": 403}


class Log:
    """What the servers were asked, and how many requests were in flight at most."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, float]] = []  # (method, path, time)
        self.in_flight = 0
        self.most_in_flight = 0

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for _, p, _ in self.requests if p == path)

    def methods(self, path: str) -> list[str]:
        with self.lock:
            return [m for m, p, _ in self.requests if p == path]

    def times(self, path: str) -> list[float]:
        with self.lock:
            return [t for _, p, t in self.requests if p == path]

    def paths(self) -> Counter[str]:
        with self.lock:
            return Counter(p for _, p, _ in self.requests)


def answer(path: str, method: str, seen: int) -> tuple[int, dict[str, str]]:
    """(status, headers) for a request; `seen` counts the earlier requests for `path`."""
    if path in REDIRECTS:
        status, target = REDIRECTS[path]
        return status, {"Location": target}
    if path in STATUSES:
        return STATUSES[path], {}
    if path == "/busy":  # rate limited once, then fine
        return (429, {"Retry-After": "1"}) if seen == 0 else (200, {})
    if path == "/slow-down":  # asks for longer than anyone should wait
        return 429, {"Retry-After": "3600"}
    if path == "/no-head":
        return (405, {"Allow": "GET"}) if method == "HEAD" else (200, {})
    if path == "/flaky":  # one momentary failure
        return (503, {}) if seen == 0 else (200, {})
    if path.startswith("/slow/"):
        time.sleep(0.3)
        return 200, {}
    if path in ("/ok", "/once") or path.startswith(("/private/", "/page/")):
        return 200, {}
    return 404, {}


def _handler(log: Log) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self._reply()

        def do_GET(self) -> None:
            self._reply()

        def _reply(self) -> None:
            with log.lock:
                seen = sum(1 for _, p, _ in log.requests if p == self.path)
                log.requests.append((self.command, self.path, time.monotonic()))
                log.in_flight += 1
                log.most_in_flight = max(log.most_in_flight, log.in_flight)
            try:
                status, headers = answer(self.path, self.command, seen)
            finally:
                with log.lock:
                    log.in_flight -= 1
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def web_server(log: Log, certificate: trustme.LeafCert | None = None) -> Iterator[str]:
    """Serve `answer` on 127.0.0.1; yields the base address (https:// with a certificate)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(log))
    server.daemon_threads = True
    scheme = "http"
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certificate.configure_cert(context)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def silent_server() -> Iterator[str]:
    """A port that takes connections (the kernel's backlog does) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def closed_port() -> str:
    """An address on which nothing listens: connecting is refused."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


def local_names_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve 127.0.0.1 only; every other name fails as an unknown site's would.
    Proxies are switched off, so every request goes straight to these servers."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str | bytes | None, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else host
        if name != "127.0.0.1":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)
