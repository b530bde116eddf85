"""Runtime configuration, read from the environment and `.env` when the application starts.

Nothing here is read at import time: call :func:`load_settings` from the entry point. The secret
key's rules (format, length, file permissions, fingerprint) are in `rtes_bot.keys`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from rtes_bot.clock import DEFAULT_TIMEZONE

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path("data")
SECRET_KEY_FILENAME = "secret.key"


class Settings(BaseSettings):
    """Every setting of the bot. `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    database_url: str = ""
    data_dir: Path = DEFAULT_DATA_DIR
    guild_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    secret_key: SecretStr | None = None
    default_locale: Literal["fr", "en"] = "fr"
    timezone: str = DEFAULT_TIMEZONE
    log_level: str = "INFO"
    max_proxies_per_holder: int = 2

    @field_validator("guild_ids", mode="before")
    @classmethod
    def _split_guild_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level {value!r}")
        return value

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or an SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'rtes-bot.sqlite3').as_posix()}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def secret_key_path(self) -> Path:
        """Where the secret key file is kept: `DATA_DIR/secret.key`, whatever the database
        (`SECRET_KEY`, when set, wins over the file; `rtes_bot.keys` reads and checks both)."""
        return self.data_dir / SECRET_KEY_FILENAME

    def legacy_secret_key_path(self) -> Path | None:
        """Where earlier versions generated the key when the SQLite file is outside `DATA_DIR`:
        beside the SQLite file. None when that is `DATA_DIR/secret.key` itself."""
        url = self.effective_database_url
        if not url.startswith("sqlite") or ":///" not in url:
            return None
        db_path = Path(url.split(":///", 1)[1].split("?", 1)[0])
        if str(db_path) in ("", ":memory:"):
            return None
        legacy = db_path.parent / SECRET_KEY_FILENAME
        if legacy.absolute() == self.secret_key_path().absolute():
            return None
        return legacy


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment and `.env` (overrides win)."""
    return Settings(**overrides)  # type: ignore[arg-type]
