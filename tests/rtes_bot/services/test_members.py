"""Membership services on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set):
CSV import of collectivités, fields of action, registration, validation once, référents,
and the installation plan (pure)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from rtes_bot.catalog import t
from rtes_bot.db import Database
from rtes_bot.errors import Conflict, InvalidInput, NotFound
from rtes_bot.models import AuditEvent, Collectivite, Elu, EluStatus, FieldOfAction, GuildSettings
from rtes_bot.services import collectivites, fields, installation, members
from rtes_bot.services.installation import (
    Action,
    ChannelType,
    ExistingChannel,
    Snapshot,
    Target,
    TargetKind,
)

GUILD = 111_222_333_444_555_666

HEADER = "nom;type;code;departement;region;statut;poids\n"
GOOD = (
    HEADER
    + "Grenoble;commune;38185;Isère;Auvergne-Rhône-Alpes;adhérente;2\n"
    + "Grenoble-Alpes Métropole;intercommunalité;200040715;Isère;Auvergne-Rhône-Alpes;associée;\n"
    + "Département de l'Isère;département;38;;Auvergne-Rhône-Alpes;adherente;1\n"
)


async def _count(database: Database, model: type) -> int:
    async with database.read() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def _import(database: Database, data: bytes) -> collectivites.ImportReport:
    async with database.begin() as session:
        return await collectivites.import_csv(session, GUILD, data, actor_id=1)


# --------------------------------------------------------------------------- CSV import


async def test_import_reads_utf8_with_bom_and_semicolons(database: Database) -> None:
    report = await _import(database, b"\xef\xbb\xbf" + GOOD.encode())
    assert sorted(report.created) == sorted(
        ["Grenoble", "Grenoble-Alpes Métropole", "Département de l'Isère"]
    )
    async with database.read() as session:
        rows = {row.name: row for row in await collectivites.all_collectivites(session, GUILD)}
    grenoble = rows["Grenoble"]
    assert (grenoble.kind, grenoble.code, grenoble.departement, grenoble.status, grenoble.weight) == (
        "commune", "38185", "Isère", "adherente", 2,
    )  # fmt: skip
    metro = rows["Grenoble-Alpes Métropole"]
    assert (metro.kind, metro.status, metro.weight) == ("intercommunalite", "associee", 1)
    assert rows["Département de l'Isère"].kind == "departement"


async def test_import_sniffs_commas_and_tolerates_header_case_and_accents(
    database: Database,
) -> None:
    data = "Nom,Type,Département,Région,Statut\nLyon,Commune,Rhône,Auvergne-Rhône-Alpes,Adhérente\n"
    report = await _import(database, data.encode())
    assert report.created == ["Lyon"]
    async with database.read() as session:
        (lyon,) = await collectivites.all_collectivites(session, GUILD)
    assert (lyon.departement, lyon.region, lyon.weight) == ("Rhône", "Auvergne-Rhône-Alpes", 1)


async def test_reimport_updates_by_code_then_by_name_instead_of_duplicating(
    database: Database,
) -> None:
    await _import(database, GOOD.encode())
    again = (
        HEADER
        + "Ville de Grenoble;commune;38185;Isère;Auvergne-Rhône-Alpes;adherente;3\n"  # same code, renamed
        + "GRENOBLE-ALPES METROPOLE;intercommunalite;;Isère;Auvergne-Rhône-Alpes;adherente;1\n"  # same folded name
        + "Département de l'Isère;departement;38;;Auvergne-Rhône-Alpes;adherente;1\n"  # unchanged
    )
    report = await _import(database, again.encode())
    assert report.created == []
    assert sorted(report.updated) == ["GRENOBLE-ALPES METROPOLE", "Ville de Grenoble"]
    assert report.unchanged == ["Département de l'Isère"]
    assert await _count(database, Collectivite) == 3
    async with database.read() as session:
        rows = {row.code: row for row in await collectivites.all_collectivites(session, GUILD)}
    assert rows["38185"].name == "Ville de Grenoble" and rows["38185"].weight == 3
    assert rows["200040715"].status == "adherente"  # empty code cell kept the known code


async def test_invalid_lines_are_reported_with_numbers_and_nothing_is_written(
    database: Database,
) -> None:
    data = (
        HEADER
        + "Grenoble;commune;38185;Isère;ARA;adherente;1\n"
        + ";commune;;;;;\n"  # line 3: no name
        + "Lyon;village;;;;;\n"  # line 4: unknown type
        + "Paris;commune;ABC;;;;0\n"  # line 5: bad code, bad weight
        + "grenoble;commune;;;;;\n"  # line 6: same name as line 2
        + "Nantes;commune;;;;membre;\n"  # line 7: unknown status
    )
    with pytest.raises(collectivites.ImportRefused) as refused:
        await _import(database, data.encode())
    by_line = {e.line: [p.key for p in e.problems] for e in refused.value.errors}
    assert by_line == {
        3: ["collectivites.import.nom-vide"],
        4: ["collectivites.import.type-invalide"],
        5: ["collectivites.import.code-invalide", "collectivites.import.poids-invalide"],
        6: ["collectivites.import.nom-en-double"],
        7: ["collectivites.import.statut-invalide"],
    }
    assert await _count(database, Collectivite) == 0
    assert await _count(database, AuditEvent) == 0


def test_wrong_encoding_is_refused_with_the_line() -> None:
    data = (HEADER + "Évry;commune;;;;;\n").encode("cp1252")
    with pytest.raises(InvalidInput) as refused:
        collectivites.parse_csv(data)
    assert refused.value.key == "collectivites.import.encodage"
    assert refused.value.params == {"ligne": 2}


def test_wrong_columns_are_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        collectivites.parse_csv(b"name;kind;poids\nGrenoble;commune;1\n")
    assert refused.value.key == "collectivites.import.colonnes"
    assert refused.value.params["problemes"].parts == (
        ("collectivites.import.colonnes.inconnues", {"liste": "name, kind"}),
        ("collectivites.import.colonnes.manquantes", {"liste": "nom, type"}),
    )


def test_a_refused_import_lists_its_lines_or_the_first_ones() -> None:
    data = (HEADER + "".join(f"Ville {i};village;;;;;\n" for i in range(5))).encode()
    refused = collectivites.ImportRefused(collectivites.parse_csv(data).errors)
    every = collectivites.refusal_text(refused, "fr").splitlines()
    assert every[0] == t("collectivites.import.lignes-invalides", "fr", nombre=5)
    assert len(every) == 1 + 5 + 1 and every[-1] == t("collectivites.import.rien-ecrit", "fr")
    first = collectivites.refusal_text(refused, "fr", most=2).splitlines()
    assert first[1:3] == every[1:3]
    assert first[3] == t("collectivites.import.autres", "fr", nombre=3)


def test_too_large_a_file_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        collectivites.parse_csv(b"x" * (collectivites.MAX_FILE_BYTES + 1))
    assert refused.value.key == "collectivites.import.trop-gros"


# --------------------------------------------------------------------------- fields of action


async def test_default_fields_are_seeded_once(database: Database) -> None:
    async with database.begin() as session:
        first = await fields.seed_defaults(session, GUILD, 1)
    async with database.begin() as session:
        again = await fields.seed_defaults(session, GUILD, 1)
    assert [f.slug for f in first] == [slug for slug, _ in fields.DEFAULT_FIELDS]
    assert "Coopération internationale" in [f.name for f in first]
    assert again == []
    assert await _count(database, FieldOfAction) == 7


async def test_add_rename_retire_keeps_history(database: Database) -> None:
    async with database.begin() as session:
        await fields.seed_defaults(session, GUILD, 1)
        added = await fields.add_field(session, GUILD, "Alimentation durable", "Circuits courts", 1)
    assert added.slug == "alimentation-durable"
    async with database.begin() as session:
        with pytest.raises(Conflict):
            await fields.add_field(session, GUILD, "alimentation DURABLE", "", 1)
    async with database.begin() as session:
        renamed, former = await fields.rename_field(
            session, GUILD, added.id, "Alimentation et agriculture", 1
        )
    assert former == "Alimentation durable" and renamed.slug == "alimentation-et-agriculture"
    async with database.begin() as session:
        await fields.retire_field(session, GUILD, added.id, 1)
    async with database.read() as session:
        assert added.id not in [f.id for f in await fields.active_fields(session, GUILD)]
        assert added.id in [f.id for f in await fields.all_fields(session, GUILD)]
        actions = [e.action for e in (await session.execute(select(AuditEvent))).scalars()]
    assert {"field.added", "field.renamed", "field.retired"} <= set(actions)


# --------------------------------------------------------------------------- registration


def test_form_validation_names_each_wrong_field() -> None:
    with pytest.raises(members.InvalidForm) as refused:
        members.validate_form(
            members.Form(
                full_name="Anne",
                collectivite="Grenoble",
                mandate="maire",
                email="anne@",
                phone="0612",
            )
        )
    assert [p.field for p in refused.value.problems] == ["email", "telephone"]
    contact = members.validate_form(
        members.Form(
            full_name=" Anne  Dupont ",
            collectivite="Grenoble",
            mandate="maire",
            email="Anne.Dupont@Grenoble.FR",
            phone="06 12 34 56 78",
        )
    )
    assert contact.full_name == "Anne Dupont"
    assert contact.phone == "+33612345678"
    assert contact.email == "Anne.Dupont@grenoble.fr"
    assert (
        members.validate_form(
            members.Form(full_name="A", collectivite="B", mandate="C", email="a@b.fr", phone="")
        ).phone
        is None
    )


async def _registered(database: Database, user_id: int = 42) -> Elu:
    async with database.begin() as session:
        await fields.seed_defaults(session, GUILD, 1)
        field_ids = [f.id for f in await fields.active_fields(session, GUILD)][:2]
        contact = members.validate_form(
            members.Form(
                full_name="Anne Dupont",
                collectivite="Grenobel",
                mandate="adjointe ESS",
                email="anne@grenoble.fr",
            )
        )
        submitted = await members.submit(
            session,
            GUILD,
            user_id,
            members.Registration(
                contact, None, "Grenobel-les-Bains", frozenset(field_ids), True, False
            ),
        )
    return submitted.elu


async def test_submission_creates_a_pending_member_and_flags_a_new_collectivite(
    database: Database,
) -> None:
    elu = await _registered(database)
    assert elu.status == EluStatus.PENDING
    assert elu.share_email and not elu.share_phone
    async with database.read() as session:
        collectivite = await session.get(Collectivite, elu.collectivite_id)
        assert collectivite is not None and collectivite.flagged_new
        assert len(await fields.elu_field_ids(session, elu.id)) == 2


async def test_validation_applies_once_even_when_clicked_concurrently(database: Database) -> None:
    elu = await _registered(database)
    other = Database(database.url)

    async def validate(db: Database, actor: int) -> str:
        try:
            async with db.begin() as session:
                await members.validate(session, GUILD, elu.id, actor)
            return "ok"
        except Conflict as conflict:
            return conflict.key

    try:
        results = await asyncio.gather(
            *(validate(database if i % 2 else other, 1000 + i) for i in range(6))
        )
    finally:
        await other.dispose()
    assert sorted(results) == ["adhesion.deja-validee"] * 5 + ["ok"]
    async with database.read() as session:
        validations = (
            await session.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "elu.validated")
            )
        ).scalar_one()
        stored = await session.get(Elu, elu.id)
    assert validations == 1
    assert (
        stored is not None and stored.status == EluStatus.ACTIVE and stored.validated_by is not None
    )


async def test_refusal_after_validation_is_a_conflict(database: Database) -> None:
    elu = await _registered(database)
    async with database.begin() as session:
        await members.validate(session, GUILD, elu.id, 7)
    with pytest.raises(Conflict) as conflict:
        async with database.begin() as session:
            await members.reject(session, GUILD, elu.id, "doublon", 8)
    assert conflict.value.key == "adhesion.deja-validee"


async def test_a_decided_registration_is_no_longer_pending(database: Database) -> None:
    """The Refuser button asks for a reason only while the registration awaits the bureau."""
    elu = await _registered(database)
    async with database.read() as session:
        assert (await members.get_pending(session, GUILD, elu.id)).id == elu.id
    async with database.begin() as session:
        await members.reject(session, GUILD, elu.id, "doublon", 8)
    async with database.read() as session:
        with pytest.raises(Conflict) as conflict:
            await members.get_pending(session, GUILD, elu.id)
        assert conflict.value.key == "adhesion.deja-refusee"
        with pytest.raises(NotFound) as unknown:
            await members.get_elu(session, GUILD + 1, elu.id)
        assert unknown.value.key == "adhesion.inconnue"


async def test_leaving_keeps_the_data(database: Database) -> None:
    elu = await _registered(database)
    async with database.begin() as session:
        left = await members.mark_left(session, GUILD, 42)
    assert left is not None and left.status == EluStatus.LEFT and left.left_at is not None
    async with database.read() as session:
        stored = await session.get(Elu, elu.id)
    assert (
        stored is not None
        and stored.full_name == "Anne Dupont"
        and stored.email == "anne@grenoble.fr"
    )


async def test_one_referent_per_collectivite(database: Database) -> None:
    async with database.begin() as session:
        town = Collectivite(guild_id=GUILD, name="Grenoble", name_key="grenoble")
        session.add(town)
        await session.flush()
        first = Elu(
            guild_id=GUILD,
            discord_user_id=1,
            full_name="A",
            collectivite_id=town.id,
            status="active",
        )
        second = Elu(
            guild_id=GUILD,
            discord_user_id=2,
            full_name="B",
            collectivite_id=town.id,
            status="active",
        )
        session.add_all([first, second])
    async with database.begin() as session:
        await members.designate_referent(session, GUILD, first.id, None, 9)
    async with database.begin() as session:
        _, _, previous = await members.designate_referent(session, GUILD, second.id, town.id, 9)
    assert previous is not None and previous.id == first.id
    async with database.read() as session:
        referents = (
            (
                await session.execute(select(Elu.full_name).where(Elu.is_referent.is_(True)))  # type: ignore[attr-defined]
            )
            .scalars()
            .all()
        )
    assert referents == ["B"]


# --------------------------------------------------------------------------- installation plan (pure)


def _settings(**ids: int) -> GuildSettings:
    return GuildSettings(guild_id=GUILD, **ids)


def test_plan_keeps_stored_ids_adopts_by_name_and_creates_the_rest() -> None:
    settings = _settings(bureau_role_id=10, welcome_channel_id=99)
    snapshot = Snapshot(
        roles={10: "Bureau", 11: "élu·e", 12: "Autre"},
        channels={
            20: ExistingChannel(20, "Réseau RTES", ChannelType.CATEGORY),
            21: ExistingChannel(21, "registre-des-decisions", ChannelType.TEXT),
        },
    )
    steps = {
        s.target.key: s for s in installation.plan(installation.targets(settings, []), snapshot)
    }
    assert (steps["role:bureau"].action, steps["role:bureau"].existing_id) == (Action.KEEP, 10)
    assert (steps["role:member"].action, steps["role:member"].existing_id) == (Action.ADOPT, 11)
    assert steps["role:pending"].action == Action.CREATE
    assert (steps["category"].action, steps["category"].existing_id) == (Action.ADOPT, 20)
    assert steps["channel:welcome"].action == Action.CREATE  # stored id 99 no longer exists
    assert (steps["channel:registry"].action, steps["channel:registry"].existing_id) == (
        Action.ADOPT,
        21,
    )


def test_plan_never_adopts_an_id_another_target_keeps() -> None:
    targets = [
        Target("role:a", TargetKind.ROLE, "Bureau", None),
        Target("role:b", TargetKind.ROLE, "Bureau", 5),
    ]
    steps = installation.plan(targets, Snapshot(roles={5: "Bureau"}, channels={}))
    assert [(s.action, s.existing_id) for s in steps] == [(Action.CREATE, None), (Action.KEEP, 5)]


def test_a_field_channel_may_be_a_forum_or_its_text_fallback() -> None:
    target = Target("channel:field:1", TargetKind.FIELD_CHANNEL, "services-aux-personnes", 30)
    as_text = Snapshot(
        roles={}, channels={30: ExistingChannel(30, "services-aux-personnes", ChannelType.TEXT)}
    )
    as_category = Snapshot(roles={}, channels={30: ExistingChannel(30, "x", ChannelType.CATEGORY)})
    assert installation.plan([target], as_text)[0].action == Action.KEEP
    assert installation.plan([target], as_category)[0].action == Action.CREATE


@pytest.mark.parametrize(
    ("cell", "kind"),
    [("Pays", "pays"), ("PAYS", "pays"), ("Régions", "region"), ("intercommunalités", "intercommunalite"),
     ("Département", "departement"), ("autre", "autre")],
)  # fmt: skip
def test_kinds_are_read_with_accents_case_and_plural(cell: str, kind: str) -> None:
    parsed = collectivites.parse_csv(f"nom;type\nX;{cell}\n".encode())
    assert parsed.errors == []
    assert parsed.rows[0].kind == kind
