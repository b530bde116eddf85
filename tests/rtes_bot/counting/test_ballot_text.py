"""The /voter choix: text syntax and every error, with its catalog message in both languages."""

from __future__ import annotations

import pytest

from rtes_bot.catalog import has, t
from rtes_bot.counting import BallotTextError, PollSpec, format_ballot, parse_ballot_text

OPTIONS = ["Option A", "Option B", "Écoles rurales"]


def spec(method: str, **kwargs) -> PollSpec:
    return PollSpec(method, OPTIONS, **kwargs)


@pytest.mark.parametrize(
    ("method", "text", "content"),
    [
        ("pour-contre", "Pour", "pour"),
        ("pour-contre", " contre ", "contre"),
        ("pour-contre", "abstention", "abstention"),
        ("pour-contre", "For", "pour"),
        ("pour-contre", "against", "contre"),
        ("pour-contre", "ABSTAIN", "abstention"),
        ("choix-unique", "option b", [1]),
        ("choix-unique", "2", [1]),
        ("choix-unique", "ecoles   RURALES", [2]),
        ("approbation", "Option A; Écoles rurales", [0, 2]),
        ("approbation", "3 ; 1", [0, 2]),
        ("classement", "Option B > Option A = Écoles rurales", {"0": 2, "1": 1, "2": 2}),
        ("classement", "3 > 1", {"0": 2, "2": 1}),
        ("classement", "Option A", {"0": 1}),
        (
            "jugement-majoritaire",
            "Option A: Très bien; Option B: Passable; Écoles rurales: Bien",
            {"0": 5, "1": 2, "2": 4},
        ),
        (
            "jugement-majoritaire",
            "option a: tres bien ; 3: à rejeter; 2: passable",
            {"0": 5, "1": 2, "2": 0},
        ),
        (
            "jugement-majoritaire",
            "Option B: Very good; Option A: excellent; Écoles rurales: fair",
            {"0": 6, "1": 5, "2": 2},
        ),
        ("jugement-majoritaire", "Option A: 4; Option B: 0; 3: 6", {"0": 4, "1": 0, "2": 6}),
        ("notes", "Option A: 4; Option B: 2; Écoles rurales: 0", {"0": 4, "1": 2, "2": 0}),
        ("notes", "3: 0; 1: 5; 2: 1", {"0": 5, "1": 1, "2": 0}),
    ],
)
def test_parse(method, text, content):
    assert parse_ballot_text(spec(method), text) == content


@pytest.mark.parametrize(
    ("method", "text", "key", "params"),
    [
        ("choix-unique", "", "counting.parse.empty", {}),
        ("approbation", "   ", "counting.parse.empty", {}),
        ("pour-contre", "peut-être", "counting.parse.pour_contre", {"given": "peut-être"}),
        (
            "choix-unique",
            "Optoin B",
            "counting.parse.unknown_option_suggest",
            {"given": "Optoin B", "suggestion": "Option B"},
        ),
        ("choix-unique", "Zzz", "counting.parse.unknown_option", {"given": "Zzz"}),
        ("choix-unique", "4", "counting.parse.number_out_of_range", {"number": 4, "count": 3}),
        ("choix-unique", "Option A; Option B", "counting.parse.single_choice", {"given": 2}),
        ("approbation", "Option A; 1", "counting.parse.duplicate", {"option": "Option A"}),
        ("approbation", "Option A;; Option B", "counting.parse.empty_item", {}),
        (
            "classement",
            "Option A > Option B > option a",
            "counting.parse.duplicate",
            {"option": "Option A"},
        ),
        ("classement", "Option A; Option B", "counting.parse.ranking_syntax", {}),
        (
            "jugement-majoritaire",
            "Option A: Super",
            "counting.parse.unknown_grade",
            {"given": "Super"},  # quoted without the space after « : »
        ),
        (
            "jugement-majoritaire",
            "Option A: Tres bein",
            "counting.parse.unknown_grade_suggest",
            {"suggestion": "Très bien"},
        ),
        ("jugement-majoritaire", "Option A: 7", "counting.parse.grade_out_of_range", {"max": 6}),
        (
            "jugement-majoritaire",
            "Option A Bien",
            "counting.parse.missing_value",
            {"item": "Option A Bien"},
        ),
        (
            "jugement-majoritaire",
            "Option A:",
            "counting.parse.missing_value",
            {"item": "Option A:"},
        ),
        ("notes", "Option A: 6", "counting.parse.score_out_of_range", {"given": "6", "max": 5}),
        ("notes", "Option A: -1", "counting.parse.score_out_of_range", {"max": 5}),
        ("notes", "Option A: beaucoup", "counting.parse.not_a_score", {"max": 5}),
        ("notes", "Option A: 2; Option A: 3", "counting.parse.duplicate", {"option": "Option A"}),
    ],
)
def test_errors(method, text, key, params):
    with pytest.raises(BallotTextError) as caught:
        parse_ballot_text(spec(method), text)
    error = caught.value
    assert error.key == key and has(key)
    for name, value in params.items():
        assert error.params[name] == value
    french, english = error.message("fr"), error.message("en-US")
    assert french and english and french != english
    assert french == t(error.key, "fr", **error.params)


def test_suggestion_message_wording():
    with pytest.raises(BallotTextError) as caught:
        parse_ballot_text(spec("choix-unique"), "Optoin B")
    assert caught.value.message("fr") == "« Optoin B » : vouliez-vous dire « Option B » ?"
    assert caught.value.message("en") == "“Optoin B”: did you mean “Option B”?"


def test_too_many_choices():
    limited = spec("approbation", max_choices=2)
    assert parse_ballot_text(limited, "1; 2") == [0, 1]
    with pytest.raises(BallotTextError) as caught:
        parse_ballot_text(limited, "1; 2; 3")
    assert (caught.value.key, caught.value.params) == (
        "counting.parse.too_many",
        {"given": 3, "max": 2},
    )


def test_label_wins_over_number():
    numbered = PollSpec("choix-unique", ["2", "1"])
    assert parse_ballot_text(numbered, "1") == [1]


@pytest.mark.parametrize(
    ("method", "text"),
    [
        ("pour-contre", "contre"),
        ("approbation", "Option A; Écoles rurales"),
        ("classement", "Option B > Option A = Écoles rurales"),
        ("jugement-majoritaire", "Option A: Très bien; Option B: Passable; Écoles rurales: Bien"),
        ("notes", "Option A: 4; Option B: 2; Écoles rurales: 0"),
    ],
)
def test_format_round_trip(method, text):
    content = parse_ballot_text(spec(method), text)
    for locale in ("fr", "en"):
        echoed = format_ballot(spec(method), content, locale)
        assert parse_ballot_text(spec(method), echoed) == content
