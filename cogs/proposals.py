"""`/proposition …`: proposals in the fields' forums, with Soutenir / Amender buttons, amendments
accepted or refused by the author, history, list and withdrawal.

Public helpers for other cogs (the voting cog): :func:`refresh_proposal_post` re-renders a
proposal's post and moves its forum tag after a status change; :func:`post_in_proposal_thread`
writes in the proposal's thread.

Discord is never called inside a write transaction: a deposit (an amendment) is committed first,
then posted, then attached to its post in a second transaction — or removed again if Discord
refused (:func:`publish_deposit`, :func:`publish_amendment`); what a stop left in between is
posted at the next start (:func:`publish_unpublished`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from rtes_bot.bot import RtesBot
from rtes_bot.catalog import t
from rtes_bot.errors import Conflict, DomainError
from rtes_bot.models import Amendment, AmendmentStatus, Elu, Proposal, ProposalStatus
from rtes_bot.services import access
from rtes_bot.services import proposals as service
from rtes_bot.text import fold
from rtes_bot.ui import (
    NO_MENTIONS,
    BaseModal,
    BaseView,
    EntityButton,
    L,
    actor_of,
    bot_of,
    clip,
    guarded,
    reply,
    reply_key,
)

log = logging.getLogger("rtes_bot.proposals")

#: The forum tag each status shows (tags created by `/admin installer`, matched by folded name).
STATUS_TAGS: dict[ProposalStatus, str] = {
    ProposalStatus.EN_DEBAT: "En débat",
    ProposalStatus.AU_VOTE: "Au vote",
    ProposalStatus.ADOPTEE: "Adoptée",
    ProposalStatus.REJETEE: "Rejetée",
    ProposalStatus.QUORUM_NON_ATTEINT: "Rejetée",
    ProposalStatus.RETIREE: "Retirée",
}
_STATUS_TAG_KEYS = {fold(name) for name in STATUS_TAGS.values()}

STATUS_COLORS: dict[ProposalStatus, int] = {
    ProposalStatus.EN_DEBAT: 0x3B82F6,
    ProposalStatus.AU_VOTE: 0xF59E0B,
    ProposalStatus.ADOPTEE: 0x16A34A,
    ProposalStatus.REJETEE: 0xDC2626,
    ProposalStatus.QUORUM_NON_ATTEINT: 0x6B7280,
    ProposalStatus.RETIREE: 0x6B7280,
}
MESSAGE_LIMIT = 2000
LIST_LIMIT = 25


def status_label(status: str, locale: object) -> str:
    return t(f"proposition.statut.{status}", locale)


def find_status_tag(
    tags: Sequence[discord.ForumTag], status: ProposalStatus
) -> discord.ForumTag | None:
    wanted = fold(STATUS_TAGS[status])
    for tag in tags:
        if fold(tag.name) == wanted:
            return tag
    for tag in tags:
        if fold(tag.name).endswith(wanted):
            return tag
    return None


def thread_name(card: service.Card, *, with_status: bool) -> str:
    name = f"#{card.number} · {card.title}"
    if with_status:
        name = f"[{status_label(card.status, card.locale)}] {name}"
    return clip(name, 100)


# ----------------------------------------------------------------------------- rendering


def render_card(card: service.Card) -> discord.Embed:
    locale = card.locale
    embed = discord.Embed(
        title=clip(t("proposition.post.titre", locale, numero=card.number, titre=card.title), 256),
        description=card.text,
        color=STATUS_COLORS[card.status],
    )
    author = card.author_name
    if card.collectivite_name:
        author = f"{author} ({card.collectivite_name})"
    embed.add_field(
        name=t("proposition.post.auteur", locale), value=clip(author, 1024), inline=True
    )
    if card.field_name:
        embed.add_field(
            name=t("proposition.post.domaine", locale),
            value=clip(card.field_name, 1024),
            inline=True,
        )
    embed.add_field(
        name=t("proposition.post.statut", locale),
        value=status_label(card.status, locale),
        inline=True,
    )
    supports_key = (
        "proposition.post.soutiens-collectivites"
        if card.supports_per_collectivite
        else "proposition.post.soutiens"
    )
    embed.add_field(name=t(supports_key, locale), value=str(card.supports), inline=True)
    embed.add_field(
        name=t("proposition.post.version", locale), value=str(card.version), inline=True
    )
    embed.set_footer(text=t("proposition.post.pied", locale, numero=card.number))
    return embed


def card_view(card: service.Card) -> discord.ui.View:
    """Soutenir / Amender while the proposal is en débat; no buttons afterwards."""
    view = discord.ui.View(timeout=None)
    if card.status == ProposalStatus.EN_DEBAT:
        view.add_item(
            SupportButton(card.proposal_id, t("proposition.bouton.soutenir", card.locale))
        )
        view.add_item(AmendButton(card.proposal_id, t("proposition.bouton.amender", card.locale)))
    return view


def amendment_embed(
    amendment: Amendment, proposal_number: int, author_name: str, locale: object
) -> discord.Embed:
    status = AmendmentStatus(amendment.status)
    embed = discord.Embed(
        title=t(
            "amendement.message.titre", locale, numero=amendment.number, proposition=proposal_number
        ),
        description=amendment.text,
        color={
            AmendmentStatus.PROPOSED: 0x3B82F6,
            AmendmentStatus.ACCEPTED: 0x16A34A,
            AmendmentStatus.REFUSED: 0xDC2626,
        }[status],
    )
    embed.add_field(
        name=t("amendement.message.auteur", locale),
        value=clip(author_name or "—", 1024),
        inline=True,
    )
    embed.add_field(
        name=t("amendement.message.base", locale), value=str(amendment.base_version), inline=True
    )
    embed.add_field(
        name=t("amendement.message.statut", locale),
        value=t(f"amendement.statut.{status}", locale),
        inline=True,
    )
    if amendment.rationale:
        embed.add_field(
            name=t("amendement.message.motif", locale),
            value=clip(amendment.rationale, 1024),
            inline=False,
        )
    return embed


def amendment_view(amendment_id: int, locale: object) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DecideButton(amendment_id, "accepter", t("amendement.bouton.accepter", locale)))
    view.add_item(DecideButton(amendment_id, "refuser", t("amendement.bouton.refuser", locale)))
    return view


def split_message(content: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long text into messages Discord accepts, at line breaks where possible."""
    chunks: list[str] = []
    while len(content) > limit:
        cut = content.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(content[:cut])
        content = content[cut:].lstrip("\n")
    if content or not chunks:
        chunks.append(content)
    return chunks


# ----------------------------------------------------------------------------- Discord side


async def _channel(bot: RtesBot, channel_id: int) -> Any:
    channel = bot.get_channel(channel_id)
    if channel is None:
        channel = await bot.fetch_channel(channel_id)
    return channel


async def _thread(bot: RtesBot, guild_id: int, thread_id: int) -> discord.Thread | None:
    guild = bot.get_guild(guild_id)
    thread = guild.get_thread(thread_id) if guild is not None else None
    if thread is None:
        # An archived thread drops out of discord.py's cache: fetch it.
        fetched = await bot.fetch_channel(thread_id)
        thread = fetched if isinstance(fetched, discord.Thread) else None
    return thread


async def _create_post(bot: RtesBot, card: service.Card) -> int:
    """Open the proposal's forum post (or, in a text channel, a message and its thread); the
    returned thread id is also the id of the post's first message."""
    assert card.forum_channel_id is not None
    try:
        channel = await _channel(bot, card.forum_channel_id)
    except (discord.NotFound, discord.Forbidden):
        raise Conflict("proposition.forum-introuvable", domaine=card.field_name or "") from None
    embed, view = render_card(card), card_view(card)
    if isinstance(channel, discord.ForumChannel):
        tag = find_status_tag(channel.available_tags, card.status)
        if tag is None:
            log.warning("Forum %s has no tag %r", channel.id, STATUS_TAGS[card.status])
        created = await channel.create_thread(
            name=thread_name(card, with_status=False),
            embed=embed,
            view=view,
            applied_tags=[tag] if tag is not None else [],
            allowed_mentions=NO_MENTIONS,
        )
        return created.thread.id
    if isinstance(channel, discord.TextChannel):
        message = await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        try:
            thread = await message.create_thread(name=thread_name(card, with_status=True))
        except discord.HTTPException:
            await message.delete()
            raise
        return thread.id
    raise Conflict("proposition.forum-introuvable", domaine=card.field_name or "")


async def _delete_post(bot: RtesBot, card: service.Card, thread_id: int) -> None:
    """Compensation when the post created for a proposal could not be attached to it."""
    try:
        thread = await _thread(bot, card.guild_id, thread_id)
        if thread is not None:
            await thread.delete()
        if card.forum_channel_id is not None:
            channel = await _channel(bot, card.forum_channel_id)
            if isinstance(channel, discord.TextChannel):
                await channel.get_partial_message(thread_id).delete()
    except discord.HTTPException:
        log.warning("Could not remove the post of an unsaved proposal", exc_info=True)


async def _undo_unposted(
    bot: RtesBot, discard: Callable[[Any, int], Awaitable[object]], entity_id: int, what: str
) -> None:
    """Undo a committed proposal or amendment whose post could not be made (a second
    transaction); if even that fails, the restart's recovery posts it later."""
    try:
        async with bot.db.begin() as session:
            await discard(session, entity_id)
    except Exception:
        log.warning(
            "Could not remove unpublished %s %s (posted again at the next start)",
            what,
            entity_id,
            exc_info=True,
        )


async def publish_deposit(bot: RtesBot, card: service.Card, actor_id: int | None) -> int:
    """Create the post of a committed, unpublished proposal and attach it (a second
    transaction); returns the thread id. If Discord refuses, the proposal is removed again and
    the error raised: no post points at a proposal that was not saved, and no saved proposal
    claims a post that does not exist."""
    try:
        created = await _create_post(bot, card)
    except BaseException:
        await _undo_unposted(bot, service.discard, card.proposal_id, "proposal")
        raise
    try:
        async with bot.db.begin() as session:
            published = await service.publish(session, card.proposal_id, created, actor_id)
            current = await session.get(Proposal, card.proposal_id)
            thread_id = current.thread_id if current is not None else None
    except BaseException:
        await _delete_post(bot, card, created)
        await _undo_unposted(bot, service.discard, card.proposal_id, "proposal")
        raise
    if not published:  # published meanwhile (by a restart's recovery) or removed: ours goes
        await _delete_post(bot, card, created)
        if thread_id is None:
            raise Conflict("proposition.forum-introuvable", domaine=card.field_name or "")
    assert thread_id is not None
    return thread_id


async def refresh_proposal_post(bot: RtesBot, proposal_id: int) -> None:
    """Re-render the proposal's first message (text, status, supports, buttons) and put the forum
    tag of its status on the post (in a text channel: the status in the thread's name).

    Call it after the transaction that changed the proposal has committed. Discord errors
    (post deleted, missing permission) are logged, not raised.
    """
    async with bot.db.read() as session:
        card = await service.card(session, proposal_id)
    if card.thread_id is None or card.forum_channel_id is None:
        return
    try:
        parent = await _channel(bot, card.forum_channel_id)
        in_forum = isinstance(parent, discord.ForumChannel)
        message_channel_id = card.thread_id if in_forum else card.forum_channel_id
        message = bot.get_partial_messageable(message_channel_id).get_partial_message(
            card.thread_id
        )
        thread = await _thread(bot, card.guild_id, card.thread_id)
        if thread is not None and thread.archived and not thread.locked:
            await thread.edit(archived=False)
        await message.edit(embed=render_card(card), view=card_view(card))
        if thread is None:
            return
        if in_forum:
            await _apply_status_tag(thread, parent, card.status)
        else:
            wanted = thread_name(card, with_status=True)
            if thread.name != wanted:
                await thread.edit(name=wanted)
    except discord.HTTPException:
        log.warning("Could not refresh the post of proposal %s", proposal_id, exc_info=True)


async def _apply_status_tag(
    thread: discord.Thread, forum: discord.ForumChannel, status: ProposalStatus
) -> None:
    applied = {tag.id for tag in thread.applied_tags} or {
        int(tag_id) for tag_id in getattr(thread, "_applied_tags", [])
    }
    keep = [
        tag
        for tag in forum.available_tags
        if tag.id in applied and fold(tag.name) not in _STATUS_TAG_KEYS
    ]
    tag = find_status_tag(forum.available_tags, status)
    if tag is None:
        log.warning("Forum %s has no tag %r", forum.id, STATUS_TAGS[status])
        wanted = keep
    else:
        wanted = [*keep, tag][-5:]
    if {t.id for t in wanted} != applied:
        await thread.edit(applied_tags=wanted)


async def post_in_proposal_thread(
    bot: RtesBot, proposal_id: int, content: str, files: Sequence[discord.File] | None = None
) -> None:
    """Write ``content`` (cut into several messages when longer than Discord allows; ``files``
    on the last one) in the proposal's thread. Pings nobody."""
    async with bot.db.read() as session:
        proposal = await session.get(Proposal, proposal_id)
    if proposal is None or proposal.thread_id is None:
        log.warning("Proposal %s has no thread to post in", proposal_id)
        return
    thread = await _thread(bot, proposal.guild_id, proposal.thread_id)
    if thread is None:
        log.warning("Thread of proposal %s not found", proposal_id)
        return
    chunks = split_message(content)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        if last and files:
            await thread.send(chunk or None, files=list(files), allowed_mentions=NO_MENTIONS)
        else:
            await thread.send(chunk, allowed_mentions=NO_MENTIONS)


async def publish_unpublished(bot: RtesBot) -> None:
    """At start: post the proposals and amendments that a stop between their commit and their
    Discord post left unpublished (each is posted, or removed if Discord refuses)."""
    guild_ids = [guild.id for guild in bot.guilds]
    if not guild_ids:
        return
    async with bot.db.read() as session:
        proposal_ids = await service.unpublished(session, guild_ids)
        amendment_ids = await service.unpublished_amendments(session, guild_ids)
    for proposal_id in proposal_ids:
        try:
            async with bot.db.read() as session:
                card = await service.card(session, proposal_id)
                author = await service.author(session, proposal_id)
            await publish_deposit(bot, card, author.discord_user_id if author else None)
        except (DomainError, discord.HTTPException):
            log.warning("Unpublished proposal %s could not be posted", proposal_id, exc_info=True)
    for amendment_id in amendment_ids:
        try:
            async with bot.db.read() as session:
                amendment = await session.get(Amendment, amendment_id)
                if amendment is None:
                    continue
                card = await service.card(session, amendment.proposal_id)
                author = await service.author(session, amendment.proposal_id)
                amender = (
                    await session.get(Elu, amendment.author_elu_id)
                    if amendment.author_elu_id
                    else None
                )
            await publish_amendment(
                bot,
                card,
                amendment,
                (amender.full_name if amender is not None else "") or "—",
                author,
                amender.discord_user_id if amender is not None else None,
            )
        except (DomainError, discord.HTTPException):
            log.warning("Unposted amendment %s could not be posted", amendment_id, exc_info=True)


def thread_link(guild_id: int, thread_id: int | None) -> str:
    return f"<#{thread_id}>" if thread_id else "—"


# ----------------------------------------------------------------------------- persistent buttons


class SupportButton(EntityButton):
    PREFIX = "rtes:soutenir"
    STYLE = discord.ButtonStyle.success
    DEFAULT_LABEL = "Soutenir"
    EMOJI = "👍"

    @property
    def proposal_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            outcome = await service.support(session, person, self.proposal_id)
        if outcome.added:
            await refresh_proposal_post(bot, self.proposal_id)
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
                    self.proposal_id, t("proposition.bouton.retirer-soutien", interaction.locale)
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

    @property
    def proposal_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        await interaction.response.defer()
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            proposal = await service.get(session, actor.guild_id, self.proposal_id)
            number = proposal.number
            total = await service.withdraw_support(session, person, self.proposal_id)
        await refresh_proposal_post(bot, self.proposal_id)
        await interaction.edit_original_response(
            content=t("proposition.soutien.retire", interaction.locale, numero=number, total=total),
            view=None,
        )


class AmendButton(EntityButton):
    PREFIX = "rtes:amender"
    STYLE = discord.ButtonStyle.secondary
    DEFAULT_LABEL = "Amender"
    EMOJI = "✏️"

    @property
    def proposal_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await open_amendment_modal(interaction, self.proposal_id)


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
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        accept = self.decision == "accepter"
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            proposal, amendment = await service.decide_amendment(
                session, person, self.amendment_id, accept
            )
            amender = (
                await session.get(Elu, amendment.author_elu_id) if amendment.author_elu_id else None
            )
            card = await service.card(session, proposal.id)  # type: ignore[arg-type]
        embed = amendment_embed(
            amendment, proposal.number, amender.full_name if amender else "—", card.locale
        )
        if interaction.message is not None:
            await interaction.message.edit(embed=embed, view=None)
        if accept:
            await refresh_proposal_post(bot, proposal.id)  # type: ignore[arg-type]
        key = "amendement.accepte" if accept else "amendement.refuse"
        await reply_key(
            interaction,
            key,
            numero=amendment.number,
            proposition=proposal.number,
            version=proposal.current_version,
        )


# ----------------------------------------------------------------------------- modals


class DepositModal(BaseModal):
    def __init__(self, field_id: int, locale: object) -> None:
        super().__init__(title=clip(t("proposition.modal.titre", locale), 45), timeout=1800)
        self.field_id = field_id
        self.titre: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=clip(t("proposition.modal.champ-titre", locale), 45),
            custom_id="titre",
            max_length=service.TITLE_MAX,
            style=discord.TextStyle.short,
        )
        self.texte: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=clip(t("proposition.modal.champ-texte", locale), 45),
            custom_id="texte",
            max_length=service.TEXT_MAX,
            style=discord.TextStyle.paragraph,
        )
        self.add_item(self.titre)
        self.add_item(self.texte)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        # The number is taken and the text stored in one short transaction (deposits of a
        # guild take turns only there); the post is created after the commit.
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            proposal = await service.deposit(
                session, person, self.field_id, self.titre.value, self.texte.value
            )
            card = await service.card(session, proposal.id)  # type: ignore[arg-type]
        thread_id = await publish_deposit(bot, card, actor.user_id)
        await reply_key(
            interaction,
            "proposition.deposee",
            numero=card.number,
            titre=card.title,
            lien=thread_link(card.guild_id, thread_id),
        )


class AmendmentModal(BaseModal):
    def __init__(self, proposal_id: int, number: int, current: str, locale: object) -> None:
        super().__init__(
            title=clip(t("amendement.modal.titre", locale, numero=number), 45), timeout=1800
        )
        self.proposal_id = proposal_id
        self.texte: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=clip(t("amendement.modal.champ-texte", locale), 45),
            custom_id="texte",
            max_length=service.TEXT_MAX,
            style=discord.TextStyle.paragraph,
            default=current[: service.TEXT_MAX],
        )
        self.motif: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=clip(t("amendement.modal.champ-motif", locale), 45),
            custom_id="motif",
            max_length=service.RATIONALE_MAX,
            style=discord.TextStyle.paragraph,
            required=False,
        )
        self.add_item(self.texte)
        self.add_item(self.motif)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            amendment = await service.propose_amendment(
                session, person, self.proposal_id, self.texte.value, self.motif.value
            )
            card = await service.card(session, self.proposal_id)
            author = await service.author(session, self.proposal_id)
            amender_name = person.elu.full_name if person.elu is not None else "—"
        await publish_amendment(bot, card, amendment, amender_name, author, actor.user_id)
        await reply_key(
            interaction,
            "amendement.propose",
            numero=amendment.number,
            proposition=card.number,
            lien=thread_link(card.guild_id, card.thread_id),
        )


async def publish_amendment(
    bot: RtesBot,
    card: service.Card,
    amendment: Amendment,
    amender_name: str,
    author: Elu | None,
    actor_id: int | None,
) -> None:
    """Post a committed amendment in the proposal's thread, then attach the message (a second
    transaction). If Discord refuses, the amendment is removed again and the error raised; if
    the attachment fails, the message is deleted."""
    assert amendment.id is not None
    try:
        posted = await _post_amendment(bot, card, amendment, amender_name, author)
    except BaseException:
        await _undo_unposted(bot, service.discard_amendment, amendment.id, "amendment")
        raise
    try:
        async with bot.db.begin() as session:
            published = await service.publish_amendment(
                session, amendment.id, posted.id if posted is not None else None, actor_id
            )
    except BaseException:
        await _delete_message(posted)
        await _undo_unposted(bot, service.discard_amendment, amendment.id, "amendment")
        raise
    if not published:  # posted meanwhile (by a restart's recovery): ours goes
        await _delete_message(posted)


async def _delete_message(message: discord.Message | None) -> None:
    if message is None:
        return
    try:
        await message.delete()
    except discord.HTTPException:
        log.warning("Could not remove an unsaved amendment's message", exc_info=True)


async def _post_amendment(
    bot: RtesBot,
    card: service.Card,
    amendment: Amendment,
    amender_name: str,
    author: Elu | None,
) -> discord.Message | None:
    if card.thread_id is None:
        return None
    thread = await _thread(bot, card.guild_id, card.thread_id)
    if thread is None:
        raise Conflict("proposition.fil-introuvable", numero=card.number)
    mention = ""
    allowed = NO_MENTIONS
    if author is not None and author.discord_user_id:
        # The author decides: tell them (and nobody else).
        mention = f"<@{author.discord_user_id}> "
        allowed = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(author.discord_user_id)]
        )
    assert amendment.id is not None
    return await thread.send(
        mention
        + t("amendement.message.annonce", card.locale, numero=amendment.number, nom=amender_name),
        embed=amendment_embed(amendment, card.number, amender_name, card.locale),
        view=amendment_view(amendment.id, card.locale),
        allowed_mentions=allowed,
    )


async def open_amendment_modal(interaction: discord.Interaction[Any], proposal_id: int) -> None:
    bot = bot_of(interaction)
    actor = actor_of(interaction)
    async with bot.db.read() as session:
        person = await access.resolve(session, actor)
        person.require_member()
        proposal = await service.get(session, actor.guild_id, proposal_id)
        if proposal.status != ProposalStatus.EN_DEBAT:
            raise Conflict(
                "proposition.plus-en-debat", numero=proposal.number, statut=proposal.status
            )
        text = await service.current_text(session, proposal)
    await interaction.response.send_modal(
        AmendmentModal(proposal_id, proposal.number, text, interaction.locale)
    )


class FieldSelect(discord.ui.Select[Any]):
    def __init__(self, fields: list[tuple[int, str, str]], locale: object) -> None:
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
    def __init__(self, owner_id: int, fields: list[tuple[int, str, str]], locale: object) -> None:
        super().__init__(timeout=600)
        self.owner_id = owner_id
        self.add_item(FieldSelect(fields, locale))

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id


# ----------------------------------------------------------------------------- commands


STATUS_CHOICES = [
    app_commands.Choice(name=L(f"choix.proposition.statut.{status}"), value=str(status))
    for status in ProposalStatus
]


async def _numero_choices(
    interaction: discord.Interaction[Any], current: str, *, only_open: bool
) -> list[app_commands.Choice[int]]:
    try:
        bot = bot_of(interaction)
        if interaction.guild_id is None:
            return []
        async with bot.db.read() as session:
            rows = await service.search(
                session,
                interaction.guild_id,
                status=ProposalStatus.EN_DEBAT if only_open else None,
                limit=500,
            )
        wanted = fold(current.lstrip("#"))
        choices = []
        for proposal in rows:
            if wanted and not (
                str(proposal.number).startswith(wanted) or wanted in fold(proposal.title)
            ):
                continue
            label = f"#{proposal.number} · {proposal.title} ({status_label(proposal.status, interaction.locale)})"
            choices.append(app_commands.Choice(name=clip(label, 100), value=proposal.number))
            if len(choices) == 25:
                break
        return choices
    except Exception:
        log.warning("Autocomplete of proposal numbers failed", exc_info=True)
        return []


async def numero_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    return await _numero_choices(interaction, current, only_open=False)


async def open_numero_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    return await _numero_choices(interaction, current, only_open=True)


async def domaine_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    try:
        if interaction.guild_id is None:
            return []
        async with bot_of(interaction).db.read() as session:
            fields = await service.active_fields(session, interaction.guild_id)
        wanted = fold(current)
        return [
            app_commands.Choice(name=clip(field.name, 100), value=field.slug)
            for field in fields
            if not wanted or wanted in fold(field.name) or wanted in field.slug
        ][:25]
    except Exception:
        log.warning("Autocomplete of fields failed", exc_info=True)
        return []


class Proposals(commands.Cog):
    proposition = app_commands.Group(
        name=L("cmd.proposition"), description=L("cmd.proposition.desc"), guild_only=True
    )

    def __init__(self, bot: RtesBot) -> None:
        self.bot = bot
        self._recovered = False

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SupportButton, WithdrawSupportButton, AmendButton, DecideButton)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._recovered:
            return
        self._recovered = True
        try:
            await publish_unpublished(self.bot)
        except Exception:
            if not self.bot.is_closed():
                log.warning("Could not post the proposals left unpublished", exc_info=True)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(
            SupportButton, WithdrawSupportButton, AmendButton, DecideButton
        )

    @proposition.command(
        name=L("cmd.proposition.deposer"), description=L("cmd.proposition.deposer.desc")
    )
    @app_commands.rename(domaine=L("opt.proposition.domaine"))
    @app_commands.describe(domaine=L("opt.proposition.domaine.desc"))
    @app_commands.autocomplete(domaine=domaine_autocomplete)
    async def deposer(
        self, interaction: discord.Interaction[RtesBot], domaine: str | None = None
    ) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            person.require_member()
            if domaine:
                field = service.usable_field(
                    await service.find_field(session, actor.guild_id, domaine)
                )
                choices = [(field.id, field.name, field.description)]
            else:
                choices = [
                    (field.id, field.name, field.description)
                    for field in await service.active_fields(session, actor.guild_id)
                    if field.forum_channel_id is not None
                ]
        usable = [(int(fid), name, desc) for fid, name, desc in choices if fid is not None]
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
    @app_commands.rename(numero=L("opt.proposition.numero"))
    @app_commands.describe(numero=L("opt.proposition.numero.desc"))
    @app_commands.autocomplete(numero=open_numero_autocomplete)
    async def amender(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        async with self.bot.db.read() as session:
            (await access.resolve(session, actor)).require_member()
            proposal = await service.get_by_number(session, actor.guild_id, numero)
        await open_amendment_modal(interaction, proposal.id)  # type: ignore[arg-type]

    @proposition.command(name=L("cmd.proposition.voir"), description=L("cmd.proposition.voir.desc"))
    @app_commands.rename(numero=L("opt.proposition.numero"), version=L("opt.proposition.version"))
    @app_commands.describe(
        numero=L("opt.proposition.numero.desc"), version=L("opt.proposition.version.desc")
    )
    @app_commands.autocomplete(numero=numero_autocomplete)
    async def voir(
        self,
        interaction: discord.Interaction[RtesBot],
        numero: int,
        version: app_commands.Range[int, 1] | None = None,
    ) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            person.require_member()
            proposal = await service.get_by_number(session, actor.guild_id, numero)
            shown = version or proposal.current_version
            text = await service.version_text(session, proposal, shown)
            history = await service.versions(session, proposal)
            amendment_numbers = {
                a.id: a.number for a in await service.amendments(session, proposal)
            }
            card = await service.card(session, proposal.id)  # type: ignore[arg-type]
        embed = discord.Embed(
            title=clip(
                t("proposition.post.titre", locale, numero=card.number, titre=card.title), 256
            ),
            description=text,
            color=STATUS_COLORS[card.status],
        )
        author = card.author_name + (
            f" ({card.collectivite_name})" if card.collectivite_name else ""
        )
        embed.add_field(name=t("proposition.post.auteur", locale), value=clip(author, 1024))
        embed.add_field(
            name=t("proposition.post.statut", locale), value=status_label(card.status, locale)
        )
        embed.add_field(name=t("proposition.post.soutiens", locale), value=str(card.supports))
        embed.add_field(
            name=t("proposition.voir.fil", locale), value=thread_link(card.guild_id, card.thread_id)
        )
        lines = []
        for row in history:
            origin = (
                t(
                    "proposition.voir.origine-amendement",
                    locale,
                    numero=amendment_numbers.get(row.amendment_id, "?"),
                )
                if row.amendment_id
                else t("proposition.voir.origine-initiale", locale)
            )
            marker = " ◀" if row.version == shown else ""
            lines.append(
                f"v{row.version} · {discord.utils.format_dt(row.created_at, 'd')} · {origin}{marker}"
            )
        embed.add_field(
            name=t("proposition.voir.versions", locale),
            value=clip("\n".join(lines), 1024),
            inline=False,
        )
        embed.set_footer(
            text=t(
                "proposition.voir.version-affichee", locale, version=shown, derniere=card.version
            )
        )
        await reply(interaction, embed=embed)

    @proposition.command(
        name=L("cmd.proposition.liste"), description=L("cmd.proposition.liste.desc")
    )
    @app_commands.rename(statut=L("opt.proposition.statut"), domaine=L("opt.proposition.domaine"))
    @app_commands.describe(
        statut=L("opt.proposition.statut.desc"), domaine=L("opt.proposition.domaine-filtre.desc")
    )
    @app_commands.choices(statut=STATUS_CHOICES)
    @app_commands.autocomplete(domaine=domaine_autocomplete)
    async def liste(
        self,
        interaction: discord.Interaction[RtesBot],
        statut: app_commands.Choice[str] | None = None,
        domaine: str | None = None,
    ) -> None:
        actor = actor_of(interaction)
        locale = interaction.locale
        status = statut.value if statut is not None else None
        async with self.bot.db.read() as session:
            person = await access.resolve(session, actor)
            person.require_member()
            field_id = (
                (await service.find_field(session, actor.guild_id, domaine)).id if domaine else None
            )
            rows = await service.search(
                session, actor.guild_id, status=status, field_id=field_id, limit=LIST_LIMIT
            )
            total = await service.count(session, actor.guild_id, status=status, field_id=field_id)
            fields = await service.fields_by_id(session, actor.guild_id)
        if not rows:
            await reply_key(interaction, "proposition.liste.vide")
            return
        lines = []
        for proposal in rows:
            field = fields.get(proposal.field_id or 0)
            lines.append(
                t(
                    "proposition.liste.ligne",
                    locale,
                    numero=proposal.number,
                    titre=clip(proposal.title, 80),
                    statut=status_label(proposal.status, locale),
                    domaine=field.name if field else "—",
                    lien=thread_link(proposal.guild_id, proposal.thread_id),
                )
            )
        if total > len(rows):
            lines.append(t("proposition.liste.plus", locale, nombre=total - len(rows)))
        embed = discord.Embed(
            title=t("proposition.liste.titre", locale, nombre=total),
            description=clip("\n".join(lines), 4096),
        )
        await reply(interaction, embed=embed)

    @proposition.command(
        name=L("cmd.proposition.retirer"), description=L("cmd.proposition.retirer.desc")
    )
    @app_commands.rename(numero=L("opt.proposition.numero"))
    @app_commands.describe(numero=L("opt.proposition.numero.desc"))
    @app_commands.autocomplete(numero=open_numero_autocomplete)
    async def retirer(self, interaction: discord.Interaction[RtesBot], numero: int) -> None:
        actor = actor_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.begin() as session:
            person = await access.resolve(session, actor)
            person.require_member_or_bureau()
            proposal = await service.get_by_number(session, actor.guild_id, numero)
            proposal = await service.withdraw(session, person, proposal.id)  # type: ignore[arg-type]
            card = await service.card(session, proposal.id)  # type: ignore[arg-type]
            name = person.elu.full_name if person.elu is not None else interaction.user.display_name
        await refresh_proposal_post(self.bot, card.proposal_id)
        await post_in_proposal_thread(
            self.bot,
            card.proposal_id,
            t("proposition.retiree.annonce", card.locale, numero=numero, nom=name),
        )
        await reply_key(interaction, "proposition.retiree", numero=numero)


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Proposals(bot))
