"""Proposals end to end: the real bot, through the Discord emulator, on SQLite and PostgreSQL.

Deposit in a field's forum (tag, post, buttons), supports, amendments accepted or refused by the
author, history, list, withdrawal, tag moves, and the refusals (visitor, pending, unknown number,
non-author, closed proposal), with concurrent clicks applied once and nothing half-written.

Answers are compared with their catalog entry (`said(key, …)`); the first deposit test and the
English test pin the exact wording of the key messages.
"""

from __future__ import annotations

import asyncio
import io

import discord
import sqlalchemy as sa

from cogs.proposals._forum import post_in_proposal_thread, refresh_proposal_post
from rtes_bot.models import Amendment, EluStatus, ProposalStatus, ProposalVersion, Support
from rtes_bot.services import proposals as service
from tests.support.catalog import said
from tests.support.proposals import (
    FIELDS,
    audit_actions,
    deposit,
    field_value,
    install,
    post,
    proposal_row,
    propose_amendment,
    tag_id,
    thread_messages,
)

# ----------------------------------------------------------------------------- deposit


async def test_deposit_opens_a_forum_post_tagged_en_debat_with_soutenir_and_amender(rig) -> None:
    """Pins the exact French of the deposit confirmation and of the post."""
    setup = await install(rig)
    forum = setup.channels[0]
    collectivite = await rig.collectivite("Grenoble")
    alice = await rig.elu("Alice Martin", collectivite=collectivite)

    done = await deposit(
        rig,
        alice.user,
        "Une monnaie locale",
        "Créer une monnaie locale complémentaire.",
        domaine="finances-solidaires",
    )

    assert done.ephemeral
    assert done.text.startswith("Votre proposition n°1 « Une monnaie locale » est déposée : <#")
    creations = rig.emu.requests_to("POST", rf"^/channels/{forum.id}/threads$")
    assert len(creations) == 1
    assert creations[0].json["applied_tags"] == [str(tag_id(forum, "En débat"))]
    (thread,) = rig.emu.threads(forum)
    assert thread.name == "#1 · Une monnaie locale"
    assert thread.applied_tags == [tag_id(forum, "En débat")]
    assert f"<#{thread.id}>" in done.text

    proposal = await proposal_row(rig, 1)
    assert proposal.thread_id == thread.id
    assert proposal.status == ProposalStatus.EN_DEBAT
    first = post(rig, proposal)
    assert "Proposition n°1 — Une monnaie locale" in first.text
    assert "Créer une monnaie locale complémentaire." in first.text
    assert field_value(first, "proposition.post.auteur") == "Alice Martin (Grenoble)"
    assert field_value(first, "proposition.post.soutiens") == "0"
    assert field_value(first, "proposition.post.statut") == "En débat"
    assert "Déposée par" in first.text and "Soutiens" in first.text
    assert {b["custom_id"] for b in first.buttons} == {
        f"rtes:soutenir:{proposal.id}",
        f"rtes:amender:{proposal.id}",
    }
    assert first.allowed_mentions == {"parse": []}
    async with rig.db.read() as session:
        assert await service.current_text(session, proposal) == (
            "Créer une monnaie locale complémentaire."
        )
    assert await audit_actions(rig) == ["proposition.deposee"]


async def test_deposit_without_domaine_offers_a_select_of_active_fields(rig) -> None:
    setup = await install(rig, count=2, retired=1)
    bob = await rig.elu("Bob Durand")

    opened = await rig.emu.slash(rig.guild, bob.user, "proposition", subcommand="deposer")
    assert opened.ephemeral and opened.text == said("proposition.choisir-domaine")
    (select,) = opened.message.selects
    labels = [option["label"] for option in select["options"]]
    assert labels == [FIELDS[0][1], FIELDS[1][1]]  # the retired field is not offered

    chosen = await rig.emu.click(
        rig.guild, bob.user, opened.message, select["custom_id"], values=[FIELDS[1][1]]
    )
    assert chosen.modal is not None
    done = await rig.emu.submit_modal(
        rig.guild, bob.user, chosen, {"titre": "Achats publics", "texte": "Clauses éthiques."}
    )
    (thread,) = rig.emu.threads(setup.channels[1])
    assert done.text == said(
        "proposition.deposee", numero=1, titre="Achats publics", lien=f"<#{thread.id}>"
    )
    assert rig.emu.threads(setup.channels[0]) == []

    second = await deposit(rig, bob.user, "Deuxième", "Encore.", domaine="finances-solidaires")
    (thread,) = rig.emu.threads(setup.channels[0])
    assert second.text == said(
        "proposition.deposee", numero=2, titre="Deuxième", lien=f"<#{thread.id}>"
    )


async def test_deposit_opens_the_modal_directly_when_there_is_one_field(rig) -> None:
    await install(rig)
    bob = await rig.elu("Bob Durand")
    opened = await rig.emu.slash(rig.guild, bob.user, "proposition", subcommand="deposer")
    assert opened.modal is not None
    assert [row["components"][0]["custom_id"] for row in opened.modal["components"]] == [
        "titre",
        "texte",
    ]
    assert opened.modal["components"][0]["components"][0]["max_length"] == 100
    assert opened.modal["components"][1]["components"][0]["max_length"] == 4000


async def test_visitor_and_pending_member_cannot_deposit(rig) -> None:
    setup = await install(rig)
    visitor = rig.user("Vera Visiteuse")
    pending = await rig.elu("Paul Attente", status=EluStatus.PENDING)

    as_visitor = await rig.emu.slash(rig.guild, visitor, "proposition", subcommand="deposer")
    as_pending = await rig.emu.slash(rig.guild, pending.user, "proposition", subcommand="deposer")

    assert as_visitor.modal is None and as_visitor.ephemeral
    assert as_visitor.text == said("acces.adhesion-requise")
    assert as_pending.modal is None and as_pending.text == said("acces.en-attente")
    assert rig.emu.threads(setup.channels[0]) == []


async def test_blank_title_is_refused_and_nothing_is_written(rig) -> None:
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")
    done = await deposit(rig, alice.user, "   ", "Un texte.")
    assert done.text == said("proposition.titre-vide")
    assert rig.emu.threads(setup.channels[0]) == []
    async with rig.db.read() as session:
        assert await service.count(session, rig.guild.id) == 0
    assert await audit_actions(rig) == []


async def test_deposit_in_a_deleted_forum_writes_nothing(rig) -> None:
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")
    opened = await rig.emu.slash(rig.guild, alice.user, "proposition", subcommand="deposer")
    await rig.bot.get_channel(
        setup.channels[0].id
    ).delete()  # deleted between the command and the modal
    done = await rig.emu.submit_modal(
        rig.guild, alice.user, opened, {"titre": "Titre", "texte": "Texte"}
    )
    assert done.text == said("proposition.forum-introuvable", domaine=FIELDS[0][1])
    async with rig.db.read() as session:
        assert await service.count(session, rig.guild.id) == 0
    assert await audit_actions(rig) == []


async def test_concurrent_deposits_get_distinct_sequential_numbers(rig) -> None:
    """Submitted together, as people would: each gets its own number and its own post. (Whether
    overlapping transactions take turns for the number is proven below the Discord layer, in
    tests/rtes_bot/services/test_proposals.py, on PostgreSQL.)"""
    setup = await install(rig)
    people = [await rig.elu(f"Élu {index}") for index in range(4)]
    opened = [
        await rig.emu.slash(rig.guild, p.user, "proposition", subcommand="deposer") for p in people
    ]
    done = await asyncio.gather(
        *(
            rig.emu.submit_modal(rig.guild, p.user, o, {"titre": f"T{i}", "texte": f"X{i}"})
            for i, (p, o) in enumerate(zip(people, opened, strict=True))
        )
    )
    async with rig.db.read() as session:
        stored = await service.search(session, rig.guild.id)
    assert sorted(p.number for p in stored) == [1, 2, 3, 4]
    assert sorted(d.text for d in done) == sorted(
        said("proposition.deposee", numero=p.number, titre=p.title, lien=f"<#{p.thread_id}>")
        for p in stored
    )
    assert len(rig.emu.threads(setup.channels[0])) == 4


async def test_text_channel_mode_opens_a_thread_on_a_message(rig) -> None:
    setup = await install(rig, text_channels=True)
    channel = setup.channels[0]
    alice = await rig.elu("Alice Martin")
    done = await deposit(rig, alice.user, "Un titre", "Un texte")
    (thread,) = rig.emu.threads(channel)
    assert done.text == said(
        "proposition.deposee", numero=1, titre="Un titre", lien=f"<#{thread.id}>"
    )
    assert thread.name == "[En débat] #1 · Un titre"
    proposal = await proposal_row(rig, 1)
    starter = rig.emu.messages[proposal.thread_id]
    assert starter.channel_id == channel.id  # the buttons are on the message in the channel
    assert f"rtes:soutenir:{proposal.id}" in {b["custom_id"] for b in starter.buttons}

    supported = await rig.emu.click(rig.guild, alice.user, starter, f"rtes:soutenir:{proposal.id}")
    assert supported.text == said("proposition.soutien.ajoute", numero=1, total=1)
    await rig.emu.wait_for(lambda: field_value(starter, "proposition.post.soutiens") == "1")

    withdrawn = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert withdrawn.text == said("proposition.retiree", numero=1)
    await rig.emu.wait_for(lambda: thread.name == "[Retirée] #1 · Un titre")


# ----------------------------------------------------------------------------- supports


async def test_soutenir_counts_once_and_a_second_click_offers_to_withdraw(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    first = post(rig, proposal)
    soutenir = f"rtes:soutenir:{proposal.id}"

    given = await rig.emu.click(rig.guild, bob.user, first, soutenir)
    assert given.ephemeral and given.text == said("proposition.soutien.ajoute", numero=1, total=1)
    await rig.emu.wait_for(lambda: field_value(first, "proposition.post.soutiens") == "1")
    assert rig.emu.requests_to(
        "PATCH", rf"^/channels/{proposal.thread_id}/messages/{proposal.thread_id}$"
    )

    again = await rig.emu.click(rig.guild, bob.user, first, soutenir)
    assert again.text == said("proposition.soutien.deja", numero=1)
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 1
    withdraw_id = f"rtes:retirer-soutien:{proposal.id}"
    withdrawn = await rig.emu.click(rig.guild, bob.user, again.message, withdraw_id)
    assert withdrawn.text == said("proposition.soutien.retire", numero=1, total=0)
    await rig.emu.wait_for(lambda: field_value(first, "proposition.post.soutiens") == "0")
    assert await audit_actions(rig) == [
        "proposition.deposee",
        "proposition.soutenue",
        "proposition.soutien-retire",
    ]


async def test_concurrent_soutenir_clicks_by_one_person_apply_once(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    first = post(rig, proposal)
    clicks = await asyncio.gather(
        *(
            rig.emu.click(rig.guild, alice.user, first, f"rtes:soutenir:{proposal.id}")
            for _ in range(8)
        )
    )
    texts = [c.text for c in clicks]
    assert texts.count(said("proposition.soutien.ajoute", numero=1, total=1)) == 1
    assert texts.count(said("proposition.soutien.deja", numero=1)) == 7
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 1
    assert (await audit_actions(rig)).count("proposition.soutenue") == 1
    await rig.emu.wait_for(lambda: field_value(first, "proposition.post.soutiens") == "1")


async def test_supports_per_collectivite_count_one_per_collectivite(rig) -> None:
    await install(rig, per_collectivite=True)
    grenoble = await rig.collectivite("Grenoble")
    alice = await rig.elu("Alice Martin", collectivite=grenoble)
    bob = await rig.elu("Bob Durand", collectivite=grenoble)
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    first = post(rig, proposal)

    await rig.emu.click(rig.guild, alice.user, first, f"rtes:soutenir:{proposal.id}")
    colleague = await rig.emu.click(rig.guild, bob.user, first, f"rtes:soutenir:{proposal.id}")
    assert colleague.text == said(
        "proposition.soutien.deja-collectivite", numero=1, nom="Alice Martin"
    )
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 1
    await rig.emu.wait_for(
        lambda: field_value(first, "proposition.post.soutiens-collectivites") == "1"
    )


async def test_pending_member_cannot_support(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    pending = await rig.elu("Paul Attente", status=EluStatus.PENDING)
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    refused = await rig.emu.click(
        rig.guild, pending.user, post(rig, proposal), f"rtes:soutenir:{proposal.id}"
    )
    assert refused.ephemeral and refused.text == said("acces.en-attente")
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 0


# ----------------------------------------------------------------------------- amendments


async def test_amendment_accepted_by_the_author_makes_a_new_version(rig) -> None:
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "Texte initial.")
    proposal = await proposal_row(rig, 1)

    opened = await rig.emu.click(
        rig.guild, bob.user, post(rig, proposal), f"rtes:amender:{proposal.id}"
    )
    assert opened.modal["components"][0]["components"][0]["value"] == "Texte initial."
    proposed = await rig.emu.submit_modal(
        rig.guild, bob.user, opened, {"texte": "Texte amendé.", "motif": "Plus clair."}
    )
    assert proposed.text == said(
        "amendement.propose", numero=1, proposition=1, lien=f"<#{proposal.thread_id}>"
    )
    (message,) = thread_messages(rig, proposal)
    assert "Texte amendé." in message.text and "Plus clair." in message.text
    assert message.content.startswith(f"<@{alice.user.id}>")  # the author is told
    assert [u.id for u in message.mentions] == [alice.user.id]
    async with rig.db.read() as session:
        amendment = (await session.execute(sa.select(Amendment))).scalar_one()
    assert amendment.message_id == message.id
    accept = f"rtes:amendement:accepter:{amendment.id}"

    by_bob = await rig.emu.click(rig.guild, bob.user, message, accept)
    assert by_bob.ephemeral and by_bob.text == said("amendement.auteur-seulement", numero=1)

    by_alice = await rig.emu.click(rig.guild, alice.user, message, accept)
    assert by_alice.text == said("amendement.accepte", numero=1, proposition=1, version=2)
    assert message.buttons == [] and said("amendement.statut.accepted") in message.text
    first = post(rig, proposal)
    await rig.emu.wait_for(lambda: "Texte amendé." in first.text)
    assert field_value(first, "proposition.post.version") == "2"
    assert setup.channels[0].tag_id("En débat") in rig.emu.channels[proposal.thread_id].applied_tags

    history = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="voir", options={"numero": 1}
    )
    assert "v1" in history.text and said("proposition.voir.origine-initiale") in history.text
    assert "v2" in history.text
    assert said("proposition.voir.origine-amendement", numero=1) in history.text
    assert "Texte amendé." in history.text
    old = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="voir", options={"numero": 1, "version": 1}
    )
    assert "Texte initial." in old.text and "Texte amendé." not in old.text
    missing = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="voir", options={"numero": 1, "version": 5}
    )
    assert missing.text == said("proposition.version-inconnue", numero=1, version=5, derniere=2)
    assert await audit_actions(rig) == [
        "proposition.deposee",
        "amendement.propose",
        "amendement.accepte",
    ]


async def test_concurrent_accepter_clicks_apply_once(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "Texte initial.")
    proposal = await proposal_row(rig, 1)
    await propose_amendment(rig, bob.user, proposal, "Texte amendé.")
    (message,) = thread_messages(rig, proposal)
    async with rig.db.read() as session:
        amendment = (await session.execute(sa.select(Amendment))).scalar_one()
    clicks = await asyncio.gather(
        *(
            rig.emu.click(
                rig.guild, alice.user, message, f"rtes:amendement:accepter:{amendment.id}"
            )
            for _ in range(5)
        )
    )
    texts = [c.text for c in clicks]
    assert texts.count(said("amendement.accepte", numero=1, proposition=1, version=2)) == 1
    assert texts.count(said("amendement.deja-decide", numero=1)) == 4
    async with rig.db.read() as session:
        versions = (await session.execute(sa.select(ProposalVersion.version))).scalars().all()
        assert sorted(versions) == [1, 2]
        assert (await service.get_by_number(session, rig.guild.id, 1)).current_version == 2
    assert (await audit_actions(rig)).count("amendement.accepte") == 1


async def test_refused_amendment_keeps_the_text(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "Texte initial.")
    proposal = await proposal_row(rig, 1)
    await propose_amendment(rig, bob.user, proposal, "Autre texte.")
    (message,) = thread_messages(rig, proposal)
    refuse = next(b["custom_id"] for b in message.buttons if ":refuser:" in b["custom_id"])
    refused = await rig.emu.click(rig.guild, alice.user, message, refuse)
    assert refused.text == said("amendement.refuse", numero=1, proposition=1, version=1)
    assert said("amendement.statut.refused") in message.text and message.buttons == []
    async with rig.db.read() as session:
        p = await service.get_by_number(session, rig.guild.id, 1)
        assert p.current_version == 1
        assert await service.current_text(session, p) == "Texte initial."


async def test_outdated_amendment_cannot_overwrite_a_newer_version(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "V1.")
    proposal = await proposal_row(rig, 1)
    await propose_amendment(rig, bob.user, proposal, "Version de Bob.")
    await propose_amendment(rig, alice.user, proposal, "Version d'Alice.")
    bob_message, alice_message = thread_messages(rig, proposal)
    async with rig.db.read() as session:
        first, second = (
            await session.execute(sa.select(Amendment).order_by(Amendment.number))
        ).scalars()
    await rig.emu.click(
        rig.guild, alice.user, alice_message, f"rtes:amendement:accepter:{second.id}"
    )
    stale = await rig.emu.click(
        rig.guild, alice.user, bob_message, f"rtes:amendement:accepter:{first.id}"
    )
    assert stale.text == said("amendement.perime", numero=1, base=1, actuelle=2)
    async with rig.db.read() as session:
        p = await service.get_by_number(session, rig.guild.id, 1)
        assert await service.current_text(session, p) == "Version d'Alice."


async def test_amender_command_refuses_unknown_and_closed_proposals(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    unknown = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="amender", options={"numero": 42}
    )
    assert unknown.ephemeral and unknown.text == said("proposition.inconnue", numero=42)

    await deposit(rig, alice.user, "Titre", "Texte")
    opened = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="amender", options={"numero": 1}
    )
    assert opened.modal is not None
    await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    closed = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="amender", options={"numero": 1}
    )
    assert closed.modal is None and closed.text == said("proposition.plus-en-debat", numero=1)
    # A modal opened before the withdrawal cannot slip an amendment in afterwards.
    late = await rig.emu.submit_modal(
        rig.guild, alice.user, opened, {"texte": "Nouveau", "motif": ""}
    )
    assert late.text == said("proposition.plus-en-debat", numero=1)
    async with rig.db.read() as session:
        assert (
            await session.execute(sa.select(sa.func.count()).select_from(Amendment))
        ).scalar_one() == 0


# ----------------------------------------------------------------------------- withdrawal, status


async def test_withdrawal_by_author_moves_the_tag_and_removes_the_buttons(rig) -> None:
    setup = await install(rig)
    forum = setup.channels[0]
    alice = await rig.elu("Alice Martin")
    bob = await rig.elu("Bob Durand")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)

    by_bob = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert by_bob.text == said("proposition.retrait-interdit", numero=1)

    done = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert done.text == said("proposition.retiree", numero=1)
    thread = rig.emu.channels[proposal.thread_id]
    await rig.emu.wait_for(lambda: thread.applied_tags == [tag_id(forum, "Retirée")])
    edits = rig.emu.requests_to("PATCH", rf"^/channels/{proposal.thread_id}$")
    assert any(r.json.get("applied_tags") == [str(tag_id(forum, "Retirée"))] for r in edits)
    first = post(rig, proposal)
    await rig.emu.wait_for(lambda: first.buttons == [])
    assert field_value(first, "proposition.post.statut") == said("proposition.statut.retiree")
    announced = said("proposition.retiree.annonce", numero=1, nom="Alice Martin")
    await rig.emu.wait_for(lambda: any(m.text == announced for m in thread_messages(rig, proposal)))

    again = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert again.text == said("proposition.plus-en-debat", numero=1)
    assert (await audit_actions(rig)).count("proposition.retiree") == 1


async def test_bureau_may_withdraw_any_proposal(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    done = await rig.emu.slash(
        rig.guild, rig.admin, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert done.text == said("proposition.retiree", numero=1)
    assert (await proposal_row(rig, 1)).status == ProposalStatus.RETIREE


async def test_status_changes_by_the_voting_cog_move_the_tag(rig) -> None:
    setup = await install(rig)
    forum = setup.channels[0]
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    thread = rig.emu.channels[proposal.thread_id]

    for status, tag in [
        (ProposalStatus.AU_VOTE, "Au vote"),
        (ProposalStatus.QUORUM_NON_ATTEINT, "Rejetée"),
    ]:
        async with rig.db.begin() as session:
            p = await service.get_by_number(session, rig.guild.id, 1)
            await service.set_status(session, p, status, actor_id=rig.admin.id)
        await refresh_proposal_post(rig.bot, proposal.id)
        assert thread.applied_tags == [tag_id(forum, tag)]
    assert field_value(post(rig, proposal), "proposition.post.statut") == said(
        "proposition.statut.quorum-non-atteint"
    )
    assert post(rig, proposal).buttons == []

    # A final status is final.
    async with rig.db.begin() as session:
        p = await service.get_by_number(session, rig.guild.id, 1)
        try:
            await service.set_status(session, p, ProposalStatus.ADOPTEE, actor_id=None)
        except service.Conflict as error:
            assert error.key == "proposition.statut-impossible"
        else:
            raise AssertionError("a final status changed")
    assert (await audit_actions(rig)).count("proposition.statut") == 2


async def test_refresh_reaches_an_archived_thread_out_of_the_cache(rig) -> None:
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    thread = rig.bot.get_guild(rig.guild.id).get_thread(proposal.thread_id)
    await thread.edit(archived=True)
    await rig.emu.wait_for(
        lambda: rig.bot.get_guild(rig.guild.id).get_thread(proposal.thread_id) is None
    )

    async with rig.db.begin() as session:
        p = await service.get_by_number(session, rig.guild.id, 1)
        await service.set_status(session, p, ProposalStatus.AU_VOTE, actor_id=None)
    await refresh_proposal_post(rig.bot, proposal.id)
    assert rig.emu.channels[proposal.thread_id].applied_tags == [
        tag_id(setup.channels[0], "Au vote")
    ]

    long_text = "\n".join(f"Ligne {i} du résultat" for i in range(200))
    await post_in_proposal_thread(
        rig.bot,
        proposal.id,
        long_text,
        files=[discord.File(io.BytesIO(b"a,b\n"), "b.csv")],
    )
    posted = thread_messages(rig, proposal)
    assert len(posted) >= 2 and all(len(m.content) <= 2000 for m in posted)
    assert "\n".join(m.content for m in posted) == long_text
    assert [a.filename for a in posted[-1].attachments] == ["b.csv"]


# ----------------------------------------------------------------------------- list, view, autocomplete


async def test_liste_filters_by_status_and_field(rig) -> None:
    await install(rig, count=2)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Monnaie locale", "Texte", domaine="finances-solidaires")
    await deposit(rig, alice.user, "Achats éthiques", "Texte", domaine="commerce-equitable")
    await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 2}
    )

    everything = await rig.emu.slash(rig.guild, alice.user, "proposition", subcommand="liste")
    assert said("proposition.liste.titre", nombre=2) in everything.text
    assert "Monnaie locale" in everything.text and "Achats éthiques" in everything.text
    open_only = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="liste", options={"statut": "en-debat"}
    )
    assert "Monnaie locale" in open_only.text and "Achats éthiques" not in open_only.text
    by_field = await rig.emu.slash(
        rig.guild,
        alice.user,
        "proposition",
        subcommand="liste",
        options={"domaine": "commerce-equitable"},
    )
    assert "Achats éthiques" in by_field.text and "Monnaie locale" not in by_field.text
    none = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="liste", options={"statut": "adoptee"}
    )
    assert none.text == said("proposition.liste.vide")
    unknown = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="liste", options={"domaine": "jardinage"}
    )
    assert unknown.text == said("proposition.domaine-inconnu", domaine="jardinage")


async def test_autocomplete_offers_numbers_and_fields(rig) -> None:
    await install(rig, count=2)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Monnaie locale", "Texte", domaine="finances-solidaires")
    await deposit(rig, alice.user, "Achats éthiques", "Texte", domaine="commerce-equitable")
    await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 2}
    )

    async def suggested(subcommand: str, option: str, typed: str) -> list[object]:
        choices = await rig.emu.autocomplete(
            rig.guild,
            alice.user,
            "proposition",
            subcommand=subcommand,
            options={option: typed},
            focused=option,
        )
        return [choice["value"] for choice in choices]

    assert await suggested("voir", "numero", "") == [2, 1]
    assert await suggested("voir", "numero", "ethiq") == [2]  # by title, accents ignored
    assert await suggested("voir", "numero", "#1") == [1]
    assert await suggested("amender", "numero", "") == [1]  # only what is en débat
    assert await suggested("deposer", "domaine", "commerce") == ["commerce-equitable"]
    fields = await rig.emu.autocomplete(
        rig.guild,
        alice.user,
        "proposition",
        subcommand="deposer",
        options={"domaine": "commerce"},
        focused="domaine",
    )
    assert fields == [{"name": FIELDS[1][1], "value": "commerce-equitable"}]


async def test_visitor_cannot_list_or_view(rig) -> None:
    await install(rig)
    visitor = rig.user("Vera Visiteuse")
    listed = await rig.emu.slash(rig.guild, visitor, "proposition", subcommand="liste")
    viewed = await rig.emu.slash(
        rig.guild, visitor, "proposition", subcommand="voir", options={"numero": 1}
    )
    assert listed.text == said("acces.adhesion-requise")
    assert viewed.text == said("acces.adhesion-requise")


async def test_english_user_gets_english_messages(rig) -> None:
    """Pins the exact English of a refusal and of the command's localised name."""
    await install(rig)
    eve = await rig.elu("Eve English", locale="en-US")
    unknown = await rig.emu.slash(
        rig.guild, eve.user, "proposition", subcommand="voir", options={"numero": 7}, locale="en-US"
    )
    assert unknown.text == (
        "There is no proposal #7. `/proposition liste` shows the existing proposals."
    )
    commands = {c["name"]: c for c in rig.emu.commands(rig.guild)}
    assert commands["proposition"]["name_localizations"]["en-US"] == "proposal"


async def test_support_rows_never_outlive_a_rolled_back_click(rig) -> None:
    """Supporting a withdrawn proposal is refused and writes nothing (no support, no audit)."""
    await install(rig)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    before = rig.emu.messages[proposal.thread_id]
    snapshot = type(before)(**{**before.__dict__})  # the message as it was, buttons included
    await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    stale = await rig.emu.click(rig.guild, alice.user, snapshot, f"rtes:soutenir:{proposal.id}")
    assert stale.text == said("proposition.plus-en-debat", numero=1)
    async with rig.db.read() as session:
        assert (
            await session.execute(sa.select(sa.func.count()).select_from(Support))
        ).scalar_one() == 0
    assert "proposition.soutenue" not in await audit_actions(rig)
