"""Explain a result in French or English (Discord markdown) and serialise it to JSON."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from rtes_bot.catalog import ENGLISH, language_of, t
from rtes_bot.counting.model import DEFAULT_MAX_SCORE, EGALITE, ELU, Result


def format_number(value: Fraction | int, locale: object | None, digits: int = 1) -> str:
    """Display a number (exact value rounded for display only), French decimal comma."""
    value = Fraction(value)
    if value.denominator == 1:
        text = str(value.numerator)
    else:
        text = f"{float(value):.{digits}f}"
    return text if language_of(locale) == ENGLISH else text.replace(".", ",")


def _percent(value: Fraction, locale: object | None) -> str:
    return format_number(value * 100, locale)


def quote_options(options: list[str], locale: object | None) -> str:
    if language_of(locale) == ENGLISH:
        return ", ".join(f"“{o}”" for o in options)
    return ", ".join(f"« {o} »" for o in options)


def method_name(
    result: Result, locale: object | None = None, max_score: int = DEFAULT_MAX_SCORE
) -> str:
    return result.voting_method.display_name(locale, irv=result.irv, max_score=max_score)


def outcome_text(result: Result, locale: object | None = None) -> str:
    if result.outcome in (ELU, EGALITE):
        return t(f"counting.outcome.{result.outcome}", locale, winners=" = ".join(result.winners))
    return t(f"counting.outcome.{result.outcome}", locale)


def _turnout_lines(result: Result, locale: object | None) -> list[str]:
    lines = []
    if result.quorum_required is not None:
        lines.append(
            t(
                "counting.render.quorum_ok"
                if result.quorum_reached
                else "counting.render.quorum_ko",
                locale,
                required=format_number(result.quorum_required, locale),
                turnout=result.turnout,
            )
        )
    if result.electorate:
        first = t(
            "counting.render.turnout_electorate",
            locale,
            turnout=result.turnout,
            electorate=result.electorate,
            percent=_percent(Fraction(result.turnout, result.electorate), locale),
            ballots=result.ballots,
        )
    else:
        first = t("counting.render.turnout", locale, turnout=result.turnout, ballots=result.ballots)
    lines.insert(0, first)
    return lines


def _matrix(labels: list[str], matrix: list[list[int]]) -> list[str]:
    width = max(len(str(v)) for row in matrix for v in row) if matrix else 1
    names = [label[:12] for label in labels]
    name_width = max((len(n) for n in names), default=1)
    header = " " * (name_width + 4) + " ".join(f"{i + 1:>{width}}" for i in range(len(labels)))
    rows = [header]
    for i, row in enumerate(matrix):
        cells = " ".join(f"{'-' if i == j else v:>{width}}" for j, v in enumerate(row))
        rows.append(f"{f'{i + 1}.{names[i]}':<{name_width + 3}} {cells}")
    return ["```", *rows, "```"]


def schulze_lines(result: Result, locale: object | None) -> list[str]:
    detail = result.schulze
    assert detail is not None
    lines = [t("counting.render.schulze_intro", locale)]
    if detail.condorcet_winner is not None:
        lines.append(t("counting.render.condorcet", locale, option=detail.condorcet_winner))
    else:
        lines.append(t("counting.render.no_condorcet", locale))
    if detail.default_option is not None:
        lines.append(t("counting.render.default_option", locale, option=detail.default_option))
        for option, (votes_for, votes_against) in detail.dropped.items():
            lines.append(
                t(
                    "counting.render.dropped",
                    locale,
                    option=option,
                    votes_for=votes_for,
                    votes_against=votes_against,
                )
            )
    lines.append(t("counting.render.pairwise", locale))
    lines += _matrix(detail.options, detail.pairwise)
    lines.append(t("counting.render.strongest", locale))
    lines += _matrix(detail.options, detail.strongest)
    return lines


def irv_lines(result: Result, locale: object | None) -> list[str]:
    detail = result.irv_detail
    assert detail is not None
    lines = [t("counting.render.irv_intro", locale)]
    exhausted_label = t("counting.render.irv_exhausted_label", locale)
    for rnd in detail.rounds:
        votes = ", ".join(
            f"{label} {v}" for label, v in sorted(rnd.votes.items(), key=lambda kv: -kv[1])
        )
        lines.append(t("counting.render.irv_round", locale, number=rnd.number, votes=votes))
        if rnd.exhausted:
            lines.append(
                t(
                    "counting.render.irv_exhausted",
                    locale,
                    exhausted=rnd.exhausted,
                    overvotes=rnd.overvotes,
                )
            )
        if rnd.eliminated:
            tied = next(
                (tb.options for tb in result.tie_breaks if tb.round == rnd.number), rnd.eliminated
            )
            lines.append(
                t(
                    f"counting.render.irv_eliminated.{rnd.rule}",
                    locale,
                    options=", ".join(rnd.eliminated),
                    tied=", ".join(tied),
                )
            )
            transfers = ", ".join(
                f"{to or exhausted_label} +{w}" for to, w in sorted(rnd.transfers.items()) if w
            )
            if transfers:
                lines.append(t("counting.render.irv_transfers", locale, transfers=transfers))
        elif rnd.rule == "majority" and result.winners:
            winner = result.winners[0] if result.winners else ""
            lines.append(
                t(
                    "counting.render.irv_majority",
                    locale,
                    option=winner,
                    votes=rnd.votes.get(winner, 0),
                    total=sum(rnd.votes.values()),
                )
            )
    if any(tb.rule == "lot" for tb in result.tie_breaks) or detail.seed:
        lines.append(
            t(
                "counting.render.irv_lot",
                locale,
                seed=detail.seed,
                order=" > ".join(detail.lot_order),
            )
        )
    return lines


def grade_text(grade: int, gauge: str, locale: object | None) -> tuple[str, str]:
    return t(f"counting.grade.{grade}", locale), {"+": "+", "-": "−"}.get(gauge, "")


def mj_lines(result: Result, locale: object | None) -> list[str]:
    detail = result.majority_judgment
    assert detail is not None
    profiles = {p.option: p for p in detail.profiles}
    lines = [t("counting.render.mj_intro", locale)]
    rank = 1
    for group in result.ranking:
        for option in group:
            p = profiles[option]
            grade, gauge = grade_text(p.median, p.gauge, locale)
            lines.append(
                t(
                    "counting.render.mj_line",
                    locale,
                    rank=rank,
                    option=option,
                    grade=grade,
                    gauge=f" {gauge}" if gauge else "",
                    above=_percent(p.above, locale),
                    below=_percent(p.below, locale),
                )
            )
        rank += len(group)
    return lines


def pour_contre_lines(result: Result, locale: object | None) -> list[str]:
    detail = result.pour_contre
    assert detail is not None
    lines = [
        t(
            "counting.render.pour_contre_counts",
            locale,
            pour=detail.pour,
            contre=detail.contre,
            abstention=detail.abstention,
        ),
        t(
            "counting.render.rule",
            locale,
            rule=t(
                f"counting.majority.{detail.majority}",
                locale,
                threshold=format_number(detail.threshold, locale),
            ),
        ),
    ]
    if detail.pour == detail.contre:
        lines.append(t("counting.render.tie_rejects", locale))
    return lines


def render_result(result: Result, locale: object | None = None) -> str:
    """The full explanation: method, turnout and quorum, rounds or matrices, ranking, outcome."""
    method = result.voting_method
    lines = [t("counting.render.title", locale, method=method_name(result, locale))]
    lines += _turnout_lines(result, locale)
    lines += method.explanation_lines(result, locale)
    lines += method.tie_lines(result, locale)
    lines.append(t("counting.render.outcome", locale, outcome=outcome_text(result, locale)))
    lines.append(t("counting.render.recount", locale))
    return "\n".join(lines)


def render_summary(result: Result, locale: object | None = None) -> str:
    """A few lines for the poll message: outcome, turnout, the top of the ranking."""
    lines = [t("counting.render.outcome", locale, outcome=outcome_text(result, locale))]
    lines += result.voting_method.summary_lines(result, locale)
    lines += _turnout_lines(result, locale)
    return "\n".join(lines)


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def result_to_json(result: Result) -> dict[str, Any]:
    """A JSON-serialisable dict: ranking, winners, outcome, counts, turnout and method details."""
    data: dict[str, Any] = {
        "method": result.method,
        "irv": result.irv,
        "options": list(result.options),
        "ranking": [list(group) for group in result.ranking],
        "winners": list(result.winners),
        "outcome": result.outcome,
        "turnout": result.turnout,
        "electorate": result.electorate,
        "ballots": result.ballots,
        "quorum_required": _fraction(result.quorum_required),
        "quorum_reached": result.quorum_reached,
        "counts": dict(result.counts),
        "tie_breaks": [
            {"options": tb.options, "rule": tb.rule, "chosen": tb.chosen, "round": tb.round}
            for tb in result.tie_breaks
        ],
    }
    if result.pour_contre is not None:
        pc = result.pour_contre
        data["majority"] = pc.majority
        data["threshold"] = str(pc.threshold)
        data["threshold_strict"] = pc.strict
    if result.tally is not None:
        data["blank"] = result.tally.blank
        if result.tally.means:
            data["means"] = {k: str(v) for k, v in result.tally.means.items()}
    if result.schulze is not None:
        s = result.schulze
        data["pairwise"] = s.pairwise
        data["strongest_paths"] = s.strongest
        data["condorcet_winner"] = s.condorcet_winner
        data["default_option"] = s.default_option
        data["dropped"] = {k: list(v) for k, v in s.dropped.items()}
    if result.irv_detail is not None:
        data["seed"] = result.irv_detail.seed
        data["lot_order"] = result.irv_detail.lot_order
        data["rounds"] = [
            {
                "number": r.number,
                "votes": r.votes,
                "exhausted": r.exhausted,
                "overvotes": r.overvotes,
                "eliminated": r.eliminated,
                "transfers": r.transfers,
                "rule": r.rule,
            }
            for r in result.irv_detail.rounds
        ]
    if result.majority_judgment is not None:
        data["profiles"] = [
            {
                "option": p.option,
                "tally": p.tally,
                "majority_grade": p.median,
                "gauge": p.gauge,
                "above": str(p.above),
                "below": str(p.below),
            }
            for p in result.majority_judgment.profiles
        ]
    return data
