"""The lines every proposal command and button starts with: who acts, may they, on which proposal.

- :func:`member` — resolve the person and require an active member (or, with ``or_bureau``,
  a member or the bureau);
- :func:`member_and_proposal` — the same, then the proposal by its number (as typed in a command)
  or by its id (as carried by a button), refused if it is not in the guild;
- :func:`acting` — for a click or a modal that writes: acknowledge the interaction, open the unit
  of work and resolve the person. Nothing inside calls Discord; answer after the block.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
from sqlalchemy.ext.asyncio import AsyncSession

from rtes_bot.models import Proposal
from rtes_bot.services import access
from rtes_bot.services import proposals as service
from rtes_bot.services.access import Actor, Person
from rtes_bot.ui import actor_of, bot_of


async def member(session: AsyncSession, who: Actor | Person, *, or_bureau: bool = False) -> Person:
    """The acting person, refused unless an active member (``or_bureau``: or the bureau)."""
    person = who if isinstance(who, Person) else await access.resolve(session, who)
    if or_bureau:
        person.require_member_or_bureau()
    else:
        person.require_member()
    return person


async def member_and_proposal(
    session: AsyncSession,
    who: Actor | Person,
    *,
    number: int | None = None,
    proposal_id: int | None = None,
    or_bureau: bool = False,
) -> tuple[Person, Proposal]:
    """:func:`member`, then the guild's proposal ``number`` (or ``proposal_id``): who may act is
    checked before anything is looked up."""
    person = await member(session, who, or_bureau=or_bureau)
    guild_id = person.actor.guild_id
    if number is not None:
        return person, await service.get_by_number(session, guild_id, number)
    if proposal_id is None:
        raise TypeError("member_and_proposal needs a number or a proposal id")
    return person, await service.get(session, guild_id, proposal_id)


@asynccontextmanager
async def acting(
    interaction: discord.Interaction[Any], *, update: bool = False
) -> AsyncIterator[tuple[AsyncSession, Person]]:
    """Acknowledge the interaction (an ephemeral « thinking » answer, or with ``update`` an
    update of the clicked message), then open a write unit of work and resolve who acts. The
    services check what this person may do."""
    actor = actor_of(interaction)
    if update:
        await interaction.response.defer()
    else:
        await interaction.response.defer(ephemeral=True, thinking=True)
    async with bot_of(interaction).db.begin() as session:
        yield session, await access.resolve(session, actor)
