"""The poll lifecycle's one service API: `open_poll`, `cast_vote`, `close_poll` (each one unit of
work), over an in-memory picture of every open poll's fixed electorate.

- **The electorate cache.** The liste d'émargement is fixed when a poll opens, so who may vote,
  with what weight, and which Discord user casts which vote are kept in memory per open poll
  (loaded at start, on opening, or at the first vote in a poll opened by another process). It
  answers the vote path's questions without reading the database; what can change after opening
  (a ballot cast, a proxy, a caster struck, the poll closed by another process) is checked by
  the one read of the write transaction, so the cache can never let a wrong ballot in.
- **Group commit.** Ballots go through one writer task: the votes that arrive while a
  transaction is committing are written together in the next one (at most three statements for
  the whole batch: see `services.ballots.write_votes`). Each caller is answered only after the
  commit that holds its ballot.
- **Closing** flips the poll, opens its sealed ballots, counts, publishes the ballots in content
  order and deletes the sealed rows in one transaction, then truncates SQLite's WAL so that no
  earlier frame of the poll stays on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from rtes_bot.counting import PollSpec
from rtes_bot.db import Database
from rtes_bot.errors import Conflict, DomainError, InvalidInput, NotFound
from rtes_bot.models import Elu, LegacyBallot, Poll, PollStatus
from rtes_bot.services import ballots, polls
from rtes_bot.shards import Shards

log = logging.getLogger(__name__)

MAX_BATCH = 500
WRITE_ATTEMPTS = 5


@dataclass(frozen=True)
class Seat:
    """One vote of a poll's liste d'émargement, as cached."""

    voter_ref: str
    elu_id: int | None
    weight: int


@dataclass
class OpenPoll:
    """An open poll as the vote path needs it: the stored poll (its facts never change while it
    is open), its counting spec, and its liste d'émargement indexed for the vote path."""

    poll: Poll
    spec: PollSpec
    #: élu id → the vote they cast themself
    seat_of_elu: dict[int, Seat] = field(default_factory=dict)
    #: Discord user id → élu id, for the élus on the list
    elu_of_user: dict[int, int] = field(default_factory=dict)

    @property
    def id(self) -> int:
        assert self.poll.id is not None
        return self.poll.id

    @property
    def guild_id(self) -> int:
        return self.poll.guild_id

    @property
    def number(self) -> int:
        return self.poll.number

    def seat_of_user(self, user_id: int) -> Seat | None:
        elu_id = self.elu_of_user.get(user_id)
        return self.seat_of_elu.get(elu_id) if elu_id is not None else None


class BallotBox:
    def __init__(
        self,
        database: Database,
        master_key: bytes,
        now: Callable[[], datetime],
        shards: Shards | None = None,
    ) -> None:
        self.db = database
        self.master_key = master_key
        self.now = now
        #: sharded: only the open polls of the guilds served here are loaded at start (others
        #: at their first vote here, as for a poll opened by another process)
        self.shards = shards
        self._open: dict[int, OpenPoll] = {}
        self._by_number: dict[tuple[int, int], int] = {}
        self._pending: list[tuple[ballots.Vote, asyncio.Future[ballots.Stored]]] = []
        #: per open poll, its live snapshot's rule fed with the rows read so far
        self._steps: dict[int, ballots.Steps] = {}
        self._wake = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0  # transactions written (for benchmarks)

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        async with self.db.read() as session:
            open_polls = await polls.open_polls(session, shards=self.shards)
            legacy = set(
                (await session.execute(select(col(LegacyBallot.poll_id)).distinct())).scalars()
            )
        waiting = [p for p in open_polls if p.electorate_weight is None or p.id in legacy]
        if waiting:
            await self._adopt_legacy(waiting)
        async with self.db.read() as session:
            for poll in (
                await polls.open_polls(session, shards=self.shards) if waiting else open_polls
            ):
                await self._cache(session, poll)
        self._writer = asyncio.create_task(self._write_loop(), name="rtes-ballot-box")

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer
            self._writer = None
        for _, future in self._pending:
            if not future.done():
                future.set_exception(RuntimeError("the bot is stopping"))
        self._pending.clear()

    async def _adopt_legacy(self, waiting: list[Poll]) -> None:
        """Polls left open by the upgrade from the HMAC-keyed design: list and seal (once)."""
        for poll in waiting:
            async with self.db.begin() as session:
                poll = await polls.get(session, poll.id or 0)
                sealed, left = await ballots.adopt_legacy(session, poll, self.master_key)
            log.warning(
                "Poll %s (opened before the upgrade): liste d'émargement recorded, %d ballot(s) "
                "sealed%s",
                poll.id,
                sealed,
                f", {left} left unsealed (not opened by this key)" if left else "",
            )
        await self.checkpoint()

    # ------------------------------------------------------------------ the cache

    async def _cache(self, session: Any, poll: Poll) -> OpenPoll:
        assert poll.id is not None
        # One statement: the list and each caster's Discord id (a join, not an IN of every id).
        table = ballots.EMARGEMENT
        rows = (
            await session.execute(
                select(table.c.voter_ref, table.c.elu_id, table.c.weight, col(Elu.discord_user_id))
                .select_from(table.outerjoin(Elu, col(Elu.id) == table.c.elu_id))
                .where(table.c.poll_id == poll.id)
            )
        ).all()
        cached = OpenPoll(
            poll=poll,
            spec=ballots.spec_of(poll, poll.electorate_weight),
            seat_of_elu={
                elu_id: Seat(ref, elu_id, weight)
                for ref, elu_id, weight, _ in rows
                if elu_id is not None
            },
            elu_of_user={int(user): int(elu_id) for _, elu_id, _, user in rows if user is not None},
        )
        self._open[poll.id] = cached
        self._by_number[(poll.guild_id, poll.number)] = poll.id
        return cached

    def steps_of(self, poll_id: int) -> ballots.Steps:
        """The live snapshot's rule for this open poll, kept between reads (each read opens only
        the rows that arrived since the previous one)."""
        steps = self._steps.get(poll_id)
        if steps is None:
            steps = self._steps[poll_id] = ballots.Steps()
        return steps

    def forget(self, poll_id: int) -> None:
        self._steps.pop(poll_id, None)
        cached = self._open.pop(poll_id, None)
        if cached is not None:
            self._by_number.pop((cached.guild_id, cached.number), None)

    async def open_poll_by_number(self, guild_id: int, number: int) -> OpenPoll:
        """The open poll n° `number` of the guild, or the precise refusal (unknown, closed)."""
        poll_id = self._by_number.get((guild_id, number))
        if poll_id is not None:
            cached = self._open.get(poll_id)
            if cached is not None:
                self._check_time(cached)
                return cached
        async with self.db.read() as session:
            poll = await polls.get_by_number(session, guild_id, number)
            return await self._load(session, poll)

    async def open_poll_by_id(self, guild_id: int, poll_id: int) -> OpenPoll:
        cached = self._open.get(poll_id)
        if cached is not None and cached.guild_id == guild_id:
            self._check_time(cached)
            return cached
        async with self.db.read() as session:
            poll = await polls.get(session, poll_id)
            if poll.guild_id != guild_id:
                raise NotFound("scrutin.inconnu", numero=poll_id)
            return await self._load(session, poll)

    async def _load(self, session: Any, poll: Poll) -> OpenPoll:
        assert poll.id is not None
        if poll.status != PollStatus.OPEN:
            self.forget(poll.id)
            raise Conflict("vote.scrutin-clos", numero=poll.number)
        cached = self._open.get(poll.id)
        if cached is None:
            cached = await self._cache(session, poll)
        self._check_time(cached)
        return cached

    def _check_time(self, cached: OpenPoll) -> None:
        if self.now() >= cached.poll.closes_at:
            raise Conflict("vote.scrutin-clos", numero=cached.number)

    # ------------------------------------------------------------------ opening

    async def open_poll(
        self, *, guild_id: int, actor_id: int, request: polls.OpenRequest, check: Any = None
    ) -> Poll:
        """Validate and create the poll with its liste d'émargement (one unit of work).

        `check(session)` runs first in the same transaction (the caller's permission check).
        The poll's number is drawn in that transaction (`services.numbering`)."""
        async with self.db.begin() as session:
            if check is not None:
                await check(session)
            poll = await polls.open_poll(
                session, guild_id=guild_id, actor_id=actor_id, request=request, now=self.now()
            )
        async with self.db.read() as session:
            await self._cache(session, poll)
        return poll

    # ------------------------------------------------------------------ voting

    def vote_for(
        self, poll: OpenPoll, caster_user_id: int, on_behalf_of_user_id: int | None = None
    ) -> ballots.Vote | None:
        """The vote this Discord user would cast (for themself or with a proxy), without content,
        from the cache alone; None when the user is not on the list (the caller then explains)."""
        caster_elu = poll.elu_of_user.get(caster_user_id)
        if caster_elu is None:
            return None
        own = poll.seat_of_elu.get(caster_elu)
        if on_behalf_of_user_id is None:
            if own is None:
                return None
            return ballots.Vote(poll.id, own.voter_ref, caster_elu, None, own.weight)
        if on_behalf_of_user_id == caster_user_id:
            raise InvalidInput("procuration.soi-meme")
        grantor = poll.seat_of_user(on_behalf_of_user_id)
        if grantor is None:
            raise InvalidInput("procuration.mandant-hors-liste", numero=poll.number)
        if own is not None and grantor.voter_ref == own.voter_ref:
            raise InvalidInput("procuration.soi-meme")
        return ballots.Vote(
            poll.id,
            grantor.voter_ref,
            caster_elu,
            None,
            grantor.weight,
            by_proxy=True,
            caster_ref=own.voter_ref if own is not None else None,
        )

    async def cast_vote(self, vote: ballots.Vote) -> ballots.Stored:
        """Store the ballot (group commit); returns once it is committed, or raises the refusal."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[ballots.Stored] = loop.create_future()
        self._pending.append((vote, future))
        self._wake.set()
        if self._writer is None or self._writer.done():
            raise RuntimeError("the ballot box is not started")
        return await future

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch = self._pending[:MAX_BATCH]
                del self._pending[:MAX_BATCH]
                await self._write(batch)

    async def _write(
        self, batch: list[tuple[ballots.Vote, asyncio.Future[ballots.Stored]]]
    ) -> None:
        votes = [vote for vote, _ in batch]
        dialect = "sqlite" if self.db.is_sqlite else "postgresql"
        outcomes: list[ballots.Stored | DomainError] | None = None
        error: BaseException | None = None
        for _attempt in range(WRITE_ATTEMPTS):
            try:
                async with self.db.begin() as session:
                    outcomes = await ballots.write_votes(
                        session,
                        votes,
                        master_key=self.master_key,
                        now=self.now(),
                        dialect=dialect,
                    )
                break
            except ballots.ConcurrentChange:
                outcomes = None
                continue  # another process changed an entry: read again
            except Exception as exc:  # the batch failed as a whole: nobody's ballot is stored
                log.exception("Writing a batch of %d ballot(s) failed", len(votes))
                error = exc
                break
        else:
            error = RuntimeError("ballot batch kept conflicting")
        self.batches += 1
        for index, (vote, future) in enumerate(batch):
            if future.done():
                continue
            if outcomes is None:
                future.set_exception(error or RuntimeError("ballot not stored"))
                continue
            outcome = outcomes[index]
            if isinstance(outcome, DomainError):
                if outcome.key == "vote.scrutin-clos-id":
                    self.forget(vote.poll_id)
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    async def check(self, poll: OpenPoll, vote: ballots.Vote) -> None:
        """Refuse now (before a ballot is filled) what the write would refuse. Reads only."""
        async with self.db.read() as session:
            refused = await ballots.refusal(session, vote, self.now())
            if refused is not None:
                raise await self._explain(session, poll, vote, refused)

    async def explain(self, poll: OpenPoll, vote: ballots.Vote, error: DomainError) -> DomainError:
        """A refusal from the write, made precise for the person (who holds their proxy)."""
        if error.key != "vote.procuration-donnee-id":
            return error
        async with self.db.read() as session:
            return await self._explain(session, poll, vote, error)

    async def _explain(
        self, session: Any, poll: OpenPoll, vote: ballots.Vote, error: DomainError
    ) -> DomainError:
        if error.key == "vote.procuration-donnee-id":
            entry = await ballots.entry_of(session, poll.id, vote.voter_ref)
            holder = (
                await session.get(Elu, entry.delegate_elu_id)
                if entry is not None and entry.delegate_elu_id is not None
                else None
            )
            return Conflict(
                "vote.procuration-donnee",
                nom=holder.full_name if holder is not None else "?",
                numero=poll.number,
            )
        return error

    # ------------------------------------------------------------------ closing

    async def close_poll(
        self,
        poll_id: int,
        *,
        actor_id: int | None,
        reason: str,
        only_if_due: bool = False,
    ) -> polls.Closed | None:
        """Close the poll if no one else did (one unit of work), then truncate the WAL."""
        async with self.db.begin() as session:
            closed = await polls.close(
                session,
                poll_id,
                master_key=self.master_key,
                now=self.now(),
                actor_id=actor_id,
                reason=reason,
                only_if_due=only_if_due,
            )
        self.forget(poll_id)
        if closed is not None:
            await self.checkpoint()
        return closed

    async def checkpoint(self) -> None:
        """SQLite: copy the WAL into the database and truncate it, so that no frame written while
        the poll was open (sealed rows, émargement changes) stays in the `-wal` file."""
        if not self.db.is_sqlite:
            return
        lock = self.db._write_lock or contextlib.nullcontext()
        for _attempt in range(20):
            async with lock, self.db.engine.connect() as connection:  # no in-process writer
                raw = await connection.get_raw_connection()
                driver: Any = raw.driver_connection
                cursor = await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy, _pages, _done = await cursor.fetchone()
                await cursor.close()
            if not busy:
                return
            await asyncio.sleep(0.05)
        log.warning("The SQLite WAL could not be truncated after closing (readers kept it busy)")
