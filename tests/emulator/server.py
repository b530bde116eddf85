"""The Discord emulator: REST + gateway on one aiohttp port, with in-memory state.

:class:`DiscordEmulator` holds the state and the HTTP plumbing (one aiohttp application: the
gateway websocket at ``/``, attachments, and ``/api/v10/…`` routed by the table in
:meth:`DiscordEmulator._register_routes`); what each resource does lives in one module each,
mixed in here:

- ``guilds.py``: guilds, their payload, permissions;
- ``channels.py``: channels, threads, forums, DM channels;
- ``messages.py``: messages, attachments, pins, what users post;
- ``members.py``: users, members, roles;
- ``commands.py``: the application and its synced commands;
- ``interactions.py``: slash commands, autocomplete, components, modals, callbacks, follow-ups;
- ``gateway.py``: the websocket session, READY/GUILD_CREATE, member chunks, dispatch.

Shared constants and helpers are in ``base.py``. See ``tests/emulator/__init__.py`` for the API.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import discord
import yarl
from aiohttp import web

from rtes_bot.permissions import bot_permissions_value

from .base import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    I_CONTENT,
    I_DM,
    I_GUILD_MESSAGES,
    I_GUILDS,
    I_MEMBERS,
    PRIVILEGED,
    DiscordHTTPError,
    Handler,
    Req,
    RequestRecord,
    http_error,
    json_response,
)
from .channels import ChannelsMixin
from .commands import CommandsMixin
from .gateway import GatewayMixin, GatewaySession
from .guilds import GuildsMixin
from .interactions import InteractionsMixin
from .members import MembersMixin
from .messages import MessagesMixin
from .models import Attachment, Channel, Guild, Interaction, Message, User, snowflake

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "I_CONTENT",
    "I_DM",
    "I_GUILDS",
    "I_GUILD_MESSAGES",
    "I_MEMBERS",
    "PRIVILEGED",
    "DiscordEmulator",
    "DiscordHTTPError",
    "GatewaySession",
    "Req",
    "RequestRecord",
]


class DiscordEmulator(
    GuildsMixin,
    ChannelsMixin,
    MessagesMixin,
    MembersMixin,
    CommandsMixin,
    InteractionsMixin,
    GatewayMixin,
):
    """In-process Discord REST + gateway emulator. See ``tests/emulator/__init__.py``."""

    def __init__(
        self,
        *,
        bot_name: str = "rtes-bot",
        bot_permissions: int | None = None,
        allow_privileged_intents: bool = True,
        heartbeat_interval_ms: int = 41250,
        valid_tokens: Iterable[str] | None = None,
        click_delay: float = 0.05,
    ) -> None:
        self.bot = User(snowflake(), bot_name, bot=True)
        self.application_id = self.bot.id
        #: the permissions of the bot's managed role in every guild created afterwards: by
        #: default exactly what the invite link asks for (never Administrator), as on Discord
        self.bot_permissions = (
            bot_permissions if bot_permissions is not None else bot_permissions_value()
        )
        self.allow_privileged_intents = allow_privileged_intents
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.valid_tokens = set(valid_tokens) if valid_tokens is not None else None
        self.click_delay = click_delay
        #: how long a test waits for the bot's answer to an interaction before failing (a test
        #: of many élus at once on a loaded machine may give more: it checks results, not speed)
        self.interaction_timeout = 15.0
        self.guilds: dict[int, Guild] = {}
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self._channel_messages: dict[int, list[Message]] = {}
        self._dm_channels: dict[int, Channel] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.interactions: dict[int, Interaction] = {}
        self._by_token: dict[str, Interaction] = {}
        self.attachments: dict[int, Attachment] = {}
        self.requests: list[RequestRecord] = []
        self.unhandled: list[RequestRecord] = []
        self.errors: list[RequestRecord] = []  # requests answered with an error status
        self.sessions: list[GatewaySession] = []
        self.identifies: list[dict[str, Any]] = []
        self.member_requests: list[dict[str, Any]] = []  # REQUEST_GUILD_MEMBERS received
        self.port: int = 0
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._changed = asyncio.Event()
        self._saved: tuple[str, yarl.URL] | None = None
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._register_routes()

    async def start(self, port: int = 0) -> DiscordEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self._gateway)
        app.router.add_get("/attachments/{channel}/{att}/{name}", self._serve_attachment)
        app.router.add_route("*", "/api/v{ver:\\d+}/{tail:.*}", self._api)
        app.router.add_route("*", "/{tail:.*}", self._api_unknown)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        self.uninstall()
        for s in list(self.sessions):
            await s.ws.close()
        for t in list(self._tasks):
            t.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def install(self) -> None:
        """Point discord.py (this process) at the emulator."""
        if self._saved is None:
            self._saved = (
                discord.http.Route.BASE,
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
            )
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def uninstall(self) -> None:
        if self._saved is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _touch(self) -> None:
        self._changed.set()

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 15,  # noqa: ASYNC109
        interval: float = 0.01,
    ) -> Any:
        """Poll ``predicate`` until it returns a truthy value (returned) or time out."""
        async with asyncio.timeout(timeout):
            while True:
                value = predicate()
                if asyncio.iscoroutine(value):
                    value = await value
                if value:
                    return value
                await asyncio.sleep(interval)

    def requests_to(self, method: str, pattern: str) -> list[RequestRecord]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    async def _api_unknown(self, request: web.Request) -> web.StreamResponse:
        rec = RequestRecord(request.method, request.path, dict(request.query), None)
        self.unhandled.append(rec)
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    async def _parse(self, request: web.Request) -> tuple[Any, dict[int, tuple[str, bytes, str]]]:
        files: dict[int, tuple[str, bytes, str]] = {}
        body: Any = None
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                name = part.name or ""  # type: ignore[union-attr]
                raw = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    body = json.loads(raw)
                else:
                    m = re.fullmatch(r"files\[(\d+)\]|file(\d*)", name)
                    idx = int(next(g for g in m.groups() if g) or 0) if m else len(files)
                    ctype_part = part.headers.get("Content-Type", "application/octet-stream")  # type: ignore[union-attr]
                    files[idx] = (part.filename or f"file{idx}", bytes(raw), ctype_part)  # type: ignore[union-attr]
        elif request.can_read_body:
            raw = await request.read()
            if raw:
                body = json.loads(raw)
        return body, files

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._parse(request)
        rec = RequestRecord(request.method, path, dict(request.query), body)
        self.requests.append(rec)
        req = Req(request.method, path, dict(request.query), body, files, request.headers)
        for method, rx, candidate in self._routes:
            if method != request.method:
                continue
            m = rx.fullmatch(path)
            if m:
                handler = candidate
                break
        else:
            self.unhandled.append(rec)
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        try:
            if not path.startswith(("/interactions/", "/webhooks/")):
                self._check_auth(request)
            resp = await handler(req, **m.groupdict())
        except DiscordHTTPError as e:
            self.errors.append(rec)
            data: dict[str, Any] = {"message": e.message, "code": e.code}
            if e.errors is not None:
                data["errors"] = e.errors
            resp = json_response(data, e.status)
        try:
            await resp.prepare(request)
            await resp.write_eof()
        except ConnectionResetError:
            # The bot closed its connection while the answer was written (a request in flight
            # when a test stops the bot): nobody is left to read it, as with Discord.
            return resp
        now = time.monotonic()
        for msg in req.created:
            msg.returned_at = now
            if msg.returned is not None:
                msg.returned.set()
        self._touch()
        return resp

    def _check_auth(self, request: web.Request) -> None:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bot ")
        if not auth or (self.valid_tokens is not None and token not in self.valid_tokens):
            raise http_error(401, 0, "401: Unauthorized")

    def _route(self, method: str, pattern: str, handler: Handler) -> None:
        rx = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self._routes.append((method, re.compile(rx), handler))

    def _register_routes(self) -> None:
        r = self._route
        r("GET", "/users/@me", self._get_me)
        r("GET", "/users/{user_id}", self._get_user)
        r("POST", "/users/@me/channels", self._create_dm)
        r("GET", "/oauth2/applications/@me", self._get_application)
        r("GET", "/applications/@me", self._get_application)
        r("GET", "/gateway", self._get_gateway)
        r("GET", "/gateway/bot", self._get_gateway_bot)
        r("GET", "/applications/{app}/commands", self._get_commands)
        r("PUT", "/applications/{app}/commands", self._put_commands)
        r("POST", "/applications/{app}/commands", self._post_command)
        r("GET", "/applications/{app}/guilds/{guild_id}/commands", self._get_commands)
        r("PUT", "/applications/{app}/guilds/{guild_id}/commands", self._put_commands)
        r("POST", "/applications/{app}/guilds/{guild_id}/commands", self._post_command)
        r("POST", "/interactions/{iid}/{token}/callback", self._callback)
        r("POST", "/webhooks/{app}/{token}", self._followup)
        r("GET", "/webhooks/{app}/{token}/messages/{mid}", self._webhook_get)
        r("PATCH", "/webhooks/{app}/{token}/messages/{mid}", self._webhook_edit)
        r("DELETE", "/webhooks/{app}/{token}/messages/{mid}", self._webhook_delete)
        r("GET", "/guilds/{guild_id}", self._get_guild)
        r("GET", "/guilds/{guild_id}/channels", self._get_guild_channels)
        r("POST", "/guilds/{guild_id}/channels", self._create_channel)
        r("PATCH", "/guilds/{guild_id}/channels", self._channel_positions)
        r("GET", "/guilds/{guild_id}/threads/active", self._active_threads)
        r("GET", "/guilds/{guild_id}/roles", self._get_roles)
        r("POST", "/guilds/{guild_id}/roles", self._create_role)
        r("PATCH", "/guilds/{guild_id}/roles", self._role_positions)
        r("GET", "/guilds/{guild_id}/roles/{role_id}", self._get_role)
        r("PATCH", "/guilds/{guild_id}/roles/{role_id}", self._edit_role)
        r("DELETE", "/guilds/{guild_id}/roles/{role_id}", self._delete_role)
        r("GET", "/guilds/{guild_id}/members", self._list_members)
        r("GET", "/guilds/{guild_id}/members/search", self._search_members)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        r("PATCH", "/guilds/{guild_id}/members/{user_id}", self._edit_member)
        r("DELETE", "/guilds/{guild_id}/members/{user_id}", self._kick_member)
        r("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._add_role)
        r("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._remove_role)
        r("GET", "/channels/{channel_id}", self._get_channel)
        r("PATCH", "/channels/{channel_id}", self._edit_channel)
        r("DELETE", "/channels/{channel_id}", self._delete_channel)
        r("PUT", "/channels/{channel_id}/permissions/{target}", self._put_permission)
        r("DELETE", "/channels/{channel_id}/permissions/{target}", self._delete_permission)
        r("POST", "/channels/{channel_id}/typing", self._typing)
        r("GET", "/channels/{channel_id}/messages", self._list_messages)
        r("POST", "/channels/{channel_id}/messages", self._post_message)
        r("POST", "/channels/{channel_id}/messages/bulk-delete", self._bulk_delete)
        r("GET", "/channels/{channel_id}/messages/pins", self._get_pins)
        r("PUT", "/channels/{channel_id}/messages/pins/{message_id}", self._pin)
        r("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", self._unpin)
        r("GET", "/channels/{channel_id}/pins", self._get_pins_legacy)
        r("PUT", "/channels/{channel_id}/pins/{message_id}", self._pin)
        r("DELETE", "/channels/{channel_id}/pins/{message_id}", self._unpin)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message)
        r("POST", "/channels/{channel_id}/threads", self._create_thread)
        r("POST", "/channels/{channel_id}/messages/{message_id}/threads", self._thread_from_message)
        r("GET", "/channels/{channel_id}/threads/archived/public", self._archived_threads)
        r("PUT", "/channels/{channel_id}/thread-members/{user_id}", self._typing)
        r("DELETE", "/channels/{channel_id}/thread-members/{user_id}", self._typing)
