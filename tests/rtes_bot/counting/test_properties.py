"""Property tests: against votelib (an independent implementation, tests only) and invariants."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from votelib.convert import RankedToCondorcetVotes
from votelib.evaluate.cardinal import MajorityJudgment
from votelib.evaluate.condorcet import Schulze as VlSchulze
from votelib.evaluate.core import Plurality, Tie

from rtes_bot.counting import Ballot, PollSpec, count, result_to_json
from rtes_bot.counting.ballots import dense_ranks

LABELS = ["A", "B", "C", "D", "E"]
SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def ranked_profiles(draw, min_options=2, max_options=5, strict=False, full=False):
    n = draw(st.integers(min_options, max_options))
    ballots = []
    for _ in range(draw(st.integers(1, 25))):
        order = draw(st.permutations(range(n)))
        size = n if full else draw(st.integers(0, n))
        ranks = {}
        rank = 0
        for i, option in enumerate(order[:size]):
            if strict or i == 0 or not draw(st.booleans()):
                rank += 1
            ranks[str(option)] = rank
        ballots.append(Ballot(dense_ranks(ranks) if ranks else {}, draw(st.integers(1, 5))))
    return LABELS[:n], ballots


def to_votelib(options, ballots):
    votes: Counter = Counter()
    for ballot in ballots:
        groups: dict[int, list[str]] = {}
        for key, rank in ballot.content.items():
            groups.setdefault(rank, []).append(options[int(key)])
        ranking = tuple(
            frozenset(groups[r]) if len(groups[r]) > 1 else groups[r][0] for r in sorted(groups)
        )
        if ranking:
            votes[ranking] += ballot.weight
    return dict(votes)


@SETTINGS
@given(ranked_profiles())
def test_schulze_matches_votelib(profile):
    options, ballots = profile
    votes = to_votelib(options, ballots)
    # votelib only knows candidates that appear on some ballot: make every option appear.
    assume(
        {c for r in votes for g in r for c in (g if isinstance(g, frozenset) else [g])}
        == set(options)
    )
    result = count(PollSpec("classement", options), ballots)
    assert result.schulze is not None
    pairs = RankedToCondorcetVotes(unranked_at_bottom=True).convert(votes)
    paths = VlSchulze.widest_paths(pairs)
    n = len(options)
    for i in range(n):
        for j in range(n):
            if i != j:
                a, b = options[i], options[j]
                assert result.schulze.pairwise[i][j] == pairs.get((a, b), 0)
                assert result.schulze.strongest[i][j] == paths.get((a, b), 0)
    unbeaten = {
        a for a in options if not any(paths.get((b, a), 0) > paths.get((a, b), 0) for b in options)
    }
    assert set(result.ranking[0]) == unbeaten
    best = VlSchulze().evaluate(pairs, 1)
    if len(unbeaten) == 1 and not isinstance(best[0], Tie):
        assert result.winners == best


@SETTINGS
@given(ranked_profiles())
def test_condorcet_winner_wins_schulze(profile):
    options, ballots = profile
    result = count(PollSpec("classement", options), ballots)
    assert result.schulze is not None
    if result.schulze.condorcet_winner is not None:
        assert result.winners == [result.schulze.condorcet_winner]


@SETTINGS
@given(ranked_profiles(), st.data())
def test_schulze_monotonic(profile, data):
    options, ballots = profile
    result = count(PollSpec("classement", options), ballots)
    assume(len(result.winners) == 1)
    winner = str(options.index(result.winners[0]))
    raised = []
    for ballot in ballots:
        if data.draw(st.booleans()):
            content = {k: r + 1 for k, r in ballot.content.items() if k != winner}
            content[winner] = 1
            ballot = Ballot(dense_ranks(content), ballot.weight)
        raised.append(ballot)
    assert count(PollSpec("classement", options), raised).winners == result.winners


def reference_irv(options, ballots):
    """Textbook sequential IRV on strict full rankings; None when a tie would need a rule."""
    alive = set(range(len(options)))
    orders = [
        ([int(k) for k, _ in sorted(b.content.items(), key=lambda kv: kv[1])], b.weight)
        for b in ballots
    ]
    while True:
        tally = dict.fromkeys(alive, 0)
        for order, weight in orders:
            tally[next(o for o in order if o in alive)] += weight
        total = sum(tally.values())
        top = max(tally.values())
        if 2 * top > total or len(alive) == 1:
            return options[max(tally, key=tally.__getitem__)]
        low = min(tally.values())
        losers = [o for o, v in tally.items() if v == low]
        if len(losers) > 1:
            return None
        alive.remove(losers[0])


@SETTINGS
@given(ranked_profiles(min_options=2, strict=True, full=True))
def test_irv_matches_reference(profile):
    options, ballots = profile
    want = reference_irv(options, ballots)
    assume(want is not None)
    assert count(PollSpec("classement", options, irv=True), ballots).winners == [want]


@SETTINGS
@given(
    st.integers(2, 5).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 6), min_size=n, max_size=n), min_size=1, max_size=30
        )
    )
)
def test_majority_judgment_matches_votelib(rows):
    n = len(rows[0])
    options = LABELS[:n]
    ballots = [Ballot({str(i): g for i, g in enumerate(row)}) for row in rows]
    result = count(PollSpec("jugement-majoritaire", options), ballots)
    votes = {options[i]: Counter(row[i] for row in rows) for i in range(n)}
    assert result.majority_judgment is not None
    for p in result.majority_judgment.profiles:
        grades = sorted(row[options.index(p.option)] for row in rows)
        assert p.median == grades[(len(grades) - 1) // 2]
    if len(result.winners) == 1:
        try:
            best = MajorityJudgment().evaluate({k: dict(v) for k, v in votes.items()}, 1)
        except Exception:  # votelib gives up on some exact ties; nothing to compare then
            return
        if not isinstance(best[0], Tie):
            assert best == result.winners


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 9)), min_size=1, max_size=40))
def test_plurality_matches_votelib(rows):
    ballots = [Ballot([i], w) for i, w in rows]
    result = count(PollSpec("choix-unique", LABELS), ballots)
    totals = Counter()
    for i, w in rows:
        totals[LABELS[i]] += w
    best = Plurality().evaluate(dict(totals), 1)
    if isinstance(best[0], Tie):
        assert set(result.winners) == set(best[0])
    else:
        assert result.winners == best


METHOD_CONTENT = {
    "choix-unique": lambda n: st.integers(0, n - 1).map(lambda i: [i]),
    "approbation": lambda n: st.sets(st.integers(0, n - 1)).map(sorted),
    "jugement-majoritaire": lambda n: st.dictionaries(
        st.integers(0, n - 1).map(str), st.integers(0, 6)
    ),
    "notes": lambda n: st.dictionaries(st.integers(0, n - 1).map(str), st.integers(0, 5)),
    "classement": lambda n: st.dictionaries(st.integers(0, n - 1).map(str), st.integers(1, n)).map(
        dense_ranks
    ),
}


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([*METHOD_CONTENT, "irv"]),
    st.data(),
    st.randoms(use_true_random=False),
)
def test_permuting_ballots_and_renaming_options(method, data, rng: random.Random):
    n = data.draw(st.integers(2, 5))
    irv = method == "irv"
    method = "classement" if irv else method
    ballots = data.draw(
        st.lists(st.builds(Ballot, METHOD_CONTENT[method](n), st.integers(1, 4)), max_size=20)
    )
    options = LABELS[:n]
    base = count(PollSpec(method, options, irv=irv, seed="s"), ballots)
    # Permuting ballots changes nothing.
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert result_to_json(
        count(PollSpec(method, options, irv=irv, seed="s"), shuffled)
    ) == result_to_json(base)
    # Renaming options (order-preserving names, so the published lot keeps its order) and
    # listing them in another order changes nothing but the names.
    perm = list(range(n))
    rng.shuffle(perm)  # new position of old option i is perm[i]
    names = {label: f"Option {label}" for label in options}
    new_options = [""] * n
    for i, label in enumerate(options):
        new_options[perm[i]] = names[label]

    def move(content):
        if isinstance(content, list):
            return sorted(perm[i] for i in content)
        return {str(perm[int(k)]): v for k, v in content.items()}

    moved = [Ballot(move(b.content), b.weight) for b in ballots]
    renamed = count(PollSpec(method, new_options, irv=irv, seed="s"), moved)
    assert renamed.ranking == [[names[o] for o in g] for g in base.ranking] or (
        [sorted(g) for g in renamed.ranking] == [sorted(names[o] for o in g) for g in base.ranking]
    )
    assert sorted(renamed.winners) == sorted(names[w] for w in base.winners)
    assert renamed.outcome == base.outcome
    assert {names[k]: v for k, v in base.counts.items()} == renamed.counts
