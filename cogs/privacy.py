"""`/mes-donnees voir | exporter | visibilite | rappels | effacer` (GDPR), all ephemeral."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any

import discord

from cogs.proposals._forum import refresh_amendment_message, refresh_proposal_post
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import Elu, Proposal
from rtes_bot.services import access, polls, privacy, publication
from rtes_bot.services.access import Actor
from rtes_bot.text import plain_inline
from rtes_bot.ui import (
    NO_MENTIONS,
    BotCog,
    ConfirmView,
    L,
    OwnerView,
    actor_of,
    bot_of,
    channel_of,
    command_group,
    reply,
)

log = logging.getLogger("rtes_bot.privacy")

#: How far back a channel is read for the bot's messages naming an erased person.
HISTORY_LIMIT = 1000


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


class _SettingView(OwnerView):
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


class VisibilityView(_SettingView):
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


class RemindersView(_SettingView):
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


async def after_erasure(bot: RtesBot, actor: Actor, erasure: privacy.Erasure) -> None:
    """After the erasure's commit, Discord's side: roles, the bureau card, every post the bot
    wrote that named the person (re-rendered from the database, or the name replaced). Each edit
    is isolated: a failure is logged and the others go on; a message deleted meanwhile is
    skipped."""
    for poll_id in erasure.open_poll_ids:
        bot.ballot_box.forget(poll_id)  # reloaded from the anonymised list at the next vote
    # SQLite: the WAL still holds the pages as they were before the erasure (secure_delete
    # clears freed space in the database file, not old frames in the WAL).
    await bot.ballot_box.checkpoint()
    steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("roles", lambda: _take_back_roles(bot, actor, erasure.role_ids)),
        ("bureau card", lambda: _blank_bureau_card(bot, erasure)),
    ]
    for proposal_id in erasure.proposal_ids:
        steps.append(("proposal post", partial(refresh_proposal_post, bot, proposal_id)))
    for amendment_id in erasure.amendment_ids:
        steps.append(("amendment", partial(refresh_amendment_message, bot, amendment_id)))
    for poll_id in erasure.public_poll_ids:
        steps.append(("announcement", partial(_rewrite_announcements, bot, poll_id)))
    for proposal_id in erasure.thread_proposal_ids:
        steps.append(("thread", partial(_scrub_thread, bot, actor, erasure, proposal_id)))
    for user_id in erasure.dm_user_ids:
        steps.append(("direct message", partial(_scrub_dms, bot, actor, erasure, user_id)))
    for what, step in steps:
        try:
            await step()
        except Exception:
            log.warning("Erasure: could not update a %s on Discord", what, exc_info=True)


def scrub(text: str, erasure: privacy.Erasure, user_id: int, neutral: str) -> str:
    """``text`` without the person: « Name (Collectivité) » and « Name » become ``neutral``
    (as typed, or as the official posts show it, markdown escaped), mentions of their account go."""
    name = erasure.former_name
    if name:
        where = erasure.former_collectivite
        for shown in dict.fromkeys((name, plain_inline(name))):
            if where:
                for place in dict.fromkeys((where, plain_inline(where))):
                    text = text.replace(f"{shown} ({place})", neutral)
            text = text.replace(shown, neutral)
    for mention in (f"<@{user_id}> ", f"<@!{user_id}> ", f"<@{user_id}>", f"<@!{user_id}>"):
        text = text.replace(mention, "")
    return text


async def _bot_messages(
    bot: RtesBot, channel_id: int | None = None, *, dm_with: int | None = None
) -> AsyncIterator[discord.Message]:
    """The bot's own messages among the latest HISTORY_LIMIT of a channel or of the DMs with a
    user."""
    channel: Any
    if dm_with is not None:
        user = bot.get_user(dm_with) or await bot.fetch_user(dm_with)
        channel = user.dm_channel or await user.create_dm()
    else:
        assert channel_id is not None
        channel = await channel_of(bot, channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    async for message in channel.history(limit=HISTORY_LIMIT):
        if bot.user is not None and message.author.id == bot.user.id:
            yield message


async def _edit(message: discord.Message, **changes: Any) -> None:
    """One edit: a message deleted meanwhile is skipped, another failure logged."""
    try:
        await message.edit(**changes, allowed_mentions=NO_MENTIONS)
    except discord.NotFound:
        log.info("Erasure: a message to update was deleted meanwhile")
    except discord.HTTPException:
        log.warning("Erasure: could not update a message", exc_info=True)


async def _rewrite_announcements(bot: RtesBot, poll_id: int) -> None:
    """A closed public poll's announcement (registry, proposal thread), rendered again from the
    database: the erased voter's line and its file say « membre parti·e »."""
    async with bot.db.read() as session:
        poll = await polls.get(session, poll_id)
        locale = await publication.guild_locale(session, poll.guild_id)
        settings = await access.guild_settings(session, poll.guild_id)
        material = await publication.gather(session, poll)
        proposal = await session.get(Proposal, poll.proposal_id) if poll.proposal_id else None
    built = await asyncio.to_thread(publication.render, material, locale)
    marker = f"scrutin-{poll.number}-votes-nominatifs.txt"
    channel_ids = [
        channel_id
        for channel_id in (
            settings.registry_channel_id if settings is not None else None,
            proposal.thread_id if proposal is not None else None,
        )
        if channel_id is not None
    ]
    for channel_id in channel_ids:
        async for message in _bot_messages(bot, channel_id):
            if any(a.filename == marker for a in message.attachments):
                files = [discord.File(io.BytesIO(f.data), filename=f.filename) for f in built.files]
                await _edit(message, content=built.content, attachments=files)


async def _scrub_thread(
    bot: RtesBot, actor: Actor, erasure: privacy.Erasure, proposal_id: int
) -> None:
    """The bot's other messages in a proposal's thread (« retirée par … », amendments' pings)."""
    async with bot.db.read() as session:
        proposal = await session.get(Proposal, proposal_id)
        locale = await publication.guild_locale(session, actor.guild_id)
    if proposal is None or proposal.thread_id is None:
        return
    neutral = t("donnees.membre-parti", locale)
    async for message in _bot_messages(bot, proposal.thread_id):
        cleaned = scrub(message.content, erasure, actor.user_id, neutral)
        if cleaned != message.content:
            await _edit(message, content=cleaned)


async def _scrub_dms(bot: RtesBot, actor: Actor, erasure: privacy.Erasure, user_id: int) -> None:
    """DMs that named the person to someone else (« … vous a donné procuration »)."""
    async with bot.db.read() as session:
        locale = await publication.guild_locale(session, actor.guild_id)
    neutral = t("donnees.membre-parti", locale)
    async for message in _bot_messages(bot, dm_with=user_id):
        cleaned = scrub(message.content, erasure, actor.user_id, neutral)
        if cleaned != message.content:
            await _edit(message, content=cleaned)


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
    try:
        channel = await channel_of(bot, erasure.bureau_channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        message = await channel.fetch_message(erasure.bureau_card_message_id)
        await message.edit(
            content=t("donnees.effacer.carte", "fr"), embeds=[], attachments=[], view=None
        )
    except discord.HTTPException:
        log.warning("Could not blank the bureau card of an erased member")


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
        self, interaction: discord.Interaction[RtesBot], kind: type[_SettingView]
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


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Privacy(bot))
