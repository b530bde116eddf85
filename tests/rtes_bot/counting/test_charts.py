"""Every method's chart with long French names: the question as title, names whole (wrapped),
whole-number ticks, thresholds drawn, and no text outside the figure at Discord's preview size.

The PNGs are written to ``RTES_CHARTS_DIR`` when it is set (for a person to look at them)."""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt
from matplotlib.text import Text

from rtes_bot.catalog import t
from rtes_bot.counting import Ballot, PollSpec, count
from rtes_bot.counting.charts import DPI, chart_figure, chart_png
from rtes_bot.counting.render import quorum_needed, votes_needed

QUESTION = (
    "Quel projet le réseau doit-il financer en priorité en 2027 pour développer l'économie "
    "sociale et solidaire sur nos territoires ?"
)
NAMES = [
    "Communauté d'agglomération du Grand Saint-Étienne Métropole",
    "Développement de la démocratie participative et de l'éducation populaire",
    "Coopératives d'habitants et foncier solidaire",
    "Monnaie locale complémentaire",
    "Excellence des circuits courts alimentaires en restauration collective",
]


def cases() -> list[tuple[str, PollSpec, list[Ballot]]]:
    n = len(NAMES)
    ranked = [
        Ballot({"0": 1, "1": 2, "2": 3}, 4),
        Ballot({"1": 1, "0": 2}, 3),
        Ballot({"2": 1, "3": 2, "1": 3}, 2),
        Ballot({"3": 1, "4": 2}, 1),
        Ballot({"4": 1, "2": 2}, 1),
    ]
    return [
        (
            "pour-contre",
            PollSpec(
                "pour-contre", majority="deux-tiers", electorate_weight=40, quorum=Fraction(1, 4)
            ),
            [Ballot("pour", 12), Ballot("contre", 4), Ballot("abstention", 2)],
        ),
        (
            "choix-unique",
            PollSpec("choix-unique", NAMES, electorate_weight=30, quorum=Fraction(1, 3)),
            [Ballot([i], w) for i, w in zip(range(n), [7, 5, 3, 2, 1], strict=True)],
        ),
        (
            "approbation",
            PollSpec("approbation", NAMES),
            [Ballot([0, 1], 3), Ballot([1, 4], 2), Ballot([2], 1)],
        ),
        ("classement-schulze", PollSpec("classement", NAMES), ranked),
        ("classement-irv", PollSpec("classement", NAMES, irv=True, seed="2027"), ranked),
        (
            "jugement-majoritaire",
            PollSpec("jugement-majoritaire", NAMES),
            [Ballot({str(i): (i + k) % 7 for i in range(n)}, 1 + k % 2) for k in range(7)],
        ),
        (
            "notes",
            PollSpec("notes", NAMES),
            [Ballot({str(i): (i * 2 + k) % 6 for i in range(n)}) for k in range(6)],
        ),
    ]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("name", "spec", "ballots"), cases(), ids=[c[0] for c in cases()])
def test_every_method_chart_fits_with_long_french_names(name, spec, ballots):
    result = count(spec, ballots)
    fig = chart_figure(spec, result, "fr", QUESTION)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        width, height = box.width, box.height
        # Discord's preview: about 550 px wide; the figure is drawn at that scale.
        assert 540 <= width <= 660 and height <= 1400, (width, height)
        texts = [
            artist
            for artist in fig.findobj(Text)
            if artist.get_visible()
            and artist.get_text().strip()
            and (artist.axes is None or artist.axes.get_visible())
        ]
        for artist in texts:
            extent = artist.get_window_extent(renderer)
            assert extent.x0 >= -0.5 and extent.y0 >= -0.5, (artist.get_text(), extent)
            assert extent.x1 <= width + 0.5 and extent.y1 <= height + 0.5, (
                artist.get_text(),
                extent,
            )
        # The question is the title, whole.
        assert fig.get_suptitle() and _flat(fig.get_suptitle()) == _flat(QUESTION)
        # Every option name is shown whole (wrapped on several lines, never cut).
        shown = {_flat(artist.get_text()) for artist in texts}
        names = result.options
        if name == "pour-contre":
            names = [t(f"counting.choice.{c}", "fr") for c in result.options]
        for option in names:
            assert option in shown, option
        # Whole-number ticks only, on every visible axis.
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            for label in ax.get_xticklabels():
                text = label.get_text().replace("\u2212", "-")
                if text:
                    assert re.fullmatch(r"-?\d+", text), (name, text)
        # Thresholds drawn where there is one.
        lines = [line for ax in fig.axes for line in ax.get_lines()]
        if name == "pour-contre":
            needed, _ = votes_needed(result.pour_contre)
            assert needed == 11
            xs = {line.get_xdata()[0] for line in lines}
            assert {11, quorum_needed(result)} <= xs
        if name == "classement-irv":
            last = result.rounds[-1]
            assert [list(line.get_xdata()) for line in lines] == [
                [sum(last.votes.values()) // 2 + 1] * 2
            ]
        if name == "jugement-majoritaire":
            assert any(list(line.get_xdata()) == [50, 50] for line in lines)
        # Legends are inside the figure too (checked above as texts); never a cut grade name.
        if name == "jugement-majoritaire":
            assert {"Excellent", "Très bien", "À rejeter"} <= shown
    finally:
        plt.close(fig)
    png = chart_png(spec, result, "fr", QUESTION)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == round(width)
    assert DPI == 100
    target = os.environ.get("RTES_CHARTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / f"{name}.png").write_bytes(png)
