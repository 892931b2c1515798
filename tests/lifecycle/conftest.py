"""Fixtures for the lifecycle tests: the issue's scenario, walked once per session."""

from __future__ import annotations

import pytest

from lifecycle.walk import Walk, walk


@pytest.fixture(scope="session")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Walk:
    return walk(tmp_path_factory.mktemp("lifecycle"))
