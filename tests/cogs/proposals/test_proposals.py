"""Proposals end to end: the real bot, through the Discord emulator, on SQLite and PostgreSQL.

Deposit in a field's forum (tag, post, buttons), supports, amendments accepted or refused by the
author, history, list, withdrawal, tag moves, and the refusals (visitor, pending, unknown number,
non-author, closed proposal), with concurrent clicks applied once and nothing half-written.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import discord
import sqlalchemy as sa

from cogs.proposals import post_in_proposal_thread, refresh_proposal_post
from rtes_bot.models import (
    Amendment,
    AuditEvent,
    EluStatus,
    FieldOfAction,
    GuildSettings,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Support,
    utcnow,
)
from rtes_bot.services import proposals as service

TAGS = ("En débat", "Au vote", "Adoptée", "Rejetée", "Retirée")
FIELDS = (
    ("finances-solidaires", "Création d'activités, finances solidaires"),
    ("commerce-equitable", "Commerce équitable, achat éthique"),
    ("cooperation", "Coopération internationale"),
)


@dataclass
class Setup:
    fields: list[FieldOfAction]
    channels: list[Any]  # emulator channels (forums, or text channels)


async def install(
    rig: Any,
    *,
    count: int = 1,
    text_channels: bool = False,
    per_collectivite: bool = False,
    retired: int = 0,
) -> Setup:
    """Fields of action with their forums, created as the installer would: by the bot's REST calls."""
    guild = rig.bot.get_guild(rig.guild.id)
    async with rig.db.begin() as session:
        session.add(
            GuildSettings(
                guild_id=rig.guild.id,
                forums_are_text_channels=text_channels,
                supports_per_collectivite=per_collectivite,
            )
        )
    fields, channels = [], []
    for position, (slug, name) in enumerate(FIELDS[: count + retired]):
        if text_channels:
            channel = await guild.create_text_channel(slug)
        else:
            channel = await guild.create_forum(
                slug, available_tags=[discord.ForumTag(name=tag) for tag in TAGS]
            )
        async with rig.db.begin() as session:
            field = FieldOfAction(
                guild_id=rig.guild.id,
                slug=slug,
                name=name,
                position=position,
                forum_channel_id=channel.id,
                retired_at=utcnow() if position >= count else None,
            )
            session.add(field)
            await session.flush()
        fields.append(field)
        channels.append(rig.emu.channels[channel.id])
    return Setup(fields, channels)


def tag_id(channel: Any, name: str) -> int:
    found = channel.tag_id(name)
    assert found is not None, name
    return found


async def deposit(rig: Any, user: Any, title: str, text: str, domaine: str | None = None) -> Any:
    options = {"domaine": domaine} if domaine else {}
    opened = await rig.emu.slash(
        rig.guild, user, "proposition", subcommand="deposer", options=options
    )
    assert opened.modal is not None, opened.text
    return await rig.emu.submit_modal(rig.guild, user, opened, {"titre": title, "texte": text})


async def proposal_row(rig: Any, number: int) -> Proposal:
    async with rig.db.read() as session:
        return await service.get_by_number(session, rig.guild.id, number)


async def audit_actions(rig: Any) -> list[str]:
    async with rig.db.read() as session:
        result = await session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id))
        return list(result.scalars())


def post(rig: Any, proposal: Proposal) -> Any:
    """The post's first message (its id is the thread's)."""
    assert proposal.thread_id is not None
    return rig.emu.messages[proposal.thread_id]


def field_value(message: Any, name: str) -> str:
    for field in message.embeds[0].get("fields", []):
        if field["name"] == name:
            return field["value"]
    raise AssertionError(f"no field {name!r} in {message.embeds[0]}")


def thread_messages(rig: Any, proposal: Proposal) -> list[Any]:
    """Messages the bot posted in the thread (not the post, not interaction answers)."""
    return [
        m
        for m in rig.emu.channel_messages(proposal.thread_id)
        if m.id != proposal.thread_id and not m.ephemeral and m.interaction_id is None
    ]


# ----------------------------------------------------------------------------- deposit


async def test_deposit_opens_a_forum_post_tagged_en_debat_with_soutenir_and_amender(rig) -> None:
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
    assert "proposition n°1" in done.text and "est déposée" in done.text
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
    assert field_value(first, "Déposée par") == "Alice Martin (Grenoble)"
    assert field_value(first, "Soutiens") == "0"
    assert field_value(first, "Statut") == "En débat"
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
    assert opened.ephemeral and "Dans quel champ d'action" in opened.text
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
    assert "n°1" in done.text
    assert len(rig.emu.threads(setup.channels[1])) == 1
    assert rig.emu.threads(setup.channels[0]) == []

    second = await deposit(rig, bob.user, "Deuxième", "Encore.", domaine="finances-solidaires")
    assert "n°2" in second.text


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
    assert "réservée aux élu·es membres" in as_visitor.text
    assert as_pending.modal is None and "en attente de validation" in as_pending.text
    assert rig.emu.threads(setup.channels[0]) == []


async def test_blank_title_is_refused_and_nothing_is_written(rig) -> None:
    setup = await install(rig)
    alice = await rig.elu("Alice Martin")
    done = await deposit(rig, alice.user, "   ", "Un texte.")
    assert "Le titre est vide" in done.text
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
    assert "est introuvable" in done.text and "rien n'a été enregistré" in done.text
    async with rig.db.read() as session:
        assert await service.count(session, rig.guild.id) == 0
    assert await audit_actions(rig) == []


async def test_concurrent_deposits_get_distinct_sequential_numbers(rig) -> None:
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
    assert all("est déposée" in d.text for d in done)
    async with rig.db.read() as session:
        numbers = sorted(p.number for p in await service.search(session, rig.guild.id))
    assert numbers == [1, 2, 3, 4]
    assert len(rig.emu.threads(setup.channels[0])) == 4


async def test_text_channel_mode_opens_a_thread_on_a_message(rig) -> None:
    setup = await install(rig, text_channels=True)
    channel = setup.channels[0]
    alice = await rig.elu("Alice Martin")
    done = await deposit(rig, alice.user, "Un titre", "Un texte")
    assert "est déposée" in done.text
    (thread,) = rig.emu.threads(channel)
    assert thread.name == "[En débat] #1 · Un titre"
    proposal = await proposal_row(rig, 1)
    starter = rig.emu.messages[proposal.thread_id]
    assert starter.channel_id == channel.id  # the buttons are on the message in the channel
    assert f"rtes:soutenir:{proposal.id}" in {b["custom_id"] for b in starter.buttons}

    supported = await rig.emu.click(rig.guild, alice.user, starter, f"rtes:soutenir:{proposal.id}")
    assert "est enregistré" in supported.text
    await rig.emu.wait_for(lambda: field_value(starter, "Soutiens") == "1")

    withdrawn = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert "est retirée" in withdrawn.text
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
    assert given.ephemeral and "Votre soutien à la proposition n°1 est enregistré (1" in given.text
    await rig.emu.wait_for(lambda: field_value(first, "Soutiens") == "1")
    assert rig.emu.requests_to(
        "PATCH", rf"^/channels/{proposal.thread_id}/messages/{proposal.thread_id}$"
    )

    again = await rig.emu.click(rig.guild, bob.user, first, soutenir)
    assert "Vous soutenez déjà" in again.text
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 1
    withdraw_id = f"rtes:retirer-soutien:{proposal.id}"
    withdrawn = await rig.emu.click(rig.guild, bob.user, again.message, withdraw_id)
    assert "est retiré (0" in withdrawn.text
    await rig.emu.wait_for(lambda: field_value(first, "Soutiens") == "0")
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
    assert sum("est enregistré" in c.text for c in clicks) == 1
    assert sum("Vous soutenez déjà" in c.text for c in clicks) == 7
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 1
    assert (await audit_actions(rig)).count("proposition.soutenue") == 1
    await rig.emu.wait_for(lambda: field_value(first, "Soutiens") == "1")


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
    assert "Votre collectivité soutient déjà" in colleague.text and "Alice Martin" in colleague.text
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 1
    await rig.emu.wait_for(lambda: field_value(first, "Soutiens (collectivités)") == "1")


async def test_pending_member_cannot_support(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    pending = await rig.elu("Paul Attente", status=EluStatus.PENDING)
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    refused = await rig.emu.click(
        rig.guild, pending.user, post(rig, proposal), f"rtes:soutenir:{proposal.id}"
    )
    assert refused.ephemeral and "en attente de validation" in refused.text
    async with rig.db.read() as session:
        assert await service.support_count(session, proposal.id) == 0


# ----------------------------------------------------------------------------- amendments


async def propose_amendment(
    rig: Any, user: Any, proposal: Proposal, text: str, motif: str = ""
) -> Any:
    opened = await rig.emu.click(
        rig.guild, user, post(rig, proposal), f"rtes:amender:{proposal.id}"
    )
    assert opened.modal is not None, opened.text
    return await rig.emu.submit_modal(rig.guild, user, opened, {"texte": text, "motif": motif})


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
    assert "Votre amendement n°1 à la proposition n°1 est publié" in proposed.text
    (message,) = thread_messages(rig, proposal)
    assert "Texte amendé." in message.text and "Plus clair." in message.text
    assert message.content.startswith(f"<@{alice.user.id}>")  # the author is told
    assert [u.id for u in message.mentions] == [alice.user.id]
    async with rig.db.read() as session:
        amendment = (await session.execute(sa.select(Amendment))).scalar_one()
    assert amendment.message_id == message.id
    accept = f"rtes:amendement:accepter:{amendment.id}"

    by_bob = await rig.emu.click(rig.guild, bob.user, message, accept)
    assert by_bob.ephemeral and "Seul·e l'auteur·rice de la proposition n°1" in by_bob.text

    by_alice = await rig.emu.click(rig.guild, alice.user, message, accept)
    assert "passe à la version 2" in by_alice.text
    assert message.buttons == [] and "Accepté" in message.text
    first = post(rig, proposal)
    await rig.emu.wait_for(lambda: "Texte amendé." in first.text)
    assert field_value(first, "Version du texte") == "2"
    assert setup.channels[0].tag_id("En débat") in rig.emu.channels[proposal.thread_id].applied_tags

    history = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="voir", options={"numero": 1}
    )
    assert "v1" in history.text and "texte initial" in history.text
    assert "v2" in history.text and "amendement n°1" in history.text
    assert "Texte amendé." in history.text
    old = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="voir", options={"numero": 1, "version": 1}
    )
    assert "Texte initial." in old.text and "Texte amendé." not in old.text
    missing = await rig.emu.slash(
        rig.guild, bob.user, "proposition", subcommand="voir", options={"numero": 1, "version": 5}
    )
    assert "n'a pas de version 5" in missing.text
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
    assert sum("passe à la version 2" in c.text for c in clicks) == 1
    assert sum("a déjà été traité" in c.text for c in clicks) == 4
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
    assert "texte de la proposition n°1 reste inchangé" in refused.text
    assert "Refusé" in message.text and message.buttons == []
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
    assert "porte sur la version 1" in stale.text
    async with rig.db.read() as session:
        p = await service.get_by_number(session, rig.guild.id, 1)
        assert await service.current_text(session, p) == "Version d'Alice."


async def test_amender_command_refuses_unknown_and_closed_proposals(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    unknown = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="amender", options={"numero": 42}
    )
    assert unknown.ephemeral and "Il n'y a pas de proposition n°42" in unknown.text

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
    assert closed.modal is None and "n'est plus en débat" in closed.text
    # A modal opened before the withdrawal cannot slip an amendment in afterwards.
    late = await rig.emu.submit_modal(
        rig.guild, alice.user, opened, {"texte": "Nouveau", "motif": ""}
    )
    assert "n'est plus en débat" in late.text
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
    assert "Seul·e l'auteur·rice de la proposition n°1 ou le bureau" in by_bob.text

    done = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert "La proposition n°1 est retirée" in done.text
    thread = rig.emu.channels[proposal.thread_id]
    await rig.emu.wait_for(lambda: thread.applied_tags == [tag_id(forum, "Retirée")])
    edits = rig.emu.requests_to("PATCH", rf"^/channels/{proposal.thread_id}$")
    assert any(r.json.get("applied_tags") == [str(tag_id(forum, "Retirée"))] for r in edits)
    first = post(rig, proposal)
    await rig.emu.wait_for(lambda: first.buttons == [])
    assert field_value(first, "Statut") == "Retirée"
    await rig.emu.wait_for(
        lambda: any("retirée par Alice Martin" in m.text for m in thread_messages(rig, proposal))
    )

    again = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert "n'est plus en débat" in again.text
    assert (await audit_actions(rig)).count("proposition.retiree") == 1


async def test_bureau_may_withdraw_any_proposal(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    done = await rig.emu.slash(
        rig.guild, rig.admin, "proposition", subcommand="retirer", options={"numero": 1}
    )
    assert "est retirée" in done.text
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
    assert field_value(post(rig, proposal), "Statut") == "Quorum non atteint"
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
        files=[discord.File(__import__("io").BytesIO(b"a,b\n"), "b.csv")],
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
    assert "Propositions (2)" in everything.text
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
    assert "Aucune proposition ne correspond" in none.text
    unknown = await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="liste", options={"domaine": "jardinage"}
    )
    assert "« jardinage » n'existe pas" in unknown.text


async def test_autocomplete_offers_numbers_and_fields(rig) -> None:
    await install(rig, count=2)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Monnaie locale", "Texte", domaine="finances-solidaires")
    await deposit(rig, alice.user, "Achats éthiques", "Texte", domaine="commerce-equitable")
    await rig.emu.slash(
        rig.guild, alice.user, "proposition", subcommand="retirer", options={"numero": 2}
    )

    every = await rig.emu.autocomplete(
        rig.guild,
        alice.user,
        "proposition",
        subcommand="voir",
        options={"numero": ""},
        focused="numero",
    )
    assert [c["value"] for c in every] == [2, 1]
    by_title = await rig.emu.autocomplete(
        rig.guild,
        alice.user,
        "proposition",
        subcommand="voir",
        options={"numero": "ethiq"},
        focused="numero",
    )
    assert [c["value"] for c in by_title] == [2]
    amendable = await rig.emu.autocomplete(
        rig.guild,
        alice.user,
        "proposition",
        subcommand="amender",
        options={"numero": ""},
        focused="numero",
    )
    assert [c["value"] for c in amendable] == [1]
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
    assert "réservée aux élu·es membres" in listed.text
    assert "réservée aux élu·es membres" in viewed.text


async def test_english_user_gets_english_messages(rig) -> None:
    await install(rig)
    eve = await rig.elu("Eve English", locale="en-US")
    unknown = await rig.emu.slash(
        rig.guild, eve.user, "proposition", subcommand="voir", options={"numero": 7}, locale="en-US"
    )
    assert "There is no proposal #7" in unknown.text
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
    assert "n'est plus en débat" in stale.text
    async with rig.db.read() as session:
        assert (
            await session.execute(sa.select(sa.func.count()).select_from(Support))
        ).scalar_one() == 0
    assert "proposition.soutenue" not in await audit_actions(rig)
