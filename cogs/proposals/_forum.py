"""The proposals' side of Discord: forum posts (or, in a text channel, a message and its thread),
their refresh after a change, messages in their threads, and the publication of what was saved.

Other features call :func:`refresh_proposal_post` (re-render a proposal's post and move its forum
tag after a status change) and :func:`post_in_proposal_thread` (write in the proposal's thread).

Discord is never called inside a write transaction: a deposit (an amendment) is committed first,
then posted, then attached to its post in a second transaction — or removed again if Discord
refused (:func:`publish_deposit`, :func:`publish_amendment`); what a stop left in between is
posted at the next start (:func:`publish_unpublished`).

The posts carry the buttons of :mod:`cogs.proposals._views`, whose clicks come back here to
refresh the post: the two modules refer to each other as modules (``_views.card_view``), so
either may be imported first.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from cogs.proposals import _views
from cogs.proposals._render import (
    STATUS_TAG_KEYS,
    STATUS_TAGS,
    amendment_announcement,
    amendment_embed,
    find_status_tag,
    render_card,
    split_message,
    thread_name,
)
from rtes_bot.bot import RtesBot
from rtes_bot.errors import Conflict, DomainError
from rtes_bot.models import Amendment, Elu, Proposal, ProposalStatus
from rtes_bot.services import proposals as service
from rtes_bot.text import fold
from rtes_bot.ui import NO_MENTIONS, channel_of

log = logging.getLogger("rtes_bot.proposals")


async def _thread(bot: RtesBot, guild_id: int, thread_id: int) -> discord.Thread | None:
    guild = bot.get_guild(guild_id)
    thread = guild.get_thread(thread_id) if guild is not None else None
    if thread is None:
        # An archived thread drops out of discord.py's cache: fetch it.
        fetched = await bot.fetch_channel(thread_id)
        thread = fetched if isinstance(fetched, discord.Thread) else None
    return thread


# ----------------------------------------------------------------------------- the post


async def _create_post(bot: RtesBot, card: service.Card) -> int:
    """Open the proposal's forum post (or, in a text channel, a message and its thread); the
    returned thread id is also the id of the post's first message."""
    assert card.forum_channel_id is not None
    try:
        channel = await channel_of(bot, card.forum_channel_id)
    except (discord.NotFound, discord.Forbidden):
        raise Conflict("proposition.forum-introuvable", domaine=card.field_name or "") from None
    embed, view = render_card(card), _views.card_view(card)
    if isinstance(channel, discord.ForumChannel):
        tag = find_status_tag(channel.available_tags, card.status)
        if tag is None:
            log.warning("Forum %s has no tag %r", channel.id, STATUS_TAGS[card.status])
        created = await channel.create_thread(
            name=thread_name(card, with_status=False),
            embed=embed,
            view=view,
            applied_tags=[tag] if tag is not None else [],
            allowed_mentions=NO_MENTIONS,
        )
        return created.thread.id
    if isinstance(channel, discord.TextChannel):
        message = await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        try:
            thread = await message.create_thread(name=thread_name(card, with_status=True))
        except discord.HTTPException:
            await message.delete()
            raise
        return thread.id
    raise Conflict("proposition.forum-introuvable", domaine=card.field_name or "")


async def _delete_post(bot: RtesBot, card: service.Card, thread_id: int) -> None:
    """Compensation when the post created for a proposal could not be attached to it."""
    try:
        thread = await _thread(bot, card.guild_id, thread_id)
        if thread is not None:
            await thread.delete()
        if card.forum_channel_id is not None:
            channel = await channel_of(bot, card.forum_channel_id)
            if isinstance(channel, discord.TextChannel):
                await channel.get_partial_message(thread_id).delete()
    except discord.HTTPException:
        log.warning("Could not remove the post of an unsaved proposal", exc_info=True)


async def _undo_unposted(
    bot: RtesBot, discard: Callable[[Any, int], Awaitable[object]], entity_id: int, what: str
) -> None:
    """Undo a committed proposal or amendment whose post could not be made (a second
    transaction); if even that fails, the restart's recovery posts it later."""
    try:
        async with bot.db.begin() as session:
            await discard(session, entity_id)
    except Exception:
        log.warning(
            "Could not remove unpublished %s %s (posted again at the next start)",
            what,
            entity_id,
            exc_info=True,
        )


async def publish_deposit(bot: RtesBot, card: service.Card, actor_id: int | None) -> int:
    """Create the post of a committed, unpublished proposal and attach it (a second
    transaction); returns the thread id. If Discord refuses, the proposal is removed again and
    the error raised: no post points at a proposal that was not saved, and no saved proposal
    claims a post that does not exist."""
    try:
        created = await _create_post(bot, card)
    except BaseException:
        await _undo_unposted(bot, service.discard, card.proposal_id, "proposal")
        raise
    try:
        async with bot.db.begin() as session:
            published = await service.publish(session, card.proposal_id, created, actor_id)
            current = await session.get(Proposal, card.proposal_id)
            thread_id = current.thread_id if current is not None else None
    except BaseException:
        await _delete_post(bot, card, created)
        await _undo_unposted(bot, service.discard, card.proposal_id, "proposal")
        raise
    if not published:  # published meanwhile (by a restart's recovery) or removed: ours goes
        await _delete_post(bot, card, created)
        if thread_id is None:
            raise Conflict("proposition.forum-introuvable", domaine=card.field_name or "")
    assert thread_id is not None
    return thread_id


async def refresh_proposal_post(bot: RtesBot, proposal_id: int) -> None:
    """Re-render the proposal's first message (text, status, supports, buttons) and put the forum
    tag of its status on the post (in a text channel: the status in the thread's name).

    Call it after the transaction that changed the proposal has committed. Discord errors
    (post deleted, missing permission) are logged, not raised.
    """
    async with bot.db.read() as session:
        card = await service.card(session, proposal_id)
    if card.thread_id is None or card.forum_channel_id is None:
        return
    try:
        parent = await channel_of(bot, card.forum_channel_id)
        in_forum = isinstance(parent, discord.ForumChannel)
        message_channel_id = card.thread_id if in_forum else card.forum_channel_id
        message = bot.get_partial_messageable(message_channel_id).get_partial_message(
            card.thread_id
        )
        thread = await _thread(bot, card.guild_id, card.thread_id)
        if thread is not None and thread.archived and not thread.locked:
            await thread.edit(archived=False)
        await message.edit(embed=render_card(card), view=_views.card_view(card))
        if thread is None:
            return
        if in_forum:
            await _apply_status_tag(thread, parent, card.status)
        else:
            wanted = thread_name(card, with_status=True)
            if thread.name != wanted:
                await thread.edit(name=wanted)
    except discord.HTTPException:
        log.warning("Could not refresh the post of proposal %s", proposal_id, exc_info=True)


async def _apply_status_tag(
    thread: discord.Thread, forum: discord.ForumChannel, status: ProposalStatus
) -> None:
    """The post keeps its other tags and carries the one tag of its status (5 tags at most)."""
    applied = {tag.id for tag in thread.applied_tags} or {
        int(tag_id) for tag_id in getattr(thread, "_applied_tags", [])
    }
    keep = [
        tag
        for tag in forum.available_tags
        if tag.id in applied and fold(tag.name) not in STATUS_TAG_KEYS
    ]
    tag = find_status_tag(forum.available_tags, status)
    if tag is None:
        log.warning("Forum %s has no tag %r", forum.id, STATUS_TAGS[status])
        wanted = keep
    else:
        wanted = [*keep, tag][-5:]
    if {t.id for t in wanted} != applied:
        await thread.edit(applied_tags=wanted)


async def post_in_proposal_thread(
    bot: RtesBot, proposal_id: int, content: str, files: Sequence[discord.File] | None = None
) -> None:
    """Write ``content`` (cut into several messages when longer than Discord allows; ``files``
    on the last one) in the proposal's thread. Pings nobody."""
    async with bot.db.read() as session:
        proposal = await session.get(Proposal, proposal_id)
    if proposal is None or proposal.thread_id is None:
        log.warning("Proposal %s has no thread to post in", proposal_id)
        return
    thread = await _thread(bot, proposal.guild_id, proposal.thread_id)
    if thread is None:
        log.warning("Thread of proposal %s not found", proposal_id)
        return
    chunks = split_message(content)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        if last and files:
            await thread.send(chunk or None, files=list(files), allowed_mentions=NO_MENTIONS)
        else:
            await thread.send(chunk, allowed_mentions=NO_MENTIONS)


# ----------------------------------------------------------------------------- amendments


async def publish_amendment(
    bot: RtesBot,
    card: service.Card,
    amendment: Amendment,
    amender_name: str,
    author: Elu | None,
    actor_id: int | None,
) -> None:
    """Post a committed amendment in the proposal's thread, then attach the message (a second
    transaction). If Discord refuses, the amendment is removed again and the error raised; if
    the attachment fails, the message is deleted."""
    assert amendment.id is not None
    try:
        posted = await _post_amendment(bot, card, amendment, amender_name, author)
    except BaseException:
        await _undo_unposted(bot, service.discard_amendment, amendment.id, "amendment")
        raise
    try:
        async with bot.db.begin() as session:
            published = await service.publish_amendment(
                session, amendment.id, posted.id if posted is not None else None, actor_id
            )
    except BaseException:
        await _delete_message(posted)
        await _undo_unposted(bot, service.discard_amendment, amendment.id, "amendment")
        raise
    if not published:  # posted meanwhile (by a restart's recovery): ours goes
        await _delete_message(posted)


async def _delete_message(message: discord.Message | None) -> None:
    if message is None:
        return
    try:
        await message.delete()
    except discord.HTTPException:
        log.warning("Could not remove an unsaved amendment's message", exc_info=True)


async def _post_amendment(
    bot: RtesBot,
    card: service.Card,
    amendment: Amendment,
    amender_name: str,
    author: Elu | None,
) -> discord.Message | None:
    if card.thread_id is None:
        return None
    thread = await _thread(bot, card.guild_id, card.thread_id)
    if thread is None:
        raise Conflict("proposition.fil-introuvable", numero=card.number)
    mention = ""
    allowed = NO_MENTIONS
    if author is not None and author.discord_user_id:
        # The author decides: tell them (and nobody else).
        mention = f"<@{author.discord_user_id}> "
        allowed = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(author.discord_user_id)]
        )
    assert amendment.id is not None
    return await thread.send(
        mention + amendment_announcement(amendment, amender_name, card.locale),
        embed=amendment_embed(amendment, card.number, amender_name, card.locale),
        view=_views.amendment_view(amendment.id, card.locale),
        allowed_mentions=allowed,
    )


async def refresh_amendment_message(bot: RtesBot, amendment_id: int) -> None:
    """Re-render an amendment's message from the database (its text, its author's name: « membre
    parti·e » once they erased their data; the proposal's author is not pinged again). Its
    buttons stay as they are. Call it after the commit; a message deleted meanwhile is skipped,
    other Discord errors are logged."""
    async with bot.db.read() as session:
        amendment = await session.get(Amendment, amendment_id, populate_existing=True)
        if amendment is None or amendment.message_id is None:
            return
        card = await service.card(session, amendment.proposal_id)
        amender = (
            await session.get(Elu, amendment.author_elu_id) if amendment.author_elu_id else None
        )
    if card.thread_id is None:
        return
    name = amender.full_name if amender is not None else ""
    try:
        message = bot.get_partial_messageable(card.thread_id).get_partial_message(
            amendment.message_id
        )
        await message.edit(
            content=amendment_announcement(amendment, name, card.locale),
            embed=amendment_embed(amendment, card.number, name, card.locale),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.NotFound:
        log.info("The message of amendment %s is gone: nothing to refresh", amendment_id)
    except discord.HTTPException:
        log.warning("Could not refresh the message of amendment %s", amendment_id, exc_info=True)


# ----------------------------------------------------------------------------- recovery


async def publish_unpublished(bot: RtesBot) -> None:
    """At start: post the proposals and amendments that a stop between their commit and their
    Discord post left unpublished (each is posted, or removed if Discord refuses)."""
    guild_ids = [guild.id for guild in bot.guilds]
    if not guild_ids:
        return
    async with bot.db.read() as session:
        proposal_ids = await service.unpublished(session, guild_ids)
        amendment_ids = await service.unpublished_amendments(session, guild_ids)
    for proposal_id in proposal_ids:
        try:
            async with bot.db.read() as session:
                card = await service.card(session, proposal_id)
                author = await service.author(session, proposal_id)
            await publish_deposit(bot, card, author.discord_user_id if author else None)
        except (DomainError, discord.HTTPException):
            log.warning("Unpublished proposal %s could not be posted", proposal_id, exc_info=True)
    for amendment_id in amendment_ids:
        try:
            async with bot.db.read() as session:
                amendment = await session.get(Amendment, amendment_id)
                if amendment is None:
                    continue
                card = await service.card(session, amendment.proposal_id)
                author = await service.author(session, amendment.proposal_id)
                amender = (
                    await session.get(Elu, amendment.author_elu_id)
                    if amendment.author_elu_id
                    else None
                )
            await publish_amendment(
                bot,
                card,
                amendment,
                amender.full_name if amender is not None else "",
                author,
                amender.discord_user_id if amender is not None else None,
            )
        except (DomainError, discord.HTTPException):
            log.warning("Unposted amendment %s could not be posted", amendment_id, exc_info=True)
