"""The application and its commands: ``GET /applications/@me``, command sync (validated like
Discord: names, descriptions, option order and counts) and lookup of synced commands.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from aiohttp import web

from .base import (
    OPT_GROUP,
    OPT_SUB,
    Req,
    http_error,
    json_response,
)
from .models import (
    Guild,
    snowflake,
)


class CommandsMixin:
    """Application commands of :class:`~tests.emulator.server.DiscordEmulator`."""

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        return self.guild_commands.get(guild.id, []) if guild else self.global_commands

    async def _get_application(self, req: Req) -> web.Response:
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                # GATEWAY_GUILD_MEMBERS_LIMITED: the Server Members Intent is enabled
                "flags": (1 << 15) if self.allow_privileged_intents else 0,
                "owner": {**self.bot.payload(), "id": "1", "username": "owner"},
                "team": None,
                "bot": self.bot.payload(),
                "rpc_origins": [],
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "event_webhooks_status": 1,
            }
        )

    def _store_command(self, data: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        cmd = dict(data)
        cmd.setdefault("type", 1)
        cmd["id"] = str(snowflake())
        cmd["application_id"] = str(self.application_id)
        cmd["version"] = str(snowflake())
        cmd.setdefault("description", "")
        cmd.setdefault("options", [])
        cmd.setdefault("default_member_permissions", None)
        cmd.setdefault("nsfw", False)
        if guild_id:
            cmd["guild_id"] = guild_id
        return cmd

    async def _get_commands(self, req: Req, app: str, guild_id: str | None = None) -> web.Response:
        if guild_id:
            return json_response(self.guild_commands.get(int(guild_id), []))
        return json_response(self.global_commands)

    async def _put_commands(self, req: Req, app: str, guild_id: str | None = None) -> web.Response:
        if int(app) != self.application_id:
            raise http_error(403, 50001, "Missing Access")
        body = req.json or []
        names = [(c.get("name"), c.get("type", 1)) for c in body]
        if len(names) != len(set(names)):
            raise http_error(
                400,
                50035,
                "Invalid Form Body",
                {"_errors": [{"code": "APPLICATION_COMMANDS_DUPLICATE_NAME"}]},
            )
        for c in body:
            self._validate_command(c)
        cmds = [self._store_command(c, guild_id) for c in body]
        if guild_id:
            self._guild(guild_id)
            self.guild_commands[int(guild_id)] = cmds
        else:
            self.global_commands = cmds
        return json_response(cmds)

    async def _post_command(self, req: Req, app: str, guild_id: str | None = None) -> web.Response:
        body = req.json or {}
        self._validate_command(body)
        cmd = self._store_command(body, guild_id)
        store = (
            self.guild_commands.setdefault(int(guild_id), []) if guild_id else self.global_commands
        )
        store[:] = [c for c in store if c["name"] != cmd["name"]] + [cmd]
        return json_response(cmd, 201)

    def _validate_command(self, c: dict[str, Any], depth: int = 0) -> None:
        name = c.get("name", "")
        if not re.fullmatch(r"[-_\w]{1,32}", name) or (
            c.get("type", 1) == 1 and name != name.lower()
        ):
            raise http_error(
                400, 50035, "Invalid Form Body", {"name": f"invalid command name {name!r}"}
            )
        if c.get("type", 1) == 1 and not 1 <= len(c.get("description", "")) <= 100:
            raise http_error(
                400, 50035, "Invalid Form Body", {"description": f"bad description on {name!r}"}
            )
        opts = c.get("options") or []
        if len(opts) > 25:
            raise http_error(400, 50035, "Invalid Form Body", {"options": "more than 25 options"})
        seen_optional = False
        for o in opts:
            if o.get("type") in (OPT_SUB, OPT_GROUP):
                self._validate_command({**o, "type": 1}, depth + 1)
                continue
            self._validate_command(
                {"name": o.get("name", ""), "description": o.get("description", "")}
            )
            if o.get("required") and seen_optional:
                raise http_error(
                    400,
                    50035,
                    "Invalid Form Body",
                    {"options": f"required option {o['name']!r} after an optional one"},
                )
            seen_optional = seen_optional or not o.get("required")
            if len(o.get("choices") or []) > 25:
                raise http_error(
                    400, 50035, "Invalid Form Body", {"choices": "more than 25 choices"}
                )

    def _find_command(
        self, guild: Guild | None, name: str, ctype: int = 1
    ) -> tuple[dict[str, Any], bool]:
        if guild is not None:
            for c in self.guild_commands.get(guild.id, []):
                if c["name"] == name and c.get("type", 1) == ctype:
                    return c, True
        for c in self.global_commands:
            if c["name"] == name and c.get("type", 1) == ctype:
                return c, False
        known = [c["name"] for c in self.global_commands] + [
            c["name"] for c in (self.guild_commands.get(guild.id, []) if guild else [])
        ]
        raise LookupError(f"command {name!r} was not synced (known: {sorted(known)})")

    async def _wait_command(
        self,
        guild: Guild | None,
        name: str,
        timeout: float = 15,  # noqa: ASYNC109
    ) -> tuple[dict[str, Any], bool]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._find_command(guild, name)
            except LookupError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.02)
