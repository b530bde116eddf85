"""`/aide`: what this person may do, by task (« Adhérer », « Proposer », « Voter »…), in their
language, with the other commands they may use."""

from __future__ import annotations

import discord
from discord import app_commands

from rtes_bot.assistant.tasks import TASKS
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import CATALOG, language_of, t
from rtes_bot.services import access, ballots
from rtes_bot.ui import BotCog, L, actor_of, clip, reply


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


#: `/aide` by task: each group's title (catalog key) and its tasks (`aide.tache.<task>`, the texts
#: the assistant also answers with). Every task of ``TASKS`` is in one group (tested).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("aide.groupe.adherer", ("adherer", "signer", "domaines", "charte")),
    ("aide.groupe.proposer", ("proposer", "amender", "soutenir")),
    ("aide.groupe.voter", ("voter", "changer-vote", "procuration")),
    ("aide.groupe.contact", ("annuaire",)),
    ("aide.groupe.donnees", ("donnees", "effacer")),
    ("aide.groupe.bureau", ("ouvrir-scrutin", "cloturer", "valider", "installer",
                            "importer-collectivites", "publier-charte", "referent",
                            "domaines-admin")),
)  # fmt: skip
FIELD_LIMIT = 1024


def _add_lines(embed: discord.Embed, title: str, lines: list[str]) -> None:
    """One field per group, continued in a second field of the same title past 1,024 characters."""
    value = ""
    for line in lines:
        if value and len(value) + 1 + len(line) > FIELD_LIMIT:
            embed.add_field(name=title, value=value, inline=False)
            value = ""
        value = f"{value}\n{line}" if value else clip(line, FIELD_LIMIT)
    if value:
        embed.add_field(name=title, value=value, inline=False)


def _add_results_rule(embed: discord.Embed, locale: object) -> bool:
    """When results are seen, and why a secret poll's live results move in steps."""
    embed.add_field(
        name=t("aide.resultats.titre", locale),
        value=clip(t("aide.resultats", locale, palier=ballots.LIVE_STEP), FIELD_LIMIT),
        inline=False,
    )
    return True


def help_embed(person: access.Person, commands: list[str], locale: object) -> discord.Embed:
    """`/aide`: what the person may do, by task, then the other commands they may use."""
    tasks = {task.name: task for task in TASKS}
    embed = discord.Embed(
        title=t("aide.titre", locale),
        description=t(f"aide.statut.{_status_key(person)}", locale),
    )
    explained: list[str] = []
    results_told = not person.may_use("scrutin resultats")
    for title, names in GROUPS:
        shown = [name for name in names if person.may_use(tasks[name].command)]
        if title == "aide.groupe.bureau" and not results_told:
            results_told = _add_results_rule(embed, locale)  # after « Voter », or before this
        if not shown:
            continue
        _add_lines(embed, t(title, locale), [t(f"aide.tache.{name}", locale) for name in shown])
        explained += [t(f"aide.tache.{name}", "fr") for name in shown]
        if title == "aide.groupe.voter" and not results_told:
            results_told = _add_results_rule(embed, locale)
    # The commands no task above mentions, by name only (their description is in Discord's menu).
    if results_told and person.may_use("scrutin resultats"):
        explained.append(t("aide.resultats", "fr", palier=ballots.LIVE_STEP))
    mentioned = "\n".join(explained)
    others = [
        f"`/{localized_name(name, locale)}`"
        for name in commands
        if person.may_use(name) and f"/{name}`" not in mentioned and f"/{name} " not in mentioned
    ]
    if others:
        embed.add_field(
            name=t("aide.groupe.autres", locale), value=clip(" · ".join(others), 1024), inline=False
        )
    return embed


class Help(BotCog):
    @app_commands.command(name=L("cmd.aide"), description=L("cmd.aide.desc"))
    async def aide(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
        embed = help_embed(person, command_names(self.bot), interaction.locale)
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
