"""The bot end to end: starts against the emulator, syncs its tree, answers /aide in French and English."""

from __future__ import annotations

from rtes_bot.models import EluStatus


async def test_bot_identifies_with_the_intents_it_needs(rig) -> None:
    import discord

    intents = discord.Intents._from_value(rig.emu.intents)
    assert intents.guilds and intents.members and intents.dm_messages
    assert not intents.message_content


async def test_bot_syncs_its_commands_to_the_configured_guild(rig) -> None:
    commands = {command["name"]: command for command in rig.emu.commands(rig.guild)}
    assert "aide" in commands
    aide = commands["aide"]
    assert aide["name_localizations"]["en-US"] == "help"
    assert aide["description"].startswith("Les commandes")
    assert aide["description_localizations"]["en-US"].startswith("The bot")
    assert (
        rig.emu.global_commands == []
        or rig.emu.global_commands is None
        or len(rig.emu.global_commands) == 0
    )


async def test_help_answers_in_french_ephemerally_for_a_visitor(rig) -> None:
    visitor = rig.user("Vera Visiteuse")
    reply = await rig.emu.slash(rig.guild, visitor, "aide", locale="fr")
    await reply.wait_done()
    assert reply.ephemeral
    assert "Ce que je peux faire pour vous" in reply.text
    assert "`/aide`" in reply.text
    assert "/adhesion" in reply.text
    assert "commencez votre adhésion" in reply.text
    assert "/scrutin ouvrir" not in reply.text


async def test_help_answers_in_english_for_an_en_us_user(rig) -> None:
    visitor = rig.user("Eve English", locale="en-US")
    reply = await rig.emu.slash(rig.guild, visitor, "aide", locale="en-US")
    await reply.wait_done()
    assert "What I can do for you" in reply.text
    assert "`/help`" in reply.text
    assert "start your membership" in reply.text


async def test_help_lists_admin_commands_only_for_the_bureau(rig) -> None:
    member = await rig.elu("Élise Élue", status=EluStatus.ACTIVE)
    as_member = await rig.emu.slash(rig.guild, member.user, "aide")
    await as_member.wait_done()
    as_admin = await rig.emu.slash(rig.guild, rig.admin, "aide")
    await as_admin.wait_done()
    assert "membre du réseau" in as_member.text
    assert "bureau" in as_admin.text
    admin_only = [
        line for line in as_admin.text.splitlines() if line not in as_member.text.splitlines()
    ]
    assert admin_only, "the bureau sees more commands than a member"
