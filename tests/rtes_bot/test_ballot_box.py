"""The rebuilt poll lifecycle end to end (emulator + real bot + real database, SQLite and
PostgreSQL): one-step `/voter` and « Changer mon vote », one-click Pour / Contre / Abstention,
« Vouliez-vous dire … ? », incomplete text ballots, the electorate fixed at opening (liste
d'émargement), erasure then re-registration, and the order of proxies; and, at the service
level, the group commit's batch of first ballots.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from rtes_bot.catalog import t
from rtes_bot.models import (
    Ballot,
    ElectorateEntry,
    Elu,
    EluStatus,
    FieldOfAction,
    Poll,
    SealedBallot,
)
from rtes_bot.services import ballots, polls
from tests.emulator.harness import run_client
from tests.support.catalog import said, says
from tests.support.onboarding import (
    card_of,
    elu_of,
    installed,
    register,
)
from tests.support.rig import TEST_MASTER_KEY, TEST_TOKEN, make_bot
from tests.support.voting import (
    advance_and_run,
    one_click,
    open_poll,
    open_ui,
    poll_message,
    poll_row,
    setup_network,
    submit_ui,
    ui_step,
    vote_text,
)

LIST_FIXED = "ne figurez pas sur la liste d'émargement du scrutin n°"


# ----------------------------------------------------------------------------- helpers


async def entry(rig: Any, poll_id: int, voter_ref: str) -> ElectorateEntry | None:
    async with rig.db.read() as session:
        return await session.get(ElectorateEntry, (poll_id, voter_ref), populate_existing=True)


async def entry_of_elu(rig: Any, poll_id: int, elu_id: int) -> ElectorateEntry:
    """An élu's own vote on the list (after an erasure it names nobody: found by its caster)."""
    async with rig.db.read() as session:
        rows = await session.execute(
            select(ElectorateEntry).where(
                ElectorateEntry.poll_id == poll_id, ElectorateEntry.elu_id == elu_id
            )
        )
        return rows.scalars().one()


async def listed(rig: Any, poll_id: int) -> set[str]:
    async with rig.db.read() as session:
        return {e.voter_ref for e in await ballots.entries(session, poll_id)}


async def sealed_rows(rig: Any, poll_id: int) -> list[bytes]:
    async with rig.db.read() as session:
        result = await session.execute(
            select(SealedBallot.sealed)
            .where(SealedBallot.poll_id == poll_id)
            .order_by(SealedBallot.id)
        )
        return [bytes(row) for row in result.scalars()]


async def turnout(rig: Any, poll_id: int) -> int:
    async with rig.db.read() as session:
        return await ballots.turnout(session, poll_id)


async def live_contents(rig: Any, poll_id: int) -> list[Any]:
    """The counted contents of an open poll right now (opened with the server's key)."""
    async with rig.db.read() as session:
        poll = await session.get(Poll, poll_id, populate_existing=True)
        final = await ballots.live_ballots(session, poll, rig.bot.ballot_box.master_key)
    return [b.content for b in final.counted]


async def close_now(rig: Any, poll: Any) -> Any:
    assert await rig.bot.publisher.close_and_publish(poll.id, actor_id=None, reason="test")
    return await poll_row(rig, poll.id)


async def proxy(rig: Any, user: Any, sub: str, **options: Any) -> Any:
    r = await rig.emu.slash(rig.guild, user, "procuration", subcommand=sub, options=options)
    await r.wait_done()
    return r


async def validate(rig: Any, user: Any) -> Elu:
    """The bureau validates a pending registration from its card (the real button)."""
    elu = await elu_of(rig, user)
    assert elu is not None and elu.status == EluStatus.PENDING
    card = card_of(rig, elu.id)
    done = await rig.emu.click(rig.guild, rig.admin, card, f"rtes:adhesion:valider:{elu.id}")
    await done.wait_done()
    elu = await elu_of(rig, user)
    assert elu.status == EluStatus.ACTIVE, done.text
    return elu


# ----------------------------------------------------------------------------- one-step voting


async def test_voter_stores_at_once_and_changer_mon_vote_reopens_the_ui_and_replaces(
    rig: Any,
) -> None:
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    bruno = await rig.elu("Bruno Petit")
    poll, _ = await open_poll(
        rig, question="Quel projet ?", methode="choix-unique", options="Alpha; Bravo; Charlie"
    )
    ref = f"elu:{alice.elu.id}"

    r, answer = await vote_text(rig, alice.user, poll.number, "bravo")
    assert r is answer and r.ephemeral
    assert says(r.text, "vote.enregistre", numero=1, bulletin="Bravo")
    changer = f"rtes:changer:{poll.id}:0"
    assert [b["custom_id"] for b in r.message.buttons] == [changer]
    assert r.message.find_component("rtes:bulletin:confirmer") is None
    assert (await entry(rig, poll.id, ref)).voted and await turnout(rig, poll.id) == 1
    assert await live_contents(rig, poll.id) == [[1]]

    # « Changer mon vote »: the ballot UI again, for the same vote; the new ballot replaces it.
    ui = await rig.emu.click(rig.guild, alice.user, r.message, changer)
    await ui.wait_done()
    assert ui.ephemeral and "Scrutin n°1" in ui.text
    assert ui.message.find_component("rtes:bulletin:valider")["disabled"] is True
    ui = await ui_step(rig, alice.user, ui, "rtes:bulletin:choix", values=["Charlie"])
    done = await submit_ui(rig, alice.user, ui)
    assert says(done.text, "vote.remplace", numero=1, bulletin="Charlie")
    assert done.message.find_component(changer)
    assert await turnout(rig, poll.id) == 1
    assert await live_contents(rig, poll.id) == [[2]]
    # Sealed rows are appended (a replacement writes what a first ballot writes), all of one
    # size, and none holds the ballot or the voter in clear.
    rows = await sealed_rows(rig, poll.id)
    assert len(rows) == 2 and {len(row) for row in rows} == {ballots.SEALED_SIZE}
    assert not any(b"Charlie" in row or ref.encode() in row for row in rows)

    # A change by text replaces it too: the last ballot counts.
    _, again = await vote_text(rig, alice.user, poll.number, "1")
    assert says(again.text, "vote.remplace", numero=1, bulletin="Alpha")
    _, other = await vote_text(rig, bruno.user, poll.number, "Charlie")
    assert says(other.text, "vote.enregistre")
    closed = await close_now(rig, poll)
    assert closed.result["turnout"] == 2
    assert await sealed_rows(rig, poll.id) == []
    async with rig.db.read() as session:
        published = (
            (await session.execute(select(Ballot.content).where(Ballot.poll_id == poll.id)))
            .scalars()
            .all()
        )
    assert sorted(published) == [[0], [2]]
    # After closing the button refuses: nothing stored.
    late = await rig.emu.click(rig.guild, alice.user, again.message, changer)
    await late.wait_done()
    assert (
        says(late.text, "vote.scrutin-clos")
        and late.message.find_component("rtes:bulletin:valider") is None
    )


async def test_changer_mon_vote_with_a_proxy_replaces_the_grantors_ballot_only(rig: Any) -> None:
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Mandataire")
    poll, _ = await open_poll(rig, question="Le plan ?")
    r = await proxy(rig, grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee")
    r, _ = await vote_text(rig, holder.user, poll.number, "contre", au_nom_de=grantor.user)
    assert says(r.text, "vote.enregistre") and says(r.text, "vote.au-nom-de", nom="Gaston Mandant")
    changer = f"rtes:changer:{poll.id}:{grantor.user.id}"
    ui = await rig.emu.click(rig.guild, holder.user, r.message, changer)
    await ui.wait_done()
    assert says(ui.text, "vote.au-nom-de", nom="Gaston Mandant")
    ui = await ui_step(rig, holder.user, ui, "rtes:bulletin:pour")
    done = await submit_ui(rig, holder.user, ui)
    assert says(done.text, "vote.remplace") and "Gaston Mandant" in done.text
    assert (await entry(rig, poll.id, f"elu:{grantor.elu.id}")).voted
    assert not (await entry(rig, poll.id, f"elu:{holder.elu.id}")).voted
    assert await live_contents(rig, poll.id) == ["pour"]
    # That button votes for the grantor with the proxy: the grantor clicking it is refused.
    refused = await rig.emu.click(rig.guild, grantor.user, r.message, changer)
    await refused.wait_done()
    assert refused.message.find_component("rtes:bulletin:valider") is None
    assert says(refused.text, "procuration.soi-meme")


async def test_one_click_pour_contre_answers_ephemerally_updates_turnout_and_replaces(
    rig: Any,
) -> None:
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    bruno = await rig.elu("Bruno Petit")
    poll, _ = await open_poll(rig, question="Adhérer au collectif ?")
    message = poll_message(rig, poll)
    assert [b["custom_id"] for b in message.buttons] == [
        f"rtes:vote:{poll.id}:{choice}" for choice in ("pour", "contre", "abstention")
    ]
    assert message.find_component(f"rtes:voter:{poll.id}") is None

    r = await one_click(rig, alice.user, poll, "pour")
    assert r.ephemeral and says(r.text, "vote.enregistre", numero=1, bulletin="Pour")
    assert r.message.find_component(f"rtes:changer:{poll.id}:0")
    assert not message.deleted and "Bulletin" not in message.text  # the poll message is public
    shown = said("roll.participation.elus", votants=1, inscrits=2)
    await rig.emu.wait_for(lambda: shown in poll_message(rig, poll).text)

    r = await one_click(rig, alice.user, poll, "contre")
    assert r.ephemeral and says(r.text, "vote.remplace", numero=1, bulletin="Contre")
    assert await turnout(rig, poll.id) == 1
    assert await live_contents(rig, poll.id) == ["contre"]
    r = await one_click(rig, bruno.user, poll, "abstention")
    assert says(r.text, "vote.enregistre") and "**Abstention**" in r.text
    shown = said("roll.participation.elus", votants=2, inscrits=2)
    await rig.emu.wait_for(lambda: shown in poll_message(rig, poll).text)

    closed = await close_now(rig, poll)
    assert closed.result["counts"] == {"pour": 0, "contre": 1, "abstention": 1}
    final = poll_message(rig, poll)
    assert final.find_component(f"rtes:vote:{poll.id}:pour") is None
    assert final.find_component(f"rtes:voter:{poll.id}")["disabled"] is True


async def test_vouliez_vous_dire_button_votes_the_corrected_ballot(rig: Any) -> None:
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    poll, _ = await open_poll(
        rig, question="Quel projet ?", methode="classement", options="Alpha; Bravo; Charlie"
    )
    ref = f"elu:{alice.elu.id}"

    r, _ = await vote_text(rig, alice.user, poll.number, "Alpah > Charlie")
    assert (
        says(r.text, "vote.vouliez-vous-dire") and "**Alpha > Charlie**" in r.text and r.ephemeral
    )
    assert [b["custom_id"] for b in r.message.buttons] == ["rtes:bulletin:suggestion"]
    assert "Alpha > Charlie" in r.message.buttons[0]["label"]
    assert not (await entry(rig, poll.id, ref)).voted and await sealed_rows(rig, poll.id) == []

    done = await rig.emu.click(rig.guild, alice.user, r.message, "rtes:bulletin:suggestion")
    await done.wait_done()
    assert says(done.text, "vote.enregistre", numero=1, bulletin="Alpha > Charlie")
    assert done.message.find_component(f"rtes:changer:{poll.id}:0")
    assert (await entry(rig, poll.id, ref)).voted
    assert await live_contents(rig, poll.id) == [{"0": 1, "2": 2}]

    # No single close match: no button, nothing stored, the syntax is recalled.
    single, _ = await open_poll(
        rig, question="Lequel ?", methode="choix-unique", options="Bravo; Brava; Charlie"
    )
    for text in ("Brav", "Zulu"):
        r, _ = await vote_text(rig, alice.user, single.number, text)
        assert r.message.find_component("rtes:bulletin:suggestion") is None, text
        assert not says(r.text, "vote.enregistre") and says(r.text, "vote.syntaxe.choix-unique")
    assert await turnout(rig, single.id) == 0


async def test_incomplete_text_ballots_are_refused_naming_the_missing_options(rig: Any) -> None:
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    mj, _ = await open_poll(
        rig,
        question="Mentions ?",
        methode="jugement-majoritaire",
        options="Un; Deux; Trois",
    )
    r, _ = await vote_text(rig, alice.user, mj.number, "Un: Bien")
    assert t("counting.parse.missing_grades", "fr", options="« Deux », « Trois »") in r.text
    assert not says(r.text, "vote.enregistre")
    assert r.message.find_component("rtes:bulletin:suggestion") is None
    scores, _ = await open_poll(rig, question="Notes ?", methode="notes", options="X; Y; Z")
    r, _ = await vote_text(rig, alice.user, scores.number, "Y: 4")
    assert "« X »" in r.text and "« Z »" in r.text and "« Y »" not in r.text
    assert not says(r.text, "vote.enregistre")
    assert await turnout(rig, mj.id) == 0 and await turnout(rig, scores.id) == 0
    assert await sealed_rows(rig, mj.id) == [] and await sealed_rows(rig, scores.id) == []
    _, done = await vote_text(rig, alice.user, mj.number, "Un: Bien; Deux: 0; Trois: Excellent")
    assert "**Un: Bien; Deux: À rejeter; Trois: Excellent**" in done.text


# ----------------------------------------------------------------------------- the fixed list


async def test_the_electorate_is_fixed_at_opening(rig: Any) -> None:
    grenoble = await installed(rig)
    insider = await rig.elu("Ines Interne")
    outsider = await rig.elu("Omar Dehors")
    third = await rig.elu("Théo Tiers")
    fourth = await rig.elu("Fatou Quatre")
    late = rig.user("Lina Tardive")
    await register(rig, late, collectivite_id=grenoble.id)  # pending at opening
    async with rig.db.read() as session:
        field = (
            (await session.execute(select(FieldOfAction).order_by(FieldOfAction.position)))
            .scalars()
            .first()
        )
    menu = await rig.emu.slash(rig.guild, insider.user, "domaines", subcommand="choisir")
    await rig.emu.click(
        rig.guild, insider.user, menu.message, "domaines:choisir", values=[str(field.id)]
    )
    scoped, _ = await open_poll(rig, question="Label ?", domaine=field.slug)
    network, _ = await open_poll(rig, question="Budget ?", quorum=50)
    assert await listed(rig, scoped.id) == {f"elu:{insider.elu.id}"}
    assert await listed(rig, network.id) == {
        f"elu:{p.elu.id}" for p in (insider, outsider, third, fourth)
    }
    assert (await poll_row(rig, network.id)).electorate_weight == 4

    # An outsider, refused, joins the field: still refused in that poll.
    r, _ = await vote_text(rig, outsider.user, scoped.number, "pour")
    assert says(r.text, "vote.hors-domaine")
    menu = await rig.emu.slash(rig.guild, outsider.user, "domaines", subcommand="choisir")
    chose = await rig.emu.click(
        rig.guild, outsider.user, menu.message, "domaines:choisir", values=[str(field.id)]
    )
    assert field.name in chose.text
    assert field.name in rig.emu.member_role_names(rig.guild, outsider.user)
    r, _ = await vote_text(rig, outsider.user, scoped.number, "pour")
    assert says(r.text, "vote.hors-domaine") and "arrêté·es à son ouverture" in r.text
    r = await one_click(rig, outsider.user, scoped, "pour")
    assert says(r.text, "vote.hors-domaine")
    choices = await rig.emu.autocomplete(
        rig.guild, outsider.user, "voter", options={"scrutin": ""}, focused="scrutin"
    )
    assert [c["value"] for c in choices] == [network.number]

    # A member validated after opening is not on the list either.
    newcomer = await validate(rig, late)
    r, _ = await vote_text(rig, late, network.number, "pour")
    assert LIST_FIXED + str(network.number) in r.text
    r = await one_click(rig, late, network, "pour")
    assert LIST_FIXED + str(network.number) in r.text
    assert f"elu:{newcomer.id}" not in await listed(rig, network.id)
    assert await turnout(rig, scoped.id) == 0 and await turnout(rig, network.id) == 0

    # The quorum is counted on the list of the opening: 2 of 4 reach 50 % (of 5 they would not).
    for person in (insider, third):
        _, done = await vote_text(rig, person.user, network.number, "pour")
        assert says(done.text, "vote.enregistre")
    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, network.id)
    assert closed.electorate_weight == 4 and closed.result["quorum_required"] == "2"
    assert closed.outcome == "adoptee" and closed.result["turnout"] == 2


async def test_erased_then_registered_again_cannot_vote_again_and_the_first_ballot_counts(
    rig: Any,
) -> None:
    grenoble = await installed(rig)
    zoe = await rig.elu("Zoé Zèle", collectivite=grenoble)
    other = await rig.elu("Odile Autre", collectivite=grenoble)
    poll, _ = await open_poll(rig, question="Secret ?")
    assert (await poll_row(rig, poll.id)).secret
    old_ref = f"elu:{zoe.elu.id}"
    _, done = await vote_text(rig, zoe.user, poll.number, "pour")
    assert says(done.text, "vote.enregistre")
    await one_click(rig, other.user, poll, "contre")

    asked = await rig.emu.slash(rig.guild, zoe.user, "mes-donnees", subcommand="effacer")
    await asked.wait_done()
    erased = await rig.emu.click(rig.guild, zoe.user, asked.message, label="Effacer mes données")
    assert says(erased.message.content, "donnees.effacer.fait")
    struck = await entry_of_elu(rig, poll.id, zoe.elu.id)
    assert struck.struck and struck.voted and struck.voter_ref != old_ref

    # The same Discord account registers again and is validated: a new élu, not on the list,
    # and the erased vote stays struck.
    await register(rig, zoe.user, collectivite_id=grenoble.id)
    again = await validate(rig, zoe.user)
    assert again.id != zoe.elu.id

    async def refused(expected: str) -> None:
        r, _ = await vote_text(rig, zoe.user, poll.number, "contre")
        assert expected in r.text and "Bulletin" not in r.text, r.text
        r = await one_click(rig, zoe.user, poll, "abstention")
        assert expected in r.text and "Bulletin" not in r.text, r.text
        assert await turnout(rig, poll.id) == 2
        assert sorted(await live_contents(rig, poll.id)) == ["contre", "pour"]

    # The erasure unlinked the account from the erased vote (struck, still counted): the new
    # élu is simply not on the list.
    await refused(LIST_FIXED + str(poll.number))
    assert f"elu:{again.id}" not in await listed(rig, poll.id)

    # After a restart (the list read again from the database): still refused.
    await rig.bot.close()
    second = make_bot(rig.settings, rig.clock)
    async with run_client(rig.emu, second, token=TEST_TOKEN):
        rig.bot = second
        await refused(LIST_FIXED + str(poll.number))
        closed = await close_now(rig, poll)
        assert closed.result["counts"] == {"pour": 1, "contre": 1, "abstention": 0}
        assert closed.result["turnout"] == 2 and closed.electorate_weight == 2
        await second.close()


# ----------------------------------------------------------------------------- proxy order


async def test_who_holds_a_proxy_cannot_give_their_vote_and_who_gave_theirs_casts_none(
    rig: Any,
) -> None:
    await setup_network(rig)
    a = await rig.elu("Anne Alpha")
    b = await rig.elu("Bruno Bravo")
    c = await rig.elu("Chloé Charlie")
    first, _ = await open_poll(rig, question="Premier ?")
    second, _ = await open_poll(rig, question="Second ?")

    # B holds A's proxy, then tries to give B's own vote to C: refused.
    r = await proxy(rig, a.user, "donner", membre=b.user, scrutin=first.number)
    assert says(r.text, "procuration.donnee") and "Bruno Bravo" in r.text
    r = await proxy(rig, b.user, "donner", membre=c.user, scrutin=first.number)
    assert says(r.text, "procuration.mandant-detient", numero=1)
    assert (await entry(rig, first.id, f"elu:{b.elu.id}")).delegate_elu_id is None
    _, done = await vote_text(rig, b.user, first.number, "pour", au_nom_de=a.user)
    assert says(done.text, "vote.enregistre") and "Anne Alpha" in done.text
    _, done = await vote_text(rig, b.user, first.number, "contre")
    assert says(done.text, "vote.enregistre") and not says(done.text, "vote.au-nom-de")

    # B gave B's vote to C first: nobody can give B a proxy, and B casts nobody's ballot.
    r = await proxy(rig, b.user, "donner", membre=c.user, scrutin=second.number)
    assert says(r.text, "procuration.donnee") and "Chloé Charlie" in r.text
    r = await proxy(rig, a.user, "donner", membre=b.user, scrutin=second.number)
    assert says(r.text, "procuration.mandataire-a-donne", nom="Bruno Bravo")
    assert (await entry(rig, second.id, f"elu:{a.elu.id}")).delegate_elu_id is None
    r, _ = await vote_text(rig, b.user, second.number, "pour", au_nom_de=a.user)
    assert says(r.text, "vote.procuration-absente-id")
    r, _ = await vote_text(rig, b.user, second.number, "pour")
    assert says(r.text, "vote.procuration-donnee") and "Chloé Charlie" in r.text
    r = await one_click(rig, b.user, second, "pour")
    assert says(r.text, "vote.procuration-donnee") and "Chloé Charlie" in r.text
    # Even a list in that state (forced here) would not let B cast A's ballot.
    async with rig.db.begin() as session:
        await session.execute(
            update(ElectorateEntry)
            .where(
                ElectorateEntry.poll_id == second.id,
                ElectorateEntry.voter_ref == f"elu:{a.elu.id}",
            )
            .values(delegate_elu_id=b.elu.id)
        )
    r, _ = await vote_text(rig, b.user, second.number, "pour", au_nom_de=a.user)
    assert says(r.text, "vote.mandataire-a-donne")
    assert await turnout(rig, second.id) == 0 and await sealed_rows(rig, second.id) == []
    # C casts B's ballot; in the first poll A's proxy was used by B, so A cannot vote.
    _, done = await vote_text(rig, c.user, second.number, "contre", au_nom_de=b.user)
    assert says(done.text, "vote.enregistre") and "Bruno Bravo" in done.text
    r, _ = await vote_text(rig, a.user, first.number, "contre")
    assert says(r.text, "vote.procuration-donnee") and "Bruno Bravo" in r.text
    async with rig.db.read() as session:
        voted = (
            await session.execute(
                select(func.count())
                .select_from(ElectorateEntry)
                .where(ElectorateEntry.poll_id == first.id, ElectorateEntry.voted.is_(True))
            )
        ).scalar_one()
    assert voted == 2
    assert sorted(await live_contents(rig, first.id)) == ["contre", "pour"]
    assert await live_contents(rig, second.id) == ["contre"]


# ----------------------------------------------------------------------------- group commit


async def test_a_batch_of_first_ballots_is_written_in_one_transaction(database: Any) -> None:
    """The group commit's unit (service level): several voters' first ballots in one batch, as
    a burst of votes makes them, are all stored — the reproduction of the burst failures on
    PostgreSQL in test_polls_e2e and test_scheduler."""
    now = datetime.now(UTC)
    async with database.begin() as session:
        elus = [
            Elu(guild_id=1, discord_user_id=100 + i, full_name=f"Élu {i}", status="active")
            for i in range(3)
        ]
        session.add_all(elus)
        await session.flush()
        poll = await polls.open_poll(
            session,
            guild_id=1,
            actor_id=1,
            request=polls.OpenRequest(duree="2h", question="Rafale ?"),
            now=now,
        )
    votes = [ballots.Vote(poll.id, f"elu:{e.id}", e.id, "pour", 1) for e in elus]
    votes.append(ballots.Vote(poll.id, f"elu:{elus[0].id}", elus[0].id, "contre", 1))
    async with database.begin() as session:
        outcomes = await ballots.write_votes(
            session,
            votes,
            master_key=TEST_MASTER_KEY,
            now=now,
            dialect="sqlite" if database.is_sqlite else "postgresql",
        )
    assert outcomes == [
        ballots.Stored(replaced=False),
        ballots.Stored(replaced=False),
        ballots.Stored(replaced=False),
        ballots.Stored(replaced=True),
    ]
    async with database.read() as session:
        assert await ballots.turnout(session, poll.id) == 3
        poll = await polls.get(session, poll.id)
        final = await ballots.live_ballots(session, poll, TEST_MASTER_KEY)
    assert sorted(b.content for b in final.counted) == ["contre", "pour", "pour"]


async def test_a_member_who_leaves_is_struck_and_an_unused_proxy_they_held_goes_back(
    rig: Any,
) -> None:
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Partante")
    voter = await rig.elu("Victor Votant")
    poll, _ = await open_poll(rig, question="Départ ?")
    r = await proxy(rig, grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee")
    _, done = await vote_text(rig, voter.user, poll.number, "pour")
    assert says(done.text, "vote.enregistre")
    _, done = await vote_text(rig, holder.user, poll.number, "contre")  # their own vote
    assert says(done.text, "vote.enregistre")

    await rig.emu.member_leave(rig.guild, holder.user)
    left = await rig.emu.wait_for(lambda: _struck(rig, poll.id, f"elu:{holder.elu.id}"))
    assert left.voted  # their ballot still counts
    assert (await entry(rig, poll.id, f"elu:{grantor.elu.id}")).delegate_elu_id is None
    # The grantor votes themself now. Back on the server (not registered again), the struck
    # member votes no more and receives no proxy.
    _, done = await vote_text(rig, grantor.user, poll.number, "abstention")
    assert says(done.text, "vote.enregistre")
    await rig.emu.member_join(rig.guild, holder.user)
    r = await proxy(rig, voter.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.mandataire-non-eligible", nom="Hélène Partante")
    r, _ = await vote_text(rig, holder.user, poll.number, "pour")
    assert says(r.text, "vote.raye") and "Bulletin" not in r.text
    closed = await close_now(rig, poll)
    assert closed.result["counts"] == {"pour": 1, "contre": 1, "abstention": 1}
    assert closed.electorate_weight == 3


async def _struck(rig: Any, poll_id: int, voter_ref: str) -> ElectorateEntry | None:
    row = await entry(rig, poll_id, voter_ref)
    return row if row is not None and row.struck else None


async def test_a_grantor_who_left_the_server_is_refused_not_an_unexpected_error(rig: Any) -> None:
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Mandataire")
    poll, _ = await open_poll(rig, question="Départ ?")
    r = await proxy(rig, grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee")
    await rig.emu.member_leave(rig.guild, grantor.user)
    await rig.emu.wait_for(lambda: _struck(rig, poll.id, f"elu:{grantor.elu.id}"))
    r, _ = await vote_text(rig, holder.user, poll.number, "pour", au_nom_de=grantor.user)
    assert not says(r.text, "erreur.inattendue") and not says(r.text, "vote.enregistre"), r.text
    assert await turnout(rig, poll.id) == 0


async def test_a_holder_whose_grantor_erased_their_data_is_told_about_the_grantor(
    rig: Any,
) -> None:
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Mandataire")
    poll, _ = await open_poll(rig, question="Effacement ?")
    r = await proxy(rig, grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee")
    asked = await rig.emu.slash(rig.guild, grantor.user, "mes-donnees", subcommand="effacer")
    await asked.wait_done()
    await rig.emu.click(rig.guild, grantor.user, asked.message, label="Effacer mes données")
    assert (await entry_of_elu(rig, poll.id, grantor.elu.id)).struck
    r, _ = await vote_text(rig, holder.user, poll.number, "pour", au_nom_de=grantor.user)
    assert "Bulletin" not in r.text and await turnout(rig, poll.id) == 0
    # The holder is still on the list and did not leave: the refusal is about the grantor, who
    # (erased) is no longer anyone on the list.
    assert not says(r.text, "vote.raye"), r.text
    assert says(r.text, "procuration.mandant-hors-liste", numero=poll.number), r.text
    _, done = await vote_text(rig, holder.user, poll.number, "contre")
    assert says(done.text, "vote.enregistre")


async def test_the_ballot_ui_refuses_before_a_ballot_is_filled(rig: Any) -> None:
    """Someone whose vote would be refused (proxy given; left the network) is told when the
    ballot opens — by `/voter` without choix or the Voter button — not after filling it."""
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Mandataire")
    poll, _ = await open_poll(
        rig, question="Quel projet ?", methode="choix-unique", options="Jardin; Atelier"
    )
    r = await proxy(rig, grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee")
    ui = await open_ui(rig, grantor.user, poll)
    assert says(ui.text, "vote.procuration-donnee") and "Hélène Mandataire" in ui.text
    assert ui.message is None or not ui.message.components, "no ballot was shown"
    r = await rig.emu.slash(rig.guild, grantor.user, "voter", options={"scrutin": poll.number})
    await r.wait_done()
    assert says(r.text, "vote.procuration-donnee") and "Hélène Mandataire" in r.text
    assert await turnout(rig, poll.id) == 0 and await sealed_rows(rig, poll.id) == []


async def test_a_member_option_naming_someone_gone_is_a_refusal_not_an_error(rig: Any) -> None:
    """discord.py cannot read a Member option naming someone who left the server: the person
    is told so in their language (no « erreur inattendue », no ERROR logged)."""
    await setup_network(rig)
    gone = await rig.elu("Gilles Parti")
    await rig.emu.member_leave(rig.guild, gone.user)
    r = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="referent", options={"membre": gone.user}
    )
    await r.wait_done()
    assert says(r.text, "erreur.option-invalide") and r.ephemeral
    assert not says(r.text, "erreur.inattendue")
