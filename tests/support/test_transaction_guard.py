"""The guard of the end-to-end tests: a Discord HTTP request inside a write transaction is caught.

`Database.begin()` marks the task (``rtes_bot.db.in_write_transaction``); the ``rig`` fixture's
``http_guard`` records every Discord request made while that mark is on and fails the test.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from types import ModuleType

import pytest
import sqlalchemy as sa

from rtes_bot.db import Database, in_write_transaction
from rtes_bot.errors import Conflict
from rtes_bot.models import Amendment, Proposal, utcnow
from rtes_bot.services import access
from rtes_bot.services import proposals as proposals_service
from rtes_bot.services.access import Actor
from tests.support.proposals import (
    audit_actions,
    deposit,
    install,
    proposal_row,
    propose_amendment,
)
from tests.support.rig import ALLOW_HTTP_IN_TX, DiscordCallsInTransaction


async def test_begin_marks_the_task_only_while_open(database: Database) -> None:
    assert not in_write_transaction()
    async with database.read():
        assert not in_write_transaction()
    async with database.begin():
        assert in_write_transaction()
        async with database.read():
            assert in_write_transaction()  # still inside the write transaction
    assert not in_write_transaction()
    with pytest.raises(RuntimeError):
        async with database.begin():
            raise RuntimeError("rolled back")
    assert not in_write_transaction()


async def test_a_task_started_inside_outlives_the_mark(database: Database) -> None:
    release = asyncio.Event()
    seen: list[bool] = []

    async def later() -> None:
        seen.append(in_write_transaction())
        await release.wait()
        seen.append(in_write_transaction())

    async with database.begin():
        task = asyncio.create_task(later())
        await asyncio.sleep(0)
    release.set()
    await task
    assert seen == [True, False]


async def test_guard_reports_a_message_sent_inside_a_transaction(
    rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    guard: DiscordCallsInTransaction = rig.http_guard
    channel = rig.bot.get_channel(rig.emu.find_channel(rig.guild, "general").id)
    assert channel is not None

    await channel.send("after any transaction")  # not inside: fine
    assert guard.violations == []

    async with rig.db.begin():
        await channel.send("inside the transaction")
    assert len(guard.violations) == 1
    violation = guard.violations[0]
    assert violation.startswith("POST /channels/{channel_id}/messages")
    with monkeypatch.context() as env:
        env.delenv(ALLOW_HTTP_IN_TX, raising=False)
        with pytest.raises(AssertionError, match=r"POST /channels/\{channel_id\}/messages"):
            guard.check()
        env.setenv(ALLOW_HTTP_IN_TX, "1")  # the opt-out: a warning instead of a failure
        with pytest.warns(UserWarning, match=r"POST /channels/\{channel_id\}/messages"):
            guard.check()

    # A task created inside the transaction that calls Discord after the commit is fine.
    guard.clear()
    async with rig.db.begin():
        task = asyncio.create_task(asyncio.sleep(0.05))
    await task
    sent = asyncio.create_task(channel.send("from a task, after the commit"))
    await sent
    assert guard.violations == []


async def test_guard_reports_an_interaction_answer_inside_a_transaction(rig) -> None:
    """Interaction answers go through the webhook adapter, not `HTTPClient.request`: caught too."""
    guard: DiscordCallsInTransaction = rig.http_guard
    answered = asyncio.Event()

    @rig.bot.tree.command(
        name="essai-garde", description="test", guild=rig.bot.get_guild(rig.guild.id)
    )
    async def essai(interaction) -> None:  # type: ignore[no-untyped-def]
        async with rig.db.begin():
            await interaction.response.send_message("dans la transaction", ephemeral=True)
        answered.set()

    await rig.bot.tree.sync(guild=rig.bot.get_guild(rig.guild.id))
    r = await rig.emu.slash(rig.guild, rig.admin, "essai-garde")
    await r.wait_done()
    await asyncio.wait_for(answered.wait(), 5)
    assert [v.split(" from ")[0] for v in guard.violations] == [
        "POST /interactions/{webhook_id}/{webhook_token}/callback"
    ]
    assert "test_transaction_guard.py" not in guard.violations[0]  # only project frames are named
    guard.clear()


# ----------------------------------------------------------------------------- post after commit


def loaded_cog_module() -> ModuleType:
    """`cogs.proposals._forum` as the bot loaded it (unloading the extension drops its modules)."""
    return sys.modules["cogs.proposals._forum"]


async def test_a_deposit_whose_post_cannot_be_attached_leaves_neither_post_nor_row(
    rig, error_log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The post is created after the commit; if attaching it fails, the post is deleted and the
    committed proposal removed again (a second transaction): nothing points at nothing."""
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")

    async def failing_publish(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("database gone")

    monkeypatch.setattr(proposals_service, "publish", failing_publish)
    done = await deposit(rig, alice.user, "Titre", "Texte")
    assert "inattendue" in done.text or "unexpected" in done.text.lower()
    error_log.clear()  # the unexpected error is logged, as it should be
    assert rig.emu.threads(setup.channels[0]) == []
    async with rig.db.read() as session:
        assert await proposals_service.count(session, rig.guild.id) == 0
    assert await audit_actions(rig) == []


async def test_an_amendment_that_cannot_be_posted_is_removed_again(
    rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "Texte initial.")
    proposal = await proposal_row(rig, 1)

    async def thread_gone(bot: object, card: proposals_service.Card, *args: object) -> None:
        raise Conflict("proposition.fil-introuvable", numero=card.number)

    monkeypatch.setattr(loaded_cog_module(), "_post_amendment", thread_gone)
    refused = await propose_amendment(rig, bob.user, proposal, "Texte amendé.")
    assert "n°1 est introuvable" in refused.text, refused.text
    async with rig.db.read() as session:
        assert (
            await session.execute(sa.select(sa.func.count()).select_from(Amendment))
        ).scalar_one() == 0
    assert await audit_actions(rig) == ["proposition.deposee"]


async def test_what_a_stop_left_unpublished_is_posted_at_the_next_start(rig) -> None:
    """A stop between a commit and its Discord post leaves a row without its message: the next
    start posts it (rows younger than the grace period may still be on their way: left alone)."""
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Publiée", "Texte.")
    published = await proposal_row(rig, 1)
    actor = Actor(guild_id=rig.guild.id, user_id=alice.user.id)
    long_ago = utcnow() - proposals_service.UNPUBLISHED_GRACE - timedelta(minutes=1)
    async with rig.db.begin() as session:  # as if the bot had stopped right after these commits
        person = await access.resolve(session, actor)
        stranded = await proposals_service.deposit(
            session, person, setup.fields[0].id, "Orpheline", "Texte."
        )
        stranded.created_at = long_ago
        recent = await proposals_service.deposit(
            session, person, setup.fields[0].id, "En cours", "Texte."
        )
        bob_person = await access.resolve(
            session, Actor(guild_id=rig.guild.id, user_id=bob.user.id)
        )
        amendment = await proposals_service.propose_amendment(
            session, bob_person, published.id, "Texte amendé."
        )
        amendment.created_at = long_ago
    assert len(rig.emu.threads(setup.channels[0])) == 1

    await loaded_cog_module().publish_unpublished(rig.bot)

    assert len(rig.emu.threads(setup.channels[0])) == 2
    async with rig.db.read() as session:
        stranded_now = await session.get(Proposal, stranded.id)
        recent_now = await session.get(Proposal, recent.id)
        amendment_now = await session.get(Amendment, amendment.id)
    assert stranded_now is not None and stranded_now.thread_id is not None
    assert recent_now is not None and recent_now.thread_id is None  # within the grace period
    assert amendment_now is not None and amendment_now.message_id is not None
    assert rig.emu.messages[amendment_now.message_id].channel_id == published.thread_id
    assert await audit_actions(rig) == [
        "proposition.deposee",
        "proposition.deposee",
        "amendement.propose",
    ]
    await loaded_cog_module().publish_unpublished(rig.bot)  # once only
    assert len(rig.emu.threads(setup.channels[0])) == 2


async def test_exports_rendered_in_a_worker_thread_still_reach_the_user(
    rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/mes-donnees exporter` and `/admin audit` render their file off the event loop."""
    offloaded: list[str] = []
    real_to_thread = asyncio.to_thread

    async def counting_to_thread(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        offloaded.append(getattr(func, "__name__", repr(func)))
        return await real_to_thread(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting_to_thread)
    zoe = await rig.elu("Zoé Exemple", email="zoe@example.org")
    exported = await rig.emu.slash(rig.guild, zoe.user, "mes-donnees", subcommand="exporter")
    files = [a for m in exported.messages for a in m.attachments]
    assert [f.filename for f in files] == ["mes-donnees-rtes.json"]
    assert json.loads(files[0].data.decode("utf-8"))["adhesion"]["email"] == "zoe@example.org"

    audit = await rig.emu.slash(rig.guild, rig.admin, "admin", subcommand="audit")
    files = [a for m in audit.messages for a in m.attachments]
    assert [f.filename for f in files] == [f"audit-{rig.guild.id}.csv"]
    assert {"export_json", "events_csv"} <= set(offloaded)
