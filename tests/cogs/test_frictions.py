"""Small frictions, end to end: clean echoes of what was typed, the English wizard's button, one
phone format, DMs in the recipient's language."""

from __future__ import annotations

from tests.support.catalog import said
from tests.support.onboarding import FORM, installed
from tests.support.voting import open_poll, setup_network, vote_text


async def test_a_refusal_quotes_what_was_typed_without_stray_spaces(rig) -> None:
    await setup_network(rig)
    voter = await rig.elu("Vera Votante")
    poll, _ = await open_poll(
        rig, question="Quel projet ?", methode="jugement-majoritaire", options="Jardin; Vélo"
    )
    _, answer = await vote_text(rig, voter.user, poll.number, "Jardin:  TB ; Vélo: Bien")
    grades = said("counting.parse.unknown_grade", given="TB", grades="{grades}").split("{")[0]
    assert grades in answer.text  # « « TB » n'est pas une mention »
    assert "«  TB" not in answer.text and "TB  »" not in answer.text


async def test_the_english_wizard_offers_edit_not_the_adjective_correct(rig) -> None:
    await installed(rig)
    anne = rig.user("Anne Dupont")
    start = await rig.emu.slash(rig.guild, anne, "adhesion", locale="en-US")
    answer = await rig.emu.submit_modal(
        rig.guild, anne, start, {**FORM, "email": "anne@"}, locale="en-US"
    )
    button = answer.message.find_component(custom_id="adhesion:corriger")
    assert button is not None and button["label"] == said("adhesion.bouton.corriger", "en")
    assert said("adhesion.bouton.corriger", "en") == "Edit"  # a verb: the action, not « correct »
