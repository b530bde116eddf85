"""classement counted with the Schulze method (winning votes), Debian-style default option."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from rtes_bot.counting.model import SchulzeDetail


def pairwise_matrix(n: int, groups: Counter[Any]) -> list[list[int]]:
    """d[x][y] = weight of ballots ranking x strictly above y (unranked = below every ranked).

    ``groups`` maps a ballot (tuple of rank groups of option indices, best first) to its weight.
    Each ballot adds its weight to one (option, set of options below it) pair; the pairs are
    expanded at the end, so the cost per ballot is linear in the number of ranked options.
    """
    everyone = (1 << n) - 1
    below: Counter[tuple[int, int]] = Counter()
    for ranks, weight in groups.items():
        if not weight:
            continue
        ranked = 0
        for group in ranks:
            for x in group:
                ranked |= 1 << x
        mask = everyone & ~ranked  # options below the current group
        for group in reversed(ranks):
            for x in group:
                below[x, mask] += weight
            for x in group:
                mask |= 1 << x
    d = [[0] * n for _ in range(n)]
    for (x, mask), weight in below.items():
        row = d[x]
        y = 0
        while mask:
            if mask & 1:
                row[y] += weight
            mask >>= 1
            y += 1
    return d


def strongest_paths(d: Sequence[Sequence[int]], among: Sequence[int]) -> list[list[int]]:
    """Widest-path strengths with winning votes, restricted to the options ``among``."""
    n = len(d)
    p = [[0] * n for _ in range(n)]
    for i in among:
        for j in among:
            if i != j and d[i][j] > d[j][i]:
                p[i][j] = d[i][j]
    for k in among:
        pk = p[k]
        for i in among:
            if i == k:
                continue
            pi = p[i]
            pik = pi[k]
            if not pik:
                continue
            for j in among:
                if j != i and j != k:
                    via = pik if pik < pk[j] else pk[j]
                    if via > pi[j]:
                        pi[j] = via
    return p


def schulze_layers(p: Sequence[Sequence[int]], among: Sequence[int]) -> list[list[int]]:
    """Rank ``among``: repeatedly take the options no remaining option beats (p[y][x] > p[x][y])."""
    remaining = list(among)
    layers: list[list[int]] = []
    while remaining:
        top = [x for x in remaining if not any(p[y][x] > p[x][y] for y in remaining if y != x)]
        if not top:  # impossible for Schulze (the relation is transitive); be safe anyway
            top = list(remaining)
        layers.append(top)
        remaining = [x for x in remaining if x not in top]
    return layers


def condorcet_winner(d: Sequence[Sequence[int]]) -> int | None:
    n = len(d)
    for x in range(n):
        if all(d[x][y] > d[y][x] for y in range(n) if y != x):
            return x
    return None


def count_schulze(
    options: Sequence[str],
    groups: Counter[Any],
    default_option: str | None = None,
    default_quorum: int | None = None,
    default_ratio: Fraction = Fraction(1),
) -> tuple[list[list[str]], SchulzeDetail]:
    """Return the ranking (ties grouped) and the detail with both matrices.

    With a default option D (Debian constitution A.6): an option A is dropped unless
    V(A,D) > V(D,A) and V(A,D) ≥ ratio × V(D,A), and, with a quorum Q, V(A,D) ≥ Q. The kept
    options and D are ranked by Schulze among themselves; dropped options come after, ranked
    by Schulze among themselves.
    """
    n = len(options)
    d = pairwise_matrix(n, groups)
    everyone = list(range(n))
    p = strongest_paths(d, everyone)
    dropped: dict[str, tuple[int, int]] = {}
    if default_option is None:
        layers = schulze_layers(p, everyone)
    else:
        default = options.index(default_option)
        kept, out = [], []
        for a in everyone:
            if a == default:
                kept.append(a)
                continue
            v_for, v_against = d[a][default], d[default][a]
            beats = v_for > v_against and v_for >= default_ratio * v_against
            if default_quorum is not None and v_for < default_quorum:
                beats = False
            if beats:
                kept.append(a)
            else:
                out.append(a)
                dropped[options[a]] = (v_for, v_against)
        layers = schulze_layers(strongest_paths(d, kept), kept)
        if out:
            layers += schulze_layers(strongest_paths(d, out), out)
    winner = condorcet_winner(d)
    detail = SchulzeDetail(
        options=list(options),
        pairwise=d,
        strongest=p,
        default_option=default_option,
        dropped=dropped,
        condorcet_winner=options[winner] if winner is not None else None,
    )
    return [[options[i] for i in layer] for layer in layers], detail
