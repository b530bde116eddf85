"""Fill a database with a large network: members, collectivités, polls, listes d'émargement and
ballots (bulk inserts), in the shape the bot writes them.

- Every poll has its liste d'émargement (`emargement`, fixed at opening). Open polls are polls of
  the whole network (every élu on the list); closed polls have `closed_electorate` élus on the
  list each (polls of a field of action), so that the file stays a few tens of MB.
- Closed polls hold their published ballots (`ballot`: one unit row per ballot, in content
  order, no voter) and their result, as closing writes them.
- Open polls hold sealed ballots (`sealed_ballot`, sealed with `master_key` as the bot does), and
  the voters' entries are marked `voted`.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import insert

from rtes_bot.counting import Ballot as Counted
from rtes_bot.counting import count, result_to_json
from rtes_bot.db import Database
from rtes_bot.models import (
    Ballot,
    Collectivite,
    ElectorateEntry,
    Elu,
    EluStatus,
    GuildSettings,
    Poll,
    SealedBallot,
    utcnow,
)
from rtes_bot.services.ballots import seal, spec_of

CHUNK = 5_000
CHOICES = ["pour", "contre", "abstention"]


def _table(model: Any) -> Any:
    return model.__table__


async def _bulk(database: Database, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        async with database.begin() as session:
            await session.execute(insert(table), rows[start : start + CHUNK])


async def seed_large_network(
    database: Database,
    guild_id: int,
    *,
    master_key: bytes,
    members: int = 10_000,
    polls: int = 1_000,
    ballots: int = 100_000,
    open_polls: int = 10,
    closed_electorate: int = 1_000,
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
    await _bulk(database, _table(Collectivite), collectivites)
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
    await _bulk(database, _table(Elu), elus)
    per_poll = max(1, ballots // polls)
    poll_rows: list[dict[str, Any]] = []
    electorates: dict[int, list[int]] = {}  # poll id -> élu ids (0-based) on its list
    for number in range(1, polls + 1):
        is_open = number > polls - open_polls
        listed = (
            list(range(members))
            if is_open
            else sorted(rng.sample(range(members), min(closed_electorate, members)))
        )
        electorates[number] = listed
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
                "electorate_weight": len(listed),
                "results_visibility": "a-la-cloture",
                "seed": f"{number:016x}",
                "status": "open" if is_open else "closed",
                "opens_at": now - timedelta(days=30),
                "closes_at": now + timedelta(days=3) if is_open else now - timedelta(days=1),
                "closed_at": None if is_open else now - timedelta(days=1),
                "announced_at": None if is_open else now - timedelta(days=1),
                "result": None,
                "outcome": None,
                "created_at": now,
            }
        )
    entries: list[dict[str, Any]] = []
    published: list[dict[str, Any]] = []
    sealed: list[dict[str, Any]] = []
    for poll in poll_rows:
        listed = electorates[poll["id"]]
        voters = set(rng.sample(listed, min(per_poll, len(listed))))
        contents: list[str] = []
        for voter in listed:
            voted = voter in voters
            entries.append(
                {
                    "poll_id": poll["id"],
                    "voter_ref": f"elu:{voter + 1}",
                    "elu_id": voter + 1,
                    "weight": 1,
                    "voted": voted,
                    "struck": False,
                    "delegate_elu_id": None,
                    "cast_by_elu_id": voter + 1 if voted else None,
                }
            )
            if voted:
                content = rng.choice(CHOICES)
                contents.append(content)
                if poll["status"] == "open":
                    sealed.append(
                        {
                            "poll_id": poll["id"],
                            "sealed": seal(master_key, poll["id"], f"elu:{voter + 1}", content, 1),
                        }
                    )
        if poll["status"] == "closed":
            contents.sort()
            published.extend(
                {"poll_id": poll["id"], "position": i, "content": c, "weight": 1, "voter_ref": None}
                for i, c in enumerate(contents)
            )
            spec = spec_of(_PollFacts(poll), poll["electorate_weight"])  # type: ignore[arg-type]
            result = count(spec, [Counted(c, 1) for c in contents])
            poll["result"] = result_to_json(result)
            poll["outcome"] = result.outcome
    await _bulk(database, _table(Poll), poll_rows)
    await _bulk(database, _table(ElectorateEntry), entries)
    await _bulk(database, _table(Ballot), published)
    rng.shuffle(sealed)  # the order of sealed rows says nothing about who voted when
    await _bulk(database, _table(SealedBallot), sealed)


class _PollFacts:
    """What `spec_of` reads of a poll, from a row being inserted."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.method = row["method"]
        self.options = row["options"]
        self.irv = row["irv"]
        self.quorum_percent = row["quorum_percent"]
        self.majority = row["majority"]
        self.max_choices = None
        self.seed = row["seed"]


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
