"""The test run stays on this machine: a socket may connect to loopback or a local (Unix) socket only.

Everything a test needs from outside (the JUnit and SARIF schemas) is fetched by the set-up step
before pytest starts, and the OOXML schemas are kept in the repository, so a connection to any
other address is a test that reaches the network: it fails at once, naming the address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkUsed(RuntimeError):
    """A test tried to connect somewhere other than this machine."""


def is_local(address: Any) -> bool:
    """True for a Unix socket path or a loopback host (by name or address)."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX path (str or bytes)
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def offline() -> Iterator[None]:
    """Refuse every connection that leaves the machine while the block runs."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if not is_local(address):
            raise NetworkUsed(f"a test tried to reach the network: {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not is_local(address):
            raise NetworkUsed(f"a test tried to reach the network: {address!r}")
        return real_connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
