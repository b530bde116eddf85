"""Polls (scrutins): opening with full validation, listing, results visibility, and closing exactly once.

Opening records the liste d'émargement in the same transaction (`ballots.record_electorate`):
the electorate and its weight are fixed from then on.

Closing is decided by one conditional `UPDATE poll SET status='closed' … WHERE id=? AND
status='open'`: whichever transaction's update touches the row closes the poll; every other
(a second process, `/scrutin cloturer` racing the scheduler) sees rowcount 0 and does nothing.
In that same transaction the sealed ballots are opened once, counted, published in content order
and deleted (`ballots.seal_up`), and the result, the outcome and the proposal's status stored.
Announcing is claimed the same way (`announced_at`), so a closed poll is published once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot import durations
from rtes_bot.clock import DEFAULT_ZONE
from rtes_bot.counting import METHODS, Result, count, method_of, result_to_json
from rtes_bot.counting.model import MAJORITIES, POUR_CONTRE
from rtes_bot.errors import Conflict, InvalidInput, NotFound
from rtes_bot.models import (
    FieldOfAction,
    Poll,
    PollStatus,
    Proposal,
    ProposalStatus,
    in_int_range,
)
from rtes_bot.services import access, audit, ballots, fields, numbering
from rtes_bot.services import proposals as proposal_service
from rtes_bot.services.access import Actor, Person
from rtes_bot.shards import Shards
from rtes_bot.text import clean, clean_line, fold

ELECTORATES = (ballots.ELECTORATE_ELUS, ballots.ELECTORATE_COLLECTIVITES)
VISIBILITY_LIVE = "en-direct"
VISIBILITY_AFTER_VOTE = "apres-vote"
VISIBILITY_AT_CLOSE = "a-la-cloture"
VISIBILITIES = (VISIBILITY_LIVE, VISIBILITY_AFTER_VOTE, VISIBILITY_AT_CLOSE)
MAX_OPTIONS = 25  # what a Discord select menu can show
MAX_OPTION_LENGTH = 100  # a select option's label
MAX_QUESTION_LENGTH = 300
REMINDER_BEFORE = timedelta(hours=24)

PROPOSAL_STATUS_BY_OUTCOME = {
    "adoptee": ProposalStatus.ADOPTEE,
    "rejetee": ProposalStatus.REJETEE,
    "quorum-non-atteint": ProposalStatus.QUORUM_NON_ATTEINT,
}
DECISION_OUTCOMES = ("adoptee", "elu")


@dataclass
class OpenRequest:
    """`/scrutin ouvrir`'s options as typed (strings unparsed: the service validates them)."""

    duree: str
    question: str | None = None
    proposition: int | None = None
    methode: str | None = None
    options: str | None = None
    quorum: int | None = None
    majorite: str | None = None
    secret: bool | None = None
    electorat: str | None = None
    domaine: str | None = None
    resultats: str | None = None
    max_choix: int | None = None
    irv: bool | None = None
    #: how `duree`'s dates are read: the network's time zone (the ``TIMEZONE`` setting)
    zone: tzinfo = DEFAULT_ZONE


def audit_poll(
    session: AsyncSession, poll: Poll, actor_id: int | None, action: str, **details: Any
) -> None:
    """Audit something that happened to a poll (subject `poll`, its number first)."""
    audit.record(
        session, poll.guild_id, actor_id, action, "poll", poll.id, numero=poll.number, **details
    )


# ------------------------------------------------------------------ proposals (colleague's service)


async def _proposal_by_number(session: AsyncSession, guild_id: int, number: int) -> Proposal:
    return await proposal_service.get_by_number(session, guild_id, number)


async def set_proposal_status(
    session: AsyncSession, proposal: Proposal, status: ProposalStatus, actor_id: int | None
) -> bool:
    """Move the proposal (audited by the proposals service); False if that move is not allowed now
    (e.g. the proposal was withdrawn meanwhile): a poll's closing never fails because of it."""
    try:
        await proposal_service.set_status(session, proposal, status, actor_id)
    except Conflict:
        return False
    return True


# ------------------------------------------------------------------ opening


def parse_options(method: str, text: str | None) -> list[str]:
    """`A; B; C` → labels, validated for the method (none for pour-contre)."""
    if not method_of(method).needs_options:
        if text is not None and text.strip():
            raise InvalidInput("scrutin.options-pour-contre")
        return []
    if text is None or not text.strip():
        raise InvalidInput("scrutin.options-manquantes", methode=method)
    labels = [clean_line(part) for part in text.split(";")]
    if labels and not labels[-1]:
        labels.pop()  # a trailing `;` is harmless
    if any(not label for label in labels):
        raise InvalidInput("scrutin.option-vide")
    if len(labels) < 2:
        raise InvalidInput("scrutin.options-trop-peu")
    if len(labels) > MAX_OPTIONS:
        raise InvalidInput("scrutin.options-trop-nombreuses", nombre=len(labels), max=MAX_OPTIONS)
    for label in labels:
        if len(label) > MAX_OPTION_LENGTH:
            raise InvalidInput(
                "scrutin.option-trop-longue", option=label[:40] + "…", max=MAX_OPTION_LENGTH
            )
    seen: dict[str, str] = {}
    for label in labels:
        key = fold(label)
        if key in seen:
            raise InvalidInput("scrutin.option-doublon", option=label, autre=seen[key])
        seen[key] = label
    return labels


async def open_poll(
    session: AsyncSession,
    *,
    guild_id: int,
    actor_id: int,
    request: OpenRequest,
    now: datetime,
) -> Poll:
    """Validate every option, then create the poll (the caller checked the bureau role)."""
    question = clean(request.question) if request.question is not None else ""
    if question and request.proposition is not None:
        raise InvalidInput("scrutin.question-et-proposition")
    if not question and request.proposition is None:
        raise InvalidInput("scrutin.question-manquante")
    if len(question) > MAX_QUESTION_LENGTH:
        raise InvalidInput("scrutin.question-trop-longue", max=MAX_QUESTION_LENGTH)
    method = request.methode or POUR_CONTRE
    if method not in METHODS:
        raise InvalidInput("scrutin.methode-inconnue", methode=method)
    proposal: Proposal | None = None
    if request.proposition is not None:
        proposal = await _proposal_by_number(session, guild_id, request.proposition)
        if not method_of(method).accepts_proposal:
            raise InvalidInput("scrutin.proposition-pour-contre")
        if proposal.status != ProposalStatus.EN_DEBAT:
            raise Conflict(
                "scrutin.proposition-pas-en-debat", numero=proposal.number, statut=proposal.status
            )
        question = proposal.title
    options = parse_options(method, request.options)
    kind = method_of(method)
    if request.majorite is not None and not kind.accepts_majority:
        raise InvalidInput("scrutin.majorite-pour-contre")
    majority = request.majorite or "simple"
    if majority not in MAJORITIES:
        raise InvalidInput("scrutin.majorite-inconnue", majorite=majority)
    if request.irv and not kind.accepts_irv:
        raise InvalidInput("scrutin.irv-classement")
    max_choices = request.max_choix
    if max_choices is not None:
        if not kind.accepts_max_choices:
            raise InvalidInput("scrutin.max-choix-approbation")
        if not 1 <= max_choices <= len(options):
            raise InvalidInput("scrutin.max-choix-borne", max=len(options))
    quorum = 0 if request.quorum is None else request.quorum
    if not 0 <= quorum <= 100:
        raise InvalidInput("scrutin.quorum-borne")
    electorate = request.electorat or ballots.ELECTORATE_ELUS
    if electorate not in ELECTORATES:
        raise InvalidInput("scrutin.electorat-inconnu", electorat=electorate)
    visibility = request.resultats or VISIBILITY_AT_CLOSE
    if visibility not in VISIBILITIES:
        raise InvalidInput("scrutin.resultats-inconnu", resultats=visibility)
    field_id: int | None = None
    if request.domaine:
        if electorate != ballots.ELECTORATE_ELUS:
            raise InvalidInput("scrutin.domaine-elus")
        field = await fields.find_field(
            session, guild_id, request.domaine, unknown="scrutin.domaine-inconnu"
        )
        field_id = field.id
    # Without `domaine`, a proposal is decided by the whole network, whatever its field.
    closes_at = durations.parse_closing(request.duree, now, request.zone)
    poll = Poll(
        guild_id=guild_id,
        number=await numbering.next_number(session, col(Poll.number), col(Poll.guild_id), guild_id),
        question=question,
        proposal_id=proposal.id if proposal else None,
        method=method,
        options=options,
        irv=bool(request.irv),
        max_choices=max_choices,
        quorum_percent=quorum,
        majority=majority,
        secret=True if request.secret is None else request.secret,
        electorate=electorate,
        field_id=field_id,
        results_visibility=visibility,
        seed=secrets.token_hex(16),
        status=PollStatus.OPEN,
        opens_at=now,
        closes_at=closes_at,
        created_by=actor_id,
        created_at=now,
    )
    session.add(poll)
    await session.flush()
    poll.electorate_weight = await ballots.record_electorate(session, poll)
    if proposal is not None:
        await set_proposal_status(session, proposal, ProposalStatus.AU_VOTE, actor_id)
    audit_poll(
        session,
        poll,
        actor_id,
        "scrutin.ouvert",
        methode=method,
        secret=poll.secret,
        electorat=electorate,
        cloture=closes_at.isoformat(),
        proposition=proposal.number if proposal else None,
        electorat_poids=poll.electorate_weight,
    )
    return poll


async def set_message(
    session: AsyncSession, poll_id: int, channel_id: int, message_id: int
) -> None:
    await session.execute(
        update(Poll)
        .where(col(Poll.id) == poll_id)
        .values(channel_id=channel_id, message_id=message_id)
    )


async def discard(session: AsyncSession, poll_id: int) -> None:
    """Undo the opening of a poll whose message could not be posted (nobody could vote in it):
    the poll and its liste d'émargement go, its proposal is back in debate."""
    poll = await session.get(Poll, poll_id)
    if poll is None:
        return
    if poll.proposal_id is not None:
        await session.execute(
            update(Proposal)
            .where(
                col(Proposal.id) == poll.proposal_id,
                col(Proposal.status) == ProposalStatus.AU_VOTE,
            )
            .values(status=ProposalStatus.EN_DEBAT)
        )
    audit_poll(session, poll, None, "scrutin.annule")
    await session.delete(poll)
    await session.flush()


# ------------------------------------------------------------------ reading


async def get_by_number(session: AsyncSession, guild_id: int, number: int) -> Poll:
    if not in_int_range(number):
        raise NotFound("scrutin.inconnu", numero=number)
    result = await session.execute(
        select(Poll).where(col(Poll.guild_id) == guild_id, col(Poll.number) == number)
    )
    poll = result.scalar_one_or_none()
    if poll is None:
        raise NotFound("scrutin.inconnu", numero=number)
    return poll


async def poll_for(
    session: AsyncSession,
    actor: Actor,
    number: int,
    require: Callable[[Person], object],
    *,
    seen: bool = False,
) -> tuple[Person, Poll]:
    """What every command about one poll starts with: who acts, the check they must pass
    (e.g. `Person.require_bureau`), then the guild's poll n° `number`. With ``seen``, a poll
    this person may not see (:func:`visible_to`) is unknown to them, as in `/scrutin liste`."""
    person = await access.resolve(session, actor)
    require(person)
    poll = await get_by_number(session, actor.guild_id, number)
    if seen and not await visible_to(session, person, [poll]):
        raise NotFound("scrutin.inconnu", numero=number)
    return person, poll


async def visible_to(session: AsyncSession, person: Person, rows: Sequence[Poll]) -> list[Poll]:
    """The polls of ``rows`` this person may see, in their order: the rule of `/scrutin liste`,
    `/scrutin resultats` and every poll autocomplete. A poll open to the whole network is seen
    by all who may use those commands; a poll restricted to a field of action only by the
    bureau, the field's members, and whoever is on its liste d'émargement (they chose the
    field before it opened, and may have left the field since)."""
    if person.is_bureau:
        return list(rows)
    elu_id = person.elu.id if person.elu is not None else None
    own_fields = await fields.elu_field_ids(session, elu_id) if elu_id is not None else set()
    seen = []
    for poll in rows:
        if (
            poll.field_id is None
            or poll.field_id in own_fields
            or (
                elu_id is not None
                and poll.id is not None
                and await ballots.entry_cast_by(session, poll.id, elu_id) is not None
            )
        ):
            seen.append(poll)
    return seen


async def get(session: AsyncSession, poll_id: int) -> Poll:
    poll = await session.get(Poll, poll_id, populate_existing=True)
    if poll is None:
        raise NotFound("scrutin.inconnu", numero=poll_id)
    return poll


async def proposal_of(session: AsyncSession, poll: Poll) -> Proposal | None:
    """The proposal this poll decides, if any."""
    return await session.get(Proposal, poll.proposal_id) if poll.proposal_id is not None else None


async def field_of(session: AsyncSession, poll: Poll) -> FieldOfAction | None:
    """The field of action whose members vote, if the poll is restricted to one."""
    return await session.get(FieldOfAction, poll.field_id) if poll.field_id is not None else None


async def list_polls(
    session: AsyncSession, guild_id: int, *, status: str | None = None, limit: int = 50
) -> list[Poll]:
    query = select(Poll).where(col(Poll.guild_id) == guild_id)
    if status is not None:
        query = query.where(col(Poll.status) == status)
    result = await session.execute(query.order_by(col(Poll.number).desc()).limit(limit))
    return list(result.scalars())


def results_visible(poll: Poll, has_voted: bool) -> bool:
    """Whether someone may see (live) results now: everyone after closing; before, per `resultats`."""
    if poll.status == PollStatus.CLOSED:
        return True
    if poll.results_visibility == VISIBILITY_LIVE:
        return True
    if poll.results_visibility == VISIBILITY_AFTER_VOTE:
        return has_voted
    return False


async def compute_result(
    session: AsyncSession, poll: Poll, master_key: bytes
) -> tuple[Result, ballots.FinalBallots]:
    """Count the poll now: a closed poll from its published ballots, an open one (live results)
    by opening its sealed ballots in memory. The electorate is the one fixed at opening."""
    assert poll.id is not None
    if poll.status == PollStatus.CLOSED:
        final = await ballots.published_ballots(session, poll)
    else:
        final = await ballots.live_ballots(session, poll, master_key)
    return count(ballots.spec_of(poll, poll.electorate_weight), final.counted), final


async def decisions(
    session: AsyncSession, guild_id: int, search: str | None = None, limit: int = 25
) -> list[Poll]:
    """Closed polls that decided something (adopted, or an option chosen), newest first."""
    result = await session.execute(
        select(Poll)
        .where(
            col(Poll.guild_id) == guild_id,
            col(Poll.status) == PollStatus.CLOSED,
            col(Poll.outcome).in_(DECISION_OUTCOMES),
        )
        .order_by(col(Poll.closed_at).desc(), col(Poll.number).desc())
    )
    polls = list(result.scalars())
    if search:
        words = fold(search).split()
        polls = [
            p
            for p in polls
            if all(
                w in fold(" ".join([p.question, *p.options, *(p.result or {}).get("winners", [])]))
                for w in words
            )
        ]
    return polls[:limit]


# ------------------------------------------------------------------ closing


@dataclass
class Closed:
    """A poll this transaction closed, with its result and final ballots (read once)."""

    poll: Poll
    result: Result
    final: ballots.FinalBallots


async def close(
    session: AsyncSession,
    poll_id: int,
    *,
    master_key: bytes,
    now: datetime,
    actor_id: int | None,
    reason: str,
    only_if_due: bool = False,
) -> Closed | None:
    """Close the poll if (and only if) this transaction is the one that flips it; else None."""
    condition = [col(Poll.id) == poll_id, col(Poll.status) == PollStatus.OPEN]
    if only_if_due:
        condition.append(col(Poll.closes_at) <= now)
    flipped = await session.execute(
        update(Poll)
        .where(*condition)
        .values(status=PollStatus.CLOSED, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if flipped.rowcount != 1:  # type: ignore[attr-defined]
        return None
    poll = await get(session, poll_id)
    final = await ballots.seal_up(session, poll, master_key)
    result = count(ballots.spec_of(poll, poll.electorate_weight), final.counted)
    poll.result = result_to_json(result)
    poll.outcome = result.outcome
    session.add(poll)
    participants = await ballots.turnout(session, poll_id)
    audit_poll(
        session,
        poll,
        actor_id,
        "scrutin.clos",
        motif=reason,
        issue=result.outcome,
        votants=participants,
        electorat=poll.electorate_weight,
    )
    proposal = await proposal_of(session, poll)
    if proposal is not None:
        status = PROPOSAL_STATUS_BY_OUTCOME.get(result.outcome)
        if status is not None:
            await set_proposal_status(session, proposal, status, actor_id)
    await session.flush()
    return Closed(poll, result, final)


async def claim_announcement(session: AsyncSession, poll_id: int, now: datetime) -> bool:
    """True for the one caller that gets to publish this closed poll's result."""
    claimed = await session.execute(
        update(Poll)
        .where(
            col(Poll.id) == poll_id,
            col(Poll.status) == PollStatus.CLOSED,
            col(Poll.announced_at).is_(None),
        )
        .values(announced_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


async def release_announcement(session: AsyncSession, poll_id: int) -> None:
    """Give the announcement back (nothing could be published): the scheduler will retry."""
    await session.execute(
        update(Poll)
        .where(col(Poll.id) == poll_id)
        .values(announced_at=None)
        .execution_options(synchronize_session=False)
    )


def served(shards: Shards | None) -> ColumnElement[bool]:
    """Polls of the guilds this process serves (every poll when not sharded)."""
    return true() if shards is None else shards.where(col(Poll.guild_id))


async def due_for_closing(
    session: AsyncSession, now: datetime, shards: Shards | None = None
) -> list[int]:
    result = await session.execute(
        select(col(Poll.id))
        .where(col(Poll.status) == PollStatus.OPEN, col(Poll.closes_at) <= now, served(shards))
        .order_by(col(Poll.closes_at))
    )
    return [int(i) for i in result.scalars() if i is not None]


async def pending_announcements(session: AsyncSession, shards: Shards | None = None) -> list[int]:
    result = await session.execute(
        select(col(Poll.id))
        .where(
            col(Poll.status) == PollStatus.CLOSED,
            col(Poll.announced_at).is_(None),
            served(shards),
        )
        .order_by(col(Poll.closed_at))
    )
    return [int(i) for i in result.scalars() if i is not None]


def reminder_at(poll: Poll) -> datetime | None:
    """24 h before closing — only for polls open for longer than that, and not yet reminded."""
    at = poll.closes_at - REMINDER_BEFORE
    if poll.reminder_sent_at is not None or at <= poll.opens_at:
        return None
    return at


async def open_polls(
    session: AsyncSession, guild_id: int | None = None, shards: Shards | None = None
) -> list[Poll]:
    query = select(Poll).where(col(Poll.status) == PollStatus.OPEN, served(shards))
    if guild_id is not None:
        query = query.where(col(Poll.guild_id) == guild_id)
    # Polls closing at the same time are listed by number: without it PostgreSQL returns them in
    # whatever order it reads them, which an update (a vote's turnout) changes.
    result = await session.execute(query.order_by(col(Poll.closes_at), col(Poll.number)))
    return list(result.scalars())


async def due_for_reminder(
    session: AsyncSession, now: datetime, shards: Shards | None = None
) -> list[Poll]:
    result = await session.execute(
        select(Poll).where(
            col(Poll.status) == PollStatus.OPEN,
            col(Poll.reminder_sent_at).is_(None),
            col(Poll.closes_at) > now,
            served(shards),
        )
    )
    return [p for p in result.scalars() if (at := reminder_at(p)) is not None and at <= now]


async def next_wakeup(session: AsyncSession, shards: Shards | None = None) -> datetime | None:
    """The next time something is due: a closing or a reminder."""
    times: list[datetime] = []
    for poll in await open_polls(session, shards=shards):
        times.append(poll.closes_at)
        at = reminder_at(poll)
        if at is not None:
            times.append(at)
    return min(times) if times else None


def recount_command(poll: Poll, filename: str) -> str:
    """The `rtes-bot recount` command line that reproduces the published result from the CSV."""
    parts = ["rtes-bot recount", filename, f"--method {poll.method}"]
    if poll.irv:
        parts.append("--irv")
        parts.append(f"--seed {poll.seed}")
    if poll.quorum_percent:
        parts.append(f"--quorum {poll.quorum_percent}%")
    if method_of(poll.method).accepts_majority:
        parts.append(f"--majority {poll.majority}")
    if poll.electorate_weight is not None:
        parts.append(f"--electorate {poll.electorate_weight}")
    if poll.max_choices is not None:
        parts.append(f"--max-choices {poll.max_choices}")
    return " ".join(parts)
