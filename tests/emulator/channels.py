"""Channels, threads and forums: creation, edits, deletion, permission overwrites (synced to
the category), forum tags, threads from messages and forum posts, DM channels.
"""

from __future__ import annotations

from typing import Any

import discord
from aiohttp import web

from .base import (
    ATTACH_FILES,
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    I_GUILDS,
    MANAGE_CHANNELS,
    MANAGE_ROLES,
    SEND_MESSAGES,
    Req,
    http_error,
    json_response,
    no_content,
    norm_overwrite,
    not_found,
    slug_channel_name,
)
from .models import (
    CATEGORY,
    DM,
    FORUM,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT,
    Channel,
    Guild,
    User,
    iso_now,
    snowflake,
)


class ChannelsMixin:
    """Channels, threads and forums of :class:`~tests.emulator.server.DiscordEmulator`."""

    def _add_channel(self, ch: Channel) -> Channel:
        self.channels[ch.id] = ch
        if ch.guild_id:
            self.guilds[ch.guild_id].channels[ch.id] = ch
        self._channel_messages.setdefault(ch.id, [])
        self._touch()
        return ch

    def create_channel(
        self,
        guild: Guild,
        name: str,
        type: int = TEXT,
        *,
        parent: Channel | None = None,
        overwrites: list[dict[str, Any]] | None = None,
    ) -> Channel:
        """Create a channel directly (as a server admin would), dispatching CHANNEL_CREATE."""
        ch = Channel(
            snowflake(),
            type,
            name,
            guild_id=guild.id,
            position=len(guild.channels),
            parent_id=parent.id if parent else None,
            permission_overwrites=list(overwrites or []),
        )
        self._add_channel(ch)
        if self.connected:
            self._spawn(self.dispatch("CHANNEL_CREATE", ch.payload(), I_GUILDS))
        return ch

    def dm_channel(self, user: User) -> Channel:
        ch = self._dm_channels.get(user.id)
        if ch is None:
            ch = Channel(snowflake(), DM, None, recipient=user)
            self._dm_channels[user.id] = ch
            self._add_channel(ch)
        return ch

    def find_channel(self, guild: Guild, name: str, type: int | None = None) -> Channel | None:
        for ch in guild.channels.values():
            if ch.name == name and (type is None or ch.type == type):
                return ch
        return None

    def threads(self, channel: Channel) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread and c.parent_id == channel.id]

    def _channel(self, channel_id: str) -> Channel:
        ch = self.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if ch is None:
            raise not_found("Channel", 10003)
        return ch

    async def _get_guild_channels(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        return json_response([c.payload() for c in g.channels.values() if not c.is_thread])

    def _assign_tag_ids(self, tags: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        if len(tags) > 20:
            raise http_error(
                400,
                50035,
                "Invalid Form Body",
                {"available_tags": "Must be 20 or fewer in length."},
            )
        for t in tags:
            tag = {
                "id": str(t.get("id") or snowflake()),
                "name": t["name"],
                "moderated": bool(t.get("moderated", False)),
                "emoji_id": t.get("emoji_id"),
                "emoji_name": t.get("emoji_name"),
            }
            if len(tag["name"]) > 20:
                raise http_error(
                    400, 50035, "Invalid Form Body", {"available_tags": "tag name ≤ 20"}
                )
            out.append(tag)
        return out

    async def _create_channel(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_CHANNELS)
        body = req.json or {}
        ctype = int(body.get("type") or 0)
        if ctype == FORUM and not g.community:
            raise http_error(400, 50024, "Cannot execute action on this channel type")
        if ctype not in (0, 2, 4, 5, 13, 15, 16):
            raise http_error(400, 50035, "Invalid Form Body", {"type": "invalid channel type"})
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise http_error(
                400, 50035, "Invalid Form Body", {"name": "Must be between 1 and 100 in length."}
            )
        if ctype in (TEXT, 5, FORUM):
            name = slug_channel_name(name)
        parent_id = int(body["parent_id"]) if body.get("parent_id") else None
        if parent_id is not None:
            parent = self.channels.get(parent_id)
            if parent is None or parent.type != CATEGORY or parent.guild_id != g.id:
                raise http_error(400, 50035, "Invalid Form Body", {"parent_id": "not a category"})
        overwrites = [norm_overwrite(o) for o in body.get("permission_overwrites") or []]
        self._require_overwrites(g, overwrites, self.channels.get(parent_id or 0))
        if parent_id is not None and not overwrites:
            overwrites = [dict(o) for o in self.channels[parent_id].permission_overwrites]
        position = body.get("position")
        if position is None:
            position = sum(1 for c in g.channels.values() if not c.is_thread)
        ch = Channel(
            snowflake(),
            ctype,
            name,
            guild_id=g.id,
            position=int(position),
            parent_id=parent_id,
            topic=body.get("topic"),
            nsfw=bool(body.get("nsfw", False)),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
            permission_overwrites=overwrites,
            available_tags=self._assign_tag_ids(body.get("available_tags") or []),
            default_auto_archive_duration=int(body.get("default_auto_archive_duration") or 1440),
        )
        self._add_channel(ch)
        await self.dispatch("CHANNEL_CREATE", ch.payload(), I_GUILDS)
        return json_response(ch.payload(), 201)

    async def _channel_positions(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_CHANNELS)
        for item in req.json or []:
            ch = self._channel(str(item["id"]))
            if "position" in item and item["position"] is not None:
                ch.position = int(item["position"])
            if "parent_id" in item:
                ch.parent_id = int(item["parent_id"]) if item["parent_id"] else None
            await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return no_content()

    async def _get_channel(self, req: Req, channel_id: str) -> web.Response:
        return json_response(self._channel(channel_id).payload())

    async def _edit_channel(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        body = req.json or {}
        if ch.type == DM:
            raise http_error(400, 50024, "Cannot execute action on a DM channel")
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        if ch.is_thread:
            is_owner = ch.owner_id == self.bot.id
            if not is_owner:
                self._require(g, discord.Permissions(manage_threads=True).value, ch)
            for key in (
                "name",
                "archived",
                "locked",
                "auto_archive_duration",
                "rate_limit_per_user",
                "flags",
            ):
                if key in body and body[key] is not None:
                    setattr(ch, key, body[key])
            if "archived" in body:
                ch.archive_timestamp = iso_now()
            if "applied_tags" in body:
                parent = self.channels.get(ch.parent_id or 0)
                valid = {int(t["id"]) for t in parent.available_tags} if parent else set()
                tags = [int(t) for t in body["applied_tags"] or []]
                if any(t not in valid for t in tags) or len(tags) > 5:
                    raise http_error(
                        400, 50035, "Invalid Form Body", {"applied_tags": "unknown tag"}
                    )
                ch.applied_tags = tags
            self._touch()
            await self.dispatch("THREAD_UPDATE", ch.payload(), I_GUILDS)
            return json_response(ch.payload())
        self._require(g, MANAGE_CHANNELS, ch)
        if ch.type == FORUM and "type" in body and body["type"] != FORUM:
            raise http_error(400, 50024, "Cannot execute action on this channel type")
        for key in (
            "name",
            "topic",
            "nsfw",
            "rate_limit_per_user",
            "position",
            "default_auto_archive_duration",
            "flags",
        ):
            if key in body:
                setattr(ch, key, body[key])
        if "name" in body and ch.type in (TEXT, 5, FORUM):
            ch.name = slug_channel_name(str(body["name"]))
        if "parent_id" in body:
            ch.parent_id = int(body["parent_id"]) if body["parent_id"] else None
        if "permission_overwrites" in body:
            overwrites = [norm_overwrite(o) for o in body["permission_overwrites"] or []]
            self._require_overwrites(g, overwrites, self.channels.get(ch.parent_id or 0))
            ch.permission_overwrites = overwrites
        if "available_tags" in body:
            if ch.type != FORUM:
                raise http_error(400, 50035, "Invalid Form Body", {"available_tags": "not a forum"})
            ch.available_tags = self._assign_tag_ids(body["available_tags"] or [])
        self._touch()
        await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return json_response(ch.payload())

    async def _delete_channel(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        if ch.type == DM:
            return json_response(ch.payload())
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        self._require(g, MANAGE_CHANNELS, ch)
        payload = ch.payload()
        self.channels.pop(ch.id, None)
        g.channels.pop(ch.id, None)
        if ch.is_thread:
            await self.dispatch(
                "THREAD_DELETE",
                {
                    "id": str(ch.id),
                    "guild_id": str(g.id),
                    "parent_id": str(ch.parent_id),
                    "type": ch.type,
                },
                I_GUILDS,
            )
        else:
            for child in [
                c for c in g.channels.values() if c.parent_id == ch.id and not c.is_thread
            ]:
                child.parent_id = None
            await self.dispatch("CHANNEL_DELETE", payload, I_GUILDS)
        self._touch()
        return json_response(payload)

    async def _put_permission(self, req: Req, channel_id: str, target: str) -> web.Response:
        ch = self._channel(channel_id)
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        self._require(g, MANAGE_ROLES, ch)
        body = req.json or {}
        ow = norm_overwrite({"id": target, **body})
        self._require_overwrites(g, [ow], self.channels.get(ch.parent_id or 0))
        ch.permission_overwrites = [o for o in ch.permission_overwrites if o["id"] != ow["id"]] + [
            ow
        ]
        self._touch()
        await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return no_content()

    async def _delete_permission(self, req: Req, channel_id: str, target: str) -> web.Response:
        ch = self._channel(channel_id)
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        self._require(g, MANAGE_ROLES, ch)
        ch.permission_overwrites = [o for o in ch.permission_overwrites if o["id"] != target]
        self._touch()
        await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return no_content()

    async def _typing(self, req: Req, channel_id: str, user_id: str | None = None) -> web.Response:
        self._channel(channel_id)
        return no_content()

    def _new_thread(
        self,
        parent: Channel,
        name: str,
        body: dict[str, Any],
        *,
        tid: int | None = None,
        ttype: int = PUBLIC_THREAD,
    ) -> Channel:
        if not 1 <= len(name) <= 100:
            raise http_error(
                400, 50035, "Invalid Form Body", {"name": "Must be between 1 and 100 in length."}
            )
        th = Channel(
            tid or snowflake(),
            ttype,
            name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=self.bot.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
        )
        return th

    async def _create_thread(self, req: Req, channel_id: str) -> web.Response:
        parent = self._channel(channel_id)
        if parent.type not in (TEXT, 5, FORUM, 16):
            raise http_error(400, 50024, "Cannot execute action on this channel type")
        body = req.json or {}
        g = self.guilds[parent.guild_id]  # type: ignore[index]
        self._require(g, SEND_MESSAGES, parent)
        if parent.type in (FORUM, 16):
            mdata = body.get("message")
            if not isinstance(mdata, dict):
                raise http_error(
                    400, 50035, "Invalid Form Body", {"message": "required for forum posts"}
                )
            self._validate_message(mdata, bool(req.files))
            if req.files:
                self._require(g, ATTACH_FILES, parent)
            th = self._new_thread(parent, str(body.get("name") or ""), body)
            tags = body.get("applied_tags", mdata.get("applied_tags")) or []
            valid = {int(t["id"]) for t in parent.available_tags}
            tags = [int(t) for t in tags]
            if any(t not in valid for t in tags) or len(tags) > 5:
                raise http_error(400, 50035, "Invalid Form Body", {"applied_tags": "unknown tag"})
            th.applied_tags = tags
            self._add_channel(th)
            msg = self._new_message(th, self.bot, mdata, req.files, msg_id=th.id, req=req)
            await self.dispatch("THREAD_CREATE", {**th.payload(), "newly_created": True}, I_GUILDS)
            await self._dispatch_message(msg)
            return json_response({**th.payload(), "message": msg.payload()}, 201)
        ttype = int(body.get("type") or PUBLIC_THREAD)
        self._require(
            g, CREATE_PUBLIC_THREADS if ttype != PRIVATE_THREAD else CREATE_PRIVATE_THREADS, parent
        )
        th = self._new_thread(parent, str(body.get("name") or ""), body, ttype=ttype)
        self._add_channel(th)
        await self.dispatch("THREAD_CREATE", {**th.payload(), "newly_created": True}, I_GUILDS)
        return json_response(th.payload(), 201)

    async def _thread_from_message(
        self, req: Req, channel_id: str, message_id: str
    ) -> web.Response:
        parent = self._channel(channel_id)
        msg = self._message(parent, message_id)
        if parent.guild_id is not None:
            self._require(self.guilds[parent.guild_id], CREATE_PUBLIC_THREADS, parent)
        if msg.thread_id:
            raise http_error(400, 160004, "A thread has already been created for this message")
        body = req.json or {}
        th = self._new_thread(parent, str(body.get("name") or ""), body, tid=msg.id)
        msg.thread_id = th.id
        self._add_channel(th)
        await self.dispatch("THREAD_CREATE", {**th.payload(), "newly_created": True}, I_GUILDS)
        return json_response(th.payload(), 201)

    async def _active_threads(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        ths = [c.payload() for c in g.channels.values() if c.is_thread and not c.archived]
        return json_response({"threads": ths, "members": []})

    async def _archived_threads(self, req: Req, channel_id: str) -> web.Response:
        ths = [
            c.payload()
            for c in self.channels.values()
            if c.is_thread and c.archived and c.parent_id == int(channel_id)
        ]
        return json_response({"threads": ths, "members": [], "has_more": False})

    async def _create_dm(self, req: Req) -> web.Response:
        body = req.json or {}
        user = self.users.get(int(body.get("recipient_id", 0)))
        if user is None:
            raise not_found("User", 10013)
        if user.bot:
            raise http_error(400, 50007, "Cannot send messages to this user")
        return json_response(self.dm_channel(user).payload())
