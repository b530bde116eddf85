"""`/admin installer`, `/admin import-collectivites`, `/admin referent`, `/admin domaines …`:
the bureau's commands (other features add theirs to the group: ``_group``).

Every command starts with :func:`bureau_actor`: the bot itself refuses anyone but the bureau,
whatever Discord's permissions let through.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from cogs.admin import _installer
from rtes_bot.catalog import t
from rtes_bot.errors import InvalidInput
from rtes_bot.services import access, installation, members
from rtes_bot.services import collectivites as collectivites_service
from rtes_bot.services import fields as fields_service
from rtes_bot.services.access import Person
from rtes_bot.ui import NO_MENTIONS, L, actor_of, autocomplete, bot_of, clip, options, reply

#: an import's refusal lists so many invalid lines at most (the rest are counted)
REFUSED_LINES_SHOWN = 30


async def bureau_actor(interaction: discord.Interaction[Any]) -> access.Actor:
    """The acting bureau member; anyone else is refused (the bot checks, not only Discord)."""
    actor = actor_of(interaction)
    async with bot_of(interaction).db.read() as session:
        await access.resolve(session, actor, Person.require_bureau)
    return actor


def _guild(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise InvalidInput("acces.serveur-uniquement")
    return interaction.guild


async def answer(interaction: discord.Interaction[Any], text: str) -> None:
    """The result of a command: replaces the « thinking… » message when it was deferred."""
    if interaction.response.is_done():
        await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)
    else:
        await reply(interaction, text)


async def collectivite_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    return await autocomplete(
        interaction,
        current,
        load=lambda session, person: collectivites_service.search(
            session, person.actor.guild_id, current
        ),
        name=lambda row: row.name,
        value=lambda row: str(row.id),
        # The service already matched what was typed, tolerating typos: keep all it found.
        texts=lambda row: (current,),
    )


async def field_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    return await autocomplete(
        interaction,
        current,
        load=lambda session, person: fields_service.active_fields(session, person.actor.guild_id),
        name=lambda field: field.name,
        value=lambda field: str(field.id),
        texts=lambda field: (field.name, field.slug),
    )


# --------------------------------------------------------------------------- /admin installer


@app_commands.command(name=L("cmd.admin.installer"), description=L("cmd.admin.installer.desc"))
async def installer(interaction: discord.Interaction[Any]) -> None:
    actor = await bureau_actor(interaction)
    guild = _guild(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    outcome = await _installer.run(bot_of(interaction), guild, actor)
    await reply(interaction, clip(_installer.summary(outcome, str(interaction.locale)), 2000))


# --------------------------------------------------------------------------- collectivités


@app_commands.command(
    name=L("cmd.admin.import-collectivites"), description=L("cmd.admin.import-collectivites.desc")
)
@options("opt.admin.import-collectivites", "fichier")
async def import_collectivites(
    interaction: discord.Interaction[Any], fichier: discord.Attachment
) -> None:
    actor = await bureau_actor(interaction)
    if fichier.size > collectivites_service.MAX_FILE_BYTES:
        raise InvalidInput(
            "collectivites.import.trop-gros", max_ko=collectivites_service.MAX_FILE_BYTES // 1000
        )
    await interaction.response.defer(ephemeral=True, thinking=True)
    data = await fichier.read()
    locale = interaction.locale
    try:
        async with bot_of(interaction).db.begin() as session:
            report = await collectivites_service.import_csv(
                session, actor.guild_id, data, actor.user_id
            )
    except collectivites_service.ImportRefused as error:
        text = collectivites_service.refusal_text(error, locale, most=REFUSED_LINES_SHOWN)
        await answer(interaction, clip(text, 2000))
        return
    await answer(interaction, collectivites_service.report_text(report, locale))


@app_commands.command(name=L("cmd.admin.referent"), description=L("cmd.admin.referent.desc"))
@options("opt.admin.referent", "membre", "collectivite")
@app_commands.autocomplete(collectivite=collectivite_choices)
async def referent(
    interaction: discord.Interaction[Any], membre: discord.Member, collectivite: str | None = None
) -> None:
    actor = await bureau_actor(interaction)
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
        elu, chosen, previous = await members.designate_referent(
            session, actor.guild_id, elu.id, collectivite_id, actor.user_id
        )
    text = t("referent.designe", interaction.locale, nom=elu.full_name, collectivite=chosen.name)
    if previous is not None:
        text += "\n" + t("referent.precedent", interaction.locale, nom=previous.full_name)
    await reply(interaction, text)


# --------------------------------------------------------------------------- /admin domaines …


domaines = app_commands.Group(
    name=L("cmd.admin.domaines"), description=L("cmd.admin.domaines.desc")
)


@domaines.command(
    name=L("cmd.admin.domaines.ajouter"), description=L("cmd.admin.domaines.ajouter.desc")
)
@options("opt.admin.domaines", "nom", "description")
async def ajouter(
    interaction: discord.Interaction[Any],
    nom: app_commands.Range[str, 1, 100],
    description: app_commands.Range[str, 0, 300] | None = None,
) -> None:
    actor = await bureau_actor(interaction)
    guild = _guild(interaction)
    bot = bot_of(interaction)
    async with bot.db.read() as session:
        installed = await installation.is_installed(session, actor.guild_id)
    if installed:  # its role and forum will be installed: refused before anything is written
        _installer.require_permissions(guild, actor.locale)
    # The database first (a refusal is answered at once), then Discord (slower: deferred).
    async with bot.db.begin() as session:
        field = await fields_service.add_field(
            session, actor.guild_id, nom, description or "", actor.user_id
        )
    text = t("admin.domaines.ajoute", interaction.locale, nom=field.name)
    if installed:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _installer.run(bot, guild, actor)
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
@app_commands.autocomplete(domaine=field_choices)
async def renommer(
    interaction: discord.Interaction[Any], domaine: str, nom: app_commands.Range[str, 1, 100]
) -> None:
    actor = await bureau_actor(interaction)
    guild = _guild(interaction)
    async with bot_of(interaction).db.begin() as session:
        field = await fields_service.find_field(session, actor.guild_id, domaine)
        assert field.id is not None
        field, former = await fields_service.rename_field(
            session, actor.guild_id, field.id, nom, actor.user_id
        )
    # Renamed in the database (a refusal was answered at once); now Discord, deferred.
    await interaction.response.defer(ephemeral=True, thinking=True)
    reason = t("installation.raison", "fr")
    role = guild.get_role(field.role_id) if field.role_id else None
    if role is not None:
        await role.edit(name=field.name, reason=reason)
    channel = guild.get_channel(field.forum_channel_id) if field.forum_channel_id else None
    if isinstance(channel, (discord.ForumChannel, discord.TextChannel)):
        await channel.edit(
            name=installation.channel_name(field.slug), topic=field.name, reason=reason
        )
    await answer(
        interaction, t("admin.domaines.renomme", interaction.locale, ancien=former, nom=field.name)
    )


@domaines.command(
    name=L("cmd.admin.domaines.retirer"), description=L("cmd.admin.domaines.retirer.desc")
)
@options("opt.admin.domaines", "domaine")
@app_commands.autocomplete(domaine=field_choices)
async def retirer(interaction: discord.Interaction[Any], domaine: str) -> None:
    actor = await bureau_actor(interaction)
    async with bot_of(interaction).db.begin() as session:
        field = await fields_service.find_field(session, actor.guild_id, domaine)
        assert field.id is not None
        field = await fields_service.retire_field(
            session, actor.guild_id, field.id, actor.user_id, bot_of(interaction).clock
        )
    await reply(interaction, t("admin.domaines.retire", interaction.locale, nom=field.name))


#: what this extension adds to the `/admin` group
OWN_COMMANDS: tuple[app_commands.Command[Any, Any, Any] | app_commands.Group, ...] = (
    installer,
    import_collectivites,
    referent,
    domaines,
)
