"""Throwaway databases for tests: an SQLite file, and a PostgreSQL database when
``TEST_DATABASE_URL`` points at a server (each test gets its own database, cloned from a
migrated template, so migrations run once per session)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from rtes_bot.db import upgrade_sync


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


class SqliteFactory:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite3"
        upgrade_sync(f"sqlite+aiosqlite:///{self.template}")

    def new(self) -> str:
        target = self.folder / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copyfile(self.template, target)
        return f"sqlite+aiosqlite:///{target}"

    def drop(self, url: str) -> None:
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresFactory:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        # One template per test session, so that parallel sessions on one server don't collide.
        self.template = f"rtes_template_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._execute(f'CREATE DATABASE "{self.template}"'))
        upgrade_sync(self._url_for(self.template))

    def close(self) -> None:
        asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))

    def _url_for(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    async def _execute(self, statement: str) -> None:
        import asyncpg

        url = self.admin_url
        connection = await asyncpg.connect(
            user=url.username,
            password=url.password,
            host=url.host,
            port=url.port,
            database=url.database,
        )
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    def new(self) -> str:
        name = f"rtes_{uuid.uuid4().hex[:16]}"
        asyncio.run(self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self._url_for(name)

    async def new_async(self) -> str:
        name = f"rtes_{uuid.uuid4().hex[:16]}"
        await self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url_for(name)

    async def drop_async(self, url: str) -> None:
        name = make_url(url).database
        await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
