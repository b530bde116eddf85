"""Operator commands loaded lazily by `rtes-bot`: `import-collectivites` and `export audit`.

They use the same services and the same database as the bot (``DATABASE_URL``, migrations
applied first), outside Discord.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from rtes_bot.catalog import t


def _settings() -> Any:
    from rtes_bot.cli import _settings_or_exit

    return _settings_or_exit()


def _guild_id(settings: Any, given: int | None) -> int:
    if given is not None:
        return given
    if len(settings.guild_ids) == 1:
        return int(settings.guild_ids[0])
    raise click.UsageError(
        "Indiquez le serveur avec --guild ID (GUILD_IDS n'en désigne pas un seul). / "
        "Give the server with --guild ID (GUILD_IDS does not name exactly one)."
    )


async def _import(url: str, guild_id: int, data: bytes, locale: str) -> tuple[int, str]:
    from rtes_bot.db import Database, upgrade
    from rtes_bot.errors import DomainError
    from rtes_bot.services import collectivites

    await upgrade(url)
    database = Database(url)
    try:
        async with database.begin() as session:
            report = await collectivites.import_csv(session, guild_id, data, actor_id=None)
    except collectivites.ImportRefused as error:
        return 1, collectivites.refusal_text(error, locale)
    except DomainError as error:
        return 1, t(error.key, locale, **error.params)
    finally:
        await database.dispose()
    return 0, collectivites.report_text(report, locale)


@click.command("import-collectivites")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--guild", "guild", type=int, default=None, help="Discord server (guild) id.")
def import_collectivites(file: Path, guild: int | None) -> None:
    """Import the member collectivités from a CSV file (see docs/collectivites-csv.md).

    Invalid lines are listed with their number and reason, and nothing is written.
    Re-importing updates the collectivités already known (same code, else same name).
    """
    settings = _settings()
    guild_id = _guild_id(settings, guild)
    code, text = asyncio.run(
        _import(
            settings.effective_database_url, guild_id, file.read_bytes(), settings.default_locale
        )
    )
    click.echo(text, err=code != 0)
    sys.exit(code)


@click.group("export")
def export() -> None:
    """Export data of a network (audit log)."""


async def _audit_rows(url: str, guild_id: int) -> list[dict[str, Any]]:
    from rtes_bot.db import Database, upgrade
    from rtes_bot.services import audit

    await upgrade(url)
    database = Database(url)
    try:
        async with database.read() as session:
            events = await audit.events(session, guild_id)
            names = await audit.names(session, guild_id)
    finally:
        await database.dispose()
    rows = [audit.event_row(event, names) for event in events]
    for row in rows:
        del row["guild_id"]  # one network per export: given on the command line
    return rows


def audit_as_csv(rows: list[dict[str, Any]]) -> str:
    """The audit rows as CSV through the bot's one CSV writer (no cell is a formula)."""
    from rtes_bot.services import audit

    # One network per export (given on the command line): no guild_id column.
    return audit.rows_csv(rows, [column for column in audit.COLUMNS if column != "guild_id"])


@export.command("audit")
@click.option("--guild", "guild", type=int, default=None, help="Discord server (guild) id.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")  # fmt: skip
def export_audit(guild: int | None, fmt: str, output: Path | None) -> None:
    """Export the audit log of a network (every state change: who, what, when) as JSON or CSV."""
    settings = _settings()
    guild_id = _guild_id(settings, guild)
    rows = asyncio.run(_audit_rows(settings.effective_database_url, guild_id))
    text = (
        json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        if fmt == "json"
        else audit_as_csv(rows)
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} événement(s) / event(s) → {output}", err=True)
