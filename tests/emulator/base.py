"""What every part of the emulator shares: permission and intent constants, the request record,
Discord-style HTTP errors and JSON answers, and small payload helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import discord
from aiohttp import web

from .models import Message

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
MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
READ_HISTORY = discord.Permissions(view_channel=True, read_message_history=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True, view_channel=True).value
ATTACH_FILES = discord.Permissions(attach_files=True).value
CREATE_PUBLIC_THREADS = discord.Permissions(create_public_threads=True, view_channel=True).value
CREATE_PRIVATE_THREADS = discord.Permissions(create_private_threads=True, view_channel=True).value
MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True, view_channel=True).value

# Gateway intents
I_GUILDS, I_MEMBERS, I_GUILD_MESSAGES, I_DM, I_CONTENT = 1, 1 << 1, 1 << 9, 1 << 12, 1 << 15
PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)

#: application command option types that nest options (subcommand, subcommand group)
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


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON answer with exactly ``application/json`` (discord.py wants no charset)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def no_content() -> web.Response:
    return web.Response(status=204)


def http_error(status: int, code: int, message: str, errors: Any = None) -> DiscordHTTPError:
    return DiscordHTTPError(status, code, message, errors)


def not_found(what: str, code: int) -> DiscordHTTPError:
    return DiscordHTTPError(404, code, f"Unknown {what}")


@dataclass
class Req:
    """One REST request as the handlers see it (``created``: bot messages it created, marked
    as returned once the HTTP answer is written)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: dict[int, tuple[str, bytes, str]]
    headers: Any
    created: list[Message] = field(default_factory=list)


Handler = Callable[..., Awaitable[web.StreamResponse]]


class _FullIntents:
    intents = -1


#: a stand-in gateway session with every intent (REST answers show everything)
FULL_INTENTS: Any = _FullIntents()


def norm_overwrite(o: dict[str, Any]) -> dict[str, Any]:
    otype = o.get("type", 0)
    if otype in ("role", "member"):
        otype = 0 if otype == "role" else 1
    return {
        "id": str(o["id"]),
        "type": int(otype),
        "allow": str(o.get("allow") or 0),
        "deny": str(o.get("deny") or 0),
    }


def slug_channel_name(name: str) -> str:
    out = re.sub(r"\s+", "-", name.strip().lower())
    return out[:100]


def guess_type(name: str, given: str) -> str:
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
