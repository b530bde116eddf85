"""Erasure that erases, end to end on the real bot (SQLite and PostgreSQL).

Zoé registers through `/adhesion` and is validated by the bureau, is the référent of Petitville (of
which she is the only élue), deposits a proposal, amends Alice's, supports it, holds Bruno's proxy
and votes with it in a public poll, votes in a public and a secret poll (both closed before her
erasure), gives a proxy in a poll still open and votes in a public poll that closes only after her
erasure (her sealed ballot is then sealed again under an anonymous reference), then erases her
data. Afterwards nothing anywhere says who she was:

- the database: every column of every row of every table, read through SQL, and the bytes of the
  SQLite database file with its -wal and -shm files;
- Discord: every message the bot posted or edited in the emulator that anyone but her can still
  see (content, embeds, components, attachments' bytes): channels, forum posts and their threads,
  the registry, the bureau channel, DMs to others — and every answer given after the erasure
  (ephemeral ones too);
- exports: `/scrutin exporter` of each poll (ballots CSV), `/admin audit` (CSV and JSON),
  `rtes-bot export audit`'s rows, `/mes-donnees exporter` of every other member (JSON), the
  public registry files (results, ballots, nominative votes);
- the logs: every record captured from the start of the test at the bot's default level (INFO),
  and the bot's own loggers at DEBUG (not discord.py's DEBUG wire dumps).

The needles: her name (and its parts), email, phone (and its national digits), Discord user id,
mandate, and her élu id in the forms an id links by (`elu:<id>`, `#<id>`, audit detail values,
an audit event's `elu` subject in the database and in the CSV and JSON exports).
Tallies (published ballots, sealed ballots, turnouts, stored results) are the same before and after.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rtes_bot.admin_cli import _audit_rows, audit_as_csv
from rtes_bot.catalog import t
from rtes_bot.models import (
    Ballot,
    ElectorateEntry,
    Elu,
    FieldOfAction,
    GuildSettings,
    Poll,
    PollStatus,
    metadata,
)
from rtes_bot.services.ballots import open_sealed
from tests.support.onboarding import card_of, elu_of, installed, register
from tests.support.proposals import deposit, post, proposal_row, propose_amendment
from tests.support.voting import close_by_command, open_poll, registry_messages, vote_text

NAME = "Zoé Quintard-Lemaire"
EMAIL = "zoe.quintard@petitville.fr"
PHONE = "06 98 76 54 32"
MANDATE = "Maire de Petitville"
FORM = {
    "nom": NAME,
    "collectivite": "Petitville",
    "mandat": MANDATE,
    "email": EMAIL,
    "telephone": PHONE,
}


async def slash(rig: Any, user: Any, command: str, sub: str | None = None, **options: Any) -> Any:
    reply = await rig.emu.slash(rig.guild, user, command, subcommand=sub, options=options)
    await reply.wait_done()
    return reply


def bot_messages(rig: Any, *, but_to: Any) -> list[Any]:
    """Every message of the bot anyone but ``but_to`` can still see: not deleted, not an
    ephemeral answer (seen once by who asked, gone after), not a DM to ``but_to``."""
    theirs = {m.id for m in rig.emu.dms_to(but_to)}
    return [
        m
        for m in rig.emu.messages.values()
        if m.author.id == rig.emu.bot.id
        and not m.deleted
        and not m.ephemeral
        and m.id not in theirs
    ]


def message_dump(message: Any) -> str:
    """What a message shows: content, embeds, components, attachments' bytes."""
    parts = [message.content, json.dumps(message.embeds, ensure_ascii=False)]
    parts.append(json.dumps(message.components, ensure_ascii=False))
    for attachment in message.attachments:
        parts += [attachment.filename, attachment.data.decode("utf-8", "replace")]
    return "\n".join(parts)


def reply_dump(reply: Any) -> str:
    return "\n".join(message_dump(m) for m in reply.messages)


async def database_dump(rig: Any) -> str:
    """Every column of every row of every table, read through SQL. Bytes (sealed ballots, wrapped
    keys: ciphertext) by their length only: their repr, or any text form, could spell a needle by
    chance (random bytes « #3 » then « \\x… »)."""
    lines: list[str] = []
    async with rig.db.read() as session:
        for table in metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                lines.append(
                    f"{table.name}: "
                    + json.dumps(
                        [f"<{len(v)} bytes>" if isinstance(v, bytes) else str(v) for v in row],
                        ensure_ascii=False,
                    )
                )
    return "\n".join(lines)


def sqlite_bytes(rig: Any) -> bytes | None:
    """The SQLite database file and its -wal / -shm files, as bytes (None on PostgreSQL)."""
    url = rig.settings.effective_database_url
    if not url.startswith("sqlite"):
        return None
    path = Path(url.split("///", 1)[1])
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


async def tallies(rig: Any) -> dict[int, Any]:
    """Per poll: its counted ballots (published, or the latest sealed: content and weight), its
    turnout and weight of votes cast, its stored result."""
    async with rig.db.read() as session:
        result = {}
        for poll in (await session.execute(select(Poll))).scalars().all():
            if poll.status == PollStatus.CLOSED:
                rows = await session.execute(select(Ballot).where(Ballot.poll_id == poll.id))
                ballots = [(b.position, json.dumps(b.content), b.weight) for b in rows.scalars()]
            else:
                latest = await open_sealed(session, poll.id, rig.bot.secret_key)
                ballots = sorted((json.dumps(b.content), b.weight) for b in latest.values())
            entries = await session.execute(
                select(ElectorateEntry).where(ElectorateEntry.poll_id == poll.id)
            )
            listed = list(entries.scalars())
            turnout = (
                len([e for e in listed if e.voted]),
                sum(e.weight for e in listed if e.voted),
            )
            result[poll.number] = (sorted(ballots), turnout, len(listed), poll.result)
        return result


def needles(elu_id: int, user_id: int) -> list[str | re.Pattern[str]]:
    return [
        NAME,
        "Quintard",
        "Lemaire",
        EMAIL,
        "zoe.quintard",
        PHONE,
        PHONE.replace(" ", ""),
        "98 76 54 32",
        "987654",
        MANDATE,
        str(user_id),
        f"elu:{elu_id}",
        re.compile(rf"#{elu_id}\b"),
        re.compile(rf"\"(elu_id|mandant|mandataire|previous_elu_id)\": {elu_id}\b"),
        # An audit event about her élu row: as exported, and as a database row.
        re.compile(rf"\"subject_type\": \"elu\",\s*\"subject_id\": {elu_id}\b"),
        re.compile(rf"\"elu\", \"{elu_id}\""),
        re.compile(rf",elu,{elu_id}(,|\r?$)", re.M),
    ]


def find(haystack: str, needle: str | re.Pattern[str]) -> bool:
    if isinstance(needle, re.Pattern):
        return needle.search(haystack) is not None
    return needle.casefold() in haystack.casefold()


def assert_clean(where: str, haystack: str, found: list[str | re.Pattern[str]]) -> None:
    left = [str(n) for n in found if find(haystack, n)]
    assert not left, f"{where} still holds {left}"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record at the bot's default level (INFO), and the bot's own at DEBUG. discord.py's
    DEBUG wire logs (each request and gateway payload in full) are left out: an operator who turns
    them on logs every message of the server by choice of the library."""
    caplog.set_level(logging.INFO)
    for name in ("rtes_bot", "cogs"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


async def test_erasure_leaves_no_trace_and_keeps_every_tally(rig: Any, logs: Any) -> None:
    await installed(rig)
    petitville = await rig.collectivite("Petitville", departement="Drôme", code="26999")
    grenoble = await rig.collectivite("Grenoble-Ville", departement="Isère")
    async with rig.db.read() as session:
        settings = await session.get(GuildSettings, rig.guild.id)
        field = (
            (await session.execute(select(FieldOfAction).order_by(FieldOfAction.position)))
            .scalars()
            .first()
        )
    member_role = rig.emu.guilds[rig.guild.id].roles[settings.member_role_id]
    alice = await rig.elu("Alice Martin", collectivite=grenoble, roles=[member_role])
    bruno = await rig.elu("Bruno Petit", collectivite=grenoble, roles=[member_role])

    # Zoé joins through /adhesion; the bureau validates her card; she becomes the référent.
    zoe_user = rig.user("Zoé Q")
    await register(
        rig, zoe_user, collectivite_id=petitville.id, form=FORM, share=("email", "telephone")
    )
    zoe = await elu_of(rig, zoe_user)
    card = card_of(rig, zoe.id)
    validated = await rig.emu.click(rig.guild, rig.admin, card, f"rtes:adhesion:valider:{zoe.id}")
    await validated.wait_done()
    named = await slash(
        rig, rig.admin, "admin", "referent", membre=zoe_user, collectivite=str(petitville.id)
    )
    assert t("referent.designe", "fr", nom=NAME, collectivite="Petitville") in named.text
    assert (await elu_of(rig, zoe_user)).is_referent

    # Her proposal, Alice's proposal which she amends and supports.
    await deposit(rig, zoe_user, "Monnaie locale", "Créer une monnaie locale.", domaine=field.slug)
    await deposit(rig, alice.user, "Cantines bio", "Des cantines bio.", domaine=field.slug)
    hers, alices = await proposal_row(rig, 1), await proposal_row(rig, 2)
    assert NAME in message_dump(post(rig, hers))
    amended = await propose_amendment(rig, zoe_user, alices, "Des cantines bio et locales.")
    await amended.wait_done()
    supported = await rig.emu.click(
        rig.guild, zoe_user, post(rig, alices), f"rtes:soutenir:{alices.id}"
    )
    await supported.wait_done()

    # A public poll on her proposal (Bruno's proxy held by her), a secret one, both closed; an
    # open one where she gave Alice her proxy.
    public, opened = await open_poll(rig, secret=False, proposition=1)
    assert public is not None, opened.text
    given = await slash(
        rig, bruno.user, "procuration", "donner", scrutin=public.number, membre=zoe_user
    )
    assert "Zoé" in given.text or NAME in given.text
    await vote_text(rig, zoe_user, public.number, "pour")
    await vote_text(rig, zoe_user, public.number, "contre", au_nom_de=bruno.user)
    await vote_text(rig, alice.user, public.number, "pour")
    secret, _ = await open_poll(rig, question="Budget ?")
    for user, choice in ((zoe_user, "contre"), (alice.user, "pour"), (bruno.user, "pour")):
        await vote_text(rig, user, secret.number, choice)
    for poll in (public, secret):
        await close_by_command(rig.emu, rig.guild, rig.admin, poll.number)
    still_open, _ = await open_poll(rig, proposition=2)
    await slash(
        rig, zoe_user, "procuration", "donner", scrutin=still_open.number, membre=alice.user
    )
    await vote_text(rig, bruno.user, still_open.number, "pour")
    # A public poll where she votes and that closes only after her erasure.
    later, _ = await open_poll(rig, question="Vélo ?", secret=False)
    await vote_text(rig, zoe_user, later.number, "pour")
    await vote_text(rig, alice.user, later.number, "contre")

    registry = rig.emu.find_channel(rig.guild, "registre-des-decisions")
    announced = [m for m in registry_messages(rig, registry) if m.attachments]
    assert any(NAME in message_dump(m) for m in announced)  # the scan below would see her

    zoe_id = zoe.id
    before = await tallies(rig)
    all_needles = needles(zoe_id, zoe_user.id)
    assert find(await database_dump(rig), EMAIL) and find(await database_dump(rig), f"elu:{zoe_id}")

    # The erasure.
    asked = await slash(rig, zoe_user, "mes-donnees", "effacer")
    done = await rig.emu.click(
        rig.guild, zoe_user, asked.message, label=t("donnees.effacer.confirmer", "fr")
    )
    assert done.message.content == t("donnees.effacer.fait", "fr")
    await rig.emu.wait_for(lambda: NAME not in message_dump(post(rig, hers)), timeout=10)
    await rig.emu.wait_for(
        lambda: all(NAME not in message_dump(m) for m in bot_messages(rig, but_to=zoe_user)),
        timeout=10,
    )

    # Discord: the posts say « membre parti·e », without Petitville.
    former = t("donnees.membre-parti", "fr")
    assert former in message_dump(post(rig, hers)) and "Petitville" not in message_dump(
        post(rig, hers)
    )
    public_files = [
        a.data.decode() for m in registry_messages(rig, registry) for a in m.attachments
        if a.filename == f"scrutin-{public.number}-votes-nominatifs.txt"
    ]  # fmt: skip
    assert public_files and all(former in text for text in public_files)

    # The same tallies.
    assert await tallies(rig) == before

    # The public poll still open closes: her ballot counts, under nobody's name.
    await close_by_command(rig.emu, rig.guild, rig.admin, later.number)
    closed_later = await rig.emu.wait_for(
        lambda: [
            a.data.decode()
            for m in registry_messages(rig, registry)
            for a in m.attachments
            if a.filename == f"scrutin-{later.number}-votes-nominatifs.txt"
        ]
    )
    assert f"{former} : " in closed_later[0] and "Alice Martin : " in closed_later[0]

    # Exports, after the erasure.
    outputs: list[str] = []
    for poll in (public, secret):
        outputs.append(
            reply_dump(await slash(rig, rig.admin, "scrutin", "exporter", numero=poll.number))
        )
    outputs.append(reply_dump(await slash(rig, rig.admin, "admin", "audit")))
    outputs.append(reply_dump(await slash(rig, rig.admin, "admin", "audit", format="json")))
    rows = await _audit_rows(rig.settings.effective_database_url, rig.guild.id)
    outputs.append(json.dumps(rows, ensure_ascii=False) + audit_as_csv(rows))
    for person in (alice.user, bruno.user):
        outputs.append(reply_dump(await slash(rig, person, "mes-donnees", "exporter")))
    outputs.append(
        reply_dump(await slash(rig, alice.user, "annuaire", "chercher", recherche="Petitville"))
    )
    outputs.append(reply_dump(await slash(rig, alice.user, "charte", "signataires")))
    outputs.append(
        reply_dump(await slash(rig, alice.user, "scrutin", "resultats", numero=public.number))
    )
    exports = "\n".join(outputs)
    assert f"scrutin-{public.number}-bulletins.csv" in exports  # not vacuous
    assert_clean("the exports", exports, all_needles)

    # Messages: everything the bot posted or edited that someone can still see.
    seen = "\n".join(message_dump(m) for m in bot_messages(rig, but_to=zoe_user))
    assert "Alice Martin" in seen  # not vacuous
    assert_clean("the bot's messages", seen, all_needles)

    # The database, through SQL and as bytes.
    everything = await database_dump(rig)
    assert "Alice Martin" in everything
    assert_clean("the database", everything, all_needles)
    raw = sqlite_bytes(rig)
    if raw is not None:  # the erasure truncated the WAL itself
        for needle in (NAME, EMAIL, PHONE, MANDATE, f"elu:{zoe_id}"):
            assert needle.encode() not in raw, f"the SQLite files still hold {needle!r}"
        assert str(zoe_user.id).encode() not in raw
    async with rig.db.read() as session:
        row = await session.get(Elu, zoe_id)
    assert (row.full_name, row.collectivite_id, row.discord_user_id) == ("", None, None)

    # The logs of the whole test.
    assert_clean("the logs", "\n".join(r.getMessage() for r in logs.records), all_needles)
