"""Per-scope numbering (`rtes_bot/services/numbering.py`): concurrent creations in one scope get
distinct consecutive numbers with no retry, and scopes number independently.

Each creation runs in its own transaction and connection, all started at once: on PostgreSQL the
transactions truly overlap (without the scope's advisory lock, two would read the same max and one
insert would hit the unique constraint); on SQLite the database's write lock makes writers wait
for one another, which is the same guarantee by other means."""

from __future__ import annotations

import asyncio

from sqlmodel import col, select

from rtes_bot.db import Database
from rtes_bot.models import CharterVersion
from rtes_bot.models.base import utcnow
from rtes_bot.services.numbering import next_number

GUILD_A, GUILD_B = 111, 222


async def _create(database: Database, guild_id: int, pause: float) -> int:
    async with database.begin() as session:
        number = await next_number(
            session, col(CharterVersion.version), col(CharterVersion.guild_id), guild_id
        )
        # Hold the transaction open between reading the number and inserting, so that
        # creations really overlap where the backend lets them.
        await asyncio.sleep(pause)
        session.add(
            CharterVersion(
                guild_id=guild_id, version=number, text=f"v{number}", published_at=utcnow()
            )
        )
    return number


async def test_concurrent_creations_draw_distinct_consecutive_numbers(database: Database) -> None:
    creations = [
        _create(database, GUILD_A if index % 3 else GUILD_B, pause=0.01 * (index % 4))
        for index in range(24)
    ]
    numbers = await asyncio.gather(*creations)
    async with database.read() as session:
        stored = (
            await session.execute(
                select(CharterVersion.guild_id, CharterVersion.version).order_by(
                    col(CharterVersion.guild_id), col(CharterVersion.version)
                )
            )
        ).all()
    in_a = [version for guild, version in stored if guild == GUILD_A]
    in_b = [version for guild, version in stored if guild == GUILD_B]
    assert in_a == list(range(1, 17))
    assert in_b == list(range(1, 9))
    assert sorted(numbers) == sorted(in_a + in_b)


async def test_the_first_number_of_a_scope_is_one(database: Database) -> None:
    assert await _create(database, 333, pause=0) == 1
    assert await _create(database, 333, pause=0) == 2
    assert await _create(database, 444, pause=0) == 1
