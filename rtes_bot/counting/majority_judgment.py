"""jugement-majoritaire: lower median grade, majority gauge, tie-break by removing medians.

Each option's judgments, sorted, are read as the sequence of lower medians obtained by removing
the median one at a time (Balinski & Laraki's "majority value"). Options are ranked by comparing
these sequences lexicographically; two options are tied only if their merit profiles are
identical. The sequence is the middle judgment, then pairs (one below, one above) walking
outwards, the lower one first, so it is compared run by run: the count stays exact and fast even
for billions of judges.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from rtes_bot.counting.model import GradeProfile, MajorityJudgmentDetail
from rtes_bot.counting.ranking import group_by_compare

Runs = list[tuple[int, int]]  # (grade, length)


def _walks(tally: Sequence[int]) -> tuple[int | None, Runs, Runs]:
    """(centre grade for an odd total, lower walk runs, upper walk runs) of a merit profile."""
    n = sum(tally)
    if n == 0:
        return None, [], []
    grades = len(tally)
    starts = []  # first sorted position of each grade
    acc = 0
    for g in range(grades):
        starts.append(acc)
        acc += tally[g]

    def grade_at(pos: int) -> int:
        for g in range(grades - 1, -1, -1):
            if tally[g] and starts[g] <= pos:
                return g
        raise AssertionError(pos)

    m = (n - 1) // 2
    if n % 2:
        centre: int | None = grade_at(m)
        low_start, high_start = m - 1, m + 1
    else:
        centre = None
        low_start, high_start = m, m + 1
    lower: Runs = []
    if low_start >= 0:
        g = grade_at(low_start)
        lower.append((g, low_start - starts[g] + 1))
        lower += [(h, tally[h]) for h in range(g - 1, -1, -1) if tally[h]]
    upper: Runs = []
    if high_start <= n - 1:
        g = grade_at(high_start)
        upper.append((g, starts[g] + tally[g] - high_start))
        upper += [(h, tally[h]) for h in range(g + 1, grades) if tally[h]]
    return centre, lower, upper


def compare_tallies(a: Sequence[int], b: Sequence[int]) -> int:
    """> 0 if merit profile ``a`` is better than ``b``, < 0 if worse, 0 if equivalent.

    Profiles with different totals are first scaled to a common total (exact integers).
    """
    total_a, total_b = sum(a), sum(b)
    if total_a != total_b and total_a and total_b:
        common = math.lcm(total_a, total_b)
        a = [x * (common // total_a) for x in a]
        b = [x * (common // total_b) for x in b]
    centre_a, low_a, up_a = _walks(a)
    centre_b, low_b, up_b = _walks(b)
    if centre_a != centre_b:
        return (centre_a or 0) - (centre_b or 0)
    ia = ja = ib = jb = 0
    la, ua, lb, ub = _left(low_a, 0), _left(up_a, 0), _left(low_b, 0), _left(up_b, 0)
    while ia < len(low_a) and ib < len(low_b):
        if low_a[ia][0] != low_b[ib][0]:
            return low_a[ia][0] - low_b[ib][0]
        if up_a[ja][0] != up_b[jb][0]:
            return up_a[ja][0] - up_b[jb][0]
        step = min(la, ua, lb, ub)
        la, ua, lb, ub = la - step, ua - step, lb - step, ub - step
        ia, la = _next_step(low_a, ia, la)
        ja, ua = _next_step(up_a, ja, ua)
        ib, lb = _next_step(low_b, ib, lb)
        jb, ub = _next_step(up_b, jb, ub)
    return 0


def _left(walk: Sequence[tuple[int, int]], index: int) -> int:
    """How many voters the ``index``-th step of a walk still holds (0 past its end)."""
    return walk[index][1] if index < len(walk) else 0


def _next_step(walk: Sequence[tuple[int, int]], index: int, left: int) -> tuple[int, int]:
    """Move to the walk's next step once the current one is used up."""
    if left == 0:
        index += 1
        left = _left(walk, index)
    return index, left


def majority_values(tally: Sequence[int], limit: int | None = None) -> list[int]:
    """The successive lower medians (for explanations and tests; ``limit`` caps the length)."""
    centre, lower, upper = _walks(tally)
    out: list[int] = [] if centre is None else [centre]
    flat_low = [g for g, k in lower for _ in range(k)]
    flat_up = [g for g, k in upper for _ in range(k)]
    for lo, hi in zip(flat_low, flat_up, strict=True):
        out += [lo, hi]
        if limit is not None and len(out) >= limit:
            break
    return out[:limit] if limit is not None else out


def profile(option: str, tally: Sequence[int]) -> GradeProfile:
    """Majority grade (lower median), gauge sign and the shares strictly above and below it."""
    n = sum(tally)
    if n == 0:
        return GradeProfile(option, list(tally), 0, "", Fraction(0), Fraction(0))
    m = (n - 1) // 2
    acc = 0
    median = 0
    for g, k in enumerate(tally):
        if acc <= m < acc + k:
            median = g
            break
        acc += k
    below = sum(tally[:median])
    above = sum(tally[median + 1 :])
    gauge = "" if above == below == 0 else ("+" if above > below else "-")
    return GradeProfile(option, list(tally), median, gauge, Fraction(above, n), Fraction(below, n))


def rank_tallies(options: Sequence[str], tallies: Sequence[Sequence[int]]) -> list[list[str]]:
    """Ranking (ties grouped) of options from their merit profiles (grade counts, worst first)."""
    by_label = dict(zip(options, tallies, strict=True))
    return group_by_compare(options, lambda a, b: compare_tallies(by_label[a], by_label[b]))


def count_majority_judgment(
    options: Sequence[str], groups: Counter[Any], grades: int
) -> tuple[list[list[str]], MajorityJudgmentDetail]:
    """Count ballots given as tuples of one grade per option (missing grades already 0)."""
    n = len(options)
    tallies = [[0] * grades for _ in range(n)]
    for judgments, weight in groups.items():
        for i in range(n):
            tallies[i][judgments[i]] += weight
    ranking = rank_tallies(options, tallies)
    detail = MajorityJudgmentDetail(
        profiles=[profile(label, tallies[i]) for i, label in enumerate(options)]
    )
    return ranking, detail
