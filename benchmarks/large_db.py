"""Fill a database with a large network: members, collectivités, polls and ballots (bulk inserts)."""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import timedelta

from sqlalchemy import insert

from rtes_bot.db import Database
from rtes_bot.models import (
    Ballot,
    Collectivite,
    Elu,
    EluStatus,
    GuildSettings,
    Participation,
    Poll,
    utcnow,
)

CHUNK = 5_000


async def _bulk(database: Database, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        async with database.begin() as session:
            await session.execute(insert(table), rows[start : start + CHUNK])


async def seed_large_network(
    database: Database,
    guild_id: int,
    *,
    members: int = 10_000,
    polls: int = 1_000,
    ballots: int = 100_000,
    open_polls: int = 10,
    secret_key: bytes = b"bench",
    first_user_id: int = 900_000_000_000_000_000,
) -> None:
    rng = random.Random(2026)
    now = utcnow()
    async with database.begin() as session:
        session.add(GuildSettings(guild_id=guild_id))
    collectivites = [
        {
            "id": i + 1,
            "guild_id": guild_id,
            "name": f"Commune {i}",
            "name_key": f"commune {i}",
            "kind": "commune",
            "status": "adherente",
            "weight": 1,
            "flagged_new": False,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(max(1, members // 10))
    ]
    await _bulk(database, Collectivite.__table__, collectivites)
    elus = [
        {
            "id": i + 1,
            "guild_id": guild_id,
            "discord_user_id": first_user_id + i,
            "full_name": f"Élu {i}",
            "collectivite_id": (i % len(collectivites)) + 1,
            "mandate": "Adjoint·e",
            "email": f"elu{i}@example.org",
            "share_email": False,
            "share_phone": False,
            "status": EluStatus.ACTIVE,
            "locale": "fr",
            "reminders_opt_out": False,
            "is_referent": i < len(collectivites),
            "created_at": now,
            "updated_at": now,
        }
        for i in range(members)
    ]
    await _bulk(database, Elu.__table__, elus)
    poll_rows = []
    for number in range(1, polls + 1):
        is_open = number > polls - open_polls
        poll_rows.append(
            {
                "id": number,
                "guild_id": guild_id,
                "number": number,
                "question": f"Question {number} ?",
                "method": "pour-contre",
                "options": [],
                "irv": False,
                "quorum_percent": 0,
                "majority": "simple",
                "secret": True,
                "electorate": "elus",
                "results_visibility": "a-la-cloture",
                "seed": f"{number:016x}",
                "status": "open" if is_open else "closed",
                "opens_at": now - timedelta(days=30),
                "closes_at": now + timedelta(days=3) if is_open else now - timedelta(days=1),
                "closed_at": None if is_open else now - timedelta(days=1),
                "announced_at": None if is_open else now - timedelta(days=1),
                "created_at": now,
            }
        )
    await _bulk(database, Poll.__table__, poll_rows)
    per_poll = max(1, ballots // polls)
    participation, ballot_rows = [], []
    for poll in poll_rows:
        for voter in rng.sample(range(members), min(per_poll, members)):
            ref = f"elu:{voter + 1}"
            key = hmac.new(secret_key, f"{poll['id']}:{ref}".encode(), hashlib.sha256).hexdigest()
            participation.append(
                {"poll_id": poll["id"], "voter_ref": ref, "cast_by_elu_id": voter + 1}
            )
            ballot_rows.append(
                {
                    "poll_id": poll["id"],
                    "ballot_key": key,
                    "content": rng.choice(["pour", "contre", "abstention"]),
                    "weight": 1,
                }
            )
    await _bulk(database, Participation.__table__, participation)
    await _bulk(database, Ballot.__table__, ballot_rows)


async def reset_sequences(database: Database) -> None:
    """After inserts with explicit ids, move PostgreSQL's sequences past them."""
    if database.is_sqlite:
        return
    from sqlalchemy import text

    async with database.begin() as session:
        for table in ("collectivite", "elu", "poll"):
            await session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )
