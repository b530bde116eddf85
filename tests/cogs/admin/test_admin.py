"""The bureau's `/admin import-collectivites`, `/admin referent`, `/admin domaines …`, and the
members' `/domaines choisir | liste`, end to end on the emulator with a real database."""

from __future__ import annotations

from sqlalchemy import func, select

from rtes_bot.models import AuditEvent, Collectivite, Elu, EluStatus, FieldOfAction
from rtes_bot.services.collectivites import COLUMNS, MAX_FILE_BYTES
from tests.emulator import FORUM
from tests.support.catalog import fixed_part, said

CSV = (
    "\ufeffnom;type;code;departement;region;statut;poids\n"
    "Grenoble;commune;38185;Isère;Auvergne-Rhône-Alpes;adhérente;2\n"
    "Échirolles;commune;38151;Isère;Auvergne-Rhône-Alpes;adhérente;1\n"
).encode()


async def install(rig) -> None:
    reply = await rig.emu.slash(rig.guild, rig.admin, "admin", subcommand="installer", timeout=10)
    await reply.wait_done(timeout=10)


async def count(rig, model) -> int:
    async with rig.db.read() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def import_file(rig, data: bytes, user=None, name: str = "collectivites.csv"):
    reply = await rig.emu.slash(
        rig.guild,
        user or rig.admin,
        "admin",
        subcommand="import-collectivites",
        options={"fichier": (name, data)},
    )
    return await reply.wait_done()


async def test_import_from_an_attachment_then_reimport_updates(rig) -> None:
    first = await import_file(rig, CSV)
    assert first.ephemeral
    assert said("collectivites.import.fait", creees=2, mises_a_jour=0, inchangees=0) in first.text
    again = await import_file(rig, CSV.replace(b"adh\xc3\xa9rente;2", b"adh\xc3\xa9rente;5"))
    assert said("collectivites.import.fait", creees=0, mises_a_jour=1, inchangees=1) in again.text
    assert await count(rig, Collectivite) == 2
    async with rig.db.read() as session:
        weight = (
            await session.execute(select(Collectivite.weight).where(Collectivite.code == "38185"))
        ).scalar_one()
    assert weight == 5


async def test_import_with_errors_lists_the_lines_and_writes_nothing(rig) -> None:
    """Pins the exact French of a refused line: its number, then each reason."""
    bad = CSV + b"Lyon;village;;;;;\n;commune;;;;;x\n"
    answer = await import_file(rig, bad)
    assert said("collectivites.import.lignes-invalides", nombre=2) in answer.text
    assert "ligne 4 : type « village » inconnu" in answer.text
    assert "ligne 5 : le nom est vide; poids « x » invalide" in answer.text
    assert said("collectivites.import.rien-ecrit") in answer.text
    assert await count(rig, Collectivite) == 0


async def test_import_refuses_wrong_encoding_wrong_columns_and_big_files(rig) -> None:
    latin = await import_file(rig, "nom;type\nÉvry;commune\n".encode("cp1252"))
    assert said("collectivites.import.encodage", ligne=2) in latin.text
    columns = await import_file(rig, b"name;type\nGrenoble;commune\n")
    unknown = said("collectivites.import.colonnes.inconnues", liste="name")
    missing = said("collectivites.import.colonnes.manquantes", liste="nom")
    assert f"{unknown} {missing} " in columns.text and ", ".join(COLUMNS) in columns.text
    # Only the problems found are named: no « En double : — » when nothing is duplicated.
    assert fixed_part("collectivites.import.colonnes.doublons") not in columns.text
    assert "—" not in columns.text
    big = await import_file(rig, b"nom;type\n" + b"x;commune\n" * 120_000)
    assert said("collectivites.import.trop-gros", max_ko=MAX_FILE_BYTES // 1000) in big.text
    assert await count(rig, Collectivite) == 0


async def test_import_is_for_the_bureau_only(rig) -> None:
    member = await rig.elu("Marc Membre")
    refused = await import_file(rig, CSV, user=member.user)
    assert said("acces.bureau-requis") in refused.text
    assert await count(rig, Collectivite) == 0


async def test_referent_designation_clears_the_previous_one_and_is_audited(rig) -> None:
    town = await rig.collectivite("Grenoble", code="38185")
    first = await rig.elu("Alice Martin", collectivite=town, referent=True)
    second = await rig.elu("Bruno Petit", collectivite=town)
    choices = await rig.emu.autocomplete(
        rig.guild, rig.admin, "admin", subcommand="referent", options={"membre": second.user, "collectivite": "grenob"},
        focused="collectivite",
    )  # fmt: skip
    assert choices[0] == {"name": "Grenoble", "value": str(town.id)}
    reply = await rig.emu.slash(
        rig.guild,
        rig.admin,
        "admin",
        subcommand="referent",
        options={"membre": second.user, "collectivite": str(town.id)},
    )
    assert said("referent.designe", nom="Bruno Petit", collectivite="Grenoble") in reply.text
    assert said("referent.precedent", nom="Alice Martin") in reply.text
    async with rig.db.read() as session:
        referents = (
            (await session.execute(select(Elu.full_name).where(Elu.is_referent.is_(True))))
            .scalars()
            .all()
        )  # type: ignore[attr-defined]
        events = (
            (
                await session.execute(
                    select(AuditEvent).where(AuditEvent.action == "referent.designated")
                )
            )
            .scalars()
            .all()
        )
    assert referents == ["Bruno Petit"]
    assert (
        len(events) == 1
        and events[0].actor_id == rig.admin.id
        and events[0].details["previous_elu_id"] == first.elu.id
    )
    pending = await rig.elu("Paul Pending", collectivite=town, status=EluStatus.PENDING)
    refused = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="referent", options={"membre": pending.user}
    )
    assert said("referent.pas-actif", nom="Paul Pending") in refused.text


async def test_fields_added_renamed_and_retired_by_the_bureau(rig) -> None:
    await install(rig)
    added = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="domaines ajouter",
        options={"nom": "Alimentation durable", "description": "Circuits courts"}, timeout=10,
    )  # fmt: skip
    await added.wait_done(timeout=10)
    assert said("admin.domaines.ajoute", nom="Alimentation durable") in added.text
    assert said("admin.domaines.installe") in added.text
    role = rig.emu.find_role(rig.guild, "Alimentation durable")
    forum = rig.emu.find_channel(rig.guild, "alimentation-durable", FORUM)
    assert role is not None and forum is not None
    async with rig.db.read() as session:
        field = (
            await session.execute(
                select(FieldOfAction).where(FieldOfAction.slug == "alimentation-durable")
            )
        ).scalar_one()
    assert (field.role_id, field.forum_channel_id) == (role.id, forum.id)

    choices = await rig.emu.autocomplete(
        rig.guild,
        rig.admin,
        "admin",
        subcommand="domaines renommer",
        options={"domaine": "aliment", "nom": "x"},
        focused="domaine",
    )
    assert choices == [{"name": "Alimentation durable", "value": str(field.id)}]
    renamed = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="domaines renommer",
        options={"domaine": str(field.id), "nom": "Alimentation et agriculture"},
    )  # fmt: skip
    await renamed.wait_done()
    assert (
        said(
            "admin.domaines.renomme",
            ancien="Alimentation durable",
            nom="Alimentation et agriculture",
        )
        in renamed.text
    )
    assert role.name == "Alimentation et agriculture"
    assert forum.name == "alimentation-et-agriculture"

    retired = await rig.emu.slash(
        rig.guild,
        rig.admin,
        "admin",
        subcommand="domaines retirer",
        options={"domaine": str(field.id)},
    )
    assert said("admin.domaines.retire", nom="Alimentation et agriculture") in retired.text
    async with rig.db.read() as session:
        stored = await session.get(FieldOfAction, field.id)
    assert stored.retired_at is not None
    assert (
        rig.emu.find_role(rig.guild, "Alimentation et agriculture") is not None
    )  # nothing destroyed
    assert rig.emu.channels.get(forum.id) is not None
    after = await rig.emu.autocomplete(
        rig.guild,
        rig.admin,
        "admin",
        subcommand="domaines retirer",
        options={"domaine": "aliment"},
        focused="domaine",
    )
    assert after == []


async def test_domaines_choisir_toggles_roles_for_members_and_waits_for_pending_ones(rig) -> None:
    await install(rig)
    active = await rig.elu("Alice Martin")
    pending = await rig.elu("Paul Pending", status=EluStatus.PENDING)
    async with rig.db.read() as session:
        rows = list(
            (
                await session.execute(select(FieldOfAction).order_by(FieldOfAction.position))
            ).scalars()
        )
    first, second = rows[0], rows[1]

    menu = await rig.emu.slash(rig.guild, active.user, "domaines", subcommand="choisir")
    assert menu.ephemeral
    chose = await rig.emu.click(
        rig.guild,
        active.user,
        menu.message,
        "domaines:choisir",
        values=[str(first.id), str(second.id)],
    )
    assert first.name in chose.text
    assert {first.name, second.name} <= rig.emu.member_role_names(rig.guild, active.user)
    menu = await rig.emu.slash(rig.guild, active.user, "domaines", subcommand="choisir")
    defaults = [
        o["value"]
        for o in menu.message.find_component(custom_id="domaines:choisir")["options"]
        if o.get("default")
    ]
    assert defaults == [str(first.id), str(second.id)]
    await rig.emu.click(
        rig.guild, active.user, menu.message, "domaines:choisir", values=[str(second.id)]
    )
    names = rig.emu.member_role_names(rig.guild, active.user)
    assert second.name in names and first.name not in names

    menu = await rig.emu.slash(rig.guild, pending.user, "domaines", subcommand="choisir")
    chose = await rig.emu.click(
        rig.guild, pending.user, menu.message, "domaines:choisir", values=[str(first.id)]
    )
    assert said("domaines.choisis.en-attente", domaines=first.name) in chose.text
    assert rig.emu.member_role_names(rig.guild, pending.user) == set()

    visitor = rig.user("Vera Visiteuse")
    refused = await rig.emu.slash(rig.guild, visitor, "domaines", subcommand="choisir")
    assert said("acces.adhesion-requise") in refused.text

    listing = await rig.emu.slash(rig.guild, active.user, "domaines", subcommand="liste")
    line = next(line for line in listing.text.splitlines() if second.name in line)
    assert said("domaines.membres", nombre=1) in line and f"<#{second.forum_channel_id}>" in line
    line = next(line for line in listing.text.splitlines() if first.name in line)
    assert said("domaines.membres", nombre=0) in line  # the pending member is not counted
    refused = await rig.emu.slash(rig.guild, pending.user, "domaines", subcommand="liste")
    assert said("acces.en-attente") in refused.text
