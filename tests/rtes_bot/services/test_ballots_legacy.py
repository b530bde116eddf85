"""A poll left open by the upgrade from the HMAC-keyed ballot table (migration 0003) keeps its
ballots: at start the ballot box records its liste d'émargement and seals the old ballots with
the server's key; they are counted once at closing, and the voter can still replace theirs."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from rtes_bot.ballot_box import BallotBox
from rtes_bot.db import Database, upgrade_sync
from rtes_bot.models import LegacyBallot, SealedBallot
from rtes_bot.services import ballots

GUILD = 4242
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _old_key(key_text: str, poll_id: int, ref: str) -> str:
    return hmac.new(key_text.encode(), f"{poll_id}:{ref}".encode(), hashlib.sha256).hexdigest()


async def test_open_poll_ballots_are_sealed_at_start_and_counted_once(
    empty_database_url: str,
) -> None:
    url_at_0002 = empty_database_url
    await asyncio.to_thread(upgrade_sync, url_at_0002, "0002")  # before the ballot box
    key_text = secrets.token_urlsafe(48)  # what version 0002 generated
    master = base64.urlsafe_b64decode(key_text + "=" * (-len(key_text) % 4))
    database = Database(url_at_0002)
    stamp = NOW.replace(tzinfo=None) if database.is_sqlite else NOW
    async with database.begin() as session:
        for i in range(1, 5):
            await session.execute(
                text(
                    "INSERT INTO elu (id, guild_id, full_name, mandate, share_email, share_phone,"
                    " is_referent, status, locale, reminders_opt_out, created_at, updated_at,"
                    " discord_user_id) VALUES (:i, :g, :n, '', false, false, false, 'active',"
                    " 'fr', false, :t, :t, :u)"
                ),
                {"i": i, "g": GUILD, "n": f"Élu {i}", "t": stamp, "u": 9000 + i},
            )
        await session.execute(
            text(
                "INSERT INTO poll (id, guild_id, number, question, method, options, irv,"
                " quorum_percent, majority, secret, electorate, results_visibility, seed, status,"
                " opens_at, closes_at, created_at) VALUES (1, :g, 1, 'Q ?', 'pour-contre', '[]',"
                " false, 0, 'simple', true, 'elus', 'a-la-cloture', 'x', 'open', :t, :c, :t)"
            ),
            {"g": GUILD, "t": stamp, "c": stamp + timedelta(days=2)},
        )
        for i, choice in ((1, "pour"), (2, "contre"), (3, "pour")):
            ref = f"elu:{i}"
            await session.execute(
                text(
                    "INSERT INTO participation (poll_id, voter_ref, cast_by_elu_id) VALUES (1, :r, :i)"
                ),
                {"r": ref, "i": i},
            )
            await session.execute(
                text(
                    "INSERT INTO ballot (poll_id, ballot_key, content, weight, public_voter_ref)"
                    " VALUES (1, :k, :c, 1, NULL)"
                ),
                {"k": _old_key(key_text, 1, ref), "c": json.dumps(choice)},
            )
    await database.dispose()
    await asyncio.to_thread(upgrade_sync, url_at_0002)

    database = Database(url_at_0002)
    box = BallotBox(database, master, lambda: NOW + timedelta(hours=1))
    try:
        await box.start()
        async with database.read() as session:
            legacy_left = (await session.execute(text("SELECT count(*) FROM ballot_v1"))).scalar()
            sealed_rows = (
                await session.execute(text("SELECT count(*) FROM sealed_ballot"))
            ).scalar()
            entries = await ballots.entries(session, 1)
            latest = await ballots.open_sealed(session, 1, master)
        assert legacy_left == 0 and sealed_rows == 3
        assert {e.voter_ref for e in entries} == {f"elu:{i}" for i in range(1, 5)}
        assert {e.voter_ref for e in entries if e.voted} == {"elu:1", "elu:2", "elu:3"}
        assert {ref: b.content for ref, b in latest.items()} == {
            "elu:1": "pour",
            "elu:2": "contre",
            "elu:3": "pour",
        }
        # A second start finds nothing more to adopt.
        await box.stop()
        box = BallotBox(database, master, lambda: NOW + timedelta(hours=1))
        await box.start()
        poll = await box.open_poll_by_number(GUILD, 1)
        assert poll.spec.electorate_weight == 4
        # Élu 2 changes their vote; élu 4 votes: each counted once.
        for user, choice in ((9002, "pour"), (9004, "contre")):
            vote = box.vote_for(poll, user)
            assert vote is not None
            await box.cast_vote(replace(vote, content=choice))
        closed = await box.close_poll(1, actor_id=None, reason="test")
        assert closed is not None
        assert closed.result.pour_contre is not None
        tallies = {
            c: sum(b.weight for b in closed.final.counted if b.content == c)
            for c in ("pour", "contre")
        }
        assert tallies == {"pour": 3, "contre": 1}
        async with database.read() as session:
            assert (await session.execute(text("SELECT count(*) FROM sealed_ballot"))).scalar() == 0
        assert LegacyBallot.__tablename__ == "ballot_v1" and SealedBallot.__tablename__
    finally:
        await box.stop()
        await database.dispose()
