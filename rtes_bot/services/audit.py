"""The append-only audit log: every state change, who, what, when. Never a secret vote's content."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from rtes_bot.models import AuditEvent, Elu, EluStatus
from rtes_bot.text import csv_text


def record(
    session: AsyncSession,
    guild_id: int,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current unit of work (committed with it, or not at all)."""
    event = AuditEvent(
        guild_id=guild_id,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )
    session.add(event)
    return event


async def events(session: AsyncSession, guild_id: int) -> list[AuditEvent]:
    result = await session.execute(
        select(AuditEvent).where(col(AuditEvent.guild_id) == guild_id).order_by(col(AuditEvent.id))
    )
    return list(result.scalars())


#: The columns of an audit export (`event_row`'s keys), in order.
COLUMNS = (
    "id",
    "created_at",
    "guild_id",
    "actor_id",
    "actor_name",
    "action",
    "subject_type",
    "subject_id",
    "subject_name",
    "details",
)


@dataclass(frozen=True)
class Names:
    """Who the ids of an audit log are, for people reading the export: the registered name of
    each Discord id (``users``) and of each élu (``elus``). Erased people are not there: their
    name is gone (and the log no longer points at them)."""

    users: dict[int, str] = field(default_factory=dict)
    elus: dict[int, str] = field(default_factory=dict)

    def actor(self, event: AuditEvent) -> str | None:
        return self.users.get(event.actor_id) if event.actor_id is not None else None

    def subject(self, event: AuditEvent) -> str | None:
        if event.subject_type != "elu" or event.subject_id is None:
            return None
        return self.elus.get(event.subject_id)


async def names(session: AsyncSession, guild_id: int) -> Names:
    """The names of the network's registered people (never an erased one's)."""
    rows = await session.execute(
        select(col(Elu.id), col(Elu.discord_user_id), col(Elu.full_name)).where(
            col(Elu.guild_id) == guild_id, col(Elu.status) != EluStatus.ERASED
        )
    )
    found = Names()
    for elu_id, user_id, name in rows.all():
        if not name or elu_id is None:
            continue
        found.elus[elu_id] = name
        if user_id is not None:
            found.users[user_id] = name
    return found


def event_row(event: AuditEvent, names: Names | None = None) -> dict[str, Any]:
    """An event as plain JSON values; Discord ids as strings (JavaScript loses 64-bit integers),
    each person's name next to their id when ``names`` knows it."""
    names = names or Names()
    return {
        "id": event.id,
        "created_at": event.created_at.isoformat(),
        "guild_id": str(event.guild_id),
        "actor_id": str(event.actor_id) if event.actor_id is not None else None,
        "actor_name": names.actor(event),
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "subject_name": names.subject(event),
        "details": event.details or {},
    }


def rows_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], *, bom: bool = False) -> str:
    """Audit rows (`event_row`) as CSV, one event per line, through the bot's one CSV writer
    (`rtes_bot.text.csv_text`: no cell is a spreadsheet formula); ``details`` as JSON."""

    def cell(row: dict[str, Any], column: str) -> str | int | None:
        value = row.get(column)
        if column == "details":
            return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)
        return value if value is None or isinstance(value, int) else str(value)

    return csv_text(columns, ([cell(row, column) for column in columns] for row in rows), bom=bom)
