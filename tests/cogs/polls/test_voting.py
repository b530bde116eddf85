"""Who may vote, and proxies, end to end: precise refusals (ineligible, pending, visitor, closed,
out of field, not référent, not on the list fixed at opening), collectivités with their weight, and
the proxy rules (authority: the liste d'émargement)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from rtes_bot.models import (
    AuditEvent,
    ElectorateEntry,
    EluField,
    EluStatus,
    FieldOfAction,
    Proxy,
    SealedBallot,
)
from tests.support.catalog import said, says
from tests.support.load import published_ballots
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


async def entry(rig: Any, poll_id: int, voter_ref: str) -> ElectorateEntry | None:
    """A row of the poll's liste d'émargement (`elu:<id>` or `col:<id>`)."""
    async with rig.db.read() as session:
        return await session.get(ElectorateEntry, (poll_id, voter_ref), populate_existing=True)


async def sealed_count(rig: Any, poll_id: int) -> int:
    async with rig.db.read() as session:
        return int(
            (
                await session.execute(
                    select(func.count())
                    .select_from(SealedBallot)
                    .where(SealedBallot.poll_id == poll_id)
                )
            ).scalar_one()
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
    assert says(r.text, "acces.en-attente") and r.ephemeral
    r, _ = await vote_text(rig, visitor, poll.number, "pour")
    assert says(r.text, "acces.adhesion-requise")
    r, _ = await vote_text(rig, member.user, 99, "pour")
    assert says(r.text, "scrutin.inconnu", numero=99)
    r, _ = await vote_text(rig, member.user, poll.number, "peut-être")
    assert "pour" in r.text and "contre" in r.text and "enregistré" not in r.text

    scoped, _ = await open_poll(rig, question="Label équitable ?", domaine="commerce-equitable")
    r, _ = await vote_text(rig, member.user, scoped.number, "pour")
    assert says(r.text, "vote.hors-domaine")
    _, click = await vote_text(rig, insider.user, scoped.number, "contre")
    assert says(click.text, "vote.enregistre")
    choices = await rig.emu.autocomplete(
        rig.guild, member.user, "voter", options={"scrutin": ""}, focused="scrutin"
    )
    assert [c["value"] for c in choices] == [poll.number]

    # A ballot UI filled before the deadline and submitted after it: refused, nothing stored;
    # a one-click vote after the deadline too.
    ui = await open_ui(rig, member.user, poll)
    ui = await ui_step(rig, member.user, ui, "rtes:bulletin:pour")
    assert "Votre bulletin : **Pour**" in ui.text
    rig.clock.advance(timedelta(hours=1, seconds=1))
    late = await submit_ui(rig, member.user, ui)
    assert says(late.text, "vote.scrutin-clos-id")
    assert not says(late.text, "vote.enregistre")
    late = await one_click(rig, member.user, poll, "contre")
    assert says(late.text, "vote.scrutin-clos") and late.ephemeral
    assert not (await entry(rig, poll.id, f"elu:{member.elu.id}")).voted
    assert await sealed_count(rig, poll.id) == 0
    await advance_and_run(rig, timedelta(seconds=1))
    closed = await poll_row(rig, poll.id)
    assert closed.status == "closed" and closed.result["turnout"] == 0
    r, _ = await vote_text(rig, member.user, poll.number, "pour")
    assert says(r.text, "vote.scrutin-clos")


async def test_collectivites_vote_through_their_referent_with_their_weight(rig: Any) -> None:
    registry = await setup_network(rig)
    grenoble = await rig.collectivite("Grenoble", weight=3)
    lyon = await rig.collectivite("Lyon", weight=2)
    former = await rig.collectivite("Ancienne", status="ancienne")
    ref_grenoble = await rig.elu("Rita Grenoble", collectivite=grenoble, referent=True)
    other_grenoble = await rig.elu("Olga Grenoble", collectivite=grenoble)
    ref_lyon = await rig.elu("Rémi Lyon", collectivite=lyon, referent=True)
    ref_former = await rig.elu("Fanny Ancienne", collectivite=former, referent=True)
    poll, _ = await open_poll(rig, question="Cotisation ?", electorat="collectivites", quorum=50)
    r, _ = await vote_text(rig, other_grenoble.user, poll.number, "pour")
    assert says(r.text, "vote.pas-referent")
    r, _ = await vote_text(rig, ref_former.user, poll.number, "pour")
    # A former member collectivité is not on the list fixed at opening: told precisely why.
    assert says(r.text, "vote.collectivite-non-adherente")
    async with rig.db.read() as session:
        listed = {
            (e.voter_ref, e.elu_id, e.weight)
            for e in (
                await session.execute(
                    select(ElectorateEntry).where(ElectorateEntry.poll_id == poll.id)
                )
            ).scalars()
        }
    assert listed == {
        (f"col:{grenoble.id}", ref_grenoble.elu.id, 3),
        (f"col:{lyon.id}", ref_lyon.elu.id, 2),
    }
    _, done = await vote_text(rig, ref_grenoble.user, poll.number, "pour")
    assert says(done.text, "vote.enregistre")
    _, done = await vote_text(rig, ref_lyon.user, poll.number, "contre")
    assert says(done.text, "vote.enregistre")
    assert (await entry(rig, poll.id, f"col:{grenoble.id}")).voted
    assert not (await entry(rig, poll.id, f"col:{former.id}"))
    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.electorate_weight == 5
    assert closed.result["counts"] == {"pour": 3, "contre": 2, "abstention": 0}
    assert closed.outcome == "adoptee"
    # A secret weighted poll publishes one unit row per unit of weight (no weight column, no
    # voter): nothing tells which collectivité cast which ballot.
    stored = await published_ballots(rig.db, poll.id)
    assert stored == [("contre", 1, None)] * 2 + [("pour", 1, None)] * 3
    export = await rig.emu.slash(
        rig.guild, rig.admin, "scrutin", subcommand="exporter", options={"numero": poll.number}
    )
    await export.wait_done()
    lines = export.message.attachments[0].data.decode().splitlines()
    assert lines[0] == "pour,contre,abstention" and "poids" not in lines[0]
    assert sorted(lines[1:]) == sorted([",1,"] * 2 + ["1,,"] * 3)
    published = [m for m in registry_messages(rig, registry) if "Scrutin n°1" in m.text]
    assert len(published) == 1 and "Grenoble" not in published[0].text
    # Units of weight, not 2 ballots.
    turnout = said(
        "counting.sentence.turnout_electorate", turnout="5 voix", electorate=5, percent=100
    )
    assert turnout in published[0].text


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
    grantor_ref = f"elu:{grantor.elu.id}"

    async def proxy(user: Any, sub: str, **options: Any) -> Any:
        r = await rig.emu.slash(rig.guild, user, "procuration", subcommand=sub, options=options)
        await r.wait_done()
        return r

    r = await proxy(grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee") and "Hélène Mandataire" in r.text
    await rig.emu.wait_for(
        lambda: any(
            "Gaston Mandant vous a donné procuration" in m.text for m in rig.emu.dms_to(holder.user)
        )
    )
    assert (await entry(rig, poll.id, grantor_ref)).delegate_elu_id == holder.elu.id
    r, _ = await vote_text(rig, grantor.user, poll.number, "pour")
    assert says(r.text, "vote.procuration-donnee") and "Hélène Mandataire" in r.text
    assert not says(r.text, "vote.enregistre")
    r = await proxy(grantor.user, "retirer", scrutin=poll.number)
    assert says(r.text, "procuration.retiree")
    assert (await entry(rig, poll.id, grantor_ref)).delegate_elu_id is None
    r = await proxy(grantor.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.donnee")

    # The holder votes for the grantor (slash text), then replaces that ballot through the UI.
    r, _ = await vote_text(rig, holder.user, poll.number, "contre", au_nom_de=grantor.user)
    assert says(r.text, "vote.au-nom-de", nom="Gaston Mandant") and says(r.text, "vote.enregistre")
    assert r.message.find_component(f"rtes:changer:{poll.id}:{grantor.user.id}")
    ui = await open_ui(rig, holder.user, poll, au_nom_de=grantor.user)
    ui = await ui_step(rig, holder.user, ui, "rtes:bulletin:pour")
    done = await submit_ui(rig, holder.user, ui)
    assert says(done.text, "vote.remplace") and "Gaston Mandant" in done.text
    used = await entry(rig, poll.id, grantor_ref)
    assert used.voted and used.cast_by_elu_id == holder.elu.id
    assert used.delegate_elu_id == holder.elu.id
    r = await proxy(grantor.user, "retirer", scrutin=poll.number)
    assert says(r.text, "procuration.deja-utilisee")
    r, _ = await vote_text(rig, grantor.user, poll.number, "contre")
    assert says(r.text, "vote.procuration-donnee")
    r, _ = await vote_text(rig, third.user, poll.number, "pour", au_nom_de=grantor.user)
    assert says(r.text, "vote.procuration-absente-id")
    _, done = await vote_text(rig, holder.user, poll.number, "abstention")  # their own vote
    assert says(done.text, "vote.enregistre") and not says(done.text, "vote.au-nom-de")

    # At most two proxies per holder (default setting).
    assert (
        "Procuration donnée"
        in (await proxy(third.user, "donner", membre=holder.user, scrutin=poll.number)).text
    )
    r = await proxy(fourth.user, "donner", membre=holder.user, scrutin=poll.number)
    assert says(r.text, "procuration.plafond") and "2" in r.text
    r = await proxy(fifth.user, "donner", membre=fifth.user, scrutin=poll.number)
    assert says(r.text, "procuration.soi-meme")
    assert (await entry(rig, poll.id, f"elu:{fourth.elu.id}")).delegate_elu_id is None

    await advance_and_run(rig, timedelta(hours=49))
    closed = await poll_row(rig, poll.id)
    assert closed.result["counts"] == {"pour": 1, "contre": 0, "abstention": 1}
    assert closed.result["turnout"] == 2
    async with rig.db.read() as session:
        events = list((await session.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars())
        proxies = list((await session.execute(select(Proxy).order_by(Proxy.id))).scalars())
    actions = [e.action for e in events if e.action.startswith("procuration.")]
    assert actions == [
        "procuration.donnee",
        "procuration.retiree",
        "procuration.donnee",
        "procuration.donnee",
    ]
    assert [(p.grantor_elu_id, p.holder_elu_id, p.revoked_at is None) for p in proxies] == [
        (grantor.elu.id, holder.elu.id, False),
        (grantor.elu.id, holder.elu.id, True),
        (third.elu.id, holder.elu.id, True),
    ]
    # No audit event says how anyone voted.
    for event in events:
        details = {k: v for k, v in (event.details or {}).items() if k != "methode"}
        assert "pour" not in str(details) and "abstention" not in str(details), event.action
