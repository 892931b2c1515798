"""Every record a run read and the rules applied to it, kept compactly: `Report.checked`.

A run over a million records keeps one entry per record for the whole run (the JUnit report,
the Word audit report and the store list them). As a tuple of (RecordRef, codes) pairs that is
two tuples and a line-number string per record, about 200 bytes; here a record is a line number
in an array, its record id, and the index of its (source, form, revision, rules applied), which
few records differ in. The pairs are made again as they are read, equal to the ones stored.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import Any, overload

from qmsdoc.model.findings import RecordRef

Entry = tuple[RecordRef, tuple[str, ...]]
_TEXT = -1
"""A location that is not a plain line number ("#3", "row 2", ""): kept as text in `_texts`."""


class CheckedRecords(Sequence[Entry]):
    """A sequence of (RecordRef, rule codes), equal to the tuple of the same pairs."""

    __slots__ = ("_ids", "_index", "_key", "_keys", "_line", "_texts")

    def __init__(self, entries: Sequence[Entry] = ()) -> None:
        self._index: dict[tuple[str, str | None, str | None, tuple[str, ...]], int] = {}
        self._keys: list[tuple[str, str | None, str | None, tuple[str, ...]]] = []
        self._key = array("L")
        self._line = array("q")
        self._texts: dict[int, str] = {}
        self._ids: list[str | None] = []
        for ref, codes in entries:
            self.append(ref.source, ref.location, ref.form, ref.revision, ref.record_id, codes)

    def append(self, source: str, location: str, form: str | None, revision: str | None, record_id: str | None,
               codes: tuple[str, ...]) -> None:
        self._key.append(self._key_of((source, form, revision, codes)))
        if len(location) <= 18 and location.isdigit() and location.isascii() and str(int(location)) == location:
            self._line.append(int(location))
        else:
            self._texts[len(self._line)] = location
            self._line.append(_TEXT)
        self._ids.append(record_id)

    def extend(self, other: CheckedRecords, skip: Sequence[int] = ()) -> int:
        """Every record of `other` (a unit's records, from a worker) after these, but those at the indexes
        in `skip` (sorted); the index the first of them now has (see `position`). Its arrays are taken
        whole, or filtered; only its few distinct keys are looked up."""
        base = len(self)
        if not len(other):
            return base
        keys = [self._key_of(key) for key in other._keys]
        if not skip:
            self._key.extend(array("L", [keys[k] for k in other._key]))
            self._line.extend(other._line)
            self._texts.update({base + i: text for i, text in other._texts.items()})
            self._ids.extend(other._ids)
            return base
        left_out = set(skip)
        kept = [i for i in range(len(other)) if i not in left_out]
        key, line, ids = other._key, other._line, other._ids
        self._key.extend(array("L", [keys[key[i]] for i in kept]))
        self._line.extend(array("q", [line[i] for i in kept]))
        self._texts.update({position(base, skip, i): text for i, text in other._texts.items() if i not in left_out})
        self._ids.extend([ids[i] for i in kept])
        return base

    def add_rules(self, index: int, codes: Sequence[str]) -> None:
        """Rules of the whole set applied to the record at `index`, after the ones already listed."""
        source, form, revision, before = self._keys[self._key[index]]
        self._key[index] = self._key_of((source, form, revision, tuple(dict.fromkeys((*before, *codes)))))

    def _key_of(self, key: tuple[str, str | None, str | None, tuple[str, ...]]) -> int:
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self._keys)
            self._keys.append(key)
        return index

    def __len__(self) -> int:
        return len(self._line)

    def _entry(self, i: int) -> Entry:
        source, form, revision, codes = self._keys[self._key[i]]
        line = self._line[i]
        location = self._texts[i] if line == _TEXT else str(line)
        return RecordRef(source, location, form, revision, self._ids[i]), codes

    @overload
    def __getitem__(self, i: int) -> Entry: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Entry, ...]: ...

    def __getitem__(self, i: int | slice) -> Entry | tuple[Entry, ...]:
        if isinstance(i, slice):
            return tuple(self._entry(k) for k in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("record index out of range")
        return self._entry(i)

    def __iter__(self) -> Iterator[Entry]:
        keys, texts, ids = self._keys, self._texts, self._ids
        for i, (k, line) in enumerate(zip(self._key, self._line, strict=True)):
            source, form, revision, codes = keys[k]
            yield RecordRef(source, texts[i] if line == _TEXT else str(line), form, revision, ids[i]), codes

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CheckedRecords | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CheckedRecords({len(self)} records)"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its arrays and lists (a unit's records go from a worker to the run this way)."""
        return (_restored, (self._keys, self._key, self._line, self._texts, self._ids))


def position(base: int, skip: Sequence[int], index: int) -> int:
    """Where the record at `index` of a unit taken by `CheckedRecords.extend(unit, skip)` now is, `base`
    being what `extend` returned (`index` not in `skip`)."""
    return base + index - bisect_left(skip, index)


def _restored(keys: list[tuple[str, str | None, str | None, tuple[str, ...]]], key: array[int], line: array[int],
              texts: dict[int, str], ids: list[str | None]) -> CheckedRecords:
    made = CheckedRecords()
    made._keys, made._key, made._line, made._texts, made._ids = keys, key, line, texts, ids
    made._index = {k: i for i, k in enumerate(keys)}
    return made
