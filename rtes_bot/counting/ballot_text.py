"""Parse the ``/voter … choix:`` text into a ballot content, with precise errors.

Syntax: ``pour`` / ``contre`` / ``abstention`` (also for / against / abstain); ``Option B`` or
``2`` (1-based number); ``A; C``; ``B > A = C``; ``A: Très bien; B: Passable``; ``A: 4; B: 2``.
Options match by label (case-, accent- and spacing-insensitive) or by number. Grades and scores
must be given to every option. Errors are ``BallotTextError(key, **params)`` with a catalog key:
show them with ``t(err.key, locale, **err.params)``; on a near miss with a single close match,
``err.suggestion_text`` is the corrected ballot text.

This module holds the reading primitives; each method's syntax is in its ``VotingMethod``
(``methods.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rtes_bot.catalog import t
from rtes_bot.counting.model import (
    ABSTENTION,
    CONTRE,
    GRADES,
    MAX_GRADE,
    POUR,
    PollSpec,
)
from rtes_bot.text import echo

_SUGGESTION_CUTOFF = 60.0

#: Words read as a pour-contre answer (after ``normalise_text``).
POUR_CONTRE_WORDS = {
    "pour": POUR,
    "for": POUR,
    "oui": POUR,
    "yes": POUR,
    "contre": CONTRE,
    "against": CONTRE,
    "non": CONTRE,
    "no": CONTRE,
    "abstention": ABSTENTION,
    "abstain": ABSTENTION,
    "abstiens": ABSTENTION,
    "je m'abstiens": ABSTENTION,
}

#: Majority-judgment grade names, French and English (after ``normalise_text``) -> grade.
GRADE_WORDS: dict[str, int] = {}
for _level, _synonyms in enumerate(
    (
        ("a rejeter", "rejeter", "reject", "to reject", "rejected"),
        ("insuffisant", "insufficient", "poor"),
        ("passable", "fair", "acceptable"),
        ("assez bien", "fairly good", "quite good"),
        ("bien", "good"),
        ("tres bien", "very good"),
        ("excellent",),
    )
):
    for _word in _synonyms:
        GRADE_WORDS[_word] = _level


#: The longest piece of a ballot text quoted back in a refusal.
QUOTE_LIMIT = 500


class BallotTextError(ValueError):
    """A ballot text that cannot be read; ``key`` is a catalog key, ``params`` its parameters.

    ``suggestion_text`` is the whole ballot text with one mistyped option (or grade) replaced by
    the only close match, set when that corrected text reads as a valid ballot: the bot can offer
    to vote it in one click. ``fix`` is the replacement behind it, ``(start, end, text)`` in the
    stripped ballot text, set where the near miss is found.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        # What was typed, as the refusal quotes it: no stray spaces (« « TB » », not « «  TB » »).
        self.params = {
            k: echo(v, QUOTE_LIMIT) if isinstance(v, str) else v for k, v in params.items()
        }
        self.suggestion_text: str | None = None
        self.fix: tuple[int, int, str] | None = None

    def message(self, locale: object | None = None) -> str:
        """The refusal, quoting what was typed cleaned (no stray spaces)."""
        params = {
            k: echo(v, QUOTE_LIMIT) if isinstance(v, str) else v for k, v in self.params.items()
        }
        return t(self.key, locale, **params)


def normalise_text(text: str) -> str:
    """Casefold, strip accents and collapse whitespace (also unify apostrophes)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()


def _close_matches(given: str, choices: Sequence[str]) -> tuple[str | None, list[int]]:
    """The best close match of ``given`` among ``choices`` and the indices of every close one."""
    from rapidfuzz import fuzz, process

    normalised = [normalise_text(c) for c in choices]
    key = normalise_text(given)
    best = process.extractOne(key, normalised, scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF)
    if best is None:
        return None, []
    close = process.extract(
        key, normalised, scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF, limit=None
    )
    return choices[best[2]], [match[2] for match in close]


def _near_miss(
    key: str, start: int, end: int, replacement: str | None, **params: Any
) -> BallotTextError:
    error = BallotTextError(key, **params)
    if replacement is not None:
        error.fix = (start, end, replacement)
    return error


def _suggest(
    key: str, typed: str, start: int, choices: Sequence[str], **params: Any
) -> BallotTextError | None:
    """The refusal of ``typed`` (stripped, at ``start``) suggesting the closest of ``choices``
    (with the fix in place when only one is close), or None when none is close."""
    suggestion, close = _close_matches(typed, choices)
    if suggestion is None:
        return None
    replacement = suggestion if len(close) == 1 else None
    return _near_miss(key, start, start + len(typed), replacement, suggestion=suggestion, **params)


def span(token: str, start: int) -> tuple[str, int]:
    """``token`` stripped, and where it starts once stripped (``start`` = where ``token`` starts)."""
    return token.strip(), start + len(token) - len(token.lstrip())


def split_items(text: str, separator: str, offset: int = 0) -> list[tuple[str, int]]:
    """The stripped items of ``text`` between ``separator``, each with its position.

    Positions count from the start of the ballot text (``offset`` = where ``text`` starts in it).
    An empty item is refused (a doubled or trailing separator).
    """
    items = []
    position = offset
    for raw in text.split(separator):
        items.append(span(raw, position))
        position += len(raw) + len(separator)
    if any(not item for item, _ in items):
        raise BallotTextError("counting.parse.empty_item")
    return items


@lru_cache(maxsize=256)
def _label_index(labels: tuple[str, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, label in enumerate(labels):
        index.setdefault(normalise_text(label), i)
    return index


def option_index(spec: PollSpec, token: str, start: int = 0) -> int:
    """The 0-based index of the option named (or numbered, from 1) by ``token``."""
    given, start = span(token, start)
    if not given:
        raise BallotTextError("counting.parse.empty_item")
    key = normalise_text(given)
    labels = list(spec.options)
    found = _label_index(tuple(labels)).get(key)
    if found is not None:
        return found
    if re.fullmatch(r"[0-9]+", key):
        # Only ASCII digits are option numbers; past 9 digits the number is out of range anyway.
        if len(key) <= 9 and 1 <= int(key) <= len(labels):
            return int(key) - 1
        shown = int(key) if len(key) <= 9 else key[:9] + "…"
        raise BallotTextError("counting.parse.number_out_of_range", number=shown, count=len(labels))
    near = _suggest("counting.parse.unknown_option_suggest", given, start, labels, given=given)
    if near is not None:
        raise near
    raise BallotTextError(
        "counting.parse.unknown_option", given=given, options=", ".join(f"« {x} »" for x in labels)
    )


def check_duplicate(spec: PollSpec, seen: set[int], index: int) -> None:
    """Refuse an option given twice; otherwise remember it in ``seen``."""
    if index in seen:
        raise BallotTextError("counting.parse.duplicate", option=spec.options[index])
    seen.add(index)


def pour_contre_choice(text: str) -> str:
    """``pour`` / ``contre`` / ``abstention`` for a (stripped) pour-contre answer."""
    choice = POUR_CONTRE_WORDS.get(normalise_text(text))
    if choice is not None:
        return choice
    words = list(POUR_CONTRE_WORDS)
    best, close = _close_matches(text, words)
    # Synonyms of one answer ("abstain", "abstiens") are a single candidate.
    unique = best is not None and len({POUR_CONTRE_WORDS[words[i]] for i in close}) == 1
    raise _near_miss(
        "counting.parse.pour_contre", 0, len(text), best if unique else None, given=text
    )


def grade_value(value: str, start: int = 0) -> int:
    """A majority-judgment grade 0..6 from its number or its name (French or English)."""
    key = normalise_text(value)
    if re.fullmatch(r"-?[0-9]+", key):
        grade = int(key) if len(key) <= 9 else MAX_GRADE + 1
        if not 0 <= grade <= MAX_GRADE:
            raise BallotTextError("counting.parse.grade_out_of_range", value=value, max=MAX_GRADE)
        return grade
    if key in GRADE_WORDS:
        return GRADE_WORDS[key]
    given, start = span(value, start)
    near = _suggest("counting.parse.unknown_grade_suggest", given, start, GRADES, given=value)
    if near is not None:
        raise near
    raise BallotTextError("counting.parse.unknown_grade", given=value, grades=", ".join(GRADES))


def score_value(value: str, top: int) -> int:
    """A score 0..top (an integer)."""
    key = value.strip()
    if not re.fullmatch(r"[-+]?[0-9]+", key):
        raise BallotTextError("counting.parse.not_a_score", given=value, max=top)
    score = int(key) if len(key) <= 10 else top + 1
    if not 0 <= score <= top:
        raise BallotTextError("counting.parse.score_out_of_range", given=value, max=top)
    return score


def parse_ballot_text(spec: PollSpec, text: str) -> Any:
    """Return the ballot content (see the package docstring) for ``text``, or raise.

    ``BallotTextError.suggestion_text`` is set on a near miss with a single close match whose
    correction reads as a valid ballot.
    """
    return spec.voting_method.parse_text(spec, text)


def format_ballot(spec: PollSpec, content: Any, locale: object | None = None) -> str:
    """Echo a ballot content back as text (the same syntax ``parse_ballot_text`` reads)."""
    return spec.voting_method.format(spec, content, locale)
