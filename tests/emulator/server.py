"""The Discord emulator: REST + gateway on one aiohttp port, with in-memory state."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import discord
import yarl
from aiohttp import WSMsgType, web

from .models import (
    CATEGORY,
    DM,
    FORUM,
    PUBLIC_THREAD,
    TEXT,
    Attachment,
    Channel,
    Guild,
    Interaction,
    Member,
    Message,
    Role,
    User,
    iso_now,
    iter_components,
    snowflake,
)

ALL_PERMISSIONS = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions(administrator=True).value
DEFAULT_EVERYONE = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    add_reactions=True,
    embed_links=True,
    attach_files=True,
    use_application_commands=True,
    create_public_threads=True,
    send_messages_in_threads=True,
    connect=True,
    speak=True,
    change_nickname=True,
    create_instant_invite=True,
    use_external_emojis=True,
).value
MANAGE_ROLES = discord.Permissions(manage_roles=True).value
MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True, view_channel=True).value

# Gateway intents
I_GUILDS, I_MEMBERS, I_GUILD_MESSAGES, I_DM, I_CONTENT = 1, 1 << 1, 1 << 9, 1 << 12, 1 << 15
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)

OPT_SUB, OPT_GROUP = 1, 2


class RequestRecord(NamedTuple):
    method: str
    path: str  # relative to /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any


class DiscordHTTPError(Exception):
    def __init__(self, status: int, code: int, message: str, errors: Any = None):
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _empty() -> web.Response:
    return web.Response(status=204)


def _err(status: int, code: int, message: str, errors: Any = None) -> DiscordHTTPError:
    return DiscordHTTPError(status, code, message, errors)


def _not_found(what: str, code: int) -> DiscordHTTPError:
    return DiscordHTTPError(404, code, f"Unknown {what}")


@dataclass
class Req:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: dict[int, tuple[str, bytes, str]]
    headers: Any
    created: list[Message] = field(default_factory=list)


@dataclass(eq=False)
class GatewaySession:
    ws: web.WebSocketResponse
    session_id: str
    intents: int = 0
    seq: int = 0
    identify: dict[str, Any] | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    heartbeats: int = 0

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        async with self.lock:
            if self.ws.closed:
                return
            s = None
            if op == 0:
                self.seq += 1
                s = self.seq
            await self.ws.send_str(json.dumps({"op": op, "d": d, "s": s, "t": t}))


Handler = Callable[..., Awaitable[web.StreamResponse]]


class DiscordEmulator:
    """In-process Discord REST + gateway emulator. See ``tests/emulator/__init__.py``."""

    def __init__(
        self,
        *,
        bot_name: str = "rtes-bot",
        bot_permissions: int = ADMINISTRATOR,
        allow_privileged_intents: bool = True,
        heartbeat_interval_ms: int = 41250,
        valid_tokens: Iterable[str] | None = None,
        click_delay: float = 0.05,
    ) -> None:
        self.bot = User(snowflake(), bot_name, bot=True)
        self.application_id = self.bot.id
        self.bot_permissions = bot_permissions
        self.allow_privileged_intents = allow_privileged_intents
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.valid_tokens = set(valid_tokens) if valid_tokens is not None else None
        self.click_delay = click_delay
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
        self.port: int = 0
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._changed = asyncio.Event()
        self._saved: tuple[str, yarl.URL] | None = None
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._register_routes()

    # ------------------------------------------------------------------ lifecycle
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

    # ------------------------------------------------------------------ small helpers
    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _touch(self) -> None:
        self._changed.set()

    @property
    def connected(self) -> bool:
        return any(s.ready.is_set() and not s.ws.closed for s in self.sessions)

    @property
    def intents(self) -> int | None:
        """Intents of the most recent IDENTIFY."""
        return self.identifies[-1].get("intents") if self.identifies else None

    async def wait_connected(self, count: int = 1, timeout: float = 10) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while sum(1 for s in self.sessions if s.ready.is_set() and not s.ws.closed) < count:  # noqa: ASYNC110
                await asyncio.sleep(0.01)

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = 5,  # noqa: ASYNC109
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

    # ------------------------------------------------------------------ state building (tests)
    def create_user(
        self,
        username: str,
        global_name: str | None = None,
        *,
        bot: bool = False,
        locale: str = "fr",
    ) -> User:
        user = User(snowflake(), username, global_name=global_name, bot=bot, locale=locale)
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str,
        community: bool = False,
        *,
        features: Iterable[str] = (),
        locale: str = "fr",
        channels: Iterable[str] = ("general",),
        owner: User | None = None,
    ) -> Guild:
        gid = snowflake()
        guild = Guild(
            id=gid,
            name=name,
            owner_id=(owner or self.bot).id,
            community=community,
            features=list(features),
            preferred_locale=locale,
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

    def create_role(self, guild: Guild, name: str, *, permissions: int = 0, color: int = 0) -> Role:
        """Create a role as an admin would (position 1, below the bot's role); dispatches GUILD_ROLE_CREATE."""
        role = Role(
            snowflake(),
            guild.id,
            name,
            permissions=permissions,
            color=color,
            position=1,
        )
        # like Discord's API: a new role goes just above @everyone, below the bot's role
        for other in guild.roles.values():
            if other.position >= 1:
                other.position += 1
        guild.roles[role.id] = role
        if self.connected:
            self._spawn(
                self.dispatch(
                    "GUILD_ROLE_CREATE",
                    {"guild_id": str(guild.id), "role": role.payload()},
                    I_GUILDS,
                )
            )
        return role

    def _admin_role(self, guild: Guild) -> Role:
        role = next((r for r in guild.roles.values() if r.name == "Administrateur"), None)
        return role or self.create_role(guild, "Administrateur", permissions=ADMINISTRATOR)

    def _resolve_roles(self, guild: Guild, roles: Iterable[Role | int | str]) -> list[int]:
        out = []
        for r in roles:
            if isinstance(r, Role):
                out.append(r.id)
            elif isinstance(r, int):
                out.append(r)
            else:
                role = guild.role(r)
                if role is None:
                    raise KeyError(f"no role named {r!r} in {guild.name}")
                out.append(role.id)
        return out

    def add_member(
        self,
        guild: Guild,
        user: User,
        roles: Iterable[Role | int | str] = (),
        administrator: bool = False,
    ) -> Member:
        role_ids = self._resolve_roles(guild, roles)
        if administrator:
            role_ids.append(self._admin_role(guild).id)
        member = Member(user, guild.id, roles=role_ids, administrator=administrator)
        guild.members[user.id] = member
        self.users[user.id] = user
        self._touch()
        if self.connected:
            self._spawn(self._dispatch_member_add(guild, member))
        return member

    async def _dispatch_member_add(self, guild: Guild, member: Member) -> None:
        await self.dispatch(
            "GUILD_MEMBER_ADD", {"guild_id": str(guild.id), **member.payload()}, I_MEMBERS
        )

    async def member_join(
        self, guild: Guild, user: User, roles: Iterable[Role | int | str] = ()
    ) -> Member:
        role_ids = self._resolve_roles(guild, roles)
        member = Member(user, guild.id, roles=role_ids)
        guild.members[user.id] = member
        self.users[user.id] = user
        self._touch()
        await self._dispatch_member_add(guild, member)
        return member

    async def member_leave(self, guild: Guild, user: User) -> None:
        guild.members.pop(user.id, None)
        self._touch()
        await self.dispatch(
            "GUILD_MEMBER_REMOVE", {"guild_id": str(guild.id), "user": user.payload()}, I_MEMBERS
        )

    async def set_member_roles(
        self, guild: Guild, user: User, roles: Iterable[Role | int | str]
    ) -> None:
        member = guild.members[user.id]
        member.roles = self._resolve_roles(guild, roles)
        await self._member_update(guild, member)

    # ------------------------------------------------------------------ queries (tests)
    def channel_messages(self, channel: Channel | int) -> list[Message]:
        cid = channel if isinstance(channel, int) else channel.id
        return [m for m in self._channel_messages.get(cid, []) if not m.deleted]

    def dm_channel(self, user: User) -> Channel:
        ch = self._dm_channels.get(user.id)
        if ch is None:
            ch = Channel(snowflake(), DM, None, recipient=user)
            self._dm_channels[user.id] = ch
            self._add_channel(ch)
        return ch

    def dms_to(self, user: User) -> list[Message]:
        ch = self._dm_channels.get(user.id)
        if ch is None:
            return []
        return [m for m in self.channel_messages(ch) if m.author.id == self.bot.id]

    def find_channel(self, guild: Guild, name: str, type: int | None = None) -> Channel | None:
        for ch in guild.channels.values():
            if ch.name == name and (type is None or ch.type == type):
                return ch
        return None

    def threads(self, channel: Channel) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread and c.parent_id == channel.id]

    def find_role(self, guild: Guild, name: str) -> Role | None:
        return guild.role(name)

    def member_roles(self, guild: Guild, user: User) -> list[Role]:
        member = guild.members.get(user.id)
        if member is None:
            return []
        return [guild.roles[r] for r in member.roles if r in guild.roles]

    def member_role_names(self, guild: Guild, user: User) -> set[str]:
        return {r.name for r in self.member_roles(guild, user)}

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        return self.guild_commands.get(guild.id, []) if guild else self.global_commands

    def requests_to(self, method: str, pattern: str) -> list[RequestRecord]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    # ------------------------------------------------------------------ permissions
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
            raise _err(403, 50013, "Missing Permissions")

    # ------------------------------------------------------------------ gateway
    async def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        intent: int | None = None,
        transform: Callable[[GatewaySession, dict[str, Any]], dict[str, Any] | None] | None = None,
    ) -> int:
        """Send a DISPATCH to every ready session having ``intent``; returns how many got it."""
        sent = 0
        for s in list(self.sessions):
            if not s.ready.is_set() or s.ws.closed:
                continue
            if intent is not None and not (s.intents & intent):
                continue
            d = transform(s, data) if transform else data
            if d is None:
                continue
            try:
                await s.send(0, d, event)
                sent += 1
            except (ConnectionError, RuntimeError):
                pass
        return sent

    def _guild_payload(self, guild: Guild, session: GatewaySession) -> dict[str, Any]:
        members = list(guild.members.values())
        if not session.intents & I_MEMBERS:
            members = [m for m in members if m.user.id == self.bot.id]
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
            "large": False,
            "unavailable": False,
            "member_count": len(members),
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

    async def _dispatch_guild_create(self, guild: Guild) -> None:
        for s in list(self.sessions):
            if s.ready.is_set() and not s.ws.closed and s.intents & I_GUILDS:
                await s.send(0, self._guild_payload(guild, s), "GUILD_CREATE")

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session = GatewaySession(ws=ws, session_id=secrets.token_hex(16))
        self.sessions.append(session)
        try:
            await session.send(10, {"heartbeat_interval": self.heartbeat_interval_ms})
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                payload = json.loads(msg.data)
                await self._gateway_op(session, payload.get("op"), payload.get("d"))
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
        return ws

    async def _gateway_op(self, session: GatewaySession, op: int, d: Any) -> None:
        if op == 1:
            session.heartbeats += 1
            await session.send(11, None)
        elif op == 2:
            await self._identify(session, d)
        elif op == 6:  # RESUME: sessions are not kept; ask for a fresh IDENTIFY
            await session.send(9, False)
        elif op == 8:
            await self._request_members(session, d)

    async def _identify(self, session: GatewaySession, d: dict[str, Any]) -> None:
        token = str(d.get("token", ""))
        token = token.removeprefix("Bot ")
        if self.valid_tokens is not None and token not in self.valid_tokens:
            await session.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(d.get("intents", 0))
        if intents & PRIVILEGED and not self.allow_privileged_intents:
            await session.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        session.intents = intents
        session.identify = d
        self.identifies.append(d)
        ready = {
            "v": 10,
            "user": {**self.bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "_trace": ["rtes-discord-emulator"],
        }
        await session.send(0, ready, "READY")
        if intents & I_GUILDS:
            for guild in list(self.guilds.values()):
                await session.send(0, self._guild_payload(guild, session), "GUILD_CREATE")
        session.ready.set()
        self._touch()

    async def _request_members(self, session: GatewaySession, d: dict[str, Any]) -> None:
        guild = self.guilds.get(int(d["guild_id"]))
        if guild is None:
            return
        members = list(guild.members.values())
        if d.get("user_ids"):
            ids = {
                int(x)
                for x in (d["user_ids"] if isinstance(d["user_ids"], list) else [d["user_ids"]])
            }
            members = [m for m in members if m.user.id in ids]
        elif d.get("query"):
            q = str(d["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(q)]
        if d.get("limit"):
            members = members[: int(d["limit"])]
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce"):
            chunk["nonce"] = d["nonce"]
        await session.send(0, chunk, "GUILD_MEMBERS_CHUNK")

    # ------------------------------------------------------------------ REST plumbing
    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        att = self.attachments.get(int(request.match_info["att"]))
        if att is None:
            return _json({"message": "404: Not Found", "code": 0}, 404)
        return web.Response(body=att.data, headers={"Content-Type": att.content_type})

    async def _api_unknown(self, request: web.Request) -> web.StreamResponse:
        rec = RequestRecord(request.method, request.path, dict(request.query), None)
        self.unhandled.append(rec)
        return _json({"message": "404: Not Found", "code": 0}, 404)

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
            return _json({"message": "404: Not Found", "code": 0}, 404)
        try:
            if not path.startswith(("/interactions/", "/webhooks/")):
                self._check_auth(request)
            resp = await handler(req, **m.groupdict())
        except DiscordHTTPError as e:
            self.errors.append(rec)
            data: dict[str, Any] = {"message": e.message, "code": e.code}
            if e.errors is not None:
                data["errors"] = e.errors
            resp = _json(data, e.status)
        await resp.prepare(request)
        await resp.write_eof()
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
            raise _err(401, 0, "401: Unauthorized")

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
        r("GET", "/gateway/bot", self._get_gateway)
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

    # ------------------------------------------------------------------ lookups
    def _guild(self, guild_id: str) -> Guild:
        g = self.guilds.get(int(guild_id)) if guild_id.isdigit() else None
        if g is None:
            raise _not_found("Guild", 10004)
        return g

    def _channel(self, channel_id: str) -> Channel:
        ch = self.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if ch is None:
            raise _not_found("Channel", 10003)
        return ch

    def _role(self, guild: Guild, role_id: str) -> Role:
        role = guild.roles.get(int(role_id)) if role_id.isdigit() else None
        if role is None:
            raise _not_found("Role", 10011)
        return role

    def _member(self, guild: Guild, user_id: str) -> Member:
        member = guild.members.get(int(user_id)) if user_id.isdigit() else None
        if member is None:
            raise _not_found("Member", 10007)
        return member

    def _message(self, channel: Channel, message_id: str) -> Message:
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg.deleted or msg.channel_id != channel.id:
            raise _not_found("Message", 10008)
        return msg

    # ------------------------------------------------------------------ users / app / commands
    async def _get_me(self, req: Req) -> web.Response:
        return _json({**self.bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0})

    async def _get_user(self, req: Req, user_id: str) -> web.Response:
        user = self.users.get(int(user_id)) if user_id.isdigit() else None
        if user is None:
            raise _not_found("User", 10013)
        return _json(user.payload())

    async def _get_application(self, req: Req) -> web.Response:
        return _json(
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
                "flags": 0,
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

    async def _get_gateway(self, req: Req) -> web.Response:
        return _json(
            {
                "url": self.gateway_url.rstrip("/"),
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
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
            return _json(self.guild_commands.get(int(guild_id), []))
        return _json(self.global_commands)

    async def _put_commands(self, req: Req, app: str, guild_id: str | None = None) -> web.Response:
        if int(app) != self.application_id:
            raise _err(403, 50001, "Missing Access")
        body = req.json or []
        names = [(c.get("name"), c.get("type", 1)) for c in body]
        if len(names) != len(set(names)):
            raise _err(
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
        return _json(cmds)

    async def _post_command(self, req: Req, app: str, guild_id: str | None = None) -> web.Response:
        body = req.json or {}
        self._validate_command(body)
        cmd = self._store_command(body, guild_id)
        store = (
            self.guild_commands.setdefault(int(guild_id), []) if guild_id else self.global_commands
        )
        store[:] = [c for c in store if c["name"] != cmd["name"]] + [cmd]
        return _json(cmd, 201)

    def _validate_command(self, c: dict[str, Any], depth: int = 0) -> None:
        name = c.get("name", "")
        if not re.fullmatch(r"[-_\w]{1,32}", name) or (
            c.get("type", 1) == 1 and name != name.lower()
        ):
            raise _err(400, 50035, "Invalid Form Body", {"name": f"invalid command name {name!r}"})
        if c.get("type", 1) == 1 and not 1 <= len(c.get("description", "")) <= 100:
            raise _err(
                400, 50035, "Invalid Form Body", {"description": f"bad description on {name!r}"}
            )
        opts = c.get("options") or []
        if len(opts) > 25:
            raise _err(400, 50035, "Invalid Form Body", {"options": "more than 25 options"})
        seen_optional = False
        for o in opts:
            if o.get("type") in (OPT_SUB, OPT_GROUP):
                self._validate_command({**o, "type": 1}, depth + 1)
                continue
            self._validate_command(
                {"name": o.get("name", ""), "description": o.get("description", "")}
            )
            if o.get("required") and seen_optional:
                raise _err(
                    400,
                    50035,
                    "Invalid Form Body",
                    {"options": f"required option {o['name']!r} after an optional one"},
                )
            seen_optional = seen_optional or not o.get("required")
            if len(o.get("choices") or []) > 25:
                raise _err(400, 50035, "Invalid Form Body", {"choices": "more than 25 choices"})

    # ------------------------------------------------------------------ message creation
    def _validate_message(self, data: dict[str, Any], has_files: bool, edit: bool = False) -> None:
        def bad(msg: str) -> DiscordHTTPError:
            return _err(400, 50035, "Invalid Form Body", {"_errors": [{"message": msg}]})

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
            raise _err(400, 50006, "Cannot send an empty message")

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
                    content_type=_guess_type(name, ctype),
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

    # ------------------------------------------------------------------ interactions REST
    def _interaction(self, iid: str, token: str) -> Interaction:
        inter = self._by_token.get(token)
        if inter is None or str(inter.id) != iid:
            raise _not_found("interaction", 10062)
        return inter

    async def _callback(self, req: Req, iid: str, token: str) -> web.Response:
        inter = self._interaction(iid, token)
        if inter.response is not None:
            raise _err(400, 40060, "Interaction has already been acknowledged.")
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
                raise _err(
                    400, 50035, "Invalid Form Body", {"choices": "Must be 25 or fewer in length."}
                )
        if rtype in (4, 5, 7, 9) and inter.type == 4:
            raise _err(400, 50035, "Invalid Form Body", {"type": "autocomplete expects type 8"})
        if rtype in (6, 7) and inter.type not in (3, 5):
            raise _err(400, 40004, "Interaction type does not support this response type")
        if rtype == 9 and inter.type == 5:
            raise _err(400, 40004, "A modal cannot answer a modal submit")
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
        return _json(answer)

    def _validate_modal(self, data: dict[str, Any]) -> None:
        def bad(msg: str) -> DiscordHTTPError:
            return _err(400, 50035, "Invalid Form Body", {"_errors": [{"message": msg}]})

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
            raise _not_found("Webhook", 10015)
        if inter.response is None:
            raise _not_found("Webhook", 10015)
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
            return _json(msg.payload())
        return _empty()

    def _webhook_message(self, inter: Interaction, mid: str) -> Message:
        if mid == "@original":
            msg = inter.original
            if msg is None:
                raise _not_found("Message", 10008)
            return msg
        msg = self.messages.get(int(mid)) if mid.isdigit() else None
        if msg is None or msg.deleted:
            raise _not_found("Message", 10008)
        return msg

    async def _webhook_get(self, req: Req, app: str, token: str, mid: str) -> web.Response:
        inter = self._webhook_inter(app, token)
        return _json(self._webhook_message(inter, mid).payload())

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
        return _json(msg.payload())

    async def _webhook_delete(self, req: Req, app: str, token: str, mid: str) -> web.Response:
        inter = self._webhook_inter(app, token)
        msg = self._webhook_message(inter, mid)
        await self._delete_msg(msg)
        inter.followup_event.set()
        return _empty()

    async def _delete_msg(self, msg: Message) -> None:
        msg.deleted = True
        self._touch()
        if not msg.ephemeral:
            d = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                d["guild_id"] = str(msg.guild_id)
            await self.dispatch("MESSAGE_DELETE", d, I_GUILD_MESSAGES if msg.guild_id else I_DM)

    # ------------------------------------------------------------------ guilds / channels
    async def _get_guild(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        data = {
            k: v
            for k, v in self._guild_payload(g, _FULL).items()
            if k not in ("members", "channels", "threads", "presences", "voice_states")
        }
        data["approximate_member_count"] = len(g.members)
        return _json(data)

    async def _get_guild_channels(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        return _json([c.payload() for c in g.channels.values() if not c.is_thread])

    def _assign_tag_ids(self, tags: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        if len(tags) > 20:
            raise _err(
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
                raise _err(400, 50035, "Invalid Form Body", {"available_tags": "tag name ≤ 20"})
            out.append(tag)
        return out

    async def _create_channel(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_CHANNELS)
        body = req.json or {}
        ctype = int(body.get("type") or 0)
        if ctype == FORUM and not g.community:
            raise _err(400, 50024, "Cannot execute action on this channel type")
        if ctype not in (0, 2, 4, 5, 13, 15, 16):
            raise _err(400, 50035, "Invalid Form Body", {"type": "invalid channel type"})
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise _err(
                400, 50035, "Invalid Form Body", {"name": "Must be between 1 and 100 in length."}
            )
        if ctype in (TEXT, 5, FORUM):
            name = _slug_channel_name(name)
        parent_id = int(body["parent_id"]) if body.get("parent_id") else None
        if parent_id is not None:
            parent = self.channels.get(parent_id)
            if parent is None or parent.type != CATEGORY or parent.guild_id != g.id:
                raise _err(400, 50035, "Invalid Form Body", {"parent_id": "not a category"})
        overwrites = [_norm_overwrite(o) for o in body.get("permission_overwrites") or []]
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
        return _json(ch.payload(), 201)

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
        return _empty()

    async def _get_channel(self, req: Req, channel_id: str) -> web.Response:
        return _json(self._channel(channel_id).payload())

    async def _edit_channel(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        body = req.json or {}
        if ch.type == DM:
            raise _err(400, 50024, "Cannot execute action on a DM channel")
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
                    raise _err(400, 50035, "Invalid Form Body", {"applied_tags": "unknown tag"})
                ch.applied_tags = tags
            self._touch()
            await self.dispatch("THREAD_UPDATE", ch.payload(), I_GUILDS)
            return _json(ch.payload())
        self._require(g, MANAGE_CHANNELS, ch)
        if ch.type == FORUM and "type" in body and body["type"] != FORUM:
            raise _err(400, 50024, "Cannot execute action on this channel type")
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
            ch.name = _slug_channel_name(str(body["name"]))
        if "parent_id" in body:
            ch.parent_id = int(body["parent_id"]) if body["parent_id"] else None
        if "permission_overwrites" in body:
            ch.permission_overwrites = [
                _norm_overwrite(o) for o in body["permission_overwrites"] or []
            ]
        if "available_tags" in body:
            if ch.type != FORUM:
                raise _err(400, 50035, "Invalid Form Body", {"available_tags": "not a forum"})
            ch.available_tags = self._assign_tag_ids(body["available_tags"] or [])
        self._touch()
        await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return _json(ch.payload())

    async def _delete_channel(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        if ch.type == DM:
            return _json(ch.payload())
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
        return _json(payload)

    async def _put_permission(self, req: Req, channel_id: str, target: str) -> web.Response:
        ch = self._channel(channel_id)
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        self._require(g, MANAGE_ROLES, ch)
        body = req.json or {}
        ow = _norm_overwrite({"id": target, **body})
        ch.permission_overwrites = [o for o in ch.permission_overwrites if o["id"] != ow["id"]] + [
            ow
        ]
        self._touch()
        await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return _empty()

    async def _delete_permission(self, req: Req, channel_id: str, target: str) -> web.Response:
        ch = self._channel(channel_id)
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        self._require(g, MANAGE_ROLES, ch)
        ch.permission_overwrites = [o for o in ch.permission_overwrites if o["id"] != target]
        self._touch()
        await self.dispatch("CHANNEL_UPDATE", ch.payload(), I_GUILDS)
        return _empty()

    async def _typing(self, req: Req, channel_id: str, user_id: str | None = None) -> web.Response:
        self._channel(channel_id)
        return _empty()

    # ------------------------------------------------------------------ messages
    def _check_send(self, ch: Channel) -> None:
        if ch.type == DM:
            return
        if ch.type in (CATEGORY, FORUM):
            raise _err(400, 50008, "Cannot send messages in a non-text channel")
        g = self.guilds[ch.guild_id]  # type: ignore[index]
        self._require(g, SEND_MESSAGES, ch)
        if ch.is_thread and (ch.archived or ch.locked):
            if ch.locked:
                raise _err(400, 50083, "Thread is archived")
            ch.archived = False  # sending unarchives a thread
            self._spawn(self.dispatch("THREAD_UPDATE", ch.payload(), I_GUILDS))

    async def _list_messages(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        limit = min(int(req.query.get("limit", 50)), 100)
        msgs = [m for m in self.channel_messages(ch) if not m.ephemeral]
        if "before" in req.query:
            msgs = [m for m in msgs if m.id < int(req.query["before"])]
        if "after" in req.query:
            msgs = [m for m in msgs if m.id > int(req.query["after"])]
            return _json([m.payload() for m in sorted(msgs, key=lambda m: m.id)[:limit]][::-1])
        msgs = sorted(msgs, key=lambda m: m.id, reverse=True)[:limit]
        return _json([m.payload() for m in msgs])

    async def _post_message(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        self._check_send(ch)
        data = req.json or {}
        self._validate_message(data, bool(req.files))
        if int(data.get("flags") or 0) & 64:
            raise _err(
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
        return _json(msg.payload())

    async def _get_message(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        return _json(self._message(ch, message_id).payload())

    async def _edit_message(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        msg = self._message(ch, message_id)
        if msg.author.id != self.bot.id:
            raise _err(403, 50005, "Cannot edit a message authored by another user")
        self._apply_edit(msg, req.json or {}, req.files)
        if msg.returned is None:
            msg.returned = asyncio.Event()
        msg.returned.clear()
        req.created.append(msg)
        await self._dispatch_message(msg, "MESSAGE_UPDATE")
        return _json(msg.payload())

    async def _delete_message(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        msg = self._message(ch, message_id)
        await self._delete_msg(msg)
        return _empty()

    async def _bulk_delete(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        for mid in (req.json or {}).get("messages", []):
            await self._delete_msg(self._message(ch, str(mid)))
        return _empty()

    async def _get_pins(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        items = [
            {"pinned_at": m.edited_timestamp or m.timestamp, "message": m.payload()}
            for m in self.channel_messages(ch)
            if m.pinned
        ]
        return _json({"items": items[::-1], "has_more": False})

    async def _get_pins_legacy(self, req: Req, channel_id: str) -> web.Response:
        ch = self._channel(channel_id)
        return _json([m.payload() for m in self.channel_messages(ch) if m.pinned][::-1])

    async def _pin(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
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
        return _empty()

    async def _unpin(self, req: Req, channel_id: str, message_id: str) -> web.Response:
        ch = self._channel(channel_id)
        self._message(ch, message_id).pinned = False
        self._touch()
        return _empty()

    # ------------------------------------------------------------------ threads
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
            raise _err(
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
            raise _err(400, 50024, "Cannot execute action on this channel type")
        body = req.json or {}
        g = self.guilds[parent.guild_id]  # type: ignore[index]
        self._require(g, SEND_MESSAGES, parent)
        if parent.type in (FORUM, 16):
            mdata = body.get("message")
            if not isinstance(mdata, dict):
                raise _err(400, 50035, "Invalid Form Body", {"message": "required for forum posts"})
            self._validate_message(mdata, bool(req.files))
            th = self._new_thread(parent, str(body.get("name") or ""), body)
            tags = body.get("applied_tags", mdata.get("applied_tags")) or []
            valid = {int(t["id"]) for t in parent.available_tags}
            tags = [int(t) for t in tags]
            if any(t not in valid for t in tags) or len(tags) > 5:
                raise _err(400, 50035, "Invalid Form Body", {"applied_tags": "unknown tag"})
            th.applied_tags = tags
            self._add_channel(th)
            msg = self._new_message(th, self.bot, mdata, req.files, msg_id=th.id, req=req)
            await self.dispatch("THREAD_CREATE", {**th.payload(), "newly_created": True}, I_GUILDS)
            await self._dispatch_message(msg)
            return _json({**th.payload(), "message": msg.payload()}, 201)
        ttype = int(body.get("type") or PUBLIC_THREAD)
        th = self._new_thread(parent, str(body.get("name") or ""), body, ttype=ttype)
        self._add_channel(th)
        await self.dispatch("THREAD_CREATE", {**th.payload(), "newly_created": True}, I_GUILDS)
        return _json(th.payload(), 201)

    async def _thread_from_message(
        self, req: Req, channel_id: str, message_id: str
    ) -> web.Response:
        parent = self._channel(channel_id)
        msg = self._message(parent, message_id)
        if msg.thread_id:
            raise _err(400, 160004, "A thread has already been created for this message")
        body = req.json or {}
        th = self._new_thread(parent, str(body.get("name") or ""), body, tid=msg.id)
        msg.thread_id = th.id
        self._add_channel(th)
        await self.dispatch("THREAD_CREATE", {**th.payload(), "newly_created": True}, I_GUILDS)
        return _json(th.payload(), 201)

    async def _active_threads(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        ths = [c.payload() for c in g.channels.values() if c.is_thread and not c.archived]
        return _json({"threads": ths, "members": []})

    async def _archived_threads(self, req: Req, channel_id: str) -> web.Response:
        ths = [
            c.payload()
            for c in self.channels.values()
            if c.is_thread and c.archived and c.parent_id == int(channel_id)
        ]
        return _json({"threads": ths, "members": [], "has_more": False})

    # ------------------------------------------------------------------ roles
    async def _get_roles(self, req: Req, guild_id: str) -> web.Response:
        return _json([r.payload() for r in self._guild(guild_id).roles.values()])

    async def _get_role(self, req: Req, guild_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        return _json(self._role(g, role_id).payload())

    def _apply_role(self, role: Role, body: dict[str, Any]) -> None:
        if "name" in body and body["name"] is not None:
            if len(body["name"]) > 100:
                raise _err(
                    400, 50035, "Invalid Form Body", {"name": "Must be 100 or fewer in length."}
                )
            role.name = body["name"]
        if body.get("permissions") is not None:
            role.permissions = int(body["permissions"])
        if body.get("colors"):
            role.color = int(body["colors"].get("primary_color") or 0)
        elif body.get("color") is not None:
            role.color = int(body["color"])
        for key in ("hoist", "mentionable"):
            if body.get(key) is not None:
                setattr(role, key, bool(body[key]))

    def _bot_top(self, g: Guild) -> int:
        return max(
            (g.roles[r].position for r in g.members[self.bot.id].roles if r in g.roles), default=0
        )

    async def _create_role(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        if len(g.roles) >= 250:
            raise _err(400, 30005, "Maximum number of guild roles reached (250)")
        role = Role(snowflake(), g.id, "new role", position=1)
        self._apply_role(role, req.json or {})
        for other in g.roles.values():
            if other.position >= 1:
                other.position += 1
        g.roles[role.id] = role
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(g.id), "role": role.payload()}, I_GUILDS
        )
        return _json(role.payload())

    async def _edit_role(self, req: Req, guild_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        role = self._role(g, role_id)
        if role.managed and set(req.json or {}) - {"position"}:
            raise _err(400, 50028, "Invalid role")
        if role.position >= self._bot_top(g) and role.id != g.id and not g.owner_id == self.bot.id:
            raise _err(403, 50013, "Missing Permissions")
        self._apply_role(role, req.json or {})
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(g.id), "role": role.payload()}, I_GUILDS
        )
        return _json(role.payload())

    async def _role_positions(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        for item in req.json or []:
            role = self._role(g, str(item["id"]))
            role.position = int(item["position"])
            await self.dispatch(
                "GUILD_ROLE_UPDATE", {"guild_id": str(g.id), "role": role.payload()}, I_GUILDS
            )
        return _json([r.payload() for r in g.roles.values()])

    async def _delete_role(self, req: Req, guild_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        role = self._role(g, role_id)
        if role.id == g.id or role.managed:
            raise _err(400, 50028, "Invalid role")
        del g.roles[role.id]
        for m in g.members.values():
            if role.id in m.roles:
                m.roles.remove(role.id)
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_DELETE", {"guild_id": str(g.id), "role_id": str(role.id)}, I_GUILDS
        )
        return _empty()

    # ------------------------------------------------------------------ members
    async def _member_update(self, g: Guild, member: Member) -> None:
        self._touch()
        await self.dispatch(
            "GUILD_MEMBER_UPDATE", {"guild_id": str(g.id), **member.payload()}, I_MEMBERS
        )

    async def _list_members(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        limit = min(int(req.query.get("limit", 1)), 1000)
        after = int(req.query.get("after", 0))
        ms = sorted((m for m in g.members.values() if m.user.id > after), key=lambda m: m.user.id)
        return _json([m.payload() for m in ms[:limit]])

    async def _search_members(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        q = req.query.get("query", "").lower()
        ms = [
            m
            for m in g.members.values()
            if m.user.username.lower().startswith(q) or (m.nick or "").lower().startswith(q)
        ]
        return _json([m.payload() for m in ms[: int(req.query.get("limit", 1))]])

    async def _get_member(self, req: Req, guild_id: str, user_id: str) -> web.Response:
        g = self._guild(guild_id)
        return _json(self._member(g, user_id).payload())

    def _check_assignable(self, g: Guild, role: Role) -> None:
        self._require(g, MANAGE_ROLES)
        if role.managed or role.id == g.id:
            raise _err(400, 50028, "Invalid role")
        if role.position >= self._bot_top(g) and g.owner_id != self.bot.id:
            raise _err(403, 50013, "Missing Permissions")

    async def _edit_member(self, req: Req, guild_id: str, user_id: str) -> web.Response:
        g = self._guild(guild_id)
        member = self._member(g, user_id)
        body = req.json or {}
        if "roles" in body:
            new = [int(r) for r in body["roles"] or []]
            for rid in set(new) ^ set(member.roles):
                role = g.roles.get(rid)
                if role is None:
                    raise _not_found("Role", 10011)
                if not (role.managed and rid in member.roles):
                    self._check_assignable(g, role)
            member.roles = new
        if "nick" in body:
            member.nick = body["nick"]
        await self._member_update(g, member)
        return _json(member.payload())

    async def _kick_member(self, req: Req, guild_id: str, user_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, discord.Permissions(kick_members=True).value)
        member = self._member(g, user_id)
        await self.member_leave(g, member.user)
        return _empty()

    async def _add_role(self, req: Req, guild_id: str, user_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        member = self._member(g, user_id)
        role = self._role(g, role_id)
        self._check_assignable(g, role)
        if role.id not in member.roles:
            member.roles.append(role.id)
            await self._member_update(g, member)
        return _empty()

    async def _remove_role(
        self, req: Req, guild_id: str, user_id: str, role_id: str
    ) -> web.Response:
        g = self._guild(guild_id)
        member = self._member(g, user_id)
        role = self._role(g, role_id)
        self._check_assignable(g, role)
        if role.id in member.roles:
            member.roles.remove(role.id)
            await self._member_update(g, member)
        return _empty()

    # ------------------------------------------------------------------ DMs
    async def _create_dm(self, req: Req) -> web.Response:
        body = req.json or {}
        user = self.users.get(int(body.get("recipient_id", 0)))
        if user is None:
            raise _not_found("User", 10013)
        if user.bot:
            raise _err(400, 50007, "Cannot send messages to this user")
        return _json(self.dm_channel(user).payload())

    # ------------------------------------------------------------------ user-side actions (tests)
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
                else Attachment(snowflake(), f[0], f[1], content_type=_guess_type(f[0], ""))
            )
            att.url = f"{self.base_url}/attachments/{channel_id}/{att.id}/{att.filename}"
            self.attachments[att.id] = att
            out.append(att)
        return out

    # ------------------------------------------------------------------ interactions (tests)
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
        timeout: float = 5,  # noqa: ASYNC109
    ) -> tuple[dict[str, Any], bool]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._find_command(guild, name)
            except LookupError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.02)

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
                ctype = value[2] if len(value) > 2 else _guess_type(name, "")
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
        timeout: float = 5,  # noqa: ASYNC109
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
            await inter.wait_done(timeout)
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
        timeout: float = 5,  # noqa: ASYNC109
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
        await inter.wait_done(timeout, followup=False)
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
        timeout: float = 5,  # noqa: ASYNC109
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
            async with asyncio.timeout(timeout):
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
            await inter.wait_done(timeout)
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
        timeout: float = 5,  # noqa: ASYNC109
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
            await inter.wait_done(timeout)
        return inter


class _FullIntents:
    intents = -1


_FULL: Any = _FullIntents()


def _norm_overwrite(o: dict[str, Any]) -> dict[str, Any]:
    otype = o.get("type", 0)
    if otype in ("role", "member"):
        otype = 0 if otype == "role" else 1
    return {
        "id": str(o["id"]),
        "type": int(otype),
        "allow": str(o.get("allow") or 0),
        "deny": str(o.get("deny") or 0),
    }


def _slug_channel_name(name: str) -> str:
    out = re.sub(r"\s+", "-", name.strip().lower())
    return out[:100]


def _guess_type(name: str, given: str) -> str:
    if given and given != "application/octet-stream":
        return given
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "json": "application/json",
        "pdf": "application/pdf",
    }.get(ext, "application/octet-stream")
