"""`/charte` and `/admin charte-publier` end to end: reading with pages, signing (pending members
too), signatories per version, a new version that asks every signatory again by DM with a button
that works, and the refusals (visitor, non-bureau, bad files) with nothing written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from rtes_bot import charter_text
from rtes_bot.catalog import t
from rtes_bot.models import CharterSignature, CharterVersion, EluStatus
from rtes_bot.services import charter


async def slash(rig: Any, user: Any, sub: str, locale: str = "fr", **options: Any) -> Any:
    reply = await rig.emu.slash(
        rig.guild, user, "charte", subcommand=sub, options=options, locale=locale
    )
    await reply.wait_done()
    return reply


async def publish(rig: Any, user: Any, filename: str, data: bytes) -> Any:
    reply = await rig.emu.slash(
        rig.guild, user, "admin", subcommand="charte-publier", options={"fichier": (filename, data)}
    )
    await reply.wait_done()
    return reply


async def count(rig: Any, model: Any) -> int:
    async with rig.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_reading_the_whole_charter_turns_pages_and_shows_every_paragraph(rig) -> None:
    visitor = rig.user("Victor Visiteur")
    first = await slash(rig, visitor, "lire")
    assert first.ephemeral
    page = first.message
    assert len(page.content) <= 2000
    assert t("charte.lire.titre", "fr", version=1) in page.content
    assert t("pages.indicateur", "fr", page=1, total=2) in page.content
    # The charter itself first; its context (the history) after it, as its own part.
    charter_start = page.content.index("Vers un développement durable")
    assert t("charte.lire.contexte", "fr") in page.content
    assert charter_start < page.content.index(t("charte.lire.contexte", "fr"))
    assert "Historique" not in page.content[:charter_start]
    page_one = page.content  # the buttons edit this same message
    following, previous = t("pages.suivant", "fr"), t("pages.precedent", "fr")
    second = await rig.emu.click(rig.guild, visitor, page, label=following)
    assert t("pages.indicateur", "fr", page=2, total=2) in second.message.content
    assert "Historique" in second.message.content
    assert second.message.find_component(label=following)["disabled"]
    whole = page_one + "\n" + second.message.content
    for part in charter_text.parts(charter.default_text()):
        assert part.title in whole
        for paragraph in part.paragraphs():
            assert paragraph in whole, paragraph
    back = await rig.emu.click(rig.guild, visitor, second.message, label=previous)
    assert t("pages.indicateur", "fr", page=1, total=2) in back.message.content


async def test_reading_one_part_with_autocomplete_and_unknown_part(rig) -> None:
    visitor = rig.user("Victor Visiteur")
    choices = await rig.emu.autocomplete(
        rig.guild,
        visitor,
        "charte",
        subcommand="lire",
        options={"partie": "champs"},
        focused="partie",
    )
    assert [c["value"] for c in choices] == ["parmi-les-champs-d-action"]
    all_choices = await rig.emu.autocomplete(
        rig.guild, visitor, "charte", subcommand="lire", options={"partie": ""}, focused="partie"
    )
    assert {"tout", "charte", "historique"} <= {c["value"] for c in all_choices}
    part = await slash(rig, visitor, "lire", partie="parmi-les-champs-d-action")
    assert (
        "Parmi les champs d’action" in part.text
        and "commerce équitable, achat éthique" in part.text
    )
    assert "Historique" not in part.text and not part.message.components  # one page
    only = await slash(rig, visitor, "lire", partie="charte")
    assert "Vers un développement durable" in only.text and "Historique" not in only.text
    unknown = await slash(rig, visitor, "lire", partie="budget")
    titles = ", ".join(part.title for part in charter_text.parts(charter.default_text()))
    assert unknown.text == t("charte.partie-inconnue", "fr", partie="budget", parties=titles)
    english = await slash(rig, visitor, "lire", locale="en-US", partie="historique")
    assert t("charte.lire.titre", "en", version=1) in english.text
    assert t("charte.contexte", "en") in english.text


async def test_signing_records_elu_collectivite_and_version_once(rig) -> None:
    """Pins the exact French of the signature's acknowledgement, a key message."""
    grenoble = await rig.collectivite("Grenoble")
    paul = await rig.elu("Paul Attente", status=EluStatus.PENDING, collectivite=grenoble)
    signed = await slash(rig, paul.user, "signer")
    assert signed.ephemeral
    assert "Vous avez signé la version 1 de la charte, au nom de Grenoble" in signed.text
    again = await slash(rig, paul.user, "signer")
    assert again.text == t("charte.deja-signee", "fr", version=1)
    async with rig.db.read() as session:
        rows = (await session.execute(select(CharterSignature))).scalars().all()
    assert [(r.elu_id, r.collectivite_id, r.collectivite_name) for r in rows] == [
        (paul.elu.id, grenoble.id, "Grenoble")
    ]
    assert rows[0].signed_at is not None
    visitor = rig.user("Victor Visiteur")
    refused = await slash(rig, visitor, "signer")
    assert refused.text == t("acces.adhesion-requise", "fr")
    assert await count(rig, CharterSignature) == 1


async def test_a_new_version_asks_signatories_again_and_lists_are_per_version(rig) -> None:
    grenoble = await rig.collectivite("Grenoble")
    lille = await rig.collectivite("Lille")
    alice = await rig.elu("Alice Martin", collectivite=grenoble)
    paul = await rig.elu("Paul Attente", status=EluStatus.PENDING, collectivite=lille)
    bea = await rig.elu("Béa Sans-Signature", collectivite=lille)
    await slash(rig, alice.user, "signer")
    await slash(rig, paul.user, "signer")

    not_bureau = await publish(rig, alice.user, "charte-v2.md", b"# Charte\n\nNouveau.\n")
    assert not_bureau.text == t("acces.bureau-requis", "fr")
    assert await count(rig, CharterVersion) == 1

    text = "# Charte du réseau (v2)\n\n## Nos valeurs\n\n- la coopération entre territoires\n- la transparence\n"
    published = await publish(rig, rig.admin, "charte-v2.md", text.encode("utf-8"))
    assert published.text == t("charte.publiee", "fr", version=2, relances=2)

    def asked(person: Any) -> list[Any]:
        return [
            m
            for m in rig.emu.dms_to(person.user)
            if m.content == t("charte.relance", "fr", version=2)
        ]

    alice_dm = await rig.emu.wait_for(lambda: asked(alice))
    assert len(alice_dm) == 1
    assert len(asked(paul)) == 1
    assert asked(bea) == []  # she had not signed version 1
    button = alice_dm[0].buttons[0]
    assert button["custom_id"] == f"rtes:charte-signer:{rig.guild.id}"
    assert button["label"] == t("charte.relance.bouton", "fr", version=2)
    resigned = await rig.emu.click(None, alice.user, alice_dm[0], custom_id=button["custom_id"])
    assert resigned.text == t("charte.signee", "fr", version=2, collectivite="Grenoble")

    def signatories_title(version: int, signatures: int, collectivites: int) -> str:
        return t(
            "charte.signataires.titre",
            "fr",
            version=version,
            signatures=signatures,
            collectivites=collectivites,
        )

    v1 = await slash(rig, alice.user, "signataires", version=1)
    assert signatories_title(1, 2, 2) in v1.text
    assert "**Grenoble** — Alice Martin" in v1.text and "**Lille** — Paul Attente" in v1.text
    v2 = await slash(rig, alice.user, "signataires")
    assert signatories_title(2, 1, 1) in v2.text
    assert "Alice Martin" in v2.text and "Paul Attente" not in v2.text
    missing = await slash(rig, alice.user, "signataires", version=7)
    assert missing.text == t("charte.version-inconnue", "fr", version=7, derniere=2)

    versions = await slash(rig, rig.user("Victor Visiteur"), "versions")
    async with rig.db.read() as session:
        published_on = {
            summary.version: summary.published_at.astimezone(rig.bot.settings.zone)
            for summary in await charter.versions(session, rig.guild.id)
        }
    for version, key, signatures in (
        (1, "charte.versions.ligne", 2),
        (2, "charte.versions.ligne.actuelle", 1),
    ):
        date = published_on[version].strftime("%d/%m/%Y")
        assert t(key, "fr", version=version, date=date, signatures=signatures) in versions.text

    reading = await slash(rig, alice.user, "lire")
    assert t("charte.lire.titre", "fr", version=2) in reading.text
    assert "la transparence" in reading.text


async def test_signatories_are_for_members_only(rig) -> None:
    visitor = rig.user("Victor Visiteur")
    refused = await slash(rig, visitor, "signataires")
    assert refused.text == t("acces.adhesion-requise", "fr")


async def test_publishing_refuses_bad_files_precisely_and_writes_nothing(rig) -> None:
    latin1 = "# Charte\n\nLigne un\nÉconomie solidaire\n".encode("latin-1")
    bad_encoding = await publish(rig, rig.admin, "charte.md", latin1)
    assert bad_encoding.text == t("charte.publier.encodage", "fr", ligne=4)
    empty = await publish(rig, rig.admin, "charte.md", b"   \n")
    assert empty.text == t("charte.publier.vide", "fr")
    wrong_type = await publish(rig, rig.admin, "charte.pdf", b"%PDF-1.4")
    assert wrong_type.text == t("charte.publier.format", "fr", fichier="charte.pdf")
    size = charter.MAX_CHARTER_BYTES + 1
    too_big = await publish(rig, rig.admin, "charte.md", b"a" * size)
    assert too_big.text == t(
        "charte.publier.trop-long", "fr", taille=size, limite=charter.MAX_CHARTER_BYTES
    )
    same = await publish(rig, rig.admin, "charte.md", charter.default_text().encode("utf-8"))
    assert same.text == t("charte.publier.identique", "fr", version=1)
    async with rig.db.read() as session:
        published = await session.scalar(
            select(func.count()).select_from(CharterVersion).where(CharterVersion.version > 1)
        )
    assert published == 0


async def test_two_simultaneous_signatures_record_one(rig) -> None:
    import asyncio

    alice = await rig.elu("Alice Martin", collectivite=await rig.collectivite("Grenoble"))
    first, second = await asyncio.gather(
        rig.emu.slash(rig.guild, alice.user, "charte", subcommand="signer", wait=False),
        rig.emu.slash(rig.guild, alice.user, "charte", subcommand="signer", wait=False),
    )
    await asyncio.gather(first.wait_done(), second.wait_done())
    texts = sorted([first.text, second.text])
    assert sorted(texts) == sorted(
        [
            t("charte.deja-signee", "fr", version=1),
            t("charte.signee", "fr", version=1, collectivite="Grenoble"),
        ]
    )
    assert await count(rig, CharterSignature) == 1


async def test_an_adopted_proposal_becomes_the_new_charter_version(rig) -> None:
    from rtes_bot.models import Proposal, ProposalStatus, ProposalVersion

    author = await rig.elu("Alice Martin", collectivite=await rig.collectivite("Grenoble"))
    adopted_text = (
        "# Charte du réseau (v2)\n\nLes territoires coopèrent pour une économie solidaire.\n"
    )
    async with rig.db.begin() as session:
        for number, status in ((1, ProposalStatus.ADOPTEE), (2, ProposalStatus.EN_DEBAT)):
            proposal = Proposal(
                guild_id=rig.guild.id,
                number=number,
                title=f"Charte v2 ({number})",
                author_elu_id=author.elu.id,
                status=status,
            )
            session.add(proposal)
            await session.flush()
            session.add(ProposalVersion(proposal_id=proposal.id, version=1, text=adopted_text))

    async def publish_from(**options: Any) -> Any:
        reply = await rig.emu.slash(
            rig.guild, rig.admin, "admin", subcommand="charte-publier", options=options
        )
        await reply.wait_done()
        return reply

    neither = await publish_from()
    assert neither.text == t("charte.publier.source", "fr")
    both = await publish_from(fichier=("c.md", b"# Charte"), proposition=1)
    assert both.text == t("charte.publier.source", "fr")
    in_debate = await publish_from(proposition=2)
    assert in_debate.text == t("charte.publier.non-adoptee", "fr", numero=2)
    unknown = await publish_from(proposition=99)
    assert unknown.text == t("proposition.inconnue", "fr", numero=99)
    assert await count(rig, CharterVersion) <= 1

    published = await publish_from(proposition=1)
    assert published.text == t("charte.publiee", "fr", version=2, relances=0)
    async with rig.db.read() as session:
        current = await charter.peek_current(session, rig.guild.id)
    assert current is not None and current.version == 2 and current.text == adopted_text
    by_member = await rig.emu.slash(
        rig.guild, author.user, "admin", subcommand="charte-publier", options={"proposition": 1}
    )
    assert by_member.text == t("acces.bureau-requis", "fr")
