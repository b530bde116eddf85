"""``count()``: dispatch a poll to its method, then apply the quorum and decide the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from rtes_bot.counting.ballots import aggregate
from rtes_bot.counting.irv import count_irv
from rtes_bot.counting.majority_judgment import count_majority_judgment
from rtes_bot.counting.model import (
    APPROBATION,
    AUCUN,
    CHOIX_UNIQUE,
    CLASSEMENT,
    CONTRE,
    EGALITE,
    ELU,
    GRADES,
    JUGEMENT_MAJORITAIRE,
    NOTES,
    POUR,
    POUR_CONTRE,
    QUORUM_NON_ATTEINT,
    REJETEE,
    Ballot,
    PollSpec,
    Result,
    TieBreak,
)
from rtes_bot.counting.plurality import count_plurality
from rtes_bot.counting.pour_contre import count_pour_contre
from rtes_bot.counting.ranking import group_by_score
from rtes_bot.counting.schulze import count_schulze
from rtes_bot.counting.scores import count_scores


def count(spec: PollSpec, ballots: Iterable[Ballot]) -> Result:
    """Count ``ballots`` for the poll ``spec``; pure and deterministic (the IRV lot uses the seed)."""
    groups, turnout, number = aggregate(spec, ballots)
    options = list(spec.options)
    required: Fraction | None = None
    reached = True
    if spec.electorate_weight is not None:
        required = Fraction(spec.quorum) * spec.electorate_weight
        reached = turnout >= required
    result = Result(
        method=spec.method,
        options=options,
        ranking=[],
        winners=[],
        outcome=AUCUN,
        turnout=turnout,
        ballots=number,
        quorum_required=required,
        quorum_reached=reached,
        irv=spec.irv and spec.method == CLASSEMENT,
        electorate=spec.electorate_weight,
    )
    method = spec.method
    if method == POUR_CONTRE:
        detail, outcome = count_pour_contre(spec, groups, turnout)
        result.pour_contre = detail
        result.counts = {POUR: detail.pour, CONTRE: detail.contre, "abstention": detail.abstention}
        result.ranking = group_by_score([POUR, CONTRE], lambda label: result.counts[label])
        result.outcome = outcome
        result.winners = [POUR] if outcome != REJETEE else [CONTRE]
        if detail.pour == detail.contre:
            result.tie_breaks.append(TieBreak([POUR, CONTRE], "none", None))
    elif method in (CHOIX_UNIQUE, APPROBATION, NOTES):
        if method == NOTES:
            result.counts, result.tally = count_scores(spec, groups, turnout)
        else:
            result.counts, result.tally = count_plurality(spec, groups)
        result.ranking = group_by_score(options, lambda label: result.counts[label])
        if result.ranking and result.counts[result.ranking[0][0]] > 0:
            result.winners = list(result.ranking[0])
    elif method == CLASSEMENT and spec.irv:
        result.ranking, result.winners, result.irv_detail, result.tie_breaks = count_irv(
            options, groups, spec.seed
        )
        result.rounds = result.irv_detail.rounds
        result.counts = dict(result.rounds[0].votes) if result.rounds else {}
    elif method == CLASSEMENT:
        result.ranking, result.schulze = count_schulze(
            options,
            groups,
            spec.default_option,
            spec.default_quorum,
            Fraction(spec.default_ratio),
        )
        if any(ranks for ranks in groups if groups[ranks]):
            result.winners = list(result.ranking[0])
    elif method == JUGEMENT_MAJORITAIRE:
        result.ranking, result.majority_judgment = count_majority_judgment(
            options, groups, len(GRADES)
        )
        if turnout:
            result.winners = list(result.ranking[0])
    if method != POUR_CONTRE:
        if len(result.winners) > 1:
            result.outcome = EGALITE
            result.tie_breaks.append(TieBreak(list(result.winners), "none", None))
        elif result.winners:
            result.outcome = ELU
        else:
            result.outcome = AUCUN
    if not reached:
        result.outcome = QUORUM_NON_ATTEINT
        result.winners = []
    return result
