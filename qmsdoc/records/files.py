"""Reading a submitted file: a regular file, its size known from the file system before reading.

A FIFO, device or socket is never read (opening one for reading could block forever or never
end); the check is made on the opened descriptor, so a file swapped for a FIFO between a look
and the open is refused too. A file over the size bound is refused before any byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from qmsdoc.model.limits import LimitExceeded
from qmsdoc.model.records import RecordError


def display_path(path: Path | str) -> str:
    """A path as text that can always be printed: bytes that are not UTF-8 in a file name
    (kept by Python as surrogates) are shown as \\xNN escapes."""
    text = path.as_posix() if isinstance(path, Path) else path
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def open_regular(path: Path, limit: int, source: str) -> BinaryIO:
    """The regular file at `path`, open to be read (piece by piece if need be), when it has at most
    `limit` bytes; RecordError otherwise. The checks are made on the open descriptor, opened
    without blocking, so a FIFO or device is never read."""
    return _open_sized(path, limit, source)[0]


def _open_sized(path: Path, limit: int, source: str) -> tuple[BinaryIO, int]:
    """`open_regular`, and the file's size as the open descriptor gives it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _unreadable(source, exc) from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise _unreadable(source, exc) from None
    if stat.S_ISREG(info.st_mode) and info.st_size <= limit:
        return os.fdopen(fd, "rb"), info.st_size
    os.close(fd)
    if not stat.S_ISREG(info.st_mode):
        raise RecordError(source, "not a regular file (a folder, FIFO, device or socket): not read",
                          key="not_regular")
    raise _too_large(source, limit, info.st_size, f"file of {info.st_size} bytes")


def read_bounded(path: Path, limit: int, source: str) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; RecordError otherwise.

    The file is read for the size the file system gives and one byte more, not for `limit`: a read
    asks for a buffer of the size it is given (25 MiB by default), which cost more than reading a
    filled form. A file longer than its size said (it grew, or the file system does not know its
    size) is read on, to the bound."""
    fh, size = _open_sized(path, limit, source)
    with fh:
        try:
            data = fh.read(size + 1)
            if len(data) > size:
                data += fh.read(limit + 1 - len(data))
        except OSError as exc:
            raise _unreadable(source, exc) from None
    if len(data) > limit:  # grew while being read
        raise _too_large(source, limit, len(data), "file grew past the limit")
    return data


def _too_large(source: str, limit: int, size: int, what: str) -> RecordError:
    return RecordError(source, str(LimitExceeded("record_file_bytes", limit, what)),
                       key="too_large", size=size, limit=limit)


def _unreadable(source: str, exc: OSError) -> RecordError:
    reason = "permission denied" if exc.errno in (errno.EACCES, errno.EPERM) else (exc.strerror or str(exc))
    return RecordError(source, f"cannot be read: {reason}", key="cannot_read", reason=reason)
