"""Load and crash helpers: many eligible voters created fast, bursts of interactions with their
timings, and the checks that tie what was acknowledged to what is stored.

Voters are written to the database in one bulk INSERT and added to the emulator's guild directly
(no onboarding): the point of these tests is the voting path under load, not registration.

What is stored (rtes_bot/services/ballots.py): while a poll is open, the liste d'émargement
(`emargement`: who may vote, `voted` once a ballot was cast) and one sealed row per cast
(`sealed_ballot`, appended by every cast, a replacement too; the voter is only inside the seal).
At closing the sealed rows are opened, each voter's latest ballot published (`ballot`, content
order) and the sealed rows deleted. "No half-written vote" therefore means: the voters marked on
the list are exactly the voters found inside the sealed rows (open poll), and once closed no
sealed row is left and the published ballots weigh exactly the turnout.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import col

from rtes_bot import keys
from rtes_bot.db import Database
from rtes_bot.models import (
    AuditEvent,
    Ballot,
    ElectorateEntry,
    Elu,
    EluStatus,
    GuildSettings,
    Poll,
    PollStatus,
    SealedBallot,
    utcnow,
)
from rtes_bot.services.ballots import Unsealed, open_sealed, unseal
from rtes_bot.settings import Settings
from tests.emulator.models import Member
from tests.support.catalog import says
from tests.support.processes import BotProcess, start_bot_process
from tests.support.rig import TEST_SECRET, TEST_TOKEN

ENREGISTRE = "Bulletin enregistré"
REMPLACE = "Bulletin remplacé"
UNEXPECTED = "Une erreur inattendue"  # `erreur.inattendue` (French)


@dataclass(frozen=True)
class Voter:
    """An eligible voter: the emulator user and their élu row."""

    user: Any
    elu_id: int

    @property
    def ref(self) -> str:
        return f"elu:{self.elu_id}"


async def add_voters(
    emu: Any, guild: Any, db: Database, count: int, *, prefix: str = "Votant"
) -> list[Voter]:
    """`count` active élus: guild members in the emulator and élu rows written in one INSERT.

    The members are added as members of long standing (no join event is dispatched); the bot
    does not chunk members, and every interaction carries its member, as on Discord."""
    users = []
    for index in range(count):
        name = f"{prefix} {index:04d}"
        user = emu.create_user(name.lower().replace(" ", "_"), global_name=name)
        # Members of long standing: no GUILD_MEMBER_ADD (which would send 1,000 welcome DMs).
        guild.members[user.id] = Member(user, guild.id)
        users.append(user)
    now = utcnow()
    rows = [
        {
            "guild_id": guild.id,
            "discord_user_id": user.id,
            "full_name": user.global_name,
            "mandate": "Conseiller·ère municipal·e",
            "status": EluStatus.ACTIVE,
            "locale": "fr",
            "share_email": False,
            "share_phone": False,
            "is_referent": False,
            "reminders_opt_out": False,
            "validated_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for user in users
    ]
    async with db.begin() as session:
        await session.execute(insert(Elu), rows)
        result = await session.execute(
            select(col(Elu.discord_user_id), col(Elu.id)).where(col(Elu.guild_id) == guild.id)
        )
        ids = {user_id: elu_id for user_id, elu_id in result.all() if elu_id is not None}
    return [Voter(user, ids[user.id]) for user in users]


# ------------------------------------------------------------------ bursts


@dataclass
class Timed:
    """One interaction of a burst, with its timings (seconds since the burst started)."""

    interaction: Any
    injected: float
    acknowledged: float  # the callback (the 3-second deadline applies to this)
    done: float  # the callback and, when deferred, the first follow-up or edit


@dataclass
class Burst:
    label: str
    items: list[Timed] = field(default_factory=list)
    elapsed: float = 0.0  # first injection → last completion

    @property
    def interactions(self) -> list[Any]:
        return [item.interaction for item in self.items]

    def _quantile(self, values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> str:
        done = [item.done - item.injected for item in self.items]
        ack = [item.acknowledged - item.injected for item in self.items]
        return (
            f"{self.label}: {len(self.items)} interactions in {self.elapsed:.2f} s "
            f"({len(self.items) / self.elapsed:.0f}/s); done p50 {statistics.median(done):.3f} s, "
            f"p99 {self._quantile(done, 0.99):.3f} s, max {max(done):.3f} s; "
            f"callback max {max(ack):.3f} s, {sum(a > 3 for a in ack)} after 3 s"
        )


async def burst(
    label: str,
    starters: Sequence[Callable[[], Awaitable[Any]]],
    *,
    timeout: float = 120,  # noqa: ASYNC109
) -> Burst:
    """Inject every interaction at once (each starter injects one with ``wait=False``), then wait
    until every one is answered; returns them in the starters' order with their timings."""
    origin = time.monotonic()

    async def one(start: Callable[[], Awaitable[Any]]) -> Timed:
        injected = time.monotonic() - origin
        interaction = await start()
        await interaction.callback_event.wait()
        acknowledged = time.monotonic() - origin
        await interaction.wait_done(timeout)
        return Timed(interaction, injected, acknowledged, time.monotonic() - origin)

    async with asyncio.timeout(timeout):
        items = await asyncio.gather(*(one(start) for start in starters))
    return Burst(label, list(items), time.monotonic() - origin)


def interaction_errors(emu: Any) -> list[str]:
    """Requests of interaction answers (callbacks, follow-ups, edits) the emulator refused."""
    return [
        f"{record.method} {record.path}"
        for record in emu.errors
        if record.path.startswith(("/interactions/", "/webhooks/"))
    ]


async def vote_burst(
    emu: Any, guild: Any, number: int, ballots: Iterable[tuple[Voter, str]], *, label: str
) -> Burst:
    """`/voter scrutin choix` for every (voter, text) at once: each command stores its ballot
    (one step) and is answered only after the commit that holds it."""
    pairs = list(ballots)
    return await burst(
        label,
        [
            functools.partial(
                emu.slash,
                guild,
                voter.user,
                "voter",
                options={"scrutin": number, "choix": text},
                wait=False,
            )
            for voter, text in pairs
        ],
    )


# ------------------------------------------------------------------ what is stored


def _id(poll_id: int | None) -> int:
    assert poll_id is not None, "the poll has no id"
    return poll_id


async def stored_ballots(db: Database, poll_id: int | None, master_key: bytes) -> dict[str, Any]:
    """voter_ref → content of each voter's latest sealed ballot of an open poll (the one that
    counts), opened with the server's key."""
    async with db.read() as session:
        latest = await open_sealed(session, _id(poll_id), master_key)
    return {ref: ballot.content for ref, ballot in latest.items()}


async def sealed_rows(db: Database, poll_id: int | None) -> int:
    """How many sealed rows the poll has: one per cast (first ballots and replacements)."""
    async with db.read() as session:
        query = (
            select(func.count())
            .select_from(SealedBallot)
            .where(col(SealedBallot.poll_id) == poll_id)
        )
        return int((await session.execute(query)).scalar_one())


async def sealed_ballots(db: Database, poll_id: int | None, master_key: bytes) -> list[Unsealed]:
    """Every sealed row of the poll opened (voter, content, weight), in row order: a voter
    appears once per cast. `SealedBallotError` if a row does not open with the key."""
    async with db.read() as session:
        result = await session.execute(
            select(col(SealedBallot.sealed))
            .where(col(SealedBallot.poll_id) == poll_id)
            .order_by(col(SealedBallot.id))
        )
        return [unseal(master_key, _id(poll_id), sealed) for sealed in result.scalars()]


async def voted_refs(db: Database, poll_id: int | None) -> set[str]:
    """The votes marked cast on the poll's liste d'émargement."""
    async with db.read() as session:
        result = await session.execute(
            select(col(ElectorateEntry.voter_ref)).where(
                col(ElectorateEntry.poll_id) == poll_id, col(ElectorateEntry.voted).is_(True)
            )
        )
        return set(result.scalars())


async def published_ballots(db: Database, poll_id: int | None) -> list[tuple[Any, int, str | None]]:
    """(content, weight, voter_ref) of the ballots published at closing, by position."""
    async with db.read() as session:
        result = await session.execute(
            select(
                col(Ballot.position), col(Ballot.content), col(Ballot.weight), col(Ballot.voter_ref)
            )
            .where(col(Ballot.poll_id) == poll_id)
            .order_by(col(Ballot.position))
        )
        rows = result.all()
    assert [row[0] for row in rows] == list(range(len(rows))), "positions are not 0..n-1"
    return [(content, weight, ref) for _, content, weight, ref in rows]


async def assert_no_half_written_votes(
    db: Database, master_key: bytes, poll_id: int | None, voters: Iterable[Voter]
) -> set[str]:
    """No vote is half-written; returns the refs of the votes cast (marked on the list).

    Open poll: the voters marked on the list are exactly the distinct voters inside the sealed
    rows, every sealed row opens with the key and belongs to a voter of the test, with the
    weight of their entry. Closed poll: no sealed row is left, and the published ballots weigh
    exactly the turnout (secret polls: unit rows without voter; public: one row per voter)."""
    known = {voter.ref for voter in voters}
    async with db.read() as session:
        poll = await session.get(Poll, _id(poll_id), populate_existing=True)
        assert poll is not None
        entries = {
            ref: (weight, voted)
            for ref, weight, voted in (
                await session.execute(
                    select(
                        col(ElectorateEntry.voter_ref),
                        col(ElectorateEntry.weight),
                        col(ElectorateEntry.voted),
                    ).where(col(ElectorateEntry.poll_id) == poll_id)
                )
            ).all()
        }
    voted = {ref for ref, (_, cast) in entries.items() if cast}
    rows = await sealed_ballots(db, poll_id, master_key)
    if poll.status == PollStatus.OPEN:
        sealed = {row.voter_ref for row in rows}
        unknown = sealed - known
        assert not unknown, f"{len(unknown)} sealed ballots belong to no voter of the test"
        assert voted == sealed, (
            f"marked on the list without a sealed ballot: {sorted(voted - sealed)[:5]}; "
            f"sealed ballot not marked on the list: {sorted(sealed - voted)[:5]}"
        )
        for row in rows:
            assert row.weight == entries[row.voter_ref][0], (row.voter_ref, row.weight)
        return voted
    assert rows == [], f"{len(rows)} sealed rows left after closing"
    published = await published_ballots(db, poll_id)
    turnout_weight = sum(entries[ref][0] for ref in voted)
    assert sum(weight for _, weight, _ in published) == turnout_weight, (
        f"published ballots weigh {sum(w for _, w, _ in published)}, turnout {turnout_weight}"
    )
    if poll.secret:
        assert all(ref is None and weight == 1 for _, weight, ref in published)
    else:
        assert sorted(ref or "" for _, _, ref in published) == sorted(voted)
    return voted


async def audit_count(db: Database, action: str, poll_id: int | None = None) -> int:
    """How many audit events of this action (about this poll, when given)."""
    async with db.read() as session:
        query = select(func.count()).select_from(AuditEvent).where(col(AuditEvent.action) == action)
        if poll_id is not None:
            query = query.where(col(AuditEvent.subject_id) == poll_id)
        return int((await session.execute(query)).scalar_one())


# ------------------------------------------------------------------ logs


class WarningCollector(logging.Handler):
    """Every WARNING (and above) logged while installed, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> WarningCollector:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)

    def messages(self) -> list[str]:
        out = []
        for record in self.records:
            text = f"{record.levelname} {record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                text += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
            out.append(text)
        return out

    def matching(self, *needles: str) -> list[str]:
        return [m for m in self.messages() if any(n in m.lower() for n in needles)]


# ------------------------------------------------------------------ bot processes


def live_sessions(emu: Any) -> int:
    """Gateway connections the emulator currently holds open (one per running bot)."""
    return sum(1 for s in emu.sessions if s.ready.is_set() and not s.ws.closed)


async def wait_until(
    predicate: Callable[[], Any],
    what: str,
    *,
    timeout: float = 60,  # noqa: ASYNC109
    processes: Sequence[BotProcess] = (),
) -> Any:
    """Poll `predicate` (sync or async) until truthy; fail at once if a bot process died."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        for process in processes:
            if process.process.returncode is not None:
                raise AssertionError(f"{what}: the bot process exited\n{process.log()}")
        if time.monotonic() > deadline:
            logs = "\n".join(p.log()[-3000:] for p in processes)
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")
        await asyncio.sleep(0.02)


def log_problems(process: BotProcess, *, allowed: Sequence[str] = ()) -> list[str]:
    """ERROR/CRITICAL lines, tracebacks and any mention of a locked database in a process's
    log, minus the `allowed` ones."""
    lines = process.log().splitlines()
    problems = []
    for index, line in enumerate(lines):
        if (
            " ERROR " in line
            or " CRITICAL " in line
            or line.startswith("Traceback")
            or "locked" in line.lower()
        ):
            context = "\n".join(lines[index : index + 25])
            if not any(needle in context for needle in allowed):
                problems.append(line)
    return problems


@dataclass
class ProcessWorld:
    """A guild in the emulator, a database, and bot processes started and killed on it."""

    emu: Any
    guild: Any
    admin: Any
    registry: Any
    database_url: str
    data_dir: Path
    db: Database
    processes: list[BotProcess] = field(default_factory=list)
    start_seconds: list[float] = field(default_factory=list)

    def settings(self) -> Settings:
        """The settings a bot process of this world reads from its environment."""
        return Settings(  # type: ignore[call-arg]
            _env_file=None,
            discord_token=TEST_TOKEN,
            database_url=self.database_url,
            guild_ids=[self.guild.id],
            secret_key=TEST_SECRET,
            data_dir=self.data_dir,
        )

    async def master_key(self) -> bytes:
        """The master key the bot processes seal with, read the way the bot reads it
        (`rtes_bot.keys.load_key`), and checked against the fingerprint they recorded."""
        loaded = keys.load_key(self.settings())
        assert loaded is not None, "no secret key configured"
        async with self.db.read() as session:
            stored = await keys.stored_fingerprint(session)
        assert stored == loaded.fingerprint, "the bot recorded another key's fingerprint"
        return loaded.master

    async def launch(self, name: str = "bot", env: dict[str, str] | None = None) -> BotProcess:
        """Start a bot process (it does not wait: see `ready`); `env`: more settings."""
        process = await start_bot_process(
            self.emu.port,
            database_url=self.database_url,
            guild_id=self.guild.id,
            data_dir=self.data_dir,
            secret_key=TEST_SECRET,
            token=TEST_TOKEN,
            name=name,
            env=env,
        )
        self.processes.append(process)
        return process

    async def ready(self, process: BotProcess, launched_at: float) -> BotProcess:
        """Wait until the process logged `on_ready` (connected, guild received)."""
        await wait_until(
            lambda: "rtes_bot: Connected as" in process.log(),
            "the bot process to be ready",
            timeout=90,
            processes=[process],
        )
        self.start_seconds.append(time.monotonic() - launched_at)
        return process

    async def start(self, name: str = "bot") -> BotProcess:
        launched_at = time.monotonic()
        return await self.ready(await self.launch(name), launched_at)

    async def kill(self, process: BotProcess) -> None:
        """SIGKILL, then wait until the emulator saw the connection drop."""
        await process.kill()
        running = sum(1 for p in self.processes if p.process.returncode is None)
        await wait_until(lambda: live_sessions(self.emu) <= running, "the connection to drop")

    async def stop_all(self) -> None:
        for process in self.processes:
            await process.kill()

    async def slash(self, user: Any, command: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return await self.emu.slash(self.guild, user, command, **kwargs)

    async def click(self, user: Any, message: Any, custom_id: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return await self.emu.click(self.guild, user, message, custom_id, **kwargs)

    async def open_poll(self, **options: Any) -> Poll:
        """`/scrutin ouvrir` as the bureau admin; returns the poll as stored."""
        options.setdefault("duree", "48h")
        answer = await self.slash(self.admin, "scrutin", subcommand="ouvrir", options=options)
        assert "ouvert" in answer.text, answer.text
        async with self.db.read() as session:
            result = await session.execute(
                select(Poll)
                .where(col(Poll.guild_id) == self.guild.id)
                .order_by(col(Poll.id).desc())
            )
            return result.scalars().first()  # type: ignore[return-value]

    async def vote(self, voter: Voter, number: int, text: str) -> Any:
        """`/voter scrutin choix` (one step); returns the interaction (its text is the answer)."""
        return await self.slash(voter.user, "voter", options={"scrutin": number, "choix": text})

    async def update_poll(self, poll_id: int | None, **values: Any) -> None:
        async with self.db.begin() as session:
            await session.execute(update(Poll).where(col(Poll.id) == poll_id).values(**values))

    async def poll(self, poll_id: int | None) -> Poll:
        async with self.db.read() as session:
            poll = await session.get(Poll, poll_id, populate_existing=True)
            assert poll is not None
            return poll

    def announcements(self, poll: Poll) -> list[Any]:
        """Messages in the registry channel announcing this poll's result."""
        title = f"Scrutin n°{poll.number} "
        return [
            m for m in self.emu.channel_messages(self.registry) if not m.deleted and title in m.text
        ]

    def reminders(self, voter: Voter, poll: Poll) -> list[Any]:
        """The reminder DMs this voter received that list this poll (one DM lists them all)."""
        return [
            m
            for m in self.emu.dms_to(voter.user)
            if says(m.text, "scrutin.rappel.titre") and f"**n°{poll.number}**" in m.text
        ]


@contextlib.asynccontextmanager
async def process_world(
    emu: Any,
    database_url: str,
    data_dir: Path,
    *,
    voters: int,
    shard: tuple[int, int] | None = None,
) -> AsyncIterator[tuple[ProcessWorld, list[Voter]]]:
    """A guild with a bureau admin, a registry channel, #scrutins and `voters` élus; no bot running
    yet. Every bot process started in it is killed on exit. `shard=(id, count)`: a guild that
    Discord routes to that shard."""
    guild = emu.create_guild("RTES", community=True, shard=shard)
    admin = emu.create_user("bureau_admin", global_name="Admin Bureau")
    emu.add_member(guild, admin, administrator=True)
    registry = emu.create_channel(guild, "registre-des-decisions")
    polls = emu.create_channel(guild, "scrutins")
    db = Database(database_url)
    async with db.begin() as session:
        session.add(
            GuildSettings(
                guild_id=guild.id, registry_channel_id=registry.id, polls_channel_id=polls.id
            )
        )
    people = await add_voters(emu, guild, db, voters)
    world = ProcessWorld(emu, guild, admin, registry, database_url, data_dir, db)
    try:
        yield world, people
    finally:
        await world.stop_all()
        await db.dispose()
