"""The ballot: the poll message's buttons (one-click Pour / Contre / Abstention, Voter), the
ephemeral ballot UI adapted to the method, « Changer mon vote », « Vouliez-vous dire … ? », and
the one function that stores a ballot and answers (`cast_and_answer`).

A ballot is stored through the bot's ballot box (group commit) and answered only after its
commit: ephemerally, with the exact echo and a « Changer mon vote » button. Nothing here logs a
ballot; the interaction payloads are redacted from discord.py's DEBUG logs (`LogRedactor`).
"""

from __future__ import annotations

import abc
import asyncio
import logging
import re
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Self

import discord

from rtes_bot.ballot_box import OpenPoll
from rtes_bot.catalog import t
from rtes_bot.counting import format_ballot, method_of
from rtes_bot.errors import DomainError, InvalidInput, NotAllowed
from rtes_bot.models import Poll, PollStatus
from rtes_bot.services import access, ballots
from rtes_bot.text import plain_inline
from rtes_bot.ui import (
    NO_MENTIONS,
    BaseView,
    actor_of,
    bot_of,
    clip,
    handle_error,
    reply,
    traceback_without_values,
)

log = logging.getLogger(__name__)

# The ballot UI's shapes (`VotingMethod.ui_kind`).
CHOICE_BUTTONS, SELECT_ONE, SELECT_MANY = "choice-buttons", "select-one", "select-many"
RANKING, GRADES, SCORES = "ranking", "grades", "scores"

PER_PAGE = 4  # grade/score selects per page (Discord: 5 rows, one kept for the buttons)
VIEW_TIMEOUT = 14 * 60  # an interaction token lives 15 minutes
ANSWER_WITHIN = 2.0  # seconds: past this, acknowledge first (Discord's deadline is 3 s)


# ------------------------------------------------------------------ log redaction (secrecy)


class LogRedactor(logging.Filter):
    """Keeps what a voter chose out of the logs.

    At DEBUG, discord.py logs every gateway event (an INTERACTION_CREATE carries the user and the
    button or option chosen) and every HTTP body (the ephemeral echo of a ballot). Either would
    link a voter to a ballot in the logs, so these records keep only their kind. When a
    component's error reaches discord.py's own handlers (views, modals, dynamic items), the
    record names the classes involved but not the item's label or values, and its traceback
    keeps the code path without the exceptions' messages (which may quote the choice).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.name in COMPONENT_LOGGERS:
            self._component_error(record)
            return True
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

    @staticmethod
    def _component_error(record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        # An event's name (a string) is kept; an item, view or modal is named by its class only.
        names = [a if isinstance(a, str) else type(a).__name__ for a in args if a is not None]
        classes = ", ".join(names) or "?"
        record.msg = "Ignoring exception in a component (%s)%s"
        error = record.exc_info[1] if record.exc_info else None
        stack = "\n" + traceback_without_values(error) if error is not None else ""
        record.args = (classes, stack)
        record.exc_info = None
        record.exc_text = None


#: discord.py's loggers that report a component's error (with the item and the exception).
COMPONENT_LOGGERS = ("discord.ui.view", "discord.ui.modal", "discord.client")
REDACTOR = LogRedactor()
REDACTED_LOGGERS = ("discord.gateway", "discord.http", "discord.webhook.async_", *COMPONENT_LOGGERS)


# ------------------------------------------------------------------ whose ballot


@dataclass(frozen=True)
class Target:
    """Whose ballot is being filled: one's own, or a grantor's (with a proxy)."""

    poll: OpenPoll
    vote: ballots.Vote
    grantor_user_id: int = 0  # Discord user id of the grantor (0: one's own vote)
    grantor_name: str | None = None


async def target_for(
    interaction: discord.Interaction[Any], poll: OpenPoll, grantor: discord.abc.User | None = None
) -> Target:
    """From the fixed electorate (memory), the vote this person casts — or the precise refusal."""
    bot = bot_of(interaction)
    box = bot.ballot_box
    vote = box.vote_for(poll, interaction.user.id, grantor.id if grantor is not None else None)
    if vote is None:
        # Not on the list: say exactly why (not a member, pending, bureau only, or not listed).
        async with bot.db.read() as session:
            person = await access.resolve(session, actor_of(interaction))
            person.require_member()
            if grantor is not None:
                raise NotAllowed("vote.mandataire-hors-liste")
            raise await ballots.not_listed(session, poll.poll, person.elu)
    name = None
    if grantor is not None:
        name = getattr(grantor, "display_name", None) or getattr(grantor, "name", None)
    return Target(poll, vote, grantor.id if grantor is not None else 0, name)


def header(target: Target, locale: object) -> str:
    poll = target.poll
    question = plain_inline(poll.poll.question)
    lines = [t("vote.ui.entete", locale, numero=poll.number, question=question)]
    if target.grantor_name:
        lines.append(t("vote.au-nom-de", locale, nom=target.grantor_name))
    return "\n".join(lines)


# ------------------------------------------------------------------ storing and answering


async def cast_and_answer(
    interaction: discord.Interaction[Any], target: Target, content: Any, *, edit: bool = False
) -> None:
    """Store the ballot, then answer (after the commit) with the exact echo and « Changer mon
    vote ». `edit`: the click came from the ephemeral ballot UI, whose message is replaced."""
    bot = bot_of(interaction)
    box = bot.ballot_box
    poll = target.poll
    ballots.validate_content(poll.spec, content)
    storing = asyncio.ensure_future(box.cast_vote(replace(target.vote, content=content)))
    try:
        try:
            stored = await asyncio.wait_for(asyncio.shield(storing), ANSWER_WITHIN)
        except TimeoutError:
            # A slow commit (a burst): acknowledge now, answer once the ballot is committed.
            if edit:
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
            stored = await storing
    except DomainError as refused:
        raise await box.explain(poll, target.vote, refused) from None
    except BaseException:
        storing.cancel()
        raise
    if bot.publisher is not None:
        bot.publisher.request_refresh(poll.id)
    locale = interaction.locale
    echo = format_ballot(poll.spec, content, locale)
    key = "vote.remplace" if stored.replaced else "vote.enregistre"
    text = t(key, locale, numero=poll.number, bulletin=echo)
    if target.grantor_name:
        text += "\n" + t("vote.au-nom-de", locale, nom=target.grantor_name)
    view = change_view(poll.id, target.grantor_user_id, locale)
    text = clip(text, 2000)
    if edit:
        if interaction.response.is_done():
            await interaction.edit_original_response(
                content=text, view=view, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.edit_message(
                content=text, view=view, allowed_mentions=NO_MENTIONS
            )
    else:
        await reply(interaction, text, view=view)


def change_view(poll_id: int, grantor_user_id: int, locale: object) -> discord.ui.View:
    """The « Changer mon vote » button (persistent: it works after a restart). The view is not
    kept in memory: the button is routed by its custom id."""
    view = discord.ui.View(timeout=None)
    view.add_item(ChangeVoteButton(poll_id, grantor_user_id, t("vote.bouton.changer", locale)))
    view.stop()
    return view


async def open_ballot(interaction: discord.Interaction[Any], target: Target) -> None:
    """The ephemeral ballot UI — unless the vote would be refused: then say so at once, not after
    the ballot is filled (a proxy given, a vote struck, the poll closed meanwhile)."""
    await bot_of(interaction).ballot_box.check(target.poll, target.vote)
    view = BallotView(target, interaction.user.id, interaction.locale)
    await reply(interaction, view.text(), view=view)


def ordinal(rank: int, locale: object) -> str:
    return t("vote.ui.premier", locale) if rank == 1 else t("vote.ui.nieme", locale, rang=rank)


# ------------------------------------------------------------------ the ballot UI


class _Handled:
    """A component of the ballot UI: its click goes to a handler of the view, and `update`
    changes it in place (the same instance for the view's whole life)."""

    #: what `update` may change
    CHANGEABLE: ClassVar[tuple[str, ...]]

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handler = handler

    def update(self, handler: Any, **kwargs: Any) -> None:
        self.handler = handler
        for name in self.CHANGEABLE:
            if name in kwargs:
                setattr(self, name, kwargs[name])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.handler(interaction, self)


class _Button(_Handled, discord.ui.Button[Any]):
    CHANGEABLE = ("label", "style", "disabled", "row")


class _Select(_Handled, discord.ui.Select[Any]):
    CHANGEABLE = ("placeholder", "min_values", "max_values", "options", "row")


class BallotView(BaseView):
    """An ephemeral ballot: the draft is kept here until « Valider mon bulletin » stores it."""

    def __init__(self, target: Target, owner_id: int, locale: object) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.target = target
        self.poll = target.poll.poll
        self.owner_id = owner_id
        self.locale = locale
        self.method = self.poll.method
        self.kind = method_of(self.method)  # everything method-specific comes from the registry
        self.ui = self.kind.ui_kind
        self.labels = list(self.poll.options) if self.kind.needs_options else []
        self.page = 0
        self.content: Any = self._empty()
        # One item instance per custom id for the view's whole life: a click that arrives just
        # before discord.py re-registers the edited message still finds an attached item.
        self._items: dict[str, Any] = {}
        self.render()

    def _empty(self) -> Any:
        return None if self.ui in (CHOICE_BUTTONS, SELECT_ONE, SELECT_MANY) else {}

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id

    # -- state

    def complete(self) -> bool:
        if self.ui == SELECT_MANY:
            return self.content is not None  # a blank approval ballot is a choice, once made
        return self.kind.is_complete(self.target.poll.spec, self.content)

    def text(self) -> str:
        lines = [header(self.target, self.locale), t(f"vote.ui.aide.{self.method}", self.locale)]
        if self.kind.accepts_max_choices and self.poll.max_choices:
            lines.append(t("vote.ui.max-choix", self.locale, max=self.poll.max_choices))
        if self.content is None or (self.ui == RANKING and not self.content):
            lines.append(t("vote.ui.vide", self.locale))
        elif self.ui in (GRADES, SCORES) and not self.complete():
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
        return format_ballot(self.target.poll.spec, self.content, self.locale)

    # -- components

    def render(self) -> None:
        self.clear_items()
        ui = self.ui
        if ui == CHOICE_BUTTONS:
            for choice in self.kind.one_click_choices:
                self._button(
                    self.on_choice,
                    f"rtes:bulletin:{choice}",
                    t(f"counting.choice.{choice}", self.locale),
                    style=discord.ButtonStyle.primary
                    if self.content == choice
                    else discord.ButtonStyle.secondary,
                    row=0,
                )
        elif ui in (SELECT_ONE, SELECT_MANY):
            chosen = set(self.content or [])
            top = len(self.labels) if ui == SELECT_MANY else 1
            if self.kind.accepts_max_choices and self.poll.max_choices:
                top = self.poll.max_choices
            self._add(
                _Select,
                self.on_select_choices,
                custom_id="rtes:bulletin:choix",
                placeholder=t(f"vote.ui.placeholder.{self.method}", self.locale),
                min_values=0 if ui == SELECT_MANY else 1,
                max_values=top,
                options=[
                    discord.SelectOption(label=clip(label, 100), value=str(i), default=i in chosen)
                    for i, label in enumerate(self.labels)
                ],
                row=0,
            )
        elif ui == RANKING:
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
            self._button(
                self.on_restart,
                "rtes:bulletin:recommencer",
                t("vote.ui.recommencer", self.locale),
                disabled=not self.content,
                row=1,
            )
        else:
            start = self.page * PER_PAGE
            for row, i in enumerate(range(start, min(start + PER_PAGE, len(self.labels)))):
                current = self.content.get(str(i))
                values = self.kind.grade_values(self.target.poll.spec)
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
                self._button(
                    self.on_page,
                    "rtes:bulletin:precedent",
                    t("vote.ui.precedent", self.locale),
                    disabled=self.page == 0,
                    row=4,
                )
                self._button(
                    self.on_page,
                    "rtes:bulletin:suivant",
                    t("vote.ui.suivant", self.locale, page=self.page + 2, total=pages),
                    disabled=self.page >= pages - 1,
                    row=4,
                )
        self._button(
            self.on_submit,
            "rtes:bulletin:valider",
            t("vote.ui.valider", self.locale),
            style=discord.ButtonStyle.success,
            disabled=not self.complete(),
            row=4 if ui in (GRADES, SCORES) else 1,
        )

    def _button(
        self,
        handler: Any,
        custom_id: str,
        label: str,
        *,
        row: int,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        self._add(
            _Button,
            handler,
            label=label,
            custom_id=custom_id,
            style=style,
            disabled=disabled,
            row=row,
        )

    def _add(self, kind: Any, handler: Any, **kwargs: Any) -> None:
        item = self._items.get(kwargs["custom_id"])
        if item is None:
            item = self._items[kwargs["custom_id"]] = kind(handler, **kwargs)
        else:
            item.update(handler, **kwargs)
        self.add_item(item)

    def _grade_label(self, value: int) -> str:
        return self.kind.grade_label(value, self.locale)

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
        self.stop()
        await cast_and_answer(interaction, self.target, self.content, edit=True)


# ------------------------------------------------------------------ persistent buttons


class PollButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"rtes:poll-button:(?P<poll>\d+)"
):
    """A persistent button of an open poll (works after a restart): subclasses set their custom
    id template and `poll_id`, and implement `run`; errors are answered like command errors."""

    def __init__(
        self,
        poll_id: int,
        custom_id: str,
        *,
        style: discord.ButtonStyle,
        label: str,
        emoji: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                style=style, label=label, emoji=emoji, custom_id=custom_id, disabled=disabled
            )
        )
        self.poll_id = poll_id

    async def callback(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        try:
            box = bot_of(interaction).ballot_box
            poll = await box.open_poll_by_id(interaction.guild_id or 0, self.poll_id)
            await self.run(interaction, poll)
        except Exception as error:
            await handle_error(interaction, error, self)

    @abc.abstractmethod
    async def run(self, interaction: discord.Interaction[Any], poll: OpenPoll) -> None:
        """What the click does in this open poll."""


class VoterButton(PollButton, template=r"rtes:voter:(?P<poll>\d+)"):
    """The poll message's « Voter » button: opens the ballot UI for whoever clicks."""

    def __init__(self, poll_id: int, label: str = "Voter", *, disabled: bool = False) -> None:
        super().__init__(
            poll_id,
            f"rtes:voter:{poll_id}",
            style=discord.ButtonStyle.primary,
            label=label,
            emoji="🗳️",
            disabled=disabled,
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> Self:
        return cls(int(match["poll"]), getattr(item, "label", None) or "Voter")

    async def run(self, interaction: discord.Interaction[Any], poll: OpenPoll) -> None:
        await open_ballot(interaction, await target_for(interaction, poll))


ONE_CLICK_STYLES = {
    "pour": discord.ButtonStyle.success,
    "contre": discord.ButtonStyle.danger,
    "abstention": discord.ButtonStyle.secondary,
}


class OneClickButton(
    PollButton,
    template=r"rtes:vote:(?P<poll>\d+):(?P<choice>pour|contre|abstention)",
):
    """« Pour », « Contre », « Abstention » on a pour-contre poll's message: one click votes."""

    def __init__(self, poll_id: int, choice: str, label: str, *, disabled: bool = False) -> None:
        super().__init__(
            poll_id,
            f"rtes:vote:{poll_id}:{choice}",
            style=ONE_CLICK_STYLES[choice],
            label=label,
            disabled=disabled,
        )
        self.choice = choice

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> Self:
        return cls(int(match["poll"]), match["choice"], getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction[Any], poll: OpenPoll) -> None:
        await cast_and_answer(interaction, await target_for(interaction, poll), self.choice)


class ChangeVoteButton(
    PollButton,
    template=r"rtes:changer:(?P<poll>\d+):(?P<grantor>\d+)",
):
    """« Changer mon vote » under a vote's answer: opens the ballot UI again (for the same vote)."""

    def __init__(self, poll_id: int, grantor_user_id: int, label: str) -> None:
        super().__init__(
            poll_id,
            f"rtes:changer:{poll_id}:{grantor_user_id}",
            style=discord.ButtonStyle.secondary,
            label=label,
            emoji="✏️",
        )
        self.grantor_user_id = grantor_user_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> Self:
        return cls(int(match["poll"]), int(match["grantor"]), getattr(item, "label", None) or "")

    async def run(self, interaction: discord.Interaction[Any], poll: OpenPoll) -> None:
        grantor = None
        if self.grantor_user_id:
            grantor = interaction.client.get_user(self.grantor_user_id) or discord.Object(
                self.grantor_user_id
            )
        target = await target_for(interaction, poll, grantor)  # type: ignore[arg-type]
        await open_ballot(interaction, target)


class SuggestionView(BaseView):
    """« Vouliez-vous dire … ? »: one button that votes the corrected ballot."""

    def __init__(
        self, target: Target, text: str, content: Any, owner_id: int, locale: object
    ) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.target = target
        self.content = content
        self.owner_id = owner_id
        self.vote.label = clip(t("vote.bouton.suggestion", locale, suggestion=text), 80)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id

    @discord.ui.button(style=discord.ButtonStyle.primary, custom_id="rtes:bulletin:suggestion")
    async def vote(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        self.stop()
        await cast_and_answer(interaction, self.target, self.content, edit=True)


def poll_view(poll: Poll, locale: object) -> discord.ui.View:
    """The poll message's buttons: one-click Pour / Contre / Abstention for a pour-contre poll,
    else Voter; disabled once closed."""
    view = discord.ui.View(timeout=None)
    closed = poll.status == PollStatus.CLOSED
    choices = method_of(poll.method).one_click_choices
    if choices and not closed:
        for choice in choices:
            view.add_item(
                OneClickButton(poll.id or 0, choice, t(f"counting.choice.{choice}", locale))
            )
        return view
    label = t("scrutin.bouton.clos" if closed else "scrutin.bouton.voter", locale)
    view.add_item(VoterButton(poll.id or 0, label=label, disabled=closed))
    return view


DYNAMIC_ITEMS = (VoterButton, OneClickButton, ChangeVoteButton)
