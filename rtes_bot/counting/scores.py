"""notes: every option scored 0..max (missing = 0), ranked by total; the mean is shown."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from rtes_bot.counting.model import PollSpec, TallyDetail


def count_scores(
    spec: PollSpec, groups: Counter[Any], turnout: int
) -> tuple[dict[str, int], TallyDetail]:
    """Total score per option label and the exact mean over all ballots."""
    n = len(spec.options)
    totals = [0] * n
    blank = 0
    for scores, weight in groups.items():
        if not any(scores):
            blank += weight
        for i in range(n):
            if scores[i]:
                totals[i] += scores[i] * weight
    counts = {label: totals[i] for i, label in enumerate(spec.options)}
    means = {
        label: Fraction(totals[i], turnout) if turnout else Fraction(0)
        for i, label in enumerate(spec.options)
    }
    return counts, TallyDetail(blank=blank, means=means)
