"""Runtime configuration, read from the environment and `.env` when the application starts.

Nothing here is read at import time: call :func:`load_settings` from the entry point. The secret
key's rules (format, length, file permissions, fingerprint) are in `rtes_bot.keys`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from rtes_bot.clock import DEFAULT_TIMEZONE
from rtes_bot.shards import Shards

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
    #: Discord shards (docs: README, "Grandir"): how many in all, and which ones this process
    #: serves (all of them when SHARD_IDS is empty). Unset: one plain connection, no sharding.
    shard_count: int | None = None
    shard_ids: Annotated[list[int] | None, NoDecode] = None

    @field_validator("guild_ids", mode="before")
    @classmethod
    def _split_guild_ids(cls, value: object) -> object:
        return _int_list(value)

    @field_validator("shard_count", mode="before")
    @classmethod
    def _check_shard_count(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            count = int(str(value).strip())
        except ValueError:
            raise _refusal("reglages.shards.nombre", valeur=value) from None
        if count < 1:
            raise _refusal("reglages.shards.nombre", valeur=value)
        return count

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shard_ids(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return _int_list(value)
        except ValueError:
            raise _refusal("reglages.shards.illisible", valeur=value) from None

    @field_validator("shard_ids")
    @classmethod
    def _check_shard_ids(cls, value: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if value is None or "shard_count" not in info.data:
            return value  # unset, or SHARD_COUNT itself already refused
        count = info.data["shard_count"]
        if count is None:
            raise _refusal("reglages.shards.sans-nombre")
        wrong = [i for i in value if not 0 <= i < count]
        if wrong or len(set(value)) != len(value) or not value:
            shown = ", ".join(str(i) for i in value)
            raise _refusal("reglages.shards.hors-plage", ids=shown, count=count, last=count - 1)
        database_url = str(info.data.get("database_url") or "")
        if (not database_url or database_url.startswith("sqlite")) and set(value) != set(
            range(count)
        ):
            # Other processes would serve the other shards on the same SQLite file: refused
            # (SQLite has one writer at a time and no cross-process notification of changes).
            raise _refusal("reglages.shards.sqlite", count=count, last=count - 1)
        return sorted(value)

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
    def shards(self) -> Shards | None:
        """The shards this process serves; None when the bot is not sharded."""
        if self.shard_count is None:
            return None
        return Shards(self.shard_count, tuple(self.shard_ids or range(self.shard_count)))

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


def _int_list(value: object) -> object:
    """A comma-separated list of integers (";" accepted too) as a list; an int as a list of one."""
    if isinstance(value, str):
        return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


def _refusal(key: str, **params: object) -> PydanticCustomError:
    """A settings error in both languages, from the catalog (read only when one is raised)."""
    from rtes_bot.catalog import ENGLISH, FRENCH, t

    text = f"{t(key, FRENCH, **params)} / {t(key, ENGLISH, **params)}"
    return PydanticCustomError("setting", text.replace("{", "(").replace("}", ")"))


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment and `.env` (overrides win)."""
    return Settings(**overrides)  # type: ignore[arg-type]
