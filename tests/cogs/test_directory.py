"""`/annuaire` end to end: typo-tolerant search over name, collectivité, mandate and fields,
filters by field and département, only active members, consent per contact field, pagination,
and the refusals (visitor, pending member)."""

from __future__ import annotations

from rtes_bot.catalog import t
from rtes_bot.text import display_phone
from tests.support.directory import (
    ALICE_EMAIL,
    ALICE_PHONE,
    BRUNO_EMAIL,
    BRUNO_PHONE,
    CHLOE_PHONE,
    DEFAULT_FIELDS,
    populate,
    search,
)


async def test_search_tolerates_typos_accents_and_case(rig) -> None:
    net = await populate(rig)
    for typed in ("grenobel", "GRENOBLE", "Grénoble"):
        reply = await search(rig, net.dora.user, recherche=typed)
        assert reply.ephemeral
        assert "Alice Martin" in reply.text and "Bruno Discret" in reply.text, typed
        assert "Chloé Dupont" not in reply.text
    by_name = await search(rig, net.dora.user, recherche="alise martn")
    assert "Alice Martin" in by_name.text and "Bruno" not in by_name.text
    by_accentless_name = await search(rig, net.dora.user, recherche="chloe")
    assert "Chloé Dupont" in by_accentless_name.text
    by_field_words = await search(rig, net.dora.user, recherche="commerce equitables")
    assert "Alice Martin" in by_field_words.text and "Bruno Discret" in by_field_words.text


async def test_filters_by_field_and_departement_and_lists_only_active_members(rig) -> None:
    net = await populate(rig)
    fair_trade = await search(rig, net.dora.user, domaine="commerce-equitable")
    assert "Alice Martin" in fair_trade.text and "Bruno Discret" in fair_trade.text
    assert "Paul Attente" not in fair_trade.text  # pending: not in the directory
    assert "Chloé" not in fair_trade.text
    by_name = await search(rig, net.dora.user, domaine="cooperation internationale")
    assert "Chloé Dupont" in by_name.text and "Alice" not in by_name.text
    isere = await search(rig, net.dora.user, departement="isere")
    assert (
        "Alice Martin" in isere.text and "Bruno Discret" in isere.text and "Chloé" not in isere.text
    )
    by_number = await search(rig, net.dora.user, departement="59")
    assert "Chloé Dupont" in by_number.text and "Alice" not in by_number.text
    both = await search(
        rig, net.dora.user, domaine="commerce-equitable", departement="Isère", recherche="alice"
    )
    assert "Alice Martin" in both.text and "Bruno" not in both.text
    nobody = await search(rig, net.dora.user, recherche="Zorglub")
    assert nobody.text == t("annuaire.aucun-resultat", "fr", criteres="Zorglub")
    unknown_field = await search(rig, net.dora.user, domaine="astronautique")
    every_field = ", ".join(name for _, name in DEFAULT_FIELDS)
    assert unknown_field.text == t(
        "annuaire.domaine-inconnu", "fr", domaine="astronautique", domaines=every_field
    )


async def test_autocomplete_offers_fields_and_departements(rig) -> None:
    net = await populate(rig)

    async def suggested(option: str, typed: str) -> list[str]:
        choices = await rig.emu.autocomplete(
            rig.guild,
            net.dora.user,
            "annuaire",
            subcommand="chercher",
            options={option: typed},
            focused=option,
        )
        return [choice["value"] for choice in choices]

    assert await suggested("domaine", "commer") == ["commerce-equitable"]
    assert await suggested("departement", "is") == ["Isère"]


async def test_cards_show_only_consented_contact_fields(rig) -> None:
    net = await populate(rig)
    reply = await search(rig, net.dora.user)
    assert ALICE_EMAIL in reply.text  # consented
    assert display_phone(CHLOE_PHONE) == "03 20 00 00 02"  # one format: French national
    assert display_phone(CHLOE_PHONE) in reply.text  # consented
    for secret in (ALICE_PHONE, BRUNO_EMAIL, BRUNO_PHONE, display_phone(ALICE_PHONE)):
        assert secret not in reply.text
    card = await rig.emu.slash(
        rig.guild, net.dora.user, "annuaire", subcommand="fiche", options={"membre": net.bruno.user}
    )
    await card.wait_done()
    assert card.ephemeral
    assert "Bruno Discret" in card.text and "Grenoble-Alpes Métropole" in card.text
    assert "Commerce équitable" in card.text and "Adjoint·e à l'ESS" in card.text
    assert BRUNO_EMAIL not in card.text and BRUNO_PHONE[3:] not in card.text.replace(" ", "")
    assert t("annuaire.pas-de-contact", "fr") in card.text
    pending = await rig.emu.slash(
        rig.guild, net.dora.user, "annuaire", subcommand="fiche", options={"membre": net.paul.user}
    )
    await pending.wait_done()
    assert pending.text == t("annuaire.fiche-inconnue", "fr")


async def test_visitors_and_pending_members_cannot_use_the_directory(rig) -> None:
    net = await populate(rig)
    visitor = rig.user("Victor Visiteur")
    refused = await search(rig, visitor, recherche="grenoble")
    assert refused.text == t("acces.adhesion-requise", "fr")
    pending = await search(rig, net.paul.user, recherche="grenoble")
    assert pending.text == t("acces.en-attente", "fr")
    english = await search(rig, visitor, locale="en-US", recherche="grenoble")
    assert english.text == t("acces.adhesion-requise", "en")


async def test_long_results_are_paginated_with_buttons(rig) -> None:
    net = await populate(rig)
    for index in range(30):
        await rig.elu(f"Membre Numéro{index:02d}", collectivite=net.collectivites["lille"])
    first = await search(rig, net.dora.user, departement="Nord")
    message = first.message
    page = t("pages.indicateur", "fr", page="{page}", total="")  # « Page {page}/ »
    assert page.format(page=1) in message.content
    assert len(message.content) <= 2000
    shown_first = {line for line in message.content.splitlines() if "Numéro" in line}
    turned = await rig.emu.click(rig.guild, net.dora.user, message, label=t("pages.suivant", "fr"))
    assert page.format(page=2) in turned.message.content
    shown_second = {line for line in turned.message.content.splitlines() if "Numéro" in line}
    assert shown_first and shown_second and not shown_first & shown_second
    other = rig.user("Curieux Autre")
    stranger = await rig.emu.click(
        rig.guild, other, turned.message, label=t("pages.precedent", "fr")
    )
    assert stranger.text == t("pages.pas-a-vous", "fr")
