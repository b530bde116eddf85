"""Interactions: what users do (slash commands with typed options, autocomplete, button and
select clicks, modal submits) and how the bot answers them (callbacks, deferrals, follow-ups,
``@original`` edits and deletions), with Discord's acknowledgement rules.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from aiohttp import web

from .base import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    OPT_GROUP,
    OPT_SUB,
    DiscordHTTPError,
    Req,
    guess_type,
    http_error,
    json_response,
    no_content,
    not_found,
)
from .models import (
    TEXT,
    Attachment,
    Channel,
    Guild,
    Interaction,
    Member,
    Message,
    Role,
    User,
    iter_components,
    snowflake,
)


class InteractionsMixin:
    """Interactions of :class:`~tests.emulator.server.DiscordEmulator`."""

    interaction_timeout: float

    def _wait(self, timeout: float | None) -> float:
        """How long to wait for the bot's answer: ``timeout``, else ``interaction_timeout``."""
        return self.interaction_timeout if timeout is None else timeout

    def _interaction(self, iid: str, token: str) -> Interaction:
        inter = self._by_token.get(token)
        if inter is None or str(inter.id) != iid:
            raise not_found("interaction", 10062)
        return inter

    async def _callback(self, req: Req, iid: str, token: str) -> web.Response:
        inter = self._interaction(iid, token)
        if inter.response is not None:
            raise http_error(400, 40060, "Interaction has already been acknowledged.")
        body = req.json or {}
        rtype = int(body.get("type", 0))
        data = body.get("data") or {}
        channel = self.channels[inter.channel_id]
        msg: Message | None = None
        if rtype == 4:
            self._validate_message(data, bool(req.files))
        elif rtype == 7:
            self._validate_message(data, bool(req.files), edit=True)
        elif rtype == 9:
            self._validate_modal(data)
        elif rtype == 8:
            if len(data.get("choices") or []) > 25:
                raise http_error(
                    400, 50035, "Invalid Form Body", {"choices": "Must be 25 or fewer in length."}
                )
        if rtype in (4, 5, 7, 9) and inter.type == 4:
            raise http_error(
                400, 50035, "Invalid Form Body", {"type": "autocomplete expects type 8"}
            )
        if rtype in (6, 7) and inter.type not in (3, 5):
            raise http_error(400, 40004, "Interaction type does not support this response type")
        if rtype == 9 and inter.type == 5:
            raise http_error(400, 40004, "A modal cannot answer a modal submit")
        inter.response = body
        inter.callback_type = rtype
        if rtype == 4:
            msg = self._new_message(
                channel, self.bot, data, req.files, req=req, **self._interaction_extra(inter)
            )
            inter.original = msg
            inter.messages.append(msg)
        elif rtype == 5:
            flags = (int(data.get("flags") or 0) & 64) | 128
            msg = self._new_message(
                channel, self.bot, {}, None, flags=flags, req=req, **self._interaction_extra(inter)
            )
            inter.original = msg
            inter.messages.append(msg)
        elif rtype in (6, 7):
            inter.original = inter.source_message
            if rtype == 7 and inter.source_message is not None:
                msg = inter.source_message
                self._apply_edit(msg, data, req.files)
                if msg.returned is None:
                    msg.returned = asyncio.Event()
                msg.returned.clear()
                req.created.append(msg)
                if msg not in inter.messages:
                    inter.messages.append(msg)
        elif rtype == 8:
            inter.choices = list(data.get("choices") or [])
        inter.files = [a for m in inter.messages for a in m.attachments]
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(inter.id),
                "type": inter.type,
                "response_message_id": str(msg.id) if msg else None,
                "response_message_loading": rtype == 5,
                "response_message_ephemeral": bool(msg and msg.ephemeral),
            },
            "resource": {"type": rtype},
        }
        if msg is not None:
            answer["resource"]["message"] = msg.payload()
        inter.callback_event.set()
        if msg is not None and rtype in (4, 5):
            await self._dispatch_message(msg)
        elif msg is not None and rtype == 7:
            await self._dispatch_message(msg, "MESSAGE_UPDATE")
        return json_response(answer)

    def _validate_modal(self, data: dict[str, Any]) -> None:
        def bad(msg: str) -> DiscordHTTPError:
            return http_error(400, 50035, "Invalid Form Body", {"_errors": [{"message": msg}]})

        if not data.get("custom_id") or len(data["custom_id"]) > 100:
            raise bad("modal custom_id required, ≤ 100")
        if not 1 <= len(data.get("title") or "") <= 45:
            raise bad("modal title: Must be between 1 and 45 in length.")
        comps = data.get("components") or []
        if not 1 <= len(comps) <= 5:
            raise bad("modal components: Must be between 1 and 5 in length.")
        for comp in iter_components(comps):
            if comp.get("type") == 4 and len(comp.get("label") or "") > 45:
                raise bad("text input label: Must be 45 or fewer in length.")
            if comp.get("type") == 18 and len(comp.get("label") or "") > 45:
                raise bad("label: Must be 45 or fewer in length.")

    def _interaction_extra(self, inter: Interaction) -> dict[str, Any]:
        return {
            "webhook_id": self.application_id,
            "application_id": self.application_id,
            "interaction_id": inter.id,
            "type": 20 if inter.type == 2 else 19,
        }

    def _webhook_inter(self, app: str, token: str) -> Interaction:
        inter = self._by_token.get(token)
        if inter is None or app != str(self.application_id):
            raise not_found("Webhook", 10015)
        if inter.response is None:
            raise not_found("Webhook", 10015)
        return inter

    async def _followup(self, req: Req, app: str, token: str) -> web.Response:
        inter = self._webhook_inter(app, token)
        data = req.json or {}
        channel = self.channels[inter.channel_id]
        orig = inter.original
        if inter.callback_type == 5 and orig is not None and orig.loading:
            self._validate_message(data, bool(req.files))
            orig.flags = (orig.flags & 64) | (int(data.get("flags") or 0) & ~(64 | 128))
            self._apply_edit(orig, {k: v for k, v in data.items() if k != "flags"}, req.files)
            orig.edits.clear()
            msg = orig
            if msg.returned is not None:
                msg.returned.clear()
                req.created.append(msg)
            await self._dispatch_message(msg, "MESSAGE_UPDATE")
        else:
            self._validate_message(data, bool(req.files))
            msg = self._new_message(
                channel, self.bot, data, req.files, req=req, **self._interaction_extra(inter)
            )
            msg.type = 0
            inter.messages.append(msg)
            await self._dispatch_message(msg)
        inter.followups.append(msg)
        inter.followup_event.set()
        if req.query.get("wait") in ("1", "true", "True"):
            return json_response(msg.payload())
        return no_content()

    def _webhook_message(self, inter: Interaction, mid: str) -> Message:
        if mid == "@original":
            msg = inter.original
            if msg is None:
                raise not_found("Message", 10008)
            return msg
        msg = self.messages.get(int(mid)) if mid.isdigit() else None
        if msg is None or msg.deleted:
            raise not_found("Message", 10008)
        return msg

    async def _webhook_get(self, req: Req, app: str, token: str, mid: str) -> web.Response:
        inter = self._webhook_inter(app, token)
        return json_response(self._webhook_message(inter, mid).payload())

    async def _webhook_edit(self, req: Req, app: str, token: str, mid: str) -> web.Response:
        inter = self._webhook_inter(app, token)
        msg = self._webhook_message(inter, mid)
        data = req.json or {}
        was_loading = msg.loading
        self._apply_edit(msg, data, req.files)
        if was_loading:
            msg.flags &= ~128
        if msg not in inter.messages:
            inter.messages.append(msg)
        if msg.returned is None:
            msg.returned = asyncio.Event()
        msg.returned.clear()
        req.created.append(msg)
        inter.followup_event.set()
        await self._dispatch_message(msg, "MESSAGE_UPDATE")
        return json_response(msg.payload())

    async def _webhook_delete(self, req: Req, app: str, token: str, mid: str) -> web.Response:
        inter = self._webhook_inter(app, token)
        msg = self._webhook_message(inter, mid)
        await self._delete_msg(msg)
        inter.followup_event.set()
        return no_content()

    def _default_channel(self, guild: Guild) -> Channel:
        texts = sorted(
            (c for c in guild.channels.values() if c.type == TEXT), key=lambda c: c.position
        )
        if not texts:
            return self.create_channel(guild, "general")
        return texts[0]

    def _channel_payload_for(
        self, guild: Guild | None, member: Member | None, ch: Channel
    ) -> dict[str, Any]:
        data = ch.payload()
        if guild is not None and member is not None:
            data["permissions"] = str(self.permissions(guild, member, ch))
        return data

    async def _inject(
        self,
        itype: int,
        guild: Guild | None,
        user: User,
        data: dict[str, Any],
        *,
        channel: Channel | None = None,
        locale: str | None = None,
        message: Message | None = None,
    ) -> Interaction:
        if not self.connected:
            await self.wait_connected(timeout=10)
        if guild is not None and user.id not in guild.members:
            raise ValueError(f"{user.username} is not a member of {guild.name}")
        if channel is None:
            if message is not None:
                channel = self.channels[message.channel_id]
            elif guild is not None:
                channel = self._default_channel(guild)
            else:
                channel = self.dm_channel(user)
        iid = snowflake()
        token = f"aW50{iid}{secrets.token_urlsafe(24)}"
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "locale": locale or user.locale,
            "data": data,
            "attachment_size_limit": 26214400,
            "entitlements": [],
            "entitlement_sku_ids": [],
        }
        if guild is not None:
            member = guild.members[user.id]
            perms = self.permissions(guild, member, channel)
            payload.update(
                guild_id=str(guild.id),
                guild_locale=guild.preferred_locale,
                guild={
                    "id": str(guild.id),
                    "locale": guild.preferred_locale,
                    "features": guild.all_features(),
                },
                member={**member.payload(), "permissions": str(perms)},
                channel=self._channel_payload_for(guild, member, channel),
                channel_id=str(channel.id),
                app_permissions=str(self._bot_perms(guild, channel)),
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            payload.update(
                user=user.payload(),
                channel=channel.payload(),
                channel_id=str(channel.id),
                app_permissions=str(ALL_PERMISSIONS & ~ADMINISTRATOR),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if message is not None:
            payload["message"] = message.payload()
        inter = Interaction(
            id=iid,
            token=token,
            type=itype,
            payload=payload,
            user=user,
            guild_id=guild.id if guild else None,
            channel_id=channel.id,
            source_message=message,
        )
        self.interactions[iid] = inter
        self._by_token[token] = inter
        sent = await self.dispatch("INTERACTION_CREATE", payload)
        if not sent:
            raise RuntimeError("no bot is connected to the emulator")
        return inter

    def _convert_option(
        self,
        guild: Guild | None,
        schema: dict[str, Any],
        value: Any,
        resolved: dict[str, dict[str, Any]],
    ) -> Any:
        otype = schema["type"]
        choices = schema.get("choices") or []
        if choices:
            by_name = {c["name"]: c["value"] for c in choices}
            values = [c["value"] for c in choices]
            if value not in values and value in by_name:
                value = by_name[value]
            elif value not in values and str(value) not in [str(v) for v in values]:
                raise ValueError(f"option {schema['name']!r}: {value!r} is not one of {values}")
        if otype == 3:
            return str(value)
        if otype == 4:
            return int(value)
        if otype == 10:
            return float(value)
        if otype == 5:
            return bool(value)
        if otype in (6, 9) and isinstance(value, (User, Member)):
            user = value.user if isinstance(value, Member) else value
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if guild is not None and user.id in guild.members:
                m = guild.members[user.id]
                resolved.setdefault("members", {})[str(user.id)] = {
                    **m.payload(with_user=False),
                    "permissions": str(self.permissions(guild, m)),
                }
            return str(user.id)
        if otype in (8, 9) and isinstance(value, Role):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if otype == 7 and isinstance(value, Channel):
            ch_types = schema.get("channel_types")
            if ch_types and value.type not in ch_types:
                raise ValueError(
                    f"option {schema['name']!r}: channel type {value.type} not in {ch_types}"
                )
            data = {
                "id": str(value.id),
                "name": value.name,
                "type": value.type,
                "permissions": str(ALL_PERMISSIONS),
                "parent_id": str(value.parent_id) if value.parent_id else None,
            }
            if value.is_thread:
                data["thread_metadata"] = value.payload()["thread_metadata"]
            resolved.setdefault("channels", {})[str(value.id)] = data
            return str(value.id)
        if otype == 11:
            if isinstance(value, Attachment):
                att = value
            else:
                name, raw = value[0], value[1]
                ctype = value[2] if len(value) > 2 else guess_type(name, "")
                att = Attachment(snowflake(), name, bytes(raw), content_type=ctype)
            att.url = f"{self.base_url}/attachments/0/{att.id}/{att.filename}"
            self.attachments[att.id] = att
            resolved.setdefault("attachments", {})[str(att.id)] = att.payload()
            return str(att.id)
        if otype in (6, 7, 8, 9):
            return str(int(value))
        raise ValueError(f"option {schema['name']!r}: cannot convert {value!r} for type {otype}")

    def _build_options(
        self,
        guild: Guild | None,
        cmd: dict[str, Any],
        subcommand: str | None,
        options: dict[str, Any],
        focused: str | None,
        resolved: dict[str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        schema_opts = cmd.get("options") or []
        path = subcommand.split() if subcommand else []
        containers: list[dict[str, Any]] = []
        for part in path:
            sub = next(
                (o for o in schema_opts if o["name"] == part and o["type"] in (OPT_SUB, OPT_GROUP)),
                None,
            )
            if sub is None:
                names = [o["name"] for o in schema_opts if o["type"] in (OPT_SUB, OPT_GROUP)]
                raise ValueError(f"/{cmd['name']}: no subcommand {part!r} (have {names})")
            containers.append(sub)
            schema_opts = sub.get("options") or []
        if any(o["type"] in (OPT_SUB, OPT_GROUP) for o in schema_opts):
            raise ValueError(
                f"/{cmd['name']} needs a subcommand: {[o['name'] for o in schema_opts]}"
            )
        by_name = {o["name"]: o for o in schema_opts}
        unknown = set(options) - set(by_name)
        if unknown:
            raise ValueError(
                f"/{cmd['name']} {subcommand or ''}: unknown options {sorted(unknown)}; have {list(by_name)}"
            )
        leaf: list[dict[str, Any]] = []
        for o in schema_opts:
            if o["name"] not in options:
                if o.get("required") and o["name"] != focused:
                    raise ValueError(
                        f"/{cmd['name']} {subcommand or ''}: required option {o['name']!r} missing"
                    )
                continue
            value = options[o["name"]]
            entry: dict[str, Any] = {"name": o["name"], "type": o["type"]}
            if o["name"] == focused:
                entry["value"] = str(value)
                entry["focused"] = True
            else:
                entry["value"] = self._convert_option(guild, o, value, resolved)
            leaf.append(entry)
        result = leaf
        for sub in reversed(containers):
            result = [{"name": sub["name"], "type": sub["type"], "options": result}]
        return result

    async def slash(
        self,
        guild: Guild | None,
        user: User,
        command: str,
        subcommand: str | None = None,
        options: dict[str, Any] | None = None,
        locale: str | None = None,
        channel: Channel | None = None,
        *,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Interaction:
        """Invoke ``/command [subcommand|"group sub"] options`` as ``user``.

        ``wait=True`` (default) returns once the bot answered (see ``Interaction.wait_done``).
        """
        cmd, is_guild = await self._wait_command(guild, command)
        resolved: dict[str, dict[str, Any]] = {}
        opts = self._build_options(guild, cmd, subcommand, options or {}, None, resolved)
        data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": opts}
        if is_guild:
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        inter = await self._inject(2, guild, user, data, channel=channel, locale=locale)
        if wait:
            await inter.wait_done(self._wait(timeout))
        return inter

    async def autocomplete(
        self,
        guild: Guild | None,
        user: User,
        command: str,
        options: dict[str, Any] | None = None,
        focused: str | None = None,
        locale: str | None = None,
        *,
        subcommand: str | None = None,
        channel: Channel | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Ask the bot for autocomplete choices of ``focused``; returns the choices list."""
        cmd, is_guild = await self._wait_command(guild, command)
        options = dict(options or {})
        if focused is None:
            focused = next(iter(options)) if options else None
        if focused is None:
            raise ValueError("autocomplete needs a focused option")
        options.setdefault(focused, "")
        resolved: dict[str, dict[str, Any]] = {}
        opts = self._build_options(guild, cmd, subcommand, options, focused, resolved)
        data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": opts}
        if is_guild:
            data["guild_id"] = cmd["guild_id"]
        inter = await self._inject(4, guild, user, data, channel=channel, locale=locale)
        self.last_autocomplete = inter
        await inter.wait_done(self._wait(timeout), followup=False)
        return inter.choices or []

    async def click(
        self,
        guild: Guild | None,
        user: User,
        message: Message,
        custom_id: str | None = None,
        values: list[Any] | None = None,
        locale: str | None = None,
        *,
        label: str | None = None,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Interaction:
        """Click a button / choose in a select of ``message`` (by ``custom_id`` or ``label``)."""
        comp = message.find_component(custom_id=custom_id, label=label)
        if comp is None:
            have = [c.get("custom_id") or c.get("label") for c in message.buttons + message.selects]
            raise LookupError(
                f"no component custom_id={custom_id!r} label={label!r} on message (have {have})"
            )
        if comp.get("disabled"):
            raise ValueError(f"component {comp.get('custom_id')!r} is disabled")
        if comp.get("type") == 2 and not comp.get("custom_id"):
            raise ValueError("link/premium buttons do not create interactions")
        if message.returned is not None:
            async with asyncio.timeout(self._wait(timeout)):
                await message.returned.wait()
            elapsed = time.monotonic() - (message.returned_at or 0)
            if elapsed < self.click_delay:
                await asyncio.sleep(self.click_delay - elapsed)
        data: dict[str, Any] = {"custom_id": comp["custom_id"], "component_type": comp["type"]}
        if comp["type"] != 2:
            resolved: dict[str, dict[str, Any]] = {}
            vals = self._select_values(guild, comp, values or [], resolved)
            data["values"] = vals
            if resolved:
                data["resolved"] = resolved
        channel = self.channels[message.channel_id]
        inter = await self._inject(
            3, guild, user, data, channel=channel, locale=locale, message=message
        )
        if wait:
            await inter.wait_done(self._wait(timeout))
        return inter

    def _select_values(
        self,
        guild: Guild | None,
        comp: dict[str, Any],
        values: list[Any],
        resolved: dict[str, dict[str, Any]],
    ) -> list[str]:
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise ValueError(
                f"select {comp['custom_id']!r} takes {lo}..{hi} values, got {len(values)}"
            )
        if comp["type"] == 3:
            allowed = [o["value"] for o in comp.get("options") or []]
            labels = {o["label"]: o["value"] for o in comp.get("options") or []}
            out = []
            for v in values:
                if v not in allowed and v in labels:
                    v = labels[v]
                if v not in allowed:
                    raise ValueError(f"select {comp['custom_id']!r}: {v!r} not in {allowed}")
                out.append(v)
            return out
        otype = {5: 6, 6: 8, 7: 7, 8: 9}[comp["type"]]
        return [
            self._convert_option(guild, {"name": comp["custom_id"], "type": otype}, v, resolved)
            for v in values
        ]

    async def submit_modal(
        self,
        guild: Guild | None,
        user: User,
        previous: Interaction,
        values: dict[str, Any],
        locale: str | None = None,
        *,
        wait: bool = True,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> Interaction:
        """Fill and submit the modal that ``previous`` answered with (type 9)."""
        modal = previous.modal
        if modal is None:
            raise ValueError(
                f"interaction was answered with type {previous.callback_type}, not a modal"
            )
        values = dict(values)
        resolved: dict[str, dict[str, Any]] = {}

        def fill(comp: dict[str, Any]) -> dict[str, Any] | None:
            cid = comp.get("custom_id")
            t = comp.get("type")
            if t == 4:
                value = str(values.pop(cid, comp.get("value") or ""))
                if comp.get("required", True) and not value:
                    raise ValueError(f"modal field {cid!r} is required")
                if len(value) > comp.get("max_length", 4000) or len(value) < comp.get(
                    "min_length", 0
                ):
                    raise ValueError(f"modal field {cid!r}: length {len(value)} out of bounds")
                return {"type": 4, "id": comp.get("id", 0), "custom_id": cid, "value": value}
            if t in (3, 5, 6, 7, 8):
                vals = values.pop(cid, [])
                vals = vals if isinstance(vals, list) else [vals]
                return {
                    "type": t,
                    "id": comp.get("id", 0),
                    "custom_id": cid,
                    "values": self._select_values(
                        guild, {"min_values": 0, "max_values": 25, **comp}, vals, resolved
                    ),
                }
            if t == 19:  # file upload
                vals = values.pop(cid, [])
                ids = [
                    self._convert_option(guild, {"name": cid, "type": 11}, v, resolved)
                    for v in vals
                ]
                return {"type": 19, "id": comp.get("id", 0), "custom_id": cid, "values": ids}
            return None

        rows: list[dict[str, Any]] = []
        for top in modal.get("components") or []:
            if top.get("type") == 1:
                inner = [x for x in (fill(c) for c in top.get("components") or []) if x]
                rows.append({"type": 1, "id": top.get("id", 0), "components": inner})
            elif top.get("type") == 18:
                inner_c = fill(top["component"])
                if inner_c:
                    rows.append({"type": 18, "id": top.get("id", 0), "component": inner_c})
            elif top.get("type") == 10:
                rows.append({"type": 10, "id": top.get("id", 0)})
        if values:
            raise ValueError(f"modal {modal.get('custom_id')!r} has no fields {sorted(values)}")
        data: dict[str, Any] = {"custom_id": modal["custom_id"], "components": rows}
        if resolved:
            data["resolved"] = resolved
        guild = guild if guild is not None else (self.guilds.get(previous.guild_id or 0))
        channel = self.channels[previous.channel_id]
        inter = await self._inject(
            5, guild, user, data, channel=channel, locale=locale, message=previous.source_message
        )
        if wait:
            await inter.wait_done(self._wait(timeout))
        return inter
