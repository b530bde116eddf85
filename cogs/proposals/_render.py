"""What proposals look like on Discord, pure (no I/O): the post's embed, an amendment's embed,
`/proposition voir` and `/proposition liste`, thread names, status labels, colours and forum tags,
and long texts cut into messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import discord

from rtes_bot.catalog import t
from rtes_bot.models import Amendment, AmendmentStatus, FieldOfAction, Proposal, ProposalStatus
from rtes_bot.services.proposals import Card
from rtes_bot.text import fold, plain_block, plain_inline
from rtes_bot.ui import MESSAGE_LIMIT, clip

#: The forum tag each status shows (tags created by `/admin installer`, matched by folded name).
STATUS_TAGS: dict[ProposalStatus, str] = {
    ProposalStatus.EN_DEBAT: "En débat",
    ProposalStatus.AU_VOTE: "Au vote",
    ProposalStatus.ADOPTEE: "Adoptée",
    ProposalStatus.REJETEE: "Rejetée",
    ProposalStatus.QUORUM_NON_ATTEINT: "Rejetée",
    ProposalStatus.RETIREE: "Retirée",
}
#: folded names of every status tag: a post carries one of them at a time
STATUS_TAG_KEYS = {fold(name) for name in STATUS_TAGS.values()}

STATUS_COLORS: dict[ProposalStatus, int] = {
    ProposalStatus.EN_DEBAT: 0x3B82F6,
    ProposalStatus.AU_VOTE: 0xF59E0B,
    ProposalStatus.ADOPTEE: 0x16A34A,
    ProposalStatus.REJETEE: 0xDC2626,
    ProposalStatus.QUORUM_NON_ATTEINT: 0x6B7280,
    ProposalStatus.RETIREE: 0x6B7280,
}
AMENDMENT_COLORS: dict[AmendmentStatus, int] = {
    AmendmentStatus.PROPOSED: 0x3B82F6,
    AmendmentStatus.ACCEPTED: 0x16A34A,
    AmendmentStatus.REFUSED: 0xDC2626,
}


def status_label(status: str, locale: object) -> str:
    return t(f"proposition.statut.{status}", locale)


def find_status_tag(
    tags: Sequence[discord.ForumTag], status: ProposalStatus
) -> discord.ForumTag | None:
    """The forum's tag for ``status``: same folded name, else a name ending with it (an emoji
    or a prefix added by the bureau)."""
    wanted = fold(STATUS_TAGS[status])
    for tag in tags:
        if fold(tag.name) == wanted:
            return tag
    for tag in tags:
        if fold(tag.name).endswith(wanted):
            return tag
    return None


def thread_name(card: Card, *, with_status: bool) -> str:
    """``#3 · Title``; in a text channel (no forum tags) the status goes first."""
    name = f"#{card.number} · {card.title}"
    if with_status:
        name = f"[{status_label(card.status, card.locale)}] {name}"
    return clip(name, 100)


def thread_link(thread_id: int | None) -> str:
    return f"<#{thread_id}>" if thread_id else "—"


def person_name(name: str, locale: object) -> str:
    """A member's name as the bot's posts show it: « membre parti·e » once they erased their data."""
    return plain_inline(name) if name else t("donnees.membre-parti", locale)


def author_text(card: Card) -> str:
    """The author's name, with their collectivité when they have one."""
    name = person_name(card.author_name, card.locale)
    if card.collectivite_name:
        return f"{name} ({plain_inline(card.collectivite_name)})"
    return name


def card_title(card: Card, locale: object) -> str:
    title = plain_inline(card.title)
    return clip(t("proposition.post.titre", locale, numero=card.number, titre=title), 256)


def footer_text(card: Card) -> str:
    """What to do now, by status: support or amend while in debate (the buttons are there),
    vote with the poll's message while au vote, nothing once the debate is over."""
    if card.status == ProposalStatus.EN_DEBAT:
        return t("proposition.post.pied", card.locale, numero=card.number)
    return t(f"proposition.post.pied.{card.status}", card.locale, numero=card.number)


def render_card(card: Card) -> discord.Embed:
    """The embed of the proposal's post (its first message)."""
    locale = card.locale
    embed = discord.Embed(
        title=card_title(card, locale),
        description=clip(plain_block(card.text), 4096),
        color=STATUS_COLORS[card.status],
    )
    embed.add_field(
        name=t("proposition.post.auteur", locale), value=clip(author_text(card), 1024), inline=True
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
    embed.set_footer(text=footer_text(card))
    return embed


def amendment_announcement(amendment: Amendment, amender_name: str, locale: object) -> str:
    """The line above an amendment's embed in the proposal's thread."""
    return t(
        "amendement.message.annonce",
        locale,
        numero=amendment.number,
        nom=person_name(amender_name, locale),
    )


def amendment_embed(
    amendment: Amendment, proposal_number: int, author_name: str, locale: object
) -> discord.Embed:
    """The embed of an amendment's message in the proposal's thread."""
    status = AmendmentStatus(amendment.status)
    embed = discord.Embed(
        title=t(
            "amendement.message.titre", locale, numero=amendment.number, proposition=proposal_number
        ),
        description=clip(plain_block(amendment.text), 4096),
        color=AMENDMENT_COLORS[status],
    )
    embed.add_field(
        name=t("amendement.message.auteur", locale),
        value=clip(person_name(author_name, locale), 1024),
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
            value=clip(plain_block(amendment.rationale), 1024),
            inline=False,
        )
    return embed


def history_embed(
    card: Card,
    text: str,
    shown: int,
    history: Iterable[tuple[int, datetime, int | str | None]],
    locale: object,
) -> discord.Embed:
    """`/proposition voir`: version ``shown`` of the text and the list of versions, each as
    ``(version, created_at, number of the amendment it came from, None for the first text)``."""
    embed = discord.Embed(
        title=card_title(card, locale),
        description=clip(plain_block(text), 4096),
        color=STATUS_COLORS[card.status],
    )
    embed.add_field(name=t("proposition.post.auteur", locale), value=clip(author_text(card), 1024))
    embed.add_field(
        name=t("proposition.post.statut", locale), value=status_label(card.status, locale)
    )
    embed.add_field(name=t("proposition.post.soutiens", locale), value=str(card.supports))
    embed.add_field(name=t("proposition.voir.fil", locale), value=thread_link(card.thread_id))
    lines = []
    for version, created_at, amendment_number in history:
        origin = (
            t("proposition.voir.origine-amendement", locale, numero=amendment_number)
            if amendment_number is not None
            else t("proposition.voir.origine-initiale", locale)
        )
        marker = " ◀" if version == shown else ""
        lines.append(f"v{version} · {discord.utils.format_dt(created_at, 'd')} · {origin}{marker}")
    embed.add_field(
        name=t("proposition.voir.versions", locale),
        value=clip("\n".join(lines), 1024),
        inline=False,
    )
    embed.set_footer(
        text=t("proposition.voir.version-affichee", locale, version=shown, derniere=card.version)
    )
    return embed


def list_embed(
    proposals: Sequence[Proposal],
    total: int,
    fields: Mapping[int, FieldOfAction],
    locale: object,
) -> discord.Embed:
    """`/proposition liste`: one line per proposal, and how many more there are."""
    lines = []
    for proposal in proposals:
        field = fields.get(proposal.field_id or 0)
        lines.append(
            t(
                "proposition.liste.ligne",
                locale,
                numero=proposal.number,
                titre=plain_inline(clip(proposal.title, 80)),
                statut=status_label(proposal.status, locale),
                domaine=field.name if field else "—",
                lien=thread_link(proposal.thread_id),
            )
        )
    if total > len(proposals):
        lines.append(t("proposition.liste.plus", locale, nombre=total - len(proposals)))
    return discord.Embed(
        title=t("proposition.liste.titre", locale, nombre=total),
        description=clip("\n".join(lines), 4096),
    )


def number_choice_label(proposal: Proposal, locale: object) -> str:
    """A proposal offered by autocomplete: ``#3 · Title (status)``."""
    return f"#{proposal.number} · {proposal.title} ({status_label(proposal.status, locale)})"


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
