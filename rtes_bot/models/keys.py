"""The instance key's fingerprint: which secret key sealed this database's secret ballots.

One row (id 1). The fingerprint is `HMAC-SHA256(master key, "rtes-bot key fingerprint v1")`,
never the key nor a plain hash of it (`rtes_bot.keys.fingerprint`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from rtes_bot.models.base import timestamp

#: the id of the only row
INSTANCE_KEY_ID = 1


class InstanceKey(SQLModel, table=True):
    """The fingerprint of the secret key in use, checked at every start (`rtes_bot.keys`)."""

    __tablename__ = "instance_key"
    __table_args__ = (sa.CheckConstraint(f"id = {INSTANCE_KEY_ID}", name="single_row"),)

    id: int = Field(
        default=INSTANCE_KEY_ID, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    fingerprint: str = Field(max_length=64)
    created_at: datetime = timestamp(now=True)
