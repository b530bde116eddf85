"""The buttons of `/mes-donnees`: visibility and reminders settings, the erasure confirmation."""

from __future__ import annotations

import logging
from typing import Any

import discord

from cogs.privacy._erasure import after_erasure
from cogs.privacy._render import visibility_text
from rtes_bot.catalog import t
from rtes_bot.models import Elu
from rtes_bot.services import privacy
from rtes_bot.services.access import Actor
from rtes_bot.ui import (
    NO_MENTIONS,
    ConfirmView,
    OwnerView,
    bot_of,
)

log = logging.getLogger("rtes_bot.privacy")


class SettingView(OwnerView):
    """A setting of one's own membership, changed in place by its buttons."""

    def __init__(self, actor: Actor, locale: object, elu: Elu) -> None:
        super().__init__(actor.user_id)
        self.actor = actor
        self.locale = locale
        self.refresh(elu)

    def refresh(self, elu: Elu) -> None:
        """Show the buttons for the setting as stored."""
        raise NotImplementedError

    def text(self, elu: Elu) -> str:
        """The message above the buttons."""
        raise NotImplementedError

    async def _show(self, interaction: discord.Interaction[Any], elu: Elu) -> None:
        self.refresh(elu)
        await interaction.response.edit_message(
            content=self.text(elu), view=self, allowed_mentions=NO_MENTIONS
        )


class VisibilityView(SettingView):
    def refresh(self, elu: Elu) -> None:
        self.share_email = elu.share_email
        self.share_phone = elu.share_phone
        self._label(
            self.toggle_email,
            elu.share_email,
            "donnees.visibilite.masquer-email",
            "donnees.visibilite.partager-email",
        )
        self._label(
            self.toggle_phone,
            elu.share_phone,
            "donnees.visibilite.masquer-telephone",
            "donnees.visibilite.partager-telephone",
        )

    def _label(self, button: discord.ui.Button[Any], shared: bool, hide: str, share: str) -> None:
        """A shared detail offers to hide it (secondary), a hidden one to share it (primary)."""
        button.label = t(hide if shared else share, self.locale)
        button.style = discord.ButtonStyle.secondary if shared else discord.ButtonStyle.primary

    def text(self, elu: Elu) -> str:
        return visibility_text(elu, self.locale)

    async def _change(self, interaction: discord.Interaction[Any], **changes: bool) -> None:
        async with bot_of(interaction).db.begin() as session:
            elu = await privacy.set_visibility(
                session, guild_id=self.actor.guild_id, user_id=self.actor.user_id, **changes
            )
        await self._show(interaction, elu)

    @discord.ui.button(label="email", row=0)
    async def toggle_email(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._change(interaction, share_email=not self.share_email)

    @discord.ui.button(label="telephone", row=0)
    async def toggle_phone(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._change(interaction, share_phone=not self.share_phone)


class RemindersView(SettingView):
    def refresh(self, elu: Elu) -> None:
        self.receive = not elu.reminders_opt_out
        self.toggle.label = t(
            "donnees.rappels.arreter" if self.receive else "donnees.rappels.reprendre", self.locale
        )

    def text(self, elu: Elu) -> str:
        key = "donnees.rappels.actifs" if not elu.reminders_opt_out else "donnees.rappels.inactifs"
        return t(key, self.locale)

    @discord.ui.button(label="rappels", style=discord.ButtonStyle.primary)
    async def toggle(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        async with bot_of(interaction).db.begin() as session:
            elu = await privacy.set_reminders(
                session,
                guild_id=self.actor.guild_id,
                user_id=self.actor.user_id,
                receive=not self.receive,
            )
        await self._show(interaction, elu)


def erase_view(actor: Actor, locale: object) -> ConfirmView:
    """« Effacer mes données » / « Annuler »: erasure once confirmed, then Discord's side."""

    async def erase(interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        async with bot.db.begin() as session:
            erasure = await privacy.erase(
                session,
                guild_id=actor.guild_id,
                user_id=actor.user_id,
                master_key=bot.secret_key,
            )
        await interaction.response.edit_message(
            content=t("donnees.effacer.fait", locale), view=None, allowed_mentions=NO_MENTIONS
        )
        await after_erasure(bot, actor, erasure)

    return ConfirmView(actor.user_id, locale, erase, confirm_key="donnees.effacer.confirmer")
