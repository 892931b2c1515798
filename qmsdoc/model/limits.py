"""Bounds on everything that untrusted input could make unbounded.

Submitted records come from anyone, and sources from anyone with commit rights: no input may
cost minutes or gigabytes. Every bound has a name (the key under `limits:` in qmsdoc.yaml), a
default, and an error that names it, so a refusal says which bound was hit and how to raise it.
A bound is checked before the work it limits is spent (a file's size from the file system
before reading it, a number's digits before converting it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds in force; qmsdoc.yaml `limits:` may change any of them."""

    # -- submitted records ---------------------------------------------------------------
    record_file_bytes: int = 25 * MIB
    """A submitted file (filled .docx, JSON, JSON Lines, YAML or CSV), from the file system."""
    line_bytes: int = 1 * MIB
    """One JSON Lines line or CSV row."""
    units_per_file: int = 100_000
    """Records (lines, rows, documents, array items) read from one export file."""
    csv_columns: int = 2_000
    """Columns of a CSV header."""
    package_members: int = 5_000
    """Parts in a .docx package."""
    part_bytes: int = 64 * MIB
    """One part of a .docx, decompressed."""
    package_bytes: int = 256 * MIB
    """All parts of a .docx together, decompressed."""
    xml_elements: int = 500_000
    """Elements in one XML part of a .docx."""
    xml_depth: int = 200
    """Nesting depth of elements in one XML part."""
    runs_per_paragraph: int = 10_000
    """Text runs (and tracked-change wrappers) in one paragraph or content control."""
    nesting_depth: int = 64
    """Nesting of arrays and objects in JSON and YAML records."""
    number_digits: int = 40
    """Digits of a number in a record (an integer of more digits is refused before it is converted)."""
    number_exponent: int = 30
    """Largest power of ten of a number in a record (1e30); smaller than 1e-30 is refused too."""
    year_min: int = 1900
    """Earliest year of a date in a record."""
    year_max: int = 2200
    """Latest year of a date in a record."""
    findings_per_record: int = 100
    """Findings reported for one record (or one file's unreadable lines); then one "and N more"."""

    # -- sources ---------------------------------------------------------------------------
    source_bytes: int = 4 * MIB
    """One source file (procedure, form, rules, qmsdoc.yaml), from the file system."""
    template_output_chars: int = 2_000_000
    """Text a procedure body or form instructions template may produce and work through: each
    value it prints, reads or computes counts by its length, and each loop iteration by the
    size of the loop's body."""
    template_loop_iterations: int = 100_000
    """Iterations of all `for` loops in one template, together."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


DEFAULT_LIMITS = Limits()


class LimitExceeded(ValueError):
    """An input went past a bound: `name` is the bound (a key of `limits:`), `limit` its value."""

    def __init__(self, name: str, limit: object, what: str):
        self.name = name
        self.limit = limit
        super().__init__(f"{what} (limit {name}: {limit}; raise it under limits: in qmsdoc.yaml)")
