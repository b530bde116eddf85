"""The liste d'émargement as the staff sees it: turnout against the electorate and the quorum (the
poll message), and who has and has not voted (`/scrutin emargement`) — never how.

Turnout is not secret: the list says who voted. For a `collectivites` electorate each vote
weighs its collectivité's weight (fixed at opening); the quorum is a share of the electorate's
weight, so the figures say both: how many collectivités voted, and what weight they carry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.catalog import t
from rtes_bot.models import Collectivite, ElectorateEntry, Elu, Poll
from rtes_bot.services import ballots, publication
from rtes_bot.text import fold


@dataclass(frozen=True)
class Figures:
    """The list's totals: votes on it and cast, their weights, and the quorum as a weight."""

    listed: int
    voted: int
    listed_weight: int
    voted_weight: int
    quorum_required: int  # 0 when the poll has no quorum

    @property
    def quorum_reached(self) -> bool:
        return self.voted_weight >= self.quorum_required


def required(poll: Poll, electorate_weight: int) -> int:
    """The least whole weight that reaches the quorum (0 without quorum)."""
    return math.ceil(Fraction(poll.quorum_percent, 100) * electorate_weight)


async def figures(session: AsyncSession, poll: Poll) -> Figures:
    entry = ElectorateEntry
    result = await session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(col(entry.weight)), 0),
            func.count().filter(col(entry.voted).is_(True)),
            func.coalesce(func.sum(col(entry.weight)).filter(col(entry.voted).is_(True)), 0),
        ).where(col(entry.poll_id) == poll.id)
    )
    listed, listed_weight, voted, voted_weight = (int(v) for v in result.one())
    electorate = poll.electorate_weight if poll.electorate_weight is not None else listed_weight
    return Figures(listed, voted, electorate, voted_weight, required(poll, electorate))


def turnout_line(
    poll: Poll, numbers: Figures, shown: int, locale: object, *, exact: bool = False
) -> str:
    """« 12 / 40 votant·e·s — quorum 50 % : 20 ». ``shown`` is what the poll may show now: a
    stepped poll (`publication.stepped`) shows its last step, never the exact count — unless
    ``exact`` (the bureau, who may read the liste d'émargement itself)."""
    by_weight = poll.electorate == ballots.ELECTORATE_COLLECTIVITES
    if publication.stepped(poll) and not exact:
        text = t(
            "roll.participation.palier",
            locale,
            votants=publication.turnout_text(poll, shown, locale),
            inscrits=numbers.listed,
        )
    elif by_weight:
        text = t(
            "roll.participation.collectivites",
            locale,
            votants=numbers.voted,
            inscrits=numbers.listed,
            poids=numbers.voted_weight,
            total=numbers.listed_weight,
        )
    else:
        text = t("roll.participation.elus", locale, votants=numbers.voted, inscrits=numbers.listed)
    if poll.quorum_percent:
        key = "roll.quorum.poids" if by_weight else "roll.quorum"
        text += t(key, locale, quorum=poll.quorum_percent, requis=numbers.quorum_required)
    return text


# ------------------------------------------------------------------ /scrutin emargement


@dataclass(frozen=True)
class Line:
    """One vote of the list: who casts it, for which collectivité, and whether it was cast."""

    name: str
    collectivite: str | None
    weight: int
    voted: bool
    by_proxy: bool  # cast by the holder of a proxy
    proxy_given: bool  # not cast yet, a proxy is active
    struck: bool  # the caster left or was erased since the opening: the vote is lost


async def lines(session: AsyncSession, poll: Poll) -> list[Line]:
    """The list of the poll, sorted by name (collectivité first for a collectivités list)."""
    entry = ElectorateEntry
    result = await session.execute(
        select(
            col(entry.voter_ref),
            col(entry.weight),
            col(entry.voted),
            col(entry.struck),
            col(entry.delegate_elu_id),
            col(entry.cast_by_elu_id),
            col(entry.elu_id),
            col(Elu.full_name),
        )
        .outerjoin(Elu, col(Elu.id) == col(entry.elu_id))
        .where(col(entry.poll_id) == poll.id)
    )
    rows = result.all()
    collectivite_ids = [
        int(ref.split(":", 1)[1]) for ref, *_ in rows if str(ref).startswith("col:")
    ]
    names: dict[int, str] = {}
    if collectivite_ids:
        found = await session.execute(
            select(col(Collectivite.id), col(Collectivite.name)).where(
                col(Collectivite.id).in_(collectivite_ids)
            )
        )
        names = {int(i or 0): str(n) for i, n in found.all()}
    out: list[Line] = []
    for ref, weight, voted, struck, delegate, cast_by, elu_id, full_name in rows:
        collectivite = None
        if str(ref).startswith("col:"):
            collectivite = names.get(int(str(ref).split(":", 1)[1]), "?")
        out.append(
            Line(
                name=str(full_name or ""),
                collectivite=collectivite,
                weight=int(weight or 0),
                voted=bool(voted),
                by_proxy=bool(voted) and cast_by is not None and cast_by != elu_id,
                proxy_given=not voted and delegate is not None,
                struck=bool(struck),
            )
        )
    return sorted(out, key=lambda line: (fold(line.collectivite or ""), fold(line.name)))
