"""The voting methods: one object per method, holding everything that depends on the method.

``METHOD_REGISTRY`` maps each public method name (``pour-contre``, ``choix-unique``,
``approbation``, ``classement``, ``jugement-majoritaire``, ``notes``; see ``model.METHODS``) to
its ``VotingMethod``; ``method_of(name)`` looks one up. Each object carries:

* declarative facts for poll opening and the ballot UI (``needs_options``,
  ``accepts_max_choices``, ``accepts_irv``, ``accepts_majority``, ``accepts_proposal``,
  ``ui_kind``, ``one_click_choices``, ``reads_abif``), ``labels``, ``grade_values`` and
  ``grade_label``;
* the ballot: ``parse_text`` (the ``/voter`` text), ``format`` (its echo), ``normalise`` (stored
  contents, validated, in the canonical form the count uses), ``is_complete`` and ``missing``;
* the count: ``count`` (``tally`` fills the method's part of the result, ``decide_outcome``
  turns winners into an outcome; ``core.count`` adds the quorum);
* the presentation: ``display_name``, ``explanation_lines``, ``summary_lines``, ``rank_line``,
  ``tie_lines``, ``chart``, and the anonymised CSV (``csv_cells``, ``csv_content``,
  ``csv_columns``).

The generic modules (``core``, ``ballots``, ``ballot_text``, ``ballot_files``, ``render``,
``charts``) reach the registry through ``PollSpec.voting_method`` / ``Result.voting_method``
and never compare method names.
"""

from __future__ import annotations

import abc
import re
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar, Final, Literal

from rtes_bot.catalog import t
from rtes_bot.counting import charts, core, render
from rtes_bot.counting.ballot_text import (
    GRADE_WORDS,
    BallotTextError,
    check_duplicate,
    grade_value,
    normalise_text,
    option_index,
    pour_contre_choice,
    score_value,
    split_items,
)
from rtes_bot.counting.ballots import dense_ranks, option_at, option_keys
from rtes_bot.counting.irv import count_irv
from rtes_bot.counting.majority_judgment import count_majority_judgment
from rtes_bot.counting.model import (
    APPROBATION,
    AUCUN,
    CHOIX_UNIQUE,
    CLASSEMENT,
    CONTRE,
    DEFAULT_MAX_SCORE,
    EGALITE,
    ELU,
    GRADES,
    JUGEMENT_MAJORITAIRE,
    MAX_GRADE,
    METHODS,
    NOTES,
    POUR,
    POUR_CONTRE,
    POUR_CONTRE_CHOICES,
    REJETEE,
    Ballot,
    CountError,
    PollSpec,
    Result,
    TieBreak,
)
from rtes_bot.counting.plurality import count_plurality
from rtes_bot.counting.pour_contre import count_pour_contre
from rtes_bot.counting.ranking import group_by_score
from rtes_bot.counting.schulze import count_schulze
from rtes_bot.counting.scores import count_scores

#: How the ballot UI lets a voter fill a ballot of the method.
UiKind = Literal["choice-buttons", "select-one", "select-many", "ranking", "grades", "scores"]

_MARKED: Final = ("1", "x", "X")  # a chosen option in a CSV cell
_UNMARKED: Final = ("", "0")


class VotingMethod(abc.ABC):
    """One voting method. Subclasses set the facts and override the method-specific steps.

    ``spec`` arguments are ``PollSpec`` objects of this method; ``content`` is a ballot content as
    stored (see the package docstring); ``locale`` is anything ``catalog.t`` accepts.
    """

    #: Public name, as stored in the database and accepted by ``PollSpec``.
    name: ClassVar[str]
    #: Opening a poll needs a list of options (False only for pour-contre).
    needs_options: ClassVar[bool] = True
    #: A maximum number of choices may be set (approbation).
    accepts_max_choices: ClassVar[bool] = False
    #: Instant-runoff may replace the default count (classement).
    accepts_irv: ClassVar[bool] = False
    #: A majority rule (simple, absolue, deux-tiers) applies (pour-contre).
    accepts_majority: ClassVar[bool] = False
    #: A proposal's adoption may be put to the vote with this method (pour-contre).
    accepts_proposal: ClassVar[bool] = False
    #: How the ballot UI is built.
    ui_kind: ClassVar[UiKind]
    #: Contents a single click can vote (pour-contre buttons); () for the others.
    one_click_choices: ClassVar[tuple[str, ...]] = ()
    #: Ballot files in ABIF (ranked ballots) can be recounted with this method.
    reads_abif: ClassVar[bool] = False
    #: What the default chart's bars count (catalog key).
    chart_axis: ClassVar[str] = "counting.chart.votes"

    def __repr__(self) -> str:
        return f"<VotingMethod {self.name}>"

    # ------------------------------------------------------------------ options and values

    def labels(self, spec: PollSpec) -> tuple[str, ...]:
        """What a ballot chooses among: the option labels (pour-contre: its three answers)."""
        return tuple(spec.options)

    def grade_values(self, spec: PollSpec) -> tuple[int, ...]:
        """grades / scores: the values a voter can give an option, in display order; else ()."""
        return ()

    def grade_label(self, value: int, locale: object | None = None) -> str:
        """How a value of ``grade_values`` is shown."""
        return str(value)

    def display_name(
        self, locale: object | None = None, *, irv: bool = False, max_score: int = DEFAULT_MAX_SCORE
    ) -> str:
        """The method's name for people (``irv``: classement counted by instant-runoff)."""
        return t(f"counting.method.{self.name}", locale)

    # ------------------------------------------------------------------ ballots

    def parse_text(self, spec: PollSpec, text: str) -> Any:
        """The ballot content written as ``text`` (the ``/voter … choix:`` syntax), or raise.

        On a mistyped option or grade with a single close match, the ``BallotTextError`` carries
        ``suggestion_text``, the whole text corrected, if that corrected text reads as a ballot.
        """
        text = text.strip()
        if not text:
            raise BallotTextError("counting.parse.empty")
        try:
            return self._read(spec, text)
        except BallotTextError as error:
            error.suggestion_text = self._corrected(spec, text, error)
            raise

    def _corrected(self, spec: PollSpec, text: str, error: BallotTextError) -> str | None:
        if error.fix is None:
            return None
        start, end, replacement = error.fix
        corrected = text[:start] + replacement + text[end:]
        try:
            self._read(spec, corrected)
        except BallotTextError:
            return None
        return corrected

    @abc.abstractmethod
    def _read(self, spec: PollSpec, text: str) -> Any:
        """``parse_text`` on a stripped, non-empty text."""

    @abc.abstractmethod
    def format(self, spec: PollSpec, content: Any, locale: object | None = None) -> str:
        """Echo a content back as text, in the syntax ``parse_text`` reads."""

    @abc.abstractmethod
    def normalise(self, spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
        """Validate a stored content (``CountError`` if malformed); its canonical hashable form.

        ``keys`` (from ``ballots.option_keys``) may be passed to save rebuilding it per ballot.
        """

    @abc.abstractmethod
    def is_complete(self, spec: PollSpec, content: Any) -> bool:
        """Whether a draft ballot of the UI can be submitted (``None`` = nothing chosen yet)."""

    def missing(self, spec: PollSpec, content: Any) -> list[int]:
        """grades / scores: indices of the options the ballot leaves without a value; else []."""
        return []

    # ------------------------------------------------------------------ count

    def count(self, spec: PollSpec, ballots: Iterable[Ballot]) -> Result:
        """Count ``ballots``, quorum included (same as ``counting.count``)."""
        if spec.method != self.name:
            raise CountError(f"a {spec.method} poll cannot be counted as {self.name}")
        return core.count(spec, ballots)

    @abc.abstractmethod
    def tally(self, spec: PollSpec, result: Result, groups: Counter[Any], turnout: int) -> None:
        """Fill ``result`` (counts, ranking, winners, details) from the grouped ballots.

        ``groups`` maps each canonical content (``normalise``) to its total weight.
        """

    def decide_outcome(self, result: Result) -> None:
        """Set ``result.outcome`` from the winners (before the quorum check)."""
        if len(result.winners) > 1:
            result.outcome = EGALITE
            result.tie_breaks.append(TieBreak(list(result.winners), "none", None))
        elif result.winners:
            result.outcome = ELU
        else:
            result.outcome = AUCUN

    # ------------------------------------------------------------------ explanation

    def explanation_lines(self, result: Result, locale: object | None) -> list[str]:
        """The method's part of ``render_result``: details, ranking, blank ballots."""
        lines = self.detail_lines(result, locale)
        lines += self.ranking_lines(result, locale)
        if result.tally is not None and result.tally.blank:
            lines.append(t("counting.render.blank", locale, blank=result.tally.blank))
        return lines

    def summary_lines(self, result: Result, locale: object | None) -> list[str]:
        """The method's part of ``render_summary``: the top of the ranking."""
        return self.post_ranking_lines(result, locale)[1:4]

    def post_ranking_lines(self, result: Result, locale: object | None) -> list[str]:
        """The ranking as a published message shows it (a heading, one line per rank, whole
        figures); the explanation file has ``ranking_lines``."""
        return self.ranking_lines(result, locale)

    def outcome_sentence(self, result: Result, locale: object | None) -> str:
        """The plain outcome sentence, quorum reached: the winner or the tie, whole figures."""
        name, figures = self.sentence_figures(result, locale)
        return render.choice_sentence(result, locale, name, figures)

    def sentence_figures(self, result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
        """The sentence's variant (``counting.sentence.elu.<name>``) and its whole figures about
        the first of ``result.winners``."""
        return self.name, {}

    def detail_lines(self, result: Result, locale: object | None) -> list[str]:
        """How the ranking was reached (Schulze matrices, IRV rounds); none by default."""
        return []

    def ranking_lines(self, result: Result, locale: object | None) -> list[str]:
        """A heading, then one line per rank (``rank_line``)."""
        lines = [t("counting.render.ranking", locale)]
        rank = 1
        for group in result.ranking:
            lines.append(self.rank_line(result, rank, group, locale))
            rank += len(group)
        return lines

    def rank_line(self, result: Result, rank: int, group: list[str], locale: object | None) -> str:
        """One line of the ranking: ``group`` (options tied at ``rank``) and their figures."""
        return t("counting.render.rank_line", locale, rank=rank, options=" = ".join(group))

    def tie_lines(self, result: Result, locale: object | None) -> list[str]:
        """Ties that no rule broke."""
        return [
            t(
                "counting.render.tie_none",
                locale,
                options=render.quote_options(tie.options, locale),
            )
            for tie in result.tie_breaks
            if tie.rule == "none"
        ]

    def chart(
        self, spec: PollSpec, result: Result, locale: object | None, frame: charts.Frame
    ) -> Any:
        """The result's chart (a matplotlib figure): bars of ``result.counts`` in ranking order
        by default."""
        order = [option for group in result.ranking for option in group]
        return charts.bars(
            frame, order, [result.counts[o] for o in order], t(self.chart_axis, locale)
        )

    # ------------------------------------------------------------------ ballot files

    @abc.abstractmethod
    def csv_cells(self, spec: PollSpec, content: Any) -> list[str]:
        """One CSV row (one cell per option, in ``spec.options`` order) for a content."""

    @abc.abstractmethod
    def csv_content(self, cells: list[str], row: int) -> Any:
        """The content of a CSV row (cells in option order; ``row`` is its line number)."""

    def csv_columns(self, columns: list[int], header: list[str]) -> tuple[list[int], list[str]]:
        """Which CSV columns hold the options, in order, and the option labels."""
        return columns, header

    def _bad_cell(self, cell: str, row: int) -> CountError:
        return CountError(f"row {row}: unexpected cell {cell!r} for {self.name}")

    def _marked(self, cells: list[str], row: int) -> list[int]:
        chosen = []
        for i, cell in enumerate(cells):
            if cell in _MARKED:
                chosen.append(i)
            elif cell not in _UNMARKED:
                raise self._bad_cell(cell, row)
        return chosen

    def _numbers(self, cells: list[str], row: int, minimum: int) -> dict[str, int]:
        values: dict[str, int] = {}
        for i, cell in enumerate(cells):
            if cell == "":
                continue
            if not re.fullmatch(r"[0-9]{1,9}", cell):
                raise self._bad_cell(cell, row)
            values[str(i)] = int(cell)
            if values[str(i)] < minimum:
                raise self._bad_cell(cell, row)
        return values


class ForAgainstMethod(VotingMethod):
    """pour-contre: a motion adopted or rejected under a majority rule."""

    name = POUR_CONTRE
    needs_options = False
    accepts_majority = True
    accepts_proposal = True
    ui_kind = "choice-buttons"
    one_click_choices = POUR_CONTRE_CHOICES

    def labels(self, spec: PollSpec) -> tuple[str, ...]:
        return POUR_CONTRE_CHOICES

    def _read(self, spec: PollSpec, text: str) -> Any:
        return pour_contre_choice(text)

    def format(self, spec: PollSpec, content: Any, locale: object | None = None) -> str:
        return t(f"counting.choice.{content}", locale)

    def normalise(self, spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
        if content not in POUR_CONTRE_CHOICES:
            raise CountError(f"bad pour-contre ballot {content!r}")
        return content

    def is_complete(self, spec: PollSpec, content: Any) -> bool:
        return content in POUR_CONTRE_CHOICES

    def tally(self, spec: PollSpec, result: Result, groups: Counter[Any], turnout: int) -> None:
        detail, outcome = count_pour_contre(spec, groups, turnout)
        result.pour_contre = detail
        result.counts = {POUR: detail.pour, CONTRE: detail.contre, "abstention": detail.abstention}
        result.ranking = group_by_score([POUR, CONTRE], lambda label: result.counts[label])
        result.outcome = outcome
        result.winners = [POUR] if outcome != REJETEE else [CONTRE]
        if detail.pour == detail.contre:
            result.tie_breaks.append(TieBreak([POUR, CONTRE], "none", None))

    def decide_outcome(self, result: Result) -> None:
        """The majority rule already decided (``tally``); a tie rejects."""

    def explanation_lines(self, result: Result, locale: object | None) -> list[str]:
        return render.pour_contre_lines(result, locale)

    def summary_lines(self, result: Result, locale: object | None) -> list[str]:
        """The outcome sentence already gives the counts."""
        return []

    def outcome_sentence(self, result: Result, locale: object | None) -> str:
        return render.pour_contre_sentence(result, locale)

    def tie_lines(self, result: Result, locale: object | None) -> list[str]:
        """A tie is said by the outcome sentence (one more « pour » was needed)."""
        return []

    def chart(
        self, spec: PollSpec, result: Result, locale: object | None, frame: charts.Frame
    ) -> Any:
        """Pour, contre, abstention (and the turnout when there is a quorum), with the « pour »
        needed and the quorum as lines on their bars."""
        labels = [t(f"counting.choice.{c}", locale) for c in POUR_CONTRE_CHOICES]
        values = [result.counts.get(c, 0) for c in POUR_CONTRE_CHOICES]
        thresholds: list[tuple[int, float, str]] = []
        if result.pour_contre is not None:
            needed, _ = render.votes_needed(result.pour_contre)
            label = t(
                "counting.chart.needed",
                locale,
                votes=render.counted("counting.votes", needed, locale),
            )
            thresholds.append((0, needed, label))
        quorum = render.quorum_needed(result)
        if quorum is not None:
            labels.append(t("counting.chart.turnout", locale))
            values.append(result.turnout)
            label = t(
                "counting.chart.quorum",
                locale,
                votes=render.counted("counting.votes", quorum, locale),
            )
            thresholds.append((len(values) - 1, quorum, label))
        return charts.bars(
            frame, labels, values, t("counting.chart.votes", locale), thresholds=thresholds
        )

    def csv_cells(self, spec: PollSpec, content: Any) -> list[str]:
        cells = [""] * len(spec.options)
        cells[POUR_CONTRE_CHOICES.index(content)] = "1"
        return cells

    def csv_content(self, cells: list[str], row: int) -> Any:
        chosen = self._marked(cells, row)
        if len(chosen) != 1:
            raise CountError(f"row {row}: a pour-contre row needs exactly one 1")
        return POUR_CONTRE_CHOICES[chosen[0]]

    def csv_columns(self, columns: list[int], header: list[str]) -> tuple[list[int], list[str]]:
        order = [normalise_text(label) for label in header]
        if sorted(order) != sorted(POUR_CONTRE_CHOICES):
            raise CountError("a pour-contre CSV needs the columns pour, contre, abstention")
        return [columns[order.index(c)] for c in POUR_CONTRE_CHOICES], list(POUR_CONTRE_CHOICES)


class _ChoiceMethod(VotingMethod):
    """choix-unique and approbation: a set of chosen options, one total per option."""

    #: At most one option per ballot.
    single: ClassVar[bool]

    def _read(self, spec: PollSpec, text: str) -> Any:
        parts = split_items(text, ";")
        if self.single and len(parts) > 1:
            raise BallotTextError("counting.parse.single_choice", given=len(parts))
        seen: set[int] = set()
        for part, start in parts:
            check_duplicate(spec, seen, option_index(spec, part, start))
        if spec.max_choices is not None and len(seen) > spec.max_choices:
            raise BallotTextError("counting.parse.too_many", given=len(seen), max=spec.max_choices)
        return sorted(seen)

    def format(self, spec: PollSpec, content: Any, locale: object | None = None) -> str:
        if not content:
            return t("counting.ballot.blank", locale)
        return "; ".join(spec.options[int(i)] for i in content)

    def normalise(self, spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
        if keys is None:
            keys = option_keys(spec)
        if not isinstance(content, list | tuple):
            raise CountError(f"bad {self.name} ballot {content!r}")
        indices = tuple(sorted({option_at(keys, i, content) for i in content}))
        if len(indices) != len(content):
            raise CountError(f"duplicate option in {content!r}")
        if self.single and len(indices) > 1:
            raise CountError(f"{self.name} ballot with several choices {content!r}")
        if spec.max_choices is not None and len(indices) > spec.max_choices:
            raise CountError(f"ballot {content!r} exceeds {spec.max_choices} choices")
        return indices

    def tally(self, spec: PollSpec, result: Result, groups: Counter[Any], turnout: int) -> None:
        result.counts, result.tally = count_plurality(spec, groups)
        result.ranking = group_by_score(result.options, lambda label: result.counts[label])
        if result.ranking and result.counts[result.ranking[0][0]] > 0:
            result.winners = list(result.ranking[0])

    def csv_cells(self, spec: PollSpec, content: Any) -> list[str]:
        cells = [""] * len(spec.options)
        for i in content:
            cells[int(i)] = "1"
        return cells

    def csv_content(self, cells: list[str], row: int) -> Any:
        chosen = self._marked(cells, row)
        if self.single and len(chosen) > 1:
            raise CountError(f"row {row}: several choices on a {self.name} ballot")
        return chosen


class SingleChoiceMethod(_ChoiceMethod):
    """choix-unique: one option (or a blank ballot); the most votes wins."""

    name = CHOIX_UNIQUE
    ui_kind = "select-one"
    single = True

    def is_complete(self, spec: PollSpec, content: Any) -> bool:
        return bool(content)

    def sentence_figures(self, result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
        blank = result.tally.blank if result.tally is not None else 0
        votes = result.counts.get(result.winners[0], 0) if result.winners else 0
        return self.name, {
            "votes": render.counted("counting.votes", votes, locale),
            "expressed": result.turnout - blank,
        }

    def rank_line(self, result: Result, rank: int, group: list[str], locale: object | None) -> str:
        votes = result.counts.get(group[0])
        if votes is None:
            return super().rank_line(result, rank, group, locale)
        return t(
            "counting.render.rank_votes",
            locale,
            rank=rank,
            options=" = ".join(group),
            votes=render.counted("counting.votes", votes, locale),
        )


class ApprovalMethod(_ChoiceMethod):
    """approbation: any number of options (``max_choices`` at most); the most approvals wins."""

    name = APPROBATION
    accepts_max_choices = True
    ui_kind = "select-many"
    single = False

    def is_complete(self, spec: PollSpec, content: Any) -> bool:
        """Always: approving no option is a blank ballot."""
        return True

    def sentence_figures(self, result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
        votes = result.counts.get(result.winners[0], 0) if result.winners else 0
        return self.name, {
            "votes": render.counted("counting.votes", votes, locale),
            "turnout": result.turnout,
        }

    def rank_line(self, result: Result, rank: int, group: list[str], locale: object | None) -> str:
        return t(
            "counting.render.rank_approvals",
            locale,
            rank=rank,
            options=" = ".join(group),
            votes=render.counted("counting.approvals", result.counts[group[0]], locale),
        )


class RankingMethod(VotingMethod):
    """classement: options ranked (ties allowed); Schulze, or instant-runoff with ``irv``."""

    name = CLASSEMENT
    accepts_irv = True
    ui_kind = "ranking"
    reads_abif = True

    def display_name(
        self, locale: object | None = None, *, irv: bool = False, max_score: int = DEFAULT_MAX_SCORE
    ) -> str:
        if irv:
            return t("counting.method.classement-irv", locale)
        return super().display_name(locale)

    def _read(self, spec: PollSpec, text: str) -> Any:
        if ";" in text and ">" not in text:
            raise BallotTextError("counting.parse.ranking_syntax")
        ranks: dict[str, int] = {}
        seen: set[int] = set()
        for rank, (group, start) in enumerate(split_items(text, ">"), start=1):
            for part, at in split_items(group, "=", start):
                index = option_index(spec, part, at)
                check_duplicate(spec, seen, index)
                ranks[str(index)] = rank
        return dense_ranks(ranks)

    def format(self, spec: PollSpec, content: Any, locale: object | None = None) -> str:
        if not content:
            return t("counting.ballot.blank", locale)
        by_rank: dict[int, list[str]] = {}
        for key, rank in sorted(content.items(), key=lambda kv: int(kv[0])):
            by_rank.setdefault(rank, []).append(spec.options[int(key)])
        return " > ".join(" = ".join(by_rank[r]) for r in sorted(by_rank))

    def normalise(self, spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
        if keys is None:
            keys = option_keys(spec)
        if not isinstance(content, dict):
            raise CountError(f"bad {self.name} ballot {content!r}")
        pairs = []
        for key, rank in content.items():
            if type(rank) is not int or rank < 1:
                raise CountError(f"bad rank {rank!r} in {content!r}")
            pairs.append((rank, option_at(keys, key, content)))
        pairs.sort()
        groups: list[list[int]] = []
        last = 0
        for rank, i in pairs:
            if rank == last:
                groups[-1].append(i)
            else:
                groups.append([i])
                last = rank
        return tuple(map(tuple, groups))

    def is_complete(self, spec: PollSpec, content: Any) -> bool:
        """At least one option ranked."""
        return bool(content)

    def tally(self, spec: PollSpec, result: Result, groups: Counter[Any], turnout: int) -> None:
        options = result.options
        if result.irv:
            result.ranking, result.winners, result.irv_detail, result.tie_breaks = count_irv(
                options, groups, spec.seed
            )
            result.rounds = result.irv_detail.rounds
            result.counts = dict(result.rounds[0].votes) if result.rounds else {}
            return
        result.ranking, result.schulze = count_schulze(
            options,
            groups,
            spec.default_option,
            spec.default_quorum,
            Fraction(spec.default_ratio),
        )
        if any(ranks for ranks in groups if groups[ranks]):
            result.winners = list(result.ranking[0])

    def detail_lines(self, result: Result, locale: object | None) -> list[str]:
        if result.irv:
            return render.irv_lines(result, locale)
        return render.schulze_lines(result, locale)

    def sentence_figures(self, result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
        if result.irv:
            return render.irv_figures(result, locale)
        return render.schulze_figures(result, locale)

    def chart(
        self, spec: PollSpec, result: Result, locale: object | None, frame: charts.Frame
    ) -> Any:
        if result.irv and result.rounds:
            return charts.irv_rounds(frame, result, locale)
        return charts.schulze_wins(frame, result, locale)

    def csv_cells(self, spec: PollSpec, content: Any) -> list[str]:
        cells = [""] * len(spec.options)
        for key, rank in dense_ranks(content).items():
            cells[int(key)] = str(rank)
        return cells

    def csv_content(self, cells: list[str], row: int) -> Any:
        return dense_ranks(self._numbers(cells, row, minimum=1))


class _GradingMethod(VotingMethod):
    """jugement-majoritaire and notes: every option gets a value ("A: Bien; B: 4")."""

    #: Catalog key of the refusal of a text ballot that leaves options without a value.
    missing_key: ClassVar[str]

    @abc.abstractmethod
    def top(self, spec: PollSpec) -> int:
        """The highest value (the lowest is 0)."""

    @abc.abstractmethod
    def _value(self, spec: PollSpec, value: str, start: int) -> int:
        """The value written as ``value`` (``start``: its place in the text, for suggestions)."""

    def _read(self, spec: PollSpec, text: str) -> Any:
        values: dict[str, int] = {}
        seen: set[int] = set()
        for part, start in split_items(text, ";"):
            if ":" not in part:
                raise BallotTextError("counting.parse.missing_value", item=part)
            label, value = part.rsplit(":", 1)
            index = option_index(spec, label, start)
            check_duplicate(spec, seen, index)
            if not value.strip():
                raise BallotTextError("counting.parse.missing_value", item=part)
            values[str(index)] = self._value(spec, value, start + len(label) + 1)
        content = dict(sorted(values.items(), key=lambda kv: int(kv[0])))
        missing = self.missing(spec, content)
        if missing:
            raise BallotTextError(
                self.missing_key, options=", ".join(f"« {spec.options[i]} »" for i in missing)
            )
        return content

    def format(self, spec: PollSpec, content: Any, locale: object | None = None) -> str:
        items = sorted(content.items(), key=lambda kv: int(kv[0]))
        return "; ".join(f"{spec.options[int(k)]}: {self.grade_label(v, locale)}" for k, v in items)

    def normalise(self, spec: PollSpec, content: Any, keys: dict[Any, int] | None = None) -> Any:
        """One value per option; a stored ballot may leave some out (= 0, as in old files)."""
        if keys is None:
            keys = option_keys(spec)
        if not isinstance(content, dict):
            raise CountError(f"bad {self.name} ballot {content!r}")
        top = self.top(spec)
        values = [0] * len(spec.options)
        for key, value in content.items():
            if type(value) is not int or not 0 <= value <= top:
                raise CountError(f"value {value!r} out of 0..{top} in {content!r}")
            values[option_at(keys, key, content)] = value
        return tuple(values)

    def is_complete(self, spec: PollSpec, content: Any) -> bool:
        """Every option has a value."""
        return not self.missing(spec, content)

    def missing(self, spec: PollSpec, content: Any) -> list[int]:
        given = {str(key) for key in content or {}}
        return [i for i in range(len(spec.options)) if str(i) not in given]


class MajorityJudgmentMethod(_GradingMethod):
    """jugement-majoritaire: a grade per option (À rejeter … Excellent); best median wins."""

    name = JUGEMENT_MAJORITAIRE
    ui_kind = "grades"
    missing_key = "counting.parse.missing_grades"

    def top(self, spec: PollSpec) -> int:
        return MAX_GRADE

    def grade_values(self, spec: PollSpec) -> tuple[int, ...]:
        """Best grade first."""
        return tuple(range(MAX_GRADE, -1, -1))

    def grade_label(self, value: int, locale: object | None = None) -> str:
        return t(f"counting.grade.{value}", locale)

    def _value(self, spec: PollSpec, value: str, start: int) -> int:
        return grade_value(value, start)

    def tally(self, spec: PollSpec, result: Result, groups: Counter[Any], turnout: int) -> None:
        result.ranking, result.majority_judgment = count_majority_judgment(
            result.options, groups, len(GRADES)
        )
        if turnout:
            result.winners = list(result.ranking[0])

    def ranking_lines(self, result: Result, locale: object | None) -> list[str]:
        """A heading, then each option's majority grade, rank by rank."""
        return render.mj_lines(result, locale)

    def sentence_figures(self, result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
        return render.mj_figures(result, locale)

    def post_ranking_lines(self, result: Result, locale: object | None) -> list[str]:
        """Each option's majority grade, rank by rank (the shares are in the explanation)."""
        return render.mj_lines(result, locale, shares=False)

    def chart(
        self, spec: PollSpec, result: Result, locale: object | None, frame: charts.Frame
    ) -> Any:
        return charts.merit_profile(frame, result, locale)

    def csv_cells(self, spec: PollSpec, content: Any) -> list[str]:
        cells = [""] * len(spec.options)
        for key, grade in content.items():
            cells[int(key)] = GRADES[grade]
        return cells

    def csv_content(self, cells: list[str], row: int) -> Any:
        values: dict[str, int] = {}
        for i, cell in enumerate(cells):
            if cell == "":
                continue
            key = normalise_text(cell)
            if re.fullmatch(r"[0-9]", key) and int(key) <= MAX_GRADE:
                values[str(i)] = int(key)
            elif key in GRADE_WORDS:
                values[str(i)] = GRADE_WORDS[key]
            else:
                raise self._bad_cell(cell, row)
        return values


class ScoreMethod(_GradingMethod):
    """notes: a score 0..``max_score`` per option; the highest total wins."""

    name = NOTES
    ui_kind = "scores"
    chart_axis = "counting.chart.total"
    missing_key = "counting.parse.missing_scores"

    def top(self, spec: PollSpec) -> int:
        return spec.max_score

    def grade_values(self, spec: PollSpec) -> tuple[int, ...]:
        """Lowest score first."""
        return tuple(range(spec.max_score + 1))

    def display_name(
        self, locale: object | None = None, *, irv: bool = False, max_score: int = DEFAULT_MAX_SCORE
    ) -> str:
        return t("counting.method.notes", locale, max=max_score)

    def _value(self, spec: PollSpec, value: str, start: int) -> int:
        return score_value(value, spec.max_score)

    def tally(self, spec: PollSpec, result: Result, groups: Counter[Any], turnout: int) -> None:
        result.counts, result.tally = count_scores(spec, groups, turnout)
        result.ranking = group_by_score(result.options, lambda label: result.counts[label])
        if result.ranking and result.counts[result.ranking[0][0]] > 0:
            result.winners = list(result.ranking[0])

    def sentence_figures(self, result: Result, locale: object | None) -> tuple[str, dict[str, Any]]:
        if not result.winners:
            return self.name, {}
        total = result.counts[result.winners[0]]
        following = [g for g in result.ranking if result.winners[0] not in g]
        runner = following[0][0] if following else result.winners[0]
        return self.name, {
            "points": render.counted("counting.points", total, locale),
            "runner": render.quote_options([runner], locale),
            "runner_points": render.counted("counting.points", result.counts[runner], locale),
        }

    def rank_line(self, result: Result, rank: int, group: list[str], locale: object | None) -> str:
        if result.tally is None:
            return super().rank_line(result, rank, group, locale)
        head = group[0]
        return t(
            "counting.render.rank_scores",
            locale,
            rank=rank,
            options=" = ".join(group),
            total=result.counts[head],
            mean=render.format_number(result.tally.means[head], locale, 2),
        )

    def csv_cells(self, spec: PollSpec, content: Any) -> list[str]:
        cells = [""] * len(spec.options)
        for key, score in content.items():
            cells[int(key)] = str(score)
        return cells

    def csv_content(self, cells: list[str], row: int) -> Any:
        return self._numbers(cells, row, minimum=0)


#: Every voting method by public name, in the order of ``model.METHODS``.
METHOD_REGISTRY: Final[dict[str, VotingMethod]] = {
    method.name: method
    for method in (
        ForAgainstMethod(),
        SingleChoiceMethod(),
        ApprovalMethod(),
        RankingMethod(),
        MajorityJudgmentMethod(),
        ScoreMethod(),
    )
}
if tuple(METHOD_REGISTRY) != METHODS:  # pragma: no cover - a method added in one place only
    raise RuntimeError("METHOD_REGISTRY and model.METHODS disagree")


def method_of(name: str) -> VotingMethod:
    """The voting method called ``name``; ``CountError`` if there is none."""
    try:
        return METHOD_REGISTRY[name]
    except (KeyError, TypeError):
        raise CountError(f"unknown method {name!r}") from None
