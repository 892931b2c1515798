"""The README stays true of the code where a test can tell."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from qmsdoc.model.limits import DEFAULT_LIMITS, Limits

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_bound_is_in_the_readme_with_its_default() -> None:
    rows = {line.split("|")[1].strip(" `"): line.split("|")[2].strip() for line in README.splitlines()
            if line.startswith("| `") and line.split("|")[1].strip(" `") in Limits.names()}
    assert sorted(rows) == sorted(Limits.names())
    for field in dataclasses.fields(Limits):
        number, _, unit = rows[field.name].replace(",", "").partition(" ")
        shown = int(number) * (1024 * 1024 if unit == "MiB" else 1)
        assert shown == getattr(DEFAULT_LIMITS, field.name), field.name
