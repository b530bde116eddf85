"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from rtes_bot.db import Database
from tests.support.databases import PostgresFactory, SqliteFactory, postgres_url

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory: pytest.TempPathFactory) -> SqliteFactory:
    return SqliteFactory(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_factory() -> PostgresFactory | None:
    url = postgres_url()
    return PostgresFactory(url) if url else None


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
