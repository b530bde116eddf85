"""The assistant: a question in, a sourced answer out, for what the asker may see.

:func:`ask` resolves the person, reads what is known (:func:`knowledge`: the charter's versions,
the decisions, the proposals, the open polls, the members, collectivités and fields — built once
per change of any of them and kept in memory), lets the pure :mod:`rtes_bot.assistant` read the
question, and words the answer in the asker's language: the quoted passage first, then its source
and a link to the message where it lives. Contact details are read at answer time through
:func:`directory.visible_card`'s consent rule, for members and the bureau only, as `/annuaire`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot import charter_text
from rtes_bot.assistant import intents
from rtes_bot.assistant.tasks import BY_NAME as TASKS
from rtes_bot.catalog import language_of, t
from rtes_bot.models import (
    CharterVersion,
    Collectivite,
    ElectorateEntry,
    Elu,
    EluField,
    EluStatus,
    FieldOfAction,
    GuildSettings,
    Poll,
    PollStatus,
    Proposal,
    ProposalVersion,
    utcnow,
)
from rtes_bot.services import access, charter, directory, polls
from rtes_bot.services.access import Actor, Person
from rtes_bot.text import clip, fold, plain_block, plain_inline

if TYPE_CHECKING:
    # The understanding (``simplemma``'s dictionaries, ``bm25s`` with numpy and scipy) weighs
    # about 50 MB: it is imported on the first question (:func:`_build`, :func:`ask`), not
    # when the bot starts.
    from rtes_bot.assistant.knowledge import (
        CharterDoc,
        CharterPart,
        FieldRef,
        Knowledge,
        PersonRef,
        PlaceRef,
    )
    from rtes_bot.assistant.understanding import Reading

INTENTS = intents.INTENTS
MESSAGE_LIMIT = 2000
QUOTE_LIMIT = 1200
MAX_CONTACTS = 6
MAX_LISTED = 5


@dataclass(frozen=True)
class Choice:
    """One reading offered back when two are close (at most 3)."""

    label: str
    question: str


@dataclass(frozen=True)
class Answer:
    intent: str
    source: str | None
    language: str
    text: str
    link: str | None
    private: bool
    choices: tuple[Choice, ...] = ()


# --------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class _Decision:
    number: int
    question: str
    outcome: str
    winners: tuple[str, ...]
    closed_at: datetime | None
    link: str | None
    proposal: int | None
    field: str | None


@dataclass(frozen=True)
class _Proposal:
    number: int
    title: str
    text: str
    status: str
    field: str | None
    author: str
    link: str | None
    poll: int | None


@dataclass
class _Known:
    fingerprint: tuple[Any, ...]
    knowledge: Knowledge
    decisions: dict[int, _Decision]
    proposals: dict[int, _Proposal]
    people: dict[int, PersonRef]
    places: dict[int, PlaceRef]
    fields: dict[int, FieldRef]
    network_language: str


#: Networks kept in memory (one per database and guild; a bot serves one or a few).
CACHE_SIZE = 16
_CACHE: dict[tuple[str, int], _Known] = {}


def _link(guild_id: int, channel_id: int | None, message_id: int | None = None) -> str | None:
    if channel_id is None:
        return None
    if message_id is None:
        return f"https://discord.com/channels/{guild_id}/{channel_id}"
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


async def _fingerprint(session: AsyncSession, guild_id: int) -> tuple[Any, ...]:
    """What changes whenever anything the assistant knows changes (one round trip)."""

    def scalar(column: Any, *where: Any) -> Any:
        return select(column).where(*where).scalar_subquery()

    query = select(
        scalar(func.max(CharterVersion.version), col(CharterVersion.guild_id) == guild_id),
        scalar(func.count(col(Poll.id)), col(Poll.guild_id) == guild_id),
        scalar(func.max(col(Poll.id)), col(Poll.guild_id) == guild_id),
        scalar(
            func.count(col(Poll.id)),
            col(Poll.guild_id) == guild_id,
            col(Poll.status) == PollStatus.CLOSED,
        ),
        scalar(func.count(col(Poll.message_id)), col(Poll.guild_id) == guild_id),
        scalar(func.max(col(Proposal.updated_at)), col(Proposal.guild_id) == guild_id),
        scalar(func.count(col(Proposal.id)), col(Proposal.guild_id) == guild_id),
        scalar(func.count(col(Proposal.thread_id)), col(Proposal.guild_id) == guild_id),
        scalar(func.max(col(Elu.updated_at)), col(Elu.guild_id) == guild_id),
        scalar(func.count(col(Elu.id)), col(Elu.guild_id) == guild_id),
        scalar(func.max(col(Collectivite.updated_at)), col(Collectivite.guild_id) == guild_id),
        scalar(func.count(col(Collectivite.id)), col(Collectivite.guild_id) == guild_id),
        scalar(
            func.count(col(EluField.field_id)) + func.coalesce(func.sum(col(EluField.field_id)), 0),
            col(EluField.elu_id).in_(select(col(Elu.id)).where(col(Elu.guild_id) == guild_id)),
        ),
        scalar(GuildSettings.locale, col(GuildSettings.guild_id) == guild_id),
    )
    row = (await session.execute(query)).one()
    field_names = (
        await session.execute(
            select(col(FieldOfAction.id), col(FieldOfAction.name)).where(
                col(FieldOfAction.guild_id) == guild_id
            )
        )
    ).all()
    return (*tuple(row), tuple(sorted(tuple(r) for r in field_names)))


async def _build(session: AsyncSession, guild_id: int, fingerprint: tuple[Any, ...]) -> _Known:
    # Imported here, on the first question, rather than at start (see the top of the module).
    from rtes_bot.assistant import understanding
    from rtes_bot.assistant.knowledge import (
        Doc,
        FieldRef,
        Knowledge,
        PersonRef,
        PlaceRef,
        charter_doc,
    )

    # The charter: every stored version (the packaged text as version 1 when none is).
    stored = (
        await session.execute(
            select(CharterVersion)
            .where(col(CharterVersion.guild_id) == guild_id)
            .order_by(col(CharterVersion.version))
        )
    ).scalars()
    charters: dict[int, CharterDoc] = {
        row.version: charter_doc(row.version, charter_text.parts(row.text)) for row in stored
    }
    if not charters:
        current = await charter.peek_current(session, guild_id)
        charters[current.version] = charter_doc(current.version, charter_text.parts(current.text))
    field_rows = (
        await session.execute(select(FieldOfAction).where(col(FieldOfAction.guild_id) == guild_id))
    ).scalars()
    all_fields = {f.id or 0: f for f in field_rows}
    active_fields = {
        i: FieldRef(i, f.slug, f.name) for i, f in all_fields.items() if f.retired_at is None
    }
    names = {
        elu.id: elu.full_name
        for elu in (
            await session.execute(select(Elu).where(col(Elu.guild_id) == guild_id))
        ).scalars()
    }
    chosen: dict[int, list[int]] = {}
    for elu_id, field_id in (
        await session.execute(
            select(col(EluField.elu_id), col(EluField.field_id))
            .join(Elu, col(Elu.id) == col(EluField.elu_id))
            .where(col(Elu.guild_id) == guild_id, col(Elu.status) == EluStatus.ACTIVE)
        )
    ).all():
        if field_id in active_fields:
            chosen.setdefault(elu_id, []).append(field_id)
    people = {
        elu_id: PersonRef(
            elu_id or 0,
            name,
            collectivite_id,
            is_referent and status == EluStatus.ACTIVE,
            tuple(chosen.get(elu_id or 0, ())),
            active=status == EluStatus.ACTIVE,
            mandate=mandate or "",
        )
        for elu_id, name, collectivite_id, is_referent, status, mandate in (
            await session.execute(
                select(
                    col(Elu.id),
                    col(Elu.full_name),
                    col(Elu.collectivite_id),
                    col(Elu.is_referent),
                    col(Elu.status),
                    col(Elu.mandate),
                ).where(col(Elu.guild_id) == guild_id)
            )
        ).all()
        if name
    }
    places = {
        c.id or 0: PlaceRef(c.id or 0, c.name, c.departement, c.code)
        for c in (
            await session.execute(
                select(Collectivite).where(col(Collectivite.guild_id) == guild_id)
            )
        ).scalars()
    }
    # Proposals with their current text.
    proposal_rows = (
        await session.execute(
            select(Proposal, col(ProposalVersion.text))
            .outerjoin(
                ProposalVersion,
                (col(ProposalVersion.proposal_id) == col(Proposal.id))
                & (col(ProposalVersion.version) == col(Proposal.current_version)),
            )
            .where(col(Proposal.guild_id) == guild_id)
        )
    ).all()
    poll_rows = list(
        (await session.execute(select(Poll).where(col(Poll.guild_id) == guild_id))).scalars()
    )
    poll_of_proposal: dict[int, int] = {}
    for poll in sorted(poll_rows, key=lambda p: p.number):
        if poll.proposal_id is not None:
            poll_of_proposal[poll.proposal_id] = poll.number
    proposals: dict[int, _Proposal] = {}
    proposal_by_id: dict[int, Proposal] = {}
    for proposal, text in proposal_rows:
        proposal_by_id[proposal.id or 0] = proposal
        field_row = all_fields.get(proposal.field_id or -1)
        proposals[proposal.number] = _Proposal(
            number=proposal.number,
            title=proposal.title,
            text=text or "",
            status=proposal.status,
            field=field_row.name if field_row is not None else None,
            author=names.get(proposal.author_elu_id, "") if proposal.author_elu_id else "",
            link=_link(guild_id, proposal.thread_id),
            poll=poll_of_proposal.get(proposal.id or 0),
        )
    decisions: dict[int, _Decision] = {}
    open_numbers: set[int] = set()
    for poll in poll_rows:
        if poll.status == PollStatus.OPEN:
            open_numbers.add(poll.number)
            continue
        if poll.status != PollStatus.CLOSED:
            continue
        data: dict[str, Any] = poll.result or {}
        linked = proposal_by_id.get(poll.proposal_id or -1)
        field_row = all_fields.get(poll.field_id or (linked.field_id if linked else None) or -1)
        decisions[poll.number] = _Decision(
            number=poll.number,
            question=poll.question,
            outcome=poll.outcome or data.get("outcome") or "aucun",
            winners=tuple(data.get("winners") or ()),
            closed_at=poll.closed_at,
            link=_link(guild_id, poll.channel_id, poll.message_id) if poll.message_id else None,
            proposal=linked.number if linked is not None else None,
            field=field_row.name if field_row is not None else None,
        )
    decision_docs = [
        Doc(
            f"decision:{d.number}",
            d.question,
            " ".join(
                [
                    *d.winners,
                    proposals[d.proposal].title if d.proposal in proposals else "",
                    proposals[d.proposal].text if d.proposal in proposals else "",
                    d.field or "",
                ]
            ),
            number=d.number,
        )
        for d in decisions.values()
    ]
    proposal_docs = [
        Doc(
            f"proposal:{p.number}",
            p.title,
            f"{p.text} {p.field or ''} {p.author}",
            number=p.number,
        )
        for p in proposals.values()
    ]
    open_docs = [
        Doc(
            f"poll:{poll.number}",
            poll.question,
            " ".join(
                [
                    *poll.options,
                    proposal_by_id[poll.proposal_id].title
                    if poll.proposal_id in proposal_by_id
                    else "",
                ]
            ),
            number=poll.number,
        )
        for poll in poll_rows
        if poll.status == PollStatus.OPEN
    ]
    knowledge = Knowledge(
        charters=charters,
        current=max(charters),
        decisions=decision_docs,
        proposals=proposal_docs,
        open_polls=open_docs,
        poll_numbers=frozenset(p.number for p in poll_rows),
        open_poll_numbers=frozenset(open_numbers),
        people=list(people.values()),
        places=list(places.values()),
        fields=list(active_fields.values()),
        extra_vocabulary=understanding.CUE_WORDS,
    )
    locale = fingerprint[-2] or "fr"
    return _Known(
        fingerprint=fingerprint,
        knowledge=knowledge,
        decisions=decisions,
        proposals=proposals,
        people={p.elu_id: p for p in people.values()},
        places=places,
        fields=active_fields,
        network_language=language_of(locale),
    )


async def _known(session: AsyncSession, guild_id: int) -> _Known:
    """The network's knowledge, rebuilt only when something it holds changed."""
    cache_key = (str(getattr(session.get_bind(), "url", "")), guild_id)
    fingerprint = await _fingerprint(session, guild_id)
    cached = _CACHE.get(cache_key)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    built = await _build(session, guild_id, fingerprint)
    if len(_CACHE) >= CACHE_SIZE and cache_key not in _CACHE:
        _CACHE.pop(next(iter(_CACHE)))  # the oldest network built
    _CACHE[cache_key] = built
    return built


async def knowledge(session: AsyncSession, guild_id: int) -> Knowledge:
    return (await _known(session, guild_id)).knowledge


# --------------------------------------------------------------------------- asking


async def ask(
    session: AsyncSession,
    actor: Actor,
    question: str,
    *,
    locale: str | None = None,
    now: datetime | None = None,
) -> Answer:
    """The answer to ``question`` asked by ``actor`` (a DM, a mention or `/question`)."""
    person = await access.resolve(session, actor)
    known = await _known(session, actor.guild_id)
    hidden = await _hidden_polls(session, person, known)
    from rtes_bot.assistant import understanding  # loaded by _known's first build

    if not known.knowledge.meaning_ready:
        # The sentence encoder's first load (seconds), or a rebuilt network's passages — the
        # charter's, the decisions' and proposals' titles (cached by text, but a thousand
        # decisions are a second to encode the first time): off the event loop.
        await asyncio.to_thread(known.knowledge.prepare_meaning)

    understood = understanding.understand(question, known.knowledge, hidden_polls=hidden)
    lang = language_of(locale) if locale else understood.language or known.network_language
    close = understood.close
    if len(close) > 1:
        return _ask_back(close, known, lang)
    reading = understood.best
    context = _Context(session, person, known, lang, now or utcnow())
    return await context.answer(reading)


async def _hidden_polls(session: AsyncSession, person: Person, known: _Known) -> frozenset[int]:
    """The open polls this person may not see (as `/scrutin liste`: members and the bureau,
    `polls.visible_to` for field-restricted ones)."""
    numbers = known.knowledge.open_poll_numbers
    if person.is_bureau or not numbers:
        return frozenset()
    if not person.is_member:
        return frozenset(numbers)  # only members see polls (`/scrutin liste`)
    rows = await polls.open_polls(session, person.actor.guild_id)
    seen = {p.number for p in await polls.visible_to(session, person, rows)}
    return frozenset(n for n in numbers if n not in seen)


def _ask_back(close: tuple[Reading, ...], known: _Known, lang: str) -> Answer:
    choices = tuple(
        Choice(clip(label, 80), question)
        for reading in close
        for label, question in [_choice(reading, known, lang)]
    )
    return Answer(
        intent=close[0].intent,
        source=None,
        language=lang,
        text=t("assistant.preciser", lang),
        link=None,
        private=False,
        choices=choices,
    )


def _choice(reading: Reading, known: _Known, lang: str) -> tuple[str, str]:
    """A button's label and the unambiguous question it re-asks."""
    source = reading.source or ""
    kind = source.partition(":")[0]
    if reading.intent in ("charter", "article"):
        version = reading.version or known.knowledge.current
        if reading.part is not None:
            if reading.part.article is not None:
                q = t("assistant.q.article", lang, numero=reading.part.article, version=version)
            else:
                q = t("assistant.q.partie", lang, titre=reading.part.title, version=version)
            return reading.part.title, q
        q = t("assistant.q.charte", lang, version=version)
        return q, q
    if kind == "decision" and reading.number is not None:
        q = t("assistant.q.decision-numero", lang, numero=reading.number)
        return q, q
    if kind == "proposal" and reading.number is not None:
        q = t("assistant.q.proposition", lang, numero=reading.number)
        return q, q
    if kind == "poll" and reading.number is not None:
        q = t("assistant.q.scrutin", lang, numero=reading.number)
        return q, q
    if kind == "member" and reading.elu_ids:
        person = known.people.get(reading.elu_ids[0])
        q = t("assistant.q.membre", lang, nom=person.name if person else "")
        return q, q
    if kind == "collectivite" and reading.collectivite_id in known.places:
        place = known.places[reading.collectivite_id]
        q = t("assistant.q.collectivite", lang, nom=place.name)
        return q, q
    if kind == "departement" and reading.departement:
        q = t("assistant.q.departement", lang, nom=reading.departement)
        return q, q
    if kind == "field" and reading.field_id in known.fields:
        q = t("assistant.q.domaine", lang, nom=known.fields[reading.field_id].name)
        return q, q
    if kind == "howto" and reading.task:
        q = t("assistant.q.tache", lang, tache=t(f"aide.tache.{reading.task}.titre", lang))
        return t(f"aide.tache.{reading.task}.titre", lang), q
    q = t(f"assistant.q.{reading.intent}", lang)
    return q, q


@dataclass
class _Context:
    session: AsyncSession
    person: Person
    known: _Known
    lang: str
    now: datetime

    @property
    def member(self) -> bool:
        return self.person.is_member or self.person.is_bureau

    def reply(
        self,
        reading: Reading,
        text: str,
        *,
        source: str | None = None,
        link: str | None = None,
        private: bool = False,
        intent: str | None = None,
    ) -> Answer:
        return Answer(
            intent=intent or reading.intent,
            source=source if source is not None else reading.source,
            language=self.lang,
            text=clip(text, MESSAGE_LIMIT),
            link=link,
            private=private,
        )

    def members_only(self) -> str:
        key = "assistant.reserve.en-attente" if self.person.is_pending else "assistant.reserve"
        return t(key, self.lang)

    async def answer(self, reading: Reading) -> Answer:
        intent = reading.intent
        if intent in ("charter", "article"):
            return self.charter(reading)
        if intent == "about":
            return self.about(reading)
        if intent == "howto":
            return await self.howto(reading)
        if intent == "social":
            key = {"thanks": "assistant.merci", "bye": "assistant.au-revoir"}.get(
                reading.detail, "assistant.bonjour"
            )
            return self.reply(reading, t(key, self.lang), source=None)
        if intent == "decision":
            return self.decision(reading)
        if intent == "proposal":
            return self.proposal(reading)
        if intent == "poll":
            return await self.polls(reading)
        if intent == "contact":
            return await self.contact(reading)
        return self.reply(reading, t("assistant.hors-sujet", self.lang), source=None)

    # ------------------------------------------------------------------ the charter

    def _source_line(self, part: CharterPart | None, version: int) -> str:
        if part is None:
            return t("assistant.source.charte", self.lang, version=version)
        if not part.is_charter:
            return t("assistant.source.contexte", self.lang, version=version, partie=part.title)
        return t("assistant.source.partie", self.lang, version=version, partie=part.title)

    def charter(self, reading: Reading) -> Answer:
        version = reading.version or self.known.knowledge.current
        doc = self.known.knowledge.charters[version]
        if reading.detail == "missing-article":
            text = t(
                "assistant.charte.article-inconnu",
                self.lang,
                numero=reading.number,
                version=version,
                articles=", ".join(str(p.article) for p in doc.parts if p.article) or "—",
            )
            return self.reply(reading, text)
        if reading.part is not None and not reading.hits:
            quote = _quote("\n".join(reading.part.paragraphs), QUOTE_LIMIT)
            text = f"{quote}\n— {self._source_line(reading.part, version)}"
            if reading.detail == "closest":
                lead = t("assistant.charte.proche", self.lang, sujet=reading.subject)
                text = lead + "\n" + text
            return self.reply(reading, text + "\n" + t("assistant.charte.lire", self.lang))
        if reading.hits:
            quotes = []
            seen_parts: list[CharterPart] = []
            for hit in reading.hits[:3]:
                quotes.append(_quote(hit.doc.text, 500))
                if hit.doc.part is not None and hit.doc.part not in seen_parts:
                    seen_parts.append(hit.doc.part)
            sources = "; ".join(self._source_line(p, version) for p in seen_parts)
            text = "\n".join(quotes) + f"\n— {sources}\n" + t("assistant.charte.lire", self.lang)
            if reading.detail == "closest":
                lead = t("assistant.charte.proche", self.lang, sujet=reading.subject)
                text = lead + "\n" + text
            return self.reply(reading, text)
        if reading.detail == "nothing-found":
            text = t("assistant.charte.rien", self.lang, sujet=reading.subject, version=version)
            return self.reply(reading, text)
        body = "\n".join(
            f"**{part.title}**\n" + "\n".join(part.paragraphs)
            for part in doc.parts
            if part.is_charter
        )
        text = (
            _quote(body, 1500)
            + f"\n— {self._source_line(None, version)}\n"
            + t("assistant.charte.lire", self.lang)
        )
        return self.reply(reading, text)

    def about(self, reading: Reading) -> Answer:
        doc = self.known.knowledge.charter
        context = doc.context or doc.parts[:1]
        body = "\n".join(p for part in context for p in part.paragraphs)
        text = (
            _quote(body, QUOTE_LIMIT)
            + "\n— "
            + t("assistant.source.presentation", self.lang, version=doc.version)
            + "\n"
            + t("assistant.about.suite", self.lang)
        )
        return self.reply(reading, text)

    # ------------------------------------------------------------------ how to

    async def howto(self, reading: Reading) -> Answer:
        if reading.task is None:
            return self.reply(reading, t("assistant.capacites", self.lang), source=None)
        task = TASKS[reading.task]
        text = t(f"aide.tache.{task.name}", self.lang)
        if not self.person.may_use(task.command):
            note = "assistant.tache.bureau" if task.bureau else "assistant.tache.membres"
            text += "\n" + t(note, self.lang)
        elif task.name in ("voter", "changer-vote") and self.person.is_member:
            listing = await self._open_polls_lines()
            if listing:
                text += "\n\n" + listing
        return self.reply(reading, text)

    # ------------------------------------------------------------------ decisions, proposals

    def _decision_line(self, decision: _Decision) -> str:
        shown = " = ".join(plain_inline(w) for w in decision.winners)
        outcome = t(f"counting.outcome.{decision.outcome}", self.lang, winners=shown)
        return t(
            "assistant.decision.ligne",
            self.lang,
            numero=decision.number,
            question=plain_inline(clip(decision.question, 200)),
            issue=outcome,
            date=f"<t:{int(decision.closed_at.timestamp())}:D>" if decision.closed_at else "—",
        )

    def decision(self, reading: Reading) -> Answer:
        if not self.member:
            return self.reply(reading, self.members_only())
        decisions = self.known.decisions
        if reading.number is not None:
            decision = decisions.get(reading.number)
            if decision is None:
                return self.reply(
                    reading, t("assistant.decision.inconnue", self.lang, numero=reading.number)
                )
            decided = self.known.proposals.get(decision.proposal or -1)
            # The text decided on first (the proposal's), else the question put to the vote.
            quoted = f"**{decided.title}**\n{decided.text}" if decided else decision.question
            lines = [_quote(quoted, 600), "— " + self._decision_line(decision)]
            if reading.detail == "closest":
                lines.insert(0, t("assistant.decision.proche", self.lang))
            if decision.proposal is not None:
                lines.append(
                    t("assistant.decision.proposition", self.lang, numero=decision.proposal)
                )
            if decision.link:
                lines.append(decision.link)
            others = [
                decisions[h.doc.number]
                for h in reading.hits[1:3]
                if h.doc.number in decisions and h.coverage >= 0.5
            ]
            if others:
                lines.append(t("assistant.aussi", self.lang))
                lines.extend("• " + self._decision_line(d) for d in others)
            return self.reply(reading, "\n".join(lines), link=decision.link)
        recent = sorted(
            decisions.values(),
            key=lambda d: (d.closed_at or self.now, d.number),
            reverse=True,
        )[:MAX_LISTED]
        if not recent:
            return self.reply(reading, t("assistant.decision.aucune", self.lang))
        lines = [t("assistant.decision.recentes", self.lang, nombre=len(decisions))]
        lines.extend("• " + self._decision_line(d) for d in recent)
        lines.append(t("assistant.decision.plus", self.lang))
        return self.reply(reading, "\n".join(lines))

    def proposal(self, reading: Reading) -> Answer:
        if not self.member:
            return self.reply(reading, self.members_only())
        proposals = self.known.proposals
        if reading.number is not None:
            proposal = proposals.get(reading.number)
            if proposal is None:
                return self.reply(
                    reading, t("assistant.proposition.inconnue", self.lang, numero=reading.number)
                )
            status = t(f"proposition.statut.{proposal.status}", self.lang)
            lines = [
                _quote(f"**{proposal.title}**\n{proposal.text}", 700),
                "— "
                + t(
                    "assistant.proposition.source",
                    self.lang,
                    numero=proposal.number,
                    statut=status,
                    domaine=plain_inline(proposal.field or "—"),
                    auteur=plain_inline(proposal.author) or t("assistant.auteur-parti", self.lang),
                ),
            ]
            if proposal.poll is not None and proposal.poll in self.known.decisions:
                lines.append("🗳️ " + self._decision_line(self.known.decisions[proposal.poll]))
            elif proposal.poll is not None:
                lines.append(t("assistant.proposition.au-vote", self.lang, numero=proposal.poll))
            if proposal.link:
                lines.append(proposal.link)
            if reading.detail == "closest":
                lines.insert(0, t("assistant.proposition.proche", self.lang))
            return self.reply(reading, "\n".join(lines), link=proposal.link)
        listed = sorted(proposals.values(), key=lambda p: -p.number)[:MAX_LISTED]
        if not listed:
            return self.reply(reading, t("assistant.proposition.aucune", self.lang))
        lines = [t("assistant.proposition.liste", self.lang, nombre=len(proposals))]
        for proposal in listed:
            status = t(f"proposition.statut.{proposal.status}", self.lang)
            lines.append(
                f"• n°{proposal.number} — {plain_inline(clip(proposal.title, 100))} ({status})"
            )
        return self.reply(reading, "\n".join(lines))

    # ------------------------------------------------------------------ polls

    async def _open_polls_lines(self, number: int | None = None) -> str:
        rows = await polls.open_polls(self.session, self.person.actor.guild_id)
        rows = await polls.visible_to(self.session, self.person, rows)
        if number is not None:
            rows = [p for p in rows if p.number == number]
        if not rows:
            return ""
        entries: dict[int, ElectorateEntry] = {}
        if self.person.elu is not None and self.person.elu.id is not None:
            found = await self.session.execute(
                select(ElectorateEntry).where(
                    col(ElectorateEntry.elu_id) == self.person.elu.id,
                    col(ElectorateEntry.poll_id).in_([p.id for p in rows]),
                )
            )
            entries = {e.poll_id: e for e in found.scalars()}
        lines = [t("assistant.scrutins.titre", self.lang, nombre=len(rows))]
        for poll in rows[:8]:
            entry = entries.get(poll.id or 0)
            if entry is None or entry.struck:
                state = t("assistant.scrutins.non-inscrit", self.lang)
            elif entry.voted:
                state = t("assistant.scrutins.a-vote", self.lang)
            else:
                state = t("assistant.scrutins.a-voter", self.lang)
            link = _link(poll.guild_id, poll.channel_id, poll.message_id) if poll.message_id else ""
            lines.append(
                t(
                    "assistant.scrutins.ligne",
                    self.lang,
                    numero=poll.number,
                    question=plain_inline(clip(poll.question, 150)),
                    cloture=f"<t:{int(poll.closes_at.timestamp())}:R>",
                    etat=state,
                    lien=link or "",
                ).rstrip()
            )
        return "\n".join(lines)

    async def polls(self, reading: Reading) -> Answer:
        if not self.member:
            count = len(self.known.knowledge.open_poll_numbers)
            return self.reply(reading, t("assistant.scrutins.visiteur", self.lang, nombre=count))
        listing = await self._open_polls_lines(reading.number)
        if not listing:
            key = "assistant.scrutins.aucun"
            return self.reply(reading, t(key, self.lang))
        link = None
        if reading.number is not None:
            poll = await polls.get_by_number(
                self.session, self.person.actor.guild_id, reading.number
            )
            link = (
                _link(poll.guild_id, poll.channel_id, poll.message_id) if poll.message_id else None
            )
        return self.reply(
            reading, listing + "\n" + t("assistant.scrutins.voter", self.lang), link=link
        )

    # ------------------------------------------------------------------ contacts

    async def contact(self, reading: Reading) -> Answer:
        if not self.member:
            return self.reply(reading, self.members_only())
        if reading.detail == "own-referent":
            found = self._own_referent(reading)
            if found is None:
                return self.reply(reading, t("assistant.contact.sans-referent", self.lang))
            reading = found
        if reading.source is None:
            return self.reply(reading, t("assistant.contact.preciser", self.lang))
        guild_id = self.person.actor.guild_id
        ids = self._wanted(reading)
        entries = await directory.active_entries(self.session, guild_id, elu_ids=ids[:MAX_CONTACTS])
        target = self._target_name(reading)
        if not entries:
            return self.reply(reading, t("assistant.contact.aucun", self.lang, cible=target))
        own = self.person.elu.id if self.person.elu is not None else None
        title_key = (
            "assistant.contact.referent"
            if reading.referent and reading.elu_ids
            else ("assistant.contact.titre")
        )
        lines = [t(title_key, self.lang, cible=target, nombre=len(ids)), ""]
        for entry in entries[:MAX_CONTACTS]:
            card = entry.card(viewer_is_self=entry.elu.id == own)
            lines.append(directory.render_card(card, self.lang, compact=True))
            lines.append("")
        if len(ids) > MAX_CONTACTS:
            lines.append(t("assistant.contact.suite", self.lang, reste=len(ids) - MAX_CONTACTS))
        lines.append(t("assistant.contact.consentement", self.lang))
        return self.reply(reading, "\n".join(lines), private=True)

    def _own_referent(self, reading: Reading) -> Reading | None:
        """« qui est mon référent ? »: the référent of the asker's collectivité, if any."""
        elu = self.person.elu
        place = elu.collectivite_id if elu is not None else None
        if place is None:
            return None
        referents = [
            p.elu_id
            for p in self.known.people.values()
            if p.is_referent and p.active and p.collectivite_id == place
        ]
        if not referents:
            return None
        return dataclasses.replace(
            reading,
            source=f"member:{referents[0]}",
            elu_ids=tuple(referents),
            collectivite_id=place,
            detail="",
        )

    def _wanted(self, reading: Reading) -> list[int]:
        """The active members the reading names, sorted by name as the directory lists them
        (from memory: only the cards shown are read from the database)."""
        if reading.elu_ids:
            return list(reading.elu_ids)
        people = sorted(
            (p for p in self.known.people.values() if p.active), key=lambda p: (p.name, p.elu_id)
        )
        if reading.collectivite_id is not None:
            return [p.elu_id for p in people if p.collectivite_id == reading.collectivite_id]
        if reading.departement is not None:
            wanted = fold(reading.departement)
            places = {
                i
                for i, place in self.known.places.items()
                if place.departement and fold(place.departement) == wanted
            }
            return [p.elu_id for p in people if p.collectivite_id in places]
        if reading.field_id is not None:
            return [p.elu_id for p in people if reading.field_id in p.field_ids]
        return []

    def _target_name(self, reading: Reading) -> str:
        if reading.collectivite_id is not None and reading.collectivite_id in self.known.places:
            return plain_inline(self.known.places[reading.collectivite_id].name)
        if reading.elu_ids:
            names = [self.known.people[i].name for i in reading.elu_ids if i in self.known.people]
            return plain_inline(", ".join(names))
        if reading.departement:
            return plain_inline(reading.departement)
        if reading.field_id is not None and reading.field_id in self.known.fields:
            return plain_inline(self.known.fields[reading.field_id].name)
        return ""


def _quote(text: str, limit: int) -> str:
    """A passage as a Discord quote (every line), members' text inert, clipped."""
    body = plain_block(clip(text.strip(), limit))
    return "\n".join("> " + line if line.strip() else ">" for line in body.splitlines())
