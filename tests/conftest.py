"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from rtes_bot.assistant import meaning
from rtes_bot.clock import Clock
from rtes_bot.db import Database
from tests.emulator.harness import run_client
from tests.emulator.harness import socket_guard as _socket_guard
from tests.support.databases import PostgresFactory, SqliteFactory, postgres_url
from tests.support.rig import (
    TEST_TOKEN,
    DiscordCallsInTransaction,
    Rig,
    make_bot,
    make_settings,
)

pytest_plugins = ["tests.emulator.fixtures"]

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _stay_on_loopback() -> Iterator[None]:
    """Every test: any connection or DNS lookup outside loopback raises."""
    with _socket_guard():
        yield


@pytest.fixture(scope="session", autouse=True)
def _sentence_encoder_loaded() -> None:
    """The assistant's sentence encoder and example questions, loaded once per test process
    (a second or more; the bot itself loads them on its first question, off the event loop):
    timed tests then measure what they test. The cold path has its own test."""
    meaning.examples()


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory: pytest.TempPathFactory) -> SqliteFactory:
    return SqliteFactory(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_factory() -> Iterator[PostgresFactory | None]:
    url = postgres_url()
    factory = PostgresFactory(url) if url else None
    yield factory
    if factory is not None:
        factory.close()


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest,
    sqlite_factory: SqliteFactory,
    postgres_factory: PostgresFactory | None,
) -> AsyncIterator[str]:
    """A fresh, migrated database, once per backend."""
    if request.param == "sqlite":
        url = sqlite_factory.new()
        yield url
        sqlite_factory.drop(url)
    else:
        if postgres_factory is None:
            pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
        url = await postgres_factory.new_async()
        yield url
        await postgres_factory.drop_async(url)


@pytest.fixture(params=BACKENDS)
async def empty_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_factory: PostgresFactory | None
) -> AsyncIterator[str]:
    """A database with no table at all (not the migrated template), once per backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    if postgres_factory is None:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    url = await postgres_factory.new_async()
    database = Database(url)
    async with database.begin() as session:
        await session.execute(text("DROP SCHEMA public CASCADE"))
        await session.execute(text("CREATE SCHEMA public"))
    await database.dispose()
    yield url
    await postgres_factory.drop_async(url)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    yield folder


@pytest.fixture
def http_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[DiscordCallsInTransaction]:
    """Fails the test at teardown if a Discord HTTP request was made inside a write transaction
    (``RTES_ALLOW_HTTP_IN_TX=1``: a warning instead)."""
    guard = DiscordCallsInTransaction().install(monkeypatch)
    yield guard
    guard.check()


@pytest.fixture
async def rig(
    http_guard: DiscordCallsInTransaction,
    emulator,
    database_url: str,
    tmp_path: Path,
    error_log,
) -> AsyncIterator[Rig]:
    """The real bot connected to the emulator, on a fresh database; any logged ERROR, and any
    Discord HTTP request made inside a write transaction, fails the test."""
    guild = emulator.create_guild("RTES", community=True)
    admin = emulator.create_user("bureau_admin", global_name="Admin Bureau")
    emulator.add_member(guild, admin, administrator=True)
    settings = make_settings(database_url, guild.id, tmp_path / "data")
    clock = Clock()
    bot = make_bot(settings, clock)
    async with run_client(emulator, bot, token=TEST_TOKEN):
        yield Rig(
            emu=emulator,
            guild=guild,
            bot=bot,
            admin=admin,
            settings=settings,
            clock=clock,
            http_guard=http_guard,
        )
