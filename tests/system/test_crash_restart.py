"""Crash and restart with the bot as a separate process (tests/support/processes.py), SIGKILLed
while polls are open and started again on the same database: acknowledged ballots are all there
(sealed, each voter marked once on the liste d'émargement), the buttons of an existing poll
message (Voter, one-click Pour) still work, a deadline that passed during the outage closes the
poll once (sealed rows published and gone), and reminders already sent are not sent again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import col

from rtes_bot.models import AuditEvent, Poll, PollNotice, PollStatus, utcnow
from tests.support.catalog import says
from tests.support.load import (
    ENREGISTRE,
    REMPLACE,
    assert_no_half_written_votes,
    audit_count,
    log_problems,
    process_world,
    published_ballots,
    sealed_rows,
    stored_ballots,
    wait_until,
)
from tests.support.voting import close_by_command

VOTERS = 24


async def test_sigkill_with_open_polls_loses_no_ballot_and_closes_and_reminds_once(
    emulator: Any, database_url: str, tmp_path: Path
) -> None:
    async with process_world(emulator, database_url, tmp_path / "data", voters=VOTERS) as (
        world,
        voters,
    ):
        first = await world.start("first")
        key = await world.master_key()
        due = await world.open_poll(question="Échéance pendant la panne ?")
        reminded = await world.open_poll(question="Rappel déjà envoyé ?")
        interrupted = await world.open_poll(question="Rappel interrompu ?")
        # Their reminders fall due now (closing in 23 h, opened 2 h ago); the next opening wakes
        # the scheduler, which reads them again from the database.
        # Both at once: each voter gets one reminder DM listing both (and every other poll
        # still waiting for their vote).
        now = utcnow()
        async with world.db.begin() as session:
            await session.execute(
                update(Poll)
                .where(col(Poll.id).in_([reminded.id, interrupted.id]))
                .values(opens_at=now - timedelta(hours=2), closes_at=now + timedelta(hours=23))
            )
        still_open = await world.open_poll(
            question="Reste ouvert ?", methode="choix-unique", options="Alpha; Bravo; Charlie"
        )
        await wait_until(
            lambda: all(
                len(world.reminders(v, p)) == 1 for v in voters for p in (reminded, interrupted)
            ),
            "the first process to send every reminder",
            processes=[first],
        )
        await wait_until(
            lambda: _all_reminded(world, [reminded, interrupted]),
            "the reminders to be marked sent",
            processes=[first],
        )

        contents: dict[str, Any] = {}
        for index, voter in enumerate(voters[:16]):
            choice = ["Alpha", "Bravo", "Charlie"][index % 3]
            done = await world.vote(voter, still_open.number, choice)
            assert ENREGISTRE in done.text and choice in done.text, done.text
            contents[voter.ref] = [["Alpha", "Bravo", "Charlie"].index(choice)]
        for voter in voters[:5]:
            done = await world.vote(voter, due.number, "pour")
            assert ENREGISTRE in done.text, done.text

        await world.kill(first)
        assert first.process.returncode == -9

        # While the bot is down: the deadline of `due` passes, and `interrupted` looks as if the
        # bot had been killed after its reminder DMs but before marking the poll reminded.
        await world.update_poll(due.id, closes_at=utcnow() - timedelta(minutes=1))
        await world.update_poll(interrupted.id, reminder_sent_at=None)

        second = await world.start("second")
        await wait_until(
            lambda: world.announcements(due), "the expired poll to be announced", processes=[second]
        )
        await wait_until(
            lambda: _audit_at_least(world, "scrutin.rappel", interrupted.id, 2),
            "the second process to look at the interrupted reminders",
            processes=[second],
        )

        assert await stored_ballots(world.db, still_open.id, key) == contents
        assert await sealed_rows(world.db, still_open.id) == len(contents)
        assert (await world.poll(still_open.id)).status == PollStatus.OPEN

        # The buttons posted by the first process work in the second: Voter (ballot UI)...
        message = emulator.messages[still_open.message_id]
        newcomer, changer = voters[20], voters[0]
        for voter, choice, wanted in (
            (newcomer, "Charlie", ENREGISTRE),
            (changer, "Bravo", REMPLACE),
        ):
            ui = await world.click(voter.user, message, f"rtes:voter:{still_open.id}")
            ui = await world.click(voter.user, ui.message, "rtes:bulletin:choix", values=[choice])
            done = await world.click(voter.user, ui.message, "rtes:bulletin:valider")
            assert wanted in done.text and choice in done.text, done.text
            contents[voter.ref] = [["Alpha", "Bravo", "Charlie"].index(choice)]
        assert await stored_ballots(world.db, still_open.id, key) == contents
        assert await assert_no_half_written_votes(world.db, key, still_open.id, voters) == set(
            contents
        )
        # ...and the one-click « Pour » of a pour-contre poll.
        one_click = emulator.messages[reminded.message_id]
        done = await world.click(voters[3].user, one_click, f"rtes:vote:{reminded.id}:pour")
        assert ENREGISTRE in done.text and done.ephemeral, done.text
        assert await stored_ballots(world.db, reminded.id, key) == {voters[3].ref: "pour"}

        closed = await world.poll(due.id)
        assert closed.status == PollStatus.CLOSED
        assert closed.result is not None and closed.result["turnout"] == 5
        assert await assert_no_half_written_votes(world.db, key, due.id, voters) == {
            v.ref for v in voters[:5]
        }
        assert [c for c, _, _ in await published_ballots(world.db, due.id)] == ["pour"] * 5
        assert len(world.announcements(due)) == 1
        assert await audit_count(world.db, "scrutin.clos", due.id) == 1
        assert await audit_count(world.db, "scrutin.publie", due.id) == 1
        due_message = emulator.messages[due.message_id]
        assert due_message.find_component(f"rtes:voter:{due.id}")["disabled"]
        assert due_message.find_component(f"rtes:vote:{due.id}:pour") is None
        again = await close_by_command(emulator, world.guild, world.admin, due.number, timeout=30)
        assert "déjà clos" in again.text

        for poll in (reminded, interrupted):
            assert all(len(world.reminders(v, poll)) == 1 for v in voters), poll.question
        async with world.db.read() as session:
            rows = (
                await session.execute(
                    select(func.count())
                    .select_from(PollNotice)
                    .where(col(PollNotice.kind) == "rappel", col(PollNotice.sent_at).is_not(None))
                )
            ).scalar_one()
        assert rows == 2 * VOTERS
        # One reminder DM per voter, listing both polls.
        assert all(
            len([m for m in emulator.dms_to(v.user) if says(m.text, "scrutin.rappel.titre")]) == 1
            for v in voters
        )
        assert (await world.poll(interrupted.id)).reminder_sent_at is not None
        async with world.db.read() as session:
            rounds = (
                (
                    await session.execute(
                        select(AuditEvent)
                        .where(col(AuditEvent.action) == "scrutin.rappel")
                        .order_by(col(AuditEvent.id))
                    )
                )
                .scalars()
                .all()
            )
        assert [(e.subject_id, e.details["envois"]) for e in rounds] in (
            [(reminded.id, VOTERS), (interrupted.id, VOTERS), (interrupted.id, 0)],
            [(interrupted.id, VOTERS), (reminded.id, VOTERS), (interrupted.id, 0)],
        )

        await second.terminate()
        assert log_problems(first) == [] and log_problems(second) == [], first.log() + second.log()


async def _all_reminded(world: Any, polls: list[Any]) -> bool:
    return all([(await world.poll(poll.id)).reminder_sent_at is not None for poll in polls])


async def _audit_at_least(world: Any, action: str, poll_id: int | None, wanted: int) -> bool:
    return await audit_count(world.db, action, poll_id) >= wanted
