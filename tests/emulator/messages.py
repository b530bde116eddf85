"""Messages: validation against Discord's limits, creation and edits (mentions, attachments,
components), the MESSAGE_CONTENT intent, pins, deletions, and what users post or DM.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from .base import (
    ATTACH_FILES,
    I_CONTENT,
    I_DM,
    I_GUILD_MESSAGES,
    I_GUILDS,
    MANAGE_MESSAGES,
    READ_HISTORY,
    SEND_IN_THREADS,
    SEND_MESSAGES,
    DiscordHTTPError,
    Req,
    guess_type,
    http_error,
    json_response,
    no_content,
    not_found,
)
from .gateway import GatewaySession
from .models import (
    CATEGORY,
    DM,
    FORUM,
    Attachment,
    Channel,
    Guild,
    Message,
    User,
    iso_now,
    iter_components,
    snowflake,
)


class MessagesMixin:
    """Messages of :class:`~tests.emulator.server.DiscordEmulator`."""

    def channel_messages(self, channel: Channel | int) -> list[Message]:
        cid = channel if isinstance(channel, int) else channel.id
        return [m for m in self._channel_messages.get(cid, []) if not m.deleted]

    def dms_to(self, user: User) -> list[Message]:
        ch = self._dm_channels.get(user.id)
        if ch is None:
            return []
        return [m for m in self.channel_messages(ch) if m.author.id == self.bot.id]

    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        att = self.attachments.get(int(request.match_info["att"]))
        if att is None:
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        return web.Response(body=att.data, headers={"Content-Type": att.content_type})

    def _message(self, channel: Channel, message_id: str) -> Message:
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg.deleted or msg.channel_id != channel.id:
            raise not_found("Message", 10008)
        return msg

    def _validate_message(self, data: dict[str, Any], has_files: bool, edit: bool = False) -> None:
        def bad(msg: str) -> DiscordHTTPError:
            return http_error(400, 50035, "Invalid Form Body", {"_errors": [{"message": msg}]})

        content = data.get("content") or ""
        if len(content) > 2000:
            raise bad("content: Must be 2000 or fewer in length.")
        embeds = data.get("embeds") or []
        if len(embeds) > 10:
            raise bad("embeds: Must be 10 or fewer in length.")
        total = 0
        for e in embeds:
            limits = {"title": 256, "description": 4096}
            for k, lim in limits.items():
                if len(e.get(k) or "") > lim:
                    raise bad(f"embeds.{k}: Must be {lim} or fewer in length.")
                total += len(e.get(k) or "")
            fields = e.get("fields") or []
            if len(fields) > 25:
                raise bad("embeds.fields: Must be 25 or fewer in length.")
            for f in fields:
                if not f.get("name") or not f.get("value"):
                    raise bad("embeds.fields: name and value are required.")
                if len(f["name"]) > 256 or len(f["value"]) > 1024:
                    raise bad("embeds.fields: name ≤ 256, value ≤ 1024.")
                total += len(f["name"]) + len(f["value"])
            total += len((e.get("footer") or {}).get("text") or "")
        if total > 6000:
            raise bad("embeds: total size must be 6000 or fewer characters.")
        comps = data.get("components") or []
        is_v2 = bool(int(data.get("flags") or 0) & (1 << 15))
        if not is_v2 and len(comps) > 5:
            raise bad("components: Must be 5 or fewer in length.")
        ids: set[str] = set()
        for comp in iter_components(comps):
            cid = comp.get("custom_id")
            if cid is not None:
                if len(cid) > 100:
                    raise bad("custom_id: Must be 100 or fewer in length.")
                if cid in ids:
                    raise bad(f"components: custom_id {cid!r} is duplicated.")
                ids.add(cid)
            if comp.get("type") == 2 and len(comp.get("label") or "") > 80:
                raise bad("button label: Must be 80 or fewer in length.")
            if comp.get("type") == 3:
                options = comp.get("options") or []
                if not 1 <= len(options) <= 25:
                    raise bad("select options: Must be between 1 and 25 in length.")
                values = [o.get("value") for o in options]
                if len(values) != len(set(values)):
                    raise bad("select options: values must be unique.")
                for o in options:
                    if len(o.get("label") or "") > 100 or len(o.get("description") or "") > 100:
                        raise bad(
                            "select option label/description: Must be 100 or fewer in length."
                        )
            if comp.get("type") == 1 and len(comp.get("components") or []) > 5:
                raise bad("action row: Must be 5 or fewer in length.")
        if not edit and not (
            content or embeds or comps or has_files or data.get("sticker_ids") or data.get("poll")
        ):
            raise http_error(400, 50006, "Cannot send an empty message")

    def _make_attachments(
        self,
        channel_id: int,
        data: dict[str, Any],
        files: dict[int, tuple[str, bytes, str]],
        existing: list[Attachment] | None = None,
    ) -> list[Attachment]:
        out: list[Attachment] = []
        used: set[int] = set()
        entries = data.get("attachments")
        if entries is None:
            entries = [{"id": i} for i in sorted(files)]
        keep = {a.id: a for a in existing or []}
        for entry in entries:
            aid = int(entry.get("id", 0))
            if aid in files and aid not in used and aid not in keep:
                used.add(aid)
                name, raw, ctype = files[aid]
                att = Attachment(
                    snowflake(),
                    entry.get("filename") or name,
                    raw,
                    content_type=guess_type(name, ctype),
                    description=entry.get("description"),
                )
                att.url = f"{self.base_url}/attachments/{channel_id}/{att.id}/{att.filename}"
                self.attachments[att.id] = att
                out.append(att)
            elif aid in keep:
                out.append(keep[aid])
        return out

    def _mentions(self, content: str, allowed: dict[str, Any] | None, guild_id: int | None):
        users = [
            self.users[int(x)] for x in re.findall(r"<@!?(\d+)>", content) if int(x) in self.users
        ]
        roles = [int(x) for x in re.findall(r"<@&(\d+)>", content)]
        everyone = "@everyone" in content or "@here" in content
        if allowed is not None:
            parse = allowed.get("parse") or []
            if "users" not in parse:
                ok = {int(x) for x in allowed.get("users") or []}
                users = [u for u in users if u.id in ok]
            if "roles" not in parse:
                ok = {int(x) for x in allowed.get("roles") or []}
                roles = [r for r in roles if r in ok]
            everyone = everyone and "everyone" in parse
        return users, roles, everyone and guild_id is not None

    def _new_message(
        self,
        channel: Channel,
        author: User,
        data: dict[str, Any],
        files: dict[int, tuple[str, bytes, str]] | None = None,
        *,
        msg_id: int | None = None,
        flags: int | None = None,
        req: Req | None = None,
        **extra: Any,
    ) -> Message:
        files = files or {}
        allowed = data.get("allowed_mentions")
        users, roles, everyone = self._mentions(
            data.get("content") or "", allowed, channel.guild_id
        )
        msg = Message(
            id=msg_id or snowflake(),
            channel_id=channel.id,
            author=author,
            content=data.get("content") or "",
            guild_id=channel.guild_id,
            embeds=list(data.get("embeds") or []),
            components=list(data.get("components") or []),
            flags=int(data.get("flags") or 0) if flags is None else flags,
            mentions=users,
            mention_roles=roles,
            mention_everyone=everyone,
            allowed_mentions=allowed,
            **extra,
        )
        msg.attachments = self._make_attachments(channel.id, data, files)
        if req is not None and author.id == self.bot.id:
            msg.returned = asyncio.Event()
            req.created.append(msg)
        self.messages[msg.id] = msg
        self._channel_messages.setdefault(channel.id, []).append(msg)
        if not msg.ephemeral:
            channel.last_message_id = msg.id
            if channel.is_thread:
                channel.message_count += 1
        self._touch()
        return msg

    def _apply_edit(
        self, msg: Message, data: dict[str, Any], files: dict[int, tuple[str, bytes, str]]
    ) -> None:
        self._validate_message(data, bool(files), edit=True)
        msg.edits.append(data)
        if "content" in data:
            msg.content = data["content"] or ""
            users, roles, everyone = self._mentions(
                msg.content, data.get("allowed_mentions"), msg.guild_id
            )
            msg.mentions, msg.mention_roles, msg.mention_everyone = users, roles, everyone
        if "embeds" in data:
            msg.embeds = list(data["embeds"] or [])
        if "components" in data:
            msg.components = list(data["components"] or [])
        if "flags" in data and data["flags"] is not None:
            msg.flags = (msg.flags & (64 | 128)) | int(data["flags"])
        if "attachments" in data or files:
            msg.attachments = self._make_attachments(msg.channel_id, data, files, msg.attachments)
        msg.edited_timestamp = iso_now()
        self._touch()

    def _message_transform(
        self, msg: Message
    ) -> Callable[[GatewaySession, dict[str, Any]], dict[str, Any]]:
        def transform(s: GatewaySession, d: dict[str, Any]) -> dict[str, Any]:
            visible = (
                s.intents & I_CONTENT
                or msg.guild_id is None
                or msg.author.id == self.bot.id
                or any(u.id == self.bot.id for u in msg.mentions)
            )
            if visible:
                return d
            return {**d, "content": "", "embeds": [], "attachments": [], "components": []}

        return transform

    async def _dispatch_message(self, msg: Message, event: str = "MESSAGE_CREATE") -> None:
        if msg.ephemeral:
            return
        intent = I_GUILD_MESSAGES if msg.guild_id else I_DM
        await self.dispatch(event, msg.payload(), intent, self._message_transform(msg))

    async def _delete_msg(self, msg: Message) -> None:
        msg.deleted = True
        self._touch()
        if not msg.ephemeral:
            d = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                d["guild_id"] = str(msg.guild_id)
            await self.dispatch("MESSAGE_DELETE", d, I_GUILD_MESSAGES if msg.guild_id else I_DM)

    def _check_send(self, ch: Channel, files: bool = False) -> None:
        if ch.type == DM:
            return
        if ch.type in (CATEGORY, FORUM):
            raise http_error(400, 50008, "Cannot send messages in a non-text channel")
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        # as Discord: Send Messages in Threads in a thread, Send Messages elsewhere; files need
        # Attach Files
        self._require(g, SEND_IN_THREADS if ch.is_thread else SEND_MESSAGES, ch)
        if files:
            self._require(g, ATTACH_FILES, ch)
        if ch.is_thread and (ch.archived or ch.locked):
            if ch.locked:
                raise http_error(400, 50083, "Thread is archived")
            ch.archived = False  # sending unarchives a thread
            self._spawn(self.dispatch("THREAD_UPDATE", ch.payload(), I_GUILDS))

    async def _list_messages(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        self._require_history(ch)
        limit = min(int(req.query.get("limit", 50)), 100)
        msgs = [m for m in self.channel_messages(ch) if not m.ephemeral]
        if "before" in req.query:
            msgs = [m for m in msgs if m.id < int(req.query["before"])]
        if "after" in req.query:
            msgs = [m for m in msgs if m.id > int(req.query["after"])]
            return json_response(
                [m.payload() for m in sorted(msgs, key=lambda m: m.id)[:limit]][::-1]
            )
        msgs = sorted(msgs, key=lambda m: m.id, reverse=True)[:limit]
        return json_response([m.payload() for m in msgs])

    async def _post_message(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        self._check_send(ch, bool(req.files))
        data = req.json or {}
        self._validate_message(data, bool(req.files))
        if int(data.get("flags") or 0) & 64:
            raise http_error(
                400, 50035, "Invalid Form Body", {"flags": "ephemeral only for interactions"}
            )
        extra: dict[str, Any] = {}
        ref = data.get("message_reference")
        if ref:
            self._message(
                self._channel(str(ref.get("channel_id", channel_id))), str(ref["message_id"])
            )
            extra["type"] = 19
        msg = self._new_message(ch, self.bot, data, req.files, req=req, **extra)
        await self._dispatch_message(msg)
        return json_response(msg.payload())

    async def _get_message(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        self._require_history(ch)
        return json_response(self._message(ch, message_id).payload())

    async def _edit_message(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        msg = self._message(ch, message_id)
        if msg.author.id != self.bot.id:
            raise http_error(403, 50005, "Cannot edit a message authored by another user")
        self._apply_edit(msg, req.json or {}, req.files)
        if msg.returned is None:
            msg.returned = asyncio.Event()
        msg.returned.clear()
        req.created.append(msg)
        await self._dispatch_message(msg, "MESSAGE_UPDATE")
        return json_response(msg.payload())

    async def _delete_message(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        msg = self._message(ch, message_id)
        if msg.author.id != self.bot.id and ch.guild_id is not None:
            self._require(self.guilds[ch.guild_id], MANAGE_MESSAGES, ch)
        await self._delete_msg(msg)
        return no_content()

    def _require_history(self, ch: Channel) -> None:
        """Reading a guild channel's messages needs View Channel and Read Message History."""
        if ch.guild_id is not None:
            self._require(self.guilds[ch.guild_id], READ_HISTORY, ch)

    async def _bulk_delete(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        for mid in (req.json or {}).get("messages", []):
            await self._delete_msg(self._message(ch, str(mid)))
        return no_content()

    async def _get_pins(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        items = [
            {"pinned_at": m.edited_timestamp or m.timestamp, "message": m.payload()}
            for m in self.channel_messages(ch)
            if m.pinned
        ]
        return json_response({"items": items[::-1], "has_more": False})

    async def _get_pins_legacy(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        return json_response([m.payload() for m in self.channel_messages(ch) if m.pinned][::-1])

    async def _pin(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        if ch.guild_id is not None:
            self._require(self.guilds[ch.guild_id], MANAGE_MESSAGES, ch)
        msg = self._message(ch, message_id)
        msg.pinned = True
        self._touch()
        await self.dispatch(
            "CHANNEL_PINS_UPDATE",
            {
                "channel_id": str(ch.id),
                "guild_id": str(ch.guild_id),
                "last_pin_timestamp": iso_now(),
            },
            I_GUILDS,
        )
        return no_content()

    async def _unpin(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        self._message(ch, message_id).pinned = False
        self._touch()
        return no_content()

    async def dm(
        self, user: User, content: str, *, files: Iterable[tuple[str, bytes]] = ()
    ) -> Message:
        """The user sends ``content`` to the bot in their DM channel."""
        ch = self.dm_channel(user)
        msg = self._new_message(ch, user, {"content": content})
        msg.attachments = self._user_files(ch.id, files)
        await self._dispatch_message(msg)
        return msg

    async def post(
        self,
        guild: Guild,
        user: User,
        channel: Channel,
        content: str,
        *,
        files: Iterable[tuple[str, bytes]] = (),
    ) -> Message:
        """A member posts a message in a guild channel (content visible only with the intent)."""
        member = guild.members[user.id]
        msg = self._new_message(channel, user, {"content": content}, member=member)
        msg.attachments = self._user_files(channel.id, files)
        await self._dispatch_message(msg)
        return msg

    async def mention(self, guild: Guild, user: User, channel: Channel, content: str) -> Message:
        """A member posts ``<@bot> content`` in ``channel``."""
        return await self.post(guild, user, channel, f"{self.bot.mention} {content}")

    def _user_files(self, channel_id: int, files: Iterable[Any]) -> list[Attachment]:
        out = []
        for f in files:
            att = (
                f
                if isinstance(f, Attachment)
                else Attachment(snowflake(), f[0], f[1], content_type=guess_type(f[0], ""))
            )
            att.url = f"{self.base_url}/attachments/{channel_id}/{att.id}/{att.filename}"
            self.attachments[att.id] = att
            out.append(att)
        return out
