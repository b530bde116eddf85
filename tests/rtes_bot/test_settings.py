"""Settings come from the environment and `.env`; where the secret key file is (its rules are in
tests/rtes_bot/test_keys.py)."""

from __future__ import annotations

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


def test_secret_key_file_is_in_the_data_folder_whatever_the_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for url in (
        "",
        f"sqlite+aiosqlite:///{tmp_path / 'elsewhere' / 'bot.sqlite3'}",
        "postgresql+asyncpg://rtes@127.0.0.1/rtes",
    ):
        settings = Settings(data_dir=data, database_url=url, _env_file=None)
        assert settings.secret_key_path() == data / "secret.key"


def test_legacy_key_location_is_beside_an_sqlite_file_outside_the_data_folder(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    elsewhere = f"sqlite+aiosqlite:///{tmp_path / 'elsewhere' / 'bot.sqlite3'}"
    settings = Settings(data_dir=data, database_url=elsewhere, _env_file=None)
    assert settings.legacy_secret_key_path() == tmp_path / "elsewhere" / "secret.key"
    assert Settings(data_dir=data, _env_file=None).legacy_secret_key_path() is None
    postgres = "postgresql+asyncpg://rtes@127.0.0.1/rtes"
    assert (
        Settings(data_dir=data, database_url=postgres, _env_file=None).legacy_secret_key_path()
        is None
    )
