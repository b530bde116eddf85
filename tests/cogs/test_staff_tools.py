"""The bureau's tools, end to end: the registration card's charter status, names in the audit
export, proposal posts that follow their status."""

from __future__ import annotations

from tests.support.catalog import said
from tests.support.onboarding import card_of, elu_of, installed, register


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
