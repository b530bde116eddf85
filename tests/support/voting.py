"""Helpers for the polls/voting end-to-end tests (no tests here): a network with a registry
channel, opening polls by slash command, voting by text or through the ballot UI, moving time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from rtes_bot.models import GuildSettings, Poll
from tests.support.catalog import says

REGISTRY = "registre-des-decisions"
POLLS = "scrutins"


async def setup_network(rig: Any) -> Any:
    """Guild settings with a registry channel and #scrutins (what `/admin installer` would have
    created); returns the registry (#scrutins: :func:`polls_channel`)."""
    channel = rig.emu.create_channel(rig.guild, REGISTRY)
    polls = rig.emu.create_channel(rig.guild, POLLS)
    async with rig.db.begin() as session:
        settings = await session.get(GuildSettings, rig.guild.id)
        if settings is None:
            settings = GuildSettings(guild_id=rig.guild.id)
        settings.registry_channel_id = channel.id
        settings.polls_channel_id = polls.id
        session.add(settings)
    return channel


def polls_channel(rig: Any) -> Any:
    return rig.emu.find_channel(rig.guild, POLLS)


async def open_poll(rig: Any, **options: Any) -> tuple[Poll, Any]:
    """`/scrutin ouvrir` as the bureau admin; returns the stored poll and the interaction."""
    options.setdefault("duree", "48h")
    r = await rig.emu.slash(rig.guild, rig.admin, "scrutin", subcommand="ouvrir", options=options)
    await r.wait_done()
    async with rig.db.read() as session:
        poll = (
            (
                await session.execute(
                    select(Poll).where(Poll.guild_id == rig.guild.id).order_by(Poll.number.desc())
                )
            )
            .scalars()
            .first()
        )
    return poll, r


async def poll_row(rig: Any, poll_id: int) -> Poll:
    async with rig.db.read() as session:
        return await session.get(Poll, poll_id, populate_existing=True)


def poll_message(rig: Any, poll: Poll) -> Any:
    return rig.emu.messages[poll.message_id]


async def vote_text(
    rig: Any, user: Any, number: int, choix: str, *, au_nom_de: Any = None
) -> tuple[Any, Any]:
    """`/voter scrutin choix [au_nom_de]`: one step, the ballot is stored by the command itself.
    Returns (slash, answer): the same interaction twice (the answer is the slash's own)."""
    options: dict[str, Any] = {"scrutin": number, "choix": choix}
    if au_nom_de is not None:
        options["au_nom_de"] = au_nom_de
    r = await rig.emu.slash(rig.guild, user, "voter", options=options)
    await r.wait_done()
    return r, r


async def give_proxy(rig: Any, grantor: Any, holder: Any, number: int) -> Any:
    """`/procuration donner membre scrutin`: ``grantor`` gives their vote on poll n° ``number``
    to ``holder``; checks that it was recorded."""
    r = await rig.emu.slash(
        rig.guild,
        grantor,
        "procuration",
        subcommand="donner",
        options={"membre": holder, "scrutin": number},
    )
    await r.wait_done()
    assert says(r.text, "procuration.donnee"), r.text
    return r


async def one_click(rig: Any, user: Any, poll: Poll, choice: str) -> Any:
    """A click on « Pour », « Contre » or « Abstention » of a pour-contre poll's message."""
    r = await rig.emu.click(
        rig.guild, user, poll_message(rig, poll), f"rtes:vote:{poll.id}:{choice}"
    )
    await r.wait_done()
    return r


async def open_ui(rig: Any, user: Any, poll: Poll, *, au_nom_de: Any = None) -> Any:
    """The ballot UI: by the poll message's Voter button (methods other than pour-contre), or by
    `/voter` without `choix` (pour-contre, whose message has one-click buttons; or `au_nom_de`)."""
    if au_nom_de is None and poll.method != "pour-contre":
        r = await rig.emu.click(rig.guild, user, poll_message(rig, poll), f"rtes:voter:{poll.id}")
    else:
        options: dict[str, Any] = {"scrutin": poll.number}
        if au_nom_de is not None:
            options["au_nom_de"] = au_nom_de
        r = await rig.emu.slash(rig.guild, user, "voter", options=options)
    await r.wait_done()
    return r


async def ui_step(
    rig: Any, user: Any, previous: Any, custom_id: str, values: list[Any] | None = None
) -> Any:
    """Click a component of the ephemeral ballot message (kept up to date by the edits)."""
    message = previous.source_message if previous.message is None else previous.message
    r = await rig.emu.click(rig.guild, user, message, custom_id, values=values)
    await r.wait_done()
    return r


async def submit_ui(rig: Any, user: Any, previous: Any) -> Any:
    return await ui_step(rig, user, previous, "rtes:bulletin:valider")


async def advance_and_run(rig: Any, delta: timedelta) -> None:
    """Move the bot's clock forward and let the scheduler run one full turn."""
    rig.clock.advance(delta)
    await rig.bot.publisher.scheduler.wait_turn()


def registry_messages(rig: Any, channel: Any) -> list[Any]:
    return [m for m in rig.emu.channel_messages(channel) if not m.deleted]


async def close_by_command(
    emu: Any,
    guild: Any,
    user: Any,
    number: int,
    *,
    timeout: float = 15,  # noqa: ASYNC109
) -> Any:
    """`/scrutin cloturer numero` then « Clore le scrutin »: the click (its text is the answer);
    when the command refuses at once (a poll already closed), the command itself."""
    from rtes_bot.catalog import t

    asked = await emu.slash(
        guild, user, "scrutin", subcommand="cloturer", options={"numero": number}, timeout=timeout
    )
    label = t("scrutin.cloturer.confirmer", "fr")
    if asked.message is None or asked.message.find_component(label=label) is None:
        return asked
    return await emu.click(guild, user, asked.message, label=label, timeout=timeout)
