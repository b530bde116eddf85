"""Proposals deliberated in the forums: versions of their text, amendments and supports."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rtes_bot.models.base import guild_column, optional_ref, owner_ref, snowflake, timestamp


class ProposalStatus(enum.StrEnum):
    EN_DEBAT = "en-debat"
    AU_VOTE = "au-vote"
    ADOPTEE = "adoptee"
    REJETEE = "rejetee"
    QUORUM_NON_ATTEINT = "quorum-non-atteint"
    RETIREE = "retiree"


class AmendmentStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Proposal(SQLModel, table=True):
    __tablename__ = "proposal"
    __table_args__ = (sa.UniqueConstraint("guild_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = guild_column()
    number: int
    title: str = Field(max_length=100)
    author_elu_id: int | None = optional_ref("elu.id")
    field_id: int | None = optional_ref("field_of_action.id")
    status: str = Field(default=ProposalStatus.EN_DEBAT, max_length=24)
    current_version: int = Field(default=1)
    thread_id: int | None = snowflake()
    created_at: datetime = timestamp(now=True)
    updated_at: datetime = timestamp(now=True)


class ProposalVersion(SQLModel, table=True):
    __tablename__ = "proposal_version"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = owner_ref("proposal.id", index=True)
    version: int
    text: str = Field(sa_type=sa.Text)
    amendment_id: int | None = Field(default=None)
    created_at: datetime = timestamp(now=True)


class Amendment(SQLModel, table=True):
    __tablename__ = "amendment"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = owner_ref("proposal.id", index=True)
    number: int
    author_elu_id: int | None = optional_ref("elu.id")
    text: str = Field(sa_type=sa.Text)
    rationale: str = Field(default="", sa_type=sa.Text)
    status: str = Field(default=AmendmentStatus.PROPOSED, max_length=16)
    base_version: int
    message_id: int | None = snowflake()
    created_at: datetime = timestamp(now=True)
    decided_at: datetime | None = timestamp()


class Support(SQLModel, table=True):
    __tablename__ = "support"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "elu_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = owner_ref("proposal.id", index=True)
    elu_id: int | None = optional_ref("elu.id")
    collectivite_id: int | None = optional_ref("collectivite.id")
    created_at: datetime = timestamp(now=True)
