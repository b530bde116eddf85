"""The permission matrix: every command, and the buttons that act, against every kind of person.

Each command is invoked through the emulator by a visitor, a pending member, an élu, a référent,
a bureau member (the `Bureau` role, not an élu) and a Discord administrator (not an élu). It is
either refused with exactly the access message its kind implies (`docs/rules.md`, « 1. People
and roles »: bureau-only commands refuse with the bureau key, a pending member is told their
registration is pending, anyone else that membership is required), or not refused. The table
is `rtes_bot.permissions.COMMAND_ACCESS`; the README shows the same table. The voting buttons
(one-click, Voter, « Changer mon vote ») follow `/voter`'s row.
"""

from __future__ import annotations

from typing import Any

import pytest

from rtes_bot.catalog import t
from rtes_bot.models import EluStatus, GuildSettings
from rtes_bot.permissions import COMMAND_ACCESS, PERSONAS, Kind, allowed, markdown_table
from rtes_bot.services import ballots
from tests.support import paths
from tests.support.onboarding import fixed_part
from tests.support.voting import open_poll, poll_message, setup_network, vote_text

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
