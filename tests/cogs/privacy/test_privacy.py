"""`/mes-donnees` end to end: view, JSON export of everything stored (never a secret ballot),
consent per contact field, reminders, and erasure — after which the person's name, email and phone
are nowhere in the database while tallies and the collectivité's signature stay.

Votes are stored as the ballot box stores them (rtes_bot/services/ballots.py): the liste
d'émargement (`emargement`) says who voted and who cast each vote; open polls hold sealed ballots
(`sealed_ballot`, the voter only inside the seal); closed polls hold their published ballots
(`ballot`: secret polls, unit rows without voter). The export's participations come from the
liste d'émargement; erasure strikes the person from the lists of open polls (a ballot already
cast still counts) and removes their name from the published ballots of public polls.

Also the rule of the directory: a contact field without consent never appears in any output —
directory, chatbot, charter signatories, or another member's export."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from cogs.privacy import _erasure as privacy_cog
from rtes_bot.catalog import t
from rtes_bot.models import (
    Amendment,
    AuditEvent,
    Ballot,
    CharterSignature,
    ElectorateEntry,
    Elu,
    EluField,
    EluStatus,
    GuildSettings,
    Poll,
    PollStatus,
    Proposal,
    ProposalVersion,
    Proxy,
    SealedBallot,
    Support,
    metadata,
    utcnow,
)
from rtes_bot.services import audit, privacy
from rtes_bot.services.ballots import open_sealed, seal
from rtes_bot.services.privacy import ERASED_AT, elu_voter_ref
from rtes_bot.text import display_phone, plain_inline
from tests.support.directory import (
    ALICE_EMAIL,
    ALICE_PHONE,
    BRUNO_EMAIL,
    BRUNO_PHONE,
    add_fields,
    populate,
)
from tests.support.proposals import deposit, post, proposal_row, propose_amendment
from tests.support.proposals import install as install_fields

ZOE_NAME = "Zoé Quintard-Lemaire"
ZOE_EMAIL = "zoe.quintard@exemple.fr"
ZOE_PHONE = "+33698765432"
ZOE_MANDATE = "Conseillère déléguée à l'économie circulaire"


def visibility(*, email_shown: bool) -> str:
    """`/mes-donnees visibilite` for Bruno (his phone always hidden)."""
    return t(
        "donnees.visibilite.etat",
        "fr",
        email=BRUNO_EMAIL,
        email_visible=t("donnees.visible" if email_shown else "donnees.masque", "fr"),
        telephone=display_phone(BRUNO_PHONE),
        telephone_visible=t("donnees.masque", "fr"),
    )


async def mes_donnees(rig: Any, user: Any, sub: str, locale: str = "fr") -> Any:
    reply = await rig.emu.slash(rig.guild, user, "mes-donnees", subcommand=sub, locale=locale)
    await reply.wait_done()
    return reply


def _poll(rig: Any, number: int, *, secret: bool, status: str) -> Poll:
    return Poll(
        guild_id=rig.guild.id,
        number=number,
        question=f"Scrutin {number}",
        method="pour-contre",
        seed="seed",
        secret=secret,
        status=status,
        closes_at=utcnow() + timedelta(days=1),
        electorate_weight=4,
        result=None,  # recounted from the ballots when an announcement is rendered again
    )


def poll_number(polls: dict[str, Poll], poll_id: int) -> int:
    return next(p.number for p in polls.values() if p.id == poll_id)


def _entry(poll: Poll, elu_id: int, *, cast_by: int | None = None, delegate: int | None = None):
    """A vote on the poll's liste d'émargement: cast by `cast_by` when given, else not cast."""
    return ElectorateEntry(
        poll_id=poll.id,
        voter_ref=elu_voter_ref(elu_id),
        elu_id=elu_id,
        weight=1,
        voted=cast_by is not None,
        cast_by_elu_id=cast_by,
        delegate_elu_id=delegate,
    )


async def civic_life(rig: Any, net: Any, zoe: Any) -> dict[str, Poll]:
    """Zoé's traces: a proposal, an amendment, a support, her votes (cast herself, and for Bruno
    by proxy) in closed public and secret polls, a proxy given in an open poll, and a sealed
    ballot in another open poll."""
    zoe_id, alice_id = zoe.elu.id, net.alice.elu.id
    bruno_id, dora_id = net.bruno.elu.id, net.dora.elu.id
    async with rig.db.begin() as session:
        proposal = Proposal(
            guild_id=rig.guild.id, number=1, title="Monnaie locale", author_elu_id=zoe_id
        )
        other = Proposal(
            guild_id=rig.guild.id, number=2, title="Cantines bio", author_elu_id=alice_id
        )
        session.add_all([proposal, other])
        await session.flush()
        session.add(
            ProposalVersion(proposal_id=proposal.id, version=1, text="Créer une monnaie locale.")
        )
        session.add(
            Amendment(
                proposal_id=other.id,
                number=1,
                author_elu_id=zoe_id,
                text="Et locales.",
                base_version=1,
            )
        )
        session.add(
            Support(proposal_id=other.id, elu_id=zoe_id, collectivite_id=zoe.elu.collectivite_id)
        )
        polls = {
            "public": _poll(rig, 1, secret=False, status=PollStatus.CLOSED),
            "secret": _poll(rig, 2, secret=True, status=PollStatus.CLOSED),
            "open": _poll(rig, 3, secret=True, status=PollStatus.OPEN),
            "cast": _poll(rig, 4, secret=True, status=PollStatus.OPEN),
        }
        session.add_all(polls.values())
        await session.flush()
        public, secret = polls["public"], polls["secret"]
        open_poll, cast = polls["open"], polls["cast"]
        for poll in (public, secret):
            session.add(_entry(poll, zoe_id, cast_by=zoe_id))
            session.add(_entry(poll, alice_id, cast_by=alice_id))
            session.add(_entry(poll, dora_id))
        # In the public poll Zoé also cast Bruno's vote, holding his proxy.
        session.add(_entry(public, bruno_id, cast_by=zoe_id))
        session.add(_entry(secret, bruno_id))
        # Published ballots: public polls one row per voter; secret polls unit rows in content
        # order, without voter.
        for position, (content, ref) in enumerate(
            [("contre", bruno_id), ("pour", zoe_id), ("pour", alice_id)]
        ):
            session.add(
                Ballot(
                    poll_id=public.id,
                    position=position,
                    content=content,
                    voter_ref=elu_voter_ref(ref),
                )
            )
        for position, content in enumerate(["pour", "secret-contre-de-zoe"]):
            session.add(Ballot(poll_id=secret.id, position=position, content=content))
        # Open polls: Zoé gave Alice her proxy in one, and voted herself in the other.
        session.add(_entry(open_poll, zoe_id, delegate=alice_id))
        session.add(_entry(open_poll, alice_id))
        session.add(_entry(open_poll, dora_id, delegate=bruno_id))
        session.add(_entry(open_poll, bruno_id))
        session.add(Proxy(poll_id=open_poll.id, grantor_elu_id=zoe_id, holder_elu_id=alice_id))
        session.add(Proxy(poll_id=open_poll.id, grantor_elu_id=dora_id, holder_elu_id=bruno_id))
        for elu_id, content in ((zoe_id, "contre"), (alice_id, "pour")):
            session.add(_entry(cast, elu_id, cast_by=elu_id))
            session.add(
                SealedBallot(
                    poll_id=cast.id,
                    sealed=seal(rig.bot.secret_key, cast.id, elu_voter_ref(elu_id), content, 1),
                )
            )
        session.add(_entry(cast, dora_id))
        # What another feature may have logged about her (e.g. her registration).
        audit.record(
            session,
            rig.guild.id,
            zoe.user.id,
            "membre.inscription",
            "elu",
            zoe_id,
            nom=ZOE_NAME,
            email=ZOE_EMAIL,
        )
        audit.record(
            session,
            rig.guild.id,
            rig.admin.id,
            "membre.validation",
            "elu",
            zoe_id,
            message=f"{ZOE_NAME} validée",
        )
    return polls


async def make_zoe(rig: Any, net: Any) -> Any:
    role = rig.emu.create_role(rig.guild, "Élu·e")
    bureau = rig.emu.create_channel(rig.guild, "bureau")
    async with rig.db.begin() as session:
        session.add(
            GuildSettings(
                guild_id=rig.guild.id, member_role_id=role.id, bureau_channel_id=bureau.id
            )
        )
    zoe = await rig.elu(
        ZOE_NAME,
        collectivite=net.collectivites["grenoble"],
        email=ZOE_EMAIL,
        phone=ZOE_PHONE,
        share_email=True,
        roles=[role],
    )
    channel = await rig.emu.wait_for(lambda: rig.bot.get_channel(bureau.id))
    card = await channel.send(f"Nouvelle adhésion : {ZOE_NAME}, {ZOE_EMAIL}")  # the bureau's card
    async with rig.db.begin() as session:
        row = await session.get(Elu, zoe.elu.id)
        row.mandate = ZOE_MANDATE
        row.bureau_card_message_id = card.id
    await add_fields(rig, zoe, "commerce-equitable", fields=net.fields)
    signed = await rig.emu.slash(rig.guild, zoe.user, "charte", subcommand="signer")
    await signed.wait_done()
    assert signed.text == t("charte.signee", "fr", version=1, collectivite="Grenoble")
    return zoe


async def dump(rig: Any) -> str:
    """Every row of every table, as text."""
    lines: list[str] = []
    async with rig.db.read() as session:
        for table in metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                lines.append(
                    f"{table.name}: {json.dumps([str(v) for v in row], ensure_ascii=False)}"
                )
    return "\n".join(lines)


async def tallies(rig: Any) -> dict[int, Any]:
    """Per poll: the ballots that count (published ones of closed polls, the latest sealed ones
    of open polls: content and weight, never who), the turnout, the stored result."""
    async with rig.db.read() as session:
        polls = (await session.execute(select(Poll))).scalars().all()
        result = {}
        for poll in polls:
            if poll.status == PollStatus.CLOSED:
                rows = (
                    (await session.execute(select(Ballot).where(Ballot.poll_id == poll.id)))
                    .scalars()
                    .all()
                )
                ballots = [(b.position, json.dumps(b.content), b.weight) for b in rows]
            else:
                latest = await open_sealed(session, poll.id, rig.bot.secret_key)
                ballots = sorted((json.dumps(b.content), b.weight) for b in latest.values())
            turnout = (
                (
                    await session.execute(
                        select(ElectorateEntry).where(
                            ElectorateEntry.poll_id == poll.id, ElectorateEntry.voted.is_(True)
                        )
                    )
                )
                .scalars()
                .all()
            )
            result[poll.id] = (sorted(ballots), len(turnout), poll.result)
        return result


async def entries_of(rig: Any, elu_id: int) -> dict[int, tuple[bool, bool]]:
    """poll number → (voted, struck) of the élu's own vote on each liste d'émargement."""
    async with rig.db.read() as session:
        rows = await session.execute(
            select(Poll.number, ElectorateEntry.voted, ElectorateEntry.struck)
            .join(Poll, Poll.id == ElectorateEntry.poll_id)
            .where(ElectorateEntry.voter_ref == elu_voter_ref(elu_id))
        )
        return {number: (voted, struck) for number, voted, struck in rows.all()}


async def test_view_and_export_show_everything_stored_but_no_secret_ballot(rig) -> None:
    net = await populate(rig)
    zoe = await make_zoe(rig, net)
    await civic_life(rig, net, zoe)
    seen = await mes_donnees(rig, zoe.user, "voir")
    assert seen.ephemeral
    for expected in (
        ZOE_NAME,
        ZOE_EMAIL,
        display_phone(ZOE_PHONE),
        ZOE_MANDATE,
        "Grenoble",
        "Commerce équitable",
        t("donnees.voir.email", "fr", valeur=ZOE_EMAIL, visible=t("commun.oui", "fr")),
    ):
        assert expected in seen.text
    async with rig.db.read() as session:
        counts = (await privacy.summary(session, rig.guild.id, zoe.user.id)).counts
    assert counts["signatures"] == 1 and counts["propositions"] == 1
    assert t("donnees.voir.activite", "fr", **counts) in seen.text

    exported = await mes_donnees(rig, zoe.user, "exporter")
    files = [a for m in exported.messages for a in m.attachments]
    assert [f.filename for f in files] == ["mes-donnees-rtes.json"]
    data = json.loads(files[0].data.decode("utf-8"))
    assert data["adhesion"]["full_name"] == ZOE_NAME and data["adhesion"]["phone"] == ZOE_PHONE
    assert data["collectivite"]["nom"] == "Grenoble"
    assert [f["slug"] for f in data["champs_action"]] == ["commerce-equitable"]
    assert [s["version"] for s in data["signatures_charte"]] == [1]
    assert data["propositions"][0]["titre"] == "Monnaie locale"
    assert data["propositions"][0]["versions"][0]["texte"] == "Créer une monnaie locale."
    assert data["amendements"][0]["texte"] == "Et locales."
    assert data["soutiens"][0]["titre"] == "Cantines bio"
    assert data["procurations_donnees"][0]["mandataire"]["nom"] == "Alice Martin"
    # From the listes d'émargement: her votes (closed polls 1, 2; open poll 4), Bruno's vote she
    # cast by proxy; not poll 3, where she gave a proxy that was not used.
    assert sorted(
        (p["scrutin"], p["vote"], p["secret"]) for p in data["participations_scrutins"]
    ) == [
        (1, "pour-autrui", False),
        (1, "vous-meme", False),
        (2, "vous-meme", True),
        (4, "vous-meme", True),
    ]
    assert data["bulletins_scrutins_publics"] == [
        {"scrutin": 1, "question": "Scrutin 1", "bulletin": "pour"}
    ]
    assert "secret-contre-de-zoe" not in files[0].data.decode("utf-8")
    actions = {e["action"] for e in data["evenements_journal"]}
    assert {"charte.signature", "membre.inscription"} <= actions
    assert "membre.validation" not in actions  # the bureau's action, not hers

    visitor = rig.user("Victor Visiteur")
    nothing = await mes_donnees(rig, visitor, "voir")
    assert t("donnees.voir.aucune-adhesion", "fr") in nothing.text
    english = await mes_donnees(rig, zoe.user, "voir", locale="en-US")
    assert t("donnees.voir.titre", "en") in english.text


async def test_visibility_buttons_change_what_the_directory_shows(rig) -> None:
    net = await populate(rig)
    shown = await mes_donnees(rig, net.bruno.user, "visibilite")
    assert shown.text == visibility(email_shown=False)
    clicked = await rig.emu.click(
        rig.guild, net.bruno.user, shown.message, label=t("donnees.visibilite.partager-email", "fr")
    )
    assert clicked.message.content == visibility(email_shown=True)
    hide = t("donnees.visibilite.masquer-email", "fr")
    assert clicked.message.find_component(label=hide) is not None
    async with rig.db.read() as session:
        bruno = await session.get(Elu, net.bruno.elu.id)
    assert bruno.share_email and not bruno.share_phone
    directory = await rig.emu.slash(
        rig.guild, net.dora.user, "annuaire", subcommand="chercher", options={"recherche": "bruno"}
    )
    await directory.wait_done()
    assert BRUNO_EMAIL in directory.text and display_phone(BRUNO_PHONE) not in directory.text
    hidden = await rig.emu.click(rig.guild, net.bruno.user, clicked.message, label=hide)
    assert hidden.message.content == visibility(email_shown=False)
    again = await rig.emu.slash(
        rig.guild, net.dora.user, "annuaire", subcommand="chercher", options={"recherche": "bruno"}
    )
    await again.wait_done()
    assert BRUNO_EMAIL not in again.text
    visitor = rig.user("Victor Visiteur")
    refused = await mes_donnees(rig, visitor, "visibilite")
    assert refused.text == t("donnees.aucune", "fr")


async def test_reminders_can_be_turned_off_and_on(rig) -> None:
    net = await populate(rig)
    shown = await mes_donnees(rig, net.alice.user, "rappels")
    assert shown.text == t("donnees.rappels.actifs", "fr")
    off = await rig.emu.click(
        rig.guild, net.alice.user, shown.message, label=t("donnees.rappels.arreter", "fr")
    )
    assert off.message.content == t("donnees.rappels.inactifs", "fr")
    async with rig.db.read() as session:
        assert (await session.get(Elu, net.alice.elu.id)).reminders_opt_out is True
    on = await rig.emu.click(
        rig.guild, net.alice.user, off.message, label=t("donnees.rappels.reprendre", "fr")
    )
    assert on.message.content == t("donnees.rappels.actifs", "fr")
    async with rig.db.read() as session:
        assert (await session.get(Elu, net.alice.elu.id)).reminders_opt_out is False


async def test_erasure_needs_confirmation_and_cancelling_changes_nothing(rig) -> None:
    net = await populate(rig)
    asked = await mes_donnees(rig, net.alice.user, "effacer")
    assert asked.text == t("donnees.effacer.question", "fr")
    erase = t("donnees.effacer.confirmer", "fr")
    stranger = await rig.emu.click(rig.guild, net.bruno.user, asked.message, label=erase)
    assert stranger.text == t("pages.pas-a-vous", "fr")  # only the person who asked decides
    cancelled = await rig.emu.click(
        rig.guild, net.alice.user, asked.message, label=t("commun.annuler", "fr")
    )
    assert cancelled.message.content == t("commun.annule", "fr")
    assert not cancelled.message.components
    async with rig.db.read() as session:
        alice = await session.get(Elu, net.alice.elu.id)
    assert alice.full_name == "Alice Martin" and alice.status == EluStatus.ACTIVE


async def test_erasure_leaves_no_personal_data_and_keeps_tallies(rig) -> None:
    net = await populate(rig)
    zoe = await make_zoe(rig, net)
    polls = await civic_life(rig, net, zoe)
    before = await tallies(rig)
    assert before[polls["cast"].id][:2] == ([('"contre"', 1), ('"pour"', 1)], 2)
    assert await entries_of(rig, zoe.elu.id) == {
        1: (True, False),
        2: (True, False),
        3: (False, False),
        4: (True, False),
    }
    assert ZOE_EMAIL in await dump(rig)  # the scan below sees her data when it is there

    asked = await mes_donnees(rig, zoe.user, "effacer")
    done = await rig.emu.click(
        rig.guild, zoe.user, asked.message, label=t("donnees.effacer.confirmer", "fr")
    )
    assert done.message.content == t("donnees.effacer.fait", "fr")
    await rig.emu.wait_for(lambda: "Élu·e" not in rig.emu.member_role_names(rig.guild, zoe.user))

    bureau = rig.emu.find_channel(rig.guild, "bureau")
    card = await rig.emu.wait_for(
        lambda: [m for m in rig.emu.channel_messages(bureau) if "effacée" in m.content]
    )
    assert ZOE_NAME not in card[0].content and ZOE_EMAIL not in card[0].content
    everything = await dump(rig)
    for secret in (
        ZOE_NAME,
        "Quintard",
        ZOE_EMAIL,
        ZOE_PHONE,
        ZOE_PHONE[3:],
        display_phone(ZOE_PHONE),
        ZOE_MANDATE,
        str(zoe.user.id),
    ):
        assert secret not in everything, secret
    assert await tallies(rig) == before
    async with rig.db.read() as session:
        row = await session.get(Elu, zoe.elu.id)
        assert (
            row.full_name,
            row.status,
            row.discord_user_id,
            row.email,
            row.phone,
            row.mandate,
            row.collectivite_id,
            row.validated_at,
            row.created_at,
            row.updated_at,
        ) == ("", EluStatus.ERASED, None, None, None, "", None, None, ERASED_AT, ERASED_AT)
        assert (
            await session.execute(select(EluField).where(EluField.elu_id == zoe.elu.id))
        ).all() == []
        signature = (await session.execute(select(CharterSignature))).scalars().one()
        assert (signature.elu_id, signature.collectivite_id, signature.collectivite_name) == (
            None,
            net.collectivites["grenoble"].id,
            "Grenoble",
        )
        public = (
            (await session.execute(select(Ballot).where(Ballot.poll_id == polls["public"].id)))
            .scalars()
            .all()
        )
        assert sorted(b.voter_ref or "" for b in public) == sorted(
            ["", elu_voter_ref(net.alice.elu.id), elu_voter_ref(net.bruno.elu.id)]
        )
        # Her proxy in the open poll is revoked; none is left in closed polls.
        proxy = (
            (await session.execute(select(Proxy).where(Proxy.grantor_elu_id == zoe.elu.id)))
            .scalars()
            .one()
        )
        assert proxy.revoked_at is not None and proxy.poll_id == polls["open"].id
        # Her entries stay counted, struck, each under its own random reference that names
        # nobody; in the open poll where she voted, her sealed ballot was sealed again under the
        # new reference (same length: the plaintext keeps its size), and still counts (tallies).
        lists = (await session.execute(select(ElectorateEntry))).scalars().all()
        anonymous = sorted(
            (poll_number(polls, e.poll_id), e.voted, e.struck)
            for e in lists
            if e.voter_ref.startswith("x:")
        )
        assert anonymous == [(1, True, True), (2, True, True), (3, False, True), (4, True, True)]
        assert len({e.voter_ref for e in lists if e.voter_ref.startswith("x:")}) == 4
        resealed = next(
            e.voter_ref for e in lists if e.poll_id == polls["cast"].id and e.voter_ref[:2] == "x:"
        )
        assert len(resealed) == len(elu_voter_ref(zoe.elu.id))
        opened = await open_sealed(session, polls["cast"].id, rig.bot.secret_key)
        assert sorted(opened) == sorted([resealed, elu_voter_ref(net.alice.elu.id)])
        assert not [e for e in lists if zoe.elu.id in (e.delegate_elu_id, e.cast_by_elu_id)
                    and e.poll_id in (polls["public"].id, polls["secret"].id)]  # fmt: skip
    assert await entries_of(rig, zoe.elu.id) == {}
    assert all(not struck for _, struck in (await entries_of(rig, net.alice.elu.id)).values())
    async with rig.db.read() as session:
        erased = (
            (
                await session.execute(
                    select(AuditEvent).where(AuditEvent.action == "donnees.effacement")
                )
            )
            .scalars()
            .one()
        )
        assert (erased.actor_id, erased.subject_id, erased.details) == (None, None, {})
        about_her = (
            (await session.execute(select(AuditEvent).where(AuditEvent.action.like("membre.%"))))
            .scalars()
            .all()
        )
        assert [(e.actor_id, e.subject_id) for e in about_her] == [
            (None, None),
            (rig.admin.id, None),
        ]
    # The person may see the signatories: the collectivité still signed, without her name.
    signatories = await rig.emu.slash(rig.guild, net.alice.user, "charte", subcommand="signataires")
    await signatories.wait_done()
    assert f"**Grenoble** — {t('charte.signataire-efface', 'fr')}" in signatories.text
    # Afterwards she is a visitor with nothing stored.
    nothing = await mes_donnees(rig, zoe.user, "voir")
    assert t("donnees.voir.aucune-adhesion", "fr") in nothing.text


async def test_a_contact_field_without_consent_never_appears_in_any_output(rig) -> None:
    """Bruno shares nothing, Alice only her email: whatever others do, their secrets stay hidden."""
    net = await populate(rig)
    zoe = await make_zoe(rig, net)
    await civic_life(rig, net, zoe)  # Dora gave Bruno a proxy: he appears in her export
    for person in (net.alice, net.bruno):
        signed = await rig.emu.slash(rig.guild, person.user, "charte", subcommand="signer")
        await signed.wait_done()
    outputs: list[str] = []

    async def run(*args: Any, **options: Any) -> None:
        reply = await rig.emu.slash(rig.guild, net.dora.user, *args, options=options)
        await reply.wait_done()
        outputs.append(reply.text)
        outputs.extend(a.data.decode("utf-8") for m in reply.messages for a in m.attachments)

    await run("annuaire", "chercher")
    await run("annuaire", "chercher", recherche="bruno")
    await run("annuaire", "chercher", domaine="commerce-equitable")
    await run("annuaire", "chercher", departement="Isère")
    await run("annuaire", "fiche", membre=net.bruno.user)
    await run("annuaire", "fiche", membre=net.alice.user)
    await run("charte", "signataires")
    await run("mes-donnees", "exporter")
    await run("mes-donnees", "voir")
    for question in (
        "contact ESS à Grenoble",
        "qui suit le commerce équitable ?",
        "contacts en Isère",
        "who works on fair trade?",
    ):
        await rig.emu.dm(net.dora.user, question)
    channel = rig.emu.find_channel(rig.guild, "general")
    await rig.emu.mention(rig.guild, net.dora.user, channel, "contact à Grenoble")
    await rig.emu.wait_for(
        lambda: len([m for m in rig.emu.dms_to(net.dora.user) if "Alice Martin" in m.content]) >= 5
    )
    export = next(o for o in outputs if o.startswith("{"))
    assert "Bruno Discret" in json.loads(export)["procurations_donnees"][0]["mandataire"]["nom"]

    # Every message the bot ever sent, and every attachment, in this test.
    for message in rig.emu.messages.values():
        if message.author.id == rig.emu.bot.id:
            outputs.append(message.text)
            outputs.extend(a.data.decode("utf-8", "replace") for a in message.attachments)
    everything = "\n".join(outputs)
    assert ALICE_EMAIL in everything  # consented: shown, so the check below is not vacuous
    phones = (BRUNO_PHONE, ALICE_PHONE)
    for secret in (BRUNO_EMAIL, *phones, *(p[3:] for p in phones), *map(display_phone, phones)):
        assert secret not in everything, secret


def test_scrub_replaces_the_name_with_its_collectivite_and_drops_mentions() -> None:
    erasure = privacy.Erasure(
        elu_id=7, role_ids=frozenset(), former_name=ZOE_NAME, former_collectivite="Petitville"
    )
    former = t("donnees.membre-parti", "fr")
    text = f"<@42> Amendement n°1 proposé par {ZOE_NAME} (Petitville) ; retirée par {ZOE_NAME}."
    assert privacy_cog.scrub(text, erasure, 42, former) == (
        f"Amendement n°1 proposé par {former} ; retirée par {former}."
    )
    assert privacy_cog.scrub("Alice Martin (Grenoble)", erasure, 42, former) == (
        "Alice Martin (Grenoble)"
    )
    # As the official posts show it (markdown escaped).
    shown = f"par {plain_inline(ZOE_NAME)} ({plain_inline('Petitville')})"
    assert privacy_cog.scrub(shown, erasure, 42, former) == f"par {former}"


async def test_erasure_edits_are_isolated_and_skip_deleted_messages(
    rig, monkeypatch, caplog
) -> None:
    """One post whose refresh fails, one amendment message deleted meanwhile: the other posts
    are still rewritten, the failure is logged, the deleted message is skipped without error."""
    setup = await install_fields(rig)
    slug = setup.fields[0].slug
    zoe = await rig.elu(ZOE_NAME, email=ZOE_EMAIL)
    alice = await rig.elu("Alice Martin")
    for user, title in ((zoe.user, "Monnaie locale"), (alice.user, "Cantines"), (zoe.user, "Vélo")):
        await deposit(rig, user, title, f"Texte : {title}.", domaine=slug)
    first, cantines, third = [await proposal_row(rig, n) for n in (1, 2, 3)]
    amended = await propose_amendment(rig, zoe.user, cantines, "Et locales.")
    await amended.wait_done()
    async with rig.db.read() as session:
        amendment = (await session.execute(select(Amendment))).scalars().one()
    rig.emu.messages[amendment.message_id].deleted = True  # removed by a moderator meanwhile

    loaded = sys.modules["cogs.privacy._erasure"]  # the module as the bot loaded it
    real_refresh = loaded.refresh_proposal_post

    async def failing(bot: Any, proposal_id: int) -> None:
        if proposal_id == first.id:
            raise RuntimeError("Discord is down for this one")
        await real_refresh(bot, proposal_id)

    monkeypatch.setattr(loaded, "refresh_proposal_post", failing)
    asked = await mes_donnees(rig, zoe.user, "effacer")
    await rig.emu.click(
        rig.guild, zoe.user, asked.message, label=t("donnees.effacer.confirmer", "fr")
    )
    former = t("donnees.membre-parti", "fr")
    await rig.emu.wait_for(
        lambda: former in json.dumps(post(rig, third).embeds, ensure_ascii=False)
    )
    assert "Quintard" in json.dumps(post(rig, first).embeds, ensure_ascii=False)  # the failed one
    assert any(
        r.levelname == "WARNING" and "proposal post" in r.getMessage() for r in caplog.records
    )
    # The thread of the amended proposal was still read and cleaned (nothing else named her).
    thread = [m for m in rig.emu.channel_messages(cantines.thread_id) if not m.deleted]
    assert all("Quintard" not in m.content for m in thread)
