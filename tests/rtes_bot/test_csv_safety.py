"""Hostile text made harmless: CSV cells that are never formulas, recount that reads them back
exactly, and names and labels that never become a link or a heading in an official post."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from rtes_bot.admin_cli import audit_as_csv
from rtes_bot.counting import Ballot, PollSpec, count, read_ballots_csv, write_ballots_csv
from rtes_bot.counting.ballots import dense_ranks
from rtes_bot.counting.cli import recount
from rtes_bot.counting.render import result_to_json
from rtes_bot.models import AuditEvent
from rtes_bot.services import audit
from rtes_bot.text import (
    FORMULA_START,
    clean_line,
    csv_cell,
    csv_text,
    csv_value,
    fold,
    plain_block,
    plain_inline,
)

HOSTILE = ['=HYPERLINK("https://evil.example";"x")', "-10 % budget", "+Vélo", "@SUM(A1:A9)"]
PREFIXES = [*FORMULA_START, "'", "''", '"', ";", ",", " ", "[", "#", "# ", "-# ", "> ", ""]
SETTINGS = settings(max_examples=150, deadline=None)

raw_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
) | st.sampled_from(HOSTILE)
hostile_text = st.builds(lambda p, s: p + s, st.sampled_from(PREFIXES), raw_text)


def labels(min_size: int = 2, max_size: int = 6) -> st.SearchStrategy[list[str]]:
    """Option labels as `/scrutin ouvrir` stores them: one line, trimmed, distinct once folded."""
    label = hostile_text.map(clean_line).filter(bool)
    return st.lists(label, min_size=min_size, max_size=max_size, unique_by=fold)


def all_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_no_formula(text: str) -> None:
    """No cell starts with a formula character, except a plain integer the bot wrote itself."""
    for cell in all_cells(text):
        assert not cell.startswith(FORMULA_START) or re.fullmatch(r"-?[0-9]+", cell), cell


# ------------------------------------------------------------------ the one writer


@SETTINGS
@given(hostile_text)
def test_a_cell_is_never_a_formula_and_reads_back_exactly(value):
    cell = csv_cell(value)
    assert not cell.startswith(FORMULA_START)
    assert csv_value(cell) == value


def test_the_owasp_prefix_and_plain_numbers():
    assert [csv_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert csv_cell("'déjà cité") == "''déjà cité"
    assert csv_cell("\tx") == "'\tx" and csv_cell("\rx") == "'\rx"
    assert csv_cell("Vélo") == "Vélo"
    # Numbers the bot writes itself stay numbers, even negative ones; None is an empty cell.
    assert csv_cell(12) == "12" and csv_cell(-3) == "-3" and csv_cell(None) == ""


@SETTINGS
@given(
    st.lists(hostile_text, min_size=1, max_size=5),
    st.lists(st.lists(hostile_text | st.integers(-5, 5), min_size=1, max_size=5), max_size=5),
)
def test_csv_text_neutralises_headers_and_cells(header, rows):
    text = csv_text(header, rows)
    assert_no_formula(text)
    back = list(csv.reader(io.StringIO(text)))
    assert [csv_value(c) for c in back[0]] == header
    for written, read in zip(rows, back[1:], strict=True):
        assert [csv_value(c) for c in read] == [str(c) for c in written]


# ------------------------------------------------------------------ ballots CSV and recount


def contents(method: str, n: int) -> st.SearchStrategy:
    keys = st.sampled_from([str(i) for i in range(n)])
    if method == "choix-unique":
        return st.one_of(st.just([]), st.integers(0, n - 1).map(lambda i: [i]))
    if method == "approbation":
        return st.sets(st.integers(0, n - 1)).map(sorted)
    if method == "classement":
        return st.dictionaries(keys, st.integers(1, n)).map(
            lambda d: dict(sorted(dense_ranks(d).items()))
        )
    top = 6 if method == "jugement-majoritaire" else 5
    return st.dictionaries(keys, st.integers(0, top)).map(lambda d: dict(sorted(d.items())))


METHODS = ["choix-unique", "approbation", "classement", "jugement-majoritaire", "notes"]


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_ballots_csv_is_safe_and_recount_reads_it_back_exactly(method, data, tmp_path_factory):
    options = data.draw(labels())
    ballots = data.draw(
        st.lists(st.builds(Ballot, contents(method, len(options)), st.integers(1, 4)), max_size=8)
    )
    spec = PollSpec(method, options)
    text = write_ballots_csv(spec, ballots)
    assert_no_formula(text)
    read_options, back = read_ballots_csv(text, method)
    assert read_options == options
    key = lambda b: (repr(b.content), b.weight)  # noqa: E731
    assert sorted(back, key=key) == sorted(ballots, key=key)
    # Weights stay plain numbers in their column.
    rows = list(csv.reader(io.StringIO(text)))
    if rows[0][-1] == "poids":
        assert all(re.fullmatch(r"[0-9]+", row[-1]) for row in rows[1:])
    # `rtes-bot recount` on the file gives the same result, labels included.
    path = tmp_path_factory.mktemp("recount") / "bulletins.csv"
    path.write_text(text, encoding="utf-8")
    outcome = CliRunner().invoke(recount, [str(path), "--method", method, "--json"])
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.output) == json.loads(
        json.dumps(result_to_json(count(spec, ballots)), ensure_ascii=False)
    )


def test_the_hostile_labels_of_the_issue():
    spec = PollSpec("choix-unique", HOSTILE)
    text = write_ballots_csv(spec, [Ballot([0]), Ballot([3], 2), Ballot([])])
    header = next(csv.reader(io.StringIO(text)))
    assert header == [*("'" + label for label in HOSTILE), "poids"]
    assert_no_formula(text)
    assert read_ballots_csv(text, "choix-unique")[0] == HOSTILE


def test_a_label_with_semicolons_keeps_the_comma_delimiter():
    spec = PollSpec("choix-unique", ["a;b", "c;d", "e"])
    text = write_ballots_csv(spec, [Ballot([1])])
    assert read_ballots_csv(text, "choix-unique")[0] == ["a;b", "c;d", "e"]


def test_files_written_before_the_quoting_still_read():
    options, ballots = read_ballots_csv("A,B\n1,\n,1\n", "choix-unique")
    assert options == ["A", "B"] and len(ballots) == 2


# ------------------------------------------------------------------ audit exports


def _event(action: str, details: dict) -> AuditEvent:
    return AuditEvent(
        id=7,
        guild_id=1,
        actor_id=2,
        action=action,
        subject_type="=cmd|' /C calc'!A0",
        subject_id=-1,
        details=details,
        created_at=datetime(2026, 12, 6, tzinfo=UTC),
    )


@SETTINGS
@given(hostile_text, hostile_text)
def test_audit_exports_never_hold_a_formula(action, value):
    event = _event(action, {"nom": value})
    text = audit.rows_csv(
        [audit.event_row(event)], ["id", "action", "subject_type", "subject_id", "details"]
    )
    assert_no_formula(text)
    cli = audit_as_csv([{**audit.event_row(event), "details": {"x": value}}])
    assert_no_formula(cli)
    assert all_cells(text)[5:7] == ["7", csv_cell(action)]


# ------------------------------------------------------------------ official posts


_LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\s*\(")
_HEADING = re.compile(r"(?m)^[ \t]*(#{1,3}[ \t]|-#[ \t]|>[ \t]?)")
_ADDRESS = re.compile(r"(?i)\b[a-z]+://")
_ANGLE = re.compile(r"(?<!\\)<")


def live_markdown(text: str) -> list[str]:
    """What Discord would render as a link, a masked link, a heading or a mention."""
    found = []
    for name, pattern in (
        ("masked link", _LIVE_LINK),
        ("heading", _HEADING),
        ("address", _ADDRESS),
        ("angle", _ANGLE),
    ):
        if pattern.search(text):
            found.append(name)
    return found


def shown(text: str) -> str:
    """What Discord shows of escaped text: a backslash before punctuation disappears."""
    return re.sub(r"\\([^0-9A-Za-z\s])", r"\1", text)


@SETTINGS
@given(
    hostile_text.map(lambda s: s.replace("\n", " ")),
    st.sampled_from(["", "• ", "\n", "Déposée par : "]),
)
def test_plain_inline_leaves_nothing_live_and_stays_readable(value, before):
    safe = plain_inline(value)
    assert live_markdown(before + safe) == []
    assert "\n" not in safe
    # The reader sees what was typed (spaces collapsed, invisible characters dropped).
    assert fold(shown(safe)) == fold(shown(plain_inline(shown(safe))))


def test_the_phishing_name_of_the_issue():
    name = "[Bureau RTES — vote officiel](https://evil.example/phish)"
    safe = plain_inline(name)
    assert live_markdown(safe) == []
    assert shown(safe) == name  # shown as typed, inert
    for heading in ("# Vote officiel", "## Vote", "### Vote", "-# petit", "> cité"):
        assert live_markdown(plain_inline(heading)) == []
    assert plain_inline("<@123> et <#456>") == "\\<@123\\> et \\<\\#456\\>"
    assert plain_inline("Zoé Quintard-Lemaire (Petitville)") == "Zoé Quintard-Lemaire (Petitville)"


@SETTINGS
@given(st.lists(hostile_text, max_size=5).map("\n".join))
def test_plain_block_keeps_lines_but_no_link_or_heading(value):
    safe = plain_block(value)
    assert not _LIVE_LINK.search(safe) and not _HEADING.search(safe) and not _ANGLE.search(safe)
    assert safe.count("\n") == value.replace("\r\n", "\n").replace("\r", "\n").count("\n")
