"""`/scrutin ouvrir | liste | resultats | cloturer | exporter`, the poll message, and publication.

The poll message (in the proposal's thread, the field's forum, or the current channel) shows the
question, method, electorate, closing time as a Discord timestamp, the turnout (a count, never a
result) and the persistent Voter button. At closing, :func:`close_and_publish` closes the poll
exactly once (service: conditional UPDATE) and :func:`announce` publishes it exactly once
(`announced_at` claimed by a conditional UPDATE): poll message, proposal thread, registry channel.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cogs._pages import send_pages, split_pages
from cogs.voting import VoterButton
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.counting import render_result, render_summary
from rtes_bot.counting.model import POUR_CONTRE
from rtes_bot.errors import Conflict
from rtes_bot.models import FieldOfAction, GuildSettings, Poll, PollStatus, Proposal
from rtes_bot.services import access, ballots, polls, publication
from rtes_bot.text import fold
from rtes_bot.ui import NO_MENTIONS, L, actor_of, clip, reply

log = logging.getLogger(__name__)

REFRESH_DELAY = 1.0  # seconds: coalesces turnout updates of the poll message
OPEN_COLOUR = discord.Colour.blurple()
CLOSED_COLOUR = discord.Colour.dark_grey()


# ------------------------------------------------------------------ rendering


def timestamp(moment: Any) -> str:
    seconds = int(moment.timestamp())
    return f"<t:{seconds}:F> (<t:{seconds}:R>)"


def method_text(poll: Poll, locale: object) -> str:
    key = "counting.method.classement-irv" if poll.irv else f"counting.method.{poll.method}"
    text = t(key, locale, max=5) if poll.method == "notes" else t(key, locale)
    if poll.max_choices:
        text += " — " + t("scrutin.max-choix", locale, max=poll.max_choices)
    return text


def electorate_text(poll: Poll, field_name: str | None, locale: object) -> str:
    if poll.electorate == ballots.ELECTORATE_COLLECTIVITES:
        return t("scrutin.electorat.collectivites", locale)
    if field_name:
        return t("scrutin.electorat.domaine", locale, domaine=field_name)
    return t("scrutin.electorat.elus", locale)


def poll_embed(
    poll: Poll,
    turnout: int,
    locale: object,
    *,
    field_name: str | None = None,
    summary: str | None = None,
) -> discord.Embed:
    closed = poll.status == PollStatus.CLOSED
    embed = discord.Embed(
        title=clip(t("scrutin.titre-court", locale, numero=poll.number), 256),
        description=clip(poll.question, 4096),
        colour=CLOSED_COLOUR if closed else OPEN_COLOUR,
    )
    embed.add_field(
        name=t("scrutin.champ.methode", locale), value=clip(method_text(poll, locale), 1024)
    )
    if poll.options:
        listing = "\n".join(f"{i}. {label}" for i, label in enumerate(poll.options, start=1))
        embed.add_field(
            name=t("scrutin.champ.options", locale), value=clip(listing, 1024), inline=False
        )
    embed.add_field(
        name=t("scrutin.champ.electorat", locale), value=electorate_text(poll, field_name, locale)
    )
    rules = [t("scrutin.secret" if poll.secret else "scrutin.public", locale)]
    if poll.quorum_percent:
        rules.append(t("scrutin.quorum", locale, quorum=poll.quorum_percent))
    if poll.method == POUR_CONTRE:
        rules.append(t(f"scrutin.majorite.{poll.majority}", locale))
    rules.append(t(f"scrutin.visibilite.{poll.results_visibility}", locale))
    embed.add_field(
        name=t("scrutin.champ.regles", locale), value=clip("\n".join(rules), 1024), inline=False
    )
    closing_key = "scrutin.champ.clos" if closed else "scrutin.champ.cloture"
    moment = poll.closed_at if closed and poll.closed_at else poll.closes_at
    embed.add_field(name=t(closing_key, locale), value=timestamp(moment), inline=False)
    embed.add_field(
        name=t("scrutin.champ.participation", locale),
        value=t("scrutin.votants", locale, nombre=turnout),
    )
    if closed and summary:
        embed.add_field(
            name=t("scrutin.champ.resultat", locale), value=clip(summary, 1024), inline=False
        )
    return embed


def poll_view(poll: Poll, locale: object) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    closed = poll.status == PollStatus.CLOSED
    label = t("scrutin.bouton.clos" if closed else "scrutin.bouton.voter", locale)
    view.add_item(VoterButton(poll.id or 0, label=label, disabled=closed))
    return view


async def guild_locale(session: Any, guild_id: int) -> str:
    settings = await session.get(GuildSettings, guild_id)
    return settings.locale if settings is not None else "fr"


async def _field_name(session: Any, poll: Poll) -> str | None:
    if poll.field_id is None:
        return None
    field = await session.get(FieldOfAction, poll.field_id)
    return field.name if field is not None else None


async def _channel(bot: RtesBot, channel_id: int) -> Any:
    channel = bot.get_channel(channel_id)
    if channel is None:
        channel = await bot.fetch_channel(channel_id)
    return channel


def _files(files: list[publication.FileOut]) -> list[discord.File]:
    return [discord.File(io.BytesIO(f.data), filename=f.filename) for f in files]


# ------------------------------------------------------------------ posting and refreshing


async def post_poll_message(
    bot: RtesBot, session: Any, poll: Poll, fallback_channel: Any
) -> tuple[int, int]:
    """Post the poll message where it belongs; returns (channel id, message id)."""
    locale = await guild_locale(session, poll.guild_id)
    field_name = await _field_name(session, poll)
    embed = poll_embed(poll, 0, locale, field_name=field_name)
    view = poll_view(poll, locale)
    if poll.proposal_id is not None:
        proposal = await session.get(Proposal, poll.proposal_id)
        if proposal is not None and proposal.thread_id is not None:
            try:
                thread = await _channel(bot, proposal.thread_id)
                message = await thread.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
                return message.channel.id, message.id
            except discord.HTTPException:
                log.warning(
                    "Could not post poll %s in its proposal's thread", poll.id, exc_info=True
                )
    if poll.field_id is not None:
        field = await session.get(FieldOfAction, poll.field_id)
        if field is not None and field.forum_channel_id is not None:
            try:
                channel = await _channel(bot, field.forum_channel_id)
                name = clip(
                    t("scrutin.titre", locale, numero=poll.number, question=poll.question), 100
                )
                if isinstance(channel, discord.ForumChannel):
                    created = await channel.create_thread(
                        name=name, embed=embed, view=view, allowed_mentions=NO_MENTIONS
                    )
                    return created.thread.id, created.message.id
                if isinstance(channel, discord.TextChannel):
                    message = await channel.send(
                        embed=embed, view=view, allowed_mentions=NO_MENTIONS
                    )
                    return channel.id, message.id
            except discord.HTTPException:
                log.warning("Could not post poll %s in its field's forum", poll.id, exc_info=True)
    message = await fallback_channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
    return message.channel.id, message.id


async def refresh_poll_message(bot: RtesBot, poll_id: int, *, summary: str | None = None) -> None:
    """Re-render the poll message (turnout; after closing: outcome, button disabled)."""
    async with bot.db.read() as session:
        poll = await polls.get(session, poll_id)
        if poll.channel_id is None or poll.message_id is None:
            return
        locale = await guild_locale(session, poll.guild_id)
        turnout = await ballots.turnout(session, poll_id)
        field_name = await _field_name(session, poll)
        if poll.status == PollStatus.CLOSED and summary is None:
            summary = publication.outcome_label(poll, locale)
    embed = poll_embed(poll, turnout, locale, field_name=field_name, summary=summary)
    message = bot.get_partial_messageable(poll.channel_id).get_partial_message(poll.message_id)
    try:
        await message.edit(embed=embed, view=poll_view(poll, locale))
    except discord.HTTPException:
        log.warning("Could not update the message of poll %s", poll_id, exc_info=True)


def wake_scheduler(bot: RtesBot) -> None:
    cog = bot.get_cog("Scheduler")
    if cog is not None:
        cog.wake()  # type: ignore[attr-defined]


# ------------------------------------------------------------------ closing and announcing


async def close_and_publish(
    bot: RtesBot, poll_id: int, *, actor_id: int | None, reason: str, only_if_due: bool = False
) -> bool:
    """Close the poll if nobody else did (True for the one that closed it), then announce."""
    async with bot.db.begin() as session:
        closed = await polls.close(
            session,
            poll_id,
            now=bot.clock.now(),
            actor_id=actor_id,
            reason=reason,
            only_if_due=only_if_due,
        )
    if closed is not None:
        log.info("Poll %s closed (%s)", poll_id, reason)
        if closed.proposal_id is not None:
            await _refresh_proposal(bot, closed.proposal_id)
    await announce(bot, poll_id)
    wake_scheduler(bot)
    return closed is not None


async def _refresh_proposal(bot: RtesBot, proposal_id: int) -> None:
    try:
        from cogs.proposals import refresh_proposal_post
    except ImportError:
        return
    try:
        await refresh_proposal_post(bot, proposal_id)
    except Exception:
        log.warning("Could not refresh proposal %s", proposal_id, exc_info=True)


async def announce(bot: RtesBot, poll_id: int) -> bool:
    """Publish a closed poll's result once (whoever claims `announced_at` publishes)."""
    async with bot.db.begin() as session:
        if not await polls.claim_announcement(session, poll_id, bot.clock.now()):
            return False
    try:
        async with bot.db.read() as session:
            poll = await polls.get(session, poll_id)
            locale = await guild_locale(session, poll.guild_id)
            settings = await session.get(GuildSettings, poll.guild_id)
            built = await publication.build(session, poll, locale)
    except Exception:
        async with bot.db.begin() as session:
            await polls.release_announcement(session, poll_id)
        raise
    await refresh_poll_message(bot, poll_id, summary=built.summary)
    if poll.proposal_id is not None:
        try:
            from cogs.proposals import post_in_proposal_thread

            await post_in_proposal_thread(
                bot, poll.proposal_id, built.content, files=_files(built.files)
            )
        except ImportError:
            pass
        except Exception:
            log.warning(
                "Could not post poll %s result in its proposal thread", poll_id, exc_info=True
            )
    if settings is not None and settings.registry_channel_id is not None:
        try:
            channel = await _channel(bot, settings.registry_channel_id)
            await channel.send(
                built.content, files=_files(built.files), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException:
            log.warning("Could not post poll %s result in the registry", poll_id, exc_info=True)
    else:
        log.warning(
            "Guild %s has no registry channel: poll %s result not posted there",
            poll.guild_id,
            poll_id,
        )
    async with bot.db.begin() as session:
        from rtes_bot.services import audit

        audit.record(
            session, poll.guild_id, None, "scrutin.publie", "poll", poll_id, numero=poll.number
        )
    log.info("Poll %s announced", poll_id)
    return True


# ------------------------------------------------------------------ autocomplete


async def poll_number_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """Every poll of the guild (newest first); labels never show a result not yet visible."""
    try:
        bot: RtesBot = interaction.client  # type: ignore[assignment]
        actor = actor_of(interaction)
        wanted = fold(current.lstrip("#n°"))
        async with bot.db.read() as session:
            rows = await polls.list_polls(session, actor.guild_id, limit=200)
        choices = []
        for poll in rows:
            if wanted and not (
                str(poll.number).startswith(wanted) or wanted in fold(poll.question)
            ):
                continue
            state = (
                publication.outcome_label(poll, interaction.locale)
                if poll.status == PollStatus.CLOSED
                else t("scrutin.etat.ouvert", interaction.locale)
            )
            label = f"n°{poll.number} · {poll.question}"
            label = clip(label, 100 - len(state) - 3) + f" — {state}"
            choices.append(app_commands.Choice(name=clip(label, 100), value=poll.number))
            if len(choices) == 25:
                break
        return choices
    except Exception:
        log.warning("Autocomplete of poll numbers failed", exc_info=True)
        return []


async def field_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    try:
        bot: RtesBot = interaction.client  # type: ignore[assignment]
        wanted = fold(current)
        async with bot.db.read() as session:
            result = await session.execute(
                select(FieldOfAction).where(
                    col(FieldOfAction.guild_id) == actor_of(interaction).guild_id,
                    col(FieldOfAction.retired_at).is_(None),
                )
            )
            fields = list(result.scalars())
        return [
            app_commands.Choice(name=clip(f.name, 100), value=f.slug)
            for f in fields
            if not wanted or wanted in fold(f.name) or wanted in f.slug
        ][:25]
    except Exception:
        log.warning("Autocomplete of fields failed", exc_info=True)
        return []


def _choices(prefix: str, values: tuple[str, ...]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=L(f"{prefix}.{v}"), value=v) for v in values]


METHOD_CHOICES = _choices(
    "choix.methode",
    ("pour-contre", "choix-unique", "approbation", "classement", "jugement-majoritaire", "notes"),
)
MAJORITY_CHOICES = _choices("choix.majorite", ("simple", "absolue", "deux-tiers"))
ELECTORATE_CHOICES = _choices("choix.electorat", polls.ELECTORATES)
VISIBILITY_CHOICES = _choices("choix.resultats", polls.VISIBILITIES)


# ------------------------------------------------------------------ the cog


class Polls(commands.Cog):
    scrutin = app_commands.Group(
        name=L("cmd.scrutin"), description=L("cmd.scrutin.desc"), guild_only=True
    )

    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot
        self._refreshing: dict[int, asyncio.Task[None]] = {}

    async def cog_unload(self) -> None:
        for task in self._refreshing.values():
            task.cancel()

    def request_refresh(self, poll_id: int) -> None:
        """Update the poll message's turnout soon (several votes → one edit)."""
        if poll_id in self._refreshing:
            return

        async def later() -> None:
            try:
                await asyncio.sleep(REFRESH_DELAY)
                self._refreshing.pop(poll_id, None)
                await refresh_poll_message(self.bot, poll_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("Turnout refresh of poll %s failed", poll_id, exc_info=True)
            finally:
                self._refreshing.pop(poll_id, None)

        self._refreshing[poll_id] = asyncio.create_task(later())

    # -- /scrutin ouvrir

    @scrutin.command(name=L("cmd.scrutin.ouvrir"), description=L("cmd.scrutin.ouvrir.desc"))
    @app_commands.rename(
        duree=L("opt.scrutin.duree"),
        question=L("opt.scrutin.question"),
        proposition=L("opt.scrutin.proposition"),
        methode=L("opt.scrutin.methode"),
        options=L("opt.scrutin.options"),
        quorum=L("opt.scrutin.quorum"),
        majorite=L("opt.scrutin.majorite"),
        secret=L("opt.scrutin.secret"),
        electorat=L("opt.scrutin.electorat"),
        domaine=L("opt.scrutin.domaine"),
        resultats=L("opt.scrutin.resultats"),
        max_choix=L("opt.scrutin.max_choix"),
        irv=L("opt.scrutin.irv"),
    )
    @app_commands.describe(
        duree=L("opt.scrutin.duree.desc"),
        question=L("opt.scrutin.question.desc"),
        proposition=L("opt.scrutin.proposition.desc"),
        methode=L("opt.scrutin.methode.desc"),
        options=L("opt.scrutin.options.desc"),
        quorum=L("opt.scrutin.quorum.desc"),
        majorite=L("opt.scrutin.majorite.desc"),
        secret=L("opt.scrutin.secret.desc"),
        electorat=L("opt.scrutin.electorat.desc"),
        domaine=L("opt.scrutin.domaine.desc"),
        resultats=L("opt.scrutin.resultats.desc"),
        max_choix=L("opt.scrutin.max_choix.desc"),
        irv=L("opt.scrutin.irv.desc"),
    )
    @app_commands.choices(
        methode=METHOD_CHOICES,
        majorite=MAJORITY_CHOICES,
        electorat=ELECTORATE_CHOICES,
        resultats=VISIBILITY_CHOICES,
    )
    @app_commands.autocomplete(domaine=field_choices)
    async def ouvrir(
        self,
        interaction: discord.Interaction[RtesBot],
        duree: str,
        question: str | None = None,
        proposition: int | None = None,
        methode: str | None = None,
        options: str | None = None,
        quorum: app_commands.Range[int, 0, 100] | None = None,
        majorite: str | None = None,
        secret: bool | None = None,
        electorat: str | None = None,
        domaine: str | None = None,
        resultats: str | None = None,
        max_choix: app_commands.Range[int, 1, 25] | None = None,
        irv: bool | None = None,
    ) -> None:
        actor = actor_of(interaction)
        request = polls.OpenRequest(
            duree=duree,
            question=question,
            proposition=proposition,
            methode=methode,
            options=options,
            quorum=quorum,
            majorite=majorite,
            secret=secret,
            electorat=electorat,
            domaine=domaine,
            resultats=resultats,
            max_choix=max_choix,
            irv=irv,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        poll: Poll | None = None
        for attempt in range(3):
            try:
                async with self.bot.db.begin() as session:
                    person = await access.resolve(session, actor)
                    person.require_bureau()
                    poll = await polls.open_poll(
                        session,
                        guild_id=actor.guild_id,
                        actor_id=actor.user_id,
                        request=request,
                        now=self.bot.clock.now(),
                    )
                    # Posted inside the unit of work: if Discord refuses, the poll is not created.
                    assert poll.id is not None
                    channel_id, message_id = await post_poll_message(
                        self.bot, session, poll, interaction.channel
                    )
                    await polls.set_message(session, poll.id, channel_id, message_id)
                    poll.channel_id, poll.message_id = channel_id, message_id
                break
            except IntegrityError:
                # Two polls opened at once got the same number (PostgreSQL): try again.
                if attempt == 2:
                    raise
        assert poll is not None and poll.id is not None
        if poll.proposal_id is not None:
            await _refresh_proposal(self.bot, poll.proposal_id)
        wake_scheduler(self.bot)
        await reply(
            interaction,
            t(
                "scrutin.ouvert",
                interaction.locale,
                numero=poll.number,
                lien=f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}",
                cloture=timestamp(poll.closes_at),
            ),
        )

    # -- /scrutin liste

    @scrutin.command(name=L("cmd.scrutin.liste"), description=L("cmd.scrutin.liste.desc"))
    async def liste(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            if not person.is_bureau:
                person.require_member()
            rows = await polls.list_polls(session, actor.guild_id, limit=100)
            blocks = []
            for poll in sorted(rows, key=lambda p: (p.status != PollStatus.OPEN, -p.number)):
                assert poll.id is not None
                count = await ballots.turnout(session, poll.id)
                if poll.status == PollStatus.OPEN:
                    state = t("scrutin.liste.ouvert", locale, cloture=timestamp(poll.closes_at))
                else:
                    state = t(
                        "scrutin.liste.clos", locale, issue=publication.outcome_label(poll, locale)
                    )
                blocks.append(
                    t(
                        "scrutin.liste.ligne",
                        locale,
                        numero=poll.number,
                        question=clip(poll.question, 200),
                        methode=method_text(poll, locale),
                        etat=state,
                        votants=count,
                    )
                )
        if not blocks:
            await reply(interaction, t("scrutin.liste.vide", locale))
            return
        await send_pages(interaction, split_pages([t("scrutin.liste.titre", locale), *blocks]))

    # -- /scrutin resultats

    @scrutin.command(name=L("cmd.scrutin.resultats"), description=L("cmd.scrutin.resultats.desc"))
    @app_commands.rename(numero=L("opt.scrutin.numero"))
    @app_commands.describe(numero=L("opt.scrutin.numero.desc"))
    @app_commands.autocomplete(numero=poll_number_choices)
    async def resultats(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            if not person.is_bureau:
                person.require_member()
            poll = await polls.get_by_number(session, actor.guild_id, numero)
            voted = False
            if person.elu is not None:
                try:
                    voter = await ballots.voter_for(session, poll, person.elu)
                    assert poll.id is not None
                    voted = await ballots.has_participated(session, poll.id, voter.ref)
                except Exception:
                    voted = False
            if not polls.results_visible(poll, voted):
                key = (
                    "scrutin.resultats.apres-vote"
                    if poll.results_visibility == polls.VISIBILITY_AFTER_VOTE
                    else "scrutin.resultats.a-la-cloture"
                )
                await reply(
                    interaction,
                    t(key, locale, numero=poll.number, cloture=timestamp(poll.closes_at)),
                )
                return
            result = await polls.compute_result(session, poll)
        title = t("publication.titre", locale, numero=poll.number, question=poll.question)
        if poll.status == PollStatus.OPEN:
            title += "\n" + t("scrutin.resultats.provisoires", locale)
        text = title + "\n\n" + render_result(result, locale)
        if len(text) > 2000:
            text_short = (
                title
                + "\n\n"
                + render_summary(result, locale)
                + "\n\n"
                + t("publication.details-joints", locale)
            )
            await reply(
                interaction,
                clip(text_short, 2000),
                file=discord.File(
                    io.BytesIO(text.encode()), filename=f"scrutin-{poll.number}-resultat.md"
                ),
            )
        else:
            await reply(interaction, text)

    # -- /scrutin cloturer

    @scrutin.command(name=L("cmd.scrutin.cloturer"), description=L("cmd.scrutin.cloturer.desc"))
    @app_commands.rename(numero=L("opt.scrutin.numero"))
    @app_commands.describe(numero=L("opt.scrutin.numero.desc"))
    @app_commands.autocomplete(numero=poll_number_choices)
    async def cloturer(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            person.require_bureau()
            poll = await polls.get_by_number(session, actor.guild_id, numero)
        if poll.status == PollStatus.CLOSED:
            raise Conflict("scrutin.deja-clos", numero=numero)
        assert poll.id is not None
        closed = await close_and_publish(self.bot, poll.id, actor_id=actor.user_id, reason="bureau")
        if not closed:
            raise Conflict("scrutin.deja-clos", numero=numero)
        async with self.bot.db.read() as session:
            poll = await polls.get(session, poll.id)
        await reply(
            interaction,
            t(
                "scrutin.cloture-anticipee",
                interaction.locale,
                numero=numero,
                issue=publication.outcome_label(poll, interaction.locale),
            ),
        )

    # -- /scrutin exporter

    @scrutin.command(name=L("cmd.scrutin.exporter"), description=L("cmd.scrutin.exporter.desc"))
    @app_commands.rename(numero=L("opt.scrutin.numero"))
    @app_commands.describe(numero=L("opt.scrutin.numero.desc"))
    @app_commands.autocomplete(numero=poll_number_choices)
    async def exporter(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            person.require_bureau()
            poll = await polls.get_by_number(session, actor.guild_id, numero)
            if poll.status != PollStatus.CLOSED:
                raise Conflict("scrutin.export-ouvert", numero=numero)
            data = await publication.ballots_csv(session, poll)
        filename = publication.csv_filename(poll)
        await reply(
            interaction,
            t(
                "scrutin.export",
                interaction.locale,
                numero=numero,
                commande=polls.recount_command(poll, filename),
            ),
            file=discord.File(io.BytesIO(data.encode("utf-8")), filename=filename),
        )


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Polls(bot))
