"""Proposal services on a real database (SQLite and PostgreSQL), below the Discord layer."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import IntegrityError

from rtes_bot.db import Database
from rtes_bot.errors import Conflict
from rtes_bot.models import Elu, EluStatus, FieldOfAction, ProposalStatus
from rtes_bot.services import numbering
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


#: deposits (or amendments) started at once in the racing tests
RACERS = 6
#: how long each racer keeps its transaction open after drawing its number
HOLD = 0.2


def _require_overlapping_writers(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip(
            "SQLite serialises writers (BEGIN IMMEDIATE and one in-process write lock): "
            "deposits cannot overlap there, so only PostgreSQL tests the numbering lock"
        )


async def _race_deposits(
    database: Database, person: Person, field_id: int
) -> list[int | BaseException]:
    """RACERS deposits, each in its own transaction and connection, all started at once, each
    holding its transaction open after its insert: without the guild's numbering lock they would
    all read the same max and collide on the unique number."""

    async def one(index: int) -> int:
        async with database.begin() as session:
            proposal = await service.deposit(session, person, field_id, f"T{index}", "x")
            await asyncio.sleep(HOLD)
            return proposal.number

    return await asyncio.gather(*(one(index) for index in range(RACERS)), return_exceptions=True)


async def test_concurrent_deposits_take_turns_and_get_consecutive_numbers(
    database: Database,
) -> None:
    """PostgreSQL only (on SQLite writers never overlap, so this would prove nothing): deposits
    that truly overlap wait for the guild's numbering lock and get distinct consecutive numbers,
    none failing on the unique constraint (there is no retry to hide a collision)."""
    _require_overlapping_writers(database)
    field_id, (author, _) = await _setup(database)

    outcomes = await _race_deposits(database, author, field_id)

    numbers = sorted(outcome for outcome in outcomes if isinstance(outcome, int))
    assert numbers == list(range(1, RACERS + 1)), outcomes
    async with database.read() as session:
        stored = sorted(p.number for p in await service.search(session, GUILD))
    assert stored == list(range(1, RACERS + 1))


async def test_without_the_numbering_lock_racing_deposits_collide(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL only. The control of the test above: with the scope's turn-taking removed, the
    same race makes deposits draw the same number and fail on the unique constraint — so the race
    is real and it is the lock that settles it."""
    _require_overlapping_writers(database)
    field_id, (author, _) = await _setup(database)

    async def no_turn(session: object, table: str, scope_id: int) -> None:
        return None

    monkeypatch.setattr(numbering, "take_turn", no_turn)
    outcomes = await _race_deposits(database, author, field_id)

    assert any(isinstance(outcome, IntegrityError) for outcome in outcomes), outcomes


async def test_amendments_are_numbered_in_their_proposal(database: Database) -> None:
    """Amendments are numbered 1, 2, 3… within each proposal, concurrent ones included."""
    field_id, (author, amender) = await _setup(database)
    async with database.begin() as session:
        first = await service.deposit(session, author, field_id, "A", "a")
        second = await service.deposit(session, author, field_id, "B", "b")
    assert first.id is not None and second.id is not None

    async def amend(proposal_id: int, index: int) -> tuple[int, int]:
        async with database.begin() as session:
            amendment = await service.propose_amendment(
                session, amender, proposal_id, f"texte {index}"
            )
            return proposal_id, amendment.number

    outcomes = await asyncio.gather(
        *(amend(first.id, index) for index in range(4)), amend(second.id, 9)
    )
    assert sorted(number for pid, number in outcomes if pid == first.id) == [1, 2, 3, 4]
    assert [number for pid, number in outcomes if pid == second.id] == [1]


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
