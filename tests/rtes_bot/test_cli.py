"""The `rtes-bot` command line as an operator meets it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from rtes_bot.cli import main
from rtes_bot.db import script_heads
from tests.support import paths

ROOT = paths.ROOT


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISCORD_TOKEN", "DATABASE_URL", "GUILD_IDS"}
    }
    env["DATA_DIR"] = str(tmp_path / "data")
    return env


def test_without_token_the_bot_explains_in_french_and_english_and_fails(tmp_path: Path) -> None:
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "rtes_bot"],
        cwd=tmp_path,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
    )
    elapsed = time.monotonic() - started
    assert completed.returncode != 0
    assert "DISCORD_TOKEN n'est pas défini" in completed.stderr
    assert "DISCORD_TOKEN is not set" in completed.stderr
    assert ".env" in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    assert elapsed < 10


def test_db_upgrade_then_check_reports_the_schema(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    checked = runner.invoke(main, ["check", "--offline"])  # the token: test_cli_discord.py
    assert checked.exit_code == 0, checked.output
    assert sorted(script_heads() or [])[0] in checked.output
    assert "Configuration OK" in checked.output


def test_check_names_what_is_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "DISCORD_TOKEN" in result.output
    assert "database unreachable" in result.output


def test_invalid_setting_is_reported_without_traceback(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "bavard")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "LOG_LEVEL" in result.output
