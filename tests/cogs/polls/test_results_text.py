"""Published results read in plain French first, end to end (emulator + real bot), one poll per
method: opened, voted by five élus, closed on time; the registry post, the poll message and
`/scrutin resultats` start with the outcome sentence in whole votes (checked through the
catalog), the detail is in the attached explanation file, no option name is cut anywhere, and an
English-locale reader gets the same in English."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rtes_bot.counting.render import counted
from tests.support.catalog import said
from tests.support.voting import (
    advance_and_run,
    open_poll,
    poll_message,
    poll_row,
    registry_messages,
    setup_network,
    vote_text,
)

A = "Communauté d'agglomération du Grand Saint-Étienne Métropole"
B = "Développement de la démocratie participative et de l'éducation populaire"
C = "Coopératives d'habitants et foncier solidaire"
NAMES = [A, B, C]
QUESTION = "Quel projet soutenir en 2027 pour l'économie sociale et solidaire ?"


def q(name: str, locale: str) -> str:
    return f"“{name}”" if locale == "en" else f"« {name} »"


def votes(n: int, locale: str) -> str:
    return counted("counting.votes", n, locale)


# Each case: poll options, the five ballots (by text), and the expected first line per locale.
CASES: dict[str, tuple[dict[str, Any], list[str], Any]] = {
    "pour-contre": (
        {"majorite": "deux-tiers", "quorum": 50},
        ["pour", "pour", "pour", "contre", "abstention"],
        lambda loc: said(
            "counting.sentence.adoptee",
            loc,
            counts=said("counting.sentence.for_against", loc, pour=3, contre=1)
            + ", "
            + counted("counting.abstentions", 1, loc),
            needed=votes(3, loc),
            rule=said("counting.needed.deux-tiers", loc, expressed=4),
        ),
    ),
    "choix-unique": (
        {"methode": "choix-unique"},
        ["1", "1", "2", "3", "1"],
        lambda loc: said(
            "counting.sentence.elu.choix-unique",
            loc,
            winner=q(A, loc),
            votes=votes(3, loc),
            expressed=5,
        ),
    ),
    "approbation": (
        {"methode": "approbation"},
        ["1; 2", "2", "2; 3", "1", "2"],
        lambda loc: said(
            "counting.sentence.elu.approbation",
            loc,
            winner=q(B, loc),
            votes=votes(4, loc),
            turnout=5,
        ),
    ),
    "classement": (
        {"methode": "classement"},
        ["1 > 2 > 3", "1 > 2 > 3", "1 > 2 > 3", "2 > 3 > 1", "2 > 3 > 1"],
        lambda loc: said(
            "counting.sentence.elu.classement",
            loc,
            winner=q(A, loc),
            won=votes(3, loc),
            lost=2,
            rival=q(B, loc),
        ),
    ),
    "classement-irv": (
        {"methode": "classement", "irv": True},
        ["1 > 2", "1 > 2", "2 > 1", "2 > 1", "3 > 2"],
        lambda loc: said(
            "counting.sentence.elu.classement-irv",
            loc,
            winner=q(B, loc),
            round=2,
            votes=votes(3, loc),
            total=5,
        ),
    ),
    "jugement-majoritaire": (
        {"methode": "jugement-majoritaire"},
        [
            "1: Très bien; 2: Passable; 3: Insuffisant",
            "1: Bien; 2: Passable; 3: Insuffisant",
            "1: Bien; 2: Passable; 3: Insuffisant",
            "1: Passable; 2: Passable; 3: Insuffisant",
            "1: Insuffisant; 2: Passable; 3: Insuffisant",
        ],
        lambda loc: said(
            "counting.sentence.elu.jugement-majoritaire",
            loc,
            winner=q(A, loc),
            grade=said("counting.grade.4", loc) + " −",
            base=said("counting.grade.4", loc),
            votes=votes(3, loc),
            total=5,
        ),
    ),
    "notes": (
        {"methode": "notes"},
        [
            "1: 5; 2: 2; 3: 0",
            "1: 4; 2: 2; 3: 0",
            "1: 3; 2: 2; 3: 0",
            "1: 2; 2: 2; 3: 0",
            "1: 1; 2: 2; 3: 0",
        ],
        lambda loc: said(
            "counting.sentence.elu.notes",
            loc,
            winner=q(A, loc),
            points=counted("counting.points", 15, loc),
            runner=q(B, loc),
            runner_points=counted("counting.points", 10, loc),
        ),
    ),
}


def result_field(message: Any) -> str:
    [embed] = message.embeds
    title = said("scrutin.champ.resultat")
    return next(f["value"] for f in embed["fields"] if f["name"] == title)


@pytest.mark.parametrize("case", list(CASES))
async def test_the_published_result_starts_with_the_plain_sentence(rig: Any, case: str) -> None:
    options, ballots, expected = CASES[case]
    registry = await setup_network(rig)
    people = [await rig.elu(f"Élu {i}") for i in range(5)]
    reader = await rig.elu("Reader English", locale="en-US")
    if options.get("methode", "pour-contre") != "pour-contre":
        options = {**options, "options": "; ".join(NAMES)}
    poll, _ = await open_poll(rig, question=QUESTION, **options)
    for person, ballot in zip(people, ballots, strict=True):
        _, answer = await vote_text(rig, person.user, poll.number, ballot)
        assert answer.text.startswith(said("vote.enregistre")[:10]) or "enregistr" in answer.text
    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.status == "closed" and closed.electorate_weight == 6

    [post] = registry_messages(rig, registry)
    lines = post.content.splitlines()
    assert lines[0] == expected("fr")
    assert lines[1] == said("publication.scrutin", numero=poll.number, question=QUESTION)
    # No technical detail in the post; it is in the attached explanation file.
    assert "```" not in post.content and "rtes-bot recount" not in post.content
    files = {a.filename: a.data for a in post.attachments}
    explanation = files[f"scrutin-{poll.number}-resultat.md"].decode()
    assert explanation.splitlines()[0] == expected("fr")
    assert "rtes-bot recount" in explanation
    assert files[f"scrutin-{poll.number}-graphique.png"].startswith(b"\x89PNG")
    # Names whole wherever they are shown (never « Saint-Étienn »).
    for name in NAMES if "options" in options else []:
        for text in (post.content, explanation):
            assert text.count("Saint-Étienn") == text.count("Saint-Étienne")
        assert name in explanation
    # No fractional number of votes anywhere in the post.
    assert not re.search(r"\d,\d+(?!\d| ?%)", post.content), post.content

    if os.environ.get("RTES_RESULTS_DIR"):  # for a person to read them
        target = Path(os.environ["RTES_RESULTS_DIR"], f"{case}.md")
        await asyncio.to_thread(target.write_text, post.content + "\n")

    # The poll message's « Résultat » starts with the same sentence.
    assert result_field(poll_message(rig, poll)).splitlines()[0] == expected("fr")

    # `/scrutin resultats`: the same sentence first, in the reader's language, file attached.
    for user, locale in ((people[0].user, "fr"), (reader.user, "en")):
        r = await rig.emu.slash(
            rig.guild,
            user,
            "scrutin",
            subcommand="resultats",
            options={"numero": poll.number},
            locale="en-US" if locale == "en" else "fr",
        )
        await r.wait_done()
        assert r.ephemeral and r.text.splitlines()[0] == expected(locale)
        [attached] = r.message.attachments
        assert attached.data.decode().splitlines()[0] == expected(locale)
