"""``count()``: let the poll's method count, then apply the quorum and decide the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from rtes_bot.counting.ballots import aggregate
from rtes_bot.counting.model import AUCUN, QUORUM_NON_ATTEINT, Ballot, PollSpec, Result


def count(spec: PollSpec, ballots: Iterable[Ballot]) -> Result:
    """Count ``ballots`` for the poll ``spec``; pure and deterministic (the IRV lot uses the seed)."""
    method = spec.voting_method
    groups, turnout, number = aggregate(spec, ballots)
    required: Fraction | None = None
    reached = True
    if spec.electorate_weight is not None:
        required = Fraction(spec.quorum) * spec.electorate_weight
        reached = turnout >= required
    result = Result(
        method=spec.method,
        options=list(spec.options),
        ranking=[],
        winners=[],
        outcome=AUCUN,
        turnout=turnout,
        ballots=number,
        quorum_required=required,
        quorum_reached=reached,
        irv=spec.irv and method.accepts_irv,
        electorate=spec.electorate_weight,
    )
    method.tally(spec, result, groups, turnout)
    method.decide_outcome(result)
    if not reached:
        result.outcome = QUORUM_NON_ATTEINT
        result.winners = []
    return result
