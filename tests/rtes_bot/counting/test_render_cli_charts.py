"""Explanations in French and English, catalog coverage, PNG charts, the recount command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction

import pytest
from click.testing import CliRunner

from rtes_bot.catalog import CATALOG, has
from rtes_bot.counting import (
    Ballot,
    PollSpec,
    chart_png,
    count,
    read_abif,
    render_result,
    render_summary,
    write_ballots_csv,
)
from rtes_bot.counting.cli import recount
from rtes_bot.counting.render import outcome_sentence
from tests.support import paths

ROOT = paths.ROOT
COUNTING_SOURCES = sorted((ROOT / "rtes_bot" / "counting").glob("*.py"))


def sample_results():
    options = ["Alpha", "Beta", "Gamma"]
    yield (
        PollSpec("pour-contre", electorate_weight=10, quorum=Fraction(1, 2)),
        [
            Ballot("pour", 3),
            Ballot("contre"),
            Ballot("abstention"),
        ],
    )
    yield PollSpec("choix-unique", options), [Ballot([0], 2), Ballot([1]), Ballot([])]
    yield PollSpec("approbation", options, max_choices=2), [Ballot([0, 1]), Ballot([1])]
    yield (
        PollSpec("classement", options),
        [Ballot({"0": 1, "1": 2}), Ballot({"2": 1}), Ballot({"1": 1, "2": 1})],
    )
    yield (
        PollSpec("classement", options, default_option="Gamma"),
        [Ballot({"0": 1, "2": 2, "1": 3})],
    )
    yield (
        PollSpec("classement", options, irv=True, seed="s"),
        [
            Ballot({"0": 1, "1": 2}, 2),
            Ballot({"1": 1}, 2),
            Ballot({"2": 1, "1": 2}),
        ],
    )
    yield (
        PollSpec("jugement-majoritaire", options),
        [Ballot({"0": 6, "1": 3}), Ballot({"0": 2, "2": 4})],
    )
    yield PollSpec("notes", options), [Ballot({"0": 5, "1": 3}), Ballot({"1": 4})]


@pytest.mark.parametrize(("spec", "ballots"), list(sample_results()))
def test_render_both_languages(spec, ballots):
    result = count(spec, ballots)
    french, english = render_result(result, "fr"), render_result(result, "en-GB")
    assert french != english
    for text in (french, english):
        assert "{" not in text and "counting." not in text
        for winner in result.winners:
            if spec.method != "pour-contre":
                assert winner in text
    summary = render_summary(result, "fr")
    assert 2 <= len(summary.splitlines()) <= 8
    # Both start with the plain outcome sentence.
    assert summary.splitlines()[0] == french.splitlines()[0] == outcome_sentence(result, "fr")
    assert english.splitlines()[0] == outcome_sentence(result, "en")
    if spec.method == "pour-contre":
        assert "Adoptée" in french and "Adopted" in english
    if spec.irv:
        assert "Tour 1" in french and "Round 1" in english
    if spec.method == "jugement-majoritaire":
        assert "**Passable +**" in french and "Reject" in english


def test_chart_png():
    for spec, ballots in sample_results():
        png = chart_png(spec, count(spec, ballots))
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width >= 400 and height >= 200


def test_every_key_used_exists_in_both_languages():
    used = set()
    for path in COUNTING_SOURCES:
        used |= set(re.findall(r"\"(counting\.[a-z0-9_.\-]+)\"", path.read_text(encoding="utf-8")))
    assert used, "no key found"
    for key in used:
        # A key given to `render.counted` has a singular and a plural form.
        assert has(key) or (has(f"{key}.one") and has(f"{key}.many")), key
    for key, entry in CATALOG.items():
        if key.startswith("counting."):
            assert entry["fr"].strip() and entry["en"].strip(), key
            params_fr = set(re.findall(r"\{(\w+)", entry["fr"]))
            params_en = set(re.findall(r"\{(\w+)", entry["en"]))
            assert params_fr == params_en, key


def test_package_is_pure_and_defers_matplotlib():
    code = (
        "import sys, rtes_bot.counting as c\n"
        "assert 'discord' not in sys.modules, 'discord imported'\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'\n"
        "assert 'sqlalchemy' not in sys.modules and 'sqlmodel' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    for path in COUNTING_SOURCES:
        source = path.read_text(encoding="utf-8")
        assert "import discord" not in source
        if path.name != "cli.py":  # only the recount command reads a file
            assert "open(" not in source and "read_text(" not in source


def test_recount_cli_text_and_json(tmp_path):
    spec = PollSpec("pour-contre")
    csv_file = tmp_path / "ballots.csv"
    csv_file.write_text(
        write_ballots_csv(spec, [Ballot("pour", 5), Ballot("contre", 3), Ballot("abstention", 4)]),
        encoding="utf-8",
    )
    runner = CliRunner()
    text = runner.invoke(
        recount, [str(csv_file), "--method", "pour-contre", "--majority", "deux-tiers"]
    )
    assert text.exit_code == 0, text.output
    assert "Rejetée" in text.output and "Pour : 5" in text.output
    as_json = runner.invoke(
        recount,
        [
            str(csv_file),
            "--method",
            "pour-contre",
            "--json",
            "--electorate",
            "30",
            "--quorum",
            "50%",
        ],
    )
    data = json.loads(as_json.output)
    assert data["counts"] == {"pour": 5, "contre": 3, "abstention": 4}
    assert data["outcome"] == "quorum-non-atteint" and data["quorum_required"] == "15"
    english = runner.invoke(recount, [str(csv_file), "--method", "pour-contre", "--locale", "en"])
    assert "Adopted" in english.output


def test_recount_cli_abif_irv(tmp_path):
    source = ROOT / "tests/data/elections/abiftool/burl2009.abif"
    path = tmp_path / "burl.abif"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(
        recount, [str(path), "--method", "classement", "--irv", "--seed", "x", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["winners"] == ["Bob Kiss (Progressive)"]
    assert data["ranking"][0] == ["Bob Kiss (Progressive)"] and data["seed"] == "x"
    assert [r["votes"].get("Bob Kiss (Progressive)") for r in data["rounds"]] == [2585, 2981, 4313]
    text = runner.invoke(recount, [str(path), "--method", "classement"])
    assert "Andy Montroll (Democrat)" in text.output and "Condorcet" in text.output
    # Same count as the library.
    options, ballots = read_abif(source.read_text(encoding="utf-8"), names=True)
    assert count(PollSpec("classement", options), ballots).winners == ["Andy Montroll (Democrat)"]


def test_recount_cli_errors(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("A,B\n1,1\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(recount, [str(path), "--method", "choix-unique"])
    assert out.exit_code != 0 and "several choices" in out.output
    abif = tmp_path / "x.abif"
    abif.write_text("1:A>B\n", encoding="utf-8")
    assert runner.invoke(recount, [str(abif), "--method", "notes"]).exit_code != 0
