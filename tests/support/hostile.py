"""Hostile and malformed input: shared hypothesis strategies and corpora, and the
:class:`Probe` that checks what the real bot did with such input through the Discord emulator.

Strategies (all return ``str`` unless said otherwise):

* :func:`hostile_text` — very long strings (past Discord's limits), control and zero-width
  characters, RTL overrides, BOMs, markdown, mentions, SQL and format-string fragments, emoji and
  combining accents, odd digits, and plain random unicode, mixed;
* :func:`date_texts`, :func:`duration_texts`, :func:`closing_texts` — dates at the edges (29/02,
  31/04, 24:00, the spring-forward gap 29/03/2026 02:30 Europe/Paris, year 9999, 1970) and lengths
  (negative, zero, ``0m``, ``999999j``, sums that overflow a datetime);
* :func:`option_labels`, :func:`ballot_texts` — poll options and ``/voter`` texts;
* :func:`csv_files` — CSV uploads of collectivités (``bytes``): wrong encodings, missing,
  unknown and duplicate columns, formula cells, blank lines, odd line endings, huge files.

:func:`draws` turns a strategy into a deterministic list of examples, for the end-to-end tests
where one bot (async fixture) serves a whole loop of inputs; :class:`Network` is the installed
guild those tests share (an élu, a user and a role for hostile text to mention), with the short
corpus every end-to-end option gets.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

T = TypeVar("T")

# ----------------------------------------------------------------------------- corpora

#: Ids used in the static mention corpus (no such user/role/channel exists).
FAKE_USER_ID = 123456789012345678
FAKE_ROLE_ID = 234567890123456789
FAKE_CHANNEL_ID = 345678901234567890

CONTROL = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "\u00ad",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2028",
    "\u2029",
    "\u2060",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\ufffd",
    "\ufff9",
    "\U000e0041",
]
MARKDOWN = [
    "**gras**",
    "__souligné__",
    "*italique*",
    "~~barré~~",
    "`code`",
    "```py\nprint('x')\n```",
    "```",
    "> citation",
    ">>> bloc cité",
    "||spoiler||",
    "[lien](https://example.invalid/x)",
    "<https://example.invalid>",
    "https://discord.gg/invite",
    "# Titre",
    "-# petit texte",
    "- puce",
    "1. liste",
    "<t:0:R>",
    "\\",
    "\\*",
    "***",
    "_",
    "|",
]
MENTIONS = [
    "@everyone",
    "@here",
    f"<@{FAKE_USER_ID}>",
    f"<@!{FAKE_USER_ID}>",
    f"<@&{FAKE_ROLE_ID}>",
    f"<#{FAKE_CHANNEL_ID}>",
    "@@everyone",
    "＠everyone",
    "@\u200beveryone",
    "</aide:1>",
    "<:emoji:1>",
    "<a:anim:2>",
    "<id:customize>",
]
SQL = [
    "'; DROP TABLE elu; --",
    "Robert'); DROP TABLE collectivite;--",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10)",
    "%",
    "_",
    "%%",
    "%_%",
    "\\%",
    "NULL",
    "null",
    "None",
    "' UNION SELECT * FROM ballot --",
    "$$",
    "E'\\x00'",
]
FORMAT = [
    "{0}",
    "{}",
    "{key}",
    "{nom}",
    "{numero}",
    "{__class__}",
    "{0.__class__.__mro__}",
    "{saisie!r:>99999}",
    "%s",
    "%(nom)s",
    "%d",
    "%n",
    "{{",
    "}}",
    "{",
    "}",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "\\u0000",
    "\\n",
]
EMOJI = [
    "👍",
    "🏳️‍🌈",
    "👨‍👩‍👧‍👦",
    "🇫🇷",
    "🧑\u200d🤝\u200d🧑",
    "e\u0301",
    "E\u0301\u0300\u0302",
    "Z̵̡̢̛͉̞̳a̸̧͎l̷̰g̶̱o̵̹",
    "ﬁ",
    "Å",
    "𝕏",
    "ǅ",
    "İ",
    "ß",
    "ẞ",
    "ﷺ",
    "㈱",
    "œ",
    "Œ",
    "’",
    "\u0301",
    "\u0345",
    "ꙮ",
]
DIGITS = ["፩", "᧚", "²", "①", "٣", "１", "-0", "+1", "0" * 30 + "1", "9" * 20, "9" * 5000, "1e9"]
NAMES = [
    "Grenoble",
    "Saint-Étienne",
    "L'Haÿ-les-Roses",
    "Ville de Lyon",
    "commune",
    "",
    " ",
    "A",
]
LONG = [
    "x" * 101,
    "x" * 1025,
    "x" * 2001,
    "x" * 4001,
    "é" * 6000,
    "a " * 3000,
    "\u200b" * 5000,
    "👍" * 2000,
    "@everyone " * 500,
    "e\u0301" * 3000,
    "ﷺ" * 300,
    "{0}" * 2000,
    "; " * 3000,
    "\n" * 3000,
]
#: Every curated fragment, short ones first.
FRAGMENTS: list[str] = CONTROL + MARKDOWN + MENTIONS + SQL + FORMAT + EMOJI + DIGITS[:-2] + NAMES
CORPUS: list[str] = FRAGMENTS + LONG + DIGITS[-2:]

#: Words and classes that betray a Python exception leaking to a user.
LEAK = re.compile(
    r"Traceback \(most recent call last\)|\b[A-Z]\w*(?:Error|Exception)\b|sqlalchemy|asyncpg"
    r"|aiosqlite|psycopg|File \"/|\bNoneType\b|object has no attribute"
)


def mentions_of(user_id: int, role_id: int, channel_id: int) -> list[str]:
    """Mentions of a real user, role and channel (the emulator resolves them)."""
    return [
        f"<@{user_id}>",
        f"<@!{user_id}>",
        f"<@&{role_id}>",
        f"<#{channel_id}>",
        f"@everyone <@&{role_id}> <@{user_id}> @here",
    ]


# ----------------------------------------------------------------------------- strategies


def fragments() -> st.SearchStrategy[str]:
    return st.sampled_from(FRAGMENTS)


def hostile_text(
    *, max_size: int = 6000, min_size: int = 0, extra: Iterable[str] = ()
) -> st.SearchStrategy[str]:
    """Any hostile string, at most ``max_size`` characters (the limit the caller may send)."""
    curated = st.sampled_from([*extra, *CORPUS]) if extra else st.sampled_from(CORPUS)
    piece = st.one_of(fragments(), st.text(max_size=12), st.sampled_from(list(extra) or [""]))
    composed = st.lists(piece, max_size=10).map("".join)
    repeated = st.builds(
        lambda frag, n: frag * n,
        st.one_of(fragments(), st.text(min_size=1, max_size=3)),
        st.sampled_from([2, 10, 99, 100, 101, 300, 1000, 2001, 4001, 6000]),
    )
    text = st.one_of(curated, composed, repeated, st.text(max_size=40))
    return text.map(lambda value: value[:max_size]).filter(lambda value: len(value) >= min_size)


def hostile_line(*, max_size: int = 100, min_size: int = 1) -> st.SearchStrategy[str]:
    """A one-line field (titles, names) within Discord's limit for that field."""
    return hostile_text(max_size=max_size, min_size=min_size)


_DAYS = ["0", "00", "1", "01", "28", "29", "30", "31", "32", "99"]
_MONTHS = ["0", "1", "01", "02", "2", "03", "04", "10", "12", "13"]
_YEARS = ["", "/1970", "/0000", "/0001", "/99", "/00", "/2026", "/2027", "/2028", "/9999", "/10000"]
_TIMES = ["", " 00:00", " 23:59", " 24:00", " 02:30", " 25:61", " 18h", " 2h30", " à 18h", " 99:99"]
DATES = [
    "29/02/2027",
    "29/02/2028 12:00",
    "29/02",
    "31/04/2026",
    "31/04",
    "24:00",
    "15/12/2026 24:00",
    "29/03/2026 02:30",
    "29/03/2026 02:00",
    "29/03/2026 03:00",
    "25/10/2026 02:30",
    "31/12/9999 23:59",
    "31/12/9999",
    "9999-12-31T23:59",
    "01/01/1970",
    "1970-01-01",
    "1970-01-01 00:00",
    "00/00/0000 00:00",
    "32/13/2026",
    "le 29 février 2027 à 18h",
    "le 29 mars 2026 à 2h30",
    "dimanche 25 octobre 2026 à 2h30",
    "31 avril",
    "le 1er janvier 10000",
    "15 décembre",
    "15.12.2026 18:00",
    "15-12-26 18h",
]
DURATIONS = [
    "0m",
    "0",
    "0j",
    "4m",
    "5m",
    "-5m",
    "-1h",
    "1h-30",
    "999999j",
    "9999j",
    "9999s",
    "9999 semaines",
    "366j",
    "367j",
    "52s",
    "53s",
    "1h60",
    "1h59",
    "2j12h",
    "1 semaine et 9999 jours",
    "9999s" * 50,
    "9999j " * 500,
    "1h" * 2000,
    "30 m",
    "48 H",
    "7 J",
    "∞",
    "NaN",
    "1e3m",
    "0x10m",
    "٣h",
    "３h",
]


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(DATES))
    sep = draw(st.sampled_from(["/", ".", "-"]))
    year = draw(st.sampled_from(_YEARS)).replace("/", sep)
    return (
        f"{draw(st.sampled_from(_DAYS))}{sep}{draw(st.sampled_from(_MONTHS))}{year}"
        f"{draw(st.sampled_from(_TIMES))}"
    )


@st.composite
def duration_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(DURATIONS))
    parts = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["0", "1", "5", "59", "60", "99", "366", "9999", "-1", "00001"]),
                st.sampled_from(
                    ["m", "min", "h", "heures", "j", "jours", "d", "s", "sem", "w", "x"]
                ),
                st.sampled_from(["", " ", " et ", ", "]),
            ),
            min_size=1,
            max_size=6,
        )
    )
    text = "".join(f"{n}{unit}{sep}" for n, unit, sep in parts)
    return text + draw(st.sampled_from(["", "30", "60", "999"]))


def closing_texts() -> st.SearchStrategy[str]:
    """What an organiser may type in `duree`: dates, lengths, and anything else."""
    return st.one_of(date_texts(), duration_texts(), hostile_text(max_size=6000))


@st.composite
def option_labels(draw: st.DrawFn, *, min_size: int = 2, max_size: int = 6) -> list[str]:
    """Distinct labels, as a poll could hold them (hostile but each ≤ 100 characters, no `;`)."""
    labels = draw(
        st.lists(
            st.one_of(hostile_text(max_size=100), st.sampled_from(["A", "B", "Oui", "Très bien"])),
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    return [label.replace(";", ",") for label in labels if label.strip()] or ["A", "B"]


GRADE_WORDS = [
    "À rejeter",
    "insuffisant",
    "Passable",
    "assez bien",
    "BIEN",
    "Très bien",
    "excellent",
]


@st.composite
def ballot_texts(draw: st.DrawFn, labels: list[str]) -> str:
    """`/voter` texts for a poll with these labels: well-formed, nearly well-formed, or garbage."""
    atom = st.one_of(
        st.sampled_from(labels),
        st.integers(-3, len(labels) + 3).map(str),
        st.sampled_from(["pour", "contre", "abstention", "Oui", "non", "je m'abstiens"]),
        fragments(),
    )
    value = st.one_of(
        st.sampled_from(GRADE_WORDS),
        st.integers(-2, 8).map(str),
        st.sampled_from(DIGITS),
        fragments(),
    )
    shape = draw(st.sampled_from(["atom", "list", "ranking", "grades", "garbage"]))
    if shape == "atom":
        return draw(atom)
    if shape == "list":
        return "; ".join(draw(st.lists(atom, max_size=6)))
    if shape == "ranking":
        groups = draw(st.lists(st.lists(atom, min_size=1, max_size=3), max_size=5))
        return " > ".join(" = ".join(group) for group in groups)
    if shape == "grades":
        pairs = draw(st.lists(st.tuples(atom, value), max_size=6))
        return "; ".join(f"{label}: {grade}" for label, grade in pairs)
    return draw(hostile_text(max_size=6000))


CSV_HEADERS = [
    ["nom", "type", "code", "departement", "region", "statut", "poids"],
    ["nom", "type"],
    ["Nom", "Type", "Code"],
    ["nom"],  # missing type
    ["type", "code"],  # missing nom
    ["nom", "type", "nom"],  # duplicate
    ["nom", "type", "couleur"],  # unknown
    ["name", "kind"],
    ["nom", "type", ""],
    ["=cmd|' /C calc'!A0", "type"],
    [],
]
CSV_CELLS = [
    "Grenoble",
    "commune",
    "pays",
    "région",
    "intercommunalités",
    "38185",
    "2A004",
    "200040715",
    "Isère",
    "adhérente",
    "ancienne",
    "1",
    "0",
    "-1",
    "1000001",
    "9" * 30,
    '=HYPERLINK("https://evil.example/";"clic")',
    "=1+1",
    "+33 6 12",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=cmd",
    '"guillemets ""doubles"""',
    "a;b",
    "a,b",
    "",
    " ",
]


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV upload for `/admin import-collectivites`, often wrong."""
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.sampled_from(CSV_HEADERS))
    width = max(len(header), 2)
    cell = st.one_of(st.sampled_from(CSV_CELLS), hostile_text(max_size=300))
    rows = draw(
        st.lists(
            st.lists(cell, min_size=0, max_size=width + 2),
            max_size=8,
        )
    )
    lines = [header, *rows]
    blank = draw(st.sampled_from(["", newline, newline * 3]))

    def quote(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")) and draw(st.booleans()):
            return '"' + value.replace('"', '""') + '"'
        return value

    text = (newline + blank).join(delimiter.join(quote(c) for c in line) for line in lines)
    if draw(st.booleans()):
        text += newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:
        data = data + draw(st.binary(max_size=64))
    return data


# ----------------------------------------------------------------------------- deterministic draws


def draws(strategy: st.SearchStrategy[T], count: int, *, seed_value: int = 5) -> list[T]:
    """``count`` examples of ``strategy``, the same on every run (for loops over one live bot)."""
    found: list[T] = []

    @seed(seed_value)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: T) -> None:
        found.append(value)

    collect()
    return found[:count]


def samples(
    corpus: list[T], strategy: st.SearchStrategy[T], count: int, seed_value: int = 5
) -> list[T]:
    """The curated corpus first, then ``count`` hypothesis draws (duplicates removed)."""
    out: list[T] = []
    for value in [*corpus, *draws(strategy, count, seed_value=seed_value)]:
        if value not in out:
            out.append(value)
    return out


# ----------------------------------------------------------------------------- end-to-end probe


@dataclass
class Violation:
    where: str
    value: Any
    problem: str

    def __str__(self) -> str:
        shown = repr(self.value)
        if len(shown) > 160:
            shown = shown[:120] + f"… ({len(str(self.value))} chars)"
        return f"{self.where} ← {shown}: {self.problem}"


@dataclass
class Outcome:
    """What one hostile interaction produced."""

    text: str
    refused_keys: list[str]
    rendered: list[tuple[str, str]]
    interaction: Any = None


class _SwallowedErrors(logging.Handler):
    """WARNING records carrying a non-Discord exception: an error the bot hid (autocomplete…)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or not record.exc_info:
            return
        import discord

        error = record.exc_info[1]
        if isinstance(error, discord.HTTPException):
            return
        self.records.append(record)


@dataclass
class Probe:
    """Drives hostile input through the emulator and records every broken promise.

    * no unhandled exception (ERROR records; also WARNINGs that swallowed a Python exception);
    * never the generic ``erreur.inattendue`` text, never a leaked exception or traceback;
    * every interaction gets an answer, and a refusal is made only of catalog text;
    * no message of the bot can ping @everyone/@here, a role, or a user that the text names;
    * nothing half-written: after a refusal the database is exactly as before.
    """

    rig: Any
    error_log: Any
    monkeypatch: Any
    violations: list[Violation] = field(default_factory=list)
    raised: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rendered: list[tuple[str, str]] = field(default_factory=list)
    allowed_user_ids: set[int] = field(default_factory=set)
    interactions: int = 0
    refusals: int = 0
    _swallowed: _SwallowedErrors = field(default_factory=_SwallowedErrors)
    _checked_messages: dict[int, int] = field(default_factory=dict)
    _checked_requests: int = 0

    def __post_init__(self) -> None:
        from rtes_bot import catalog
        from rtes_bot.counting import BallotTextError
        from rtes_bot.errors import DomainError

        original_t = catalog.t
        rendered = self.rendered

        def recording_t(key: str, locale: object | None = None, /, **params: object) -> str:
            text = original_t(key, locale, **params)
            rendered.append((key, text))
            return text

        for name, module in list(sys.modules.items()):
            if name.startswith(("rtes_bot", "cogs")) and getattr(module, "t", None) is original_t:
                self.monkeypatch.setattr(module, "t", recording_t)
        for cls in (DomainError, BallotTextError):
            self.monkeypatch.setattr(cls, "__init__", _recording_init(cls.__init__, self.raised))
        logging.getLogger().addHandler(self._swallowed)

    def __enter__(self) -> Probe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        logging.getLogger().removeHandler(self._swallowed)

    # -- database snapshots

    async def snapshot(self) -> dict[str, list[str]]:
        from sqlalchemy import select
        from sqlmodel import SQLModel

        out: dict[str, list[str]] = {}
        async with self.rig.db.read() as session:
            for table in SQLModel.metadata.sorted_tables:
                rows = (await session.execute(select(table))).all()
                out[table.name] = sorted(repr(tuple(row)) for row in rows)
        return out

    async def settle(self) -> None:
        """Let the poll scheduler finish what an earlier interaction started (an opening is
        announced in the background), so that only this interaction's writes are compared."""
        scheduler = getattr(getattr(self.rig.bot, "publisher", None), "scheduler", None)
        if scheduler is not None:
            await scheduler.wait_turn()

    async def counts(self) -> dict[str, int]:
        """Rows per table, in one round trip (a state change always adds an audit event)."""
        from sqlalchemy import func, select
        from sqlmodel import SQLModel

        tables = SQLModel.metadata.sorted_tables
        query = select(
            *[select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
        )
        async with self.rig.db.read() as session:
            row = (await session.execute(query)).one()
        return {table.name: int(value) for table, value in zip(tables, row, strict=True)}

    # -- one interaction

    async def run(
        self,
        where: str,
        value: Any,
        action: Callable[[], Any],
        *,
        expect_answer: bool = True,
        refusal_only: bool = False,
        full_snapshot: bool = False,
    ) -> Outcome:
        """Run ``action`` (an async callable returning an emulator interaction, the text the bot
        answered, or None), then check it.

        Nothing half-written: row counts of every table (``full_snapshot``: every row) must be
        unchanged after a refusal."""
        state: Callable[[], Any] = self.snapshot if full_snapshot else self.counts
        await self.settle()
        before = await state()
        refused_requests = len(self.rig.emu.errors)
        errors_before = len(self.error_log.records)
        swallowed_before = len(self._swallowed.records)
        raised_from, rendered_from = len(self.raised), len(self.rendered)
        self.interactions += 1
        interaction = await action()
        text = interaction if isinstance(interaction, str) else ""
        if interaction is not None and hasattr(interaction, "messages"):
            await self.answered(interaction)
            text = interaction.text
            if expect_answer and interaction.callback_type is None:
                self.add(where, value, "the interaction was never acknowledged")
            elif expect_answer and interaction.deferred and not interaction.followup_event.is_set():
                self.add(where, value, "deferred, then never answered (the user waits forever)")
            elif expect_answer and not text.strip() and interaction.modal is None:
                self.add(where, value, "answered with an empty message")
        await asyncio.sleep(0)
        for request in self.rig.emu.errors[refused_requests:]:
            self.add(
                where,
                value,
                f"Discord refused a request of the bot: {request.method} {_route(request.path)}",
            )
        new_errors = self.error_log.records[errors_before:]
        for record in new_errors:
            summary = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                summary += (
                    f" — {type(record.exc_info[1]).__name__}: {str(record.exc_info[1])[:200]}"
                )
            self.add(where, value, "ERROR logged: " + " ".join(summary.split()))
        if new_errors:
            self.error_log.clear()
        for record in self._swallowed.records[swallowed_before:]:
            error = record.exc_info[1] if record.exc_info else None
            self.add(
                where,
                value,
                f"exception swallowed and logged as a warning ({record.getMessage()}): "
                f"{type(error).__name__}: {str(error)[:200]}",
            )
        self.check_text(where, value, text)
        raised = self.raised[raised_from:]
        rendered = self.rendered[rendered_from:]
        raised_keys = {key for key, _ in raised}
        refused = [key for key, out in rendered if key in raised_keys and out and out in text]
        if refused:
            self.refusals += 1
            self.check_catalog_text(where, value, text, rendered)
            after = await state()
            changed = [name for name in before if before[name] != after[name]]
            if changed:
                self.add(where, value, f"refused ({refused[0]}) but tables changed: {changed}")
        elif refusal_only and text:
            self.add(where, value, f"expected a refusal, got: {text[:200]!r}")
        self.check_mentions(where, value)
        return Outcome(text=text, refused_keys=refused, rendered=rendered, interaction=interaction)

    async def answered(self, interaction: Any, within: float = 5.0) -> bool:
        """Wait until the interaction is answered (a deferred one: its follow-up); give up early
        once Discord refused what the bot sent for it and nothing else came."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        refused_at: float | None = None
        while True:
            if interaction.callback_event.is_set() and (
                not interaction.deferred or interaction.followup_event.is_set()
            ):
                await asyncio.sleep(0.005)  # a second follow-up may still be on its way
                return True
            now = loop.time()
            if refused_at is None and any(
                interaction.token in request.path for request in self.rig.emu.errors
            ):
                refused_at = now
            if now > deadline or (refused_at is not None and now - refused_at > 0.15):
                return False
            await asyncio.sleep(0.002)

    def add(self, where: str, value: Any, problem: str) -> None:
        self.violations.append(Violation(where, value, problem))

    # -- checks

    def check_text(self, where: str, value: Any, text: str) -> None:
        from rtes_bot.catalog import t

        if not text:
            return
        for language in ("fr", "en"):
            if t("erreur.inattendue", language) in text:
                self.add(where, value, "the user got the generic « erreur inattendue »")
        shown = text
        for piece in _pieces(value):
            if piece:
                shown = shown.replace(piece, "")
        leak = LEAK.search(shown)
        if leak:
            self.add(where, value, f"a Python error leaks to the user: {leak.group(0)!r}")

    def check_catalog_text(
        self, where: str, value: Any, text: str, rendered: list[tuple[str, str]]
    ) -> None:
        lines = {line for _, out in rendered for line in out.split("\n")}
        for line in text.split("\n"):
            if not line.strip() or line in lines or line.removeprefix("• ") in lines:
                continue
            if line.endswith("…") and any(other.startswith(line[:-1]) for other in lines):
                continue
            self.add(where, value, f"refusal line not from the catalog: {line[:120]!r}")
            return

    def check_mentions(self, where: str, value: Any) -> None:
        """Every bot message: no @everyone/@here, no role, no user beyond the intended ones."""
        emu = self.rig.emu
        for message in list(emu.messages.values()):
            if message.author.id != emu.bot.id:
                continue
            version = hash((message.content, message.mention_everyone, tuple(message.mention_roles),
                            tuple(u.id for u in message.mentions)))  # fmt: skip
            if self._checked_messages.get(message.id) == version:
                continue
            self._checked_messages[message.id] = version
            if message.mention_everyone:
                self.add(where, value, f"message {message.id} pings @everyone/@here")
            if message.mention_roles:
                self.add(where, value, f"message {message.id} pings roles {message.mention_roles}")
            extra = {u.id for u in message.mentions} - self.allowed_user_ids
            if extra:
                self.add(where, value, f"message {message.id} pings users {sorted(extra)}")
        for request in emu.requests[self._checked_requests :]:
            for payload in _payloads(request.json):
                content = payload.get("content") or ""
                if not any(m in content for m in ("@everyone", "@here", "<@")):
                    continue
                allowed = payload.get("allowed_mentions")
                parse = set((allowed or {}).get("parse") or [])
                users = {int(u) for u in (allowed or {}).get("users") or []}
                if allowed is None or {"everyone", "roles", "users"} & parse:
                    problem = f"allowed_mentions={allowed}"
                elif (allowed or {}).get("roles"):
                    problem = f"role pings allowed ({allowed})"
                elif users - self.allowed_user_ids:
                    problem = f"user pings allowed ({allowed})"
                else:
                    continue
                self.add(
                    where,
                    value,
                    f"{request.method} {_route(request.path)} sends mentions with {problem}",
                )
        self._checked_requests = len(emu.requests)

    def assert_clean(self, *, minimum: int = 1, refusals: int = 0) -> None:
        """No broken promise; and at least ``minimum`` interactions, ``refusals`` of them refused
        (so that the refusal checks did run)."""
        self.close()
        if self.violations:
            distinct: dict[tuple[str, str], Violation] = {}
            for violation in self.violations:
                problem = re.sub(r"\d{6,}", "N", violation.problem)
                distinct.setdefault((violation.where, problem[:90]), violation)
            report = "\n".join(f"  - {v}" for v in distinct.values())
            raise AssertionError(
                f"{len(self.violations)} broken promise(s) over {self.interactions} hostile "
                f"interactions ({len(distinct)} distinct):\n{report}"
            )
        assert self.interactions >= minimum, f"only {self.interactions} hostile interactions ran"
        assert self.refusals >= refusals, f"only {self.refusals} refusals were seen"


def _route(path: str) -> str:
    return re.sub(r"/[\w-]{20,}", "/…", re.sub(r"\d{6,}", "N", path))


def _payloads(body: Any) -> list[dict[str, Any]]:
    """The message payloads in a request body (top level, ``data`` of a callback, ``message``)."""
    if not isinstance(body, dict):
        return []
    found = [body]
    for key in ("data", "message"):
        if isinstance(body.get(key), dict):
            found += _payloads(body[key])
    return found


def _recording_init(init: Any, raised: list[tuple[str, dict[str, Any]]]) -> Any:
    def recording_init(self: Any, key: str, /, *args: Any, **params: Any) -> None:
        init(self, key, *args, **params)
        raised.append((key, dict(params)))

    return recording_init


def _pieces(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value, value.strip()]
    if isinstance(value, dict):
        return [piece for item in value.values() for piece in _pieces(item)]
    if isinstance(value, (list, tuple)):
        return [piece for item in value for piece in _pieces(item)]
    return []


# ----------------------------------------------------------------------------- the end-to-end network

#: Discord's limit for a string option without max_length.
OPTION_MAX = 6000

#: A short corpus that covers every category once (the long lists run at the pure level).
E2E_CORPUS = [
    "@everyone",
    "'; DROP TABLE elu; --",
    "{0}{key}{__class__}%s",
    "\x00\u200b\u202eabc\ufeff",
    "**gras** `code` > cité ||spoiler|| [lien](https://example.invalid)",
    "e\u0301\u0300 👨‍👩‍👧‍👦 🇫🇷 ﷺ",
    "፩",
    "2147483648",
    "9" * 4400,
    LONG[4],  # 6000 characters
]
PG_SENSITIVE = {"\x00\u200b\u202eabc\ufeff", "2147483648", "e\u0301\u0300 👨‍👩‍👧‍👦 🇫🇷 ﷺ"}


class Network:
    """An installed guild with an élu, a victim user and role that hostile text mentions."""

    def __init__(self, rig: Any) -> None:
        self.rig = rig
        #: PostgreSQL reruns what SQLite ran, minus the random draws and half the corpus
        #: (its own failure modes — integer and varchar bounds, NUL — keep their inputs).
        self.postgres = rig.settings.database_url.startswith("postgresql")

    async def build(self) -> Network:
        from rtes_bot.catalog import t

        rig = self.rig
        r = await rig.emu.slash(rig.guild, rig.admin, "admin", subcommand="installer", timeout=15)
        await r.wait_done(timeout=15)
        assert t("installation.titre", "fr") in r.text, r.text
        self.collectivite = await rig.collectivite("Grenoble", code="38185", departement="Isère")
        self.elu = await rig.elu("Élodie Élue", collectivite=self.collectivite)
        self.victim = rig.user("Victor Victime")
        self.role = rig.emu.create_role(rig.guild, "Cible", permissions=0)
        self.role.mentionable = True
        self.channel = rig.emu.find_channel(rig.guild, "general")
        # The charter's version 1 is stored on first use: do it now, not during a refusal.
        first = await rig.emu.slash(rig.guild, self.elu.user, "charte", subcommand="versions")
        await first.wait_done()
        return self

    def corpus(self) -> list[str]:
        everything = mentions_of(self.victim.id, self.role.id, self.channel.id)[-1]
        corpus = [*E2E_CORPUS, everything]
        return (
            corpus[::2] + [c for c in corpus[1::2] if c in PG_SENSITIVE]
            if self.postgres
            else corpus
        )

    def draws(self, strategy: Any, count: int, *, seed_value: int) -> list[Any]:
        return draws(strategy, count // 2 if self.postgres else count, seed_value=seed_value)

    def values(
        self, strategy: Any, count: int, *, seed_value: int, limit: int = OPTION_MAX
    ) -> list[str]:
        out: list[str] = []
        for value in [*self.corpus(), *self.draws(strategy, count, seed_value=seed_value)]:
            value = value[:limit]
            if value and value not in out:
                out.append(value)
        return out
