"""The ballot box: the liste d'émargement, sealed ballots, and what closing publishes.

A *voter* is identified by a `voter_ref`: `elu:<id>` (electorate `elus`) or `col:<id>`
(electorate `collectivites`, cast by the collectivité's référent with its weight).

- **The electorate is fixed when the poll opens** (`emargement`, written in the opening
  transaction): who may vote, who casts each vote, with what weight. Later changes to fields or
  members never add anyone; a caster who leaves or is erased is `struck` (the vote is lost; a
  ballot already cast stays counted).
- **Ballots of an open poll are sealed** (AES-256-GCM, `cryptography`) under a key derived from
  the server's secret key for that poll (HKDF-SHA256), with a fresh random nonce per write. The
  plaintext — voter, content, weight — is padded to a fixed size, so every row has the same length
  whatever the ballot. Every cast *appends* a row (a replacement too), so a replacement writes
  exactly what a first ballot writes in the ballot table; the latest row of a voter counts.
- **Closing** (one transaction) opens the sealed rows, keeps each voter's latest ballot, counts,
  writes the published ballots in content order (secret polls: one unit row per unit of weight,
  no voter), and deletes the sealed rows. The caller then truncates the SQLite WAL.

Nothing here logs a ballot. Services take a session and never commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from fractions import Fraction
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import bindparam, delete, func, insert, or_, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.counting import Ballot as CountedBallot
from rtes_bot.counting import CountError, PollSpec
from rtes_bot.counting.ballots import normalise
from rtes_bot.errors import Conflict, DomainError, InvalidInput, NotAllowed
from rtes_bot.models import (
    Ballot,
    Collectivite,
    ElectorateEntry,
    Elu,
    EluField,
    EluStatus,
    LegacyBallot,
    MembershipStatus,
    Poll,
    PollStatus,
    Proxy,
    SealedBallot,
)
from rtes_bot.services import numbering

# Core tables: the vote path runs plain statements, no ORM bookkeeping.
EMARGEMENT: Any = ElectorateEntry.__table__  # type: ignore[attr-defined]
SEALED: Any = SealedBallot.__table__  # type: ignore[attr-defined]
BALLOT: Any = Ballot.__table__  # type: ignore[attr-defined]
POLL: Any = Poll.__table__  # type: ignore[attr-defined]

ELECTORATE_ELUS = "elus"
ELECTORATE_COLLECTIVITES = "collectivites"

NONCE_SIZE = 12
SEALED_PLAINTEXT_SIZE = 480  # every sealed plaintext is padded to exactly this many bytes
SEALED_SIZE = NONCE_SIZE + SEALED_PLAINTEXT_SIZE + 16  # nonce + ciphertext + GCM tag


# ------------------------------------------------------------------ voters


@dataclass(frozen=True)
class Voter:
    """One vote of the electorate: who it belongs to, its weight, and the élu who casts it."""

    ref: str
    weight: int
    elu_id: int  # the élu who casts it (the élu, or the référent of the collectivité)


def elu_ref(elu_id: int) -> str:
    return f"elu:{elu_id}"


def spec_of(poll: Poll, electorate_weight: int | None = None) -> PollSpec:
    """The counting specification of a poll (quorum as an exact fraction of the electorate)."""
    return PollSpec(
        method=poll.method,
        options=tuple(poll.options),
        irv=poll.irv,
        quorum=Fraction(poll.quorum_percent, 100),
        majority=poll.majority,
        electorate_weight=electorate_weight,
        max_choices=poll.max_choices,
        seed=poll.seed,
    )


def validate_content(spec: PollSpec, content: Any) -> Any:
    """Check a ballot content against the poll (as the counting package will read it)."""
    try:
        normalise(spec, content)
    except CountError:
        raise InvalidInput("vote.bulletin-invalide") from None
    return content


# ------------------------------------------------------------------ sealing


@lru_cache(maxsize=1024)
def _poll_cipher(master_key: bytes, poll_id: int) -> AESGCM:
    """The poll's AEAD: a 256-bit key derived from the server's key for this poll only."""
    if len(master_key) < 32:
        raise RuntimeError("the secret key is missing or shorter than 256 bits")
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"rtes-bot/ballot-seal/v1/poll:{poll_id}".encode(),
    ).derive(master_key)
    return AESGCM(key)


def _aad(poll_id: int) -> bytes:
    return f"rtes-bot/ballot/v1/{poll_id}".encode()


def seal(master_key: bytes, poll_id: int, voter_ref: str, content: Any, weight: int) -> bytes:
    """One sealed row: nonce ‖ AES-GCM(voter, content, weight, padded to a fixed size)."""
    plain = json.dumps(
        {"v": voter_ref, "c": content, "w": weight}, separators=(",", ":"), ensure_ascii=False
    ).encode()
    if len(plain) >= SEALED_PLAINTEXT_SIZE:
        raise InvalidInput("vote.bulletin-invalide")
    # ISO/IEC 7816-4 padding: 0x80 then zeros, to a fixed length (row sizes say nothing).
    padded = plain + b"\x80" + bytes(SEALED_PLAINTEXT_SIZE - len(plain) - 1)
    nonce = os.urandom(NONCE_SIZE)
    return nonce + _poll_cipher(master_key, poll_id).encrypt(nonce, padded, _aad(poll_id))


@dataclass(frozen=True)
class Unsealed:
    voter_ref: str
    content: Any
    weight: int


def unseal(master_key: bytes, poll_id: int, sealed: bytes) -> Unsealed:
    """Open a sealed row; `SealedBallotError` if it was not sealed for this poll with this key."""
    nonce, ciphertext = bytes(sealed[:NONCE_SIZE]), bytes(sealed[NONCE_SIZE:])
    try:
        padded = _poll_cipher(master_key, poll_id).decrypt(nonce, ciphertext, _aad(poll_id))
    except InvalidTag:
        raise SealedBallotError(poll_id) from None
    data = json.loads(padded[: padded.rindex(b"\x80")])
    return Unsealed(data["v"], data["c"], int(data["w"]))


class SealedBallotError(RuntimeError):
    """A sealed ballot that this server's key does not open (a different key, or tampering)."""

    def __init__(self, poll_id: int) -> None:
        super().__init__(f"a sealed ballot of poll {poll_id} does not open with this key")
        self.poll_id = poll_id


# ------------------------------------------------------------------ the electorate


async def eligible_now(session: AsyncSession, poll: Poll) -> list[Voter]:
    """Who may vote if the poll opened now (élus active; or member collectivités with a référent)."""
    if poll.electorate == ELECTORATE_COLLECTIVITES:
        rows = await session.execute(
            select(Collectivite, Elu)
            .join(Elu, col(Elu.collectivite_id) == col(Collectivite.id))
            .where(
                col(Collectivite.guild_id) == poll.guild_id,
                col(Collectivite.status) == MembershipStatus.ADHERENTE,
                col(Elu.is_referent).is_(True),
                col(Elu.status) == EluStatus.ACTIVE,
            )
            .order_by(col(Collectivite.id), col(Elu.id))
        )
        voters: dict[str, Voter] = {}
        for collectivite, elu in rows.all():
            ref = f"col:{collectivite.id}"
            if ref not in voters:
                assert elu.id is not None
                voters[ref] = Voter(ref, collectivite.weight, elu.id)
        return list(voters.values())
    query = select(Elu).where(
        col(Elu.guild_id) == poll.guild_id, col(Elu.status) == EluStatus.ACTIVE
    )
    if poll.field_id is not None:
        query = query.join(EluField, col(EluField.elu_id) == col(Elu.id)).where(
            col(EluField.field_id) == poll.field_id
        )
    result = await session.execute(query.order_by(col(Elu.id)))
    return [Voter(elu_ref(elu.id or 0), 1, elu.id or 0) for elu in result.scalars()]


async def not_listed(session: AsyncSession, poll: Poll, elu: Elu | None) -> NotAllowed:
    """Why a member casting their own vote is not on the poll's list (fixed at opening): not the
    référent of a member collectivité, outside the poll's field, or simply not listed."""
    if poll.electorate == ELECTORATE_COLLECTIVITES:
        if elu is None or not elu.is_referent:
            return NotAllowed("vote.pas-referent")
        collectivite = (
            await session.get(Collectivite, elu.collectivite_id) if elu.collectivite_id else None
        )
        if collectivite is None or collectivite.status != MembershipStatus.ADHERENTE:
            return NotAllowed("vote.collectivite-non-adherente")
    if poll.field_id is not None:
        return NotAllowed("vote.hors-domaine")
    return NotAllowed("vote.hors-liste-numero", numero=poll.number)


def _entry_rows(poll_id: int, voters: Iterable[Voter]) -> list[dict[str, Any]]:
    """Rows of the liste d'émargement for these voters (nobody has voted yet)."""
    return [
        {
            "poll_id": poll_id,
            "voter_ref": v.ref,
            "elu_id": v.elu_id,
            "weight": v.weight,
            "voted": False,
            "struck": False,
            "delegate_elu_id": None,
            "cast_by_elu_id": None,
        }
        for v in voters
    ]


async def record_electorate(session: AsyncSession, poll: Poll) -> int:
    """Write the liste d'émargement of a poll being opened; returns the electorate's weight."""
    assert poll.id is not None
    voters = await eligible_now(session, poll)
    if voters:
        await session.execute(insert(EMARGEMENT), _entry_rows(poll.id, voters))
    return sum(v.weight for v in voters)


@dataclass(frozen=True)
class Entry:
    """A row of the liste d'émargement as the vote path sees it."""

    voter_ref: str
    elu_id: int | None
    weight: int
    voted: bool = False
    struck: bool = False
    delegate_elu_id: int | None = None


def _entry_columns() -> tuple[Any, ...]:
    c = EMARGEMENT.c
    return (c.voter_ref, c.elu_id, c.weight, c.voted, c.struck, c.delegate_elu_id)


_ENTRY_COLUMNS = _entry_columns()


async def entries(session: AsyncSession, poll_id: int) -> list[Entry]:
    result = await session.execute(select(*_ENTRY_COLUMNS).where(EMARGEMENT.c.poll_id == poll_id))
    return [Entry(*row) for row in result.all()]


async def entry_of(session: AsyncSession, poll_id: int, voter_ref: str) -> Entry | None:
    result = await session.execute(
        select(*_ENTRY_COLUMNS).where(
            EMARGEMENT.c.poll_id == poll_id, EMARGEMENT.c.voter_ref == voter_ref
        )
    )
    row = result.first()
    return Entry(*row) if row is not None else None


async def entry_cast_by(session: AsyncSession, poll_id: int, elu_id: int) -> Entry | None:
    """The vote this élu casts for themself (or for their collectivité) in this poll."""
    result = await session.execute(
        select(*_ENTRY_COLUMNS)
        .where(EMARGEMENT.c.poll_id == poll_id, EMARGEMENT.c.elu_id == elu_id)
        .order_by(EMARGEMENT.c.voter_ref)
    )
    row = result.first()
    return Entry(*row) if row is not None else None


@dataclass(frozen=True)
class Standing:
    """Where one élu stands on a poll's list: the entry they cast for themself (or their
    collectivité), and the votes they hold by proxy (all, as :func:`proxies.held_count` counts
    them, and those still usable)."""

    own: Entry | None = None
    held: int = 0
    held_usable: int = 0


async def standings(
    session: AsyncSession, poll_ids: Sequence[int], elu_id: int
) -> dict[int, Standing]:
    """:class:`Standing` of this élu on each of these polls, in one read (polls where they are
    neither listed nor holding a proxy are absent). ``own`` is :func:`entry_cast_by`'s entry."""
    if not poll_ids:
        return {}
    c = EMARGEMENT.c
    result = await session.execute(
        select(c.poll_id, *_ENTRY_COLUMNS)
        .where(c.poll_id.in_(poll_ids), or_(c.elu_id == elu_id, c.delegate_elu_id == elu_id))
        .order_by(c.poll_id, c.voter_ref)
    )
    found: dict[int, Standing] = {}
    for poll_id, *columns in result.all():
        entry = Entry(*columns)
        standing = found.get(poll_id, Standing())
        if entry.elu_id == elu_id:
            if standing.own is None:
                standing = replace(standing, own=entry)
        else:
            standing = replace(
                standing,
                held=standing.held + 1,
                # usable: not struck, and a grantor still on record
                held_usable=standing.held_usable + (not entry.struck and entry.elu_id is not None),
            )
        found[poll_id] = standing
    return found


async def turnout(session: AsyncSession, poll_id: int) -> int:
    """How many votes were cast (entries marked), never which."""
    result = await session.execute(
        select(func.count())
        .select_from(EMARGEMENT)
        .where(EMARGEMENT.c.poll_id == poll_id, EMARGEMENT.c.voted.is_(True))
    )
    return int(result.scalar_one())


async def turnouts(session: AsyncSession, poll_ids: Sequence[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    result = await session.execute(
        select(EMARGEMENT.c.poll_id, func.count())
        .where(EMARGEMENT.c.poll_id.in_(list(poll_ids)), EMARGEMENT.c.voted.is_(True))
        .group_by(EMARGEMENT.c.poll_id)
    )
    counts = {int(p): int(n) for p, n in result.all()}
    return {p: counts.get(p, 0) for p in poll_ids}


async def voted_refs(session: AsyncSession, poll_id: int) -> set[str]:
    result = await session.execute(
        select(EMARGEMENT.c.voter_ref).where(
            EMARGEMENT.c.poll_id == poll_id, EMARGEMENT.c.voted.is_(True)
        )
    )
    return set(result.scalars())


async def strike(session: AsyncSession, elu_id: int) -> None:
    """The élu left or was erased: they lose every vote they would cast in open polls, and any
    unused proxy they hold goes back to its grantor. Ballots already cast stay counted."""
    open_polls = select(POLL.c.id).where(POLL.c.status == PollStatus.OPEN)
    await session.execute(
        update(EMARGEMENT)
        .where(EMARGEMENT.c.elu_id == elu_id, EMARGEMENT.c.poll_id.in_(open_polls))
        .values(struck=True)
    )
    await session.execute(
        update(EMARGEMENT)
        .where(
            EMARGEMENT.c.delegate_elu_id == elu_id,
            EMARGEMENT.c.voted.is_(False),
            EMARGEMENT.c.poll_id.in_(open_polls),
        )
        .values(delegate_elu_id=None)
    )


# ------------------------------------------------------------------ casting


@dataclass(frozen=True)
class Vote:
    """One ballot to store: for `voter_ref`, cast by `caster_elu_id` (by proxy when the vote is
    not the caster's own; `caster_ref` is then the caster's own vote in the poll, if any)."""

    poll_id: int
    voter_ref: str
    caster_elu_id: int
    content: Any
    weight: int
    by_proxy: bool = False
    caster_ref: str | None = None


@dataclass(frozen=True)
class Stored:
    replaced: bool


@dataclass
class _State:
    elu_id: int | None
    voted: bool
    struck: bool
    delegate_elu_id: int | None
    status: str
    closes_at: datetime


class ConcurrentChange(Exception):
    """Another process changed a vote's entry between our read and our write: redo the batch."""


def _refusal(
    vote: Vote, states: dict[tuple[int, str], _State], now: datetime
) -> DomainError | None:
    state = states.get((vote.poll_id, vote.voter_ref))
    if state is None:
        return NotAllowed("vote.hors-liste")
    if state.status != PollStatus.OPEN or now >= state.closes_at:
        return Conflict("vote.scrutin-clos-id")
    if state.struck:
        # With a proxy, it is the grantor who left: the refusal is about them, not the holder.
        return NotAllowed("vote.mandant-raye" if vote.by_proxy else "vote.raye")
    if vote.by_proxy:
        if state.delegate_elu_id != vote.caster_elu_id:
            return NotAllowed("vote.procuration-absente-id")
        own = states.get((vote.poll_id, vote.caster_ref)) if vote.caster_ref else None
        if own is None or own.struck:
            return NotAllowed("vote.mandataire-hors-liste")
        if own.delegate_elu_id is not None:
            return Conflict("vote.mandataire-a-donne")
        return None
    if state.elu_id != vote.caster_elu_id:
        return NotAllowed("vote.hors-liste")
    if state.delegate_elu_id is not None:
        return Conflict("vote.procuration-donnee-id")
    return None


async def _read_states(
    session: AsyncSession, votes: Sequence[Vote], *, lock: bool
) -> dict[tuple[int, str], _State]:
    """The entries the votes touch (and their caster's own, for proxies) with their poll's state:
    one statement; `lock` share-locks the polls (PostgreSQL) so that a closing waits for them."""
    keys = {(v.poll_id, v.voter_ref) for v in votes}
    keys.update((v.poll_id, v.caster_ref) for v in votes if v.by_proxy and v.caster_ref)
    query = (
        select(
            EMARGEMENT.c.poll_id,
            EMARGEMENT.c.voter_ref,
            EMARGEMENT.c.elu_id,
            EMARGEMENT.c.voted,
            EMARGEMENT.c.struck,
            EMARGEMENT.c.delegate_elu_id,
            POLL.c.status,
            POLL.c.closes_at,
        )
        .join(POLL, POLL.c.id == EMARGEMENT.c.poll_id)
        .where(tuple_(EMARGEMENT.c.poll_id, EMARGEMENT.c.voter_ref).in_(sorted(keys)))
    )
    if lock:
        query = query.with_for_update(read=True, of=POLL)
    states: dict[tuple[int, str], _State] = {}
    for poll_id, ref, elu_id, voted, struck, delegate, status, closes_at in (
        await session.execute(query)
    ).all():
        if closes_at.tzinfo is None:  # SQLite stores naive UTC
            closes_at = closes_at.replace(tzinfo=UTC)
        states[(poll_id, ref)] = _State(elu_id, voted, struck, delegate, status, closes_at)
    return states


async def refusal(session: AsyncSession, vote: Vote, now: datetime) -> DomainError | None:
    """Whether this vote would be refused now (no write, no lock): the ballot UI says so before
    the person fills a ballot. The write checks again."""
    return _refusal(vote, await _read_states(session, [vote], lock=False), now)


async def write_votes(
    session: AsyncSession,
    votes: Sequence[Vote],
    *,
    master_key: bytes,
    now: datetime,
    dialect: str,
) -> list[Stored | DomainError]:
    """Store a batch of ballots in the caller's transaction: at most three statements in all —
    one read of the entries (and of the polls' state, share-locked on PostgreSQL so that a
    closing waits for these ballots), one update marking first ballots, one insert of sealed
    rows. Each vote gets its outcome or its refusal; a refusal writes nothing for that vote.

    On PostgreSQL the batch first takes each poll's turn (a transaction-scoped advisory lock, in
    poll order), so that batches of one poll commit in the order of their sealed rows' ids even
    from several processes: the live snapshots (:func:`snapshot`) read that order, and a row
    committed behind a higher id would move a step already shown."""
    if dialect == "postgresql":
        for poll_id in sorted({v.poll_id for v in votes}):
            await numbering.take_turn(session, SEALED.name, poll_id)
    states = await _read_states(session, votes, lock=dialect == "postgresql")
    outcomes: list[Stored | DomainError] = []
    first: list[dict[str, Any]] = []
    latest: dict[tuple[int, str], Vote] = {}  # a voter twice in one batch: the last one counts
    for vote in votes:
        refused = _refusal(vote, states, now)
        if refused is not None:
            outcomes.append(refused)
            continue
        state = states[(vote.poll_id, vote.voter_ref)]
        outcomes.append(Stored(replaced=state.voted))
        if not state.voted:
            state.voted = True
            first.append(
                {
                    "p": vote.poll_id,
                    "v": vote.voter_ref,
                    "c": vote.caster_elu_id,
                    "d": state.delegate_elu_id or 0,
                }
            )
        latest.pop((vote.poll_id, vote.voter_ref), None)
        latest[(vote.poll_id, vote.voter_ref)] = vote
    if first:
        if dialect == "postgresql":
            # asyncpg's executemany reports no row count: one UPDATE … FROM unnest(arrays) for the
            # whole batch, counting the rows it returns.
            result = await session.execute(
                _MARK_FIRST_PG,
                {
                    "ps": [f["p"] for f in first],
                    "vs": [f["v"] for f in first],
                    "cs": [f["c"] for f in first],
                    "ds": [f["d"] for f in first],
                },
            )
            marked = len(result.all())
        else:
            marked = (await session.execute(_MARK_FIRST, first)).rowcount  # type: ignore[attr-defined]
        if marked != len(first):
            raise ConcurrentChange
    if latest:
        rows = [
            {
                "poll_id": v.poll_id,
                "sealed": seal(master_key, v.poll_id, v.voter_ref, v.content, v.weight),
            }
            for v in latest.values()
        ]
        random.SystemRandom().shuffle(rows)  # the batch's order says nothing about arrivals
        await session.execute(insert(SEALED), rows)
    return outcomes


def _mark_first() -> Any:
    return (
        update(EMARGEMENT)
        .where(
            EMARGEMENT.c.poll_id == bindparam("p"),
            EMARGEMENT.c.voter_ref == bindparam("v"),
            EMARGEMENT.c.voted.is_(False),
            EMARGEMENT.c.struck.is_(False),
            func.coalesce(EMARGEMENT.c.delegate_elu_id, 0) == bindparam("d"),
        )
        .values(voted=True, cast_by_elu_id=bindparam("c"))
    )


_MARK_FIRST = _mark_first()

# PostgreSQL: every first ballot of a batch marked by one statement (same conditions as above).
_MARK_FIRST_PG = text(
    "UPDATE emargement AS e SET voted = true, cast_by_elu_id = v.c "
    "FROM unnest(CAST(:ps AS integer[]), CAST(:vs AS varchar[]), CAST(:cs AS integer[]), "
    "CAST(:ds AS integer[])) AS v(p, r, c, d) "
    "WHERE e.poll_id = v.p AND e.voter_ref = v.r AND e.voted = false AND e.struck = false "
    "AND COALESCE(e.delegate_elu_id, 0) = v.d "
    "RETURNING e.voter_ref"
)


# ------------------------------------------------------------------ reading and closing


@dataclass
class FinalBallots:
    """A poll's final ballots: what is counted and published."""

    counted: list[CountedBallot]
    #: public polls: (voter_ref, content, weight) per voter; empty for secret polls
    public: list[tuple[str, Any, int]] = field(default_factory=list)


def _sort_key(content: Any) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


async def open_sealed(
    session: AsyncSession, poll_id: int, master_key: bytes
) -> dict[str, Unsealed]:
    """Every voter's latest sealed ballot of an open poll (read once, opened in memory)."""
    result = await session.execute(
        select(SEALED.c.sealed).where(SEALED.c.poll_id == poll_id).order_by(SEALED.c.id)
    )
    final: dict[str, Unsealed] = {}
    for (sealed,) in result.all():
        ballot = unseal(master_key, poll_id, sealed)
        final[ballot.voter_ref] = ballot
    return final


def final_ballots(poll: Poll, latest: Iterable[Unsealed]) -> FinalBallots:
    """Secret polls: one unit ballot per unit of weight, sorted by content (no voter, no order).
    Public polls: one ballot per voter with its weight, sorted by voter."""
    if poll.secret:
        units = [CountedBallot(b.content, 1) for b in latest for _ in range(max(b.weight, 0))]
        units.sort(key=lambda b: _sort_key(b.content))
        return FinalBallots(units)
    public = sorted(((b.voter_ref, b.content, b.weight) for b in latest), key=lambda x: x[0])
    return FinalBallots([CountedBallot(c, w) for _, c, w in public], public)


async def live_ballots(session: AsyncSession, poll: Poll, master_key: bytes) -> FinalBallots:
    """Every voter's latest ballot now: what closing counts (never shown while a secret poll is
    open: live views show a :class:`Snapshot`)."""
    assert poll.id is not None
    return final_ballots(poll, (await open_sealed(session, poll.id, master_key)).values())


# ------------------------------------------------------------------ live results in steps

#: A secret poll's live figures move only once at least this many *different* voters have cast
#: a ballot (a first ballot or a replacement) since the figures last moved, and show nothing
#: before this many voters. Never below 3: with 2, a voter who is one of the two would read the
#: other's ballot off the difference.
LIVE_STEP: int = 3


@dataclass(frozen=True)
class Snapshot:
    """The live figures of a secret poll: each voter's latest ballot as it stood when the last
    step was reached (in arrival order), `arrivals` the sealed rows it covers. Empty (nothing to
    show) until `LIVE_STEP` voters have voted."""

    latest: tuple[Unsealed, ...] = ()
    arrivals: int = 0

    @property
    def turnout(self) -> int:
        """Voters counted in the snapshot (the turnout shown)."""
        return len(self.latest)

    @property
    def empty(self) -> bool:
        return not self.latest


def snapshot(arrivals: Iterable[Unsealed], step: int = LIVE_STEP) -> Snapshot:
    """The snapshot of a ballot box given its sealed rows in arrival order (pure).

    Walking the rows, each voter's latest ballot is kept; a step is reached when at least `step`
    different voters have cast since the previous step (a replacement counts for its voter, but
    one voter casting again and again counts once: they cannot push a step by themself and
    isolate the next voter's ballot). The snapshot is the state at the last step reached. Every
    step is decided by who cast, never by what, and by the rows up to it only, so appending rows
    never moves an earlier step: the same rows always give the same snapshot (after a restart
    too), and two consecutive snapshots differ by the ballots of at least `step` voters."""
    return Steps(step).feed(enumerate(arrivals, start=1))


class Steps:
    """:func:`snapshot` fed as rows arrive: give it the rows after `last_id` (ids increasing) and
    it returns the snapshot of every row fed so far, without opening the earlier rows again.
    Rows it already took are skipped, so two readers feeding overlapping reads are harmless."""

    def __init__(self, step: int = LIVE_STEP) -> None:
        if step < 3:
            raise ValueError("a live step of fewer than 3 voters would reveal ballots")
        self.step = step
        self.last_id = 0  # the id of the last row taken
        self.shown = Snapshot()
        self._taken = 0  # rows taken
        self._latest: dict[str, Unsealed] = {}  # every voter's latest ballot, all rows taken
        self._since: set[str] = set()  # voters who cast since the last step

    def feed(self, rows: Iterable[tuple[int, Unsealed]]) -> Snapshot:
        fresh = [(row_id, ballot) for row_id, ballot in rows if row_id > self.last_id]
        # Where the last step falls among these rows (decided by who cast only)...
        reached = 0
        since = self._since
        for index, (_, ballot) in enumerate(fresh, start=1):
            since.add(ballot.voter_ref)
            if len(since) >= self.step:
                reached = index
                since = set()
        self._since = since
        # ...then the state there, copied once (not at every step: linear in the rows).
        for _, ballot in fresh[:reached]:
            self._latest[ballot.voter_ref] = ballot
        if reached:
            self.shown = Snapshot(tuple(self._latest.values()), self._taken + reached)
        for _, ballot in fresh[reached:]:
            self._latest[ballot.voter_ref] = ballot
        self._taken += len(fresh)
        if fresh:
            self.last_id = fresh[-1][0]
        return self.shown


async def arrivals(
    session: AsyncSession, poll_id: int, master_key: bytes, after: int = 0
) -> list[tuple[int, Unsealed]]:
    """The sealed rows of an open poll after id `after`, opened, with their ids, in arrival order
    (id order: batches of one poll commit in id order, `write_votes` taking the poll's turn on
    PostgreSQL, so no row can later appear below an id already read)."""
    result = await session.execute(
        select(SEALED.c.id, SEALED.c.sealed)
        .where(SEALED.c.poll_id == poll_id, SEALED.c.id > after)
        .order_by(SEALED.c.id)
    )
    return [(row_id, unseal(master_key, poll_id, sealed)) for row_id, sealed in result.all()]


async def live_snapshot(
    session: AsyncSession, poll: Poll, master_key: bytes, steps: Steps | None = None
) -> Snapshot:
    """The snapshot of an open poll's ballots (see :func:`snapshot`); with `steps` (kept by the
    ballot box per open poll), only the rows that arrived since its last read are opened."""
    assert poll.id is not None
    if steps is None:
        steps = Steps()
    return steps.feed(await arrivals(session, poll.id, master_key, steps.last_id))


async def published_ballots(session: AsyncSession, poll: Poll) -> FinalBallots:
    """A closed poll's published ballots, as written at closing."""
    result = await session.execute(
        select(BALLOT.c.content, BALLOT.c.weight, BALLOT.c.voter_ref)
        .where(BALLOT.c.poll_id == poll.id)
        .order_by(BALLOT.c.position)
    )
    rows = result.all()
    counted = [CountedBallot(content, weight) for content, weight, _ in rows]
    public = [] if poll.secret else [(ref or "?", c, w) for c, w, ref in rows]
    return FinalBallots(counted, public)


async def seal_up(session: AsyncSession, poll: Poll, master_key: bytes) -> FinalBallots:
    """At closing, in the closing transaction: open the sealed rows, write the final ballots in
    content order, delete the sealed rows. Returns what was written (read once)."""
    assert poll.id is not None
    final = await live_ballots(session, poll, master_key)
    if poll.secret:
        rows = [
            {
                "poll_id": poll.id,
                "position": i,
                "content": b.content,
                "weight": 1,
                "voter_ref": None,
            }
            for i, b in enumerate(final.counted)
        ]
    else:
        rows = [
            {"poll_id": poll.id, "position": i, "content": c, "weight": w, "voter_ref": ref}
            for i, (ref, c, w) in enumerate(final.public)
        ]
    await session.execute(delete(SEALED).where(SEALED.c.poll_id == poll.id))
    if rows:
        await session.execute(insert(BALLOT), rows)
    return final


async def voter_labels(session: AsyncSession, refs: list[str]) -> dict[str, str]:
    """Display names for voter refs (`elu:<id>` → name, `col:<id>` → collectivité); an élu who
    erased their data has none (the caller shows « membre parti·e »)."""
    elu_ids = [int(r.split(":", 1)[1]) for r in refs if r.startswith("elu:")]
    col_ids = [int(r.split(":", 1)[1]) for r in refs if r.startswith("col:")]
    labels: dict[str, str] = {}
    if elu_ids:
        rows = await session.execute(
            select(col(Elu.id), col(Elu.full_name)).where(col(Elu.id).in_(elu_ids))
        )
        labels.update({f"elu:{i}": name for i, name in rows.all() if name})
    if col_ids:
        rows = await session.execute(
            select(col(Collectivite.id), col(Collectivite.name)).where(
                col(Collectivite.id).in_(col_ids)
            )
        )
        labels.update({f"col:{i}": name for i, name in rows.all()})
    return labels


# ------------------------------------------------------------------ upgrade from version 0002


def _legacy_key_texts(master_key: bytes) -> list[bytes]:
    """The texts the HMAC-keyed design may have used as its key (it used the key *text*): the
    forms a key decoding to `master_key` can be written in."""
    url = base64.urlsafe_b64encode(master_key)
    std = base64.b64encode(master_key)
    return list(
        dict.fromkeys([url.rstrip(b"="), url, std.rstrip(b"="), std, master_key.hex().encode()])
    )


async def adopt_legacy(session: AsyncSession, poll: Poll, master_key: bytes) -> tuple[int, int]:
    """A poll left open by the upgrade from the HMAC-keyed ballot table (migration 0003): record
    its liste d'émargement (the eligible voters now, plus those who already voted), then seal its
    old ballots, found by the old HMAC of each voter who voted. Returns (sealed, left behind)."""
    assert poll.id is not None
    if poll.electorate_weight is None:
        known = {e.voter_ref for e in await entries(session, poll.id)}
        missing = [v for v in await eligible_now(session, poll) if v.ref not in known]
        if missing:
            await session.execute(insert(EMARGEMENT), _entry_rows(poll.id, missing))
        poll.electorate_weight = sum(e.weight for e in await entries(session, poll.id))
        session.add(poll)
        # Active proxies of the poll: their holder casts the grantor's vote (unless already cast).
        active = await session.execute(
            select(col(Proxy.grantor_elu_id), col(Proxy.holder_elu_id)).where(
                col(Proxy.poll_id) == poll.id, col(Proxy.revoked_at).is_(None)
            )
        )
        for grantor_id, holder_id in active.all():
            await session.execute(
                update(EMARGEMENT)
                .where(
                    EMARGEMENT.c.poll_id == poll.id,
                    EMARGEMENT.c.elu_id == grantor_id,
                    EMARGEMENT.c.voted.is_(False),
                    EMARGEMENT.c.struck.is_(False),
                    EMARGEMENT.c.delegate_elu_id.is_(None),
                )
                .values(delegate_elu_id=holder_id)
            )
    legacy = LegacyBallot.__table__  # type: ignore[attr-defined]
    rows = (
        await session.execute(
            select(legacy.c.ballot_key, legacy.c.content, legacy.c.weight).where(
                legacy.c.poll_id == poll.id
            )
        )
    ).all()
    if not rows:
        return 0, 0
    by_key = {key: (content, weight) for key, content, weight in rows}
    voters = await voted_refs(session, poll.id)
    sealed: list[dict[str, Any]] = []
    matched: set[str] = set()
    for key_text in _legacy_key_texts(master_key):
        for ref in voters:
            key = hmac.new(key_text, f"{poll.id}:{ref}".encode(), hashlib.sha256).hexdigest()
            if key in by_key and key not in matched:
                content, weight = by_key[key]
                matched.add(key)
                sealed.append(
                    {"poll_id": poll.id, "sealed": seal(master_key, poll.id, ref, content, weight)}
                )
    random.SystemRandom().shuffle(sealed)
    if sealed:
        await session.execute(insert(SEALED), sealed)
        await session.execute(
            delete(legacy).where(legacy.c.poll_id == poll.id, legacy.c.ballot_key.in_(matched))
        )
    return len(sealed), len(rows) - len(sealed)
