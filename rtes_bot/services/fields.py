"""Fields of action (champs d'action): the default seven, adding/renaming/retiring, members' choices.

Retiring a field sets ``retired_at`` and keeps everything attached to it (members' choices,
proposals, polls); a retired field is no longer offered. Discord roles and channels of a field
are created by the installation (``services.installation``), not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.clock import Clock
from rtes_bot.errors import Conflict, InvalidInput, NotFound
from rtes_bot.matching import match_score, significant, words
from rtes_bot.models import Elu, EluField, EluStatus, FieldOfAction
from rtes_bot.services import audit
from rtes_bot.text import clean, clean_line, fold, shorten, slugify

#: A select menu shows at most 25 options: so many active fields at most.
MAX_ACTIVE_FIELDS = 25
NAME_MAX = 100
DESCRIPTION_MAX = 300

#: The seven fields of action of the RTES charter (« Parmi les champs d'action »), in its order.
DEFAULT_FIELDS: tuple[tuple[str, str], ...] = (
    ("activites-finances-solidaires", "Création et développement d'activités, finances solidaires"),
    ("democratie-participative", "Développement de la démocratie participative"),
    ("services-aux-personnes", "Services aux personnes"),
    ("commerce-equitable", "Commerce équitable, achat éthique"),
    ("democratie-locale-education-populaire", "Démocratie locale et éducation populaire"),
    (
        "environnement-sante-ressources",
        "Protection de l'environnement, de la santé, des ressources naturelles",
    ),
    ("cooperation-internationale", "Coopération internationale"),
)


async def all_fields(session: AsyncSession, guild_id: int) -> list[FieldOfAction]:
    """Every field of the guild, retired ones included, in display order."""
    result = await session.execute(
        select(FieldOfAction)
        .where(col(FieldOfAction.guild_id) == guild_id)
        .order_by(col(FieldOfAction.position), col(FieldOfAction.id))
    )
    return list(result.scalars())


async def active_fields(session: AsyncSession, guild_id: int) -> list[FieldOfAction]:
    return [field for field in await all_fields(session, guild_id) if field.retired_at is None]


async def seed_defaults(
    session: AsyncSession, guild_id: int, actor_id: int | None
) -> list[FieldOfAction]:
    """Create the seven default fields the first time (when the guild has no field at all)."""
    existing = await session.execute(
        select(func.count())
        .select_from(FieldOfAction)
        .where(col(FieldOfAction.guild_id) == guild_id)
    )
    if existing.scalar_one():
        return []
    created = []
    for position, (slug, name) in enumerate(DEFAULT_FIELDS):
        field = FieldOfAction(guild_id=guild_id, slug=slug, name=name, position=position)
        session.add(field)
        created.append(field)
    await session.flush()
    audit.record(
        session,
        guild_id,
        actor_id,
        "fields.seeded",
        "field_of_action",
        None,
        slugs=[f.slug for f in created],
    )
    return created


async def get_field(session: AsyncSession, guild_id: int, field_id: int) -> FieldOfAction:
    field = await session.get(FieldOfAction, field_id)
    if field is None or field.guild_id != guild_id:
        raise NotFound("domaines.inconnu", domaine=str(field_id))
    return field


async def find_field(
    session: AsyncSession,
    guild_id: int,
    typed: str,
    *,
    include_retired: bool = False,
    fuzzy: bool = False,
    unknown: str = "domaines.inconnu",
) -> FieldOfAction:
    """The one lookup of a field from what an option carried: its id (autocomplete value), slug or
    name, any case or accents; with ``fuzzy``, else the name closest to a typo (the directory).
    Retired fields only with ``include_retired`` (a proposal's field may have been retired since).
    Unknown: ``NotFound(unknown, domaine=…, domaines=<the active fields' names>)``."""
    typed = clean_line(typed)
    every = await all_fields(session, guild_id)
    fields = every if include_retired else [field for field in every if field.retired_at is None]
    if typed.isascii() and typed.isdigit() and len(typed) <= 9:
        for field in fields:
            if field.id == int(typed):
                return field
    folded = fold(typed)
    for field in fields:
        if field.slug == folded or fold(field.name) == folded or field.slug == slugify(typed):
            return field
    if fuzzy:
        query = significant(words(typed))
        scored = [
            (score, field)
            for field in fields
            if (score := match_score(query, words(f"{field.name} {field.slug}"))) is not None
        ]
        if scored:
            return max(scored, key=lambda item: item[0])[1]
    raise NotFound(
        unknown,
        domaine=shorten(typed),
        domaines=", ".join(field.name for field in every if field.retired_at is None),
    )


def _check_name(name: str) -> str:
    name = clean_line(name)
    if not name:
        raise InvalidInput("domaines.nom-vide")
    if len(name) > NAME_MAX:
        raise InvalidInput("domaines.nom-trop-long", max=NAME_MAX)
    return name


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:50].strip("-") or "domaine"
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


async def add_field(
    session: AsyncSession, guild_id: int, name: str, description: str, actor_id: int
) -> FieldOfAction:
    name = _check_name(name)
    description = clean(description)
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput("domaines.description-trop-longue", max=DESCRIPTION_MAX)
    fields = await all_fields(session, guild_id)
    if any(fold(field.name) == fold(name) and field.retired_at is None for field in fields):
        raise Conflict("domaines.existe-deja", nom=shorten(name))
    if sum(1 for field in fields if field.retired_at is None) >= MAX_ACTIVE_FIELDS:
        raise Conflict("domaines.trop-nombreux", max=MAX_ACTIVE_FIELDS)
    slug = _unique_slug(name, {field.slug for field in fields})
    position = max((field.position for field in fields), default=-1) + 1
    field = FieldOfAction(
        guild_id=guild_id, slug=slug, name=name, description=description, position=position
    )
    session.add(field)
    await session.flush()
    audit.record(
        session,
        guild_id,
        actor_id,
        "field.added",
        "field_of_action",
        field.id,
        slug=slug,
        name=name,
    )
    return field


async def rename_field(
    session: AsyncSession, guild_id: int, field_id: int, name: str, actor_id: int
) -> tuple[FieldOfAction, str]:
    """Rename a field (its slug, hence its channel's name, follows); returns it and its former name."""
    field = await get_field(session, guild_id, field_id)
    name = _check_name(name)
    fields = await all_fields(session, guild_id)
    if any(
        fold(other.name) == fold(name) and other.id != field.id and other.retired_at is None
        for other in fields
    ):
        raise Conflict("domaines.existe-deja", nom=shorten(name))
    former, former_slug = field.name, field.slug
    field.name = name
    field.slug = _unique_slug(name, {other.slug for other in fields if other.id != field.id})
    audit.record(
        session,
        guild_id,
        actor_id,
        "field.renamed",
        "field_of_action",
        field.id,
        before=former,
        after=name,
        slug_before=former_slug,
        slug_after=field.slug,
    )
    return field, former


async def retire_field(
    session: AsyncSession, guild_id: int, field_id: int, actor_id: int, clock: Clock | None = None
) -> FieldOfAction:
    field = await get_field(session, guild_id, field_id)
    if field.retired_at is not None:
        raise Conflict("domaines.deja-retire", nom=field.name)
    field.retired_at = (clock or Clock()).now()
    audit.record(
        session, guild_id, actor_id, "field.retired", "field_of_action", field.id, slug=field.slug
    )
    return field


async def elu_field_ids(session: AsyncSession, elu_id: int) -> set[int]:
    result = await session.execute(
        select(col(EluField.field_id)).where(col(EluField.elu_id) == elu_id)
    )
    return set(result.scalars())


@dataclass(frozen=True)
class FieldChange:
    """What changed in a member's fields, with the Discord roles to add and to remove."""

    added: frozenset[int]
    removed: frozenset[int]
    roles_to_add: frozenset[int]
    roles_to_remove: frozenset[int]


async def set_elu_fields(
    session: AsyncSession, elu: Elu, field_ids: Iterable[int], actor_id: int | None
) -> FieldChange:
    """Replace a member's active fields by ``field_ids`` (retired ones they had are kept).

    Roles are only handed out to active members: a pending member's choice is kept for later.
    """
    assert elu.id is not None
    wanted = set(field_ids)
    fields = {field.id: field for field in await all_fields(session, elu.guild_id)}
    unknown = [fid for fid in wanted if fid not in fields or fields[fid].retired_at is not None]
    if unknown:
        raise NotFound("domaines.inconnu", domaine=shorten(", ".join(str(fid) for fid in unknown)))
    current = await elu_field_ids(session, elu.id)
    active_current = {fid for fid in current if fid in fields and fields[fid].retired_at is None}
    added = wanted - active_current
    removed = active_current - wanted
    if removed:
        await session.execute(
            delete(EluField).where(
                col(EluField.elu_id) == elu.id, col(EluField.field_id).in_(removed)
            )
        )
    for fid in sorted(added):
        session.add(EluField(elu_id=elu.id, field_id=fid))
    if added or removed:
        await session.flush()
        audit.record(
            session,
            elu.guild_id,
            actor_id,
            "elu.fields",
            "elu",
            elu.id,
            added=sorted(fields[fid].slug for fid in added),
            removed=sorted(fields[fid].slug for fid in removed),
        )
    gives_roles = elu.status == EluStatus.ACTIVE

    def roles(ids: set[int]) -> frozenset[int]:
        return (
            frozenset(r for fid in ids if (r := fields[fid].role_id) is not None)
            if gives_roles
            else frozenset()
        )

    return FieldChange(
        added=frozenset(added),
        removed=frozenset(removed),
        roles_to_add=roles(added),
        roles_to_remove=roles(removed),
    )


async def field_role_ids(session: AsyncSession, elu_id: int) -> set[int]:
    """Discord roles of the active fields a member chose."""
    result = await session.execute(
        select(col(FieldOfAction.role_id))
        .join(EluField, col(EluField.field_id) == col(FieldOfAction.id))
        .where(col(EluField.elu_id) == elu_id, col(FieldOfAction.retired_at).is_(None))
    )
    return {role_id for role_id in result.scalars() if role_id is not None}


async def member_counts(session: AsyncSession, guild_id: int) -> dict[int, int]:
    """Active members per field."""
    result = await session.execute(
        select(col(EluField.field_id), func.count())
        .join(Elu, col(Elu.id) == col(EluField.elu_id))
        .where(col(Elu.guild_id) == guild_id, col(Elu.status) == EluStatus.ACTIVE)
        .group_by(col(EluField.field_id))
    )
    return {field_id: count for field_id, count in result.all()}
