"""Validation and normalisation of stored ballot contents (shared by every method)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from rtes_bot.counting.model import (
    APPROBATION,
    CHOIX_UNIQUE,
    CLASSEMENT,
    JUGEMENT_MAJORITAIRE,
    MAX_GRADE,
    POUR_CONTRE,
    POUR_CONTRE_CHOICES,
    Ballot,
    CountError,
    PollSpec,
)


def _weight(ballot: Ballot) -> int:
    weight = ballot.weight
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
        raise CountError(f"ballot weight must be a non-negative int, got {weight!r}")
    return weight


def _keys(spec: PollSpec) -> dict[Any, int]:
    """Accepted option keys: ``"0"``, ``"1"``… (JSON) and the ints themselves."""
    keys: dict[Any, int] = {str(i): i for i in range(len(spec.options))}
    keys.update({i: i for i in range(len(spec.options))})
    return keys


def normalise(spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
    """Check one ballot content and return its canonical, hashable form.

    pour-contre -> the choice string; choix-unique / approbation -> sorted tuple of indices;
    classement -> tuple of groups (tuples of indices), best first, unranked options omitted;
    jugement-majoritaire / notes -> tuple with one grade/score per option (missing = 0).
    """
    method = spec.method
    if method == POUR_CONTRE:
        if content not in POUR_CONTRE_CHOICES:
            raise CountError(f"bad pour-contre ballot {content!r}")
        return content
    if keys is None:
        keys = _keys(spec)

    def index(key: Any) -> int:
        if type(key) is bool or key not in keys:
            raise CountError(f"option index {key!r} out of range in {content!r}")
        return keys[key]

    if method in (CHOIX_UNIQUE, APPROBATION):
        if not isinstance(content, list | tuple):
            raise CountError(f"bad {method} ballot {content!r}")
        indices = tuple(sorted({index(i) for i in content}))
        if len(indices) != len(content):
            raise CountError(f"duplicate option in {content!r}")
        if method == CHOIX_UNIQUE and len(indices) > 1:
            raise CountError(f"choix-unique ballot with several choices {content!r}")
        if spec.max_choices is not None and len(indices) > spec.max_choices:
            raise CountError(f"ballot {content!r} exceeds {spec.max_choices} choices")
        return indices
    if not isinstance(content, dict):
        raise CountError(f"bad {method} ballot {content!r}")
    if method == CLASSEMENT:
        pairs = []
        for key, rank in content.items():
            if type(rank) is not int or rank < 1:
                raise CountError(f"bad rank {rank!r} in {content!r}")
            pairs.append((rank, index(key)))
        pairs.sort()
        groups: list[list[int]] = []
        last = 0
        for rank, i in pairs:
            if rank == last:
                groups[-1].append(i)
            else:
                groups.append([i])
                last = rank
        return tuple(map(tuple, groups))
    top = MAX_GRADE if method == JUGEMENT_MAJORITAIRE else spec.max_score
    values = [0] * len(spec.options)
    for key, value in content.items():
        if type(value) is not int or not 0 <= value <= top:
            raise CountError(f"value {value!r} out of 0..{top} in {content!r}")
        values[index(key)] = value
    return tuple(values)


def aggregate(spec: PollSpec, ballots: Iterable[Ballot]) -> tuple[Counter[Any], int, int]:
    """Group identical ballots: returns (canonical content -> total weight, turnout, count)."""
    groups: Counter[Any] = Counter()
    turnout = 0
    number = 0
    cache: dict[Any, Any] = {}
    keys = _keys(spec)
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
            canonical = normalise(spec, content, keys)
            cache[key] = canonical
        groups[canonical] += weight
        turnout += weight
        number += 1
    return groups, turnout, number


def dense_ranks(content: dict[str, int]) -> dict[str, int]:
    """Normalise a classement content to dense ranks 1..k (equal numbers stay equal)."""
    order = {rank: i + 1 for i, rank in enumerate(sorted(set(content.values())))}
    return {key: order[rank] for key, rank in sorted(content.items(), key=lambda kv: int(kv[0]))}
