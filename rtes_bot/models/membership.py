"""Members of the network: collectivités, élus, fields of action, charter versions and signatures."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rtes_bot.models.base import guild_column, optional_ref, owner_ref, snowflake, timestamp


class CollectiviteKind(enum.StrEnum):
    COMMUNE = "commune"
    INTERCOMMUNALITE = "intercommunalite"
    DEPARTEMENT = "departement"
    REGION = "region"
    PAYS = "pays"
    AUTRE = "autre"


class MembershipStatus(enum.StrEnum):
    ADHERENTE = "adherente"
    ASSOCIEE = "associee"
    ANCIENNE = "ancienne"


class EluStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    LEFT = "left"
    ERASED = "erased"


class Collectivite(SQLModel, table=True):
    __tablename__ = "collectivite"
    __table_args__ = (sa.UniqueConstraint("guild_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = guild_column()
    name: str = Field(max_length=200)
    name_key: str = Field(max_length=200)
    kind: str = Field(default=CollectiviteKind.AUTRE, max_length=20)
    code: str | None = Field(default=None, max_length=20)
    departement: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    status: str = Field(default=MembershipStatus.ADHERENTE, max_length=20)
    weight: int = Field(default=1)
    flagged_new: bool = Field(default=False)
    created_at: datetime = timestamp(now=True)
    updated_at: datetime = timestamp(now=True)


class Elu(SQLModel, table=True):
    """An élu (member). Personal fields are emptied by a GDPR erasure; the row stays, anonymised."""

    __tablename__ = "elu"
    __table_args__ = (sa.UniqueConstraint("guild_id", "discord_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = guild_column()
    discord_user_id: int | None = snowflake()
    full_name: str = Field(default="", max_length=120)
    collectivite_id: int | None = optional_ref("collectivite.id")
    mandate: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    share_email: bool = Field(default=False)
    share_phone: bool = Field(default=False)
    # The référent casts the collectivité's vote; the services keep at most one per collectivité.
    is_referent: bool = Field(default=False)
    status: str = Field(default=EluStatus.PENDING, max_length=16)
    locale: str = Field(default="fr", max_length=8)
    reminders_opt_out: bool = Field(default=False)
    rejection_reason: str | None = Field(default=None, max_length=500)
    validated_by: int | None = snowflake()
    validated_at: datetime | None = timestamp()
    left_at: datetime | None = timestamp()
    bureau_card_message_id: int | None = snowflake()
    created_at: datetime = timestamp(now=True)
    updated_at: datetime = timestamp(now=True)


class FieldOfAction(SQLModel, table=True):
    """A champ d'action, with its forum channel and role. Retired fields keep their history."""

    __tablename__ = "field_of_action"
    __table_args__ = (sa.UniqueConstraint("guild_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = guild_column()
    slug: str = Field(max_length=60)
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=300)
    position: int = Field(default=0)
    forum_channel_id: int | None = snowflake()
    role_id: int | None = snowflake()
    retired_at: datetime | None = timestamp()
    created_at: datetime = timestamp(now=True)


class EluField(SQLModel, table=True):
    __tablename__ = "elu_field"

    elu_id: int = owner_ref("elu.id", primary_key=True)
    field_id: int = owner_ref("field_of_action.id", primary_key=True)


class CharterVersion(SQLModel, table=True):
    __tablename__ = "charter_version"
    __table_args__ = (sa.UniqueConstraint("guild_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = guild_column()
    version: int
    text: str = Field(sa_type=sa.Text)
    published_by: int | None = snowflake()
    published_at: datetime = timestamp(now=True)


class CharterSignature(SQLModel, table=True):
    """A signature: an élu (emptied on erasure), their collectivité and a charter version."""

    __tablename__ = "charter_signature"
    __table_args__ = (sa.UniqueConstraint("charter_version_id", "elu_id"),)

    id: int | None = Field(default=None, primary_key=True)
    charter_version_id: int = owner_ref("charter_version.id", index=True)
    elu_id: int | None = optional_ref("elu.id")
    collectivite_id: int | None = optional_ref("collectivite.id")
    collectivite_name: str = Field(default="", max_length=200)
    signed_at: datetime = timestamp(now=True)
