"""Local Discord emulator for rtes-bot's tests (REST + gateway on 127.0.0.1, one aiohttp port).

The real, unmodified discord.py 2.7.1 connects to it. Quick start::

    from tests.emulator import DiscordEmulator, run_client

    emu = DiscordEmulator()                     # bot user + application (emu.bot, emu.application_id)
    await emu.start(); emu.install()            # patches Route.BASE + DEFAULT_GATEWAY (emu.uninstall())
    g = emu.create_guild("RTES", community=True)           # @everyone, bot role+member, #general
    alice = emu.create_user("alice", global_name="Alice Martin")
    emu.add_member(g, alice, roles=["Élu·e"], administrator=False)
    async with run_client(emu, make_bot) as bot:           # start(token) task, ready, close on exit
        r = await emu.slash(g, alice, "scrutin", subcommand="ouvrir",
                            options={"question": "…", "duree": "2h"}, locale="fr")
        r.response, r.messages, r.text, r.modal, r.ephemeral
        r2 = await emu.click(g, alice, r.message, "vote:pour")
        r3 = await emu.submit_modal(g, alice, r2, {"titre": "…"})
    await emu.stop()

Emulator (``DiscordEmulator``)
------------------------------
State building (sync; dispatches the gateway event when a bot is connected):
  ``create_user(username, global_name=None, *, bot=False, locale="fr") -> User``
  ``create_guild(name, community=False, *, features=(), locale="fr", channels=("general",), owner=None,
  large=False, shard=None) -> Guild`` (``shard=(id, count)``: an id on that Discord shard; ``large=True``: announced as a large guild, GUILD_CREATE carrying only the bot's
  member and the real ``member_count``, the others sent in chunks on request; ``None``: large above
  IDENTIFY's ``large_threshold``)
  ``add_member(guild, user, roles=(), administrator=False) -> Member`` (roles: Role, id or name;
  administrator gives an "Administrateur" role with ADMINISTRATOR)
  ``create_channel(guild, name, type=0, *, parent=None, overwrites=None) -> Channel``
  ``create_role(guild, name, *, permissions=0, color=0) -> Role``
  ``bot_role(guild) -> Role`` (the bot's managed role: ``bot_permissions``, by default exactly
  ``rtes_bot.permissions.BOT_PERMISSIONS``, never Administrator; the guild's owner is a person)
  ``await set_role_permissions(guild, role, permissions)`` (GUILD_ROLE_UPDATE)
Gateway events from users (async):
  ``member_join(guild, user, roles=())``, ``member_leave(guild, user)``, ``set_member_roles(guild, user, roles)``
  ``dm(user, content, *, files=()) -> Message``            (MESSAGE_CREATE in the user's DM channel)
  ``mention(guild, user, channel, content) -> Message``    ("<@bot> content")
  ``post(guild, user, channel, content, *, files=())``     (plain guild message)
Interactions (async; ``wait=True`` returns once answered, i.e. after ``Interaction.wait_done``):
  ``slash(guild, user, command, subcommand=None, options=None, locale=None, channel=None, *, wait=True, timeout=5)``
      subcommand "ouvrir" or "group sub"; options converted with the synced schema: str/int/float/bool,
      User/Member (user), Channel, Role, attachment as ``(filename, bytes[, content_type])``; a choice may be
      given by its name. Unknown/missing-required options raise ValueError. guild=None -> DM context.
  ``autocomplete(guild, user, command, options=None, focused=None, locale=None, *, subcommand=None) -> list[choice]``
  ``click(guild, user, message, custom_id=None, values=None, locale=None, *, label=None, wait=True)``
      waits until the HTTP response that carried ``message`` was returned (+ ``click_delay``) so the view is
      registered; select values may be option values or labels (users/roles/channels for entity selects).
  ``submit_modal(guild, user, previous, {field_custom_id: value}, locale=None, *, wait=True)``
Queries:
  ``requests`` (RequestRecord(method, path, query, json); path relative to /api/v10), ``unhandled``
  (unknown routes, answered 404), ``errors`` (requests answered with an error), ``identifies``, ``intents``,
  ``member_requests`` (REQUEST_GUILD_MEMBERS received), ``is_large(guild)``,
  ``channel_messages(channel)``, ``dms_to(user)``, ``dm_channel(user)``, ``find_channel(guild, name, type=None)``,
  ``find_role(guild, name)``, ``member_roles(guild, user) -> list[Role]``, ``member_role_names(guild, user)``,
  ``threads(channel)``, ``commands(guild=None)`` (synced schemas), ``guild_commands``, ``global_commands``,
  ``requests_to(method, regex)``, ``permissions(guild, member, channel=None)``, ``interactions``, ``messages``.
  ``await wait_for(predicate, timeout=5)`` polls until truthy (returns the value);
  ``await wait_connected(count=1)``; ``connected``; ``sessions`` (one per bot connection; events go to all,
  or, for a session that IDENTIFYed with ``shard: [id, count]``, only those of its shard's guilds, DMs to
  shard 0; ``recommended_shards`` sets what ``GET /gateway/bot`` recommends).

Interaction record (``models.Interaction``)
  ``response`` (callback body), ``callback_type``, ``modal``, ``choices``, ``messages`` (original + follow-ups +
  edited component message), ``message`` (last visible one), ``original``, ``followups``, ``text``,
  ``ephemeral``, ``payload`` (what was dispatched), ``await wait_done(timeout=5, followup=None)`` (callback and,
  for deferred 5/6, the first follow-up or @original edit), ``await wait_messages(n)``.
Message (``models.Message``): ``id, channel_id, author, content, embeds, components, attachments``
  (``Attachment.name/.filename/.data/.content_type``), ``flags, ephemeral, loading, text, mentions,
  mention_everyone, allowed_mentions, edits, deleted, pinned``; ``find_component(custom_id=None, label=None)``,
  ``buttons``, ``selects``.
Realism: Discord-style JSON errors (e.g. 50024 forum without COMMUNITY, 40060 double ack, 10062 unknown
interaction, 50035 invalid form body for over-long content/embeds/labels/custom ids/duplicate custom ids,
50006 empty message, 50013 missing permissions / role hierarchy: channels and roles need Manage
Channels / Manage Roles, an overwrite or a role may only allow or deny permissions the bot has,
posting needs Send Messages (in threads: Send Messages in Threads) and files Attach Files, threads
Create Public/Private Threads, history Read Message History, deleting others' messages and pins
Manage Messages), permission overwrites, category sync of
overwrites, MESSAGE_CONTENT intent blanking, forum posts whose first message id is the thread id.

Layout: ``server.py`` (state, HTTP plumbing, route table) composes one mixin per resource: ``guilds.py``,
``channels.py`` (threads, forums, DMs), ``messages.py``, ``members.py`` (users, roles), ``commands.py``,
``interactions.py`` (slash, autocomplete, components, modals, follow-ups), ``gateway.py``; ``base.py``
holds the shared constants and helpers, ``models.py`` the state's dataclasses.

Harness (``harness``): ``run_client(emu, client_or_factory, token=DEFAULT_TOKEN, timeout=10)`` async context
manager; ``socket_guard()`` context manager (raises ``NetworkAccessRefused``); ``ErrorLogCollector``
(``install()/uninstall()``, context manager, ``records``, ``messages()``, ``ignore(pred)``, ``clear()``,
``assert_clean()``). pytest fixtures in ``tests.emulator.fixtures``: ``emulator``, ``socket_guard``, ``error_log``.
"""

from .harness import (
    DEFAULT_TOKEN,
    ErrorLogCollector,
    NetworkAccessRefused,
    run_client,
    socket_guard,
)
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
    snowflake,
)
from .server import ADMINISTRATOR, ALL_PERMISSIONS, DiscordEmulator, RequestRecord

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "CATEGORY",
    "DEFAULT_TOKEN",
    "DM",
    "FORUM",
    "PUBLIC_THREAD",
    "TEXT",
    "Attachment",
    "Channel",
    "DiscordEmulator",
    "ErrorLogCollector",
    "Guild",
    "Interaction",
    "Member",
    "Message",
    "NetworkAccessRefused",
    "RequestRecord",
    "Role",
    "User",
    "run_client",
    "snowflake",
    "socket_guard",
]
