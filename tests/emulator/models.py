"""State objects of the Discord emulator (plain dataclasses, no I/O)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH = 1420070400000
_lock = threading.Lock()
_counter = itertools.count()
_last = [0]


def snowflake(shard: tuple[int, int] | None = None) -> int:
    """A real, strictly increasing snowflake (timestamp in the top bits). ``shard=(id, count)``:
    one that Discord routes to that shard (``(value >> 22) % count == id``: its timestamp moved
    forward by less than ``count`` milliseconds)."""
    with _lock:
        ms = int(time.time() * 1000) - DISCORD_EPOCH
        value = (ms << 22) | ((next(_counter) & 0xFFF) << 0) | (1 << 17)
        if value <= _last[0]:
            value = _last[0] + 1
        if shard is not None:
            shard_id, count = shard
            value += (((shard_id - (value >> 22)) % count) << 22) if count else 0
        _last[0] = value
        return value


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


# Channel types
TEXT, DM, CATEGORY, NEWS, PUBLIC_THREAD, PRIVATE_THREAD, FORUM = 0, 1, 4, 5, 11, 12, 15
THREAD_TYPES = (10, 11, 12)


@dataclass(eq=False)
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "fr"

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    position: int = 0
    managed: bool = False
    tags: dict[str, Any] | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.tags is not None:
            data["tags"] = self.tags
        return data


@dataclass(eq=False)
class Channel:
    id: int
    type: int
    name: str | None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0
    permission_overwrites: list[dict[str, Any]] = field(default_factory=list)
    available_tags: list[dict[str, Any]] = field(default_factory=list)
    applied_tags: list[int] = field(default_factory=list)
    default_auto_archive_duration: int = 1440
    flags: int = 0
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    archive_timestamp: str = field(default_factory=iso_now)
    create_timestamp: str = field(default_factory=iso_now)
    message_count: int = 0
    # DMs
    recipient: User | None = None
    last_message_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    def tag_id(self, name: str) -> int | None:
        for tag in self.available_tags:
            if tag["name"] == name:
                return int(tag["id"])
        return None

    def payload(self) -> dict[str, Any]:
        if self.type == DM:
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": str(self.last_message_id) if self.last_message_id else None,
                "recipients": [self.recipient.payload()] if self.recipient else [],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "guild_id": str(self.guild_id),
            "position": self.position,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "nsfw": self.nsfw,
            "rate_limit_per_user": self.rate_limit_per_user,
            "flags": self.flags,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
        }
        if self.is_thread:
            data.update(
                owner_id=str(self.owner_id),
                message_count=self.message_count,
                member_count=1,
                total_message_sent=self.message_count,
                applied_tags=[str(t) for t in self.applied_tags],
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.archive_timestamp,
                    "locked": self.locked,
                    "invitable": True,
                    "create_timestamp": self.create_timestamp,
                },
            )
        else:
            data.update(
                topic=self.topic,
                permission_overwrites=[dict(o) for o in self.permission_overwrites],
                default_auto_archive_duration=self.default_auto_archive_duration,
            )
            if self.type == FORUM:
                data.update(
                    available_tags=[dict(t) for t in self.available_tags],
                    default_reaction_emoji=None,
                    default_sort_order=None,
                    default_forum_layout=0,
                    default_thread_rate_limit_per_user=0,
                )
        data.update(self.extra)
        return data


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)
    administrator: bool = False

    def payload(self, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    community: bool = False
    features: list[str] = field(default_factory=list)
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    preferred_locale: str = "fr"
    #: announced as a large guild (GUILD_CREATE without its members: they come in chunks, on
    #: request); None: large when it has more members than the IDENTIFY's ``large_threshold``
    large: bool | None = False

    @property
    def default_role(self) -> Role:
        return self.roles[self.id]

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles.values() if r.name == name), None)

    def channel(self, name: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.name == name), None)

    def all_features(self) -> list[str]:
        feats = list(self.features)
        if self.community and "COMMUNITY" not in feats:
            feats.append("COMMUNITY")
        return feats


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"
    description: str | None = None
    url: str = ""

    @property
    def name(self) -> str:
        return self.filename

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description:
            data["description"] = self.description
        return data


BUTTON, SELECT_TYPES, TEXT_INPUT = 2, (3, 5, 6, 7, 8), 4


def iter_components(components: list[dict[str, Any]]):
    """Depth-first walk over a component tree (rows, containers, sections, labels)."""
    for comp in components or []:
        yield comp
        for key in ("components",):
            if isinstance(comp.get(key), list):
                yield from iter_components(comp[key])
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                yield from iter_components([comp[key]])


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    guild_id: int | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_id: int | None = None
    mentions: list[User] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    pinned: bool = False
    deleted: bool = False
    allowed_mentions: dict[str, Any] | None = None
    thread_id: int | None = None
    member: Member | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    # set once the HTTP response that created the message was returned to the bot
    returned: asyncio.Event | None = None
    returned_at: float | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def loading(self) -> bool:
        return bool(self.flags & 128)

    @property
    def text(self) -> str:
        return message_text(self)

    def find_component(
        self, custom_id: str | None = None, label: str | None = None
    ) -> dict[str, Any] | None:
        for comp in iter_components(self.components):
            if comp.get("type") in (1, 9, 17, 18):  # containers
                continue
            if custom_id is not None and comp.get("custom_id") != custom_id:
                continue
            if label is not None and comp.get("label") != label:
                continue
            if custom_id is None and label is None:
                continue
            return comp
        return None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in iter_components(self.components) if c.get("type") == BUTTON]

    @property
    def selects(self) -> list[dict[str, Any]]:
        return [c for c in iter_components(self.components) if c.get("type") in SELECT_TYPES]

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": self.mention_everyone,
            "mentions": [u.payload() for u in self.mentions],
            "mention_roles": [str(r) for r in self.mention_roles],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": list(self.embeds),
            "components": list(self.components),
            "pinned": self.pinned,
            "flags": self.flags,
        }
        if self.guild_id:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id:
            data["application_id"] = str(self.application_id)
        if self.member is not None:
            data["member"] = self.member.payload(with_user=False)
        return data


def message_text(msg: Message) -> str:
    parts: list[str] = []
    if msg.content:
        parts.append(msg.content)
    for emb in msg.embeds:
        for key in ("title", "description"):
            if emb.get(key):
                parts.append(str(emb[key]))
        for fld in emb.get("fields", []) or []:
            parts.append(f"{fld.get('name', '')}: {fld.get('value', '')}")
        if (emb.get("footer") or {}).get("text"):
            parts.append(emb["footer"]["text"])
        if (emb.get("author") or {}).get("name"):
            parts.append(emb["author"]["name"])
    for comp in iter_components(msg.components):
        if comp.get("type") == 10 and comp.get("content"):  # text display (components v2)
            parts.append(comp["content"])
    return "\n".join(parts)


@dataclass(eq=False)
class Interaction:
    """What the emulator knows about one interaction it injected."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    user: User
    guild_id: int | None
    channel_id: int
    source_message: Message | None = None
    response: dict[str, Any] | None = None
    callback_type: int | None = None
    original: Message | None = None
    messages: list[Message] = field(default_factory=list)
    followups: list[Message] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    callback_event: asyncio.Event = field(default_factory=asyncio.Event)
    followup_event: asyncio.Event = field(default_factory=asyncio.Event)
    error: str | None = None

    @property
    def modal(self) -> dict[str, Any] | None:
        if self.response and self.response.get("type") == 9:
            return self.response.get("data")
        return None

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    @property
    def ephemeral(self) -> bool:
        return any(m.ephemeral for m in self.messages)

    @property
    def text(self) -> str:
        return "\n".join(t for t in (message_text(m) for m in self.messages if not m.deleted) if t)

    @property
    def message(self) -> Message | None:
        """The last visible message produced by this interaction."""
        live = [m for m in self.messages if not m.deleted]
        return live[-1] if live else None

    async def wait_done(self, timeout: float = 15, followup: bool | None = None) -> Interaction:  # noqa: ASYNC109
        """Wait for the callback and, when deferred (5/6), for the first follow-up or edit."""
        async with asyncio.timeout(timeout):
            await self.callback_event.wait()
            need = self.deferred if followup is None else followup
            if need:
                await self.followup_event.wait()
        return self

    async def wait_messages(self, count: int, timeout: float = 5) -> list[Message]:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while len(self.messages) < count:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        return self.messages
