"""`/charte` and `/admin charte-publier` end to end: reading with pages, signing (pending members
too), signatories per version, a new version that asks every signatory again by DM with a button
that works, and the refusals (visitor, non-bureau, bad files) with nothing written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from rtes_bot import charter_text
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
    assert "Charte du réseau — version 1" in page.content and "Page 1/2" in page.content
    assert "Historique" in page.content
    page_one = page.content  # the buttons edit this same message
    second = await rig.emu.click(rig.guild, visitor, page, label="Suivant ▶")
    assert "Page 2/2" in second.message.content
    assert "coopération internationale." in second.message.content
    assert second.message.find_component(label="Suivant ▶")["disabled"]
    whole = page_one + "\n" + second.message.content
    for part in charter_text.parts(charter.default_text()):
        assert part.title in whole
        for paragraph in part.paragraphs():
            assert paragraph in whole, paragraph
    back = await rig.emu.click(rig.guild, visitor, second.message, label="◀ Précédent")
    assert "Page 1/2" in back.message.content


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
    assert "Historique" not in part.text and "Page" not in part.text
    only = await slash(rig, visitor, "lire", partie="charte")
    assert "Vers un développement durable" in only.text and "Historique" not in only.text
    unknown = await slash(rig, visitor, "lire", partie="budget")
    assert "La partie « budget » n'existe pas" in unknown.text and "Historique" in unknown.text
    english = await slash(rig, visitor, "lire", locale="en-US", partie="historique")
    assert "The network's charter — version 1" in english.text and "(context)" in english.text


async def test_signing_records_elu_collectivite_and_version_once(rig) -> None:
    grenoble = await rig.collectivite("Grenoble")
    paul = await rig.elu("Paul Attente", status=EluStatus.PENDING, collectivite=grenoble)
    signed = await slash(rig, paul.user, "signer")
    assert signed.ephemeral
    assert "Vous avez signé la version 1 de la charte, au nom de Grenoble" in signed.text
    again = await slash(rig, paul.user, "signer")
    assert "déjà signé la version 1" in again.text
    async with rig.db.read() as session:
        rows = (await session.execute(select(CharterSignature))).scalars().all()
    assert [(r.elu_id, r.collectivite_id, r.collectivite_name) for r in rows] == [
        (paul.elu.id, grenoble.id, "Grenoble")
    ]
    assert rows[0].signed_at is not None
    visitor = rig.user("Victor Visiteur")
    refused = await slash(rig, visitor, "signer")
    assert "Commencez votre adhésion avec /adhesion" in refused.text
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
    assert "réservée au bureau" in not_bureau.text
    assert await count(rig, CharterVersion) == 1

    text = "# Charte du réseau (v2)\n\n## Nos valeurs\n\n- la coopération entre territoires\n- la transparence\n"
    published = await publish(rig, rig.admin, "charte-v2.md", text.encode("utf-8"))
    assert "Version 2 de la charte publiée" in published.text
    assert "2 signataire(s)" in published.text

    def asked(person: Any) -> list[Any]:
        return [
            m for m in rig.emu.dms_to(person.user) if "nouvelle version de la charte" in m.content
        ]

    alice_dm = await rig.emu.wait_for(lambda: asked(alice))
    assert len(alice_dm) == 1 and "version 2" in alice_dm[0].content
    assert len(asked(paul)) == 1
    assert asked(bea) == []  # she had not signed version 1
    button = alice_dm[0].buttons[0]
    assert button["custom_id"] == f"rtes:charte-signer:{rig.guild.id}"
    assert button["label"] == "Signer la version 2"
    resigned = await rig.emu.click(None, alice.user, alice_dm[0], custom_id=button["custom_id"])
    assert "Vous avez signé la version 2" in resigned.text

    v1 = await slash(rig, alice.user, "signataires", version=1)
    assert "version 1" in v1.text and "2 signature(s), 2 collectivité(s)" in v1.text
    assert "**Grenoble** — Alice Martin" in v1.text and "**Lille** — Paul Attente" in v1.text
    v2 = await slash(rig, alice.user, "signataires")
    assert "version 2" in v2.text and "1 signature(s)" in v2.text
    assert "Alice Martin" in v2.text and "Paul Attente" not in v2.text
    missing = await slash(rig, alice.user, "signataires", version=7)
    assert "La version 7 de la charte n'existe pas" in missing.text

    versions = await slash(rig, rig.user("Victor Visiteur"), "versions")
    assert "Version 1 — publiée le" in versions.text and "2 signature(s)" in versions.text
    assert "**Version 2** (en vigueur)" in versions.text

    reading = await slash(rig, alice.user, "lire")
    assert "version 2" in reading.text and "la transparence" in reading.text


async def test_signatories_are_for_members_only(rig) -> None:
    visitor = rig.user("Victor Visiteur")
    refused = await slash(rig, visitor, "signataires")
    assert "réservée aux élu·es membres" in refused.text


async def test_publishing_refuses_bad_files_precisely_and_writes_nothing(rig) -> None:
    latin1 = "# Charte\n\nLigne un\nÉconomie solidaire\n".encode("latin-1")
    bad_encoding = await publish(rig, rig.admin, "charte.md", latin1)
    assert "pas encodé en UTF-8 (problème à la ligne 4)" in bad_encoding.text
    empty = await publish(rig, rig.admin, "charte.md", b"   \n")
    assert "Le fichier est vide" in empty.text
    wrong_type = await publish(rig, rig.admin, "charte.pdf", b"%PDF-1.4")
    assert "n'est pas un texte markdown" in wrong_type.text
    too_big = await publish(rig, rig.admin, "charte.md", b"a" * (charter.MAX_CHARTER_BYTES + 1))
    assert "la limite est de" in too_big.text
    same = await publish(rig, rig.admin, "charte.md", charter.default_text().encode("utf-8"))
    assert "identique à la version 1" in same.text
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
    assert "déjà signé la version 1" in texts[0] and "Vous avez signé la version 1" in texts[1]
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
    assert "soit un fichier" in neither.text
    both = await publish_from(fichier=("c.md", b"# Charte"), proposition=1)
    assert "soit un fichier" in both.text
    in_debate = await publish_from(proposition=2)
    assert "n'a pas été adoptée" in in_debate.text
    unknown = await publish_from(proposition=99)
    assert "99" in unknown.text
    assert await count(rig, CharterVersion) <= 1

    published = await publish_from(proposition=1)
    assert "Version 2 de la charte publiée" in published.text
    async with rig.db.read() as session:
        current = await charter.peek_current(session, rig.guild.id)
    assert current is not None and current.version == 2 and current.text == adopted_text
    by_member = await rig.emu.slash(
        rig.guild, author.user, "admin", subcommand="charte-publier", options={"proposition": 1}
    )
    assert "réservée au bureau" in by_member.text
