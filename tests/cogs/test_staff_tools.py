"""The bureau's tools, end to end: the registration card's charter status, names in the audit
export, proposal posts that follow their status."""

from __future__ import annotations

from datetime import timedelta

from tests.support.catalog import said
from tests.support.onboarding import card_of, elu_of, installed, register
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
