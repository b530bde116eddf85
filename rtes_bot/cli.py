"""The `rtes-bot` command line: run (default), db upgrade, check, key, import-collectivites, recount,
export audit."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError

from rtes_bot.settings import Settings, load_settings

MISSING_TOKEN = """\
DISCORD_TOKEN n'est pas défini : le bot ne peut pas se connecter à Discord.
  Définissez la variable d'environnement DISCORD_TOKEN, ou ajoutez la ligne
  DISCORD_TOKEN=… dans le fichier .env du dossier où vous lancez le bot
  (modèle : .env.example ; le jeton se trouve dans le portail développeur Discord,
  rubrique Bot > Reset Token).

DISCORD_TOKEN is not set: the bot cannot connect to Discord.
  Set the DISCORD_TOKEN environment variable, or add the line DISCORD_TOKEN=… to the
  .env file in the folder you start the bot from (template: .env.example; the token is in
  the Discord developer portal, Bot > Reset Token)."""


def both(key: str, /, **params: object) -> str:
    """A catalog message on one line, French then English (the command line has no locale)."""
    from rtes_bot.catalog import t

    return f"{t(key, 'fr', **params)} / {t(key, 'en', **params)}"


#: exit codes: a person must act (fix the configuration, the token, the key) or not (Discord
#: unreachable: trying again later may work; docs/deploy/rtes-bot.service restarts only on that)
EXIT_PROBLEMS = 1  # `check` found problems
EXIT_CONFIGURATION = 2  # a missing, empty or invalid setting
EXIT_REFUSED = 3  # the token, the secret key or the intents refused
EXIT_UNREACHABLE = 4  # Discord unreachable or failing (network, DNS, 5xx)


def _refuse(failure: tuple[str, int]) -> NoReturn:
    """A known failure to reach or use Discord: one bilingual line and its exit code, no
    traceback."""
    line, code = failure
    click.echo(line, err=True)
    sys.exit(code)


def _token_or_exit(settings: Settings) -> str:
    """The token, or the reason there is none (unset: where to set it; empty: what to put)."""
    if settings.discord_token is None:
        click.echo(MISSING_TOKEN, err=True)
        sys.exit(EXIT_CONFIGURATION)
    token = settings.discord_token.get_secret_value().strip()
    if not token:
        click.echo(both("cli.jeton-vide"), err=True)
        sys.exit(EXIT_CONFIGURATION)
    return token


def discord_failure(error: BaseException) -> tuple[str, int] | None:
    """The bilingual line and exit code of a failure to log in to Discord, or None for any other error:
    a refused token (401), Discord unreachable (no network, DNS, refused connection, time-out),
    or Discord answering with a server error."""
    import aiohttp
    import discord

    if isinstance(error, discord.LoginFailure):
        return both("cli.jeton-refuse"), EXIT_REFUSED
    if isinstance(error, discord.DiscordServerError):
        return both("cli.discord-erreur", statut=error.status), EXIT_UNREACHABLE
    if isinstance(error, aiohttp.ClientConnectionError):  # DNS, refused, reset, time-out
        detail = str(error) or type(error).__name__
        return f"{both('cli.discord-injoignable')} [{' '.join(detail.split())}]", EXIT_UNREACHABLE
    return None


#: seconds `rtes-bot check` waits for Discord's answer before calling it unreachable
DISCORD_CHECK_TIMEOUT = 20.0


#: application flags saying the Server Members Intent is enabled (GATEWAY_GUILD_MEMBERS for a
#: verified bot, GATEWAY_GUILD_MEMBERS_LIMITED below 100 servers)
MEMBERS_INTENT_FLAGS = (1 << 14) | (1 << 15)


async def check_token(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``GET /users/@me`` with the token, as `run` logs in (discord.py's own HTTP client, so a
    redirected API base URL is honoured), then the application (``GET /oauth2/applications/@me``):
    the bot's user and its application, or the exception of the failure."""
    import aiohttp
    import discord

    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        async with asyncio.timeout(DISCORD_CHECK_TIMEOUT):
            user = await http.static_login(token)
            application = await http.application_info()
        return dict(user), dict(application)
    except TimeoutError as error:
        raise aiohttp.ServerTimeoutError(f"no answer in {DISCORD_CHECK_TIMEOUT:g} s") from error
    finally:
        await http.close()


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ValidationError as error:
        lines = ["Configuration invalide / invalid configuration:"]
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"]).upper()
            lines.append(f"  - {where}: {problem['msg']}")
        click.echo("\n".join(lines), err=True)
        sys.exit(EXIT_CONFIGURATION)


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)-8s %(name)s: %(message)s",
    )


class LazyCommand(click.Command):
    """A command whose implementation is imported only when it runs (keeps start-up light)."""

    def __init__(self, name: str, target: str, help_text: str) -> None:
        super().__init__(name, help=help_text, context_settings={"ignore_unknown_options": True})
        self.target = target

    def _load(self) -> click.Command:
        import importlib

        module_name, attribute = self.target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self._load().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        return self._load().invoke(ctx)

    def get_help(self, ctx: click.Context) -> str:
        return self._load().get_help(ctx)


@click.group(invoke_without_command=True)
@click.pass_context
def main(context: click.Context) -> None:
    """rtes-bot: the RTES network's Discord bot. Without a command: `run`."""
    # Every file a command creates (database, journal, WAL, key, exports) is owner-only
    # (rtes_bot.db.private_umask, without importing the database layer here).
    os.umask(os.umask(0o077) | 0o077)
    if context.invoked_subcommand is None:
        context.invoke(run)


@main.command()
def run() -> None:
    """Connect to Discord and serve (migrations are applied first)."""
    settings = _settings_or_exit()
    token = _token_or_exit(settings)
    _setup_logging(settings)
    from rtes_bot.keys import protect_storage

    protect_storage(settings)  # before the database opens
    from rtes_bot.bot import RtesBot

    async def serve() -> None:
        bot = RtesBot(settings)
        async with bot:
            await bot.start(token)

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    except Exception as error:  # a clear last word instead of a traceback for known failures
        import discord

        from rtes_bot.keys import SecretKeyError

        if isinstance(error, SecretKeyError):
            _refuse_key(error)
        if (failure := discord_failure(error)) is not None:
            _refuse(failure)
        if isinstance(error, discord.PrivilegedIntentsRequired):
            _refuse((both("cli.intent-membres"), EXIT_REFUSED))
        raise


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the schema migrations."""
    settings = _settings_or_exit()
    _setup_logging(settings)
    from rtes_bot.db import upgrade_sync

    upgrade_sync(settings.effective_database_url, revision)
    click.echo(f"Base de données à jour / database upgraded ({revision}).")


@main.command()
@click.option(
    "--offline",
    is_flag=True,
    help="Do not contact Discord (the token is then not checked).",
)
def check(offline: bool) -> None:
    """Validate the configuration, the database, the secret key and (unless --offline) the
    token with Discord; say what is missing."""
    settings = _settings_or_exit()
    problems: list[str] = []
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else None
    if settings.discord_token is None:
        problems.append("DISCORD_TOKEN manquant / missing (.env or environment)")
    elif not token:
        problems.append(both("cli.jeton-vide"))
    if not settings.guild_ids:
        click.echo(
            "GUILD_IDS vide : synchronisation globale des commandes / empty: global command sync"
        )
    ok, detail = asyncio.run(_check_database(settings.effective_database_url))
    click.echo(f"Base de données / database: {detail}")
    if not ok:
        problems.append(f"base de données inaccessible / database unreachable: {detail}")
    from rtes_bot.keys import SecretKeyError

    try:
        click.echo(
            asyncio.run(_check_key(settings, settings.effective_database_url if ok else None))
        )
    except SecretKeyError as error:
        _refuse_key(error)
    if problems:
        click.echo("Problèmes / problems:", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(EXIT_PROBLEMS)
    if offline or token is None:
        click.echo(both("cli.jeton-non-verifie"))
    else:
        _check_token_or_exit(token)
    click.echo("Configuration OK.")


def _check_token_or_exit(token: str) -> None:
    """Log in to Discord with the token (no gateway connection): who the bot is and its invite
    link, and whether the Server Members Intent is on; or the one bilingual line saying why not."""
    from rtes_bot.permissions import invite_url

    try:
        user, application = asyncio.run(check_token(token))
    except Exception as error:
        if (failure := discord_failure(error)) is not None:
            _refuse(failure)
        raise
    click.echo(both("cli.jeton-valide", nom=user.get("username", "?"), id=user.get("id", "?")))
    click.echo(both("cli.lien-invitation", url=invite_url(application.get("id", user["id"]))))
    if not int(application.get("flags") or 0) & MEMBERS_INTENT_FLAGS:
        _refuse((both("cli.intent-membres"), EXIT_REFUSED))


async def _check_key(settings: Settings, url: str | None) -> str:
    from rtes_bot.db import Database
    from rtes_bot.keys import check_master_key

    if url is None:
        return await check_master_key(settings, None)
    database = Database(url)
    try:
        return await check_master_key(settings, database)
    finally:
        await database.dispose()


def _refuse_key(error: Exception) -> NoReturn:
    """A refused secret key: its message (French, then English) and exit code 3, no traceback."""
    click.echo(str(error), err=True)
    sys.exit(EXIT_REFUSED)


@main.group()
def key() -> None:
    """Secret key commands (the key that keeps secret ballots secret)."""


@key.command("generate")
def key_generate() -> None:
    """Print a new secret key (for SECRET_KEY or DATA_DIR/secret.key; owner-only file)."""
    from rtes_bot.keys import generate_key_text

    click.echo(generate_key_text())


@key.command("fingerprint")
@click.option(
    "--file",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A key file (e.g. from a backup) instead of the configured key.",
)
def key_fingerprint(key_file: Path | None) -> None:
    """Print the fingerprint of the configured key (or of FILE), as the database records it."""
    from rtes_bot.keys import SecretKeyError, fingerprint, load_key, read_key_file

    try:
        if key_file is not None:
            master: bytes | None = read_key_file(key_file, fix_permissions=False)
        else:
            loaded = load_key(_settings_or_exit())
            master = loaded.master if loaded is not None else None
    except SecretKeyError as error:
        _refuse_key(error)
    if master is None:
        click.echo(
            "Aucune clé configurée / no key configured (SECRET_KEY, DATA_DIR/secret.key).", err=True
        )
        sys.exit(1)
    click.echo(fingerprint(master))


async def _check_database(url: str) -> tuple[bool, str]:
    from sqlalchemy import text

    from rtes_bot.db import Database

    database = Database(url)
    try:
        async with database.read() as session:
            await session.execute(text("SELECT 1"))
            try:
                version = (
                    await session.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar()
            except Exception:
                version = None
        schema = (
            f"schéma / schema {version}"
            if version
            else "schéma non créé (rtes-bot db upgrade) / schema not created"
        )
        return True, f"{database.engine.url.render_as_string(hide_password=True)} — {schema}"
    except Exception as error:
        return False, f"{type(error).__name__}: {error}"
    finally:
        await database.dispose()


# Each lazy command's help is the first line of its docstring (a test checks they agree): the
# list `rtes-bot --help` shows must not promise what the command does not do.
main.add_command(
    LazyCommand(
        "recount",
        "rtes_bot.counting.cli:recount",
        "Recount the ballots of FILE (CSV, or ABIF for classement) and explain the result.",
    )
)
main.add_command(
    LazyCommand(
        "import-collectivites",
        "rtes_bot.admin_cli:import_collectivites",
        "Import the member collectivités from a CSV file (see docs/collectivites-csv.md).",
    )
)
main.add_command(
    LazyCommand("export", "rtes_bot.admin_cli:export", "Export data of a network (audit log).")
)
