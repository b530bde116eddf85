"""Voting figures: `/voter` bursts through the emulator with the real RtesBot, and ballot storage
through the service layer (`ballots.cast` in a `db.begin()` unit of work) against raw drivers.

Used by ``benchmarks.bench_bot``; each figure is set against a floor measured in the same run.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from benchmarks.common import Bursts, Row, ViewWatcher, bursts, percentile, ratio
from rtes_bot.db import Database, upgrade
from rtes_bot.models import Ballot, Elu, EluStatus, GuildSettings, Participation, Poll, utcnow
from rtes_bot.services import ballots
from tests.emulator import DiscordEmulator, ErrorLogCollector, run_client
from tests.support.rig import TEST_TOKEN, make_bot, make_settings

Floors = dict[str, dict[int, Bursts]]  # kind ("slash" | "vote") -> burst size -> figures

VOTE_TARGET = 0.7
STORAGE_TARGET = 0.5
CONCURRENCY = 50  # concurrent units of work in the "concurrent" storage figure
TIMEOUT = 300  # seconds an interaction of a burst may take before the run fails
GUILD_ID = 1_100_000_000_000_000_000
SECRET_KEY = b"benchmark-secret-key"


# ------------------------------------------------------------------ seeding


async def bulk_elus(
    database: Database, guild_id: int, user_ids: list[int], chunk: int = 5_000
) -> None:
    """Active élus for these Discord users, in a few multi-row INSERTs."""
    now = utcnow()
    rows = [
        {
            "guild_id": guild_id,
            "discord_user_id": user_id,
            "full_name": f"Élu·e {index}",
            "mandate": "Adjoint·e",
            "share_email": False,
            "share_phone": False,
            "is_referent": False,
            "status": EluStatus.ACTIVE,
            "locale": "fr",
            "reminders_opt_out": False,
            "validated_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for index, user_id in enumerate(user_ids)
    ]
    for start in range(0, len(rows), chunk):
        async with database.begin() as session:
            await session.execute(insert(Elu), rows[start : start + chunk])


async def count_ballots(database: Database, poll_id: int) -> tuple[int, int]:
    """(participations, ballots) stored for a poll."""
    async with database.read() as session:
        participations = await session.scalar(
            select(func.count()).select_from(Participation).where(Participation.poll_id == poll_id)
        )
        stored = await session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id)
        )
    return int(participations or 0), int(stored or 0)


# ------------------------------------------------------------------ /voter bursts


class VoterBench:
    """The real RtesBot on a fresh SQLite file, `voters` eligible élus, one admin of the bureau."""

    def __init__(self, folder: Path, voters: int) -> None:
        self.folder = folder
        self.voters = voters
        self.url = f"sqlite+aiosqlite:///{folder / 'voter-burst.sqlite3'}"
        self.emu = DiscordEmulator()
        self.log = ErrorLogCollector(level=logging.WARNING)
        self.bot: Any = None
        self.views: Any = None
        self.acks: list[float] = []  # ms from injection to the first callback
        self.polls_opened = 0

    async def setup(self) -> None:
        await upgrade(self.url)
        await self.emu.start()
        self.emu.install()
        self.guild = self.emu.create_guild("RTES", community=True)
        self.admin = self.emu.create_user("bureau_admin", global_name="Admin Bureau")
        self.emu.add_member(self.guild, self.admin, administrator=True)
        registry = self.emu.create_channel(self.guild, "registre-des-decisions")
        self.users = [self.emu.create_user(f"elu_{i}") for i in range(self.voters)]
        for user in self.users:
            self.emu.add_member(self.guild, user)
        database = Database(self.url)
        try:
            async with database.begin() as session:
                session.add(GuildSettings(guild_id=self.guild.id, registry_channel_id=registry.id))
            await bulk_elus(database, self.guild.id, [user.id for user in self.users])
        finally:
            await database.dispose()
        self.settings = make_settings(self.url, self.guild.id, self.folder / "voter-burst-data")

    async def open_poll(self) -> Poll:
        """`/scrutin ouvrir` as the bureau: a secret pour-contre poll open for 48 hours."""
        self.polls_opened += 1
        r = await self.emu.slash(
            self.guild,
            self.admin,
            "scrutin",
            subcommand="ouvrir",
            options={
                "question": f"Mesure {self.polls_opened} ?",
                "duree": "48h",
                "methode": "pour-contre",
                "secret": True,
            },
            timeout=30,
        )
        await r.wait_done(30)
        async with self.bot.db.read() as session:
            poll = (
                (
                    await session.execute(
                        select(Poll).where(Poll.guild_id == self.guild.id).order_by(Poll.id.desc())
                    )
                )
                .scalars()
                .first()
            )
        if poll is None or not poll.secret or poll.method != "pour-contre":
            raise RuntimeError(f"could not open the benchmark poll: {r.text!r}")
        return poll

    async def answered(self, started: float, interaction: Any) -> Any:
        """Wait for the answer; records how long the acknowledgement (Discord's 3 s) took."""
        await asyncio.wait_for(interaction.callback_event.wait(), TIMEOUT)
        self.acks.append((time.perf_counter() - started) * 1000)
        return await interaction.wait_done(TIMEOUT)

    async def ask(self, poll: Poll, index: int, choice: str) -> Any:
        """`/voter scrutin choix`, until the answer that offers Confirmer."""
        started = time.perf_counter()
        r = await self.emu.slash(
            self.guild,
            self.users[index],
            "voter",
            options={"scrutin": poll.number, "choix": choice},
            wait=False,
        )
        await self.answered(started, r)
        if r.message is None or not r.message.buttons:
            raise RuntimeError(f"/voter did not ask for confirmation: {r.text!r}")
        return r

    async def slash_only(self, poll: Poll, index: int) -> None:
        await self.ask(poll, index, "pour")

    async def vote(self, poll: Poll, index: int, choice: str = "pour") -> None:
        """The complete vote: `/voter scrutin choix`, then the Confirmer button."""
        r = await self.ask(poll, index, choice)
        await self.views.ready(r.message.id)
        started = time.perf_counter()
        click = await self.emu.click(
            self.guild, self.users[index], r.message, "rtes:bulletin:confirmer", wait=False
        )
        await self.answered(started, click)
        if "Bulletin enregistré" not in click.text:
            raise RuntimeError(f"the vote was not recorded: {click.text!r}")

    def acknowledged(self) -> str:
        """The acknowledgements recorded since the last call."""
        acks, self.acks = self.acks, []
        late = sum(1 for ack in acks if ack > 3000)
        return (
            f"; acknowledged p99 {percentile(acks, 0.99):,.0f} ms, max {max(acks):,.0f} ms"
            f" ({late} after 3 s)"
        )


async def voter_burst_figures(
    sizes: list[int], floor: Floors, folder: Path, rounds: int = 1
) -> list[Row]:
    """`/voter` in bursts of each size: the slash alone, then the complete vote (slash + Confirmer).

    Each round is on a poll of its own (opened by `/scrutin ouvrir`), so that every vote of the
    complete-vote bursts is a first ballot; all of them must be stored.
    """
    bench = VoterBench(folder, max(sizes))
    rows: list[Row] = []
    await bench.setup()
    bench.log.install()
    try:
        async with run_client(
            bench.emu, make_bot(bench.settings), token=TEST_TOKEN, timeout=60
        ) as bot:
            bench.bot = bot
            bench.views = ViewWatcher(bot)
            warm = await bench.open_poll()
            for index in range(20):
                await bench.vote(warm, index)
            bench.acknowledged()
            opened: list[Poll] = []

            async def fresh_poll() -> Poll:
                await asyncio.sleep(1.2)  # the debounced refresh of the last poll message passes
                poll = await bench.open_poll()
                opened.append(poll)
                return poll

            for size in sizes:
                found = await bursts(rounds, size, fresh_poll, bench.slash_only)
                rows.append(
                    (
                        f"`/voter` slash alone (answers with the Confirmer button), burst of {size:,}",
                        found.describe("interactions", "interaction") + bench.acknowledged(),
                        ratio(found.rate, floor["slash"][size].rate, VOTE_TARGET) + " (`/ping`)",
                    )
                )
                opened.clear()
                found = await bursts(rounds, size, fresh_poll, bench.vote)
                for poll in opened:
                    stored = await count_ballots(bot.db, poll.id or 0)
                    if stored != (size, size):
                        raise RuntimeError(f"{size} votes acknowledged but {stored} stored")
                rows.append(
                    (
                        f"`/voter` complete vote (slash + Confirmer), burst of {size:,}",
                        found.describe("votes", "vote")
                        + bench.acknowledged()
                        + f"; all {size:,} ballots stored",
                        ratio(found.rate, floor["vote"][size].rate, VOTE_TARGET)
                        + " (slash + click)",
                    )
                )
            await asyncio.sleep(1.5)  # the last debounced poll-message refresh, before closing
    finally:
        bench.log.uninstall()
        await bench.emu.stop()
    problems = bench.log.messages()
    rows.append(
        (
            "warnings and errors logged during the `/voter` bursts",
            f"{len(problems)}" + (f" (first: {problems[0][:120]})" if problems else ""),
            "must be 0",
        )
    )
    return rows


# ------------------------------------------------------------------ ballot storage


async def open_bench_poll(database: Database, guild_id: int, number: int) -> Poll:
    """An open secret pour-contre poll, written directly."""
    now = utcnow()
    async with database.begin() as session:
        poll = Poll(
            guild_id=guild_id,
            number=number,
            question=f"Stockage {number} ?",
            method="pour-contre",
            options=[],
            secret=True,
            seed=uuid.uuid4().hex,
            opens_at=now,
            closes_at=now + timedelta(days=365),
        )
        session.add(poll)
        await session.flush()
    return poll


async def load_elus(database: Database, guild_id: int) -> list[Elu]:
    async with database.read() as session:
        result = await session.execute(select(Elu).where(Elu.guild_id == guild_id).order_by(Elu.id))
        return list(result.scalars())


async def cast_one(database: Database, poll: Poll, elu: Elu) -> None:
    """One ballot, one unit of work: what the Confirmer button stores (service layer only)."""
    async with database.begin() as session:
        await ballots.cast(
            session, poll=poll, elu=elu, content="pour", secret_key=SECRET_KEY, now=utcnow()
        )


async def store_ballots(
    database: Database, poll: Poll, elus: list[Elu], concurrency: int
) -> tuple[float, list[float]]:
    """Cast one ballot per élu; returns (ballots per second, latency of each unit of work in ms)."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(elu: Elu) -> None:
        async with gate:
            started = time.perf_counter()
            await cast_one(database, poll, elu)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    if concurrency == 1:
        for elu in elus:
            await one(elu)
    else:
        await asyncio.gather(*(one(elu) for elu in elus))
    elapsed = time.perf_counter() - started
    stored = await count_ballots(database, poll.id or 0)
    if stored != (len(elus), len(elus)):
        raise RuntimeError(f"{len(elus)} ballots cast but {stored} stored")
    return len(elus) / elapsed, latencies


async def storage_rows(
    database: Database, backend: str, count: int, floor: float, floor_name: str, rounds: int
) -> list[Row]:
    guild_id = GUILD_ID
    async with database.begin() as session:
        session.add(GuildSettings(guild_id=guild_id))
    await bulk_elus(database, guild_id, [GUILD_ID + 1 + i for i in range(count)])
    elus = await load_elus(database, guild_id)
    numbers = iter(range(1, 1000))
    warm = await open_bench_poll(database, guild_id, next(numbers))
    await store_ballots(database, warm, elus[:50], 1)
    rows = []
    for label, concurrency in [("sequential", 1), (f"{CONCURRENCY} concurrent", CONCURRENCY)]:
        rates, latencies = [], []
        for _ in range(rounds):
            poll = await open_bench_poll(database, guild_id, next(numbers))
            rate, found = await store_ballots(database, poll, elus, concurrency)
            rates.append(rate)
            latencies.extend(found)
        throughput = statistics.median(rates)
        rows.append(
            (
                f"ballot storage, `ballots.cast` in `db.begin()`, {label} ({backend}, {count:,} ballots)",
                f"{throughput:,.0f} ballots/s; p50 {percentile(latencies, 0.5):.1f} ms, "
                f"p99 {percentile(latencies, 0.99):.1f} ms per unit of work",
                ratio(throughput, floor, STORAGE_TARGET) + f" ({floor_name})",
            )
        )
    return rows + await cog_database_work(database, guild_id, elus, 100, rounds, backend)


async def cog_database_work(
    database: Database, guild_id: int, elus: list[Elu], number: int, rounds: int, backend: str
) -> list[Row]:
    """The database work of `/voter` and of its Confirmer button, without Discord: the cog's own
    `prepare` and `cast_and_confirm`, called with a stand-in interaction, one at a time."""
    from types import SimpleNamespace

    from cogs.voting import Target, cast_and_confirm, prepare
    from rtes_bot.clock import Clock

    bot = SimpleNamespace(
        db=database, clock=Clock(), secret_key=SECRET_KEY, get_cog=lambda name: None
    )

    def interaction(elu: Elu) -> Any:
        user = SimpleNamespace(id=elu.discord_user_id)
        return SimpleNamespace(client=bot, user=user, guild_id=guild_id, locale="fr")

    rows = []
    for label, step in [
        ("`/voter`'s reads (`prepare`: one read session, 4 queries)", "prepare"),
        ("the Confirmer's write (`cast_and_confirm`: one transaction, 6 statements)", "cast"),
    ]:
        rates, cpu = [], 0.0
        for _ in range(rounds):
            poll = await open_bench_poll(database, guild_id, number)
            number += 1
            target = Target(poll)
            started, clock = time.perf_counter(), time.process_time()
            for elu in elus:
                if step == "prepare":
                    await prepare(interaction(elu), poll.number, by_number=True)
                else:
                    await cast_and_confirm(interaction(elu), target, "pour")
            cpu += time.process_time() - clock
            rates.append(len(elus) / (time.perf_counter() - started))
        rows.append(
            (
                f"{label}, without Discord, one at a time ({backend})",
                f"{statistics.median(rates):,.0f} calls/s; "
                f"CPU {cpu * 1000 / (rounds * len(elus)):.1f} ms per call",
                "(explains the `/voter` figures)",
            )
        )
    return rows


async def asyncpg_commit_floor(url: str, count: int) -> float:
    """Raw asyncpg: one single-row INSERT per transaction (autocommit), prepared statement."""
    import asyncpg

    parsed = make_url(url)
    connection = await asyncpg.connect(
        user=parsed.username,
        password=parsed.password,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
    )
    try:
        await connection.execute("CREATE TABLE floor_t (k TEXT PRIMARY KEY, v JSON)")
        statement = await connection.prepare("INSERT INTO floor_t VALUES ($1, $2)")
        started = time.perf_counter()
        for index in range(count):
            await statement.fetch(f"{index:064x}", '"pour"')
        elapsed = time.perf_counter() - started
        await connection.execute("DROP TABLE floor_t")
    finally:
        await connection.close()
    return count / elapsed


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    parsed = make_url(url)
    connection = await asyncpg.connect(
        user=parsed.username,
        password=parsed.password,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def with_scratch_postgres(url: str, work: Callable[[str], Awaitable[Any]]) -> Any:
    """Run `work(url)` on a fresh database `rtes_bench_*` of the same server, dropped after."""
    name = f"rtes_bench_{uuid.uuid4().hex[:12]}"
    await _pg_admin(url, f'CREATE DATABASE "{name}"')
    scratch = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        return await work(scratch)
    finally:
        await _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def ballot_storage_figures(
    folder: Path, commit_floor: float, count: int, postgres: str | None, rounds: int = 1
) -> list[Row]:
    """`ballots.cast` per unit of work on SQLite (same file system as the floor), and PostgreSQL."""
    url = f"sqlite+aiosqlite:///{folder / 'storage.sqlite3'}"
    await upgrade(url)
    database = Database(url)
    try:
        rows = await storage_rows(
            database, "SQLite", count, commit_floor, "raw aiosqlite INSERT+COMMIT", rounds
        )
    finally:
        await database.dispose()
    if postgres:

        async def on_postgres(scratch: str) -> list[Row]:
            floors = [await asyncpg_commit_floor(scratch, count) for _ in range(rounds)]
            floor = statistics.median(floors)
            await upgrade(scratch)
            database = Database(scratch)
            spread = f" (runs: {min(floors):,.0f}–{max(floors):,.0f})" if rounds > 1 else ""
            try:
                found = [
                    (
                        "floor: raw asyncpg single-row INSERT (autocommit, prepared)",
                        f"{floor:,.0f} rows/s{spread}",
                        "1.00 (floor)",
                    )
                ]
                found += await storage_rows(
                    database, "PostgreSQL", count, floor, "raw asyncpg INSERT", rounds
                )
                return found
            finally:
                await database.dispose()

        rows += await with_scratch_postgres(postgres, on_postgres)
    return rows
