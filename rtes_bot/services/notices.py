"""The DMs about polls: the opening notice and the reminder before closing, queued then claimed.

A notice is queued (a ``PollNotice`` row, ``sent_at`` empty) in the transaction that decides it:
the one that claims the poll's opening announcement (``opening_notified_at``) or its reminder
(``reminder_sent_at``) — both conditional UPDATEs, so whichever process gets there first queues,
once. Delivery claims the queued rows of one person and kind (``sent_at`` set by a conditional
UPDATE, committed) and then sends them as one DM: a notice is never sent twice, and one still
queued when the bot stopped is sent at its next start (a crash between the claim and the DM may
lose that one DM). Notices of polls closed meanwhile are dropped, not sent.

Who is told: the élus on the poll's liste d'émargement who can still vote themselves (not voted,
not struck, no proxy given), reachable on Discord and not opted out of reminders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.models import ElectorateEntry, Elu, Poll, PollNotice, PollStatus
from rtes_bot.services.polls import served
from rtes_bot.shards import Shards

OPENING = "ouverture"
REMINDER = "rappel"


def _waiting_entries() -> list[ColumnElement[bool]]:
    """The conditions of a vote of the list its élu can still cast themself."""
    return [
        col(ElectorateEntry.voted).is_(False),
        col(ElectorateEntry.struck).is_(False),
        col(ElectorateEntry.delegate_elu_id).is_(None),
        col(ElectorateEntry.elu_id).is_not(None),
    ]


async def waiting_voters(session: AsyncSession, poll_id: int) -> list[int]:
    """The élus (ids) who would be told about this poll now (see the module's docstring)."""
    result = await session.execute(
        select(col(Elu.id))
        .join(ElectorateEntry, col(ElectorateEntry.elu_id) == col(Elu.id))
        .where(
            col(ElectorateEntry.poll_id) == poll_id,
            *_waiting_entries(),
            col(Elu.reminders_opt_out).is_(False),
            col(Elu.discord_user_id).is_not(None),
        )
        .distinct()
        .order_by(col(Elu.id))
    )
    return [int(i) for i in result.scalars() if i is not None]


async def _queue(session: AsyncSession, poll_id: int, kind: str) -> int:
    """Queue a notice of ``kind`` for every waiting voter of the poll not given one yet."""
    already = set(
        (
            await session.execute(
                select(col(PollNotice.elu_id)).where(
                    col(PollNotice.poll_id) == poll_id, col(PollNotice.kind) == kind
                )
            )
        ).scalars()
    )
    targets = [i for i in await waiting_voters(session, poll_id) if i not in already]
    for elu_id in targets:
        session.add(PollNotice(poll_id=poll_id, elu_id=elu_id, kind=kind))
    await session.flush()
    return len(targets)


async def _claim_poll(session: AsyncSession, poll_id: int, column: Any, now: datetime) -> bool:
    """Set an open poll's empty timestamp ``column``: True for the one caller that did."""
    claimed = await session.execute(
        update(Poll)
        .where(col(Poll.id) == poll_id, col(Poll.status) == PollStatus.OPEN, column.is_(None))
        .values({column.key: now})
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ opening


async def pending_openings(session: AsyncSession, shards: Shards | None = None) -> list[int]:
    """Open polls whose message is posted and whose opening is not announced yet (of the guilds
    this process serves, when sharded)."""
    result = await session.execute(
        select(col(Poll.id))
        .where(
            col(Poll.status) == PollStatus.OPEN,
            col(Poll.opening_notified_at).is_(None),
            col(Poll.message_id).is_not(None),
            served(shards),
        )
        .order_by(col(Poll.id))
    )
    return [int(i) for i in result.scalars() if i is not None]


async def claim_opening(session: AsyncSession, poll_id: int, now: datetime) -> bool:
    """True for the one caller that announces this opening; its DMs are queued with the claim."""
    if not await _claim_poll(session, poll_id, col(Poll.opening_notified_at), now):
        return False
    await _queue(session, poll_id, OPENING)
    return True


# ------------------------------------------------------------------ reminders


async def claim_reminder(session: AsyncSession, poll_id: int, now: datetime) -> int | None:
    """Mark the poll reminded and queue its reminders (how many); None if someone else did."""
    if not await _claim_poll(session, poll_id, col(Poll.reminder_sent_at), now):
        return None
    return await _queue(session, poll_id, REMINDER)


# ------------------------------------------------------------------ delivery


@dataclass(frozen=True)
class Batch:
    """The queued notices of one kind for one élu: one DM."""

    elu_id: int
    kind: str
    poll_ids: tuple[int, ...]


async def pending_batches(session: AsyncSession, shards: Shards | None = None) -> list[Batch]:
    """Queued notices of open polls (of the guilds served here, when sharded), grouped by élu
    and kind."""
    result = await session.execute(
        select(col(PollNotice.elu_id), col(PollNotice.kind), col(PollNotice.poll_id))
        .join(Poll, col(Poll.id) == col(PollNotice.poll_id))
        .where(
            col(PollNotice.sent_at).is_(None),
            col(Poll.status) == PollStatus.OPEN,
            served(shards),
        )
        .order_by(col(PollNotice.elu_id), col(PollNotice.kind), col(PollNotice.poll_id))
    )
    grouped: dict[tuple[int, str], list[int]] = defaultdict(list)
    for elu_id, kind, poll_id in result.all():
        grouped[(int(elu_id), str(kind))].append(int(poll_id))
    return [Batch(e, k, tuple(ids)) for (e, k), ids in grouped.items()]


async def claim_batch(session: AsyncSession, batch: Batch, now: datetime) -> list[int]:
    """Claim the batch's notices still queued (each by a conditional UPDATE); the polls won."""
    won: list[int] = []
    for poll_id in batch.poll_ids:
        claimed = await session.execute(
            update(PollNotice)
            .where(
                col(PollNotice.poll_id) == poll_id,
                col(PollNotice.elu_id) == batch.elu_id,
                col(PollNotice.kind) == batch.kind,
                col(PollNotice.sent_at).is_(None),
            )
            .values(sent_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            won.append(poll_id)
    return won


async def drop_stale(session: AsyncSession) -> None:
    """Forget the queued notices of closed polls (too late to tell anyone)."""
    closed = select(col(Poll.id)).where(col(Poll.status) == PollStatus.CLOSED)
    await session.execute(
        delete(PollNotice).where(
            col(PollNotice.sent_at).is_(None), col(PollNotice.poll_id).in_(closed)
        )
    )


async def awaiting_vote(session: AsyncSession, elu_id: int, guild_id: int) -> list[Poll]:
    """Every open poll of the network in which this élu can still cast their own vote, by
    closing time (what a bundled reminder lists)."""
    result = await session.execute(
        select(col(Poll.id))
        .join(
            ElectorateEntry,
            and_(
                col(ElectorateEntry.poll_id) == col(Poll.id),
                col(ElectorateEntry.elu_id) == elu_id,
            ),
        )
        .where(
            col(Poll.guild_id) == guild_id,
            col(Poll.status) == PollStatus.OPEN,
            col(Poll.message_id).is_not(None),
            *_waiting_entries(),
        )
        .distinct()
    )
    found = await polls_by_id(session, [int(i) for i in result.scalars() if i is not None])
    return sorted(found, key=lambda poll: (poll.closes_at, poll.number))


async def polls_by_id(session: AsyncSession, poll_ids: Sequence[int]) -> list[Poll]:
    result = await session.execute(
        select(Poll).where(col(Poll.id).in_(list(poll_ids))).order_by(col(Poll.number))
    )
    return list(result.scalars())
