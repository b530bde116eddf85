"""Proxies (procurations): for one poll, a voter gives their vote to another eligible voter.

Rules (product.md, issue 4): the holder must be eligible in the same poll; a holder holds at most
`col(GuildSettings.max_proxies_per_holder)` active proxies (default 2); a grantor with an active proxy
cannot vote themself; a proxy can be withdrawn only while unused; once used, the holder may still
replace the ballot they cast for the grantor until closing. Every change is audited (never a ballot).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from rtes_bot.models import Elu, GuildSettings, Poll, Proxy
from rtes_bot.services import audit, ballots

DEFAULT_MAX_PER_HOLDER = 2


async def max_per_holder(session: AsyncSession, guild_id: int) -> int:
    settings = await session.get(GuildSettings, guild_id)
    return settings.max_proxies_per_holder if settings is not None else DEFAULT_MAX_PER_HOLDER


async def held_count(session: AsyncSession, poll_id: int, holder_id: int) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(Proxy)
        .where(
            col(Proxy.poll_id) == poll_id,
            col(Proxy.holder_elu_id) == holder_id,
            col(Proxy.revoked_at).is_(None),
        )
    )
    return int(result.scalar_one())


async def held_by(session: AsyncSession, poll_id: int, holder_id: int) -> list[tuple[Proxy, Elu]]:
    """Active proxies held for this poll, with their grantors."""
    result = await session.execute(
        select(Proxy, Elu)
        .join(Elu, col(Elu.id) == col(Proxy.grantor_elu_id))
        .where(
            col(Proxy.poll_id) == poll_id,
            col(Proxy.holder_elu_id) == holder_id,
            col(Proxy.revoked_at).is_(None),
        )
        .order_by(col(Proxy.id))
    )
    return [(proxy, elu) for proxy, elu in result.all()]


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
    # Serialise proxy changes on this poll (PostgreSQL; SQLite writers are serialised already),
    # so two simultaneous gifts cannot both pass the per-holder limit.
    await ballots.lock_open(session, poll, now, exclusive=True)
    grantor_voter = await ballots.voter_for(session, poll, grantor)
    assert grantor is not None and grantor.id is not None
    if holder is None:
        raise NotFound("procuration.mandataire-inconnu")
    if holder.id == grantor.id:
        raise InvalidInput("procuration.soi-meme")
    try:
        holder_voter = await ballots.voter_for(session, poll, holder)
    except NotAllowed:
        raise InvalidInput("procuration.mandataire-non-eligible", nom=holder.full_name) from None
    if holder_voter.ref == grantor_voter.ref:
        raise InvalidInput("procuration.soi-meme")
    if await ballots.active_proxy_given(session, poll.id, grantor.id) is not None:
        raise Conflict("procuration.deja-donnee", numero=poll.number)
    if await ballots.has_participated(session, poll.id, grantor_voter.ref):
        raise Conflict("procuration.deja-vote", numero=poll.number)
    assert holder.id is not None
    if await ballots.active_proxy_given(session, poll.id, holder.id) is not None:
        raise Conflict("procuration.mandataire-a-donne", nom=holder.full_name)
    limit = await max_per_holder(session, poll.guild_id)
    if await held_count(session, poll.id, holder.id) >= limit:
        raise Conflict("procuration.plafond", nom=holder.full_name, max=limit)
    proxy = Proxy(
        poll_id=poll.id, grantor_elu_id=grantor.id, holder_elu_id=holder.id, created_at=now
    )
    session.add(proxy)
    await session.flush()
    audit.record(
        session,
        poll.guild_id,
        actor_id,
        "procuration.donnee",
        "poll",
        poll.id,
        numero=poll.number,
        procuration=proxy.id,
        mandant=grantor.id,
        mandataire=holder.id,
    )
    return proxy


async def withdraw(
    session: AsyncSession, *, poll: Poll, grantor: Elu | None, now: datetime, actor_id: int | None
) -> Proxy:
    assert poll.id is not None
    await ballots.lock_open(session, poll, now, exclusive=True)
    if grantor is None or grantor.id is None:
        raise NotFound("procuration.aucune-donnee", numero=poll.number)
    proxy = await ballots.active_proxy_given(session, poll.id, grantor.id)
    if proxy is None:
        raise NotFound("procuration.aucune-donnee", numero=poll.number)
    if proxy.used_at is not None:
        raise Conflict("procuration.deja-utilisee", numero=poll.number)
    proxy.revoked_at = now
    session.add(proxy)
    audit.record(
        session,
        poll.guild_id,
        actor_id,
        "procuration.retiree",
        "poll",
        poll.id,
        numero=poll.number,
        procuration=proxy.id,
        mandant=grantor.id,
        mandataire=proxy.holder_elu_id,
    )
    return proxy
