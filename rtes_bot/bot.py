"""The bot: a `commands.Bot` that opens the database, installs the translator, loads every cog,
registers persistent views and syncs its command tree.

It never touches discord.py's API base URL or gateway URL: tests and operators may redirect them.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from rtes_bot import db as database_module
from rtes_bot import keys
from rtes_bot.ballot_box import BallotBox
from rtes_bot.clock import Clock
from rtes_bot.db import Database
from rtes_bot.locales import LocaleMemory
from rtes_bot.settings import Settings
from rtes_bot.ui import NO_MENTIONS, CatalogTranslator, handle_error

log = logging.getLogger("rtes_bot")


def intents() -> discord.Intents:
    """Guilds, members (privileged: enable "Server Members Intent" in the developer portal),
    guild and DM messages (mentions and DMs carry their content without the content intent)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.members = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    return wanted


def extension_names() -> list[str]:
    """Every extension in `cogs/` (modules and packages; names starting with `_` are helpers)."""
    package = importlib.import_module("cogs")
    return [
        f"cogs.{info.name}"
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


class RtesTree(app_commands.CommandTree["RtesBot"]):
    async def on_error(
        self, interaction: discord.Interaction[RtesBot], error: app_commands.AppCommandError
    ) -> None:
        await handle_error(interaction, error)


class RtesBot(commands.Bot):
    """The bot. With `SHARD_COUNT` set, an instance is a :class:`ShardedRtesBot` (an
    `AutoShardedBot` connecting only `SHARD_IDS`, else every shard); otherwise a plain `Bot`."""

    def __new__(cls, settings: Settings, *args: Any, **kwargs: Any) -> RtesBot:
        if cls is RtesBot and settings.shards is not None:
            cls = ShardedRtesBot
        return super().__new__(cls)

    def __init__(
        self,
        settings: Settings,
        *,
        database: Database | None = None,
        clock: Clock | None = None,
        apply_migrations: bool = True,
        **kwargs: Any,
    ) -> None:
        # One network per guild: no need to wait long for more GUILD_CREATEs before on_ready.
        kwargs.setdefault("guild_ready_timeout", 0.5)
        # Members are not chunked at start (a 10,000-member server would cost seconds and
        # megabytes): interactions carry the member, and the few lookups fetch on demand.
        kwargs.setdefault("chunk_guilds_at_startup", False)
        shards = settings.shards
        if shards is not None:
            # discord.py then opens one websocket per shard, IDENTIFYing with [id, count], on
            # the gateway it already knows (it asks GET /gateway/bot only without a count).
            kwargs.setdefault("shard_count", shards.count)
            kwargs.setdefault("shard_ids", list(shards.ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            tree_cls=RtesTree,
            **kwargs,
        )
        self.settings = settings
        self.clock = clock or Clock()
        #: the locale of each user's last interaction: the language of the DMs sent to them
        self.locales = LocaleMemory()
        self._database = database
        self._apply_migrations = apply_migrations
        self.secret_key: bytes = b""
        self._ballot_box: BallotBox | None = None
        #: the poll publisher (set by the `cogs.polls` extension): posts, refreshes, announces
        self.publisher: Any = None

    @property
    def ballot_box(self) -> BallotBox:
        if self._ballot_box is None:
            raise RuntimeError("the ballot box is opened in setup_hook")
        return self._ballot_box

    @property
    def db(self) -> Database:
        if self._database is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self._database

    def default_guild_id(self) -> int | None:
        """The network meant by a DM: the only configured guild, else the only joined guild."""
        if len(self.settings.guild_ids) == 1:
            return self.settings.guild_ids[0]
        if len(self.guilds) == 1:
            return self.guilds[0].id
        return None

    async def setup_hook(self) -> None:
        url = self.settings.effective_database_url
        if self._apply_migrations:
            await database_module.upgrade(url)
        if self._database is None:
            self._database = Database(url)
        # The master key, checked against the database's fingerprint (SecretKeyError: refused).
        self.secret_key = await keys.ensure_master_key(self.settings, self.db)
        self._ballot_box = BallotBox(self.db, self.secret_key, self.clock.now, self.settings.shards)
        await self._ballot_box.start()
        await self.tree.set_translator(CatalogTranslator())
        for name in extension_names():
            await self.load_extension(name)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        if self.settings.guild_ids:
            for guild_id in self.settings.guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("Synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("Synced %d global commands", len(synced))

    async def on_ready(self) -> None:
        log.info(
            "Connected as %s (%s) to %d guild(s)",
            self.user,
            getattr(self.user, "id", "?"),
            len(self.guilds),
        )

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        self.locales.remember(interaction.user.id, interaction.locale)

    async def on_message(self, message: discord.Message) -> None:
        # No prefix commands: free text is handled by the chatbot cog's listener.
        return

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self.publisher is not None:
                await self.publisher.close()
            if self._ballot_box is not None:
                await self._ballot_box.stop()
            if self._database is not None:
                await self._database.dispose()


class ShardedRtesBot(RtesBot, commands.AutoShardedBot):
    """The bot on Discord shards (`SHARD_COUNT`, `SHARD_IDS`): see :class:`RtesBot`."""
