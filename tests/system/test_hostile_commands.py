"""Hostile slash-command options, end to end: the real bot through the Discord
emulator, on SQLite and PostgreSQL, one bot per test function and many inputs per bot.

Every command of ``rtes_bot.permissions.COMMAND_ACCESS`` with a string option gets very long
strings, control and zero-width characters, markdown, mentions of a real user and role,
@everyone/@here, SQL and format-string fragments, emoji and combining accents, odd digits, and
dates at the edges; every integer option gets 0, negatives and Discord's extreme values; every
autocomplete gets the same strings. The :class:`~tests.support.hostile.Probe` checks each
interaction: no unhandled exception, no « erreur inattendue », every refusal made of catalog text,
no ping, nothing half-written after a refusal.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from rtes_bot.counting import METHODS
from rtes_bot.counting.model import POUR_CONTRE
from rtes_bot.models import Poll
from rtes_bot.permissions import COMMAND_ACCESS
from tests.support.hostile import (
    DATES,
    DURATIONS,
    OPTION_MAX,
    Network,
    Probe,
    ballot_texts,
    closing_texts,
    draws,
    hostile_text,
    option_labels,
)

#: Discord's limit for integers, and the extremes every integer option gets.
INT_MAX = 2**53 - 1
EXTREME_INTS = [0, -INT_MAX, 2**31]  # 2**31: beyond PostgreSQL INTEGER


def slash(rig: Any, user: Any, command: str, subcommand: str | None, options: dict[str, Any]):
    async def start() -> Any:
        return await rig.emu.slash(
            rig.guild, user, command, subcommand=subcommand, options=options, wait=False
        )

    return start


def covered_string_options(rig: Any) -> set[str]:
    """``command option`` for every string option the synced schema has (to prove coverage)."""
    found: set[str] = set()

    def walk(prefix: str, options: list[dict[str, Any]]) -> None:
        for option in options or []:
            if option["type"] in (1, 2):
                walk(f"{prefix} {option['name']}", option.get("options") or [])
            elif option["type"] == 3 and not option.get("choices"):
                found.add(f"{prefix.strip()} {option['name']}")

    for command in rig.emu.commands(rig.guild):
        walk(command["name"], command.get("options") or [])
    return found


async def test_hostile_string_options_of_every_command(rig, error_log, monkeypatch) -> None:
    net = await Network(rig).build()
    elu, admin = net.elu.user, rig.admin
    done: set[str] = set()
    with Probe(rig, error_log, monkeypatch) as probe:

        async def fuzz(where: str, user: Any, command: str, sub: str | None, build, values) -> None:
            done.add(where)
            for value in values:
                await probe.run(where, value, slash(rig, user, command, sub, build(value)))

        text = hostile_text(max_size=OPTION_MAX)
        short = net.values(text, 2, seed_value=1, limit=100)
        medium = net.values(text, 2, seed_value=2, limit=300)
        full = net.values(text, 2, seed_value=3)

        # -- bureau
        closings = [
            *DATES[:12:2],
            *DURATIONS[:12:2],
            *DURATIONS[20:22],
            *net.draws(closing_texts(), 6, seed_value=4),
        ]
        await fuzz("scrutin ouvrir duree", admin, "scrutin", "ouvrir",
                   lambda v: {"question": "Date limite ?", "duree": v}, closings)  # fmt: skip
        await fuzz("scrutin ouvrir question", admin, "scrutin", "ouvrir",
                   lambda v: {"question": v, "duree": "2h"}, full)  # fmt: skip
        label_lists = ["; ".join(labels) for labels in net.draws(option_labels(), 4, seed_value=5)]
        await fuzz("scrutin ouvrir options", admin, "scrutin", "ouvrir",
                   lambda v: {"question": "Choix ?", "duree": "2h", "methode": "approbation",
                              "options": v}, [*full, *label_lists])  # fmt: skip
        await fuzz("scrutin ouvrir domaine", admin, "scrutin", "ouvrir",
                   lambda v: {"question": "Domaine ?", "duree": "2h", "domaine": v}, full)  # fmt: skip
        await fuzz("admin referent collectivite", admin, "admin", "referent",
                   lambda v: {"membre": elu, "collectivite": v}, full)  # fmt: skip
        await fuzz("admin domaines renommer domaine", admin, "admin", "domaines renommer",
                   lambda v: {"domaine": v, "nom": "Nouveau nom"}, full)  # fmt: skip
        await fuzz("admin domaines retirer domaine", admin, "admin", "domaines retirer",
                   lambda v: {"domaine": v}, [v for v in full if not v.strip().isdigit()])  # fmt: skip
        await fuzz("admin domaines renommer nom", admin, "admin", "domaines renommer",
                   lambda v: {"domaine": "cooperation-internationale", "nom": v}, short)  # fmt: skip
        await fuzz("admin domaines ajouter nom", admin, "admin", "domaines ajouter",
                   lambda v: {"nom": v}, short[:7])  # fmt: skip
        await fuzz("admin domaines ajouter description", admin, "admin", "domaines ajouter",
                   lambda v: {"nom": "Domaine décrit", "description": v}, medium[:4])  # fmt: skip

        # -- élu
        await fuzz("charte lire partie", elu, "charte", "lire", lambda v: {"partie": v}, full)
        await fuzz("decisions recherche", elu, "decisions", None, lambda v: {"recherche": v}, full)
        await fuzz("annuaire chercher recherche", elu, "annuaire", "chercher",
                   lambda v: {"recherche": v}, short)  # fmt: skip
        await fuzz("annuaire chercher departement", elu, "annuaire", "chercher",
                   lambda v: {"departement": v}, short)  # fmt: skip
        await fuzz("annuaire chercher domaine", elu, "annuaire", "chercher",
                   lambda v: {"domaine": v}, full)  # fmt: skip
        await fuzz("proposition deposer domaine", elu, "proposition", "deposer",
                   lambda v: {"domaine": v}, full)  # fmt: skip
        await fuzz("proposition liste domaine", elu, "proposition", "liste",
                   lambda v: {"domaine": v}, full)  # fmt: skip
        await fuzz("question texte", elu, "question", None, lambda v: {"texte": v}, full)
        # `voter choix` has its own test below; every other string option must be fuzzed above.
        for missing in sorted(covered_string_options(rig) - done - {"voter choix"}):
            probe.add(missing, None, "string option not fuzzed: add it to this test")
        for unknown in sorted({w.rsplit(" ", 1)[0] for w in done} - set(COMMAND_ACCESS)):
            probe.add(unknown, None, "not in rtes_bot.permissions.COMMAND_ACCESS")
        probe.assert_clean(minimum=150, refusals=60)


async def test_hostile_ballot_texts_and_extreme_numbers(rig, error_log, monkeypatch) -> None:
    """`/voter choix` on a poll of every method whose labels are themselves hostile, and every
    integer option (poll and proposal numbers, versions) at 0, negative and Discord's extremes."""
    net = await Network(rig).build()
    elu, admin = net.elu.user, rig.admin
    with Probe(rig, error_log, monkeypatch) as probe:
        polls: list[tuple[int, list[str], str]] = []
        for seed_value, method in enumerate(METHODS, start=10):
            options: dict[str, Any] = {"question": f"Méthode {method} ?", "duree": "3j"}
            labels: list[str] = []
            if method != POUR_CONTRE:
                for candidate in draws(
                    option_labels(min_size=2, max_size=4), 20, seed_value=seed_value
                ):
                    if len(candidate) >= 2:
                        labels = candidate
                        break
                options.update(methode=method, options="; ".join(labels))
            outcome = await probe.run(
                "scrutin ouvrir (labels hostiles)",
                options,
                slash(rig, admin, "scrutin", "ouvrir", options),
            )
            number = len(polls) + 1
            if not outcome.refused_keys:
                polls.append((number, labels, method))
            elif method != POUR_CONTRE:
                # labels refused (duplicates once folded…): fall back to plain ones
                options["options"] = "Alpha; Bravo; Charlie"
                await probe.run(
                    "scrutin ouvrir", options, slash(rig, admin, "scrutin", "ouvrir", options)
                )
                polls.append((number, ["Alpha", "Bravo", "Charlie"], method))
        assert len(polls) == len(METHODS)
        # The ballot UI (select menus and buttons built from the hostile labels): the poll
        # message's Voter button, or `/voter` without a choice for pour-contre (whose message
        # has one-click buttons instead).
        async with rig.db.read() as session:
            rows = (await session.execute(select(Poll).order_by(col(Poll.number)))).scalars().all()
        for row in rows:
            one_click = row.method == POUR_CONTRE
            where = f"{'voter sans choix' if one_click else 'bouton Voter'} ({row.method})"

            async def open_ui(row: Any = row, one_click: bool = one_click) -> Any:
                if one_click:
                    return await rig.emu.slash(
                        rig.guild, elu, "voter", options={"scrutin": row.number}, wait=False
                    )
                message = rig.emu.messages[row.message_id]
                return await rig.emu.click(
                    rig.guild, elu, message, f"rtes:voter:{row.id}", wait=False
                )

            outcome = await probe.run(where, row.options, open_ui)
            ui = outcome.interaction.message
            if not ui or not ui.components:
                probe.add(where, row.options, "no ballot UI")
            elif ui.find_component("rtes:bulletin:valider") is None:
                probe.add(where, row.options, "a ballot UI without « Valider mon bulletin »")
        for number, labels, method in polls:
            for text in [
                *net.corpus(),
                *net.draws(
                    ballot_texts(labels or ["pour", "contre", "abstention"]), 4, seed_value=number
                ),
            ]:
                if text:
                    await probe.run(
                        f"voter choix ({method})",
                        text[:OPTION_MAX],
                        slash(
                            rig, elu, "voter", None, {"scrutin": number, "choix": text[:OPTION_MAX]}
                        ),
                    )
        integer_cases = [
            ("voter scrutin", elu, "voter", None, lambda n: {"scrutin": n, "choix": "pour"}),
            ("procuration donner scrutin", elu, "procuration", "donner",
             lambda n: {"membre": admin, "scrutin": n}),
            ("procuration retirer scrutin", elu, "procuration", "retirer", lambda n: {"scrutin": n}),
            ("proposition voir numero", elu, "proposition", "voir", lambda n: {"numero": n}),
            ("proposition voir version", elu, "proposition", "voir",
             lambda n: {"numero": 1, "version": max(n, 1)}),
            ("proposition amender numero", elu, "proposition", "amender", lambda n: {"numero": n}),
            ("proposition retirer numero", elu, "proposition", "retirer", lambda n: {"numero": n}),
            ("scrutin resultats numero", elu, "scrutin", "resultats", lambda n: {"numero": n}),
            ("scrutin cloturer numero", admin, "scrutin", "cloturer", lambda n: {"numero": n}),
            ("scrutin exporter numero", admin, "scrutin", "exporter", lambda n: {"numero": n}),
            ("scrutin ouvrir proposition", admin, "scrutin", "ouvrir",
             lambda n: {"proposition": n, "duree": "2h"}),
            ("charte signataires version", elu, "charte", "signataires",
             lambda n: {"version": min(max(n, 1), 100000)}),
        ]  # fmt: skip
        # PostgreSQL: 0 and -2**53 behave as on SQLite (not found); 2**31 overflows INTEGER.
        numbers = [2**31] if net.postgres else EXTREME_INTS
        for where, user, command, sub, build in integer_cases:
            for number in numbers:
                await probe.run(where, number, slash(rig, user, command, sub, build(number)))
        probe.assert_clean(minimum=90, refusals=40)


AUTOCOMPLETES: list[tuple[str, str | None, str, dict[str, Any]]] = [
    ("voter", None, "scrutin", {}),
    ("voter", None, "choix", {"scrutin": 1}),
    ("charte", "lire", "partie", {}),
    ("annuaire", "chercher", "domaine", {}),
    ("annuaire", "chercher", "departement", {}),
    ("proposition", "deposer", "domaine", {}),
    ("proposition", "liste", "domaine", {}),
    ("proposition", "voir", "numero", {}),
    ("proposition", "amender", "numero", {}),
    ("scrutin", "ouvrir", "domaine", {"duree": "2h"}),
    ("scrutin", "resultats", "numero", {}),
    ("admin", "referent", "collectivite", {"membre": "ELU"}),
    ("admin", "domaines renommer", "domaine", {"nom": "x"}),
    ("procuration", "donner", "scrutin", {"membre": "ELU"}),
]


@pytest.mark.parametrize("locale", ["fr"])
async def test_hostile_autocomplete_input(rig, error_log, monkeypatch, locale) -> None:
    """Autocomplete errors are only logged by discord.py: each must answer valid choices."""
    net = await Network(rig).build()
    opened = await rig.emu.slash(rig.guild, rig.admin, "scrutin", subcommand="ouvrir",
                                 options={"question": "Q ?", "duree": "2h", "methode": "choix-unique",
                                          "options": "@everyone; <@&1>; " + "x" * 100})  # fmt: skip
    await opened.wait_done()
    values = [v for i, v in enumerate(net.corpus()) if i % 2 == 0]  # every other
    with Probe(rig, error_log, monkeypatch) as probe:
        for command, sub, focused, others in AUTOCOMPLETES:
            user = rig.admin if command in ("admin", "scrutin") else net.elu.user
            for value in values:
                where = f"autocomplete {command} {sub or ''} {focused}".replace("  ", " ")

                async def ask(value: str = value, user: Any = user, command: str = command,
                              sub: str | None = sub, focused: str = focused, others: dict = others,
                              where: str = where) -> None:  # fmt: skip
                    options = {k: net.elu.user if v == "ELU" else v for k, v in others.items()}
                    choices = await rig.emu.autocomplete(
                        rig.guild, user, command, options={**options, focused: value},
                        focused=focused, subcommand=sub, locale=locale,
                    )  # fmt: skip
                    if len(choices) > 25:
                        probe.add(where, value, f"{len(choices)} choices (Discord allows 25)")
                    for choice in choices:
                        if not 1 <= len(choice["name"]) <= 100:
                            probe.add(where, value, f"choice name of {len(choice['name'])} chars")
                        if isinstance(choice["value"], str) and len(choice["value"]) > 100:
                            probe.add(where, value, "choice value over 100 characters")

                await probe.run(where, value, ask, expect_answer=False)
        probe.assert_clean(minimum=len(AUTOCOMPLETES) * len(values))
