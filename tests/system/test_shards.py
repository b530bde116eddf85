"""Two bot processes on two Discord shards of one emulator, sharing one PostgreSQL database
(SHARD_COUNT=2, SHARD_IDS=0 and 1), with a network on each shard: each process receives and
answers only its own guild's interactions, and the scheduled work (a poll closing on time, the
24-hour reminders) happens once per poll, done by the process serving the poll's guild: while
shard 1's process is down, shard 0's leaves shard 1's overdue poll alone; shard 1's closes it
when it comes back."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rtes_bot.models import PollStatus, utcnow
from tests.support.load import (
    ENREGISTRE,
    ProcessWorld,
    Voter,
    audit_count,
    log_problems,
    process_world,
    wait_until,
)
from tests.support.processes import BotProcess

SHARDS = 2
SETTLE = 1.5  # seconds watched after the last closing: nothing more may be published


def launch(world: ProcessWorld, shard_id: int) -> Awaitable[BotProcess]:
    """A bot process serving shard `shard_id` of `SHARDS`."""
    env = {"SHARD_COUNT": str(SHARDS), "SHARD_IDS": str(shard_id)}
    return world.launch(f"shard{shard_id}", env=env)


async def test_two_processes_on_two_shards_serve_their_guilds_and_schedule_once(
    emulator: Any, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share one PostgreSQL database (SQLite refuses it)")
    async with contextlib.AsyncExitStack() as stack:
        worlds: list[ProcessWorld] = []
        voters: list[list[Voter]] = []
        for shard_id in range(SHARDS):
            world, people = await stack.enter_async_context(
                process_world(
                    emulator, database_url, tmp_path / "data", voters=3, shard=(shard_id, SHARDS)
                )
            )
            worlds.append(world)
            voters.append(people)
        launched = time.monotonic()
        processes = [await launch(world, i) for i, world in enumerate(worlds)]
        await asyncio.gather(
            *(w.ready(p, launched) for w, p in zip(worlds, processes, strict=True))
        )
        await emulator.wait_connected(SHARDS, timeout=30)
        assert sorted(s.shard for s in emulator.sessions) == [(0, SHARDS), (1, SHARDS)]
        assert sorted(d["shard"] for d in emulator.identifies) == [[0, SHARDS], [1, SHARDS]]

        # In each guild: a poll that will close in a moment, and one whose reminder falls due.
        closing, reminded, overdue = [], [], []
        for world, people in zip(worlds, voters, strict=True):
            soon = await world.open_poll(question="Fermeture imminente ?")
            later = await world.open_poll(question="Rappel attendu ?")
            done = await world.vote(people[0], soon.number, "pour")
            assert ENREGISTRE in done.text, done.text
            done = await world.vote(people[0], later.number, "contre")
            assert ENREGISTRE in done.text, done.text
            now = utcnow()
            await world.update_poll(soon.id, closes_at=now + timedelta(seconds=3))
            await world.update_poll(
                later.id, opens_at=now - timedelta(hours=2), closes_at=now + timedelta(hours=23)
            )
            closing.append(soon)
            reminded.append(later)
            overdue.append(await world.open_poll(question="En retard ?"))
        for world in worlds:  # an opening wakes the scheduler, which reads the new times
            await world.open_poll(question="Réveil ?")

        everything = [*closing, *reminded]
        await wait_until(
            lambda: all(len(w.announcements(p)) == 1 for w, p in zip(worlds, closing, strict=True)),
            "each closing poll to be announced",
            processes=processes,
        )
        await wait_until(
            lambda: all(
                len(w.reminders(v, p)) == 1
                for w, p, people in zip(worlds, reminded, voters, strict=True)
                for v in people[1:]
            ),
            "the reminders",
            processes=processes,
        )
        await asyncio.sleep(SETTLE)

        for world, poll in zip(worlds, closing, strict=True):
            assert len(world.announcements(poll)) == 1
            assert (await world.poll(poll.id)).status == PollStatus.CLOSED
            assert await audit_count(world.db, "scrutin.clos", poll.id) == 1
            assert await audit_count(world.db, "scrutin.publie", poll.id) == 1
        for world, poll, people in zip(worlds, reminded, voters, strict=True):
            assert (await world.poll(poll.id)).status == PollStatus.OPEN
            assert await audit_count(world.db, "scrutin.rappel", poll.id) == 1
            assert [len(world.reminders(v, poll)) for v in people] == [0, 1, 1]  # voted: none
        # Each poll's scheduled work was done by the process serving its guild, and only there.
        for own, other, poll in zip(processes, reversed(processes), closing, strict=True):
            assert len(re.findall(rf"Poll {poll.id} closed \(", own.log())) == 1
            assert f"Poll {poll.id} closed (" not in other.log()
            assert f"Poll {poll.id} announced" not in other.log()
        assert len({p.guild_id for p in everything}) == SHARDS

        # Shard 1's process stops. Its guild has no bot now (the emulator routes its interactions
        # to shard 1 only), shard 0's guild is still answered, and a poll overdue in each guild is
        # closed by shard 0's process in its guild only: the other waits for its own shard.
        await processes[1].terminate()
        await emulator.wait_for(lambda: len(emulator.sessions) == 1, timeout=10)
        with pytest.raises(RuntimeError, match="no bot is connected"):
            await worlds[1].slash(worlds[1].admin, "aide", wait=False)
        for world, poll in zip(worlds, overdue, strict=True):
            await world.update_poll(poll.id, closes_at=utcnow() - timedelta(minutes=1))
        await worlds[0].open_poll(question="Réveil encore ?")  # wakes shard 0's scheduler
        await wait_until(
            lambda: worlds[0].announcements(overdue[0]),
            "shard 0's overdue poll",
            processes=[processes[0]],
        )
        await asyncio.sleep(SETTLE)
        assert (await worlds[1].poll(overdue[1].id)).status == PollStatus.OPEN
        assert worlds[1].announcements(overdue[1]) == []

        # Shard 1's process back: it closes its guild's overdue poll at start, once.
        launched = time.monotonic()
        again = await worlds[1].ready(await launch(worlds[1], 1), launched)
        await wait_until(
            lambda: worlds[1].announcements(overdue[1]), "shard 1's overdue poll", processes=[again]
        )
        await asyncio.sleep(SETTLE)
        for world, poll, own in zip(worlds, overdue, (processes[0], again), strict=True):
            assert len(world.announcements(poll)) == 1
            assert await audit_count(world.db, "scrutin.clos", poll.id) == 1
            assert f"Poll {poll.id} closed (" in own.log()
        assert f"Poll {overdue[1].id} closed (" not in processes[0].log()
        for process in [*processes, again]:
            assert log_problems(process) == [], process.log()
