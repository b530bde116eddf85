"""Understanding free-text questions for the chatbot: pure functions, no I/O, no Discord.

A question (French or English) is folded (accents, case), its words lightly stemmed (plurals) and
compared with rapidfuzz, so « Que dit la CHARTE sur les coopérations ? », « charte cooperation »
and « what does the charter say about cooperation » find the same passages. The service
(:mod:`rtes_bot.services.chatbot`) loads what is known and words the answer.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from rtes_bot.charter_text import Part
from rtes_bot.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_MENTION = re.compile(r"<[@#][!&]?\d+>|@everyone|@here")


class Topic(enum.StrEnum):
    CHARTER = "charter"
    CONTACT = "contact"
    POLLS = "polls"
    JOIN = "join"
    HELP = "help"
    UNKNOWN = "unknown"


# English phrases turned into the French words of the charter and of the fields of action.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("fair trade", "commerce equitable"),
    ("ethical purchasing", "achat ethique"),
    ("ethical buying", "achat ethique"),
    ("solidarity finance", "finances solidaires"),
    ("participatory democracy", "democratie participative"),
    ("participative democracy", "democratie participative"),
    ("local democracy", "democratie locale"),
    ("popular education", "education populaire"),
    ("services to people", "services aux personnes"),
    ("personal services", "services aux personnes"),
    ("care services", "services aux personnes"),
    ("international cooperation", "cooperation internationale"),
    ("sustainable development", "developpement durable"),
    ("natural resources", "ressources naturelles"),
    ("future generations", "generations futures"),
    ("quality of life", "qualite vie"),
    ("social link", "lien social"),
    ("social utility", "utilite sociale"),
    ("job creation", "creation activites"),
    ("business creation", "creation activites"),
    ("social economy", "economie sociale"),
    ("solidarity economy", "economie solidaire"),
    ("environment", "environnement"),
    ("environmental", "environnement"),
    ("health", "sante"),
    ("solidarity", "solidarite"),
    ("democracy", "democratie"),
    ("citizens", "citoyenne"),
    ("citizen", "citoyenne"),
    ("citizenship", "citoyenne"),
    ("partnership", "partenariat"),
    ("partnerships", "partenariat"),
    ("wealth", "richesse"),
    ("networking", "mise reseau"),
    ("network", "reseau"),
    ("territories", "territoires"),
    ("territory", "territoire"),
    ("hybridisation", "hybridation"),
    ("hybridization", "hybridation"),
    ("discrimination", "discriminations"),
)
# « ESS » is the whole network's theme: a topic for the charter, noise for finding people.
ABBREVIATIONS = {"ess": "economie sociale solidaire"}

STOPWORDS = frozenset(
    """a ai au aux avec ce ces cet cette d de des du elle en est et il ils je j l la le les leur
    lui ma me mes mon ne nous on ou par pas pour qu que quel quelle quelles quels qu quoi s sa se
    ses son sont sur t ta te tes toi ton tu un une vos votre vous y dans chez etc il elle
    the a an of and or in on at to for is are be do does did can could would should there this
    that these those i me my you your we our it its with from by as about any some please""".split()
)
CHARTER_CUES = ("charte", "charter")
CHARTER_QUESTION_WORDS = frozenset(
    """dit dire disent parle parlent parler evoque evoquent aborde mentionne sujet propos
    concernant say says said mention mentions speak speaks talk talks tell what which where
    passage passages partie article texte text""".split()
)
CONTACT_CUES = (
    "contact", "contacts", "contacter", "joindre", "qui", "who", "whom", "referent", "referente",
    "suit", "suivent", "occupe", "occupent", "interlocuteur", "interlocutrice", "annuaire",
    "directory", "coordonnees", "reach", "responsible", "works", "work", "handles", "charge",
)  # fmt: skip
JOIN_CUES = (
    "adherer", "adhesion", "adherent", "adherente", "rejoindre", "inscrire", "inscription",
    "join", "joining", "membership", "register", "registration", "devenir", "become",
)  # fmt: skip
POLL_CUES = (
    "scrutin", "scrutins", "vote", "votes", "voter", "poll", "polls", "election", "elections",
    "ballot", "ballots", "sondage", "votation",
)  # fmt: skip
HELP_CUES = (
    "aide", "aider", "help", "faire", "peux", "pouvez", "sais", "commande", "commandes", "command",
    "commands", "bonjour", "salut", "hello", "hi", "hey", "fonctionnalites", "features", "do",
)  # fmt: skip
# Words that never name a person, a place or a field (so they never select contacts).
GENERIC_WORDS = frozenset(
    """ess economie economique sociale social solidaire solidaires rtes reseau elu elus elue elues
    membre membres personne personnes quelqu quelqun quelqu un someone somebody anyone people
    person member members mairie ville commune city town departement department region
    territoire local locale""".split()
)
PLACE_NOISE = frozenset(
    """ville commune communaute agglomeration metropole departement departemental region
    regional conseil pays mairie cc ca cu communes""".split()
)
ENGLISH_MARKERS = frozenset(
    "what who whom how does do the is are there about say says charter can you which where "
    "join open polls help works work any".split()
)
FRENCH_MARKERS = frozenset(
    "que qui quoi comment quel quelle quels quelles la le les des du sur est sont charte je tu "
    "vous dit suit peux il y a ou en cours adherer scrutins".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light stemmer: plurals and the feminine « e » (« solidaires » → « solidair »)."""
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def similarity(typed: str, known: str) -> float:
    """0..1: a typed word against a known word (exact, plural, typo; prefixes of long words)."""
    if typed == known:
        return 1.0
    a, b = stem(typed), stem(known)
    if a == b:
        return 1.0
    if len(a) >= 5 and len(b) >= 5 and (a.startswith(b) or b.startswith(a)):
        return 0.9
    if len(a) >= 4 and len(b) >= 4:
        score = fuzz.ratio(a, b)
        if score >= (85 if min(len(a), len(b)) >= 6 else 80):
            return score / 100
    return 0.0


def has_cue(question_words: Sequence[str], cues: Iterable[str]) -> bool:
    cue_list = list(cues)
    for word in question_words:
        for cue in cue_list:
            if word == cue:
                return True
            if len(word) >= 5 and len(cue) >= 5 and similarity(word, cue) >= 0.85:
                return True
    return False


def _is_cue(word: str) -> bool:
    return any(
        word == cue or (len(word) >= 5 and len(cue) >= 5 and similarity(word, cue) >= 0.85)
        for cue in (*CHARTER_CUES, *CONTACT_CUES, *JOIN_CUES, *POLL_CUES, *HELP_CUES)
    )


def language(question: str) -> str:
    """« en » when the question reads as English, else « fr » (the network's language)."""
    found = words(question)
    english = sum(1 for w in found if w in ENGLISH_MARKERS)
    french = sum(1 for w in found if w in FRENCH_MARKERS)
    return "en" if english > french else "fr"


def translate(folded: str) -> str:
    """English topic phrases → French words; abbreviations expanded."""
    text = f" {folded} "
    for english, french in GLOSSARY:
        text = re.sub(rf"(?<![a-z0-9]){re.escape(english)}(?![a-z0-9])", french, text)
    return text.strip()


# --------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class FieldRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class PlaceRef:
    collectivite_id: int
    name: str
    departement: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Passage:
    part_title: str
    text: str
    is_charter: bool
    score: float


@dataclass(frozen=True)
class Paragraph:
    part_title: str
    text: str
    is_charter: bool
    stems: tuple[str, ...]


def index_parts(parts: Sequence[Part]) -> list[Paragraph]:
    """Every paragraph and list item of a charter text, with its stemmed words."""
    return [
        Paragraph(
            part_title=part.title,
            text=paragraph,
            is_charter=part.is_charter,
            stems=tuple(stem(w) for w in words(paragraph)),
        )
        for part in parts
        for paragraph in part.paragraphs()
    ]


@dataclass
class Knowledge:
    paragraphs: list[Paragraph]
    fields: list[FieldRef] = field(default_factory=list)
    places: list[PlaceRef] = field(default_factory=list)


@dataclass
class Understanding:
    topic: Topic
    language: str
    subject: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    fields: list[FieldRef] = field(default_factory=list)
    places: list[PlaceRef] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)

    @property
    def has_entities(self) -> bool:
        return bool(self.fields or self.places or self.departements)


def find_passages(
    subject: Sequence[str], paragraphs: Sequence[Paragraph], limit: int = 3
) -> list[Passage]:
    """Paragraphs speaking of the subject words, best first (rarer words weigh more)."""
    if not subject or not paragraphs:
        return []
    total = len(paragraphs)
    matches: dict[str, list[float]] = {}
    for word in subject:
        matches[word] = [
            max((similarity(word, s) for s in paragraph.stems), default=0.0)
            for paragraph in paragraphs
        ]
    # Words found nowhere in the text (« everyone », a typo beyond repair) do not sink the others.
    known = [word for word in subject if any(v > 0 for v in matches[word])]
    if not known:
        return []
    weights = {
        word: math.log(1 + total / (1 + sum(1 for v in matches[word] if v > 0))) for word in known
    }
    whole = sum(weights.values()) or 1.0
    scored: list[Passage] = []
    for index, paragraph in enumerate(paragraphs):
        covered = sum(weights[word] * matches[word][index] for word in known)
        found = sum(1 for word in known if matches[word][index] > 0)
        if found == 0:
            continue
        coverage = covered / whole
        if coverage < 0.5 and found < 2:
            continue
        bonus = 0.05 if paragraph.is_charter else 0.0
        scored.append(
            Passage(paragraph.part_title, paragraph.text, paragraph.is_charter, coverage + bonus)
        )
    scored.sort(key=lambda p: -p.score)
    if not scored:
        return []
    best = scored[0].score
    return [p for p in scored if p.score >= best * 0.6][:limit]


def _match_fields(
    subject: Sequence[str], fields: Sequence[FieldRef]
) -> tuple[list[FieldRef], set[str]]:
    best: list[FieldRef] = []
    best_count = 0
    used: set[str] = set()
    for field_ref in fields:
        known = [
            w
            for w in words(f"{field_ref.name} {field_ref.slug.replace('-', ' ')}")
            if w not in STOPWORDS
        ]
        hits = {w for w in subject if any(similarity(w, k) >= 0.85 for k in known)}
        if not hits:
            continue
        if len(hits) > best_count:
            best, best_count, used = [field_ref], len(hits), set(hits)
        elif len(hits) == best_count:
            best.append(field_ref)
            used |= hits
    return best, used


def _place_words(name: str) -> list[str]:
    return [w for w in words(name) if w not in STOPWORDS and w not in PLACE_NOISE and len(w) >= 3]


def _match_places(
    subject: Sequence[str], places: Sequence[PlaceRef]
) -> tuple[list[PlaceRef], set[str]]:
    found: list[tuple[float, PlaceRef]] = []
    used: set[str] = set()
    candidates = [w for w in subject if len(w) >= 3 and w not in GENERIC_WORDS and not w.isdigit()]
    for place in places:
        known = _place_words(place.name)
        if not known:
            continue
        hits = {w for w in candidates if any(similarity(w, k) >= 0.85 for k in known)}
        if hits:
            found.append((len(hits) / len(known), place))
            used |= hits
    found.sort(key=lambda item: (-item[0], fold(item[1].name)))
    return [place for _, place in found], used


def _match_departements(subject: Sequence[str], places: Sequence[PlaceRef]) -> list[str]:
    names = sorted({p.departement for p in places if p.departement})
    result: list[str] = []
    for name in names:
        known = [w for w in words(name) if w not in STOPWORDS]
        if not known:
            continue
        if any(w.isdigit() and w in known for w in subject) or (
            all(
                any(similarity(w, k) >= 0.85 for w in subject if not w.isdigit())
                for k in known
                if not k.isdigit()
            )
            and any(not k.isdigit() for k in known)
        ):
            result.append(name)
    for word in subject:
        if word.isdigit() and 1 <= len(word) <= 3:
            code = word.zfill(2)
            for place in places:
                if place.code and len(place.code) == 5 and place.code.startswith(code):
                    result.append(place.departement or code)
    return list(dict.fromkeys(result))


def understand(question: str, knowledge: Knowledge) -> Understanding:
    """What the question is about, and the passages, fields, collectivités or départements it names."""
    cleaned = _MENTION.sub(" ", question)
    lang = language(cleaned)
    folded = translate(" ".join(words(cleaned)))
    all_words = words(folded)
    subject = [w for w in all_words if w not in STOPWORDS and not _is_cue(w)]
    result = Understanding(topic=Topic.UNKNOWN, language=lang)

    asks_charter = has_cue(all_words, CHARTER_CUES)
    charter_subject = [w for w in subject if w not in CHARTER_QUESTION_WORDS]
    charter_subject = [
        expanded for w in charter_subject for expanded in ABBREVIATIONS.get(w, w).split()
    ]
    if asks_charter:
        result.topic = Topic.CHARTER
        result.subject = charter_subject
        result.passages = find_passages(charter_subject, knowledge.paragraphs)
        return result

    people_subject = [
        w for w in subject if w not in GENERIC_WORDS and w not in CHARTER_QUESTION_WORDS
    ]
    result.fields, used = _match_fields(people_subject, knowledge.fields)
    rest = [w for w in people_subject if w not in used]
    result.places, used_places = _match_places(rest, knowledge.places)
    rest = [w for w in rest if w not in used_places]
    result.departements = _match_departements(rest, knowledge.places)
    result.subject = people_subject

    if has_cue(all_words, CONTACT_CUES):
        result.topic = Topic.CONTACT
    elif has_cue(all_words, POLL_CUES):
        result.topic = Topic.POLLS
    elif has_cue(all_words, JOIN_CUES):
        result.topic = Topic.JOIN
    else:
        passages = find_passages(charter_subject, knowledge.paragraphs)
        if result.places or result.departements:
            result.topic = Topic.CONTACT
        elif passages:
            result.topic = Topic.CHARTER
            result.subject = charter_subject
            result.passages = passages
        elif result.fields:
            result.topic = Topic.CONTACT
        elif has_cue(all_words, HELP_CUES):
            result.topic = Topic.HELP
    return result
