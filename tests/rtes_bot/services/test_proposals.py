"""Proposal services on a real database (SQLite and PostgreSQL), below the Discord layer."""

from __future__ import annotations

import asyncio

import pytest

from rtes_bot.db import Database
from rtes_bot.errors import Conflict
from rtes_bot.models import Elu, EluStatus, FieldOfAction, ProposalStatus
from rtes_bot.services import proposals as service
from rtes_bot.services.access import Actor, Person

GUILD = 4242


async def _setup(database: Database) -> tuple[int, list[Person]]:
    async with database.begin() as session:
        field = FieldOfAction(guild_id=GUILD, slug="ess", name="ESS", forum_channel_id=99)
        session.add(field)
        people = []
        for index in range(2):
            elu = Elu(
                guild_id=GUILD,
                discord_user_id=1000 + index,
                full_name=f"Élu {index}",
                status=EluStatus.ACTIVE,
            )
            session.add(elu)
            await session.flush()
            people.append(
                Person(actor=Actor(guild_id=GUILD, user_id=1000 + index), elu=elu, is_bureau=False)
            )
        await session.flush()
        assert field.id is not None
        return field.id, people


async def test_racing_deposits_retry_once_on_the_unique_number(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the per-guild lock, the unique constraint and one retry still number both."""
    field_id, (first, second) = await _setup(database)

    async def no_lock(session: object, guild_id: int) -> None:
        return None

    monkeypatch.setattr(service, "_serialise_numbering", no_lock)
    first_flushed = asyncio.Event()

    async def slow_deposit() -> int:
        async with database.begin() as session:
            proposal = await service.deposit(session, first, field_id, "A", "a")
            first_flushed.set()
            await asyncio.sleep(0.3)  # the other deposit computes the same max+1 meanwhile
            return proposal.number

    async def racing_deposit() -> int:
        await first_flushed.wait()
        async with database.begin() as session:
            proposal = await service.deposit(session, second, field_id, "B", "b")
            return proposal.number

    numbers = await asyncio.gather(slow_deposit(), racing_deposit())
    assert sorted(numbers) == [1, 2]


async def test_set_status_refuses_leaving_a_final_status_and_ignores_the_same(
    database: Database,
) -> None:
    field_id, (author, _) = await _setup(database)
    async with database.begin() as session:
        proposal = await service.deposit(session, author, field_id, "A", "a")
        await service.set_status(session, proposal, ProposalStatus.EN_DEBAT, actor_id=None)  # no-op
        await service.set_status(session, proposal, ProposalStatus.AU_VOTE, actor_id=7)
        await service.set_status(session, proposal, ProposalStatus.ADOPTEE, actor_id=7)
        with pytest.raises(Conflict) as refused:
            await service.set_status(session, proposal, ProposalStatus.RETIREE, actor_id=7)
        assert refused.value.key == "proposition.statut-impossible"
        assert (await service.get_by_number(session, GUILD, 1)).status == ProposalStatus.ADOPTEE
        assert await service.current_text(session, proposal) == "a"
