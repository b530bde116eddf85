"""Who is acting: visitor, pending member, élu, référent, bureau — resolved from the database.

Every command checks these rules in the bot itself (`docs/rules.md`, « 1. People and roles »),
not only through Discord's permissions. Discord administrators count as bureau. The kinds of
person (:class:`Kind`) and which command each may use live in the pure `rtes_bot.permissions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from rtes_bot.errors import NotAllowed
from rtes_bot.models import Elu, EluStatus, GuildSettings
from rtes_bot.permissions import COMMAND_ACCESS, Kind, allowed

__all__ = ["Actor", "Kind", "Person", "find_elu", "guild_settings", "resolve"]


@dataclass(frozen=True)
class Actor:
    """The Discord facts about who clicked or typed, as plain values."""

    guild_id: int
    user_id: int
    role_ids: frozenset[int] = frozenset()
    is_admin: bool = False
    locale: str = "fr"


@dataclass(frozen=True)
class Person:
    actor: Actor
    elu: Elu | None
    is_bureau: bool

    @property
    def is_member(self) -> bool:
        """A validated élu (active)."""
        return self.elu is not None and self.elu.status == EluStatus.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.elu is not None and self.elu.status == EluStatus.PENDING

    @property
    def kinds(self) -> set[Kind]:
        kinds = {Kind.VISITOR}
        if self.is_pending:
            kinds.add(Kind.PENDING)
        if self.is_member:
            kinds.add(Kind.ELU)
            if self.elu is not None and self.elu.is_referent:
                kinds.add(Kind.REFERENT)
        if self.is_bureau:
            kinds.add(Kind.BUREAU)
        return kinds

    def may_use(self, command: str) -> bool:
        """Whether the permission table lets this person use ``command`` (its qualified name,
        e.g. ``"scrutin resultats"``); a command missing from the table is refused."""
        return command in COMMAND_ACCESS and allowed(command, self.kinds)

    def require_bureau(self) -> None:
        if not self.is_bureau:
            raise NotAllowed("acces.bureau-requis")

    def require_member_or_bureau(self) -> None:
        """Members, and the bureau (staff who may not be élus), e.g. to read or to moderate."""
        if not self.is_bureau:
            self.require_member()

    def require_registered(self) -> Elu:
        """Pending and active members (e.g. to choose their fields while they wait)."""
        if self.elu is None or self.elu.status in (EluStatus.LEFT, EluStatus.ERASED):
            raise NotAllowed("acces.adhesion-requise")
        if self.elu.status == EluStatus.REJECTED:
            raise NotAllowed("acces.refuse")
        return self.elu

    def require_member(self) -> Elu:
        if self.elu is None or self.elu.status in (EluStatus.LEFT, EluStatus.ERASED):
            raise NotAllowed("acces.adhesion-requise")
        if self.elu.status == EluStatus.PENDING:
            raise NotAllowed("acces.en-attente")
        if self.elu.status == EluStatus.REJECTED:
            raise NotAllowed("acces.refuse")
        return self.elu


async def guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings | None:
    return await session.get(GuildSettings, guild_id)


async def find_elu(session: AsyncSession, guild_id: int, user_id: int) -> Elu | None:
    result = await session.execute(
        select(Elu).where(col(Elu.guild_id) == guild_id, col(Elu.discord_user_id) == user_id)
    )
    return result.scalar_one_or_none()


async def resolve(
    session: AsyncSession, actor: Actor, require: Callable[[Person], object] | None = None
) -> Person:
    """Who is acting. ``require`` (e.g. ``Person.require_member_or_bureau``) is the command's
    check, run before anything else is looked up: it raises :class:`NotAllowed` to refuse."""
    settings = await guild_settings(session, actor.guild_id)
    is_bureau = actor.is_admin or (
        settings is not None
        and settings.bureau_role_id is not None
        and settings.bureau_role_id in actor.role_ids
    )
    elu = await find_elu(session, actor.guild_id, actor.user_id)
    person = Person(actor=actor, elu=elu, is_bureau=is_bureau)
    if require is not None:
        require(person)
    return person
