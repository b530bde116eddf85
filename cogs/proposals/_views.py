"""What people click and fill in: the persistent buttons of a post (Soutenir, Amender), of the
« already supported » answer (Retirer mon soutien) and of an amendment (Accepter / Refuser), the
deposit and amendment modals, and the field choice of `/proposition deposer`.

Each handler is one unit of work (:func:`cogs.proposals._prelude.acting`), then Discord: the post
is refreshed or the new proposal/amendment published by :mod:`cogs.proposals._forum` after the
commit.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from cogs.proposals import _forum
from cogs.proposals._prelude import acting, member_and_proposal
from cogs.proposals._render import amendment_embed, thread_link
from rtes_bot.catalog import t
from rtes_bot.models import Elu, ProposalStatus
from rtes_bot.services import proposals as service
from rtes_bot.ui import (
    BaseModal,
    BaseView,
    EntityButton,
    actor_of,
    bot_of,
    clip,
    guarded,
    reply,
    reply_key,
)

#: what a field choice offers: (field id, name, description)
FieldOption = tuple[int, str, str]


def card_view(card: service.Card) -> discord.ui.View:
    """Soutenir / Amender while the proposal is en débat; no buttons afterwards."""
    view = discord.ui.View(timeout=None)
    if card.status == ProposalStatus.EN_DEBAT:
        view.add_item(
            SupportButton(card.proposal_id, t("proposition.bouton.soutenir", card.locale))
        )
        view.add_item(AmendButton(card.proposal_id, t("proposition.bouton.amender", card.locale)))
    return view


def amendment_view(amendment_id: int, locale: object) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DecideButton(amendment_id, "accepter", t("amendement.bouton.accepter", locale)))
    view.add_item(DecideButton(amendment_id, "refuser", t("amendement.bouton.refuser", locale)))
    return view


# ----------------------------------------------------------------------------- persistent buttons


class SupportButton(EntityButton):
    PREFIX = "rtes:soutenir"
    STYLE = discord.ButtonStyle.success
    DEFAULT_LABEL = "Soutenir"
    EMOJI = "👍"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        proposal_id = self.entity_id
        async with acting(interaction) as (session, person):
            outcome = await service.support(session, person, proposal_id)
        if outcome.added:
            await _forum.refresh_proposal_post(bot_of(interaction), proposal_id)
            await reply_key(
                interaction,
                "proposition.soutien.ajoute",
                numero=outcome.number,
                total=outcome.count,
            )
        elif outcome.own:
            view = BaseView(timeout=600)
            view.add_item(
                WithdrawSupportButton(
                    proposal_id, t("proposition.bouton.retirer-soutien", interaction.locale)
                )
            )
            await reply(
                interaction,
                t("proposition.soutien.deja", interaction.locale, numero=outcome.number),
                view=view,
            )
        else:
            await reply_key(
                interaction,
                "proposition.soutien.deja-collectivite",
                numero=outcome.number,
                nom=outcome.given_by or "—",
            )


class WithdrawSupportButton(EntityButton):
    """The confirmation, in an ephemeral message, that withdraws one's support."""

    PREFIX = "rtes:retirer-soutien"
    STYLE = discord.ButtonStyle.danger
    DEFAULT_LABEL = "Retirer mon soutien"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        proposal_id = self.entity_id
        async with acting(interaction, update=True) as (session, person):
            proposal = await service.get(session, person.actor.guild_id, proposal_id)
            number = proposal.number
            total = await service.withdraw_support(session, person, proposal_id)
        await _forum.refresh_proposal_post(bot_of(interaction), proposal_id)
        await interaction.edit_original_response(
            content=t("proposition.soutien.retire", interaction.locale, numero=number, total=total),
            view=None,
        )


class AmendButton(EntityButton):
    PREFIX = "rtes:amender"
    STYLE = discord.ButtonStyle.secondary
    DEFAULT_LABEL = "Amender"
    EMOJI = "✏️"

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await open_amendment_modal(interaction, proposal_id=self.entity_id)


class DecideButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rtes:amendement:(?P<decision>accepter|refuser):(?P<amendment_id>\d+)",
):
    """Accepter / Refuser under an amendment: only the proposal's author may use them."""

    def __init__(self, amendment_id: int, decision: str, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.success
                if decision == "accepter"
                else discord.ButtonStyle.danger,
                label=label or decision.capitalize(),
                custom_id=f"rtes:amendement:{decision}:{amendment_id}",
            )
        )
        self.amendment_id = amendment_id
        self.decision = decision

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> DecideButton:
        return cls(int(match["amendment_id"]), match["decision"], getattr(item, "label", None))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        accept = self.decision == "accepter"
        async with acting(interaction) as (session, person):
            proposal, amendment = await service.decide_amendment(
                session, person, self.amendment_id, accept
            )
            amender = (
                await session.get(Elu, amendment.author_elu_id) if amendment.author_elu_id else None
            )
            card = await service.card(session, amendment.proposal_id)
        embed = amendment_embed(
            amendment, proposal.number, amender.full_name if amender else "", card.locale
        )
        if interaction.message is not None:
            await interaction.message.edit(embed=embed, view=None)
        if accept:
            await _forum.refresh_proposal_post(bot_of(interaction), amendment.proposal_id)
        await reply_key(
            interaction,
            "amendement.accepte" if accept else "amendement.refuse",
            numero=amendment.number,
            proposition=proposal.number,
            version=proposal.current_version,
        )


#: the persistent buttons, registered while the extension is loaded
DYNAMIC_ITEMS = (SupportButton, WithdrawSupportButton, AmendButton, DecideButton)


# ----------------------------------------------------------------------------- modals


def _text_input(
    custom_id: str,
    label_key: str,
    locale: object,
    max_length: int,
    *,
    short: bool = False,
    required: bool = True,
    default: str | None = None,
) -> discord.ui.TextInput[Any]:
    """A field of a modal, labelled from the catalog (Discord allows 45 characters)."""
    return discord.ui.TextInput(
        label=clip(t(label_key, locale), 45),
        custom_id=custom_id,
        max_length=max_length,
        style=discord.TextStyle.short if short else discord.TextStyle.paragraph,
        required=required,
        default=default,
    )


class DepositModal(BaseModal):
    def __init__(self, field_id: int, locale: object) -> None:
        super().__init__(title=clip(t("proposition.modal.titre", locale), 45), timeout=1800)
        self.field_id = field_id
        self.titre = _text_input(
            "titre", "proposition.modal.champ-titre", locale, service.TITLE_MAX, short=True
        )
        self.texte = _text_input("texte", "proposition.modal.champ-texte", locale, service.TEXT_MAX)
        self.add_item(self.titre)
        self.add_item(self.texte)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        # The number is taken and the text stored in one short transaction (deposits of a
        # guild take turns only there); the post is created after the commit.
        async with acting(interaction) as (session, person):
            proposal = await service.deposit(
                session, person, self.field_id, self.titre.value, self.texte.value
            )
            assert proposal.id is not None
            card = await service.card(session, proposal.id)
        thread_id = await _forum.publish_deposit(bot_of(interaction), card, person.actor.user_id)
        await reply_key(
            interaction,
            "proposition.deposee",
            numero=card.number,
            titre=card.title,
            lien=thread_link(thread_id),
        )


class AmendmentModal(BaseModal):
    def __init__(self, proposal_id: int, number: int, current: str, locale: object) -> None:
        super().__init__(
            title=clip(t("amendement.modal.titre", locale, numero=number), 45), timeout=1800
        )
        self.proposal_id = proposal_id
        self.texte = _text_input(
            "texte",
            "amendement.modal.champ-texte",
            locale,
            service.TEXT_MAX,
            default=current[: service.TEXT_MAX],
        )
        self.motif = _text_input(
            "motif", "amendement.modal.champ-motif", locale, service.RATIONALE_MAX, required=False
        )
        self.add_item(self.texte)
        self.add_item(self.motif)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async with acting(interaction) as (session, person):
            amendment = await service.propose_amendment(
                session, person, self.proposal_id, self.texte.value, self.motif.value
            )
            card = await service.card(session, self.proposal_id)
            author = await service.author(session, self.proposal_id)
            amender_name = person.elu.full_name if person.elu is not None else "—"
        await _forum.publish_amendment(
            bot_of(interaction), card, amendment, amender_name, author, person.actor.user_id
        )
        await reply_key(
            interaction,
            "amendement.propose",
            numero=amendment.number,
            proposition=card.number,
            lien=thread_link(card.thread_id),
        )


async def open_amendment_modal(
    interaction: discord.Interaction[Any],
    *,
    number: int | None = None,
    proposal_id: int | None = None,
) -> None:
    """`/proposition amender` and the Amender button: a member, a proposal still en débat, its
    current text in the modal."""
    async with bot_of(interaction).db.read() as session:
        _, proposal = await member_and_proposal(
            session, actor_of(interaction), number=number, proposal_id=proposal_id
        )
        service.require_open(proposal)
        text = await service.current_text(session, proposal)
    assert proposal.id is not None
    await interaction.response.send_modal(
        AmendmentModal(proposal.id, proposal.number, text, interaction.locale)
    )


# ----------------------------------------------------------------------------- field choice


class FieldSelect(discord.ui.Select[Any]):
    def __init__(self, fields: list[FieldOption], locale: object) -> None:
        super().__init__(
            placeholder=clip(t("proposition.choisir-domaine", locale), 150),
            options=[
                discord.SelectOption(
                    label=clip(name, 100), value=str(field_id), description=clip(desc, 100) or None
                )
                for field_id, name, desc in fields[:25]
            ],
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(DepositModal(int(self.values[0]), interaction.locale))


class FieldChoice(BaseView):
    """`/proposition deposer` with several fields: pick one, then the deposit modal opens."""

    def __init__(self, owner_id: int, fields: list[FieldOption], locale: object) -> None:
        super().__init__(timeout=600)
        self.owner_id = owner_id
        self.add_item(FieldSelect(fields, locale))

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id
