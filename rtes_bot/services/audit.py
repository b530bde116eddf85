"""The append-only audit log: every state change, who, what, when. Never a secret vote's content."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from rtes_bot.models import AuditEvent


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
