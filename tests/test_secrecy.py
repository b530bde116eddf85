"""A secret poll cannot be linked to its voters: not from a dump of every table and column, not from
the logs at DEBUG, not from the messages; ballot keys need the server's key; at closing the ballot
rows are rewritten in one transaction (PostgreSQL: one `xmin` for them all, in a shuffled order)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from rtes_bot.models import metadata
from rtes_bot.services.ballots import ballot_key
from tests.test_voting_helpers import (
    advance_and_run,
    open_poll,
    open_ui,
    poll_message,
    poll_row,
    registry_messages,
    setup_network,
    submit_ui,
    ui_step,
    vote_text,
)

CHOICES = ("pour", "contre", "abstention")


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_flatten(v)]]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _flatten(v)]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return _flatten(json.loads(value))
        except ValueError:
            return [value]
    return [str(value)]


async def dump(rig: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, every column."""
    tables: dict[str, list[dict[str, Any]]] = {}
    async with rig.db.read() as session:
        for table in metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            tables[table.name] = [dict(row) for row in rows]
    return tables


async def test_secret_ballots_cannot_be_linked_to_voters(
    rig: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    registry = await setup_network(rig)
    voters = [await rig.elu(f"Votant Secret {i}") for i in range(6)]
    poll, _ = await open_poll(rig, question="Fusionner les commissions ?")
    cast: dict[int, str] = {}
    for index, person in enumerate(voters):
        choice = CHOICES[index % 3]
        if index % 2:
            await vote_text(rig, person.user, poll.number, choice)
        else:
            ui = await open_ui(rig, person.user, poll)
            ui = await ui_step(rig, person.user, ui, f"rtes:bulletin:{choice}")
            await submit_ui(rig, person.user, ui)
        cast[index] = choice
    _, click = await vote_text(rig, voters[0].user, poll.number, "contre")  # a change
    assert "Bulletin remplacé" in click.text
    cast[0] = "contre"

    identifiers = {
        index: {str(p.user.id), f"elu:{p.elu.id}", p.elu.full_name}
        for index, p in enumerate(voters)
    }
    everyone = set().union(*identifiers.values())

    async def check_dump() -> dict[str, list[dict[str, Any]]]:
        tables = await dump(rig)
        for name, rows in tables.items():
            for row in rows:
                values = set(_flatten(list(row.values())))
                if values & everyone:
                    assert not values & set(CHOICES), (name, row)
        ballots = [row for row in tables["ballot"] if row["poll_id"] == poll.id]
        assert set(tables["ballot"][0]) == {
            "poll_id",
            "ballot_key",
            "content",
            "weight",
            "public_voter_ref",
        }
        assert len(ballots) == 6 and all(row["public_voter_ref"] is None for row in ballots)
        assert sorted(row["content"] for row in ballots) == sorted(cast.values())
        keys = {row["ballot_key"] for row in ballots}
        for person in voters:
            ref = f"elu:{person.elu.id}"
            message = f"{poll.id}:{ref}".encode()
            assert hashlib.sha256(message).hexdigest() not in keys
            assert hmac.new(b"another-key", message, hashlib.sha256).hexdigest() not in keys
            assert (
                ballot_key(rig.bot.secret_key, poll.id, ref) in keys
            )  # only with the server's key
        return tables

    await check_dump()
    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.result["counts"] == {"pour": 1, "contre": 3, "abstention": 2}
    await check_dump()

    async with rig.db.read() as session:
        if rig.db.is_sqlite:
            with pytest.raises(Exception, match="rowid"):
                await session.execute(text("SELECT rowid FROM ballot"))
        else:
            ballot_xmins = set(
                (
                    await session.execute(
                        text("SELECT xmin::text FROM ballot WHERE poll_id = :p"), {"p": poll.id}
                    )
                ).scalars()
            )
            participation_xmins = set(
                (
                    await session.execute(
                        text("SELECT xmin::text FROM participation WHERE poll_id = :p"),
                        {"p": poll.id},
                    )
                ).scalars()
            )
            assert len(ballot_xmins) == 1  # rewritten together at closing
            assert not ballot_xmins & participation_xmins

    # Logs (DEBUG, discord.py included): no record names a voter next to a ballot.
    markers = [
        "rtes:bulletin:",
        "Bulletin enregistré",
        "Bulletin remplacé",
        "**Pour**",
        "**Contre**",
    ]
    assert any("INTERACTION_CREATE" in r.getMessage() for r in caplog.records)  # DEBUG was on
    for record in caplog.records:
        message = record.getMessage()
        assert not any(marker in message for marker in markers), message
        if any(identifier in message for identifier in everyone):
            assert not any(f"'{c}'" in message or f'"{c}"' in message for c in CHOICES), message

    # Messages: the poll message and the registry show counts, never names.
    public = [poll_message(rig, poll).text, *(m.text for m in registry_messages(rig, registry))]
    for published in public:
        assert not any(person.elu.full_name in published for person in voters)
    csv = next(
        a for a in registry_messages(rig, registry)[0].attachments if a.filename.endswith(".csv")
    )
    assert csv.data.decode().splitlines()[1:] == sorted(csv.data.decode().splitlines()[1:])
