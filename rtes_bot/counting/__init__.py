"""Vote counting for rtes-bot: pure functions, ballots in, explained results out.

No Discord, no database, no I/O. Exact arithmetic only (``int`` and ``Fraction``).

Ballot contents (JSON-serialisable, as stored in the database), option indices 0-based:

* ``pour-contre``: ``"pour"``, ``"contre"`` or ``"abstention"``;
* ``choix-unique``: ``[i]`` (``[]`` = blank);
* ``approbation``: sorted list of indices, ``[]`` = blank;
* ``classement``: ``{"0": 1, "2": 1, "1": 2}`` index -> rank (1 = best, equal numbers = equal
  ranks, absent = unranked, below every ranked option); Schulze by default, IRV with ``irv``;
* ``jugement-majoritaire``: ``{"0": 6, "1": 2}`` index -> grade 0 (À rejeter) .. 6 (Excellent);
* ``notes``: ``{"0": 4}`` index -> score 0..5 (``max_score``).

A ballot typed as text must grade or score every option; a stored content that leaves some out
is still counted (missing = 0), so older ballot files recount unchanged.

Everything that depends on the method lives in one object per method: ``METHOD_REGISTRY`` /
``method_of(name)`` (``methods.py``); ``PollSpec.voting_method`` gives a poll's.

``Result.outcome``: ``adoptee`` / ``rejetee`` (pour-contre; a tie rejects), ``elu`` (one winner),
``egalite`` (several options tied first, no rule breaks it), ``aucun`` (nobody expressed a
choice), ``quorum-non-atteint`` (turnout below quorum × electorate; winners are then empty but
the ranking is still computed). For pour-contre, ``winners`` is ``["pour"]`` when adopted and
``["contre"]`` when rejected.
"""

from rtes_bot.counting.ballot_files import (
    read_abif,
    read_ballots,
    read_ballots_csv,
    write_abif,
    write_ballots_csv,
)
from rtes_bot.counting.ballot_text import BallotTextError, format_ballot, parse_ballot_text
from rtes_bot.counting.charts import chart_png
from rtes_bot.counting.core import count
from rtes_bot.counting.methods import METHOD_REGISTRY, VotingMethod, method_of
from rtes_bot.counting.model import (
    GRADES,
    METHODS,
    OUTCOMES,
    Ballot,
    CountError,
    PollSpec,
    Result,
)
from rtes_bot.counting.render import render_result, render_summary, result_to_json

__all__ = [
    "GRADES",
    "METHODS",
    "METHOD_REGISTRY",
    "OUTCOMES",
    "Ballot",
    "BallotTextError",
    "CountError",
    "PollSpec",
    "Result",
    "VotingMethod",
    "chart_png",
    "count",
    "format_ballot",
    "method_of",
    "parse_ballot_text",
    "read_abif",
    "read_ballots",
    "read_ballots_csv",
    "render_result",
    "render_summary",
    "result_to_json",
    "write_abif",
    "write_ballots_csv",
]
