"""Where polls live (#scrutins, a proposal's thread, a field's forum — never where the command was
typed), the opening notices and the bundled reminders (once, across restarts), the turnout of
the poll message, `/scrutin emargement` and the confirmation of `/scrutin cloturer`."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from cogs.polls import _publisher as publisher_module
from rtes_bot.catalog import t
from rtes_bot.models import EluField, GuildSettings, Poll, PollNotice
from tests.emulator.harness import run_client
from tests.support.catalog import fixed_part, said, says
from tests.support.rig import TEST_TOKEN, make_bot
from tests.support.voting import (
    advance_and_run,
    close_by_command,
    give_proxy,
    one_click,
    open_poll,
    poll_message,
    poll_row,
    polls_channel,
    setup_network,
    vote_text,
)


def openings(rig: Any, person: Any) -> list[Any]:
    return [
        m
        for m in rig.emu.dms_to(person.user)
        if says(m.text, "scrutin.annonce.dm.titre")
        or t("scrutin.annonce.dm.titre", "en") in m.text
        or says(m.text, "scrutin.annonce.dm.titre-plusieurs")
    ]


def reminders(rig: Any, person: Any) -> list[Any]:
    return [m for m in rig.emu.dms_to(person.user) if says(m.text, "scrutin.rappel.titre")]


def embed_text(message: Any) -> str:
    return json.dumps(message.embeds, ensure_ascii=False)


async def notices(rig: Any, kind: str) -> list[PollNotice]:
    async with rig.db.read() as session:
        rows = await session.execute(select(PollNotice).where(PollNotice.kind == kind))
        return list(rows.scalars())


async def restart(rig: Any) -> Any:
    """Stop the bot and start a fresh one on the same database (returns its run_client)."""
    await rig.bot.close()
    await rig.db.dispose()
    second = make_bot(rig.settings, rig.clock)
    rig.bot = second
    return run_client(rig.emu, second, token=TEST_TOKEN)


async def test_a_poll_typed_in_the_bureau_channel_lives_in_scrutins_and_voters_are_told_once(
    rig: Any,
) -> None:
    await setup_network(rig)
    bureau = rig.emu.create_channel(rig.guild, "bureau")
    alice = await rig.elu("Alice Martin")
    emma = await rig.elu("Emma English", locale="en")
    quiet = await rig.elu("Odile Optout")
    async with rig.db.begin() as session:
        quiet.elu.reminders_opt_out = True
        session.add(quiet.elu)

    r = await rig.emu.slash(
        rig.guild,
        rig.admin,
        "scrutin",
        subcommand="ouvrir",
        options={"duree": "48h", "question": "Budget 2027 ?"},
        channel=bureau,
    )
    async with rig.db.read() as session:
        poll = (await session.execute(select(Poll))).scalar_one()
    scrutins = polls_channel(rig)
    assert poll.channel_id == scrutins.id != bureau.id
    assert [m for m in rig.emu.channel_messages(bureau) if not m.ephemeral] == []
    link = f"https://discord.com/channels/{rig.guild.id}/{scrutins.id}/{poll.message_id}"
    assert says(r.text, "scrutin.ouvert") and link in r.text
    # The poll message is the announcement in #scrutins: nothing else is posted there.
    await rig.bot.publisher.scheduler.wait_turn()
    assert [m.id for m in rig.emu.channel_messages(scrutins)] == [poll.message_id]

    # One DM per voter, in their language, with the link; none to who opted out.
    await rig.emu.wait_for(lambda: openings(rig, alice) and openings(rig, emma))
    (to_alice,) = openings(rig, alice)
    assert "**n°1**" in to_alice.text and link in to_alice.text
    assert says(to_alice.text, "scrutin.notice.pied")
    (to_emma,) = openings(rig, emma)
    assert t("scrutin.annonce.dm.titre", "en") in to_emma.text and link in to_emma.text
    assert openings(rig, quiet) == []
    assert (await poll_row(rig, poll.id)).opening_notified_at is not None

    # A restart sends nothing again.
    async with await restart(rig):
        await rig.bot.publisher.scheduler.wait_turn()
        await rig.bot.publisher.scheduler.wait_turn()
        assert len(openings(rig, alice)) == len(openings(rig, emma)) == 1
        assert [m.id for m in rig.emu.channel_messages(scrutins)] == [poll.message_id]
        await rig.bot.close()


async def test_an_opening_interrupted_by_a_stop_is_announced_once_by_the_next_process(
    rig: Any,
) -> None:
    """The bot stops after posting the poll message but before its scheduler announced it, and
    again after queuing the DMs but before sending them: each part is done once, afterwards."""
    from tests.support.proposals import install

    setup = await install(rig)
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    bruno = await rig.elu("Bruno Durand")
    async with rig.db.begin() as session:
        for person in (alice, bruno):
            session.add(EluField(elu_id=person.elu.id, field_id=setup.fields[0].id))
    poll, r = await open_poll(rig, question="Forum ?", domaine=setup.fields[0].slug)
    assert says(r.text, "scrutin.ouvert")
    # A field's poll lives in its forum; #scrutins gets a short post with the link.
    forum_thread = rig.emu.channels[poll.channel_id]
    assert forum_thread.parent_id == setup.channels[0].id
    scrutins = polls_channel(rig)
    await rig.bot.publisher.scheduler.wait_turn()
    await rig.emu.wait_for(lambda: openings(rig, alice) and openings(rig, bruno))
    # Pretend the first process stopped before any of this: nothing claimed, nothing sent.
    async with rig.db.begin() as session:
        await session.execute(
            update(Poll).where(Poll.id == poll.id).values(opening_notified_at=None)
        )
        await session.execute(PollNotice.__table__.delete())  # type: ignore[attr-defined]
    before_posts = len(rig.emu.channel_messages(scrutins))
    assert before_posts == 1
    (post,) = rig.emu.channel_messages(scrutins)
    assert says(post.text, "scrutin.annonce") and str(poll.message_id) in post.text

    async with await restart(rig):
        await rig.bot.publisher.scheduler.wait_turn()
        await rig.emu.wait_for(lambda: len(openings(rig, alice)) == 2)
        assert len(rig.emu.channel_messages(scrutins)) == 2  # announced again: it was not
        # Now stopped after queuing Bruno's DM again but before sending it.
        async with rig.db.begin() as session:
            await session.execute(
                update(PollNotice).where(PollNotice.elu_id == bruno.elu.id).values(sent_at=None)
            )
        await rig.bot.close()
    async with await restart(rig):
        await rig.bot.publisher.scheduler.wait_turn()
        await rig.emu.wait_for(lambda: len(openings(rig, bruno)) == 3)
        await rig.bot.publisher.scheduler.wait_turn()
        assert len(openings(rig, alice)) == 2 and len(openings(rig, bruno)) == 3
        assert len(rig.emu.channel_messages(scrutins)) == 2
        assert all(n.sent_at is not None for n in await notices(rig, "ouverture"))
        await rig.bot.close()


async def test_a_proposal_poll_lives_in_its_thread_and_is_announced_in_scrutins(rig: Any) -> None:
    from tests.support.proposals import deposit, install, proposal_row

    setup = await install(rig)
    await setup_network(rig)
    author = await rig.elu("Anne Autrice")
    await deposit(rig, author.user, "Achats locaux", "Acheter local.", domaine=setup.fields[0].slug)
    proposal = await proposal_row(rig, 1)
    poll, _ = await open_poll(rig, proposition=1)
    assert poll.channel_id == proposal.thread_id
    scrutins = polls_channel(rig)
    await rig.emu.wait_for(lambda: rig.emu.channel_messages(scrutins))
    (post,) = rig.emu.channel_messages(scrutins)
    link = f"https://discord.com/channels/{rig.guild.id}/{proposal.thread_id}/{poll.message_id}"
    assert says(post.text, "scrutin.annonce") and link in post.text
    await rig.emu.wait_for(lambda: openings(rig, author))
    assert link in openings(rig, author)[0].text


async def test_without_scrutins_opening_is_refused_and_nothing_is_written(rig: Any) -> None:
    _, r = await open_poll(rig, question="Sans salon ?")
    assert says(r.text, "scrutin.non-installe") and r.ephemeral
    await setup_network(rig)
    scrutins = polls_channel(rig)
    rig.emu.channels.pop(scrutins.id)
    rig.guild.channels.pop(scrutins.id)
    _, r = await open_poll(rig, question="Salon supprimé ?")
    assert says(r.text, "scrutin.salon-scrutins-absent"), r.text
    async with rig.db.read() as session:
        assert (await session.execute(select(func.count()).select_from(Poll))).scalar_one() == 0
        settings = await session.get(GuildSettings, rig.guild.id)
    assert settings is not None and settings.polls_channel_id == scrutins.id


async def test_reminders_are_bundled_into_one_dm_per_person_once(rig: Any) -> None:
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    bruno = await rig.elu("Bruno Durand")
    quiet = await rig.elu("Odile Optout")
    async with rig.db.begin() as session:
        quiet.elu.reminders_opt_out = True
        session.add(quiet.elu)
    first, _ = await open_poll(rig, question="Premier ?", duree="48h")
    second, _ = await open_poll(rig, question="Second ?", duree="48h")
    later, _ = await open_poll(rig, question="Plus tard ?", duree="5j")
    await vote_text(rig, bruno.user, second.number, "pour")
    await advance_and_run(rig, timedelta(hours=24, seconds=1))
    await rig.emu.wait_for(lambda: reminders(rig, alice) and reminders(rig, bruno))
    await advance_and_run(rig, timedelta(minutes=1))
    # Alice: one DM listing the three polls she has not voted in, by closing time.
    (to_alice,) = reminders(rig, alice)
    positions = [to_alice.text.index(f"**n°{p.number}**") for p in (first, second, later)]
    assert positions == sorted(positions)
    for poll in (first, second, later):
        assert f"/{poll.channel_id}/{poll.message_id}" in to_alice.text
    assert says(to_alice.text, "scrutin.rappel.titre", nombre=3)
    # Bruno voted in the second: his lists the two others only.
    (to_bruno,) = reminders(rig, bruno)
    assert "**n°2**" not in to_bruno.text and "**n°1**" in to_bruno.text
    assert reminders(rig, quiet) == []
    assert len(await notices(rig, "rappel")) == 3  # first: Alice, Bruno; second: Alice

    async with await restart(rig):
        await rig.bot.publisher.scheduler.wait_turn()
        await rig.bot.publisher.scheduler.wait_turn()
        assert len(reminders(rig, alice)) == len(reminders(rig, bruno)) == 1
        # The later poll's own reminder comes on its day, again as one DM.
        await advance_and_run(rig, timedelta(days=3))
        await rig.emu.wait_for(lambda: len(reminders(rig, alice)) == 2)
        assert "**n°3**" in reminders(rig, alice)[1].text
        await rig.bot.close()


async def test_the_poll_message_shows_turnout_against_electorate_and_quorum_live(
    rig: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publisher_module, "REFRESH_DELAY", 0.01)
    await setup_network(rig)
    people = [await rig.elu(f"Votant {i}") for i in range(4)]
    poll, _ = await open_poll(rig, question="Quorum ?", quorum=50, secret=False)
    shown = said("roll.participation.elus", votants=0, inscrits=4) + said(
        "roll.quorum", quorum=50, requis=2
    )
    assert shown in embed_text(poll_message(rig, poll))
    await one_click(rig, people[0].user, poll, "pour")
    moved = said("roll.participation.elus", votants=1, inscrits=4)
    await rig.emu.wait_for(lambda: moved in embed_text(poll_message(rig, poll)))
    no_quorum, _ = await open_poll(rig, question="Sans quorum ?")
    text = embed_text(poll_message(rig, no_quorum))
    assert said("roll.participation.elus", votants=0, inscrits=4) in text
    assert fixed_part("roll.quorum") not in text

    # A collectivités list counts weights, and says so.
    grenoble = await rig.collectivite("Grenoble", weight=3)
    lyon = await rig.collectivite("Lyon", weight=1)
    referent = await rig.elu("Rita Grenoble", collectivite=grenoble, referent=True)
    await rig.elu("Rémi Lyon", collectivite=lyon, referent=True)
    weighted, _ = await open_poll(
        rig, question="Cotisation ?", electorat="collectivites", quorum=50
    )
    await one_click(rig, referent.user, weighted, "pour")
    expected = said(
        "roll.participation.collectivites", votants=1, inscrits=2, poids=3, total=4
    ) + said("roll.quorum.poids", quorum=50, requis=2)
    await rig.emu.wait_for(lambda: expected in embed_text(poll_message(rig, weighted)))


async def test_emargement_lists_who_voted_never_how_and_only_for_the_bureau(rig: Any) -> None:
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    bruno = await rig.elu("Bruno Durand")
    zoe = await rig.elu("Zoé Zéro")
    granting = await rig.elu("Gilles Procuration")
    poll, _ = await open_poll(rig, question="Émargement ?", secret=False)
    await vote_text(rig, alice.user, poll.number, "contre")
    await give_proxy(rig, granting.user, bruno.user, poll.number)
    await vote_text(rig, bruno.user, poll.number, "pour", au_nom_de=granting.user)

    def ask(user: Any, number: int) -> Any:
        return rig.emu.slash(
            rig.guild, user, "scrutin", subcommand="emargement", options={"numero": number}
        )

    listing = await ask(rig.admin, poll.number)
    assert listing.ephemeral and says(
        listing.text,
        "roll.titre",
        numero=1,
        question="Émargement ?",
        participation=said("roll.participation.elus", votants=2, inscrits=4),
    )
    voted_part, waiting_part = listing.text.split(fixed_part("roll.pas-vote"))
    assert "Alice Martin" in voted_part and "Gilles Procuration" in voted_part
    assert f"Gilles Procuration ({said('roll.par-procuration')})" in voted_part
    assert "Bruno Durand" in waiting_part and "Zoé Zéro" in waiting_part
    for secret in ("pour", "contre", "Pour", "Contre"):
        assert secret not in listing.text

    refused = await ask(zoe.user, poll.number)
    assert says(refused.text, "acces.bureau-requis") and "Alice" not in refused.text
    choices = await rig.emu.autocomplete(
        rig.guild, rig.admin, "scrutin", subcommand="emargement", options={"numero": ""}
    )
    assert [c["value"] for c in choices] == [poll.number]

    # Closed polls too; a long list goes as a file.
    await close_by_command(rig.emu, rig.guild, rig.admin, poll.number)
    closed = await ask(rig.admin, poll.number)
    assert fixed_part("roll.pas-vote.clos") in closed.text
    for i in range(120):
        await rig.elu(f"Élue numéro {i:03d} avec un nom assez long pour remplir")
    big, _ = await open_poll(rig, question="Grand ?")
    long = await ask(rig.admin, big.number)
    assert says(long.text, "roll.fichier")
    (attached,) = long.message.attachments
    body = attached.data.decode()
    assert "Élue numéro 119" in body and fixed_part("roll.pas-vote") in body


async def test_cloturer_asks_first_and_cancel_closes_nothing(rig: Any) -> None:
    await setup_network(rig)
    poll, _ = await open_poll(rig, question="Clore ?")
    asked = await rig.emu.slash(
        rig.guild, rig.admin, "scrutin", subcommand="cloturer", options={"numero": poll.number}
    )
    assert says(asked.text, "scrutin.cloturer.question") and asked.ephemeral
    assert (await poll_row(rig, poll.id)).status == "open"
    cancelled = await rig.emu.click(
        rig.guild, rig.admin, asked.message, label=t("commun.annuler", "fr")
    )
    assert cancelled.message.content == t("commun.annule", "fr")
    assert (await poll_row(rig, poll.id)).status == "open"
    done = await close_by_command(rig.emu, rig.guild, rig.admin, poll.number)
    assert says(done.text, "scrutin.cloture-anticipee")
    assert (await poll_row(rig, poll.id)).status == "closed"
