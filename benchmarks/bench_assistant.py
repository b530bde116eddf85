"""The assistant's evaluation: accuracy, consent and latency on a seeded network.

    uv run python -m benchmarks.bench_assistant [--quick] [--questions FILE] [--database-url URL]
    uv run python -m benchmarks.bench_assistant --describe            # the network, in Markdown
    uv run python -m benchmarks.bench_assistant --check --questions FILE   # asks nothing

Seeds the evaluation network (`tests/support/assistant_network.seed_network`: 30 members,
20 decisions, 5 open polls) and asks every question of `benchmarks/data/assistant_questions.toml`
through `rtes_bot.services.assistant.ask`, as the question's asker (member, visitor, pending
member, bureau) with its Discord locale. Prints:

- accuracy per intent and per language: an answer is right when its intent and its source are
  the expected ones; an ask-back (choices) is right only when one of its choices, asked again,
  gives the expected reading — reported apart;
- every failure (question, expected, got);
- answers in another language than the asker's (their Discord locale, else the question's);
- contact fields shown without consent: every answer's text (and every ask-back's re-asked
  answers) is scanned for every seeded person's email and phone (in any usual spelling), each one
  found must be one `/annuaire` would show that asker (target: 0);
- open polls shown to someone `/scrutin liste` would not show them to (a poll restricted to a
  field, outside it; any poll, to visitors and pending members), by question or number
  (target: 0);
- the latency per question (p50, p99, max) on that network and on a network of 1,000 members
  and 500 decisions (not with ``--quick``), after one warm-up question.

Targets: ≥ 95 % right, 0 contact shown without consent, p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import re
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import machine, percentile
from rtes_bot.assistant import meaning
from rtes_bot.charter_text import parts

QUESTIONS = Path(__file__).resolve().parent / "data" / "assistant_questions.toml"
#: The contract's intents (`rtes_bot.services.assistant.INTENTS` must agree).
INTENTS = (
    "charter", "article", "decision", "proposal", "poll", "contact", "howto", "about", "social",
    "out_of_scope",
)  # fmt: skip
NO_SOURCE = ("social", "out_of_scope")
ASKERS = ("member", "visitor", "pending", "bureau")
HOWTO_TASKS = (
    "adherer", "signer", "domaines", "proposer", "amender", "soutenir", "voter", "changer-vote",
    "procuration", "donnees", "effacer", "annuaire", "charte", "ouvrir-scrutin", "cloturer",
    "valider", "installer", "importer-collectivites", "publier-charte", "referent",
    "domaines-admin",
)  # fmt: skip
SOURCE = re.compile(
    r"^(?:charter:v\d+(?::(?:part|article):\d+)?|decision:(?:\d+|list)|proposal:(?:\d+|list)"
    r"|poll:(?:\d+|open)|member:(?:@.+|\d+)|collectivite:(?:@.+|\d+)|departement:.+"
    r"|field:(?:@[a-z-]+|\d+)|howto:[a-z-]+|about)$"
)
GUILD_SMALL = 7_100_000_001
GUILD_LARGE = 7_100_000_002
NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
TARGET_ACCURACY = 0.95
TARGET_P99_MS = 50.0

Ask = Callable[..., Awaitable[Any]]


# --------------------------------------------------------------------------- the question set


@dataclass(frozen=True)
class Question:
    index: int
    text: str
    language: str
    intent: str
    source: str | None
    asker: str = "member"
    locale: str | None = None
    note: str | None = None
    also: tuple[str | None, ...] = ()

    @property
    def answer_language(self) -> str:
        """The language the answer must be in: the Discord locale's when known, else the
        question's."""
        if self.locale:
            return "en" if self.locale.startswith("en") else "fr"
        return self.language


def origin_of(path: Path) -> str:
    """A set's name, as the examples record it: ``assistant_questions_fresh3.toml`` →
    ``fresh3``; the main set → ``main``."""
    stem = path.stem.removeprefix("assistant_questions")
    return stem.removeprefix("_") or "main"


class InvalidQuestions(ValueError):
    pass


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    """Read and check the question set (fields, intents, source syntax); raises
    :class:`InvalidQuestions` listing every problem."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    questions: list[Question] = []
    allowed = {"text", "language", "intent", "source", "asker", "locale", "note", "also"}
    for index, entry in enumerate(data.get("question", []), 1):
        where = f"question {index} ({entry.get('text', '?')!r})"
        extra = set(entry) - allowed
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        text, language, intent = entry.get("text"), entry.get("language"), entry.get("intent")
        source = entry.get("source")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: no text")
        if language not in ("fr", "en"):
            problems.append(f"{where}: language must be fr or en")
        if intent not in INTENTS:
            problems.append(f"{where}: unknown intent {intent!r}")
        if intent in NO_SOURCE:
            if source is not None:
                problems.append(f"{where}: {intent} has no source")
        elif not isinstance(source, str) or not SOURCE.match(source):
            problems.append(f"{where}: bad source {source!r}")
        elif source.startswith("howto:") and source.split(":", 1)[1] not in HOWTO_TASKS:
            problems.append(f"{where}: unknown task {source!r}")
        also = entry.get("also", [])
        if not isinstance(also, list) or any(
            not isinstance(a, str) or (a and not SOURCE.match(a)) for a in also
        ):
            problems.append(f"{where}: bad also {also!r}")
        asker = entry.get("asker", "member")
        if asker not in ASKERS:
            problems.append(f"{where}: unknown asker {asker!r}")
        questions.append(
            Question(
                index=index,
                text=str(text),
                language=str(language),
                intent=str(intent),
                source=source,
                asker=str(asker),
                locale=entry.get("locale"),
                note=entry.get("note"),
                also=tuple(a or None for a in also) if isinstance(also, list) else (),
            )
        )
    if problems:
        raise InvalidQuestions("\n".join(problems))
    return questions


# --------------------------------------------------------------------------- sources


@dataclass
class Sources:
    """Resolves the question set's sources against a seeded network, and reads every source
    (expected or answered) in one canonical form (an article is the part that holds it)."""

    network: Any
    charter_texts: dict[int, str]
    _articles: dict[tuple[int, int], int] = field(default_factory=dict)
    _parts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for version, text in self.charter_texts.items():
            found = parts(text)
            self._parts[version] = len(found)
            for position, part in enumerate(found, 1):
                match = re.match(r"^\s*article\s+(\d+)\b", part.title, re.IGNORECASE)
                if match:
                    self._articles[(version, int(match.group(1)))] = position

    def resolve(self, source: str | None) -> str | None:
        """The question set's form (``member:@Anne Dupont``) as ids; raises KeyError when it
        names something the network does not hold."""
        if source is None:
            return None
        kind, _, rest = source.partition(":")
        if kind == "member" and rest.startswith("@"):
            return f"member:{self.network.members[rest[1:]]}"
        if kind == "collectivite" and rest.startswith("@"):
            return f"collectivite:{self.network.collectivites[rest[1:]]}"
        if kind == "field" and rest.startswith("@"):
            return f"field:{self.network.fields[rest[1:]]}"
        if kind == "departement":
            if rest not in self.network.departements:
                raise KeyError(f"no collectivité in the département {rest}")
        elif rest == "list" and kind in ("decision", "proposal"):
            pass
        elif kind == "decision":
            if self.network.polls[int(rest)].status != "closed":
                raise KeyError(f"poll {rest} is not closed")
        elif kind == "poll" and rest != "open":
            if self.network.polls[int(rest)].status != "open":
                raise KeyError(f"poll {rest} is not open")
        elif kind == "proposal":
            if int(rest) not in self.network.proposals:
                raise KeyError(f"no proposal {rest}")
        elif kind == "charter":
            self.canonical(source, strict=True)
        return source

    def canonical(self, source: str | None, *, strict: bool = False) -> str | None:
        if source is None or not source.startswith("charter:"):
            return source
        match = re.fullmatch(r"charter:v(\d+)(?::(part|article):(\d+))?", source)
        if match is None:
            return source
        version = int(match.group(1))
        if strict and version not in self.charter_texts:
            raise KeyError(f"no charter version {version}")
        if match.group(2) == "article":
            position = self._articles.get((version, int(match.group(3))))
            if position is None:
                if strict:
                    raise KeyError(f"no article {match.group(3)} in version {version}")
                return source
            return f"charter:v{version}:part:{position}"
        if strict and match.group(2) == "part" and int(match.group(3)) > self._parts[version]:
            raise KeyError(f"no part {match.group(3)} in version {version}")
        return source


def intents_of(source: str | None, default: str) -> tuple[str, ...]:
    """The intents an answer with this source may have."""
    if source is None:
        return (default,)
    kind = source.split(":", 1)[0]
    return {
        "charter": ("charter", "article"),
        "member": ("contact",),
        "collectivite": ("contact",),
        "departement": ("contact",),
        "field": ("contact",),
    }.get(kind, (kind,))


# --------------------------------------------------------------------------- consent


@dataclass(frozen=True)
class Leak:
    question: Question
    person: str
    what: str  # "email" or "phone"


def phone_forms(e164: str) -> set[str]:
    """The digit strings a phone number may show as: +33 6 12… → 33612…, 0612…"""
    digits = re.sub(r"\D", "", e164)
    forms = {digits}
    if e164.startswith("+33"):
        forms.add("0" + digits[2:])
    return forms


def digits_of(text: str) -> str:
    """The text with separators between digits removed (spaces, dots, dashes, brackets)."""
    return re.sub(r"(?<=\d)[\s.\-‐–()/\u00a0\u202f]+(?=[\d(])", "", text.replace("+", ""))


def contact_leaks(question: Question, texts: Iterable[str], network: Any) -> list[Leak]:
    """Every seeded email or phone shown in ``texts`` that `/annuaire` would not show the
    question's asker."""
    leaks: list[Leak] = []
    joined = "\n".join(texts)
    folded = joined.casefold()
    numbers = digits_of(joined)
    for name, person in network.people.items():
        if person.email and person.email.casefold() in folded:
            if not network.may_see_contact(question.asker, name, "email"):
                leaks.append(Leak(question, name, "email"))
        if person.phone and any(form in numbers for form in phone_forms(person.phone)):
            if not network.may_see_contact(question.asker, name, "phone"):
                leaks.append(Leak(question, name, "phone"))
    return leaks


@dataclass(frozen=True)
class Unseen:
    question: Question
    poll: int


def poll_leaks(question: Question, texts: Iterable[str], network: Any) -> list[Unseen]:
    """Every open poll named in ``texts`` (by its question, or « scrutin n°N ») that
    `/scrutin liste` would not show the question's asker."""
    joined = "\n".join(texts)
    folded = fold_text(joined)
    found = []
    for number in network.open_polls:
        if network.may_see_poll(question.asker, number):
            continue
        by_question = fold_text(network.polls[number].question.rstrip(" ?")) in folded
        by_number = re.search(
            rf"\b(?:scrutin|poll|vote)\s*(?:n\s*[°o.]?\s*|#|no\.?\s*)?{number}\b", folded
        )
        if by_question or by_number:
            found.append(Unseen(question, number))
    return found


def fold_text(text: str) -> str:
    """Case, accents and apostrophes folded (for finding a poll's question in an answer)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).casefold()


# --------------------------------------------------------------------------- judging


@dataclass
class Outcome:
    question: Question
    expected: str | None
    intent: str
    source: str | None
    language: str
    correct: bool
    asked_back: bool = False
    choices: tuple[str, ...] = ()
    leaks: list[Leak] = field(default_factory=list)
    unseen: list[Unseen] = field(default_factory=list)
    choice_errors: list[str] = field(default_factory=list)  # re-asked choices that crashed
    latency_ms: float = 0.0
    cpu_ms: float = 0.0  # CPU time of the process (every thread) while answering
    error: str | None = None

    def got(self) -> str:
        if self.error:
            return f"error: {self.error}"
        shown = f"{self.intent} {self.source or '—'}"
        if self.asked_back:
            shown += " (asked back: " + " | ".join(self.choices) + ")"
        if self.choice_errors:
            shown += " (choices that failed: " + "; ".join(self.choice_errors) + ")"
        return shown


class AskRunner:
    """Asks the questions of the set on one seeded network and judges the answers."""

    def __init__(self, db: Any, network: Any, sources: Sources, ask: Ask) -> None:
        self.db = db
        self.network = network
        self.sources = sources
        self.ask = ask

    async def _ask(self, question: Question, text: str) -> Any:
        actor = self.network.actors[question.asker]
        async with self.db.read() as session:
            return await self.ask(
                session, actor, text, locale=question.locale, now=self.network.now
            )

    def _matches(
        self, question: Question, expected: str | None, answer: Any, *, reasked: bool = False
    ) -> bool:
        """The expected intent and source, or one of the equally right readings (``also``:
        each with the intent its source belongs to; no source: the question's intent).
        ``reasked``: the answer to an ask-back's choice, whose wording is the assistant's own
        (« Article 8 — … » re-asked is an article question): any intent of the expected
        source's kind."""
        got = self.sources.canonical(answer.source)
        if got == self.sources.canonical(expected):
            if answer.intent == question.intent:
                return True
            if reasked and answer.intent in intents_of(expected, question.intent):
                return True
        for alternative in question.also:
            wanted = self.sources.canonical(self.sources.resolve(alternative))
            if got == wanted and answer.intent in intents_of(alternative, question.intent):
                return True
        return False

    async def judge(self, question: Question) -> Outcome:
        expected = self.sources.resolve(question.source)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            answer = await self._ask(question, question.text)
        except Exception as error:  # a crash is a wrong answer, with its reason
            return Outcome(question, expected, "", None, "", False, error=repr(error))
        latency = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        texts = [answer.text, *(c.label for c in answer.choices)]
        outcome = Outcome(
            question,
            expected,
            answer.intent,
            answer.source,
            answer.language,
            correct=False,
            latency_ms=latency,
            cpu_ms=cpu_ms,
        )
        if answer.choices:
            outcome.asked_back = True
            outcome.choices = tuple(c.label for c in answer.choices)
            for choice in answer.choices:
                try:
                    reread = await self._ask(question, choice.question)
                except Exception as error:  # a choice that crashes is not the right one
                    outcome.choice_errors.append(f"{choice.question!r}: {error!r}")
                    continue
                texts.append(reread.text)
                texts.extend(c.label for c in reread.choices)
                if not reread.choices and self._matches(question, expected, reread, reasked=True):
                    outcome.correct = True
        else:
            outcome.correct = self._matches(question, expected, answer)
        outcome.leaks = contact_leaks(question, texts, self.network)
        outcome.unseen = poll_leaks(question, texts, self.network)
        return outcome

    async def run(self, questions: list[Question]) -> list[Outcome]:
        await self._ask(questions[0], questions[0].text)  # warm-up, not measured
        gc.collect()
        return [await self.judge(question) for question in questions]


# --------------------------------------------------------------------------- report


def _share(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * right / total:.1f} %)" if total else "—"


@dataclass
class Report:
    label: str
    outcomes: list[Outcome]

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / len(self.outcomes)

    @property
    def leaks(self) -> list[Leak]:
        return [leak for o in self.outcomes for leak in o.leaks]

    @property
    def unseen(self) -> list[Unseen]:
        return [u for o in self.outcomes for u in o.unseen]

    @property
    def latencies(self) -> list[float]:
        return [o.latency_ms for o in self.outcomes if o.error is None]

    def latency_line(self) -> str:
        values = self.latencies
        if not values:
            return "no answer timed"
        cpu = [o.cpu_ms for o in self.outcomes if o.error is None]
        return (
            f"p50 {percentile(values, 0.5):.1f} ms, p99 {percentile(values, 0.99):.1f} ms, "
            f"max {max(values):.1f} ms over {len(values)} questions (CPU per question: "
            f"p50 {percentile(cpu, 0.5):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ms)"
        )

    def lines(self, *, details: bool = True) -> list[str]:
        out = [f"## {self.label}", ""]
        total = len(self.outcomes)
        right = sum(o.correct for o in self.outcomes)
        asked = [o for o in self.outcomes if o.asked_back]
        out.append(
            f"Accuracy: {_share(right, total)} (target ≥ {TARGET_ACCURACY:.0%}: "
            f"{'met' if right / total >= TARGET_ACCURACY else 'NOT met'})"
        )
        out.append(f"Asked back: {len(asked)} (right among them: {sum(o.correct for o in asked)})")
        leaks = self.leaks
        out.append(f"Contact fields shown without consent: {len(leaks)} (target 0)")
        unseen = self.unseen
        out.append(f"Open polls shown to someone who may not see them: {len(unseen)} (target 0)")
        wrong_language = [
            o for o in self.outcomes if o.error is None and o.language != o.question.answer_language
        ]
        out.append(f"Answers in another language than the asker's: {len(wrong_language)}")
        p99 = percentile(self.latencies, 0.99) if self.latencies else float("inf")
        out.append(
            f"Latency per question: {self.latency_line()} (target p99 < {TARGET_P99_MS:g} ms: "
            f"{'met' if p99 < TARGET_P99_MS else 'NOT met'})"
        )
        out += ["", "| intent | right | asked back |", "|---|---|---|"]
        by_intent: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            by_intent[o.question.intent].append(o)
        for intent in INTENTS:
            group = by_intent.get(intent, [])
            out.append(
                f"| {intent} | {_share(sum(o.correct for o in group), len(group))} | "
                f"{sum(o.asked_back for o in group)} |"
            )
        out += ["", "| language | right |", "|---|---|"]
        for language in ("fr", "en"):
            group = [o for o in self.outcomes if o.question.language == language]
            out.append(f"| {language} | {_share(sum(o.correct for o in group), len(group))} |")
        out += ["", "| asker | right |", "|---|---|"]
        for asker in ASKERS:
            group = [o for o in self.outcomes if o.question.asker == asker]
            out.append(f"| {asker} | {_share(sum(o.correct for o in group), len(group))} |")
        if not details:
            return out
        slowest = sorted(
            (o for o in self.outcomes if o.error is None), key=lambda o: -o.latency_ms
        )[:5]
        out += ["", "Slowest questions:"]
        out += [
            f"- {o.latency_ms:.1f} ms (CPU {o.cpu_ms:.1f} ms) #{o.question.index} "
            f"{o.question.text!r}"
            for o in slowest
        ]
        failures = [o for o in self.outcomes if not o.correct]
        out += ["", f"Failures ({len(failures)}):"]
        for o in failures:
            q = o.question
            out.append(
                f"- #{q.index} [{q.asker}{', ' + q.locale if q.locale else ''}] {q.text!r}: "
                f"expected {q.intent} {q.source or '—'}; got {o.got()}"
            )
        if leaks:
            out += ["", "Contact fields shown without consent:"]
            for leak in leaks:
                out.append(
                    f"- #{leak.question.index} [{leak.question.asker}] {leak.question.text!r}: "
                    f"{leak.person}'s {leak.what}"
                )
        if unseen:
            out += ["", "Open polls shown to someone who may not see them:"]
            for u in unseen:
                out.append(
                    f"- #{u.question.index} [{u.question.asker}] {u.question.text!r}: poll {u.poll}"
                )
        if wrong_language:
            out += ["", "Answers in another language:"]
            for o in wrong_language:
                out.append(
                    f"- #{o.question.index} {o.question.text!r}: "
                    f"{o.language} instead of {o.question.answer_language}"
                )
        return out


# --------------------------------------------------------------------------- running


def load_ask() -> Ask:
    """`rtes_bot.services.assistant.ask`, or a clear exit when the assistant is not there."""
    try:
        from rtes_bot.services import assistant
    except ImportError as error:
        raise SystemExit(
            "bench_assistant: rtes_bot.services.assistant cannot be imported "
            f"({error}); the assistant's service (ask, Answer, INTENTS) must exist to be measured"
        ) from error
    ask = getattr(assistant, "ask", None)
    if ask is None:
        raise SystemExit("bench_assistant: rtes_bot.services.assistant has no `ask` to measure")
    intents = tuple(getattr(assistant, "INTENTS", INTENTS))
    if set(intents) != set(INTENTS):
        raise SystemExit(
            f"bench_assistant: the assistant's INTENTS {intents} are not the contract's {INTENTS}"
        )
    return ask  # type: ignore[no-any-return]


async def charter_texts(db: Any, guild_id: int) -> dict[int, str]:
    from sqlalchemy import select
    from sqlmodel import col

    from rtes_bot.models import CharterVersion

    async with db.read() as session:
        rows = await session.execute(
            select(CharterVersion).where(col(CharterVersion.guild_id) == guild_id)
        )
        return {row.version: row.text for row in rows.scalars()}


async def prepared(url: str, guild_id: int, **size: int) -> tuple[Any, Any, Sources, float]:
    """A migrated database at ``url`` with a seeded network; returns (db, network, sources,
    seconds spent seeding)."""
    from rtes_bot.db import Database, upgrade_sync
    from tests.support.assistant_network import seed_network

    await asyncio.to_thread(upgrade_sync, url)
    db = Database(url)
    started = time.perf_counter()
    network = await seed_network(db, guild_id, now=NOW, **size)
    seeded = time.perf_counter() - started
    return db, network, Sources(network, await charter_texts(db, guild_id)), seeded


def check_set(questions: list[Question], sources: Sources, *, full: bool = True) -> list[str]:
    """What the set must be (size, languages, intents, askers: ``full`` only, the main set) and
    every source resolvable."""
    problems = []
    if full:
        problems += _balance(questions)
    for q in questions:
        for source in (q.source, *q.also):
            try:
                sources.resolve(source)
            except (KeyError, ValueError) as error:
                problems.append(f"#{q.index} {q.text!r}: {source} does not resolve ({error})")
    return problems


def _balance(questions: list[Question]) -> list[str]:
    problems = []
    if len(questions) < 200:
        problems.append(f"only {len(questions)} questions (at least 200)")
    french = sum(q.language == "fr" for q in questions) / max(1, len(questions))
    if not 0.65 <= french <= 0.85:
        problems.append(f"{french:.0%} French (about three quarters expected)")
    intents = Counter(q.intent for q in questions)
    for intent in INTENTS:
        if intents[intent] < 10:
            problems.append(f"intent {intent}: {intents[intent]} questions (at least 10)")
    askers = Counter(q.asker for q in questions)
    for asker in ASKERS:
        if askers[asker] < 5:
            problems.append(f"asker {asker}: {askers[asker]} questions (at least 5)")
    return problems


def describe(network: Any) -> str:
    """The seeded network as Markdown: what a question writer needs, nothing the assistant
    answers with."""
    from tests.support.assistant_network import CORE_COLLECTIVITES

    lines = ["# The seeded evaluation network", ""]
    lines.append(f"Charter versions: {', '.join(map(str, network.charter_versions))}")
    lines += ["", "## Fields of action (slug: name)"]
    lines += [f"- `{slug}`: {name}" for slug, name in network.field_names.items()]
    lines += ["", "## Collectivités (kind, département, région) — référent"]
    for name, kind, _code, dep, region, *_rest in CORE_COLLECTIVITES:
        if name in network.collectivites:
            referent = network.referents.get(name, "—")
            lines.append(f"- {name} ({kind}, {dep or '—'}, {region or '—'}) — {referent}")
    lines += ["", "## People (status; collectivité; mandate; fields; shares email / phone)"]
    for name, p in network.people.items():
        shares = [what for what, on in (("email", p.share_email), ("phone", p.share_phone)) if on]
        lines.append(
            f"- {name} — {p.status}; {p.collectivite}; {p.mandate}; {', '.join(p.fields)}; "
            f"shares {' and '.join(shares) or 'nothing'}{'; référent' if p.referent else ''}"
        )
    lines += ["", f"Askers: {network.asker_names}"]
    lines += ["", "## Proposals (number: title — status, field, author, poll)"]
    for number, p in sorted(network.proposals.items()):
        lines.append(f"- {number}: {p.title} — {p.status}, {p.field}, {p.author}, poll {p.poll}")
    lines += ["", "## Polls (number: question — status, outcome, field it is restricted to)"]
    for number, p in sorted(network.polls.items()):
        outcome = p.winner or p.outcome or "—"
        lines.append(f"- {number}: {p.question} — {p.status}, {outcome}, {p.field or 'all'}")
    return "\n".join(lines)


async def _describe_or_check(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'net.db'}"
        db, network, sources, _seeded = await prepared(url, GUILD_SMALL)
        try:
            if args.describe:
                print(describe(network))
                return 0
            questions = load_questions(args.questions)
            problems = check_set(questions, sources, full=args.questions.resolve() == QUESTIONS)
        finally:
            await db.dispose()
    counts = ", ".join(f"{k} {v}" for k, v in Counter(q.intent for q in questions).items())
    print(f"{len(questions)} questions from {args.questions.name}: {counts}")
    print("\n".join(f"- {p}" for p in problems) or "Every source resolves.")
    return 2 if problems else 0


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the 30-member network only")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument(
        "--database-url", help="a database to seed (default: SQLite files in a temporary folder)"
    )
    parser.add_argument("--brief", action="store_true", help="no list of failures")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check the question file (fields, every source resolves): asks nothing, for "
        "whoever writes a blind set",
    )
    parser.add_argument(
        "--describe",
        action="store_true",
        help="print the seeded 30-member network (people, consent, proposals, polls) in "
        "Markdown, for whoever writes questions, and stop",
    )
    parser.add_argument(
        "--with-own-examples",
        action="store_true",
        help="let the assistant use the example questions taken from this very set (by default "
        "they are withheld: a set is never answered from its own questions)",
    )
    args = parser.parse_args(argv)
    if args.describe or args.check:
        return await _describe_or_check(args)
    ask = load_ask()
    questions = load_questions(args.questions)
    print(f"# Assistant benchmark — {machine()}")
    print(f"{len(questions)} questions from {args.questions.name}")
    print(
        "languages: "
        + ", ".join(f"{k} {v}" for k, v in Counter(q.language for q in questions).items())
    )
    withheld = () if args.with_own_examples else (origin_of(args.questions),)
    print(f"examples withheld: {', '.join(withheld) or 'none'}")
    print()
    with meaning.withholding(*withheld):
        return await _measure(args, ask, questions)


async def _measure(args: argparse.Namespace, ask: Ask, questions: list[Question]) -> int:
    status = 0
    with tempfile.TemporaryDirectory() as folder:
        sizes: list[tuple[str, int, dict[str, int]]] = [
            ("30 members, 20 decisions, 5 open polls", GUILD_SMALL, {}),
        ]
        if not args.quick:
            sizes.append(
                (
                    "1,000 members, 500 decisions, 5 open polls",
                    GUILD_LARGE,
                    {"members": 1000, "decisions": 500},
                )
            )
        for index, (label, guild_id, size) in enumerate(sizes):
            url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / f'net{index}.db'}"
            db, network, sources, seeded = await prepared(url, guild_id, **size)
            try:
                problems = check_set(questions, sources, full=args.questions.resolve() == QUESTIONS)
                if problems:
                    print("The question set does not hold:")
                    print("\n".join(f"- {p}" for p in problems))
                    return 2
                outcomes = await AskRunner(db, network, sources, ask).run(questions)
            finally:
                await db.dispose()
            report = Report(f"{label} (seeded in {seeded:.1f} s)", outcomes)
            print("\n".join(report.lines(details=index == 0 and not args.brief)))
            print()
            if report.accuracy < TARGET_ACCURACY or report.leaks or report.unseen:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
