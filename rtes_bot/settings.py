"""Runtime configuration, read from the environment and `.env` when the application starts.

Nothing here is read at import time: call :func:`load_settings` from the entry point.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    timezone: str = "Europe/Paris"
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
        """Where a generated secret key is kept: beside the SQLite file, else in the data folder."""
        url = self.effective_database_url
        if url.startswith("sqlite") and ":///" in url:
            db_path = Path(url.split(":///", 1)[1])
            if str(db_path) not in ("", ":memory:"):
                return db_path.parent / SECRET_KEY_FILENAME
        return self.data_dir / SECRET_KEY_FILENAME

    def ensure_secret_key(self) -> bytes:
        """Return the ballot-secrecy key, generating and storing one (mode 0600) on first start."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value().encode()
        path = self.secret_key_path()
        if path.exists():
            return path.read_text(encoding="ascii").strip().encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        log.warning(
            "SECRET_KEY is not set: a new key was generated and stored in %s (owner-only). "
            "Keep this file with the database: without it, secret ballots can no longer be replaced.",
            path,
        )
        self.secret_key = SecretStr(key)
        return key.encode()


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment and `.env` (overrides win)."""
    return Settings(**overrides)  # type: ignore[arg-type]
