"""Validation and normalisation of stored ballot contents (shared by every method)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from rtes_bot.counting.model import Ballot, CountError, PollSpec


def _weight(ballot: Ballot) -> int:
    weight = ballot.weight
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
        raise CountError(f"ballot weight must be a non-negative int, got {weight!r}")
    return weight


def option_keys(spec: PollSpec) -> dict[Any, int]:
    """Accepted option keys: ``"0"``, ``"1"``… (JSON) and the ints themselves."""
    keys: dict[Any, int] = {str(i): i for i in range(len(spec.options))}
    keys.update({i: i for i in range(len(spec.options))})
    return keys


def option_at(keys: dict[Any, int], key: Any, content: Any) -> int:
    """The option index of ``key`` in the ballot ``content`` (``keys`` from ``option_keys``)."""
    if type(key) is bool or key not in keys:
        raise CountError(f"option index {key!r} out of range in {content!r}")
    return keys[key]


def normalise(spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
    """Check one ballot content and return its canonical, hashable form.

    pour-contre -> the choice string; choix-unique / approbation -> sorted tuple of indices;
    classement -> tuple of groups (tuples of indices), best first, unranked options omitted;
    jugement-majoritaire / notes -> tuple with one grade/score per option (missing = 0).
    """
    return spec.voting_method.normalise(spec, content, keys)


def aggregate(spec: PollSpec, ballots: Iterable[Ballot]) -> tuple[Counter[Any], int, int]:
    """Group identical ballots: returns (canonical content -> total weight, turnout, count)."""
    groups: Counter[Any] = Counter()
    turnout = 0
    number = 0
    cache: dict[Any, Any] = {}
    keys = option_keys(spec)
    method = spec.voting_method
    for ballot in ballots:
        weight = ballot.weight
        if type(weight) is not int or weight < 0:
            weight = _weight(ballot)
        content = ballot.content
        # Ballots repeat a lot; memoise on a cheap hashable key.
        if isinstance(content, dict):
            key: Any = ("d", *content.items())
        elif isinstance(content, list):
            key = ("l", *content)
        else:
            key = content
        try:
            canonical = cache.get(key)
        except TypeError:  # unhashable parts: malformed, let normalise() say why
            canonical, key = None, repr(content)
        if canonical is None:
            canonical = method.normalise(spec, content, keys)
            cache[key] = canonical
        groups[canonical] += weight
        turnout += weight
        number += 1
    return groups, turnout, number


def dense_ranks(content: dict[str, int]) -> dict[str, int]:
    """Normalise a classement content to dense ranks 1..k (equal numbers stay equal)."""
    order = {rank: i + 1 for i, rank in enumerate(sorted(set(content.values())))}
    return {key: order[rank] for key, rank in sorted(content.items(), key=lambda kv: int(kv[0]))}
