"""`/mes-donnees voir | exporter | visibilite | rappels | effacer` (GDPR), all ephemeral."""

from __future__ import annotations

import asyncio
import io

import discord

from cogs.privacy._render import summary_text
from cogs.privacy._views import RemindersView, SettingView, VisibilityView, erase_view
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.services import privacy
from rtes_bot.ui import (
    BotCog,
    L,
    actor_of,
    command_group,
    reply,
)


class Privacy(BotCog):
    mes_donnees = command_group("mes-donnees")

    @mes_donnees.command(name=L("cmd.mes-donnees.voir"), description=L("cmd.mes-donnees.voir.desc"))
    async def voir(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            summary = await privacy.summary(session, actor.guild_id, actor.user_id)
        await reply(interaction, summary_text(summary, interaction.locale, self.bot.settings.zone))

    @mes_donnees.command(
        name=L("cmd.mes-donnees.exporter"), description=L("cmd.mes-donnees.exporter.desc")
    )
    async def exporter(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.read() as session:
            data = await privacy.collect(session, actor.guild_id, actor.user_id)
        payload = await asyncio.to_thread(privacy.export_json, data)  # may be large
        file = discord.File(io.BytesIO(payload), filename="mes-donnees-rtes.json")
        await reply(interaction, t("donnees.exporter.fait", interaction.locale), file=file)

    async def _show_setting(
        self, interaction: discord.Interaction[RtesBot], kind: type[SettingView]
    ) -> None:
        """One's own membership setting with its buttons (refused without a membership)."""
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            elu = await privacy.visibility(session, actor.guild_id, actor.user_id)
        view = kind(actor, interaction.locale, elu)
        await reply(interaction, view.text(elu), view=view)

    @mes_donnees.command(
        name=L("cmd.mes-donnees.visibilite"), description=L("cmd.mes-donnees.visibilite.desc")
    )
    async def visibilite(self, interaction: discord.Interaction[RtesBot]) -> None:
        await self._show_setting(interaction, VisibilityView)

    @mes_donnees.command(
        name=L("cmd.mes-donnees.rappels"), description=L("cmd.mes-donnees.rappels.desc")
    )
    async def rappels(self, interaction: discord.Interaction[RtesBot]) -> None:
        await self._show_setting(interaction, RemindersView)

    @mes_donnees.command(
        name=L("cmd.mes-donnees.effacer"), description=L("cmd.mes-donnees.effacer.desc")
    )
    async def effacer(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            summary = await privacy.summary(session, actor.guild_id, actor.user_id)
        if summary.elu is None:
            await reply(interaction, t("donnees.aucune", interaction.locale))
            return
        await reply(
            interaction,
            t("donnees.effacer.question", interaction.locale),
            view=erase_view(actor, interaction.locale),
        )
