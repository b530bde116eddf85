"""`/proposition deposer | amender | voir | liste | retirer`: parse, call the proposals service,
answer; and, once connected, post what a stop left unpublished."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncSession

from cogs.proposals import _forum
from cogs.proposals._prelude import acting, member, member_and_proposal
from cogs.proposals._render import history_embed, list_embed, number_choice_label
from cogs.proposals._views import (
    DYNAMIC_ITEMS,
    DepositModal,
    FieldChoice,
    FieldOption,
    open_amendment_modal,
)
from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.models import FieldOfAction, Proposal, ProposalStatus
from rtes_bot.services import fields
from rtes_bot.services import proposals as service
from rtes_bot.services.access import Person
from rtes_bot.text import plain_inline
from rtes_bot.ui import (
    L,
    actor_of,
    autocomplete,
    command_group,
    field_choices,
    forum_field_choices,
    options,
    reply,
    reply_key,
)

log = logging.getLogger("rtes_bot.proposals")

#: `/proposition liste` shows so many proposals, then how many more there are
LIST_LIMIT = 25
#: how many proposals the number autocomplete looks through (newest first)
CHOICES_SCANNED = 500
#: what `/proposition deposer` and `/proposition liste` answer for an unknown field
UNKNOWN_FIELD = "proposition.domaine-inconnu"

STATUS_CHOICES = [
    app_commands.Choice(name=L(f"choix.proposition.statut.{status}"), value=str(status))
    for status in ProposalStatus
]


async def _number_choices(
    interaction: discord.Interaction[Any],
    current: str,
    *,
    only_open: bool,
    own_unless_bureau: bool = False,
) -> list[app_commands.Choice[int]]:
    """Proposals by number or title: ``only_open``, those still en débat (amend, withdraw);
    ``own_unless_bureau``, only this person's own ones unless they are the bureau (withdraw)."""

    async def load(session: AsyncSession, person: Person) -> list[Proposal]:
        found = await service.search(
            session,
            person.actor.guild_id,
            status=ProposalStatus.EN_DEBAT if only_open else None,
            limit=CHOICES_SCANNED,
        )
        if own_unless_bureau and not person.is_bureau:
            elu_id = person.elu.id if person.elu is not None else None
            found = [p for p in found if elu_id is not None and p.author_elu_id == elu_id]
        return found

    def name(proposal: Proposal) -> str:
        return number_choice_label(proposal, interaction.locale)

    return await autocomplete(
        interaction,
        current,
        load=load,
        name=name,
        value=lambda proposal: proposal.number,
        texts=lambda proposal: (proposal.title,),
        number=lambda proposal: proposal.number,
    )


async def numero_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    return await _number_choices(interaction, current, only_open=False)


async def open_numero_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    return await _number_choices(interaction, current, only_open=True)


async def withdrawable_numero_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """`/proposition retirer`: the author's own proposals en débat (the bureau: all of them)."""
    return await _number_choices(interaction, current, only_open=True, own_unless_bureau=True)


def _field_options(chosen: list[FieldOfAction]) -> list[FieldOption]:
    return [(field.id, field.name, field.description) for field in chosen if field.id is not None]


class Proposals(commands.Cog):
    proposition = command_group("proposition")

    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot
        self._recovered = False

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._recovered:
            return
        self._recovered = True
        try:
            await _forum.publish_unpublished(self.bot)
        except Exception:
            if not self.bot.is_closed():
                log.warning("Could not post the proposals left unpublished", exc_info=True)

    @proposition.command(
        name=L("cmd.proposition.deposer"), description=L("cmd.proposition.deposer.desc")
    )
    @options("opt.proposition", "domaine")
    @app_commands.autocomplete(domaine=forum_field_choices)
    async def deposer(
        self, interaction: discord.Interaction[RtesBot], domaine: str | None = None
    ) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            await member(session, actor)
            if domaine:
                # A retired field is found, to be refused by name rather than called unknown.
                field = await fields.find_field(
                    session, actor.guild_id, domaine, include_retired=True, unknown=UNKNOWN_FIELD
                )
                usable = _field_options([service.usable_field(field)])
            else:
                active = await fields.active_fields(session, actor.guild_id)
                usable = _field_options([f for f in active if f.forum_channel_id is not None])
        if not usable:
            await reply_key(interaction, "proposition.aucun-domaine")
        elif len(usable) == 1:
            await interaction.response.send_modal(DepositModal(usable[0][0], interaction.locale))
        else:
            await reply(
                interaction,
                t("proposition.choisir-domaine", interaction.locale),
                view=FieldChoice(actor.user_id, usable, interaction.locale),
            )

    @proposition.command(
        name=L("cmd.proposition.amender"), description=L("cmd.proposition.amender.desc")
    )
    @options("opt.proposition", "numero")
    @app_commands.autocomplete(numero=open_numero_autocomplete)
    async def amender(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        await open_amendment_modal(interaction, number=numero)

    @proposition.command(name=L("cmd.proposition.voir"), description=L("cmd.proposition.voir.desc"))
    @options("opt.proposition", "numero", "version")
    @app_commands.autocomplete(numero=numero_autocomplete)
    async def voir(
        self,
        interaction: discord.Interaction[RtesBot],
        numero: int,
        version: app_commands.Range[int, 1] | None = None,
    ) -> None:
        async with self.bot.db.read() as session:
            _, proposal = await member_and_proposal(session, actor_of(interaction), number=numero)
            assert proposal.id is not None
            shown = version or proposal.current_version
            text = await service.version_text(session, proposal, shown)
            history = await service.versions(session, proposal)
            amendment_numbers = {
                a.id: a.number for a in await service.amendments(session, proposal)
            }
            card = await service.card(session, proposal.id)
        versions = [
            (
                row.version,
                row.created_at,
                amendment_numbers.get(row.amendment_id, "?") if row.amendment_id else None,
            )
            for row in history
        ]
        await reply(
            interaction, embed=history_embed(card, text, shown, versions, interaction.locale)
        )

    @proposition.command(
        name=L("cmd.proposition.liste"), description=L("cmd.proposition.liste.desc")
    )
    @app_commands.rename(statut=L("opt.proposition.statut"), domaine=L("opt.proposition.domaine"))
    @app_commands.describe(
        statut=L("opt.proposition.statut.desc"), domaine=L("opt.proposition.domaine-filtre.desc")
    )
    @app_commands.choices(statut=STATUS_CHOICES)
    @app_commands.autocomplete(domaine=field_choices)
    async def liste(
        self,
        interaction: discord.Interaction[RtesBot],
        statut: app_commands.Choice[str] | None = None,
        domaine: str | None = None,
    ) -> None:
        actor = actor_of(interaction)
        status = statut.value if statut is not None else None
        async with self.bot.db.read() as session:
            await member(session, actor)
            field_id = None
            if domaine:
                # Proposals of a field retired since are still listed by it.
                field_id = (
                    await fields.find_field(
                        session,
                        actor.guild_id,
                        domaine,
                        include_retired=True,
                        unknown=UNKNOWN_FIELD,
                    )
                ).id
            rows = await service.search(
                session, actor.guild_id, status=status, field_id=field_id, limit=LIST_LIMIT
            )
            total = await service.count(session, actor.guild_id, status=status, field_id=field_id)
            by_id = {
                field.id: field
                for field in await fields.all_fields(session, actor.guild_id)
                if field.id is not None
            }
        if not rows:
            await reply_key(interaction, "proposition.liste.vide")
            return
        await reply(interaction, embed=list_embed(rows, total, by_id, interaction.locale))

    @proposition.command(
        name=L("cmd.proposition.retirer"), description=L("cmd.proposition.retirer.desc")
    )
    @options("opt.proposition", "numero")
    @app_commands.autocomplete(numero=withdrawable_numero_autocomplete)
    async def retirer(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        async with acting(interaction) as (session, person):
            _, proposal = await member_and_proposal(session, person, number=numero, or_bureau=True)
            assert proposal.id is not None
            await service.withdraw(session, person, proposal.id)
            card = await service.card(session, proposal.id)
            name = person.elu.full_name if person.elu is not None else interaction.user.display_name
        await _forum.refresh_proposal_post(self.bot, card.proposal_id)
        await _forum.post_in_proposal_thread(
            self.bot,
            card.proposal_id,
            t("proposition.retiree.annonce", card.locale, numero=numero, nom=plain_inline(name)),
        )
        await reply_key(interaction, "proposition.retiree", numero=numero)
