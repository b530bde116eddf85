"""The secrecy of the vote (docs/secrecy.md): the seal, the ballot box's tables, and a secret poll
end to end — every table and column, the audit log, the messages and the bureau's commands,
before and after closing. The attacks on copies of the database files, on PostgreSQL's system
columns and on the DEBUG logs are in `test_secrecy_attacks.py`.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect, select

from rtes_bot.errors import InvalidInput
from rtes_bot.models import AuditEvent, Ballot, ElectorateEntry, SealedBallot, metadata
from rtes_bot.services.ballots import SEALED_SIZE, SealedBallotError, seal, unseal
from tests.support.catalog import says
from tests.support.rig import TEST_MASTER_KEY
from tests.support.voting import (
    advance_and_run,
    give_proxy,
    one_click,
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
BALLOT_BOX = ("emargement", "sealed_ballot", "ballot")
TIME_TYPES = (sa.DateTime, sa.Date, sa.Time, sa.Interval)


# ------------------------------------------------------------------ the seal


def test_the_seal_is_fixed_size_fresh_and_bound_to_its_poll_and_key() -> None:
    small = seal(TEST_MASTER_KEY, 7, "elu:1", "pour", 1)
    ranking = {str(i): i + 1 for i in range(25)}
    large = seal(TEST_MASTER_KEY, 7, "col:123456", ranking, 500)
    again = seal(TEST_MASTER_KEY, 7, "elu:1", "pour", 1)
    # The same size whatever the voter, the ballot and the weight.
    assert len(small) == len(large) == len(again) == SEALED_SIZE
    # A fresh nonce each time: the same ballot twice has nothing in common.
    assert small != again and small[:12] != again[:12]
    assert not any(small[i : i + 8] in again for i in range(12, SEALED_SIZE - 8, 8))
    opened = unseal(TEST_MASTER_KEY, 7, large)
    assert (opened.voter_ref, opened.content, opened.weight) == ("col:123456", ranking, 500)
    # Bound to its poll (its own key and associated data) and to the server's key.
    with pytest.raises(SealedBallotError):
        unseal(TEST_MASTER_KEY, 8, small)
    with pytest.raises(SealedBallotError):
        unseal(bytes(32), 7, small)
    tampered = bytearray(small)
    tampered[40] ^= 1
    with pytest.raises(SealedBallotError):
        unseal(TEST_MASTER_KEY, 7, bytes(tampered))
    # A ballot too large for the fixed size is refused rather than sealed longer.
    with pytest.raises(InvalidInput):
        seal(TEST_MASTER_KEY, 7, "elu:1", "x" * 1000, 1)
    for blob in (small, large):
        assert b"elu:" not in blob and b"col:" not in blob and b"pour" not in blob


# ------------------------------------------------------------------ the tables


def test_the_ballot_box_tables_carry_no_time_and_no_link() -> None:
    tables = {name: metadata.tables[name] for name in BALLOT_BOX}
    for table in tables.values():
        for column in table.columns:
            assert not issubclass(column.type._type_affinity, TIME_TYPES), column
    assert set(tables["sealed_ballot"].columns.keys()) == {"id", "poll_id", "sealed"}
    assert set(tables["ballot"].columns.keys()) == {
        "poll_id",
        "position",
        "content",
        "weight",
        "voter_ref",
    }
    assert set(tables["emargement"].columns.keys()) == {
        "poll_id",
        "voter_ref",
        "elu_id",
        "weight",
        "voted",
        "struck",
        "delegate_elu_id",
        "cast_by_elu_id",
    }
    # Nothing refers from one of them to another: only to the poll and to élus.
    for table in tables.values():
        assert {fk.column.table.name for fk in table.foreign_keys} <= {"poll", "elu"}
    # SQLite: no rowid (whose order would be the order of writing) for the émargement and the
    # published ballots; they are stored in key order.
    for name in ("emargement", "ballot"):
        assert tables[name].dialect_options["sqlite"]["with_rowid"] is False


async def migrated_columns(rig: Any) -> dict[str, list[dict[str, Any]]]:
    async with rig.db.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: {name: inspect(sync).get_columns(name) for name in BALLOT_BOX}
        )


# ------------------------------------------------------------------ a secret poll end to end


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
    if isinstance(value, bytes | memoryview):
        return [bytes(value).hex()]
    return [str(value)]


async def dump(rig: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, every column (what a database dump holds)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    async with rig.db.read() as session:
        for table in metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            tables[table.name] = [dict(row) for row in rows]
    return tables


async def bureau(rig: Any, sub: str, number: int) -> Any:
    r = await rig.emu.slash(
        rig.guild, rig.admin, "scrutin", subcommand=sub, options={"numero": number}
    )
    await r.wait_done()
    return r


async def test_a_secret_poll_leaves_nothing_per_voter_in_tables_audit_messages_or_exports(
    rig: Any,
) -> None:
    registry = await setup_network(rig)
    people = [await rig.elu(f"Votante Secrète {i}") for i in range(9)]
    poll, _ = await open_poll(rig, question="Fusionner les commissions ?")
    await rig.bot.publisher.scheduler.wait_turn()  # the opening's notices, in the background
    assert poll.secret
    async with rig.db.read() as session:
        audit_before = (await session.execute(select(sa.func.count(AuditEvent.id)))).scalar_one()
    await give_proxy(rig, people[8].user, people[7].user, poll.number)

    final: dict[int, str] = {}
    casts = 0

    async def vote(index: int, choice: str, how: str) -> Any:
        nonlocal casts
        person = people[index]
        if how == "click":
            answer = await one_click(rig, person.user, poll, choice)
        elif how == "text":
            answer, _ = await vote_text(rig, person.user, poll.number, choice)
        elif how == "proxy":  # person 7 votes for person 8
            answer, _ = await vote_text(
                rig, people[7].user, poll.number, choice, au_nom_de=people[8].user
            )
        else:
            ui = await open_ui(rig, person.user, poll)
            ui = await ui_step(rig, person.user, ui, f"rtes:bulletin:{choice}")
            answer = await submit_ui(rig, person.user, ui)
        assert "Bulletin" in answer.text, answer.text
        final[index] = choice
        casts += 1
        return answer

    for index, how in enumerate(["click", "text", "ui", "click", "text", "ui", "click", "text"]):
        await vote(index, CHOICES[index % 3], how)
    await vote(8, "contre", "proxy")
    # Changes (by every path, « Changer mon vote » included), a same-again, and four who never
    # change (3, 4, 6, 7).
    await vote(0, "contre", "text")
    await vote(1, "contre", "text")  # the same again
    await vote(2, "pour", "click")
    await vote(8, "pour", "proxy")
    answer = await vote(5, "pour", "ui")
    change = await rig.emu.click(
        rig.guild, people[5].user, answer.message, f"rtes:changer:{poll.id}:0"
    )
    await change.wait_done()
    ui = await ui_step(rig, people[5].user, change, "rtes:bulletin:abstention")
    assert says((await submit_ui(rig, people[5].user, ui)).text, "vote.remplace")
    final[5] = "abstention"
    casts += 1

    identities = {
        index: {str(p.user.id), f"elu:{p.elu.id}", p.elu.full_name}
        for index, p in enumerate(people)
    }
    everyone = set().union(*identities.values())
    choices = set(CHOICES)

    # -- while open: no ballot in clear anywhere; sealed rows of one size; nothing per vote
    tables = await dump(rig)
    for name, rows in tables.items():
        for row in rows:
            assert not set(_flatten(list(row.values()))) & choices, (name, row)
    assert [r for r in tables["ballot"] if r["poll_id"] == poll.id] == []
    sealed = [r["sealed"] for r in tables["sealed_ballot"] if r["poll_id"] == poll.id]
    assert len(sealed) == casts and {len(s) for s in sealed} == {SEALED_SIZE}
    entries = [r for r in tables["emargement"] if r["poll_id"] == poll.id]
    assert len(entries) == len(people) and all(r["voted"] for r in entries)
    assert {
        r["cast_by_elu_id"] for r in entries if r["voter_ref"] == f"elu:{people[8].elu.id}"
    } == {people[7].elu.id}
    async with rig.db.read() as session:
        audit_open = (await session.execute(select(sa.func.count(AuditEvent.id)))).scalar_one()
    assert audit_open == audit_before + 1  # the proxy given; not one event per vote

    # The bureau cannot see inside an open secret poll.
    r = await bureau(rig, "resultats", poll.number)
    assert says(r.text, "scrutin.resultats.a-la-cloture") and not any(
        c in r.text.lower() for c in ("contre", "abstention")
    )
    r = await bureau(rig, "exporter", poll.number)
    assert not r.message.attachments

    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    expected = Counter(final.values())
    assert closed.result["counts"] == {c: expected[c] for c in CHOICES}

    # -- after closing: no row holds a voter and a ballot together; sealed rows gone
    tables = await dump(rig)
    for name, rows in tables.items():
        for row in rows:
            values = set(_flatten(list(row.values())))
            if values & everyone:
                assert not values & choices, (name, row)
    assert tables["sealed_ballot"] == []
    published = sorted(
        (r for r in tables["ballot"] if r["poll_id"] == poll.id), key=lambda r: r["position"]
    )
    assert [r["position"] for r in published] == list(range(len(people)))
    assert all(r["voter_ref"] is None and r["weight"] == 1 for r in published)
    contents = [r["content"] for r in published]
    assert contents == sorted(contents) and Counter(contents) == expected

    # The migrated schema is the models' one: no time column in the ballot box.
    for name, columns in (await migrated_columns(rig)).items():
        assert {c["name"] for c in columns} == set(metadata.tables[name].columns.keys())
        assert not any(isinstance(c["type"], TIME_TYPES) for c in columns), name

    # -- the audit log: opened, closed, published — no ballot, no vote, no voter
    async with rig.db.read() as session:
        events = list((await session.execute(select(AuditEvent))).scalars())
    of_poll = [e for e in events if e.subject_type == "poll" and e.subject_id == poll.id]
    assert sorted(e.action for e in of_poll) == [
        "procuration.donnee",  # the proxy given (not its use: that is the émargement's)
        "scrutin.annonce-ouverture",  # once per poll, not per voter told
        "scrutin.clos",
        "scrutin.ouvert",
        "scrutin.publie",
    ]
    for event in events:
        words = set(_flatten(event.details))
        assert not words & choices, event.details
        if event.action.startswith("scrutin."):
            assert not words & everyone, event.details
    closing = next(e for e in of_poll if e.action == "scrutin.clos")
    assert closing.details["votants"] == len(people)

    # -- messages: counts and the sorted file, never a name
    public = [poll_message(rig, poll).text, *(m.text for m in registry_messages(rig, registry))]
    for text_ in public:
        assert not any(identity in text_ for identity in everyone), text_
    message = next(m for m in registry_messages(rig, registry) if m.attachments)
    csv = next(a for a in message.attachments if a.filename.endswith(".csv")).data
    lines = csv.decode().splitlines()
    assert lines[0] == "pour,contre,abstention" and lines[1:] == sorted(lines[1:])

    # -- the bureau after closing: the same file, the same totals, nothing per voter
    export = await bureau(rig, "exporter", poll.number)
    assert export.message.attachments[0].data == csv
    results = await bureau(rig, "resultats", poll.number)
    for text_ in (export.text, results.text):
        assert not any(identity in text_ for identity in everyone), text_


async def test_entries_say_who_voted_never_how_or_how_often(rig: Any) -> None:
    """The liste d'émargement row of a voter who changed three times is byte-for-byte the row of
    a voter who voted once; sealed rows carry no voter, in any column."""
    await setup_network(rig)
    once, often = await rig.elu("Une Fois"), await rig.elu("Trois Fois")
    poll, _ = await open_poll(rig, question="Changer le logo ?")
    await vote_text(rig, once.user, poll.number, "pour")
    await vote_text(rig, often.user, poll.number, "pour")
    for choice in ("contre", "abstention", "pour"):
        await vote_text(rig, often.user, poll.number, choice)
    async with rig.db.read() as session:
        rows = (
            await session.execute(select(ElectorateEntry).where(ElectorateEntry.poll_id == poll.id))
        ).scalars()
        shape = {
            row.voter_ref: (row.weight, row.voted, row.struck, row.delegate_elu_id) for row in rows
        }
        sealed = (
            await session.execute(select(SealedBallot).where(SealedBallot.poll_id == poll.id))
        ).scalars()
        sealed = list(sealed)
        published = (
            await session.execute(select(Ballot).where(Ballot.poll_id == poll.id))
        ).scalars()
        assert list(published) == []
    assert shape[f"elu:{once.elu.id}"] == shape[f"elu:{often.elu.id}"] == (1, True, False, None)
    assert len(sealed) == 5 and {len(s.sealed) for s in sealed} == {SEALED_SIZE}
    assert set(SealedBallot.model_fields) == {"id", "poll_id", "sealed"}
