"""Hostile input at the pure level: many fast examples against the modules that
read what people type or upload — ballot texts, `duree`, collectivité matching, text folding and
cleaning, the collectivités CSV, charter uploads, ballot files. Each may only refuse with its
documented error (a catalog key whose message formats in both languages), never crash.

The database-backed part (the CSV import writes all or nothing) runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import string
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rtes_bot import charter_text, durations, matching
from rtes_bot.catalog import CATALOG, t
from rtes_bot.counting import (
    GRADES,
    METHODS,
    BallotTextError,
    CountError,
    PollSpec,
    format_ballot,
    parse_ballot_text,
    read_ballots_csv,
)
from rtes_bot.counting.ballot_text import normalise_text
from rtes_bot.counting.model import (
    APPROBATION,
    CHOIX_UNIQUE,
    CLASSEMENT,
    JUGEMENT_MAJORITAIRE,
    NOTES,
    POUR_CONTRE,
    POUR_CONTRE_CHOICES,
)
from rtes_bot.errors import Conflict, DomainError, InvalidInput
from rtes_bot.models import AuditEvent, Collectivite, CollectiviteKind, MembershipStatus
from rtes_bot.services import charter
from rtes_bot.services import collectivites as collectivites_service
from rtes_bot.text import clean, clean_line, fold
from tests.support.hostile import (
    CONTROL,
    CORPUS,
    DATES,
    DURATIONS,
    ballot_texts,
    closing_texts,
    csv_files,
    hostile_text,
    option_labels,
)

FAST = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
SOME = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
NOW = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # the night before the spring-forward change


def assert_catalog_error(key: str, params: dict) -> None:
    """A refusal's key exists and its message formats, in French and in English."""
    assert key in CATALOG, f"unknown catalog key {key!r}"
    for language in ("fr", "en"):
        text = t(key, language, **params)
        assert text.strip(), key


# ----------------------------------------------------------------------------- ballot texts


def _check_content(spec: PollSpec, content: object) -> None:
    n = len(spec.options)
    if spec.method == POUR_CONTRE:
        assert content in POUR_CONTRE_CHOICES
    elif spec.method in (CHOIX_UNIQUE, APPROBATION):
        assert isinstance(content, list) and content == sorted(set(content))
        assert all(0 <= i < n for i in content)
        if spec.method == CHOIX_UNIQUE:
            assert len(content) <= 1
    else:
        assert isinstance(content, dict)
        for key, value in content.items():
            assert 0 <= int(key) < n
            if spec.method == CLASSEMENT:
                assert value >= 1
            elif spec.method == JUGEMENT_MAJORITAIRE:
                assert 0 <= value < len(GRADES)
            else:
                assert 0 <= value <= spec.max_score


@st.composite
def specs_and_texts(draw: st.DrawFn) -> tuple[PollSpec, str]:
    method = draw(st.sampled_from(METHODS))
    labels = draw(option_labels())
    max_choices = draw(st.none() | st.integers(1, len(labels))) if method == APPROBATION else None
    spec = PollSpec(method, labels, max_choices=max_choices)
    return spec, draw(ballot_texts(list(spec.options)))


@FAST
@given(specs_and_texts())
@example((PollSpec(CHOIX_UNIQUE, ["A", "B"]), "፩"))
@example((PollSpec(CHOIX_UNIQUE, ["A", "B"]), "9" * 5000))
@example((PollSpec(NOTES, ["A", "B"]), "A: " + "9" * 5000))
@example((PollSpec(JUGEMENT_MAJORITAIRE, ["A", "B"]), "A: " + "9" * 5000))
@example((PollSpec(CLASSEMENT, ["A", "B"]), "᧚ > 1"))
def test_ballot_texts_are_read_or_refused_with_a_catalog_message(case) -> None:
    spec, text = case
    try:
        content = parse_ballot_text(spec, text)
    except BallotTextError as error:
        assert_catalog_error(error.key, error.params)
        assert error.message("fr") and error.message("en")
        return
    _check_content(spec, content)
    for language in ("fr", "en"):
        assert isinstance(format_ballot(spec, content, language), str)


_SEPARATORS = set(";>=:")


@SOME
@given(st.sampled_from([m for m in METHODS if m != POUR_CONTRE]), option_labels(), st.data())
def test_a_ballot_echoed_back_reads_as_the_same_ballot(method, labels, data) -> None:
    """What `/voter` echoes for confirmation is valid ballot text for the same ballot."""
    labels = [label for label in labels if not (_SEPARATORS & set(label))]
    keys = {normalise_text(label) for label in labels}
    if len(labels) < 2 or len(keys) < len(labels):
        return
    spec = PollSpec(method, labels)
    try:
        content = parse_ballot_text(spec, data.draw(ballot_texts(labels)))
    except BallotTextError:
        return
    if content in ([], {}):
        return
    echoed = format_ballot(spec, content, "fr")
    try:
        again = parse_ballot_text(spec, echoed)
    except BallotTextError as error:  # pragma: no cover - reported by the assertion
        raise AssertionError(f"echo {echoed!r} of {content!r} is refused: {error.key}") from error
    assert again == content, (echoed, content, again)


# ----------------------------------------------------------------------------- durations


def _closing_ok(text: str, now: datetime) -> None:
    try:
        closes_at = durations.parse_closing(text, now)
    except DomainError as error:
        assert isinstance(error, InvalidInput)
        assert error.key.startswith("duree."), error.key
        assert_catalog_error(error.key, error.params)
        return
    assert closes_at.tzinfo is not None and closes_at.utcoffset() == timedelta(0)
    assert durations.MIN_DURATION - timedelta(seconds=1) <= closes_at - now
    assert closes_at - now <= durations.MAX_DURATION


@FAST
@given(closing_texts())
@example("9999s" * 50)
@example("9999j " * 500)
@example("1 semaine et 9999 jours et 9999 jours")
def test_duree_is_read_or_refused_with_a_duree_message(text: str) -> None:
    _closing_ok(text, NOW)


@pytest.mark.parametrize("text", DATES + DURATIONS)
@pytest.mark.parametrize(
    "now",
    [NOW, datetime(2026, 10, 24, 23, 0, tzinfo=UTC), datetime(2027, 12, 31, 22, 59, tzinfo=UTC)],
    ids=["before-spring", "before-autumn", "new-year"],
)
def test_duree_edge_cases_at_three_moments(text: str, now: datetime) -> None:
    _closing_ok(text, now)


def test_duree_edges_say_precisely_what_is_wrong() -> None:
    cases = {
        "29/03/2026 02:30": "duree.heure-inexistante",
        "31/04/2026": "duree.date-invalide",
        "29/02/2027": "duree.date-invalide",
        "01/01/1970": "duree.passee",
        "31/12/9999 23:59": "duree.trop-longue",
        "0m": "duree.trop-courte",
        "4m": "duree.trop-courte",
        "367j": "duree.trop-longue",
        "999999j": "duree.illisible",
        "-5m": "duree.illisible",
        "15/12/2026 24:00": "duree.illisible",
        "9999s" * 50: "duree.trop-longue",
    }
    got = {}
    for text in cases:
        try:
            durations.parse_closing(text, NOW)
            got[text] = "accepted"
        except InvalidInput as error:
            got[text] = error.key
        except Exception as error:  # what the bot would show as « erreur inattendue »
            got[text] = f"{type(error).__name__}: {error}"
    assert got == cases


@FAST
@given(hostile_text(max_size=300))
def test_parse_duration_never_raises(text: str) -> None:
    length = durations.parse_duration(text)
    assert length is None or length >= timedelta(0)


# ----------------------------------------------------------------------------- matching and text


KNOWN = [
    (1, "Grenoble"),
    (2, "Saint-Étienne"),
    (3, "Ville de Lyon"),
    (4, "Grenoble-Alpes Métropole"),
]


@FAST
@given(hostile_text(max_size=300), st.lists(hostile_text(max_size=200), max_size=5))
def test_matching_never_raises_and_ranks_within_bounds(typed: str, names: list[str]) -> None:
    known = KNOWN + [(10 + i, name) for i, name in enumerate(names)]
    ranked = matching.rank(typed, known, limit=3)
    assert len(ranked) <= 3
    assert all(matching.DEFAULT_CUTOFF <= c.score <= 100 for c in ranked)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
    chosen = matching.confident(ranked)
    assert chosen is None or chosen is ranked[0]
    for _, name in known:
        assert 0.0 <= matching.score(typed, name) <= 100.0
        if matching.normalize(name):
            assert matching.score(name, name) == 100.0


_INVISIBLE_KEPT_OUT = [c for c in CONTROL if c not in ("\t", "\n", "\r", "\r\n") and len(c) == 1]


@FAST
@given(hostile_text(max_size=500))
@example("e\u200b\u0301")
@example("a\u2066b\u2069c")
@example("x\x85y\x9b")
def test_clean_removes_invisible_and_control_characters_and_stays_nfc(text: str) -> None:
    """`clean`: « NFC, invisible/control characters removed, spaces trimmed »."""
    out = clean(text)
    assert out == out.strip()
    assert unicodedata.is_normalized("NFC", out), ascii(out)
    for char in out:
        category = unicodedata.category(char)
        assert char in "\t\n\r" or category != "Cc", f"control {char!r} kept in {out!r}"
        assert char not in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff", ascii(out)
        assert not ("\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"), ascii(out)
    assert clean(out) == out
    line = clean_line(text)
    assert "\n" not in line and "  " not in line and line == line.strip()


@FAST
@given(hostile_text(max_size=500))
def test_fold_is_lower_case_accent_free_and_single_spaced(text: str) -> None:
    out = fold(text)
    assert out == out.strip() and "  " not in out
    assert out.casefold() == out
    assert not any(unicodedata.combining(c) for c in out), ascii(out)
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()


# ----------------------------------------------------------------------------- collectivités CSV


def _check_parsed(parsed: collectivites_service.Parsed) -> None:
    kinds = {str(k) for k in CollectiviteKind}
    statuses = {str(s) for s in MembershipStatus}
    for row in parsed.rows:
        assert row.name and len(row.name) <= collectivites_service.NAME_MAX
        assert row.name == clean_line(row.name)
        assert row.kind in kinds and row.status in statuses
        assert 1 <= row.weight <= 1_000_000
        assert row.code is None or len(row.code) <= 20
        for place in (row.departement, row.region):
            assert place is None or len(place) <= collectivites_service.PLACE_MAX
    for row_error in parsed.errors:
        assert row_error.problems
        for problem in row_error.problems:
            assert_catalog_error(problem.key, problem.params)


def _parse(data: bytes) -> collectivites_service.Parsed | None:
    try:
        parsed = collectivites_service.parse_csv(data)
    except InvalidInput as error:
        assert error.key.startswith("collectivites.import."), error.key
        assert_catalog_error(error.key, error.params)
        return None
    _check_parsed(parsed)
    return parsed


@FAST
@given(csv_files())
def test_collectivites_csv_is_read_or_refused_with_a_catalog_message(data: bytes) -> None:
    _parse(data)


HEADER = "nom;type;code;departement;region;statut;poids\n"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ((HEADER + "Évry;commune;91228;Essonne;IDF;adhérente;1\n").encode("latin-1"), "encodage"),
        ((HEADER + "Évry;commune\n").encode("utf-16"), "encodage"),
        ((HEADER + "Évry;commune\n").encode("cp1252"), "encodage"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "encodage"),
        (b"", "vide"),
        (b"\xef\xbb\xbf", "vide"),
        (b"\n\n \r\n", "vide"),
        (b"nom;type\n\n\n", "aucune-ligne"),
        (b"nom;couleur\nGrenoble;rouge\n", "colonnes"),
        (b"type;code\ncommune;38185\n", "colonnes"),
        (b"nom;type;nom\nA;commune;B\n", "colonnes"),
        (b"name,kind\nGrenoble,commune\n", "colonnes"),
        (HEADER.encode() + b"x;commune\n" * 20_001, "trop-de-lignes"),
        (HEADER.encode() + b"x" * collectivites_service.MAX_FILE_BYTES, "trop-gros"),
        ((HEADER + '"' + "x" * 200_000 + '";commune\n').encode(), "illisible"),
        (b"nom;type\nGrenoble;commune\nGrenoble;commune\n", "lignes-invalides"),
        (b"nom;type\n;commune\n", "lignes-invalides"),
    ],
    ids=[
        "latin-1",
        "utf-16",
        "cp1252",
        "binary",
        "empty",
        "bom-only",
        "blank-lines-only",
        "header-only",
        "unknown-column",
        "missing-nom",
        "duplicate-column",
        "english-columns",
        "too-many-lines",
        "huge",
        "huge-cell",
        "duplicate-names",
        "empty-name",
    ],
)
def test_collectivites_csv_refusals_are_precise(data: bytes, key: str) -> None:
    try:
        parsed = collectivites_service.parse_csv(data)
    except InvalidInput as error:
        assert error.key == f"collectivites.import.{key}", (error.key, error.params)
        assert_catalog_error(error.key, error.params)
        return
    assert key == "lignes-invalides" and parsed.errors, parsed  # import_csv then refuses it all


def test_formula_cells_blank_lines_and_odd_endings_are_inert_text() -> None:
    data = (
        "\ufeffnom;type;code;departement\r\n"
        "\r\n"
        '"=HYPERLINK(""https://evil.example/"";""clic"")";commune;38185;=1+1\r\n'
        "\r\n"
        "@SUM(A1);autre;;-2+3\r\n"
        "\r\n"
    ).encode()
    parsed = _parse(data)
    assert parsed is not None and not parsed.errors
    assert [r.name for r in parsed.rows] == [
        '=HYPERLINK("https://evil.example/";"clic")',
        "@SUM(A1)",
    ]
    assert [r.departement for r in parsed.rows] == ["=1+1", "-2+3"]


@pytest.mark.parametrize("kind", ["pays", "Pays", "PAYS", "commune", "communes", "région"])
def test_every_documented_kind_is_accepted(kind: str) -> None:
    """`type` accepts every kind of collectivité (commune … pays, autre; docs/rules.md « 2. Domain »),
    singular or plural."""
    parsed = collectivites_service.parse_csv(f"nom;type\nPays de Redon;{kind}\n".encode())
    assert not parsed.errors, parsed.errors
    assert len(parsed.rows) == 1


CSV_CASES: list[bytes | str] = [
    b"nom;type\nGrenoble;commune\n",
    "nom;type\n" + "ﷺ" * 12 + ";commune\n",  # folds to more than 200 characters
    "nom;type\n" + "㈱" * 70 + ";autre\n",
    b"nom;type;code\nA;commune;38185\nB;commune;38185\n",
    b"nom;type\nA;commune\n;commune\n",
    "nom;type\n'; DROP TABLE collectivite; --;commune\n%;autre\n_;autre\n",
    "nom;type\n" + "\u202e" + "elbonerG;commune\n",
]


async def test_collectivites_import_writes_all_or_nothing(database) -> None:
    for guild_id, data in enumerate(CSV_CASES, start=100):
        data = data.encode() if isinstance(data, str) else data
        await _import_all_or_nothing(database, data, guild_id)


async def _import_all_or_nothing(database, data: bytes, guild_id: int = 42) -> None:
    async with database.begin() as session:
        session.add(Collectivite(guild_id=guild_id, name="Existante", name_key="existante"))

    async def state() -> tuple[int, int]:
        async with database.read() as session:
            rows = (
                await session.execute(select(func.count()).select_from(Collectivite))
            ).scalar_one()
            audits = (
                await session.execute(select(func.count()).select_from(AuditEvent))
            ).scalar_one()
        return rows, audits

    before = await state()
    parsed = _parse(data) if len(data) <= collectivites_service.MAX_FILE_BYTES else None
    try:
        async with database.begin() as session:
            report = await collectivites_service.import_csv(session, guild_id, data, actor_id=7)
    except InvalidInput as error:
        assert_catalog_error(error.key, error.params)
        assert await state() == before, "a refused import wrote something"
        return
    assert parsed is not None and not parsed.errors
    rows, audits = await state()
    assert rows == before[0] + len(report.created) and audits == before[1] + 1
    async with database.read() as session:
        stored = {
            c.name: c.name_key for c in (await session.execute(select(Collectivite))).scalars()
        }
    for row in parsed.rows:
        assert row.name in stored and stored[row.name] == collectivites_service.name_key(row.name)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=csv_files())
def test_collectivites_import_of_hostile_files_on_sqlite(sqlite_factory, data: bytes) -> None:
    """Many hostile files against a real (SQLite) database: all or nothing, never a crash."""
    import asyncio

    from rtes_bot.db import Database

    async def run() -> None:
        url = sqlite_factory.new()
        database = Database(url)
        try:
            await _import_all_or_nothing(database, data)
        finally:
            await database.dispose()
            sqlite_factory.drop(url)

    asyncio.run(run())


# ----------------------------------------------------------------------------- charter uploads


@FAST
@given(st.one_of(st.binary(max_size=300), hostile_text(max_size=3000).map(lambda s: s.encode())))
@example(b"\xef\xbb\xbf")
@example(b"Charte\n\x00")
@example("# Titre\n\nTexte".encode("utf-16"))
@example("Économie sociale".encode("latin-1"))
def test_charter_uploads_are_read_or_refused_precisely(data: bytes) -> None:
    try:
        text = charter.decode_upload(data)
    except InvalidInput as error:
        assert error.key.startswith("charte.publier."), error.key
        assert_catalog_error(error.key, error.params)
        return
    assert text.strip() and "\x00" not in text


@FAST
@given(
    st.lists(
        st.one_of(
            hostile_text(max_size=200),
            st.sampled_from(["# Charte", "## Historique", "Charte", "", "- puce", "#", "# "]),
        ),
        max_size=25,
    ).map("\n".join),
    hostile_text(max_size=100),
)
def test_charter_text_splits_into_parts_and_parts_are_found_or_refused(
    text: str, wanted: str
) -> None:
    parts = charter_text.parts(text)
    slugs = [part.slug for part in parts]
    assert len(slugs) == len(set(slugs)) and all(slugs)
    assert all(part.body.strip() for part in parts)
    for part in parts:
        assert isinstance(part.paragraphs(), list)
    try:
        found = charter_text.find_part(text, wanted)
    except InvalidInput as error:
        assert error.key == "charte.partie-inconnue"
        assert_catalog_error(error.key, error.params)
        return
    assert found in parts


async def test_publishing_hostile_charter_uploads_stores_them_verbatim_or_refuses(database) -> None:
    """What `/admin charte-publier` does with a file: decode, then publish (both backends)."""
    async with database.begin() as session:
        await charter.current_version(session, 1)
    latest = 1
    texts = [
        *CORPUS[::5],
        "# Charte\n\n" + "\n".join(CORPUS),
        "x" * (charter.MAX_CHARTER_BYTES + 1),
    ]
    for text in texts:
        try:
            decoded = charter.decode_upload(text.encode())
            async with database.begin() as session:
                version, _ = await charter.publish(session, guild_id=1, text=decoded, actor_id=9)
                number = version.version
        except (InvalidInput, Conflict) as error:
            assert error.key.startswith("charte.publier."), error.key
            assert_catalog_error(error.key, error.params)
            async with database.read() as session:
                assert (await charter.current_version(session, 1)).version == latest
            continue
        latest = number
        async with database.read() as session:
            stored = await charter.get_version(session, 1, number)
        assert stored.text == decoded
    assert latest > len(texts) // 2


# ----------------------------------------------------------------------------- ballot files


@FAST
@given(
    st.sampled_from(METHODS),
    st.one_of(
        hostile_text(max_size=400),
        st.lists(
            st.lists(
                st.one_of(
                    st.sampled_from(["1", "x", "", "0", "2", "Très bien", "9" * 5000, "፩", "-1"]),
                    hostile_text(max_size=30),
                ),
                max_size=5,
            ),
            max_size=6,
        ).map(lambda rows: "\n".join(",".join(row) for row in rows)),
    ),
)
@example(JUGEMENT_MAJORITAIRE, "A,B\n፩,\n")
@example(NOTES, "A,B\n" + "9" * 5000 + ",\n")
@example(CLASSEMENT, "A,B\n" + "9" * 5000 + ",1\n")
@example(POUR_CONTRE, "\r0")
@example(NOTES, 'A,B\n"' + "1" * 200_000 + '",\n')
def test_ballot_csv_is_read_or_refused_with_count_error(method: str, text: str) -> None:
    try:
        options, ballots = read_ballots_csv(text, method)
    except CountError:
        return
    assert isinstance(options, list)
    for ballot in ballots:
        assert isinstance(ballot.weight, int) and ballot.weight >= 0


def test_strategy_corpus_covers_every_category() -> None:
    joined = "".join(CORPUS)
    for needle in (
        "@everyone",
        "@here",
        "<@&",
        "<#",
        "DROP TABLE",
        "{0}",
        "%s",
        "\u202e",
        "\ufeff",
        "\x00",
        "||",
    ):
        assert needle in joined, needle
    assert any(len(s) >= 6000 for s in CORPUS)
    assert set(string.digits) & set(joined)


# ----------------------------------------------------------------------------- the probe itself


def test_the_probe_flags_leaks_generic_errors_stray_refusal_text_and_pings(monkeypatch) -> None:
    """The end-to-end checks catch what they claim to (a harness that flags nothing proves nothing)."""
    from types import SimpleNamespace

    from tests.emulator import RequestRecord
    from tests.support.hostile import Probe

    bot = SimpleNamespace(id=1)
    victim = SimpleNamespace(id=2)

    def message(content: str, **extra: object) -> SimpleNamespace:
        fields = {"mention_everyone": False, "mention_roles": [], "mentions": [], "edits": []}
        return SimpleNamespace(id=len(content), author=bot, content=content, **{**fields, **extra})

    emu = SimpleNamespace(
        bot=bot,
        messages={
            1: message("@everyone", mention_everyone=True),
            2: message("<@&3>", mention_roles=[3]),
            3: message("<@2>", mentions=[victim]),
            4: message("rien"),
        },
        requests=[
            RequestRecord("POST", "/channels/9/messages", {}, {"content": "@here"}),
            RequestRecord("POST", "/interactions/9/t/callback", {},
                          {"type": 4, "data": {"content": "<@2>", "allowed_mentions": {"parse": ["users"]}}}),
            RequestRecord("POST", "/channels/9/threads", {},
                          {"message": {"content": "<@2>", "allowed_mentions": {"parse": [], "users": ["2"]}}}),
            RequestRecord("POST", "/channels/9/messages", {},
                          {"content": "@everyone", "allowed_mentions": {"parse": []}}),
        ],
    )  # fmt: skip
    with Probe(SimpleNamespace(emu=emu), SimpleNamespace(records=[]), monkeypatch) as probe:
        probe.check_text("w", "x", "Refusé : ValueError: invalid literal")
        probe.check_text("w", "x", "Traceback (most recent call last):")
        probe.check_text("w", "x", t("erreur.inattendue", "en"))
        probe.check_text("w", "KeyError", "« KeyError » inconnu")  # the user's own text: fine
        probe.check_catalog_text(
            "w", "x", "Domaine inconnu\nligne ajoutée", [("k", "Domaine inconnu")]
        )
        probe.check_catalog_text(
            "w", "x", "• Domaine inconnu\nSuite…", [("k", "Domaine inconnu\nSuite longue")]
        )
        probe.check_mentions("w", "x")
        problems = [v.problem for v in probe.violations]
    assert len(problems) == 10, problems
    assert sum("leaks" in p for p in problems) == 2
    assert sum("erreur inattendue" in p for p in problems) == 1
    assert sum("not from the catalog" in p for p in problems) == 1
    assert sum(p.startswith("message") and "pings" in p for p in problems) == 3
    assert sum("sends mentions" in p for p in problems) == 3
