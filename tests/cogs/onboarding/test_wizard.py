"""Onboarding end to end, the applicant's side (`docs/rules.md`, « 3. Flows », Onboarding):
welcome DM and button, the form, collectivité matching, fields and consent, charter, pending
role, bureau card, validation (once). The real bot on the emulator, a real database."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from rtes_bot.models import AuditEvent, CharterSignature, EluField, EluStatus, FieldOfAction
from tests.support.catalog import fixed_part, said
from tests.support.onboarding import (
    FORM,
    card_of,
    elu_of,
    field_ids,
    fill_form,
    installed,
    register,
)


async def test_joining_sends_a_dm_with_the_start_button_which_opens_the_form(rig) -> None:
    grenoble = await installed(rig)
    newcomer = rig.emu.create_user("nina", global_name="Nina Nouvelle")
    await rig.emu.member_join(rig.guild, newcomer)
    (dm,) = await rig.emu.wait_for(lambda: rig.emu.dms_to(newcomer))
    assert said("accueil.dm", serveur=rig.guild.name) in dm.text
    custom_id = f"rtes:adhesion:commencer:{rig.guild.id}"
    assert dm.find_component(custom_id=custom_id)
    opened = await rig.emu.click(None, newcomer, dm, custom_id)
    assert opened.modal is not None
    assert [c["components"][0]["custom_id"] for c in opened.modal["components"]] == [
        "nom", "collectivite", "mandat", "email", "telephone",
    ]  # fmt: skip
    # The same button in #accueil opens the form too.
    (welcome,) = rig.emu.channel_messages(rig.emu.find_channel(rig.guild, "accueil"))
    assert (await rig.emu.click(rig.guild, newcomer, welcome, custom_id)).modal is not None

    # The whole flow works in the DM: the network is the one named by the button.
    form = await rig.emu.submit_modal(
        None, newcomer, opened, {**FORM, "nom": "Nina Nouvelle", "collectivite": "grenoble"}
    )
    step = form.message
    assert step.channel_id == rig.emu.dm_channel(newcomer).id
    await rig.emu.click(None, newcomer, step, "adhesion:collectivite", values=[str(grenoble.id)])
    await rig.emu.click(None, newcomer, step, "adhesion:continuer")
    final = await rig.emu.click(None, newcomer, step, "adhesion:signer")
    await final.wait_done()
    assert said("adhesion.envoyee", nom="Nina Nouvelle") in final.text
    elu = await elu_of(rig, newcomer)
    assert (
        elu is not None and elu.status == EluStatus.PENDING and elu.collectivite_id == grenoble.id
    )
    assert rig.emu.member_role_names(rig.guild, newcomer) == {"En attente"}
    assert "Nina Nouvelle" in card_of(rig, elu.id).text


async def test_the_form_speaks_english_to_an_english_speaking_user(rig) -> None:
    """Pins the exact English of the form's title and of an invalid email address."""
    await installed(rig)
    eve = rig.emu.create_user("eve", global_name="Eve English", locale="en-US")
    rig.emu.add_member(rig.guild, eve)
    start = await rig.emu.slash(rig.guild, eve, "adhesion", locale="en-US")
    assert start.modal["title"] == "Joining the RTES network"
    answer = await rig.emu.submit_modal(
        rig.guild, eve, start, {**FORM, "email": "eve@"}, locale="en-US"
    )
    assert "Email address" in answer.text and "is not a valid email address" in answer.text


async def test_full_registration_then_validation(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    submitted = await fill_form(rig, anne, FORM)
    # « Grenobel » finds « Grenoble ».
    picker = submitted.message.find_component(custom_id="adhesion:collectivite")
    assert picker["options"][0]["label"] == "Grenoble"
    assert picker["options"][-1]["value"] == "new"
    assert await elu_of(rig, anne) is None
    final = await register(rig, anne, collectivite_id=grenoble.id)
    assert said("adhesion.envoyee", nom="Anne Dupont") in final.text
    assert said("adhesion.charte-signee", version=1) in final.text

    elu = await elu_of(rig, anne)
    assert elu is not None and elu.status == EluStatus.PENDING
    assert (elu.collectivite_id, elu.email, elu.phone) == (
        grenoble.id,
        "anne.dupont@grenoble.fr",
        "+33612345678",
    )
    assert elu.share_email and not elu.share_phone
    async with rig.db.read() as session:
        chosen = set((await session.execute(select_fields(elu.id))).scalars())
        signatures = (
            (
                await session.execute(
                    select(CharterSignature).where(CharterSignature.elu_id == elu.id)
                )
            )
            .scalars()
            .all()
        )
    assert chosen == set(await field_ids(rig, 2))
    assert len(signatures) == 1 and signatures[0].collectivite_name == "Grenoble"
    assert rig.emu.member_role_names(rig.guild, anne) == {"En attente"}

    card = card_of(rig, elu.id)
    assert "Anne Dupont" in card.text and "Grenoble" in card.text
    assert said("adhesion.carte.statut.en-attente") in card.text
    assert card.find_component(custom_id=f"rtes:adhesion:valider:{elu.id}")

    done = await rig.emu.click(rig.guild, rig.admin, card, f"rtes:adhesion:valider:{elu.id}")
    await done.wait_done()
    assert said("adhesion.validee.bureau", nom="Anne Dupont") in done.text and done.ephemeral
    names = rig.emu.member_role_names(rig.guild, anne)
    async with rig.db.read() as session:
        field_names = set(
            (
                await session.execute(
                    select(FieldOfAction.name).where(FieldOfAction.id.in_(chosen))
                )
            ).scalars()
        )  # type: ignore[attr-defined]
    assert names == {"Élu·e", *field_names}
    welcomed = said("adhesion.dm.validee", nom="Anne Dupont")
    await rig.emu.wait_for(lambda: [m for m in rig.emu.dms_to(anne) if welcomed in m.text])
    await rig.emu.wait_for(lambda: fixed_part("adhesion.carte.statut.validee") in card.text)
    assert not card.buttons
    assert (await elu_of(rig, anne)).status == EluStatus.ACTIVE


async def test_concurrent_clicks_on_valider_apply_once(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)
    elu = await elu_of(rig, anne)
    card = card_of(rig, elu.id)
    other = rig.user("Bea Bureau", roles=["Bureau"])
    custom_id = f"rtes:adhesion:valider:{elu.id}"
    first, second = await asyncio.gather(
        rig.emu.click(rig.guild, rig.admin, card, custom_id),
        rig.emu.click(rig.guild, other, card, custom_id),
    )
    await asyncio.gather(first.wait_done(), second.wait_done())
    texts = sorted([first.text, second.text])
    assert any(said("adhesion.deja-validee", nom="Anne Dupont") in text for text in texts), texts
    assert sum(said("adhesion.validee.bureau", nom="Anne Dupont") in text for text in texts) == 1
    member_role = rig.emu.find_role(rig.guild, "Élu·e")
    assert len(rig.emu.requests_to("PUT", rf"/members/{anne.id}/roles/{member_role.id}$")) == 1
    welcomed = said("adhesion.dm.validee", nom="Anne Dupont")
    await rig.emu.wait_for(lambda: [m for m in rig.emu.dms_to(anne) if welcomed in m.text])
    await asyncio.sleep(0.1)
    assert len([m for m in rig.emu.dms_to(anne) if welcomed in m.text]) == 1
    async with rig.db.read() as session:
        count = (await session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "elu.validated")
        )).scalar_one()  # fmt: skip
    assert count == 1


async def test_invalid_email_and_phone_are_named_and_correcting_keeps_what_was_typed(rig) -> None:
    """Pins the exact French of the form's refusal: each wrong field named with what was typed."""
    await installed(rig)
    anne = rig.user("Anne Dupont")
    typed = {**FORM, "email": "anne.dupont@", "telephone": "0612"}
    answer = await fill_form(rig, anne, typed)
    assert answer.ephemeral
    assert "Adresse e-mail" in answer.text and "« anne.dupont@ »" in answer.text
    assert "Téléphone" in answer.text and "« 0612 »" in answer.text
    assert "Collectivité :" not in answer.text  # valid fields are not blamed
    again = await rig.emu.click(rig.guild, anne, answer.message, "adhesion:corriger")
    values = {
        row["components"][0]["custom_id"]: row["components"][0].get("value")
        for row in again.modal["components"]
    }
    assert values == typed
    assert await elu_of(rig, anne) is None
    fixed = await rig.emu.submit_modal(
        rig.guild, anne, again, {"email": "anne@grenoble.fr", "telephone": ""}
    )
    assert fixed.message.find_component(custom_id="adhesion:collectivite")


def select_fields(elu_id: int):
    return select(EluField.field_id).where(EluField.elu_id == elu_id)
