"""A network (one Discord guild): its settings and its append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rtes_bot.models.base import guild_column, json_field, snowflake, timestamp


class GuildSettings(SQLModel, table=True):
    """Per-guild settings: ids of what `/admin installer` created, and the network's defaults."""

    __tablename__ = "guild_settings"

    guild_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    locale: str = Field(default="fr", max_length=8)
    bureau_role_id: int | None = snowflake()
    member_role_id: int | None = snowflake()
    pending_role_id: int | None = snowflake()
    category_id: int | None = snowflake()
    welcome_channel_id: int | None = snowflake()
    welcome_message_id: int | None = snowflake()
    registry_channel_id: int | None = snowflake()
    bureau_channel_id: int | None = snowflake()
    #: #scrutins: the home of polls tied to neither a proposal nor a field, and where openings are announced
    polls_channel_id: int | None = snowflake()
    forums_are_text_channels: bool = Field(default=False)
    supports_per_collectivite: bool = Field(default=False)
    max_proxies_per_holder: int = Field(default=2)
    created_at: datetime = timestamp(now=True)
    updated_at: datetime = timestamp(now=True)


class AuditEvent(SQLModel, table=True):
    """One state change: who (Discord id), what (action + subject), when. Never a secret vote's content."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = guild_column()
    actor_id: int | None = snowflake()
    action: str = Field(max_length=64, index=True)
    subject_type: str = Field(max_length=32)
    subject_id: int | None = Field(default=None)
    details: dict[str, Any] = json_field()
    created_at: datetime = timestamp(now=True)
