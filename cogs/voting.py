"""`/voter`, the ballot UI (ephemeral, adapted to the method), the persistent Voter button of poll
messages, and `/procuration donner | retirer`.

Secrecy on the Discord side: everything about a ballot is ephemeral and seen only by the voter;
nothing here logs a ballot; and :class:`InteractionLogRedactor` keeps discord.py's DEBUG logs
(gateway events, HTTP bodies of interaction answers) from writing who clicked what.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.counting import BallotTextError, format_ballot, parse_ballot_text
from rtes_bot.counting.model import (
    APPROBATION,
    CHOIX_UNIQUE,
    CLASSEMENT,
    DEFAULT_MAX_SCORE,
    JUGEMENT_MAJORITAIRE,
    MAX_GRADE,
    NOTES,
    POUR_CONTRE,
    POUR_CONTRE_CHOICES,
)
from rtes_bot.errors import InvalidInput, NotAllowed
from rtes_bot.models import Elu, Poll
from rtes_bot.services import access, ballots, polls, proxies
from rtes_bot.text import fold
from rtes_bot.ui import (
    NO_MENTIONS,
    BaseView,
    EntityButton,
    L,
    actor_of,
    bot_of,
    clip,
    handle_error,
    reply,
)

log = logging.getLogger(__name__)

PER_PAGE = 4  # grade/score selects per page (Discord: 5 rows, one kept for the buttons)
VIEW_TIMEOUT = 14 * 60  # an interaction token lives 15 minutes


# ------------------------------------------------------------------ log redaction (secrecy)


class InteractionLogRedactor(logging.Filter):
    """Redacts interaction payloads from discord.py's DEBUG records.

    At DEBUG, discord.py logs every gateway event (an INTERACTION_CREATE carries the user and the
    button or option chosen) and every HTTP body (the ephemeral echo of a ballot). Either would
    link a voter to a ballot in the logs, so these records keep only their kind.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG or not record.args:
            return True
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if record.name == "discord.gateway":
            if any(isinstance(a, dict) and a.get("t") == "INTERACTION_CREATE" for a in args):
                record.msg = "For Shard ID %s: WebSocket Event: INTERACTION_CREATE (redacted)"
                record.args = (args[0],)
        elif record.name in ("discord.http", "discord.webhook.async_"):
            text = " ".join(str(a) for a in args[:2])
            if "/interactions/" in text or "/webhooks/" in text:
                record.msg = "%s %s (interaction body redacted) has returned %s"
                record.args = (args[0], re.sub(r"/[\w-]{40,}", "/…", str(args[1])), args[-1])
        return True


REDACTOR = InteractionLogRedactor()
REDACTED_LOGGERS = ("discord.gateway", "discord.http", "discord.webhook.async_")


# ------------------------------------------------------------------ helpers


def _guild_id(interaction: discord.Interaction[Any]) -> int:
    return actor_of(interaction).guild_id


async def _elu_of_member(
    session: Any, guild_id: int, member: discord.abc.User | None
) -> Elu | None:
    if member is None:
        return None
    return await access.find_elu(session, guild_id, member.id)


def request_refresh(bot: RtesBot, poll_id: int) -> None:
    """Ask the polls cog to update the poll message's turnout (debounced there)."""
    cog = bot.get_cog("Polls")
    if cog is not None:
        cog.request_refresh(poll_id)  # type: ignore[attr-defined]


def ordinal(rank: int, locale: object) -> str:
    return t("vote.ui.premier", locale) if rank == 1 else t("vote.ui.nieme", locale, rang=rank)


@dataclass
class Target:
    """Whose ballot is being filled: one's own, or a grantor's (with a proxy)."""

    poll: Poll
    grantor_id: int | None = None
    grantor_name: str | None = None


async def prepare(
    interaction: discord.Interaction[Any], poll_ref: int, *, by_number: bool, au_nom_de: Any = None
) -> Target:
    """Load the poll and check, before showing anything, that this person may cast this ballot."""
    bot = bot_of(interaction)
    actor = actor_of(interaction)
    async with bot.db.read() as session:
        person = await access.resolve(session, actor)
        person.require_member()  # who may vote at all, before saying anything about polls
        if by_number:
            poll = await polls.get_by_number(session, actor.guild_id, poll_ref)
        else:
            poll = await polls.get(session, poll_ref)
            if poll.guild_id != actor.guild_id:
                raise NotAllowed("scrutin.inconnu", numero=poll_ref)
        grantor = None
        if au_nom_de is not None:
            grantor = await _elu_of_member(session, actor.guild_id, au_nom_de)
            if grantor is None:
                raise InvalidInput("procuration.mandant-inconnu")
        await ballots.check_can_cast(
            session, poll=poll, elu=person.elu, now=bot.clock.now(), on_behalf_of=grantor
        )
    return Target(
        poll,
        grantor.id if grantor is not None else None,
        grantor.full_name if grantor is not None else None,
    )


async def cast_and_confirm(
    interaction: discord.Interaction[Any], target: Target, content: Any
) -> str:
    """Store the ballot (one transaction), then return the confirmation text (exact echo)."""
    bot = bot_of(interaction)
    actor = actor_of(interaction)
    async with bot.db.begin() as session:
        # Only the élu matters here (ballots.cast checks eligibility again): no guild-settings
        # read inside the write transaction, which SQLite serialises.
        elu = await access.find_elu(session, actor.guild_id, actor.user_id)
        poll = await polls.get(session, target.poll.id or 0)
        grantor = await session.get(Elu, target.grantor_id) if target.grantor_id else None
        outcome = await ballots.cast(
            session,
            poll=poll,
            elu=elu,
            content=content,
            secret_key=bot.secret_key,
            now=bot.clock.now(),
            on_behalf_of=grantor,
            actor_id=actor.user_id,
        )
    request_refresh(bot, outcome.poll_id)
    echo = format_ballot(ballots.spec_of(target.poll), content, interaction.locale)
    key = "vote.remplace" if outcome.replaced else "vote.enregistre"
    text = t(key, interaction.locale, numero=target.poll.number, bulletin=echo)
    if target.grantor_name:
        text += "\n" + t("vote.au-nom-de", interaction.locale, nom=target.grantor_name)
    return text


def header(target: Target, locale: object) -> str:
    poll = target.poll
    lines = [t("vote.ui.entete", locale, numero=poll.number, question=poll.question)]
    if target.grantor_name:
        lines.append(t("vote.au-nom-de", locale, nom=target.grantor_name))
    return "\n".join(lines)


# ------------------------------------------------------------------ text ballot: confirm / cancel


class ConfirmBallot(BaseView):
    def __init__(self, target: Target, content: Any, owner_id: int, locale: object) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.target = target
        self.content = content
        self.owner_id = owner_id
        self.confirm.label = t("commun.confirmer", locale)
        self.cancel.label = t("commun.annuler", locale)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id

    @discord.ui.button(style=discord.ButtonStyle.success, custom_id="rtes:bulletin:confirmer")
    async def confirm(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.defer()
        text = await cast_and_confirm(interaction, self.target, self.content)
        self.stop()
        await interaction.edit_original_response(
            content=text, view=None, allowed_mentions=NO_MENTIONS
        )

    @discord.ui.button(style=discord.ButtonStyle.secondary, custom_id="rtes:bulletin:annuler")
    async def cancel(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content=t("vote.annule", interaction.locale), view=None, allowed_mentions=NO_MENTIONS
        )


# ------------------------------------------------------------------ the ballot UI


class _Button(discord.ui.Button[Any]):
    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handler = handler

    def update(self, handler: Any, **kwargs: Any) -> None:
        self.handler = handler
        for name in ("label", "style", "disabled", "row"):
            if name in kwargs:
                setattr(self, name, kwargs[name])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.handler(interaction, self)


class _Select(discord.ui.Select[Any]):
    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handler = handler

    def update(self, handler: Any, **kwargs: Any) -> None:
        self.handler = handler
        for name in ("placeholder", "min_values", "max_values", "options", "row"):
            if name in kwargs:
                setattr(self, name, kwargs[name])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.handler(interaction, self)


class BallotView(BaseView):
    """An ephemeral ballot: the draft is kept here until « Valider mon bulletin » stores it."""

    def __init__(self, target: Target, owner_id: int, locale: object) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.target = target
        self.poll = target.poll
        self.owner_id = owner_id
        self.locale = locale
        self.method = self.poll.method
        self.labels = list(self.poll.options) if self.method != POUR_CONTRE else []
        self.page = 0
        self.content: Any = self._empty()
        # One item instance per custom id for the view's whole life: a click that arrives just
        # before discord.py re-registers the edited message still finds an attached item.
        self._items: dict[str, Any] = {}
        self.render()

    def _empty(self) -> Any:
        if self.method == POUR_CONTRE:
            return None
        if self.method in (CHOIX_UNIQUE, APPROBATION):
            return None
        return {}

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id

    # -- state

    def complete(self) -> bool:
        if self.method in (POUR_CONTRE, CHOIX_UNIQUE):
            return self.content is not None and self.content != []
        if self.method == APPROBATION:
            return self.content is not None
        if self.method == CLASSEMENT:
            return bool(self.content)
        return len(self.content) == len(self.labels)

    def text(self) -> str:
        lines = [header(self.target, self.locale), t(f"vote.ui.aide.{self.method}", self.locale)]
        if self.method == APPROBATION and self.poll.max_choices:
            lines.append(t("vote.ui.max-choix", self.locale, max=self.poll.max_choices))
        if self.content is None or (self.method == CLASSEMENT and not self.content):
            lines.append(t("vote.ui.vide", self.locale))
        elif self.method in (JUGEMENT_MAJORITAIRE, NOTES) and not self.complete():
            lines.append(
                t(
                    "vote.ui.progression",
                    self.locale,
                    fait=len(self.content),
                    total=len(self.labels),
                )
            )
            if self.content:
                lines.append(t("vote.ui.brouillon", self.locale, bulletin=self.echo()))
        else:
            lines.append(t("vote.ui.brouillon", self.locale, bulletin=self.echo()))
        return clip("\n".join(lines), 2000)

    def echo(self) -> str:
        return format_ballot(ballots.spec_of(self.poll), self.content, self.locale)

    # -- components

    def render(self) -> None:
        self.clear_items()
        method = self.method
        if method == POUR_CONTRE:
            for choice in POUR_CONTRE_CHOICES:
                self._add(
                    _Button,
                    self.on_choice,
                    label=t(f"counting.choice.{choice}", self.locale),
                    custom_id=f"rtes:bulletin:{choice}",
                    style=discord.ButtonStyle.primary
                    if self.content == choice
                    else discord.ButtonStyle.secondary,
                    row=0,
                )
        elif method in (CHOIX_UNIQUE, APPROBATION):
            chosen = set(self.content or [])
            top = len(self.labels) if method == APPROBATION else 1
            if method == APPROBATION and self.poll.max_choices:
                top = self.poll.max_choices
            self._add(
                _Select,
                self.on_select_choices,
                custom_id="rtes:bulletin:choix",
                placeholder=t(f"vote.ui.placeholder.{method}", self.locale),
                min_values=0 if method == APPROBATION else 1,
                max_values=top,
                options=[
                    discord.SelectOption(label=clip(label, 100), value=str(i), default=i in chosen)
                    for i, label in enumerate(self.labels)
                ],
                row=0,
            )
        elif method == CLASSEMENT:
            ranked = set(self.content)
            remaining = [i for i in range(len(self.labels)) if str(i) not in ranked]
            if remaining:
                rank = max(self.content.values(), default=0) + 1
                self._add(
                    _Select,
                    self.on_rank,
                    custom_id="rtes:bulletin:rang",
                    placeholder=clip(
                        t("vote.ui.rang", self.locale, rang=ordinal(rank, self.locale)), 150
                    ),
                    min_values=1,
                    max_values=len(remaining),
                    options=[
                        discord.SelectOption(label=clip(self.labels[i], 100), value=str(i))
                        for i in remaining
                    ],
                    row=0,
                )
            self._add(
                _Button,
                self.on_restart,
                label=t("vote.ui.recommencer", self.locale),
                custom_id="rtes:bulletin:recommencer",
                style=discord.ButtonStyle.secondary,
                disabled=not self.content,
                row=1,
            )
        else:
            top = MAX_GRADE if method == JUGEMENT_MAJORITAIRE else DEFAULT_MAX_SCORE
            start = self.page * PER_PAGE
            for row, i in enumerate(range(start, min(start + PER_PAGE, len(self.labels)))):
                current = self.content.get(str(i))
                values = range(top, -1, -1) if method == JUGEMENT_MAJORITAIRE else range(top + 1)
                self._add(
                    _Select,
                    self.on_grade,
                    custom_id=f"rtes:bulletin:note:{i}",
                    placeholder=clip(f"{i + 1}. {self.labels[i]}", 150),
                    min_values=1,
                    max_values=1,
                    options=[
                        discord.SelectOption(
                            label=clip(f"{self._grade_label(v)} — {self.labels[i]}", 100),
                            value=str(v),
                            default=current == v,
                        )
                        for v in values
                    ],
                    row=row,
                )
            pages = (len(self.labels) + PER_PAGE - 1) // PER_PAGE
            if pages > 1:
                self._add(
                    _Button,
                    self.on_page,
                    label=t("vote.ui.precedent", self.locale),
                    custom_id="rtes:bulletin:precedent",
                    style=discord.ButtonStyle.secondary,
                    disabled=self.page == 0,
                    row=4,
                )
                self._add(
                    _Button,
                    self.on_page,
                    label=t("vote.ui.suivant", self.locale, page=self.page + 2, total=pages),
                    custom_id="rtes:bulletin:suivant",
                    style=discord.ButtonStyle.secondary,
                    disabled=self.page >= pages - 1,
                    row=4,
                )
        self._add(
            _Button,
            self.on_submit,
            label=t("vote.ui.valider", self.locale),
            custom_id="rtes:bulletin:valider",
            style=discord.ButtonStyle.success,
            disabled=not self.complete(),
            row=4 if method in (JUGEMENT_MAJORITAIRE, NOTES) else 1,
        )

    def _add(self, kind: Any, handler: Any, **kwargs: Any) -> None:
        item = self._items.get(kwargs["custom_id"])
        if item is None:
            item = self._items[kwargs["custom_id"]] = kind(handler, **kwargs)
        else:
            item.update(handler, **kwargs)
        self.add_item(item)

    def _grade_label(self, value: int) -> str:
        if self.method == JUGEMENT_MAJORITAIRE:
            return t(f"counting.grade.{value}", self.locale)
        return str(value)

    async def _update(self, interaction: discord.Interaction[Any]) -> None:
        self.render()
        await interaction.response.edit_message(
            content=self.text(), view=self, allowed_mentions=NO_MENTIONS
        )

    # -- callbacks

    async def on_choice(self, interaction: discord.Interaction[Any], item: Any) -> None:
        self.content = str(item.custom_id).rsplit(":", 1)[1]
        await self._update(interaction)

    async def on_select_choices(self, interaction: discord.Interaction[Any], item: Any) -> None:
        self.content = sorted(int(v) for v in item.values)
        await self._update(interaction)

    async def on_rank(self, interaction: discord.Interaction[Any], item: Any) -> None:
        rank = max(self.content.values(), default=0) + 1
        for value in item.values:
            self.content[str(int(value))] = rank
        self.content = dict(sorted(self.content.items(), key=lambda kv: int(kv[0])))
        await self._update(interaction)

    async def on_restart(self, interaction: discord.Interaction[Any], item: Any) -> None:
        self.content = {}
        await self._update(interaction)

    async def on_grade(self, interaction: discord.Interaction[Any], item: Any) -> None:
        index = str(item.custom_id).rsplit(":", 1)[1]
        self.content[index] = int(item.values[0])
        self.content = dict(sorted(self.content.items(), key=lambda kv: int(kv[0])))
        await self._update(interaction)

    async def on_page(self, interaction: discord.Interaction[Any], item: Any) -> None:
        self.page += 1 if str(item.custom_id).endswith("suivant") else -1
        await self._update(interaction)

    async def on_submit(self, interaction: discord.Interaction[Any], item: Any) -> None:
        if not self.complete():
            raise InvalidInput("vote.ui.incomplet")
        await interaction.response.defer()
        text = await cast_and_confirm(interaction, self.target, self.content)
        self.stop()
        await interaction.edit_original_response(
            content=text, view=None, allowed_mentions=NO_MENTIONS
        )


async def open_ballot(interaction: discord.Interaction[Any], target: Target) -> None:
    view = BallotView(target, interaction.user.id, interaction.locale)
    await reply(interaction, view.text(), view=view)


# ------------------------------------------------------------------ persistent Voter button


class VoterButton(EntityButton):
    """The poll message's « Voter » button: opens the ballot UI for whoever clicks (survives restarts)."""

    PREFIX = "rtes:voter"
    STYLE = discord.ButtonStyle.primary
    DEFAULT_LABEL = "Voter"
    EMOJI = "🗳️"

    @property
    def poll_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        # Acknowledge first: under a burst, the eligibility reads may take longer than Discord's 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await prepare(interaction, self.poll_id, by_number=False)
        await open_ballot(interaction, target)


# ------------------------------------------------------------------ autocomplete


async def votable_poll_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """Open polls this person may vote in (themself, or with a proxy they hold). No results shown."""
    try:
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        now = bot.clock.now()
        wanted = fold(current.lstrip("#n°"))
        choices: list[app_commands.Choice[int]] = []
        async with bot.db.read() as session:
            person = await access.resolve(session, actor)
            for poll in await polls.open_polls(session, actor.guild_id):
                if now >= poll.closes_at:
                    continue
                assert poll.id is not None
                mine = await ballots.can_vote(session, poll, person.elu)
                held = (
                    await proxies.held_by(session, poll.id, person.elu.id)
                    if person.elu is not None and person.elu.id is not None
                    else []
                )
                if not mine and not held:
                    continue
                if wanted and not (
                    str(poll.number).startswith(wanted) or wanted in fold(poll.question)
                ):
                    continue
                label = t(
                    "vote.autocomplete",
                    interaction.locale,
                    numero=poll.number,
                    question=poll.question,
                )
                choices.append(app_commands.Choice(name=clip(label, 100), value=poll.number))
                if len(choices) == 25:
                    break
        return choices
    except Exception:
        log.warning("Autocomplete of open polls failed", exc_info=True)
        return []


async def choix_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """For single-choice polls the options; for pour-contre the three answers."""
    try:
        bot = bot_of(interaction)
        number = getattr(interaction.namespace, "scrutin", None)
        if number is None:
            return []
        async with bot.db.read() as session:
            poll = await polls.get_by_number(session, actor_of(interaction).guild_id, int(number))
        wanted = fold(current)
        if poll.method == POUR_CONTRE:
            pairs = [
                (t(f"counting.choice.{c}", interaction.locale), c) for c in POUR_CONTRE_CHOICES
            ]
        elif poll.method in (CHOIX_UNIQUE, APPROBATION):
            pairs = [(label, label) for label in poll.options]
        else:
            return []
        return [
            app_commands.Choice(name=clip(name, 100), value=clip(value, 100))
            for name, value in pairs
            if not wanted or wanted in fold(name)
        ][:25]
    except Exception:
        log.warning("Autocomplete of ballot choices failed", exc_info=True)
        return []


# ------------------------------------------------------------------ the cog


class Voting(commands.Cog):
    procuration = app_commands.Group(
        name=L("cmd.procuration"), description=L("cmd.procuration.desc"), guild_only=True
    )

    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoterButton)
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).addFilter(REDACTOR)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(VoterButton)
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).removeFilter(REDACTOR)

    @app_commands.command(name=L("cmd.voter"), description=L("cmd.voter.desc"))
    @app_commands.guild_only()
    @app_commands.rename(
        scrutin=L("opt.voter.scrutin"),
        choix=L("opt.voter.choix"),
        au_nom_de=L("opt.voter.au_nom_de"),
    )
    @app_commands.describe(
        scrutin=L("opt.voter.scrutin.desc"),
        choix=L("opt.voter.choix.desc"),
        au_nom_de=L("opt.voter.au_nom_de.desc"),
    )
    @app_commands.autocomplete(scrutin=votable_poll_choices, choix=choix_choices)  # type: ignore[misc]
    async def voter(
        self,
        interaction: discord.Interaction[RtesBot],
        scrutin: int,
        choix: str | None = None,
        au_nom_de: discord.Member | None = None,
    ) -> None:
        # Acknowledge first: under a burst, the eligibility reads may take longer than Discord's 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await prepare(interaction, scrutin, by_number=True, au_nom_de=au_nom_de)
        if choix is None:
            await open_ballot(interaction, target)
            return
        try:
            content = parse_ballot_text(ballots.spec_of(target.poll), choix)
        except BallotTextError as error:
            await reply(
                interaction,
                error.message(interaction.locale)
                + "\n"
                + t(f"vote.syntaxe.{target.poll.method}", interaction.locale),
            )
            return
        echo = format_ballot(ballots.spec_of(target.poll), content, interaction.locale)
        text = "\n".join(
            [
                header(target, interaction.locale),
                t("vote.confirmer", interaction.locale, bulletin=echo),
            ]
        )
        view = ConfirmBallot(target, content, interaction.user.id, interaction.locale)
        await reply(interaction, text, view=view)

    @procuration.command(
        name=L("cmd.procuration.donner"), description=L("cmd.procuration.donner.desc")
    )
    @app_commands.rename(membre=L("opt.procuration.membre"), scrutin=L("opt.procuration.scrutin"))
    @app_commands.describe(
        membre=L("opt.procuration.membre.desc"), scrutin=L("opt.procuration.scrutin.desc")
    )
    @app_commands.autocomplete(scrutin=votable_poll_choices)
    async def donner(
        self, interaction: discord.Interaction[RtesBot], membre: discord.Member, scrutin: int
    ) -> None:
        actor = actor_of(interaction)
        now = self.bot.clock.now()
        async with self.bot.db.begin() as session:
            person = await access.resolve(session, actor)
            person.require_member()
            poll = await polls.get_by_number(session, actor.guild_id, scrutin)
            holder = await _elu_of_member(session, actor.guild_id, membre)
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
            holder_name, holder_locale = holder.full_name, holder.locale
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
    @app_commands.rename(scrutin=L("opt.procuration.scrutin"))
    @app_commands.describe(scrutin=L("opt.procuration.scrutin.desc"))
    @app_commands.autocomplete(scrutin=votable_poll_choices)
    async def retirer(self, interaction: discord.Interaction[RtesBot], scrutin: int) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.begin() as session:
            person = await access.resolve(session, actor)
            person.require_member()
            poll = await polls.get_by_number(session, actor.guild_id, scrutin)
            await proxies.withdraw(
                session,
                poll=poll,
                grantor=person.elu,
                now=self.bot.clock.now(),
                actor_id=actor.user_id,
            )
        await reply(interaction, t("procuration.retiree", interaction.locale, numero=poll.number))


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Voting(bot))


__all__ = ["InteractionLogRedactor", "VoterButton", "handle_error", "open_ballot", "prepare"]
