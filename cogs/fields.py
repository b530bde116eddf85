"""`/domaines choisir` (a member's fields of action and their roles) and `/domaines liste`."""

from __future__ import annotations

from typing import Any

import discord

from cogs.onboarding._side_effects import apply_field_roles
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import EluStatus
from rtes_bot.services import access
from rtes_bot.services import fields as fields_service
from rtes_bot.services.access import Person
from rtes_bot.ui import BaseView, BotCog, L, actor_of, bot_of, clip, command_group, reply


class ChooseView(BaseView):
    def __init__(
        self,
        user_id: int,
        elu_id: int,
        options: list[tuple[int, str]],
        chosen: set[int],
        locale: str,
    ) -> None:
        super().__init__(timeout=600)
        self.user_id = user_id
        self.elu_id = elu_id
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="domaines:choisir",
            placeholder=t("domaines.choisir.placeholder", locale),
            min_values=0,
            max_values=len(options),
            options=[
                discord.SelectOption(label=clip(name, 100), value=str(fid), default=fid in chosen)
                for fid, name in options
            ],
        )
        select.callback = self.chosen  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:  # type: ignore[override]
        return interaction.user.id == self.user_id

    async def chosen(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        wanted = {int(value) for value in self.select.values}
        async with bot.db.begin() as session:
            # Pending and active members choose their fields (roles come once active).
            elu = (await access.resolve(session, actor)).require_registered()
            change = await fields_service.set_elu_fields(session, elu, wanted, actor.user_id)
            names = [
                f.name
                for f in await fields_service.active_fields(session, actor.guild_id)
                if f.id in wanted
            ]
            active = elu.status == EluStatus.ACTIVE
        if isinstance(interaction.user, discord.Member):
            await apply_field_roles(interaction.user, change)
        key = "domaines.choisis" if active else "domaines.choisis.en-attente"
        text = t(
            key,
            interaction.locale,
            domaines=", ".join(names) or t("commun.aucun", interaction.locale),
        )
        await interaction.response.edit_message(content=text, view=None)


class Fields(BotCog):
    domaines = command_group("domaines")

    @domaines.command(name=L("cmd.domaines.choisir"), description=L("cmd.domaines.choisir.desc"))
    async def choisir(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            elu = (await access.resolve(session, actor)).require_registered()
            assert elu.id is not None
            active = await fields_service.active_fields(session, actor.guild_id)
            chosen = await fields_service.elu_field_ids(session, elu.id)
        options = [(f.id, f.name) for f in active if f.id is not None]
        if not options:
            await reply(interaction, t("domaines.aucun", interaction.locale))
            return
        view = ChooseView(actor.user_id, elu.id, options, chosen, str(interaction.locale))
        await reply(interaction, t("domaines.choisir.intro", interaction.locale), view=view)

    @domaines.command(name=L("cmd.domaines.liste"), description=L("cmd.domaines.liste.desc"))
    async def liste(self, interaction: discord.Interaction[RtesBot]) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            await access.resolve(session, actor, Person.require_member_or_bureau)
            active = await fields_service.active_fields(session, actor.guild_id)
            counts = await fields_service.member_counts(session, actor.guild_id)
        locale = interaction.locale
        if not active:
            await reply(interaction, t("domaines.aucun", locale))
            return
        lines = [t("domaines.liste.titre", locale)]
        for field in active:
            assert field.id is not None
            count = counts.get(field.id, 0)
            channel = f" — <#{field.forum_channel_id}>" if field.forum_channel_id else ""
            lines.append(
                t(
                    "domaines.liste.ligne",
                    locale,
                    nom=field.name,
                    membres=t("domaines.membres", locale, nombre=count),
                )
                + channel
            )
        await reply(interaction, clip("\n".join(lines), 2000))


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Fields(bot))
