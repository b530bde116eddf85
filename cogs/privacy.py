"""`/mes-donnees voir | exporter | visibilite | rappels | effacer` (GDPR), all ephemeral."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import Elu
from rtes_bot.services import privacy
from rtes_bot.services.access import Actor
from rtes_bot.ui import NO_MENTIONS, BaseView, L, actor_of, bot_of, reply

log = logging.getLogger("rtes_bot.privacy")


def _yes_no(value: bool, locale: object) -> str:
    return t("commun.oui" if value else "commun.non", locale)


def summary_text(summary: privacy.Summary, locale: object, zone: Any) -> str:
    counts = summary.counts
    lines = [t("donnees.voir.titre", locale), ""]
    elu = summary.elu
    if elu is None:
        lines.append(t("donnees.voir.aucune-adhesion", locale))
    else:
        none = t("commun.aucun", locale)
        lines += [
            t("donnees.voir.nom", locale, valeur=elu.full_name or none),
            t(
                "donnees.voir.collectivite",
                locale,
                valeur=summary.collectivite or none,
                referent=_yes_no(elu.is_referent, locale),
            ),
            t("donnees.voir.mandat", locale, valeur=elu.mandate or none),
            t(
                "donnees.voir.email",
                locale,
                valeur=elu.email or none,
                visible=_yes_no(elu.share_email, locale),
            ),
            t(
                "donnees.voir.telephone",
                locale,
                valeur=elu.phone or none,
                visible=_yes_no(elu.share_phone, locale),
            ),
            t("donnees.voir.domaines", locale, valeur=", ".join(summary.fields) or none),
            t("donnees.voir.statut", locale, valeur=t(f"donnees.statut.{elu.status}", locale)),
            t("donnees.voir.rappels", locale, valeur=_yes_no(not elu.reminders_opt_out, locale)),
            t(
                "donnees.voir.depuis",
                locale,
                date=elu.created_at.astimezone(zone).strftime("%d/%m/%Y"),
            ),
        ]
    lines += ["", t("donnees.voir.activite", locale, **counts), "", t("donnees.voir.pied", locale)]
    return "\n".join(lines)


def visibility_text(elu: Elu, locale: object) -> str:
    none = t("commun.aucun", locale)
    return t(
        "donnees.visibilite.etat",
        locale,
        email=elu.email or none,
        email_visible=t("donnees.visible" if elu.share_email else "donnees.masque", locale),
        telephone=elu.phone or none,
        telephone_visible=t("donnees.visible" if elu.share_phone else "donnees.masque", locale),
    )


class OwnerView(BaseView):
    """An ephemeral view only its owner may use."""

    def __init__(self, actor: Actor, locale: object, timeout: float = 600) -> None:
        super().__init__(timeout=timeout)
        self.actor = actor
        self.locale = locale

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.actor.user_id:
            await reply(interaction, t("pages.pas-a-vous", interaction.locale))
            return False
        return True


class VisibilityView(OwnerView):
    def __init__(self, actor: Actor, locale: object, elu: Elu) -> None:
        super().__init__(actor, locale)
        self.refresh(elu)

    def refresh(self, elu: Elu) -> None:
        self.share_email = elu.share_email
        self.share_phone = elu.share_phone
        self.toggle_email.label = t(
            "donnees.visibilite.masquer-email"
            if elu.share_email
            else "donnees.visibilite.partager-email",
            self.locale,
        )
        self.toggle_email.style = (
            discord.ButtonStyle.secondary if elu.share_email else discord.ButtonStyle.primary
        )
        self.toggle_phone.label = t(
            "donnees.visibilite.masquer-telephone"
            if elu.share_phone
            else "donnees.visibilite.partager-telephone",
            self.locale,
        )
        self.toggle_phone.style = (
            discord.ButtonStyle.secondary if elu.share_phone else discord.ButtonStyle.primary
        )

    async def _change(self, interaction: discord.Interaction[Any], **changes: bool) -> None:
        async with bot_of(interaction).db.begin() as session:
            elu = await privacy.set_visibility(
                session, guild_id=self.actor.guild_id, user_id=self.actor.user_id, **changes
            )
        self.refresh(elu)
        await interaction.response.edit_message(
            content=visibility_text(elu, self.locale), view=self, allowed_mentions=NO_MENTIONS
        )

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


class RemindersView(OwnerView):
    def __init__(self, actor: Actor, locale: object, elu: Elu) -> None:
        super().__init__(actor, locale)
        self.refresh(elu)

    def refresh(self, elu: Elu) -> None:
        self.receive = not elu.reminders_opt_out
        self.toggle.label = t(
            "donnees.rappels.arreter" if self.receive else "donnees.rappels.reprendre", self.locale
        )

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
        self.refresh(elu)
        key = "donnees.rappels.actifs" if self.receive else "donnees.rappels.inactifs"
        await interaction.response.edit_message(
            content=t(key, self.locale), view=self, allowed_mentions=NO_MENTIONS
        )


class EraseView(OwnerView):
    def __init__(self, actor: Actor, locale: object) -> None:
        super().__init__(actor, locale, timeout=300)
        self.confirm.label = t("donnees.effacer.confirmer", locale)
        self.cancel.label = t("commun.annuler", locale)

    @discord.ui.button(label="confirmer", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        bot = bot_of(interaction)
        async with bot.db.begin() as session:
            erasure = await privacy.erase(
                session, guild_id=self.actor.guild_id, user_id=self.actor.user_id
            )
        self.stop()
        await interaction.response.edit_message(
            content=t("donnees.effacer.fait", self.locale), view=None, allowed_mentions=NO_MENTIONS
        )
        await _take_back_roles(bot, self.actor, erasure.role_ids)
        await _blank_bureau_card(bot, erasure)

    @discord.ui.button(label="annuler", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=t("commun.annule", self.locale), view=None)


async def _take_back_roles(bot: RtesBot, actor: Actor, role_ids: frozenset[int]) -> None:
    """After the commit: the member's roles go (the database is already anonymised)."""
    guild = bot.get_guild(actor.guild_id)
    member = guild.get_member(actor.user_id) if guild else None
    if guild is None or member is None:
        return
    roles = [role for role in member.roles if role.id in role_ids]
    if not roles:
        return
    try:
        await member.remove_roles(*roles, reason="Effacement des données (RGPD)")
    except discord.HTTPException:
        log.warning("Could not remove the roles of an erased member")


async def _blank_bureau_card(bot: RtesBot, erasure: privacy.Erasure) -> None:
    """The bureau's validation card showed the person's details: it now says they were erased."""
    if erasure.bureau_channel_id is None or erasure.bureau_card_message_id is None:
        return
    channel = bot.get_channel(erasure.bureau_channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        message = await channel.fetch_message(erasure.bureau_card_message_id)
        await message.edit(
            content=t("donnees.effacer.carte", "fr"), embeds=[], attachments=[], view=None
        )
    except discord.HTTPException:
        log.warning("Could not blank the bureau card of an erased member")


class Privacy(commands.Cog):
    mes_donnees = app_commands.Group(
        name=L("cmd.mes-donnees"), description=L("cmd.mes-donnees.desc"), guild_only=True
    )

    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot

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

    @mes_donnees.command(
        name=L("cmd.mes-donnees.visibilite"), description=L("cmd.mes-donnees.visibilite.desc")
    )
    async def visibilite(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            elu = await privacy.visibility(session, actor.guild_id, actor.user_id)
        view = VisibilityView(actor, interaction.locale, elu)
        await reply(interaction, visibility_text(elu, interaction.locale), view=view)

    @mes_donnees.command(
        name=L("cmd.mes-donnees.rappels"), description=L("cmd.mes-donnees.rappels.desc")
    )
    async def rappels(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            elu = await privacy.visibility(session, actor.guild_id, actor.user_id)
        view = RemindersView(actor, interaction.locale, elu)
        key = "donnees.rappels.actifs" if not elu.reminders_opt_out else "donnees.rappels.inactifs"
        await reply(interaction, t(key, interaction.locale), view=view)

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
            view=EraseView(actor, interaction.locale),
        )


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Privacy(bot))
