"""Polls, the liste d'émargement, sealed and published ballots, and proxies.

Secrecy (docs/secrecy.md): while a poll is open, its ballots are sealed rows (`sealed_ballot`)
that only the server's key opens; `emargement` says who may vote and who did. At closing the
sealed rows are opened, the final ballots written in content order (`ballot`) and the sealed rows
deleted, in one transaction.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rtes_bot.models.base import (
    guild_column,
    json_field,
    optional_ref,
    owner_ref,
    snowflake,
    timestamp,
)


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
    guild_id: int = guild_column()
    number: int
    question: str = Field(max_length=300)
    proposal_id: int | None = optional_ref("proposal.id")
    method: str = Field(max_length=24)
    options: list[str] = json_field(list)
    irv: bool = Field(default=False)
    max_choices: int | None = Field(default=None)
    quorum_percent: int = Field(default=0)
    majority: str = Field(default="simple", max_length=16)
    secret: bool = Field(default=True)
    electorate: str = Field(default="elus", max_length=16)
    field_id: int | None = optional_ref("field_of_action.id")
    results_visibility: str = Field(default="a-la-cloture", max_length=16)
    seed: str = Field(max_length=64)
    status: str = Field(default=PollStatus.OPEN, max_length=12)
    opens_at: datetime = timestamp(now=True)
    closes_at: datetime = timestamp(nullable=False)
    closed_at: datetime | None = timestamp()
    reminder_sent_at: datetime | None = timestamp()
    announced_at: datetime | None = timestamp()
    #: the opening was announced (the post in #scrutins and the DMs queued): claimed once
    opening_notified_at: datetime | None = timestamp()
    outcome: str | None = Field(default=None, max_length=32)
    electorate_weight: int | None = Field(default=None)
    result: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON, nullable=True)
    channel_id: int | None = snowflake()
    message_id: int | None = snowflake()
    created_by: int | None = snowflake()
    created_at: datetime = timestamp(now=True)


class ElectorateEntry(SQLModel, table=True):
    """The liste d'émargement: one vote of the electorate, fixed when the poll opens.

    `voter_ref` is `elu:<id>` or `col:<id>`; `elu_id` is the élu who casts it (the élu, or the
    référent of the collectivité at opening); `weight` its weight. `voted` says that a ballot was
    cast (never which, nor when, nor how often); `struck` that the caster left or was erased since
    the opening (the vote is lost, a ballot already cast stays counted); `delegate_elu_id` the
    holder of an active proxy for this vote; `cast_by_elu_id` who cast the first ballot (the élu,
    or the proxy holder). No timestamp and no ballot reference: see docs/secrecy.md.
    """

    __tablename__ = "emargement"
    __table_args__ = (
        sa.Index("ix_emargement_elu_id", "elu_id"),
        sa.Index("ix_emargement_delegate_elu_id", "delegate_elu_id"),
        {"sqlite_with_rowid": False},
    )

    poll_id: int = owner_ref("poll.id", primary_key=True)
    voter_ref: str = Field(primary_key=True, max_length=32)
    elu_id: int | None = optional_ref("elu.id")
    weight: int = Field(default=1)
    voted: bool = Field(default=False)
    struck: bool = Field(default=False)
    delegate_elu_id: int | None = optional_ref("elu.id")
    cast_by_elu_id: int | None = optional_ref("elu.id")


class SealedBallot(SQLModel, table=True):
    """A ballot of an open poll, sealed (AEAD) under the poll's key; the voter is inside the seal.

    Every cast appends one row of the same size (a replacement too: the latest row of a voter
    counts); nothing in clear says whose it is. Deleted when the poll closes.
    """

    __tablename__ = "sealed_ballot"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = owner_ref("poll.id", index=True)
    sealed: bytes = Field(sa_type=sa.LargeBinary, nullable=False)


class Ballot(SQLModel, table=True):
    """A published ballot of a closed poll (written at closing, in content order).

    Secret polls: one unit row per unit of weight, sorted by content, `voter_ref` empty — the
    same information as the published file. Public polls: one row per voter, with its weight.
    """

    __tablename__ = "ballot"
    # No rowid on SQLite: rows are stored in (poll, position) order, i.e. content order.
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: int = owner_ref("poll.id", primary_key=True)
    position: int = Field(primary_key=True)
    content: Any = Field(sa_type=sa.JSON, nullable=False)
    weight: int = Field(default=1)
    voter_ref: str | None = Field(default=None, max_length=32)


class Proxy(SQLModel, table=True):
    __tablename__ = "proxy"
    __table_args__ = (sa.Index("ix_proxy_poll_holder", "poll_id", "holder_elu_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = owner_ref("poll.id", index=True)
    grantor_elu_id: int = owner_ref("elu.id")
    holder_elu_id: int = owner_ref("elu.id")
    created_at: datetime = timestamp(now=True)
    revoked_at: datetime | None = timestamp()


class LegacyBallot(SQLModel, table=True):
    """Ballots of polls left open by an upgrade from the HMAC-keyed ballot table (migration 0003).

    They are keyed by HMAC(old key text, "<poll>:<voter>") and sealed by the bot at its next
    start (it alone has the key), then deleted; the table is empty afterwards.
    """

    __tablename__ = "ballot_v1"
    __table_args__ = {"sqlite_with_rowid": False}

    poll_id: int = owner_ref("poll.id", primary_key=True)
    ballot_key: str = Field(primary_key=True, max_length=64)
    content: Any = Field(sa_type=sa.JSON, nullable=False)
    weight: int = Field(default=1)


class PollNotice(SQLModel, table=True):
    """A DM owed or sent to an élu about a poll: its opening (``kind`` ``ouverture``) or the
    reminder before closing (``rappel``). Queued with ``sent_at`` empty in the transaction that
    decides it; claimed (``sent_at`` set by a conditional UPDATE, committed) just before the DM,
    so a notice is sent at most once across restarts and processes, and one left queued by a
    stop is sent at the next start. Several notices of one kind due together go in one DM."""

    __tablename__ = "poll_notice"
    __table_args__ = (sa.Index("ix_poll_notice_elu_id", "elu_id"),)

    poll_id: int = owner_ref("poll.id", primary_key=True)
    elu_id: int = owner_ref("elu.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    sent_at: datetime | None = timestamp()
