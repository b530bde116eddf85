"""Settings come from the environment and `.env`; the ballot key is generated once, owner-only."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from rtes_bot.settings import Settings, load_settings


def test_guild_ids_accept_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUILD_IDS", "123, 456")
    assert load_settings().guild_ids == [123, 456]


def test_database_defaults_to_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert (
        settings.effective_database_url
        == f"sqlite+aiosqlite:///{tmp_path.as_posix()}/rtes-bot.sqlite3"
    )


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    (tmp_path / ".env").write_text("DISCORD_TOKEN=abc\nLOG_LEVEL=debug\n", encoding="utf-8")
    settings = load_settings()
    assert settings.discord_token is not None and settings.discord_token.get_secret_value() == "abc"
    assert settings.log_level == "DEBUG"


def test_invalid_timezone_is_refused() -> None:
    with pytest.raises(ValueError):
        Settings(timezone="Europe/Nowhere", _env_file=None)


def test_secret_key_is_generated_once_with_owner_only_permissions(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    with caplog.at_level(logging.WARNING):
        key = settings.ensure_secret_key()
    path = tmp_path / "secret.key"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32
    assert "SECRET_KEY" in caplog.text and str(path) in caplog.text
    again = Settings(data_dir=tmp_path, _env_file=None).ensure_secret_key()
    assert again == key


def test_explicit_secret_key_wins(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="s3cret", _env_file=None)
    assert settings.ensure_secret_key() == b"s3cret"
    assert not (tmp_path / "secret.key").exists()
