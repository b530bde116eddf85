"""The bureau's side of onboarding: the card of each registration in the bureau channel, kept up
to date, with its persistent Valider / Refuser buttons and the refusal modal.

A decision is one unit of work (who decides, then ``members.validate`` or ``members.reject``,
which apply once even when two bureau members click together); roles, the DM and the card follow
after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from sqlalchemy.ext.asyncio import AsyncSession

from cogs.onboarding._render import card_embed
from cogs.onboarding._side_effects import give_roles, safe, send_dm
from rtes_bot.catalog import t
from rtes_bot.locales import recipient_locale
from rtes_bot.models import Elu, EluStatus, GuildSettings
from rtes_bot.services import access, members
from rtes_bot.services import fields as fields_service
from rtes_bot.services.access import Person
from rtes_bot.ui import (
    NO_MENTIONS,
    BaseModal,
    EntityButton,
    actor_of,
    bot_of,
    clip,
    member_of,
    reply,
)

log = logging.getLogger("rtes_bot.onboarding")

#: how long a bureau member has to write the reason of a refusal
REFUSAL_TIMEOUT = 15 * 60


def card_view(elu_id: int, locale: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ValidateButton(elu_id, t("adhesion.bouton.valider", locale)))
    view.add_item(RefuseButton(elu_id, t("adhesion.bouton.refuser", locale)))
    return view


async def refresh_card(bot: Any, guild_id: int, elu_id: int, decided_by: int | None = None) -> None:
    """Post the card in the bureau channel, or bring the posted one up to date."""
    async with bot.db.read() as session:
        card = await members.card(session, guild_id, elu_id)
        settings = await access.guild_settings(session, guild_id)
    if settings is None or settings.bureau_channel_id is None:
        log.warning("No bureau channel in guild %s: run /admin installer", guild_id)
        return
    channel = bot.get_channel(settings.bureau_channel_id)
    if not isinstance(channel, discord.TextChannel):
        log.warning("The bureau channel of guild %s is missing: run /admin installer", guild_id)
        return
    locale = settings.locale
    embed = card_embed(card, locale, decided_by)
    pending = card.elu.status == EluStatus.PENDING
    view = card_view(elu_id, locale) if pending else None
    message_id = card.elu.bureau_card_message_id
    if message_id is not None:
        try:
            message = channel.get_partial_message(message_id)
            await message.edit(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
            return
        except discord.NotFound:
            message_id = None
    if not pending:
        return
    assert view is not None
    posted = await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
    try:
        async with bot.db.begin() as session:
            await members.set_card_message(session, elu_id, posted.id)
    except BaseException:
        # Unsaved, the card would be posted a second time by the next refresh: remove it.
        try:
            await posted.delete()
        except discord.HTTPException:
            log.warning("Could not remove an unsaved bureau card", exc_info=True)
        raise


# --------------------------------------------------------------------------- deciding


@dataclass(frozen=True)
class Decided:
    """A decision once committed: what follows on Discord needs nothing more from the database."""

    actor: access.Actor
    elu: Elu
    settings: GuildSettings | None
    field_role_ids: frozenset[int]


async def _decide(
    interaction: discord.Interaction[Any],
    decide: Callable[[AsyncSession, access.Actor], Awaitable[Elu]],
) -> Decided:
    """The bureau member's decision in one unit of work (anyone else is refused first)."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    bot = bot_of(interaction)
    actor = actor_of(interaction)
    async with bot.db.begin() as session:
        await access.resolve(session, actor, Person.require_bureau)
        elu = await decide(session, actor)
        assert elu.id is not None
        settings = await access.guild_settings(session, actor.guild_id)
        # A validated member gets the roles of the fields they chose.
        field_roles = (
            await fields_service.field_role_ids(session, elu.id)
            if elu.status == EluStatus.ACTIVE
            else set()
        )
    return Decided(actor, elu, settings, frozenset(field_roles))


async def _drop_pending_role(
    member: discord.Member, settings: GuildSettings | None, reason: str
) -> None:
    pending_role_id = settings.pending_role_id if settings else None
    if pending_role_id and member.get_role(pending_role_id):
        await safe(member.remove_roles(discord.Object(pending_role_id), reason=reason))


class ValidateButton(EntityButton):
    PREFIX = "rtes:adhesion:valider"
    STYLE = discord.ButtonStyle.success
    DEFAULT_LABEL = "Valider"

    @property
    def elu_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        decided = await _decide(
            interaction,
            lambda session, actor: members.validate(
                session, actor.guild_id, self.elu_id, actor.user_id, bot.clock
            ),
        )
        elu, settings = decided.elu, decided.settings
        note = ""
        member = await member_of(interaction.guild, elu.discord_user_id)
        if member is not None and settings is not None:
            roles = [settings.member_role_id, *sorted(decided.field_role_ids)]
            await give_roles(member, roles, "adhésion validée")
            await _drop_pending_role(member, settings, "adhésion validée")
        elif member is None:
            note = "\n" + t("adhesion.validee.absent", interaction.locale)
        if elu.discord_user_id:
            locale = recipient_locale(bot, elu.discord_user_id, stored=elu.locale)
            text = t("adhesion.dm.validee", locale, nom=elu.full_name)
            await send_dm(bot, elu.discord_user_id, text)
        await refresh_card(bot, elu.guild_id, self.elu_id, decided_by=decided.actor.user_id)
        await reply(
            interaction, t("adhesion.validee.bureau", interaction.locale, nom=elu.full_name) + note
        )


class RefuseButton(EntityButton):
    PREFIX = "rtes:adhesion:refuser"
    STYLE = discord.ButtonStyle.danger
    DEFAULT_LABEL = "Refuser"

    @property
    def elu_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        async with bot.db.read() as session:
            await access.resolve(session, actor, Person.require_bureau)
            elu = await members.get_pending(session, actor.guild_id, self.elu_id)
        await interaction.response.send_modal(
            RefusalModal(self.elu_id, elu.full_name, str(interaction.locale))
        )


class RefusalModal(BaseModal):
    def __init__(self, elu_id: int, full_name: str, locale: str) -> None:
        super().__init__(
            title=clip(t("adhesion.refus.titre", locale, nom=full_name), 45),
            timeout=REFUSAL_TIMEOUT,
        )
        self.elu_id = elu_id
        self.reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.refus.motif", locale),
            custom_id="motif",
            style=discord.TextStyle.paragraph,
            max_length=members.REASON_MAX,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        bot = bot_of(interaction)
        decided = await _decide(
            interaction,
            lambda session, actor: members.reject(
                session, actor.guild_id, self.elu_id, self.reason.value, actor.user_id, bot.clock
            ),
        )
        elu = decided.elu
        member = await member_of(interaction.guild, elu.discord_user_id)
        if member is not None:
            await _drop_pending_role(member, decided.settings, "adhésion refusée")
        if elu.discord_user_id:
            text = t(
                "adhesion.dm.refusee",
                recipient_locale(bot, elu.discord_user_id, stored=elu.locale),
                nom=elu.full_name,
                motif=elu.rejection_reason or "",
            )
            await send_dm(bot, elu.discord_user_id, text)
        await refresh_card(bot, elu.guild_id, self.elu_id, decided_by=decided.actor.user_id)
        await reply(
            interaction, t("adhesion.refusee.bureau", interaction.locale, nom=elu.full_name)
        )
