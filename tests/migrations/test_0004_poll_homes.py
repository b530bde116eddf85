"""Migration 0004 (where polls live, and the DMs about them) on a database holding data of 0003.

Upgrading: reminders already sent become sent `rappel` notices, polls already opened count as
announced (nobody is told again about a poll opened before the upgrade), `polls_channel_id` is
empty until `/admin installer` runs. Downgrading to 0003 gives the sent reminders back to
`reminder_sent` and removes the new columns; upgrading again gets the same state."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import inspect, text

from rtes_bot.db import Database, alembic_config, script_heads, upgrade_sync

GUILD = 4343


def downgrade_sync(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


async def _fill_version_0003(database: Database) -> datetime:
    now = datetime.now(UTC).replace(microsecond=0)
    if database.is_sqlite:  # UTCDateTime stores naive UTC on SQLite
        now = now.replace(tzinfo=None)
    async with database.begin() as s:
        await s.execute(
            text(
                "INSERT INTO guild_settings (guild_id, locale, forums_are_text_channels, "
                "supports_per_collectivite, max_proxies_per_holder, created_at, updated_at) "
                "VALUES (:g, 'fr', :f, :f, 2, :t, :t)"
            ),
            {"g": GUILD, "f": False, "t": now},
        )
        for eid in (1, 2):
            await s.execute(
                text(
                    "INSERT INTO elu (id, guild_id, discord_user_id, full_name, mandate, "
                    "share_email, share_phone, is_referent, status, locale, reminders_opt_out, "
                    "created_at, updated_at) VALUES (:id, :g, :u, :n, 'Maire', :f, :f, :f, "
                    "'active', 'fr', :f, :t, :t)"
                ),
                {"id": eid, "g": GUILD, "u": 2000 + eid, "n": f"Élu {eid}", "f": False, "t": now},
            )
        await s.execute(
            text(
                "INSERT INTO poll (id, guild_id, number, question, method, options, irv, "
                "quorum_percent, majority, secret, electorate, results_visibility, seed, "
                "status, opens_at, closes_at, reminder_sent_at, created_at) VALUES (21, :g, 1, "
                "'Ouvert ?', 'pour-contre', :o, :f, 0, 'simple', :s, 'elus', 'a-la-cloture', "
                "'graine', 'open', :t, :c, :t, :t)"
            ),
            {
                "g": GUILD,
                "o": json.dumps([]),
                "f": False,
                "s": True,
                "t": now,
                "c": now + timedelta(hours=20),
            },
        )
        await s.execute(
            text("INSERT INTO reminder_sent (poll_id, elu_id, sent_at) VALUES (21, 1, :t)"),
            {"t": now},
        )
        await s.execute(
            text(
                "INSERT INTO emargement (poll_id, voter_ref, elu_id, weight, voted, struck) "
                "VALUES (21, 'elu:2', 2, 1, :v, :f)"
            ),
            {"v": True, "f": False},
        )
    return now


async def _state(url: str) -> dict[str, Any]:
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            columns = await connection.run_sync(
                lambda c: {
                    t: {col["name"] for col in inspect(c).get_columns(t)}
                    for t in ("poll", "guild_settings")
                }
            )
            state: dict[str, Any] = {"tables": tables, "columns": columns}
            if "poll_notice" in tables:
                rows = await connection.execute(
                    text("SELECT poll_id, elu_id, kind, sent_at IS NOT NULL FROM poll_notice")
                )
                state["notices"] = sorted(tuple(r) for r in rows.all())
                state["announced"] = (
                    await connection.execute(
                        text("SELECT opening_notified_at = opens_at FROM poll WHERE id = 21")
                    )
                ).scalar()
            if "reminder_sent" in tables:
                rows = await connection.execute(text("SELECT poll_id, elu_id FROM reminder_sent"))
                state["reminders"] = sorted(tuple(r) for r in rows.all())
            rows = await connection.execute(text("SELECT poll_id, voter_ref FROM emargement"))
            state["emargement"] = sorted(tuple(r) for r in rows.all())
            state["version"] = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar()
        return state
    finally:
        await database.dispose()


async def test_upgrade_to_0004_and_back_keeps_sent_reminders(empty_database_url: str) -> None:
    url = empty_database_url
    await asyncio.to_thread(upgrade_sync, url, "0003")
    database = Database(url)
    try:
        await _fill_version_0003(database)
    finally:
        await database.dispose()

    await asyncio.to_thread(upgrade_sync, url)
    upgraded = await _state(url)
    assert upgraded["version"] in (script_heads() or ())
    assert "reminder_sent" not in upgraded["tables"]
    assert upgraded["notices"] == [(21, 1, "rappel", True)]
    assert upgraded["announced"]  # opened before the upgrade: not announced again
    assert "polls_channel_id" in upgraded["columns"]["guild_settings"]
    assert "opening_notified_at" in upgraded["columns"]["poll"]

    await asyncio.to_thread(downgrade_sync, url, "0003")
    down = await _state(url)
    assert down["version"] == "0003" and "poll_notice" not in down["tables"]
    assert down["reminders"] == [(21, 1)]
    assert down["emargement"] == [(21, "elu:2")]  # the poll's rows survive the column drop
    assert "polls_channel_id" not in down["columns"]["guild_settings"]
    assert "opening_notified_at" not in down["columns"]["poll"]

    await asyncio.to_thread(upgrade_sync, url)
    assert await _state(url) == upgraded
