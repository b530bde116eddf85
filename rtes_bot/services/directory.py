"""The members' directory: what of a person other members may see, and typo-tolerant search.

:func:`visible_card` is the one place deciding what is visible of a person; the directory, the
chatbot and every export that shows other people use it, so consent is honoured the same way
everywhere: contact fields appear only when the person consented to share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.catalog import t
from rtes_bot.errors import NotFound
from rtes_bot.matching import match_score, significant, words
from rtes_bot.models import Collectivite, Elu, EluField, EluStatus, FieldOfAction
from rtes_bot.services import access, collectivites, fields
from rtes_bot.services.access import Person
from rtes_bot.text import display_phone, fold, plain_inline


@dataclass(frozen=True)
class Card:
    """What one person may see of another (contact fields only with consent)."""

    elu_id: int
    discord_user_id: int | None
    name: str
    collectivite: str | None
    departement: str | None
    mandate: str
    fields: tuple[str, ...]
    email: str | None
    phone: str | None


def visible_card(
    elu: Elu,
    *,
    collectivite: Collectivite | None = None,
    fields: Iterable[str] = (),
    viewer_is_self: bool = False,
) -> Card:
    """The card of ``elu`` as another member sees it: contact fields only with consent.

    ``viewer_is_self``: the person looking at their own card sees everything.
    """
    return Card(
        elu_id=elu.id or 0,
        discord_user_id=elu.discord_user_id,
        name=elu.full_name,
        collectivite=collectivite.name if collectivite is not None else None,
        departement=collectivite.departement if collectivite is not None else None,
        mandate=elu.mandate,
        fields=tuple(fields),
        email=elu.email if (elu.share_email or viewer_is_self) and elu.email else None,
        phone=display_phone(elu.phone)
        if (elu.share_phone or viewer_is_self) and elu.phone
        else None,
    )


def render_card(card: Card, locale: object, *, compact: bool = False) -> str:
    """A card as Discord text (no mention pings: the bot never pings)."""
    # Names and texts members typed are shown inert (no link, heading or mention).
    title = f"**{plain_inline(card.name)}**"
    if card.discord_user_id:
        title += f" (<@{card.discord_user_id}>)"
    lines = [title]
    where = plain_inline(card.collectivite or "") or t("annuaire.sans-collectivite", locale)
    if card.departement:
        where += f" ({plain_inline(card.departement)})"
    lines.append(f"🏛️ {where}")
    if card.mandate:
        lines.append(f"🎗️ {plain_inline(card.mandate)}")
    if card.fields:
        lines.append(f"🌱 {', '.join(plain_inline(name) for name in card.fields)}")
    if card.email:
        lines.append(f"✉️ {plain_inline(card.email)}")
    if card.phone:
        lines.append(f"📞 {card.phone}")
    if not compact and not card.email and not card.phone:
        lines.append(t("annuaire.pas-de-contact", locale))
    return "\n".join(lines)


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Entry:
    elu: Elu
    collectivite: Collectivite | None
    fields: tuple[FieldOfAction, ...]

    def card(self, *, viewer_is_self: bool = False) -> Card:
        return visible_card(
            self.elu,
            collectivite=self.collectivite,
            fields=[f.name for f in self.fields],
            viewer_is_self=viewer_is_self,
        )

    def haystack(self) -> list[str]:
        text = " ".join(
            [
                self.elu.full_name,
                self.collectivite.name if self.collectivite else "",
                self.collectivite.departement or "" if self.collectivite else "",
                self.elu.mandate,
                " ".join(f.name for f in self.fields),
            ]
        )
        return words(text)


async def active_entries(
    session: AsyncSession, guild_id: int, *, elu_ids: Iterable[int] | None = None
) -> list[Entry]:
    """Active members with their collectivité and fields (retired fields excluded)."""
    query = (
        select(Elu, Collectivite)
        .outerjoin(Collectivite, col(Collectivite.id) == col(Elu.collectivite_id))
        .where(col(Elu.guild_id) == guild_id, col(Elu.status) == EluStatus.ACTIVE)
        .order_by(col(Elu.full_name), col(Elu.id))
    )
    if elu_ids is not None:
        query = query.where(col(Elu.id).in_(list(elu_ids)))
    rows = (await session.execute(query)).all()
    ids = [elu.id for elu, _ in rows]
    fields_by_elu: dict[int, list[FieldOfAction]] = {}
    if ids:
        result = await session.execute(
            select(col(EluField.elu_id), FieldOfAction)
            .join(FieldOfAction, col(FieldOfAction.id) == col(EluField.field_id))
            .where(col(EluField.elu_id).in_(ids), col(FieldOfAction.retired_at).is_(None))
            .order_by(col(FieldOfAction.position), col(FieldOfAction.id))
        )
        for elu_id, field_row in result.all():
            fields_by_elu.setdefault(elu_id, []).append(field_row)
    return [
        Entry(elu=elu, collectivite=collectivite, fields=tuple(fields_by_elu.get(elu.id or 0, [])))
        for elu, collectivite in rows
    ]


def departement_matches(wanted: str, collectivite: Collectivite | None) -> bool:
    """A département typed as a name (« isere ») or a number (« 38 »)."""
    if collectivite is None:
        return False
    key = fold(wanted).strip()
    if not key:
        return True
    if collectivite.departement:
        value = fold(collectivite.departement)
        if value == key or (len(key) >= 4 and fuzz.ratio(key, value) >= 85):
            return True
    if key.isdigit() or re.fullmatch(r"2[ab]", key):
        code = (collectivite.code or "").lower()
        return bool(code) and len(code) == 5 and code.startswith(key)
    return False


async def search(
    session: AsyncSession,
    guild_id: int,
    *,
    query: str | None = None,
    field: str | None = None,
    departement: str | None = None,
) -> list[Card]:
    """Active members matching a free-text query (name, collectivité, mandate, fields), a field
    and a département; best matches first."""
    entries = await active_entries(session, guild_id)
    if field:
        wanted = await fields.find_field(
            session, guild_id, field, fuzzy=True, unknown="annuaire.domaine-inconnu"
        )
        entries = [e for e in entries if any(f.id == wanted.id for f in e.fields)]
    if departement:
        entries = [e for e in entries if departement_matches(departement, e.collectivite)]
    scored: list[tuple[float, Entry]] = []
    query_words = significant(words(query or ""))
    for entry in entries:
        score = match_score(query_words, entry.haystack())
        if score is not None:
            scored.append((score, entry))
    scored.sort(key=lambda item: (-item[0], fold(item[1].elu.full_name)))
    return [entry.card() for _, entry in scored]


async def card_of_user(
    session: AsyncSession, guild_id: int, discord_user_id: int, viewer: Person
) -> Card:
    """The card of the member behind a Discord user, as ``viewer`` may see it."""
    elu = await access.find_elu(session, guild_id, discord_user_id)
    if elu is None or elu.id is None or elu.status != EluStatus.ACTIVE:
        raise NotFound("annuaire.fiche-inconnue")
    entries = await active_entries(session, guild_id, elu_ids=[elu.id])
    viewer_is_self = viewer.elu is not None and viewer.elu.id == elu.id
    return entries[0].card(viewer_is_self=viewer_is_self)


async def departements(session: AsyncSession, guild_id: int) -> list[str]:
    """The départements of the network's collectivités, for the directory's filter."""
    places = await collectivites.all_collectivites(session, guild_id)
    return sorted({place.departement for place in places if place.departement}, key=fold)
