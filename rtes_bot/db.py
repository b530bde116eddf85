"""Async engine, session factory and schema migrations for SQLite (aiosqlite) and PostgreSQL (asyncpg).

The unit of work is ``async with database.begin() as session``: one transaction per interaction;
services receive the session and never commit. No Discord call happens inside it (on SQLite every
other writer would wait behind the round trip): :func:`in_write_transaction` tells whether the
running task is inside one, and the tests fail any Discord request made then.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import re
import stat
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class _WriteTransaction:
    """Marks a task as being inside `Database.begin()`; switched off when the block exits, so that
    a task created inside the transaction (it copies the context) and still running afterwards is
    not taken for being inside it."""

    __slots__ = ("active",)

    def __init__(self) -> None:
        self.active = True


_write_transaction: contextvars.ContextVar[_WriteTransaction | None] = contextvars.ContextVar(
    "rtes_write_transaction", default=None
)


def in_write_transaction() -> bool:
    """Whether the running code is inside an open write transaction (`Database.begin()`).

    Discord calls must not happen then: on SQLite every other writer would wait behind the round
    trip (the tests fail any Discord HTTP request made while this is true)."""
    marker = _write_transaction.get()
    return marker is not None and marker.active


class DriverLogRedactor(logging.Filter):
    """Keeps the database layers' DEBUG logs from naming voters.

    At DEBUG, SQLAlchemy logs each statement's parameters and each result row, and aiosqlite
    logs each call with its arguments: a voter's reference next to every cast would tell who
    re-cast a ballot. Parameters are hidden by the engine (`hide_parameters`); these records keep
    only their kind.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("sqlalchemy.engine"):
            if isinstance(record.msg, str) and record.msg.startswith(("Row", "Col")):
                return False
        elif record.name == "aiosqlite" and record.levelno <= logging.DEBUG:
            record.msg = "aiosqlite call (arguments redacted)"
            record.args = ()
        return True


DRIVER_LOG_REDACTOR = DriverLogRedactor()
for _name in ("sqlalchemy.engine.Engine", "aiosqlite"):
    logging.getLogger(_name).addFilter(DRIVER_LOG_REDACTOR)


# ------------------------------------------------------------------ private files

#: Files and folders the bot creates are its owner's alone: the database, its journal, WAL and
#: shared-memory files, the key file, the data folder.
PRIVATE_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
#: An SQLite database and the files SQLite keeps beside it.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_umask() -> None:
    """From now on, every file and folder this process creates is readable by its owner only
    (set at the bot's and the CLI's start, before any database opens; stricter bits are kept)."""
    previous = os.umask(PRIVATE_UMASK)
    os.umask(previous | PRIVATE_UMASK)


def make_private(path: Path, mode: int) -> bool:
    """Set `path` to `mode` if it grants anything to group or others, with a warning; False when
    it does not exist. Raises `OSError` when the mode cannot be changed."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return False
    if current & 0o077:
        try:
            os.chmod(path, mode)
        except OSError as error:  # not the owner: say so, the operator must fix it
            log.error(
                "%s est accessible au groupe ou aux autres (mode %04o) et ses droits ne peuvent "
                "être changés (%s) : « chmod %04o » en tant que propriétaire. / %s is readable or "
                "writable by group or others (mode %04o) and cannot be changed (%s): run "
                "'chmod %04o' as its owner.",
                path, current, error, mode, path, current, error, mode,
            )  # fmt: skip
            return True
        log.warning(
            "%s était accessible au groupe ou aux autres (mode %04o) : droits ramenés à %04o. "
            "/ %s was readable or writable by group or others (mode %04o): set to %04o.",
            path,
            current,
            mode,
            path,
            current,
            mode,
        )
    return True


def private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) owner-only, or make an existing one owner-only."""
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    make_private(folder, PRIVATE_FOLDER_MODE)


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def sqlite_files(url: str) -> list[Path]:
    """The database file of an SQLite URL and its journal, WAL and shared-memory files."""
    path = sqlite_path(url)
    if path is None:
        return []
    return [path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS]


def protect_files(paths: Iterable[Path]) -> None:
    """Existing files made owner-only (0600), with a warning for each one fixed."""
    for path in paths:
        make_private(path, PRIVATE_FILE_MODE)


def protect_sqlite(url: str) -> None:
    """Before an SQLite database opens: owner-only umask, its folder created owner-only when
    missing, and the database, journal, WAL and shared-memory files already there set to 0600."""
    path = sqlite_path(url)
    if path is None:
        return
    private_umask()
    if not path.parent.exists():
        path.parent.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    protect_files(sqlite_files(url))


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; on SQLite: WAL, foreign keys, busy timeout, one writer at a time."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        protect_sqlite(url)
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        kwargs.setdefault("hide_parameters", True)
        engine = create_async_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy drive transactions (BEGIN IMMEDIATE below) instead of the driver.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Overwrite deleted content (replaced secret ballots) instead of leaving it in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # Writers take the write lock at BEGIN (IMMEDIATE): a read-then-write transaction then
            # waits for the busy timeout instead of failing with "database is locked".
            mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("hide_parameters", True)
    return create_async_engine(url, **kwargs)


class Database:
    """The engine and its session factory; `begin()` is the unit of work."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        self.is_sqlite = is_sqlite(url)
        writer = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine
        )
        self.sessions = async_sessionmaker(writer, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer: serialising writers in-process avoids busy-waiting on the file lock.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed on success, rolled back on any exception.

        No Discord call inside: do the database work, leave the block (commit), then call Discord
        (and undo in a second transaction if Discord refuses)."""
        marker = _WriteTransaction()
        token = _write_transaction.set(marker)
        try:
            if self._write_lock is not None:
                async with self._write_lock:
                    async with self.sessions.begin() as session:
                        yield session
            else:
                async with self.sessions.begin() as session:
                    yield session
        finally:
            marker.active = False
            try:
                _write_transaction.reset(token)
            except ValueError:  # finalised in another context (an abandoned generator)
                pass

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only session (no write lock on SQLite)."""
        async with self.read_sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_sync(url: str, revision: str = "head") -> None:
    """Apply migrations (blocking; Alembic's env.py runs its own event loop)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


_REVISION = re.compile(r"""^revision(?:\s*:[^=]*)?=\s*['"]([^'"]+)['"]\s*$""", re.M)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=]*)?=(.*)$", re.M)
_DEPENDS_ON = re.compile(r"^depends_on(?:\s*:[^=]*)?=(.*)$", re.M)


def script_heads() -> frozenset[str] | None:
    """The head revision(s) of `migrations/versions`, read from the files without importing
    Alembic (most of a second at start); None when a file is not plain enough to be sure."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        depends = _DEPENDS_ON.search(source)
        if revision is None or down is None:
            return None
        if depends is not None and depends.group(1).strip() != "None":
            return None
        value = down.group(1).strip()
        if value != "None":
            names = re.findall(r"""['"]([^'"]+)['"]""", value)
            if not names:
                return None  # e.g. a tuple spread over several lines
            parents.update(names)
        revisions.add(revision.group(1))
    heads = revisions - parents
    return frozenset(heads) if heads else None


async def is_at_head(url: str) -> bool:
    """Whether the database's `alembic_version` is exactly the migrations' head(s)."""
    heads = script_heads()
    if heads is None:
        return False
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            current = frozenset(row[0] for row in rows)
    except DBAPIError:  # no alembic_version table yet (a new database): let Alembic say
        return False
    finally:
        await engine.dispose()
    return current == heads


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations from async code, in a worker thread (env.py uses asyncio.run).

    At every start the database is usually at head already: that is checked first, without
    importing Alembic, which is then not loaded at all."""
    if revision == "head" and await is_at_head(url):
        log.debug("Database already at the migrations' head")
        return
    await asyncio.to_thread(upgrade_sync, url, revision)
