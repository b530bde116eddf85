"""Small frictions, end to end: clean echoes of what was typed, the English wizard's button, one
phone format, DMs in the recipient's language."""

from __future__ import annotations

from cogs.help import GROUPS
from rtes_bot.assistant.tasks import TASKS
from rtes_bot.locales import LocaleMemory
from rtes_bot.text import display_phone
from tests.support.catalog import said
from tests.support.directory import search
from tests.support.onboarding import FORM, card_of, elu_of, installed, register
from tests.support.voting import give_proxy, open_poll, setup_network, vote_text


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


async def test_one_phone_format_in_the_directory_the_card_and_my_data(rig) -> None:
    """French numbers in the national format, others in the spaced international one, the same
    in `/annuaire`, `/mes-donnees voir` and the bureau's card (which already used it)."""
    lyon = await rig.elu("Léa Lyon", phone="+33478036767", share_phone=True)
    brussels = await rig.elu("Bram Bruxelles", phone="+3221234567", share_phone=True)
    french, belgian = "04 78 03 67 67", "+32 2 123 45 67"
    assert display_phone("+33478036767") == french and display_phone("+3221234567") == belgian
    found = await search(rig, lyon.user)
    assert french in found.text and belgian in found.text
    assert "+33478036767" not in found.text and "+3221234567" not in found.text
    for person, shown in ((lyon, french), (brussels, belgian)):
        mine = await rig.emu.slash(rig.guild, person.user, "mes-donnees", subcommand="voir")
        await mine.wait_done()
        assert shown in mine.text


async def dms_saying(rig, user, text: str) -> list:
    return await rig.emu.wait_for(lambda: [m for m in rig.emu.dms_to(user) if text in m.text])


async def test_the_welcome_dm_speaks_the_newcomers_language_where_discord_told_it(rig) -> None:
    await installed(rig)
    server = rig.guild.name
    # Never seen: the network's default (French here).
    nina = rig.emu.create_user("nina", global_name="Nina Nouvelle")
    await rig.emu.member_join(rig.guild, nina)
    await dms_saying(rig, nina, said("accueil.dm", serveur=server))
    # Seen in English (an interaction tells the locale), then leaving and coming back: English.
    emma = rig.user("Emma English")  # joins now: welcomed in whichever language was known then
    asked = await rig.emu.slash(rig.guild, emma, "aide", locale="en-GB")
    await asked.wait_done()
    welcomes = {said("accueil.dm", language, serveur=server) for language in ("fr", "en")}
    first = await rig.emu.wait_for(
        lambda: [m for m in rig.emu.dms_to(emma) if any(w in m.text for w in welcomes)]
    )
    await rig.emu.member_leave(rig.guild, emma)
    await rig.emu.member_join(rig.guild, emma)
    assert await welcomed_again(rig, emma, welcomes, first) == [
        said("accueil.dm", "en", serveur=server)
    ]
    # Registered in English (stored with the registration), after a restart (memory empty): English.
    ellen = await rig.elu("Ellen Elected", locale="en-US")
    first = await rig.emu.wait_for(
        lambda: [m for m in rig.emu.dms_to(ellen.user) if any(w in m.text for w in welcomes)]
    )
    rig.bot.locales = LocaleMemory()
    await rig.emu.member_leave(rig.guild, ellen.user)
    await rig.emu.member_join(rig.guild, ellen.user)
    again = await welcomed_again(rig, ellen.user, welcomes, first)
    assert again == [said("accueil.dm", "en", serveur=server)]


async def welcomed_again(rig, user, welcomes: set[str], before: list) -> list[str]:
    """The welcome DMs ``user`` received after the ``before`` ones (waiting for one more)."""

    def welcomed() -> list:
        return [m for m in rig.emu.dms_to(user) if any(w in m.text for w in welcomes)]

    await rig.emu.wait_for(lambda: len(welcomed()) > len(before))
    seen = {m.id for m in before}
    return [m.text for m in welcomed() if m.id not in seen]


async def test_validation_dm_uses_the_language_of_the_last_interaction(rig) -> None:
    grenoble = await installed(rig)
    anne = rig.user("Anne Dupont")
    await register(rig, anne, collectivite_id=grenoble.id)  # in French
    asked = await rig.emu.slash(rig.guild, anne, "aide", locale="en-US")  # now in English
    await asked.wait_done()
    elu = await elu_of(rig, anne)
    validate = await rig.emu.click(
        rig.guild, rig.admin, card_of(rig, elu.id), f"rtes:adhesion:valider:{elu.id}"
    )
    await validate.wait_done()
    await dms_saying(rig, anne, said("adhesion.dm.validee", "en", nom="Anne Dupont"))


async def read_all_pages(rig, user) -> list[str]:
    first = await rig.emu.slash(rig.guild, user, "charte", subcommand="lire")
    await first.wait_done()
    pages, message = [first.message.content], first.message
    while (button := message.find_component(label=said("pages.suivant"))) and not button.get(
        "disabled"
    ):
        message = (
            await rig.emu.click(rig.guild, user, message, label=said("pages.suivant"))
        ).message
        pages.append(message.content)
    return pages


async def test_reading_the_charter_never_leaves_a_heading_alone_at_the_bottom_of_a_page(
    rig,
) -> None:
    """A charter whose parts fill pages: a heading line never ends a page, even when the text
    under it is one paragraph longer than a page; the charter comes before its context."""
    long_paragraph = " ".join(["Les collectivités coopèrent avec les acteurs locaux."] * 50)
    text = "\n\n".join(
        [
            "# Historique",
            "Le réseau est né en 2002. " * 20,
            "# Charte",
            "# Premier principe",
            "Texte du premier principe. " * 62,
            "# Deuxième principe",
            long_paragraph,
            "# Troisième principe",
            "Texte du troisième principe.",
        ]
    )
    published = await rig.emu.slash(
        rig.guild,
        rig.admin,
        "admin",
        subcommand="charte-publier",
        options={"fichier": ("charte.md", text.encode())},
    )
    await published.wait_done()
    reader = rig.user("Rita Lectrice")
    pages = await read_all_pages(rig, reader)
    assert len(pages) >= 3
    indicator = said("pages.indicateur", page=1, total=len(pages)).split("1")[0]
    for page in pages:
        lines = [line for line in page.split("\n") if line.strip() and indicator not in line]
        assert not lines[-1].startswith("**") and not lines[-1].startswith("__**"), lines[-1]
    whole = "\n".join(line for page in pages for line in page.split("\n") if indicator not in line)
    assert whole.index("Premier principe") < whole.index("Historique")
    assert long_paragraph.replace(" ", "") in whole.replace("\n", "").replace(" ", "")


def test_every_task_of_the_assistant_is_in_one_help_group() -> None:
    grouped = [name for _, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(task.name for task in TASKS)


async def help_of(rig, user, locale: str = "fr") -> dict[str, str]:
    shown = await rig.emu.slash(rig.guild, user, "aide", locale=locale)
    await shown.wait_done()
    (embed,) = shown.message.embeds
    size = len(embed["title"]) + len(embed["description"])
    size += sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    assert size <= 6000 and all(len(f["value"]) <= 1024 for f in embed["fields"])
    fields: dict[str, str] = {}
    for field in embed["fields"]:
        fields[field["name"]] = (fields.get(field["name"], "") + "\n" + field["value"]).strip()
    return fields


async def test_help_is_organised_by_task_and_shows_only_what_the_person_may_do(rig) -> None:
    visitor = rig.user("Vera Visiteuse")
    seen = await help_of(rig, visitor)
    assert list(seen) == [
        said("aide.groupe.adherer"),
        said("aide.groupe.donnees"),
        said("aide.groupe.autres"),
    ]
    assert said("aide.tache.adherer") in seen[said("aide.groupe.adherer")]
    assert said("aide.tache.signer") not in seen[said("aide.groupe.adherer")]  # registered only
    assert "`/aide`" in seen[said("aide.groupe.autres")]

    member = await rig.elu("Mina Membre")
    seen = await help_of(rig, member.user)
    groups = ["adherer", "proposer", "voter", "contact", "donnees"]
    assert [said(f"aide.groupe.{g}") for g in groups] == [
        n for n in seen if n.startswith(tuple(said(f"aide.groupe.{g}") for g in groups))
    ]
    assert said("aide.tache.proposer") in seen[said("aide.groupe.proposer")]
    assert said("aide.tache.annuaire") == seen[said("aide.groupe.contact")]
    assert said("aide.groupe.bureau") not in seen
    assert "`/decisions`" in seen[said("aide.groupe.autres")]  # no task explains it
    assert "/voter`" not in seen[said("aide.groupe.autres")]  # explained under « Voter »

    bureau = await help_of(rig, rig.admin, "en-US")
    assert said("aide.tache.ouvrir-scrutin", "en") in bureau[said("aide.groupe.bureau", "en")]
    assert said("aide.tache.domaines-admin", "en") in bureau[said("aide.groupe.bureau", "en")]
    assert said("aide.groupe.proposer", "en") not in bureau  # the bureau as such does not propose


async def test_the_proxy_holders_dm_uses_the_language_of_their_last_interaction(rig) -> None:
    await setup_network(rig)
    grantor = await rig.elu("Gaston Mandant")
    holder = await rig.elu("Hélène Mandataire")  # registered in French
    poll, _ = await open_poll(rig, question="Voter le plan ?")
    asked = await rig.emu.slash(rig.guild, holder.user, "aide", locale="en-US")
    await asked.wait_done()
    await give_proxy(rig, grantor.user, holder.user, poll.number)
    english = said(
        "procuration.dm-mandataire",
        "en",
        nom="Gaston Mandant",
        numero=poll.number,
        question="Voter le plan ?",
        cloture=int(poll.closes_at.timestamp()),
    )
    await dms_saying(rig, holder.user, english)
