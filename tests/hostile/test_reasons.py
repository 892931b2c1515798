"""Every reason a record or file cannot be read is said in each language the site can use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qmsdoc.load.labels import load_labels

PACKAGE = Path(__file__).resolve().parents[2] / "qmsdoc"
KEY = re.compile(r"""\bkey=["']([a-z0-9_]+)["']""")


def _reason_keys() -> set[str]:
    keys: set[str] = set()
    for folder in ("records", "checker"):
        for path in (PACKAGE / folder).glob("*.py"):
            keys.update(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_reason_key_has_a_text(language: str) -> None:
    keys = _reason_keys()
    assert len(keys) > 30, keys
    texts = load_labels(language).texts
    assert sorted(k for k in keys if f"reason_{k}" not in texts) == []
