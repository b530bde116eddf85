"""Two bot processes on one database (both connected to one emulator, as after a botched
deployment that left the old process running): every poll is closed once and announced once,
whether its deadline passed before they started, falls due while both sleep towards it, or a
bureau member closes it by hand (both processes receive that command; the slower one's answer
is refused by Discord with 40060, which is expected here). The closings publish each poll's
ballots once: no sealed row is left and the published ballots weigh the turnout.

And the ballot box's cache across processes: a poll opened by one process is loaded by the
other's ballot box at its first vote there (cache miss), and once one process closed a poll, the
other (whose cache still holds it open) refuses a ballot at its write: nothing is stored."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from rtes_bot.catalog import t
from rtes_bot.models import Poll, PollStatus, utcnow
from tests.support.load import (
    ENREGISTRE,
    REMPLACE,
    ProcessWorld,
    assert_no_half_written_votes,
    audit_count,
    log_problems,
    process_world,
    published_ballots,
    sealed_rows,
    stored_ballots,
    voted_refs,
    wait_until,
)
from tests.support.voting import close_by_command

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
        key = await world.master_key()
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
        # Starting two at once takes at most twice as long as one (the start is CPU-bound
        # imports; two cores or fewer): the shared deadline comes a moment after that.
        due_later = launched_at + timedelta(seconds=2 * world.start_seconds[0] + 1)
        for poll in polls[: POLLS // 2]:
            await world.update_poll(poll.id, closes_at=utcnow() - timedelta(minutes=1))
        for poll in polls[POLLS // 2 :]:
            await world.update_poll(poll.id, closes_at=due_later)
        first, second = await world.launch("a"), await world.launch("b")
        await asyncio.gather(world.ready(first, launched), world.ready(second, launched))
        both_ready = utcnow()

        asked = await world.slash(
            world.admin, "scrutin", subcommand="cloturer", options={"numero": by_hand.number}
        )
        answer = await world.emu.click(
            world.guild,
            world.admin,
            asked.message,
            label=t("scrutin.cloturer.confirmer", "fr"),
            timeout=30,
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
            refs = await assert_no_half_written_votes(world.db, key, poll.id, voters)
            assert len(refs) == turnout[poll.id], poll.question
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
        # Both received `/scrutin cloturer`; Discord refused the slower one's answers (40060,
        # already acknowledged): the refused callbacks are all for that interaction. The click on
        # « Clore le scrutin » is answered by the process that asked (it alone holds the view).
        callbacks = [r for r in emulator.errors if r.path.endswith("/callback")]
        assert callbacks and {r.path.split("/")[2] for r in callbacks} == {str(asked.id)}
        # Its refusal could not be sent either: an HTTPException (40060), or, when that process
        # read the poll after the click had closed it, « déjà clos » — one warning either way.
        refused = "Could not send the error message for /scrutin cloturer"
        assert sum(refused in process.log() for process in processes) == 1, [
            line
            for p in processes
            for line in p.log().splitlines()
            if " ERROR " in line or " WARNING " in line
        ]
        for process in processes:
            allowed = [refused, "discord.errors.HTTPException (message withheld)"]
            assert log_problems(process, allowed=allowed) == [], process.log()


@contextlib.contextmanager
def only(world: ProcessWorld, sessions: dict[str, Any], name: str) -> Iterator[None]:
    """Interactions reach only the bot process `name`: the emulator's other gateway sessions are
    hidden from its dispatches meanwhile (as if Discord had routed the interaction there)."""
    hidden = [s for n, s in sessions.items() if n != name]
    for session in hidden:
        session.ready.clear()
    try:
        yield
    finally:
        for session in hidden:
            session.ready.set()


async def test_a_poll_opened_by_one_process_is_voted_in_the_other_and_closed_there_once(
    emulator: Any, database_url: str, tmp_path: Path
) -> None:
    async with process_world(emulator, database_url, tmp_path / "data", voters=6) as (
        world,
        voters,
    ):
        sessions: dict[str, Any] = {}
        for name in ("a", "b"):  # one at a time: the new gateway session is the new process's
            before = list(emulator.sessions)
            await world.start(name)
            (sessions[name],) = [s for s in emulator.sessions if s not in before]
        a, b = world.processes
        key = await world.master_key()

        with only(world, sessions, "a"):
            poll = await world.open_poll(
                question="Ouvert par A ?", methode="choix-unique", options="Alpha; Bravo"
            )
        assert poll.id is not None and poll.status == PollStatus.OPEN
        async with world.db.read() as session:  # B did not receive the command
            assert (await session.execute(select(func.count()).select_from(Poll))).scalar() == 1
        # B started before the poll existed: its first vote there loads the poll (cache miss).
        with only(world, sessions, "b"):
            done = await world.vote(voters[0], poll.number, "Alpha")
            assert ENREGISTRE in done.text and "Alpha" in done.text, done.text
        with only(world, sessions, "a"):
            done = await world.vote(voters[1], poll.number, "Bravo")
            assert ENREGISTRE in done.text, done.text
            done = await world.vote(voters[0], poll.number, "Bravo")  # A sees B's ballot
            assert REMPLACE in done.text and "Bravo" in done.text, done.text
        with only(world, sessions, "b"):
            done = await world.vote(voters[1], poll.number, "Alpha")  # B sees A's ballot
            assert REMPLACE in done.text and "Alpha" in done.text, done.text
        assert await stored_ballots(world.db, poll.id, key) == {
            voters[0].ref: [1],
            voters[1].ref: [0],
        }
        assert await sealed_rows(world.db, poll.id) == 4
        assert await assert_no_half_written_votes(world.db, key, poll.id, voters) == {
            voters[0].ref,
            voters[1].ref,
        }

        with only(world, sessions, "a"):
            closed = await close_by_command(
                world.emu, world.guild, world.admin, poll.number, timeout=30
            )
            assert f"Scrutin n°{poll.number} clos" in closed.text, closed.text
            await wait_until(lambda: world.announcements(poll), "the announcement", processes=[a])
        published = await published_ballots(world.db, poll.id)
        # B's cache still holds the poll open: the read of its write sees it closed and refuses.
        with only(world, sessions, "b"):
            late = await world.vote(voters[2], poll.number, "Alpha")
            assert "Ce scrutin est clos : votre bulletin n'a pas été enregistré" in late.text, (
                late.text
            )
            # The refusal dropped the poll from B's cache: now B says which poll is closed.
            later = await world.vote(voters[3], poll.number, "Alpha")
            assert (
                f"Le scrutin n°{poll.number} est clos : votre bulletin n'a pas été enregistré"
                in later.text
            ), later.text
            changed = await world.vote(voters[0], poll.number, "Alpha")
            assert "est clos" in changed.text and REMPLACE not in changed.text, changed.text
        assert await sealed_rows(world.db, poll.id) == 0
        assert await published_ballots(world.db, poll.id) == published
        assert sorted(c for c, _, _ in published) == [[0], [1]]
        assert await voted_refs(world.db, poll.id) == {voters[0].ref, voters[1].ref}
        stored = await world.poll(poll.id)
        assert stored.status == PollStatus.CLOSED and stored.result is not None
        assert stored.result["turnout"] == 2
        assert await audit_count(world.db, "scrutin.clos", poll.id) == 1
        assert len(world.announcements(poll)) == 1

        for process in (a, b):
            await process.terminate()
        for process in (a, b):
            assert log_problems(process) == [], process.log()
