"""Result charts as PNG bytes, French labels by default; matplotlib is imported on first use.

Every chart is drawn for Discord's preview (about 550 pixels wide: 6 × 5.x inches at 100 dpi,
texts of 10 points or more): the poll's question as title (wrapped, never cut), the method below
it, option names wrapped on several lines (never cut), whole-number ticks only, the rule's
threshold as a line where there is one (pour-contre: the « pour » needed and the quorum; IRV:
the majority of the last round, each round's in the legend), and legends inside the figure (constrained layout; ``tests/rtes_bot/counting/test_charts.py`` checks that no
text falls outside).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rtes_bot.catalog import t
from rtes_bot.counting import render
from rtes_bot.counting.model import PollSpec, Result

# Worst (red) to best (green): readable on a phone, in light and dark themes.
_GRADE_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#e0e0e0", "#d1e5f0", "#67a9cf", "#1a9850")
_BAR = "#3b6fb6"
_LINE = "#c0392b"

WIDTH_IN = 6.0  # inches: 600 pixels at DPI, shown at about 550 in Discord's preview
DPI = 100
TITLE_WIDTH = 48  # characters per line of the title (13 pt)
LABEL_WIDTH = 24  # characters per line of an option name (10-11 pt)
_LINE_IN = 0.19  # height of one line of an option name, inches


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def wrap(text: str, width: int) -> str:
    """``text`` on lines of at most ``width`` characters where it can break (words are never cut;
    a word longer than a line stays whole on its own line)."""
    return "\n".join(
        textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=True) or [text]
    )


@dataclass(frozen=True)
class Frame:
    """What every chart shows around its plot: the question, the method, a footer line."""

    question: str
    method: str
    footer: str | None = None


def frame_of(result: Result, locale: object | None, question: str | None, max_score: int) -> Frame:
    """The question (the method's name without one), the method, the turnout and quorum line."""
    method = render.method_name(result, locale, max_score)
    footer = None
    if render.quorum_needed(result) is not None:
        footer = render.turnout_line(result, locale)
    return Frame(question or method, method, footer)


def _figure(frame: Frame, plot_height: float) -> tuple[Any, Any]:
    """A figure sized for the preview: room for the wrapped title, the plots and the footer."""
    plt = _pyplot()
    title = wrap(frame.question, TITLE_WIDTH)
    title_lines = title.count("\n") + 1
    extra = 0.75 + 0.25 * title_lines + (0.2 if frame.footer else 0)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, plot_height + extra), dpi=DPI, layout="constrained")
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig, ax


def _subtitle(ax: Any, frame: Frame) -> None:
    """The method (and the turnout against the quorum) above the plot."""
    text = frame.method if not frame.footer else f"{frame.method} · {frame.footer}"
    ax.set_title(wrap(text, 56), fontsize=9.5, color="#444444")


def _rows_height(labels: Sequence[str]) -> float:
    lines = sum(wrap(label, LABEL_WIDTH).count("\n") + 1 for label in labels)
    return max(1.6, _LINE_IN * lines + 0.25 * len(labels) + 0.9)


def _integer_ticks(ax: Any, top: float) -> None:
    from matplotlib.ticker import MaxNLocator

    high = max(top, 1) * 1.18
    ticks = MaxNLocator(nbins=5, integer=True, min_n_ticks=1).tick_values(0, high)
    ax.set_xticks([int(tick) for tick in ticks if 0 <= tick <= high])
    ax.set_xlim(0, high)


def _label_rows(ax: Any, labels: Sequence[str]) -> list[int]:
    y = list(range(len(labels)))[::-1]
    ax.set_yticks(y, labels=[wrap(label, LABEL_WIDTH) for label in labels], fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return y


def _values(ax: Any, y: Sequence[float], values: Sequence[int | None], top: float) -> None:
    """Each bar's value at its end (none for an option out of the count)."""
    for yi, v in zip(y, values, strict=True):
        if v is not None:
            ax.text(v + max(top, 1) * 0.015, yi, str(v), va="center", fontsize=10)


def _segment(ax: Any, x: float, y: float, label: str, style: str = "--") -> Any:
    """A threshold as a vertical segment across one bar's row (``label`` goes to the legend)."""
    return ax.plot([x, x], [y - 0.45, y + 0.45], style, color=_LINE, linewidth=2, label=label)[0]


def _legend(fig: Any, handles: list[Any], ncols: int = 1, title: str | None = None) -> None:
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=ncols,
            fontsize=10,
            title=title,
            title_fontsize=9.5,
        )


def bars(
    frame: Frame,
    labels: list[str],
    values: Sequence[int],
    axis: str,
    *,
    thresholds: Sequence[tuple[int, float, str]] = (),
) -> Any:
    """Horizontal bars, one per label, in the given order; ``thresholds``: (row, x, legend)."""
    fig, ax = _figure(frame, _rows_height(labels))
    y = _label_rows(ax, labels)
    ax.barh(y, values, color=_BAR)
    top = max([*values, *(x for _, x, _ in thresholds)], default=0)
    _values(ax, y, values, top)
    ax.set_xlabel(axis, fontsize=10)
    _subtitle(ax, frame)
    _integer_ticks(ax, top)
    handles = [_segment(ax, x, y[row], label) for row, x, label in thresholds]
    _legend(fig, handles)
    return fig


def merit_profile(frame: Frame, result: Result, locale: object | None) -> Any:
    """Majority judgment: each option's grades as shares of 100 %, the median at 50 %."""
    detail = result.majority_judgment
    assert detail is not None
    profiles = {p.option: p for p in detail.profiles}
    order = [option for group in result.ranking for option in group]
    fig, ax = _figure(frame, _rows_height(order) + 0.2)
    y = _label_rows(ax, order)
    left = [0.0] * len(order)
    handles = []
    for grade, colour in enumerate(_GRADE_COLOURS):
        shares = []
        for option in order:
            tally = profiles[option].tally
            shares.append(100 * tally[grade] / (sum(tally) or 1))
        handles.append(
            ax.barh(
                y,
                shares,
                left=left,
                color=colour,
                label=t(f"counting.grade.{grade}", locale),
                edgecolor="white",
                linewidth=0.5,
            )
        )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    median = ax.axvline(
        50, color="black", linewidth=1.5, linestyle="--", label=t("counting.chart.median", locale)
    )
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(t("counting.chart.share", locale), fontsize=10)
    _subtitle(ax, frame)
    _legend(fig, [*handles, median], ncols=4)
    return fig


def irv_rounds(frame: Frame, result: Result, locale: object | None) -> Any:
    """Instant runoff in one plot: per option, one bar per round it took part in (lighter to
    darker; hatched in the round after which it is eliminated), the majority of the ballots still in play in the last round as a line; the
    legend gives each round's majority."""
    rounds = result.rounds
    order = [option for group in result.ranking for option in group]
    fig, ax = _figure(frame, _rows_height(order) + 0.25 * len(rounds))
    y = _label_rows(ax, order)
    height = 0.8 / len(rounds)
    top = max((v for r in rounds for v in r.votes.values()), default=0)
    handles = []
    blues = _pyplot().get_cmap("Blues")
    for index, rnd in enumerate(rounds):
        colour = blues(0.4 + 0.55 * index / max(len(rounds) - 1, 1))
        offsets = [yi + 0.4 - height * (index + 0.5) for yi in y]
        values = [rnd.votes.get(o) for o in order]  # None: eliminated in an earlier round
        majority = sum(rnd.votes.values()) // 2 + 1
        bars_of_round = ax.barh(
            offsets,
            [v or 0 for v in values],
            height=height * 0.9,
            color=colour,
            label=t("counting.chart.round_majority", locale, number=rnd.number, votes=majority),
        )
        for option, patch in zip(order, bars_of_round.patches, strict=True):
            if option in rnd.eliminated:  # eliminated after this round: hatched
                patch.set_hatch("///")
                patch.set_edgecolor("white")
        handles.append(bars_of_round)
        for yi, v in zip(offsets, values, strict=True):
            if v is not None:
                ax.text(v + max(top, 1) * 0.015, yi, str(v), va="center", fontsize=8.5)
    last = rounds[-1]
    majority = sum(last.votes.values()) // 2 + 1
    line = ax.axvline(
        majority,
        color=_LINE,
        linestyle="--",
        linewidth=1.5,
        label=t("counting.chart.irv_majority", locale, number=last.number, votes=majority),
    )
    ax.set_xlabel(t("counting.chart.votes", locale), fontsize=10)
    _subtitle(ax, frame)
    _integer_ticks(ax, max(top, majority))
    _legend(fig, [*handles, line], ncols=2)
    return fig


def schulze_wins(frame: Frame, result: Result, locale: object | None) -> Any:
    """Schulze: how many options each option beats by strongest paths, in ranking order."""
    detail = result.schulze
    assert detail is not None
    n = len(detail.options)
    p = detail.strongest
    wins = {
        label: sum(1 for j in range(n) if j != i and p[i][j] > p[j][i])
        for i, label in enumerate(detail.options)
    }
    order = [option for group in result.ranking for option in group]
    return bars(frame, order, [wins[o] for o in order], t("counting.chart.wins", locale))


def save_png(fig: Any) -> bytes:
    """The figure as PNG bytes (then closed)."""
    plt = _pyplot()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=DPI)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def chart_figure(
    spec: PollSpec, result: Result, locale: object | None = "fr", question: str | None = None
) -> Any:
    """The matplotlib figure of ``result`` (the caller closes it, or :func:`save_png` does)."""
    frame = frame_of(result, locale, question, spec.max_score)
    return result.voting_method.chart(spec, result, locale, frame)


def chart_png(
    spec: PollSpec, result: Result, locale: object | None = "fr", question: str | None = None
) -> bytes:
    """A PNG chart of ``result``: merit profile (majority judgment), IRV rounds, or bars;
    ``question`` is its title (the method's name without it)."""
    return save_png(chart_figure(spec, result, locale, question))
