"""Result charts as PNG bytes, French labels by default; matplotlib is imported on first use."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from rtes_bot.catalog import t
from rtes_bot.counting.model import PollSpec, Result

# Worst (red) to best (green): readable on a phone, in light and dark themes.
_GRADE_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#e0e0e0", "#d1e5f0", "#67a9cf", "#1a9850")
_BAR = "#3b6fb6"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any) -> bytes:
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def bars(title: str, labels: list[str], values: Sequence[float], axis: str) -> bytes:
    plt = _pyplot()
    height = max(2.5, 0.55 * len(labels) + 1.2)
    fig, ax = plt.subplots(figsize=(6.4, height))
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=_BAR)
    ax.set_yticks(y, labels=[label[:28] for label in labels], fontsize=12)
    ax.set_xlabel(axis, fontsize=12)
    ax.set_title(title, fontsize=14)
    top = max(values, default=0) or 1
    for yi, v in zip(y, values, strict=True):
        ax.text(v + top * 0.01, yi, f"{v:g}", va="center", fontsize=11)
    ax.set_xlim(0, top * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def merit_profile(result: Result, locale: object | None) -> bytes:
    plt = _pyplot()
    detail = result.majority_judgment
    assert detail is not None
    profiles = {p.option: p for p in detail.profiles}
    order = [option for group in result.ranking for option in group]
    fig, ax = plt.subplots(figsize=(7.2, max(2.8, 0.6 * len(order) + 1.6)))
    y = list(range(len(order)))[::-1]
    left = [0.0] * len(order)
    for grade, colour in enumerate(_GRADE_COLOURS):
        shares = []
        for option in order:
            tally = profiles[option].tally
            total = sum(tally) or 1
            shares.append(100 * tally[grade] / total)
        ax.barh(
            y,
            shares,
            left=left,
            color=colour,
            label=t(f"counting.grade.{grade}", locale),
            edgecolor="white",
            linewidth=0.5,
        )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.axvline(50, color="black", linewidth=1.5, linestyle="--")
    ax.text(50, len(order) - 0.4, t("counting.chart.median", locale), ha="center", fontsize=10)
    ax.set_yticks(y, labels=[o[:28] for o in order], fontsize=12)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("counting.chart.share", locale), fontsize=12)
    ax.set_title(t("counting.method.jugement-majoritaire", locale), fontsize=14, pad=18)
    ax.legend(ncol=4, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    return _png(fig)


def irv_rounds(result: Result, locale: object | None) -> bytes:
    plt = _pyplot()
    rounds = result.rounds
    order = [option for group in result.ranking for option in group]
    fig, axes = plt.subplots(
        1,
        len(rounds),
        figsize=(min(3.2 * len(rounds), 12), max(2.8, 0.5 * len(order) + 1.4)),
        sharey=True,
        squeeze=False,
    )
    y = list(range(len(order)))[::-1]
    top = max((v for r in rounds for v in r.votes.values()), default=0) or 1
    for ax, rnd in zip(axes[0], rounds, strict=True):
        values = [rnd.votes.get(o, 0) for o in order]
        colours = ["#999999" if o in rnd.eliminated else _BAR for o in order]
        ax.barh(y, values, color=colours)
        ax.set_title(t("counting.chart.round", locale, number=rnd.number), fontsize=12)
        ax.set_xlim(0, top * 1.1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    axes[0][0].set_yticks(y, labels=[o[:22] for o in order], fontsize=11)
    fig.suptitle(t("counting.method.classement-irv", locale), fontsize=14)
    return _png(fig)


def schulze_wins(result: Result, locale: object | None) -> bytes:
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
    return bars(
        t("counting.method.classement", locale),
        order,
        [wins[o] for o in order],
        t("counting.chart.wins", locale),
    )


def chart_png(spec: PollSpec, result: Result, locale: object | None = "fr") -> bytes:
    """A PNG chart of ``result``: merit profile (majority judgment), IRV rounds, or bars."""
    return result.voting_method.chart(spec, result, locale)
