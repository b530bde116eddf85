"""The permission matrix: every command, its autocompletes, and the buttons that act, against
every kind of person.

Each command is invoked through the emulator by a visitor, a pending member, an élu, a référent,
a bureau member (the `Bureau` role, not an élu) and a Discord administrator (not an élu). It is
either refused with exactly the access message its kind implies (`docs/rules.md`, « 1. People
and roles »: bureau-only commands refuse with the bureau key, a pending member is told their
registration is pending, anyone else that membership is required), or not refused. The table
is `rtes_bot.permissions.COMMAND_ACCESS`; the README shows the same table. The voting buttons
(one-click, Voter, « Changer mon vote ») follow `/voter`'s row. Every autocomplete, read from
the registered command tree, answers nobody its command refuses and, to whom it allows, exactly
what the command acts on for them.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import col

from cogs.charter import part_options
from rtes_bot import permissions
from rtes_bot.catalog import t
from rtes_bot.errors import NotAllowed
from rtes_bot.models import (
    Elu,
    EluField,
    EluStatus,
    FieldOfAction,
    GuildSettings,
    Proposal,
    ProposalStatus,
)
from rtes_bot.permissions import COMMAND_ACCESS, PERSONAS, Kind, allowed, markdown_table
from rtes_bot.services import access, ballots, charter
from rtes_bot.services.access import Person
from rtes_bot.services.collectivites import all_collectivites
from tests.support import paths
from tests.support.catalog import fixed_part
from tests.support.voting import (
    close_by_command,
    open_poll,
    poll_message,
    setup_network,
    vote_text,
)

ROOT = paths.ROOT
ACCESS_KEYS = ("acces.bureau-requis", "acces.adhesion-requise", "acces.en-attente", "acces.refuse")
REFUSALS = {t(key, "fr"): key for key in ACCESS_KEYS}

# The rules do not depend on the database: SQLite only keeps the matrix fast.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def expected_refusal(command: str, persona: str) -> str | None:
    """The access key a persona must get for a command, or None when allowed."""
    kinds = PERSONAS[persona]
    if allowed(command, kinds):
        return None
    if COMMAND_ACCESS[command] == {Kind.BUREAU}:
        return "acces.bureau-requis"
    if Kind.PENDING in kinds:
        return "acces.en-attente"
    return "acces.adhesion-requise"


def _option_value(option: dict[str, Any], other_user: Any) -> Any:
    if option.get("choices"):
        return option["choices"][0]["value"]
    kind = option["type"]
    if kind == 3:
        return "1"
    if kind in (4, 10):
        return 1
    if kind == 5:
        return False
    if kind == 6:
        return other_user
    if kind == 11:
        return ("fichier.csv", b"nom;type\nGrenoble;commune\n")
    raise AssertionError(f"option type {kind} not handled by the matrix")


def _invocations(schemas: list[dict[str, Any]]) -> dict[str, tuple[str, str | None, list[dict]]]:
    """qualified name -> (command, subcommand path, option schemas)."""
    found: dict[str, tuple[str, str | None, list[dict]]] = {}
    for command in schemas:
        options = command.get("options", [])
        subs = [o for o in options if o["type"] in (1, 2)]
        if not subs:
            found[command["name"]] = (command["name"], None, options)
        for sub in subs:
            if sub["type"] == 1:
                found[f"{command['name']} {sub['name']}"] = (
                    command["name"],
                    sub["name"],
                    sub.get("options", []),
                )
            else:
                for leaf in sub.get("options", []):
                    path = f"{sub['name']} {leaf['name']}"
                    found[f"{command['name']} {path}"] = (
                        command["name"],
                        path,
                        leaf.get("options", []),
                    )
    return found


async def _personas(rig: Any) -> dict[str, Any]:
    bureau_role = rig.emu.create_role(rig.guild, "Bureau")
    async with rig.db.begin() as session:
        settings = await session.get(GuildSettings, rig.guild.id) or GuildSettings(
            guild_id=rig.guild.id
        )
        settings.bureau_role_id = bureau_role.id
        session.add(settings)
    commune = await rig.collectivite("Grenoble", departement="38")
    return {
        "visitor": rig.user("Victor Visiteur"),
        "pending": (await rig.elu("Paula Pending", status=EluStatus.PENDING)).user,
        "élu": (await rig.elu("Émile Élu", collectivite=commune)).user,
        "référent": (await rig.elu("Rita Référente", collectivite=commune, referent=True)).user,
        "bureau": rig.user("Bruno Bureau", roles=[bureau_role]),
        "Discord admin": rig.admin,
    }


@SQLITE_ONLY
async def test_every_command_against_every_kind_of_person(rig) -> None:
    people = await _personas(rig)
    invocations = _invocations(rig.emu.commands(rig.guild))
    assert set(invocations) == set(COMMAND_ACCESS)
    mismatches = []
    for name in sorted(invocations):
        command, sub, schemas = invocations[name]
        options = {o["name"]: _option_value(o, people["élu"]) for o in schemas if o.get("required")}
        for persona, user in people.items():
            reply = await rig.emu.slash(
                rig.guild, user, command, subcommand=sub, options=options, timeout=10
            )
            got = REFUSALS.get(reply.text.strip()) if reply.modal is None else None
            want = expected_refusal(name, persona)
            if got != want:
                mismatches.append(
                    f"/{name} as {persona}: expected {want or 'allowed'}, got {got or 'allowed'} ({reply.text[:80]!r})"
                )
            assert reply.text.strip() != t("erreur.inattendue", "fr"), (name, persona)
    assert mismatches == [], "\n".join(mismatches)


def test_readme_shows_the_same_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme


@SQLITE_ONLY
async def test_every_voting_button_against_every_kind_of_person(rig) -> None:
    """The poll message's one-click and Voter buttons, and « Changer mon vote », follow `/voter`'s
    rule: élus on the list vote (the ballot stored, or the ballot UI opened), everybody else gets
    exactly the access refusal, and nothing is stored for them."""
    await setup_network(rig)
    people = await _personas(rig)  # before opening: the list is fixed then
    yes_no, _ = await open_poll(rig, question="Pour ou contre ?")
    single, _ = await open_poll(rig, question="Lequel ?", methode="choix-unique", options="A; B")
    _, answer = await vote_text(rig, people["élu"], yes_no.number, "pour")
    changer = f"rtes:changer:{yes_no.id}:0"
    assert answer.message.find_component(changer)
    mismatches = []
    for persona, user in people.items():
        want = expected_refusal("voter", persona)
        clicks = {
            "one-click": (poll_message(rig, yes_no), f"rtes:vote:{yes_no.id}:contre"),
            "Voter": (poll_message(rig, single), f"rtes:voter:{single.id}"),
            "Changer mon vote": (answer.message, changer),
        }
        for button, (message, custom_id) in clicks.items():
            reply = await rig.emu.click(rig.guild, user, message, custom_id)
            await reply.wait_done()
            got = REFUSALS.get(reply.text.strip())
            if got != want:
                mismatches.append(
                    f"{button} as {persona}: expected {want or 'allowed'}, got "
                    f"{got or 'allowed'} ({reply.text[:80]!r})"
                )
            if want is None:
                # the one-click vote is stored (a first or a new ballot)
                stored = any(
                    fixed_part(key) in reply.text for key in ("vote.enregistre", "vote.remplace")
                )
                assert reply.ephemeral and (
                    stored or reply.message.find_component("rtes:bulletin:valider")
                ), (button, persona, reply.text)
    assert mismatches == [], "\n".join(mismatches)
    async with rig.db.read() as session:
        assert await ballots.voted_refs(session, yes_no.id) == {
            f"elu:{e.id}" for e in (p.elu for p in rig.people) if e.status == EluStatus.ACTIVE
        }


# ------------------------------------------------------------------ autocompletes


def _autocompletes(
    schemas: list[dict[str, Any]],
) -> dict[str, tuple[str, str | None, list[dict]]]:
    """Every autocompleted option of the command tree: "<qualified name> <option>" ->
    (command, subcommand path, option schemas). Read from what the bot registered, so none
    is forgotten."""
    return {
        f"{name} {option['name']}": (command, sub, options)
        for name, (command, sub, options) in _invocations(schemas).items()
        for option in options
        if option.get("autocomplete")
    }


async def _autocomplete_world(rig: Any) -> dict[str, Any]:
    """A network where what each person may see differs: two fields (one with a forum), people
    of each field, proposals of two authors (one withdrawn), polls open to all, restricted to
    each field, and closed, and a proxy given."""
    await setup_network(rig)
    forum = rig.emu.create_channel(rig.guild, "forum-finances")
    async with rig.db.begin() as session:
        first = FieldOfAction(
            guild_id=rig.guild.id,
            slug="finances-solidaires",
            name="Finances solidaires",
            forum_channel_id=forum.id,
        )
        second = FieldOfAction(
            guild_id=rig.guild.id, slug="commerce-equitable", name="Commerce équitable"
        )
        session.add_all([first, second])
        await session.flush()
        fields = {"first": first.id, "second": second.id}
    people = await _personas(rig)
    elu_row, referent_row = (
        await _elu_of(rig, people["élu"]),
        await _elu_of(rig, people["référent"]),
    )
    other = await rig.elu("Odile Autre-Domaine")
    people = {**people, "élu of another field": other.user}
    async with rig.db.begin() as session:
        session.add_all(
            [
                EluField(elu_id=elu_row.id, field_id=fields["first"]),
                EluField(elu_id=referent_row.id, field_id=fields["first"]),
                EluField(elu_id=other.elu.id, field_id=fields["second"]),
            ]
        )
    await rig.collectivite("Lyon", departement="Rhône")
    async with rig.db.begin() as session:
        for number, author, status in (
            (1, elu_row.id, ProposalStatus.EN_DEBAT),
            (2, referent_row.id, ProposalStatus.EN_DEBAT),
            (3, elu_row.id, ProposalStatus.RETIREE),
        ):
            session.add(
                Proposal(
                    guild_id=rig.guild.id,
                    number=number,
                    title=f"Proposition {number}",
                    author_elu_id=author,
                    status=status,
                )
            )
    everyone, _ = await open_poll(rig, question="Budget du réseau ?")
    first_only, _ = await open_poll(
        rig, question="Finances : fonds commun ?", domaine="finances-solidaires"
    )
    second_only, _ = await open_poll(
        rig, question="Label équitable ?", domaine="commerce-equitable"
    )
    closed, _ = await open_poll(rig, question="Exclure la commune de Trifouilly ?")
    await close_by_command(rig.emu, rig.guild, rig.admin, closed.number)
    given = await rig.emu.slash(
        rig.guild,
        people["élu"],
        "procuration",
        subcommand="donner",
        options={"membre": people["référent"], "scrutin": everyone.number},
    )
    await given.wait_done()
    assert fixed_part("procuration.donnee") in given.text, given.text
    polls = {"everyone": everyone, "first": first_only, "second": second_only, "closed": closed}
    return {"people": people, "polls": polls, "fields": fields}


async def _elu_of(rig: Any, user: Any) -> Any:
    async with rig.db.read() as session:
        return await access.find_elu(session, rig.guild.id, user.id)


def _expected_suggestions(world: dict[str, Any], charter_parts: set[str]) -> dict[str, Any]:
    """What each autocomplete suggests to each allowed kind of person (nothing typed): exactly
    what its command acts on for them. Persona -> values; a persona absent from a row's dict
    gets the row's ``"*"`` entry."""
    number = {name: poll.number for name, poll in world["polls"].items()}
    all_fields = {"finances-solidaires", "commerce-equitable"}
    field_ids = {str(field_id) for field_id in world["fields"].values()}  # /admin's, by id
    field_polls = {
        "élu": {number["everyone"], number["first"], number["closed"]},
        "référent": {number["everyone"], number["first"], number["closed"]},
        "élu of another field": {number["everyone"], number["second"], number["closed"]},
        "*": set(number.values()),  # the bureau sees every poll
    }
    return {
        "admin referent collectivite": {"*": {"Grenoble", "Lyon"}},
        "admin domaines renommer domaine": {"*": field_ids},
        "admin domaines retirer domaine": {"*": field_ids},
        "annuaire chercher domaine": {"*": all_fields},
        "annuaire chercher departement": {"*": {"38", "Rhône"}},
        "charte lire partie": {"*": charter_parts},
        "proposition deposer domaine": {"*": {"finances-solidaires"}},
        "proposition liste domaine": {"*": all_fields},
        "proposition amender numero": {"*": {1, 2}},
        "proposition voir numero": {"*": {1, 2, 3}},
        "proposition retirer numero": {
            "élu": {1},
            "référent": {2},
            "élu of another field": set(),
            "*": {1, 2},
        },
        "scrutin ouvrir domaine": {"*": all_fields},
        "scrutin resultats numero": field_polls,
        "scrutin cloturer numero": {"*": {number["everyone"], number["first"], number["second"]}},
        "scrutin exporter numero": {"*": {number["closed"]}},
        "scrutin emargement numero": {"*": set(number.values())},
        # the élu gave their vote in the poll open to all to the référent, who holds it
        "voter scrutin": {
            "élu": {number["first"]},
            "référent": {number["everyone"], number["first"]},
            "élu of another field": {number["everyone"], number["second"]},
        },
        # asked about the first field's poll: only who votes in it sees its answers
        "voter choix": {
            "élu": {"pour", "contre", "abstention"},
            "référent": {"pour", "contre", "abstention"},
            "élu of another field": set(),
        },
        "procuration donner scrutin": {
            "élu": {number["first"]},
            "référent": {number["first"]},
            "élu of another field": {number["everyone"], number["second"]},
        },
        "procuration retirer scrutin": {"élu": {number["everyone"]}, "*": set()},
    }


async def test_every_autocomplete_against_every_kind_of_person(rig) -> None:
    """Each autocomplete of the command tree, asked by each kind of person with nothing typed:
    whoever its command refuses gets no suggestion at all; whoever it allows gets exactly what
    the command acts on for them — no poll restricted to a field they are not in, no proposal
    they may not withdraw, no poll they do not vote in, and no result not yet visible."""
    world = await _autocomplete_world(rig)
    people, polls = world["people"], world["polls"]
    async with rig.db.read() as session:
        version = await charter.peek_current(session, rig.guild.id)
        collectivites = {row.id: row.name for row in await all_collectivites(session, rig.guild.id)}
    parts = {value for _, value in part_options(version.text, "fr")}
    expected = _expected_suggestions(world, parts)
    found = _autocompletes(rig.emu.commands(rig.guild))
    assert set(found) == set(expected), "every autocomplete has its row"
    mismatches = []
    for key in sorted(found):
        command, sub, schemas = found[key]
        qualified, option = key.rsplit(" ", 1)
        # what Discord sends while the option is typed: the others filled, this one empty
        options = {o["name"]: _option_value(o, people["élu"]) for o in schemas if o.get("required")}
        options[option] = ""
        if key == "voter choix":
            options["scrutin"] = polls["first"].number
        for persona, user in people.items():
            kinds = PERSONAS.get(persona, PERSONAS["élu"])
            choices = await rig.emu.autocomplete(
                rig.guild, user, command, options, focused=option, subcommand=sub, timeout=10
            )
            values = {c["value"] for c in choices}
            if key == "admin referent collectivite":
                values = {collectivites[int(v)] for v in values}
            if not allowed(qualified, kinds):
                want: set[Any] = set()
            else:
                row = expected[key]
                want = row.get(persona, row.get("*"))
            if values != want:
                mismatches.append(f"/{key} as {persona}: expected {want}, got {values}")
            for choice in choices:
                # an open poll's label shows that it is open, never a result
                if choice["value"] in {polls[p].number for p in ("everyone", "first", "second")}:
                    if key.startswith("scrutin "):
                        assert choice["name"].endswith(t("scrutin.etat.ouvert", "fr")), choice
    assert mismatches == [], "\n".join(mismatches)


async def test_a_field_restricted_poll_is_seen_only_by_its_field_its_list_and_the_bureau(
    rig,
) -> None:
    """`/scrutin liste`, `/scrutin resultats` and the poll autocompletes share one rule: a poll
    restricted to a field is unknown to members of other fields, and shown to the field's
    members, to whoever is on its list (even after leaving the field) and to the bureau."""
    world = await _autocomplete_world(rig)
    people, polls = world["people"], world["polls"]
    restricted = polls["first"]

    async def sees(user: Any) -> tuple[bool, bool, bool]:
        listing = await rig.emu.slash(rig.guild, user, "scrutin", subcommand="liste")
        await listing.wait_done()
        results = await rig.emu.slash(
            rig.guild,
            user,
            "scrutin",
            subcommand="resultats",
            options={"numero": restricted.number},
        )
        await results.wait_done()
        choices = await rig.emu.autocomplete(
            rig.guild, user, "scrutin", {"numero": ""}, focused="numero", subcommand="resultats"
        )
        unknown = t("scrutin.inconnu", "fr", numero=restricted.number)
        return (
            restricted.question in listing.text,
            unknown not in results.text,
            restricted.number in {c["value"] for c in choices},
        )

    assert await sees(people["élu of another field"]) == (False, False, False)
    for persona in ("élu", "référent", "bureau", "Discord admin"):
        assert await sees(people[persona]) == (True, True, True), persona
    # The élu leaves the field: still on the poll's list, they still see it.
    elu = await _elu_of(rig, people["élu"])
    async with rig.db.begin() as session:
        await session.execute(delete(EluField).where(col(EluField.elu_id) == elu.id))
    assert await sees(people["élu"]) == (True, True, True)


def test_may_use_agrees_with_the_checks_the_commands_run() -> None:
    """`Person.may_use` (what autocompletes obey) and the `require_*` checks commands run say the
    same for every status a registration can have, with and without the bureau role."""
    checks = {
        permissions.EVERYONE: None,
        permissions.REGISTERED: Person.require_registered,
        permissions.MEMBERS: Person.require_member,
        permissions.MEMBERS_AND_BUREAU: Person.require_member_or_bureau,
        permissions.BUREAU: Person.require_bureau,
    }
    actor = access.Actor(guild_id=1, user_id=2)
    for status in (None, *EluStatus):
        for bureau in (False, True):
            elu = None if status is None else Elu(guild_id=1, full_name="X", status=status)
            person = Person(actor=actor, elu=elu, is_bureau=bureau)
            for command, kinds in COMMAND_ACCESS.items():
                check = checks[kinds]
                try:
                    if check is not None:
                        check(person)
                    passes = True
                except NotAllowed:
                    passes = False
                assert person.may_use(command) == passes, (command, status, bureau)
    assert not Person(actor=actor, elu=None, is_bureau=True).may_use("commande inconnue")
