"""The bureau's tools, end to end: the registration card's charter status, names in the audit
export, proposal posts that follow their status."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from tests.support.catalog import said
from tests.support.onboarding import card_of, elu_of, field_ids, installed, register
from tests.support.proposals import deposit, install, post, proposal_row
from tests.support.voting import advance_and_run, open_poll, setup_network, vote_text


async def test_the_bureau_card_shows_the_charter_status_and_follows_the_signature(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id, sign=False)
    elu = await elu_of(rig, anne)
    card = card_of(rig, elu.id)
    assert said("adhesion.carte.charte.non-signee", version=1) in card.text
    signed = await rig.emu.slash(rig.guild, anne, "charte", subcommand="signer")
    await signed.wait_done()
    await rig.emu.wait_for(lambda: said("adhesion.carte.charte.signee", version=1) in card.text)
    assert said("adhesion.carte.charte.non-signee", version=1) not in card.text
    assert card_of(rig, elu.id).id == card.id  # the same card, edited

    bruno = rig.user("Bruno Martin")
    await register(rig, bruno, collectivite_id=grenoble.id, sign=True)  # the wizard's button
    signed_card = card_of(rig, (await elu_of(rig, bruno)).id)
    assert said("adhesion.carte.charte.signee", version=1) in signed_card.text


def footer(message) -> str:
    return (message.embeds[0].get("footer") or {}).get("text", "")


async def test_a_proposal_post_follows_its_status_footer_and_buttons(rig) -> None:
    setup = await install(rig)
    await setup_network(rig)
    anne = await rig.elu("Anne Autrice")
    omar = await rig.elu("Omar Autre")
    domaine = setup.fields[0].slug
    await deposit(rig, anne.user, "Charte des achats", "Acheter local.", domaine=domaine)
    await deposit(rig, anne.user, "Vélos", "Des arceaux.", domaine=domaine)
    voted, withdrawn = await proposal_row(rig, 1), await proposal_row(rig, 2)
    first = post(rig, voted)
    assert footer(first) == said("proposition.post.pied", numero=1) and first.buttons

    poll, _ = await open_poll(rig, proposition=1, duree="1h")
    await rig.emu.wait_for(lambda: footer(first) == said("proposition.post.pied.au-vote", numero=1))
    assert first.buttons == []  # no « Soutenez ou amendez avec les boutons ci-dessous » left
    await vote_text(rig, anne.user, poll.number, "pour")
    await vote_text(rig, omar.user, poll.number, "pour")
    await advance_and_run(rig, timedelta(hours=2))
    await rig.emu.wait_for(lambda: footer(first) == said("proposition.post.pied.adoptee", numero=1))

    done = await rig.emu.slash(
        rig.guild, anne.user, "proposition", subcommand="retirer", options={"numero": 2}
    )
    await done.wait_done()
    second = post(rig, withdrawn)
    await rig.emu.wait_for(
        lambda: footer(second) == said("proposition.post.pied.retiree", numero=2)
    )
    assert second.buttons == []


async def audit_rows(rig) -> list[dict[str, str]]:
    exported = await rig.emu.slash(rig.guild, rig.admin, "admin", subcommand="audit")
    await exported.wait_done()
    (attachment,) = exported.message.attachments
    return list(csv.DictReader(io.StringIO(attachment.data.decode("utf-8-sig"))))


async def test_the_audit_export_names_people_next_to_ids_but_never_an_erased_one(rig) -> None:
    grenoble = await installed(rig)  # the installer also makes the fields and their forums
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)
    elu = await elu_of(rig, anne)
    validated = await rig.emu.click(
        rig.guild, rig.admin, card_of(rig, elu.id), f"rtes:adhesion:valider:{elu.id}"
    )
    await validated.wait_done()
    zoe = await rig.elu("Zoé Quintard")
    (field,) = await field_ids(rig, 1)
    await deposit(rig, zoe.user, "Titre", "Texte", domaine=str(field))

    rows = await audit_rows(rig)
    by_action = {row["action"]: row for row in rows}
    validation = by_action["elu.validated"]
    assert validation["actor_id"] == str(rig.admin.id)
    assert validation["actor_name"] == rig.admin.global_name  # not registered: Discord's name
    assert validation["subject_name"] == "Anne Dupont"  # the person the event is about
    deposited = by_action["proposition.deposee"]
    assert (deposited["actor_id"], deposited["actor_name"]) == (str(zoe.user.id), "Zoé Quintard")
    assert deposited["subject_name"] == ""  # a proposal is not a person

    asked = await rig.emu.slash(rig.guild, zoe.user, "mes-donnees", subcommand="effacer")
    erased = await rig.emu.click(
        rig.guild, zoe.user, asked.message, label=said("donnees.effacer.confirmer")
    )
    await erased.wait_done()
    after = await audit_rows(rig)
    assert "Zoé Quintard" not in str(after) and str(zoe.user.id) not in str(after)
    assert "Anne Dupont" in str(after)  # not vacuous
