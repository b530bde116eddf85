"""Hostile attached files, end to end: `/admin import-collectivites` and
`/admin charte-publier` with wrong encodings (latin-1, UTF-16), huge files, wrong, missing and
duplicate columns, empty and binary files, formula cells, odd names — each refused with its precise
catalog message and nothing written (every row of every table compared), or accepted as inert
text. Then the published hostile charter is read back page by page. SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from rtes_bot.models import Collectivite
from rtes_bot.services import charter
from rtes_bot.services import collectivites as collectivites_service
from tests.support.hostile import Network, Probe, csv_files, draws, mentions_of

HEADER = "nom;type;code;departement;region;statut;poids\n"
BASELINE = (
    HEADER
    + "Grenoble;commune;38185;Isère;Auvergne-Rhône-Alpes;adhérente;1\nLyon;commune;69123;Rhône;;;\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def upload(rig: Any, user: Any, subcommand: str, filename: str, data: bytes):
    async def start() -> Any:
        return await rig.emu.slash(
            rig.guild, user, "admin", subcommand=subcommand,
            options={"fichier": (filename, data)}, wait=False,
        )  # fmt: skip

    return start


async def check_upload(
    probe: Probe, rig: Any, user: Any, subcommand: str, case: str, filename: str, data: bytes,
    expected: str | None,
) -> Any:  # fmt: skip
    """Upload; ``expected`` is the catalog key of the refusal, or None when it must be accepted."""
    outcome = await probe.run(
        f"admin {subcommand} ({case})", (filename, len(data)),
        upload(rig, user, subcommand, filename, data), full_snapshot=True,
    )  # fmt: skip
    if expected is not None and expected not in outcome.refused_keys:
        probe.add(
            f"admin {subcommand} ({case})", filename,
            f"expected the refusal {expected}, got {outcome.text[:160]!r}",
        )  # fmt: skip
    if expected is None and outcome.refused_keys:
        probe.add(
            f"admin {subcommand} ({case})", filename,
            f"expected to be accepted, refused with {outcome.refused_keys}: {outcome.text[:200]!r}",
        )  # fmt: skip
    return outcome


async def test_hostile_collectivites_csv_uploads(rig, error_log, monkeypatch) -> None:
    net = await Network(rig).build()
    admin = rig.admin
    big = (HEADER + "Ville;commune\n" * 80_000).encode()
    assert len(big) > collectivites_service.MAX_FILE_BYTES
    cases: list[tuple[str, str, bytes, str | None]] = [
        ("latin-1", "liste.csv", BASELINE.encode("latin-1"), "collectivites.import.encodage"),
        ("UTF-16", "liste.csv", BASELINE.encode("utf-16"), "collectivites.import.encodage"),
        ("trop gros", "liste.csv", big, "collectivites.import.trop-gros"),
        ("colonnes inconnues", "liste.csv", b"nom;couleur\nA;rouge\n", "collectivites.import.colonnes"),
        ("colonne nom manquante", "liste.csv", b"type;code\ncommune;38185\n", "collectivites.import.colonnes"),
        ("colonne en double", "liste.csv", b"nom;type;nom\nA;commune;B\n", "collectivites.import.colonnes"),
        ("vide", "liste.csv", b"", "collectivites.import.vide"),
        ("blancs", "liste.csv", b"\r\n \n\n", "collectivites.import.vide"),
        ("binaire", "liste.csv", PNG, "collectivites.import.encodage"),
        ("en-tête seul", "liste.csv", HEADER.encode(), "collectivites.import.aucune-ligne"),
        ("une ligne fausse", "liste.csv",
         (BASELINE.replace(";1\n", ";2\n") + "Nulle-part;planète\n").encode(),
         "collectivites.import.lignes-invalides"),
        ("renommage en conflit", "liste.csv",
         (HEADER + "Grenoble-Alpes;commune;38185\nLyon;commune;38185\n").encode(),
         "collectivites.import.lignes-invalides"),
        ("ligne trop longue", "liste.csv", (HEADER + "x" * 201 + ";commune\n").encode(),
         "collectivites.import.lignes-invalides"),
    ]  # fmt: skip
    with Probe(rig, error_log, monkeypatch) as probe:
        await check_upload(probe, rig, admin, "import-collectivites", "référence", "liste.csv",
                           BASELINE.encode(), None)  # fmt: skip
        await check_upload(probe, rig, net.elu.user, "import-collectivites", "par un élu",
                           "liste.csv", BASELINE.encode(), "acces.bureau-requis")  # fmt: skip
        for case, filename, data, expected in cases:
            await check_upload(
                probe, rig, admin, "import-collectivites", case, filename, data, expected
            )
        # Formula cells, blank lines, CRLF, a BOM: accepted, stored as inert text.
        formulas = (
            "\ufeffnom;type;departement\r\n\r\n"
            '"=HYPERLINK(""https://evil.example/"";""clic"")";commune;=1+1\r\n\r\n'
            "@SUM(A1:A9);autre;-2+3\r\n+33 Ville;commune;\t=cmd\r\n"
        ).encode()
        await check_upload(
            probe, rig, admin, "import-collectivites", "formules", "liste.csv", formulas, None
        )
        async with rig.db.read() as session:
            names = set((await session.execute(select(col(Collectivite.name)))).scalars())
        assert {'=HYPERLINK("https://evil.example/";"clic")', "@SUM(A1:A9)", "+33 Ville"} <= names
        # Every kind of collectivité (docs/rules.md, « 2. Domain ») can be imported.
        kinds = HEADER + "".join(
            f"{kind.capitalize()} témoin;{kind}\n"
            for kind in ("commune", "intercommunalité", "département", "région", "pays", "autre")
        )
        await check_upload(probe, rig, admin, "import-collectivites", "tous les types",
                           "types.csv", kinds.encode(), None)  # fmt: skip
        mention = mentions_of(net.victim.id, net.role.id, net.channel.id)[-1]
        hostile = (
            HEADER + f'{mention};commune\n{{0}}%s;commune\n"\'; DROP TABLE elu; --";autre\n'
        ).encode()
        await check_upload(
            probe, rig, admin, "import-collectivites", "texte hostile", "x.csv", hostile, None
        )
        for index, data in enumerate(draws(csv_files(), 8, seed_value=41)):
            await probe.run(
                "admin import-collectivites (tiré au sort)", (index, data[:80]),
                upload(rig, admin, "import-collectivites", f"tirage-{index}.csv", data),
                full_snapshot=True,
            )  # fmt: skip
        probe.assert_clean(minimum=len(cases) + 5, refusals=len(cases))


async def test_hostile_charter_uploads_then_reading_the_published_text(
    rig, error_log, monkeypatch
) -> None:
    net = await Network(rig).build()
    admin = rig.admin
    signed = await rig.emu.slash(rig.guild, net.elu.user, "charte", subcommand="signer")
    await signed.wait_done()
    current = charter.default_text().encode()
    user_mention, role_mention, channel_mention, _, everything = mentions_of(
        net.victim.id, net.role.id, net.channel.id
    )
    hostile_charter = "\n".join(
        [
            "# Charte",
            "",
            f"## {everything} {{0}} %s",
            "",
            f"{user_mention} {role_mention} {channel_mention} @everyone @here",
            "",
            "## Parmi les champs d'action",
            "",
            "- '; DROP TABLE charter_version; --",
            "- " + "x" * 5000,
            "- " + "e\u0301" * 2500,
            "",
            "## \u202e\u200b ﷺ",
            "",
            "```" + "\n" + "> citation ||spoiler||\n" * 200 + "```",
        ]
    ).encode()
    cases: list[tuple[str, str, bytes, str | None]] = [
        ("extension", "charte.pdf", b"# Charte\n\nTexte", "charte.publier.format"),
        ("nom hostile", "@everyone {0} %s <@&1>.exe", b"# Charte", "charte.publier.format"),
        ("binaire", "charte.md", PNG, "charte.publier.encodage"),
        ("latin-1", "charte.md", "# Charte\n\nÉconomie solidaire".encode("latin-1"), "charte.publier.encodage"),
        ("UTF-16", "charte.md", "# Charte\n\nTexte".encode("utf-16"), "charte.publier.encodage"),
        ("NUL", "charte.md", b"# Charte\n\nTexte\x00cache", "charte.publier.encodage"),
        ("vide", "charte.md", b"", "charte.publier.vide"),
        ("blancs", "charte.txt", b" \n\r\n\t", "charte.publier.vide"),
        ("BOM seul", "charte.md", b"\xef\xbb\xbf", "charte.publier.vide"),
        ("trop long", "charte.md", b"# Charte\n\n" + b"x" * charter.MAX_CHARTER_BYTES, "charte.publier.trop-long"),
        ("identique", "charte.md", current, "charte.publier.identique"),
    ]  # fmt: skip
    with Probe(rig, error_log, monkeypatch) as probe:
        await check_upload(probe, rig, net.elu.user, "charte-publier", "par un élu", "charte.md",
                           hostile_charter, "acces.bureau-requis")  # fmt: skip
        for case, filename, data, expected in cases:
            await check_upload(probe, rig, admin, "charte-publier", case, filename, data, expected)
        await check_upload(probe, rig, admin, "charte-publier", "texte hostile", "charte.md",
                           hostile_charter, None)  # fmt: skip
        async with rig.db.read() as session:
            version = await charter.current_version(session, rig.guild.id)
        assert version.version == 2 and version.text == hostile_charter.decode()
        readings: list[tuple[str, dict[str, Any]]] = [
            ("lire", {}),
            ("lire", {"partie": "tout"}),
            ("lire", {"partie": "charte"}),
            ("lire", {"partie": "Parmi les champs"}),
            ("lire", {"partie": "ﷺ"}),
            ("lire", {"partie": everything}),
            ("versions", {}),
            ("signataires", {}),
            ("signataires", {"version": 1}),
        ]
        for sub, options in readings:

            async def read(sub: str = sub, options: dict = options) -> Any:
                return await rig.emu.slash(rig.guild, net.elu.user, "charte", subcommand=sub,
                                           options=options, wait=False)  # fmt: skip

            outcome = await probe.run(f"charte {sub} (charte hostile)", options, read)
            for message in outcome.interaction.messages:
                if len(message.content or "") > 2000:
                    probe.add(f"charte {sub}", options, "a page over 2000 characters")
        probe.assert_clean(minimum=len(cases) + len(readings), refusals=len(cases))
