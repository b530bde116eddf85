"""The assistant's Discord side: DMs, mentions and `/question`.

DMs and mentions carry their content without the privileged message-content intent. Answers
that hold contact details are sent by DM when the question was asked in a channel; `/question`
answers ephemerally (visible to the asker only), contacts included.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.assistant._views import AskBackView
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.services import assistant
from rtes_bot.services.access import Actor
from rtes_bot.ui import (
    NO_MENTIONS,
    BotCog,
    L,
    actor_of,
    member_of,
    message_actor,
    options,
    reply,
)

log = logging.getLogger("rtes_bot.assistant")


def strip_mentions(content: str, bot_id: int) -> str:
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()


class Assistant(BotCog):
    async def _ask(self, actor: Actor, question: str, locale: str | None) -> assistant.Answer:
        from rtes_bot.assistant import meaning  # numpy and the encoder: on the first question

        if not meaning.ready():
            # The sentence encoder's first load (seconds), in a worker thread and before a
            # database connection is taken: none is held while it loads.
            await asyncio.to_thread(meaning.examples)
        async with self.bot.db.read() as session:
            return await assistant.ask(session, actor, question, locale=locale)

    # ------------------------------------------------------------------ /question

    @app_commands.command(name=L("cmd.question"), description=L("cmd.question.desc"))
    @app_commands.guild_only()
    @options("opt.question", "texte")
    async def question(self, interaction: discord.Interaction[RtesBot], texte: str) -> None:
        await self.answer_interaction(interaction, texte)

    async def _interaction_actor(self, interaction: discord.Interaction[Any]) -> Actor:
        """Who clicked or typed; in a DM (an ask-back button under a DM answer), their roles
        come from the network's guild, as for DM questions."""
        actor = actor_of(interaction)
        if interaction.guild_id is not None:
            return actor
        member = await member_of(self.bot.get_guild(actor.guild_id), interaction.user.id)
        if member is None:
            return actor
        return Actor(
            guild_id=actor.guild_id,
            user_id=actor.user_id,
            role_ids=frozenset(role.id for role in member.roles),
            is_admin=member.guild_permissions.administrator,
            locale=actor.locale,
        )

    async def answer_interaction(self, interaction: discord.Interaction[Any], text: str) -> None:
        from rtes_bot.assistant import meaning

        if not meaning.ready() and not interaction.response.is_done():
            # The first question loads the sentence encoder (a second or more): past Discord's
            # three seconds, an unacknowledged interaction is lost.
            await interaction.response.defer(ephemeral=True, thinking=True)
        actor = await self._interaction_actor(interaction)
        answer = await self._ask(actor, text, str(interaction.locale))
        view = self._view(interaction.user.id, answer)
        if view is not None:
            await reply(interaction, answer.text, view=view)
        else:
            await reply(interaction, answer.text)

    def _view(self, owner_id: int, answer: assistant.Answer) -> AskBackView | None:
        if not answer.choices:
            return None
        return AskBackView(owner_id, answer.choices, self.answer_interaction)

    # ------------------------------------------------------------------ DMs and mentions

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if message.guild is None:
            guild_id = self.bot.default_guild_id()
            if guild_id is None:
                await message.channel.send(
                    t("assistant.reseau-inconnu", "fr"), allowed_mentions=NO_MENTIONS
                )
                return
        elif any(user.id == me.id for user in message.mentions):
            guild_id = message.guild.id
        else:
            return
        question = strip_mentions(message.content, me.id)
        try:
            answer = await self._ask(
                await message_actor(self.bot, message, guild_id), question, None
            )
            await self._send(message, answer)
        except Exception:
            log.exception("The assistant failed to answer a message")
            try:
                await message.channel.send(
                    t("erreur.inattendue", "fr"), allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException:
                pass

    async def _send(self, message: discord.Message, answer: assistant.Answer) -> None:
        view = self._view(message.author.id, answer)
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        if message.guild is None:
            await message.channel.send(answer.text, allowed_mentions=NO_MENTIONS, **extra)
            return
        if not answer.private:
            await message.reply(
                answer.text, mention_author=False, allowed_mentions=NO_MENTIONS, **extra
            )
            return
        try:
            await message.author.send(answer.text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            await message.reply(
                t("assistant.dm-impossible", answer.language),
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
            )
            return
        await message.reply(
            t("assistant.repondu-en-prive", answer.language),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
        )
