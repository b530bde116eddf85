"""The outcome sentence every published result starts with: whole votes only, and never a
contradiction with the counting module's own decision (property tests against ``count``)."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtes_bot.counting import Ballot, PollSpec, count
from rtes_bot.counting.render import outcome_sentence, render_result, turnout_line
from tests.rtes_bot.counting.test_properties import ranked_profiles
from tests.support.catalog import fixed_part, opening, said

SETTINGS = settings(max_examples=400, deadline=None)
FRACTIONAL = re.compile(r"\d[,.]\d")


def _rule(majority: str, x: int, contre: int, base: int, expressed: int) -> bool:
    """The documented rule (docs/rules.md), written independently of the counting module: does
    ``x`` votes for adopt, the other counts as they stand?"""
    beats_against = x > contre
    if majority == "simple":
        return beats_against
    if majority == "absolue":
        return 2 * x > base and beats_against
    return 3 * x >= 2 * expressed and beats_against


@st.composite
def motions(draw):
    pour, contre, abstention = (draw(st.integers(0, 40)) for _ in range(3))
    turnout = pour + contre + abstention
    electorate = draw(st.one_of(st.none(), st.integers(max(turnout, 1), turnout + 60)))
    quorum = Fraction(draw(st.integers(0, 100)), 100) if electorate is not None else Fraction(0)
    majority = draw(st.sampled_from(["simple", "absolue", "deux-tiers"]))
    return pour, contre, abstention, electorate, quorum, majority


def _count(pour, contre, abstention, electorate, quorum, majority):
    spec = PollSpec("pour-contre", majority=majority, electorate_weight=electorate, quorum=quorum)
    ballots = [Ballot(c, w) for c, w in (("pour", pour), ("contre", contre)) if w]
    ballots += [Ballot("abstention", abstention)] if abstention else []
    return count(spec, ballots)


@SETTINGS
@given(motions(), st.sampled_from(["fr", "en"]))
def test_the_pour_contre_sentence_states_the_smallest_whole_number_and_agrees(motion, locale):
    pour, contre, abstention, electorate, quorum, majority = motion
    result = _count(*motion)
    sentence = outcome_sentence(result, locale)
    line = turnout_line(result, locale)
    assert not FRACTIONAL.search(sentence), sentence
    assert "{" not in sentence and "counting." not in sentence
    required = quorum * electorate if electorate is not None else Fraction(0)
    if result.outcome == "quorum-non-atteint":
        # A failed quorum says only that, in whole votes.
        assert sentence.startswith(fixed_part("counting.sentence.quorum_failed", locale)[:20])
        needed = int(re.findall(r"(\d+) (?:voix|votes?)\b", sentence)[-1])
        assert needed == math.ceil(required) and result.turnout < needed
        for other in ("adoptee", "rejetee"):
            assert said(f"counting.sentence.{other}", locale).split(":")[0] not in sentence
        assert "gal" not in sentence and "tie" not in sentence.lower()
        return
    if not required:
        assert "quorum" not in line.lower() and "quorum" not in sentence.lower()
    else:
        needed = int(re.findall(r"(\d+) (?:voix|votes?)\b", line)[-1])
        assert needed == math.ceil(required) and result.turnout >= needed
    word = said(f"counting.sentence.{result.outcome}", locale).split(":")[0]
    assert sentence.startswith(word)
    assert f"{pour} " in sentence and f"{contre} " in sentence
    needed = int(re.search(r"(\d+) (?:voix|votes?) (?:pour|for)", sentence).group(1))
    base = electorate if electorate is not None else pour + contre + abstention
    expressed = pour + contre
    # The stated number is the smallest that satisfies the rule, the base fixed...
    assert _rule(majority, needed, contre, base, expressed)
    assert needed == 0 or not _rule(majority, needed - 1, contre, base, expressed)
    # ...and it agrees with what the counting module decided.
    assert (pour >= needed) == (result.outcome == "adoptee")
    # The numbers the rule is computed on are in the sentence.
    if majority == "deux-tiers" and "deux tiers" in sentence:
        assert f"{expressed} suffrages" in sentence
    if majority == "absolue" and electorate is not None and ("moitié" in sentence):
        assert f"{electorate} voix du corps" in sentence


def test_the_example_of_the_issue_reads_as_asked():
    result = _count(12, 4, 0, 40, Fraction(0), "deux-tiers")
    assert outcome_sentence(result, "fr") == (
        "**Adoptée** : 12 pour, 4 contre ; il fallait au moins 11 voix pour "
        "(deux tiers des 16 suffrages exprimés)."
    )
    assert outcome_sentence(result, "en") == (
        "**Adopted**: 12 for, 4 against; at least 11 votes for were needed "
        "(two thirds of the 16 votes cast for or against)."
    )
    # Absolute majority of 7: more than 3.5 means 4, never « 3,5 voix requises ».
    absolute = _count(4, 1, 0, 7, Fraction(0), "absolue")
    assert "au moins 4 voix pour" in outcome_sentence(absolute, "fr")
    assert "3,5" not in render_result(absolute, "fr")
    # No quorum: no quorum line anywhere.
    assert "uorum" not in render_result(absolute, "fr")
    # A tie rejects, said through the threshold (one more vote for was needed).
    tie = _count(5, 5, 2, 20, Fraction(0), "simple")
    assert outcome_sentence(tie, "fr").startswith("**Rejetée** : 5 pour, 5 contre, 2 abstentions")
    assert "au moins 6 voix pour" in outcome_sentence(tie, "fr")
    # A failed quorum on a tie says only the quorum.
    failed = _count(2, 2, 0, 30, Fraction(1, 4), "simple")
    text = render_result(failed, "fr")
    assert text.splitlines()[0] == (
        "**Quorum non atteint** : participation de 4 voix sur 30 ; il en fallait au moins "
        "8 voix (quorum de 25 %)."
    )
    assert "Égalité :" not in text and "rejet" not in text.splitlines()[0]


OPTIONS = ["Rouge", "Vert", "Bleu", "Jaune"]


@st.composite
def plurality(draw):
    n = draw(st.integers(2, 4))
    votes = [draw(st.integers(0, 12)) for _ in range(n)]
    blank = draw(st.integers(0, 3))
    return OPTIONS[:n], votes, blank


@SETTINGS
@given(plurality(), st.sampled_from(["fr", "en"]))
def test_the_choice_sentences_name_the_winner_or_the_tie_with_whole_counts(case, locale):
    options, votes, blank = case
    ballots = [Ballot([i], w) for i, w in enumerate(votes) if w]
    ballots += [Ballot([], blank)] if blank else []
    result = count(PollSpec("choix-unique", options), ballots)
    sentence = outcome_sentence(result, locale)
    assert not FRACTIONAL.search(sentence)
    if result.outcome == "aucun":
        assert sentence == said("counting.sentence.aucun", locale)
        return
    top = max(votes)
    figures = [int(x) for x in re.findall(r"\d+", sentence)]
    assert figures == [top, sum(votes)]
    for option in options:
        assert (option in sentence) == (option in result.winners)
    key = "elu" if result.outcome == "elu" else "egalite"
    assert sentence.startswith(said(f"counting.sentence.{key}.choix-unique", locale)[:8])


@pytest.mark.parametrize(
    ("spec", "ballots", "expected"),
    [
        (
            PollSpec("approbation", ["A", "B", "C"]),
            [Ballot([0, 1], 3), Ballot([1], 2), Ballot([], 1)],
            "**Option retenue : « B »**, approuvée par 5 voix sur 6.",
        ),
        (
            PollSpec("classement", ["A", "B", "C"]),
            [Ballot({"0": 1, "1": 2, "2": 3}, 5), Ballot({"1": 1, "0": 2}, 4)],
            "**Option retenue : « A »**, préférée en duel à chacune des autres options ; "
            "son duel le plus serré : 5 voix contre 4 face à « B ».",
        ),
        (
            PollSpec("classement", ["A", "B", "C"], irv=True, seed="s"),
            [Ballot({"0": 1, "1": 2}, 4), Ballot({"1": 1}, 3), Ballot({"2": 1, "1": 2}, 2)],
            "**Option retenue : « B »**, majoritaire au tour 2 avec 5 voix sur 9 bulletins "
            "encore en jeu.",
        ),
        (
            PollSpec("jugement-majoritaire", ["A", "B"]),
            [Ballot({"0": 4, "1": 2}, 3), Ballot({"0": 2, "1": 5}, 2)],
            "**Option retenue : « A »**, mention majoritaire « Bien − » : 3 voix sur 5 lui "
            "donnent « Bien » ou mieux.",
        ),
        (
            PollSpec("notes", ["A", "B"]),
            [Ballot({"0": 5, "1": 2}, 2), Ballot({"0": 1, "1": 4})],
            "**Option retenue : « A »**, avec 11 points, devant « B » (8 points).",
        ),
        (
            PollSpec("choix-unique", ["A", "B"]),
            [Ballot([0], 3), Ballot([1], 3)],
            "**Égalité entre « A » et « B »**, avec 3 voix chacune sur 6 suffrages exprimés : "
            "aucune règle ne les départage.",
        ),
    ],
)
def test_every_method_has_its_plain_sentence(spec, ballots, expected):
    result = count(spec, ballots)
    assert outcome_sentence(result, "fr") == expected
    assert render_result(result, "fr").splitlines()[0] == expected
    english = outcome_sentence(result, "en")
    assert english != expected and not FRACTIONAL.search(english)


@SETTINGS
@given(ranked_profiles(), st.booleans(), st.sampled_from(["fr", "en"]))
def test_the_ranking_sentences_agree_with_the_count(profile, irv, locale):
    options, ballots = profile
    result = count(PollSpec("classement", options, irv=irv, seed="s"), ballots)
    sentence = outcome_sentence(result, locale)
    assert not FRACTIONAL.search(sentence) and "{" not in sentence
    if result.outcome == "aucun":
        assert sentence == said("counting.sentence.aucun", locale)
        return
    named = set(re.findall(r"[«“] ?([A-E]) ?[»”]", sentence))
    if result.outcome == "elu":
        assert sentence.startswith(opening("counting.sentence.elu.classement", locale))
        assert result.winners[0] in named
        if irv:
            last = result.rounds[-1]
            figures = [int(x) for x in re.findall(r"\d+", sentence)]
            assert figures == [last.number, last.votes[result.winners[0]], sum(last.votes.values())]
        elif result.schulze.condorcet_winner == result.winners[0]:
            won, lost = (int(x) for x in re.findall(r"\d+", sentence))
            i = options.index(result.winners[0])
            rival = (named - {result.winners[0]}).pop()
            j = options.index(rival)
            assert (won, lost) == (result.schulze.pairwise[i][j], result.schulze.pairwise[j][i])
            assert won > lost
    else:
        assert result.outcome == "egalite"
        assert sentence.startswith(opening("counting.sentence.egalite.classement", locale))
        if len(result.winners) <= 4:
            assert named == set(result.winners)
