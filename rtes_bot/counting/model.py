"""Data model of a count: the poll specification, ballots and results.

Everything here is plain data, JSON-friendly, and uses exact arithmetic (``int``, ``Fraction``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from rtes_bot.counting.methods import VotingMethod

POUR_CONTRE: Final = "pour-contre"
CHOIX_UNIQUE: Final = "choix-unique"
APPROBATION: Final = "approbation"
CLASSEMENT: Final = "classement"
JUGEMENT_MAJORITAIRE: Final = "jugement-majoritaire"
NOTES: Final = "notes"

METHODS: Final[tuple[str, ...]] = (
    POUR_CONTRE,
    CHOIX_UNIQUE,
    APPROBATION,
    CLASSEMENT,
    JUGEMENT_MAJORITAIRE,
    NOTES,
)
MAJORITIES: Final[tuple[str, ...]] = ("simple", "absolue", "deux-tiers")

#: The three possible contents of a pour-contre ballot, also the option labels of such a poll.
POUR: Final = "pour"
CONTRE: Final = "contre"
ABSTENTION: Final = "abstention"
POUR_CONTRE_CHOICES: Final[tuple[str, ...]] = (POUR, CONTRE, ABSTENTION)

#: Majority-judgment grades, worst (0) to best (6). Display names live in the catalog
#: under ``counting.grade.<n>``; these are the French identifiers used in CSV files.
GRADES: Final[tuple[str, ...]] = (
    "À rejeter",
    "Insuffisant",
    "Passable",
    "Assez bien",
    "Bien",
    "Très bien",
    "Excellent",
)
MAX_GRADE: Final = len(GRADES) - 1
DEFAULT_MAX_SCORE: Final = 5

# Outcomes (``Result.outcome``).
ADOPTEE: Final = "adoptee"  # pour-contre: the motion is adopted
REJETEE: Final = "rejetee"  # pour-contre: the motion is rejected (a tie rejects)
ELU: Final = "elu"  # other methods: exactly one winner
EGALITE: Final = "egalite"  # other methods: several options tied first, no rule breaks the tie
AUCUN: Final = "aucun"  # other methods: no winner (no expressed vote at all)
QUORUM_NON_ATTEINT: Final = "quorum-non-atteint"  # any method: turnout below the quorum
OUTCOMES: Final = (ADOPTEE, REJETEE, ELU, EGALITE, AUCUN, QUORUM_NON_ATTEINT)


class CountError(ValueError):
    """A poll specification or a stored ballot is malformed (a programming or data error)."""


def _method_of(name: str) -> VotingMethod:
    """The registry entry of ``name`` (``CountError`` if unknown).

    Imported at call time: ``methods`` builds on this module, and every other module of the
    package reaches the registry through ``PollSpec.voting_method`` or ``Result.voting_method``.
    """
    from rtes_bot.counting.methods import method_of

    return method_of(name)


@dataclass(frozen=True)
class PollSpec:
    """What is needed to count a poll.

    ``quorum`` is a fraction of ``electorate_weight`` (``Fraction(1, 4)`` = 25 %); when
    ``electorate_weight`` is ``None`` no quorum is checked. ``majority`` applies to pour-contre.
    ``irv`` selects instant-runoff instead of Schulze for ``classement``. ``default_option`` is
    the label of a Debian-style default option ("Aucune de ces options") for Schulze, with an
    optional ``default_quorum`` (weight of voters who must prefer an option to the default) and
    ``default_ratio`` (required majority ratio against the default, Debian's constitution A.6).
    ``seed`` feeds the published lot that breaks IRV ties no other rule breaks.
    ``max_score`` is the top of the ``notes`` scale (0..5 by default).
    """

    method: str
    options: Sequence[str] = ()
    irv: bool = False
    quorum: Fraction = Fraction(0)
    majority: str = "simple"
    electorate_weight: int | None = None
    max_choices: int | None = None
    default_option: str | None = None
    seed: str = ""
    default_quorum: int | None = None
    default_ratio: Fraction = Fraction(1)
    max_score: int = DEFAULT_MAX_SCORE

    def __post_init__(self) -> None:
        method = _method_of(self.method)
        if self.majority not in MAJORITIES:
            raise CountError(f"unknown majority {self.majority!r}")
        options = method.labels(self)
        object.__setattr__(self, "options", options)
        if len(set(options)) != len(options):
            raise CountError("option labels must be distinct")
        if self.default_option is not None and self.default_option not in options:
            raise CountError(f"default option {self.default_option!r} is not an option")
        if not isinstance(self.quorum, int | Fraction) or self.quorum < 0:
            raise CountError("quorum must be a non-negative int or Fraction")
        if self.max_choices is not None and self.max_choices < 1:
            raise CountError("max_choices must be at least 1")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.options)

    @property
    def voting_method(self) -> VotingMethod:
        """The registry object of ``method``: everything that depends on the method."""
        return _method_of(self.method)


@dataclass(frozen=True)
class Ballot:
    """One ballot: JSON-serialisable ``content`` (see the package docstring) and an integer weight."""

    content: Any
    weight: int = 1


@dataclass
class PourContreDetail:
    pour: int
    contre: int
    abstention: int
    majority: str
    #: Weight of "pour" needed to adopt, as an exact threshold description.
    threshold: Fraction
    #: True if "pour" must be strictly above the threshold, False if at least equal.
    strict: bool


@dataclass
class TallyDetail:
    """choix-unique, approbation and notes: one total per option (``counts`` on the result)."""

    blank: int
    #: notes only: mean score per option over all ballots (missing score = 0).
    means: dict[str, Fraction] = field(default_factory=dict)


@dataclass
class SchulzeDetail:
    options: list[str]
    #: d[i][j]: weight of ballots that prefer options[i] to options[j].
    pairwise: list[list[int]]
    #: p[i][j]: strength of the strongest path from options[i] to options[j] (winning votes).
    strongest: list[list[int]]
    default_option: str | None = None
    #: Options dropped because they do not beat the default option (label -> (for, against)).
    dropped: dict[str, tuple[int, int]] = field(default_factory=dict)
    condorcet_winner: str | None = None


@dataclass
class IrvRound:
    number: int
    #: Votes of each continuing option at the start of the round.
    votes: dict[str, int]
    #: Weight of exhausted ballots so far (including overvotes).
    exhausted: int
    #: Of which overvotes (two continuing options at the same rank).
    overvotes: int
    eliminated: list[str] = field(default_factory=list)
    #: Transfers out of the eliminated options after this round: to -> weight ("" = exhausted).
    transfers: dict[str, int] = field(default_factory=dict)
    #: How the elimination was decided: "lowest", "batch", "count-back", "lot", "majority", "last".
    rule: str = "lowest"


@dataclass
class IrvDetail:
    rounds: list[IrvRound]
    seed: str
    #: The lot order drawn from the seed (first = eliminated last on a lot), published for recounts.
    lot_order: list[str]


@dataclass
class GradeProfile:
    option: str
    #: tally[g]: weight of grade g (0 = À rejeter … 6 = Excellent).
    tally: list[int]
    median: int
    #: "+" if the share above the median is larger than the share below, "-" otherwise,
    #: "" if every judgment equals the median.
    gauge: str
    above: Fraction
    below: Fraction


@dataclass
class MajorityJudgmentDetail:
    profiles: list[GradeProfile]


@dataclass
class TieBreak:
    """A tie a rule had to break (or could not), published with the result."""

    options: list[str]
    rule: str  # "count-back" | "lot" | "none"
    chosen: str | None
    round: int | None = None


@dataclass
class Result:
    method: str
    options: list[str]
    ranking: list[list[str]]
    winners: list[str]
    outcome: str
    turnout: int
    ballots: int
    quorum_required: Fraction | None
    quorum_reached: bool
    counts: dict[str, int] = field(default_factory=dict)
    irv: bool = False
    electorate: int | None = None
    pour_contre: PourContreDetail | None = None
    tally: TallyDetail | None = None
    schulze: SchulzeDetail | None = None
    rounds: list[IrvRound] = field(default_factory=list)
    irv_detail: IrvDetail | None = None
    majority_judgment: MajorityJudgmentDetail | None = None
    tie_breaks: list[TieBreak] = field(default_factory=list)

    @property
    def voting_method(self) -> VotingMethod:
        """The registry object of ``method`` (renders and charts the result)."""
        return _method_of(self.method)
