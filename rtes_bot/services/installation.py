"""What `/admin installer` must create, adopt or keep on the Discord server, and where ids are stored.

The plan is pure: from what the database remembers (``GuildSettings``, ``FieldOfAction``) and a
snapshot of the server (roles and channels, as plain values), :func:`plan` says for each target
whether it is still there (found by its stored id: *keep*), exists under its name (*adopt*: a
previous run was interrupted, or someone created it by hand), or must be *created*. The cog
carries the plan out on Discord, then :func:`record_ids` stores every id in one transaction — so
running it twice creates nothing, and a deleted channel is recreated with its new id stored.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from rtes_bot.models import FieldOfAction, GuildSettings, utcnow
from rtes_bot.services import audit
from rtes_bot.services import fields as fields_service
from rtes_bot.text import fold

BUREAU_ROLE = "Bureau"
MEMBER_ROLE = "Élu·e"
PENDING_ROLE = "En attente"
CATEGORY_NAME = "Réseau RTES"
WELCOME_CHANNEL = "accueil"
REGISTRY_CHANNEL = "registre-des-decisions"
BUREAU_CHANNEL = "bureau"
POLLS_CHANNEL = "scrutins"

#: Forum tags, in the order of a proposal's life (``ProposalStatus`` → tag name: ``TAG_FOR_STATUS``).
FORUM_TAGS: tuple[str, ...] = ("En débat", "Au vote", "Adoptée", "Rejetée", "Retirée")
TAG_FOR_STATUS: dict[str, str] = {
    "en-debat": "En débat",
    "au-vote": "Au vote",
    "adoptee": "Adoptée",
    "rejetee": "Rejetée",
    "quorum-non-atteint": "Rejetée",
    "retiree": "Retirée",
}


class TargetKind(enum.StrEnum):
    ROLE = "role"
    CATEGORY = "category"
    TEXT = "text"
    #: a field's channel: a forum, or a text channel where Discord refuses forums
    FIELD_CHANNEL = "field-channel"


class ChannelType(enum.StrEnum):
    CATEGORY = "category"
    TEXT = "text"
    FORUM = "forum"
    OTHER = "other"


class Action(enum.StrEnum):
    KEEP = "keep"
    ADOPT = "adopt"
    CREATE = "create"


@dataclass(frozen=True)
class Target:
    """Something the server must have. ``key``: ``role:bureau``, ``channel:field:12``…"""

    key: str
    kind: TargetKind
    name: str
    stored_id: int | None


@dataclass(frozen=True)
class ExistingChannel:
    id: int
    name: str
    type: ChannelType


@dataclass(frozen=True)
class Snapshot:
    """The server as it is: role id → name, and its channels (threads excluded)."""

    roles: Mapping[int, str]
    channels: Mapping[int, ExistingChannel]


@dataclass(frozen=True)
class Step:
    target: Target
    action: Action
    existing_id: int | None = None


_COMPATIBLE: dict[TargetKind, set[ChannelType]] = {
    TargetKind.CATEGORY: {ChannelType.CATEGORY},
    TargetKind.TEXT: {ChannelType.TEXT},
    TargetKind.FIELD_CHANNEL: {ChannelType.FORUM, ChannelType.TEXT},
}


def channel_name(name: str) -> str:
    """How Discord spells a text/forum channel name (lower case, spaces as dashes)."""
    return "-".join(name.strip().lower().split())[:100]


def _same_name(target: Target, name: str) -> bool:
    if target.kind in (TargetKind.TEXT, TargetKind.FIELD_CHANNEL):
        return fold(channel_name(target.name)) == fold(name)
    return fold(target.name) == fold(name)


def plan(targets: Iterable[Target], snapshot: Snapshot) -> list[Step]:
    """For each target: keep (stored id still there), adopt (same name found) or create."""
    steps: list[Step] = []
    claimed: set[int] = set()
    targets = list(targets)
    # Ids still valid are claimed first, so that adoption by name never steals them.
    for target in targets:
        if target.stored_id is not None and _exists(target, target.stored_id, snapshot):
            claimed.add(target.stored_id)
    for target in targets:
        if target.stored_id is not None and _exists(target, target.stored_id, snapshot):
            steps.append(Step(target, Action.KEEP, target.stored_id))
            continue
        found = _find_by_name(target, snapshot, claimed)
        if found is not None:
            claimed.add(found)
            steps.append(Step(target, Action.ADOPT, found))
        else:
            steps.append(Step(target, Action.CREATE))
    return steps


def _exists(target: Target, object_id: int, snapshot: Snapshot) -> bool:
    if target.kind == TargetKind.ROLE:
        return object_id in snapshot.roles
    channel = snapshot.channels.get(object_id)
    return channel is not None and channel.type in _COMPATIBLE[target.kind]


def _find_by_name(target: Target, snapshot: Snapshot, claimed: set[int]) -> int | None:
    if target.kind == TargetKind.ROLE:
        candidates = [rid for rid, name in snapshot.roles.items() if _same_name(target, name)]
    else:
        wanted = _COMPATIBLE[target.kind]
        candidates = [
            channel.id
            for channel in snapshot.channels.values()
            if channel.type in wanted and _same_name(target, channel.name)
        ]
    candidates = [candidate for candidate in sorted(candidates) if candidate not in claimed]
    return candidates[0] if candidates else None


def field_channel_name(field: FieldOfAction) -> str:
    return channel_name(field.slug)


def targets(settings: GuildSettings, fields: Iterable[FieldOfAction]) -> list[Target]:
    """Everything the server must have, with the ids stored last time."""
    result = [
        Target("role:bureau", TargetKind.ROLE, BUREAU_ROLE, settings.bureau_role_id),
        Target("role:member", TargetKind.ROLE, MEMBER_ROLE, settings.member_role_id),
        Target("role:pending", TargetKind.ROLE, PENDING_ROLE, settings.pending_role_id),
    ]
    active = [field for field in fields if field.retired_at is None]
    for field_row in active:
        result.append(
            Target(f"role:field:{field_row.id}", TargetKind.ROLE, field_row.name, field_row.role_id)
        )
    result.append(Target("category", TargetKind.CATEGORY, CATEGORY_NAME, settings.category_id))
    result += [
        Target("channel:welcome", TargetKind.TEXT, WELCOME_CHANNEL, settings.welcome_channel_id),
        Target("channel:registry", TargetKind.TEXT, REGISTRY_CHANNEL, settings.registry_channel_id),
        Target("channel:bureau", TargetKind.TEXT, BUREAU_CHANNEL, settings.bureau_channel_id),
        Target("channel:polls", TargetKind.TEXT, POLLS_CHANNEL, settings.polls_channel_id),
    ]
    for field_row in active:
        result.append(
            Target(
                f"channel:field:{field_row.id}",
                TargetKind.FIELD_CHANNEL,
                field_channel_name(field_row),
                field_row.forum_channel_id,
            )
        )
    return result


@dataclass
class Prepared:
    """What the cog needs to carry the installation out."""

    settings: GuildSettings
    fields: list[FieldOfAction]
    seeded: list[str]


async def prepare(session: AsyncSession, guild_id: int, actor_id: int) -> Prepared:
    """Create the settings row and seed the default fields the first time."""
    settings = await session.get(GuildSettings, guild_id)
    if settings is None:
        settings = GuildSettings(guild_id=guild_id)
        session.add(settings)
        await session.flush()
    seeded = await fields_service.seed_defaults(session, guild_id, actor_id)
    fields = await fields_service.active_fields(session, guild_id)
    return Prepared(settings=settings, fields=fields, seeded=[field.name for field in seeded])


async def is_installed(session: AsyncSession, guild_id: int) -> bool:
    """Whether `/admin installer` ran on this server (its category is recorded)."""
    settings = await session.get(GuildSettings, guild_id)
    return settings is not None and settings.category_id is not None


@dataclass
class Outcome:
    """What the installation did, for the summary and the audit log."""

    created: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    forums_refused: bool = False


_SETTINGS_COLUMN = {
    "role:bureau": "bureau_role_id",
    "role:member": "member_role_id",
    "role:pending": "pending_role_id",
    "category": "category_id",
    "channel:welcome": "welcome_channel_id",
    "channel:registry": "registry_channel_id",
    "channel:bureau": "bureau_channel_id",
    "channel:polls": "polls_channel_id",
}


async def record_ids(
    session: AsyncSession,
    guild_id: int,
    ids: Mapping[str, int],
    *,
    actor_id: int,
    outcome: Outcome,
    forums_are_text_channels: bool | None = None,
    welcome_message_id: int | None = None,
) -> GuildSettings:
    """Store the ids the installation found or created (one transaction, audited)."""
    settings = await session.get(GuildSettings, guild_id)
    if settings is None:
        settings = GuildSettings(guild_id=guild_id)
        session.add(settings)
    for key, object_id in ids.items():
        column = _SETTINGS_COLUMN.get(key)
        if column is not None:
            setattr(settings, column, object_id)
            continue
        kind, _, rest = key.partition(":field:")
        if not rest:
            raise ValueError(f"unknown installation key {key!r}")
        field_row = await session.get(FieldOfAction, int(rest))
        if field_row is None or field_row.guild_id != guild_id:
            continue
        if kind == "role":
            field_row.role_id = object_id
        else:
            field_row.forum_channel_id = object_id
    if forums_are_text_channels is not None:
        settings.forums_are_text_channels = forums_are_text_channels
    if welcome_message_id is not None:
        settings.welcome_message_id = welcome_message_id
    settings.updated_at = utcnow()
    audit.record(
        session,
        guild_id,
        actor_id,
        "installation.run",
        "guild",
        None,
        created=outcome.created,
        repaired=outcome.repaired,
        forums_refused=outcome.forums_refused,
    )
    await session.flush()
    return settings
