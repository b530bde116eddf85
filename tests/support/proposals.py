"""Proposals in end-to-end tests: fields with their forums, deposits and amendments through the
emulator, and reading back what the bot stored and posted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord
import sqlalchemy as sa

from rtes_bot.models import AuditEvent, FieldOfAction, GuildSettings, Proposal, utcnow
from rtes_bot.services import proposals as service
from tests.support.catalog import said

#: the forum tags the installer creates (the post's status tag is matched by name)
TAGS = ("En débat", "Au vote", "Adoptée", "Rejetée", "Retirée")
FIELDS = (
    ("finances-solidaires", "Création d'activités, finances solidaires"),
    ("commerce-equitable", "Commerce équitable, achat éthique"),
    ("cooperation", "Coopération internationale"),
)


@dataclass
class Setup:
    fields: list[FieldOfAction]
    channels: list[Any]  # emulator channels (forums, or text channels)


async def install(
    rig: Any,
    *,
    count: int = 1,
    text_channels: bool = False,
    per_collectivite: bool = False,
    retired: int = 0,
) -> Setup:
    """Fields of action with their forums, created as the installer would: by the bot's REST calls."""
    guild = rig.bot.get_guild(rig.guild.id)
    async with rig.db.begin() as session:
        session.add(
            GuildSettings(
                guild_id=rig.guild.id,
                forums_are_text_channels=text_channels,
                supports_per_collectivite=per_collectivite,
            )
        )
    fields, channels = [], []
    for position, (slug, name) in enumerate(FIELDS[: count + retired]):
        if text_channels:
            channel = await guild.create_text_channel(slug)
        else:
            channel = await guild.create_forum(
                slug, available_tags=[discord.ForumTag(name=tag) for tag in TAGS]
            )
        async with rig.db.begin() as session:
            field = FieldOfAction(
                guild_id=rig.guild.id,
                slug=slug,
                name=name,
                position=position,
                forum_channel_id=channel.id,
                retired_at=utcnow() if position >= count else None,
            )
            session.add(field)
            await session.flush()
        fields.append(field)
        channels.append(rig.emu.channels[channel.id])
    return Setup(fields, channels)


def tag_id(channel: Any, name: str) -> int:
    found = channel.tag_id(name)
    assert found is not None, name
    return found


async def deposit(rig: Any, user: Any, title: str, text: str, domaine: str | None = None) -> Any:
    options = {"domaine": domaine} if domaine else {}
    opened = await rig.emu.slash(
        rig.guild, user, "proposition", subcommand="deposer", options=options
    )
    assert opened.modal is not None, opened.text
    return await rig.emu.submit_modal(rig.guild, user, opened, {"titre": title, "texte": text})


async def proposal_row(rig: Any, number: int) -> Proposal:
    async with rig.db.read() as session:
        return await service.get_by_number(session, rig.guild.id, number)


async def audit_actions(rig: Any) -> list[str]:
    async with rig.db.read() as session:
        result = await session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))
        return list(result.scalars())


def post(rig: Any, proposal: Proposal) -> Any:
    """The post's first message (its id is the thread's)."""
    assert proposal.thread_id is not None
    return rig.emu.messages[proposal.thread_id]


def field_value(message: Any, key: str) -> str:
    """The value of the embed field named by catalog ``key`` (in French) in ``message``."""
    name = said(key)
    for field in message.embeds[0].get("fields", []):
        if field["name"] == name:
            return field["value"]
    raise AssertionError(f"no field {name!r} in {message.embeds[0]}")


def thread_messages(rig: Any, proposal: Proposal) -> list[Any]:
    """Messages the bot posted in the thread (not the post, not interaction answers)."""
    return [
        m
        for m in rig.emu.channel_messages(proposal.thread_id)
        if m.id != proposal.thread_id and not m.ephemeral and m.interaction_id is None
    ]


async def propose_amendment(
    rig: Any, user: Any, proposal: Proposal, text: str, motif: str = ""
) -> Any:
    opened = await rig.emu.click(
        rig.guild, user, post(rig, proposal), f"rtes:amender:{proposal.id}"
    )
    assert opened.modal is not None, opened.text
    return await rig.emu.submit_modal(rig.guild, user, opened, {"texte": text, "motif": motif})
