"""Helpers to turn scores into rankings with ties grouped."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cmp_to_key
from typing import Any


def group_by_score(options: Sequence[str], score: Callable[[str], Any]) -> list[list[str]]:
    """Best first (highest score first); options with equal scores grouped, in input order."""
    ranking: list[list[str]] = []
    last: Any = None
    for option in sorted(options, key=score, reverse=True):
        value = score(option)
        if ranking and value == last:
            ranking[-1].append(option)
        else:
            ranking.append([option])
        last = value
    return ranking


def group_by_compare(options: Sequence[str], compare: Callable[[str, str], int]) -> list[list[str]]:
    """Best first for a total preorder given as ``compare(a, b) > 0`` when a is better."""

    def reverse(a: str, b: str) -> int:
        return -compare(a, b)

    ordered = sorted(options, key=cmp_to_key(reverse))
    ranking: list[list[str]] = []
    for option in ordered:
        if ranking and compare(ranking[-1][0], option) == 0:
            ranking[-1].append(option)
        else:
            ranking.append([option])
    return ranking
