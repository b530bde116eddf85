"""Attacks on the secrecy of the vote (docs/secrecy.md), end to end with the real bot.

The attacker holds copies of the database files taken at many moments of a secret poll (SQLite
main file, `-wal`, `-shm`), or a PostgreSQL dump with its system columns, or every log record at
DEBUG — never the secret key. Each test really mounts the attack (it first checks that the attack
gets what it can: e.g. which voter's first ballot is which sealed row) and then that what it gets
says nothing about any ballot's content beyond the published totals.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import shutil
import sqlite3
import struct
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from rtes_bot.models import Ballot, SealedBallot
from rtes_bot.services.ballots import SEALED_SIZE
from tests.support.catalog import says
from tests.support.rig import TEST_MASTER_KEY, TEST_SECRET
from tests.support.voting import (
    advance_and_run,
    one_click,
    open_poll,
    open_ui,
    poll_row,
    registry_messages,
    setup_network,
    submit_ui,
    ui_step,
    vote_text,
)

CHOICES = ("pour", "contre", "abstention")
WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_HEADER = 32
FRAME_HEADER = 24


# ------------------------------------------------------------------ the attacker's tools


@dataclass
class Copy:
    """The database files as copied at one moment (bytes; b"" for a missing file)."""

    label: str
    main: bytes
    wal: bytes
    shm: bytes
    journal: bytes

    def files(self) -> dict[str, bytes]:
        return {"main": self.main, "-wal": self.wal, "-shm": self.shm, "-journal": self.journal}


@dataclass
class Frame:
    page: int
    commit_size: int  # the database size in pages after this commit; 0: not a commit frame
    salts: tuple[int, int]
    data: bytes


@dataclass
class Wal:
    page_size: int
    salts: tuple[int, int]
    frames: list[Frame] = field(default_factory=list)

    @property
    def valid(self) -> list[Frame]:
        """The frames SQLite would read: those carrying the header's salts, up to the last
        commit (a frame with other salts is left over from before a reset)."""
        valid: list[Frame] = []
        pending: list[Frame] = []
        for frame in self.frames:
            if frame.salts != self.salts:
                break
            pending.append(frame)
            if frame.commit_size:
                valid.extend(pending)
                pending = []
        return valid


def parse_wal(data: bytes) -> Wal | None:
    """Every frame of a `-wal` file, valid or stale (an attacker reads them all)."""
    if len(data) < WAL_HEADER:
        return None
    magic, _version, page_size, _seq, salt1, salt2, _c1, _c2 = struct.unpack(
        ">8I", data[:WAL_HEADER]
    )
    assert magic in WAL_MAGIC, hex(magic)
    wal = Wal(page_size, (salt1, salt2))
    offset = WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(data):
        page, size, s1, s2, _k1, _k2 = struct.unpack(">6I", data[offset : offset + FRAME_HEADER])
        start = offset + FRAME_HEADER
        wal.frames.append(Frame(page, size, (s1, s2), data[start : start + page_size]))
        offset = start + page_size
    return wal


def commit_images(copy: Copy) -> list[bytes]:
    """The database as of the main file, then as of each commit of the WAL (page images
    overlaid on the main file): every state a reader of these copies can rebuild."""
    page_size = struct.unpack(">H", copy.main[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    images = [legacy(copy.main)]
    wal = parse_wal(copy.wal)
    if wal is None:
        return images
    assert wal.page_size == page_size
    pages: dict[int, bytes] = {}
    for frame in wal.valid:
        pages[frame.page] = frame.data
        if frame.commit_size:
            image = bytearray(copy.main[: frame.commit_size * page_size])
            image.extend(bytes(frame.commit_size * page_size - len(image)))
            for number, data in pages.items():
                if number <= frame.commit_size:
                    image[(number - 1) * page_size : number * page_size] = data
            images.append(legacy(bytes(image)))
    return images


def legacy(image: bytes) -> bytes:
    """The same image marked as a rollback-journal database (readable without its WAL)."""
    return image[:18] + b"\x01\x01" + image[20:]


def query(image: bytes, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(image)
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


@dataclass(frozen=True)
class State:
    """What a database image says about the poll."""

    voted: frozenset[str]
    sealed: tuple[tuple[int, bytes], ...]  # (rowid, sealed bytes) in rowid order
    published: tuple[tuple[int, str, int, str | None], ...]
    #: the raw pages of the émargement b-trees (table and indexes), as an attacker diffs them
    emargement_pages: bytes = field(default=b"", compare=False)


def root_pages(image: bytes, table: str) -> bytes:
    """The root pages of a table's b-trees (its rows and its indexes): a small table's rows all
    sit in them."""
    page_size = struct.unpack(">H", image[16:18])[0]
    roots = query(
        image, "SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 0", table
    )
    return b"".join(image[(r - 1) * page_size : r * page_size] for (r,) in sorted(roots))


def physical_order(image: bytes, table: str) -> list[Any]:
    """The ballot contents in the order their bytes lie in the table's pages (one leaf here)."""
    ((root,),) = query(image, "SELECT rootpage FROM sqlite_master WHERE name = ?", table)
    page_size = struct.unpack(">H", image[16:18])[0]
    page = image[(root - 1) * page_size : root * page_size]
    assert page[0] in (0x0A, 0x0D)  # a leaf: all the rows are here
    tokens = re.findall(rb'"(pour|contre|abstention)"', page)
    return [t.decode() for t in tokens]


def state_of(image: bytes, poll_id: int) -> State:
    voted = query(image, "SELECT voter_ref FROM emargement WHERE poll_id = ? AND voted", poll_id)
    sealed = query(
        image, "SELECT id, sealed FROM sealed_ballot WHERE poll_id = ? ORDER BY id", poll_id
    )
    published = query(
        image,
        "SELECT position, content, weight, voter_ref FROM ballot WHERE poll_id = ? "
        "ORDER BY position",
        poll_id,
    )
    return State(
        frozenset(r for (r,) in voted),
        tuple((i, bytes(b)) for i, b in sealed),
        tuple(published),
        root_pages(image, "emargement"),
    )


@dataclass
class Linkage:
    """What diffing consecutive states gives: whose first ballot is which sealed row, and the
    sealed rows appended with no first ballot (someone re-cast)."""

    first: dict[str, bytes] = field(default_factory=dict)
    anonymous: list[bytes] = field(default_factory=list)


def history(copies: list[Copy], poll_id: int) -> list[State]:
    """The successive states of the poll rebuilt from the copies, commit by commit.

    A copy whose main file was just checkpointed but whose WAL was not yet reset rebuilds mixed
    states (older pages over a newer file): only states that extend the last one are kept."""
    states: list[State] = []
    for copy in copies:
        for image in commit_images(copy):
            state = state_of(image, poll_id)
            if not states:
                states.append(state)
                continue
            last = states[-1]
            if (
                state != last
                and last.voted <= state.voted
                and set(last.sealed) <= set(state.sealed)
            ):
                states.append(state)
    return states


def link(states: list[State]) -> Linkage:
    found = Linkage()
    for before, after in itertools.pairwise(states):
        earlier = dict(before.sealed)
        appended = [blob for row, blob in after.sealed if row not in earlier]
        newly_voted = sorted(after.voted - before.voted)
        if len(newly_voted) == 1 and len(appended) == 1:
            assert after.emargement_pages != before.emargement_pages  # the diff does see it
            found.first[newly_voted[0]] = appended[0]
        elif not newly_voted:
            # Not one byte of the émargement changed: nothing says whose this row is.
            assert after.emargement_pages == before.emargement_pages
            found.anonymous += appended
        else:
            raise AssertionError(f"ambiguous step {newly_voted} / {len(appended)} rows")
    return found


def append_only(copies: list[Copy], poll_id: int) -> None:
    """While the poll is open, a sealed row once written is never changed, moved or removed:
    a replaced ballot leaves no gap and no rewritten row behind."""
    seen: dict[int, bytes] = {}
    for copy in copies:
        for image in commit_images(copy):
            for row, blob in state_of(image, poll_id).sealed:
                assert seen.setdefault(row, blob) == blob, (copy.label, row)
        latest = dict(state_of(commit_images(copy)[-1], poll_id).sealed)
        assert all(latest.get(row) == blob for row, blob in seen.items()), copy.label


def chunks(blob: bytes, size: int = 24) -> list[bytes]:
    return [blob[i : i + size] for i in range(0, len(blob) - size + 1, size)]


def found_in(data: bytes, blob: bytes) -> bool:
    """Whether any 24-byte piece of `blob` is in `data` (a ciphertext survives in part)."""
    return any(piece in data for piece in chunks(blob))


def sqlite_path(rig: Any) -> Path:
    return Path(make_url(rig.db.url).database or "")


def take_copy(path: Path, folder: Path, label: str) -> Copy:
    """`shutil.copy` of every file of the database, as an intruder (or a backup) would."""
    target = folder / label
    target.mkdir(parents=True)
    contents: dict[str, bytes] = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            shutil.copy(source, target / f"db{suffix}")
            contents[suffix] = (target / f"db{suffix}").read_bytes()
        else:
            contents[suffix] = b""
    return Copy(label, contents[""], contents["-wal"], contents["-shm"], contents["-journal"])


async def checkpoint_now(rig: Any) -> None:
    """What SQLite's automatic checkpoint does once the WAL is long (1000 pages): copy it into
    the main file (PASSIVE), so that sealed rows of the open poll sit in the main file too.
    A PASSIVE checkpoint stops at the oldest snapshot a reader still holds (on a loaded machine,
    a pooled connection may not have ended its read yet): it is run again until every frame of
    the WAL is in the main file, as the automatic one eventually does."""
    for _ in range(100):
        async with rig.db.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            cursor = await raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
            busy, log, done = await cursor.fetchone()
            await cursor.close()
        if busy == 0 and done == log:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the WAL was never fully checkpointed ({done} of {log} frames)")


def seal_plaintexts(refs: list[str], weights: dict[str, int]) -> list[bytes]:
    """The exact plaintexts the seal would hold (voter, content, weight): none may be in clear."""
    out = []
    for ref in refs:
        for choice in CHOICES:
            plain = {"v": ref, "c": choice, "w": weights[ref]}
            out.append(json.dumps(plain, separators=(",", ":")).encode())
    return out


def key_material() -> list[bytes]:
    """The server's key in every form, and the derived key of the first polls."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    forms = [TEST_MASTER_KEY, TEST_SECRET.encode(), TEST_MASTER_KEY.hex().encode()]
    for poll_id in range(1, 4):
        forms.append(
            HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=None,
                info=f"rtes-bot/ballot-seal/v1/poll:{poll_id}".encode(),
            ).derive(TEST_MASTER_KEY)
        )
    return forms


async def collectivites(rig: Any, weights: list[int]) -> list[tuple[Any, Any]]:
    """Member collectivités with these weights, each with its référent."""
    out = []
    for index, weight in enumerate(weights):
        town = await rig.collectivite(f"Commune Secrète {index}", weight=weight)
        referent = await rig.elu(f"Référente Secrète {index}", collectivite=town, referent=True)
        out.append((town, referent))
    return out


async def cast(rig: Any, person: Any, poll: Any, choice: str, how: str) -> Any:
    """Vote by one of the three ways the bot offers; returns the answer."""
    if how == "click":
        answer = await one_click(rig, person.user, poll, choice)
    elif how == "text":
        answer, _ = await vote_text(rig, person.user, poll.number, choice)
    else:
        ui = await open_ui(rig, person.user, poll)
        ui = await ui_step(rig, person.user, ui, f"rtes:bulletin:{choice}")
        answer = await submit_ui(rig, person.user, ui)
    assert says(answer.text, "vote.enregistre") or says(answer.text, "vote.remplace"), answer.text
    return answer


# ------------------------------------------------------------------ SQLite files


WEIGHTS = [1, 2, 5, 1, 2, 5, 1, 2, 1]
#: (référent index, choice, how) — every first ballot, then the re-casts
FIRST = [
    (0, "pour", "click"),
    (1, "contre", "text"),
    (2, "abstention", "ui"),
    (3, "pour", "click"),
    (4, "contre", "click"),
    (5, "pour", "text"),
    (6, "contre", "ui"),
    (7, "pour", "click"),
    (8, "abstention", "text"),
]
AGAIN = [
    (1, "pour", "click"),  # changes
    (3, "pour", "text"),  # re-casts the same choice
    (5, "contre", "ui"),  # changes
    (0, "abstention", "click"),  # changes…
    (0, "pour", "text"),  # …and back again
    (2, "pour", "ui"),  # changes
]  # 4, 6, 7 and 8 never change


def final_choices() -> dict[int, str]:
    final = {}
    for index, choice, _ in [*FIRST, *AGAIN]:
        final[index] = choice
    return final


async def test_copies_of_the_sqlite_files_at_any_moment_link_no_voter_to_a_ballot(
    rig: Any, tmp_path: Path
) -> None:
    if not rig.db.is_sqlite:
        pytest.skip("the files of an SQLite database")
    registry = await setup_network(rig)
    voters = await collectivites(rig, WEIGHTS)
    refs = [f"col:{town.id}" for town, _ in voters]
    weights = {f"col:{town.id}": town.weight for town, _ in voters}
    poll, _ = await open_poll(rig, question="Adopter le budget ?", electorat="collectivites")
    assert poll.secret and poll.electorate_weight == sum(WEIGHTS)
    path = sqlite_path(rig)
    folder = tmp_path / "copies"
    copies = [take_copy(path, folder, "opened")]
    for step, (index, choice, how) in enumerate(FIRST):
        await cast(rig, voters[index][1], poll, choice, how)
        copies.append(take_copy(path, folder, f"first-{step}"))
        if step == 5:
            await checkpoint_now(rig)  # sealed rows reach the main file
            copies.append(take_copy(path, folder, "checkpointed"))
    for step, (index, choice, how) in enumerate(AGAIN):
        answer = await cast(rig, voters[index][1], poll, choice, how)
        assert says(answer.text, "vote.remplace")
        copies.append(take_copy(path, folder, f"again-{step}"))
    copies.append(take_copy(path, folder, "before-close"))
    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.status == "closed"
    after = take_copy(path, folder, "after-close")
    final = final_choices()
    expected: Counter[str] = Counter()
    for index, choice in final.items():
        expected[choice] += WEIGHTS[index]
    assert closed.result["counts"] == {c: expected[c] for c in CHOICES}

    # -- (a) every state of every copy taken while the poll was open, diffed commit by commit
    states = history(copies, poll.id)
    assert not any(s.published for s in states)  # nothing published while open
    linkage = link(states)
    # The attack gets all it can: each voter's first sealed row, and that someone re-cast.
    assert set(linkage.first) == set(refs)
    assert len(linkage.anonymous) == len(AGAIN)
    append_only(copies, poll.id)
    blobs = [*linkage.first.values(), *linkage.anonymous]
    assert {len(b) for b in blobs} == {SEALED_SIZE}  # same size whatever the ballot and weight
    assert len(set(blobs)) == len(blobs)  # fresh nonces: equal ballots never look equal
    assert len({b[:12] for b in blobs}) == len(blobs)
    # The same voter re-casting the same choice: nothing in common with the first row.
    same = f"col:{voters[3][0].id}"
    recast = [b for b in linkage.anonymous if not any(p in b for p in chunks(linkage.first[same]))]
    assert len(recast) == len(linkage.anonymous)
    # … and no plaintext anywhere in any byte of any copy (main, WAL frames valid or stale, shm).
    plaintexts = seal_plaintexts(refs, weights)
    contents = [json.dumps(c).encode() for c in CHOICES]  # how a ballot content is stored
    secrets_ = key_material()
    for copy in copies:
        for name, data in copy.files().items():
            for needle in [*plaintexts, *contents, *secrets_, b'"v":"col:', b'"w":']:
                assert needle not in data, (copy.label, name, needle)

    # -- (b) after closing: sorted unit rows, no voter, sealed rows gone from every byte
    assert after.journal == b""
    wal = parse_wal(after.wal)
    old_salts = {w.salts for c in copies if (w := parse_wal(c.wal)) is not None}
    if wal is not None:
        # Truncated at closing: what is there now was written after, and nothing stale.
        assert wal.salts not in old_salts
        assert all(frame.salts == wal.salts for frame in wal.frames)
    checkpointed = next(c for c in copies if c.label == "checkpointed")
    in_main = [b for b in blobs if found_in(checkpointed.main, b)]
    assert in_main  # the premise: sealed rows had reached the main file
    for name, data in after.files().items():
        for blob in blobs:
            assert not found_in(data, blob), (name, "a sealed row survived closing")
    final_state = state_of(commit_images(after)[-1], poll.id)
    assert final_state.sealed == () and final_state.voted == frozenset(refs)
    rows = final_state.published
    assert [r[0] for r in rows] == list(range(sum(WEIGHTS)))
    assert all(weight == 1 and voter is None for _, _, weight, voter in rows)
    published = [json.loads(content) for _, content, _, _ in rows]
    assert published == sorted(published)
    assert Counter(published) == expected
    # Physically too: the cells of the `ballot` b-tree lie in content order.
    image = commit_images(after)[-1]
    assert physical_order(image, "ballot") in (sorted(published), sorted(published)[::-1])
    assert query(image, "SELECT count(*) FROM sealed_ballot") == [(0,)]
    assert query(image, "SELECT max(weight) FROM ballot") == [(1,)]

    # -- (e) the published file: unit rows, no weight column, in content order
    csv = next(
        a for a in registry_messages(rig, registry)[0].attachments if a.filename.endswith(".csv")
    )
    lines = csv.data.decode().splitlines()
    assert lines[0] == "pour,contre,abstention" and "poids" not in lines[0]
    assert len(lines) - 1 == sum(WEIGHTS) and lines[1:] == sorted(lines[1:])


# ------------------------------------------------------------------ order of the published rows


OPTIONS = "Alpha; Bravo; Charlie"
ORDER_WEIGHTS = [1, 2, 5, 1, 2, 1, 5, 1]
RANKINGS = [
    "Alpha > Bravo > Charlie",
    "Bravo > Alpha = Charlie",
    "Charlie > Alpha > Bravo",
    "Alpha > Bravo > Charlie",
    "Bravo > Charlie > Alpha",
    "Alpha = Bravo > Charlie",
    "Charlie > Bravo > Alpha",
    "Bravo > Alpha = Charlie",
]
#: (voter, ballot) in casting order; the last ballot of each voter is RANKINGS[voter]
ORDER_A = [
    *((i, "Alpha") if i == 4 else (i, RANKINGS[i]) for i in range(8)),
    (0, RANKINGS[0]),  # the same again
    (4, RANKINGS[4]),  # a change
]
ORDER_B = [
    *((i, {2: "Bravo > Alpha", 6: "Alpha"}.get(i, RANKINGS[i])) for i in reversed(range(8))),
    (6, "Bravo"),  # a change…
    (1, RANKINGS[1]),  # the same again
    (2, RANKINGS[2]),  # a change
    (6, RANKINGS[6]),  # …and another
]


async def rank(rig: Any, person: Any, poll: Any, ballot: str, ui: bool) -> None:
    if ui:  # the ballot UI: one select per rank
        r = await open_ui(rig, person.user, poll)
        for group in ballot.split(">"):
            labels = [label.strip() for label in group.split("=")]
            r = await ui_step(rig, person.user, r, "rtes:bulletin:rang", values=labels)
        answer = await submit_ui(rig, person.user, r)
    else:
        answer, _ = await vote_text(rig, person.user, poll.number, ballot)
    assert says(answer.text, "vote.enregistre") or says(answer.text, "vote.remplace"), answer.text


async def slash(rig: Any, user: Any, sub: str, **options: Any) -> Any:
    r = await rig.emu.slash(rig.guild, user, "scrutin", subcommand=sub, options=options)
    await r.wait_done()
    return r


async def test_published_ballots_depend_only_on_the_ballots_not_on_who_voted_when(
    rig: Any,
) -> None:
    """The same ballots cast in two different orders (with different changes on the way) give
    byte-identical published rows and files: no order of any kind (voting order, commit order,
    émargement order, rowid, ctid) can be matched against them."""
    registry = await setup_network(rig)
    voters = await collectivites(rig, ORDER_WEIGHTS)
    question = "Classer les priorités"
    common = {"electorat": "collectivites", "methode": "classement", "options": OPTIONS}
    first, _ = await open_poll(rig, question=question, **common)
    second, _ = await open_poll(rig, question=question, **common)
    assert first.secret and second.secret
    # Interleaved: the two polls are open at once and their ballots arrive in turns.
    for step in range(max(len(ORDER_A), len(ORDER_B))):
        if step < len(ORDER_A):
            index, ballot = ORDER_A[step]
            await rank(rig, voters[index][1], first, ballot, ui=index == 5)
        if step < len(ORDER_B):
            index, ballot = ORDER_B[step]
            await rank(rig, voters[index][1], second, ballot, ui=index == 3)

    # The bureau cannot look inside an open secret poll: no results, no export.
    for poll in (first, second):
        r = await slash(rig, rig.admin, "resultats", numero=poll.number)
        assert says(r.text, "scrutin.resultats.a-la-cloture") and "Alpha" not in r.text, r.text
        r = await slash(rig, rig.admin, "exporter", numero=poll.number)
        assert not r.message.attachments

    await advance_and_run(rig, timedelta(hours=49))
    a, b = await poll_row(rig, first.id), await poll_row(rig, second.id)
    assert a.status == b.status == "closed"
    assert a.result["ranking"] == b.result["ranking"]

    async with rig.db.read() as session:
        rows = {
            poll.id: (
                await session.execute(
                    select(Ballot.position, Ballot.content, Ballot.weight, Ballot.voter_ref)
                    .where(Ballot.poll_id == poll.id)
                    .order_by(Ballot.position)
                )
            ).all()
            for poll in (first, second)
        }
        sealed = (await session.execute(select(SealedBallot.id))).all()
    assert sealed == []
    assert rows[first.id] == rows[second.id]
    units = rows[first.id]
    assert len(units) == sum(ORDER_WEIGHTS)
    assert all(weight == 1 and voter is None for _, _, weight, voter in units)
    keys = [
        json.dumps(content, sort_keys=True, separators=(",", ":")) for _, content, _, _ in units
    ]
    assert keys == sorted(keys)

    # The published files (registry) and the bureau's exports: byte for byte the same.
    files = []
    for poll in (first, second):
        message = next(
            m
            for m in registry_messages(rig, registry)
            if f"Scrutin n°{poll.number} " in m.text and m.attachments
        )
        files.append(next(x for x in message.attachments if x.filename.endswith(".csv")).data)
        export = await slash(rig, rig.admin, "exporter", numero=poll.number)
        files.append(export.message.attachments[0].data)
    assert len(set(files)) == 1
    lines = files[0].decode().splitlines()
    assert lines[0] == "Alpha,Bravo,Charlie" and "poids" not in lines[0]
    assert len(lines) - 1 == sum(ORDER_WEIGHTS)

    # The bureau's /scrutin resultats: the same text for both, no name, no collectivité.
    texts = []
    for poll in (first, second):
        r = await slash(rig, rig.admin, "resultats", numero=poll.number)
        explanation = r.message.attachments[0].data.decode()
        for shown in (r.text, explanation):
            texts.append(
                shown.replace(f"n°{poll.number}", "n°#").replace(f"-{poll.number}-", "-#-")
            )
    assert texts[0] == texts[2] and texts[1] == texts[3]
    for town, person in voters:
        for published in (*texts, files[0].decode()):
            assert town.name not in published and person.elu.full_name not in published
            assert str(person.user.id) not in published

    if not rig.db.is_sqlite:
        async with rig.db.read() as session:
            for poll in (first, second):
                physical = (
                    await session.execute(
                        text(
                            "SELECT xmin::text, position FROM ballot WHERE poll_id = :p "
                            "ORDER BY ctid"
                        ),
                        {"p": poll.id},
                    )
                ).all()
                assert [p for _, p in physical] == list(range(len(units)))  # ctid = content
                assert len({x for x, _ in physical}) == 1  # one transaction wrote them all


# ------------------------------------------------------------------ PostgreSQL system columns


async def pg_rows(rig: Any, sql: str, **params: Any) -> list[Any]:
    async with rig.db.read() as session:
        return list((await session.execute(text(sql), params)).all())


async def test_postgresql_xmin_and_ctid_link_a_voter_to_ciphertext_at_most(rig: Any) -> None:
    """A dump with `xmin`/`ctid`: while the poll is open, a first ballot's sealed row shares its
    transaction id with the voter's émargement row — an opaque ciphertext; a re-cast shares it
    with nothing. After closing, one transaction wrote every published row, in content order."""
    if rig.db.is_sqlite:
        pytest.skip("PostgreSQL system columns")
    await setup_network(rig)
    people = [await rig.elu(f"Votant Système {i}") for i in range(len(FIRST))]
    poll, _ = await open_poll(rig, question="Adopter le règlement ?")
    refs = {f"elu:{p.elu.id}" for p in people}
    for index, choice, how in FIRST:
        await cast(rig, people[index], poll, choice, how)
    emargement_sql = (
        "SELECT voter_ref, xmin::text, ctid::text FROM emargement WHERE poll_id = :p "
        "ORDER BY voter_ref"
    )
    before_again = await pg_rows(rig, emargement_sql, p=poll.id)
    for index, choice, how in AGAIN:
        await cast(rig, people[index], poll, choice, how)
    # Re-casts leave the émargement untouched: not even its system columns move.
    assert await pg_rows(rig, emargement_sql, p=poll.id) == before_again

    linked = await pg_rows(
        rig,
        "SELECT e.voter_ref, s.sealed FROM emargement e JOIN sealed_ballot s "
        "ON s.xmin = e.xmin AND s.poll_id = e.poll_id WHERE e.poll_id = :p",
        p=poll.id,
    )
    unlinked = await pg_rows(
        rig,
        "SELECT s.sealed FROM sealed_ballot s WHERE s.poll_id = :p AND NOT EXISTS "
        "(SELECT 1 FROM emargement e WHERE e.xmin = s.xmin)",
        p=poll.id,
    )
    # The join gets what it can: every voter's first ballot; the re-casts stay anonymous.
    assert Counter(ref for ref, _ in linked) == Counter(refs)
    assert len(unlinked) == len(AGAIN)
    blobs = [bytes(b) for _, b in linked] + [bytes(b) for (b,) in unlinked]
    assert {len(b) for b in blobs} == {SEALED_SIZE} and len(set(blobs)) == len(blobs)
    plaintexts = seal_plaintexts(sorted(refs), dict.fromkeys(refs, 1))
    for blob in blobs:
        assert not any(n in blob for n in [*plaintexts, b'"pour"', b'"contre"', b'"v":'])
    # The whole dump of the open poll holds no ballot in clear.
    async with rig.db.read() as session:
        assert (await session.execute(select(Ballot).where(Ballot.poll_id == poll.id))).all() == []

    await advance_and_run(rig, timedelta(hours=49))
    physical = await pg_rows(
        rig,
        "SELECT xmin::text, position, content, weight, voter_ref FROM ballot "
        "WHERE poll_id = :p ORDER BY ctid",
        p=poll.id,
    )
    assert [row[1] for row in physical] == list(range(len(FIRST)))
    assert len({row[0] for row in physical}) == 1
    contents = [row[2] for row in physical]
    assert contents == sorted(contents)
    assert all(row[3] == 1 and row[4] is None for row in physical)
    assert Counter(contents) == Counter(final_choices().values())
    assert await pg_rows(rig, "SELECT count(*) FROM sealed_ballot") == [(0,)]
    xmins = {x for (x,) in await pg_rows(rig, "SELECT xmin::text FROM emargement")}
    assert physical[0][0] not in xmins  # nothing joins the published rows to a voter


# ------------------------------------------------------------------ logs at DEBUG


def debug_everything(caplog: pytest.LogCaptureFixture) -> None:
    """What LOG_LEVEL=DEBUG gives (root at DEBUG), and every database logger explicitly."""
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg", "discord"):
        caplog.set_level(logging.DEBUG, logger=name)


#: a choice as code writes it: JSON or repr strings ("pour", 'pour'), custom ids (…:pour), the
#: echo (**Pour**) — not the French word in a sentence ("Pour participer", "Pour ou contre")
CHOICE_WORD = re.compile(
    r"(?<=[\"':*])(pour|contre|abstention)(?=[\"'*]|$|[^\w\s-])", re.IGNORECASE
)
BALLOT_MARKERS = (
    "rtes:bulletin:",  # the ballot UI's components
    "rtes:changer:",  # the answer to a vote
    "Bulletin enregistré",
    "Bulletin remplacé",
    '"v":',  # a seal's plaintext
)


def ballot_content_in(message: str) -> bool:
    """Whether a log message shows a ballot: a choice named alone (a message naming all three
    choices — the poll message, a result — shows none), or any piece of a vote's answer."""
    if any(marker in message for marker in BALLOT_MARKERS):
        return True
    named = {m.lower() for m in CHOICE_WORD.findall(message)}
    return bool(named) and named != set(CHOICES)


def identities(people: list[Any]) -> dict[str, re.Pattern[str]]:
    return {
        f"elu:{p.elu.id}": re.compile(
            rf"(\belu:{p.elu.id}\b|\b{p.user.id}\b|{re.escape(p.elu.full_name)})"
        )
        for p in people
    }


async def test_debug_logs_never_show_a_ballot_next_to_a_voter(
    rig: Any, caplog: pytest.LogCaptureFixture
) -> None:
    debug_everything(caplog)
    await setup_network(rig)
    people = [await rig.elu(f"Votant Journal {i}") for i in range(len(FIRST))]
    poll, _ = await open_poll(rig, question="Adopter le plan ?")
    opened = len(caplog.records)
    for index, choice, how in FIRST:
        await cast(rig, people[index], poll, choice, how)
    for index, choice, how in AGAIN:
        await cast(rig, people[index], poll, choice, how)
    # « Changer mon vote » under an answer, then the ballot UI it opens.
    answer = await cast(rig, people[4], poll, "contre", "click")
    change = await rig.emu.click(
        rig.guild, people[4].user, answer.message, f"rtes:changer:{poll.id}:0"
    )
    await change.wait_done()
    ui = await ui_step(rig, people[4].user, change, "rtes:bulletin:pour")
    assert says((await submit_ui(rig, people[4].user, ui)).text, "vote.remplace")
    closing = len(caplog.records)
    await advance_and_run(rig, timedelta(hours=49))
    assert (await poll_row(rig, poll.id)).status == "closed"

    messages = [r.getMessage() for r in caplog.records]
    # DEBUG was really on, for the database and for discord.py.
    assert any("INSERT INTO sealed_ballot" in m for m in messages)
    assert any("INTERACTION_CREATE" in m for m in messages)
    who = identities(people)
    named = [any(p.search(m) for p in who.values()) for m in messages]
    assert not any(named[opened:closing])  # parameters and rows hidden: no voter named at all
    shows = [ballot_content_in(m) for m in messages]
    # While the poll is open, no record shows any ballot at all…
    leaks = [m for m, s in zip(messages[opened:closing], shows[opened:closing], strict=True) if s]
    assert leaks == [], leaks[:3]
    # … and never, open or closed, is a voter named in or next to a record that shows one (after
    # closing: any record naming a choice, e.g. the published rows or the result).
    for index, message in enumerate(messages):
        if shows[index] or (index >= closing and CHOICE_WORD.search(message)):
            window = messages[max(index - 1, 0) : index + 2]
            assert not any(p.search(w) for w in window for p in who.values()), window
    published = [m for m in messages[closing:] if re.search(r"'\"(pour|contre)\"'", m)]
    # Parameters are hidden (rtes_bot/db.py): published rows, if logged at all, name nobody.
    assert all(", None)" in m for m in published)


async def test_debug_logs_do_not_tell_who_cast_again(
    rig: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """An attacker with the logs counts, per voter, the records that name them while the poll is
    open: a voter who cast twice must leave the same trace as one who cast once."""
    debug_everything(caplog)
    await setup_network(rig)
    people = [await rig.elu(f"Votant Trace {i}") for i in range(4)]
    poll, _ = await open_poll(rig, question="Renouveler le bureau ?")
    # The opening notice reaches each voter by DM in the background, once, before anyone
    # casts: wait for it (and its logs), so that it falls before the records counted — on a
    # loaded machine it came after the first casts and counted for one voter only.
    await rig.emu.wait_for(lambda: all(rig.emu.dms_to(p.user) for p in people))
    await asyncio.sleep(0.2)
    opened = len(caplog.records)
    for index, person in enumerate(people):
        await cast(rig, person, poll, CHOICES[index % 3], "text")
    await cast(rig, people[0], poll, "contre", "text")  # changes
    await cast(rig, people[1], poll, "contre", "text")  # the same again
    messages = [r.getMessage() for r in caplog.records[opened:]]
    who = identities(people)
    trace = {ref: sum(bool(p.search(m)) for m in messages) for ref, p in who.items()}
    assert len(set(trace.values())) == 1, trace
