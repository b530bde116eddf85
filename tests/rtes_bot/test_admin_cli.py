"""`rtes-bot import-collectivites FILE.csv --guild ID` and `rtes-bot export audit` on a real database."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from rtes_bot.catalog import t
from rtes_bot.cli import main
from rtes_bot.db import Database
from rtes_bot.models import Collectivite

GUILD = 987_654_321_012_345_678
CSV = (
    "nom,type,code,statut,poids\nGrenoble,commune,38185,adhérente,2\nLyon,commune,69123,associée,\n"
)


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GUILD_IDS", raising=False)
    return database_url


async def invoke(args: list[str]) -> Result:
    # The commands run their own event loop: run them beside the test's loop.
    return await asyncio.to_thread(CliRunner().invoke, main, args)


async def names(url: str) -> list[str]:
    database = Database(url)
    try:
        async with database.read() as session:
            return list(
                (
                    await session.execute(select(Collectivite.name).order_by(Collectivite.name))
                ).scalars()
            )
    finally:
        await database.dispose()


async def test_cli_import_then_reimport_and_export_the_audit_log(env: str, tmp_path: Path) -> None:
    path = tmp_path / "collectivites.csv"
    path.write_text(CSV, encoding="utf-8")
    first = await invoke(["import-collectivites", str(path), "--guild", str(GUILD)])
    assert first.exit_code == 0, first.output
    assert (
        t("collectivites.import.fait", "fr", creees=2, mises_a_jour=0, inchangees=0) in first.output
    )
    again = await invoke(["import-collectivites", str(path), "--guild", str(GUILD)])
    assert (
        t("collectivites.import.fait", "fr", creees=0, mises_a_jour=0, inchangees=2) in again.output
    )
    assert await names(env) == ["Grenoble", "Lyon"]

    as_json = await invoke(["export", "audit", "--guild", str(GUILD)])
    assert as_json.exit_code == 0, as_json.output
    events = json.loads(as_json.output)
    assert [e["action"] for e in events] == ["collectivites.imported", "collectivites.imported"]
    assert events[0]["details"] == {"created": 2, "updated": 0, "unchanged": 0}
    as_csv = await invoke(["export", "audit", "--guild", str(GUILD), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [r["action"] for r in rows] == ["collectivites.imported"] * 2
    assert json.loads(rows[1]["details"])["unchanged"] == 2
    other_guild = await invoke(["export", "audit", "--guild", "1"])
    assert json.loads(other_guild.output) == []


async def test_cli_import_with_an_invalid_line_reports_it_and_writes_nothing(
    env: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "Paris,capitale,,,\n", encoding="utf-8")
    result = await invoke(["import-collectivites", str(path), "--guild", str(GUILD)])
    assert result.exit_code == 1
    # The exact French of a refused line, as the bureau reads it.
    assert "ligne 4 : type « capitale » inconnu" in result.output
    assert t("collectivites.import.rien-ecrit", "fr") in result.output
    assert await names(env) == []


async def test_cli_import_needs_the_guild_when_several_are_configured(
    env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUILD_IDS", "1,2")
    path = tmp_path / "c.csv"
    path.write_text(CSV, encoding="utf-8")
    result = await invoke(["import-collectivites", str(path)])
    assert result.exit_code == 2 and "--guild" in result.output
