"""The bot process is SIGKILLed in the middle of a burst of votes (`/voter scrutin choix`, one
step): every vote it acknowledged is in the database, no vote is half-written (a voter marked on
the liste d'émargement without a sealed ballot, or the reverse), none is stored twice; after a
restart the voters cut off find their ballot exactly as stored, the poll closes once, and the
published ballots weigh exactly the turnout."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support.load import (
    ENREGISTRE,
    REMPLACE,
    assert_no_half_written_votes,
    audit_count,
    log_problems,
    process_world,
    published_ballots,
    sealed_ballots,
    sealed_rows,
    stored_ballots,
    wait_until,
)
from tests.support.voting import close_by_command

VOTERS = 300
KILL_AFTER = 20  # acknowledged votes
WAVE = 10  # votes injected together: the burst is a stream of waves, so the kill lands in it
IN_FLIGHT = 3 * WAVE  # at most this many votes sent and not yet acknowledged
OPTIONS = ["Alpha", "Bravo", "Charlie"]


async def test_sigkill_mid_burst_keeps_every_acknowledged_vote_and_writes_nothing_by_half(
    emulator: Any, database_url: str, tmp_path: Path
) -> None:
    async with process_world(emulator, database_url, tmp_path / "data", voters=VOTERS) as (
        world,
        voters,
    ):
        first = await world.start("first")
        key = await world.master_key()
        poll = await world.open_poll(
            question="Coupure en plein vote ?", methode="choix-unique", options="; ".join(OPTIONS)
        )
        assert poll.id is not None
        texts = {voter.ref: OPTIONS[i % len(OPTIONS)] for i, voter in enumerate(voters)}
        # A stream of `/voter` waves (each stored at once, answered after its commit), not one
        # block: a group commit can store a whole block before the kill lands. The stream keeps
        # up to IN_FLIGHT votes unanswered and stops once KILL_AFTER votes are acknowledged; one
        # last wave is injected and the process killed at once, before it can answer that wave.
        slashes: dict[str, Any] = {}
        stop = asyncio.Event()

        async def inject() -> None:
            wave = [v for v in voters if v.ref not in slashes][:WAVE]
            injected = await asyncio.gather(
                *(
                    emulator.slash(
                        world.guild,
                        voter.user,
                        "voter",
                        options={"scrutin": poll.number, "choix": texts[voter.ref]},
                        wait=False,
                    )
                    for voter in wave
                )
            )
            slashes.update((v.ref, i) for v, i in zip(wave, injected, strict=True))

        async def stream() -> None:
            while len(slashes) < VOTERS - WAVE:  # the last wave is kept for the kill
                await wait_until(
                    lambda: len(slashes) - len(acknowledged()) < IN_FLIGHT or stop.is_set(),
                    "room in the stream",
                    processes=[first],
                )
                if stop.is_set():
                    return
                await inject()

        def acknowledged() -> list[Any]:
            return [v for v in voters if v.ref in slashes and ENREGISTRE in slashes[v.ref].text]

        injector = asyncio.create_task(stream())
        await wait_until(
            lambda: len(acknowledged()) >= KILL_AFTER, "the first votes", processes=[first]
        )
        stop.set()
        await injector
        await inject()
        await world.kill(first)
        confirmed = acknowledged()
        sent = [v for v in voters if v.ref in slashes]
        assert KILL_AFTER <= len(confirmed) < len(sent), "the kill did not land mid-burst"
        for voter in sent:
            text = slashes[voter.ref].text
            assert "erreur" not in text.lower(), text
            if voter in confirmed:
                assert texts[voter.ref] in text

        stored_refs = await assert_no_half_written_votes(world.db, key, poll.id, voters)
        assert {v.ref for v in confirmed} <= stored_refs
        # Each stored vote was written once (one sealed row per voter: nobody voted twice).
        sealed = Counter(row.voter_ref for row in await sealed_ballots(world.db, poll.id, key))
        assert set(sealed) == stored_refs and set(sealed.values()) == {1}, sealed.most_common(3)
        stored = await stored_ballots(world.db, poll.id, key)
        for ref in stored_refs:  # what is stored is what that voter sent, acknowledged or not
            assert stored[ref] == [OPTIONS.index(texts[ref])], ref
        assert stored_refs <= {v.ref for v in sent}
        cut_off = [v for v in sent if v.ref not in {c.ref for c in confirmed}]
        print(
            f"\nkilled mid-burst: {len(confirmed)} acknowledged, {len(stored_refs)} stored, "
            f"{len(sent)} sent"
        )

        second = await world.start("second")
        # Voters cut off vote again: the bot says "replaced" exactly when their ballot was stored.
        stored_unacknowledged = [v for v in cut_off if v.ref in stored_refs][:5]
        never_stored = [v for v in cut_off if v.ref not in stored_refs][:5]
        assert never_stored, "every vote was stored before the kill"
        again = [*stored_unacknowledged, *never_stored, confirmed[0]]
        for voter in again:
            done = await world.vote(voter, poll.number, texts[voter.ref])
            wanted = REMPLACE if voter.ref in stored_refs else ENREGISTRE
            assert wanted in done.text and texts[voter.ref] in done.text, (voter.ref, done.text)
            stored_refs.add(voter.ref)
        assert await assert_no_half_written_votes(world.db, key, poll.id, voters) == stored_refs
        assert await sealed_rows(world.db, poll.id) == sum(sealed.values()) + len(again)

        close = await close_by_command(world.emu, world.guild, world.admin, poll.number, timeout=30)
        assert f"Scrutin n°{poll.number} clos" in close.text, close.text
        await wait_until(lambda: world.announcements(poll), "the announcement", processes=[second])
        closed = await world.poll(poll.id)
        assert closed.result is not None and closed.result["turnout"] == len(stored_refs)
        assert await assert_no_half_written_votes(world.db, key, poll.id, voters) == stored_refs
        published = await published_ballots(world.db, poll.id)
        assert sorted(content for content, _, _ in published) == sorted(
            [OPTIONS.index(texts[ref])] for ref in stored_refs
        )
        assert len(world.announcements(poll)) == 1
        assert await audit_count(world.db, "scrutin.clos", poll.id) == 1

        await second.terminate()
        assert log_problems(first) == [] and log_problems(second) == [], first.log() + second.log()
