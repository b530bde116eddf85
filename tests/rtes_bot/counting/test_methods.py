"""Rules of each method: majorities, quorum, ties, blank ballots, weights, malformed ballots."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from rtes_bot.counting import Ballot, CountError, PollSpec, count, result_to_json


def pc(votes: dict[str, int], **kwargs):
    ballots = [Ballot(choice, 1) for choice, n in votes.items() for _ in range(n)]
    return count(PollSpec("pour-contre", **kwargs), ballots)


@pytest.mark.parametrize(
    ("votes", "kwargs", "outcome"),
    [
        ({"pour": 3, "contre": 2}, {}, "adoptee"),
        ({"pour": 2, "contre": 2, "abstention": 10}, {}, "rejetee"),  # a tie rejects
        ({"pour": 1, "abstention": 10}, {}, "adoptee"),  # abstentions are not expressed
        ({"pour": 0, "contre": 0, "abstention": 3}, {}, "rejetee"),
        ({"pour": 15, "contre": 0}, {"majority": "absolue", "electorate_weight": 30}, "rejetee"),
        ({"pour": 16, "contre": 0}, {"majority": "absolue", "electorate_weight": 30}, "adoptee"),
        ({"pour": 4, "contre": 2}, {"majority": "deux-tiers"}, "adoptee"),  # exactly 2/3
        ({"pour": 5, "contre": 3}, {"majority": "deux-tiers"}, "rejetee"),
        ({"pour": 0, "contre": 0}, {"majority": "deux-tiers"}, "rejetee"),
    ],
)
def test_pour_contre_majorities(votes, kwargs, outcome):
    result = pc(votes, **kwargs)
    assert result.outcome == outcome
    assert result.winners == (["pour"] if outcome == "adoptee" else ["contre"])
    data = result_to_json(result)
    assert data["outcome"] == outcome
    assert data["counts"] == {
        "pour": votes.get("pour", 0),
        "contre": votes.get("contre", 0),
        "abstention": votes.get("abstention", 0),
    }
    json.dumps(data)


def test_quorum_counts_abstentions_and_blank():
    # 10 of 40 = 25 %: reached with abstentions counted in the turnout.
    spec = dict(electorate_weight=40, quorum=Fraction(1, 4))
    assert pc({"pour": 2, "contre": 1, "abstention": 7}, **spec).outcome == "adoptee"
    short = pc({"pour": 2, "contre": 1, "abstention": 6}, **spec)
    assert (
        short.outcome == "quorum-non-atteint" and not short.quorum_reached and short.winners == []
    )
    assert short.quorum_required == 10
    blank = count(
        PollSpec("approbation", ["A", "B"], electorate_weight=4, quorum=Fraction(1, 2)),
        [Ballot([]), Ballot([0])],
    )
    assert (
        blank.quorum_reached and blank.winners == ["A"] and blank.tally and blank.tally.blank == 1
    )
    # No electorate: no quorum check.
    assert pc({"pour": 1}, quorum=Fraction(1)).quorum_required is None


def test_weights_are_votes():
    spec = PollSpec("choix-unique", ["Paris", "Lyon"])
    result = count(spec, [Ballot([0], 3), Ballot([1], 1), Ballot([1], 1)])
    assert result.counts == {"Paris": 3, "Lyon": 2} and result.turnout == 5 and result.ballots == 3
    assert result.winners == ["Paris"]


def test_ties_are_reported():
    spec = PollSpec("choix-unique", ["A", "B", "C"])
    result = count(spec, [Ballot([0]), Ballot([1]), Ballot([2], 0)])
    assert result.ranking == [["A", "B"], ["C"]]
    assert result.outcome == "egalite" and result.winners == ["A", "B"]
    assert result.tie_breaks[0].rule == "none"
    schulze = count(PollSpec("classement", ["A", "B"]), [Ballot({"0": 1}), Ballot({"1": 1})])
    assert schulze.ranking == [["A", "B"]] and schulze.outcome == "egalite"


def test_no_ballots():
    for method in ("choix-unique", "approbation", "classement", "jugement-majoritaire", "notes"):
        result = count(PollSpec(method, ["A", "B"]), [])
        assert result.winners == [] and result.outcome == "aucun", method
    irv = count(PollSpec("classement", ["A", "B"], irv=True), [])
    assert irv.winners == [] and irv.outcome == "aucun"


def test_notes_mean_and_missing_scores():
    spec = PollSpec("notes", ["A", "B"])
    result = count(spec, [Ballot({"0": 5, "1": 2}), Ballot({"1": 4}), Ballot({}, 2)])
    assert result.counts == {"A": 5, "B": 6}
    assert result.tally is not None and result.tally.means == {
        "A": Fraction(5, 4),
        "B": Fraction(3, 2),
    }
    assert result.winners == ["B"]


def test_majority_judgment_missing_grade_is_reject():
    spec = PollSpec("jugement-majoritaire", ["A", "B"])
    result = count(spec, [Ballot({"0": 6}), Ballot({"0": 6}), Ballot({"1": 3, "0": 2})])
    assert result.majority_judgment is not None
    a, b = result.majority_judgment.profiles
    assert (a.median, a.gauge) == (6, "-") and (b.median, b.gauge) == (0, "+")
    assert result.winners == ["A"]


def test_irv_overvote_and_skipped_rank():
    spec = PollSpec("classement", ["A", "B", "C"], irv=True)
    ballots = [
        Ballot({"0": 1}, 3),
        Ballot({"1": 1}, 2),
        Ballot({"2": 1, "0": 3}, 1),  # skipped rank 2: goes to A when C is out
        Ballot({"2": 1, "0": 2, "1": 2}, 1),  # overvote A=B when C is out: exhausted for good
    ]
    result = count(spec, ballots)
    assert result.rounds[0].votes == {"A": 3, "B": 2, "C": 2}
    # C (2) ties B (2): count-back has no earlier round, the lot decides. Check both ways.
    for rnd in result.rounds:
        if rnd.eliminated == ["C"]:
            assert rnd.transfers == {"A": 1, "": 1}
            nxt = result.rounds[rnd.number]
            assert nxt.overvotes == 1 and nxt.exhausted == 1
    assert result.tie_breaks and result.tie_breaks[0].rule == "lot"


def test_schulze_default_option_wins_when_nothing_beats_it():
    spec = PollSpec("classement", ["A", "Aucune"], default_option="Aucune")
    result = count(spec, [Ballot({"1": 1, "0": 2}, 2), Ballot({"0": 1}, 1)])
    assert result.winners == ["Aucune"]
    assert result.schulze is not None and result.schulze.dropped == {"A": (1, 2)}


@pytest.mark.parametrize(
    ("method", "content"),
    [
        ("pour-contre", "oui"),
        ("choix-unique", [0, 1]),
        ("choix-unique", [5]),
        ("approbation", [0, 0]),
        ("classement", {"0": 0}),
        ("classement", ["A"]),
        ("jugement-majoritaire", {"0": 7}),
        ("notes", {"0": 6}),
        ("notes", {"9": 1}),
    ],
)
def test_malformed_ballots_are_refused(method, content):
    with pytest.raises(CountError):
        count(PollSpec(method, ["A", "B"]), [Ballot(content)])


def test_bad_specs():
    with pytest.raises(CountError):
        PollSpec("borda", ["A"])
    with pytest.raises(CountError):
        PollSpec("classement", ["A", "A"])
    with pytest.raises(CountError):
        PollSpec("classement", ["A"], default_option="B")
    with pytest.raises(CountError):
        count(PollSpec("choix-unique", ["A"]), [Ballot([0], -1)])
    with pytest.raises(CountError):
        count(PollSpec("approbation", ["A", "B"], max_choices=1), [Ballot([0, 1])])
