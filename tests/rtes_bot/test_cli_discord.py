"""`rtes-bot check` and `rtes-bot run` meeting Discord (the emulator, or nothing at all), as
processes: an empty token, a refused token, an unreachable Discord each end with one bilingual
line and a non-zero exit, never a traceback; a good token is checked and named."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from rtes_bot.cli import EXIT_CONFIGURATION, EXIT_REFUSED, EXIT_UNREACHABLE, both
from rtes_bot.permissions import bot_permissions_value
from tests.support.catalog import fixed_part
from tests.support.processes import run_command
from tests.support.rig import TEST_SECRET, TEST_TOKEN


def _env(tmp_path: Path, token: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISCORD_TOKEN", "DATABASE_URL", "GUILD_IDS", "SECRET_KEY", "LOG_LEVEL"}
    }
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY=TEST_SECRET,
        PYTHONUNBUFFERED="1",
    )
    if token is not None:
        env["DISCORD_TOKEN"] = token
    return env


def _closed_port() -> int:
    """A loopback port nothing listens on: Discord unreachable."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _last_word(err: str, key: str) -> None:
    """stderr ends with the one bilingual line of ``key`` (French / English), no traceback."""
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert lines, "nothing said"
    assert fixed_part(key, "fr") in lines[-1] and fixed_part(key, "en") in lines[-1], err
    assert "Traceback" not in err, err


async def test_check_refuses_an_empty_token_from_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DISCORD_TOKEN=\n", encoding="utf-8")
    code, out, err = await run_command(["check"], _env(tmp_path, None), cwd=tmp_path)
    assert code != 0
    assert both("cli.jeton-vide") in err
    assert "Configuration OK" not in out + err
    assert "Traceback" not in out + err


async def test_run_refuses_an_empty_token_with_one_line(tmp_path: Path) -> None:
    code, _out, err = await run_command(["run"], _env(tmp_path, "  "), cwd=tmp_path)
    assert code == EXIT_CONFIGURATION
    assert err.strip() == both("cli.jeton-vide")


async def test_check_logs_in_with_a_good_token_and_gives_the_invite_link(
    emulator, tmp_path: Path
) -> None:
    emulator.valid_tokens = {TEST_TOKEN}
    code, out, err = await run_command(
        ["check"], _env(tmp_path, TEST_TOKEN), port=emulator.port, cwd=tmp_path
    )
    assert code == 0, out + err
    assert both("cli.jeton-valide", nom=emulator.bot.username, id=emulator.bot.id) in out
    assert f"client_id={emulator.bot.id}" in out
    assert f"permissions={bot_permissions_value()}" in out
    assert "Configuration OK." in out
    assert emulator.requests_to("GET", r"^/users/@me$")


async def test_check_offline_does_not_contact_discord(tmp_path: Path) -> None:
    code, out, err = await run_command(
        ["check", "--offline"], _env(tmp_path, TEST_TOKEN), port=_closed_port(), cwd=tmp_path
    )
    assert code == 0, out + err
    assert both("cli.jeton-non-verifie") in out and "Configuration OK." in out


@pytest.mark.parametrize("command", ["check", "run"])
async def test_a_refused_token_ends_with_one_line(emulator, tmp_path: Path, command: str) -> None:
    emulator.valid_tokens = {TEST_TOKEN}
    code, out, err = await run_command(
        [command], _env(tmp_path, "not-the-token"), port=emulator.port, cwd=tmp_path
    )
    assert code == EXIT_REFUSED, out + err
    _last_word(err, "cli.jeton-refuse")
    assert "Configuration OK" not in out


@pytest.mark.parametrize("command", ["check", "run"])
async def test_an_unreachable_discord_ends_with_one_line(tmp_path: Path, command: str) -> None:
    code, out, err = await run_command(
        [command], _env(tmp_path, TEST_TOKEN), port=_closed_port(), cwd=tmp_path
    )
    assert code == EXIT_UNREACHABLE, out + err
    _last_word(err, "cli.discord-injoignable")
    assert "Configuration OK" not in out


async def test_check_says_when_the_members_intent_is_off(emulator, tmp_path: Path) -> None:
    emulator.allow_privileged_intents = False
    code, out, err = await run_command(
        ["check"], _env(tmp_path, TEST_TOKEN), port=emulator.port, cwd=tmp_path
    )
    assert code == EXIT_REFUSED, out + err
    assert err.strip() == both("cli.intent-membres")
    assert "Configuration OK" not in out


async def test_run_says_when_the_members_intent_is_off(emulator, tmp_path: Path) -> None:
    emulator.allow_privileged_intents = False
    emulator.create_guild("RTES", community=True)
    code, out, err = await run_command(
        ["run"], _env(tmp_path, TEST_TOKEN), port=emulator.port, cwd=tmp_path
    )
    assert code == EXIT_REFUSED, out + err
    _last_word(err, "cli.intent-membres")
