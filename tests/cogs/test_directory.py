"""`/annuaire` end to end: typo-tolerant search over name, collectivité, mandate and fields,
filters by field and département, only active members, consent per contact field, pagination,
and the refusals (visitor, pending member)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rtes_bot.models import EluField, EluStatus, FieldOfAction

DEFAULT_FIELDS = (
    ("finances-solidaires", "Création et développement d'activités, finances solidaires"),
    ("democratie-participative", "Développement de la démocratie participative"),
    ("services-aux-personnes", "Services aux personnes"),
    ("commerce-equitable", "Commerce équitable, achat éthique"),
    ("democratie-locale", "Démocratie locale et éducation populaire"),
    ("environnement", "Protection de l'environnement, de la santé, des ressources naturelles"),
    ("cooperation-internationale", "Coopération internationale"),
)

# Contact fields shared by nobody: they must never appear in anyone else's output.
BRUNO_EMAIL = "bruno.discret@example.org"
BRUNO_PHONE = "+33612345678"
ALICE_EMAIL = "alice.martin@grenoble.fr"  # shared
ALICE_PHONE = "+33476000001"  # not shared
CHLOE_PHONE = "+33320000002"  # shared


@dataclass
class Network:
    fields: dict[str, FieldOfAction]
    collectivites: dict[str, Any]
    alice: Any
    bruno: Any
    chloe: Any
    paul: Any  # pending
    dora: Any  # the member who asks


async def add_fields(rig: Any, person: Any, *slugs: str, fields: dict[str, FieldOfAction]) -> None:
    async with rig.db.begin() as session:
        for slug in slugs:
            session.add(EluField(elu_id=person.elu.id, field_id=fields[slug].id))


async def populate(rig: Any) -> Network:
    """Four collectivités, the seven fields of the charter, three active élus, a pending one."""
    fields: dict[str, FieldOfAction] = {}
    async with rig.db.begin() as session:
        for position, (slug, name) in enumerate(DEFAULT_FIELDS):
            row = FieldOfAction(guild_id=rig.guild.id, slug=slug, name=name, position=position)
            session.add(row)
            fields[slug] = row
        await session.flush()
    collectivites = {
        "grenoble": await rig.collectivite("Grenoble", departement="Isère", code="38185"),
        "metropole": await rig.collectivite("Grenoble-Alpes Métropole", departement="Isère"),
        "lille": await rig.collectivite("Lille", departement="Nord", code="59350"),
        "commercy": await rig.collectivite("Commercy", departement="Meuse", code="55122"),
    }
    alice = await rig.elu(
        "Alice Martin",
        collectivite=collectivites["grenoble"],
        email=ALICE_EMAIL,
        share_email=True,
        phone=ALICE_PHONE,
        share_phone=False,
    )
    bruno = await rig.elu(
        "Bruno Discret",
        collectivite=collectivites["metropole"],
        email=BRUNO_EMAIL,
        phone=BRUNO_PHONE,
    )
    chloe = await rig.elu(
        "Chloé Dupont", collectivite=collectivites["lille"], phone=CHLOE_PHONE, share_phone=True
    )
    paul = await rig.elu(
        "Paul Attente", collectivite=collectivites["commercy"], status=EluStatus.PENDING
    )
    dora = await rig.elu("Dora Demandeuse", collectivite=collectivites["lille"])
    await add_fields(rig, alice, "commerce-equitable", "finances-solidaires", fields=fields)
    await add_fields(rig, bruno, "commerce-equitable", fields=fields)
    await add_fields(rig, chloe, "cooperation-internationale", fields=fields)
    await add_fields(rig, paul, "commerce-equitable", fields=fields)
    return Network(fields, collectivites, alice, bruno, chloe, paul, dora)


async def search(rig: Any, user: Any, locale: str = "fr", **options: Any) -> Any:
    reply = await rig.emu.slash(
        rig.guild, user, "annuaire", subcommand="chercher", options=options, locale=locale
    )
    await reply.wait_done()
    return reply


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
    assert "Aucun membre actif" in nobody.text
    unknown_field = await search(rig, net.dora.user, domaine="astronautique")
    assert "n'existe pas" in unknown_field.text and "Commerce équitable" in unknown_field.text


async def test_autocomplete_offers_fields_and_departements(rig) -> None:
    net = await populate(rig)
    fields = await rig.emu.autocomplete(
        rig.guild,
        net.dora.user,
        "annuaire",
        subcommand="chercher",
        options={"domaine": "commer"},
        focused="domaine",
    )
    assert [c["value"] for c in fields] == ["commerce-equitable"]
    departements = await rig.emu.autocomplete(
        rig.guild,
        net.dora.user,
        "annuaire",
        subcommand="chercher",
        options={"departement": "is"},
        focused="departement",
    )
    assert [c["value"] for c in departements] == ["Isère"]


async def test_cards_show_only_consented_contact_fields(rig) -> None:
    net = await populate(rig)
    reply = await search(rig, net.dora.user)
    assert ALICE_EMAIL in reply.text  # consented
    assert CHLOE_PHONE in reply.text  # consented
    for secret in (ALICE_PHONE, BRUNO_EMAIL, BRUNO_PHONE):
        assert secret not in reply.text
    card = await rig.emu.slash(
        rig.guild, net.dora.user, "annuaire", subcommand="fiche", options={"membre": net.bruno.user}
    )
    await card.wait_done()
    assert card.ephemeral
    assert "Bruno Discret" in card.text and "Grenoble-Alpes Métropole" in card.text
    assert "Commerce équitable" in card.text and "Adjoint·e à l'ESS" in card.text
    assert BRUNO_EMAIL not in card.text and BRUNO_PHONE not in card.text
    assert "n'a pas choisi de partager" in card.text
    pending = await rig.emu.slash(
        rig.guild, net.dora.user, "annuaire", subcommand="fiche", options={"membre": net.paul.user}
    )
    await pending.wait_done()
    assert "n'est pas (ou plus) membre active" in pending.text


async def test_visitors_and_pending_members_cannot_use_the_directory(rig) -> None:
    net = await populate(rig)
    visitor = rig.user("Victor Visiteur")
    refused = await search(rig, visitor, recherche="grenoble")
    assert "réservée aux élu·es membres" in refused.text and "Alice" not in refused.text
    pending = await search(rig, net.paul.user, recherche="grenoble")
    assert "en attente de validation" in pending.text and "Alice" not in pending.text
    english = await search(rig, visitor, locale="en-US", recherche="grenoble")
    assert "reserved for the network's elected members" in english.text


async def test_long_results_are_paginated_with_buttons(rig) -> None:
    net = await populate(rig)
    for index in range(30):
        await rig.elu(f"Membre Numéro{index:02d}", collectivite=net.collectivites["lille"])
    first = await search(rig, net.dora.user, departement="Nord")
    message = first.message
    assert "Page 1/" in message.content
    assert len(message.content) <= 2000
    shown_first = {line for line in message.content.splitlines() if "Numéro" in line}
    turned = await rig.emu.click(rig.guild, net.dora.user, message, label="Suivant ▶")
    assert "Page 2/" in turned.message.content
    shown_second = {line for line in turned.message.content.splitlines() if "Numéro" in line}
    assert shown_first and shown_second and not shown_first & shown_second
    other = rig.user("Curieux Autre")
    stranger = await rig.emu.click(rig.guild, other, turned.message, label="◀ Précédent")
    assert "Ces boutons sont ceux de la personne" in stranger.text
