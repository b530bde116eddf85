"""choix-unique and approbation: one total per option, highest total wins."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rtes_bot.counting.model import PollSpec, TallyDetail


def count_plurality(spec: PollSpec, groups: Counter[Any]) -> tuple[dict[str, int], TallyDetail]:
    """Totals per option label for choix-unique or approbation ballots (tuples of indices)."""
    totals = [0] * len(spec.options)
    blank = 0
    for choices, weight in groups.items():
        if not choices:
            blank += weight
        for index in choices:
            totals[index] += weight
    counts = {label: totals[i] for i, label in enumerate(spec.options)}
    return counts, TallyDetail(blank=blank)
