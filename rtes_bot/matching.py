"""Matching what an élu typed against the known collectivités: accent-, case- and typo-tolerant.

Pure module (no I/O). « grenoble », « Ville de Grenoble » and « Grenobel » all find « Grenoble »:
both sides are folded (:func:`rtes_bot.text.fold`), punctuation becomes spaces, « St » becomes
« saint », and administrative prefixes (ville de, commune de, mairie de, métropole…) are dropped
before a fuzzy comparison (rapidfuzz's weighted ratio).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from rtes_bot.text import fold

Key = TypeVar("Key", bound=Hashable)

#: Below this score a known collectivité is not proposed at all.
DEFAULT_CUTOFF = 72.0
#: At or above this score (and clearly ahead of the next one) a candidate is a confident match.
CONFIDENT = 85.0

_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Longest first: « communaute de communes de » must win over « communaute de ».
_PREFIXES = sorted(
    (
        "ville de",
        "ville d",
        "ville du",
        "commune de",
        "commune d",
        "commune du",
        "mairie de",
        "mairie d",
        "mairie du",
        "metropole de",
        "metropole d",
        "metropole du",
        "metropole",
        "eurometropole de",
        "eurometropole",
        "communaute de communes de",
        "communaute de communes du",
        "communaute de communes des",
        "communaute de communes",
        "communaute d agglomeration de",
        "communaute d agglomeration du",
        "communaute d agglomeration",
        "communaute urbaine de",
        "communaute urbaine du",
        "communaute urbaine",
        "agglomeration de",
        "agglomeration du",
        "conseil departemental de",
        "conseil departemental du",
        "conseil departemental des",
        "conseil departemental",
        "departement de",
        "departement du",
        "departement des",
        "departement",
        "conseil regional de",
        "conseil regional d",
        "conseil regional",
        "region",
    ),
    key=len,
    reverse=True,
)
_SUFFIXES = ("metropole", "agglomeration", "agglo")


def normalize(name: str) -> str:
    """The comparable form of a collectivité's name (« Ville de Saint-Étienne » → « saint etienne »)."""
    text = fold(name).replace("'", " ")
    text = _PUNCTUATION.sub(" ", text)
    words = [_ABBREVIATIONS.get(word, word) for word in _SPACES.split(text.strip()) if word]
    text = " ".join(words)
    for prefix in _PREFIXES:
        if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
            text = text[len(prefix) + 1 :]
            break
    for suffix in _SUFFIXES:
        if text.endswith(" " + suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix) - 1]
            break
    return text


@dataclass(frozen=True)
class Candidate(Generic[Key]):
    """A known collectivité proposed for what was typed, with a score from 0 to 100."""

    key: Key
    name: str
    score: float


def score(typed: str, known: str) -> float:
    """How well ``typed`` matches the name ``known`` (100: same name once normalised)."""
    left, right = normalize(typed), normalize(known)
    if not left or not right:
        return 0.0
    if left == right:
        return 100.0
    # Plain ratio catches typos; the weighted ratio also rewards a typed part of a longer name
    # (« grenoble » in « grenoble alpes »), but a little less than an exact name.
    return max(fuzz.ratio(left, right), fuzz.WRatio(left, right) - 5.0)


def rank(
    typed: str,
    known: Iterable[tuple[Key, str]],
    *,
    limit: int = 5,
    cutoff: float = DEFAULT_CUTOFF,
) -> list[Candidate[Key]]:
    """Known collectivités matching ``typed``, best first (ties by name), at most ``limit``."""
    candidates = [
        Candidate(key=key, name=name, score=round(value, 1))
        for key, name in known
        if (value := score(typed, name)) >= cutoff
    ]
    candidates.sort(key=lambda c: (-c.score, fold(c.name)))
    return candidates[:limit]


def confident(candidates: list[Candidate[Key]]) -> Candidate[Key] | None:
    """The one candidate to preselect: an exact name, or a high score clearly ahead of the next."""
    if not candidates:
        return None
    best = candidates[0]
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    if best.score >= 100.0 and runner_up < 100.0:
        return best
    if best.score >= CONFIDENT and best.score - runner_up >= 5.0:
        return best
    return None


# --------------------------------------------------------------------------- words
# Word-by-word matching, typo- and plural-tolerant: the directory's search and field names.

_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a au aux avec d de des du en et l la le les par pour sur un une the of and in for at to".split()
)


def words(text: str) -> list[str]:
    """Folded words of a text (accents and case removed)."""
    return _WORD.findall(fold(text))


def singular(word: str) -> str:
    """A light plural stripper for French and English (« finances » → « finance »)."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def word_similarity(query: str, candidate: str) -> float:
    """0..100: how well a typed word matches a word of a record (typos, plurals, prefixes)."""
    if query == candidate or singular(query) == singular(candidate):
        return 100.0
    if len(query) >= 3 and candidate.startswith(query):
        return 95.0
    if len(query) >= 4 and len(candidate) >= 4:
        score = fuzz.ratio(singular(query), singular(candidate))
        return score if score >= 80 else 0.0
    return 0.0


def match_score(query_words: Sequence[str], record_words: Sequence[str]) -> float | None:
    """Mean similarity when every query word matches some record word, else ``None``."""
    if not query_words:
        return 100.0
    total = 0.0
    for query in query_words:
        best = max((word_similarity(query, word) for word in record_words), default=0.0)
        if best <= 0:
            return None
        total += best
    return total / len(query_words)


def significant(query_words: Sequence[str]) -> list[str]:
    kept = [word for word in query_words if word not in STOPWORDS]
    return kept or list(query_words)
