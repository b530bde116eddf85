"""`/scrutin ouvrir | liste | resultats | cloturer | emargement | exporter`.

Opening goes through the ballot box (the poll and its liste d'émargement in one unit of work),
then the publisher posts the poll message; closing and announcing go through the publisher.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

import discord
from discord import app_commands

from cogs._pages import send_pages, split_pages
from cogs.polls._publisher import method_text, publisher_of, timestamp
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.errors import Conflict
from rtes_bot.models import Poll, PollStatus
from rtes_bot.services import access, ballots, polls, publication, roll
from rtes_bot.services.access import Person
from rtes_bot.text import plain_inline
from rtes_bot.ui import (
    BotCog,
    ConfirmView,
    L,
    actor_of,
    autocomplete,
    clip,
    command_group,
    field_choices,
    options,
    reply,
)

ROLL_PAGES = 3  # a longer liste d'émargement goes as an attached text file

log = logging.getLogger(__name__)

# ------------------------------------------------------------------ autocomplete


def poll_choice_label(poll: Poll, locale: object) -> str:
    """« n°3 · Question — state »: a closed poll shows its outcome (results are public once
    closed), an open one only that it is open (never a result not yet visible)."""
    state = (
        publication.outcome_label(poll, locale)
        if poll.status == PollStatus.CLOSED
        else t("scrutin.etat.ouvert", locale)
    )
    label = f"n°{poll.number} · {poll.question}"
    return clip(label, 100 - len(state) - 3) + f" — {state}"


async def poll_number_choices(
    interaction: discord.Interaction[Any], current: str, *, status: str | None = None
) -> list[app_commands.Choice[int]]:
    """The polls of the guild this person may see (:func:`polls.visible_to`; the latest 200,
    newest first), only those with ``status`` if given, by number or question."""

    async def load(session: Any, person: Person) -> list[Poll]:
        rows = await polls.list_polls(session, person.actor.guild_id, status=status, limit=200)
        return await polls.visible_to(session, person, rows)

    return await autocomplete(
        interaction,
        current,
        load=load,
        name=lambda poll: poll_choice_label(poll, interaction.locale),
        value=lambda poll: poll.number,
        texts=lambda poll: (poll.question,),
        number=lambda poll: poll.number,
    )


def numero_option(status: str | None = None) -> Any:
    """The `numero` option of `/scrutin resultats | cloturer | exporter`: a poll's number,
    suggested by :func:`poll_number_choices` among the polls the command acts on (``status``:
    only open ones to close, only closed ones to export)."""

    async def choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[int]]:
        return await poll_number_choices(interaction, current, status=status)

    def decorate(command: Any) -> Any:
        command = app_commands.autocomplete(numero=choices)(command)
        command = app_commands.describe(numero=L("opt.scrutin.numero.desc"))(command)
        return app_commands.rename(numero=L("opt.scrutin.numero"))(command)

    return decorate


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


class PollCommands(BotCog, name="Polls"):
    scrutin = command_group("scrutin")

    # -- /scrutin ouvrir

    @scrutin.command(name=L("cmd.scrutin.ouvrir"), description=L("cmd.scrutin.ouvrir.desc"))
    @options(
        "opt.scrutin",
        "duree",
        "question",
        "proposition",
        "methode",
        "options",
        "quorum",
        "majorite",
        "secret",
        "electorat",
        "domaine",
        "resultats",
        "max_choix",
        "irv",
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
            zone=self.bot.settings.zone,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)

        async def bureau_only(session: Any) -> None:
            person = await access.resolve(session, actor)
            person.require_bureau()
            # #scrutins is where every opening is announced (and the home of polls tied to
            # neither a proposal nor a field): without it, nothing opens.
            settings = await access.guild_settings(session, actor.guild_id)
            if settings is None or settings.polls_channel_id is None:
                raise Conflict("scrutin.non-installe")

        poll = await self.bot.ballot_box.open_poll(
            guild_id=actor.guild_id, actor_id=actor.user_id, request=request, check=bureau_only
        )
        # Posted after the commit; if Discord refuses, the poll is discarded again.
        poll = await publisher_of(self.bot).publish_opening(poll)
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
            person.require_member_or_bureau()
            rows = await polls.visible_to(
                session, person, await polls.list_polls(session, actor.guild_id, limit=100)
            )
            # A stepped poll shows its last snapshot's turnout, never the current count.
            box = self.bot.ballot_box
            counts = await publication.shown_turnouts(session, rows, box.master_key, box.steps_of)
            blocks = []
            for poll in sorted(rows, key=lambda p: (p.status != PollStatus.OPEN, -p.number)):
                assert poll.id is not None
                count = counts.get(poll.id, 0)
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
                        participation=publication.turnout_text(poll, count, locale),
                    )
                )
        if not blocks:
            await reply(interaction, t("scrutin.liste.vide", locale))
            return
        await send_pages(interaction, split_pages([t("scrutin.liste.titre", locale), *blocks]))

    # -- /scrutin resultats

    @scrutin.command(name=L("cmd.scrutin.resultats"), description=L("cmd.scrutin.resultats.desc"))
    @numero_option()
    async def resultats(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            person, poll = await polls.poll_for(
                session, actor, numero, Person.require_member_or_bureau, seen=True
            )
            voted = False
            if person.elu is not None and person.elu.id is not None and poll.id is not None:
                entry = await ballots.entry_cast_by(session, poll.id, person.elu.id)
                voted = entry is not None and entry.voted
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
            # A secret poll's live results are its last snapshot, never the current count.
            box = self.bot.ballot_box
            figures = await publication.live_figures(session, poll, box.master_key, box.steps_of)
        if figures.final is None:
            await reply(
                interaction,
                t(
                    "scrutin.resultats.palier-attente",
                    locale,
                    numero=poll.number,
                    palier=ballots.LIVE_STEP,
                    cloture=timestamp(poll.closes_at),
                ),
            )
            return
        text, explanation = await asyncio.to_thread(
            publication.results_reply, poll, figures, locale
        )
        await reply(
            interaction,
            text,
            file=discord.File(io.BytesIO(explanation.data), filename=explanation.filename),
        )

    # -- /scrutin cloturer

    @scrutin.command(name=L("cmd.scrutin.cloturer"), description=L("cmd.scrutin.cloturer.desc"))
    @numero_option(PollStatus.OPEN)
    async def cloturer(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        async with self.bot.db.read() as session:
            _, poll = await polls.poll_for(session, actor, numero, Person.require_bureau)
            numbers = await roll.figures(session, poll)
        if poll.status == PollStatus.CLOSED:
            raise Conflict("scrutin.deja-clos", numero=numero)
        assert poll.id is not None
        poll_id = poll.id
        bot = self.bot

        async def close(click: discord.Interaction[Any]) -> None:
            # A second click, or another close racing this one, finds the poll closed: the
            # conditional UPDATE of `polls.close` closes it once.
            await click.response.defer()
            closed = await publisher_of(bot).close_and_publish(
                poll_id, actor_id=actor.user_id, reason="bureau"
            )
            if not closed:
                raise Conflict("scrutin.deja-clos", numero=numero)
            async with bot.db.read() as session:
                done = await polls.get(session, poll_id)
            await click.edit_original_response(
                content=t(
                    "scrutin.cloture-anticipee",
                    locale,
                    numero=numero,
                    issue=publication.outcome_label(done, locale),
                ),
                view=None,
            )

        question = t(
            "scrutin.cloturer.question",
            locale,
            numero=numero,
            question=clip(plain_inline(poll.question), 200),
            participation=roll.turnout_line(poll, numbers, numbers.voted, locale, exact=True),
        )
        view = ConfirmView(actor.user_id, locale, close, confirm_key="scrutin.cloturer.confirmer")
        await reply(interaction, question, view=view)

    # -- /scrutin emargement

    @scrutin.command(name=L("cmd.scrutin.emargement"), description=L("cmd.scrutin.emargement.desc"))
    @numero_option()
    async def emargement(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            _, poll = await polls.poll_for(session, actor, numero, Person.require_bureau)
            numbers = await roll.figures(session, poll)
            lines = await roll.lines(session, poll)
        blocks = roll_blocks(poll, numbers, lines, locale)
        pages = split_pages(blocks)
        if len(pages) <= ROLL_PAGES:
            await send_pages(interaction, pages)
            return
        await reply(
            interaction,
            blocks[0] + "\n" + t("roll.fichier", locale),
            file=discord.File(
                io.BytesIO("\n".join(blocks).encode("utf-8")),
                filename=f"scrutin-{poll.number}-emargement.txt",
            ),
        )

    # -- /scrutin exporter

    @scrutin.command(name=L("cmd.scrutin.exporter"), description=L("cmd.scrutin.exporter.desc"))
    @numero_option(PollStatus.CLOSED)
    async def exporter(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            _, poll = await polls.poll_for(session, actor, numero, Person.require_bureau)
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


def roll_blocks(
    poll: Poll, numbers: roll.Figures, lines: list[roll.Line], locale: object
) -> list[str]:
    """`/scrutin emargement`: the title with the turnout, then who voted, then who did not —
    names (and collectivités), never a choice. A proxy shows only that it was used or given."""

    def entry(line: roll.Line) -> str:
        name = plain_inline(line.name) if line.name else t("roll.efface", locale)
        text = f"{plain_inline(line.collectivite)} — {name}" if line.collectivite else name
        notes = []
        if line.collectivite is not None:
            notes.append(t("roll.poids", locale, poids=line.weight))
        if line.by_proxy:
            notes.append(t("roll.par-procuration", locale))
        if line.proxy_given:
            notes.append(t("roll.procuration-donnee", locale))
        if line.struck and not line.voted:
            notes.append(t("roll.radie", locale))
        return "• " + text + (f" ({', '.join(notes)})" if notes else "")

    voted = [entry(line) for line in lines if line.voted]
    waiting = [entry(line) for line in lines if not line.voted]
    closed = poll.status == PollStatus.CLOSED
    title = t(
        "roll.titre",
        locale,
        numero=poll.number,
        question=clip(plain_inline(poll.question), 200),
        participation=roll.turnout_line(poll, numbers, numbers.voted, locale, exact=True),
    )
    nobody = [t("roll.personne", locale)]
    return [
        title + "\n" + t("roll.secret", locale),
        t("roll.ont-vote", locale, nombre=len(voted)),
        *(voted or nobody),
        t("roll.pas-vote.clos" if closed else "roll.pas-vote", locale, nombre=len(waiting)),
        *(waiting or nobody),
    ]
