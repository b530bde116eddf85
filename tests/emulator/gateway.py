"""The gateway: the websocket (HELLO, heartbeats, IDENTIFY, RESUME refused, member chunk
requests), READY and GUILD_CREATE, and the dispatch of events to every connected session.

Shards, as Discord has them: IDENTIFY may carry ``shard: [id, count]``; such a session gets only
the guilds whose ``(guild_id >> 22) % count`` is its id (READY's list, GUILD_CREATE, every event
with a ``guild_id``, interactions), DMs go to shard 0 only, READY echoes ``shard``, an invalid shard
closes with 4010 and more than :data:`MAX_GUILDS_PER_SHARD` guilds on one session with 4011
(sharding required). ``GET /gateway/bot`` recommends one shard per 1,000 guilds, as Discord does.
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .base import (
    I_GUILDS,
    PRIVILEGED,
    Req,
    json_response,
)
from .models import (
    Guild,
)

#: Discord's default ``large_threshold`` (IDENTIFY may ask for 50 to 250)
DEFAULT_LARGE_THRESHOLD = 50
#: members per GUILD_MEMBERS_CHUNK event, as Discord sends them
MEMBERS_PER_CHUNK = 1000
#: above this many guilds on one session, Discord closes it with 4011 (sharding required)
MAX_GUILDS_PER_SHARD = 2500
#: guilds per shard that ``GET /gateway/bot`` recommends
GUILDS_PER_RECOMMENDED_SHARD = 1000
#: IDENTIFYs allowed per day, as ``session_start_limit`` reports them
SESSION_START_TOTAL = 1000


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's routing of a guild to a shard."""
    return (guild_id >> 22) % shard_count


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
    #: IDENTIFY's ``large_threshold``: above it, a guild is large (see ``create_guild``)
    large_threshold: int = DEFAULT_LARGE_THRESHOLD
    #: IDENTIFY's ``[shard_id, shard_count]``; None: not sharded (every guild)
    shard: tuple[int, int] | None = None

    def serves(self, guild_id: int | None) -> bool:
        """Whether this session gets the events of ``guild_id`` (None: a DM, shard 0's)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return shard_of(guild_id, count) == shard_id

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        async with self.lock:
            if self.ws.closed:
                return
            s = None
            if op == 0:
                self.seq += 1
                s = self.seq
            await self.ws.send_str(json.dumps({"op": op, "d": d, "s": s, "t": t}))


class GatewayMixin:
    """The gateway side of :class:`~tests.emulator.server.DiscordEmulator`."""

    #: what ``GET /gateway/bot`` recommends; None: one shard per 1,000 guilds, like Discord
    recommended_shards: int | None = None
    #: above this many guilds on one session, IDENTIFY is refused with 4011
    max_guilds_per_shard: int = MAX_GUILDS_PER_SHARD

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

    async def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        intent: int | None = None,
        transform: Callable[[GatewaySession, dict[str, Any]], dict[str, Any] | None] | None = None,
    ) -> int:
        """Send a DISPATCH to every ready session having ``intent`` and serving the event's
        guild (``data["guild_id"]``; none: shard 0's); returns how many got it."""
        raw_guild = data.get("guild_id")
        guild_id = int(raw_guild) if raw_guild not in (None, "None") else None
        sent = 0
        for s in list(self.sessions):
            if not s.ready.is_set() or s.ws.closed:
                continue
            if intent is not None and not (s.intents & intent):
                continue
            if not s.serves(guild_id):
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

    async def _dispatch_guild_create(self, guild: Guild) -> None:
        for s in list(self.sessions):
            if s.ready.is_set() and not s.ws.closed and s.intents & I_GUILDS and s.serves(guild.id):
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
        if d.get("shard") is not None:
            shard = d["shard"]
            valid = isinstance(shard, list) and len(shard) == 2
            if not valid or not 0 <= int(shard[0]) < int(shard[1]):
                await session.ws.close(code=4010, message=b"Invalid shard.")
                return
            session.shard = (int(shard[0]), int(shard[1]))
        guilds = [g for g in list(self.guilds.values()) if session.serves(g.id)]
        if len(guilds) > self.max_guilds_per_shard:
            await session.ws.close(code=4011, message=b"Sharding required.")
            return
        session.intents = intents
        session.identify = d
        session.large_threshold = int(d.get("large_threshold") or DEFAULT_LARGE_THRESHOLD)
        self.identifies.append(d)
        ready = {
            "v": 10,
            "user": {**self.bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
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
        if session.shard is not None:
            ready["shard"] = list(session.shard)
        await session.send(0, ready, "READY")
        if intents & I_GUILDS:
            for guild in guilds:
                await session.send(0, self._guild_payload(guild, session), "GUILD_CREATE")
        session.ready.set()
        self._touch()

    async def _request_members(self, session: GatewaySession, d: dict[str, Any]) -> None:
        """REQUEST_GUILD_MEMBERS (op 8): the members asked for (``user_ids``, or a ``query``
        prefix with a ``limit``, "" and 0 meaning all), in GUILD_MEMBERS_CHUNK events of at most
        :data:`MEMBERS_PER_CHUNK`, like Discord; asked ids that are not members go to
        ``not_found``."""
        guild = self.guilds.get(int(d["guild_id"]))
        if guild is None:
            return
        self.member_requests.append(d)
        members = list(guild.members.values())
        not_found: list[str] = []
        if d.get("user_ids"):
            asked = d["user_ids"] if isinstance(d["user_ids"], list) else [d["user_ids"]]
            ids = {int(x) for x in asked}
            members = [m for m in members if m.user.id in ids]
            not_found = [str(i) for i in sorted(ids - {m.user.id for m in members})]
        elif d.get("query"):
            q = str(d["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(q)]
        if d.get("limit"):
            members = members[: int(d["limit"])]
        chunks = [
            members[i : i + MEMBERS_PER_CHUNK] for i in range(0, len(members), MEMBERS_PER_CHUNK)
        ] or [[]]
        for index, part in enumerate(chunks):
            chunk: dict[str, Any] = {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in part],
                "chunk_index": index,
                "chunk_count": len(chunks),
                "not_found": not_found if index == 0 else [],
            }
            if d.get("nonce"):
                chunk["nonce"] = d["nonce"]
            await session.send(0, chunk, "GUILD_MEMBERS_CHUNK")

    async def _get_gateway(self, req: Req) -> web.Response:
        """``GET /gateway``: the URL only."""
        return json_response({"url": self.gateway_url.rstrip("/")})

    async def _get_gateway_bot(self, req: Req) -> web.Response:
        """``GET /gateway/bot``: the URL, the recommended shard count and the IDENTIFYs left."""
        shards = self.recommended_shards or max(
            1, math.ceil(len(self.guilds) / GUILDS_PER_RECOMMENDED_SHARD)
        )
        return json_response(
            {
                "url": self.gateway_url.rstrip("/"),
                "shards": shards,
                "session_start_limit": {
                    "total": SESSION_START_TOTAL,
                    "remaining": max(0, SESSION_START_TOTAL - len(self.identifies)),
                    "reset_after": 24 * 3600 * 1000,
                    "max_concurrency": 1,
                },
            }
        )
