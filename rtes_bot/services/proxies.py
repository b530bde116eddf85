"""Proxies (procurations): for one poll, a voter gives their vote to another voter of that poll.

The liste d'émargement is the authority: the grantor's entry carries `delegate_elu_id` while the
proxy is active. Rules: the holder must be on the poll's list (not struck); a holder holds at most
`GuildSettings.max_proxies_per_holder` proxies (default 2); a person who gave their vote away
cannot cast anyone's ballot in that poll — so a holder cannot give their own vote, and nobody
gives a vote to someone who gave theirs, whichever order the proxies come in; a grantor cannot
vote themself; a proxy can be withdrawn only while unused (the grantor's vote not yet cast);
once used, the holder may replace the ballot until closing. Changes are audited (never a ballot).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from rtes_bot.models import Elu, GuildSettings, Poll, PollStatus, Proxy
from rtes_bot.services import ballots, polls
from rtes_bot.services.ballots import EMARGEMENT

DEFAULT_MAX_PER_HOLDER = 2


async def max_per_holder(session: AsyncSession, guild_id: int) -> int:
    settings = await session.get(GuildSettings, guild_id)
    return settings.max_proxies_per_holder if settings is not None else DEFAULT_MAX_PER_HOLDER


async def held_count(session: AsyncSession, poll_id: int, holder_id: int) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(EMARGEMENT)
        .where(EMARGEMENT.c.poll_id == poll_id, EMARGEMENT.c.delegate_elu_id == holder_id)
    )
    return int(result.scalar_one())


async def _lock_poll(session: AsyncSession, poll: Poll, now: datetime) -> None:
    """Re-read the poll's state holding its row (PostgreSQL): proxy changes of one poll run one
    at a time, and never across its closing."""
    row = (
        await session.execute(
            select(col(Poll.status), col(Poll.closes_at))
            .where(col(Poll.id) == poll.id)
            .with_for_update()
        )
    ).one_or_none()
    if row is None:
        raise NotFound("scrutin.inconnu", numero=poll.number)
    if row[0] != PollStatus.OPEN or now >= row[1]:
        raise Conflict("vote.scrutin-clos", numero=poll.number)


async def _set_delegate(
    session: AsyncSession, poll_id: int, voter_ref: str, holder_id: int | None, *condition: Any
) -> bool:
    """Give (or take back, with None) this vote's proxy while the vote is still unused: False
    if it was cast meanwhile (or ``condition`` no longer holds)."""
    changed = await session.execute(
        update(EMARGEMENT)
        .where(
            EMARGEMENT.c.poll_id == poll_id,
            EMARGEMENT.c.voter_ref == voter_ref,
            EMARGEMENT.c.voted.is_(False),
            *condition,
        )
        .values(delegate_elu_id=holder_id)
    )
    return changed.rowcount == 1  # type: ignore[attr-defined]


def _audit(
    session: AsyncSession, poll: Poll, actor_id: int | None, action: str, proxy: Proxy
) -> None:
    polls.audit_poll(
        session,
        poll,
        actor_id,
        action,
        procuration=proxy.id,
        mandant=proxy.grantor_elu_id,
        mandataire=proxy.holder_elu_id,
    )


async def give(
    session: AsyncSession,
    *,
    poll: Poll,
    grantor: Elu | None,
    holder: Elu | None,
    now: datetime,
    actor_id: int | None,
) -> Proxy:
    assert poll.id is not None
    await _lock_poll(session, poll, now)
    if grantor is None or grantor.id is None:
        raise NotAllowed("vote.non-membre")
    own = await ballots.entry_cast_by(session, poll.id, grantor.id)
    if own is None:
        raise NotAllowed("vote.hors-liste-numero", numero=poll.number)
    if own.struck:
        raise NotAllowed("vote.raye")
    if holder is None or holder.id is None:
        raise NotFound("procuration.mandataire-inconnu")
    if holder.id == grantor.id:
        raise InvalidInput("procuration.soi-meme")
    theirs = await ballots.entry_cast_by(session, poll.id, holder.id)
    if theirs is None or theirs.struck:
        raise InvalidInput("procuration.mandataire-non-eligible", nom=holder.full_name)
    if theirs.voter_ref == own.voter_ref:
        raise InvalidInput("procuration.soi-meme")
    if own.delegate_elu_id is not None:
        raise Conflict("procuration.deja-donnee", numero=poll.number)
    if own.voted:
        raise Conflict("procuration.deja-vote", numero=poll.number)
    if theirs.delegate_elu_id is not None:
        raise Conflict("procuration.mandataire-a-donne", nom=holder.full_name)
    if await held_count(session, poll.id, grantor.id) > 0:
        raise Conflict("procuration.mandant-detient", numero=poll.number)
    limit = await max_per_holder(session, poll.guild_id)
    if await held_count(session, poll.id, holder.id) >= limit:
        raise Conflict("procuration.plafond", nom=holder.full_name, max=limit)
    if not await _set_delegate(
        session, poll.id, own.voter_ref, holder.id, EMARGEMENT.c.delegate_elu_id.is_(None)
    ):
        raise Conflict("procuration.deja-vote", numero=poll.number)
    proxy = Proxy(
        poll_id=poll.id, grantor_elu_id=grantor.id, holder_elu_id=holder.id, created_at=now
    )
    session.add(proxy)
    await session.flush()
    _audit(session, poll, actor_id, "procuration.donnee", proxy)
    return proxy


async def active_proxy_given(session: AsyncSession, poll_id: int, grantor_id: int) -> Proxy | None:
    result = await session.execute(
        select(Proxy)
        .where(
            col(Proxy.poll_id) == poll_id,
            col(Proxy.grantor_elu_id) == grantor_id,
            col(Proxy.revoked_at).is_(None),
        )
        .order_by(col(Proxy.id).desc())
    )
    return result.scalars().first()


async def withdraw(
    session: AsyncSession, *, poll: Poll, grantor: Elu | None, now: datetime, actor_id: int | None
) -> Proxy:
    assert poll.id is not None
    await _lock_poll(session, poll, now)
    if grantor is None or grantor.id is None:
        raise NotFound("procuration.aucune-donnee", numero=poll.number)
    own = await ballots.entry_cast_by(session, poll.id, grantor.id)
    proxy = await active_proxy_given(session, poll.id, grantor.id)
    if own is None or proxy is None or own.delegate_elu_id is None:
        raise NotFound("procuration.aucune-donnee", numero=poll.number)
    if own.voted:
        raise Conflict("procuration.deja-utilisee", numero=poll.number)
    if not await _set_delegate(session, poll.id, own.voter_ref, None):
        raise Conflict("procuration.deja-utilisee", numero=poll.number)
    proxy.revoked_at = now
    session.add(proxy)
    _audit(session, poll, actor_id, "procuration.retiree", proxy)
    return proxy
