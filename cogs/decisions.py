"""`/decisions [recherche]`: the network's decisions — closed polls that adopted a motion or chose
an option — newest first, with a link to each poll message."""

from __future__ import annotations

import discord
from discord import app_commands

from cogs._pages import send_pages, split_pages
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.services import access, polls, publication
from rtes_bot.services.access import Person
from rtes_bot.text import plain_inline
from rtes_bot.ui import BotCog, L, actor_of, clip, options, reply


class Decisions(BotCog):
    @app_commands.command(name=L("cmd.decisions"), description=L("cmd.decisions.desc"))
    @app_commands.guild_only()
    @options("opt.decisions", "recherche")
    async def decisions(
        self, interaction: discord.Interaction[RtesBot], recherche: str | None = None
    ) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        async with self.bot.db.read() as session:
            await access.resolve(session, actor, Person.require_member_or_bureau)
            rows = await polls.decisions(session, actor.guild_id, recherche, limit=100)
        if not rows:
            key = "decisions.aucune-recherche" if recherche else "decisions.aucune"
            await reply(interaction, t(key, locale, recherche=recherche or ""))
            return
        blocks = [t("decisions.titre", locale, nombre=len(rows))]
        for poll in rows:
            link = ""
            if poll.channel_id and poll.message_id:
                link = f"https://discord.com/channels/{poll.guild_id}/{poll.channel_id}/{poll.message_id}"
            closed = int(poll.closed_at.timestamp()) if poll.closed_at else 0
            blocks.append(
                t(
                    "decisions.ligne",
                    locale,
                    numero=poll.number,
                    question=plain_inline(clip(poll.question, 300)),
                    issue=publication.outcome_label(poll, locale),
                    date=f"<t:{closed}:D>",
                    lien=link,
                )
            )
        await send_pages(interaction, split_pages(blocks))


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Decisions(bot))
