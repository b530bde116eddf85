"""Two bot processes on one database (both connected to one emulator, as after a botched
deployment that left the old process running): every poll is closed once and announced once,
whether its deadline passed before they started, falls due while both sleep towards it, or a
bureau member closes it by hand (both processes receive that command; the slower one's answer
is refused by Discord with 40060, which is expected here)."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from rtes_bot.models import PollStatus, utcnow
from tests.support.load import (
    ENREGISTRE,
    audit_count,
    log_problems,
    process_world,
    wait_until,
)

POLLS = 6
SETTLE = 1.5  # seconds watched after the last announcement: nothing more may be published


async def test_two_processes_on_one_database_close_and_announce_every_poll_once(
    emulator: Any, database_url: str, tmp_path: Path
) -> None:
    async with process_world(emulator, database_url, tmp_path / "data", voters=10) as (
        world,
        voters,
    ):
        solo = await world.start("solo")
        polls = [await world.open_poll(question=f"Question {i} ?") for i in range(POLLS)]
        by_hand = await world.open_poll(question="Clôture à la main ?")
        turnout = {}
        for index, poll in enumerate([*polls, by_hand]):
            turnout[poll.id] = 1 + index % 3
            for voter in voters[: turnout[poll.id]]:
                done = await world.vote(voter, poll.number, "pour" if index % 2 else "contre")
                assert ENREGISTRE in done.text, done.text
        await world.kill(solo)

        # Half the polls are overdue when both start; the other half fall due while both run
        # (both schedulers sleep towards the same instant and wake together).
        launched, launched_at = time.monotonic(), utcnow()
        # Starting two at once takes about twice as long as one: leave a margin beyond that.
        due_later = launched_at + timedelta(seconds=2.5 * world.start_seconds[0] + 2)
        for poll in polls[: POLLS // 2]:
            await world.update_poll(poll.id, closes_at=utcnow() - timedelta(minutes=1))
        for poll in polls[POLLS // 2 :]:
            await world.update_poll(poll.id, closes_at=due_later)
        first, second = await world.launch("a"), await world.launch("b")
        await asyncio.gather(world.ready(first, launched), world.ready(second, launched))
        both_ready = utcnow()

        answer = await world.slash(
            world.admin, "scrutin", subcommand="cloturer", options={"numero": by_hand.number}
        )
        assert f"Scrutin n°{by_hand.number} clos" in answer.text, answer.text

        everything = [*polls, by_hand]
        processes = [first, second]
        await wait_until(
            lambda: all(world.announcements(p) for p in everything),
            "every poll to be announced",
            processes=processes,
        )
        await asyncio.sleep(SETTLE)

        for poll in everything:
            assert len(world.announcements(poll)) == 1, poll.question
            assert await audit_count(world.db, "scrutin.clos", poll.id) == 1, poll.question
            assert await audit_count(world.db, "scrutin.publie", poll.id) == 1, poll.question
            stored = await world.poll(poll.id)
            assert stored.status == PollStatus.CLOSED
            assert stored.result is not None and stored.result["turnout"] == turnout[poll.id]
            button = emulator.messages[poll.message_id].find_component(f"rtes:voter:{poll.id}")
            assert button["disabled"] is True
        logs = first.log() + second.log()
        for poll in everything:
            assert len(re.findall(rf"Poll {poll.id} closed \(", logs)) == 1, poll.question
            assert len(re.findall(rf"Poll {poll.id} announced", logs)) == 1, poll.question
        closed_by = [
            sum(f"Poll {p.id} closed (" in process.log() for p in everything)
            for process in processes
        ]
        print(
            f"\nboth ready {(both_ready - launched_at).total_seconds():.1f} s after launch, "
            f"{(due_later - both_ready).total_seconds():.1f} s before the shared deadline; "
            f"closings per process: {closed_by}"
        )

        for process in processes:
            await process.terminate()
        # Both received `/scrutin cloturer`; the slower one's answers were refused (40060).
        assert sum("40060" in process.log() for process in processes) == 1
        for process in processes:
            assert log_problems(process, allowed=["40060"]) == [], process.log()
