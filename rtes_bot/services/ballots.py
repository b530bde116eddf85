"""Who may vote in a poll, and casting or replacing a ballot — secretly when the poll is secret.

A *voter* is identified by a `voter_ref`: `elu:<id>` (electorate `elus`) or `col:<id>`
(electorate `collectivites`, cast by the collectivité's référent with its weight).

Secrecy (product.md, Voting): `participation` says who took part; `ballot` holds the content,
keyed by `HMAC-SHA256(secret_key, "<poll_id>:<voter_ref>")`. A ballot row has no voter, no
timestamp, no sequential id; without the key nobody can join the two tables, and the key only
lets the bot find *the* ballot of the voter in front of it (to replace it). Public polls also
store `public_voter_ref` so that who voted what can be listed at close. Nothing here logs or
audits a vote's content; a proxy's use is audited without content.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.counting import Ballot as CountedBallot
from rtes_bot.counting import CountError, PollSpec
from rtes_bot.counting.ballots import normalise
from rtes_bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from rtes_bot.models import (
    Ballot,
    Collectivite,
    Elu,
    EluField,
    EluStatus,
    MembershipStatus,
    Participation,
    Poll,
    PollStatus,
    Proxy,
)
from rtes_bot.services import audit

# The Core tables, for the statements that need no ORM bookkeeping.
PARTICIPATION: Any = Participation.__table__  # type: ignore[attr-defined]
BALLOT: Any = Ballot.__table__  # type: ignore[attr-defined]

ELECTORATE_ELUS = "elus"
ELECTORATE_COLLECTIVITES = "collectivites"


@dataclass(frozen=True)
class Voter:
    """One vote of the electorate: who it belongs to, its weight, and the élu who casts it."""

    ref: str
    weight: int
    elu_id: int  # the élu who may cast it (the élu, or the référent of the collectivité)
    label: str  # a display name (élu or collectivité), used only for public polls and reminders


def ballot_key(secret_key: bytes, poll_id: int, voter_ref: str) -> str:
    """The ballot's row key: not derivable from the voter without the server's secret key."""
    if not secret_key:
        raise RuntimeError("the secret key is not set")
    message = f"{poll_id}:{voter_ref}".encode()
    return hmac.new(secret_key, message, hashlib.sha256).hexdigest()


def spec_of(poll: Poll, electorate_weight: int | None = None) -> PollSpec:
    """The counting specification of a poll (quorum as an exact fraction of the electorate)."""
    from fractions import Fraction

    return PollSpec(
        method=poll.method,
        options=tuple(poll.options),
        irv=poll.irv,
        quorum=Fraction(poll.quorum_percent, 100),
        majority=poll.majority,
        electorate_weight=electorate_weight,
        max_choices=poll.max_choices,
        seed=poll.seed,
    )


# ------------------------------------------------------------------ electorate


async def electorate(session: AsyncSession, poll: Poll) -> list[Voter]:
    """Every vote of the poll's electorate as of now (élus active; or member collectivités with a référent)."""
    if poll.electorate == ELECTORATE_COLLECTIVITES:
        rows = await session.execute(
            select(Collectivite, Elu)
            .join(Elu, col(Elu.collectivite_id) == col(Collectivite.id))
            .where(
                col(Collectivite.guild_id) == poll.guild_id,
                col(Collectivite.status) == MembershipStatus.ADHERENTE,
                col(Elu.is_referent).is_(True),
                col(Elu.status) == EluStatus.ACTIVE,
            )
            .order_by(col(Collectivite.id), col(Elu.id))
        )
        voters: dict[str, Voter] = {}
        for collectivite, elu in rows.all():
            ref = f"col:{collectivite.id}"
            if ref not in voters:
                assert elu.id is not None
                voters[ref] = Voter(ref, collectivite.weight, elu.id, collectivite.name)
        return list(voters.values())
    query = select(Elu).where(
        col(Elu.guild_id) == poll.guild_id, col(Elu.status) == EluStatus.ACTIVE
    )
    if poll.field_id is not None:
        query = query.join(EluField, col(EluField.elu_id) == col(Elu.id)).where(
            col(EluField.field_id) == poll.field_id
        )
    result = await session.execute(query.order_by(col(Elu.id)))
    return [Voter(f"elu:{elu.id}", 1, elu.id or 0, elu.full_name) for elu in result.scalars()]


async def electorate_weight(session: AsyncSession, poll: Poll) -> int:
    return sum(voter.weight for voter in await electorate(session, poll))


async def voter_for(session: AsyncSession, poll: Poll, elu: Elu | None) -> Voter:
    """The vote this élu casts in this poll for themself, or a precise refusal."""
    if elu is None or elu.status in (EluStatus.LEFT, EluStatus.ERASED):
        raise NotAllowed("vote.non-membre")
    if elu.status == EluStatus.PENDING:
        raise NotAllowed("vote.en-attente")
    if elu.status != EluStatus.ACTIVE:
        raise NotAllowed("vote.non-membre")
    if poll.electorate == ELECTORATE_COLLECTIVITES:
        if not elu.is_referent or elu.collectivite_id is None:
            raise NotAllowed("vote.pas-referent")
        collectivite = await session.get(Collectivite, elu.collectivite_id)
        if collectivite is None or collectivite.status != MembershipStatus.ADHERENTE:
            raise NotAllowed("vote.collectivite-non-adherente")
        assert elu.id is not None and collectivite.id is not None
        return Voter(f"col:{collectivite.id}", collectivite.weight, elu.id, collectivite.name)
    if poll.field_id is not None:
        member = await session.get(EluField, (elu.id, poll.field_id))
        if member is None:
            raise NotAllowed("vote.hors-domaine")
    assert elu.id is not None
    return Voter(f"elu:{elu.id}", 1, elu.id, elu.full_name)


async def can_vote(session: AsyncSession, poll: Poll, elu: Elu | None) -> bool:
    try:
        await voter_for(session, poll, elu)
    except NotAllowed:
        return False
    return True


# ------------------------------------------------------------------ state


def require_open(poll: Poll, now: datetime) -> None:
    if poll.status != PollStatus.OPEN or now >= poll.closes_at:
        raise Conflict("vote.scrutin-clos", numero=poll.number)


async def lock_open(
    session: AsyncSession, poll: Poll, now: datetime, *, exclusive: bool = False
) -> None:
    """Re-read the poll's status inside this transaction, holding a row lock (PostgreSQL).

    A ballot takes a shared lock: casts do not wait for each other, but the closing UPDATE waits
    for every cast in flight, and a cast that starts after it sees the poll closed. (SQLite
    serialises writers, which gives the same guarantee.) The caller's `poll` may be stale.
    """
    row = (
        await session.execute(
            select(col(Poll.status), col(Poll.closes_at))
            .where(col(Poll.id) == poll.id)
            .with_for_update(read=not exclusive)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("scrutin.inconnu", numero=poll.number)
    status, closes_at = row
    if status != PollStatus.OPEN or now >= closes_at:
        raise Conflict("vote.scrutin-clos", numero=poll.number)


async def has_participated(session: AsyncSession, poll_id: int, voter_ref: str) -> bool:
    return await session.get(Participation, (poll_id, voter_ref)) is not None


async def turnout(session: AsyncSession, poll_id: int) -> int:
    """How many votes were cast (participations), never which."""
    result = await session.execute(
        select(func.count()).select_from(Participation).where(col(Participation.poll_id) == poll_id)
    )
    return int(result.scalar_one())


async def participated_refs(session: AsyncSession, poll_id: int) -> set[str]:
    result = await session.execute(
        select(col(Participation.voter_ref)).where(col(Participation.poll_id) == poll_id)
    )
    return set(result.scalars())


async def active_proxy_given(session: AsyncSession, poll_id: int, grantor_id: int) -> Proxy | None:
    result = await session.execute(
        select(Proxy).where(
            col(Proxy.poll_id) == poll_id,
            col(Proxy.grantor_elu_id) == grantor_id,
            col(Proxy.revoked_at).is_(None),
        )
    )
    return result.scalars().first()


def validate_content(poll: Poll, content: Any) -> Any:
    """Check a ballot content against the poll (as the counting package will read it)."""
    try:
        normalise(spec_of(poll), content)
    except CountError:
        raise InvalidInput("vote.bulletin-invalide") from None
    return content


# ------------------------------------------------------------------ casting


@dataclass(frozen=True)
class CastResult:
    poll_id: int
    voter_ref: str
    replaced: bool
    on_behalf_of: int | None  # grantor élu id when cast with a proxy


# Built once per shape: building `excluded` and the ON CONFLICT clause costs more than running it.
_STATEMENTS: dict[tuple[str, str, tuple[str, ...], tuple[str, ...], bool], Any] = {}


def _insert_statement(
    dialect: str, table: Any, names: tuple[str, ...], keys: tuple[str, ...], update: bool
) -> Any:
    """INSERT … ON CONFLICT DO UPDATE (`update`) or DO NOTHING RETURNING the key (Core, cached)."""
    cache_key = (dialect, table.name, names, keys, update)
    statement = _STATEMENTS.get(cache_key)
    if statement is None:
        from sqlalchemy.dialects import postgresql, sqlite

        dialect_insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = dialect_insert(table)
        updates = {name: statement.excluded[name] for name in names if name not in keys}
        if update and updates:
            statement = statement.on_conflict_do_update(index_elements=list(keys), set_=updates)
        else:
            statement = statement.on_conflict_do_nothing(index_elements=list(keys))
            if not update:
                statement = statement.returning(*(table.c[key] for key in keys))
        _STATEMENTS[cache_key] = statement
    return statement


async def _upsert(
    session: AsyncSession, table: Any, values: dict[str, Any], keys: list[str]
) -> None:
    """INSERT … ON CONFLICT DO UPDATE: atomic on both backends (two clicks never make two rows)."""
    dialect = session.get_bind().dialect.name
    statement = _insert_statement(dialect, table, tuple(values), tuple(keys), True)
    await session.execute(statement, values)


async def _insert_new(
    session: AsyncSession, table: Any, values: dict[str, Any], keys: list[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True when the row is new, False when it already existed.

    Atomic on both backends: of two concurrent inserts of one key, exactly one is new (on
    PostgreSQL the second waits for the first to commit, then sees the conflict).
    """
    dialect = session.get_bind().dialect.name
    statement = _insert_statement(dialect, table, tuple(values), tuple(keys), False)
    return (await session.execute(statement, values)).first() is not None


async def check_can_cast(
    session: AsyncSession,
    *,
    poll: Poll,
    elu: Elu | None,
    now: datetime,
    on_behalf_of: Elu | None = None,
) -> tuple[Voter, Proxy | None]:
    """Who this ballot is for, or the precise refusal (closed, not eligible, proxy rules). No write."""
    assert poll.id is not None
    require_open(poll, now)
    if on_behalf_of is not None:
        holder_voter = await voter_for(session, poll, elu)  # the holder must be eligible too
        assert elu is not None and elu.id is not None
        if on_behalf_of.id == elu.id:
            raise InvalidInput("procuration.soi-meme")
        assert on_behalf_of.id is not None
        proxy = await active_proxy_given(session, poll.id, on_behalf_of.id)
        if proxy is None or proxy.holder_elu_id != elu.id:
            raise NotAllowed("vote.procuration-absente", nom=on_behalf_of.full_name)
        voter = await voter_for(session, poll, on_behalf_of)
        if voter.ref == holder_voter.ref:
            raise InvalidInput("procuration.soi-meme")
        return voter, proxy
    voter = await voter_for(session, poll, elu)
    assert elu is not None and elu.id is not None
    given = await active_proxy_given(session, poll.id, elu.id)
    if given is not None:
        holder = await session.get(Elu, given.holder_elu_id)
        raise Conflict(
            "vote.procuration-donnee",
            nom=holder.full_name if holder else "?",
            numero=poll.number,
        )
    return voter, None


async def cast(
    session: AsyncSession,
    *,
    poll: Poll,
    elu: Elu | None,
    content: Any,
    secret_key: bytes,
    now: datetime,
    on_behalf_of: Elu | None = None,
    actor_id: int | None = None,
) -> CastResult:
    """Cast or replace the ballot of `elu` (or, with a proxy, of `on_behalf_of`). The last one counts."""
    assert poll.id is not None
    await lock_open(session, poll, now)
    voter, proxy = await check_can_cast(
        session, poll=poll, elu=elu, now=now, on_behalf_of=on_behalf_of
    )
    assert elu is not None
    if proxy is not None:
        first_use = proxy.used_at is None
        if first_use:
            proxy.used_at = now
            session.add(proxy)
        audit.record(
            session,
            poll.guild_id,
            actor_id,
            "procuration.utilisee",
            "poll",
            poll.id,
            numero=poll.number,
            procuration=proxy.id,
            premiere_utilisation=first_use,
        )
    validate_content(poll, content)
    # One statement tells a first ballot from a replacement (no SELECT before the INSERT).
    replaced = not await _insert_new(
        session,
        PARTICIPATION,
        {"poll_id": poll.id, "voter_ref": voter.ref, "cast_by_elu_id": elu.id},
        ["poll_id", "voter_ref"],
    )
    if replaced:
        await session.execute(
            update(PARTICIPATION)
            .where(
                PARTICIPATION.c.poll_id == poll.id,
                PARTICIPATION.c.voter_ref == voter.ref,
            )
            .values(cast_by_elu_id=elu.id)
        )
    await _upsert(
        session,
        BALLOT,
        {
            "poll_id": poll.id,
            "ballot_key": ballot_key(secret_key, poll.id, voter.ref),
            "content": content,
            "weight": voter.weight,
            "public_voter_ref": None if poll.secret else voter.ref,
        },
        ["poll_id", "ballot_key"],
    )
    return CastResult(
        poll.id, voter.ref, replaced, on_behalf_of.id if on_behalf_of is not None else None
    )


async def own_ballot(
    session: AsyncSession, poll: Poll, voter_ref: str, secret_key: bytes
) -> Any | None:
    """The current ballot of the voter in front of the bot (found with the key), or None."""
    assert poll.id is not None
    row = await session.get(Ballot, (poll.id, ballot_key(secret_key, poll.id, voter_ref)))
    return None if row is None else row.content


async def counted_ballots(session: AsyncSession, poll_id: int) -> list[CountedBallot]:
    """Every ballot's content and weight, for counting and the anonymised file (no voter)."""
    result = await session.execute(
        select(col(Ballot.content), col(Ballot.weight))
        .where(col(Ballot.poll_id) == poll_id)
        .order_by(col(Ballot.ballot_key))
    )
    return [CountedBallot(content, weight) for content, weight in result.all()]


async def public_votes(session: AsyncSession, poll: Poll) -> list[tuple[str, Any]]:
    """Public polls only: (voter_ref, content) for each ballot."""
    if poll.secret:
        raise RuntimeError("a secret poll's ballots are not linked to voters")
    result = await session.execute(
        select(col(Ballot.public_voter_ref), col(Ballot.content))
        .where(col(Ballot.poll_id) == poll.id)
        .order_by(col(Ballot.public_voter_ref))
    )
    return [(ref or "?", content) for ref, content in result.all()]


async def voter_labels(session: AsyncSession, refs: list[str]) -> dict[str, str]:
    """Display names for voter refs (`elu:<id>` → name, `col:<id>` → collectivité)."""
    elu_ids = [int(r.split(":", 1)[1]) for r in refs if r.startswith("elu:")]
    col_ids = [int(r.split(":", 1)[1]) for r in refs if r.startswith("col:")]
    labels: dict[str, str] = {}
    if elu_ids:
        rows = await session.execute(
            select(col(Elu.id), col(Elu.full_name)).where(col(Elu.id).in_(elu_ids))
        )
        labels.update({f"elu:{i}": name or f"#{i}" for i, name in rows.all()})
    if col_ids:
        rows = await session.execute(
            select(col(Collectivite.id), col(Collectivite.name)).where(
                col(Collectivite.id).in_(col_ids)
            )
        )
        labels.update({f"col:{i}": name for i, name in rows.all()})
    return labels
