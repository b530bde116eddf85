"""The Onboarding cog: `/adhesion`, the welcome DM when someone joins, marking those who leave."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs.onboarding._moderation import RefuseButton, ValidateButton, refresh_card
from cogs.onboarding._side_effects import send_dm
from cogs.onboarding._wizard import StartButton, open_registration, welcome_view
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.locales import recipient_locale
from rtes_bot.services import access, members
from rtes_bot.ui import BotCog, L

log = logging.getLogger("rtes_bot.onboarding")


class Onboarding(BotCog):
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(StartButton, ValidateButton, RefuseButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(StartButton, ValidateButton, RefuseButton)

    def _serves(self, guild: discord.Guild) -> bool:
        ids = self.bot.settings.guild_ids
        return not ids or guild.id in ids

    @app_commands.command(name=L("cmd.adhesion"), description=L("cmd.adhesion.desc"))
    async def adhesion(self, interaction: discord.Interaction[RtesBot]) -> None:
        await open_registration(interaction, interaction.guild_id or self.bot.default_guild_id())

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot or not self._serves(member.guild):
            return
        try:
            async with self.bot.db.read() as session:
                settings = await access.guild_settings(session, member.guild.id)
                known = await access.find_elu(session, member.guild.id, member.id)
            locale = recipient_locale(
                self.bot,
                member.id,
                stored=known.locale if known else None,
                default=settings.locale if settings else None,
            )
            text = t("accueil.dm", locale, serveur=member.guild.name)
            await send_dm(self.bot, member.id, text, view=welcome_view(member.guild.id, locale))
        except Exception:
            # A welcome DM is a courtesy: never an error (the bot may also be shutting down).
            if not self.bot.is_closed():
                log.warning("Could not welcome member %s", member.id, exc_info=True)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        if payload.user.bot:
            return
        async with self.bot.db.begin() as session:
            elu = await members.mark_left(
                session, payload.guild_id, payload.user.id, self.bot.clock
            )
            card_id = elu.bureau_card_message_id if elu else None
            elu_id = elu.id if elu else None
        if elu_id is not None and card_id is not None:
            try:
                await refresh_card(self.bot, payload.guild_id, elu_id)
            except discord.HTTPException:
                log.warning("Could not update the bureau card of a departed member", exc_info=True)
