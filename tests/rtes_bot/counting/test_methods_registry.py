"""The method registry: one object per voting method, its facts, ballot completeness, the refusal
of incomplete grade/score text ballots, and the one-click correction of a near miss."""

from __future__ import annotations

import ast

import pytest

from rtes_bot.catalog import has, t
from rtes_bot.counting import (
    METHOD_REGISTRY,
    METHODS,
    Ballot,
    BallotTextError,
    CountError,
    PollSpec,
    VotingMethod,
    count,
    format_ballot,
    method_of,
    parse_ballot_text,
    read_ballots_csv,
    result_to_json,
)
from rtes_bot.counting.ballots import normalise
from tests.support import paths

PACKAGE = paths.ROOT / "rtes_bot" / "counting"


# ----------------------------------------------------------------------------- the registry


@pytest.mark.parametrize(
    ("name", "needs_options", "max_choices", "irv", "majority", "ui_kind", "one_click"),
    [
        (
            "pour-contre",
            False,
            False,
            False,
            True,
            "choice-buttons",
            ("pour", "contre", "abstention"),
        ),
        ("choix-unique", True, False, False, False, "select-one", ()),
        ("approbation", True, True, False, False, "select-many", ()),
        ("classement", True, False, True, False, "ranking", ()),
        ("jugement-majoritaire", True, False, False, False, "grades", ()),
        ("notes", True, False, False, False, "scores", ()),
    ],
)
def test_facts_of_each_method(name, needs_options, max_choices, irv, majority, ui_kind, one_click):
    method = method_of(name)
    assert isinstance(method, VotingMethod)
    assert method is METHOD_REGISTRY[name]
    assert method.name == name
    assert method.needs_options is needs_options
    assert method.accepts_max_choices is max_choices
    assert method.accepts_irv is irv
    assert method.accepts_majority is majority
    assert method.accepts_proposal is (name == "pour-contre")
    assert method.reads_abif is (name == "classement")
    assert method.ui_kind == ui_kind
    assert method.one_click_choices == one_click


def test_registry_holds_every_method_in_order():
    assert tuple(METHOD_REGISTRY) == METHODS
    assert len({type(m) for m in METHOD_REGISTRY.values()}) == len(METHODS)
    for name in METHODS:
        assert PollSpec(name, ["A", "B"]).voting_method is method_of(name)


def test_every_method_has_its_names_and_syntax_help_in_the_catalog():
    for name in METHOD_REGISTRY:
        assert has(f"counting.method.{name}"), name
        assert has(f"vote.syntaxe.{name}"), name


@pytest.mark.parametrize("name", ["vote", "", "Pour-Contre", None, ["notes"]])
def test_unknown_method_is_a_count_error(name):
    with pytest.raises(CountError, match="unknown method"):
        method_of(name)
    with pytest.raises(CountError, match="unknown method"):
        PollSpec(name, ["A", "B"])


def test_labels_and_grade_values():
    options = ["A", "B", "C"]
    assert method_of("pour-contre").labels(PollSpec("pour-contre")) == (
        "pour",
        "contre",
        "abstention",
    )
    for name in METHODS[1:]:
        assert method_of(name).labels(PollSpec(name, options)) == ("A", "B", "C")
    mj = PollSpec("jugement-majoritaire", options)
    assert mj.voting_method.grade_values(mj) == (6, 5, 4, 3, 2, 1, 0)
    assert [mj.voting_method.grade_label(v, "fr") for v in (6, 0)] == ["Excellent", "À rejeter"]
    assert mj.voting_method.grade_label(5, "en") == "Very good"
    notes = PollSpec("notes", options)
    assert notes.voting_method.grade_values(notes) == (0, 1, 2, 3, 4, 5)
    assert notes.voting_method.grade_label(3, "fr") == "3"
    ten = PollSpec("notes", options, max_score=10)
    assert ten.voting_method.grade_values(ten) == tuple(range(11))
    for name in ("pour-contre", "choix-unique", "approbation", "classement"):
        spec = PollSpec(name, options)
        assert spec.voting_method.grade_values(spec) == ()


def test_display_names():
    assert method_of("classement").display_name("fr") == "Classement (méthode Schulze)"
    assert method_of("classement").display_name("en", irv=True) == (
        "Ranking (instant-runoff voting, IRV)"
    )
    assert method_of("notes").display_name("fr", max_score=10) == "Vote par notes (0 à 10)"
    assert method_of("pour-contre").display_name("en", irv=True) == "For or against"


def test_count_through_the_registry_is_count():
    spec = PollSpec("approbation", ["A", "B", "C"])
    ballots = [Ballot([0, 2]), Ballot([2], 3), Ballot([])]
    assert result_to_json(spec.voting_method.count(spec, ballots)) == result_to_json(
        count(spec, ballots)
    )
    with pytest.raises(CountError):
        method_of("notes").count(spec, ballots)


# ----------------------------------------------------------------------------- completeness


@pytest.mark.parametrize(
    ("name", "content", "complete"),
    [
        ("pour-contre", None, False),
        ("pour-contre", "abstention", True),
        ("choix-unique", None, False),
        ("choix-unique", [], False),
        ("choix-unique", [1], True),
        ("approbation", None, True),
        ("approbation", [], True),
        ("approbation", [0, 2], True),
        ("classement", {}, False),
        ("classement", {"1": 1}, True),
        ("jugement-majoritaire", {}, False),
        ("jugement-majoritaire", {"0": 6, "2": 0}, False),
        ("jugement-majoritaire", {"0": 6, "1": 0, "2": 3}, True),
        ("notes", {"0": 0, "1": 0}, False),
        ("notes", {"0": 0, "1": 0, "2": 5}, True),
    ],
)
def test_is_complete(name, content, complete):
    spec = PollSpec(name, ["A", "B", "C"])
    assert spec.voting_method.is_complete(spec, content) is complete


def test_missing():
    options = ["A", "B", "C"]
    for name in ("jugement-majoritaire", "notes"):
        spec = PollSpec(name, options)
        method = spec.voting_method
        assert method.missing(spec, {"1": 2}) == [0, 2]
        assert method.missing(spec, {0: 1, 2: 1}) == [1]
        assert method.missing(spec, {"0": 1, "1": 0, "2": 1}) == []
        assert method.missing(spec, {}) == [0, 1, 2]
        assert method.missing(spec, None) == [0, 1, 2]
    for name, content in [
        ("pour-contre", "pour"),
        ("choix-unique", []),
        ("approbation", [1]),
        ("classement", {"0": 1}),
    ]:
        spec = PollSpec(name, options)
        assert spec.voting_method.missing(spec, content) == []


# ----------------------------------------------------------------------------- incomplete grades


@pytest.mark.parametrize(
    ("name", "text", "key", "french", "english"),
    [
        (
            "jugement-majoritaire",
            "B: Bien",
            "counting.parse.missing_grades",
            "Il manque une mention pour : « A », « C ». Donnez une mention à chaque option.",
            "A grade is missing for: « A », « C ». Give each option a grade.",
        ),
        (
            "jugement-majoritaire",
            "C: 2; A: excellent",
            "counting.parse.missing_grades",
            "Il manque une mention pour : « B ». Donnez une mention à chaque option.",
            "A grade is missing for: « B ». Give each option a grade.",
        ),
        (
            "notes",
            "2: 4",
            "counting.parse.missing_scores",
            "Il manque une note pour : « A », « C ». Donnez une note à chaque option.",
            "A score is missing for: « A », « C ». Give each option a score.",
        ),
    ],
)
def test_text_ballot_leaving_options_ungraded_is_refused(name, text, key, french, english):
    spec = PollSpec(name, ["A", "B", "C"])
    with pytest.raises(BallotTextError) as caught:
        parse_ballot_text(spec, text)
    error = caught.value
    assert error.key == key
    assert error.message("fr") == french == t(key, "fr", **error.params)
    assert error.message("en") == english
    assert error.suggestion_text is None


def test_complete_grade_ballot_is_read_and_echoed():
    spec = PollSpec("jugement-majoritaire", ["A", "B", "C"])
    content = parse_ballot_text(spec, "C: 2; A: excellent; B: à rejeter")
    assert content == {"0": 6, "1": 0, "2": 2}
    assert format_ballot(spec, content, "fr") == "A: Excellent; B: À rejeter; C: Passable"


def test_stored_and_file_ballots_may_still_leave_options_out():
    """Only the text parser refuses: old stored ballots and CSV files recount as before."""
    spec = PollSpec("jugement-majoritaire", ["A", "B", "C"])
    assert normalise(spec, {"0": 4}) == (4, 0, 0)
    options, ballots = read_ballots_csv("A,B,C\nBien,,\n,Excellent,Passable\n", spec.method)
    assert [b.content for b in ballots] == [{"0": 4}, {"1": 6, "2": 2}]
    result = count(PollSpec(spec.method, options), ballots)
    assert result.turnout == 2
    notes = PollSpec("notes", ["A", "B"])
    assert normalise(notes, {"1": 3}) == (0, 3)
    assert count(notes, [Ballot({"1": 3})]).counts == {"A": 0, "B": 3}


# ----------------------------------------------------------------------------- near misses


def near_miss(spec: PollSpec, text: str) -> BallotTextError:
    with pytest.raises(BallotTextError) as caught:
        parse_ballot_text(spec, text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "corrected", "content"),
    [
        ("pourr", "pour", "pour"),
        ("  Pourr  ", "pour", "pour"),
        ("contr", "contre", "contre"),
        ("agaisnt", "against", "contre"),
        # two words of the same answer are one candidate
        ("abst", "abstain", "abstention"),
    ],
)
def test_pour_contre_typo_is_corrected(text, corrected, content):
    spec = PollSpec("pour-contre")
    error = near_miss(spec, text)
    assert error.key == "counting.parse.pour_contre"
    assert error.suggestion_text == corrected
    assert parse_ballot_text(spec, error.suggestion_text) == content


def test_pour_contre_without_a_close_word_has_no_suggestion():
    error = near_miss(PollSpec("pour-contre"), "peut-être")
    assert error.key == "counting.parse.pour_contre"
    assert error.suggestion_text is None


def test_single_choice_near_miss():
    spec = PollSpec("choix-unique", ["Rouge", "Vert", "Bleu"])
    error = near_miss(spec, "rouje")
    assert (error.key, error.params) == (
        "counting.parse.unknown_option_suggest",
        {"given": "rouje", "suggestion": "Rouge"},
    )
    assert error.suggestion_text == "Rouge"
    assert parse_ballot_text(spec, error.suggestion_text) == [0]


def test_ranking_near_miss_keeps_the_rest_of_the_text():
    spec = PollSpec("classement", ["A", "B", "C"])
    error = near_miss(spec, "A > Bx > C")
    assert error.key == "counting.parse.unknown_option_suggest"
    assert error.params["suggestion"] == "B"
    assert error.suggestion_text == "A > B > C"
    assert parse_ballot_text(spec, error.suggestion_text) == {"0": 1, "1": 2, "2": 3}
    assert near_miss(spec, " C >A =   Bx ").suggestion_text == "C >A =   B"


def test_approval_and_grade_near_misses():
    approval = PollSpec("approbation", ["Rouge", "Vert", "Bleu"])
    assert near_miss(approval, "Rouge; Vret").suggestion_text == "Rouge; Vert"
    mj = PollSpec("jugement-majoritaire", ["Rouge", "Vert"])
    error = near_miss(mj, "Rouge: Tres bein; Vert: Bien")
    assert error.key == "counting.parse.unknown_grade_suggest"
    assert error.suggestion_text == "Rouge: Très bien; Vert: Bien"
    assert near_miss(mj, "Rouje: Bien; Vert: 3").suggestion_text == "Rouge: Bien; Vert: 3"


def test_two_close_candidates_give_no_suggestion_text():
    spec = PollSpec("choix-unique", ["Option A", "Option B", "Autre"])
    error = near_miss(spec, "Option")
    assert error.key == "counting.parse.unknown_option_suggest"  # the message still suggests
    assert error.params["suggestion"] == "Option A"
    assert error.suggestion_text is None


def test_no_suggestion_text_when_the_corrected_text_is_refused():
    approval = PollSpec("approbation", ["Rouge", "Vert", "Bleu"])
    assert near_miss(approval, "Rouge; Rouje").suggestion_text is None  # duplicate
    mj = PollSpec("jugement-majoritaire", ["Rouge", "Vert"])
    assert near_miss(mj, "Rouge: Bein").suggestion_text is None  # Vert still ungraded
    assert near_miss(mj, "Rouge: Bein; Vert: Super").suggestion_text is None  # second error
    limited = PollSpec("approbation", ["Rouge", "Vert", "Bleu"], max_choices=1)
    assert near_miss(limited, "Rouge; Vret").key == "counting.parse.unknown_option_suggest"
    assert near_miss(limited, "Rouge; Vret").suggestion_text is None  # too many


def test_other_errors_have_no_suggestion_text():
    spec = PollSpec("choix-unique", ["Rouge", "Vert"])
    for text in ("", "Zzz", "7", "Rouge; Vert"):
        assert near_miss(spec, text).suggestion_text is None


# ----------------------------------------------------------------------------- no string dispatch

_METHOD_NAMES = set(METHODS) | {
    "POUR_CONTRE",
    "CHOIX_UNIQUE",
    "APPROBATION",
    "CLASSEMENT",
    "JUGEMENT_MAJORITAIRE",
    "NOTES",
}


def _is_method(node: ast.expr) -> bool:
    """``method``, ``x.method``, a method-name constant or a method-name string."""
    if isinstance(node, ast.Name):
        return node.id == "method" or node.id in _METHOD_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr == "method"
    if isinstance(node, ast.Constant):
        return node.value in _METHOD_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_method(element) for element in node.elts)
    return False


def test_no_method_comparison_outside_the_registry():
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "methods.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            if any(_is_method(operand) for operand in operands):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []
    # and the scan does see such a comparison
    sample = ast.parse('if spec.method == "notes" or method in (POUR_CONTRE, NOTES): pass')
    assert sum(isinstance(n, ast.Compare) for n in ast.walk(sample)) == 2
    assert all(
        any(_is_method(o) for o in [n.left, *n.comparators])
        for n in ast.walk(sample)
        if isinstance(n, ast.Compare)
    )


def test_every_method_step_is_abstract_in_the_base_and_implemented_by_each_method() -> None:
    """A method that forgets a step cannot be built (the registry would not import)."""
    import inspect

    from rtes_bot.counting.methods import VotingMethod

    assert {"_read", "format", "normalise", "is_complete", "tally", "csv_cells", "csv_content"} <= (
        VotingMethod.__abstractmethods__
    )
    with pytest.raises(TypeError):
        VotingMethod()  # type: ignore[abstract]
    for method in METHOD_REGISTRY.values():
        assert not inspect.isabstract(type(method)), method
