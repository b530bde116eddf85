"""GDPR: what is stored about a person (view, JSON export), consent, reminders, and erasure.

Erasure removes personal data and keeps, anonymised, what the network needs: the collectivité's
charter signature (without the élu), supports and participation counts, ballots and tallies.
A secret ballot is never linked to its voter (by design it cannot be), so it is neither exported
nor touched; public ballots of closed polls lose their voter reference.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.errors import NotAllowed, NotFound
from rtes_bot.models import (
    Amendment,
    AuditEvent,
    Ballot,
    CharterSignature,
    CharterVersion,
    Collectivite,
    ElectorateEntry,
    Elu,
    EluField,
    EluStatus,
    FieldOfAction,
    GuildSettings,
    Poll,
    PollNotice,
    PollStatus,
    Proposal,
    ProposalVersion,
    Proxy,
    SealedBallot,
    Support,
    utcnow,
)
from rtes_bot.services import audit
from rtes_bot.services import ballots as ballots_service
from rtes_bot.services.access import find_elu
from rtes_bot.services.directory import visible_card

REDACTED = "[effacé]"
EDITABLE_STATUSES = frozenset({EluStatus.PENDING, EluStatus.ACTIVE})


def elu_voter_ref(elu_id: int) -> str:
    """The voter reference of an élu in `participation.voter_ref` / `ballot.public_voter_ref`.

    Shared convention with the voting service: keep both in agreement.
    """
    return f"elu:{elu_id}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _columns(row: Any) -> dict[str, Any]:
    """Every column of a row, JSON-ready."""
    data: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        data[column.key] = value
    return data


async def _require_elu(session: AsyncSession, guild_id: int, user_id: int) -> Elu:
    elu = await find_elu(session, guild_id, user_id)
    if elu is None or elu.status == EluStatus.ERASED:
        raise NotFound("donnees.aucune")
    return elu


# --------------------------------------------------------------------------- view / export


async def _with_parent(
    session: AsyncSession, model: Any, listed_by: Any, *where: Any, then: Any = None
) -> list[Any]:
    """(row, parent) pairs: rows of ``model`` matching ``where``, each with the row it belongs to
    (a poll, a proposal, a charter version: the model of ``listed_by``, the column that orders
    the list, then ``then``), joined on the one foreign key between them."""
    parent = listed_by.class_
    order = [listed_by] if then is None else [listed_by, then]
    result = await session.execute(
        select(model, parent).join(parent).where(*where).order_by(*order)
    )
    return list(result.all())


async def collect(session: AsyncSession, guild_id: int, user_id: int) -> dict[str, Any]:
    """Everything stored about a Discord user in this network, as a JSON-ready dict.

    Other people appear only through :func:`visible_card` (consent honoured).
    """
    elu = await find_elu(session, guild_id, user_id)
    events = await session.execute(
        select(AuditEvent)
        .where(col(AuditEvent.guild_id) == guild_id, col(AuditEvent.actor_id) == user_id)
        .order_by(col(AuditEvent.id))
    )
    export: dict[str, Any] = {
        "format": "rtes-bot/donnees-personnelles/1",
        "exporte_le": utcnow().isoformat(),
        "reseau_id": str(guild_id),
        "compte_discord_id": str(user_id),
        "adhesion": None,
        "collectivite": None,
        "champs_action": [],
        "signatures_charte": [],
        "propositions": [],
        "amendements": [],
        "soutiens": [],
        "procurations_donnees": [],
        "procurations_recues": [],
        "participations_scrutins": [],
        "bulletins_scrutins_publics": [],
        "bulletins_scrutins_secrets": (
            "Non exportables : un bulletin secret n'est relié à personne, par conception. "
            "Secret ballots cannot be exported: by design they are linked to nobody."
        ),
        "evenements_journal": [
            {
                "action": event.action,
                "objet": event.subject_type,
                "objet_id": event.subject_id,
                "details": event.details,
                "le": _iso(event.created_at),
            }
            for event in events.scalars()
        ],
    }
    if elu is None or elu.id is None:
        return export
    elu_id = elu.id
    export["adhesion"] = _columns(elu)
    if elu.collectivite_id:
        collectivite = await session.get(Collectivite, elu.collectivite_id)
        if collectivite is not None:
            export["collectivite"] = {
                "id": collectivite.id,
                "nom": collectivite.name,
                "departement": collectivite.departement,
                "referent": elu.is_referent,
            }
    result = await session.execute(
        select(FieldOfAction)
        .join(EluField, col(EluField.field_id) == col(FieldOfAction.id))
        .where(col(EluField.elu_id) == elu_id)
    )
    export["champs_action"] = [{"slug": f.slug, "nom": f.name} for f in result.scalars()]
    signatures = await _with_parent(
        session,
        CharterSignature,
        col(CharterVersion.version),
        col(CharterSignature.elu_id) == elu_id,
    )
    export["signatures_charte"] = [
        {"version": v.version, "collectivite": s.collectivite_name, "signee_le": _iso(s.signed_at)}
        for s, v in signatures
    ]
    proposals = await session.execute(
        select(Proposal).where(col(Proposal.author_elu_id) == elu_id).order_by(col(Proposal.number))
    )
    for proposal in proposals.scalars():
        texts = await session.execute(
            select(ProposalVersion)
            .where(col(ProposalVersion.proposal_id) == proposal.id)
            .order_by(col(ProposalVersion.version))
        )
        export["propositions"].append(
            {
                "numero": proposal.number,
                "titre": proposal.title,
                "statut": proposal.status,
                "deposee_le": _iso(proposal.created_at),
                "versions": [{"version": v.version, "texte": v.text} for v in texts.scalars()],
            }
        )
    amendments = await _with_parent(
        session,
        Amendment,
        col(Proposal.number),
        col(Amendment.author_elu_id) == elu_id,
        then=col(Amendment.number),
    )
    export["amendements"] = [
        {
            "proposition": p.number,
            "numero": a.number,
            "texte": a.text,
            "motif": a.rationale,
            "statut": a.status,
            "le": _iso(a.created_at),
        }
        for a, p in amendments
    ]
    supports = await _with_parent(
        session, Support, col(Proposal.number), col(Support.elu_id) == elu_id
    )
    export["soutiens"] = [
        {"proposition": p.number, "titre": p.title, "le": _iso(s.created_at)} for s, p in supports
    ]
    proxies = await _with_parent(
        session,
        Proxy,
        col(Poll.number),
        or_(col(Proxy.grantor_elu_id) == elu_id, col(Proxy.holder_elu_id) == elu_id),
        then=col(Proxy.id),
    )
    for proxy, poll in proxies:
        given = proxy.grantor_elu_id == elu_id
        other_id = proxy.holder_elu_id if given else proxy.grantor_elu_id
        other = await session.get(Elu, other_id)
        entry = {
            "scrutin": poll.number,
            "question": poll.question,
            "donnee_le": _iso(proxy.created_at),
            "retiree_le": _iso(proxy.revoked_at),
            ("mandataire" if given else "mandant"): await _other_person(session, other),
        }
        export["procurations_donnees" if given else "procurations_recues"].append(entry)
    own_ref = elu_voter_ref(elu_id)
    participations = await _with_parent(
        session,
        ElectorateEntry,
        col(Poll.number),
        col(ElectorateEntry.voted).is_(True),
        or_(
            col(ElectorateEntry.cast_by_elu_id) == elu_id, col(ElectorateEntry.voter_ref) == own_ref
        ),
    )
    for participation, poll in participations:
        if participation.voter_ref == own_ref:
            how = "vous-meme" if participation.cast_by_elu_id == elu_id else "par-procuration"
        else:
            how = "pour-autrui"  # as a proxy holder or as the collectivité's référent
        export["participations_scrutins"].append(
            {"scrutin": poll.number, "question": poll.question, "secret": poll.secret, "vote": how}
        )
    ballots = await _with_parent(
        session,
        Ballot,
        col(Poll.number),
        col(Ballot.voter_ref) == own_ref,
        col(Poll.secret).is_(False),
    )
    export["bulletins_scrutins_publics"] = [
        {"scrutin": poll.number, "question": poll.question, "bulletin": ballot.content}
        for ballot, poll in ballots
    ]
    return export


def _polls(guild_id: int, status: PollStatus) -> Any:
    """The ids of the guild's polls in this state (a subquery)."""
    return select(col(Poll.id)).where(col(Poll.guild_id) == guild_id, col(Poll.status) == status)


async def _forget(session: AsyncSession, column: Any, value: Any, *where: Any) -> None:
    """Empty ``column`` wherever it holds ``value`` (and ``where`` holds): the rows stay."""
    await session.execute(
        update(column.class_).where(column == value, *where).values({column.key: None})
    )


async def _other_person(session: AsyncSession, other: Elu | None) -> dict[str, Any] | None:
    """Another person in someone's export: only what the directory shows (consent honoured)."""
    if other is None or other.status == EluStatus.ERASED:
        return None
    collectivite = (
        await session.get(Collectivite, other.collectivite_id) if other.collectivite_id else None
    )
    card = visible_card(other, collectivite=collectivite)
    person: dict[str, Any] = {"nom": card.name, "collectivite": card.collectivite}
    if card.email:
        person["email"] = card.email
    if card.phone:
        person["telephone"] = card.phone
    return person


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


@dataclass(frozen=True)
class Summary:
    """What `/mes-donnees voir` shows."""

    elu: Elu | None
    collectivite: str | None
    fields: list[str]
    counts: dict[str, int] = field(default_factory=dict)


async def summary(session: AsyncSession, guild_id: int, user_id: int) -> Summary:
    data = await collect(session, guild_id, user_id)
    elu = await find_elu(session, guild_id, user_id)
    counts = {
        "signatures": len(data["signatures_charte"]),
        "propositions": len(data["propositions"]),
        "amendements": len(data["amendements"]),
        "soutiens": len(data["soutiens"]),
        "procurations": len(data["procurations_donnees"]) + len(data["procurations_recues"]),
        "participations": len(data["participations_scrutins"]),
        "bulletins": len(data["bulletins_scrutins_publics"]),
        "evenements": len(data["evenements_journal"]),
    }
    collectivite = data["collectivite"]["nom"] if data["collectivite"] else None
    return Summary(
        elu=elu if elu is not None and elu.status != EluStatus.ERASED else None,
        collectivite=collectivite,
        fields=[f["nom"] for f in data["champs_action"]],
        counts=counts,
    )


# --------------------------------------------------------------------------- consent and reminders


async def _editable_elu(session: AsyncSession, guild_id: int, user_id: int) -> Elu:
    elu = await _require_elu(session, guild_id, user_id)
    if elu.status not in EDITABLE_STATUSES:
        raise NotAllowed("acces.adhesion-requise")
    return elu


async def set_visibility(
    session: AsyncSession,
    *,
    guild_id: int,
    user_id: int,
    share_email: bool | None = None,
    share_phone: bool | None = None,
) -> Elu:
    """Change the directory consent of one or both contact fields."""
    elu = await _editable_elu(session, guild_id, user_id)
    if share_email is not None:
        elu.share_email = share_email
    if share_phone is not None:
        elu.share_phone = share_phone
    elu.updated_at = utcnow()
    session.add(elu)
    audit.record(
        session, guild_id, user_id, "donnees.visibilite", "elu", elu.id,
        email=elu.share_email, telephone=elu.share_phone,
    )  # fmt: skip
    return elu


async def visibility(session: AsyncSession, guild_id: int, user_id: int) -> Elu:
    return await _editable_elu(session, guild_id, user_id)


async def set_reminders(
    session: AsyncSession, *, guild_id: int, user_id: int, receive: bool
) -> Elu:
    elu = await _editable_elu(session, guild_id, user_id)
    elu.reminders_opt_out = not receive
    elu.updated_at = utcnow()
    session.add(elu)
    audit.record(session, guild_id, user_id, "donnees.rappels", "elu", elu.id, recevoir=receive)
    return elu


# --------------------------------------------------------------------------- erasure

#: What an erased élu's row keeps as its dates: the same for everyone erased, so they say nothing.
ERASED_AT = datetime(1970, 1, 1, tzinfo=UTC)
#: Audit detail keys whose value is an élu id.
_ELU_ID_DETAILS = ("elu_id", "previous_elu_id", "mandant", "mandataire")


@dataclass(frozen=True)
class Erasure:
    """What was erased, and what Discord must be told after the commit.

    ``former_name`` lives only in memory: it lets the cog find the name in messages the bot wrote
    that the database cannot re-render (thread announcements); it is never stored or logged.
    """

    elu_id: int
    role_ids: frozenset[int]
    #: The bureau's validation card (it shows the person's details): to be blanked on Discord.
    bureau_channel_id: int | None = None
    bureau_card_message_id: int | None = None
    former_name: str = ""
    former_collectivite: str | None = None
    #: Proposals whose post named the person as author (re-rendered from the database).
    proposal_ids: tuple[int, ...] = ()
    #: Amendments whose thread message named the person (re-rendered from the database).
    amendment_ids: tuple[int, ...] = ()
    #: Closed public polls whose announcement listed the person's ballot (re-rendered).
    public_poll_ids: tuple[int, ...] = ()
    #: Open polls whose liste d'émargement changed (the ballot box reloads them).
    open_poll_ids: tuple[int, ...] = ()
    #: Proposals whose threads may hold bot messages naming the person.
    thread_proposal_ids: tuple[int, ...] = ()
    #: Members the bot told by DM that the person gave them a proxy.
    dm_user_ids: tuple[int, ...] = ()


def _redact(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret and secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [_redact(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _redact(item, secrets) for key, item in value.items()}
    return value


def anonymous_ref(length: int = 18) -> str:
    """A random voter reference that names nobody (an erased élu's entry), ``length`` characters
    long (at least 5)."""
    return "x:" + secrets.token_hex(length)[: max(length, 5) - 2]


async def _reseal(
    session: AsyncSession, master_key: bytes, poll_id: int, own: str, taken: set[str]
) -> str:
    """An open poll's sealed ballots cast by ``own``: sealed again under a new random reference of
    the same length (the plaintext keeps its size), which is returned. Each ballot keeps its row,
    so the latest still counts; nobody can tell from the rows whose they are."""
    # Writers share-lock the poll while they check and store a ballot: wait for those under way,
    # hold off the next ones until the commit (which then find no entry for ``own``).
    await session.execute(select(col(Poll.id)).where(col(Poll.id) == poll_id).with_for_update())
    anonymous = anonymous_ref(len(own))
    while anonymous in taken:
        anonymous = anonymous_ref(len(own))
    rows = await session.execute(
        select(col(SealedBallot.id), col(SealedBallot.sealed)).where(
            col(SealedBallot.poll_id) == poll_id
        )
    )
    for row_id, sealed in rows.all():
        ballot = ballots_service.unseal(master_key, poll_id, sealed)
        if ballot.voter_ref == own:
            again = ballots_service.seal(
                master_key, poll_id, anonymous, ballot.content, ballot.weight
            )
            await session.execute(
                update(SealedBallot).where(col(SealedBallot.id) == row_id).values(sealed=again)
            )
    return anonymous


async def _ids(session: AsyncSession, column: Any, *where: Any) -> tuple[int, ...]:
    result = await session.execute(select(column).where(*where).distinct())
    return tuple(sorted(value for value in result.scalars() if value is not None))


def _forget_details(
    event: AuditEvent, elu_id: int, user_id: int, about_them: bool, secrets: list[str]
) -> dict[str, Any]:
    """An audit event's details without the person: their élu id, Discord id, name, email and
    phone go; in an event by or about them, their collectivité too (it would point back)."""
    details: dict[str, Any] = {}
    for key, value in (event.details or {}).items():
        if key in _ELU_ID_DETAILS and value == elu_id:
            value = None
        elif value == user_id or value == str(user_id):
            value = None
        elif about_them and key == "collectivite_id":
            value = None
        details[key] = _redact(value, [*secrets, str(user_id)])
    return details


async def _forget_audit(
    session: AsyncSession, guild_id: int, elu_id: int, user_id: int, secrets: list[str]
) -> None:
    """The audit log keeps what happened, not who the person was."""
    events = await session.execute(select(AuditEvent).where(col(AuditEvent.guild_id) == guild_id))
    for event in events.scalars():
        by_them = event.actor_id == user_id
        about_them = event.subject_type == "elu" and event.subject_id == elu_id
        details = _forget_details(event, elu_id, user_id, by_them or about_them, secrets)
        if not (by_them or about_them) and details == event.details:
            continue
        if by_them:
            event.actor_id = None
        if about_them:
            event.subject_id = None
        event.details = details
        session.add(event)


async def _anonymise_lists(
    session: AsyncSession, guild_id: int, elu_id: int, master_key: bytes | None
) -> None:
    """The listes d'émargement: the person's entries stay counted (weight, voted) but are struck
    and name nobody; each gets its own random reference (no two entries can be matched). Closed
    polls: every link to the élu goes. Open polls: an entry already voted takes its new reference
    together with its sealed ballots (sealed again: ``master_key``); without the key it keeps
    its reference until the poll closes (the row it points to is empty)."""
    own = elu_voter_ref(elu_id)
    closed = _polls(guild_id, PollStatus.CLOSED)
    for column in (
        col(ElectorateEntry.elu_id),
        col(ElectorateEntry.delegate_elu_id),
        col(ElectorateEntry.cast_by_elu_id),
    ):
        await _forget(session, column, elu_id, col(ElectorateEntry.poll_id).in_(closed))
    rows = await session.execute(
        select(col(ElectorateEntry.poll_id), col(Poll.status), col(ElectorateEntry.voted))
        .join(Poll, col(Poll.id) == col(ElectorateEntry.poll_id))
        .where(col(ElectorateEntry.voter_ref) == own, col(Poll.guild_id) == guild_id)
    )
    for poll_id, status, voted in rows.all():
        values: dict[str, Any] = {"struck": True}
        if status == PollStatus.OPEN and voted:
            if master_key is not None:
                taken = await session.execute(
                    select(col(ElectorateEntry.voter_ref)).where(
                        col(ElectorateEntry.poll_id) == poll_id
                    )
                )
                values["voter_ref"] = await _reseal(
                    session, master_key, poll_id, own, set(taken.scalars())
                )
        else:
            values["voter_ref"] = anonymous_ref()
        await session.execute(
            update(ElectorateEntry)
            .where(col(ElectorateEntry.poll_id) == poll_id, col(ElectorateEntry.voter_ref) == own)
            .values(values)
        )


async def erase(
    session: AsyncSession, *, guild_id: int, user_id: int, master_key: bytes | None = None
) -> Erasure:
    """Erase a person's personal data, keeping the network's records anonymised (one transaction).

    What stays, and why, is listed in docs/privacy.md. Tallies do not change: ballots, weights and
    the turnout of every list stay; only what points to the person goes. ``master_key`` (the
    server's ballot key) lets the ballots they cast in open polls be sealed again under an
    anonymous reference.
    """
    elu = await _require_elu(session, guild_id, user_id)
    elu_id = elu.id
    assert elu_id is not None
    secret_values = [s for s in (elu.full_name, elu.email, elu.phone) if s and len(s) >= 3]
    former_name = elu.full_name
    collectivite = (
        await session.get(Collectivite, elu.collectivite_id) if elu.collectivite_id else None
    )
    field_rows = await session.execute(
        select(col(FieldOfAction.role_id))
        .join(EluField, col(EluField.field_id) == col(FieldOfAction.id))
        .where(col(EluField.elu_id) == elu_id)
    )
    role_ids = {role_id for role_id in field_rows.scalars() if role_id}
    settings = await session.get(GuildSettings, guild_id)
    if settings is not None:
        role_ids.update(r for r in (settings.member_role_id, settings.pending_role_id) if r)
    per_collectivite = bool(settings and settings.supports_per_collectivite)

    # What Discord shows of the person, read before the links go.
    own = elu_voter_ref(elu_id)
    proposal_ids = await _ids(session, col(Proposal.id), col(Proposal.author_elu_id) == elu_id)
    amendment_ids = await _ids(session, col(Amendment.id), col(Amendment.author_elu_id) == elu_id)
    amended = await _ids(
        session, col(Amendment.proposal_id), col(Amendment.author_elu_id) == elu_id
    )
    public_poll_ids = await _ids(
        session,
        col(Ballot.poll_id),
        col(Ballot.voter_ref) == own,
        col(Ballot.poll_id).in_(_polls(guild_id, PollStatus.CLOSED)),
    )
    voted_on = await _ids(session, col(Poll.proposal_id), col(Poll.id).in_(public_poll_ids))
    open_poll_ids = await _ids(
        session,
        col(ElectorateEntry.poll_id),
        or_(
            col(ElectorateEntry.elu_id) == elu_id,
            col(ElectorateEntry.delegate_elu_id) == elu_id,
            col(ElectorateEntry.voter_ref) == own,
        ),
        col(ElectorateEntry.poll_id).in_(_polls(guild_id, PollStatus.OPEN)),
    )

    dm_user_ids = await _ids(
        session,
        col(Elu.discord_user_id),
        col(Elu.id).in_(
            select(col(Proxy.holder_elu_id)).where(col(Proxy.grantor_elu_id) == elu_id)
        ),
    )

    card_message_id = elu.bureau_card_message_id
    card_channel_id = settings.bureau_channel_id if settings is not None else None
    now = utcnow()
    elu.full_name = ""
    elu.email = None
    elu.phone = None
    elu.mandate = ""
    elu.discord_user_id = None
    elu.collectivite_id = None
    elu.share_email = False
    elu.share_phone = False
    elu.is_referent = False
    elu.locale = "fr"
    elu.reminders_opt_out = False
    elu.rejection_reason = None
    elu.validated_by = None
    elu.validated_at = None
    elu.left_at = None
    elu.bureau_card_message_id = None
    elu.status = EluStatus.ERASED
    elu.created_at = ERASED_AT
    elu.updated_at = ERASED_AT
    session.add(elu)

    await session.execute(delete(EluField).where(col(EluField.elu_id) == elu_id))
    await session.execute(delete(PollNotice).where(col(PollNotice.elu_id) == elu_id))
    # A closed public poll's ballot stays counted, without its voter.
    await _forget(
        session,
        col(Ballot.voter_ref),
        own,
        col(Ballot.poll_id).in_(_polls(guild_id, PollStatus.CLOSED)),
    )
    # Open polls: the person's votes are lost from now on (a ballot already cast still counts),
    # an unused proxy they hold goes back to its grantor.
    await ballots_service.strike(session, elu_id)
    await _anonymise_lists(session, guild_id, elu_id, master_key)
    # The collectivité's signature stays; the person leaves it.
    await _forget(session, col(CharterSignature.elu_id), elu_id)
    # Supports still count, as the collectivité's where the network counts them so.
    if not per_collectivite:
        await session.execute(
            update(Support).where(col(Support.elu_id) == elu_id).values(collectivite_id=None)
        )
    for column in (col(Support.elu_id), col(Proposal.author_elu_id), col(Amendment.author_elu_id)):
        await _forget(session, column, elu_id)
    # Proxies: those of closed polls are history that names two people, not a tally; those of
    # open polls can no longer be used.
    await session.execute(
        delete(Proxy).where(
            col(Proxy.poll_id).in_(_polls(guild_id, PollStatus.CLOSED)),
            or_(col(Proxy.grantor_elu_id) == elu_id, col(Proxy.holder_elu_id) == elu_id),
        )
    )
    await session.execute(
        update(Proxy)
        .where(
            col(Proxy.poll_id).in_(_polls(guild_id, PollStatus.OPEN)),
            or_(col(Proxy.grantor_elu_id) == elu_id, col(Proxy.holder_elu_id) == elu_id),
            col(Proxy.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    # Their Discord id leaves the records of what they did for the network.
    for column, guild_column in (
        (col(Elu.validated_by), col(Elu.guild_id)),
        (col(CharterVersion.published_by), col(CharterVersion.guild_id)),
        (col(Poll.created_by), col(Poll.guild_id)),
    ):
        await _forget(session, column, user_id, guild_column == guild_id)
    await _forget_audit(session, guild_id, elu_id, user_id, secret_values)
    audit.record(session, guild_id, None, "donnees.effacement", "elu", None)
    return Erasure(
        elu_id=elu_id,
        role_ids=frozenset(role_ids),
        bureau_channel_id=card_channel_id,
        bureau_card_message_id=card_message_id,
        former_name=former_name,
        former_collectivite=collectivite.name if collectivite is not None else None,
        proposal_ids=proposal_ids,
        amendment_ids=amendment_ids,
        public_poll_ids=public_poll_ids,
        open_poll_ids=open_poll_ids,
        thread_proposal_ids=tuple(sorted({*proposal_ids, *amended, *voted_on})),
        dm_user_ids=dm_user_ids,
    )
