"""Polls, participation, ballots and proxies.

Secrecy: for a secret poll, `participation` says who voted, and `ballot` holds contents keyed by
an HMAC of (poll, voter) under the server's secret key. Ballot rows carry no voter, no timestamp and
no sequential id, and the table is keyed by that HMAC, so without the key they cannot be joined to
participation rows.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rtes_bot.models.base import json_field, snowflake, timestamp


class PollStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Poll(SQLModel, table=True):
    __tablename__ = "poll"
    __table_args__ = (
        sa.UniqueConstraint("guild_id", "number"),
        sa.Index("ix_poll_status_closes_at", "status", "closes_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=sa.BigInteger, index=True)
    number: int
    question: str = Field(max_length=300)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", ondelete="SET NULL")
    method: str = Field(max_length=24)
    options: list[str] = json_field(list)
    irv: bool = Field(default=False)
    max_choices: int | None = Field(default=None)
    quorum_percent: int = Field(default=0)
    majority: str = Field(default="simple", max_length=16)
    secret: bool = Field(default=True)
    electorate: str = Field(default="elus", max_length=16)
    field_id: int | None = Field(
        default=None, foreign_key="field_of_action.id", ondelete="SET NULL"
    )
    results_visibility: str = Field(default="a-la-cloture", max_length=16)
    seed: str = Field(max_length=64)
    status: str = Field(default=PollStatus.OPEN, max_length=12)
    opens_at: datetime = timestamp(now=True)
    closes_at: datetime = timestamp(nullable=False)
    closed_at: datetime | None = timestamp()
    reminder_sent_at: datetime | None = timestamp()
    announced_at: datetime | None = timestamp()
    outcome: str | None = Field(default=None, max_length=32)
    electorate_weight: int | None = Field(default=None)
    result: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON, nullable=True)
    channel_id: int | None = snowflake()
    message_id: int | None = snowflake()
    created_by: int | None = snowflake()
    created_at: datetime = timestamp(now=True)


class Participation(SQLModel, table=True):
    """Who took part (elu or collectivité voter), and who cast it (self, référent or proxy holder)."""

    __tablename__ = "participation"
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: int = Field(foreign_key="poll.id", primary_key=True, ondelete="CASCADE")
    voter_ref: str = Field(primary_key=True, max_length=32)
    cast_by_elu_id: int | None = Field(default=None, foreign_key="elu.id", ondelete="SET NULL")


class Ballot(SQLModel, table=True):
    """A ballot's content, keyed by HMAC(poll, voter). `public_voter_ref` only for public polls."""

    __tablename__ = "ballot"
    # No rowid on SQLite: rows are stored in HMAC order, so insertion order cannot link them.
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: int = Field(foreign_key="poll.id", primary_key=True, ondelete="CASCADE")
    ballot_key: str = Field(primary_key=True, max_length=64)
    content: Any = Field(sa_type=sa.JSON, nullable=False)
    weight: int = Field(default=1)
    public_voter_ref: str | None = Field(default=None, max_length=32)


class Proxy(SQLModel, table=True):
    __tablename__ = "proxy"
    __table_args__ = (sa.Index("ix_proxy_poll_holder", "poll_id", "holder_elu_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True, ondelete="CASCADE")
    grantor_elu_id: int = Field(foreign_key="elu.id", ondelete="CASCADE")
    holder_elu_id: int = Field(foreign_key="elu.id", ondelete="CASCADE")
    created_at: datetime = timestamp(now=True)
    revoked_at: datetime | None = timestamp()
    used_at: datetime | None = timestamp()


class ReminderSent(SQLModel, table=True):
    """One reminder DM sent for a poll to an élu: makes reminders idempotent across restarts."""

    __tablename__ = "reminder_sent"

    poll_id: int = Field(foreign_key="poll.id", primary_key=True, ondelete="CASCADE")
    elu_id: int = Field(foreign_key="elu.id", primary_key=True, ondelete="CASCADE")
    sent_at: datetime = timestamp(now=True)
