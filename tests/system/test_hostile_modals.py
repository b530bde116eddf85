"""Hostile modal fields and free text, end to end: the adhesion form (then the
whole flow to the bureau card), the bureau's refusal reason, a proposal's title and text, an
amendment and its reason, and the chatbot (DMs and mentions). The real bot through the Discord
emulator, on SQLite and PostgreSQL; values stay within each field's Discord limit (Discord
enforces it), the services' own limits are fuzzed at the pure level.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import col

from rtes_bot.models import Elu, FieldOfAction
from rtes_bot.services import members, proposals
from tests.support.hostile import (
    Network,
    Probe,
    draws,
    hostile_line,
    hostile_text,
    mentions_of,
)

VALID_EMAIL = "elu@example.org"
VALID_PHONE = "06 12 34 56 78"


def fit(value: str, limit: int, *, required: bool = True) -> str:
    value = value[:limit]
    return value if value.strip() or not required else value + "x"


def forms(net: Network) -> list[dict[str, str]]:
    """Curated forms first (each category, and names whose folded form outgrows the column),
    then hypothesis draws."""
    user_mention, role_mention, _, _, everything = mentions_of(
        net.victim.id, net.role.id, net.channel.id
    )
    curated = [
        {"nom": "@everyone", "collectivite": everything, "mandat": role_mention},
        {"nom": user_mention, "collectivite": "'; DROP TABLE collectivite; --", "mandat": "%_%"},
        {"nom": "{0}{nom}{__class__}", "collectivite": "%s %(nom)s {saisie}", "mandat": "{{"},
        {
            "nom": "\u202eenneitsirhC\u202c",
            "collectivite": "\x00Gre\u200bnoble\ufeff",
            "mandat": "\x1b[31m",
        },
        {"nom": "Zoé ‍👩‍👩‍👧", "collectivite": "ﷺ" * 12, "mandat": "e\u0301" * 100},
        {"nom": "㈱" * 60, "collectivite": "㈱" * 70, "mandat": "x" * 200},
        {"nom": "**Gras** ||spoiler||", "collectivite": "> Cité\n# Titre", "mandat": "`code`"},
    ]
    drawn = draws(
        st.fixed_dictionaries(
            {
                "nom": hostile_line(max_size=members.NAME_MAX),
                "collectivite": hostile_line(max_size=members.COLLECTIVITE_MAX),
                "mandat": hostile_line(max_size=members.MANDATE_MAX),
                "email": st.one_of(st.just(VALID_EMAIL), hostile_line(max_size=members.EMAIL_MAX)),
                "telephone": st.one_of(
                    st.just(""), st.just(VALID_PHONE), hostile_text(max_size=members.PHONE_MAX)
                ),
            }
        ),
        4,
        seed_value=21,
    )
    out = []
    for form in [*curated, *drawn]:
        form = {"email": VALID_EMAIL, "telephone": VALID_PHONE, **form}
        form["nom"] = fit(form["nom"], members.NAME_MAX)
        form["collectivite"] = fit(form["collectivite"], members.COLLECTIVITE_MAX)
        form["mandat"] = fit(form["mandat"], members.MANDATE_MAX)
        form["email"] = fit(form["email"], members.EMAIL_MAX)
        form["telephone"] = fit(form["telephone"], members.PHONE_MAX, required=False)
        out.append(form)
    return out


async def test_hostile_adhesion_form_refusal_reason_proposal_and_amendment(
    rig, error_log, monkeypatch
) -> None:
    net = await Network(rig).build()
    emu, guild = rig.emu, rig.guild
    with Probe(rig, error_log, monkeypatch) as probe:
        # -- the adhesion form, then the whole flow for each accepted form
        registered: list[tuple[Any, dict[str, str]]] = []
        for index, form in enumerate(forms(net)):
            user = rig.user(f"Candidat {index}")

            async def open_form(user: Any = user) -> Any:
                return await emu.slash(guild, user, "adhesion", wait=False)

            start = (await probe.run("adhesion (ouvrir)", index, open_form)).interaction
            if start.modal is None:
                probe.add("adhesion (ouvrir)", index, f"no form: {start.text!r}")
                continue

            async def submit(user: Any = user, start: Any = start, form: dict = form) -> Any:
                return await emu.submit_modal(guild, user, start, form, wait=False)

            outcome = await probe.run("adhesion (formulaire)", form, submit)
            step = outcome.interaction.message
            if outcome.refused_keys or step is None:
                continue
            custom_ids = {c.get("custom_id") for c in step.buttons + step.selects}
            if "adhesion:declarer" in custom_ids:
                first: tuple[str, list[str] | None] = ("adhesion:declarer", None)
            elif "adhesion:collectivite" in custom_ids:
                first = ("adhesion:collectivite", ["new"])
            else:
                probe.add(
                    "adhesion (formulaire)",
                    form,
                    f"unexpected step: {sorted(map(str, custom_ids))}",
                )
                continue
            for where, custom_id, values in (
                ("adhesion (collectivité)", *first),
                ("adhesion (continuer)", "adhesion:continuer", None),
                ("adhesion (envoyer)", "adhesion:envoyer", None),
            ):

                async def click(
                    user: Any = user,
                    custom_id: str = custom_id,
                    values: Any = values,
                    step: Any = step,
                ) -> Any:
                    return await emu.click(guild, user, step, custom_id, values=values, wait=False)

                await probe.run(where, form, click)
            registered.append((user, form))
        assert len(registered) >= 4, f"only {len(registered)} hostile forms went through"

        # -- the bureau refuses some of them with a hostile reason (DM to the person)
        async with rig.db.read() as session:
            elus = {
                e.discord_user_id: e
                for e in (await session.execute(select(Elu))).scalars()
                if e.status == "pending"
            }
        bureau = emu.find_channel(guild, "bureau")
        reasons = [
            "@everyone " + mentions_of(net.victim.id, net.role.id, net.channel.id)[-1],
            "{motif}{0}%s",
            "\u202e\x00" + "é" * 498,
            *draws(hostile_text(max_size=members.REASON_MAX, min_size=1), 3, seed_value=22),
        ]
        refusable = [user for user, _ in registered if user.id in elus]  # others failed: reported
        for user, reason in zip(refusable, reasons, strict=False):
            elu = elus[user.id]
            card = next(
                (
                    m
                    for m in emu.channel_messages(bureau)
                    if m.find_component(custom_id=f"rtes:adhesion:refuser:{elu.id}")
                ),
                None,
            )
            if card is None:
                probe.add("carte du bureau", user.id, "no card with a Refuser button")
                continue

            async def refuse(card: Any = card, elu: Any = elu) -> Any:
                return await emu.click(
                    guild, rig.admin, card, f"rtes:adhesion:refuser:{elu.id}", wait=False
                )

            button = (await probe.run("adhesion refuser (bouton)", reason, refuse)).interaction
            if button.modal is None:
                continue
            reason = fit(reason, members.REASON_MAX)

            async def give_reason(button: Any = button, reason: str = reason) -> Any:
                return await emu.submit_modal(
                    guild, rig.admin, button, {"motif": reason}, wait=False
                )

            await probe.run("adhesion refuser (motif)", reason, give_reason)

        # -- proposals: hostile titles and texts, then amendments on one of them
        async with rig.db.read() as session:
            field = (
                (await session.execute(select(FieldOfAction).order_by(col(FieldOfAction.position))))
                .scalars()
                .first()
            )
        assert field is not None
        author = net.elu
        amender = await rig.elu("Amédée Amendeur", collectivite=net.collectivite)
        probe.allowed_user_ids.add(author.user.id)  # an amendment pings the proposal's author
        titles = draws(hostile_line(max_size=proposals.TITLE_MAX), 3, seed_value=23)
        texts = draws(hostile_text(max_size=proposals.TEXT_MAX, min_size=1), 3, seed_value=24)
        deposits = [
            ("@everyone " + net.victim.mention, f"<@&{net.role.id}> @here"),
            ("'; DROP TABLE proposal; --", "{0}{titre}%s" * 300),
            ("\u202e\u200b\x00 Titre", "\x00" * 10 + "Texte"),
            ("ﷺ" * 100, "é" * proposals.TEXT_MAX),
            ("\u200b\ufeff", "Texte sans titre visible"),
            *zip(titles, texts, strict=True),
        ]
        numbers: list[int] = []
        for title, body in deposits:
            title, body = fit(title, proposals.TITLE_MAX), fit(body, proposals.TEXT_MAX)

            async def deposit_open() -> Any:
                return await emu.slash(guild, author.user, "proposition", subcommand="deposer",
                                       options={"domaine": field.slug}, wait=False)  # fmt: skip

            opened = (
                await probe.run("proposition deposer (ouvrir)", title, deposit_open)
            ).interaction
            if opened.modal is None:
                probe.add("proposition deposer (ouvrir)", title, f"no modal: {opened.text!r}")
                continue

            async def deposit(opened: Any = opened, title: str = title, body: str = body) -> Any:
                return await emu.submit_modal(guild, author.user, opened,
                                              {"titre": title, "texte": body}, wait=False)  # fmt: skip

            outcome = await probe.run("proposition deposer (titre, texte)", (title, body), deposit)
            if not outcome.refused_keys:
                numbers.append(len(numbers) + 1)
        assert numbers, "no hostile proposal was accepted"
        amendments = [
            ("@everyone " + net.victim.mention, f"<@&{net.role.id}>"),
            ("{0}" * 1000, "%s" * 500),
            ("\x00\u202e", "\u200b"),
            *zip(
                draws(hostile_text(max_size=proposals.TEXT_MAX, min_size=1), 2, seed_value=25),
                draws(hostile_text(max_size=proposals.RATIONALE_MAX), 2, seed_value=26),
                strict=True,
            ),
        ]
        for text, rationale in amendments:
            text, rationale = fit(text, proposals.TEXT_MAX), rationale[: proposals.RATIONALE_MAX]

            async def amend_open() -> Any:
                return await emu.slash(guild, amender.user, "proposition", subcommand="amender",
                                       options={"numero": numbers[0]}, wait=False)  # fmt: skip

            opened = (
                await probe.run("proposition amender (ouvrir)", numbers[0], amend_open)
            ).interaction
            if opened.modal is None:
                probe.add("proposition amender (ouvrir)", numbers[0], f"no modal: {opened.text!r}")
                continue

            async def amend(
                opened: Any = opened, text: str = text, rationale: str = rationale
            ) -> Any:
                return await emu.submit_modal(guild, amender.user, opened,
                                              {"texte": text, "motif": rationale}, wait=False)  # fmt: skip

            await probe.run("proposition amender (texte, motif)", (text, rationale), amend)
        probe.assert_clean(minimum=60, refusals=3)


async def test_hostile_chatbot_questions(rig, error_log, monkeypatch) -> None:
    """Free text to the chatbot, by DM and by mention: an answer, never an error, never a ping."""
    net = await Network(rig).build()
    emu = rig.emu
    asker = net.elu.user
    questions = [
        "@everyone que dit la charte ?",
        mentions_of(net.victim.id, net.role.id, net.channel.id)[-1] + " contact ESS",
        "contact ESS à '; DROP TABLE elu; --",
        "qui suit {0}{__class__} %s ?",
        "\x00\u200b\u202e charte \ufeff",
        "ﷺ" * 300,
        "9" * 4000,
        "é" * 4000,
        "@here " * 400,
        *draws(hostile_text(max_size=4000, min_size=1), 3, seed_value=31),
    ]
    with Probe(rig, error_log, monkeypatch) as probe:
        for question in questions:
            for where in ("chatbot (DM)", "chatbot (mention)"):

                async def ask(question: str = question, where: str = where) -> str | None:
                    channel = emu.dm_channel(asker) if where.endswith("(DM)") else net.channel
                    watched = [channel, emu.dm_channel(asker)]
                    before = {c.id: len(emu.channel_messages(c)) for c in watched}
                    if where.endswith("(DM)"):
                        await emu.dm(asker, question)
                    else:
                        await emu.mention(rig.guild, asker, net.channel, question)
                    loop_until = 200
                    while loop_until:
                        fresh = [
                            m
                            for c in watched
                            for m in emu.channel_messages(c)[before[c.id] :]
                            if m.author.id == emu.bot.id
                        ]
                        if fresh:
                            return "\n".join(m.text for m in fresh)
                        loop_until -= 1
                        await _tick()
                    probe.add(where, question, "no answer from the chatbot")
                    return None

                await probe.run(where, question, ask)
        probe.assert_clean(minimum=2 * len(questions))


async def _tick() -> None:
    import asyncio

    await asyncio.sleep(0.01)
