"""Numbers people quote (« scrutin n°3 », « proposition #12 », « amendement 2 », « charte v4 »):
one rule for every numbered thing.

The transaction that creates the row first takes the lock of its scope, then reads max + 1 and
inserts: on PostgreSQL a transaction-scoped advisory lock keyed by the table and the scope (a
guild, or a proposal for its amendments); on SQLite every writer already holds the database's
write lock from ``BEGIN IMMEDIATE``. Two creations in one scope take turns and never draw the same
number, without retries; the ``(scope, number)`` unique constraints stay as the safety net.
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

#: advisory lock keys are two int4
_INT4 = 2_147_483_647


def _namespace(table: str) -> int:
    return zlib.crc32(table.encode()) & _INT4


async def take_turn(session: AsyncSession, table: str, scope_id: int) -> None:
    """Wait until no other transaction is numbering in ``table`` for ``scope_id`` (PostgreSQL;
    on SQLite the write lock already serialises writers). Held until commit or rollback."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            select(func.pg_advisory_xact_lock(_namespace(table), scope_id % _INT4))
        )


async def next_number(session: AsyncSession, number: Any, scope: Any, scope_id: int) -> int:
    """The number the next row of ``number``'s table gets in ``scope == scope_id`` (1 for the
    first), after taking that scope's turn. ``number`` and ``scope`` are model columns, e.g.
    ``col(Poll.number), col(Poll.guild_id)``."""
    await take_turn(session, number.class_.__tablename__, scope_id)
    result = await session.execute(
        select(func.coalesce(func.max(number), 0)).where(scope == scope_id)
    )
    return int(result.scalar_one()) + 1
