"""Time: closing on time and exactly once (restarts, races), announcing once, reminders once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from rtes_bot.catalog import t
from rtes_bot.models import AuditEvent, PollNotice
from tests.emulator.harness import run_client
from tests.support.catalog import says
from tests.support.rig import TEST_TOKEN, make_bot
from tests.support.voting import (
    advance_and_run,
    give_proxy,
    one_click,
    open_poll,
    open_ui,
    poll_message,
    poll_row,
    registry_messages,
    setup_network,
    submit_ui,
    ui_step,
    vote_text,
)


async def audit_count(rig: Any, action: str) -> int:
    async with rig.db.read() as session:
        result = await session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
        return int(result.scalar_one())


async def test_restart_keeps_buttons_working_and_closes_a_poll_that_expired_meanwhile_once(
    rig: Any,
) -> None:
    registry = await setup_network(rig)
    alice = await rig.elu("Alice Avant")
    bruno = await rig.elu("Bruno Après")
    short, _ = await open_poll(rig, question="Court ?", duree="1h")
    long, _ = await open_poll(rig, question="Long ?", duree="7j")
    choice, _ = await open_poll(
        rig, question="Lequel ?", duree="7j", methode="choix-unique", options="Rouge; Vert"
    )
    await vote_text(rig, alice.user, short.number, "pour")
    _, answer = await vote_text(rig, alice.user, long.number, "contre")
    assert says(answer.text, "vote.enregistre")
    changer = f"rtes:changer:{long.id}:0"
    assert answer.message.find_component(changer)

    await rig.bot.close()
    rig.clock.advance(timedelta(hours=2))  # the deadline passes while the bot is stopped
    assert (await poll_row(rig, short.id)).status == "open"
    await rig.db.dispose()  # the stopped bot's engine: close the connection this read opened

    second = make_bot(rig.settings, rig.clock)
    async with run_client(rig.emu, second, token=TEST_TOKEN):
        rig.bot = second
        scheduler = second.publisher.scheduler
        assert scheduler is second.get_cog("Scheduler")
        await scheduler.wait_turn()
        closed = await poll_row(rig, short.id)
        assert closed.status == "closed" and closed.outcome == "adoptee"
        await scheduler.wait_turn()
        # The buttons posted by the first process still work in the second one: one-click,
        # Voter, and « Changer mon vote » under an answer of the first process.
        done = await one_click(rig, bruno.user, long, "pour")
        assert says(done.text, "vote.enregistre") and "**Pour**" in done.text
        ui = await open_ui(rig, bruno.user, choice)
        ui = await ui_step(rig, bruno.user, ui, "rtes:bulletin:choix", values=["Vert"])
        done = await submit_ui(rig, bruno.user, ui)
        assert says(done.text, "vote.enregistre") and "Vert" in done.text
        ui = await rig.emu.click(rig.guild, alice.user, answer.message, changer)
        await ui.wait_done()
        ui = await ui_step(rig, alice.user, ui, "rtes:bulletin:abstention")
        done = await submit_ui(rig, alice.user, ui)
        assert says(done.text, "vote.remplace") and "**Abstention**" in done.text
        await rig.emu.wait_for(lambda: "2 votant" in poll_message(rig, long).text)
        assert [m for m in registry_messages(rig, registry) if "Court ?" in m.text].__len__() == 1
        assert await audit_count(rig, "scrutin.clos") == 1
        assert await audit_count(rig, "scrutin.publie") == 1
        closed_message = poll_message(rig, short)
        assert closed_message.find_component(f"rtes:voter:{short.id}")["disabled"] is True
        assert closed_message.find_component(f"rtes:vote:{short.id}:pour") is None
        await second.close()


async def test_concurrent_closes_publish_once(rig: Any) -> None:
    registry = await setup_network(rig)
    voter = await rig.elu("Vanessa Votante")
    first, _ = await open_poll(rig, question="Premier ?", duree="1h")
    await vote_text(rig, voter.user, first.number, "pour")
    outcomes = await asyncio.gather(
        *(
            rig.bot.publisher.close_and_publish(first.id, actor_id=None, reason=f"course-{i}")
            for i in range(3)
        )
    )
    assert sorted(outcomes) == [False, False, True]

    # `/scrutin cloturer` racing the scheduler once the deadline has passed.
    second, _ = await open_poll(rig, question="Second ?", duree="1h")
    await vote_text(rig, voter.user, second.number, "contre")
    rig.clock.advance(timedelta(hours=1, seconds=1))
    asked = await rig.emu.slash(
        rig.guild, rig.admin, "scrutin", subcommand="cloturer", options={"numero": second.number}
    )
    assert says(asked.text, "scrutin.cloturer.question")
    confirm = t("scrutin.cloturer.confirmer", "fr")
    # Two clicks on « Clore le scrutin » racing the scheduler: the poll closes once.
    clicks = [
        await rig.emu.click(rig.guild, rig.admin, asked.message, label=confirm, wait=False)
        for _ in range(2)
    ]
    await asyncio.gather(rig.bot.publisher.scheduler.wait_turn(), *(c.wait_done() for c in clicks))
    for click in clicks:
        assert says(click.text, "scrutin.cloture-anticipee") or says(
            click.text, "scrutin.deja-clos"
        ), click.text
    texts = [m.text for m in registry_messages(rig, registry)]
    assert sum("Premier ?" in text for text in texts) == 1
    assert sum("Second ?" in text for text in texts) == 1
    assert await audit_count(rig, "scrutin.clos") == 2
    r = await rig.emu.slash(
        rig.guild, rig.admin, "scrutin", subcommand="cloturer", options={"numero": 1}
    )
    await r.wait_done()
    assert says(r.text, "scrutin.deja-clos")
    assert r.message.find_component(label=confirm) is None


async def test_reminders_reach_non_voters_who_did_not_opt_out_once(rig: Any) -> None:
    await setup_network(rig)
    voted = await rig.elu("Victor Voté")
    quiet = await rig.elu("Odile Optout")
    late = await rig.elu("Lucie Retard")
    granting = await rig.elu("Gilles Procuration")
    async with rig.db.begin() as session:
        quiet.elu.reminders_opt_out = True
        session.add(quiet.elu)
    poll, _ = await open_poll(rig, question="Rappel ?", duree="48h")
    _short, _ = await open_poll(rig, question="Sans rappel ?", duree="12h")
    await vote_text(rig, voted.user, poll.number, "pour")
    await give_proxy(rig, granting.user, voted.user, poll.number)

    def reminders(person: Any) -> list[Any]:
        return [m for m in rig.emu.dms_to(person.user) if says(m.text, "scrutin.rappel.titre")]

    await advance_and_run(rig, timedelta(hours=23))
    assert reminders(late) == []
    await advance_and_run(rig, timedelta(hours=1, seconds=1))
    await rig.emu.wait_for(lambda: reminders(late))
    assert "**n°1**" in reminders(late)[0].text and "Sans rappel" not in reminders(late)[0].text
    assert reminders(voted) == reminders(quiet) == reminders(granting) == []
    await advance_and_run(rig, timedelta(hours=1))
    scheduler = rig.bot.publisher.scheduler
    assert await scheduler.remind(await poll_row(rig, poll.id)) == 0  # even asked again directly

    await rig.bot.close()
    second = make_bot(rig.settings, rig.clock)
    async with run_client(rig.emu, second, token=TEST_TOKEN):
        rig.bot = second
        await second.publisher.scheduler.wait_turn()
        assert len(reminders(late)) == 1
        async with rig.db.read() as session:
            rows = (
                (await session.execute(select(PollNotice).where(PollNotice.kind == "rappel")))
                .scalars()
                .all()
            )
        assert [(row.poll_id, row.elu_id) for row in rows] == [(poll.id, late.elu.id)]
        assert rows[0].sent_at is not None
        assert (await poll_row(rig, poll.id)).reminder_sent_at is not None
        await second.close()


async def test_late_ballot_in_a_shared_lock_never_escapes_the_count(rig: Any) -> None:
    """One-click votes racing the closing: every acknowledged ballot is in the published count,
    every other one is refused as closed (none lost, none answered twice)."""
    await setup_network(rig)
    people = [await rig.elu(f"Rapide {i}") for i in range(12)]
    poll, _ = await open_poll(rig, question="Course ?", duree="1h")
    message = poll_message(rig, poll)

    async def click(person: Any) -> Any:
        return await rig.emu.click(
            rig.guild, person.user, message, f"rtes:vote:{poll.id}:pour", wait=False
        )

    # Six clicks; the closing starts once the first is acknowledged, while the others are in
    # flight; six more clicks race it.
    clicks = [await click(p) for p in people[:6]]
    await asyncio.wait(
        [asyncio.ensure_future(c.wait_done()) for c in clicks], return_when=asyncio.FIRST_COMPLETED
    )
    closing = asyncio.create_task(
        rig.bot.publisher.close_and_publish(poll.id, actor_id=None, reason="course")
    )
    clicks += [await click(p) for p in people[6:]]
    await asyncio.gather(*(c.wait_done() for c in clicks), closing)
    acknowledged = sum(says(c.text, "vote.enregistre") for c in clicks)
    refused = sum(
        says(c.text, "vote.scrutin-clos") or says(c.text, "vote.scrutin-clos-id") for c in clicks
    )
    assert acknowledged + refused == 12 and acknowledged >= 1
    closed = await poll_row(rig, poll.id)
    assert closed.result["turnout"] == acknowledged
    assert closed.result["counts"]["pour"] == acknowledged
