"""The preview's web server: the preview folder on 127.0.0.1, and nothing else.

Only plain file names directly inside the preview folder are served; any other
path (`..`, encoded slashes, hidden files, other hosts' names) is refused. HTML
responses get a small script that reloads the page when what it shows changes,
and, while the sources have errors, the problems panel: both are added to the
response only, so the files on disk stay free of script. The script listens to
server-sent events; the server compares the page's tag (a digest of the bytes
it was served and of the panel) with the current one, so a page never misses
a change, even one made while it was loading.
"""

from __future__ import annotations

import errno
import hashlib
import http.server
import json
import mimetypes
import re
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..building.pipeline import publish
from ..render.html.download import INDEX

EVENTS = "/__preview__/events"
KEEP_ALIVE_SECONDS = 15.0
# The preview folder is flat: a file name, never a path, and never a hidden file.
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RELOAD_SCRIPT = """<script>
(function () {
  var events = new EventSource("%s?page=" + encodeURIComponent(%s) + "&tag=" + %s);
  events.addEventListener("reload", function () { events.close(); location.reload(); });
})();
</script>
"""
_NOTHING_BUILT = (
    '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
    "<title>Preview: the sources have errors</title>\n</head>\n<body>\n"
    "<main><h1>Nothing to preview yet</h1><p>The pack has not built yet.</p></main>\n"
    "</body>\n</html>\n"
)


def file_name(url_path: str) -> str | None:
    """The preview file a request path names (`/` is the download page), or None when
    the path would lead anywhere but a file directly inside the preview folder."""
    if url_path == "/":
        return INDEX
    if not url_path.startswith("/"):
        return None
    name = unquote(url_path[1:], errors="replace")
    return name if _FILE_NAME.fullmatch(name) else None


class Shown:
    """What the server shows: the preview folder and the problems panel laid over it.

    `publish` swaps in a new folder under a lock, and requests read a file whole under
    the same lock, so each sees the old folder or the new one, and no open file can
    stop the swap (Windows will not rename a folder holding one). Every change wakes
    the event streams.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._generation = 0
        self._panel = ""
        self.closing = False

    def publish(self, staging: Path) -> None:
        """Put a finished build in place and take the problems panel down."""
        with self._lock:
            publish(staging, self.folder)
            self._panel = ""
        self._notify()

    def show_problems(self, panel: str) -> None:
        """Lay `panel` (HTML) over every page until the next publish."""
        with self._lock:
            self._panel = panel
        self._notify()

    def read(self, name: str) -> tuple[bytes | None, str]:
        """A file's bytes (None if there is no such file) and the current panel."""
        with self._lock:
            try:
                return (self.folder / name).read_bytes(), self._panel
            except OSError:
                return None, self._panel

    def tag(self, name: str) -> str:
        return page_tag(*self.read(name))

    @property
    def generation(self) -> int:
        with self._changed:
            return self._generation

    def wait(self, seen: int, timeout: float) -> bool:
        """Wait until something changes after generation `seen`; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._generation != seen or self.closing, timeout)

    def close(self) -> None:
        """End every event stream (the server is stopping)."""
        self.closing = True
        self._notify()

    def _notify(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()


def page_tag(data: bytes | None, panel: str) -> str:
    """Changes whenever a page would look different: its bytes or the panel over it."""
    digest = hashlib.sha256(b"missing" if data is None else b"file\0" + data)
    digest.update(panel.encode("utf-8"))
    return digest.hexdigest()[:32]


def decorate(page: bytes, name: str, panel: str, tag: str) -> bytes:
    """The page as served: the panel first in <body>, the reload script last."""
    text = page.decode("utf-8", errors="replace")
    script = _RELOAD_SCRIPT % (EVENTS, json.dumps(name), json.dumps(tag))
    opening = re.search(r"<body[^>]*>", text)
    at = opening.end() if opening else 0
    text = text[:at] + panel + text[at:]
    closing = text.rfind("</body>")
    at = closing if closing >= 0 else len(text)
    return (text[:at] + script + text[at:]).encode("utf-8")


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves one `Shown` on 127.0.0.1; port 0 takes any free port."""

    daemon_threads = True
    # Elsewhere SO_REUSEADDR only lets a restarted preview take its port back at
    # once; on Windows it would let two servers share a port, hiding a clash.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, shown: Shown, port: int) -> None:
        self.shown = shown
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def port_in_use(error: OSError) -> bool:
    return error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "esafety-docs-preview"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for rebuilds and problems, not for every request."""

    def _respond(self, with_body: bool) -> None:
        if not self._host_allowed():
            self.send_error(403, "Only this computer's own address is served")
            return
        parts = urlsplit(self.path)
        if parts.path == EVENTS and with_body:
            self._events(parse_qs(parts.query))
            return
        name = file_name(parts.path)
        if name is None:
            self.send_error(403, "Only files in the preview folder are served")
            return
        shown = self.server.shown
        data, panel = shown.read(name)
        tag = page_tag(data, panel)
        if data is None and not (panel and name.endswith(".html")):
            self.send_error(404, "No such file in the preview")
            return
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".html"):
            content_type = "text/html; charset=utf-8"
            data = decorate(data or _NOTHING_BUILT.encode(), name, panel, tag)
        assert data is not None
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _host_allowed(self) -> bool:
        """Refuse other host names, so no web site can reach the preview by pointing
        its own name at this computer (DNS rebinding)."""
        host = self.headers.get("Host")
        port = self.server.port
        return host is None or host in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _events(self, query: dict[str, list[str]]) -> None:
        """Server-sent events: `reload` once the page's tag is no longer current."""
        name = file_name("/" + query.get("page", [""])[0])
        tag = query.get("tag", [""])[0]
        if name is None:
            self.send_error(403, "Only files in the preview folder are watched")
            return
        shown = self.server.shown
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not shown.closing:
                seen = shown.generation
                if shown.tag(name) != tag:
                    self.wfile.write(b"event: reload\ndata: \n\n")
                    self.wfile.flush()
                    return
                if not shown.wait(seen, KEEP_ALIVE_SECONDS):
                    self.wfile.write(b": waiting for changes\n\n")  # notices a closed tab
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
