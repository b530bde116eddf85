"""`/admin installer` with the bot's real permissions: its role holds exactly what the invite link
asks for (`rtes_bot.permissions.BOT_PERMISSIONS`, no Administrator), which is exactly what the
installation uses; with one permission taken away, it refuses up front and names it."""

from __future__ import annotations

import discord
import pytest
from sqlalchemy import select

from rtes_bot.models import FieldOfAction
from rtes_bot.permissions import BOT_PERMISSIONS, bot_permissions_value
from tests.support.catalog import said

MANAGE_ROLES = discord.Permissions(manage_roles=True).value
MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value


async def install(rig, locale: str = "fr"):
    reply = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="installer", locale=locale, timeout=10
    )
    await reply.wait_done(timeout=10)
    return reply


async def take_away(rig, flag: int) -> None:
    """Remove a permission from the bot: from its role and from @everyone (which grants some,
    e.g. Add Reactions, to everyone by default); wait until the bot sees it."""
    for role in (rig.emu.bot_role(rig.guild), rig.guild.roles[rig.guild.id]):
        await rig.emu.set_role_permissions(rig.guild, role, role.permissions & ~flag)
    guild = rig.bot.get_guild(rig.guild.id)
    await rig.emu.wait_for(lambda: not guild.me.guild_permissions.value & flag)


async def give_back(rig, saved: dict) -> None:
    for role, permissions in saved.items():
        await rig.emu.set_role_permissions(rig.guild, role, permissions)
    guild = rig.bot.get_guild(rig.guild.id)
    expected = 0
    for permissions in saved.values():
        expected |= permissions
    await rig.emu.wait_for(lambda: guild.me.guild_permissions.value == expected)


def overwrite_bits(rig) -> int:
    """Every permission the installation allowed or denied in a channel overwrite."""
    bits = 0
    for record in rig.emu.requests:
        bodies: list[dict] = []
        if record.method == "POST" and record.path.endswith("/channels"):
            bodies = list((record.json or {}).get("permission_overwrites") or [])
        elif record.method == "PUT" and "/permissions/" in record.path:
            bodies = [record.json or {}]
        elif record.method == "PATCH" and "permission_overwrites" in (record.json or {}):
            bodies = list(record.json["permission_overwrites"] or [])
        for body in bodies:
            bits |= int(body.get("allow") or 0) | int(body.get("deny") or 0)
    return bits


async def test_the_installer_needs_exactly_the_invite_permissions(rig) -> None:
    role = rig.emu.bot_role(rig.guild)
    assert role.permissions == bot_permissions_value()
    assert not discord.Permissions(role.permissions).administrator
    assert rig.guild.owner_id != rig.emu.bot.id
    reply = await install(rig)
    assert said("installation.titre") in reply.text
    assert not rig.emu.errors  # Discord refused nothing
    # The permission set is what the installation uses, no more, no less: the overwrites it set
    # plus creating roles and channels.
    used = overwrite_bits(rig) | MANAGE_ROLES | MANAGE_CHANNELS
    assert discord.Permissions(used) == discord.Permissions(bot_permissions_value())


async def test_a_missing_permission_is_named_up_front_and_nothing_is_created(rig) -> None:
    roles = (rig.emu.bot_role(rig.guild), rig.guild.roles[rig.guild.id])
    saved = {role: role.permissions for role in roles}
    for name in BOT_PERMISSIONS:
        await take_away(rig, discord.Permissions(**{name: True}).value)
        reply = await install(rig)
        assert reply.ephemeral
        assert reply.text == said(
            "installation.permissions-manquantes", permissions=said(f"permission.{name}")
        ), name
        await give_back(rig, saved)
    await take_away(rig, MANAGE_ROLES | MANAGE_CHANNELS)
    english = await install(rig, "en-US")
    names = ", ".join(said(f"permission.{n}", "en") for n in ("manage_roles", "manage_channels"))
    assert english.text == said("installation.permissions-manquantes", "en", permissions=names)
    assert not rig.emu.requests_to("POST", r"^/guilds/\d+/(roles|channels)$")
    # Given back, the installation goes through.
    await give_back(rig, saved)
    done = await install(rig)
    assert said("installation.titre") in done.text


@pytest.mark.parametrize("name", ["add_reactions", "manage_messages", "create_private_threads"])
async def test_discord_refuses_an_overwrite_with_a_permission_the_bot_lacks(rig, name: str) -> None:
    """Why they are in the invite: the emulator, as Discord, refuses such an overwrite (403)."""
    await take_away(rig, discord.Permissions(**{name: True}).value)
    guild = rig.bot.get_guild(rig.guild.id)
    overwrite = discord.PermissionOverwrite(**{name: False})
    with pytest.raises(discord.Forbidden) as refused:
        await guild.create_text_channel("lecture", overwrites={guild.default_role: overwrite})
    assert refused.value.code == 50013
    kept = discord.PermissionOverwrite(view_channel=False)
    channel = await guild.create_text_channel("lecture", overwrites={guild.default_role: kept})
    with pytest.raises(discord.Forbidden):
        await channel.set_permissions(guild.default_role, overwrite=overwrite)


async def test_adding_a_field_is_refused_before_anything_is_written(rig) -> None:
    """`/admin domaines ajouter` on an installed server installs the field's role and forum: with
    Manage Channels gone, it names the permission and stores no field."""
    await install(rig)
    await take_away(rig, MANAGE_CHANNELS)
    added = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="domaines ajouter",
        options={"nom": "Alimentation durable"}, timeout=10,
    )  # fmt: skip
    await added.wait_done(timeout=10)
    assert added.text == said(
        "installation.permissions-manquantes", permissions=said("permission.manage_channels")
    )
    async with rig.db.read() as session:
        names = (await session.execute(select(FieldOfAction.name))).scalars().all()
    assert "Alimentation durable" not in names
