"""Matching what an élu typed against the known collectivités (pure, no I/O)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtes_bot.matching import confident, normalize, rank, score

KNOWN = [
    (1, "Grenoble"),
    (2, "Grenoble-Alpes Métropole"),
    (3, "Saint-Martin-d'Hères"),
    (4, "Lyon"),
    (5, "Saint-Étienne"),
    (6, "Grenade"),
    (7, "Région Auvergne-Rhône-Alpes"),
    (8, "Département de l'Isère"),
    (9, "Échirolles"),
]


@pytest.mark.parametrize(
    "typed",
    ["grenoble", "Grenoble", "GRENOBLE", "Ville de Grenoble", "ville de grenoble", "Grenobel",
     "Mairie de Grenoble", "Commune de Grenoble", "  grenoble  "],
)  # fmt: skip
def test_grenoble_is_found_whatever_the_case_prefix_or_typo(typed: str) -> None:
    candidates = rank(typed, KNOWN)
    assert candidates[0].key == 1
    assert candidates[0].name == "Grenoble"
    assert confident(candidates) is not None and confident(candidates).key == 1


def test_candidates_are_ranked_with_scores() -> None:
    candidates = rank("Grenobel", KNOWN)
    assert [c.key for c in candidates][:2] == [1, 2]
    assert candidates[0].score > candidates[1].score
    assert all(0 < c.score <= 100 for c in candidates)


def test_accents_and_abbreviations_do_not_matter() -> None:
    assert rank("st etienne", KNOWN)[0].key == 5
    assert rank("Mairie d'Echirolles", KNOWN)[0].key == 9
    assert rank("auvergne rhone alpes", KNOWN)[0].key == 7
    assert rank("isere", KNOWN)[0].key == 8


def test_metropole_prefix_is_dropped() -> None:
    assert normalize("Métropole de Lyon") == "lyon"
    assert normalize("Ville de Saint-Étienne") == "saint etienne"
    assert normalize("Grenoble-Alpes Métropole") == "grenoble alpes"


def test_an_unknown_collectivite_finds_nothing() -> None:
    assert rank("Paris", KNOWN) == []
    assert rank("", KNOWN) == []
    assert confident([]) is None


def test_a_different_town_with_a_close_name_is_not_confident() -> None:
    # « Grenade » is not « Grenoble »: below the cutoff.
    assert all(c.key != 1 for c in rank("Grenade", KNOWN))


def test_two_equally_good_names_are_not_preselected() -> None:
    candidates = rank("lyon", [(1, "Lyon"), (2, "Métropole de Lyon")])
    assert {c.key for c in candidates} == {1, 2}
    assert confident(candidates) is None


@given(st.text(max_size=40))
def test_scores_stay_between_0_and_100(text: str) -> None:
    for _, name in KNOWN:
        assert 0 <= score(text, name) <= 100


@given(st.sampled_from([name for _, name in KNOWN]))
def test_a_known_name_always_finds_itself_first(name: str) -> None:
    assert rank(name, KNOWN)[0].name == name
    assert rank(name.upper(), KNOWN)[0].score == 100
