"""Discord-side helpers shared by every cog: localised names, replies, error handling, base views.

The cogs are adapters: they turn interactions into :class:`Actor` values and service calls, and
domain errors back into ephemeral replies in the user's language.
"""

from __future__ import annotations

import functools
import logging
import re
import traceback
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from rtes_bot.catalog import CATALOG, t
from rtes_bot.errors import DomainError
from rtes_bot.services import access, fields
from rtes_bot.services.access import Actor, Person
from rtes_bot.text import clip, echo, fold

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from rtes_bot.bot import RtesBot

log = logging.getLogger("rtes_bot")

NO_MENTIONS = discord.AllowedMentions.none()
MESSAGE_LIMIT = 2000
#: how much of one parameter a refusal quotes back (user text can be thousands of characters)
QUOTE_LIMIT = 500


def L(key: str) -> app_commands.locale_str:
    """A command/option name or description: French source, translated by :class:`CatalogTranslator`."""
    return app_commands.locale_str(CATALOG[key]["fr"], key=key)


class CatalogTranslator(app_commands.Translator):
    """Gives Discord the English names and descriptions of commands, options and choices."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        if key is None or key not in CATALOG:
            return None
        if locale in (discord.Locale.american_english, discord.Locale.british_english):
            return CATALOG[key]["en"]
        if locale == discord.Locale.french:
            return CATALOG[key]["fr"]
        return None


def bot_of(interaction: discord.Interaction[Any]) -> RtesBot:
    return interaction.client  # type: ignore[return-value]


def actor_of(interaction: discord.Interaction[Any], guild_id: int | None = None) -> Actor:
    """The acting person as plain values. In a DM, ``guild_id`` says which network is meant."""
    user = interaction.user
    roles: frozenset[int] = frozenset()
    is_admin = False
    if isinstance(user, discord.Member):
        roles = frozenset(role.id for role in user.roles)
        is_admin = user.guild_permissions.administrator
    gid = interaction.guild_id or guild_id
    if gid is None:
        gid = bot_of(interaction).default_guild_id()
    return Actor(
        guild_id=gid or 0,
        user_id=user.id,
        role_ids=roles,
        is_admin=is_admin,
        locale=str(interaction.locale),
    )


async def member_of(guild: discord.Guild | None, user_id: int | None) -> discord.Member | None:
    """The guild's member ``user_id``: from the cache, else fetched from Discord; None when they
    are not (or no longer) a member. Members are not chunked at start: on a large guild the cache
    holds only the members seen since the bot started, so every lookup goes through here."""
    if guild is None or not user_id:
        return None
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None


async def message_actor(bot: discord.Client, message: discord.Message, guild_id: int) -> Actor:
    """The author of a message (a DM or a mention) as plain values, for the network ``guild_id``:
    their roles and administrator right come from that guild, if they are a member there."""
    member = message.author if isinstance(message.author, discord.Member) else None
    if member is None:
        member = await member_of(bot.get_guild(guild_id), message.author.id)
    roles = frozenset(role.id for role in member.roles) if member is not None else frozenset()
    is_admin = member.guild_permissions.administrator if member is not None else False
    return Actor(guild_id=guild_id, user_id=message.author.id, role_ids=roles, is_admin=is_admin)


async def reply(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer an interaction, whether or not it was already acknowledged. Pings nobody."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if content is not None:
        # Last resort: long texts are paginated or attached by the cogs; an answer is never lost.
        kwargs["content"] = clip(content, MESSAGE_LIMIT)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


async def reply_key(
    interaction: discord.Interaction[Any], key: str, /, *, ephemeral: bool = True, **params: Any
) -> None:
    await reply(interaction, t(key, interaction.locale, **params), ephemeral=ephemeral)


def unwrap(error: BaseException) -> BaseException:
    """The original exception behind discord.py's wrappers."""
    while isinstance(error, (app_commands.CommandInvokeError, app_commands.TransformerError)):
        if error.__cause__ is None:
            break
        error = error.__cause__
    original = getattr(error, "original", None)
    return original if isinstance(original, BaseException) else error


def custom_id_prefix(custom_id: str) -> str:
    """What a custom id says about the component, never about the choice: ``rtes:vote:12:pour``
    and ``rtes:bulletin:pour`` → ``rtes:vote``, ``rtes:bulletin``; the random id of an ephemeral
    view's item → ``(view)``."""
    if custom_id.startswith("rtes:"):
        return ":".join(custom_id.split(":")[:2])
    return "(view)"


def failed_component(interaction: discord.Interaction[Any], source: object | None = None) -> str:
    """Which component failed, for the error log: the command's name, else the interaction's
    kind, the view, item or modal class and the custom id's prefix. Never what was chosen or
    typed (no option value, no select value, no modal field, no custom id past its prefix)."""
    command = getattr(interaction.command, "qualified_name", None)
    if command:
        return f"/{command}"
    parts = [getattr(interaction.type, "name", "interaction")]
    if source is not None:
        view = getattr(source, "view", None)
        names = [type(view).__name__] if view is not None else []
        parts.append(".".join([*names, type(source).__name__]))
    data: Any = interaction.data
    custom_id = data.get("custom_id") if isinstance(data, dict) else None
    if isinstance(custom_id, str):
        parts.append(custom_id_prefix(custom_id))
    return " ".join(parts)


def traceback_without_values(error: BaseException) -> str:
    """A traceback with the exception types and the code path, but without the exceptions'
    messages: a message may quote what the person chose or typed (a ballot's content)."""
    lines: list[str] = []
    current: BaseException | None = error
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.format_list(traceback.extract_tb(current.__traceback__))
        block = ["Traceback (most recent call last):\n", *frames]
        block.append(
            f"{type(current).__module__}.{type(current).__qualname__} (message withheld)\n"
        )
        lines[:0] = block if not lines else [*block, "\nwhich caused or led to:\n\n"]
        current = current.__cause__ or current.__context__
    return "".join(lines).rstrip("\n")


async def handle_error(
    interaction: discord.Interaction[Any], error: BaseException, source: object | None = None
) -> None:
    """The one place deciding what a user sees when something goes wrong.

    `source`: the item, view or modal that failed, named in the error log (with the command or
    the custom id's prefix); the log never holds what was chosen or typed."""
    error = unwrap(error)
    if isinstance(error, DomainError):
        # User text quoted back in a refusal is shortened: a refusal must always fit in a message.
        params = {
            name: echo(value, QUOTE_LIMIT) if isinstance(value, str) else value
            for name, value in error.params.items()
        }
        message = t(error.key, interaction.locale, **params)
    elif isinstance(error, app_commands.TransformerError):
        # A value Discord sent that discord.py could not turn into the option's type.
        message = t("erreur.option-invalide", interaction.locale)
    elif isinstance(error, app_commands.NoPrivateMessage):
        message = t("acces.serveur-uniquement", interaction.locale)
    elif isinstance(error, app_commands.CommandOnCooldown):
        message = t("erreur.trop-rapide", interaction.locale, secondes=round(error.retry_after))
    else:
        log.error(
            "Unexpected error in %s (%s)\n%s",
            failed_component(interaction, source),
            type(error).__name__,
            traceback_without_values(error),
        )
        message = t("erreur.inattendue", interaction.locale)
    try:
        await reply(interaction, message, ephemeral=True)
    except discord.HTTPException:
        log.warning(
            "Could not send the error message for %s", failed_component(interaction, source)
        )


class BaseView(discord.ui.View):
    """A view whose errors reach the user like command errors (the tree handler does not see them)."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await handle_error(interaction, error, item)


class BaseModal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction[Any], error: Exception) -> None:  # type: ignore[override]
        await handle_error(interaction, error, self)


def guarded(func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """For callbacks discord.py would only log on error (dynamic items): answer the user instead."""

    @functools.wraps(func)
    async def wrapper(self: Any, interaction: discord.Interaction[Any], *args: Any) -> Any:
        try:
            return await func(self, interaction, *args)
        except Exception as error:
            await handle_error(interaction, error, self)
            return None

    return wrapper


class EntityButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"rtes:entity:(?P<id>\d+)"
):
    """A persistent button acting on one stored thing: custom id ``<PREFIX>:<id>``.

    It works after a restart (register the subclass with ``bot.add_dynamic_items``). Subclasses
    set ``PREFIX`` (their template is derived from it), ``STYLE``, ``DEFAULT_LABEL`` and
    optionally ``EMOJI``, and implement :meth:`run`; errors are answered like command errors.
    """

    PREFIX: ClassVar[str] = "rtes:entity"
    STYLE: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary
    DEFAULT_LABEL: ClassVar[str] = ""
    EMOJI: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The contract, checked when the subclass is defined (DynamicItem's metaclass is not
        # ABCMeta, so an abstract method would not be enforced): a button says what it does.
        if cls.run is EntityButton.run:
            raise TypeError(f"{cls.__name__} must define run()")
        kwargs.setdefault("template", rf"{re.escape(cls.PREFIX)}:(?P<id>\d+)")
        super().__init_subclass__(**kwargs)

    def __init__(self, entity_id: int, label: str | None = None, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                style=self.STYLE,
                label=label or self.DEFAULT_LABEL,
                emoji=self.EMOJI,
                custom_id=f"{self.PREFIX}:{entity_id}",
                disabled=disabled,
            )
        )
        self.entity_id = entity_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> Self:
        return cls(int(match["id"]), getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        try:
            await self.run(interaction)
        except Exception as error:
            await handle_error(interaction, error, self)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        """What the click does, for ``self.entity_id`` (every subclass defines it)."""
        raise NotImplementedError(f"{type(self).__name__}.run")


class OwnerView(BaseView):
    """A view in an ephemeral answer that only the person who asked may use; anyone else is
    told it is not theirs (``pages.pas-a-vous``) and nothing happens."""

    def __init__(self, owner_id: int, *, timeout: float | None = 600) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.owner_id:
            await reply(interaction, t("pages.pas-a-vous", interaction.locale))
            return False
        return True


class ConfirmView(OwnerView):
    """The one confirmation: a confirm and a cancel button, for the person who asked.

    Confirm runs ``on_confirm(interaction)``, which answers the click (typically by editing the
    message); if it raises, the refusal is answered and the question stays open. Cancel edits the
    message to ``commun.annule`` and removes the buttons. Either way the choice is kept in
    :attr:`confirmed` (``None`` until then, and after the timeout), the buttons are disabled and
    the view stops, so ``await view.wait()`` returns once it is decided. Labels come from the
    catalog: ``confirm_key`` (default ``commun.confirmer``) and ``commun.annuler``.
    """

    def __init__(
        self,
        owner_id: int,
        locale: object,
        on_confirm: Callable[[discord.Interaction[Any]], Awaitable[None]],
        *,
        confirm_key: str = "commun.confirmer",
        confirm_style: discord.ButtonStyle = discord.ButtonStyle.danger,
        timeout: float | None = 300,
    ) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.locale = locale
        self.on_confirm = on_confirm
        self.confirmed: bool | None = None
        self.confirm.label = t(confirm_key, locale)
        self.confirm.style = confirm_style
        self.cancel.label = t("commun.annuler", locale)

    def _decide(self, confirmed: bool) -> None:
        self.confirmed = confirmed
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        self.stop()

    @discord.ui.button(label="confirmer", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        if self.is_finished():
            return
        await self.on_confirm(interaction)
        self._decide(True)

    @discord.ui.button(label="annuler", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        self._decide(False)
        await interaction.response.edit_message(
            content=t("commun.annule", self.locale), view=None, allowed_mentions=NO_MENTIONS
        )


async def channel_of(bot: discord.Client, channel_id: int) -> Any:
    """A channel or thread by id: from discord.py's cache, else fetched (an archived thread or a
    channel the cache has not seen yet). Raises ``discord.HTTPException`` when Discord refuses."""
    channel = bot.get_channel(channel_id)
    if channel is None:
        channel = await bot.fetch_channel(channel_id)
    return channel


# ------------------------------------------------------------------ autocomplete

ChoiceValue = TypeVar("ChoiceValue", int, str)
Item = TypeVar("Item")

#: what may precede a number typed in an option (« #3 », « n°3 », « n° 3 »)
_NUMBER_PREFIX = re.compile(r"^\s*(?:#|n\s*°)\s*", re.IGNORECASE)
#: Discord shows at most 25 suggestions
MAX_CHOICES = 25


def typed_filter(current: str) -> str:
    """What the person typed, folded, without a leading « # » or « n° »."""
    return fold(_NUMBER_PREFIX.sub("", current))


def matches(wanted: str, *, number: int | None = None, texts: Iterable[str] = ()) -> bool:
    """Whether an item fits what was typed: its number starts with it, or one of its texts
    (folded) contains it. Nothing typed fits everything."""
    if not wanted:
        return True
    if number is not None and str(number).startswith(wanted):
        return True
    return any(wanted in fold(text) for text in texts)


def _focused_option(options: Iterable[Any]) -> str | None:
    """The name of the option being typed in, searched through subcommands and groups."""
    for option in options:
        if option.get("focused"):
            return str(option["name"])
        found = _focused_option(option.get("options", ()))
        if found is not None:
            return found
    return None


def served(interaction: discord.Interaction[Any]) -> tuple[str | None, str | None]:
    """Which command (qualified name, as in :data:`rtes_bot.permissions.COMMAND_ACCESS`) and
    which option an autocomplete interaction is for."""
    command = interaction.command
    qualified = command.qualified_name if command is not None else None
    data: Any = interaction.data or {}
    return qualified, _focused_option(data.get("options", ()))


async def autocomplete(
    interaction: discord.Interaction[Any],
    current: str,
    *,
    load: Callable[[AsyncSession, Person], Awaitable[Iterable[Item]]],
    name: Callable[[Item], str],
    value: Callable[[Item], ChoiceValue],
    texts: Callable[[Item], Iterable[str]] = lambda item: (),
    number: Callable[[Item], int] | None = None,
) -> list[app_commands.Choice[ChoiceValue]]:
    """The one autocomplete: resolve who asks, check that the permission table lets them use
    the command this autocomplete serves (:func:`served`; anyone the command would refuse gets
    no suggestion, and a command missing from the table suggests nothing), load what they may
    see (``load`` applies the command's own visibility rules for this person), keep what fits
    what they typed (see :func:`matches`), at most 25 choices with names clipped to Discord's
    100 characters. A failure is logged (naming the command and option) and answers no
    suggestion: discord.py would only log it."""
    command, option = served(interaction)
    try:
        actor = actor_of(interaction)
        if not actor.guild_id or command is None:
            return []
        wanted = typed_filter(current)
        async with bot_of(interaction).db.read() as session:
            person = await access.resolve(session, actor)
            if not person.may_use(command):
                return []
            items = await load(session, person)
        choices: list[app_commands.Choice[ChoiceValue]] = []
        for item in items:
            if matches(wanted, number=number(item) if number else None, texts=texts(item)):
                choices.append(app_commands.Choice(name=clip(name(item), 100), value=value(item)))
                if len(choices) == MAX_CHOICES:
                    break
        return choices
    except Exception as error:  # what was typed (a ballot being written) stays out of the log
        log.warning(
            "Autocomplete of /%s %s failed\n%s", command, option, traceback_without_values(error)
        )
        return []


async def _field_choices(
    interaction: discord.Interaction[Any], current: str, *, with_forum: bool
) -> list[app_commands.Choice[str]]:
    async def load(session: AsyncSession, person: Person) -> list[Any]:
        found = await fields.active_fields(session, person.actor.guild_id)
        return [f for f in found if f.forum_channel_id is not None] if with_forum else found

    return await autocomplete(
        interaction,
        current,
        load=load,
        name=lambda field: field.name,
        value=lambda field: field.slug,
        texts=lambda field: (field.name, field.slug),
    )


async def field_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The one autocomplete of a field of action: active fields, by name or slug, valued by slug
    (``services.fields.find_field`` reads it back)."""
    return await _field_choices(interaction, current, with_forum=False)


async def forum_field_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """The fields a proposal can be deposited in (`/proposition deposer`): active ones with a
    forum or channel to post in (the command refuses the others)."""
    return await _field_choices(interaction, current, with_forum=True)


# ------------------------------------------------------------------ cogs and command groups


def command_group(name: str, *, guild_only: bool = True) -> app_commands.Group:
    """A slash-command group named and described by the catalog: ``cmd.<name>`` and
    ``cmd.<name>.desc`` (French, with English through :class:`CatalogTranslator`)."""
    return app_commands.Group(
        name=L(f"cmd.{name}"), description=L(f"cmd.{name}.desc"), guild_only=guild_only
    )


class BotCog(commands.Cog):
    """A feature's cog: it keeps the bot it serves (database, settings, ballot box, publisher)."""

    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot


CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])


def options(prefix: str, *names: str) -> Callable[[CommandFunction], CommandFunction]:
    """Name and describe a command's options from the catalog: ``<prefix>.<name>`` (the option's
    French name, English through :class:`CatalogTranslator`) and ``<prefix>.<name>.desc``."""

    def decorate(function: CommandFunction) -> CommandFunction:
        described = app_commands.describe(**{name: L(f"{prefix}.{name}.desc") for name in names})
        renamed = app_commands.rename(**{name: L(f"{prefix}.{name}") for name in names})
        return renamed(described(function))

    return decorate
