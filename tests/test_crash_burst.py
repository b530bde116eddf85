"""The bot process is SIGKILLed in the middle of a burst of votes: every vote it acknowledged
is in the database, no vote is half-written (participation without ballot or the reverse), and
after a restart the voters cut off find their ballot exactly as stored, and the count matches."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rtes_bot.services.ballots import ballot_key
from tests.support.load import (
    ENREGISTRE,
    REMPLACE,
    ask_to_vote,
    assert_no_half_written_votes,
    audit_count,
    log_problems,
    process_world,
    stored_ballots,
    wait_until,
)

VOTERS = 300
KILL_AFTER = 20  # acknowledged votes
OPTIONS = ["Alpha", "Bravo", "Charlie"]


async def test_sigkill_mid_burst_keeps_every_acknowledged_vote_and_writes_nothing_by_half(
    emulator: Any, database_url: str, tmp_path: Path
) -> None:
    async with process_world(emulator, database_url, tmp_path / "data", voters=VOTERS) as (
        world,
        voters,
    ):
        first = await world.start("first")
        poll = await world.open_poll(
            question="Coupure en plein vote ?", methode="choix-unique", options="; ".join(OPTIONS)
        )
        assert poll.id is not None
        texts = {voter.ref: OPTIONS[i % len(OPTIONS)] for i, voter in enumerate(voters)}
        asked = await ask_to_vote(
            emulator, world.guild, poll.number, ((v, texts[v.ref]) for v in voters), label="/voter"
        )
        clicks = await asyncio.gather(
            *(
                emulator.click(
                    world.guild, voter.user, slash.message, "rtes:bulletin:confirmer", wait=False
                )
                for voter, slash in zip(voters, asked.interactions, strict=True)
            )
        )

        def acknowledged() -> list[Any]:
            return [v for v, c in zip(voters, clicks, strict=True) if ENREGISTRE in c.text]

        await wait_until(
            lambda: len(acknowledged()) >= KILL_AFTER, "the first votes", processes=[first]
        )
        await world.kill(first)
        confirmed = acknowledged()
        assert KILL_AFTER <= len(confirmed) < VOTERS, "the kill did not land mid-burst"
        for voter, click in zip(voters, clicks, strict=True):
            assert "erreur" not in click.text.lower(), click.text
            if voter in confirmed:
                assert texts[voter.ref] in click.text

        stored_refs = await assert_no_half_written_votes(world.db, world.secret, poll.id, voters)
        assert {v.ref for v in confirmed} <= stored_refs
        stored = await stored_ballots(world.db, poll.id)
        for ref in stored_refs:  # what is stored is what that voter confirmed, acknowledged or not
            key = ballot_key(world.secret, poll.id, ref)
            assert stored[key] == [OPTIONS.index(texts[ref])], ref
        cut_off = [v for v in voters if v.ref not in {c.ref for c in confirmed}]
        print(
            f"\nkilled mid-burst: {len(confirmed)} acknowledged, {len(stored_refs)} stored, "
            f"{VOTERS} sent"
        )

        second = await world.start("second")
        # Voters cut off vote again: the bot says "replaced" exactly when their ballot was stored.
        stored_unacknowledged = [v for v in cut_off if v.ref in stored_refs][:5]
        never_stored = [v for v in cut_off if v.ref not in stored_refs][:5]
        assert never_stored, "every vote was stored before the kill"
        for voter in [*stored_unacknowledged, *never_stored, confirmed[0]]:
            done = await world.vote(voter, poll.number, texts[voter.ref])
            wanted = REMPLACE if voter.ref in stored_refs else ENREGISTRE
            assert wanted in done.text, (voter.ref, done.text)
            stored_refs.add(voter.ref)

        close = await world.slash(
            world.admin, "scrutin", subcommand="cloturer", options={"numero": poll.number}
        )
        assert f"Scrutin n°{poll.number} clos" in close.text, close.text
        await wait_until(lambda: world.announcements(poll), "the announcement", processes=[second])
        closed = await world.poll(poll.id)
        assert closed.result is not None and closed.result["turnout"] == len(stored_refs)
        assert (
            await assert_no_half_written_votes(world.db, world.secret, poll.id, voters)
            == stored_refs
        )
        assert len(world.announcements(poll)) == 1
        assert await audit_count(world.db, "scrutin.clos", poll.id) == 1

        await second.terminate()
        assert log_problems(first) == [] and log_problems(second) == [], first.log() + second.log()
