"""Who may vote, and proxies, end to end: precise refusals (ineligible, pending, visitor, closed,
out of field, not référent), collectivités with their weight, and the proxy rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from rtes_bot.models import AuditEvent, EluField, EluStatus, FieldOfAction, Proxy
from tests.test_voting_helpers import (
    advance_and_run,
    open_poll,
    open_ui,
    poll_row,
    setup_network,
    submit_ui,
    ui_step,
    vote_text,
)


async def test_refusals_say_precisely_why(rig: Any) -> None:
    await setup_network(rig)
    member = await rig.elu("Mina Membre")
    pending = await rig.elu("Paul Attente", status=EluStatus.PENDING)
    visitor = rig.user("Vera Visiteuse")
    async with rig.db.begin() as session:
        field = FieldOfAction(
            guild_id=rig.guild.id, slug="commerce-equitable", name="Commerce équitable"
        )
        session.add(field)
        await session.flush()
        field_id = field.id
    insider = await rig.elu("Ines Interne")
    async with rig.db.begin() as session:
        session.add(EluField(elu_id=insider.elu.id, field_id=field_id))

    poll, _ = await open_poll(rig, question="Ouvrir le vote ?", duree="1h")
    r, _ = await vote_text(rig, pending.user, poll.number, "pour")
    assert "en attente de validation par le bureau" in r.text and r.ephemeral
    r, _ = await vote_text(rig, visitor, poll.number, "pour")
    assert "Commencez votre adhésion" in r.text
    r, _ = await vote_text(rig, member.user, 99, "pour")
    assert "pas de scrutin n°99" in r.text
    r, _ = await vote_text(rig, member.user, poll.number, "peut-être")
    assert "pour" in r.text and "contre" in r.text and "enregistré" not in r.text

    scoped, _ = await open_poll(rig, question="Label équitable ?", domaine="commerce-equitable")
    r, _ = await vote_text(rig, member.user, scoped.number, "pour")
    assert "réservé aux élu·es de son champ" in r.text
    _, click = await vote_text(rig, insider.user, scoped.number, "contre")
    assert "Bulletin enregistré" in click.text
    choices = await rig.emu.autocomplete(
        rig.guild, member.user, "voter", options={"scrutin": ""}, focused="scrutin"
    )
    assert [c["value"] for c in choices] == [poll.number]

    # The confirmation arrives after the deadline: refused, nothing stored.
    slash, _ = await vote_text(rig, member.user, poll.number, "pour", confirm=False)
    rig.clock.advance(timedelta(hours=1, seconds=1))
    late = await rig.emu.click(rig.guild, member.user, slash.message, "rtes:bulletin:confirmer")
    await late.wait_done()
    assert "est clos" in late.text and "n'a pas été enregistré" in late.text
    await advance_and_run(rig, timedelta(seconds=1))
    closed = await poll_row(rig, poll.id)
    assert closed.status == "closed" and closed.result["turnout"] == 0
    r, _ = await vote_text(rig, member.user, poll.number, "pour")
    assert "est clos" in r.text


async def test_collectivites_vote_through_their_referent_with_their_weight(rig: Any) -> None:
    await setup_network(rig)
    grenoble = await rig.collectivite("Grenoble", weight=3)
    lyon = await rig.collectivite("Lyon", weight=2)
    former = await rig.collectivite("Ancienne", status="ancienne")
    ref_grenoble = await rig.elu("Rita Grenoble", collectivite=grenoble, referent=True)
    other_grenoble = await rig.elu("Olga Grenoble", collectivite=grenoble)
    ref_lyon = await rig.elu("Rémi Lyon", collectivite=lyon, referent=True)
    ref_former = await rig.elu("Fanny Ancienne", collectivite=former, referent=True)
    poll, _ = await open_poll(rig, question="Cotisation ?", electorat="collectivites", quorum=50)
    r, _ = await vote_text(rig, other_grenoble.user, poll.number, "pour")
    assert "seul·e le ou la référent·e" in r.text
    r, _ = await vote_text(rig, ref_former.user, poll.number, "pour")
    assert "n'est pas adhérente" in r.text
    await vote_text(rig, ref_grenoble.user, poll.number, "pour")
    await vote_text(rig, ref_lyon.user, poll.number, "contre")
    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.electorate_weight == 5
    assert closed.result["counts"] == {"pour": 3, "contre": 2, "abstention": 0}
    assert closed.outcome == "adoptee"


async def test_proxy_is_used_once_then_cannot_be_withdrawn_and_the_grantor_cannot_vote(
    rig: Any,
) -> None:
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Mandataire")
    third = await rig.elu("Théo Tiers")
    fourth = await rig.elu("Fatou Quatre")
    fifth = await rig.elu("Cinq Cinquième")
    poll, _ = await open_poll(rig, question="Voter le plan ?")

    async def proxy(user: Any, sub: str, **options: Any) -> Any:
        r = await rig.emu.slash(rig.guild, user, "procuration", subcommand=sub, options=options)
        await r.wait_done()
        return r

    r = await proxy(grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert "Procuration donnée à Hélène Mandataire" in r.text
    await rig.emu.wait_for(
        lambda: any(
            "Gaston Mandant vous a donné procuration" in m.text for m in rig.emu.dms_to(holder.user)
        )
    )
    r, _ = await vote_text(rig, grantor.user, poll.number, "pour")
    assert "Vous avez donné procuration à Hélène Mandataire" in r.text
    r = await proxy(grantor.user, "retirer", scrutin=poll.number)
    assert "Procuration retirée" in r.text
    r = await proxy(grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert "Procuration donnée" in r.text

    # The holder votes for the grantor (slash text), then replaces that ballot through the UI.
    r, click = await vote_text(rig, holder.user, poll.number, "contre", au_nom_de=grantor.user)
    assert "Au nom de : Gaston Mandant" in r.text and "Bulletin enregistré" in click.text
    ui = await open_ui(rig, holder.user, poll, au_nom_de=grantor.user)
    ui = await ui_step(rig, holder.user, ui, "rtes:bulletin:pour")
    done = await submit_ui(rig, holder.user, ui)
    assert "Bulletin remplacé" in done.text and "Gaston Mandant" in done.text
    r = await proxy(grantor.user, "retirer", scrutin=poll.number)
    assert "a déjà servi" in r.text
    r, _ = await vote_text(rig, grantor.user, poll.number, "contre")
    assert "Vous avez donné procuration" in r.text
    r, _ = await vote_text(rig, third.user, poll.number, "pour", au_nom_de=grantor.user)
    assert "ne vous a pas donné procuration" in r.text
    _, click = await vote_text(rig, holder.user, poll.number, "abstention")  # their own vote
    assert "Bulletin enregistré" in click.text

    # At most two proxies per holder (default setting).
    assert (
        "Procuration donnée"
        in (await proxy(third.user, "donner", membre=holder.user, scrutin=poll.number)).text
    )
    r = await proxy(fourth.user, "donner", membre=holder.user, scrutin=poll.number)
    assert "détient déjà 2 procuration" in r.text
    r = await proxy(fifth.user, "donner", membre=fifth.user, scrutin=poll.number)
    assert "à soi-même" in r.text

    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.result["counts"] == {"pour": 1, "contre": 0, "abstention": 1}
    async with rig.db.read() as session:
        actions = [
            e.action
            for e in (await session.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars()
            if e.action.startswith("procuration.")
        ]
        used = (
            (await session.execute(select(Proxy).where(Proxy.used_at.is_not(None)))).scalars().all()
        )
        details = [
            e.details
            for e in (await session.execute(select(AuditEvent))).scalars()
            if e.action == "procuration.utilisee"
        ]
    assert actions == [
        "procuration.donnee",
        "procuration.retiree",
        "procuration.donnee",
        "procuration.utilisee",
        "procuration.utilisee",
        "procuration.donnee",
    ]
    assert len(used) == 1
    assert all("pour" not in str(d) and "contre" not in str(d) for d in details)
