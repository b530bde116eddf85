"""Discord shards: the SHARD_COUNT/SHARD_IDS settings and their refusals, the bot's class, and the
guild → shard rule in Python and in SQL (the scheduler's filter). Two real processes on two
shards are in tests/system/test_shards.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from discord.ext import commands
from pydantic import ValidationError
from sqlalchemy import BigInteger, literal, select

from rtes_bot.ballot_box import BallotBox
from rtes_bot.bot import RtesBot
from rtes_bot.cli import main
from rtes_bot.db import Database
from rtes_bot.models import Poll, utcnow
from rtes_bot.settings import Settings
from rtes_bot.shards import Shards, shard_of
from tests.emulator.models import snowflake
from tests.support.catalog import said
from tests.support.rig import TEST_MASTER_KEY

POSTGRES = "postgresql+asyncpg://rtes@127.0.0.1/rtes"


def refusal(**values: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, **values)  # type: ignore[arg-type]
    return str(caught.value)


def both(key: str, **params: object) -> list[str]:
    return [said(key, "fr", **params), said(key, "en", **params)]


def test_shard_settings_are_read_and_checked() -> None:
    assert Settings(_env_file=None).shards is None
    assert Settings(_env_file=None, shard_count="", shard_ids="").shards is None  # type: ignore[arg-type]
    every = Settings(_env_file=None, shard_count=2)  # all shards in this process: fine on SQLite
    assert every.shards == Shards(2, (0, 1)) and every.shards.complete
    some = Settings(_env_file=None, shard_count="4", shard_ids="3, 1", database_url=POSTGRES)  # type: ignore[arg-type]
    assert some.shards == Shards(4, (1, 3)) and not some.shards.complete

    for text in both("reglages.shards.nombre", valeur="0"):
        assert text in refusal(shard_count="0")
    for text in both("reglages.shards.nombre", valeur="deux"):
        assert text in refusal(shard_count="deux")
    for text in both("reglages.shards.sans-nombre"):
        assert text in refusal(shard_ids="0", database_url=POSTGRES)
    for text in both("reglages.shards.illisible", valeur="zéro"):
        assert text in refusal(shard_count=2, shard_ids="zéro", database_url=POSTGRES)
    for ids, shown in (("0,2", "0, 2"), ("1,1", "1, 1"), ("-1", "-1")):
        for text in both("reglages.shards.hors-plage", ids=shown, count=2, last=1):
            assert text in refusal(shard_count=2, shard_ids=ids, database_url=POSTGRES)


def test_several_processes_on_one_sqlite_file_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SHARD_IDS naming only some shards means other processes serve the rest: not on SQLite."""
    for text in both("reglages.shards.sqlite", count=2, last=1):
        assert text in refusal(shard_count=2, shard_ids="1")
        assert text in refusal(
            shard_count=2, shard_ids="0", database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db"
        )
    assert Settings(_env_file=None, shard_count=2, shard_ids="1,0").shards == Shards(2, (0, 1))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SHARD_COUNT", "2")
    monkeypatch.setenv("SHARD_IDS", "1")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 2
    assert "SHARD_IDS" in result.output and "Traceback" not in result.output
    for text in both("reglages.shards.sqlite", count=2, last=1):
        assert text in result.output


async def test_the_bot_is_auto_sharded_only_with_shard_settings() -> None:
    plain = RtesBot(Settings(_env_file=None))
    assert not isinstance(plain, commands.AutoShardedBot) and plain.shard_count is None
    sharded = RtesBot(Settings(_env_file=None, shard_count=4, shard_ids="2", database_url=POSTGRES))  # type: ignore[arg-type]
    assert isinstance(sharded, commands.AutoShardedBot) and isinstance(sharded, RtesBot)
    assert (sharded.shard_count, sharded.shard_ids) == (4, [2])
    alone = RtesBot(Settings(_env_file=None, shard_count=2))
    assert isinstance(alone, commands.AutoShardedBot)
    assert (alone.shard_count, alone.shard_ids) == (2, [0, 1])


async def test_the_sql_rule_routes_guilds_as_discord_does(database: Database) -> None:
    """The scheduler filters polls in SQL: the same shard as Python's rule, on both backends,
    for real 63-bit guild ids."""
    guilds = [snowflake((i % 3, 3)) for i in range(9)] + [
        2**63 - 1,
        2**62 + 12345,
        175928847299117063,
    ]
    for shards in (Shards(3, (1,)), Shards(3, (0, 2)), Shards(3, (0, 1, 2)), Shards(1, (0,))):
        async with database.read() as session:
            for guild_id in guilds:
                column = literal(guild_id, BigInteger)
                served = (await session.execute(select(shards.where(column)))).scalar_one()
                assert bool(served) == shards.serves(guild_id), (shards, guild_id)
                assert shards.serves(guild_id) == (shard_of(guild_id, shards.count) in shards.ids)


async def test_a_sharded_ballot_box_loads_only_its_guilds_open_polls(database: Database) -> None:
    """At start, a process caches the open polls of the guilds it serves; a poll of another
    shard's guild (a vote sent in a DM reaches shard 0) is loaded at its first use there."""
    mine, theirs = snowflake((0, 2)), snowflake((1, 2))
    closes = utcnow() + timedelta(days=2)
    async with database.begin() as session:
        for guild_id in (mine, theirs):
            session.add(
                Poll(
                    guild_id=guild_id,
                    number=1,
                    question="Q ?",
                    method="pour-contre",
                    seed="graine",
                    closes_at=closes,
                    electorate_weight=0,
                )
            )
    sharded = BallotBox(database, TEST_MASTER_KEY, utcnow, Shards(2, (0,)))
    whole = BallotBox(database, TEST_MASTER_KEY, utcnow)
    for box in (sharded, whole):
        await box.start()
    try:
        assert {p.guild_id for p in sharded._open.values()} == {mine}
        assert {p.guild_id for p in whole._open.values()} == {mine, theirs}
        loaded = await sharded.open_poll_by_number(theirs, 1)
        assert loaded.guild_id == theirs and {p.guild_id for p in sharded._open.values()} == {
            mine,
            theirs,
        }
    finally:
        for box in (sharded, whole):
            await box.stop()
