"""Proves the Discord emulator with a small throwaway discord.py bot (not the project's bot)."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from tests.emulator import FORUM, DiscordEmulator, Guild, User, run_client
from tests.emulator.fixtures import emulator, error_log, socket_guard  # noqa: F401
from tests.emulator.harness import ErrorLogCollector, NetworkAccessRefused

log = logging.getLogger("rtes_bot")


class VoteView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Pour", custom_id="test:pour", style=discord.ButtonStyle.success)
    async def pour(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message(
            f"Vote pour enregistré ({interaction.user.display_name})", ephemeral=True
        )


class PickView(discord.ui.View):
    @discord.ui.select(
        custom_id="test:pick",
        max_values=2,
        options=[
            discord.SelectOption(label="Alpha", value="a"),
            discord.SelectOption(label="Beta", value="b"),
            discord.SelectOption(label="Gamma", value="c"),
        ],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(
            content=f"choisi: {','.join(select.values)}", view=None
        )


class Form(discord.ui.Modal, title="Proposition"):
    titre = discord.ui.TextInput(label="Titre", custom_id="titre")
    texte = discord.ui.TextInput(
        label="Texte", custom_id="texte", style=discord.TextStyle.paragraph
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"reçu: {self.titre.value} / {self.texte.value}")


@dataclass
class Events:
    joined: list[int] = field(default_factory=list)
    dms: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def make_bot(guild_id: int, events: Events) -> commands.Bot:
    intents = discord.Intents.default()
    intents.members = True
    intents.message_content = True
    bot = commands.Bot(
        command_prefix="!",
        intents=intents,
        guild_ready_timeout=0.1,
        allowed_mentions=discord.AllowedMentions.none(),
    )
    gobj = discord.Object(guild_id)

    scrutin = app_commands.Group(name="scrutin", description="Scrutins")

    @scrutin.command(name="ouvrir", description="Ouvrir un scrutin")
    async def ouvrir(
        interaction: discord.Interaction,
        question: str,
        duree: str,
        quorum: int = 0,
        secret: bool = True,
        domaine: discord.Role | None = None,
    ) -> None:
        text = f"Scrutin: {question} ({duree}, quorum {quorum}, secret={secret}, domaine={domaine and domaine.name})"
        await interaction.response.send_message(text, view=VoteView())

    @scrutin.command(name="lent", description="Réponse différée")
    async def lent(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("fini après calcul")

    @scrutin.command(name="rapide", description="Réponse immédiate")
    async def rapide(interaction: discord.Interaction, n: int) -> None:
        await interaction.response.send_message(f"ok {n}", ephemeral=True)

    admin = app_commands.Group(name="admin", description="Administration")
    domaines = app_commands.Group(name="domaines", description="Domaines", parent=admin)

    @domaines.command(name="renommer", description="Renommer un domaine")
    async def renommer(interaction: discord.Interaction, ancien: str, nouveau: str) -> None:
        await interaction.response.send_message(f"{ancien} → {nouveau}")

    @admin.command(name="installer", description="Installer le serveur")
    async def installer(interaction: discord.Interaction, membre: discord.Member) -> None:
        await interaction.response.defer(thinking=True)
        guild = interaction.guild
        assert guild is not None
        role = await guild.create_role(name="Élu·e", colour=discord.Colour(0x2E86C1))
        cat = await guild.create_category("Champs d'action")
        forum = await guild.create_forum(
            "commerce-equitable",
            category=cat,
            available_tags=[discord.ForumTag(name="En débat"), discord.ForumTag(name="Au vote")],
        )
        tag = next(t for t in forum.available_tags if t.name == "En débat")
        post = await forum.create_thread(
            name="Proposition 1",
            content="Texte de la proposition",
            applied_tags=[tag],
            view=VoteView(),
        )
        await membre.add_roles(role)
        await interaction.followup.send(
            f"installé: {role.name}, {cat.name}, {forum.name}, post {post.thread.id}={post.message.id}"
        )

    @bot.tree.command(name="proposer", description="Déposer une proposition", guild=gobj)
    async def proposer(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Form())

    @bot.tree.command(name="choisir", description="Choisir", guild=gobj)
    async def choisir(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Choisissez", view=PickView(), ephemeral=True)

    @bot.tree.command(name="ecrire", description="DM un membre", guild=gobj)
    async def ecrire(interaction: discord.Interaction, membre: discord.User) -> None:
        await membre.send(f"Bonjour {membre.name}")
        await interaction.response.send_message("envoyé", ephemeral=True)

    @bot.tree.command(name="fichier", description="Renvoie un fichier", guild=gobj)
    async def fichier(interaction: discord.Interaction, doc: discord.Attachment) -> None:
        data = await doc.read()
        await interaction.response.send_message(
            "voici", file=discord.File(io.BytesIO(data.upper()), filename="echo.txt")
        )

    @bot.tree.command(name="boom", description="Journalise une erreur", guild=gobj)
    async def boom(interaction: discord.Interaction) -> None:
        log.error("boom: unexpected failure")
        await interaction.response.send_message("aïe", ephemeral=True)

    @bot.tree.command(name="voter", description="Voter", guild=gobj)
    async def voter(interaction: discord.Interaction, scrutin: str) -> None:
        await interaction.response.send_message(f"vote {scrutin}", ephemeral=True)

    @voter.autocomplete("scrutin")
    async def voter_ac(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=f"Scrutin {i}", value=str(i))
            for i in (12, 13)
            if current in str(i)
        ]

    bot.tree.add_command(scrutin, guild=gobj)
    bot.tree.add_command(admin, guild=gobj)

    @bot.event
    async def on_member_join(member: discord.Member) -> None:
        events.joined.append(member.id)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        if message.guild is None:
            events.dms.append(message.content)
            await message.channel.send(f"echo: {message.content}")
        elif bot.user in message.mentions:
            events.mentions.append(message.content)
            await message.reply("on m'a appelé")

    async def setup_hook() -> None:
        bot.add_view(VoteView())
        await bot.tree.sync(guild=gobj)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


@dataclass
class World:
    emu: DiscordEmulator
    guild: Guild
    alice: User
    bob: User
    bot: commands.Bot
    events: Events


@pytest_asyncio.fixture
async def world(emulator: DiscordEmulator, error_log: ErrorLogCollector) -> AsyncIterator[World]:  # noqa: F811
    g = emulator.create_guild("RTES", community=True)
    alice = emulator.create_user("alice", global_name="Alice Martin")
    bob = emulator.create_user("bob")
    emulator.add_member(g, alice, administrator=True)
    emulator.add_member(g, bob)
    events = Events()
    async with run_client(emulator, lambda: make_bot(g.id, events)) as bot:
        yield World(emulator, g, alice, bob, bot, events)
    assert not emulator.unhandled, emulator.unhandled


async def test_connect_and_sync(world: World) -> None:
    emu, bot = world.emu, world.bot
    guild = bot.get_guild(world.guild.id)
    assert guild is not None and guild.me is not None
    assert guild.get_member(world.alice.id) is not None
    assert emu.intents is not None and emu.intents & (1 << 1)
    cmds = {c["name"]: c for c in emu.commands(world.guild)}
    assert {"scrutin", "admin", "proposer", "choisir", "ecrire", "fichier", "boom", "voter"} <= set(
        cmds
    )
    ouvrir = next(o for o in cmds["scrutin"]["options"] if o["name"] == "ouvrir")
    assert ouvrir["type"] == 1
    assert [(o["name"], o["type"], o.get("required", False)) for o in ouvrir["options"]] == [
        ("question", 3, True),
        ("duree", 3, True),
        ("quorum", 4, False),
        ("secret", 5, False),
        ("domaine", 8, False),
    ]
    grp = cmds["admin"]["options"]
    assert any(o["name"] == "domaines" and o["type"] == 2 for o in grp)
    paths = [r.path for r in emu.requests]
    assert (
        "/users/@me" in paths
        and f"/applications/{emu.application_id}/guilds/{world.guild.id}/commands" in paths
    )


async def test_slash_options_button_and_ephemeral(world: World) -> None:
    emu, g = world.emu, world.guild
    role = emu.create_role(g, "Commerce")
    await emu.wait_for(lambda: world.bot.get_guild(g.id).get_role(role.id))
    r = await emu.slash(g, world.alice, "scrutin", subcommand="ouvrir",
                        options={"question": "Adopter ?", "duree": "2h", "quorum": "20", "secret": False,
                                 "domaine": role})  # fmt: skip
    assert r.response["type"] == 4
    assert "Scrutin: Adopter ? (2h, quorum 20, secret=False, domaine=Commerce)" in r.text
    assert not r.ephemeral
    msg = r.message
    assert msg.find_component(custom_id="test:pour")["label"] == "Pour"
    assert [b["custom_id"] for b in msg.buttons] == ["test:pour"]
    click = await emu.click(g, world.bob, msg, "test:pour")
    assert click.ephemeral and "Vote pour enregistré (bob)" in click.text
    # persistent view: also works on a message the bot never answered in this process
    click2 = await emu.click(g, world.alice, msg, label="Pour")
    assert "Alice Martin" in click2.text
    r2 = await emu.slash(g, world.alice, "admin", subcommand="domaines renommer",
                         options={"ancien": "ESS", "nouveau": "Économie solidaire"})  # fmt: skip
    assert r2.text == "ESS → Économie solidaire"


async def test_defer_then_followup(world: World) -> None:
    r = await world.emu.slash(world.guild, world.alice, "scrutin", subcommand="lent")
    assert r.response["type"] == 5
    assert len(r.messages) == 1 and r.messages[0].id == r.original.id
    assert r.text == "fini après calcul"
    assert r.ephemeral  # the defer's ephemerality wins
    assert not r.messages[0].loading


async def test_modal_and_select(world: World) -> None:
    emu, g = world.emu, world.guild
    r = await emu.slash(g, world.alice, "proposer")
    assert r.modal is not None and r.modal["title"] == "Proposition"
    s = await emu.submit_modal(g, world.alice, r, {"titre": "Achats", "texte": "Acheter local"})
    assert s.text == "reçu: Achats / Acheter local"
    c = await emu.slash(g, world.bob, "choisir")
    assert c.ephemeral and c.message.selects[0]["custom_id"] == "test:pick"
    pick = await emu.click(g, world.bob, c.message, "test:pick", values=["a", "Gamma"])
    assert pick.response["type"] == 7
    assert c.message.content == "choisi: a,c" and c.message.components == []


async def test_install_role_category_forum_post(world: World) -> None:
    emu, g = world.emu, world.guild
    r = await emu.slash(
        g, world.alice, "admin", subcommand="installer", options={"membre": world.bob}
    )
    assert "installé: Élu·e" in r.text, r.text
    role = emu.find_role(g, "Élu·e")
    assert role is not None and role.color == 0x2E86C1
    assert "Élu·e" in emu.member_role_names(g, world.bob)
    forum = emu.find_channel(g, "commerce-equitable", FORUM)
    assert forum is not None and [t["name"] for t in forum.available_tags] == [
        "En débat",
        "Au vote",
    ]
    cat = emu.find_channel(g, "Champs d'action")
    assert forum.parent_id == cat.id
    (post,) = emu.threads(forum)
    assert post.applied_tags == [forum.tag_id("En débat")]
    (first,) = emu.channel_messages(post)
    assert first.id == post.id and first.content == "Texte de la proposition"
    click = await emu.click(g, world.bob, first, "test:pour")
    assert "Vote pour" in click.text
    dguild = world.bot.get_guild(g.id)
    assert dguild.get_role(role.id) is not None
    assert dguild.get_member(world.bob.id).get_role(role.id) is not None


async def test_forum_refused_without_community(emulator: DiscordEmulator) -> None:  # noqa: F811
    g = emulator.create_guild("Petit")
    async with run_client(emulator, lambda: make_bot(g.id, Events())) as bot:
        guild = bot.get_guild(g.id)
        with pytest.raises(discord.HTTPException) as exc:
            await guild.create_forum("forum")
        assert exc.value.code == 50024
        text = await guild.create_text_channel("Propositions Commerce")
        assert text.name == "propositions-commerce"


async def test_dm_join_mention_and_attachments(world: World) -> None:
    emu, g = world.emu, world.guild
    r = await emu.slash(g, world.alice, "ecrire", options={"membre": world.bob})
    assert r.text == "envoyé"
    (dm,) = await emu.wait_for(lambda: emu.dms_to(world.bob))
    assert dm.content == "Bonjour bob"
    carol = emu.create_user("carol")
    await emu.member_join(g, carol)
    await emu.wait_for(lambda: carol.id in world.events.joined)
    await emu.dm(world.bob, "que dit la charte ?")
    await emu.wait_for(
        lambda: any(m.content == "echo: que dit la charte ?" for m in emu.dms_to(world.bob))
    )
    general = emu.find_channel(g, "general")
    await emu.mention(g, world.alice, general, "bonjour")
    await emu.wait_for(
        lambda: any(m.content == "on m'a appelé" for m in emu.channel_messages(general))
    )
    assert world.events.mentions == [f"<@{emu.bot.id}> bonjour"]
    f = await emu.slash(g, world.alice, "fichier", options={"doc": ("note.txt", b"charte rtes")})
    (att,) = f.message.attachments
    assert att.name == "echo.txt" and att.data == b"CHARTE RTES"
    assert any(r.query.get("with_response") for r in emu.requests if r.path.endswith("/callback"))


async def test_autocomplete(world: World) -> None:
    choices = await world.emu.autocomplete(world.guild, world.alice, "voter", options={"scrutin": "1"},
                                           focused="scrutin")  # fmt: skip
    assert [c["value"] for c in choices] == ["12", "13"]


async def test_error_log_collector_sees_bot_errors(
    world: World,
    error_log: ErrorLogCollector,  # noqa: F811
) -> None:
    r = await world.emu.slash(world.guild, world.alice, "boom")
    assert r.text == "aïe"
    assert any("boom" in m for m in error_log.messages())
    with pytest.raises(AssertionError):
        error_log.assert_clean()
    error_log.clear()


async def test_unknown_route_recorded(world: World) -> None:
    with pytest.raises(discord.NotFound):
        await world.bot.http.request(discord.http.Route("GET", "/nothing/here"))
    assert [u.path for u in world.emu.unhandled] == ["/nothing/here"]
    world.emu.unhandled.clear()


async def test_200_concurrent_slash(world: World) -> None:
    emu, g = world.emu, world.guild
    start = time.perf_counter()
    results = await asyncio.gather(
        *(
            emu.slash(g, world.alice, "scrutin", subcommand="rapide", options={"n": i})
            for i in range(200)
        )
    )
    elapsed = time.perf_counter() - start
    print(f"\n200 concurrent slash interactions answered in {elapsed:.3f}s")
    assert sorted(r.text for r in results) == sorted(f"ok {i}" for i in range(200))
    assert elapsed < 10


def test_socket_guard_refuses_remote(socket_guard: list[str]) -> None:  # noqa: F811
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkAccessRefused):
            s.connect(("10.0.0.1", 80))
    finally:
        s.close()
    with pytest.raises(NetworkAccessRefused):
        socket.getaddrinfo("discord.com", 443)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect(server.getsockname())  # loopback allowed
    finally:
        client.close()
        server.close()
    assert socket_guard == ["10.0.0.1", "discord.com"]


async def test_two_bots_one_emulator(emulator: DiscordEmulator) -> None:  # noqa: F811
    g = emulator.create_guild("RTES")
    u = emulator.create_user("dora")
    emulator.add_member(g, u)
    ev1, ev2 = Events(), Events()
    async with (
        run_client(emulator, lambda: make_bot(g.id, ev1)),
        run_client(emulator, lambda: make_bot(g.id, ev2)),
    ):
        assert len(emulator.sessions) == 2
        await emulator.dm(u, "salut")
        await emulator.wait_for(lambda: ev1.dms == ["salut"] and ev2.dms == ["salut"])


async def test_rest_surface_follows_cache(world: World) -> None:
    emu, g, bot = world.emu, world.guild, world.bot
    guild = bot.get_guild(g.id)
    bureau = await guild.create_role(
        name="Bureau", permissions=discord.Permissions(manage_messages=True)
    )
    cat = await guild.create_category(
        "Bureau",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            guild.me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    chan = await guild.create_text_channel("prive", category=cat)
    assert emu.channels[chan.id].permission_overwrites == emu.channels[cat.id].permission_overwrites
    await chan.set_permissions(bureau, view_channel=True, send_messages=True)
    await emu.wait_for(lambda: guild.get_channel(chan.id).overwrites_for(bureau).view_channel)
    member = guild.get_member(world.bob.id)
    await member.add_roles(bureau)
    assert emu.permissions(g, g.members[world.bob.id], emu.channels[chan.id]) & 1024  # view_channel
    assert not emu.permissions(g, g.members[world.bob.id], emu.channels[cat.id]) & 1024
    await bureau.edit(name="Bureau RTES", colour=discord.Colour(0xFF0000))
    await emu.wait_for(lambda: guild.get_role(bureau.id).name == "Bureau RTES")
    assert emu.find_role(g, "Bureau RTES").color == 0xFF0000
    msg = await chan.send("premier")
    await msg.edit(content="modifié")
    fetched = await chan.fetch_message(msg.id)
    assert fetched.content == "modifié"
    history = [m.content async for m in chan.history(limit=10)]
    assert history == ["modifié"]
    thread = await msg.create_thread(name="discussion")
    assert thread.id == msg.id
    await thread.send("dans le fil")
    await thread.edit(archived=True)
    assert emu.channels[thread.id].archived
    await member.remove_roles(bureau)
    await emu.wait_for(lambda: guild.get_member(world.bob.id).get_role(bureau.id) is None)
    await bureau.delete()
    await emu.wait_for(lambda: guild.get_role(bureau.id) is None)
    await chan.delete()
    await emu.wait_for(lambda: guild.get_channel(chan.id) is None)
    fetched_member = await guild.fetch_member(world.alice.id)
    assert fetched_member.display_name == "Alice Martin"
    assert emu.errors == []


def members_client(*, chunk_at_startup: bool) -> discord.Client:
    intents = discord.Intents.default()
    intents.members = True
    return discord.Client(
        intents=intents, chunk_guilds_at_startup=chunk_at_startup, guild_ready_timeout=0.1
    )


async def test_large_guild_sends_its_members_only_on_request(
    emulator: DiscordEmulator,  # noqa: F811
) -> None:
    """A large guild is announced as Discord announces it: `large`, the real member count, no
    member but the bot's own in GUILD_CREATE. A member absent from the client's cache is found
    by fetching it (REST) or by asking for chunks (gateway), never pushed unasked."""
    g = emulator.create_guild("RTES", large=True)
    people = [emulator.create_user(f"elu{i}") for i in range(1200)]
    for user in people:
        emulator.add_member(g, user)
    absent = people[-1]

    async with run_client(emulator, lambda: members_client(chunk_at_startup=False)) as client:
        guild = client.get_guild(g.id)
        assert guild.large is True
        assert guild.member_count == len(people) + 1  # with the bot
        assert [m.id for m in guild.members] == [emulator.bot.id]
        assert guild.get_member(absent.id) is None
        assert emulator.member_requests == []
        fetched = await guild.fetch_member(absent.id)
        assert fetched.id == absent.id and fetched.name == absent.username
        assert emulator.requests_to("GET", rf"^/guilds/{g.id}/members/{absent.id}$")

        found = await guild.query_members(user_ids=[absent.id, 42])
        assert [m.id for m in found] == [absent.id]
        await guild.chunk()  # two GUILD_MEMBERS_CHUNK events: 1,000 members at most in each
        assert guild.chunked and len(guild.members) == len(people) + 1
        assert guild.get_member(people[0].id) is not None
        assert len(emulator.member_requests) == 2

    # a client that chunks at start-up asks for the members itself, before it is ready
    async with run_client(emulator, lambda: members_client(chunk_at_startup=True)) as client:
        guild = client.get_guild(g.id)
        assert guild.chunked and guild.get_member(absent.id) is not None
    assert len(emulator.member_requests) == 3


async def test_large_threshold_decides_when_large_is_not_forced(
    emulator: DiscordEmulator,  # noqa: F811
) -> None:
    """`large=None`: large above the IDENTIFY's `large_threshold` (discord.py sends 250), as
    on Discord; the default (`large=False`) sends every member at once, whatever the count."""
    big = emulator.create_guild("Grand", large=None)
    small = emulator.create_guild("Petit", large=None)
    forced_small = emulator.create_guild("Petit par défaut")
    for i in range(250):
        emulator.add_member(big, emulator.create_user(f"membre{i}"))
        emulator.add_member(forced_small, emulator.create_user(f"autre{i}"))
    emulator.add_member(small, emulator.create_user("seul"))

    async with run_client(emulator, lambda: members_client(chunk_at_startup=False)) as client:
        assert emulator.identifies[-1]["large_threshold"] == 250
        assert client.get_guild(big.id).large is True
        assert len(client.get_guild(big.id).members) == 1
        assert client.get_guild(small.id).large is False
        assert len(client.get_guild(small.id).members) == 2
        # (discord.py's `Guild.large` reads only the member count: 251 makes it True here)
        assert len(client.get_guild(forced_small.id).members) == 251
        assert emulator.member_requests == []


# ------------------------------------------------------------------ shards


class QuickShardedClient(discord.AutoShardedClient):
    """discord.py waits 5 s before each IDENTIFY after the first; no such limit here."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


def sharded_client(**kwargs: object) -> discord.AutoShardedClient:
    return QuickShardedClient(intents=discord.Intents.default(), guild_ready_timeout=0.1, **kwargs)


async def test_shards_receive_only_their_guilds_and_dms_go_to_shard_zero(
    emulator: DiscordEmulator,  # noqa: F811
) -> None:
    """An AutoShardedClient asks GET /gateway/bot for the shard count, IDENTIFYs each shard with
    [id, count] and gets, on each websocket, only the guilds Discord routes to it; events follow
    the same rule, DMs go to shard 0."""
    emulator.recommended_shards = 2
    zero = emulator.create_guild("Zéro", shard=(0, 2))
    one = emulator.create_guild("Un", shard=(1, 2))
    alice = emulator.create_user("alice")
    emulator.add_member(one, alice)
    async with run_client(emulator, sharded_client) as client:
        assert emulator.requests_to("GET", r"^/gateway/bot$")
        assert client.shard_count == 2
        assert sorted(d["shard"] for d in emulator.identifies) == [[0, 2], [1, 2]]
        assert client.get_guild(zero.id).shard_id == 0
        assert client.get_guild(one.id).shard_id == 1

        def record(seen: list[tuple[int, int] | None]) -> Any:
            return lambda session, data: seen.append(session.shard) or data

        in_guild: list[tuple[int, int] | None] = []
        sent = await emulator.dispatch(
            "TYPING_START",
            {"guild_id": str(one.id), "channel_id": "1", "user_id": str(alice.id)},
            transform=record(in_guild),
        )
        assert sent == 1 and in_guild == [(1, 2)]
        in_dm: list[tuple[int, int] | None] = []
        await emulator.dispatch(
            "TYPING_START", {"channel_id": "1", "user_id": str(alice.id)}, transform=record(in_dm)
        )
        assert in_dm == [(0, 2)]

    # a process serving shard 1 only: READY says so, and guild 0 never reaches it
    async with run_client(emulator, lambda: sharded_client(shard_count=2, shard_ids=[1])) as client:
        assert emulator.identifies[-1]["shard"] == [1, 2]
        assert client.get_guild(one.id) is not None
        assert client.get_guild(zero.id) is None
        typing = {"channel_id": "1", "user_id": str(alice.id)}
        assert await emulator.dispatch("TYPING_START", {**typing, "guild_id": str(zero.id)}) == 0
        assert await emulator.dispatch("TYPING_START", {**typing, "guild_id": str(one.id)}) == 1


async def test_gateway_bot_and_identify_speak_discords_shard_fields(
    emulator: DiscordEmulator,  # noqa: F811
) -> None:
    """GET /gateway/bot: one shard per 1,000 guilds and the session start limit; READY echoes
    the shard; an invalid shard closes with 4010, too many guilds on one session with 4011."""
    import aiohttp

    first = emulator.create_guild("A", shard=(0, 2))
    emulator.create_guild("B", shard=(1, 2))
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": "Bot emulator.token.rtes-bot"}
        async with http.get(f"{emulator.api_base}/gateway/bot", headers=headers) as response:
            info = await response.json()
        assert info["shards"] == 1 and info["url"].startswith("ws://127.0.0.1:")
        assert set(info["session_start_limit"]) == {
            "total",
            "remaining",
            "reset_after",
            "max_concurrency",
        }

        async def identify(shard: list[int] | None) -> tuple[Any, dict[str, Any] | None]:
            async with http.ws_connect(emulator.gateway_url) as ws:
                await ws.receive_json()  # HELLO
                d: dict[str, Any] = {"token": "t", "intents": 1, "properties": {}}
                if shard is not None:
                    d["shard"] = shard
                await ws.send_json({"op": 2, "d": d})
                message = await ws.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    return ws.close_code, None
                return None, message.json()["d"]

        _, ready = await identify([0, 2])
        assert ready is not None and ready["shard"] == [0, 2]
        assert [g["id"] for g in ready["guilds"]] == [str(first.id)]
        assert (await identify([2, 2]))[0] == 4010
        emulator.max_guilds_per_shard = 1
        assert (await identify(None))[0] == 4011
        assert (await identify([1, 2]))[1] is not None
