"""Anonymised ballot files: CSV for every method, ABIF for classement, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtes_bot.counting import (
    Ballot,
    CountError,
    PollSpec,
    count,
    read_abif,
    read_ballots,
    read_ballots_csv,
    result_to_json,
    write_abif,
    write_ballots_csv,
)
from rtes_bot.counting.ballots import dense_ranks

OPTIONS = ["Option A", "Option B, la seconde", "Écoles"]


def contents(method: str, n: int = 3) -> st.SearchStrategy:
    keys = st.sampled_from([str(i) for i in range(n)])
    if method == "pour-contre":
        return st.sampled_from(["pour", "contre", "abstention"])
    if method == "choix-unique":
        return st.one_of(st.just([]), st.integers(0, n - 1).map(lambda i: [i]))
    if method == "approbation":
        return st.sets(st.integers(0, n - 1)).map(sorted)
    if method == "classement":
        return st.dictionaries(keys, st.integers(1, n)).map(dense_ranks)
    top = 6 if method == "jugement-majoritaire" else 5
    return st.dictionaries(keys, st.integers(0, top)).map(lambda d: dict(sorted(d.items())))


@pytest.mark.parametrize(
    "method",
    ["pour-contre", "choix-unique", "approbation", "classement", "jugement-majoritaire", "notes"],
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_csv_round_trip(method, data):
    ballots = data.draw(
        st.lists(st.builds(Ballot, contents(method), st.integers(1, 20)), max_size=15)
    )
    spec = PollSpec(method, OPTIONS)
    text = write_ballots_csv(spec, ballots)
    options, back = read_ballots_csv(text, method)
    assert options == list(spec.options)
    key = lambda b: (repr(b.content), b.weight)  # noqa: E731
    assert sorted(back, key=key) == sorted(ballots, key=key)
    assert result_to_json(count(spec, back)) == result_to_json(count(spec, ballots))


def test_csv_format_is_readable():
    spec = PollSpec("classement", ["A", "B", "C"])
    text = write_ballots_csv(spec, [Ballot({"1": 1, "0": 2}), Ballot({"2": 1, "0": 1}, 3)])
    assert text.splitlines() == ["A,B,C,poids", "1,,1,3", "2,1,,1"]
    mj = write_ballots_csv(PollSpec("jugement-majoritaire", ["A", "B"]), [Ballot({"0": 3, "1": 6})])
    assert mj.splitlines() == ["A,B", "Assez bien,Excellent"]
    pc = write_ballots_csv(PollSpec("pour-contre"), [Ballot("contre")])
    assert pc.splitlines() == ["pour,contre,abstention", ",1,"]


def test_csv_semicolons_and_english_grades():
    options, ballots = read_ballots_csv("A;B;poids\nGood;Très bien;2\n", "jugement-majoritaire")
    assert options == ["A", "B"] and ballots == [Ballot({"0": 4, "1": 5}, 2)]


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("", "notes"),
        ("pour,contre\n1,\n", "pour-contre"),
        ("pour,contre,abstention\n1,1,\n", "pour-contre"),
        ("A,B\n1,1\n", "choix-unique"),
        ("A,B\n0,1\n", "classement"),
        ("A,B\nSuper,\n", "jugement-majoritaire"),
        ("A,B,poids\n1,,x\n", "approbation"),
        ("A,B\n1,\n", "borda"),
    ],
)
def test_csv_errors(text, method):
    with pytest.raises(CountError):
        read_ballots_csv(text, method)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.builds(Ballot, contents("classement", 4), st.integers(1, 9)), max_size=20),
)
def test_abif_round_trip(ballots):
    labels = ["Option A", "Option B", "C", "D.4"]
    spec = PollSpec("classement", labels)
    text = write_abif(spec, ballots)
    options, back = read_abif(text, names=True)
    assert options == labels

    def same(spec: PollSpec) -> None:
        # ABIF merges identical ballots into one counted line: only the number of lines changes.
        got, want = result_to_json(count(spec, back)), result_to_json(count(spec, ballots))
        assert got.pop("ballots") <= want.pop("ballots")
        assert got == want

    same(spec)
    same(PollSpec("classement", labels, irv=True, seed="s"))


def test_abif_syntax():
    text = """{title: "x"}
# comment
=a:[Alice Smith]
=b:[Bob]
3:a>b=c
2:[Alice Smith]/5>d
1:
"""
    options, ballots = read_abif(text)
    assert options == ["a", "b", "c", "d"]
    assert ballots == [
        Ballot({"0": 1, "1": 2, "2": 2}, 3),
        Ballot({"0": 1, "3": 2}, 2),
        Ballot({}, 1),
    ]
    assert read_abif(text, names=True)[0] == ["Alice Smith", "Bob", "c", "d"]
    for bad in ("x:a>b", "3:a>a", "=:[x]"):
        with pytest.raises(CountError):
            read_abif(bad)


def test_read_ballots_by_extension():
    abif = "=A:[A]\n=B:[B]\n2:A>B\n"
    assert read_ballots(abif, "classement", "vote.abif")[1] == [Ballot({"0": 1, "1": 2}, 2)]
    with pytest.raises(CountError):
        read_ballots(abif, "notes", "vote.abif")
    assert read_ballots("A,B\n1,\n", "approbation", "vote.csv") == (["A", "B"], [Ballot([0])])
