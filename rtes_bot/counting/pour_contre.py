"""pour-contre: a motion adopted or rejected, with simple, absolute or two-thirds majority."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from rtes_bot.counting.model import (
    ABSTENTION,
    ADOPTEE,
    CONTRE,
    POUR,
    REJETEE,
    PollSpec,
    PourContreDetail,
)


def count_pour_contre(
    spec: PollSpec, groups: Counter[Any], turnout: int
) -> tuple[PourContreDetail, str]:
    """Return the detail and the outcome (``adoptee`` or ``rejetee``) before any quorum check.

    ``simple``: pour > contre (abstentions are not expressed votes). ``absolue``: pour > half of
    the electorate weight (half of the turnout when the electorate is unknown). ``deux-tiers``:
    pour ≥ 2/3 of expressed votes. In every case a tie (pour = contre) rejects.
    """
    pour, contre, abstention = groups[POUR], groups[CONTRE], groups[ABSTENTION]
    expressed = pour + contre
    if spec.majority == "simple":
        threshold, strict = Fraction(contre), True
    elif spec.majority == "absolue":
        base = spec.electorate_weight if spec.electorate_weight is not None else turnout
        threshold, strict = Fraction(base, 2), True
    else:
        threshold, strict = Fraction(2 * expressed, 3), False
    passes = pour > threshold if strict else pour >= threshold
    adopted = passes and pour > contre
    detail = PourContreDetail(
        pour=pour,
        contre=contre,
        abstention=abstention,
        majority=spec.majority,
        threshold=threshold,
        strict=strict,
    )
    return detail, ADOPTEE if adopted else REJETEE
