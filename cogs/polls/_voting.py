"""`/voter` (one step: a clear choice is stored at once) and `/procuration donner | retirer`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession

from cogs.polls._views import (
    DYNAMIC_ITEMS,
    REDACTED_LOGGERS,
    REDACTOR,
    SuggestionView,
    cast_and_answer,
    open_ballot,
    target_for,
)
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.counting import BallotTextError, format_ballot, method_of, parse_ballot_text
from rtes_bot.errors import DomainError, InvalidInput
from rtes_bot.locales import recipient_locale
from rtes_bot.models import Poll
from rtes_bot.services import access, ballots, polls, proxies
from rtes_bot.services.access import Person
from rtes_bot.ui import (
    NO_MENTIONS,
    BotCog,
    L,
    actor_of,
    autocomplete,
    bot_of,
    clip,
    command_group,
    options,
    reply,
)

log = logging.getLogger(__name__)


async def require_voter(interaction: discord.Interaction[Any]) -> None:
    """Who may vote at all (the slow path, for refusals only)."""
    bot = bot_of(interaction)
    async with bot.db.read() as session:
        person = await access.resolve(session, actor_of(interaction))
        person.require_member()


# ------------------------------------------------------------------ autocomplete


StandingFilter = Callable[[ballots.Standing], bool]


def _may_vote_in(standing: ballots.Standing) -> bool:
    """`/voter`'s rule: on the poll's list (not struck, their vote not given away), or holding
    a proxy in it."""
    own = standing.own
    if own is not None and not own.struck and own.delegate_elu_id is None:
        return True
    return standing.held_usable > 0


def _may_give_in(standing: ballots.Standing) -> bool:
    """`/procuration donner`'s rule: on the list, not struck, not voted, no proxy given or held."""
    own = standing.own
    return (
        own is not None
        and not own.struck
        and not own.voted
        and own.delegate_elu_id is None
        and standing.held == 0
    )


def _may_take_back_in(standing: ballots.Standing) -> bool:
    """`/procuration retirer`'s rule: a proxy given in this poll and not used yet."""
    own = standing.own
    return own is not None and own.delegate_elu_id is not None and not own.voted


async def _open_poll_choices(
    interaction: discord.Interaction[Any], current: str, keep: StandingFilter
) -> list[app_commands.Choice[int]]:
    """Open polls (not past their closing) that ``keep`` accepts for this person. No results
    shown."""
    now = bot_of(interaction).clock.now()

    async def load(session: AsyncSession, person: Person) -> list[Poll]:
        if person.elu is None or person.elu.id is None:
            return []
        current_polls = [
            poll
            for poll in await polls.open_polls(session, person.actor.guild_id)
            if poll.id is not None and now < poll.closes_at
        ]
        stand = await ballots.standings(
            session, [poll.id for poll in current_polls if poll.id is not None], person.elu.id
        )
        return [
            poll
            for poll in current_polls
            if poll.id is not None and keep(stand.get(poll.id, ballots.Standing()))
        ]

    return await autocomplete(
        interaction,
        current,
        load=load,
        name=lambda poll: t(
            "vote.autocomplete", interaction.locale, numero=poll.number, question=poll.question
        ),
        value=lambda poll: poll.number,
        texts=lambda poll: (poll.question,),
        number=lambda poll: poll.number,
    )


async def votable_poll_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """`/voter scrutin`: open polls this person may vote in (on the list, or holding a proxy)."""
    return await _open_poll_choices(interaction, current, _may_vote_in)


async def giveable_poll_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """`/procuration donner scrutin`: open polls where this person may still give their vote."""
    return await _open_poll_choices(interaction, current, _may_give_in)


async def given_poll_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """`/procuration retirer scrutin`: open polls where this person gave a proxy not used yet."""
    return await _open_poll_choices(interaction, current, _may_take_back_in)


async def choix_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """For single-choice polls the options; for pour-contre the three answers; only for a poll
    this person may vote in (:func:`votable_poll_choices`)."""
    number = getattr(interaction.namespace, "scrutin", None)
    if number is None:
        return []

    async def answers(session: AsyncSession, person: Person) -> list[tuple[str, str]]:
        box = bot_of(interaction).ballot_box
        poll = (await box.open_poll_by_number(person.actor.guild_id, int(number))).poll
        if person.elu is None or person.elu.id is None or poll.id is None:
            return []
        stand = await ballots.standings(session, [poll.id], person.elu.id)
        if not _may_vote_in(stand.get(poll.id, ballots.Standing())):
            return []
        kind = method_of(poll.method)
        if kind.one_click_choices:
            return [
                (t(f"counting.choice.{c}", interaction.locale), c) for c in kind.one_click_choices
            ]
        if kind.ui_kind in ("select-one", "select-many"):
            return [(label, label) for label in poll.options]
        return []

    return await autocomplete(
        interaction,
        current,
        load=answers,
        name=lambda pair: pair[0],
        value=lambda pair: clip(pair[1], 100),
        texts=lambda pair: (pair[0],),
    )


# ------------------------------------------------------------------ the cog


class Voting(BotCog):
    procuration = command_group("procuration")

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).addFilter(REDACTOR)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).removeFilter(REDACTOR)

    @app_commands.command(name=L("cmd.voter"), description=L("cmd.voter.desc"))
    @app_commands.guild_only()
    @options("opt.voter", "scrutin", "choix", "au_nom_de")
    @app_commands.autocomplete(scrutin=votable_poll_choices, choix=choix_choices)  # type: ignore[misc]
    async def voter(
        self,
        interaction: discord.Interaction[RtesBot],
        scrutin: int,
        choix: str | None = None,
        au_nom_de: discord.User | None = None,
    ) -> None:
        guild_id = interaction.guild_id or 0
        try:
            poll = await self.bot.ballot_box.open_poll_by_number(guild_id, scrutin)
        except DomainError:
            await require_voter(interaction)  # say nothing about polls to who may not vote
            raise
        target = await target_for(interaction, poll, au_nom_de)
        if choix is None:
            await open_ballot(interaction, target)
            return
        try:
            content = parse_ballot_text(poll.spec, choix)
        except BallotTextError as error:
            locale = interaction.locale
            corrected = getattr(error, "suggestion_text", None)
            if corrected:
                content = parse_ballot_text(poll.spec, corrected)
                echo = format_ballot(poll.spec, content, locale)
                view = SuggestionView(target, echo, content, interaction.user.id, locale)
                await reply(
                    interaction,
                    t(
                        "vote.vouliez-vous-dire",
                        locale,
                        erreur=error.message(locale),
                        suggestion=echo,
                    ),
                    view=view,
                )
                return
            await reply(
                interaction,
                error.message(locale) + "\n" + t(f"vote.syntaxe.{poll.poll.method}", locale),
            )
            return
        await cast_and_answer(interaction, target, content)

    @procuration.command(
        name=L("cmd.procuration.donner"), description=L("cmd.procuration.donner.desc")
    )
    @options("opt.procuration", "membre", "scrutin")
    @app_commands.autocomplete(scrutin=giveable_poll_choices)
    async def donner(
        self, interaction: discord.Interaction[RtesBot], membre: discord.User, scrutin: int
    ) -> None:
        actor = actor_of(interaction)
        now = self.bot.clock.now()
        async with self.bot.db.begin() as session:
            person, poll = await polls.poll_for(session, actor, scrutin, Person.require_member)
            holder = await access.find_elu(session, actor.guild_id, membre.id)
            if holder is None:
                raise InvalidInput("procuration.mandataire-non-eligible", nom=membre.display_name)
            await proxies.give(
                session,
                poll=poll,
                grantor=person.elu,
                holder=holder,
                now=now,
                actor_id=actor.user_id,
            )
            grantor_name = person.elu.full_name if person.elu else ""
            holder_name = holder.full_name
            holder_locale = recipient_locale(self.bot, membre.id, stored=holder.locale)
        await reply(
            interaction,
            t("procuration.donnee", interaction.locale, nom=holder_name, numero=poll.number),
        )
        try:
            await membre.send(
                t(
                    "procuration.dm-mandataire",
                    holder_locale,
                    nom=grantor_name,
                    numero=poll.number,
                    question=poll.question,
                    cloture=int(poll.closes_at.timestamp()),
                ),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.info("Could not DM a proxy holder (DMs closed?)")

    @procuration.command(
        name=L("cmd.procuration.retirer"), description=L("cmd.procuration.retirer.desc")
    )
    @options("opt.procuration", "scrutin")
    @app_commands.autocomplete(scrutin=given_poll_choices)
    async def retirer(self, interaction: discord.Interaction[RtesBot], scrutin: int) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.begin() as session:
            person, poll = await polls.poll_for(session, actor, scrutin, Person.require_member)
            await proxies.withdraw(
                session,
                poll=poll,
                grantor=person.elu,
                now=self.bot.clock.now(),
                actor_id=actor.user_id,
            )
        await reply(interaction, t("procuration.retiree", interaction.locale, numero=poll.number))
