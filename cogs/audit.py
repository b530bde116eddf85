"""`/admin audit [format]`: the bureau exports the guild's audit log as a CSV or JSON file.

The command is a plain :class:`app_commands.Command` (built by :func:`make_audit_command`),
attached to the ``/admin`` group that ``cogs/admin/`` owns (``admin_group_of``).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from cogs.admin._group import admin_group_of
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import AuditEvent
from rtes_bot.services import access, audit
from rtes_bot.services.access import Person
from rtes_bot.ui import L, actor_of, bot_of, options, reply

log = logging.getLogger("rtes_bot.audit")


def events_csv(events: Sequence[AuditEvent], names: audit.Names | None = None) -> bytes:
    """UTF-8 with a BOM (so spreadsheet software shows accents), one event per line; no cell is a
    spreadsheet formula (`rtes_bot.text.csv_text`)."""
    rows = [audit.event_row(event, names) for event in events]
    return audit.rows_csv(rows, audit.COLUMNS, bom=True).encode("utf-8")


def events_json(events: Sequence[AuditEvent], names: audit.Names | None = None) -> bytes:
    payload = [audit.event_row(event, names) for event in events]
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


FORMATS = {"csv": (events_csv, "text/csv"), "json": (events_json, "application/json")}


async def export_audit(interaction: discord.Interaction[Any], kind: str = "csv") -> None:
    """Bureau only; the file is sent ephemerally."""
    bot = bot_of(interaction)
    actor = actor_of(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    async with bot.db.read() as session:
        await access.resolve(session, actor, Person.require_bureau)
        events = await audit.events(session, actor.guild_id)
        names = await audit.names(session, actor.guild_id)
    if interaction.guild is not None:
        # Who is not registered (a bureau member, say) is named as Discord shows them.
        for event in events:
            member = interaction.guild.get_member(event.actor_id or 0)
            if member is not None and event.actor_id not in names.users:
                names.users[member.id] = member.display_name
    render, _content_type = FORMATS[kind]
    filename = f"audit-{actor.guild_id}.{kind}"
    key = "audit.export" if events else "audit.vide"
    # The whole log of a network: rendered in a worker thread, not on the event loop.
    content = await asyncio.to_thread(render, events, names)
    await reply(
        interaction,
        t(key, interaction.locale, nombre=len(events)),
        file=discord.File(io.BytesIO(content), filename=filename),
    )


def make_audit_command() -> app_commands.Command[Any, ..., None]:
    """A new `audit` command object, to attach to an `/admin` group (``group.add_command(...)``)."""

    @app_commands.command(name=L("cmd.admin.audit"), description=L("cmd.admin.audit.desc"))
    @options("opt.admin.audit", "format")
    @app_commands.choices(
        format=[
            app_commands.Choice(name=L("choix.audit.format.csv"), value="csv"),
            app_commands.Choice(name=L("choix.audit.format.json"), value="json"),
        ]
    )
    async def audit_command(
        interaction: discord.Interaction[Any], format: app_commands.Choice[str] | None = None
    ) -> None:
        await export_audit(interaction, format.value if format is not None else "csv")

    return audit_command


async def setup(bot: RtesBot) -> None:
    group = admin_group_of(bot)
    if group.get_command("audit") is None:
        group.add_command(make_audit_command())
