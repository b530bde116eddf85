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
from collections.abc import Callable, Sequence
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
    result_to_json,
    write_ballots_csv,
)
from rtes_bot.counting.render import outcome_sentence, summary_lines
from rtes_bot.models import Poll, PollStatus
from rtes_bot.services import access, ballots, polls
from rtes_bot.text import plain_inline, plain_labels

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
EMBED_FIELD_LIMIT = 1024
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


def _chart(spec: Any, result: Result, locale: object, question: str) -> bytes:
    with _CHART_LOCK:
        return chart_png(spec, result, locale, question)


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


def fit_lines(lines: list[str], limit: int) -> str:
    """The first lines that fit in ``limit`` characters (whole lines: a name is never cut)."""
    kept: list[str] = []
    size = -1
    for line in lines:
        if size + 1 + len(line) > limit:
            break
        kept.append(line)
        size += 1 + len(line)
    return "\n".join(kept)


def poll_line(poll: Poll, locale: object) -> str:
    """« Scrutin n°3 — Question ? » (the question inert), the line after the outcome sentence."""
    return t(
        "publication.scrutin", locale, numero=poll.number, question=plain_inline(poll.question)
    )


def explanation_file(poll: Poll, result: Result, locale: object) -> FileOut:
    """The attached explanation: outcome sentence, method, turnout, rounds or matrices (names
    whole) and, once closed, the recount command and the IRV seed. A text file: labels as
    typed."""
    heading = t("publication.scrutin", locale, numero=poll.number, question=poll.question)
    text = render_result(result, locale, heading=heading)
    if poll.status == PollStatus.CLOSED:
        text += "\n\n" + t(
            "publication.recompter",
            locale,
            commande=polls.recount_command(poll, csv_filename(poll)),
        )
        if poll.irv:
            text += "\n" + t("publication.graine", locale, graine=poll.seed)
    return FileOut(explanation_filename(poll), (text + "\n").encode("utf-8"))


def explanation_filename(poll: Poll) -> str:
    return f"scrutin-{poll.number}-resultat.md"


def summary_text(result: Result, locale: object, limit: int = EMBED_FIELD_LIMIT) -> str:
    """The poll message's « Résultat »: the outcome sentence, the turnout, the top of the
    ranking, as many whole lines as fit."""
    return fit_lines(summary_lines(result, locale), limit)


def render(material: Material, locale: object = "fr") -> Announcement:
    """Everything to publish for a closed poll. CPU-bound (chart, CSV): run it off the event loop.

    The message starts with the outcome sentence in whole votes, then the poll, the turnout and
    the ranking; the detail (method, rounds, matrices, the recount command) is in the attached
    explanation file, beside the chart, the ballots CSV and (public polls) who voted what."""
    poll, result = material.poll, material.result
    spec = ballots.spec_of(poll, poll.electorate_weight)
    # Option labels a member typed are shown inert (no link, heading or mention).
    shown = plain_labels(result, spec.options)
    files = [
        explanation_file(poll, result, locale),
        FileOut(csv_filename(poll), ballots_csv_text(poll, material.final).encode("utf-8")),
        FileOut(
            f"scrutin-{poll.number}-graphique.png",
            _chart(spec, result, locale, poll.question),
        ),
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
    details = t("publication.details-fichiers", locale, fichier=explanation_filename(poll))
    content = compose(poll, shown, locale, tail=[public_block, details])
    summary = summary_text(shown, locale)
    return Announcement(content=content, summary=summary, files=files, result=result)


def compose(
    poll: Poll,
    result: Result,
    locale: object,
    *,
    first: str | None = None,
    notes: Sequence[str] = (),
    tail: Sequence[str] = (),
    limit: int = MESSAGE_LIMIT,
) -> str:
    """A result as one message: the outcome sentence (``first`` instead, e.g. marked
    provisional), the poll, ``notes``, the turnout, then as much of the ranking as fits in whole
    lines before the ``tail`` paragraphs (the first ones dropped if even they do not fit). A
    failed quorum: its sentence only, no turnout line nor ranking (they are in the file)."""
    lines = summary_lines(result, locale)
    method = result.voting_method
    ranking = method.post_ranking_lines(result, locale) if len(lines) > 2 else []
    head = "\n".join([first or lines[0], poll_line(poll, locale), *notes, *lines[1:2]])
    tail_parts = [part for part in tail if part]
    while tail_parts and len(head) + sum(len(p) + 2 for p in tail_parts) > limit:
        tail_parts.pop(0)
    room = limit - len(head) - sum(len(p) + 2 for p in tail_parts) - 2
    body = fit_lines(ranking, room) if room > 0 else ""
    if ranking and (not body or body.count("\n") + 1 < len(ranking)):
        # The ranking did not fit whole: its top (whole lines), then where the rest is.
        more = t("publication.classement-complet", locale)
        body = "\n".join(filter(None, [fit_lines(ranking, room - len(more) - 1), more]))
    parts = [head, body, *tail_parts]
    return "\n\n".join(part for part in parts if part)[:limit]


async def closed_summary(session: AsyncSession, poll: Poll, locale: object) -> str:
    """A closed poll's « Résultat » on its message, recounted from its published ballots (the
    message is re-rendered later than its announcement: after a restart, a status change)."""
    material = await gather(session, poll)
    return summary_text(plain_labels(material.result, poll.options), locale)


def results_reply(poll: Poll, figures: LiveFigures, locale: object) -> tuple[str, FileOut]:
    """`/scrutin resultats`: the message (the outcome sentence first, marked provisional while
    the poll is open) and the explanation file, in the asker's language."""
    assert figures.final is not None
    spec = ballots.spec_of(poll, poll.electorate_weight)
    result = count(spec, figures.final.counted)
    shown = plain_labels(result, spec.options)
    first = None
    if poll.status == PollStatus.OPEN:
        first = t("publication.provisoire", locale, phrase=outcome_sentence(shown, locale))
    notes = []
    if figures.stepped:
        notes.append(
            t(
                "scrutin.resultats.paliers",
                locale,
                nombre=figures.turnout,
                palier=ballots.LIVE_STEP,
            )
        )
    details = t("publication.details-fichier", locale, fichier=explanation_filename(poll))
    content = compose(poll, shown, locale, first=first, notes=notes, tail=[details])
    return content, explanation_file(poll, result, locale)


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
