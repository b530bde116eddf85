"""What the assistant knows, as plain values, and the passages ranked with ``bm25s``.

The service (:mod:`rtes_bot.services.assistant`) builds a :class:`Knowledge` from the database
once per change (charter versions, decisions, proposals, open polls, members, places, fields) and
keeps it; answering a question then costs a lookup in memory. Nothing here holds a contact
detail: cards are read at answer time, through the directory's consent rule. Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from rtes_bot.assistant import language as lang
from rtes_bot.assistant import meaning
from rtes_bot.assistant import words as w
from rtes_bot.charter_text import Part
from rtes_bot.text import fold

_ARTICLE = re.compile(r"^\s*article\s+(\d+)\b", re.IGNORECASE)
_ARTICLE_PREFIX = re.compile(r"^\s*article\s+\d+\s*[—–-]?\s*", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+")
#: The least cosine at which a part of one charter version stands for a part of another, as
#: an example question's topic.
TOPIC_FLOOR = 0.7
#: The topic of the example questions that ask for a version's whole text, not one part.
WHOLE_TEXT = "*"


@dataclass(frozen=True)
class CharterPart:
    version: int
    index: int  # 1-based, in charter_text.parts() order
    title: str
    article: int | None
    is_charter: bool
    paragraphs: tuple[str, ...]

    @property
    def source(self) -> str:
        if self.article is not None:
            return f"charter:v{self.version}:article:{self.article}"
        return f"charter:v{self.version}:part:{self.index}"


@dataclass(frozen=True)
class CharterDoc:
    version: int
    parts: tuple[CharterPart, ...]

    def article(self, number: int) -> CharterPart | None:
        return next((p for p in self.parts if p.article == number), None)

    @property
    def context(self) -> tuple[CharterPart, ...]:
        return tuple(p for p in self.parts if not p.is_charter)


def topic_text(part: CharterPart) -> str:
    """A charter part as one text, its heading first (« Gouvernance. Le réseau est gouverné… »):
    what a question about it is about, for the examples (``benchmarks/build_examples.py``)."""
    title = _ARTICLE_PREFIX.sub("", part.title)
    body = " ".join(" ".join(p.split()) for p in part.paragraphs)
    return f"{title}. {body}" if title else body


def charter_doc(version: int, parts: Sequence[Part]) -> CharterDoc:
    result = []
    for index, part in enumerate(parts, start=1):
        found = _ARTICLE.match(fold(part.title))
        result.append(
            CharterPart(
                version=version,
                index=index,
                title=part.title,
                article=int(found.group(1)) if found else None,
                is_charter=part.is_charter,
                paragraphs=tuple(part.paragraphs()),
            )
        )
    return CharterDoc(version=version, parts=tuple(result))


@dataclass(frozen=True)
class PersonRef:
    elu_id: int
    name: str
    collectivite_id: int | None
    is_referent: bool
    field_ids: tuple[int, ...] = ()
    active: bool = True
    mandate: str = ""  # « Conseiller municipal délégué aux circuits courts »


@dataclass(frozen=True)
class PlaceRef:
    collectivite_id: int
    name: str
    departement: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class FieldRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Doc:
    """One retrievable text: a charter paragraph, a decision, a proposal."""

    source: str
    title: str
    text: str
    number: int | None = None
    part: CharterPart | None = None


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float
    coverage: float  # share of the query's keys found in the doc


class Retriever:
    """BM25 (``bm25s``) over the docs' keys; built once, queried in memory."""

    def __init__(self, docs: Sequence[Doc], *, title_weight: int = 2, lead_weight: int = 0) -> None:
        """``lead_weight``: how many times more a paragraph's first word counts (what a
        paragraph opens with — « Le bureau anime le réseau… » — is what it is about)."""
        self.docs = list(docs)
        self._positions = {id(doc): i for i, doc in enumerate(self.docs)}
        self.key_sets: list[frozenset[str]] = []
        corpus: list[list[str]] = []
        for doc in self.docs:
            title = self._keys(doc.title)
            body = self._keys(doc.text)
            corpus.append(title * title_weight + body + body[:1] * lead_weight or ["_"])
            self.key_sets.append(frozenset(title + body))
        self.vocabulary = frozenset(k for keys in self.key_sets for k in keys)
        df: dict[str, int] = {}
        for keys in self.key_sets:
            for k in keys:
                df[k] = df.get(k, 0) + 1
        total = max(len(self.docs), 1)
        self.idf = {k: math.log(1 + total / n) for k, n in df.items()}
        self.unknown_idf = math.log(1 + total / 0.5)
        self.model: bm25s.BM25 | None = None
        if self.docs:
            self.model = bm25s.BM25()
            self.model.index(corpus, show_progress=False)

    def position(self, doc: Doc) -> int:
        """Where ``doc`` (one of this collection's, as its hits hold) stands in ``docs``."""
        return self._positions[id(doc)]

    @staticmethod
    def _keys(text: str) -> list[str]:
        return w.keys(w.content(w.raw_tokens(text)))

    def weight(self, key: str, known: frozenset[str] | None) -> float:
        """A query word's weight: rarer words weigh more; a word this collection lacks but
        another holds weighs most (it points elsewhere); a word nothing holds, little."""
        if key in self.idf:
            return self.idf[key]
        if known is not None and key not in known:
            return 0.5
        return self.unknown_idf

    def coverage(
        self,
        query_keys: Sequence[str],
        keys: frozenset[str],
        *,
        forms: Mapping[str, Sequence[str]] | None = None,
        known: frozenset[str] | None = None,
    ) -> float:
        """The share of the query's weight found in one doc; a word is found as itself or as
        one of its other ``forms`` (« adhérer » as « adhésion »)."""
        wanted = list(dict.fromkeys(query_keys))
        forms = forms or {}
        whole = 0.0
        found = 0.0
        for k in wanted:
            alternatives = [a for a in forms.get(k, ()) if a in self.idf]
            weight = self.weight(k, known)
            if k not in self.idf and alternatives:
                weight = max(self.idf[a] for a in alternatives)
            whole += weight
            if k in keys or any(a in keys for a in alternatives):
                found += weight
        return found / whole if whole else 0.0

    def keys_of(self, hit: Hit) -> frozenset[str]:
        """The keys of ``hit``'s title and text, as indexed."""
        return self.key_sets[self.position(hit.doc)]

    def matched(
        self, query_keys: Sequence[str], hit: Hit, *, forms: Mapping[str, Sequence[str]]
    ) -> int:
        """How many of the query's words ``hit`` holds (as themselves or another form), each
        of its words counted once (« infos » and « données » are one word found)."""
        keys = self.keys_of(hit)
        used: set[str] = set()
        count = 0
        for k in dict.fromkeys(query_keys):
            held = {k} & keys or {a for a in forms.get(k, ()) if a in keys}
            if held - used:
                count += 1
            used |= held
        return count

    def search(
        self,
        query_keys: Sequence[str],
        limit: int = 3,
        *,
        forms: Mapping[str, Sequence[str]] | None = None,
        known: frozenset[str] | None = None,
    ) -> list[Hit]:
        extra = [a for k in query_keys for a in (forms or {}).get(k, ())]
        wanted = [k for k in dict.fromkeys([*query_keys, *extra]) if k in self.vocabulary]
        if self.model is None or not wanted:
            return []
        scores = np.asarray(self.model.get_scores(wanted))
        order = np.argsort(-scores)[: max(limit * 4, limit)]
        hits = []
        for position in order:
            score = float(scores[position])
            if score <= 0:
                break
            keys = self.key_sets[position]
            coverage = self.coverage(query_keys, keys, forms=forms, known=known)
            hits.append(Hit(self.docs[position], score, coverage))
        hits.sort(key=lambda h: (-h.coverage, -h.score))
        return hits[:limit]


@dataclass
class Knowledge:
    """Everything a question may be answered from, for one network."""

    charters: dict[int, CharterDoc]
    current: int
    decisions: list[Doc] = field(default_factory=list)
    proposals: list[Doc] = field(default_factory=list)
    open_polls: list[Doc] = field(default_factory=list)
    poll_numbers: frozenset[int] = frozenset()
    open_poll_numbers: frozenset[int] = frozenset()
    people: list[PersonRef] = field(default_factory=list)
    places: list[PlaceRef] = field(default_factory=list)
    fields: list[FieldRef] = field(default_factory=list)
    extra_vocabulary: Iterable[str] = ()

    def __post_init__(self) -> None:
        self.charter_index = {
            version: Retriever(
                [
                    Doc(part.source, part.title, paragraph, part=part)
                    for part in doc.parts
                    for paragraph in (part.paragraphs or ("",))
                ],
                title_weight=3,
                lead_weight=2,
            )
            for version, doc in self.charters.items()
        }
        self._meaning: dict[int, meaning.PassageSpace] = {}
        self._numbered: dict[str, meaning.PassageSpace] = {}
        self._topics: dict[tuple[int, str], CharterPart | None] = {}
        self.decision_index = Retriever(self.decisions)
        self.proposal_index = Retriever(self.proposals)
        self.poll_index = Retriever(self.open_polls)
        self.decision_numbers = frozenset(d.number for d in self.decisions if d.number)
        self.proposal_numbers = frozenset(p.number for p in self.proposals if p.number)
        self.all_keys = frozenset(
            k
            for index in (
                *self.charter_index.values(),
                self.decision_index,
                self.proposal_index,
                self.poll_index,
            )
            for k in index.vocabulary
        )
        vocabulary: set[str] = set(self.extra_vocabulary)
        vocabulary.update(lang.ENGLISH, lang.FRENCH, w.STOPWORDS)
        vocabulary.update(w.LEXICON_WORDS)
        vocabulary.update(w.NUMBER_WORDS)  # « dixième » is no typo of « deuxième »
        texts: list[str] = []
        for doc in self.charters.values():
            for part in doc.parts:
                texts.append(part.title)
                texts.extend(part.paragraphs)
        texts.extend(d.title + " " + d.text for d in self.decisions)
        texts.extend(p.title + " " + p.text for p in self.proposals)
        texts.extend(p.title + " " + p.text for p in self.open_polls)
        texts.extend(p.name for p in self.people)
        texts.extend(f"{p.name} {p.departement or ''}" for p in self.places)
        texts.extend(f"{f.name} {f.slug.replace('-', ' ')}" for f in self.fields)
        french: set[str] = set()
        for text in texts:
            french.update(w.raw_tokens(text))
        vocabulary.update(french)
        #: Words of the network's own (French) texts and names, for telling the language.
        self.french_words = frozenset(w.keys(french - lang.ENGLISH))
        names = {
            token
            for text in (
                *(p.name for p in self.places),
                *(p.name for p in self.people),
            )
            for token in w.raw_tokens(text)
        }
        self.speller = w.Speller(vocabulary, names=names)
        # Names: each person's folded name words, and who bears each word.
        self.name_words: dict[str, set[int]] = {}
        for index, person in enumerate(self.people):
            for token in w.raw_tokens(person.name):
                if len(token) >= 2:
                    self.name_words.setdefault(token, set()).add(index)

    def charter_meaning(self, version: int) -> meaning.PassageSpace:
        """The charter's paragraphs by meaning, keyed by their position in
        ``charter_index[version].docs``: each paragraph under its heading, and each of its
        sentences, so a question matching one sentence of a long paragraph finds it."""
        space = self._meaning.get(version)
        if space is None:
            passages: list[tuple[int, str]] = []
            for index, doc in enumerate(self.charter_index[version].docs):
                title = _ARTICLE_PREFIX.sub("", doc.title)
                passages.append((index, f"{title}. {doc.text}" if doc.text else title))
                for sentence in _SENTENCE.split(doc.text):
                    if len(sentence) >= 20 and sentence != doc.text:
                        passages.append((index, sentence))
            space = self._meaning[version] = meaning.PassageSpace(passages)
        return space

    def charter_topic(self, version: int, topic: str) -> CharterPart | None:
        """The part of this charter version that stands for a passage an example question was
        about (:attr:`meaning.Example.topic`, a part as :func:`topic_text` writes it): that
        part itself when this version holds it word for word, else the part closest to it in
        meaning when close (``TOPIC_FLOOR``: its counterpart in another version), else none."""
        key = (version, topic)
        if key not in self._topics:
            parts = self.charters[version].parts
            texts = [topic_text(part) for part in parts]
            found: CharterPart | None = None
            if topic == WHOLE_TEXT:
                found = None
            elif topic in texts:
                found = parts[texts.index(topic)]
            elif parts:
                similarity = meaning.encode(texts) @ meaning.vector(topic)
                best = int(np.argmax(similarity))
                if similarity[best] >= TOPIC_FLOOR:
                    found = parts[best]
            self._topics[key] = found
        return self._topics[key]

    def numbered_index(self, kind: str) -> Retriever:
        """The decisions' (``kind`` "decision") or the proposals' retriever."""
        return self.decision_index if kind == "decision" else self.proposal_index

    def numbered_meaning(self, kind: str) -> meaning.PassageSpace:
        """The decisions' or the proposals' titles by meaning (each also with the start of its
        text), keyed by their position in ``numbered_index(kind).docs``."""
        space = self._numbered.get(kind)
        if space is None:
            index = self.numbered_index(kind)
            passages: list[tuple[int, str]] = []
            for position, doc in enumerate(index.docs):
                passages.append((position, doc.title))
                if doc.text:
                    passages.append((position, f"{doc.title}. {doc.text[:200]}"))
            space = self._numbered[kind] = meaning.PassageSpace(passages)
        return space

    def prepare_meaning(self) -> None:
        """Loads the encoder and encodes the examples and every charter version's passages,
        and finds each version's part for the examples' topics (seconds the first time; run it
        in a worker thread, not on the event loop)."""
        space = meaning.examples()
        topics = space.topic_classifier.intents if space.topic_classifier else ()
        for version in self.charters:
            self.charter_meaning(version)
            for topic in topics:
                self.charter_topic(version, topic)
        self.numbered_meaning("decision")
        self.numbered_meaning("proposal")

    @property
    def meaning_ready(self) -> bool:
        return (
            meaning.ready()
            and all(v in self._meaning for v in self.charters)
            and len(self._numbered) == 2
        )

    @property
    def charter(self) -> CharterDoc:
        return self.charters[self.current]
