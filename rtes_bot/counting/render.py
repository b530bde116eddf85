"""Explain a result in French or English (Discord markdown) and serialise it to JSON."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from rtes_bot.catalog import ENGLISH, language_of, t
from rtes_bot.counting.model import (
    DEFAULT_MAX_SCORE,
    EGALITE,
    ELU,
    QUORUM_NON_ATTEINT,
    PourContreDetail,
    Result,
)


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


#: A tie between more options is told by their number (their names follow in the ranking).
MAX_NAMED_TIES = 4


def join_options(options: list[str], locale: object | None) -> str:
    """« A », « B » et « C » (“A”, “B” and “C”): every name whole."""
    quoted = [quote_options([o], locale) for o in options]
    if len(quoted) < 2:
        return "".join(quoted)
    return t("counting.sentence.and", locale, first=", ".join(quoted[:-1]), last=quoted[-1])


def counted(key: str, n: int, locale: object | None) -> str:
    """« 1 voix », « 2 abstentions », "1 vote": ``key.one`` or ``key.many`` by the language's rule
    (French: 0 and 1 are singular; English: only 1)."""
    one = n == 1 if language_of(locale) == ENGLISH else n < 2
    return t(f"{key}.{'one' if one else 'many'}", locale, n=n)


def method_name(
    result: Result, locale: object | None = None, max_score: int = DEFAULT_MAX_SCORE
) -> str:
    return result.voting_method.display_name(locale, irv=result.irv, max_score=max_score)


def quorum_needed(result: Result) -> int | None:
    """The smallest whole number of votes (weights) meeting the quorum; None without a quorum."""
    if not result.quorum_required:
        return None
    return math.ceil(result.quorum_required)


def turnout_line(result: Result, locale: object | None) -> str:
    """« Participation : 16 voix sur 30 (53,3 %) ; quorum atteint (il fallait au moins 8 voix). »
    No quorum part when there is no quorum."""
    if result.electorate:
        line = t(
            "counting.sentence.turnout_electorate",
            locale,
            turnout=counted("counting.votes", result.turnout, locale),
            electorate=result.electorate,
            percent=_percent(Fraction(result.turnout, result.electorate), locale),
        )
    else:
        line = t(
            "counting.sentence.turnout",
            locale,
            turnout=counted("counting.votes", result.turnout, locale),
        )
    needed = quorum_needed(result)
    if needed is not None and result.quorum_reached:
        line += t(
            "counting.sentence.quorum_reached",
            locale,
            needed=counted("counting.votes", needed, locale),
        )
    return line + t("counting.sentence.end", locale)


def _quorum_sentence(result: Result, locale: object | None) -> str:
    """A failed quorum, and only that: turnout against what was required, in whole votes."""
    required = result.quorum_required or Fraction(0)
    electorate = result.electorate or 1  # a quorum fails only with a positive electorate
    return t(
        "counting.sentence.quorum_failed",
        locale,
        turnout=counted("counting.votes", result.turnout, locale),
        electorate=result.electorate or 0,
        needed=counted("counting.votes", quorum_needed(result) or 0, locale),
        percent=_percent(required / electorate, locale),
    )


def votes_needed(detail: PourContreDetail) -> tuple[int, bool]:
    """pour-contre: the smallest whole number of « pour » that adopts, the other counts as they
    stand (the base of the rule fixed), and whether what binds is « more for than against »
    rather than the majority rule itself. ``pour >= needed`` exactly when the motion is adopted."""
    threshold = detail.threshold
    rule = math.floor(threshold) + 1 if detail.strict else math.ceil(threshold)
    rule = max(rule, 0)
    beat_against = detail.contre + 1
    return max(rule, beat_against), beat_against > rule


def pour_contre_sentence(result: Result, locale: object | None) -> str:
    """« Adoptée : 12 pour, 4 contre ; il fallait au moins 11 voix pour (deux tiers des 16
    suffrages exprimés). » (quorum reached)."""
    detail = result.pour_contre
    assert detail is not None
    needed, against_binds = votes_needed(detail)
    if against_binds and detail.majority != "simple":
        rule = t("counting.needed.beat_against", locale)
    elif detail.majority == "absolue":
        base = 2 * detail.threshold  # the electorate's weight (the turnout if unknown)
        key = "absolue" if result.electorate is not None else "absolue_turnout"
        rule = t(f"counting.needed.{key}", locale, base=format_number(base, locale))
    else:
        expressed = detail.pour + detail.contre
        rule = t(f"counting.needed.{detail.majority}", locale, expressed=expressed)
    counts = t("counting.sentence.for_against", locale, pour=detail.pour, contre=detail.contre)
    if detail.abstention:
        counts += ", " + counted("counting.abstentions", detail.abstention, locale)
    return t(
        f"counting.sentence.{result.outcome}",
        locale,
        counts=counts,
        needed=counted("counting.votes", needed, locale),
        rule=rule,
    )


def choice_sentence(
    result: Result, locale: object | None, name: str, figures: dict[str, Any]
) -> str:
    """The outcome sentence of a method choosing among options (quorum reached): the winner, or
    the options tied first, with the method's whole figures (``counting.sentence.elu.<name>``,
    ``counting.sentence.egalite.<name>``)."""
    if result.outcome == ELU:
        winner = quote_options(result.winners[:1], locale)
        return t(f"counting.sentence.elu.{name}", locale, winner=winner, **figures)
    if result.outcome == EGALITE:
        if len(result.winners) > MAX_NAMED_TIES:
            # Named, whole, in the ranking of the explanation: never cut here.
            return t("counting.sentence.egalite_many", locale, count=len(result.winners))
        options = join_options(result.winners, locale)
        return t(f"counting.sentence.egalite.{name}", locale, options=options, **figures)
    return t("counting.sentence.aucun", locale)


def outcome_sentence(result: Result, locale: object | None = None) -> str:
    """The plain sentence every published result starts with: the outcome in whole votes."""
    if result.outcome == QUORUM_NON_ATTEINT:
        return _quorum_sentence(result, locale)
    return result.voting_method.outcome_sentence(result, locale)


def _matrix(labels: list[str], matrix: list[list[int]]) -> list[str]:
    """A matrix in a code block: columns numbered, rows « n. full name » (names never cut)."""
    width = max(len(str(v)) for row in matrix for v in row) if matrix else 1
    width = max(width, len(str(len(labels))))
    names = [f"{i + 1}. {label}" for i, label in enumerate(labels)]
    name_width = max((len(n) for n in names), default=1)
    header = " " * name_width + " | " + " ".join(f"{i + 1:>{width}}" for i in range(len(labels)))
    rows = [header]
    for i, row in enumerate(matrix):
        cells = " ".join(f"{'-' if i == j else v:>{width}}" for j, v in enumerate(row))
        rows.append(f"{names[i]:<{name_width}} | {cells}")
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


def mj_lines(result: Result, locale: object | None, *, shares: bool = True) -> list[str]:
    """Majority judgment, rank by rank: each option's majority grade and (``shares``, for the
    explanation) the shares above and below it, after the rule; else a plain ranking."""
    detail = result.majority_judgment
    assert detail is not None
    profiles = {p.option: p for p in detail.profiles}
    lines = [t("counting.render.mj_intro" if shares else "counting.render.ranking", locale)]
    rank = 1
    for group in result.ranking:
        for option in group:
            p = profiles[option]
            grade, gauge = grade_text(p.median, p.gauge, locale)
            lines.append(
                t(
                    "counting.render.mj_line" if shares else "counting.render.mj_rank",
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


def schulze_figures(result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
    """Schulze: a Condorcet winner with its closest duel, else the winner by chains of duels."""
    detail = result.schulze
    if detail is None or result.outcome != ELU:
        return "classement", {}
    i = detail.options.index(result.winners[0])
    d = detail.pairwise
    rivals = [j for j in range(len(detail.options)) if j != i]
    if detail.condorcet_winner != result.winners[0] or not rivals:
        return "classement-chaine", {"votes": counted("counting.votes", result.turnout, locale)}
    j = min(rivals, key=lambda j: (d[i][j] - d[j][i], d[i][j]))
    return "classement", {
        "won": counted("counting.votes", d[i][j], locale),
        "lost": d[j][i],
        "rival": quote_options([detail.options[j]], locale),
    }


def irv_figures(result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
    """IRV: the round the winner won, with its votes among the ballots still in play."""
    if result.outcome != ELU or not result.rounds:
        return "classement-irv", {}
    last = result.rounds[-1]
    name = "classement-irv" if last.rule == "majority" else "classement-irv-dernier"
    return name, {
        "round": last.number,
        "votes": counted("counting.votes", last.votes.get(result.winners[0], 0), locale),
        "total": sum(last.votes.values()),
    }


def mj_figures(result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
    """Majority judgment: the majority grade, and how many votes give it that grade or better."""
    detail = result.majority_judgment
    if detail is None or not result.winners:
        return "jugement-majoritaire", {}
    p = next(p for p in detail.profiles if p.option == result.winners[0])
    grade, gauge = grade_text(p.median, p.gauge, locale)
    return "jugement-majoritaire", {
        "grade": f"{grade} {gauge}" if gauge else grade,
        "base": grade,
        "votes": counted("counting.votes", sum(p.tally[p.median :]), locale),
        "total": sum(p.tally),
    }


def pour_contre_lines(result: Result, locale: object | None) -> list[str]:
    """The counts and the majority rule in words (the sentence gives the whole-vote threshold)."""
    detail = result.pour_contre
    assert detail is not None
    return [
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
            rule=t(f"counting.majority.{detail.majority}", locale),
        ),
    ]


def render_result(
    result: Result, locale: object | None = None, *, heading: str | None = None
) -> str:
    """The full explanation (the attached file, the recount command): the outcome sentence (then
    ``heading``, what the poll was), then the method, turnout and quorum, rounds or matrices with
    whole names, ranking, ties."""
    method = result.voting_method
    lines = [
        outcome_sentence(result, locale),
        *([heading] if heading else []),
        "",
        t("counting.render.title", locale, method=method_name(result, locale)),
        turnout_line(result, locale),
    ]
    lines += method.explanation_lines(result, locale)
    lines += method.tie_lines(result, locale)
    lines.append(t("counting.render.recount", locale))
    return "\n".join(lines)


def summary_lines(result: Result, locale: object | None = None) -> list[str]:
    """The outcome sentence, the turnout (and quorum) line, then the method's short ranking; a
    failed quorum, only its sentence (no ranking that would read as a winner)."""
    if result.outcome == QUORUM_NON_ATTEINT:
        return [outcome_sentence(result, locale)]
    lines = [outcome_sentence(result, locale), turnout_line(result, locale)]
    return lines + result.voting_method.summary_lines(result, locale)


def render_summary(result: Result, locale: object | None = None) -> str:
    """A few lines for the poll message: outcome sentence, turnout, the top of the ranking."""
    return "\n".join(summary_lines(result, locale))


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
