"""Migration 0003 (the ballot box) on a database holding data of version 0002.

At 0002, ballots were rows keyed by an HMAC of the voter (`ballot.ballot_key`, with `weight` and,
for public polls, `public_voter_ref`) and `participation` said who voted. Upgrading to head must:

- closed secret poll → published unit rows (one per unit of weight) in content order, no voter;
- closed public poll → one published row per voter, with its weight and its voter_ref;
- open poll → its old rows kept as they were in `ballot_v1` (only the bot, which has the key,
  can seal them), nothing published;
- every participation → a marked entry of the liste d'émargement (`voted`, who cast it, the
  collectivité's weight for `col:` votes);
- proxies keep their rows (only `used_at` goes).

Then, at the bot's first start (`BallotBox.start`), a poll left open is adopted: its liste
d'émargement completed with the eligible voters, its old ballots found by the old HMAC of the key
*text* and sealed under the master key, `ballot_v1` emptied.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import inspect, select, text

from rtes_bot.ballot_box import BallotBox
from rtes_bot.db import Database, script_heads, upgrade_sync
from rtes_bot.models import Ballot, LegacyBallot
from rtes_bot.services import ballots as ballots_service
from tests.support.rig import TEST_MASTER_KEY, TEST_SECRET

GUILD = 4242
OPEN_POLL = 14


def old_ballot_key(poll_id: int, voter_ref: str) -> str:
    """The row key version 0002 gave a ballot: HMAC-SHA256 keyed by the secret key's *text*."""
    message = f"{poll_id}:{voter_ref}".encode()
    return hmac.new(TEST_SECRET.encode(), message, hashlib.sha256).hexdigest()


BALLOT: Any = Ballot.__table__  # type: ignore[attr-defined]
LEGACY: Any = LegacyBallot.__table__  # type: ignore[attr-defined]


async def _fill_version_0002(database: Database) -> dict[str, int]:
    """Three élus, two collectivités (weights 3 and 1) and four polls, written with raw SQL in
    the 0002 schema. Returns the poll ids by name."""
    now = datetime.now(UTC).replace(microsecond=0)
    if database.is_sqlite:  # UTCDateTime stores naive UTC on SQLite
        now = now.replace(tzinfo=None)
    later = now + timedelta(days=2)
    async with database.begin() as s:
        for cid, name, weight in ((1, "Grenoble", 3), (2, "Voiron", 1)):
            await s.execute(
                text(
                    "INSERT INTO collectivite (id, guild_id, name, name_key, kind, status, "
                    "weight, flagged_new, created_at, updated_at) VALUES (:id, :g, :n, :k, "
                    "'commune', 'adherente', :w, :f, :t, :t)"
                ),
                {
                    "id": cid,
                    "g": GUILD,
                    "n": name,
                    "k": name.lower(),
                    "w": weight,
                    "f": False,
                    "t": now,
                },
            )
        for eid, name, cid, referent in (
            (1, "Alice", 2, True),
            (2, "Bruno", None, False),
            (3, "Chloé", 1, True),
        ):
            await s.execute(
                text(
                    "INSERT INTO elu (id, guild_id, discord_user_id, full_name, collectivite_id, "
                    "mandate, share_email, share_phone, is_referent, status, locale, "
                    "reminders_opt_out, created_at, updated_at) VALUES (:id, :g, :u, :n, :c, "
                    "'Maire', :f, :f, :r, 'active', 'fr', :f, :t, :t)"
                ),
                {
                    "id": eid,
                    "g": GUILD,
                    "u": 1000 + eid,
                    "n": name,
                    "c": cid,
                    "f": False,
                    "r": referent,
                    "t": now,
                },
            )
        polls = {
            # name: (id, number, secret, status, electorate)
            "secret": (11, 1, True, "closed", "elus"),
            "public": (12, 2, False, "closed", "collectivites"),
            "weighted": (13, 3, True, "closed", "collectivites"),
            "open": (14, 4, True, "open", "elus"),
        }
        for pid, number, secret, status, electorate in polls.values():
            await s.execute(
                text(
                    "INSERT INTO poll (id, guild_id, number, question, method, options, irv, "
                    "quorum_percent, majority, secret, electorate, results_visibility, seed, "
                    "status, opens_at, closes_at, closed_at, created_at) VALUES (:id, :g, :num, "
                    ":q, 'pour-contre', :o, :f, 0, 'simple', :s, :e, 'a-la-cloture', 'graine', "
                    ":st, :t, :c, :closed, :t)"
                ),
                {
                    "id": pid,
                    "g": GUILD,
                    "num": number,
                    "q": f"Question {number} ?",
                    "o": json.dumps([]),
                    "f": False,
                    "s": secret,
                    "e": electorate,
                    "st": status,
                    "t": now,
                    "c": later,
                    "closed": now if status == "closed" else None,
                },
            )
        ballots = [
            # (poll, ballot_key, content, weight, public_voter_ref)
            (11, "a" * 64, "pour", 1, None),
            (11, "b" * 64, "contre", 1, None),
            (11, "c" * 64, "pour", 1, None),
            (12, "d" * 64, "pour", 1, "col:2"),
            (12, "e" * 64, "contre", 3, "col:1"),
            (13, "f" * 64, "pour", 3, None),
            (13, "0" * 64, "contre", 1, None),
            (14, old_ballot_key(14, "elu:1"), "contre", 1, None),
            (14, old_ballot_key(14, "elu:3"), "pour", 1, None),
        ]
        for poll_id, key, content, weight, ref in ballots:
            await s.execute(
                text(
                    "INSERT INTO ballot (poll_id, ballot_key, content, weight, public_voter_ref) "
                    "VALUES (:p, :k, :c, :w, :r)"
                ),
                {"p": poll_id, "k": key, "c": json.dumps(content), "w": weight, "r": ref},
            )
        participations = [
            # (poll, voter_ref, cast_by_elu_id)
            (11, "elu:1", 1),
            (11, "elu:2", 1),  # Bruno's vote, cast by Alice holding his proxy
            (11, "elu:3", 3),
            (12, "col:1", 3),
            (12, "col:2", 1),
            (13, "col:1", 3),
            (13, "col:2", 1),
            (14, "elu:1", 1),
            (14, "elu:3", 3),
        ]
        for poll_id, ref, cast_by in participations:
            await s.execute(
                text(
                    "INSERT INTO participation (poll_id, voter_ref, cast_by_elu_id) "
                    "VALUES (:p, :v, :c)"
                ),
                {"p": poll_id, "v": ref, "c": cast_by},
            )
        await s.execute(
            text(
                "INSERT INTO proxy (id, poll_id, grantor_elu_id, holder_elu_id, created_at, "
                "used_at) VALUES (1, 11, 2, 1, :t, :t)"
            ),
            {"t": now},
        )
        # An active proxy, not used yet, in the poll left open: Bruno (2) to Alice (1).
        await s.execute(
            text(
                "INSERT INTO proxy (id, poll_id, grantor_elu_id, holder_elu_id, created_at) "
                "VALUES (2, 14, 2, 1, :t)"
            ),
            {"t": now},
        )
    return {name: values[0] for name, values in polls.items()}


async def test_upgrade_from_0002_publishes_closed_polls_keeps_open_ones_and_lists_voters(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    await asyncio.to_thread(upgrade_sync, url, "0002")
    database = Database(url)
    try:
        polls = await _fill_version_0002(database)
        await database.dispose()
        await asyncio.to_thread(upgrade_sync, url)

        database = Database(url)
        async with database.read() as s:
            version = (await s.execute(text("SELECT version_num FROM alembic_version"))).scalar()
            # Typed reads (the models' JSON columns): a content stored encoded twice would show.
            published = {
                pid: [
                    (row.position, row.content, row.weight, row.voter_ref)
                    for row in await s.execute(
                        select(BALLOT).where(BALLOT.c.poll_id == pid).order_by(BALLOT.c.position)
                    )
                ]
                for pid in polls.values()
            }
            legacy = sorted(
                (row.poll_id, row.ballot_key, row.content, row.weight)
                for row in await s.execute(select(LEGACY))
            )
            emargement = {
                (row.poll_id, row.voter_ref): (
                    row.elu_id,
                    row.weight,
                    bool(row.voted),
                    bool(row.struck),
                    row.delegate_elu_id,
                    row.cast_by_elu_id,
                )
                for row in await s.execute(text("SELECT * FROM emargement"))
            }
            sealed = (await s.execute(text("SELECT count(*) FROM sealed_ballot"))).scalar()
            proxies = (await s.execute(text("SELECT id, poll_id FROM proxy"))).all()
            columns = await s.run_sync(
                lambda sync: {
                    table: {c["name"] for c in inspect(sync.connection()).get_columns(table)}
                    for table in ("ballot", "proxy")
                }
            )
            tables = await s.run_sync(
                lambda sync: set(inspect(sync.connection()).get_table_names())
            )
    finally:
        await database.dispose()

    assert {version} == set(script_heads() or ())
    assert "participation" not in tables
    assert "ballot_key" not in columns["ballot"] and "public_voter_ref" not in columns["ballot"]
    assert "used_at" not in columns["proxy"]

    # Closed secret polls: unit rows in content order, no voter, no trace of the HMAC keys.
    assert published[polls["secret"]] == [
        (0, "contre", 1, None),
        (1, "pour", 1, None),
        (2, "pour", 1, None),
    ]
    assert published[polls["weighted"]] == [  # weight 3 → three unit rows
        (0, "contre", 1, None),
        (1, "pour", 1, None),
        (2, "pour", 1, None),
        (3, "pour", 1, None),
    ]
    # Closed public poll: one row per voter, with its weight and its voter.
    assert [row[0] for row in published[polls["public"]]] == [0, 1]
    assert sorted(row[1:] for row in published[polls["public"]]) == [
        ("contre", 3, "col:1"),
        ("pour", 1, "col:2"),
    ]
    # Open poll: nothing published, its rows kept as they were for the bot to seal.
    assert published[polls["open"]] == []
    assert legacy == sorted(
        [
            (polls["open"], old_ballot_key(14, "elu:1"), "contre", 1),
            (polls["open"], old_ballot_key(14, "elu:3"), "pour", 1),
        ]
    )
    assert sealed == 0

    # The liste d'émargement from the participations: who voted, who cast it, with what weight.
    secret, public, weighted, open_ = (polls[n] for n in ("secret", "public", "weighted", "open"))
    assert emargement == {
        (secret, "elu:1"): (1, 1, True, False, None, 1),
        (secret, "elu:2"): (2, 1, True, False, None, 1),
        (secret, "elu:3"): (3, 1, True, False, None, 3),
        (public, "col:1"): (3, 3, True, False, None, 3),
        (public, "col:2"): (1, 1, True, False, None, 1),
        (weighted, "col:1"): (3, 3, True, False, None, 3),
        (weighted, "col:2"): (1, 1, True, False, None, 1),
        (open_, "elu:1"): (1, 1, True, False, None, 1),
        (open_, "elu:3"): (3, 1, True, False, None, 3),
    }
    # Published ballots weigh exactly the turnout of each closed poll.
    for pid in (secret, public, weighted):
        turnout = sum(w for (p, _), (_, w, voted, *_) in emargement.items() if p == pid and voted)
        assert sum(row[2] for row in published[pid]) == turnout, pid
    assert sorted(proxies) == [(1, secret), (2, open_)]


async def _upgraded(url: str) -> None:
    """A database of version 0002 with the data above, upgraded to head."""
    await asyncio.to_thread(upgrade_sync, url, "0002")
    database = Database(url)
    try:
        await _fill_version_0002(database)
    finally:
        await database.dispose()
    await asyncio.to_thread(upgrade_sync, url)


async def test_the_first_start_after_the_upgrade_seals_the_open_polls_old_ballots(
    empty_database_url: str,
) -> None:
    await _upgraded(empty_database_url)
    database = Database(empty_database_url)
    box = BallotBox(database, TEST_MASTER_KEY, lambda: datetime.now(UTC))
    try:
        await box.start()
        async with database.read() as s:
            sealed = await ballots_service.open_sealed(s, OPEN_POLL, TEST_MASTER_KEY)
            legacy = (await s.execute(text("SELECT count(*) FROM ballot_v1"))).scalar()
            entries = {e.voter_ref: e.voted for e in await ballots_service.entries(s, OPEN_POLL)}
            weight = (
                await s.execute(
                    text("SELECT electorate_weight FROM poll WHERE id = :p"), {"p": OPEN_POLL}
                )
            ).scalar()
        # A second start finds nothing left to adopt and changes nothing.
        await box.stop()
        box = BallotBox(database, TEST_MASTER_KEY, lambda: datetime.now(UTC))
        await box.start()
        async with database.read() as s:
            again = await ballots_service.open_sealed(s, OPEN_POLL, TEST_MASTER_KEY)
            rows = (await s.execute(text("SELECT count(*) FROM sealed_ballot"))).scalar()
    finally:
        await box.stop()
        await database.dispose()
    assert {ref: (b.content, b.weight) for ref, b in sealed.items()} == {
        "elu:1": ("contre", 1),
        "elu:3": ("pour", 1),
    }
    assert legacy == 0
    # The list completed with who may vote now (Bruno, who had not voted); who voted stays marked.
    assert entries == {"elu:1": True, "elu:2": False, "elu:3": True}
    assert weight == 3
    assert again.keys() == sealed.keys() and rows == 2


async def test_an_active_proxy_of_a_poll_left_open_by_the_upgrade_still_works(
    empty_database_url: str,
) -> None:
    await _upgraded(empty_database_url)
    database = Database(empty_database_url)
    box = BallotBox(database, TEST_MASTER_KEY, lambda: datetime.now(UTC))
    try:
        await box.start()
        poll = await box.open_poll_by_id(GUILD, OPEN_POLL)
        async with database.read() as s:
            grantor = await ballots_service.entry_of(s, OPEN_POLL, "elu:2")
        assert grantor is not None and grantor.delegate_elu_id == 1
        # Alice (user 1001) votes for Bruno (user 1002) with his proxy.
        vote = box.vote_for(poll, 1001, 1002)
        assert vote is not None and vote.by_proxy
        stored = await box.cast_vote(
            ballots_service.Vote(
                vote.poll_id,
                vote.voter_ref,
                vote.caster_elu_id,
                "pour",
                vote.weight,
                by_proxy=True,
                caster_ref=vote.caster_ref,
            )
        )
        assert not stored.replaced
    finally:
        await box.stop()
        await database.dispose()
