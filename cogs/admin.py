"""`/admin …`: the bureau's commands. This module owns the `/admin` group.

Other features add their own subcommands to the same group from their ``setup(bot)``::

    from cogs.admin import admin_group_of

    async def setup(bot):
        admin_group_of(bot).add_command(my_subcommand)   # an app_commands.Command or Group

``admin_group_of`` returns the group already on this bot's tree (creating it if this extension
was not loaded yet), so the order in which extensions load does not matter.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs import _installer
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.errors import InvalidInput
from rtes_bot.models import GuildSettings
from rtes_bot.services import access, installation
from rtes_bot.services import collectivites as collectivites_service
from rtes_bot.services import fields as fields_service
from rtes_bot.ui import NO_MENTIONS, L, actor_of, bot_of, clip, reply

log = logging.getLogger("rtes_bot.admin")

ADMIN_NAME = "admin"


def make_admin_group() -> app_commands.Group:
    return app_commands.Group(name=L("cmd.admin"), description=L("cmd.admin.desc"), guild_only=True)


def admin_group_of(bot: commands.Bot) -> app_commands.Group:
    """The `/admin` group on this bot's command tree (added on first use)."""
    existing = bot.tree.get_command(ADMIN_NAME)
    if isinstance(existing, app_commands.Group):
        return existing
    group = make_admin_group()
    bot.tree.add_command(group)
    return group


async def _bureau(interaction: discord.Interaction[Any]) -> access.Actor:
    """The acting bureau member; anyone else is refused (the bot checks, not only Discord)."""
    actor = actor_of(interaction)
    async with bot_of(interaction).db.read() as session:
        person = await access.resolve(session, actor)
    person.require_bureau()
    return actor


async def _guild(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise InvalidInput("acces.serveur-uniquement")
    return interaction.guild


async def answer(interaction: discord.Interaction[Any], text: str) -> None:
    """The result of a command: replaces the « thinking… » message when it was deferred."""
    if interaction.response.is_done():
        await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)
    else:
        await reply(interaction, text)


def _error_text(error: collectivites_service.ImportRefused, locale: Any) -> str:
    lines = [t("collectivites.import.lignes-invalides", locale, nombre=len(error.errors))]
    for row_error in error.errors[:30]:
        reasons = "; ".join(
            t(problem.key, locale, **problem.params) for problem in row_error.problems
        )
        lines.append(t("collectivites.import.ligne", locale, ligne=row_error.line, raisons=reasons))
    if len(error.errors) > 30:
        lines.append(t("collectivites.import.autres", locale, nombre=len(error.errors) - 30))
    lines.append(t("collectivites.import.rien-ecrit", locale))
    return clip("\n".join(lines), 2000)


def _import_summary(report: collectivites_service.ImportReport, locale: Any) -> str:
    return t(
        "collectivites.import.fait",
        locale,
        creees=len(report.created),
        mises_a_jour=len(report.updated),
        inchangees=len(report.unchanged),
    )


# --------------------------------------------------------------------------- /admin installer


@app_commands.command(name=L("cmd.admin.installer"), description=L("cmd.admin.installer.desc"))
async def installer(interaction: discord.Interaction[Any]) -> None:
    actor = await _bureau(interaction)
    guild = await _guild(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    result = await _installer.run(bot_of(interaction), guild, actor)
    await reply(
        interaction, clip(_installer.summary(result.outcome, str(interaction.locale)), 2000)
    )


# --------------------------------------------------------------------------- collectivités


@app_commands.command(
    name=L("cmd.admin.import-collectivites"), description=L("cmd.admin.import-collectivites.desc")
)
@app_commands.rename(fichier=L("opt.admin.import-collectivites.fichier"))
@app_commands.describe(fichier=L("opt.admin.import-collectivites.fichier.desc"))
async def import_collectivites(
    interaction: discord.Interaction[Any], fichier: discord.Attachment
) -> None:
    actor = await _bureau(interaction)
    if fichier.size > collectivites_service.MAX_FILE_BYTES:
        raise InvalidInput(
            "collectivites.import.trop-gros", max_ko=collectivites_service.MAX_FILE_BYTES // 1000
        )
    await interaction.response.defer(ephemeral=True, thinking=True)
    data = await fichier.read()
    try:
        async with bot_of(interaction).db.begin() as session:
            report = await collectivites_service.import_csv(
                session, actor.guild_id, data, actor.user_id
            )
    except collectivites_service.ImportRefused as error:
        await answer(interaction, _error_text(error, interaction.locale))
        return
    await answer(interaction, _import_summary(report, interaction.locale))


async def collectivite_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    try:
        async with bot_of(interaction).db.read() as session:
            rows = await collectivites_service.search(session, interaction.guild_id or 0, current)
        return [
            app_commands.Choice(name=clip(row.name, 100), value=str(row.id)) for row in rows[:25]
        ]
    except Exception:  # autocomplete errors are only logged by discord.py: answer nothing instead
        log.warning("collectivité autocomplete failed", exc_info=True)
        return []


@app_commands.command(name=L("cmd.admin.referent"), description=L("cmd.admin.referent.desc"))
@app_commands.rename(
    membre=L("opt.admin.referent.membre"), collectivite=L("opt.admin.referent.collectivite")
)
@app_commands.describe(
    membre=L("opt.admin.referent.membre.desc"),
    collectivite=L("opt.admin.referent.collectivite.desc"),
)
@app_commands.autocomplete(collectivite=collectivite_autocomplete)
async def referent(
    interaction: discord.Interaction[Any], membre: discord.Member, collectivite: str | None = None
) -> None:
    actor = await _bureau(interaction)
    async with bot_of(interaction).db.begin() as session:
        elu = await access.find_elu(session, actor.guild_id, membre.id)
        if elu is None or elu.id is None:
            raise InvalidInput("referent.pas-membre")
        collectivite_id = None
        if collectivite:
            found = await collectivites_service.find_collectivite(
                session, actor.guild_id, collectivite
            )
            collectivite_id = found.id
        elu, chosen, previous = await collectivites_service.designate_referent(
            session, actor.guild_id, elu.id, collectivite_id, actor.user_id
        )
        text = t(
            "referent.designe", interaction.locale, nom=elu.full_name, collectivite=chosen.name
        )
        if previous is not None:
            text += "\n" + t("referent.precedent", interaction.locale, nom=previous.full_name)
    await reply(interaction, text)


# --------------------------------------------------------------------------- /admin domaines …


domaines = app_commands.Group(
    name=L("cmd.admin.domaines"), description=L("cmd.admin.domaines.desc")
)


async def field_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    try:
        async with bot_of(interaction).db.read() as session:
            found = await fields_service.search_fields(session, interaction.guild_id or 0, current)
        return [app_commands.Choice(name=clip(f.name, 100), value=str(f.id)) for f in found[:25]]
    except Exception:
        log.warning("field autocomplete failed", exc_info=True)
        return []


async def _installed(interaction: discord.Interaction[Any], guild_id: int) -> bool:
    async with bot_of(interaction).db.read() as session:
        settings = await session.get(GuildSettings, guild_id)
    return settings is not None and settings.category_id is not None


@domaines.command(
    name=L("cmd.admin.domaines.ajouter"), description=L("cmd.admin.domaines.ajouter.desc")
)
@app_commands.rename(
    nom=L("opt.admin.domaines.nom"), description=L("opt.admin.domaines.description")
)
@app_commands.describe(
    nom=L("opt.admin.domaines.nom.desc"), description=L("opt.admin.domaines.description.desc")
)
async def ajouter(
    interaction: discord.Interaction[Any],
    nom: app_commands.Range[str, 1, 100],
    description: app_commands.Range[str, 0, 300] | None = None,
) -> None:
    actor = await _bureau(interaction)
    guild = await _guild(interaction)
    # The database first (a refusal is answered at once), then Discord (slower: deferred).
    async with bot_of(interaction).db.begin() as session:
        field = await fields_service.add_field(
            session, actor.guild_id, nom, description or "", actor.user_id
        )
        name = field.name
    text = t("admin.domaines.ajoute", interaction.locale, nom=name)
    if await _installed(interaction, actor.guild_id):
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _installer.run(bot_of(interaction), guild, actor)
        text += "\n" + t("admin.domaines.installe", interaction.locale)
    else:
        text += "\n" + t("admin.domaines.a-installer", interaction.locale)
    await answer(interaction, text)


@domaines.command(
    name=L("cmd.admin.domaines.renommer"), description=L("cmd.admin.domaines.renommer.desc")
)
@app_commands.rename(
    domaine=L("opt.admin.domaines.domaine"), nom=L("opt.admin.domaines.nouveau-nom")
)
@app_commands.describe(
    domaine=L("opt.admin.domaines.domaine.desc"), nom=L("opt.admin.domaines.nouveau-nom.desc")
)
@app_commands.autocomplete(domaine=field_autocomplete)
async def renommer(
    interaction: discord.Interaction[Any], domaine: str, nom: app_commands.Range[str, 1, 100]
) -> None:
    actor = await _bureau(interaction)
    guild = await _guild(interaction)
    async with bot_of(interaction).db.begin() as session:
        field = await fields_service.find_field(session, actor.guild_id, domaine)
        assert field.id is not None
        field, former = await fields_service.rename_field(
            session, actor.guild_id, field.id, nom, actor.user_id
        )
        role_id, channel_id, new_name, slug = (
            field.role_id,
            field.forum_channel_id,
            field.name,
            field.slug,
        )
    # Renamed in the database (a refusal was answered at once); now Discord, deferred.
    await interaction.response.defer(ephemeral=True, thinking=True)
    reason = t("installation.raison", "fr")
    role = guild.get_role(role_id) if role_id else None
    if role is not None:
        await role.edit(name=new_name, reason=reason)
    channel = guild.get_channel(channel_id) if channel_id else None
    if isinstance(channel, (discord.ForumChannel, discord.TextChannel)):
        await channel.edit(name=installation.channel_name(slug), topic=new_name, reason=reason)
    await answer(
        interaction, t("admin.domaines.renomme", interaction.locale, ancien=former, nom=new_name)
    )


@domaines.command(
    name=L("cmd.admin.domaines.retirer"), description=L("cmd.admin.domaines.retirer.desc")
)
@app_commands.rename(domaine=L("opt.admin.domaines.domaine"))
@app_commands.describe(domaine=L("opt.admin.domaines.domaine.desc"))
@app_commands.autocomplete(domaine=field_autocomplete)
async def retirer(interaction: discord.Interaction[Any], domaine: str) -> None:
    actor = await _bureau(interaction)
    async with bot_of(interaction).db.begin() as session:
        field = await fields_service.find_field(session, actor.guild_id, domaine)
        assert field.id is not None
        field = await fields_service.retire_field(
            session, actor.guild_id, field.id, actor.user_id, bot_of(interaction).clock
        )
        name = field.name
    await reply(interaction, t("admin.domaines.retire", interaction.locale, nom=name))


OWN_COMMANDS: tuple[app_commands.Command[Any, Any, Any] | app_commands.Group, ...] = (
    installer,
    import_collectivites,
    referent,
    domaines,
)


async def setup(bot: RtesBot) -> None:
    group = admin_group_of(bot)
    for command in OWN_COMMANDS:
        group.add_command(command, override=True)
