"""The end-to-end rig: the real RtesBot, with the real discord.py, connected to the local Discord
emulator, on a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set).

Use the ``rig`` fixture (defined in tests/conftest.py)::

    async def test_something(rig):
        alice = await rig.elu("Alice Martin")          # an active élu (DB row + Discord member + role)
        r = await rig.emu.slash(rig.guild, alice.user, "aide")
        await r.wait_done()
        assert "…" in r.text

Any ERROR logged by the bot fails the test (the error-log collector is checked at teardown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rtes_bot.bot import RtesBot
from rtes_bot.clock import Clock
from rtes_bot.keys import decode_key
from rtes_bot.models import Collectivite, Elu, EluStatus, utcnow
from rtes_bot.settings import Settings

TEST_TOKEN = "emulated-bot-token"
#: SECRET_KEY of the tests: a valid key (URL-safe base64 of 48 bytes, like generated ones)
TEST_SECRET = "cnRlcy1ib3QgdGVzdCBzZWNyZXQga2V5IC0tIGZvciB0aGUgdGVzdHMgb25seSEh"
#: the master key it decodes to (`RtesBot.secret_key`)
TEST_MASTER_KEY = decode_key(TEST_SECRET)


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
