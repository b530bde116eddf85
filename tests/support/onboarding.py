"""Onboarding in end-to-end tests: an installed network, registering through `/adhesion` and its
steps, reading back the élu and the bureau's card; what the bot says, by catalog key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from rtes_bot.models import Collectivite, Elu, FieldOfAction
from rtes_bot.services import access
from tests.support.catalog import fixed_part

FORM = {
    "nom": "Anne Dupont",
    "collectivite": "Grenobel",
    "mandat": "Adjointe au maire déléguée à l'ESS",
    "email": "anne.dupont@grenoble.fr",
    "telephone": "06 12 34 56 78",
}


async def installed(rig: Any) -> Collectivite:
    """`/admin installer` run by the bureau, and Grenoble on the list of collectivités."""
    reply = await rig.emu.slash(rig.guild, rig.admin, "admin", subcommand="installer", timeout=10)
    await reply.wait_done(timeout=10)
    return await rig.collectivite("Grenoble", code="38185")


async def field_ids(rig: Any, count: int) -> list[int]:
    """The ids of the first ``count`` fields of action, in display order."""
    async with rig.db.read() as session:
        rows = (
            await session.execute(select(FieldOfAction).order_by(FieldOfAction.position))
        ).scalars()
        return [row.id for row in rows][:count]


async def elu_of(rig: Any, user: Any) -> Elu | None:
    async with rig.db.read() as session:
        return await access.find_elu(session, rig.guild.id, user.id)


async def fill_form(rig: Any, user: Any, values: dict[str, str]) -> Any:
    """`/adhesion` then the form sent with ``values``; returns the modal's interaction."""
    start = await rig.emu.slash(rig.guild, user, "adhesion")
    assert start.modal is not None, start.text
    return await rig.emu.submit_modal(rig.guild, user, start, values)


async def register(
    rig: Any,
    user: Any,
    *,
    collectivite_id: int | None,
    fields: int = 2,
    share: tuple[str, ...] = ("email",),
    sign: bool = True,
    form: dict[str, str] | None = None,
) -> Any:
    """The whole flow through /adhesion; returns the last interaction. ``collectivite_id=None``
    declares the typed collectivité."""
    submitted = await fill_form(rig, user, form or FORM)
    step = submitted.message
    if collectivite_id is None:
        await rig.emu.click(rig.guild, user, step, "adhesion:declarer")
    else:
        await rig.emu.click(
            rig.guild, user, step, "adhesion:collectivite", values=[str(collectivite_id)]
        )
    wanted = [str(i) for i in await field_ids(rig, fields)]
    await rig.emu.click(rig.guild, user, step, "adhesion:domaines", values=wanted)
    await rig.emu.click(rig.guild, user, step, "adhesion:partage", values=list(share))
    await rig.emu.click(rig.guild, user, step, "adhesion:continuer")
    final = await rig.emu.click(
        rig.guild, user, step, "adhesion:signer" if sign else "adhesion:envoyer"
    )
    await final.wait_done()
    return final


def card_of(rig: Any, elu_id: int) -> Any:
    """The bureau's card of a registration (the last one posted for it)."""
    bureau = rig.emu.find_channel(rig.guild, "bureau")
    title = fixed_part("adhesion.carte.titre")
    cards = [m for m in rig.emu.channel_messages(bureau) if f"rtes:adhesion:refuser:{elu_id}" in str(m.components)
             or any(title in (e.get("title") or "") for e in m.embeds)]  # fmt: skip
    assert cards, "no card in the bureau channel"
    return cards[-1]
