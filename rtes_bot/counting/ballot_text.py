"""Parse the ``/voter … choix:`` text into a ballot content, with precise errors.

Syntax: ``pour`` / ``contre`` / ``abstention`` (also for / against / abstain); ``Option B`` or
``2`` (1-based number); ``A; C``; ``B > A = C``; ``A: Très bien; B: Passable``; ``A: 4; B: 2``.
Options match by label (case-, accent- and spacing-insensitive) or by number.
Errors are ``BallotTextError(key, **params)`` with a catalog key: show them with
``t(err.key, locale, **err.params)``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from rtes_bot.catalog import t
from rtes_bot.counting.ballots import dense_ranks
from rtes_bot.counting.model import (
    ABSTENTION,
    APPROBATION,
    CHOIX_UNIQUE,
    CLASSEMENT,
    CONTRE,
    GRADES,
    JUGEMENT_MAJORITAIRE,
    MAX_GRADE,
    NOTES,
    POUR,
    POUR_CONTRE,
    PollSpec,
)

_SUGGESTION_CUTOFF = 60.0

_POUR_CONTRE_WORDS = {
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

_GRADE_WORDS: dict[str, int] = {}
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
        _GRADE_WORDS[_word] = _level


class BallotTextError(ValueError):
    """A ballot text that cannot be read; ``key`` is a catalog key, ``params`` its parameters."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, locale: object | None = None) -> str:
        return t(self.key, locale, **self.params)


def normalise_text(text: str) -> str:
    """Casefold, strip accents and collapse whitespace (also unify apostrophes)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()


def _suggest(given: str, choices: list[str]) -> str | None:
    from rapidfuzz import fuzz, process

    normalised = [normalise_text(c) for c in choices]
    match = process.extractOne(
        normalise_text(given), normalised, scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF
    )
    return choices[match[2]] if match else None


@lru_cache(maxsize=256)
def _label_index(labels: tuple[str, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, label in enumerate(labels):
        index.setdefault(normalise_text(label), i)
    return index


def _option(spec: PollSpec, token: str) -> int:
    given = token.strip()
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
    suggestion = _suggest(given, labels)
    if suggestion is not None:
        raise BallotTextError(
            "counting.parse.unknown_option_suggest", given=given, suggestion=suggestion
        )
    raise BallotTextError(
        "counting.parse.unknown_option", given=given, options=", ".join(f"« {x} »" for x in labels)
    )


def _split(text: str, separator: str) -> list[str]:
    parts = [part.strip() for part in text.split(separator)]
    if any(not part for part in parts):
        raise BallotTextError("counting.parse.empty_item")
    return parts


def _check_duplicate(spec: PollSpec, seen: set[int], index: int) -> None:
    if index in seen:
        raise BallotTextError("counting.parse.duplicate", option=spec.options[index])
    seen.add(index)


def _grade(value: str) -> int:
    key = normalise_text(value)
    if re.fullmatch(r"-?[0-9]+", key):
        grade = int(key) if len(key) <= 9 else MAX_GRADE + 1
        if not 0 <= grade <= MAX_GRADE:
            raise BallotTextError("counting.parse.grade_out_of_range", value=value, max=MAX_GRADE)
        return grade
    if key in _GRADE_WORDS:
        return _GRADE_WORDS[key]
    suggestion = _suggest(value, list(GRADES))
    if suggestion is not None:
        raise BallotTextError(
            "counting.parse.unknown_grade_suggest", given=value, suggestion=suggestion
        )
    raise BallotTextError("counting.parse.unknown_grade", given=value, grades=", ".join(GRADES))


def _score(value: str, top: int) -> int:
    key = value.strip()
    if not re.fullmatch(r"[-+]?[0-9]+", key):
        raise BallotTextError("counting.parse.not_a_score", given=value, max=top)
    score = int(key) if len(key) <= 10 else top + 1
    if not 0 <= score <= top:
        raise BallotTextError("counting.parse.score_out_of_range", given=value, max=top)
    return score


def parse_ballot_text(spec: PollSpec, text: str) -> Any:
    """Return the ballot content (see the package docstring) for ``text``, or raise."""
    text = text.strip()
    if not text:
        raise BallotTextError("counting.parse.empty")
    method = spec.method
    if method == POUR_CONTRE:
        choice = _POUR_CONTRE_WORDS.get(normalise_text(text))
        if choice is None:
            raise BallotTextError("counting.parse.pour_contre", given=text)
        return choice
    if method in (CHOIX_UNIQUE, APPROBATION):
        parts = _split(text, ";")
        if method == CHOIX_UNIQUE and len(parts) > 1:
            raise BallotTextError("counting.parse.single_choice", given=len(parts))
        seen: set[int] = set()
        for part in parts:
            _check_duplicate(spec, seen, _option(spec, part))
        if spec.max_choices is not None and len(seen) > spec.max_choices:
            raise BallotTextError("counting.parse.too_many", given=len(seen), max=spec.max_choices)
        return sorted(seen)
    if method == CLASSEMENT:
        if ";" in text and ">" not in text:
            raise BallotTextError("counting.parse.ranking_syntax")
        ranks: dict[str, int] = {}
        seen = set()
        for rank, group in enumerate(_split(text, ">"), start=1):
            for part in _split(group, "="):
                index = _option(spec, part)
                _check_duplicate(spec, seen, index)
                ranks[str(index)] = rank
        return dense_ranks(ranks)
    # jugement-majoritaire and notes: "label: value; label: value"
    values: dict[str, int] = {}
    seen = set()
    for part in _split(text, ";"):
        if ":" not in part:
            raise BallotTextError("counting.parse.missing_value", item=part)
        label, value = part.rsplit(":", 1)
        index = _option(spec, label)
        _check_duplicate(spec, seen, index)
        if not value.strip():
            raise BallotTextError("counting.parse.missing_value", item=part)
        if method == JUGEMENT_MAJORITAIRE:
            values[str(index)] = _grade(value)
        else:
            assert method == NOTES
            values[str(index)] = _score(value, spec.max_score)
    return dict(sorted(values.items(), key=lambda kv: int(kv[0])))


def format_ballot(spec: PollSpec, content: Any, locale: object | None = None) -> str:
    """Echo a ballot content back as text (the same syntax ``parse_ballot_text`` reads)."""
    labels = list(spec.options)
    method = spec.method
    if method == POUR_CONTRE:
        return t(f"counting.choice.{content}", locale)
    if method in (CHOIX_UNIQUE, APPROBATION):
        if not content:
            return t("counting.ballot.blank", locale)
        return "; ".join(labels[int(i)] for i in content)
    if method == CLASSEMENT:
        if not content:
            return t("counting.ballot.blank", locale)
        by_rank: dict[int, list[str]] = {}
        for key, rank in sorted(content.items(), key=lambda kv: int(kv[0])):
            by_rank.setdefault(rank, []).append(labels[int(key)])
        return " > ".join(" = ".join(by_rank[r]) for r in sorted(by_rank))
    items = sorted(content.items(), key=lambda kv: int(kv[0]))
    if method == JUGEMENT_MAJORITAIRE:
        return "; ".join(f"{labels[int(k)]}: {t(f'counting.grade.{v}', locale)}" for k, v in items)
    return "; ".join(f"{labels[int(k)]}: {v}" for k, v in items)
