"""The chatbot: answers free-text questions in a DM, or when the bot is mentioned in a channel.

DMs and mentions carry their content without the privileged message-content intent. Answers that
hold contacts are sent privately when the question was asked in a channel.
"""

from __future__ import annotations

import logging
import re

import discord
from discord.ext import commands

from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.services import chatbot
from rtes_bot.ui import NO_MENTIONS, message_actor

log = logging.getLogger("rtes_bot.chatbot")


def strip_mentions(content: str, bot_id: int) -> str:
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()


class Chatbot(commands.Cog):
    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if message.guild is None:
            guild_id = self.bot.default_guild_id()
            if guild_id is None:
                await message.channel.send(
                    t("chatbot.reseau-inconnu", "fr"), allowed_mentions=NO_MENTIONS
                )
                return
        elif any(user.id == me.id for user in message.mentions):
            guild_id = message.guild.id
        else:
            return
        question = strip_mentions(message.content, me.id)
        try:
            async with self.bot.db.read() as session:
                answer = await chatbot.answer(
                    session, actor=message_actor(self.bot, message, guild_id), question=question
                )
            await self._send(message, answer)
        except Exception:
            log.exception("The chatbot failed to answer a message")
            try:
                await message.channel.send(
                    t("erreur.inattendue", "fr"), allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException:
                pass

    async def _send(self, message: discord.Message, answer: chatbot.Reply) -> None:
        if message.guild is None:
            await message.channel.send(answer.text, allowed_mentions=NO_MENTIONS)
            return
        if not answer.private:
            await message.reply(answer.text, mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        try:
            await message.author.send(answer.text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            await message.reply(
                t("chatbot.dm-impossible", answer.language),
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
            )
            return
        await message.reply(
            t("chatbot.repondu-en-prive", answer.language),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
        )


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Chatbot(bot))
