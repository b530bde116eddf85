"""A published result within Discord's limits without cutting a name: 25 options of 100
characters, the longest question, a tie between all of them."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from rtes_bot.counting import Ballot, PollSpec, count
from rtes_bot.counting.render import outcome_sentence
from rtes_bot.models import Poll, PollStatus
from rtes_bot.services import publication
from tests.support.catalog import said

QUESTION = "Q" + "u" * 299
NAMES = [
    f"{i:02d} Développement de la démocratie participative — Saint-Étienne ".ljust(100, "x")
    for i in range(25)
]


def closed_poll(method: str) -> Poll:
    return Poll(
        guild_id=1,
        number=12,
        question=QUESTION,
        method=method,
        options=NAMES,
        seed="s",
        status=PollStatus.CLOSED,
        closes_at=datetime(2026, 12, 6, tzinfo=UTC),
        electorate_weight=200,
    )


def test_a_long_ranking_is_cut_between_whole_lines_and_the_rest_is_in_the_file() -> None:
    poll = closed_poll("choix-unique")
    spec = PollSpec("choix-unique", NAMES, electorate_weight=200)
    result = count(spec, [Ballot([i], 30 - i) for i in range(25)])
    details = said("publication.details-fichiers", fichier="scrutin-12-resultat.md")
    content = publication.compose(poll, result, "fr", tail=[details])
    assert len(content) <= publication.MESSAGE_LIMIT
    lines = content.splitlines()
    assert lines[0] == outcome_sentence(result, "fr") and lines[-1] == details
    assert said("publication.classement-complet") in lines
    ranked = [line for line in lines if line[:1].isdigit()]
    assert 3 <= len(ranked) < 25
    for rank, line in enumerate(ranked, start=1):
        assert line == f"{rank}. {NAMES[rank - 1]} — {30 - rank + 1} voix"
    summary = publication.summary_text(result, "fr")
    assert len(summary) <= publication.EMBED_FIELD_LIMIT
    assert all(name in summary for name in NAMES[:1])
    assert not any(name[:40] in summary and name not in summary for name in NAMES)
    explanation = publication.explanation_file(poll, result, "fr").data.decode()
    assert all(name in explanation for name in NAMES)
    assert "rtes-bot recount" in explanation


def test_a_tie_between_many_options_is_told_by_their_number_then_named_whole() -> None:
    poll = closed_poll("approbation")
    spec = PollSpec("approbation", NAMES, electorate_weight=200)
    result = count(spec, [Ballot(list(range(25)), 3)])
    content = publication.compose(poll, result, "fr")
    assert content.splitlines()[0] == said("counting.sentence.egalite_many", count=25)
    assert len(content) <= publication.MESSAGE_LIMIT
    # The tied group's line (25 names) does not fit in the message: it is in the file, and the
    # message says so.
    assert said("publication.classement-complet") in content.splitlines()
    explanation = publication.explanation_file(poll, result, "fr").data.decode()
    assert " = ".join(NAMES) in explanation


def test_a_failed_quorum_says_only_that() -> None:
    poll = closed_poll("choix-unique")
    spec = PollSpec("choix-unique", NAMES, electorate_weight=200, quorum=Fraction(1, 2))
    result = count(spec, [Ballot([0], 3), Ballot([1], 3)])
    failed = said(
        "counting.sentence.quorum_failed",
        turnout="6 voix",
        electorate=200,
        needed="100 voix",
        percent=50,
    )
    for text in (
        publication.compose(poll, result, "fr"),
        publication.summary_text(result, "fr"),
    ):
        assert text.splitlines()[0] == failed
        assert not any(name in text for name in NAMES)
        assert said("counting.render.ranking") not in text
    assert publication.summary_text(result, "fr") == failed
