"""`qmsdoc serve`: a read-only static server of the site folder, and nothing outside it.

Only GET and HEAD. A request path is decoded once; it is refused (403) when it holds a `..`
or hidden segment, an encoded slash or backslash, a NUL, or when the file it names resolves
(following symbolic links) outside the site folder. Directories serve their index.html, never
a listing. Content types come from a fixed table, HTML, CSS and JavaScript in UTF-8.

It stays a preview server, but one that many clients at once cannot stall: one thread accepts
connections and reads their request heads without blocking, and only a complete head is handed
to a bounded pool of workers. A client that sends part of a request and waits holds no worker;
it is closed when its head has not arrived within the timeout, and each read or write after
that has the same timeout. Open connections are bounded, and the listen backlog is large.
"""

from __future__ import annotations

import contextlib
import io
import selectors
import shutil
import socket
import socketserver
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
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

REQUEST_TIMEOUT = 10.0
"""Seconds a client has to send its request line and headers, and for each read or write after."""
WORKERS = 16
"""Threads answering requests; a connection gets one only once its whole request head is in."""
BACKLOG = 1024
"""Connections the kernel queues before the server accepts them."""
MAX_CONNECTIONS = 1024
"""Connections open at once (sending their head, waiting for a worker or being answered);
a connection beyond them is closed as soon as it is accepted."""
MAX_HEAD = 64 * 1024
"""Bytes of a request line and headers; a longer head is answered 431 and closed."""
_TOO_LARGE = (b"HTTP/1.0 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
              b"Connection: close\r\n\r\n")


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
    """Serves files of `site` (set on the subclass made by make_server), one request per connection.

    The request head has already been read by the server (`head`); the answer goes to the socket.
    """

    site: Path
    quiet = False
    server_version = "qmsdoc"
    sys_version = ""

    def __init__(self, request: socket.socket, client_address: Any, server: socketserver.BaseServer,
                 *, head: bytes = b"") -> None:
        self.head = head
        super().__init__(request, client_address, server)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BytesIO(self.head)

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


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, *, quiet: bool = False,
                timeout: float = REQUEST_TIMEOUT, workers: int = WORKERS) -> PreviewServer:
    """A server for `site`, bound but not yet serving (call serve_forever). Port 0 picks a free one.

    `timeout` is the seconds a client has to send its request head (and for each read or write
    after it); `workers` the threads that answer requests.
    """
    handler = type("BoundSiteHandler", (SiteHandler,), {"site": site.resolve(), "quiet": quiet})
    return PreviewServer((host, port), handler, timeout=timeout, workers=workers)


@dataclass
class _Pending:
    """A connection still sending its request head: who, until when, and what came so far."""

    address: Any
    deadline: float
    head: bytearray = field(default_factory=bytearray)


class PreviewServer(socketserver.TCPServer):
    """Reads request heads in the serving thread, answers them in a bounded pool of workers.

    serve_forever() runs the accepting loop: it accepts connections, reads what they send
    without blocking until an empty line ends the head, then hands the connection and its head
    to a worker. Connections whose head has not come within `timeout` are closed there.
    """

    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[SiteHandler], *, timeout: float = REQUEST_TIMEOUT,
                 workers: int = WORKERS, backlog: int = BACKLOG, max_connections: int = MAX_CONNECTIONS):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.request_queue_size = backlog
        super().__init__(address, handler)
        self.socket.setblocking(False)
        self.handler = handler
        self.request_timeout = timeout
        self._workers = ThreadPoolExecutor(workers, thread_name_prefix="qmsdoc-serve")
        self._slots = threading.BoundedSemaphore(max_connections)
        self._pending: dict[socket.socket, _Pending] = {}
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.socket, selectors.EVENT_READ)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self, poll_interval: float = 0.1) -> None:
        """Accept, read heads and dispatch until shutdown(); `poll_interval` bounds how late a
        timed-out connection is closed and how long shutdown() waits."""
        self._stopped.clear()
        try:
            while not self._stop.is_set():
                for key, _ in self._selector.select(poll_interval):
                    if key.data is None:
                        self._accept()
                    else:
                        self._read(key.data)
                self._expire()
        finally:
            self._stop.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serve_forever(), from another thread, and wait until it has stopped."""
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and the connections still sending their head; the workers
        finish the requests they have."""
        for conn in list(self._pending):
            self._drop(conn)
        self._selector.close()
        super().server_close()
        self._workers.shutdown()

    def _accept(self) -> None:
        while True:
            try:
                conn, address = self.socket.accept()
            except OSError:  # nothing more to accept (or the accept failed): back to the loop
                return
            if not self._slots.acquire(blocking=False):
                conn.close()
                continue
            conn.setblocking(False)
            self._pending[conn] = _Pending(address, time.monotonic() + self.request_timeout)
            self._selector.register(conn, selectors.EVENT_READ, conn)

    def _read(self, conn: socket.socket) -> None:
        pending = self._pending[conn]
        try:
            chunk = conn.recv(MAX_HEAD + 1 - len(pending.head))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away before its request was complete
            self._drop(conn)
            return
        pending.head += chunk
        start = max(0, len(pending.head) - len(chunk) - 2)
        if pending.head.find(b"\n\r\n", start) >= 0 or pending.head.find(b"\n\n", start) >= 0:
            self._selector.unregister(conn)
            del self._pending[conn]
            self._workers.submit(self._answer, conn, pending.address, bytes(pending.head))
        elif len(pending.head) > MAX_HEAD:
            with contextlib.suppress(OSError):
                conn.send(_TOO_LARGE)
            self._drop(conn)

    def _expire(self) -> None:
        now = time.monotonic()
        for conn in [c for c, p in self._pending.items() if p.deadline <= now]:
            self._drop(conn)

    def _drop(self, conn: socket.socket) -> None:
        """Close a connection that is still sending its head."""
        self._selector.unregister(conn)
        del self._pending[conn]
        conn.close()
        self._slots.release()

    def _answer(self, conn: socket.socket, address: Any, head: bytes) -> None:
        """In a worker: answer the request and close the connection."""
        try:
            conn.settimeout(self.request_timeout)
            self.handler(conn, address, self, head=head)
        except OSError:  # the client went away or stopped reading
            pass
        except Exception:
            self.handle_error(conn, address)
        finally:
            self.shutdown_request(conn)
            self._slots.release()
