"""Polls end to end (emulator + real bot + real database): opening with validation, 30 élus voting by
command and by the ballot UI with changes, closing on time, publication recountable from the CSV,
quorum, proposals, results visibility, public polls, export and `/decisions`."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select

from rtes_bot.catalog import t
from rtes_bot.counting import Ballot as CountedBallot
from rtes_bot.counting import PollSpec, count, read_ballots_csv, result_to_json
from rtes_bot.counting.cli import recount
from rtes_bot.models import AuditEvent, FieldOfAction, Poll, Proposal, ProposalStatus
from tests.support.catalog import opening, said, says
from tests.support.load import published_ballots, sealed_rows
from tests.support.voting import (
    advance_and_run,
    close_by_command,
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

OPTIONS = ["Alpha", "Bravo", "Charlie", "Delta"]


def attachment(message: Any, suffix: str) -> Any:
    return next(a for a in message.attachments if a.filename.endswith(suffix))


def ranking_text(order: list[list[int]]) -> str:
    return " > ".join(" = ".join(OPTIONS[i] for i in group) for group in order)


def ranking_content(order: list[list[int]]) -> dict[str, int]:
    return {str(i): rank for rank, group in enumerate(order, start=1) for i in group}


async def vote_ranking_ui(rig: Any, user: Any, poll: Poll, order: list[list[int]]) -> Any:
    r = await open_ui(rig, user, poll)
    for group in order:
        r = await ui_step(rig, user, r, "rtes:bulletin:rang", values=[OPTIONS[i] for i in group])
    return await submit_ui(rig, user, r)


async def test_thirty_elus_vote_by_command_and_ui_close_on_time_and_the_csv_recounts(
    rig: Any, tmp_path: Path
) -> None:
    rig.emu.click_delay = 0.01
    # Thirty ballots at once, each several interactions, on two shared cores beside the rest of
    # the suite: an answer may wait behind the others longer than the emulator's 15 s (seen on
    # PostgreSQL in CI). What is checked here is the count; speed is the benchmarks' matter.
    rig.emu.interaction_timeout = 60.0
    registry = await setup_network(rig)
    people = [await rig.elu(f"Élu {i:02d}") for i in range(30)]
    poll, opened = await open_poll(
        rig, question="Quel projet financer ?", methode="classement", options="; ".join(OPTIONS)
    )
    assert says(opened.text, "scrutin.ouvert")
    orders = [
        [[0], [1, 2], [3]],
        [[1], [0], [2]],
        [[2, 3], [0]],
        [[1], [2], [3], [0]],
        [[3], [1]],
    ]
    final: dict[int, list[list[int]]] = {}

    async def first_vote(index: int) -> None:
        order = orders[index % len(orders)]
        if index < 15:
            _, click = await vote_text(rig, people[index].user, poll.number, ranking_text(order))
            assert says(click.text, "vote.enregistre")
            assert ranking_text(order) in click.text  # the echo is exactly the ballot
        else:
            done = await vote_ranking_ui(rig, people[index].user, poll, order)
            assert says(done.text, "vote.enregistre") and ranking_text(order) in done.text
        final[index] = order

    await asyncio.gather(*(first_vote(i) for i in range(30)))

    async def change(index: int) -> None:
        order = orders[(index + 2) % len(orders)]
        if index < 5:
            done = await vote_ranking_ui(rig, people[index].user, poll, order)
        else:
            _, done = await vote_text(rig, people[index].user, poll.number, ranking_text(order))
        assert says(done.text, "vote.remplace")
        final[index] = order

    await asyncio.gather(*(change(i) for i in [0, 1, 2, 3, 4, 15, 16, 17, 18, 19]))

    await rig.emu.wait_for(lambda: "30 votant" in poll_message(rig, poll).text)
    assert "Alpha" in poll_message(rig, poll).text  # options listed, no result while open

    await advance_and_run(rig, timedelta(hours=47))
    assert (await poll_row(rig, poll.id)).status == "open"
    await advance_and_run(rig, timedelta(hours=1, seconds=1))
    closed = await poll_row(rig, poll.id)
    assert closed.status == "closed" and closed.electorate_weight == 30
    # Closing published the final ballots in content order, without voters, and dropped the
    # sealed rows: one sealed row per cast while open (40 casts), none left.
    stored = await published_ballots(rig.db, poll.id)  # asserts positions 0..n-1
    assert await sealed_rows(rig.db, poll.id) == 0
    assert len(stored) == 30
    assert all(ref is None and weight == 1 for _, weight, ref in stored)
    contents = [json.dumps(c, sort_keys=True, separators=(",", ":")) for c, _, _ in stored]
    assert contents == sorted(contents)
    assert sorted(contents) == sorted(
        json.dumps(ranking_content(order), sort_keys=True, separators=(",", ":"))
        for order in final.values()
    )

    expected = count(
        PollSpec(method="classement", options=OPTIONS, electorate_weight=30),
        [CountedBallot(ranking_content(order)) for order in final.values()],
    )
    assert closed.result == result_to_json(expected)
    assert closed.outcome == expected.outcome

    published = registry_messages(rig, registry)
    assert len(published) == 1
    message = published[0]
    assert "Scrutin n°1" in message.text and len(message.content) <= 2000
    assert attachment(message, ".png").data.startswith(b"\x89PNG")
    csv_text = attachment(message, ".csv").data.decode()
    labels, rows = read_ballots_csv(csv_text, "classement")
    assert labels == OPTIONS and len(rows) == 30
    recounted = count(PollSpec(method="classement", options=labels, electorate_weight=30), rows)
    assert result_to_json(recounted) == closed.result

    # The message starts with the plain outcome sentence; the detail (matrices with names whole,
    # the recount command) is in the attached explanation file.
    explanation = attachment(message, "-resultat.md").data.decode()
    assert message.content.splitlines()[0] == explanation.splitlines()[0]
    assert message.content.splitlines()[0].startswith(opening("counting.sentence.elu.classement"))
    assert "rtes-bot recount" not in message.content and "```" not in message.content
    assert all(f"{i}. {name}" in explanation for i, name in enumerate(OPTIONS, start=1))
    command = re.search(r"`(rtes-bot recount [^`]+)`", explanation)
    assert command is not None
    csv_path = tmp_path / "scrutin-1-bulletins.csv"
    csv_path.write_text(csv_text, encoding="utf-8")
    args = shlex.split(command.group(1))[2:]
    args[0] = str(csv_path)
    outcome = CliRunner().invoke(recount, [*args, "--json"])
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.output) == closed.result

    final_message = poll_message(rig, poll)
    assert final_message.find_component("rtes:voter:1")["disabled"] is True
    assert "Résultat" in final_message.text


async def test_opening_refuses_bad_options_with_precise_messages_and_writes_nothing(
    rig: Any,
) -> None:
    await setup_network(rig)
    member = await rig.elu("Marie Membre")
    cases = [
        ({"question": "Q ?", "options": "A; B"}, "n'a pas d'options"),
        (
            {"question": "Q ?", "methode": "choix-unique", "options": "Seule"},
            "au moins deux options",
        ),
        ({"question": "Q ?", "methode": "choix-unique"}, "demande des options"),
        (
            {
                "question": "Q ?",
                "methode": "choix-unique",
                "options": "; ".join(f"O{i}" for i in range(26)),
            },
            "que 25",
        ),
        ({"question": "Q ?", "methode": "approbation", "options": "Été; ete"}, "identiques"),
        ({"question": "Q ?", "methode": "choix-unique", "options": "A;;B"}, "vide"),
        (
            {"question": "Q ?", "methode": "choix-unique", "options": "A; " + "x" * 101},
            "trop longue",
        ),
        ({"question": "Q ?", "duree": "01/01/2020 10:00"}, "déjà passée"),
        ({"question": "Q ?", "duree": "demain"}, "Formats acceptés"),
        ({"question": "Q ?", "proposition": 1}, "pas les deux"),
        ({}, "Indiquez la question"),
        (
            {
                "question": "Q ?",
                "methode": "choix-unique",
                "options": "A; B",
                "majorite": "absolue",
            },
            "pour ou contre",
        ),
        ({"question": "Q ?", "irv": True}, "classement"),
        (
            {"question": "Q ?", "methode": "approbation", "options": "A; B", "max_choix": 3},
            "entre 1 et",
        ),
        ({"question": "Q ?", "domaine": "inexistant"}, "Champ d'action inconnu"),
        ({"proposition": 42}, "pas de proposition n°42"),
    ]
    for options, expected in cases:
        _, r = await open_poll(rig, **options)
        assert expected in r.text, (options, r.text)
        assert r.ephemeral
    r = await rig.emu.slash(
        rig.guild,
        member.user,
        "scrutin",
        subcommand="ouvrir",
        options={"question": "Q ?", "duree": "1h"},
    )
    await r.wait_done()
    assert says(r.text, "acces.bureau-requis")
    async with rig.db.read() as session:
        assert (await session.execute(select(func.count()).select_from(Poll))).scalar_one() == 0
        audits = (await session.execute(select(func.count()).select_from(AuditEvent))).scalar_one()
    assert audits == 0


async def test_every_method_through_the_ballot_ui_and_a_public_poll_lists_who_voted_what(
    rig: Any,
) -> None:
    registry = await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    bruno = await rig.elu("Bruno Petit")
    labels = ["Un", "Deux", "Trois", "Quatre", "Cinq"]
    mj, _ = await open_poll(
        rig,
        question="Mentions ?",
        methode="jugement-majoritaire",
        options="; ".join(labels),
        secret=False,
    )
    r = await open_ui(rig, alice.user, mj)
    assert [s["custom_id"] for s in r.message.selects] == [
        f"rtes:bulletin:note:{i}" for i in range(4)
    ]
    assert r.message.find_component("rtes:bulletin:valider")["disabled"] is True
    for i, grade in enumerate(["Excellent", "Bien", "Passable", "Insuffisant"]):
        r = await ui_step(
            rig, alice.user, r, f"rtes:bulletin:note:{i}", values=[f"{grade} — {labels[i]}"]
        )
    r = await ui_step(rig, alice.user, r, "rtes:bulletin:suivant")
    assert [s["custom_id"] for s in r.message.selects] == ["rtes:bulletin:note:4"]
    r = await ui_step(rig, alice.user, r, "rtes:bulletin:note:4", values=["À rejeter — Cinq"])
    done = await submit_ui(rig, alice.user, r)
    assert (
        "Un: Excellent; Deux: Bien; Trois: Passable; Quatre: Insuffisant; Cinq: À rejeter"
        in done.text
    )
    _, click = await vote_text(
        rig, bruno.user, mj.number, "Un: Bien; Deux: Très bien; Trois: 3; Quatre: 0; Cinq: 1"
    )
    assert (
        "Un: Bien; Deux: Très bien; Trois: Assez bien; Quatre: À rejeter; Cinq: Insuffisant"
        in click.text
    )

    approval, _ = await open_poll(
        rig, question="Lesquels ?", methode="approbation", options="A; B; C", max_choix=2
    )
    r = await open_ui(rig, alice.user, approval)
    assert r.message.find_component("rtes:bulletin:choix")["max_values"] == 2
    r = await ui_step(rig, alice.user, r, "rtes:bulletin:choix", values=["A", "C"])
    assert "A; C" in (await submit_ui(rig, alice.user, r)).text
    too_many, _ = await vote_text(rig, bruno.user, approval.number, "A; B; C")
    assert "2" in too_many.text and not says(too_many.text, "vote.enregistre")

    single, _ = await open_poll(
        rig, question="Lequel ?", methode="choix-unique", options="Rouge; Vert"
    )
    r = await open_ui(rig, alice.user, single)
    r = await ui_step(rig, alice.user, r, "rtes:bulletin:choix", values=["Vert"])
    assert "Vert" in (await submit_ui(rig, alice.user, r)).text
    choices = await rig.emu.autocomplete(
        rig.guild,
        bruno.user,
        "voter",
        options={"scrutin": single.number, "choix": "ro"},
        focused="choix",
    )
    assert [c["name"] for c in choices] == ["Rouge"]

    scores, _ = await open_poll(rig, question="Notes ?", methode="notes", options="X; Y")
    r = await open_ui(rig, bruno.user, scores)
    r = await ui_step(rig, bruno.user, r, "rtes:bulletin:note:0", values=["5 — X"])
    r = await ui_step(rig, bruno.user, r, "rtes:bulletin:note:1", values=["2 — Y"])
    assert "X: 5; Y: 2" in (await submit_ui(rig, bruno.user, r)).text

    r = await close_by_command(rig.emu, rig.guild, rig.admin, mj.number)
    assert says(r.text, "scrutin.cloture-anticipee")
    public = [m for m in registry_messages(rig, registry) if "Scrutin n°1" in m.text]
    assert len(public) == 1
    names = attachment(public[0], "votes-nominatifs.txt").data.decode()
    assert "Alice Martin : Un: Excellent; Deux: Bien" in names
    assert "Bruno Petit : Un: Bien; Deux: Très bien" in names
    assert "Alice Martin" in public[0].text  # short enough to be listed in the message too


async def test_results_visibility_is_honoured_in_results_and_autocomplete(rig: Any) -> None:
    await setup_network(rig)
    voter = await rig.elu("Victor Votant")
    other = await rig.elu("Odile Autre")
    # Public: a secret poll's live figures wait for ballots.LIVE_STEP voters (test_live_results).
    live, _ = await open_poll(rig, question="En direct ?", resultats="en-direct", secret=False)
    after, _ = await open_poll(rig, question="Après vote ?", resultats="apres-vote", secret=False)
    closing, _ = await open_poll(rig, question="À la clôture ?")

    async def results(user: Any, number: int) -> str:
        r = await rig.emu.slash(
            rig.guild, user, "scrutin", subcommand="resultats", options={"numero": number}
        )
        await r.wait_done()
        assert r.ephemeral
        return r.text

    for poll in (live, after, closing):
        await vote_text(rig, voter.user, poll.number, "pour")
    adopted_sentence = said(
        "counting.sentence.adoptee",
        counts=said("counting.sentence.for_against", pour=1, contre=0),
        needed="1 voix",
        rule=said("counting.needed.simple"),
    )
    provisional = said("publication.provisoire", phrase=adopted_sentence)
    assert (await results(other.user, live.number)).splitlines()[0] == provisional
    assert says(await results(other.user, after.number), "scrutin.resultats.apres-vote")
    assert (await results(voter.user, after.number)).splitlines()[0] == provisional
    assert says(await results(voter.user, closing.number), "scrutin.resultats.a-la-cloture")
    assert says(
        await results(rig.admin, closing.number), "scrutin.resultats.a-la-cloture"
    )  # bureau too

    async def poll_choices() -> list[Any]:
        return await rig.emu.autocomplete(
            rig.guild,
            voter.user,
            "scrutin",
            subcommand="resultats",
            options={"numero": ""},
            focused="numero",
        )

    labels = await poll_choices()
    open_label, adopted = t("scrutin.etat.ouvert", "fr"), t("counting.outcome.adoptee", "fr")
    assert all(c["name"].endswith(f" — {open_label}") and adopted not in c["name"] for c in labels)
    await advance_and_run(rig, timedelta(hours=49))
    assert (await results(other.user, closing.number)).splitlines()[0] == adopted_sentence
    labels = await poll_choices()
    assert all(c["name"].endswith(f" — {adopted}") for c in labels)


async def test_quorum_not_reached_rejects_a_proposal_and_decisions_lists_adopted_ones(
    rig: Any,
) -> None:
    registry = await setup_network(rig)
    people = [await rig.elu(f"Membre {i}") for i in range(4)]
    async with rig.db.begin() as session:
        proposal = Proposal(guild_id=rig.guild.id, number=7, title="Créer une monnaie locale")
        session.add(proposal)
        await session.flush()
        proposal_id = proposal.id
    poll, opened = await open_poll(rig, proposition=7, quorum=75, duree="2h")
    assert says(opened.text, "scrutin.ouvert")
    async with rig.db.read() as session:
        assert (await session.get(Proposal, proposal_id)).status == ProposalStatus.AU_VOTE
    for person in people[:2]:
        await vote_text(rig, person.user, poll.number, "pour")
    adopted, _ = await open_poll(rig, question="Adhérer au collectif ?", duree="1h")
    await vote_text(rig, people[0].user, adopted.number, "pour")
    await advance_and_run(rig, timedelta(hours=3))
    closed = await poll_row(rig, poll.id)
    assert closed.outcome == "quorum-non-atteint"
    assert closed.result["quorum_required"] == str(Fraction(3))
    async with rig.db.read() as session:
        assert (
            await session.get(Proposal, proposal_id)
        ).status == ProposalStatus.QUORUM_NON_ATTEINT
    texts = [m.text for m in registry_messages(rig, registry)]
    assert len(texts) == 2
    # A failed quorum says only that, in whole votes: 2 voters of 4, 75 % means 3.
    failed = said(
        "counting.sentence.quorum_failed",
        turnout="2 voix",
        electorate=4,
        needed="3 voix",
        percent=75,
    )
    [quorum_post] = [m for m in registry_messages(rig, registry) if m.text.startswith(failed)]
    assert quorum_post.text.splitlines()[0] == failed
    assert "--quorum 75%" in attachment(quorum_post, "-resultat.md").data.decode()

    r = await rig.emu.slash(rig.guild, people[1].user, "decisions")
    await r.wait_done()
    assert "Adhérer au collectif" in r.text and "monnaie locale" not in r.text
    r = await rig.emu.slash(rig.guild, people[1].user, "decisions", options={"recherche": "budget"})
    await r.wait_done()
    assert says(r.text, "decisions.aucune-recherche")

    r = await rig.emu.slash(
        rig.guild, rig.admin, "scrutin", subcommand="exporter", options={"numero": adopted.number}
    )
    await r.wait_done()
    assert r.message.attachments[0].data.decode().splitlines() == ["pour,contre,abstention", "1,,"]
    r = await rig.emu.slash(
        rig.guild, people[0].user, "scrutin", subcommand="exporter", options={"numero": 1}
    )
    await r.wait_done()
    assert says(r.text, "acces.bureau-requis")
    r = await rig.emu.slash(rig.guild, people[0].user, "scrutin", subcommand="liste")
    await r.wait_done()
    assert "n°1" in r.text and "Quorum non atteint" in r.text


async def test_a_proposal_is_voted_in_its_forum_thread_and_its_status_and_tag_follow(
    rig: Any,
) -> None:
    from tests.support.proposals import (
        deposit,
        install,
        proposal_row,
        thread_messages,
    )

    setup = await install(rig)
    registry = await setup_network(rig)
    author = await rig.elu("Anne Autrice")
    other = await rig.elu("Omar Autre")
    await deposit(
        rig, author.user, "Charte des achats", "Acheter local.", domaine=setup.fields[0].slug
    )
    proposal = await proposal_row(rig, 1)
    poll, opened = await open_poll(rig, proposition=1, duree="1h")
    assert says(opened.text, "scrutin.ouvert"), opened.text
    assert poll.channel_id == proposal.thread_id and poll.question == "Charte des achats"
    forum = setup.channels[0]
    thread = rig.emu.channels[proposal.thread_id]
    await rig.emu.wait_for(lambda: forum.tag_id("Au vote") in thread.applied_tags)
    _, opened_again = await open_poll(rig, proposition=1)
    assert says(opened_again.text, "scrutin.proposition-pas-en-debat")
    await vote_text(rig, author.user, poll.number, "pour")
    await vote_text(rig, other.user, poll.number, "pour")
    await advance_and_run(rig, timedelta(hours=2))
    assert (await proposal_row(rig, 1)).status == ProposalStatus.ADOPTEE
    await rig.emu.wait_for(lambda: forum.tag_id("Adoptée") in thread.applied_tags)
    posted = [
        m
        for m in thread_messages(rig, proposal)
        if m.text.startswith(opening("counting.sentence.adoptee")) and m.attachments
    ]
    assert len(posted) == 1 and any(a.filename.endswith(".csv") for a in posted[0].attachments)
    assert len(registry_messages(rig, registry)) == 1


async def test_opening_suggests_active_fields_and_finds_one_by_id_slug_or_name(rig: Any) -> None:
    """`/scrutin ouvrir domaine:`: the active fields are suggested (by name or slug, value the
    slug); the option accepts the field's id, slug or name in any case; a retired field is
    neither suggested nor accepted."""
    await setup_network(rig)
    async with rig.db.begin() as session:
        field = FieldOfAction(
            guild_id=rig.guild.id, slug="alimentation-durable", name="Alimentation durable"
        )
        retired = FieldOfAction(
            guild_id=rig.guild.id, slug="mobilite", name="Mobilité", retired_at=rig.clock.now()
        )
        session.add_all([field, retired])
    for typed in ("ALIM", "durable", ""):
        choices = await rig.emu.autocomplete(
            rig.guild,
            rig.admin,
            "scrutin",
            subcommand="ouvrir",
            options={"duree": "48h", "domaine": typed},
            focused="domaine",
        )
        assert choices == [{"name": "Alimentation durable", "value": "alimentation-durable"}]
    for number, typed in enumerate((str(field.id), "alimentation-durable", "ALIMENTATION durable")):
        poll, r = await open_poll(rig, question=f"Q{number} ?", domaine=typed)
        assert says(r.text, "scrutin.ouvert") and poll.field_id == field.id, r.text
    _, r = await open_poll(rig, question="Q ?", domaine="Mobilité")
    assert says(r.text, "scrutin.domaine-inconnu", domaine="Mobilité"), r.text
