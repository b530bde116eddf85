"""`/admin installer` end to end: the real bot on the emulator and a real database."""

from __future__ import annotations

import discord

from rtes_bot.models import FieldOfAction, GuildSettings
from rtes_bot.services import installation
from rtes_bot.services.fields import DEFAULT_FIELDS
from tests.emulator import CATEGORY, FORUM, TEXT
from tests.emulator.server import I_GUILDS
from tests.support.catalog import fixed_part, said

ROLE_NAMES = {"Bureau", "Élu·e", "En attente", *(name for _, name in DEFAULT_FIELDS)}
VIEW = discord.Permissions(view_channel=True).value
SEND = discord.Permissions(send_messages=True).value


async def install(rig, user=None):
    reply = await rig.emu.slash(
        rig.guild, user or rig.admin, "admin", subcommand="installer", timeout=10
    )
    await reply.wait_done(timeout=10)
    return reply


def created_roles(rig) -> list[dict]:
    return [r.json for r in rig.emu.requests_to("POST", r"^/guilds/\d+/roles$")]


def created_channels(rig) -> list[dict]:
    return [r.json for r in rig.emu.requests_to("POST", r"^/guilds/\d+/channels$")]


async def settings_of(rig) -> GuildSettings:
    async with rig.db.read() as session:
        settings = await session.get(GuildSettings, rig.guild.id)
    assert settings is not None
    return settings


async def test_installer_creates_roles_category_forums_channels_and_welcome(rig) -> None:
    reply = await install(rig)
    assert reply.ephemeral
    assert (
        said("installation.titre") in reply.text and fixed_part("installation.cree") in reply.text
    )
    assert {role["name"] for role in created_roles(rig)} == ROLE_NAMES
    channels = created_channels(rig)
    by_type: dict[int, list[dict]] = {}
    for body in channels:
        by_type.setdefault(body["type"], []).append(body)
    assert [c["name"] for c in by_type[CATEGORY]] == ["Réseau RTES"]
    assert {c["name"] for c in by_type[TEXT]} == {
        "accueil",
        "registre-des-decisions",
        "bureau",
        "scrutins",
    }
    forums = by_type[FORUM]
    assert {c["name"] for c in forums} == {slug for slug, _ in DEFAULT_FIELDS}
    for forum in forums:
        assert [tag["name"] for tag in forum["available_tags"]] == list(installation.FORUM_TAGS)
    category = rig.emu.find_channel(rig.guild, "Réseau RTES", CATEGORY)
    ours = [
        c for c in rig.guild.channels.values() if c.type in (TEXT, FORUM) and c.name != "general"
    ]
    assert len(ours) == 11 and all(c.parent_id == category.id for c in ours)

    # Permissions that make them work: members read the registry but only the bot writes there,
    # the bureau channel is private, élus post in the forums.
    visitor = rig.guild.members[rig.user("Vera Visiteuse").id]
    registry = rig.emu.find_channel(rig.guild, "registre-des-decisions")
    bureau = rig.emu.find_channel(rig.guild, "bureau")
    forum = rig.emu.find_channel(rig.guild, "services-aux-personnes", FORUM)
    assert rig.emu.permissions(rig.guild, visitor, registry) & VIEW
    assert not rig.emu.permissions(rig.guild, visitor, registry) & SEND
    assert not rig.emu.permissions(rig.guild, visitor, bureau) & VIEW
    assert not rig.emu.permissions(rig.guild, visitor, forum) & SEND
    board_member = rig.guild.members[rig.user("Bob Bureau", roles=["Bureau"]).id]
    assert rig.emu.permissions(rig.guild, board_member, bureau) & VIEW
    elu = rig.guild.members[rig.user("Elsa Élue", roles=["Élu·e"]).id]
    assert rig.emu.permissions(rig.guild, elu, forum) & SEND

    # Every id is stored.
    settings = await settings_of(rig)
    welcome = rig.emu.find_channel(rig.guild, "accueil")
    assert settings.welcome_channel_id == welcome.id
    assert settings.registry_channel_id == registry.id and settings.bureau_channel_id == bureau.id
    assert settings.bureau_role_id == rig.emu.find_role(rig.guild, "Bureau").id
    assert settings.category_id == category.id and not settings.forums_are_text_channels
    async with rig.db.read() as session:
        from sqlalchemy import select

        fields = list((await session.execute(select(FieldOfAction))).scalars())
    assert len(fields) == 7 and all(f.role_id and f.forum_channel_id for f in fields)

    # The welcome message carries the persistent start button.
    (message,) = rig.emu.channel_messages(welcome)
    assert settings.welcome_message_id == message.id
    assert message.text == said("accueil.message")
    assert message.find_component(custom_id=f"rtes:adhesion:commencer:{rig.guild.id}")


async def test_running_it_twice_creates_nothing_new(rig) -> None:
    await install(rig)
    roles, channels = len(created_roles(rig)), len(created_channels(rig))
    posted = len(rig.emu.requests_to("POST", r"^/channels/\d+/messages$"))
    second = await install(rig)
    assert len(created_roles(rig)) == roles == 10
    assert len(created_channels(rig)) == channels == 12
    assert len(rig.emu.requests_to("POST", r"^/channels/\d+/messages$")) == posted
    assert said("installation.rien-a-faire") in second.text
    assert len([c for c in rig.guild.channels.values() if c.name == "accueil"]) == 1


async def test_a_deleted_channel_and_role_are_recreated_and_their_ids_updated(rig) -> None:
    await install(rig)
    before = await settings_of(rig)
    welcome = rig.emu.find_channel(rig.guild, "accueil")
    rig.emu.channels.pop(welcome.id)
    rig.guild.channels.pop(welcome.id)
    await rig.emu.dispatch("CHANNEL_DELETE", welcome.payload(), I_GUILDS)
    pending = rig.emu.find_role(rig.guild, "En attente")
    del rig.guild.roles[pending.id]
    await rig.emu.dispatch(
        "GUILD_ROLE_DELETE", {"guild_id": str(rig.guild.id), "role_id": str(pending.id)}, I_GUILDS
    )
    forum = rig.emu.find_channel(rig.guild, "commerce-equitable", FORUM)
    forum.available_tags = forum.available_tags[:2]
    await rig.emu.dispatch("CHANNEL_UPDATE", forum.payload(), I_GUILDS)
    await rig.emu.wait_for(lambda: rig.bot.get_channel(welcome.id) is None)

    reply = await install(rig)
    assert said("installation.element.salon", nom="accueil") in reply.text
    assert said("installation.element.role", nom="En attente") in reply.text
    # tags repaired
    assert said("installation.element.forum", nom="commerce-equitable") in reply.text
    after = await settings_of(rig)
    new_welcome = rig.emu.find_channel(rig.guild, "accueil")
    assert (
        new_welcome is not None
        and after.welcome_channel_id == new_welcome.id != before.welcome_channel_id
    )
    assert (
        after.pending_role_id
        == rig.emu.find_role(rig.guild, "En attente").id
        != before.pending_role_id
    )
    assert after.bureau_channel_id == before.bureau_channel_id
    assert [t["name"] for t in forum.available_tags] == list(installation.FORUM_TAGS)
    (message,) = rig.emu.channel_messages(new_welcome)
    assert after.welcome_message_id == message.id
    assert len(created_channels(rig)) == 13 and len(created_roles(rig)) == 11


async def test_a_member_who_is_not_bureau_is_refused_and_nothing_is_created(rig) -> None:
    member = await rig.elu("Marc Membre")
    reply = await install(rig, member.user)
    assert reply.ephemeral
    assert said("acces.bureau-requis") in reply.text
    assert created_roles(rig) == [] and created_channels(rig) == []
    async with rig.db.read() as session:
        assert await session.get(GuildSettings, rig.guild.id) is None


async def test_without_community_forums_become_text_channels_and_the_bureau_is_told(rig) -> None:
    rig.guild.community = False
    reply = await install(rig)
    assert said("installation.forums-refuses") in reply.text
    refused = [
        e
        for e in rig.emu.errors
        if e.path.endswith("/channels") and (e.json or {}).get("type") == FORUM
    ]
    assert len(refused) == 1  # tried once, then text channels
    for slug, _ in DEFAULT_FIELDS:
        assert rig.emu.find_channel(rig.guild, slug, TEXT) is not None
    settings = await settings_of(rig)
    assert settings.forums_are_text_channels
    bureau = rig.emu.find_channel(rig.guild, "bureau")
    told = said("installation.forums-refuses")
    assert any(told in m.text for m in rig.emu.channel_messages(bureau))
    again = await install(rig)
    assert said("installation.rien-a-faire") in again.text


THREADS = discord.Permissions(create_public_threads=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value


async def test_the_polls_channel_is_read_only_for_members_and_recreated_when_deleted(rig) -> None:
    await install(rig)
    polls = rig.emu.find_channel(rig.guild, "scrutins")
    settings = await settings_of(rig)
    assert polls is not None and settings.polls_channel_id == polls.id
    # Everyone reads; nobody but the bot posts; élus may discuss a poll in a thread.
    visitor = rig.guild.members[rig.user("Vera Visiteuse").id]
    elu = rig.guild.members[rig.user("Elsa Élue", roles=["Élu·e"]).id]
    for person in (visitor, elu):
        assert rig.emu.permissions(rig.guild, person, polls) & VIEW
        assert not rig.emu.permissions(rig.guild, person, polls) & SEND
    assert not rig.emu.permissions(rig.guild, visitor, polls) & THREADS
    assert rig.emu.permissions(rig.guild, elu, polls) & THREADS
    assert rig.emu.permissions(rig.guild, elu, polls) & SEND_IN_THREADS
    me = rig.guild.members[rig.bot.user.id]
    assert rig.emu.permissions(rig.guild, me, polls) & SEND

    rig.emu.channels.pop(polls.id)
    rig.guild.channels.pop(polls.id)
    await rig.emu.dispatch("CHANNEL_DELETE", polls.payload(), I_GUILDS)
    await rig.emu.wait_for(lambda: rig.bot.get_channel(polls.id) is None)
    reply = await install(rig)
    assert said("installation.element.salon", nom="scrutins") in reply.text
    recreated = rig.emu.find_channel(rig.guild, "scrutins")
    assert recreated is not None and recreated.id != polls.id
    assert (await settings_of(rig)).polls_channel_id == recreated.id
