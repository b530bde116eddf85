"""What is published when a poll closes: texts within Discord's limits and the files to attach.

No Discord here: the cogs send what this module builds. The explained result comes from the
counting package (`render_result`), the chart is a PNG, and the ballots file is the anonymised CSV
(rows sorted by content, so their order says nothing about who voted when), with the exact
`rtes-bot recount` command that reproduces the result. Public polls add who voted what.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from rtes_bot.catalog import t
from rtes_bot.counting import (
    Result,
    chart_png,
    count,
    format_ballot,
    render_result,
    render_summary,
    result_to_json,
    write_ballots_csv,
)
from rtes_bot.models import Poll, PollStatus
from rtes_bot.services import access, ballots, polls
from rtes_bot.text import plain_inline, plain_labels

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
INLINE_PUBLIC_VOTES_LIMIT = 900


@dataclass(frozen=True)
class FileOut:
    filename: str
    data: bytes


@dataclass
class Announcement:
    """A closing announcement: `content` fits in one Discord message; the rest is attached."""

    content: str
    summary: str
    files: list[FileOut] = field(default_factory=list)
    result: Result | None = None


#: matplotlib's pyplot keeps global state: charts are drawn one at a time (render() runs in
#: worker threads, off the event loop).
_CHART_LOCK = threading.Lock()


def _chart(spec: Any, result: Result, locale: object) -> bytes:
    with _CHART_LOCK:
        return chart_png(spec, result, locale)


async def guild_locale(session: AsyncSession, guild_id: int) -> str:
    """The language of the guild's public messages (the poll message, the announcement)."""
    settings = await access.guild_settings(session, guild_id)
    return settings.locale if settings is not None else "fr"


def csv_filename(poll: Poll) -> str:
    return f"scrutin-{poll.number}-bulletins.csv"


def ballots_csv_text(poll: Poll, final: ballots.FinalBallots) -> str:
    """The published ballots as CSV: secret polls one unit row per unit of weight, sorted by
    content (no weight column, nothing that names a weighted voter); public polls one row per
    voter. Recounting it gives the published result for every method."""
    return write_ballots_csv(ballots.spec_of(poll, poll.electorate_weight), final.counted)


async def ballots_csv(session: AsyncSession, poll: Poll) -> str:
    """The published ballots of a closed poll as CSV."""
    return ballots_csv_text(poll, await ballots.published_ballots(session, poll))


@dataclass(frozen=True)
class Material:
    """What a closed poll's announcement is built from (read from the database once)."""

    poll: Poll
    result: Result
    final: ballots.FinalBallots
    labels: dict[str, str]


async def gather(
    session: AsyncSession, poll: Poll, final: ballots.FinalBallots | None = None
) -> Material:
    """Read what the announcement needs: the published ballots (unless given) and, for public
    polls, the voters' names. The result is recounted from those ballots."""
    assert poll.id is not None
    if final is None:
        final = await ballots.published_ballots(session, poll)
    labels: dict[str, str] = {}
    if not poll.secret:
        labels = await ballots.voter_labels(session, [ref for ref, _, _ in final.public])
    result = count(ballots.spec_of(poll, poll.electorate_weight), final.counted)
    if poll.result is not None and result_to_json(result) != poll.result:
        # Cannot happen unless ballots changed after closing: say so loudly, publish the recount.
        log.error("Poll %s: recount differs from the result stored at closing", poll.id)
    return Material(poll, result, final, labels)


def public_vote_lines(material: Material, locale: object, *, inert: bool = True) -> list[str]:
    """Public polls: « Name : ballot » per voter, sorted by name (« membre parti·e » for a voter
    who erased their data). `inert`: names and labels as a Discord message shows them inert
    (`plain_inline`); False for the attached text file, which Discord shows as plain text."""
    spec = ballots.spec_of(material.poll)
    former = t("donnees.membre-parti", locale)
    keep = plain_inline if inert else str
    shown = dataclasses.replace(spec, options=tuple(keep(o) for o in spec.options))
    lines = [
        f"{keep(material.labels.get(ref) or former)} : {format_ballot(shown, content, locale)}"
        for ref, content, _ in material.final.public
    ]
    return sorted(lines, key=str.casefold)


def render(material: Material, locale: object = "fr") -> Announcement:
    """Everything to publish for a closed poll. CPU-bound (chart, CSV): run it off the event loop."""
    poll, result = material.poll, material.result
    spec = ballots.spec_of(poll, poll.electorate_weight)
    # Option labels a member typed are shown inert (no link, heading or mention).
    shown = plain_labels(result, spec.options)
    explanation = render_result(shown, locale)
    csv_name = csv_filename(poll)
    recount = polls.recount_command(poll, csv_name)
    header = t(
        "publication.titre", locale, numero=poll.number, question=plain_inline(poll.question)
    )
    footer = t("publication.recompter", locale, commande=recount)
    if poll.irv:
        footer += "\n" + t("publication.graine", locale, graine=poll.seed)
    summary = render_summary(shown, locale)
    files = [
        FileOut(csv_name, ballots_csv_text(poll, material.final).encode("utf-8")),
        FileOut(f"scrutin-{poll.number}-graphique.png", _chart(spec, result, locale)),
    ]
    public_block = ""
    if not poll.secret:
        lines = public_vote_lines(material, locale)
        listing = "\n".join(lines) if lines else t("publication.aucun-votant", locale)
        block = t("publication.votes-nominatifs", locale) + "\n" + listing
        if len(block) <= INLINE_PUBLIC_VOTES_LIMIT:
            public_block = block
        else:
            public_block = t("publication.votes-nominatifs-joints", locale)
        plain = public_vote_lines(material, locale, inert=False)
        listing = "\n".join(plain) if plain else t("publication.aucun-votant", locale)
        file_text = t("publication.votes-nominatifs", locale) + "\n" + listing
        files.append(
            FileOut(
                f"scrutin-{poll.number}-votes-nominatifs.txt",
                (file_text + "\n").encode("utf-8"),
            )
        )
    full = "\n\n".join(part for part in (header, explanation, public_block, footer) if part)
    if len(full) <= MESSAGE_LIMIT:
        content = full
    else:
        files.insert(
            0,
            FileOut(
                f"scrutin-{poll.number}-resultat.md",
                (header + "\n\n" + explanation + "\n\n" + footer + "\n").encode("utf-8"),
            ),
        )
        short_parts = [
            header,
            summary,
            public_block,
            t("publication.details-joints", locale),
            footer,
        ]
        content = "\n\n".join(part for part in short_parts if part)
        if len(content) > MESSAGE_LIMIT:
            content = "\n\n".join([header, t("publication.details-joints", locale)])[:MESSAGE_LIMIT]
    return Announcement(content=content, summary=summary, files=files, result=result)


def outcome_label(poll: Poll, locale: object) -> str:
    """A one-line outcome for lists (« Adoptée », « Option retenue : B »…)."""
    data: dict[str, Any] = poll.result or {}
    outcome = poll.outcome or data.get("outcome") or "aucun"
    winners = data.get("winners") or []
    if outcome in ("elu", "egalite"):
        shown = " = ".join(plain_inline(w) for w in winners)
        return t(f"counting.outcome.{outcome}", locale, winners=shown)
    return t(f"counting.outcome.{outcome}", locale)


# ------------------------------------------------------------------ live figures


def stepped(poll: Poll) -> bool:
    """Whether the poll's live figures move in steps (`ballots.snapshot`): a secret poll, still
    open, whose results are shown before closing. Its turnout follows the same steps; a public
    poll, or one whose results wait for closing, shows its exact turnout."""
    return (
        poll.secret
        and poll.status == PollStatus.OPEN
        and poll.results_visibility in (polls.VISIBILITY_LIVE, polls.VISIBILITY_AFTER_VOTE)
    )


@dataclass(frozen=True)
class LiveFigures:
    """What any view of a poll may show now: the turnout, and the ballots to count (None while a
    stepped poll has reached no step yet: nothing to show)."""

    turnout: int
    final: ballots.FinalBallots | None
    stepped: bool


async def live_figures(
    session: AsyncSession,
    poll: Poll,
    master_key: bytes,
    steps_of: Callable[[int], ballots.Steps] | None = None,
) -> LiveFigures:
    """A poll's figures as every view shows them: a stepped poll its last snapshot (`steps_of`:
    the ballot box's, to open only the rows that arrived since its last read); any other poll its
    exact turnout and ballots (a closed poll its published ballots)."""
    assert poll.id is not None
    if stepped(poll):
        steps = steps_of(poll.id) if steps_of is not None else None
        shot = await ballots.live_snapshot(session, poll, master_key, steps)
        final = None if shot.empty else ballots.final_ballots(poll, shot.latest)
        return LiveFigures(shot.turnout, final, True)
    if poll.status == PollStatus.CLOSED:
        final = await ballots.published_ballots(session, poll)
    else:
        final = await ballots.live_ballots(session, poll, master_key)
    return LiveFigures(await ballots.turnout(session, poll.id), final, False)


async def shown_turnouts(
    session: AsyncSession,
    poll_list: list[Poll],
    master_key: bytes,
    steps_of: Callable[[int], ballots.Steps] | None = None,
) -> dict[int, int]:
    """The turnout each poll shows (a stepped poll's snapshot, any other the exact count)."""
    ids = [p.id for p in poll_list if p.id is not None]
    counts = await ballots.turnouts(session, ids)
    for poll in poll_list:
        if poll.id is not None and stepped(poll):
            steps = steps_of(poll.id) if steps_of is not None else None
            shot = await ballots.live_snapshot(session, poll, master_key, steps)
            counts[poll.id] = shot.turnout
    return counts


def turnout_text(poll: Poll, turnout: int, locale: object) -> str:
    """« 12 votant·e(s) »; a stepped poll says its figures move in steps (and, before the first
    step, only that fewer than a step's worth of voters have voted)."""
    if not stepped(poll):
        return t("scrutin.votants", locale, nombre=turnout)
    if turnout == 0:
        return t("scrutin.votants.avant-palier", locale, palier=ballots.LIVE_STEP)
    return t("scrutin.votants.palier", locale, nombre=turnout, palier=ballots.LIVE_STEP)


def stepped_rule(poll: Poll, locale: object) -> str | None:
    """The rule a stepped poll's message states (None for the others)."""
    if not stepped(poll):
        return None
    return t("scrutin.paliers", locale, palier=ballots.LIVE_STEP)
