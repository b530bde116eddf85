"""Guilds: creation (with @everyone, the bot's managed role and member, its first channels),
the guild payload of GUILD_CREATE and ``GET /guilds/{id}``, and permission computation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .base import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DEFAULT_EVERYONE,
    FULL_INTENTS,
    I_MEMBERS,
    MANAGE_ROLES,
    Req,
    http_error,
    json_response,
    not_found,
)
from .gateway import DEFAULT_LARGE_THRESHOLD, GatewaySession
from .models import (
    DM,
    TEXT,
    Channel,
    Guild,
    Member,
    Role,
    User,
    snowflake,
)


class GuildsMixin:
    """Guilds and permissions of :class:`~tests.emulator.server.DiscordEmulator`."""

    def create_guild(
        self,
        name: str,
        community: bool = False,
        *,
        features: Iterable[str] = (),
        locale: str = "fr",
        channels: Iterable[str] = ("general",),
        owner: User | None = None,
        large: bool | None = False,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A guild with @everyone, the bot's managed role and member, and ``channels``.

        The guild belongs to ``owner`` (by default a person created for it, not a member): never
        to the bot, whose rights are those of its managed role (``bot_permissions``).

        ``large=True`` announces it as Discord announces a guild above the large threshold:
        ``"large": true``, the real ``member_count``, and no member in GUILD_CREATE but the bot's
        own (the others come only in GUILD_MEMBERS_CHUNK on request, or one by one through
        ``GET /guilds/{id}/members/{user}``). ``large=None`` decides as Discord does, from the
        ``large_threshold`` the client sent in IDENTIFY (50 when it sent none). ``shard=(id, count)``: an id that Discord
        routes to that shard.
        """
        gid = snowflake(shard)
        if owner is None:
            owner = self.create_user(f"owner_{gid}", global_name=f"Owner of {name}")
        guild = Guild(
            id=gid,
            name=name,
            owner_id=owner.id,
            community=community,
            features=list(features),
            preferred_locale=locale,
            large=large,
        )
        guild.roles[gid] = Role(gid, gid, "@everyone", permissions=DEFAULT_EVERYONE, position=0)
        bot_role = Role(
            snowflake(),
            gid,
            self.bot.username,
            permissions=self.bot_permissions,
            position=1,
            managed=True,
            tags={"bot_id": str(self.bot.id)},
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot.id] = Member(self.bot, gid, roles=[bot_role.id])
        self.guilds[gid] = guild
        for i, cname in enumerate(channels):
            ch = Channel(snowflake(), TEXT, cname, guild_id=gid, position=i)
            self._add_channel(ch)
        if self.connected:
            self._spawn(self._dispatch_guild_create(guild))
        return guild

    def permissions(self, guild: Guild, member: Member, channel: Channel | None = None) -> int:
        if member.user.id == guild.owner_id:
            return ALL_PERMISSIONS
        base = guild.default_role.permissions
        for rid in member.roles:
            role = guild.roles.get(rid)
            if role:
                base |= role.permissions
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is not None and channel.is_thread and channel.parent_id:
            channel = self.channels.get(channel.parent_id, channel)
        if channel is None or channel.type == DM:
            return base
        ows = {int(o["id"]): o for o in channel.permission_overwrites}
        if guild.id in ows:
            base = (base & ~int(ows[guild.id]["deny"])) | int(ows[guild.id]["allow"])
        allow = deny = 0
        for rid in member.roles:
            if rid in ows:
                allow |= int(ows[rid]["allow"])
                deny |= int(ows[rid]["deny"])
        base = (base & ~deny) | allow
        if member.user.id in ows:
            o = ows[member.user.id]
            base = (base & ~int(o["deny"])) | int(o["allow"])
        return base

    def _bot_perms(self, guild: Guild, channel: Channel | None = None) -> int:
        return self.permissions(guild, guild.members[self.bot.id], channel)

    def _require(self, guild: Guild, perm: int, channel: Channel | None = None) -> None:
        if self._bot_perms(guild, channel) & perm != perm:
            raise http_error(403, 50013, "Missing Permissions")

    def _require_overwrites(
        self, guild: Guild, overwrites: Iterable[dict[str, Any]], parent: Channel | None = None
    ) -> None:
        """As Discord: setting overwrites needs Manage Roles, and each permission an overwrite
        allows or denies must be one the bot has in the guild (or in the parent category)."""
        overwrites = list(overwrites)
        if not overwrites:
            return
        self._require(guild, MANAGE_ROLES, parent)
        held = self._bot_perms(guild, parent)
        for overwrite in overwrites:
            bits = int(overwrite.get("allow") or 0) | int(overwrite.get("deny") or 0)
            if bits & ~held:
                raise http_error(403, 50013, "Missing Permissions")

    def is_large(self, guild: Guild, session: GatewaySession | None = None) -> bool:
        """Whether ``guild`` is announced to ``session`` as a large guild."""
        if guild.large is not None:
            return guild.large
        threshold = getattr(session, "large_threshold", DEFAULT_LARGE_THRESHOLD)
        return len(guild.members) > threshold

    def _guild_payload(self, guild: Guild, session: GatewaySession) -> dict[str, Any]:
        large = self.is_large(guild, session)
        members = list(guild.members.values())
        if large or not session.intents & I_MEMBERS:
            members = [m for m in members if m.user.id == self.bot.id]
        # Discord sends the real count; a small guild seen without the members intent gets the
        # count of members sent, or discord.py would wait for chunks it never asks for.
        member_count = len(guild.members) if large else len(members)
        bot_member = guild.members[self.bot.id]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2 if guild.community else 0,
            "features": guild.all_features(),
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "max_members": 500000,
            "roles": [r.payload() for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "joined_at": bot_member.joined_at,
            "large": large,
            "unavailable": False,
            "member_count": member_count,
            "members": [m.payload() for m in members],
            "channels": [c.payload() for c in guild.channels.values() if not c.is_thread],
            "threads": [
                c.payload() for c in guild.channels.values() if c.is_thread and not c.archived
            ],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _guild(self, guild_id: str) -> Guild:
        g = self.guilds.get(int(guild_id)) if guild_id.isdigit() else None
        if g is None:
            raise not_found("Guild", 10004)
        return g

    async def _get_guild(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        data = {
            k: v
            for k, v in self._guild_payload(g, FULL_INTENTS).items()
            if k not in ("members", "channels", "threads", "presences", "voice_states")
        }
        data["approximate_member_count"] = len(g.members)
        return json_response(data)
