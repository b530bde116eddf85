"""Carries `/admin installer`'s plan out on Discord: roles, category, channels, overwrites, forum
tags and the welcome message; then stores every id (``services.installation.record_ids``).

Shared by `/admin installer` and `/admin domaines …` (adding a field installs its role and forum).
Discord objects are created first and the ids stored in one transaction afterwards: if the run is
interrupted, the next one adopts what was created (found by name) instead of duplicating it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from cogs.onboarding._wizard import welcome_view
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.errors import NotAllowed
from rtes_bot.permissions import missing_bot_permissions
from rtes_bot.services import installation
from rtes_bot.services.access import Actor
from rtes_bot.services.installation import Action, ChannelType, Outcome, Step, TargetKind
from rtes_bot.ui import NO_MENTIONS

log = logging.getLogger("rtes_bot.installer")

FORUM_REFUSED_CODE = 50024
_locks: dict[int, asyncio.Lock] = {}


def _lock(guild_id: int) -> asyncio.Lock:
    # One installation at a time per guild: two concurrent runs would both create what is missing.
    lock = _locks.get(guild_id)
    if lock is None:
        lock = _locks[guild_id] = asyncio.Lock()
    return lock


def snapshot_of(guild: discord.Guild) -> installation.Snapshot:
    def kind(channel: discord.abc.GuildChannel) -> ChannelType:
        if isinstance(channel, discord.CategoryChannel):
            return ChannelType.CATEGORY
        if isinstance(channel, discord.ForumChannel):
            return ChannelType.FORUM
        if isinstance(channel, discord.TextChannel):
            return ChannelType.TEXT
        return ChannelType.OTHER

    return installation.Snapshot(
        roles={role.id: role.name for role in guild.roles},
        channels={
            channel.id: installation.ExistingChannel(channel.id, channel.name, kind(channel))
            for channel in guild.channels
        },
    )


def _label(step: Step, locale: str, *, forum: bool | None = None) -> str:
    target = step.target
    if target.kind == TargetKind.ROLE:
        return t("installation.element.role", locale, nom=target.name)
    if target.kind == TargetKind.CATEGORY:
        return t("installation.element.categorie", locale, nom=target.name)
    if target.kind == TargetKind.FIELD_CHANNEL and forum:
        return t("installation.element.forum", locale, nom=target.name)
    return t("installation.element.salon", locale, nom=target.name)


def _bot_overwrite() -> discord.PermissionOverwrite:
    return discord.PermissionOverwrite(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,
        manage_threads=True,
        manage_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
    )


def _overwrites(
    key: str, guild: discord.Guild, roles: dict[str, discord.abc.Snowflake]
) -> dict[Any, discord.PermissionOverwrite]:
    everyone = guild.default_role
    me = guild.me
    if key == "channel:bureau":
        return {
            everyone: discord.PermissionOverwrite(view_channel=False),
            roles["role:bureau"]: discord.PermissionOverwrite(
                view_channel=True, send_messages=True, read_message_history=True
            ),
            me: _bot_overwrite(),
        }
    if key in ("channel:welcome", "channel:registry"):
        # Members read; only the bot writes.
        return {
            everyone: discord.PermissionOverwrite(
                view_channel=True,
                send_messages=False,
                create_public_threads=False,
                create_private_threads=False,
                add_reactions=False,
            ),
            me: _bot_overwrite(),
        }
    if key == "channel:polls":
        # #scrutins: members read the polls and vote with the buttons, but do not post; they
        # may discuss a poll in a thread (the bot posts the polls and the opening notices).
        read_only = _overwrites("channel:registry", guild, roles)
        read_only[roles["role:member"]] = discord.PermissionOverwrite(
            send_messages_in_threads=True, create_public_threads=True, read_message_history=True
        )
        return read_only
    if key.startswith("channel:field:"):
        # Everyone reads the deliberations; élus take part.
        return {
            everyone: discord.PermissionOverwrite(
                view_channel=True,
                send_messages=False,
                send_messages_in_threads=False,
                create_public_threads=False,
            ),
            roles["role:member"]: discord.PermissionOverwrite(
                send_messages=True, send_messages_in_threads=True, read_message_history=True
            ),
            me: _bot_overwrite(),
        }
    return {}


def require_permissions(guild: discord.Guild, locale: str) -> None:
    """Refuse up front, naming them, when the bot's role lacks permissions the installation
    needs (`rtes_bot.permissions.BOT_PERMISSIONS`): Discord would refuse halfway otherwise."""
    missing = missing_bot_permissions(guild.me.guild_permissions)
    if missing:
        names = ", ".join(t(f"permission.{name}", locale) for name in missing)
        raise NotAllowed("installation.permissions-manquantes", permissions=names)


async def run(bot: RtesBot, guild: discord.Guild, actor: Actor) -> Outcome:
    """Create or repair everything; returns what was created, repaired and left unchanged."""
    require_permissions(guild, actor.locale)
    async with _lock(guild.id):
        return await _run(bot, guild, actor)


async def _run(bot: RtesBot, guild: discord.Guild, actor: Actor) -> Outcome:
    locale = actor.locale
    async with bot.db.begin() as session:
        prepared = await installation.prepare(session, guild.id, actor.user_id)
        settings = prepared.settings
        targets = installation.targets(settings, prepared.fields)
        forums_are_text = settings.forums_are_text_channels
        welcome_message_id = settings.welcome_message_id
        guild_locale = settings.locale
    outcome = Outcome()
    if prepared.seeded:
        outcome.created.append(
            t("installation.element.domaines", locale, nombre=len(prepared.seeded))
        )
    steps = installation.plan(targets, snapshot_of(guild))
    ids: dict[str, int] = {}
    objects: dict[str, Any] = {}

    def note(step: Step, label: str) -> None:
        if step.action == Action.CREATE:
            outcome.created.append(label)
        elif step.action == Action.ADOPT:
            outcome.repaired.append(label)
        else:
            outcome.unchanged.append(label)

    reason = t("installation.raison", "fr")
    for step in [s for s in steps if s.target.kind == TargetKind.ROLE]:
        role: discord.Role | None = guild.get_role(step.existing_id) if step.existing_id else None
        if role is None:
            role = await guild.create_role(name=step.target.name, mentionable=False, reason=reason)
            step = Step(step.target, Action.CREATE)
        ids[step.target.key] = role.id
        objects[step.target.key] = role
        note(step, _label(step, locale))

    category_step = next(s for s in steps if s.target.kind == TargetKind.CATEGORY)
    category = guild.get_channel(category_step.existing_id) if category_step.existing_id else None
    if not isinstance(category, discord.CategoryChannel):
        category = await guild.create_category(category_step.target.name, reason=reason)
        category_step = Step(category_step.target, Action.CREATE)
    ids["category"] = category.id
    note(category_step, _label(category_step, locale))

    forums_refused = False
    for step in [s for s in steps if s.target.kind in (TargetKind.TEXT, TargetKind.FIELD_CHANNEL)]:
        key = step.target.key
        wanted = _overwrites(key, guild, objects)
        is_field = step.target.kind == TargetKind.FIELD_CHANNEL
        channel = guild.get_channel(step.existing_id) if step.existing_id else None
        repaired = False
        if channel is None:
            step = Step(step.target, Action.CREATE)
            field_topic = None
            if is_field:
                field_id = int(key.rsplit(":", 1)[1])
                field_topic = next((f.name for f in prepared.fields if f.id == field_id), None)
            if is_field and not forums_are_text:
                try:
                    channel = await guild.create_forum(
                        step.target.name,
                        category=category,
                        overwrites=wanted,
                        topic=field_topic or discord.utils.MISSING,
                        available_tags=[
                            discord.ForumTag(name=name) for name in installation.FORUM_TAGS
                        ],
                        reason=reason,
                    )
                except discord.HTTPException as error:
                    if error.code != FORUM_REFUSED_CODE:
                        raise
                    log.info("Forum channels refused in guild %s (no Community feature)", guild.id)
                    forums_are_text = True
                    forums_refused = True
            if channel is None:
                channel = await guild.create_text_channel(
                    step.target.name,
                    category=category,
                    overwrites=wanted,
                    topic=field_topic or discord.utils.MISSING,
                    reason=reason,
                )
        else:
            assert isinstance(channel, (discord.TextChannel, discord.ForumChannel))
            if channel.category_id != category.id:
                await channel.edit(category=category, reason=reason)
                repaired = True
            for target, overwrite in wanted.items():
                if channel.overwrites_for(target) != overwrite:
                    await channel.set_permissions(target, overwrite=overwrite, reason=reason)
                    repaired = True
            if isinstance(channel, discord.ForumChannel):
                present = {tag.name for tag in channel.available_tags}
                missing = [name for name in installation.FORUM_TAGS if name not in present]
                if missing:
                    tags = [
                        *channel.available_tags,
                        *(discord.ForumTag(name=name) for name in missing),
                    ]
                    await channel.edit(available_tags=tags[:20], reason=reason)
                    repaired = True
        ids[key] = channel.id
        objects[key] = channel
        if repaired and step.action == Action.KEEP:
            step = Step(step.target, Action.ADOPT)
        note(step, _label(step, locale, forum=isinstance(channel, discord.ForumChannel)))

    welcome = objects["channel:welcome"]
    posted_id: int | None = None
    if not await _message_exists(welcome, welcome_message_id):
        message = await welcome.send(
            t("accueil.message", guild_locale),
            view=welcome_view(guild.id, guild_locale),
            allowed_mentions=NO_MENTIONS,
        )
        posted_id = message.id
        outcome.created.append(t("installation.element.message-accueil", locale))
    else:
        outcome.unchanged.append(t("installation.element.message-accueil", locale))
    outcome.forums_refused = forums_refused

    try:
        async with bot.db.begin() as session:
            await installation.record_ids(
                session,
                guild.id,
                ids,
                actor_id=actor.user_id,
                outcome=outcome,
                forums_are_text_channels=True if forums_refused else None,
                welcome_message_id=posted_id,
            )
    except BaseException:
        # The welcome message was posted after the first transaction; unsaved, it would be
        # posted again by the next run: remove it. (Roles and channels are found by name.)
        if posted_id is not None:
            try:
                await welcome.get_partial_message(posted_id).delete()
            except discord.HTTPException:
                log.warning("Could not remove an unsaved welcome message", exc_info=True)
        raise
    if forums_refused:
        bureau = objects["channel:bureau"]
        await bureau.send(
            t("installation.forums-refuses", guild_locale), allowed_mentions=NO_MENTIONS
        )
    return outcome


async def _message_exists(channel: discord.TextChannel, message_id: int | None) -> bool:
    if message_id is None:
        return False
    try:
        await channel.fetch_message(message_id)
    except discord.NotFound:
        return False
    return True


def summary(outcome: Outcome, locale: str) -> str:
    """The answer to `/admin installer`: what was created, repaired, left unchanged."""
    lines = [t("installation.titre", locale)]
    for key, items in (
        ("installation.cree", outcome.created),
        ("installation.repare", outcome.repaired),
        ("installation.inchange", outcome.unchanged),
    ):
        if items:
            lines.append(t(key, locale, nombre=len(items)))
            if key != "installation.inchange":
                lines.extend(f"• {item}" for item in items)
    if not outcome.created and not outcome.repaired:
        lines.append(t("installation.rien-a-faire", locale))
    if outcome.forums_refused:
        lines.append("")
        lines.append(t("installation.forums-refuses", locale))
    return "\n".join(lines)
