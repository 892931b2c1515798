"""`qmsdoc serve` under load: many clients at once, and clients that send half a request and wait.

Every client here talks to 127.0.0.1 only; every loop is bounded in count, and every wait in time.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from qmsdoc.portal.serve import MAX_HEAD, make_server

HOST = "127.0.0.1"
TIMEOUT = 3.0
"""The server's request timeout in these tests, seconds."""
TARGETS = ("/index.html", "/archive.html", "/assets/portal.css", "/assets/portal.js",
           "/files/forms/SJE-JL-GK-90-01_A-0.docx")
PARTIAL = b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n"
"""A request head without the empty line that ends it."""


@contextmanager
def server(site: Path, workers: int) -> Iterator[int]:
    """The server on a free port of 127.0.0.1 in a thread, with the short timeout; yields the port."""
    srv = make_server(site, HOST, 0, quiet=True, timeout=TIMEOUT, workers=workers)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def fetch(port: int, target: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def closed_by_server(sock: socket.socket, wait: float) -> bool:
    """Whether the server closes `sock` within `wait` seconds, sending nothing before."""
    sock.settimeout(wait)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def still_open(sock: socket.socket) -> bool:
    """Whether `sock` is open and nothing has come from the server (without waiting)."""
    sock.setblocking(False)
    try:
        sock.recv(1)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)
    return False


@pytest.fixture(scope="module")
def expected(mixed_site: Path) -> dict[str, bytes]:
    return {t: (mixed_site / t.lstrip("/")).read_bytes() for t in TARGETS}


def test_200_concurrent_clients_all_get_the_right_bytes(mixed_site: Path, expected: dict[str, bytes]) -> None:
    clients = 200
    start = threading.Barrier(clients, timeout=20)

    def client(k: int) -> tuple[str, int, bytes]:
        target = TARGETS[k % len(TARGETS)]
        start.wait()  # all connect at once
        return (target, *fetch(port, target))

    with server(mixed_site, workers=8) as port, ThreadPoolExecutor(clients) as pool:
        t0 = time.monotonic()
        answers = list(pool.map(client, range(clients), timeout=60))
        elapsed = time.monotonic() - t0
    assert len(answers) == clients
    for target, status, body in answers:
        assert (status, body == expected[target]) == (200, True), target
    assert elapsed < 30


def test_held_partial_requests_neither_block_others_nor_stay_open(mixed_site: Path, expected: dict[str, bytes]) -> None:
    held_count, workers = 150, 4
    with server(mixed_site, workers=workers) as port, ExitStack() as stack:
        held = []
        for _ in range(held_count):
            sock = stack.enter_context(socket.create_connection((HOST, port), timeout=5))
            sock.sendall(PARTIAL)
            held.append(sock)
        opened = time.monotonic()
        # far more held connections than workers, and normal requests are still answered at once
        with ThreadPoolExecutor(10) as pool:
            for _ in range(3):
                t0 = time.monotonic()
                answers = list(pool.map(lambda t: fetch(port, t), TARGETS * 2, timeout=10))
                assert time.monotonic() - t0 < TIMEOUT / 2
                assert answers == [(200, expected[t]) for t in TARGETS * 2]
        assert time.monotonic() - opened < TIMEOUT
        assert all(still_open(sock) for sock in held)  # they were held while the others were answered
        # then the timeout closes every one of them, without an answer
        assert all(closed_by_server(sock, TIMEOUT + 3) for sock in held)
        assert time.monotonic() - opened < TIMEOUT + 3
        assert fetch(port, "/index.html") == (200, expected["/index.html"])


def test_a_head_sent_byte_by_byte_is_cut_off_at_the_timeout(mixed_site: Path) -> None:
    """The timeout bounds the whole head, not the gap between two bytes of it."""
    with server(mixed_site, workers=2) as port, socket.create_connection((HOST, port), timeout=5) as sock:
        t0 = time.monotonic()
        for k in range(int((TIMEOUT + 3) / 0.1)):
            try:
                sock.sendall(PARTIAL[k % len(PARTIAL):][:1])
            except OSError:
                break
            if not still_open(sock):
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - t0
    assert TIMEOUT - 0.2 < elapsed < TIMEOUT + 1


def test_an_oversized_head_is_refused(mixed_site: Path) -> None:
    with server(mixed_site, workers=2) as port, socket.create_connection((HOST, port), timeout=5) as sock:
        with contextlib.suppress(OSError):  # the server may close before all is sent
            sock.sendall(b"GET / HTTP/1.1\r\nX-Filler: " + b"a" * (MAX_HEAD + 10))
        sock.settimeout(5)
        answer = b""
        try:
            while chunk := sock.recv(4096):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer == b"" or answer.startswith(b"HTTP/1.0 431"), answer[:40]
