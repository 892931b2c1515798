"""Typed records as canonical JSON text, and back: what the store keeps of a record it has read.

Values keep their types exactly, so a record read back from the store is checked as the file it
came from would be: a date is `{"$date": "2025-04-03"}`, a date-time entry given as a date alone
`{"$dateonly": …}`, a date-time `{"$datetime": "2025-04-03T14:30:00", "tz": "Asia/Shanghai"}`
(its zone by name, or `{"$datetime": "…+08:00"}` with a fixed offset), a number
`{"$decimal": "1.50"}` (as written, trailing zeros kept). Text, booleans, None, signatures and
table rows (mappings of field ids, which never start with `$`) and lists are plain JSON.

`canonical` is the one way JSON is written for storing and hashing: sorted keys, no spaces,
UTF-8 as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from qmsdoc.model.records import DateOnly, FieldProblem, Record

_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(value: Any) -> str:
    return _CANONICAL.encode(value)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encode_value(value: Any) -> Any:
    kind = type(value)
    if kind is str or value is None or kind is bool or kind is int:
        return value
    if kind is dict:
        return {k: encode_value(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [encode_value(v) for v in value]
    if kind is Decimal:
        return {"$decimal": str(value)}
    if kind is dt.date:
        return {"$date": value.isoformat()}
    return _encode_other(value)


def _encode_other(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        zone = value.tzinfo
        if isinstance(zone, ZoneInfo):
            return {"$datetime": value.replace(tzinfo=None).isoformat(), "tz": zone.key}
        return {"$datetime": value.isoformat()}
    if isinstance(value, DateOnly):
        return {"$dateonly": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, float):
        return {"$decimal": repr(value)}
    raise TypeError(f"a record value of type {type(value).__name__} cannot be stored")


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$dateonly" in value:
            day = dt.date.fromisoformat(value["$dateonly"])
            return DateOnly(day.year, day.month, day.day)
        if "$datetime" in value:
            moment = dt.datetime.fromisoformat(value["$datetime"])
            return moment.replace(tzinfo=ZoneInfo(value["tz"])) if "tz" in value else moment
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def encode_record(record: Record) -> str:
    """The record's content as canonical JSON: fields, problems, notes and its own id (not where it was
    read from: the register keeps that apart)."""
    data: dict[str, Any] = {"fields": encode_value(record.fields)}
    if record.problems:
        data["problems"] = [[p.field, p.found, p.message, p.kind, p.key, [list(kv) for kv in p.params]]
                            for p in record.problems]
    if record.notes:
        data["notes"] = list(record.notes)
    if record.record_id is not None:
        data["id"] = record.record_id
    return canonical(data)


def decode_record(data: str, form: str, revision: str, source: str, location: str) -> Record:
    raw = json.loads(data)
    problems = tuple(FieldProblem(field, found, message, kind, key, tuple((k, v) for k, v in params))
                     for field, found, message, kind, key, params in raw.get("problems", ()))
    return Record(form, revision, source, decode_value(raw["fields"]), problems, location,
                  tuple(raw.get("notes", ())), raw.get("id"))


def plain_value(value: Any) -> Any:
    """A stored value as `qmsdoc extract` shows it: ISO dates and date-times, numbers as numbers."""
    decoded = decode_value(value)
    return _jsonable(decoded)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
