"""Membership of élus: the registration form, submission, validation or refusal, leaving,
référents; the lookup of an élu by id (:func:`get_elu`).

Validation and refusal are decided by a conditional ``UPDATE … WHERE status = 'pending'``: when
two bureau members click at once, exactly one of them changes the row; the other is told it was
already done. Discord side effects (roles, DMs, the bureau card) are the cog's, after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.clock import Clock
from rtes_bot.errors import Conflict, InvalidInput, NotFound
from rtes_bot.models import Collectivite, Elu, EluStatus, utcnow
from rtes_bot.services import audit, ballots
from rtes_bot.services import charter as charter_service
from rtes_bot.services import collectivites as collectivites_service
from rtes_bot.services import fields as fields_service
from rtes_bot.services.access import find_elu
from rtes_bot.text import clean, clean_line, display_phone

# Maximum lengths: the model's columns.
NAME_MAX = 120
COLLECTIVITE_MAX = 200
MANDATE_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 32
REASON_MAX = 500

FORM_FIELDS = ("nom", "collectivite", "mandat", "email", "telephone")


@dataclass(frozen=True)
class Form:
    """The registration modal as typed (kept as is for a « Corriger » retry)."""

    full_name: str = ""
    collectivite: str = ""
    mandate: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Contact:
    """The registration form, validated and normalised."""

    full_name: str
    collectivite: str
    mandate: str
    email: str
    phone: str | None


@dataclass(frozen=True)
class FieldProblem:
    field: str  # one of FORM_FIELDS
    key: str  # catalog key


class InvalidForm(InvalidInput):
    """One or more fields of the registration form are wrong; ``problems`` names them."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(
            "adhesion.formulaire-invalide", champs=", ".join(p.field for p in problems)
        )
        self.problems = problems


def normalize_email(value: str) -> str:
    """The normalised address, or ``ValueError``. Syntax only: no DNS lookup."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(str(error)) from error


def normalize_phone(value: str, region: str = "FR") -> str:
    """The number in E.164 (``+33612345678``), or ``ValueError``. French numbers by default."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("invalid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_form(form: Form) -> Contact:
    """Check every field; raises :class:`InvalidForm` naming each wrong one."""
    problems: list[FieldProblem] = []
    full_name = clean_line(form.full_name)
    if not full_name:
        problems.append(FieldProblem("nom", "adhesion.champ.nom-vide"))
    elif len(full_name) > NAME_MAX:
        problems.append(FieldProblem("nom", "adhesion.champ.trop-long"))
    collectivite = clean_line(form.collectivite)
    if not collectivite:
        problems.append(FieldProblem("collectivite", "adhesion.champ.collectivite-vide"))
    elif len(collectivite) > COLLECTIVITE_MAX:
        problems.append(FieldProblem("collectivite", "adhesion.champ.trop-long"))
    mandate = clean_line(form.mandate)
    if not mandate:
        problems.append(FieldProblem("mandat", "adhesion.champ.mandat-vide"))
    elif len(mandate) > MANDATE_MAX:
        problems.append(FieldProblem("mandat", "adhesion.champ.trop-long"))
    email = ""
    try:
        email = normalize_email(clean(form.email))
        if len(email) > EMAIL_MAX:
            raise ValueError("too long")
    except ValueError:
        problems.append(FieldProblem("email", "adhesion.champ.email-invalide"))
    phone: str | None = None
    if clean(form.phone):
        try:
            phone = normalize_phone(clean(form.phone))
        except ValueError:
            problems.append(FieldProblem("telephone", "adhesion.champ.telephone-invalide"))
    if problems:
        raise InvalidForm(problems)
    return Contact(
        full_name=full_name, collectivite=collectivite, mandate=mandate, email=email, phone=phone
    )


def form_of(elu: Elu, collectivite_name: str) -> Form:
    """A stored registration as the modal shows it again (for editing)."""
    return Form(
        full_name=elu.full_name,
        collectivite=collectivite_name,
        mandate=elu.mandate,
        email=elu.email or "",
        phone=display_phone(elu.phone),
    )


@dataclass(frozen=True)
class Registration:
    """Everything the onboarding collected."""

    contact: Contact
    collectivite_id: int | None  # a known collectivité the élu confirmed…
    new_collectivite: str | None  # …or the name of one they declared
    field_ids: frozenset[int]
    share_email: bool
    share_phone: bool
    locale: str = "fr"


@dataclass
class Submitted:
    elu: Elu
    collectivite: Collectivite
    #: the élu awaits (again) the bureau's decision: post or refresh the card
    needs_card: bool
    #: a validated member edited their data: no new validation
    was_active: bool
    field_change: fields_service.FieldChange
    referent_cleared: bool = False


async def submit(
    session: AsyncSession,
    guild_id: int,
    user_id: int,
    registration: Registration,
    clock: Clock | None = None,
) -> Submitted:
    """Create or update the élu's registration. New, refused or departed people become pending."""
    now = (clock or Clock()).now()
    if registration.collectivite_id is not None:
        collectivite = await collectivites_service.get_collectivite(
            session, guild_id, registration.collectivite_id
        )
    elif registration.new_collectivite:
        collectivite = await collectivites_service.declare_new(
            session, guild_id, registration.new_collectivite, user_id
        )
    else:
        raise InvalidInput("adhesion.collectivite-requise")
    elu = await find_elu(session, guild_id, user_id)
    created = elu is None
    if elu is None:
        elu = Elu(
            guild_id=guild_id, discord_user_id=user_id, status=EluStatus.PENDING, created_at=now
        )
        session.add(elu)
    previous_status = elu.status
    was_active = previous_status == EluStatus.ACTIVE
    referent_cleared = False
    if (
        elu.collectivite_id is not None
        and elu.collectivite_id != collectivite.id
        and elu.is_referent
    ):
        elu.is_referent = False
        referent_cleared = True
    contact = registration.contact
    elu.full_name = contact.full_name
    elu.collectivite_id = collectivite.id
    elu.mandate = contact.mandate
    elu.email = contact.email
    elu.phone = contact.phone
    elu.share_email = registration.share_email and contact.email is not None
    elu.share_phone = registration.share_phone and contact.phone is not None
    elu.locale = "en" if registration.locale.startswith("en") else "fr"
    elu.updated_at = now
    if previous_status in (EluStatus.REJECTED, EluStatus.LEFT):
        elu.status = EluStatus.PENDING
        elu.rejection_reason = None
        elu.validated_by = None
        elu.validated_at = None
        elu.left_at = None
        elu.bureau_card_message_id = None
    await session.flush()
    change = await fields_service.set_elu_fields(session, elu, registration.field_ids, user_id)
    assert elu.id is not None
    audit.record(
        session,
        guild_id,
        user_id,
        "elu.registered" if created or not was_active else "elu.updated",
        "elu",
        elu.id,
        collectivite_id=collectivite.id,
        collectivite_new=collectivite.flagged_new,
        previous_status=None if created else previous_status,
        share_email=elu.share_email,
        share_phone=elu.share_phone,
        referent_cleared=referent_cleared,
    )
    return Submitted(
        elu=elu,
        collectivite=collectivite,
        needs_card=elu.status == EluStatus.PENDING,
        was_active=was_active,
        field_change=change,
        referent_cleared=referent_cleared,
    )


async def _decide(
    session: AsyncSession, guild_id: int, elu_id: int, values: dict[str, object]
) -> Elu:
    result = await session.execute(
        update(Elu)
        .where(
            col(Elu.id) == elu_id,
            col(Elu.guild_id) == guild_id,
            col(Elu.status) == EluStatus.PENDING,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    elu = await get_elu(session, guild_id, elu_id, fresh=True)
    if cast(CursorResult[Any], result).rowcount != 1:
        raise _already_decided(elu)
    return elu


def _already_decided(elu: Elu) -> Conflict:
    word = {
        EluStatus.ACTIVE: "validee",
        EluStatus.REJECTED: "refusee",
        EluStatus.LEFT: "partie",
    }.get(EluStatus(elu.status), "traitee")
    return Conflict(f"adhesion.deja-{word}", nom=elu.full_name)


async def validate(
    session: AsyncSession, guild_id: int, elu_id: int, actor_id: int, clock: Clock | None = None
) -> Elu:
    """Pending → active, once: a concurrent or repeated validation raises ``Conflict``."""
    now = (clock or Clock()).now()
    elu = await _decide(
        session,
        guild_id,
        elu_id,
        {
            "status": EluStatus.ACTIVE,
            "validated_by": actor_id,
            "validated_at": now,
            "updated_at": now,
        },
    )
    audit.record(session, guild_id, actor_id, "elu.validated", "elu", elu_id)
    return elu


async def reject(
    session: AsyncSession,
    guild_id: int,
    elu_id: int,
    reason: str,
    actor_id: int,
    clock: Clock | None = None,
) -> Elu:
    """Pending → rejected with the reason given to the person (once)."""
    reason = clean(reason)
    if not reason:
        raise InvalidInput("adhesion.motif-vide")
    if len(reason) > REASON_MAX:
        raise InvalidInput("adhesion.motif-trop-long", max=REASON_MAX)
    now = (clock or Clock()).now()
    elu = await _decide(
        session,
        guild_id,
        elu_id,
        {"status": EluStatus.REJECTED, "rejection_reason": reason, "updated_at": now},
    )
    audit.record(session, guild_id, actor_id, "elu.rejected", "elu", elu_id)
    return elu


async def mark_left(
    session: AsyncSession, guild_id: int, user_id: int, clock: Clock | None = None
) -> Elu | None:
    """The person left the server: status ``left`` (their data stays until they ask to erase it)."""
    elu = await find_elu(session, guild_id, user_id)
    if elu is None or elu.status in (EluStatus.LEFT, EluStatus.ERASED):
        return None
    now = (clock or Clock()).now()
    previous = elu.status
    elu.status = EluStatus.LEFT
    elu.left_at = now
    elu.updated_at = now
    was_referent = elu.is_referent
    elu.is_referent = False
    audit.record(
        session,
        guild_id,
        None,
        "elu.left",
        "elu",
        elu.id,
        previous_status=previous,
        was_referent=was_referent,
    )
    # They lose their votes in open polls (ballots already cast still count).
    assert elu.id is not None
    await ballots.strike(session, elu.id)
    await session.flush()
    return elu


async def set_card_message(session: AsyncSession, elu_id: int, message_id: int | None) -> None:
    elu = await session.get(Elu, elu_id)
    if elu is not None:
        elu.bureau_card_message_id = message_id


@dataclass
class Card:
    """What the bureau sees about a registration."""

    elu: Elu
    collectivite_name: str
    collectivite_new: bool
    field_names: list[str] = field(default_factory=list)
    charter: charter_service.Standing | None = None


async def card(session: AsyncSession, guild_id: int, elu_id: int) -> Card:
    elu = await get_elu(session, guild_id, elu_id)
    collectivite = (
        await session.get(Collectivite, elu.collectivite_id) if elu.collectivite_id else None
    )
    chosen = await fields_service.elu_field_ids(session, elu_id)
    names = [
        row.name for row in await fields_service.all_fields(session, guild_id) if row.id in chosen
    ]
    return Card(
        elu=elu,
        collectivite_name=collectivite.name if collectivite else "—",
        collectivite_new=bool(collectivite and collectivite.flagged_new),
        field_names=names,
        charter=await charter_service.standing_of(session, guild_id, elu_id),
    )


# --------------------------------------------------------------------------- lookups


async def get_elu(
    session: AsyncSession,
    guild_id: int,
    elu_id: int,
    *,
    fresh: bool = False,
    unknown: str = "adhesion.inconnue",
) -> Elu:
    """The one lookup of an élu by id in a guild (by Discord user: ``access.find_elu``).

    ``fresh`` re-reads a row the session may hold (after a bulk ``UPDATE``); unknown:
    ``NotFound(unknown)``."""
    elu = await session.get(Elu, elu_id, populate_existing=fresh)
    if elu is None or elu.guild_id != guild_id:
        raise NotFound(unknown)
    return elu


async def get_pending(session: AsyncSession, guild_id: int, elu_id: int) -> Elu:
    """A registration still awaiting the bureau; ``Conflict`` (already validated…) otherwise."""
    elu = await get_elu(session, guild_id, elu_id)
    if elu.status != EluStatus.PENDING:
        raise _already_decided(elu)
    return elu


# --------------------------------------------------------------------------- référents


async def designate_referent(
    session: AsyncSession, guild_id: int, elu_id: int, collectivite_id: int | None, actor_id: int
) -> tuple[Elu, Collectivite, Elu | None]:
    """Make an active élu the référent of their collectivité (at most one: the previous one is cleared).

    Returns the élu, the collectivité and the previous référent (if another élu).
    """
    elu = await get_elu(session, guild_id, elu_id, unknown="referent.pas-membre")
    if elu.status != EluStatus.ACTIVE:
        raise Conflict("referent.pas-actif", nom=elu.full_name)
    if collectivite_id is None:
        if elu.collectivite_id is None:
            raise InvalidInput("referent.sans-collectivite", nom=elu.full_name)
        collectivite_id = elu.collectivite_id
    collectivite = await collectivites_service.get_collectivite(session, guild_id, collectivite_id)
    if elu.collectivite_id is None:
        elu.collectivite_id = collectivite.id
    elif elu.collectivite_id != collectivite.id:
        own = await session.get(Collectivite, elu.collectivite_id)
        raise Conflict(
            "referent.autre-collectivite",
            nom=elu.full_name,
            sienne=own.name if own else "?",
            demandee=collectivite.name,
        )
    previous_result = await session.execute(
        select(Elu).where(
            col(Elu.guild_id) == guild_id,
            col(Elu.collectivite_id) == collectivite.id,
            col(Elu.is_referent).is_(True),
            col(Elu.id) != elu.id,
        )
    )
    previous = previous_result.scalars().first()
    await session.execute(
        update(Elu)
        .where(
            col(Elu.guild_id) == guild_id,
            col(Elu.collectivite_id) == collectivite.id,
            col(Elu.id) != elu.id,
        )
        .values(is_referent=False)
    )
    elu.is_referent = True
    elu.updated_at = utcnow()
    audit.record(
        session,
        guild_id,
        actor_id,
        "referent.designated",
        "collectivite",
        collectivite.id,
        elu_id=elu.id,
        previous_elu_id=previous.id if previous else None,
    )
    await session.flush()
    return elu, collectivite, previous
