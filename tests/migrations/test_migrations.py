"""The schema is built only by Alembic migrations, and they match the models exactly."""

from __future__ import annotations

import asyncio
from datetime import UTC
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from rtes_bot import models
from rtes_bot.db import Database, script_heads, upgrade, upgrade_sync
from tests.support.databases import SqliteFactory


async def test_upgrade_empty_database_to_head_matches_models(empty_database_url: str) -> None:
    await upgrade(empty_database_url)
    database = Database(empty_database_url)
    try:
        async with database.engine.connect() as connection:

            def differences(sync_connection):
                context = MigrationContext.configure(
                    sync_connection, opts={"compare_type": True, "compare_server_default": True}
                )
                return compare_metadata(context, models.metadata)

            diff = await connection.run_sync(differences)
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            version = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar()
    finally:
        await database.dispose()
    assert diff == []
    assert set(models.metadata.tables) <= tables
    assert version is not None


def _schema(sync_connection) -> dict[str, Any]:
    """Every table's columns (name, type, nullability), indexes and unique constraints."""
    inspector = inspect(sync_connection)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted(
                (i["name"] or "", tuple(i["column_names"])) for i in inspector.get_indexes(table)
            ),
            sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        )
        for table in sorted(inspector.get_table_names())
    }


async def test_upgrade_of_a_database_at_head_changes_nothing(database_url: str) -> None:
    """`rtes-bot db upgrade` and every start upgrade the database: on one already at head,
    neither the quick check nor Alembic itself changes the version, the schema or the rows."""
    database = Database(database_url)
    try:
        async with database.begin() as session:
            session.add(models.GuildSettings(guild_id=42, bureau_role_id=7))

        async def state() -> tuple[Any, ...]:
            async with database.engine.connect() as connection:
                version = (
                    (await connection.execute(text("SELECT version_num FROM alembic_version")))
                    .scalars()
                    .all()
                )
                schema = await connection.run_sync(_schema)
            async with database.read() as session:
                row = await session.get(models.GuildSettings, 42, populate_existing=True)
            return version, schema, row.bureau_role_id if row else None

        before = await state()
        assert set(before[0]) == set(script_heads() or ()) and before[2] == 7
        await upgrade(database_url)  # the quick path: already at head, Alembic not run
        assert await state() == before
        await database.engine.dispose()
        await asyncio.to_thread(upgrade_sync, database_url)  # Alembic, with nothing to apply
        assert await state() == before
    finally:
        await database.dispose()


async def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(
    sqlite_factory: SqliteFactory,
) -> None:
    database = Database(sqlite_factory.new())
    try:
        async with database.read() as session:
            journal = (await session.execute(text("PRAGMA journal_mode"))).scalar()
            foreign_keys = (await session.execute(text("PRAGMA foreign_keys"))).scalar()
            busy = (await session.execute(text("PRAGMA busy_timeout"))).scalar()
    finally:
        await database.dispose()
    assert journal == "wal"
    assert foreign_keys == 1
    assert busy >= 5000


async def test_datetimes_come_back_aware_utc(database: Database) -> None:
    from datetime import datetime, timedelta, timezone

    paris_winter = timezone(timedelta(hours=1))
    async with database.begin() as session:
        session.add(
            models.GuildSettings(
                guild_id=42, created_at=datetime(2026, 12, 15, 18, 0, tzinfo=paris_winter)
            )
        )
    async with database.read() as session:
        row = await session.get(models.GuildSettings, 42)
    assert row is not None
    assert row.created_at.utcoffset() == timedelta(0)
    assert row.created_at == datetime(2026, 12, 15, 17, 0, tzinfo=UTC)


async def test_failed_unit_of_work_writes_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.begin() as session:
            session.add(models.GuildSettings(guild_id=7))
            await session.flush()
            raise RuntimeError("boom")
    async with database.read() as session:
        assert await session.get(models.GuildSettings, 7) is None


async def test_discord_ids_fit_64_bits(database: Database) -> None:
    big = 1_234_567_890_123_456_789
    async with database.begin() as session:
        session.add(models.GuildSettings(guild_id=big, bureau_role_id=big - 1))
    async with database.read() as session:
        row = await session.get(models.GuildSettings, big)
    assert row is not None and row.bureau_role_id == big - 1
