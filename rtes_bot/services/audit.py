"""The append-only audit log: every state change, who, what, when. Never a secret vote's content."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from rtes_bot.models import AuditEvent
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


def event_row(event: AuditEvent) -> dict[str, Any]:
    """An event as plain JSON values; Discord ids as strings (JavaScript loses 64-bit integers)."""
    return {
        "id": event.id,
        "created_at": event.created_at.isoformat(),
        "guild_id": str(event.guild_id),
        "actor_id": str(event.actor_id) if event.actor_id is not None else None,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
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
