"""GDPR: what is stored about a person (view, JSON export), consent, reminders, and erasure.

Erasure removes personal data and keeps, anonymised, what the network needs: the collectivité's
charter signature (without the élu), supports and participation counts, ballots and tallies.
A secret ballot is never linked to its voter (by design it cannot be), so it is neither exported
nor touched; public ballots of closed polls lose their voter reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
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
    PollStatus,
    Proposal,
    ProposalVersion,
    Proxy,
    Support,
    utcnow,
)
from rtes_bot.services import audit
from rtes_bot.services import ballots as ballots_service
from rtes_bot.services.access import find_elu
from rtes_bot.services.directory import visible_card

ERASED_NAME = "Membre effacé"
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


@dataclass(frozen=True)
class Erasure:
    """What was erased, and the Discord roles to take back after the commit."""

    elu_id: int
    role_ids: frozenset[int]
    #: The bureau's validation card (it shows the person's details): to be blanked on Discord.
    bureau_channel_id: int | None = None
    bureau_card_message_id: int | None = None


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


async def erase(session: AsyncSession, *, guild_id: int, user_id: int) -> Erasure:
    """Erase a person's personal data, keeping the network's records anonymised (one transaction)."""
    elu = await _require_elu(session, guild_id, user_id)
    elu_id = elu.id
    assert elu_id is not None
    secrets = [s for s in (elu.full_name, elu.email, elu.phone) if s and len(s) >= 3]
    field_rows = await session.execute(
        select(col(FieldOfAction.role_id))
        .join(EluField, col(EluField.field_id) == col(FieldOfAction.id))
        .where(col(EluField.elu_id) == elu_id)
    )
    role_ids = {role_id for role_id in field_rows.scalars() if role_id}
    settings = await session.get(GuildSettings, guild_id)
    if settings is not None:
        role_ids.update(r for r in (settings.member_role_id, settings.pending_role_id) if r)

    card_message_id = elu.bureau_card_message_id
    card_channel_id = settings.bureau_channel_id if settings is not None else None
    now = utcnow()
    elu.full_name = ERASED_NAME
    elu.email = None
    elu.phone = None
    elu.mandate = ""
    elu.discord_user_id = None
    elu.share_email = False
    elu.share_phone = False
    elu.is_referent = False
    elu.rejection_reason = None
    elu.bureau_card_message_id = None
    elu.status = EluStatus.ERASED
    elu.updated_at = now
    session.add(elu)

    await session.execute(delete(EluField).where(col(EluField.elu_id) == elu_id))
    await _forget(
        session,
        col(Ballot.voter_ref),
        elu_voter_ref(elu_id),
        col(Ballot.poll_id).in_(_polls(guild_id, PollStatus.CLOSED)),
    )
    # Open polls: the person's votes are lost from now on (a ballot already cast still counts);
    # whatever account they come back with is not on those lists.
    await ballots_service.strike(session, elu_id)
    # The collectivité's signature stays; the person leaves it.
    await _forget(session, col(CharterSignature.elu_id), elu_id)
    # Supports still count; authorship is dropped.
    for column in (col(Support.elu_id), col(Proposal.author_elu_id), col(Amendment.author_elu_id)):
        await _forget(session, column, elu_id)
    # Unused proxies of open polls given or held by the person can no longer be used.
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
    # The audit log keeps what happened, not who the person was.
    events = await session.execute(select(AuditEvent).where(col(AuditEvent.guild_id) == guild_id))
    for event in events.scalars():
        changed = False
        if event.actor_id == user_id:
            event.actor_id = None
            changed = True
        redacted = _redact(event.details, secrets)
        if redacted != event.details:
            event.details = redacted
            changed = True
        if changed:
            session.add(event)
    audit.record(session, guild_id, None, "donnees.effacement", "elu", elu_id)
    return Erasure(
        elu_id=elu_id,
        role_ids=frozenset(role_ids),
        bureau_channel_id=card_channel_id,
        bureau_card_message_id=card_message_id,
    )
