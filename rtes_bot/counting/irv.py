"""classement counted by instant-runoff voting (IRV).

Rules, in this order:

* each ballot counts for its highest-ranked continuing option; ranks whose options are all
  eliminated (or skipped rank numbers) are skipped;
* a rank holding two or more continuing options is an overvote: the ballot is exhausted for good;
* a round ends with a winner when one option holds a strict majority of the continuing votes
  (or is the only one left);
* otherwise the options that cannot win are eliminated together (the largest set of lowest
  options whose combined votes are below the next option, Burlington's batch elimination, which
  never changes the winner), else the lowest option;
* a tie for the lowest place is broken by count-back (the option with fewer votes in the most
  recent earlier round where the tied options differ is eliminated), then by a lot: the options
  are shuffled once with ``random.Random(seed)`` (sorted labels first), the order is published,
  and the tied option that comes last in that order is eliminated.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rtes_bot.counting.model import IrvDetail, IrvRound, TieBreak
from rtes_bot.counting.ranking import group_by_score


def lot_order(options: Sequence[str], seed: str) -> list[str]:
    """The published lot: sorted labels shuffled by ``random.Random(seed)``; first = favoured."""
    order = sorted(options)
    random.Random(seed).shuffle(order)
    return order


def count_irv(
    options: Sequence[str], groups: Counter[Any], seed: str
) -> tuple[list[list[str]], list[str], IrvDetail, list[TieBreak]]:
    """Return (ranking, winners, detail, tie-breaks). Winners is empty when nobody voted."""
    n = len(options)
    lot = lot_order(options, seed)
    lot_rank = {options.index(label): i for i, label in enumerate(lot)}
    ballots: list[tuple[tuple[tuple[int, ...], ...], int]] = [
        (ranks, weight) for ranks, weight in groups.items() if weight
    ]
    position = [0] * len(ballots)
    continuing = [True] * n
    piles: list[list[int]] = [[] for _ in range(n)]
    votes = [0] * n
    exhausted = 0
    overvotes = 0

    def place(b: int) -> int | None:
        """Move ballot b to its next continuing choice; return the option or None if exhausted."""
        nonlocal exhausted, overvotes
        ranks, weight = ballots[b]
        k = position[b]
        while k < len(ranks):
            alive = [x for x in ranks[k] if continuing[x]]
            if len(alive) == 1:
                position[b] = k
                piles[alive[0]].append(b)
                votes[alive[0]] += weight
                return alive[0]
            if len(alive) > 1:
                overvotes += weight
                exhausted += weight
                position[b] = len(ranks)
                return None
            k += 1
        position[b] = len(ranks)
        exhausted += weight
        return None

    for b in range(len(ballots)):
        place(b)

    rounds: list[IrvRound] = []
    history: list[list[int]] = []
    tie_breaks: list[TieBreak] = []
    eliminated_order: list[tuple[int, list[int]]] = []  # (round, options) in elimination order
    winners: list[int] = []
    while True:
        alive = [x for x in range(n) if continuing[x]]
        number = len(rounds) + 1
        current = IrvRound(
            number=number,
            votes={options[x]: votes[x] for x in alive},
            exhausted=exhausted,
            overvotes=overvotes,
        )
        rounds.append(current)
        history.append(list(votes))
        total = sum(votes[x] for x in alive)
        if not alive or total == 0:
            current.rule = "none"
            break
        best = max(alive, key=lambda x: votes[x])
        if len(alive) == 1 or 2 * votes[best] > total:
            current.rule = "majority" if len(alive) > 1 else "last"
            winners = [best]
            break
        ascending = sorted(alive, key=lambda x: votes[x])
        batch = 0
        running = 0
        for k in range(len(ascending) - 1):
            running += votes[ascending[k]]
            if running < votes[ascending[k + 1]]:
                batch = k + 1
        if batch >= 2:
            out = ascending[:batch]
            current.rule = "batch"
        else:
            low = votes[ascending[0]]
            tied = [x for x in alive if votes[x] == low]
            if len(tied) == 1:
                out = tied
                current.rule = "lowest"
            else:
                candidates = tied
                for earlier in range(len(history) - 2, -1, -1):
                    past = history[earlier]
                    least = min(past[x] for x in candidates)
                    candidates = [x for x in candidates if past[x] == least]
                    if len(candidates) == 1:
                        break
                if len(candidates) == 1:
                    current.rule = "count-back"
                else:
                    candidates = [max(candidates, key=lambda x: lot_rank[x])]
                    current.rule = "lot"
                out = candidates
                tie_breaks.append(
                    TieBreak(
                        options=[options[x] for x in tied],
                        rule=current.rule,
                        chosen=options[out[0]],
                        round=number,
                    )
                )
        current.eliminated = [options[x] for x in out]
        eliminated_order.append((number, out))
        for x in out:
            continuing[x] = False
        moved: Counter[str] = Counter()
        for x in out:
            pile, piles[x] = piles[x], []
            votes[x] = 0
            for b in pile:
                position[b] += 1
                to = place(b)
                moved[options[to] if to is not None else ""] += ballots[b][1]
        current.transfers = dict(moved)

    last = rounds[-1]
    ranking: list[list[str]] = []
    if winners:
        ranking.append([options[winners[0]]])
        rest = [label for label in last.votes if label != options[winners[0]]]
        ranking += group_by_score(rest, lambda label: last.votes[label])
    else:
        ranking += group_by_score(list(last.votes), lambda label: last.votes[label])
    for number, out in reversed(eliminated_order):
        seen = rounds[number - 1].votes
        ranking += group_by_score([options[x] for x in out], seen.__getitem__)
    detail = IrvDetail(rounds=rounds, seed=seed, lot_order=lot)
    return ranking, [options[w] for w in winners], detail, tie_breaks
