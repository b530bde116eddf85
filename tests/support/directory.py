"""The directory's test network (fields, collectivités, members with and without consent) and its
search command, shared by the directory, privacy and chatbot tests."""

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
