"""Concurrency through the emulator: 1,000 élus vote on one poll in one burst (`/voter scrutin
choix` stores the ballot at once), then half of them change their ballot in a second burst. Every
interaction is answered after its commit; every acknowledged cast is stored exactly once (one
sealed row per cast, a change appended too) and each voter is marked once on the liste
d'émargement (changes counted once); the ballots that count are exactly each voter's last one;
nothing about a locked database is logged; and at closing the sealed rows are gone and the
published ballots and count are those last ballots.

(Concurrent clicks on Valider, Soutenir and Accepter applying once are proven elsewhere:
tests/cogs/onboarding/test_wizard.py::test_concurrent_clicks_on_valider_apply_once,
tests/cogs/proposals/test_proposals.py::test_concurrent_soutenir_clicks_by_one_person_apply_once and
::test_concurrent_accepter_clicks_apply_once.)
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from rtes_bot.counting import Ballot as CountedBallot
from rtes_bot.counting import PollSpec, count, read_ballots_csv, result_to_json
from tests.support.load import (
    ENREGISTRE,
    REMPLACE,
    UNEXPECTED,
    WarningCollector,
    add_voters,
    assert_no_half_written_votes,
    audit_count,
    interaction_errors,
    published_ballots,
    sealed_rows,
    stored_ballots,
    vote_burst,
    voted_refs,
)
from tests.support.voting import (
    close_by_command,
    open_poll,
    poll_row,
    registry_messages,
    setup_network,
)

VOTERS = 1000
OPTIONS = ["Alpha", "Bravo", "Charlie", "Delta"]


def assert_confirmed(burst: Any, voters: list[Any], texts: dict[str, str], wanted: str) -> None:
    for voter, interaction in zip(voters, burst.interactions, strict=True):
        text = interaction.text
        assert wanted in text and texts[voter.ref] in text, (voter.ref, text)
        assert UNEXPECTED not in text


async def test_a_thousand_voters_vote_at_once_then_half_change_and_only_last_ballots_count(
    rig: Any, capsys: Any
) -> None:
    rig.emu.click_delay = 0.01
    registry = await setup_network(rig)
    voters = await add_voters(rig.emu, rig.guild, rig.db, VOTERS)
    poll, opened = await open_poll(
        rig, question="Quel projet en premier ?", methode="choix-unique", options="; ".join(OPTIONS)
    )
    assert "ouvert" in opened.text and poll.secret and poll.id is not None
    # Uneven choices (seeded), so that the published ranking has no tie to hide a miscount.
    first_choices = random.Random(1000).choices(OPTIONS, weights=[4, 3, 2, 1], k=VOTERS)
    texts = {voter.ref: choice for voter, choice in zip(voters, first_choices, strict=True)}

    key = rig.bot.secret_key
    with WarningCollector() as warnings:
        stored = await vote_burst(
            rig.emu, rig.guild, poll.number, ((v, texts[v.ref]) for v in voters), label="/voter"
        )
        assert_confirmed(stored, voters, texts, ENREGISTRE)
        assert await sealed_rows(rig.db, poll.id) == VOTERS

        changers = voters[::2]
        for voter in changers:
            texts[voter.ref] = OPTIONS[(OPTIONS.index(texts[voter.ref]) + 1) % len(OPTIONS)]
        changed = await vote_burst(
            rig.emu,
            rig.guild,
            poll.number,
            ((v, texts[v.ref]) for v in changers),
            label="/voter (changes)",
        )
        assert_confirmed(changed, changers, texts, REMPLACE)

        with capsys.disabled():
            for result in (stored, changed):
                print(f"\n[{rig.settings.database_url.split(':')[0]}] {result.summary()}", end="")
        assert interaction_errors(rig.emu) == []

        contents = {ref: [OPTIONS.index(text)] for ref, text in texts.items()}
        # Every acknowledged cast appended exactly one sealed row (none lost, none doubled)...
        assert await sealed_rows(rig.db, poll.id) == VOTERS + len(changers)
        # ...each voter is marked once on the list, and their last ballot is the one that counts.
        assert await voted_refs(rig.db, poll.id) == {v.ref for v in voters}
        assert await stored_ballots(rig.db, poll.id, key) == contents
        assert len(await assert_no_half_written_votes(rig.db, key, poll.id, voters)) == VOTERS

        close = await close_by_command(rig.emu, rig.guild, rig.admin, poll.number, timeout=60)
        assert "Scrutin n°1 clos" in close.text
        await rig.emu.wait_for(lambda: registry_messages(rig, registry), timeout=30)

    assert warnings.matching("locked", "database") == []
    assert [m for m in warnings.messages() if m.startswith("ERROR")] == []

    expected = count(
        PollSpec(method="choix-unique", options=tuple(OPTIONS), electorate_weight=VOTERS),
        [CountedBallot(content) for content in contents.values()],
    )
    closed = await poll_row(rig, poll.id)
    assert closed.result == result_to_json(expected)
    assert closed.result["turnout"] == VOTERS
    (published,) = registry_messages(rig, registry)
    csv = next(a for a in published.attachments if a.filename.endswith(".csv"))
    labels, rows = read_ballots_csv(csv.data.decode(), "choix-unique")
    assert labels == OPTIONS and len(rows) == VOTERS
    tally = Counter(OPTIONS[row.content[0]] for row in rows)
    assert tally == Counter(texts.values())
    assert len(set(tally.values())) == len(OPTIONS)
    assert closed.result["counts"] == dict(tally)
    assert f"Participation : {VOTERS} voix sur {VOTERS}" in published.text
    for option, votes in tally.items():
        assert f"{option} — {votes} voix" in published.text
    # Closing published the last ballots (unit rows in content order, no voter), sealed none left.
    assert len(await assert_no_half_written_votes(rig.db, key, poll.id, voters)) == VOTERS
    final = await published_ballots(rig.db, poll.id)
    assert [content for content, _, _ in final] == sorted(contents.values())
    assert await sealed_rows(rig.db, poll.id) == 0
    assert await audit_count(rig.db, "scrutin.clos", poll.id) == 1
    assert await audit_count(rig.db, "scrutin.publie", poll.id) == 1
