"""Onboarding end to end, the bureau's side and later changes: a declared collectivité, refusal,
only the bureau decides, editing a request or a membership, leaving the server."""

from __future__ import annotations

from sqlalchemy import select

from rtes_bot.models import CharterSignature, Collectivite, EluStatus, FieldOfAction
from tests.support.catalog import said
from tests.support.onboarding import (
    FORM,
    card_of,
    elu_of,
    field_ids,
    fill_form,
    installed,
    register,
)


async def test_a_pending_member_who_edits_their_request_updates_the_same_card(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)
    elu = await elu_of(rig, anne)
    bureau = rig.emu.find_channel(rig.guild, "bureau")
    card = card_of(rig, elu.id)
    before = len(rig.emu.channel_messages(bureau))
    await register(
        rig,
        anne,
        collectivite_id=grenoble.id,
        form={**FORM, "mandat": "Conseillère municipale"},
        sign=False,
    )
    assert len(rig.emu.channel_messages(bureau)) == before
    await rig.emu.wait_for(lambda: "Conseillère municipale" in card.text)
    assert (await elu_of(rig, anne)).status == EluStatus.PENDING


async def test_unknown_collectivite_is_declared_and_flagged_for_the_bureau(rig) -> None:
    await installed(rig)
    anne = rig.user("Anne Dupont")
    form = {**FORM, "collectivite": "Trifouillis-les-Oies"}
    answer = await fill_form(rig, anne, form)
    assert said("adhesion.collectivite.inconnue", saisie="Trifouillis-les-Oies") in answer.text
    assert answer.message.find_component(custom_id="adhesion:collectivite") is None
    final = await register(rig, anne, collectivite_id=None, form=form, sign=False, share=())
    assert said("adhesion.collectivite-signalee", nom="Trifouillis-les-Oies") in final.text
    assert said("adhesion.charte-plus-tard") in final.text
    elu = await elu_of(rig, anne)
    async with rig.db.read() as session:
        collectivite = await session.get(Collectivite, elu.collectivite_id)
        signed = (
            await session.execute(select(CharterSignature).where(CharterSignature.elu_id == elu.id))
        ).first()
    assert collectivite.name == "Trifouillis-les-Oies" and collectivite.flagged_new
    assert signed is None and not elu.share_email
    assert said("adhesion.carte.collectivite-nouvelle") in card_of(rig, elu.id).text


async def test_a_member_who_is_not_bureau_cannot_validate(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)
    elu = await elu_of(rig, anne)
    card = card_of(rig, elu.id)
    intruder = await rig.elu("Marc Membre")
    refused = await rig.emu.click(rig.guild, intruder.user, card, f"rtes:adhesion:valider:{elu.id}")
    await refused.wait_done()
    assert said("acces.bureau-requis") in refused.text
    assert (await elu_of(rig, anne)).status == EluStatus.PENDING
    assert rig.emu.member_role_names(rig.guild, anne) == {"En attente"}
    refused = await rig.emu.click(rig.guild, intruder.user, card, f"rtes:adhesion:refuser:{elu.id}")
    assert refused.modal is None and said("acces.bureau-requis") in refused.text


async def test_refusal_stores_the_reason_and_sends_it(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)
    elu = await elu_of(rig, anne)
    card = card_of(rig, elu.id)
    asked = await rig.emu.click(rig.guild, rig.admin, card, f"rtes:adhesion:refuser:{elu.id}")
    assert asked.modal is not None
    done = await rig.emu.submit_modal(
        rig.guild, rig.admin, asked, {"motif": "Collectivité non adhérente"}
    )
    await done.wait_done()
    assert said("adhesion.refusee.bureau", nom="Anne Dupont") in done.text
    stored = await elu_of(rig, anne)
    assert (
        stored.status == EluStatus.REJECTED
        and stored.rejection_reason == "Collectivité non adhérente"
    )
    told = said("adhesion.dm.refusee", nom="Anne Dupont", motif="Collectivité non adhérente")
    await rig.emu.wait_for(lambda: [m for m in rig.emu.dms_to(anne) if told in m.text])
    refused_by = said(
        "adhesion.carte.statut.refusee",
        par=f"<@{rig.admin.id}>",
        motif="Collectivité non adhérente",
    )
    await rig.emu.wait_for(lambda: refused_by in card.text)
    assert rig.emu.member_role_names(rig.guild, anne) == set()


async def test_rerunning_adhesion_edits_the_data_of_an_active_member(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id, fields=1)
    elu = await elu_of(rig, anne)
    card = card_of(rig, elu.id)
    await (
        await rig.emu.click(rig.guild, rig.admin, card, f"rtes:adhesion:valider:{elu.id}")
    ).wait_done()
    bureau = rig.emu.find_channel(rig.guild, "bureau")
    cards_before = len(rig.emu.channel_messages(bureau))

    start = await rig.emu.slash(rig.guild, anne, "adhesion")
    prefilled = {
        row["components"][0]["custom_id"]: row["components"][0].get("value")
        for row in start.modal["components"]
    }
    assert prefilled["nom"] == "Anne Dupont" and prefilled["collectivite"] == "Grenoble"
    assert (
        prefilled["email"] == "anne.dupont@grenoble.fr"
        and prefilled["telephone"] == "06 12 34 56 78"
    )
    edited = await rig.emu.submit_modal(rig.guild, anne, start, {"mandat": "Maire"})
    step = edited.message
    await rig.emu.click(rig.guild, anne, step, "adhesion:collectivite", values=[str(grenoble.id)])
    two = [str(i) for i in (await field_ids(rig, 3))[1:3]]
    await rig.emu.click(rig.guild, anne, step, "adhesion:domaines", values=two)
    await rig.emu.click(rig.guild, anne, step, "adhesion:continuer")
    assert said("adhesion.charte.deja-signee", version=1) in step.text
    final = await rig.emu.click(rig.guild, anne, step, "adhesion:envoyer")
    await final.wait_done()
    assert said("adhesion.mise-a-jour", nom="Anne Dupont") in final.text
    stored = await elu_of(rig, anne)
    assert stored.status == EluStatus.ACTIVE and stored.mandate == "Maire"
    assert len(rig.emu.channel_messages(bureau)) == cards_before  # no new validation asked
    async with rig.db.read() as session:
        names = set(
            (
                await session.execute(
                    select(FieldOfAction.name).where(FieldOfAction.id.in_([int(i) for i in two]))
                )
            ).scalars()
        )  # type: ignore[attr-defined]
    await rig.emu.wait_for(lambda: rig.emu.member_role_names(rig.guild, anne) == {"Élu·e", *names})


async def test_a_member_who_leaves_is_marked_left_and_keeps_their_data(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)
    await rig.emu.member_leave(rig.guild, anne)

    async def left():
        elu = await elu_of(rig, anne)
        return elu is not None and elu.status == EluStatus.LEFT

    await rig.emu.wait_for(left)
    elu = await elu_of(rig, anne)
    assert elu.left_at is not None and elu.full_name == "Anne Dupont" and elu.email
    await rig.emu.wait_for(
        lambda: said("adhesion.carte.statut.partie") in card_of(rig, elu.id).text
    )
