"""The end-to-end rig: the real RtesBot, with the real discord.py, connected to the local Discord
emulator, on a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set).

Use the ``rig`` fixture (defined in tests/conftest.py)::

    async def test_something(rig):
        alice = await rig.elu("Alice Martin")          # an active élu (DB row + Discord member + role)
        r = await rig.emu.slash(rig.guild, alice.user, "aide")
        await r.wait_done()
        assert "…" in r.text

Any ERROR logged by the bot fails the test (the error-log collector is checked at teardown), and
so does any Discord HTTP request made inside a write transaction (:class:`DiscordCallsInTransaction`,
checked at teardown; ``RTES_ALLOW_HTTP_IN_TX=1`` turns those failures into warnings).
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import discord.webhook.async_
import pytest

from rtes_bot.bot import RtesBot
from rtes_bot.clock import Clock
from rtes_bot.db import in_write_transaction
from rtes_bot.keys import decode_key
from rtes_bot.models import Collectivite, Elu, EluStatus, utcnow
from rtes_bot.settings import Settings
from tests.support import paths

TEST_TOKEN = "emulated-bot-token"
#: SECRET_KEY of the tests: a valid key (URL-safe base64 of 48 bytes, like generated ones)
TEST_SECRET = "cnRlcy1ib3QgdGVzdCBzZWNyZXQga2V5IC0tIGZvciB0aGUgdGVzdHMgb25seSEh"
#: the master key it decodes to (`RtesBot.secret_key`)
TEST_MASTER_KEY = decode_key(TEST_SECRET)


ROOT = paths.ROOT
#: Set to 1 to report Discord calls inside write transactions as warnings instead of failures.
ALLOW_HTTP_IN_TX = "RTES_ALLOW_HTTP_IN_TX"


class DiscordCallsInTransaction:
    """Records every Discord HTTP request (REST through ``HTTPClient.request``, attachment
    downloads through ``HTTPClient.get_from_cdn``, interaction responses and follow-ups through
    the webhook adapter) made while the calling task is inside ``Database.begin()``: on SQLite
    every other writer would wait behind that round trip.

    :meth:`install` patches discord.py for one test; :meth:`check` (at teardown) fails the test
    with the route and the project functions on the call stack of each violation.
    """

    def __init__(self) -> None:
        self.violations: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> DiscordCallsInTransaction:
        guard = self
        rest = discord.http.HTTPClient.request
        webhook = discord.webhook.async_.AsyncWebhookAdapter.request
        cdn = discord.http.HTTPClient.get_from_cdn

        async def rest_request(client: Any, route: Any, **kwargs: Any) -> Any:
            if in_write_transaction():
                guard.record(route)
            return await rest(client, route, **kwargs)

        async def webhook_request(adapter: Any, route: Any, session: Any, **kwargs: Any) -> Any:
            if in_write_transaction():
                guard.record(route)
            return await webhook(adapter, route, session, **kwargs)

        async def cdn_request(client: Any, url: str) -> bytes:
            if in_write_transaction():
                guard.record(discord.http.Route("GET", "<cdn>"), detail=url.split("?")[0])
            return await cdn(client, url)

        monkeypatch.setattr(discord.http.HTTPClient, "request", rest_request)
        monkeypatch.setattr(discord.http.HTTPClient, "get_from_cdn", cdn_request)
        monkeypatch.setattr(discord.webhook.async_.AsyncWebhookAdapter, "request", webhook_request)
        return self

    def record(self, route: Any, detail: str = "") -> None:
        what = f"{route.method} {route.path}" + (f" ({detail})" if detail else "")
        self.violations.append(f"{what} from {self._callers()}")

    @staticmethod
    def _callers() -> str:
        """The project's functions on the stack (innermost first): where the call was made."""
        names: list[str] = []
        frame = sys._getframe(2)
        while frame is not None:
            path = Path(frame.f_code.co_filename)
            if path.is_relative_to(ROOT) and path.parts[len(ROOT.parts)] in ("cogs", "rtes_bot"):
                where = f"{path.relative_to(ROOT)}:{frame.f_code.co_qualname}"
                if where not in names:
                    names.append(where)
            frame = frame.f_back  # type: ignore[assignment]
        return " < ".join(names) or "outside the project"

    def clear(self) -> None:
        self.violations.clear()

    def check(self) -> None:
        if not self.violations:
            return
        message = "Discord HTTP calls inside a write transaction:\n" + "\n".join(
            f"  {line}" for line in self.violations
        )
        if os.environ.get(ALLOW_HTTP_IN_TX) == "1":
            warnings.warn(message, stacklevel=1)
        else:
            raise AssertionError(message)


@dataclass
class Person:
    """A test person: the emulator user and, when registered, their database row."""

    user: Any
    elu: Elu | None = None


@dataclass
class Rig:
    emu: Any
    guild: Any
    bot: RtesBot
    admin: Any
    settings: Settings
    clock: Clock
    people: list[Person] = field(default_factory=list)
    http_guard: DiscordCallsInTransaction | None = None

    @property
    def db(self):
        return self.bot.db

    def user(
        self,
        name: str,
        *,
        locale: str = "fr",
        administrator: bool = False,
        roles: list[Any] | None = None,
    ) -> Any:
        """A Discord member of the guild with no registration (a visitor)."""
        user = self.emu.create_user(name.lower().replace(" ", "_"), global_name=name)
        self.emu.add_member(self.guild, user, roles=roles or [], administrator=administrator)
        return user

    async def collectivite(self, name: str, **fields: Any) -> Collectivite:
        from rtes_bot.text import fold

        async with self.db.begin() as session:
            row = Collectivite(guild_id=self.guild.id, name=name, name_key=fold(name), **fields)
            session.add(row)
            await session.flush()
        return row

    async def elu(
        self,
        name: str,
        *,
        status: str = EluStatus.ACTIVE,
        collectivite: Collectivite | None = None,
        referent: bool = False,
        email: str | None = None,
        phone: str | None = None,
        share_email: bool = False,
        share_phone: bool = False,
        locale: str = "fr",
        roles: list[Any] | None = None,
    ) -> Person:
        """A registered person, written directly to the database (status active by default)."""
        user = self.user(name, roles=roles)
        async with self.db.begin() as session:
            elu = Elu(
                guild_id=self.guild.id,
                discord_user_id=user.id,
                full_name=name,
                collectivite_id=collectivite.id if collectivite else None,
                mandate="Adjoint·e à l'ESS",
                email=email,
                phone=phone,
                share_email=share_email,
                share_phone=share_phone,
                status=status,
                is_referent=referent,
                locale=locale,
                validated_at=utcnow() if status == EluStatus.ACTIVE else None,
            )
            session.add(elu)
            await session.flush()
        person = Person(user=user, elu=elu)
        self.people.append(person)
        return person


def make_settings(database_url: str, guild_id: int, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "discord_token": TEST_TOKEN,
        "database_url": database_url,
        "guild_ids": [guild_id],
        "secret_key": TEST_SECRET,
        "data_dir": data_dir,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def make_bot(settings: Settings, clock: Clock | None = None) -> RtesBot:
    return RtesBot(settings, clock=clock or Clock(), guild_ready_timeout=0.1)
