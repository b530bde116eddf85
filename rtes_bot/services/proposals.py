"""Proposals deliberated in the forums: deposit, supports, amendments, versions, status, withdrawal.

Every operation takes the unit of work's session and plain ids, checks who may act, writes the
audit log in the same transaction, and never commits. Races are settled by the database: numbers
(a proposal's in its guild, an amendment's in its proposal) by the one per-scope numbering
(:func:`rtes_bot.services.numbering.next_number`: deposits of a scope take turns, so there is no
retry; the ``(scope, number)`` unique constraints stay as the safety net), a support by the
``(proposal_id, elu_id)`` unique constraint and a lock on the proposal row, an amendment's decision
by a conditional ``UPDATE … WHERE status = 'proposed'``.

What has a Discord message is saved in two steps, with Discord in between and never inside a
transaction: :func:`deposit` (resp. :func:`propose_amendment`) stores the row, unpublished; after
the commit the cog posts it, then :func:`publish` (resp. :func:`publish_amendment`) attaches the
message and writes the audit event — or, if Discord refused, :func:`discard`
(resp. :func:`discard_amendment`) removes the row. A row left unpublished by a crash is found by
:func:`unpublished` / :func:`unpublished_amendments` and posted again at the next start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from rtes_bot.models import (
    Amendment,
    AmendmentStatus,
    Collectivite,
    Elu,
    FieldOfAction,
    GuildSettings,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Support,
    in_int_range,
    utcnow,
)
from rtes_bot.services import audit, numbering
from rtes_bot.services.access import Person
from rtes_bot.text import clean, clean_line

TITLE_MAX = 100
TEXT_MAX = 4000
RATIONALE_MAX = 1000

#: status -> statuses it may move to (the same status is always a no-op).
TRANSITIONS: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.EN_DEBAT: frozenset(
        {
            ProposalStatus.AU_VOTE,
            ProposalStatus.RETIREE,
            ProposalStatus.ADOPTEE,
            ProposalStatus.REJETEE,
            ProposalStatus.QUORUM_NON_ATTEINT,
        }
    ),
    ProposalStatus.AU_VOTE: frozenset(
        {
            ProposalStatus.EN_DEBAT,
            ProposalStatus.ADOPTEE,
            ProposalStatus.REJETEE,
            ProposalStatus.QUORUM_NON_ATTEINT,
        }
    ),
    ProposalStatus.ADOPTEE: frozenset(),
    ProposalStatus.REJETEE: frozenset(),
    ProposalStatus.QUORUM_NON_ATTEINT: frozenset(),
    ProposalStatus.RETIREE: frozenset(),
}


# ----------------------------------------------------------------------------- reading


async def get(session: AsyncSession, guild_id: int, proposal_id: int) -> Proposal:
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None or proposal.guild_id != guild_id:
        raise NotFound("proposition.inconnue-id")
    return proposal


async def get_by_number(session: AsyncSession, guild_id: int, number: int) -> Proposal:
    """The proposal numbered ``number`` in this guild; `NotFound("proposition.inconnue")` otherwise."""
    if not in_int_range(number):
        raise NotFound("proposition.inconnue", numero=number)
    result = await session.execute(
        sa.select(Proposal).where(
            col(Proposal.guild_id) == guild_id, col(Proposal.number) == number
        )
    )
    proposal = result.scalar_one_or_none()
    if proposal is None:
        raise NotFound("proposition.inconnue", numero=number)
    return proposal


async def _lock(session: AsyncSession, proposal_id: int) -> Proposal:
    """Re-read the proposal row, locked until the end of the transaction (PostgreSQL; SQLite
    transactions that write are already serialised)."""
    result = await session.execute(
        sa.select(Proposal)
        .where(col(Proposal.id) == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result.scalar_one()


async def version_text(session: AsyncSession, proposal: Proposal, version: int) -> str:
    result = await session.execute(
        sa.select(col(ProposalVersion.text)).where(
            col(ProposalVersion.proposal_id) == proposal.id, col(ProposalVersion.version) == version
        )
    )
    text = result.scalar_one_or_none()
    if text is None:
        raise NotFound(
            "proposition.version-inconnue",
            numero=proposal.number,
            version=version,
            derniere=proposal.current_version,
        )
    return text


async def current_text(session: AsyncSession, proposal: Proposal) -> str:
    """The text of the proposal's current version."""
    return await version_text(session, proposal, proposal.current_version)


async def versions(session: AsyncSession, proposal: Proposal) -> list[ProposalVersion]:
    result = await session.execute(
        sa.select(ProposalVersion)
        .where(col(ProposalVersion.proposal_id) == proposal.id)
        .order_by(col(ProposalVersion.version))
    )
    return list(result.scalars())


async def amendments(session: AsyncSession, proposal: Proposal) -> list[Amendment]:
    result = await session.execute(
        sa.select(Amendment)
        .where(col(Amendment.proposal_id) == proposal.id)
        .order_by(col(Amendment.number))
    )
    return list(result.scalars())


async def author(session: AsyncSession, proposal_id: int) -> Elu | None:
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None or proposal.author_elu_id is None:
        return None
    return await session.get(Elu, proposal.author_elu_id)


async def support_count(session: AsyncSession, proposal_id: int) -> int:
    result = await session.execute(
        sa.select(sa.func.count())
        .select_from(Support)
        .where(col(Support.proposal_id) == proposal_id)
    )
    return int(result.scalar_one())


def _matching(
    guild_id: int, status: str | None, field_id: int | None
) -> list[sa.ColumnElement[bool]]:
    """The conditions of :func:`search` and :func:`count`."""
    conditions = [col(Proposal.guild_id) == guild_id]
    if status is not None:
        conditions.append(col(Proposal.status) == status)
    if field_id is not None:
        conditions.append(col(Proposal.field_id) == field_id)
    return conditions


async def search(
    session: AsyncSession,
    guild_id: int,
    *,
    status: str | None = None,
    field_id: int | None = None,
    limit: int | None = None,
) -> list[Proposal]:
    """Proposals of the guild, newest first, optionally by status and field."""
    query = (
        sa.select(Proposal)
        .where(*_matching(guild_id, status, field_id))
        .order_by(col(Proposal.number).desc())
    )
    if limit is not None:
        query = query.limit(limit)
    result = await session.execute(query)
    return list(result.scalars())


async def count(
    session: AsyncSession, guild_id: int, *, status: str | None = None, field_id: int | None = None
) -> int:
    """How many proposals :func:`search` would find without its limit."""
    query = (
        sa.select(sa.func.count())
        .select_from(Proposal)
        .where(*_matching(guild_id, status, field_id))
    )
    return int((await session.execute(query)).scalar_one())


@dataclass(frozen=True)
class Card:
    """What the proposal's post shows."""

    proposal_id: int
    guild_id: int
    number: int
    title: str
    status: ProposalStatus
    version: int
    text: str
    author_name: str
    collectivite_name: str | None
    field_name: str | None
    forum_channel_id: int | None
    thread_id: int | None
    supports: int
    supports_per_collectivite: bool
    created_at: datetime
    locale: str = "fr"


async def card(session: AsyncSession, proposal_id: int) -> Card:
    proposal = await session.get(Proposal, proposal_id, populate_existing=True)
    if proposal is None or proposal.id is None:
        raise NotFound("proposition.inconnue-id")
    author = await session.get(Elu, proposal.author_elu_id) if proposal.author_elu_id else None
    collectivite = (
        await session.get(Collectivite, author.collectivite_id)
        if author is not None and author.collectivite_id
        else None
    )
    field = await session.get(FieldOfAction, proposal.field_id) if proposal.field_id else None
    settings = await session.get(GuildSettings, proposal.guild_id)
    return Card(
        proposal_id=proposal.id,
        guild_id=proposal.guild_id,
        number=proposal.number,
        title=proposal.title,
        status=ProposalStatus(proposal.status),
        version=proposal.current_version,
        text=await current_text(session, proposal),
        # Empty when the author erased their data (the post then says « membre parti·e »).
        author_name=author.full_name if author is not None else "",
        collectivite_name=collectivite.name if collectivite is not None else None,
        field_name=field.name if field is not None else None,
        forum_channel_id=field.forum_channel_id if field is not None else None,
        thread_id=proposal.thread_id,
        supports=await support_count(session, proposal.id),
        supports_per_collectivite=bool(settings and settings.supports_per_collectivite),
        created_at=proposal.created_at,
        locale=settings.locale if settings is not None else "fr",
    )


# ----------------------------------------------------------------------------- deposit


def check_title_and_text(title: str, text: str) -> tuple[str, str]:
    title, text = clean_line(title), clean(text)
    if not title:
        raise InvalidInput("proposition.titre-vide")
    if len(title) > TITLE_MAX:
        raise InvalidInput("proposition.titre-trop-long", maximum=TITLE_MAX, longueur=len(title))
    if not text:
        raise InvalidInput("proposition.texte-vide")
    if len(text) > TEXT_MAX:
        raise InvalidInput("proposition.texte-trop-long", maximum=TEXT_MAX, longueur=len(text))
    return title, text


def usable_field(field: FieldOfAction) -> FieldOfAction:
    if field.retired_at is not None:
        raise Conflict("proposition.domaine-retire", domaine=field.name)
    if field.forum_channel_id is None:
        raise Conflict("proposition.domaine-sans-forum", domaine=field.name)
    return field


async def deposit(
    session: AsyncSession, person: Person, field_id: int, title: str, text: str
) -> Proposal:
    """A new proposal (status en débat, version 1) numbered next in the guild, unpublished
    (no thread yet, not audited): commit, create its post, then :func:`publish` it (or
    :func:`discard` it when Discord refuses).

    Deposits in one guild take turns for the number (:func:`numbering.next_number`), so two
    concurrent deposits never draw the same one; an insert refused by the unique constraint would
    be a bug, and is left to raise."""
    elu = person.require_member()
    guild_id = person.actor.guild_id
    field = await session.get(FieldOfAction, field_id)
    if field is None or field.guild_id != guild_id:
        raise NotFound("proposition.domaine-inconnu", domaine=str(field_id))
    usable_field(field)
    title, text = check_title_and_text(title, text)
    proposal = Proposal(
        guild_id=guild_id,
        number=await numbering.next_number(
            session, col(Proposal.number), col(Proposal.guild_id), guild_id
        ),
        title=title,
        author_elu_id=elu.id,
        field_id=field.id,
    )
    session.add(proposal)
    await session.flush()
    assert proposal.id is not None
    session.add(ProposalVersion(proposal_id=proposal.id, version=1, text=text))
    await session.flush()
    return proposal


async def publish(
    session: AsyncSession, proposal_id: int, thread_id: int, actor_id: int | None
) -> bool:
    """Attach the post created for a deposited proposal, and audit the deposit.

    Applied once: False (nothing changed) when the proposal is gone or already has a post (the
    caller then removes the post it created)."""
    result = await session.execute(
        sa.update(Proposal)
        .where(col(Proposal.id) == proposal_id, col(Proposal.thread_id).is_(None))
        .values(thread_id=thread_id)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    proposal = await session.get(Proposal, proposal_id, populate_existing=True)
    assert proposal is not None
    field = await session.get(FieldOfAction, proposal.field_id) if proposal.field_id else None
    audit.record(
        session,
        proposal.guild_id,
        actor_id,
        "proposition.deposee",
        "proposal",
        proposal.id,
        numero=proposal.number,
        titre=proposal.title,
        domaine=field.slug if field is not None else None,
    )
    await session.flush()
    return True


async def discard(session: AsyncSession, proposal_id: int) -> bool:
    """Remove a deposited proposal whose post could not be created (its versions go with it).
    A published proposal is never removed: False then."""
    result = await session.execute(
        sa.delete(Proposal).where(
            col(Proposal.id) == proposal_id, col(Proposal.thread_id).is_(None)
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


#: An unpublished row younger than this may still be on its way to Discord: left alone.
UNPUBLISHED_GRACE = timedelta(minutes=5)


async def unpublished(session: AsyncSession, guild_ids: Sequence[int]) -> list[int]:
    """Proposals deposited but never published (the bot stopped between the commit and the
    post), en débat in a field that has a forum, older than :data:`UNPUBLISHED_GRACE`."""
    result = await session.execute(
        sa.select(col(Proposal.id))
        .join(FieldOfAction, col(FieldOfAction.id) == col(Proposal.field_id))
        .where(
            col(Proposal.guild_id).in_(list(guild_ids)),
            col(Proposal.thread_id).is_(None),
            col(Proposal.status) == ProposalStatus.EN_DEBAT,
            col(FieldOfAction.forum_channel_id).is_not(None),
            col(Proposal.created_at) < utcnow() - UNPUBLISHED_GRACE,
        )
        .order_by(col(Proposal.id))
    )
    return [row for row in result.scalars() if row is not None]


# ----------------------------------------------------------------------------- supports


@dataclass(frozen=True)
class SupportOutcome:
    """``added``: the support was recorded. ``already``: it existed (maybe given by a colleague
    of the same collectivité, named in ``given_by``); ``own``: the acting élu gave it."""

    added: bool
    number: int
    count: int
    own: bool = True
    given_by: str | None = None


def require_open(proposal: Proposal) -> None:
    """Supports, amendments and withdrawal only while the proposal is en débat."""
    if proposal.status != ProposalStatus.EN_DEBAT:
        raise Conflict("proposition.plus-en-debat", numero=proposal.number, statut=proposal.status)


async def _existing_support(
    session: AsyncSession, proposal_id: int, elu: Elu, per_collectivite: bool
) -> Support | None:
    own = sa.and_(col(Support.proposal_id) == proposal_id, col(Support.elu_id) == elu.id)
    condition = own
    if per_collectivite and elu.collectivite_id is not None:
        condition = sa.or_(
            own,
            sa.and_(
                col(Support.proposal_id) == proposal_id,
                col(Support.collectivite_id) == elu.collectivite_id,
            ),
        )
    result = await session.execute(
        sa.select(Support).where(condition).order_by(col(Support.id)).limit(1)
    )
    return result.scalar_one_or_none()


async def support(session: AsyncSession, person: Person, proposal_id: int) -> SupportOutcome:
    """Give the élu's support (or their collectivité's, per the guild setting). Applied once:
    a second click — even concurrent — finds the support (or hits the unique constraint) and
    reports ``added=False``."""
    elu = person.require_member()
    proposal = await get(session, person.actor.guild_id, proposal_id)
    proposal = await _lock(session, proposal_id)
    require_open(proposal)
    settings = await session.get(GuildSettings, proposal.guild_id)
    per_collectivite = bool(settings and settings.supports_per_collectivite)
    existing = await _existing_support(session, proposal_id, elu, per_collectivite)
    if existing is not None:
        return await _already(session, proposal, elu, existing)
    row = Support(proposal_id=proposal_id, elu_id=elu.id, collectivite_id=elu.collectivite_id)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        return SupportOutcome(
            added=False, number=proposal.number, count=await support_count(session, proposal_id)
        )
    audit.record(
        session,
        proposal.guild_id,
        person.actor.user_id,
        "proposition.soutenue",
        "proposal",
        proposal_id,
        numero=proposal.number,
        collectivite_id=elu.collectivite_id if per_collectivite else None,
    )
    return SupportOutcome(
        added=True, number=proposal.number, count=await support_count(session, proposal_id)
    )


async def _already(
    session: AsyncSession, proposal: Proposal, elu: Elu, existing: Support
) -> SupportOutcome:
    count_now = await support_count(session, existing.proposal_id)
    if existing.elu_id == elu.id:
        return SupportOutcome(added=False, number=proposal.number, count=count_now)
    giver = await session.get(Elu, existing.elu_id) if existing.elu_id else None
    return SupportOutcome(
        added=False,
        number=proposal.number,
        count=count_now,
        own=False,
        given_by=(giver.full_name if giver is not None else None) or "—",
    )


async def withdraw_support(session: AsyncSession, person: Person, proposal_id: int) -> int:
    """Withdraw the élu's own support; returns the new count. Withdrawing twice is refused."""
    elu = person.require_member()
    await get(session, person.actor.guild_id, proposal_id)
    proposal = await _lock(session, proposal_id)
    require_open(proposal)
    result = await session.execute(
        sa.delete(Support).where(
            col(Support.proposal_id) == proposal_id, col(Support.elu_id) == elu.id
        )
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict("proposition.soutien.absent", numero=proposal.number)
    audit.record(
        session,
        proposal.guild_id,
        person.actor.user_id,
        "proposition.soutien-retire",
        "proposal",
        proposal_id,
        numero=proposal.number,
    )
    return await support_count(session, proposal_id)


# ----------------------------------------------------------------------------- amendments


async def propose_amendment(
    session: AsyncSession, person: Person, proposal_id: int, text: str, rationale: str = ""
) -> Amendment:
    """An amendment (a full new text, with its rationale) to a proposal still en débat,
    unpublished (not audited): commit, post it in the proposal's thread, then
    :func:`publish_amendment` it (or :func:`discard_amendment` it when Discord refuses)."""
    elu = person.require_member()
    await get(session, person.actor.guild_id, proposal_id)
    proposal = await _lock(session, proposal_id)
    require_open(proposal)
    text, rationale = clean(text), clean(rationale)
    if not text:
        raise InvalidInput("proposition.texte-vide")
    if len(text) > TEXT_MAX:
        raise InvalidInput("proposition.texte-trop-long", maximum=TEXT_MAX, longueur=len(text))
    if len(rationale) > RATIONALE_MAX:
        raise InvalidInput(
            "amendement.motif-trop-long", maximum=RATIONALE_MAX, longueur=len(rationale)
        )
    if text == await current_text(session, proposal):
        raise InvalidInput("amendement.identique", numero=proposal.number)
    amendment = Amendment(
        proposal_id=proposal_id,
        number=await numbering.next_number(
            session, col(Amendment.number), col(Amendment.proposal_id), proposal_id
        ),
        author_elu_id=elu.id,
        text=text,
        rationale=rationale,
        base_version=proposal.current_version,
    )
    session.add(amendment)
    await session.flush()
    return amendment


async def get_amendment(session: AsyncSession, guild_id: int, amendment_id: int) -> Amendment:
    amendment = await session.get(Amendment, amendment_id)
    if amendment is None:
        raise NotFound("amendement.inconnu")
    await get(session, guild_id, amendment.proposal_id)
    return amendment


async def publish_amendment(
    session: AsyncSession, amendment_id: int, message_id: int | None, actor_id: int | None
) -> bool:
    """Attach the message posted for an amendment (None: the proposal has no thread to post in)
    and audit it. Applied once: False when the amendment is gone or already has a message."""
    query = sa.update(Amendment).where(
        col(Amendment.id) == amendment_id, col(Amendment.message_id).is_(None)
    )
    result = await session.execute(query.values(message_id=message_id))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    amendment = await session.get(Amendment, amendment_id, populate_existing=True)
    assert amendment is not None
    proposal = await session.get(Proposal, amendment.proposal_id)
    assert proposal is not None
    audit.record(
        session,
        proposal.guild_id,
        actor_id,
        "amendement.propose",
        "amendment",
        amendment.id,
        proposition=proposal.number,
        numero=amendment.number,
        version_de_base=amendment.base_version,
    )
    await session.flush()
    return True


async def discard_amendment(session: AsyncSession, amendment_id: int) -> bool:
    """Remove an amendment whose message could not be posted (still undecided, no message)."""
    result = await session.execute(
        sa.delete(Amendment).where(
            col(Amendment.id) == amendment_id,
            col(Amendment.message_id).is_(None),
            col(Amendment.status) == AmendmentStatus.PROPOSED,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def unpublished_amendments(session: AsyncSession, guild_ids: Sequence[int]) -> list[int]:
    """Amendments proposed but never posted (the bot stopped in between) although their
    proposal has a thread and is en débat, older than :data:`UNPUBLISHED_GRACE`."""
    result = await session.execute(
        sa.select(col(Amendment.id))
        .join(Proposal, col(Proposal.id) == col(Amendment.proposal_id))
        .where(
            col(Proposal.guild_id).in_(list(guild_ids)),
            col(Proposal.thread_id).is_not(None),
            col(Proposal.status) == ProposalStatus.EN_DEBAT,
            col(Amendment.message_id).is_(None),
            col(Amendment.status) == AmendmentStatus.PROPOSED,
            col(Amendment.created_at) < utcnow() - UNPUBLISHED_GRACE,
        )
        .order_by(col(Amendment.id))
    )
    return [row for row in result.scalars() if row is not None]


async def decide_amendment(
    session: AsyncSession, person: Person, amendment_id: int, accept: bool
) -> tuple[Proposal, Amendment]:
    """The proposal's author accepts (new version of the text) or refuses an amendment.

    Applied once: the decision is a conditional UPDATE on ``status = 'proposed'``; a second,
    concurrent decision updates nothing and is refused with ``amendement.deja-decide``.
    """
    guild_id = person.actor.guild_id
    amendment = await get_amendment(session, guild_id, amendment_id)
    proposal = await _lock(session, amendment.proposal_id)
    await session.refresh(amendment)  # as it is now that the proposal is locked
    if person.elu is None or proposal.author_elu_id != person.elu.id:
        raise NotAllowed("amendement.auteur-seulement", numero=proposal.number)
    person.require_member()
    require_open(proposal)
    if accept and amendment.status == AmendmentStatus.PROPOSED:
        if amendment.base_version != proposal.current_version:
            raise Conflict(
                "amendement.perime",
                numero=amendment.number,
                base=amendment.base_version,
                actuelle=proposal.current_version,
            )
    new_status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REFUSED
    now = utcnow()
    result = await session.execute(
        sa.update(Amendment)
        .where(col(Amendment.id) == amendment_id, col(Amendment.status) == AmendmentStatus.PROPOSED)
        .values(status=new_status, decided_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(amendment)
        raise Conflict("amendement.deja-decide", numero=amendment.number, statut=amendment.status)
    await session.refresh(amendment)
    if accept:
        version = proposal.current_version + 1
        session.add(
            ProposalVersion(
                proposal_id=proposal.id,  # type: ignore[arg-type]
                version=version,
                text=amendment.text,
                amendment_id=amendment.id,
            )
        )
        proposal.current_version = version
        proposal.updated_at = now
        session.add(proposal)
    audit.record(
        session,
        guild_id,
        person.actor.user_id,
        "amendement.accepte" if accept else "amendement.refuse",
        "amendment",
        amendment.id,
        proposition=proposal.number,
        numero=amendment.number,
        version=proposal.current_version,
    )
    await session.flush()
    return proposal, amendment


# ----------------------------------------------------------------------------- status


async def set_status(
    session: AsyncSession,
    proposal: Proposal,
    status: ProposalStatus,
    actor_id: int | None,
    *,
    action: str = "proposition.statut",
) -> None:
    """Move the proposal to ``status`` (audited). The same status is a no-op; a move not in
    :data:`TRANSITIONS` (e.g. from a final status) raises ``Conflict("proposition.statut-impossible")``.
    After the commit, call ``cogs.proposals._forum.refresh_proposal_post`` to move the forum tag."""
    status = ProposalStatus(status)
    current = ProposalStatus(proposal.status)
    if status == current:
        return
    if status not in TRANSITIONS[current]:
        raise Conflict(
            "proposition.statut-impossible", numero=proposal.number, de=current, vers=status
        )
    result = await session.execute(
        sa.update(Proposal)
        .where(col(Proposal.id) == proposal.id, col(Proposal.status) == current)
        .values(status=status, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("proposition.statut-concurrent", numero=proposal.number)
    await session.refresh(proposal)
    audit.record(
        session,
        proposal.guild_id,
        actor_id,
        action,
        "proposal",
        proposal.id,
        numero=proposal.number,
        de=str(current),
        vers=str(status),
    )


async def withdraw(session: AsyncSession, person: Person, proposal_id: int) -> Proposal:
    """`/proposition retirer`: the author or the bureau, only while en débat."""
    proposal = await get(session, person.actor.guild_id, proposal_id)
    is_author = (
        person.elu is not None
        and person.is_member
        and proposal.author_elu_id is not None
        and proposal.author_elu_id == person.elu.id
    )
    if not (is_author or person.is_bureau):
        if not person.is_member:
            person.require_member()
        raise NotAllowed("proposition.retrait-interdit", numero=proposal.number)
    proposal = await _lock(session, proposal_id)
    require_open(proposal)
    await set_status(
        session,
        proposal,
        ProposalStatus.RETIREE,
        person.actor.user_id,
        action="proposition.retiree",
    )
    return proposal
