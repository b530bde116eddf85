"""Acceptance tests on real and textbook elections (tests/data/elections, see PROVENANCE.md)."""

from __future__ import annotations

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

from rtes_bot.counting import Ballot, PollSpec, count, read_abif
from rtes_bot.counting.ballot_text import normalise_text
from rtes_bot.counting.majority_judgment import (
    compare_tallies,
    majority_values,
    profile,
    rank_tallies,
)


def abif(data: Path, name: str) -> tuple[list[str], list[Ballot]]:
    return read_abif((data / name).read_text(encoding="utf-8"))


def read_soi(path: Path) -> tuple[list[str], list[Ballot]]:
    """PrefLib SOI: ``count: 1,4,2`` ranks alternatives (1-based); unranked ones come last."""
    names: dict[int, str] = {}
    ballots = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ALTERNATIVE NAME"):
            head, name = line.split(":", 1)
            names[int(head.split()[-1])] = name.strip()
        elif line and not line.startswith("#"):
            weight, order = line.split(":")
            alternatives = [int(x) for x in order.split(",") if x.strip()]
            content = {str(a - 1): rank for rank, a in enumerate(alternatives, start=1)}
            ballots.append(Ballot(content, int(weight)))
    return [names[i] for i in sorted(names)], ballots


def ranked(options, ballots, irv=False, seed="", **kwargs):
    return count(PollSpec("classement", options, irv=irv, seed=seed, **kwargs), ballots)


# --- Burlington 2009 -------------------------------------------------------------------------


def test_burlington_official_rounds(data, expected):
    official = expected["abiftool/burl2009.abif"]["official"]
    options, ballots = abif(data, "abiftool/burl2009.abif")
    assert (
        sum(b.weight for b in ballots) == expected["abiftool/burl2009.abif"]["ballot_lines_total"]
    )
    result = ranked(options, ballots, irv=True)
    rounds = result.rounds
    assert len(rounds) == 3
    first = dict(official["round_1"])
    assert rounds[0].exhausted == first.pop("_exhausted_or_overvote")
    assert rounds[0].overvotes == 4
    assert rounds[0].votes == first
    assert set(rounds[0].eliminated) == {"Smith", "Simpson", "Write-in"}
    assert rounds[0].rule == "batch"
    assert rounds[1].votes == official["round_2"]
    assert rounds[1].eliminated == ["Montroll"]
    assert rounds[2].votes == official["round_3"]
    assert sum(rounds[2].votes.values()) == official["final_round_continuing_ballots"]
    assert result.winners == [official["winner"]] == ["Kiss"]
    assert result.outcome == "elu"


def test_burlington_condorcet_winner_is_schulze_winner(data, expected):
    entry = expected["abiftool/burl2009.abif"]
    options, ballots = abif(data, "abiftool/burl2009.abif")
    result = ranked(options, ballots)
    detail = result.schulze
    assert detail is not None
    assert detail.condorcet_winner == entry["official"]["condorcet_winner"] == "Montroll"
    assert result.winners == ["Montroll"]
    d = detail.pairwise
    index = options.index
    for pair, (a_over_b, b_over_a) in entry["recount_pairwise"].items():
        a, b = pair.split(">")
        assert (d[index(a)][index(b)], d[index(b)][index(a)]) == (a_over_b, b_over_a)


# --- San Francisco 2018 ----------------------------------------------------------------------


def test_san_francisco_2018(data, expected):
    entry = expected["abiftool/sf2018special-results.abif"]
    options, ballots = abif(data, "abiftool/sf2018special-results.abif")
    assert sum(b.weight for b in ballots) == entry["ballots_total"]
    result = ranked(options, ballots, irv=True)
    assert result.winners == [entry["official"]["winner"]]
    assert result.ranking[1] == [entry["official"]["runner_up"]]
    first = result.rounds[0].votes
    for name, votes in entry["recount"]["round_1_top3"].items():
        assert first[name] == votes
    assert result.rounds[-1].votes == entry["recount"]["final"]
    # Elimination order: every hopeless candidate at once (each at most the next one's votes),
    # then Jane Kim, then the final Breed–Leno round.
    assert set(result.rounds[0].eliminated) == set(options) - {
        "LONDON_BREED",
        "MARK_LENO",
        "JANE_KIM",
    }
    assert result.rounds[1].eliminated == ["JANE_KIM"]
    assert [r.eliminated for r in result.rounds[2:]] == [[]]
    # Sequential elimination (one per round) order, from the ranking: last eliminated ranks highest.
    flat = [o for group in result.ranking for o in group]
    assert flat[:5] == ["LONDON_BREED", "MARK_LENO", "JANE_KIM", "ANGELA_ALIOTO", "ELLEN_LEE_ZHOU"]


# --- Debian ----------------------------------------------------------------------------------


def test_debian_2007(data, expected):
    entry = expected["preflib/00002-00000005_debian2007_leader.soi"]
    options, ballots = read_soi(data / "preflib/00002-00000005_debian2007_leader.soi")
    assert sum(b.weight for b in ballots) == entry["ballots"]
    options = ["Raphael Hertzog" if o == "Raphal Hertzog" else o for o in options]
    result = ranked(options, ballots, default_option="None Of The Above")
    assert result.winners == [entry["official"]["winner"]] == ["Sam Hocevar"]
    detail = result.schulze
    assert detail is not None
    assert detail.dropped == {
        k: tuple(v) for k, v in entry["recount"]["fail_to_defeat_default_option"].items()
    }
    assert [o for group in result.ranking for o in group] == entry["recount"][
        "schulze_winning_votes_order"
    ]
    h, m = options.index("Sam Hocevar"), options.index("Steve McIntyre")
    assert [detail.pairwise[h][m], detail.pairwise[m][h]] == entry["recount"][
        "pairwise_Hocevar_vs_McIntyre"
    ]


def test_debian_2010(data, expected):
    entry = expected["preflib/00002-00000006_debian2010_leader.soi"]
    options, ballots = read_soi(data / "preflib/00002-00000006_debian2010_leader.soi")
    assert sum(b.weight for b in ballots) == entry["ballots"]
    result = ranked(options, ballots, default_option="None Of The Above")
    assert result.winners == [entry["official"]["winner"]]
    assert [o for group in result.ranking for o in group] == entry["recount"]["schulze_order"]
    assert result.schulze is not None and result.schulze.dropped == {}


def test_debian_quorum_and_ratio_drop_options(data):
    options, ballots = read_soi(data / "preflib/00002-00000006_debian2010_leader.soi")
    # A 3:1 supermajority against NOTA and a quorum only the strongest candidates meet.
    strict = ranked(
        options,
        ballots,
        default_option="None Of The Above",
        default_ratio=Fraction(3),
        default_quorum=300,
    )
    assert strict.schulze is not None
    for option, (votes_for, votes_against) in strict.schulze.dropped.items():
        assert votes_for < 3 * votes_against or votes_for < 300, option
    kept = [o for o in options if o not in strict.schulze.dropped]
    assert strict.winners[0] in kept
    impossible = ranked(options, ballots, default_option="None Of The Above", default_quorum=10**6)
    assert impossible.winners == ["None Of The Above"]


# --- Schulze textbook ------------------------------------------------------------------------


def _matrix_from_header(text: str, title: str) -> list[list[int]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    rows = []
    for line in lines[start + 1 : start + 6]:
        cells = line.split(":", 1)[1].split()
        rows.append([0 if c == "-" else int(c) for c in cells])
    return rows


def test_schulze_wikipedia_45_voters(data, expected):
    text = (data / "textbook/wikipedia_schulze_example_45voters.abif").read_text(encoding="utf-8")
    options, ballots = read_abif(text)
    assert options == ["A", "B", "C", "D", "E"]
    result = ranked(options, ballots)
    assert result.schulze is not None
    assert result.schulze.pairwise == _matrix_from_header(text, "Expected pairwise matrix")
    assert result.schulze.strongest == _matrix_from_header(text, "Expected strongest paths")
    want = expected["textbook/wikipedia_schulze_example_45voters.abif"]["expected"]
    assert result.ranking == [[o] for o in want["ranking"]]
    assert result.winners == [want["winner"]]


# --- Tennessee under every method ------------------------------------------------------------


def test_tennessee_every_method(data, expected):
    options, ballots = abif(data, "abiftool/tennessee-example-simple.abif")
    simple = expected["abiftool/tennessee-example-simple.abif"]["expected"]
    first = [next(k for k, r in b.content.items() if r == 1) for b in ballots]
    # choix-unique (plurality on first choices)
    plurality = count(
        PollSpec("choix-unique", options),
        [Ballot([int(f)], b.weight) for f, b in zip(first, ballots, strict=True)],
    )
    assert plurality.winners == ["Memph"] and plurality.counts["Memph"] == 42
    # IRV, rounds as published
    irv = ranked(options, ballots, irv=True)
    assert [r.votes for r in irv.rounds] == simple["irv_rounds"]
    assert irv.winners == [simple["irv_winner"]]
    # Schulze = the Condorcet winner
    schulze = ranked(options, ballots)
    assert schulze.winners == [simple["condorcet_schulze_winner"]]
    assert schulze.schulze is not None and schulze.schulze.condorcet_winner == "Nash"
    # notes 0..3 given by rank = Borda count
    borda = [Ballot({k: 4 - r for k, r in b.content.items()}, b.weight) for b in ballots]
    notes = count(PollSpec("notes", options, max_score=3), borda)
    assert notes.counts == simple["borda_0_to_3"]
    # approbation, from the approval file
    a_options, a_ballots = abif(data, "abiftool/tennessee-example-approval.abif")
    approval = count(
        PollSpec("approbation", a_options),
        [Ballot(sorted(int(k) for k in b.content), b.weight) for b in a_ballots],
    )
    want = dict(expected["abiftool/tennessee-example-approval.abif"]["expected"])
    assert approval.winners == [want.pop("winner")]
    assert approval.counts == want
    # notes, from the score file (ratings 0..400)
    text = (data / "abiftool/tennessee-example-scores.abif").read_text(encoding="utf-8")
    s_options, _ = read_abif(text)
    score_ballots = []
    for line in text.splitlines():
        if m := re.fullmatch(r"(\d+):(.*)", line):
            ratings = dict(re.findall(r"(\w+)/(\d+)", m.group(2)))
            score_ballots.append(
                Ballot(
                    {str(s_options.index(c)): int(v) for c, v in ratings.items()}, int(m.group(1))
                )
            )
    scores = count(PollSpec("notes", s_options, max_score=400), score_ballots)
    assert (
        scores.counts == expected["abiftool/tennessee-example-scores.abif"]["expected_score_totals"]
    )
    assert scores.winners == ["Nash"]
    # pour-contre: "Memphis as capital?" — yes for those who rank it first
    motion = count(
        PollSpec("pour-contre", electorate_weight=100, quorum=Fraction(1, 2)),
        [
            Ballot("pour" if options[int(f)] == "Memph" else "contre", b.weight)
            for f, b in zip(first, ballots, strict=True)
        ],
    )
    assert motion.counts == {"pour": 42, "contre": 58, "abstention": 0}
    assert motion.outcome == "rejetee" and motion.quorum_reached


def test_tennessee_majority_judgment(data, expected):
    rows = [
        line
        for line in (data / "textbook/tennessee_majority_judgment_grades.csv")
        .read_text()
        .splitlines()
        if line and not line.startswith("#")
    ]
    reader = list(csv.reader(rows))
    names = [row[0] for row in reader[1:]]
    tallies = [[int(x) for x in row[1:]] for row in reader[1:]]
    want = expected["textbook/tennessee_majority_judgment_grades.csv"]["expected"]
    assert [o for group in rank_tallies(names, tallies) for o in group] == want["ranking"]
    scale = reader[0][1:]
    for name, tally in zip(names, tallies, strict=True):
        assert scale[profile(name, tally).median] == want["majority_grades"][name]
    # Same election through count(): Poor=Insuffisant, Fair=Passable, Good=Bien, Excellent=Excellent
    to_grade = [1, 2, 4, 6]
    columns = [[g for g, k in enumerate(tally) for _ in range(k)] for tally in tallies]
    ballots = [
        Ballot({str(i): to_grade[columns[i][v]] for i in range(len(names))}) for v in range(100)
    ]
    result = count(PollSpec("jugement-majoritaire", names), ballots)
    assert [o for group in result.ranking for o in group] == want["ranking"]
    assert result.winners == ["Nashville"]


def test_tennessee_irv_tie_file(data, expected):
    options, ballots = abif(data, "abiftool/tennessee-example-irv-tie.abif")
    result = ranked(options, ballots, irv=True, seed="any seed")
    final = result.rounds[2]
    assert final.votes == {"Memph": 42, "Knox": 42}
    # Documented rule: the 42–42 tie is broken by count-back: Knox had 22 to Memph's 42 in round 2.
    assert final.rule == "count-back" and final.eliminated == ["Knox"]
    assert result.winners == ["Memph"]
    assert [(tb.options, tb.rule, tb.chosen, tb.round) for tb in result.tie_breaks] == [
        (["Memph", "Knox"], "count-back", "Knox", 3)
    ]
    # The seed never matters here: no lot was needed.
    assert ranked(options, ballots, irv=True, seed="other").ranking == result.ranking


def test_mock_tie_broken_by_published_lot(data):
    options, ballots = abif(data, "abiftool/mock-tie.abif")
    winners = set()
    for seed in ("2026", "a", "b", "c"):
        result = ranked(options, ballots, irv=True, seed=seed)
        assert result.irv_detail is not None
        lot = result.irv_detail.lot_order
        assert sorted(lot) == sorted(options)
        # H and S tie in every round: count-back cannot help, the lot decides, and the tied option
        # that comes last in the published lot order is eliminated.
        [tie] = result.tie_breaks
        assert sorted(tie.options) == ["H", "S"] and tie.rule == "lot"
        assert tie.chosen == max(tie.options, key=lot.index)
        assert result.winners == [({"H", "S"} - {tie.chosen}).pop()]
        # Same seed, same result: a recount reproduces it.
        assert ranked(options, ballots, irv=True, seed=seed).ranking == result.ranking
        winners.add(result.winners[0])
    assert winners == {"H", "S"}  # the seed really is what decides


def test_mock_twotie_broken_by_count_back(data):
    options, ballots = abif(data, "abiftool/mock-twotie.abif")
    for seed in ("2026", "a"):
        result = ranked(options, ballots, irv=True, seed=seed)
        [tie] = result.tie_breaks
        assert (sorted(tie.options), tie.rule, tie.chosen) == (["H", "S"], "count-back", "H")
        assert result.rounds[0].votes["S"] == result.rounds[0].votes["H"] + 1
        assert result.winners == ["S"]


# --- Majority judgment: Orsay 2007, MieuxVoter fixtures, Balinski–Laraki -----------------------

_GRADE_NAMES = [
    "A rejeter",
    "Insuffisant",
    "Passable",
    "Assez bien",
    "Bien",
    "Tres bien",
    "Excellent",
]


def test_orsay_2007(data, expected):
    entry = expected["mieuxvoter_orsay2007/bureau_{01,06,12}.csv"]
    names: list[str] = []
    ballots = []
    for bureau in ("01", "06", "12"):
        rows = list(
            csv.reader((data / f"mieuxvoter_orsay2007/bureau_{bureau}.csv").open(encoding="utf-8"))
        )
        names = names or rows[0][1:]
        assert rows[0][1:] == names
        for row in rows[1:]:
            # file: 6 = Très bien … 1 = À rejeter, 0 = blank (counted as À rejeter)
            ballots.append(Ballot({str(i): max(int(g) - 1, 0) for i, g in enumerate(row[1:])}))
    assert len(ballots) == entry["ballots"]
    result = count(PollSpec("jugement-majoritaire", names), ballots)
    recount = entry["recount"]
    order = [normalise_text(o) for group in result.ranking for o in group]
    assert order == [normalise_text(o) for o in recount["ranking_blank_as_reject"]]
    assert all(len(group) == 1 for group in result.ranking)
    assert result.majority_judgment is not None
    for p in result.majority_judgment.profiles:
        key = next(
            k for k in recount["majority_grades"] if normalise_text(k) == normalise_text(p.option)
        )
        grade, sign = recount["majority_grades"][key].rsplit(" ", 1)
        assert (_GRADE_NAMES[p.median], p.gauge) == (grade, sign), p.option
    assert result.winners == ["Bayrou"]


def _ranks(ranking: list[list[int]]) -> list[int]:
    ranks: dict[int, int] = {}
    position = 1
    for group in ranking:
        for i in group:
            ranks[i] = position
        position += len(group)
    return [ranks[i] for i in sorted(ranks)]


def _lower_median_grade(tally: list[int]) -> int:
    return profile("x", tally).median


def test_mieuxvoter_fixtures(data):
    cases = json.loads((data / "mieuxvoter_fixtures/mj_java_assertions.json").read_text())
    assert len(cases) == 9
    for case in cases:
        mode = case.get("mode", "StaticDefault")
        tallies = [list(t) for t in case["tallies"]]
        for tally in tallies:
            missing = case["participants"] - sum(tally)
            if mode == "StaticDefault":
                tally[case.get("default", 0)] += missing
            elif mode == "MedianDefault":
                tally[_lower_median_grade(tally)] += missing
        labels = [str(i) for i in range(len(tallies))]
        ranking = rank_tallies(
            labels, tallies
        )  # Normalized: compare_tallies scales to a common total
        assert _ranks([[int(x) for x in g] for g in ranking]) == case["ranks"], case["title"]


def test_balinski_laraki_majority_values(data):
    doc = json.loads((data / "textbook/mj_majority_value_vectors.json").read_text())
    tallies = []
    for case in doc["cases"]:
        tally = [0] * (max(case["grades"]) + 1)
        for g in case["grades"]:
            tally[g] += 1
        assert majority_values(tally) == case["majority_value"]
        tallies.append(tally + [0] * 12)
    first, second = (t[:12] for t in tallies)
    assert compare_tallies(first, second) > 0
    assert compare_tallies(second, first) < 0


def test_opinionway_poll(data):
    lines = [
        line
        for line in (data / "mieuxvoter_polls/opinionway_2021-12-08_mj_poll.csv")
        .read_text()
        .splitlines()
        if line and not line.startswith("#")
    ]
    rows = list(csv.reader(lines))[1:]
    names = [row[0] for row in rows]
    tallies = [[int(x) for x in reversed(row[1:])] for row in rows]  # worst first
    assert all(sum(t) == 100 for t in tallies)
    profiles = {n: profile(n, t) for n, t in zip(names, tallies, strict=True)}
    macron = profiles["Emmanuel Macron"]
    assert (macron.median, macron.above, macron.below, macron.gauge) == (
        2,
        Fraction(43, 100),
        Fraction(43, 100),
        "-",
    )
    assert profiles["Valérie Pécresse"].gauge == "+" and profiles["Valérie Pécresse"].median == 2
    order = [o for group in rank_tallies(names, tallies) for o in group]

    # Independent reference: majority gauge ordering (median, then +p / −q).
    def gauge_key(name: str) -> tuple:
        p = profiles[name]
        return (p.median, 1, p.above) if p.gauge == "+" else (p.median, 0, -p.below)

    assert order == sorted(names, key=gauge_key, reverse=True)
    assert order[:3] == ["Valérie Pécresse", "Emmanuel Macron", "Arnaud Montebourg"]
