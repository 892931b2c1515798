"""Reading a submitted file whole: exactly its bytes, read for the size the file system gives,
and on past it when the file holds more than that size said, up to the bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qmsdoc.model.records import RecordError
from qmsdoc.records import files
from qmsdoc.records.files import read_bounded


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65537, 1000])
def test_exact_bytes_at_any_size(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "r.docx"
    path.write_bytes(data)
    assert read_bounded(path, 1000 if size <= 1000 else size, "r.docx") == data


def test_over_the_bound_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(RecordError) as caught:
        read_bounded(path, 1000, "r.docx")
    assert caught.value.key == "too_large"


class _Understated:
    """os.fstat as for a file that was shorter when its size was taken than when it is read (it
    grew, or, as in /proc, the file system gives no size)."""

    def __init__(self, size: int):
        self.size = size
        self.real = os.fstat

    def __call__(self, fd: int) -> os.stat_result:
        info = self.real(fd)
        values = list(info)
        values[6] = self.size  # st_size
        return os.stat_result(values)


@pytest.mark.parametrize("said", [0, 1, 500])
def test_a_file_longer_than_its_size_said_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        said: int) -> None:
    data = os.urandom(3000)
    path = tmp_path / "r.json"
    path.write_bytes(data)
    monkeypatch.setattr(files.os, "fstat", _Understated(said))
    assert read_bounded(path, 5000, "r.json") == data


def test_a_file_longer_than_its_size_said_is_still_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(b"x" * 6000)
    monkeypatch.setattr(files.os, "fstat", _Understated(10))
    with pytest.raises(RecordError) as caught:
        read_bounded(path, 5000, "r.json")
    assert caught.value.key == "too_large"
    assert "grew" in caught.value.message
