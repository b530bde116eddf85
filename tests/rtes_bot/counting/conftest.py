"""Fixtures of the counting tests: every dataset is read from tests/data/elections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import paths

DATA = paths.ELECTIONS


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((DATA / "expected_results.json").read_text(encoding="utf-8"))
