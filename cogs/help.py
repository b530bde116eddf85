"""`/aide`: the commands this person may use, in their language."""

from __future__ import annotations

import discord
from discord import app_commands

from rtes_bot.assistant.tasks import TASKS
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import CATALOG, language_of, t
from rtes_bot.permissions import allowed
from rtes_bot.services import access, ballots
from rtes_bot.ui import BotCog, L, actor_of, clip, reply

#: Discord's limit on the characters of an embed (of all the embeds of one message).
EMBED_LIMIT = 6000


def command_names(bot: RtesBot) -> list[str]:
    """Qualified names of every slash command (subcommands included) registered on the tree."""
    names: list[str] = []
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Command):
            names.append(command.qualified_name)
    return sorted(names)


def localized_name(qualified: str, locale: object) -> str:
    """The command as the user types it: English names for English users."""
    if language_of(locale) == "fr":
        return qualified
    parts = []
    for index, part in enumerate(qualified.split(" ")):
        key = "cmd." + ".".join(qualified.split(" ")[: index + 1])
        parts.append(CATALOG[key]["en"] if key in CATALOG else part)
    return " ".join(parts)


class Help(BotCog):
    @app_commands.command(name=L("cmd.aide"), description=L("cmd.aide.desc"))
    async def aide(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
        kinds = person.kinds
        locale = interaction.locale
        # One embed field per top-level command keeps every part within Discord's limits
        # (1,024 characters per field, 6,000 per embed) however many commands the person has.
        sections: dict[str, list[str]] = {}
        for name in command_names(self.bot):
            if not allowed(name, kinds):
                continue
            desc_key = "cmd." + name.replace(" ", ".") + ".desc"
            line = f"`/{localized_name(name, locale)}` — {t(desc_key, locale)}"
            sections.setdefault(localized_name(name.split(" ")[0], locale), []).append(line)
        embed = discord.Embed(
            title=t("aide.titre", locale),
            description=t(f"aide.statut.{_status_key(person)}", locale),
        )
        for top, lines in sections.items():
            embed.add_field(name=f"/{top}", value=clip("\n".join(lines), 1024), inline=False)
        if allowed("scrutin resultats", kinds):
            # When results are seen, and why a secret poll's live results move in steps.
            embed.add_field(
                name=t("aide.resultats.titre", locale),
                value=clip(t("aide.resultats", locale, palier=ballots.LIVE_STEP), 1024),
                inline=False,
            )
        # How to do each task, from the same catalog texts as the assistant's answers: fields of
        # the same embed (one answer), each within 1,024 characters, all within Discord's 6,000.
        budget = EMBED_LIMIT - len(embed)
        for bureau, title in ((False, "aide.taches.titre"), (True, "aide.taches.bureau.titre")):
            heading = t(title, locale)
            for task in TASKS:
                if task.bureau != bureau or not person.may_use(task.command):
                    continue
                line = t(f"aide.tache.{task.name}", locale)
                last = embed.fields[-1] if embed.fields else None
                if (
                    last is not None
                    and last.name == heading
                    and len(last.value or "") + len(line) < 1024
                ):
                    if budget < len(line) + 1:
                        break
                    embed.set_field_at(
                        len(embed.fields) - 1,
                        name=heading,
                        value=f"{last.value}\n{line}",
                        inline=False,
                    )
                    budget -= len(line) + 1
                elif len(embed.fields) < 25 and budget >= len(heading) + len(line):
                    embed.add_field(name=heading, value=clip(line, 1024), inline=False)
                    budget -= len(heading) + len(line)
        await reply(interaction, embed=embed)


def _status_key(person: access.Person) -> str:
    if person.is_bureau:
        return "bureau"
    if person.is_member:
        return "elu"
    if person.is_pending:
        return "en-attente"
    return "visiteur"


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Help(bot))
