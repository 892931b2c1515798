"""`qmsdoc serve`: a read-only static server of the site folder, and nothing outside it.

Only GET and HEAD. A request path is decoded once; it is refused (403) when it holds a `..`
or hidden segment, an encoded slash or backslash, a NUL, or when the file it names resolves
(following symbolic links) outside the site folder. Directories serve their index.html, never
a listing. Content types come from a fixed table, HTML, CSS and JavaScript in UTF-8.
"""

from __future__ import annotations

import shutil
import socket
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DEFAULT_TYPE = "application/octet-stream"
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_ENCODED_SEPARATORS = ("%2f", "%5c", "%00")


class Refused(Exception):
    """A request for something the server does not serve; carries the HTTP status to answer."""

    def __init__(self, status: HTTPStatus):
        super().__init__(status.phrase)
        self.status = status


def resolve_request(site: Path, target: str) -> Path:
    """The file a request target names inside `site` (already resolved), or raise Refused.

    A directory resolves to its index.html. Raises Refused(404) when nothing is there,
    Refused(403) for any attempt to reach outside the site or a hidden file, and
    Refused(400) for a target that is not an origin-form path.
    """
    if not target.startswith("/") or target.startswith("//"):
        raise Refused(HTTPStatus.BAD_REQUEST if not target.startswith("/") else HTTPStatus.FORBIDDEN)
    raw = urlsplit(target).path
    if any(enc in raw.lower() for enc in _ENCODED_SEPARATORS):
        raise Refused(HTTPStatus.FORBIDDEN)
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise Refused(HTTPStatus.BAD_REQUEST) from None
    if "\\" in path or "\x00" in path:
        raise Refused(HTTPStatus.FORBIDDEN)
    segments = [s for s in path.split("/") if s]
    if any(s.startswith(".") for s in segments):
        raise Refused(HTTPStatus.FORBIDDEN)
    candidate = site.joinpath(*segments)
    try:
        resolved = candidate.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise Refused(HTTPStatus.NOT_FOUND) from None
    except (OSError, RuntimeError):
        raise Refused(HTTPStatus.FORBIDDEN) from None
    if not resolved.is_relative_to(site):
        raise Refused(HTTPStatus.FORBIDDEN)
    if resolved.is_dir():
        index = resolved / "index.html"
        if not index.is_file():
            raise Refused(HTTPStatus.NOT_FOUND)
        return index
    if not resolved.is_file():
        raise Refused(HTTPStatus.NOT_FOUND)
    return resolved


class SiteHandler(BaseHTTPRequestHandler):
    """Serves files of `site` (set on the subclass made by make_server)."""

    site: Path
    quiet = False
    server_version = "qmsdoc"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _refuse_method(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse_method

    def _serve(self, *, body: bool) -> None:
        try:
            path = resolve_request(self.site, self.path)
        except Refused as refused:
            self._error(refused.status, body=body)
            return
        if path.name == "index.html" and not urlsplit(self.path).path.endswith(("/", ".html")):
            self._redirect(urlsplit(self.path).path + "/")
            return
        try:
            handle = path.open("rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, body=body)
            return
        with handle:
            size = path.stat().st_size
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix.lower(), DEFAULT_TYPE))
            self.send_header("Content-Length", str(size))
            self._common_headers()
            self.end_headers()
            if body:
                shutil.copyfileobj(handle, self.wfile)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Referrer-Policy", "no-referrer")

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _error(self, status: HTTPStatus, *, body: bool) -> None:
        data = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self._common_headers()
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, *, quiet: bool = False) -> ThreadingHTTPServer:
    """A server for `site`, bound but not yet serving (call serve_forever). Port 0 picks a free one."""
    handler = type("BoundSiteHandler", (SiteHandler,), {"site": site.resolve(), "quiet": quiet})
    server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
    server = server_class((host, port), handler)
    server.daemon_threads = True
    return server


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
