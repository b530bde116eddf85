"""Shared column types and the metadata naming convention used by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata = SQLModel.metadata


#: the largest value of an INTEGER column (PostgreSQL's int4); user-typed numbers beyond it match nothing
MAX_INT = 2**31 - 1


def in_int_range(value: int) -> bool:
    """Whether a number typed by a user can be looked up in an INTEGER column."""
    return -MAX_INT - 1 <= value <= MAX_INT


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite stores them naive, in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def snowflake(*, nullable: bool = True, index: bool = False, **kwargs: Any) -> Any:
    """A Discord id (64-bit)."""
    return Field(default=None, sa_type=sa.BigInteger, nullable=nullable, index=index, **kwargs)


def timestamp(*, nullable: bool = True, now: bool = False) -> Any:
    if now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


def json_field(default_factory: Any = dict) -> Any:
    return Field(default_factory=default_factory, sa_type=sa.JSON, nullable=False)


def guild_column() -> Any:
    """The Discord guild (the network) a row belongs to; indexed, as every query filters on it."""
    return Field(sa_type=sa.BigInteger, index=True)


def optional_ref(target: str) -> Any:
    """A reference (``"table.id"``) that may be absent and is emptied when its row is deleted:
    the row holding it stays (an erased élu's signature, a retired field's proposals)."""
    return Field(default=None, foreign_key=target, ondelete="SET NULL")


def owner_ref(target: str, *, index: bool = False, primary_key: bool = False) -> Any:
    """The row (``"table.id"``) this one belongs to: required, deleted with it."""
    options: dict[str, Any] = {"index": True} if index else {}
    if primary_key:
        options["primary_key"] = True
    return Field(foreign_key=target, ondelete="CASCADE", **options)
