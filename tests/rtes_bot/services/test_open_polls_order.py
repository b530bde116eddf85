"""`polls.open_polls` lists polls closing at the same time by number, whatever order the
database stores them in (on PostgreSQL an updated row moves: the assistant's list and the bot's
answer once differed for that)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text, update
from sqlmodel import col

from rtes_bot.db import Database
from rtes_bot.models import Poll, utcnow
from rtes_bot.services import polls

GUILD = 5150


async def test_polls_closing_together_are_listed_by_number_after_updates(
    database: Database,
) -> None:
    closes = utcnow() + timedelta(days=2)
    async with database.begin() as session:
        for number in (1, 2, 3):
            session.add(
                Poll(
                    guild_id=GUILD,
                    number=number,
                    question=f"Question {number} ?",
                    method="pour-contre",
                    seed="graine",
                    closes_at=closes,
                    electorate_weight=0,
                )
            )
    # Update the first ones, as votes do: on PostgreSQL their rows move after the others.
    for number in (2, 1):
        async with database.begin() as session:
            await session.execute(
                update(Poll)
                .where(col(Poll.guild_id) == GUILD, col(Poll.number) == number)
                .values(question=f"Question {number}, reformulée ?")
            )
    async with database.read() as session:
        if database.url.startswith("postgresql"):
            # Read the table as the planner does once it is large (a sequential scan), not
            # through the (guild, number) index that hides the order on a small table.
            await session.execute(text("SET LOCAL enable_indexscan = off"))
            await session.execute(text("SET LOCAL enable_bitmapscan = off"))
        listed = await polls.open_polls(session, GUILD)
    assert [p.number for p in listed] == [1, 2, 3]
