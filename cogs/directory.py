"""`/annuaire chercher [recherche] [domaine] [departement]` and `/annuaire fiche <membre>`.

Ephemeral answers; what is shown of each person is decided by `directory.visible_card`.
"""

from __future__ import annotations

import discord
from discord import app_commands

from cogs._pages import send_pages, split_pages
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.services import access, directory
from rtes_bot.services.access import Person
from rtes_bot.ui import (
    BotCog,
    L,
    actor_of,
    autocomplete,
    command_group,
    field_choices,
    options,
    reply,
)


class Directory(BotCog):
    annuaire = command_group("annuaire")

    @annuaire.command(name=L("cmd.annuaire.chercher"), description=L("cmd.annuaire.chercher.desc"))
    @options("opt.annuaire.chercher", "recherche", "domaine", "departement")
    @app_commands.autocomplete(domaine=field_choices)
    async def chercher(
        self,
        interaction: discord.Interaction[RtesBot],
        recherche: app_commands.Range[str, 1, 100] | None = None,
        domaine: str | None = None,
        departement: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        async with self.bot.db.read() as session:
            await access.resolve(session, actor, Person.require_member_or_bureau)
            cards = await directory.search(
                session, actor.guild_id, query=recherche, field=domaine, departement=departement
            )
        criteria = ", ".join(c for c in (recherche, domaine, departement) if c) or t(
            "annuaire.tous", locale
        )
        if not cards:
            await reply(interaction, t("annuaire.aucun-resultat", locale, criteres=criteria))
            return
        blocks = [t("annuaire.resultats", locale, nombre=len(cards), criteres=criteria)]
        blocks += [directory.render_card(card, locale, compact=True) for card in cards]
        await send_pages(interaction, split_pages(blocks))

    @chercher.autocomplete("departement")
    async def _departement_autocomplete(
        self, interaction: discord.Interaction[RtesBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await autocomplete(
            interaction,
            current,
            load=lambda session, person: directory.departements(session, person.actor.guild_id),
            name=lambda name: name,
            value=lambda name: name[:100],
            texts=lambda name: (name,),
        )

    @annuaire.command(name=L("cmd.annuaire.fiche"), description=L("cmd.annuaire.fiche.desc"))
    @options("opt.annuaire.fiche", "membre")
    async def fiche(self, interaction: discord.Interaction[RtesBot], membre: discord.User) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor, Person.require_member_or_bureau)
            card = await directory.card_of_user(session, actor.guild_id, membre.id, person)
        await reply(interaction, directory.render_card(card, interaction.locale))


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Directory(bot))
