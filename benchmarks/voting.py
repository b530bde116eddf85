"""Voting figures, each set against a floor measured in the same run:

- the complete vote as a user casts it, through the emulator with the real RtesBot: `/voter
  scrutin choix:pour` (one interaction, until its answer « Bulletin enregistré ») and the one-click
  « Pour » button of the poll message (`rtes:vote:<poll>:pour`), in bursts, against bare `/ping`;
- ballot storage through the service (`BallotBox.cast_vote`: group commit), one caller at a time
  and many at once, against the raw driver's single-row commit rate;
- closing and publishing a poll of 10,000 ballots (`BallotBox.close_poll`, then
  `publication.gather` + `publication.render` as the publisher's `announce` does).

Used by ``benchmarks.bench_bot``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlmodel import col

from benchmarks.common import Bursts, Row, bursts, percentile, ratio
from rtes_bot.ballot_box import BallotBox, OpenPoll
from rtes_bot.db import Database, upgrade
from rtes_bot.models import (
    ElectorateEntry,
    Elu,
    EluStatus,
    GuildSettings,
    Poll,
    SealedBallot,
    utcnow,
)
from rtes_bot.services import ballots, polls, publication
from tests.emulator import DiscordEmulator, ErrorLogCollector, run_client
from tests.support.rig import TEST_TOKEN, make_bot, make_settings

Floors = dict[str, dict[int, Bursts]]  # kind (bench_bot.FLOOR_KINDS) -> burst size -> figures

VOTE_TARGET = 0.7  # of the bare /ping floor
P99_TARGET_MS = 1000.0  # at bursts of 100
STORAGE_TARGET = 0.5  # of the raw single-row commit rate
CLOSE_TARGET_S = 2.0  # closing and publishing a poll of 10,000 ballots
CONCURRENCY = 50  # callers of the "50 concurrent callers" storage figure
TIMEOUT = 300  # seconds an interaction of a burst may take before the run fails
GUILD_ID = 1_100_000_000_000_000_000
CLOSE_GUILD_ID = 1_200_000_000_000_000_000
RECORDED = "Bulletin enregistré"

EMARGEMENT: Any = ElectorateEntry.__table__  # type: ignore[attr-defined]
SEALED: Any = SealedBallot.__table__  # type: ignore[attr-defined]


# ------------------------------------------------------------------ seeding and checks


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


async def stored(database: Database, poll_id: int) -> tuple[int, int]:
    """(entries of the liste d'émargement marked `voted`, sealed rows) of an open poll."""
    async with database.read() as session:
        voted = await session.scalar(
            select(func.count())
            .select_from(EMARGEMENT)
            .where(EMARGEMENT.c.poll_id == poll_id, EMARGEMENT.c.voted.is_(True))
        )
        sealed = await session.scalar(
            select(func.count()).select_from(SEALED).where(SEALED.c.poll_id == poll_id)
        )
    return int(voted or 0), int(sealed or 0)


class StatementCounter:
    """Counts the SQL statements an engine sends (each `execute`/`executemany` call, `BEGIN`
    included on SQLite, where the bot issues it itself) and the commits."""

    def __init__(self, database: Database) -> None:
        self.engine = database.engine.sync_engine
        self.statements = 0
        self.commits = 0
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._commit)

    def _statement(self, *_: Any) -> None:
        self.statements += 1

    def _commit(self, *_: Any) -> None:
        self.commits += 1

    @contextmanager
    def measure(self) -> Iterator[dict[str, int]]:
        found: dict[str, int] = {}
        statements, commits = self.statements, self.commits
        try:
            yield found
        finally:
            found["statements"] = self.statements - statements
            found["commits"] = self.commits - commits

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)


# ------------------------------------------------------------------ the complete vote


@dataclasses.dataclass
class BurstPoll:
    poll: Poll
    message: Any  # the emulator's poll message (with the one-click buttons)


KINDS = {
    "slash": "`/voter scrutin choix:pour` (one interaction)",
    "click": "one-click « Pour » button of the poll message",
}
#: the bare floor of the same shape (same options or message, same answer), in `bench_bot`
SHAPED = {"slash": "voter", "click": "pour"}
SHAPED_NAMES = {"slash": "`/voter`-shaped", "click": "« Pour »-shaped"}


@dataclasses.dataclass
class VoteSeries:
    """What the bursts of one kind and size measured, over the rounds."""

    parts: list[Bursts] = dataclasses.field(default_factory=list)
    ratios: list[float] = dataclasses.field(default_factory=list)  # to the same round's /ping
    shaped: list[float] = dataclasses.field(default_factory=list)  # to the round's shaped floor
    acks: list[float] = dataclasses.field(default_factory=list)
    votes: int = 0
    batches: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)
    stored: list[tuple[int, int]] = dataclasses.field(default_factory=list)


class VoterBench:
    """The real RtesBot (same process, same event loop as the emulator and the load generator,
    exactly as for the floor) on a fresh database: `voters` eligible élus and one admin.

    The emulator and the database live for the whole run; the bot is started for each round
    (`round`), so that the rounds can alternate with the floor's (the machine's load drifts)."""

    def __init__(self, folder: Path, voters: int, url: str, backend: str) -> None:
        self.folder = folder
        self.voters = voters
        self.url = url
        self.backend = backend
        self.emu = DiscordEmulator()
        self.log = ErrorLogCollector(level=logging.WARNING)
        self.bot: Any = None
        self.acks: list[float] = []  # ms from injection to the interaction's first callback
        self.failures: list[str] = []  # answers that were not « Bulletin enregistré »
        self.polls_opened = 0
        self.series: dict[tuple[str, int], VoteSeries] = {}

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

    async def close(self) -> None:
        await self.emu.stop()

    async def open_poll(self) -> BurstPoll:
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
            timeout=60,
        )
        await r.wait_done(60)
        async with self.bot.db.read() as session:
            poll = (
                (
                    await session.execute(
                        select(Poll)
                        .where(col(Poll.guild_id) == self.guild.id)
                        .order_by(col(Poll.id).desc())
                    )
                )
                .scalars()
                .first()
            )
        if poll is None or not poll.secret or poll.message_id is None:
            raise RuntimeError(f"could not open the benchmark poll: {r.text!r}")
        return BurstPoll(poll, self.emu.messages[poll.message_id])

    async def answered(self, started: float, interaction: Any) -> None:
        """Wait for the answer « Bulletin enregistré »; records the acknowledgement time."""
        await asyncio.wait_for(interaction.callback_event.wait(), TIMEOUT)
        self.acks.append((time.perf_counter() - started) * 1000)
        await interaction.wait_done(TIMEOUT)
        if RECORDED not in interaction.text:
            self.failures.append(interaction.text)

    async def slash_vote(self, target: BurstPoll, index: int) -> None:
        """`/voter scrutin:N choix:pour`: one interaction, stored before it answers."""
        started = time.perf_counter()
        r = await self.emu.slash(
            self.guild,
            self.users[index],
            "voter",
            options={"scrutin": target.poll.number, "choix": "pour"},
            wait=False,
        )
        await self.answered(started, r)

    async def click_vote(self, target: BurstPoll, index: int) -> None:
        """A click on « Pour » of the poll message."""
        started = time.perf_counter()
        r = await self.emu.click(
            self.guild,
            self.users[index],
            target.message,
            f"rtes:vote:{target.poll.id}:pour",
            wait=False,
        )
        await self.answered(started, r)

    async def round(self, sizes: list[int], floor: Floors) -> None:
        """Start the bot, warm it up, then one burst of each kind and size, each on a poll of
        its own (opened by `/scrutin ouvrir`: every vote is a first ballot). `floor`: the floors
        of the round just measured, for the per-round ratios."""
        fires: dict[str, Callable[[BurstPoll, int], Awaitable[None]]] = {
            "slash": self.slash_vote,
            "click": self.click_vote,
        }
        self.log.install()  # this bot's warnings and errors only (the rounds alternate)
        try:
            await self._round(sizes, floor, fires)
        finally:
            self.log.uninstall()
            self.bot = None

    async def _round(
        self,
        sizes: list[int],
        floor: Floors,
        fires: dict[str, Callable[[BurstPoll, int], Awaitable[None]]],
    ) -> None:
        async with run_client(
            self.emu, make_bot(self.settings), token=TEST_TOKEN, timeout=60
        ) as bot:
            self.bot = bot
            box: BallotBox = bot.ballot_box
            # Warm-up, as for the floor: one burst of the largest size opens aiohttp's
            # connection pool; then each path once more.
            warm = await self.open_poll()
            await bursts(1, max(sizes), lambda: asyncio.sleep(0, warm), self.slash_vote)
            warm = await self.open_poll()
            for index in range(20):
                await self.click_vote(warm, index)
            self.acks.clear()
            self.failures.clear()
            opened: list[BurstPoll] = []

            async def fresh_poll() -> BurstPoll:
                await asyncio.sleep(1.2)  # the debounced refresh of the last poll message passes
                target = await self.open_poll()
                opened.append(target)
                return target

            for size in sizes:
                for kind, fire in fires.items():
                    series = self.series.setdefault((kind, size), VoteSeries())
                    opened.clear()
                    batches = box.batches
                    found = await bursts(1, size, fresh_poll, fire)
                    series.batches += box.batches - batches
                    series.votes += size
                    series.parts.append(found)
                    series.ratios.append(found.rate / floor["ping"][size].rate)
                    series.shaped.append(found.rate / floor[SHAPED[kind]][size].rate)
                    series.acks += self.acks
                    series.failures += self.failures
                    self.acks, self.failures = [], []
                    series.stored += [await stored(bot.db, t.poll.id or 0) for t in opened]
            await asyncio.sleep(1.5)  # the last debounced poll-message refresh, before stopping

    def rows(self, floor: Floors) -> list[Row]:
        rows: list[Row] = []
        for (kind, size), series in self.series.items():
            measure = f"complete vote, {KINDS[kind]}, burst of {size:,} ({self.backend})"
            if series.failures:
                rows.append(
                    (
                        measure,
                        f"FAILED: {len(series.failures):,} of {series.votes:,} votes not recorded"
                        f" (answer: {series.failures[0][:60]!r}); stored (voted, sealed) per "
                        f"burst: {series.stored}",
                        "not measured (see the errors row)",
                    )
                )
                continue
            if any(counts != (size, size) for counts in series.stored):
                raise RuntimeError(f"{size} votes acknowledged but {series.stored} stored")
            found = Bursts.merge(series.parts)
            acks = series.acks
            p99 = percentile(found.latencies, 0.99)
            check = ""
            if size == 100:
                check = f"; p99 {'under' if p99 < P99_TARGET_MS else 'OVER'} the 1 s target"
            ratio_ = statistics.median(series.ratios)
            rows.append(
                (
                    measure,
                    found.describe("votes", "vote")
                    + f" (+{found.cpu_ms - floor[SHAPED[kind]][size].cpu_ms:.2f} ms over the "
                    f"{SHAPED_NAMES[kind]} floor)"
                    + found.spread()
                    + f"; acknowledged p50 {percentile(acks, 0.5):,.0f} ms, p99 "
                    f"{percentile(acks, 0.99):,.0f} ms, max {max(acks):,.0f} ms "
                    f"({sum(1 for a in acks if a > 3000)} after 3 s)"
                    + f"; mean commit batch {series.votes / max(series.batches, 1):.1f} votes"
                    + f"; all {size:,} votes of each burst stored (émargement + sealed)",
                    f"{ratio_:.2f} of the floor ({'meets' if ratio_ >= VOTE_TARGET else 'below'} "
                    f"the {VOTE_TARGET:g} target; median of the rounds' ratios to `/ping`{check}); "
                    f"{statistics.median(series.shaped):.2f} of the {SHAPED_NAMES[kind]} floor",
                )
            )
        problems = self.log.messages()
        rows.append(
            (
                f"warnings and errors logged during the vote bursts ({self.backend})",
                f"{len(problems)}" + (f" (first: {problems[0][:120]})" if problems else ""),
                "must be 0",
            )
        )
        return rows


async def vote_and_floor_figures(
    sizes: list[int],
    folder: Path,
    rounds: int,
    postgres: str | None,
    floor_round: Callable[[], Awaitable[Floors]],
) -> tuple[Floors, list[Row]]:
    """Rounds alternating the interaction floor (`floor_round`: one burst of each floor kind
    and size) and the vote bursts on SQLite (a fresh file) and, with `postgres`, on a scratch
    database. Returns the floors (all rounds merged) and the vote rows."""
    async with contextlib.AsyncExitStack() as stack:
        benches = [
            VoterBench(
                folder,
                max(sizes),
                f"sqlite+aiosqlite:///{folder / 'voter-burst.sqlite3'}",
                "SQLite",
            )
        ]
        if postgres:
            scratch = await stack.enter_async_context(scratch_postgres(postgres))
            benches.append(VoterBench(folder, max(sizes), scratch, "PostgreSQL"))
        for bench in benches:
            await bench.setup()
            stack.push_async_callback(bench.close)
        floors: list[Floors] = []
        for _ in range(rounds):
            floors.append(await floor_round())
            for bench in benches:
                await bench.round(sizes, floors[-1])
        floor: Floors = {
            kind: {size: Bursts.merge([f[kind][size] for f in floors]) for size in sizes}
            for kind in floors[0]
        }
        rows = [row for bench in benches for row in bench.rows(floor)]
    return floor, rows


# ------------------------------------------------------------------ ballot storage


async def open_box_poll(box: BallotBox, guild_id: int, question: str) -> OpenPoll:
    """A secret pour-contre poll opened through the service (its liste d'émargement written)."""
    poll = await box.open_poll(
        guild_id=guild_id,
        actor_id=1,
        request=polls.OpenRequest(
            duree="48h", question=question, methode="pour-contre", secret=True
        ),
    )
    assert poll.id is not None
    return await box.open_poll_by_id(guild_id, poll.id)


def votes_of(box: BallotBox, poll: OpenPoll, user_ids: list[int], contents: list[str]) -> list[Any]:
    """One vote per user (from the cached electorate, as `/voter` builds it), with content."""
    found = []
    for index, user_id in enumerate(user_ids):
        vote = box.vote_for(poll, user_id)
        if vote is None:
            raise RuntimeError(f"user {user_id} is not on the list of poll {poll.number}")
        found.append(dataclasses.replace(vote, content=contents[index % len(contents)]))
    return found


async def cast_all(box: BallotBox, votes: list[Any], callers: int) -> list[float]:
    """Cast the votes through `callers` concurrent callers (each casts its share one after the
    other, as a person waits for the answer); returns each vote's latency in ms."""
    latencies: list[float] = []
    queue = iter(votes)
    failures: list[BaseException] = []

    async def caller() -> None:
        for vote in queue:
            started = time.perf_counter()
            try:
                await box.cast_vote(vote)
            except Exception as error:
                failures.append(error)
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(caller() for _ in range(min(callers, len(votes)))))
    if failures:
        raise CastFailed(len(failures), len(votes), failures[0])
    return latencies


class CastFailed(RuntimeError):
    def __init__(self, failed: int, total: int, first: BaseException) -> None:
        super().__init__(f"{failed:,} of {total:,} votes refused ({type(first).__name__}: {first})")


async def guild_with_members(
    database: Database, guild_id: int, count: int
) -> tuple[list[int], BallotBox]:
    """A guild with `count` active élus (Discord ids following the guild's) and a started
    ballot box on it."""
    user_ids = [guild_id + 1 + i for i in range(count)]
    async with database.begin() as session:
        session.add(GuildSettings(guild_id=guild_id))
    await bulk_elus(database, guild_id, user_ids)
    box = BallotBox(database, os.urandom(48), utcnow)
    await box.start()
    return user_ids, box


async def storage_rows(
    database: Database, backend: str, count: int, floor: float, floor_name: str, rounds: int
) -> list[Row]:
    """`BallotBox.cast_vote` one caller at a time, 50 callers, and every vote at once."""
    guild_id = GUILD_ID
    user_ids, box = await guild_with_members(database, guild_id, count)
    counter = StatementCounter(database)
    rows = []
    try:
        warm = await open_box_poll(box, guild_id, "Échauffement ?")
        await cast_all(box, votes_of(box, warm, user_ids[:100], ["pour"]), 1)
        for label, callers in [
            ("one caller at a time", 1),
            (f"{CONCURRENCY} concurrent callers", CONCURRENCY),
            (f"all {count:,} at once", count),
        ]:
            rates, latencies, cpu = [], [], 0.0
            statements = commits = batches = 0
            failure = ""
            for _ in range(rounds):
                poll = await open_box_poll(box, guild_id, f"Stockage {label} ?")
                votes = votes_of(box, poll, user_ids, ["pour", "contre", "abstention"])
                before = box.batches
                gc.collect()  # earlier measures leave a large heap: no collection mid-measure
                with counter.measure() as sent:
                    started, clock = time.perf_counter(), time.process_time()
                    try:
                        latencies += await cast_all(box, votes, callers)
                    except CastFailed as failed:
                        failure = str(failed)
                        break
                    elapsed = time.perf_counter() - started
                    cpu += time.process_time() - clock
                batches += box.batches - before
                statements += sent["statements"]
                commits += sent["commits"]
                rates.append(count / elapsed)
                if await stored(database, poll.id) != (count, count):
                    raise RuntimeError(f"{count} ballots cast but not all stored")
            measure = (
                f"ballot storage, `BallotBox.cast_vote`, {label} ({backend}, {count:,} ballots)"
            )
            if failure:
                rows.append((measure, f"FAILED: {failure}", "not measured"))
                continue
            throughput = statistics.median(rates)
            votes_cast = rounds * count
            rows.append(
                (
                    measure,
                    f"{throughput:,.0f} ballots/s; p50 {percentile(latencies, 0.5):.1f} ms, "
                    f"p99 {percentile(latencies, 0.99):.1f} ms per vote; "
                    f"{statements / votes_cast:.2f} statements and {commits / votes_cast:.2f} "
                    f"commits per vote; mean batch {votes_cast / max(batches, 1):.1f} votes; "
                    f"CPU {cpu * 1000 / votes_cast:.2f} ms per vote",
                    ratio(throughput, floor, STORAGE_TARGET) + f" ({floor_name})",
                )
            )
    finally:
        counter.close()
        await box.stop()
    return rows


async def sqlite_commit_floor(folder: Path, count: int) -> float:
    """Raw aiosqlite: one INSERT + COMMIT per row, WAL, synchronous=NORMAL (the bot's settings)."""
    import aiosqlite

    path = folder / f"floor-{time.monotonic_ns()}.sqlite3"
    async with aiosqlite.connect(path) as connection:
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
        await connection.commit()
        started = time.perf_counter()
        for index in range(count):
            await connection.execute("INSERT INTO t VALUES (?, ?)", (f"{index:064x}", '"pour"'))
            await connection.commit()
        elapsed = time.perf_counter() - started
    return count / elapsed


async def asyncpg_commit_floor(url: str, count: int) -> float:
    """Raw asyncpg: one single-row INSERT per transaction (autocommit), prepared statement."""
    connection = await _pg_connect(url)
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


# ------------------------------------------------------------------ closing and publishing


async def announcement(database: Database, poll_id: int, final: Any) -> Any:
    """What `Publisher.announce` builds before calling Discord: claim the announcement, read
    the poll, the guild's locale and settings, `publication.gather`, then `publication.render`
    in a worker thread."""
    from cogs.polls._publisher import guild_locale

    async with database.begin() as session:
        if not await polls.claim_announcement(session, poll_id, utcnow()):
            raise RuntimeError("the announcement was already claimed")
    async with database.read() as session:
        poll = await polls.get(session, poll_id)
        locale = await guild_locale(session, poll.guild_id)
        await session.get(GuildSettings, poll.guild_id)
        material = await publication.gather(session, poll, final)
    return await asyncio.to_thread(publication.render, material, locale)


async def seed_sealed(database: Database, box: BallotBox, votes: list[Any]) -> None:
    """Store these first ballots as `write_votes` would (sealed rows, entries marked), in bulk."""
    poll_ids = {vote.poll_id for vote in votes}
    rows = [
        {
            "poll_id": v.poll_id,
            "sealed": ballots.seal(box.master_key, v.poll_id, v.voter_ref, v.content, v.weight),
        }
        for v in votes
    ]
    random.shuffle(rows)
    async with database.begin() as session:
        await session.execute(insert(SEALED), rows)
        await session.execute(
            update(EMARGEMENT)
            .where(
                EMARGEMENT.c.poll_id.in_(poll_ids),
                EMARGEMENT.c.voter_ref.in_([v.voter_ref for v in votes]),
            )
            .values(voted=True, cast_by_elu_id=EMARGEMENT.c.elu_id)
        )


async def closing_rows(database: Database, backend: str, count: int, rounds: int) -> list[Row]:
    """Close a poll of `count` ballots and build its announcement, `rounds` times (plus a first
    time when the chart library is not imported yet, reported apart). The ballots are stored in
    bulk, as `write_votes` stores them (the storage figures measure that path)."""
    guild_id = CLOSE_GUILD_ID
    user_ids, box = await guild_with_members(database, guild_id, count)
    counter = StatementCounter(database)
    rng = random.Random(5)
    contents = [rng.choice(["pour", "pour", "contre", "abstention"]) for _ in range(count)]
    closes: list[float] = []
    totals: list[float] = []
    sent_statements = 0
    cold: tuple[float, float] | None = None
    try:
        for round_ in range(rounds + 1):
            first_import = "matplotlib" not in sys.modules
            if round_ == 0 and not first_import:
                continue  # already imported (another backend ran first): no cold figure
            poll = await open_box_poll(box, guild_id, f"Clôture {round_} ?")
            await seed_sealed(database, box, votes_of(box, poll, user_ids, contents))
            if await stored(database, poll.id) != (count, count):
                raise RuntimeError(f"{count} ballots cast but not all stored")
            gc.collect()
            with counter.measure() as sent:
                started = time.perf_counter()
                closed = await box.close_poll(poll.id, actor_id=None, reason="benchmark")
                closed_at = time.perf_counter()
            if closed is None or sum(b.weight for b in closed.final.counted) != count:
                raise RuntimeError("the poll did not close with all its ballots")
            built = await announcement(database, poll.id, closed.final)
            done = time.perf_counter()
            if not built.files or not built.content:
                raise RuntimeError("the announcement is empty")
            if first_import:
                cold = (closed_at - started, done - started)
            else:
                closes.append(closed_at - started)
                totals.append(done - started)
                sent_statements = sent["statements"]
    finally:
        counter.close()
        await box.stop()
    close_s, total_s = statistics.median(closes), statistics.median(totals)
    runs = f" (runs: {min(totals):.2f}–{max(totals):.2f} s)" if len(totals) > 1 else ""
    rows = [
        (
            f"closing a poll of {count:,} ballots, `BallotBox.close_poll` alone ({backend})",
            f"{close_s:.2f} s ({sent_statements} statements"
            + ("; the WAL truncated after)" if database.is_sqlite else ")"),
            f"{close_s / CLOSE_TARGET_S:.2f} of the {CLOSE_TARGET_S:g} s target",
        ),
        (
            f"closing and publishing a poll of {count:,} ballots, `close_poll` + "
            f"`publication.gather` + `render` ({backend})",
            f"{total_s:.2f} s{runs}",
            f"{total_s / CLOSE_TARGET_S:.2f} of the {CLOSE_TARGET_S:g} s target "
            f"({'met' if total_s < CLOSE_TARGET_S else 'MISSED'})",
        ),
    ]
    if cold is not None:
        rows.append(
            (
                f"the same, first announcement of the process (imports matplotlib) ({backend})",
                f"{cold[1]:.2f} s (close alone {cold[0]:.2f} s)",
                f"{cold[1] / CLOSE_TARGET_S:.2f} of the {CLOSE_TARGET_S:g} s target "
                f"({'met' if cold[1] < CLOSE_TARGET_S else 'MISSED'})",
            )
        )
    return rows


# ------------------------------------------------------------------ PostgreSQL scratch databases


async def _pg_connect(url: str) -> Any:
    import asyncpg

    parsed = make_url(url)
    return await asyncpg.connect(
        user=parsed.username,
        password=parsed.password,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
    )


async def _pg_admin(url: str, statement: str) -> None:
    connection = await _pg_connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def scratch_postgres(url: str) -> AsyncIterator[str]:
    """A fresh database `rtes_bench_*` on the same server (its URL), dropped after."""
    name = f"rtes_bench_{uuid.uuid4().hex[:12]}"
    await _pg_admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def with_scratch_postgres(url: str, work: Callable[[str], Awaitable[Any]]) -> Any:
    """Run `work(url)` on a scratch database of the same server."""
    async with scratch_postgres(url) as scratch:
        return await work(scratch)


# ------------------------------------------------------------------ storage and closing, both


async def ballot_storage_figures(
    folder: Path,
    commit_floor: float,
    count: int,
    close_count: int,
    postgres: str | None,
    rounds: int = 1,
) -> list[Row]:
    """Storage and closing on SQLite (same file system as the floor) and PostgreSQL."""
    url = f"sqlite+aiosqlite:///{folder / 'storage.sqlite3'}"
    await upgrade(url)
    database = Database(url)
    try:
        rows = await storage_rows(
            database, "SQLite", count, commit_floor, "raw aiosqlite INSERT+COMMIT", rounds
        )
        rows += await closing_rows(database, "SQLite", close_count, rounds)
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
                found += await closing_rows(database, "PostgreSQL", close_count, rounds)
                return found
            finally:
                await database.dispose()

        rows += await with_scratch_postgres(postgres, on_postgres)
    return rows
