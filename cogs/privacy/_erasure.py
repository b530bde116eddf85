"""After an erasure is committed: every message the bot wrote naming the person is rebuilt from
the database or scrubbed to « membre parti·e », roles taken back, the bureau card blanked; each
Discord edit on its own (a failure is logged, the others go on)."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any

import discord

from cogs.proposals._forum import refresh_amendment_message, refresh_proposal_post
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import Proposal
from rtes_bot.services import access, polls, privacy, publication
from rtes_bot.services.access import Actor
from rtes_bot.text import plain_inline
from rtes_bot.ui import (
    NO_MENTIONS,
    channel_of,
    member_of,
)

log = logging.getLogger("rtes_bot.privacy")

#: How far back a channel is read for the bot's messages naming an erased person.
HISTORY_LIMIT = 1000


async def after_erasure(bot: RtesBot, actor: Actor, erasure: privacy.Erasure) -> None:
    """After the erasure's commit, Discord's side: roles, the bureau card, every post the bot
    wrote that named the person (re-rendered from the database, or the name replaced). Each edit
    is isolated: a failure is logged and the others go on; a message deleted meanwhile is
    skipped."""
    for poll_id in erasure.open_poll_ids:
        bot.ballot_box.forget(poll_id)  # reloaded from the anonymised list at the next vote
    # SQLite: the WAL still holds the pages as they were before the erasure (secure_delete
    # clears freed space in the database file, not old frames in the WAL).
    await bot.ballot_box.checkpoint()
    steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("roles", lambda: _take_back_roles(bot, actor, erasure.role_ids)),
        ("bureau card", lambda: _blank_bureau_card(bot, erasure)),
    ]
    for proposal_id in erasure.proposal_ids:
        steps.append(("proposal post", partial(refresh_proposal_post, bot, proposal_id)))
    for amendment_id in erasure.amendment_ids:
        steps.append(("amendment", partial(refresh_amendment_message, bot, amendment_id)))
    for poll_id in erasure.public_poll_ids:
        steps.append(("announcement", partial(_rewrite_announcements, bot, poll_id)))
    for proposal_id in erasure.thread_proposal_ids:
        steps.append(("thread", partial(_scrub_thread, bot, actor, erasure, proposal_id)))
    for user_id in erasure.dm_user_ids:
        steps.append(("direct message", partial(_scrub_dms, bot, actor, erasure, user_id)))
    for what, step in steps:
        try:
            await step()
        except Exception:
            log.warning("Erasure: could not update a %s on Discord", what, exc_info=True)


def scrub(text: str, erasure: privacy.Erasure, user_id: int, neutral: str) -> str:
    """``text`` without the person: « Name (Collectivité) » and « Name » become ``neutral``
    (as typed, or as the official posts show it, markdown escaped), mentions of their account go."""
    name = erasure.former_name
    if name:
        where = erasure.former_collectivite
        for shown in dict.fromkeys((name, plain_inline(name))):
            if where:
                for place in dict.fromkeys((where, plain_inline(where))):
                    text = text.replace(f"{shown} ({place})", neutral)
            text = text.replace(shown, neutral)
    for mention in (f"<@{user_id}> ", f"<@!{user_id}> ", f"<@{user_id}>", f"<@!{user_id}>"):
        text = text.replace(mention, "")
    return text


async def _bot_messages(
    bot: RtesBot, channel_id: int | None = None, *, dm_with: int | None = None
) -> AsyncIterator[discord.Message]:
    """The bot's own messages among the latest HISTORY_LIMIT of a channel or of the DMs with a
    user."""
    channel: Any
    if dm_with is not None:
        user = bot.get_user(dm_with) or await bot.fetch_user(dm_with)
        channel = user.dm_channel or await user.create_dm()
    else:
        assert channel_id is not None
        channel = await channel_of(bot, channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    async for message in channel.history(limit=HISTORY_LIMIT):
        if bot.user is not None and message.author.id == bot.user.id:
            yield message


async def _edit(message: discord.Message, **changes: Any) -> None:
    """One edit: a message deleted meanwhile is skipped, another failure logged."""
    try:
        await message.edit(**changes, allowed_mentions=NO_MENTIONS)
    except discord.NotFound:
        log.info("Erasure: a message to update was deleted meanwhile")
    except discord.HTTPException:
        log.warning("Erasure: could not update a message", exc_info=True)


async def _rewrite_announcements(bot: RtesBot, poll_id: int) -> None:
    """A closed public poll's announcement (registry, proposal thread), rendered again from the
    database: the erased voter's line and its file say « membre parti·e »."""
    async with bot.db.read() as session:
        poll = await polls.get(session, poll_id)
        locale = await publication.guild_locale(session, poll.guild_id)
        settings = await access.guild_settings(session, poll.guild_id)
        material = await publication.gather(session, poll)
        proposal = await session.get(Proposal, poll.proposal_id) if poll.proposal_id else None
    built = await asyncio.to_thread(publication.render, material, locale)
    marker = f"scrutin-{poll.number}-votes-nominatifs.txt"
    channel_ids = [
        channel_id
        for channel_id in (
            settings.registry_channel_id if settings is not None else None,
            proposal.thread_id if proposal is not None else None,
        )
        if channel_id is not None
    ]
    for channel_id in channel_ids:
        async for message in _bot_messages(bot, channel_id):
            if any(a.filename == marker for a in message.attachments):
                files = [discord.File(io.BytesIO(f.data), filename=f.filename) for f in built.files]
                await _edit(message, content=built.content, attachments=files)


async def _scrub_thread(
    bot: RtesBot, actor: Actor, erasure: privacy.Erasure, proposal_id: int
) -> None:
    """The bot's other messages in a proposal's thread (« retirée par … », amendments' pings)."""
    async with bot.db.read() as session:
        proposal = await session.get(Proposal, proposal_id)
        locale = await publication.guild_locale(session, actor.guild_id)
    if proposal is None or proposal.thread_id is None:
        return
    neutral = t("donnees.membre-parti", locale)
    async for message in _bot_messages(bot, proposal.thread_id):
        cleaned = scrub(message.content, erasure, actor.user_id, neutral)
        if cleaned != message.content:
            await _edit(message, content=cleaned)


async def _scrub_dms(bot: RtesBot, actor: Actor, erasure: privacy.Erasure, user_id: int) -> None:
    """DMs that named the person to someone else (« … vous a donné procuration »)."""
    async with bot.db.read() as session:
        locale = await publication.guild_locale(session, actor.guild_id)
    neutral = t("donnees.membre-parti", locale)
    async for message in _bot_messages(bot, dm_with=user_id):
        cleaned = scrub(message.content, erasure, actor.user_id, neutral)
        if cleaned != message.content:
            await _edit(message, content=cleaned)


async def _take_back_roles(bot: RtesBot, actor: Actor, role_ids: frozenset[int]) -> None:
    """After the commit: the member's roles go (the database is already anonymised)."""
    guild = bot.get_guild(actor.guild_id)
    member = await member_of(guild, actor.user_id)
    if guild is None or member is None:
        return
    roles = [role for role in member.roles if role.id in role_ids]
    if not roles:
        return
    try:
        await member.remove_roles(*roles, reason="Effacement des données (RGPD)")
    except discord.HTTPException:
        log.warning("Could not remove the roles of an erased member")


async def _blank_bureau_card(bot: RtesBot, erasure: privacy.Erasure) -> None:
    """The bureau's validation card showed the person's details: it now says they were erased."""
    if erasure.bureau_channel_id is None or erasure.bureau_card_message_id is None:
        return
    try:
        channel = await channel_of(bot, erasure.bureau_channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        message = await channel.fetch_message(erasure.bureau_card_message_id)
        await message.edit(
            content=t("donnees.effacer.carte", "fr"), embeds=[], attachments=[], view=None
        )
    except discord.HTTPException:
        log.warning("Could not blank the bureau card of an erased member")
