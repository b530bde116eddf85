"""Shared loaders for the counting tests: every dataset is read from tests/data/elections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rtes_bot.counting import Ballot
from tests.support import paths

DATA = paths.ELECTIONS


def read_soi(path: Path) -> tuple[list[str], list[Ballot]]:
    """PrefLib SOI: ``count: 1,4,2`` ranks alternatives (1-based); unranked ones come last."""
    names: dict[int, str] = {}
    ballots = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ALTERNATIVE NAME"):
            head, name = line.split(":", 1)
            names[int(head.split()[-1])] = name.strip()
        elif line and not line.startswith("#"):
            weight, order = line.split(":")
            alternatives = [int(x) for x in order.split(",") if x.strip()]
            content = {str(a - 1): rank for rank, a in enumerate(alternatives, start=1)}
            ballots.append(Ballot(content, int(weight)))
    return [names[i] for i in sorted(names)], ballots


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((DATA / "expected_results.json").read_text(encoding="utf-8"))
