"""What a question asks: every reading scored from the question as a whole, best first.

The question's words (:mod:`.words`: folded, SMS spellings, contractions, typos, lemmas) feed a
scored classifier: each intent adds the weights of its cue words found anywhere in the question,
plus what the question names (an article number, a member, a collectivité, a poll or proposal
number) and how well its remaining words match the charter, the decisions or the proposals
(BM25 through :class:`.knowledge.Retriever`). Each intent's best target then gives a reading
(intent, source, score); when the two best readings are close, the caller asks back. Pure.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import simplemma

from rtes_bot.assistant import language as lang_detect
from rtes_bot.assistant import meaning
from rtes_bot.assistant import words as w
from rtes_bot.assistant.intents import INTENTS
from rtes_bot.assistant.knowledge import (
    WHOLE_TEXT,
    CharterDoc,
    CharterPart,
    Doc,
    Hit,
    Knowledge,
    PersonRef,
    Retriever,
)
from rtes_bot.assistant.tasks import BY_NAME, TASKS
from rtes_bot.catalog import CATALOG


def _table(text: str) -> dict[str, float]:
    table: dict[str, float] = {}
    for item in text.split():
        word, _, weight = item.partition(":")
        k = w.key(word)
        table[k] = max(table.get(k, 0.0), float(weight) if weight else 1.0)
    return table


#: Asking whether something agrees with what the network stands for (« est-ce cohérent avec
#: ce que défend le réseau ? », « is it in keeping with our principles? »): its charter.
CONFORMITY_CUES = "coherent:1.5 conforme:1.5 compatible:1.5 consistent:1.5 aligned:1.5 defend:1 defendre:1 esprit:1 spirit:1"
CUES: dict[str, dict[str, float]] = {
    "charter": _table(
        "charte:3 charter:3 chartre:3 texte:0.7 text:0.7 dire:0.6 dit:0.6 say:0.6 says:0.6 "
        "principe:1.5 principle:1.5 valeur:1.5 value:1 values:1 preambule:1.5 partie:1 part:0.7 "
        "chapitre:1 section:0.7 version:0.8 engagement:1 parle:0.6 evoque:0.8 mention:0.6 "
        "contenu:0.8 ecrit:0.6 stipule:1 prevoit:0.8 written:0.6 " + CONFORMITY_CUES
    ),
    "article": _table("article:2.5 articles:2.5"),
    "decision": _table(
        "decision:3 decisions:3 decider:3 decide:3 decided:3 adopte:2 adopter:2 adopted:2.5 "
        "adoption:2 rejete:2 rejeter:2 rejected:2.5 registre:2.5 registry:2.5 resultat:1.5 "
        "result:1.5 results:1.5 delibere:2 deliberation:2 tranche:1.5 outcome:2 voted:0.8 "
        "accepte:1.5 refuse:1.5 approved:2 approuve:1.5 passe:1 passed:1.5 vote:0.3 oui:0.5 "
        "adoptee:2 adoptees:2 adoptes:2 rejetee:2 rejetees:2 rejetes:2 passee:1 decidee:3 "
        "acceptee:1.5 refusee:1.5 approuvee:1.5 acte:2 actee:2 acter:2 prononce:2 retenu:2 "
        "retenue:2 "
        "non:0.3 choisi:1 chosen:1.5"
    ),
    "proposal": _table(
        "proposition:3 propositions:3 proposal:3 proposals:3 amendement:1.2 amendment:1.2 "
        "statut:1.5 status:1.5 debat:1.5 debate:1.5 soutien:1 support:0.8 depose:1 "
        "auteur:1.5 author:1.5 projet:1 motion:1.5 retire:1.5 retiree:1.5 withdrawn:2 "
        "propose:1 proposed:1 suggere:1.5 suggerer:1.5 suggest:1.5 suggested:1.5 porte:1 porteur:1.5"
    ),
    "poll": _table(
        "scrutin:3 scrutins:3 poll:3 polls:3 vote:2 votes:2 voter:1.5 voting:1.5 sondage:2 "
        "ouvert:1.5 open:1.5 election:2 cours:1 cloture:1.2 closing:1.2 close:0.8 ballot:1.5 "
        "deja:0.8 already:0.8 reste:0.5 participer:0.8 actuel:0.8 current:0.5 ongoing:1.5 "
        "termine:1 jusqu:0.8 until:0.8 fin:0.5 voted:1 attente:1 pending:1 waiting:1"
    ),
    "contact": _table(
        "contact:3 contacts:3 contacter:3 joindre:2.5 reach:2.5 email:3 telephone:3 phone:3 "
        "numero:1.2 number:1 coordonnee:3 coordonnees:3 referent:2.5 referente:2.5 qui:0.8 "
        "who:0.8 annuaire:1.5 directory:1.5 membre:0.8 member:0.8 elu:1.2 elus:1.2 "
        "adresse:1.5 address:1.5 appeler:2.5 call:2 ecrire:1.5 portable:1.5 mobile:1 suit:1 occupe:1.5 charge:1 "
        "works:1 travaille:1 travaillent:1 gens:1.5 people:1.5 quelqu:1 anyone:1.5 someone:1 handles:1.5 interlocuteur:2.5 personne:0.8 person:0.8 details:1.5 info:0.8"
    ),
    "howto": _table(
        "comment:2.5 how:2.5 procedure:2 etape:1.5 step:1.5 steps:1.5 faut:1 moyen:1 "
        "aide:0.8 help:0.8 besoin:0.5 need:0.5 dois:0.8 must:0.5 possible:0.8 marche:1 "
        "fonctionne:1 way:0.5 commande:1.5 command:1.5 veux:1 vouloir:1 voudrais:1 want:1 "
        "souhaite:1"
    ),
    "about": _table(
        "rtes:3 reseau:1.5 network:1.5 historique:3 history:3 presentation:2.5 association:2 "
        "histoire:2.5 origine:2 creation:1.5 founded:2 objectif:1.5 mission:2 purpose:2 "
        "aim:1.5 goal:1.5 etes:1 territoires:0.5 economie:0.5 solidaire:0.5 ess:1 "
        "collectivites:0.5 vocation:2 raison:0.8 existe:1.5 exist:1.5 depuis:1 since:1 "
        "fonde:2 cree:1 created:1.5 start:0.5 venir:1.5 vient:1.5 come:1 comes:1"
    ),
    "social": _table(
        "bonjour:3 salut:3 hello:3 hi:3 hey:3 coucou:3 allo:3 bonsoir:3 merci:3 thanks:3 thank:3 "
        "remercie:3 revoir:3 bye:3 goodbye:3 ciao:3 parfait:1.5 super:1.5 genial:1.5 "
        "great:1.5 cool:1.5 top:1 ok:1 okay:1 nickel:1.5 bravo:2 va:0.5 allez:0.5 "
        "morning:2 evening:2 afternoon:2 good:0.8 lot:0.5 bonne:0.5 journee:1 soiree:1 "
        "cheers:3 bisous:2 nuit:1 night:1 soir:1 weekend:1 toi:1.5 robot:3 humain:1 human:1 "
        "bot:0.5 infiniment:1"
    ),
}
#: The most words besides greetings and thanks that a polite message alone holds (« Bonjour, je
#: découvre l'outil, je suis agente de développement à la communauté de communes. »).
POLITE_WORDS = 6
#: Charter cue words that are also what the question is about (« les valeurs du réseau »).
CONTENT_CUES = frozenset(
    w.keys("valeur valeurs principe principes engagement value values".split())
)
INTENT_CUE_KEYS = frozenset(k for table in CUES.values() for k in table)
ALL_CUES = frozenset(k for table in CUES.values() for k in table) | frozenset(
    k for task in TASKS for k in map(w.key, task.cues)
)
EARLIER = frozenset(
    "ancienne ancien precedente precedent anterieure previous earlier older old former "
    "premiere first originale original initiale initial vieille".split()
)
#: How many words from « charte » or « version » « ancienne » may stand.
EARLIER_REACH = 3
BEFORE = frozenset("avant before prior precedant".split())
#: Asking to read (again) a text, which is no subject of it (« relire la première version »).
READING_KEYS = frozenset(w.keys("relire relis reread view retrouver relecture".split()))
#: « la liste des champs d'action »: the form of what is asked, no subject of it.
LIST_WORDS = frozenset(w.keys("liste listes lister listee list listed".split()))
FIRST = frozenset("premiere first originale original initiale".split())
LATEST = frozenset("derniere dernier actuelle actuel current latest nouvelle new vigueur".split())
EARLIER_WORDS = EARLIER | FIRST | LATEST
#: Folded cue spellings, for the speller's vocabulary.
CUE_WORDS = frozenset(
    word
    for text in (
        "charte charter article decision decisions proposition proposal scrutin scrutins poll "
        "polls vote voter contact contacter email telephone phone numero coordonnees referent "
        "referente annuaire directory comment procuration historique rtes reseau network "
        "bonjour merci salut hello thanks adherer adhesion signer domaines amender amendement "
        "soutenir effacer supprimer donnees ouvrir cloturer valider installer importer publier "
        "designer renommer gouvernance version ancienne precedente derniere texte partie "
        "adopte rejete registre statut debat quoi quel quelle comment qui what who how open "
        "ouvert ouverts decide decided adopted rejected status previous earlier older first "
        "current latest article articles parle dit dire say says about"
    ).split()
    for word in [text]
)
CUE_WORDS = CUE_WORDS | EARLIER_WORDS
CUE_WORDS = CUE_WORDS | frozenset(
    word for text in [*(" ".join(t.cues) for t in TASKS)] for word in text.split()
)
#: Question words and fillers: not a subject to search for.
QUESTION_KEYS = frozenset(
    w.keys(
        """quoi quel quelle quels quelles qui que comment pourquoi quand combien ou est c ce
        dit dire disent parle parlent evoque evoquent aborde mentionne sujet propos concernant
        say says said mention mentions speak talk tell what which where texte text contenu
        voir savoir connaitre lire montrer donner donne peux pouvez puis veux voudrais
        aimerais know see show read give want would like need me moi nous on network reseau
        quoi concerne concernent ecrit written stipule prevoit trouve trouver find selon
        according apres sert servir sers serve explain expliquer explique chercher cherche
        search searching look looking send envoyer envoie envoyez whole entire entier entiere
        full complete complet complete pris prise prises prendre""".split()
    )
)
PLACE_NOISE = frozenset(
    """ville commune communaute agglomeration metropole departement departemental region
    regional conseil pays mairie cc ca cu communes de du des la le les l d et sur en""".split()
)

#: The charter's name, and the words that ask what it says (« que dit », « d'après », « selon »).
CHARTER_KEYS = frozenset(w.keys("charte charter chartre".split()))
CITING_KEYS = frozenset(
    w.keys(
        """dit dire disent parle parlent prevoit prevu stipule evoque mentionne selon apres
        according say says said mention mentions talk speak""".split()
    )
)

#: The keys of the words the rules below name.
K = {
    word: w.key(word)
    for word in (
        "article version scrutin poll vote sondage election proposition proposal decision "
        "rtes reseau network referent how population"
    ).split()
}

POSSESSIVE = re.compile(r"[a-z]'s\b")
ASK_BACK_RATIO = 0.8
#: How much the nearest example questions' vote adds to an intent's score: a unanimous vote of
#: near examples adds this much (cue words add 1–3 each). The vote counts fully when the nearest
#: example's cosine reaches ``NEAR_HIGH``, not at all below ``NEAR_LOW``. Calibrated on the
#: committed sets, each measured with its own examples withheld.
EXAMPLE_WEIGHT = 4.0
NEAR_LOW = 0.35
NEAR_HIGH = 0.7
#: How much a vote for « out of scope » takes off every other reading (unanimous and near: 90 %).
OUTSIDE_WEIGHT = 0.9
#: The least score (a cosine, raised by the words) at which a charter paragraph is given as the
#: closest.
MEANING_FLOOR = 0.3
#: The words' share beside meaning there: the best BM25 paragraph adds this much to its cosine.
WORDS_SHARE = 0.1
#: The nearest charter example questions' vote for the part they were about: a unanimous
#: vote adds this much to the cosine of that part's paragraphs.
TOPIC_SHARE = 0.3
#: A charter question no paragraph answers by its words or meaning, or that names no subject
#: (« la charte, ça sert à quoi ? », « what are the network's values? »): the part the topic
#: classifier of the charter example questions gives at least this probability, before the
#: whole text (a question for the whole text is a topic of its own there).
TOPIC_ALONE = 0.6
#: When the words did find a paragraph: their share there (the words' paragraph stays unless
#: meaning and the examples' vote point elsewhere together); 0 keeps the words' paragraph.
WORDED_SHARE = 0.3
#: How far the examples' vote must prefer the charter to « about » (sureness included) for a
#: question whose words found the presentation to get the charter's closest rule instead.
RULE_OVER_ABOUT = 0.2
#: A decision or proposal asked about in other words than its own: the closest by meaning
#: (its title, and title with the start of its text) raised by the words' share, when it
#: reaches the floor and leads the next one by the margin; else the list.
NUMBERED_FLOOR = 0.3
NUMBERED_MARGIN = 0.08
NUMBERED_WORDS_SHARE = 0.1
#: The how-to examples' vote among the tasks the cue words found: up to this much to each.
TASK_VOTE_WEIGHT = 1.0
THRESHOLD = 1.5


@dataclass(frozen=True)
class Reading:
    intent: str
    source: str | None
    score: float
    version: int | None = None
    part: CharterPart | None = None
    hits: tuple[Hit, ...] = ()
    number: int | None = None
    elu_ids: tuple[int, ...] = ()
    collectivite_id: int | None = None
    field_id: int | None = None
    departement: str | None = None
    task: str | None = None
    subject: str = ""
    referent: bool = False
    detail: str = ""


@dataclass(frozen=True)
class Understanding:
    language: str | None
    tokens: tuple[str, ...]
    readings: tuple[Reading, ...]

    @property
    def best(self) -> Reading:
        return self.readings[0]

    @property
    def close(self) -> tuple[Reading, ...]:
        """The readings close to the best (more than one: ask back), at most three."""
        best = self.readings[0]
        if best.intent in ("out_of_scope", "social") or best.score < THRESHOLD:
            return (best,)
        close = [best]
        for reading in self.readings[1:]:
            if len(close) == 3:
                break
            if reading.intent in ("out_of_scope", "social") or reading.score < THRESHOLD:
                continue
            if reading.score >= best.score * ASK_BACK_RATIO and all(
                reading.source != other.source for other in close
            ):
                close.append(reading)
        return tuple(close)


@dataclass
class _Entities:
    article: int | None = None
    version: int | None = None
    earlier: bool = False
    poll: int | None = None
    proposal: int | None = None
    decision: int | None = None
    people: list[PersonRef] = field(default_factory=list)
    person_words: set[str] = field(default_factory=set)
    marker_words: set[str] = field(default_factory=set)  # « avant » in « avant la v2 »
    places: list[int] = field(default_factory=list)
    place_words: set[str] = field(default_factory=set)
    departement: str | None = None
    fields: list[int] = field(default_factory=list)
    field_words: set[str] = field(default_factory=set)
    field_share: float = 0.0  # the share of the named field's words the question holds
    whole: bool = False  # the whole text of a charter version asked (« la charte en entier »)


def _number_after(tokens: Sequence[str], index: int, *, roman: bool = False) -> int | None:
    """The number written just after ``tokens[index]`` (« article 3 », « article n°3 »,
    « article dix », « article III »), skipping « numéro », articles and « de »."""
    for offset in (1, 2, 3):
        if index + offset < len(tokens):
            token = tokens[index + offset]
            number = w.number_in(tokens, index + offset, roman=roman)
            # Digits anywhere; words only right after (« le vote de trois élus » names none).
            if number is not None and (
                token.isdigit() or offset == 1 or tokens[index + offset - 1] in NUMBER_MARKS
            ):
                return number
            if token not in NUMBER_MARKS and token not in ("le", "la", "l", "de", "du"):
                return None
    return None


NUMBER_MARKS = frozenset(("numero", "n", "no", "number", "nr"))
#: « je peux », « puis-je », « can I », « may I »: asking leave to do something.
ASKING_LEAVE = frozenset(
    {("je", "peux"), ("puis", "je"), ("can", "i"), ("could", "i"), ("may", "i")}
)
#: Words naming a collectivité's kind in its name (« Département de la Gironde »).
KIND_WORDS = frozenset("departement region".split())
POPULATION = frozenset(
    w.keys("habitants habitant population inhabitants inhabitant residents live".split())
)
COUNTING = frozenset("combien nombre many".split())
CONTACT_CUE_KEYS = frozenset(CUES["contact"])
#: A place named with this many other words, none asking for people: its contacts count for
#: ``PLACE_ALONE`` of their score.
PLACE_ASKED_WORDS = 1
PLACE_ALONE = 0.5
PEOPLE_ASKED = frozenset(
    w.keys("elu elus contact contacts referent email telephone mail membre membres".split())
)
WHO = frozenset("qui who".split())
HOW_QUANTITY = frozenset("many much long old often far".split())
WHAT = frozenset("quoi quels quelles what which".split())
#: Words of wanting or needing, before a task's verb (« je voudrais clore le scrutin »).
WANTING = frozenset(
    """veux voudrais voudrait aimerais aimerait souhaite souhaiterais dois faut besoin want
    like need wish""".split()
)
#: Auxiliaries of a passive past (« a été voté », « was voted »).
PASSIVE = frozenset("ete been was were".split())
VOTE_KEYS = frozenset(w.keys("vote votes voter vote votee votees voted".split()))
#: Words naming one's personal data.
DATA_KEYS = frozenset(w.keys("donnees donnee data informations infos compte account".split()))
#: Words naming a field of action or its forum.
FIELD_WORDS = frozenset(w.keys("domaine domaines champ champs forum forums field fields".split()))
OWN_FIELDS_BONUS = 1.5


def _raised(tasks: Sequence[tuple[float, str]], name: str, bonus: float) -> list[tuple[float, str]]:
    """The tasks with ``bonus`` added to ``name``'s score, best first again."""
    return sorted(
        ((score + bonus if task == name else score, task) for score, task in tasks),
        key=lambda item: -item[0],
    )


def _own_fields(tokens: Sequence[str], keyed: Sequence[str]) -> bool:
    """« mes domaines », « my fields »: the asker's own fields of action."""
    return any(
        tokens[i - 1] in ("mes", "my") and keyed[i] in FIELD_WORDS for i in range(1, len(tokens))
    )


#: Words naming the charter's text (its versions are « earlier » or « latest »).
TEXT_KEYS = frozenset(w.keys("charte charter chartre version versions texte text".split()))


def _number_before(tokens: Sequence[str], index: int) -> int | None:
    """The number written just before (« le 7e article », « le sixième article »)."""
    if index >= 1:
        token = tokens[index - 1]
        if token.isdigit() and len(token) <= 3:
            return int(token)
        if token in w.NUMBER_WORDS and token not in ("un", "une", "one"):
            return w.NUMBER_WORDS[token]
    return None


#: Civilities before a surname (« Mme Petit », « Mr Blanc »).
CIVILITIES = frozenset("m mme mr mrs ms monsieur madame mademoiselle mister dr".split())


def _as_a_name(word: str, tokens: Sequence[str], question: str) -> bool:
    """Whether a surname alone that is also a French word (« petit », « blanc ») is used as
    the name: capitalised as written (« Petit ») or after a civility (« mme petit »), not in
    « on est tout petit »."""
    if not simplemma.is_known(word, lang="fr"):
        return True
    if re.search(rf"\b{re.escape(word.capitalize())}\b|\b{re.escape(word.upper())}\b", question):
        return True
    return any(tokens[i - 1] in CIVILITIES for i in range(1, len(tokens)) if tokens[i] == word)


def _first_name_at(places: Sequence[int], token_set: set[str], known: Knowledge) -> list[PersonRef]:
    """« une adjointe de Loos-en-Gohelle, Camille quelque chose »: the one active member of the
    places named whose first name the question holds."""
    named = [
        person
        for person in known.people
        if person.active
        and person.collectivite_id in places
        and bool(set(w.name_tokens(person.name)[:1]) & token_set)
    ]
    return named if len(named) == 1 else []


def _entities(tokens: Sequence[str], known: Knowledge, question: str = "") -> _Entities:
    found = _Entities()
    keyed = w.keys(tokens)
    for index, k in enumerate(keyed):
        if k == K["article"]:
            # « les dix articles », « all ten articles »: how many, not which.
            plural = tokens[index] in ("articles", "arts")
            found.article = _number_after(tokens, index, roman=True) or (
                None if plural else _number_before(tokens, index)
            )
        elif k == K["version"]:
            # « la version 2 », « la 1ère version » (« 1ere », read « 1 »).
            number = _number_after(tokens, index) or _number_before(tokens, index)
            # « la charte avant la v2 », « before version 2 »: the one before it.
            before = BEFORE & set(tokens[max(0, index - 3) : index])
            if number is not None and before:
                number -= 1
                found.earlier = True
                found.marker_words |= before
            found.version = number or found.version
        elif k in (K["scrutin"], K["poll"], K["vote"], K["sondage"], K["election"]):
            found.poll = found.poll or _number_after(tokens, index)
        elif k in (K["proposition"], K["proposal"]):
            found.proposal = found.proposal or _number_after(tokens, index)
        elif k == K["decision"]:
            found.decision = found.decision or _number_after(tokens, index)
    # « l'ancienne charte », « la version précédente »: an earlier text, not « une ancienne
    # membre ».
    # Said of the text, next to it (« l'ancienne version », « the original 2001 charter »), not
    # of the asker (« ancienne institutrice… notre charte »).
    found.earlier = found.earlier or any(
        tokens[j] in EARLIER
        for i, k in enumerate(keyed)
        if k in TEXT_KEYS
        for j in range(max(0, i - EARLIER_REACH), min(len(tokens), i + EARLIER_REACH + 1))
    )
    # « la charte d'origine », « la version des débuts »: the text as it first was (not « l'origine
    # du réseau », its history).
    found.earlier = found.earlier or any(
        k in TEXT_KEYS and tokens[i + 1 : i + 3] in (["d", "origine"], ["des", "debuts"])
        for i, k in enumerate(keyed)
    )
    if found.earlier and found.version is None and any(t in FIRST for t in tokens):
        found.version = 1
    # People: two words of a name, or a surname only one person bears.
    token_set = set(tokens)
    counts: dict[int, set[str]] = {}
    for token in token_set:
        for index in known.name_words.get(token, ()):
            counts.setdefault(index, set()).add(token)
    if counts:
        best = max(len(v) for v in counts.values())
        chosen = [i for i, v in counts.items() if len(v) == best]
        if best >= 2:
            found.people = [known.people[i] for i in chosen]
        else:
            for index in chosen:
                word = next(iter(counts[index]))
                person = known.people[index]
                last = w.name_tokens(person.name)[-1:]
                if (
                    len(known.name_words.get(word, ())) == 1
                    and word in last
                    and len(word) >= 3
                    and w.key(word) not in ALL_CUES
                    and word not in w.STOPWORDS
                    and _as_a_name(word, tokens, question)
                ):
                    found.people.append(person)
        for person in found.people:
            found.person_words |= set(w.name_tokens(person.name)) & token_set
    # Places: every significant word of the collectivité's name is in the question.
    place_scores: list[tuple[int, int, int]] = []
    departements = {
        tuple(t for t in w.name_tokens(p.departement) if t not in PLACE_NOISE)
        for p in known.places
        if p.departement
    }
    stems = _demonym_stems(tokens)
    for place in known.places:
        raw = w.name_tokens(place.name)
        name_words = [t for t in raw if t not in PLACE_NOISE and len(t) > 1]
        if stems and len(name_words) == 1 and name_words[0] not in token_set:
            people_word = _by_demonym(name_words[0], stems)
            if people_word is not None:
                name_words = [people_word]  # « lyonnais »: Lyon
        # « les élus en Gironde », « élus du département Gironde »: the département, not the
        # collectivité « Département de la Gironde », which the question would name whole.
        kind = KIND_WORDS & set(raw)
        if kind and tuple(name_words) in departements and not _contiguous(raw, tokens):
            continue
        if name_words and all(t in token_set for t in name_words):
            if not (set(name_words) <= found.person_words):
                place_scores.append(
                    (len(name_words), -len(w.name_tokens(place.name)), place.collectivite_id)
                )
                found.place_words |= set(name_words)
    if place_scores:
        top = max(s[0] for s in place_scores)
        found.places = [cid for n, _, cid in sorted(place_scores, reverse=True) if n == top]
    if not found.people and found.places:
        found.people = _first_name_at(found.places, token_set, known)
        for person in found.people:
            found.person_words |= set(w.name_tokens(person.name)) & token_set
    # « l'élu de Montpellier qui fait les circuits courts »: the one person of that place whose
    # mandate the question names.
    if not found.people and found.places:
        wanted = set(keyed) - MANDATE_NOISE
        scored = [
            (len(wanted & _mandate_keys(person.mandate)), person)
            for person in known.people
            if person.active and person.collectivite_id in found.places and person.mandate
        ]
        most = max((n for n, _ in scored), default=0)
        chosen_people = [person for n, person in scored if n == most]
        if most >= 1 and len(chosen_people) == 1:
            found.people = chosen_people
            found.person_words |= {t for t, k in zip(tokens, keyed, strict=True) if k in wanted}
    # Départements: by name, or by number after « département ».
    for place in known.places:
        if place.departement:
            dep_words = [t for t in w.name_tokens(place.departement) if t not in PLACE_NOISE]
            if (
                dep_words
                and all(t in token_set for t in dep_words)
                and not (set(dep_words) <= found.place_words)
            ):
                found.departement = place.departement
                break
    # Fields of action: most of the field's significant words.
    best_field = 0.0
    for field_ref in known.fields:
        field_keys = {
            k for k in w.keys(w.content(w.name_tokens(field_ref.name))) if k not in PLACE_NOISE
        }
        if not field_keys:
            continue
        hits = field_keys & set(keyed)
        share = len(hits) / len(field_keys)
        if hits and (share >= 0.5 or len(hits) >= 2) and share >= best_field:
            if share > best_field:
                found.fields = []
            best_field = share
            found.fields.append(field_ref.id)
            found.field_words |= hits
    found.field_share = best_field
    if not found.people and len(found.places) == 1 and _definite_person(tokens, keyed):
        found.people = _the_person(found, keyed, known)
        found.person_words |= {t for t, k in zip(tokens, keyed, strict=True) if k in PERSON_NOUNS}
    return found


#: Words that designate one élu (« l'élue », « la vice-présidente », « the councillor »).
PERSON_NOUNS = frozenset(
    w.keys(
        """elu elue conseiller conseillere councillor councilor adjoint adjointe maire mayor
        president presidente personne person dame monsieur madame official officer deputy""".split()
    )
)
DEFINITE = frozenset({"l", "le", "la", "the", "celui", "celle"})


def _definite_person(tokens: Sequence[str], keyed: Sequence[str]) -> bool:
    """Whether the question names one élu by what they are (« l'élue de Poitiers », « the
    Commercy councillor in charge of… »), not « un élu », « quelqu'un » or « les élus »."""
    for index, k in enumerate(keyed):
        if k not in PERSON_NOUNS or (tokens[index] != k and tokens[index].endswith("s")):
            continue
        if DEFINITE & set(tokens[max(0, index - 3) : index]):
            return True
    return False


#: The letters two keys of one word family share at their start.
NEAR_PREFIX = 7


def _near(a: str, b: str) -> bool:
    """Two keys of one word family (« associatif », « association »; « solidarite »,
    « solidaire »)."""
    return a == b or (min(len(a), len(b)) >= NEAR_PREFIX and a[:NEAR_PREFIX] == b[:NEAR_PREFIX])


def _the_person(found: _Entities, keyed: Sequence[str], known: Knowledge) -> list[PersonRef]:
    """The one active member of the named place that the question describes: by the words of
    their mandate (the économie sociale words included, which tell apart two élus of one
    town), then by the field named, else the place's only member; nobody when that leaves
    several."""
    members = [p for p in known.people if p.active and p.collectivite_id == found.places[0]]
    wanted = set(keyed) - w.STOPWORDS - PERSON_NOUNS - set(w.keys(found.place_words))
    if "ess" in wanted:
        wanted |= ESS_KEYS

    def score(person: PersonRef) -> int:
        mandate = set(_mandate_words(person.mandate))
        if ESS_KEYS <= mandate or "ess" in mandate:
            mandate |= ESS_KEYS | {"ess"}
        hits = sum(any(_near(k, m) for m in mandate) for k in wanted)
        return hits + sum(f in found.fields for f in person.field_ids)

    scored = [(score(p), p) for p in members]
    best = max((n for n, _ in scored), default=0)
    chosen = [p for n, p in scored if n == best]
    return chosen if len(chosen) == 1 else []


ESS_KEYS = frozenset(w.keys(["economie", "sociale", "solidaire"]))


#: Words of most mandates (« Conseillère municipale déléguée à… »): they name no one.
MANDATE_NOISE = (
    frozenset(
        w.keys(
            """conseiller conseillere municipal municipale adjoint adjointe delegue deleguee maire
        charge chargee communautaire regional regionale elu elue
        economie sociale solidaire ess binome""".split()
        )
    )
    | w.STOPWORDS
)


@functools.lru_cache(maxsize=50_000)
def _mandate_words(mandate: str) -> frozenset[str]:
    """The keys of a mandate's meaningful words."""
    return frozenset(w.keys(w.content(w.raw_tokens(mandate))))


def _mandate_keys(mandate: str) -> frozenset[str]:
    return _mandate_words(mandate) - MANDATE_NOISE


def _contiguous(phrase: Sequence[str], tokens: Sequence[str]) -> bool:
    """Whether ``phrase`` appears word for word in ``tokens``."""
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == tuple(phrase) for i in range(len(tokens)))


def _keyed(cues: dict[str, float]) -> dict[str, float]:
    table: dict[str, float] = {}
    for word, weight in cues.items():
        k = w.key(word)
        table[k] = max(table.get(k, 0.0), weight)
    return table


#: Each task's cues by key (one weight per key, however many spellings name it).
TASK_CUES = {task.name: _keyed(task.cues) for task in TASKS}
TASK_CUE_KEYS = frozenset(k for table in TASK_CUES.values() for k in table)
#: Words naming an action of some task strongly (« déposer », « signer »): not a topic.
TASK_VERBS = frozenset(
    k for table in TASK_CUES.values() for k, weight in table.items() if weight >= 2.5
) - frozenset(k for table in CUES.values() for k in table)
#: Verbs that ask for the thing itself (« je peux lire la charte ? »), unless asked « how ».
READING_VERBS = frozenset(w.keys("lire read voir see consulter montrer show".split()))
#: Every task's own verbs, intent cue words included (« clore », « close », « voter »).
TASK_ACTIONS = (
    frozenset(k for table in TASK_CUES.values() for k, weight in table.items() if weight >= 2.5)
    - READING_VERBS
)
#: Auxiliaries before a participle (« qui a déposé », « was adopted »): a past act, not a task.
AUXILIARIES = frozenset(
    "a ai as ont avons avez ete etre est sont has have had was were been be is are".split()
)


#: Words after which the next one is a verb (« je supprime », « how can I remove », « to
#: delete »).
BEFORE_VERB = frozenset(
    """je j on tu nous vous il faut peux veux dois voudrais comment l i we you to can could do
    should must want how""".split()
)
INFINITIVE = re.compile(r"(?:er|ir|re|oir)$")


def _action(tokens: Sequence[str], keyed: Sequence[str]) -> str | None:
    """The key of the question's first verb that names a task (« supprimer mes données »:
    « supprimer »), if any: the action decides the task; the other words are its object."""
    for index, k in enumerate(keyed):
        if k not in TASK_CUE_KEYS:
            continue
        after_subject = index > 0 and tokens[index - 1] in BEFORE_VERB
        if after_subject or INFINITIVE.search(k):
            return k
    return None


@functools.cache
def _task_texts() -> dict[str, frozenset[str]]:
    """Each task's words as `/aide` explains it (title and text, French and English), less
    the words most task texts use: the same catalog texts the answer shows."""
    from rtes_bot.catalog import t

    words = {
        task.name: frozenset(
            w.keys(
                w.content(
                    w.raw_tokens(
                        " ".join(
                            t(f"aide.tache.{task.name}{suffix}", lang)
                            for suffix in (".titre", "")
                            for lang in ("fr", "en")
                        )
                    )
                )
            )
        )
        for task in TASKS
    }
    count: dict[str, int] = {}
    for keys in words.values():
        for k in keys:
            count[k] = count.get(k, 0) + 1
    return {
        name: frozenset(k for k in keys if count[k] <= TASK_TEXT_SHARED and len(k) > 2)
        for name, keys in words.items()
    }


#: Each task's verbs (its cue words in the infinitive, weighing 2 or more): « disparaître »
#: is erasing, where « informations personnelles » only names the data.
TASK_VERB_KEYS = {
    task.name: frozenset(
        w.key(word) for word, weight in task.cues.items() if weight >= 2 and INFINITIVE.search(word)
    )
    for task in TASKS
}
VERB_BONUS = 0.3
#: How much more the question's own verb counts for the task it names.
ACTION_WEIGHT = 0.2
#: A word in more task texts than this says nothing of which task is meant.
TASK_TEXT_SHARED = 3
#: What each of a question's words found in a task's text adds to that task (at most
#: ``TASK_TEXT_MOST``).
TASK_TEXT_WEIGHT = 0.5
TASK_TEXT_MOST = 1.5


def _task_scores(
    keyed: Sequence[str], action: str | None = None, *, open_to_all: bool = False
) -> list[tuple[float, str]]:
    """Each task's score: the weights of its cue words in the question; the question's verb
    counts a fifth more (it breaks ties: « supprimer mes données » is erasing them); the
    question's words found in the task's text (« créer les salons et les rôles »: `/admin
    installer` « crée les rôles, salons et forums ») add to it — to every task when the
    question asks how (``open_to_all``), else only to the tasks its cue words name."""
    present = set(keyed)
    meaningful = {k for k in present if k not in w.STOPWORDS and k not in QUESTION_KEYS}
    texts = _task_texts()
    scores = []
    for task in TASKS:
        cues = TASK_CUES[task.name]
        score = sum(weight for k, weight in cues.items() if k in present)
        if action is not None and action in cues:
            score += ACTION_WEIGHT * cues[action]
        if score > 0 and present & TASK_VERB_KEYS[task.name]:
            score += VERB_BONUS  # a task whose own verb is there, before one named by nouns
        if score > 0 or open_to_all:
            found = meaningful & texts[task.name]
            score += min(TASK_TEXT_WEIGHT * len(found), TASK_TEXT_MOST)
        if score > 0:
            scores.append((score, task.name))
    scores.sort(key=lambda item: -item[0])
    return scores


OWN = frozenset("mon ma mes my".split())
OWN_GROUP = OWN | frozenset("notre nos our".split())
STRANGE_SHARE = 0.6
STRANGE_SPARED = 4.0


#: Elections the network does not run, by their name (« les municipales »), and names that
#: are such an election only beside the word (« les élections régionales », « the general
#: election »).
OTHER_ELECTIONS = frozenset(
    "municipales legislatives senatoriales presidentielle presidentielles midterms".split()
)
ELECTION_WORDS = frozenset("election elections by-election".split())
ELECTION_KINDS = frozenset(
    "europeennes regionales departementales cantonales general local locales national".split()
)
#: A law's or a code's name (« la loi ESS », « le code de la commande publique »).
LAWS = frozenset("loi lois decret decrets ordonnance circulaire cgct law laws statute".split())
CODE_OF = frozenset("de du des general civil electoral penal".split())
#: What is left of a reading's score when the question is about another body's election or law.
OTHER_BODY_WEIGHT = 0.2


#: What makes a charter another one (« la charte graphique de la mairie », « la Charte
#: européenne de l'autonomie locale », « a graphic charter », « the Olympic charter »).
OTHER_CHARTERS = frozenset(
    "graphique graphiques europeen europeenne olympique mondiale internationale "
    "graphic european olympic world international".split()
)
OTHER_CHARTER_KEYS = frozenset(w.keys(OTHER_CHARTERS))


#: How many référents (« deux référents », « un seul », « several representatives »), or
#: sharing the role: the charter's rule on référents; the contacts keep this share of their
#: score.
REFERENT_COUNTS = frozenset("deux 2 trois plusieurs seul seule several two multiple".split())
REFERENT_SHARED = frozenset(w.keys("partager partage share shared cumuler alterner".split()))
CONTACT_DETAILS = frozenset(
    w.keys("contact contacts coordonnees email mail telephone tel phone numero joindre".split())
)
REFERENT_RULE_CONTACT = 0.4

#: Words saying a person named wrote something (a proposal, a text): their proposal is asked.
AUTHORED = frozenset(
    w.keys(
        "proposition propositions proposal proposals prop texte motion amendement propose "
        "proposer proposes proposed depose deposer porte porter filed submitted".split()
    )
)
AUTHORED_WEIGHT = 2.0

#: The asker's own contact details (« mon numéro », « mon email »), and what they add to the
#: data task when the directory is named.
OWN_DETAIL_KEYS = frozenset(
    w.keys(
        "numero telephone tel portable mobile email mail adresse coordonnees natel gsm phone "
        "number".split()
    )
)
OWN_DETAIL_WEIGHT = 4.0

#: Words asking for a whole list (of decisions, proposals).
LIST_KEYS = frozenset(
    w.keys(
        "liste lister listes recapitulatif recap recapitulation toutes tous ensemble bilan "
        "list all every summary overview".split()
    )
)


@functools.lru_cache(maxsize=4096)
def _charter_qualifier(title: str) -> frozenset[str]:
    """The words qualifying « charte » in a title (« Charte des achats éthiques du réseau »:
    achat, éthique); none when the title holds no « charte »."""
    tokens = w.raw_tokens(title)
    keyed = w.keys(tokens)
    for index, k in enumerate(keyed):
        if k in CHARTER_KEYS:
            after = w.keys(w.content(tokens[index + 1 :]))
            return frozenset(after) - CHARTER_KEYS - {K["reseau"], K["rtes"]}
    return frozenset()


def _titled_charter(tokens: Sequence[str], keyed: Sequence[str], docs: Sequence[Doc]) -> bool:
    """Whether « charte » is asked as part of a proposal's, decision's or poll's title: the
    word after it is one qualifying it there, and two of those are in the question (« la charte
    des achats éthiques », « la révision de la charte sur le numérique responsable »; not « la
    charte parle d'achat éthique ? »)."""
    pairs = list(zip(tokens, keyed, strict=True))
    following = {
        next((k for t, k in pairs[i + 1 :] if t not in w.STOPWORDS), "")
        for i, (_, k) in enumerate(pairs)
        if k in CHARTER_KEYS
    }
    present = set(keyed)
    for doc in docs:
        qualifier = _charter_qualifier(doc.title)
        if qualifier & following and len(qualifier & present) >= min(2, len(qualifier)):
            return True
    return False


#: Words asking for all of a text, next to it (« la charte en entier », « the full charter »).
WHOLE_WORDS = frozenset(
    "entier entiere complete complet integral integrale whole full entire".split()
)
#: Verbs asking to be shown or sent a text (« montre-moi la charte », « send me the charter »).
SHOWING = frozenset(
    """montre montrer montrez envoie envoyer envoyez donne donner donnez sors sortir affiche
    afficher mets show send give share paste""".split()
)
WHOLE_BONUS = 2.0


def _whole_text_asked(tokens: Sequence[str], keyed: Sequence[str]) -> bool:
    """The charter's whole text asked: a word of wholeness next to « charte », or a verb of
    showing right before it with nothing asked of what it says (« show me the charter… », not
    « show me what the charter says about… »)."""
    present = set(keyed)
    for i, k in enumerate(keyed):
        if k not in CHARTER_KEYS:
            continue
        if WHOLE_WORDS & set(tokens[max(0, i - 3) : i + 4]) or tokens[max(0, i - 2) : i] == [
            "toute",
            "la",
        ]:
            return True
        if SHOWING & set(tokens[max(0, i - 4) : i]) and not CITING_KEYS & present:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _title_pairs(title: str) -> frozenset[tuple[str, str]]:
    """The pairs of consecutive meaningful words of a title (« monnaie locale »)."""
    return frozenset(itertools.pairwise(w.keys(w.content(w.raw_tokens(title)))))


def _titled(hits: list[Hit], keyed: Sequence[str]) -> list[Hit]:
    """The best hit counts as found when the question holds two consecutive words of its
    title (« la proposition monnaie locale, avant d'en parler au conseil »), however many other
    words it has."""
    if not hits or hits[0].coverage >= 0.5:
        return hits
    said = set(itertools.pairwise(k for k in keyed if k not in w.STOPWORDS))
    if _title_pairs(hits[0].doc.title) & said:
        return [dataclasses.replace(hits[0], coverage=0.5), *hits[1:]]
    return hits


#: « jusqu'ici », « so far », « depuis le début »: everything up to now.
SO_FAR = (
    ("jusqu", "ici"),
    ("jusqu", "a", "present"),
    ("a", "ce", "jour"),
    ("depuis", "le", "debut"),
    ("en", "tout"),
    ("so", "far"),
    ("to", "date"),
)
#: The plural nouns of the numbered kinds (« les décisions », « proposals »).
PLURAL_KINDS = {
    "decision": frozenset({"decisions"}),
    "proposal": frozenset({"propositions", "proposals", "props", "propals"}),
}
LISTING_BONUS = 1.5


def _listing(tokens: Sequence[str], present: set[str], found: _Entities) -> str | None:
    """The kind whose list is asked: its plural noun with « liste », « toutes », « récap » or
    « jusqu'ici » (« quelles décisions le réseau a-t-il prises jusqu'ici ? »), none named by its
    number."""
    if found.decision is not None or found.proposal is not None or found.poll is not None:
        return None
    if not (LIST_KEYS & present or any(_contiguous(phrase, tokens) for phrase in SO_FAR)):
        return None
    kinds = [kind for kind, nouns in PLURAL_KINDS.items() if nouns & set(tokens)]
    return kinds[0] if len(kinds) == 1 else None


#: Past participles saying polls are over, as written (« terminés », not « se termine »).
CLOSED_POLLS = frozenset(
    "termines terminees clos closes clotures cloturees fermes fermees finis finies "
    "closed finished ended past".split()
)
POLL_WORD_KEYS = frozenset(
    w.keys("scrutin scrutins vote votes poll polls sondage sondages".split())
)
CLOSED_POLLS_WEIGHT = 2.5

#: Asking who may do something (folded tokens, as read).
WHO_MAY = (
    ("qui", "peut"),
    ("qui", "peuvent"),
    ("qui", "a", "le", "droit"),
    ("qui", "ont", "le", "droit"),
    ("qui", "est", "autorise"),
    ("who", "can"),
    ("who", "may"),
    ("who", "is", "allowed"),
    ("who", "s", "allowed"),
    ("who", "gets", "to"),
    ("who", "is", "entitled"),
)
WHO_MAY_WEIGHT = 2.0
HELP = frozenset("aider aide aidez help".split())

#: Verbs of writing or filing a proposal, asked with « qui » / « who ».
AUTHORING = frozenset(
    w.keys(
        "depose deposee deposer porte portee porter propose proposee proposer redige redigee "
        "ecrit filed proposed submitted wrote drafted tabled".split()
    )
)
AUTHORING_WEIGHT = 2.0

#: Greetings that ask after the person (folded tokens, as read).
SMALL_TALK = (
    ("comment", "ca", "va"),
    ("comment", "vas", "tu"),
    ("comment", "allez", "vous"),
    ("how", "are", "you"),
    ("how", "s", "it", "going"),
    ("how", "is", "it", "going"),
    ("how", "do", "you", "do"),
)


#: The endings of the names of a town's people (« lyonnais », « nantaise », « grenoblois »,
#: « parisiennes »).
DEMONYM = re.compile(r"^(\w{3,}?)(aises?|ais|oises?|ois|iennes?|iens?|aines?|ains?)$")


def _demonym_stems(tokens: Sequence[str]) -> dict[str, str]:
    """The stems of the question's words that may be a town's people's name (« lyonnais » →
    « lyon »), each with the word."""
    stems: dict[str, str] = {}
    for token in tokens:
        match = DEMONYM.match(token)
        if match is None or len(token) < 6:
            continue
        stem = match.group(1)
        # « lyonnais »: a doubled consonant; « strasbourgeois »: a soft g.
        for form in (stem, stem[:-1] if stem[-1] == stem[-2] else stem, stem.removesuffix("e")):
            stems.setdefault(form, token)
    return stems


def _by_demonym(name: str, stems: Mapping[str, str]) -> str | None:
    """The question's word naming the one-word collectivité ``name`` by its people's name
    (« le référent lyonnais » for « lyon »), if any."""
    if len(name) < 4:
        return None
    for base in (name, name.removesuffix("s").removesuffix("e")):
        if base in stems:
            return stems[base]
    return None


#: « la charte de notre conseil de quartier », « the charter of our town » (``OWN_GROUP``): a
#: charter that is the asker's own body's, unless that body is the network.
NETWORK_WORDS = frozenset("reseau rtes network".split())


def _other_charter(keyed: Sequence[str], tokens: Sequence[str]) -> bool:
    """Whether the charter the question names is not the network's: another charter is
    another body's text (and the network's graphic charter is no text of its charter)."""
    if any(
        (a in CHARTER_KEYS and b in OTHER_CHARTER_KEYS)
        or (a in OTHER_CHARTER_KEYS and b in CHARTER_KEYS)
        for a, b in itertools.pairwise(keyed)
    ):
        return True
    for index, key in enumerate(keyed):
        after = tokens[index + 1 : index + 4]
        if key in CHARTER_KEYS and len(after) == 3 and after[0] in ("de", "du", "of"):
            if after[1] in OWN_GROUP and after[2] not in NETWORK_WORDS:
                return True
    return False


#: « voter une délibération en conseil municipal », « our council's budget vote »: a vote of the
#: asker's own assembly, which the network does not run (« je serai en conseil municipal le
#: jour du vote » is an absence, the vote after it the network's).
ASSEMBLIES = frozenset("conseil council assemblee".split())
IN_ASSEMBLY = frozenset("en au dans in at".split())


def _assembly_vote(tokens: Sequence[str], keyed: Sequence[str]) -> bool:
    """Whether a vote word comes before the asker's or a council's own assembly (« en conseil
    municipal », « in my town council », « our council's … vote »)."""
    for index, token in enumerate(tokens):
        if token not in ASSEMBLIES:
            continue
        before = tokens[max(0, index - 3) : index]
        votes_before = keyed[max(0, index - 6) : index]
        owned = bool(OWN_GROUP & set(before))
        placed = bool(IN_ASSEMBLY & set(before))
        if (owned or placed) and VOTE_KEYS & set(votes_before):
            return True
        # « our council's budget vote »
        if (
            owned
            and VOTE_KEYS & set(keyed[index + 1 : index + 5])
            and "s" in tokens[index + 1 : index + 2]
        ):
            return True
    return False


def _other_body(tokens: Sequence[str]) -> bool:
    """Whether the question names an election or a law that is not the network's."""
    # (« l'économie circulaire », « circular economy » name no circular of the administration.)
    present = set(tokens) - (
        {"circulaire"}
        if {("economie", "circulaire"), ("circular", "economy")} & set(itertools.pairwise(tokens))
        else set()
    )
    if OTHER_ELECTIONS & present or LAWS & present:
        return True
    if ELECTION_WORDS & present and ELECTION_KINDS & present:
        return True
    return any(token == "code" and nxt in CODE_OF for token, nxt in itertools.pairwise(tokens))


def _strange_share(tokens: Sequence[str], keyed: Sequence[str], known: Knowledge) -> float:
    """The share of the question's meaningful words (two at least) that no text, name, cue or
    task of the assistant's knowledge uses."""
    meaningful = [
        (token, k)
        for token, k in zip(tokens, keyed, strict=True)
        if token not in w.STOPWORDS
        and k not in w.STOPWORDS
        and not token.isdigit()
        and token not in w.NUMBER_WORDS
        and len(token) >= 3
        and k not in QUESTION_KEYS
    ]
    strange = [
        token
        for token, k in meaningful
        if k not in known.all_keys and token not in known.speller.vocabulary and k not in ALL_CUES
    ]
    return len(strange) / len(meaningful) if len(strange) >= 2 else 0.0


def _charter_version(found: _Entities, known: Knowledge) -> int:
    if found.version is not None and found.version in known.charters:
        return found.version
    if found.earlier:
        earlier = [v for v in known.charters if v < known.current]
        if earlier:
            return max(earlier)
    return known.current


def _part_by_heading(
    subject: Sequence[str],
    forms: dict[str, tuple[str, ...]],
    doc: CharterDoc,
    index: Retriever,
    known: frozenset[str] | None = None,
) -> CharterPart | None:
    """A part whose heading the question names (« la partie historique », « gouvernance »)."""
    if not subject:
        return None
    wanted = set(subject)
    best: tuple[float, CharterPart] | None = None
    for part in doc.parts:
        title_keys = set(w.keys(w.content(w.name_tokens(part.title)))) - {K["article"]}
        # The network's own name (« Réseau des Territoires pour l'Économie Solidaire »), the
        # presentation's heading, is no subject (« solidarity between territories »).
        if NETWORK_NAME_KEYS & title_keys:
            continue
        # Words most of the text uses (« réseau », « solidaire ») name no part in particular.
        title_keys = {k for k in title_keys if not k.isdigit() and index.idf.get(k, 9) >= 1.1}
        if not title_keys:
            continue
        hits = {k for k in wanted if k in title_keys or set(forms.get(k, ())) & title_keys}
        if not hits:
            continue
        share_subject = index.coverage(
            list(wanted), frozenset(title_keys), forms=forms, known=known
        )
        share_title = len(hits) / len(title_keys)
        score = share_subject + share_title
        if share_subject >= 0.6 and (best is None or score > best[0]):
            best = (score, part)
    return best[1] if best is not None else None


#: Changing a text (« faire évoluer la charte », « who decides on the changes? »).
REVISING = frozenset(
    w.keys(
        """changer change changes changed changement modifier modifiee modification evoluer
        evolution reviser revise revision update updated amend amended reecrire retoucher
        maj""".split()
    )
)
#: What a change to the charter may be asked about instead of its rule: a poll on it, a
#: proposal revising it, a vote to change, publishing or signing the new version.
NOT_REVISION = frozenset(
    w.keys(
        """vote votes voter scrutin poll ballot proposition proposal publier publish signer sign
        signe""".split()
    )
)


def _revision_part(keyed: Sequence[str], found: _Entities, doc: CharterDoc) -> CharterPart | None:
    """The part on revising the charter, for a question on changing the charter itself (« qui
    peut changer la charte ? », « is the charter ever updated? »), whatever other heading its
    words name; not for an article named by number, a poll, a proposal or a task on it."""
    present = set(keyed)
    if not (CHARTER_KEYS & present and REVISING & present) or NOT_REVISION & present:
        return None
    if found.article is not None or found.poll is not None or found.proposal is not None:
        return None
    for part in doc.parts:
        if REVISING & set(w.keys(w.name_tokens(part.title))):
            return part
    return None


#: A heading holding these is the network's name, the presentation's heading.
NETWORK_NAME_KEYS = frozenset({K["reseau"]})
RESTATED_COVERAGE = 0.6
#: Readings that name nothing in particular: a list, or a question back.
GENERIC_SOURCES = frozenset({"poll:open", "proposal:list", "decision:list", None})
#: Below the ask-back ratio: the paragraph is the answer, the list no alternative.
GENERIC_CAP = 0.75
RESTATED_WORDS = 3
NORMATIVE_BONUS = 1.0
#: Words asking what is allowed or required (« on peut », « faut-il », « a le droit »).
NORMATIVE = frozenset(
    """peut peuvent faut doit doivent droit obligatoire obligatoirement autorise autorisee
    autorises interdit interdite regle regles reglement statuts may must allowed entitled
    required mandatory rule rules""".split()
)
#: English modals that ask what is allowed when their subject is not « I » or « you » (« can
#: the board… », not « can I… », a request).
MODALS = frozenset("can could should".split())


def _normative(tokens: Sequence[str]) -> bool:
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        before = tokens[index - 1] if index else ""
        if token in MODALS and after not in ("i", "you", "u", "we") and before != "i":
            return True
        if token in NORMATIVE and before not in ("je", "j", "i") and after not in ("je",):
            return True
    return False


def _own_referent(tokens: Sequence[str]) -> bool:
    """« mon référent », « notre référente », « my referent »."""
    return any(
        tokens[i - 1] in OWN_GROUP and w.key(tokens[i]) == K["referent"]
        for i in range(1, len(tokens))
    )


def _more_than_polite(said: Sequence[str]) -> bool:
    """A letter that opens with « Bonjour Monsieur » or closes with thanks is still a question
    when there is more to it than a polite sentence holds (« je souhaiterais connaître l'issue
    du vote concernant… »)."""
    return len(said) > POLITE_WORDS


def _plain(token: str, k: str) -> bool:
    """A word that may be what a question is about: no stopword, question word or number."""
    return (
        token not in w.STOPWORDS
        and k not in QUESTION_KEYS
        and not token.isdigit()
        and token not in w.NUMBER_WORDS
    )


def _part_by_title_word(
    content: Sequence[str], forms: dict[str, tuple[str, ...]], doc: CharterDoc
) -> CharterPart | None:
    """The one article whose heading holds one of the question's words (« deux référents ? »:
    Article 7 — Référents des collectivités), when no other heading does."""
    titles = [
        (part, set(w.keys(w.content(w.name_tokens(part.title)))) - {K["article"]})
        for part in doc.parts
        if part.article is not None
    ]
    found = {
        id(part): part
        for k in content
        for part, title in titles
        if k in title or set(forms.get(k, ())) & title
    }
    return next(iter(found.values())) if len(found) == 1 else None


def understand(
    question: str, known: Knowledge, *, hidden_polls: frozenset[int] = frozenset()
) -> Understanding:
    """Every reading of ``question``, best first (at least one: out of scope).

    ``hidden_polls``: open polls the asker may not see (restricted to a field they are not in):
    never found, never named."""
    typed = known.speller.tokens(question, english_phrases=False)
    cleaned = w.clean_question(question)
    language = lang_detect.detect(
        typed,
        possessive=bool(POSSESSIVE.search(cleaned)),
        french_words=known.french_words,
        typed=cleaned.split(),
    )
    tokens = w.translate(typed, english=language == "en")
    keyed = w.keys(tokens)
    present = set(keyed)
    token_set = set(tokens)
    pairs = set(itertools.pairwise(tokens))
    found = _entities(tokens, known, question)
    if found.poll is not None and found.poll in hidden_polls:
        found.poll = None

    scores: dict[str, float] = {intent: 0.0 for intent in INTENTS}
    for intent, table in CUES.items():
        scores[intent] = sum(weight for k, weight in table.items() if k in present)
    # « comment ça va ? », « how's it going? »: « comment » and « how » greet, they ask no how.
    if any(_contiguous(phrase, tokens) for phrase in SMALL_TALK):
        scores["social"] += 3.0
        scores["howto"] = max(0.0, scores["howto"] - CUES["howto"][w.key("comment")])

    entity_words = found.person_words | found.place_words | found.field_words | found.marker_words
    subject = [
        k
        for token, k in zip(tokens, keyed, strict=True)
        if _plain(token, k)
        and k not in ALL_CUES
        and token not in entity_words
        and token not in EARLIER
        and token not in LATEST
        and token not in BEFORE
        and k not in READING_KEYS
        and k not in LIST_WORDS
    ]
    topic = [
        k
        for token, k in zip(tokens, keyed, strict=True)
        if _plain(token, k)
        and (k not in CUES["charter"] or k in CONTENT_CUES)
        and k not in CUES["decision"]
        and k not in CUES["proposal"]
        and k not in CUES["poll"]
        and k not in CUES["howto"]
        and k not in TASK_VERBS
        and token not in EARLIER_WORDS
        and token not in found.marker_words
        and k not in LIST_WORDS
    ]

    # « que dit la charte sur les procurations ? », « d'après la charte, qui signe ? »: the
    # charter is where the answer is, and every other word (a task's, a vote's) is its topic.
    cites_charter = bool(CHARTER_KEYS & present and CITING_KEYS & present)
    if cites_charter:
        subject = [
            k
            for token, k in zip(tokens, keyed, strict=True)
            if _plain(token, k)
            and k not in CITING_KEYS
            and (k not in CUES["charter"] or k in CONTENT_CUES)
            and token not in found.person_words | found.place_words | found.marker_words
            and token not in EARLIER_WORDS
            and token not in BEFORE
            and k not in READING_KEYS
            and k not in LIST_WORDS
        ]

    # What the question names.
    if found.article is not None:
        scores["article"] += 5
    if found.version is not None or found.earlier:
        scores["charter"] += 0.8
    # « changer le référent de Lyon », « valider la demande d'Hugo Chevalier »: a request
    # opening with a task's verb in the infinitive; the place or person is what it acts on.
    commanded = (
        bool(tokens)
        and keyed[0] in TASK_CUE_KEYS
        and bool(INFINITIVE.search(tokens[0]))
        and (w.key(tokens[0]) == tokens[0] or tokens[0].endswith("er"))
    )
    if found.people:
        # « comment je valide la demande d'Hugo Chevalier ? »: asked how, with a task's verb,
        # the person is what the task acts on.
        acted_on = (bool({"comment", "how"} & token_set) or commanded) and bool(
            set(keyed) & TASK_ACTIONS - set(CUES["contact"])
        )
        # « proposition de Bruno Leroy », « what did Bruno Leroy propose? »: the person wrote
        # what is asked about; no contact detail is asked.
        authored = bool(AUTHORED & present) and CONTACT_DETAILS.isdisjoint(present)
        scores["contact"] += 1.5 if acted_on or authored else 4
        if authored:
            scores["proposal"] += AUTHORED_WEIGHT
    elif _own_referent(tokens):
        scores["contact"] += 3
    # Who is somewhere or works on something (« les élus du Nord », « who works on fair
    # trade »): a département or a field named whole, with a word asking for people, is a
    # directory question before any text that mentions the same words.
    asks_people = scores["contact"] >= 0.8
    if found.places and not commanded:
        scores["contact"] += 1.0
    if found.departement:
        scores["contact"] += 2.0 if asks_people else 1.0
    if found.fields:
        # A field named whole, with a word asking for people (« Members of the field … »):
        # its members, before how to choose one's fields.
        whole = found.field_share >= 1.0
        scores["contact"] += (2.4 if whole else 1.6) if asks_people else 0.6
    # « ont été votés ? », « was it voted? »: a vote that took place, a decision.
    if any(keyed[i] in VOTE_KEYS and tokens[i - 1] in PASSIVE for i in range(1, len(tokens))):
        scores["decision"] += 1.5
        scores["poll"] -= 1.0
    # « comment je lance le vote sur la prop 23 ? », « le scrutin 23 peut être clos… comment ? »:
    # asked how, with a task's verb, the proposal or poll named is what the task acts on.
    acts_on_named = bool({"comment", "how"} & token_set) and bool(
        set(keyed) & TASK_ACTIONS - set(CUES["proposal"]) - set(CUES["poll"])
    )
    named_weight = 0.5 if acts_on_named else 1.0
    if found.proposal is not None:
        scores["proposal"] += 3 * named_weight
    if found.decision is not None:
        scores["decision"] += 3
    if found.poll is not None:
        if found.poll in known.open_poll_numbers:
            scores["poll"] += 2.5 * named_weight
        elif found.poll in known.decision_numbers:
            scores["decision"] += 3
            scores["poll"] -= 1

    # How well the rest of the question matches what is written.
    version = _charter_version(found, known)
    query = topic or subject
    forms = w.forms(tokens)
    query = query + [k for k in forms if k not in query and k not in LIST_WORDS]
    charter_query = (
        subject + [k for k in forms if k not in subject and k not in LIST_WORDS]
        if cites_charter
        else query
    )
    known_keys = known.all_keys
    charter_hits = (
        known.charter_index[version].search(charter_query, forms=forms, known=known_keys)
        if charter_query
        else []
    )
    heading = _part_by_heading(
        charter_query, forms, known.charters[version], known.charter_index[version], known_keys
    )
    revision = _revision_part(keyed, found, known.charters[version])
    if revision is not None:
        heading = revision
    named = bool(found.people or found.places or found.departement)
    if heading is not None:
        scores["charter"] += 1.5 if named or len(query) < 2 else 3.0
        if heading.article is not None and K["article"] in present:
            scores["article"] += 2
    elif charter_hits and charter_hits[0].coverage >= 0.5 and subject:
        scores["charter"] += 2.0 * charter_hits[0].coverage
    # A question restating what one paragraph of the charter says (« on peut changer son vote
    # jusqu'à la clôture ? », « le bureau a une voix prépondérante ? »): every meaningful word
    # counts, a cue word too, and three of them or more found together in one paragraph are
    # strong evidence — unless the question asks how to do something.
    # « how many », « how long »: a quantity, not a way of doing something.
    counting = any(a == "how" and b in HOW_QUANTITY for a, b in itertools.pairwise(tokens))
    if counting:
        scores["howto"] -= CUES["howto"][K["how"]]
    # « où je peux lire la charte ? », « where do I validate… »: where to do it is how.
    where = (bool(tokens) and tokens[0] in ("ou", "where") and len(tokens) > 2) or (
        ("ou", "ca") in pairs
    )
    if where:
        scores["howto"] += 2.0
    how = (bool({"comment", "how"} & token_set) or where) and not counting
    # « je peux changer mon bulletin ? », « can I change my ballot? »: the asker asking what they
    # may do is asking how.
    if pairs & ASKING_LEAVE:
        scores["howto"] += 1.5
    restated: Hit | None = None
    restated_matched = 0
    content: list[str] = []
    charter_index = known.charter_index[version]
    if not how:
        content = [
            k
            for token, k in zip(tokens, keyed, strict=True)
            if _plain(token, k)
            and k not in CHARTER_KEYS
            and k not in CITING_KEYS
            and token not in entity_words
            and k not in found.field_words
            and token not in EARLIER_WORDS
        ]
        if len(content) >= 2:
            candidates = [
                (charter_index.matched(content, hit, forms=forms), hit)
                for hit in charter_index.search(content, forms=forms, known=known_keys)
            ]
            # The paragraph holding the most of the question's words, the best ranked first.
            for matched, hit in sorted(candidates, key=lambda pair: -pair[0])[:1]:
                if (hit.coverage >= RESTATED_COVERAGE and matched >= RESTATED_WORDS) or (
                    hit.coverage >= 0.4 and matched >= RESTATED_WORDS + 1
                ):
                    bonus = 1.0 + 0.5 * min(matched - RESTATED_WORDS, 2)
                    if hit.doc.part is not None and not hit.doc.part.is_charter:
                        # The presentation (« lieu de rencontre des collectivités… »): what
                        # the network is.
                        scores["about"] += bonus + 1.0
                    else:
                        restated, restated_matched = hit, matched
                        scores["charter"] += bonus
    # « on peut… ? », « faut-il… ? », « can the board… ? »: a question about what is allowed or
    # required is answered by the rules, when they speak of it.
    best_charter = max(
        (h.coverage for h in [*charter_hits[:1], *([restated] if restated else [])]), default=0.0
    )
    # « qui désigne le référent ? », « who validates new members? »: who does a task is a rule
    # of the charter, not a how-to.
    who_does = any(
        tokens[i - 1] in WHO and keyed[i] in TASK_VERBS and not INFINITIVE.search(tokens[i])
        for i in range(1, len(tokens))
    )
    normative = (_normative(tokens) or who_does) and not how
    if normative and heading is None and content and restated is None:
        # « on peut avoir deux référents ? »: the rule's heading may be a cue word.
        heading = _part_by_title_word(content, forms, known.charters[version])
        if heading is not None:
            scores["charter"] += 1.5
    # « tu peux me sortir la charte en entier ? », « could you show me the charter we're all
    # supposed to sign? »: the whole text, whatever else the question says of it.
    found.whole = not how and found.article is None and _whole_text_asked(tokens, keyed)
    if found.whole:
        scores["charter"] += WHOLE_BONUS
    rule_found = normative and (best_charter >= 0.5 or heading is not None)
    if rule_found:
        scores["charter"] += NORMATIVE_BONUS
    if restated is not None and heading is None:
        if not (
            charter_hits
            and subject
            and charter_hits[0].coverage >= 0.5
            and charter_index.matched(content, charter_hits[0], forms=forms) >= restated_matched
        ):
            charter_hits = [restated]
            subject = [k for k in keyed if k in charter_index.keys_of(restated)] or subject
    # No paragraph holds the question's words: the one closest in meaning, if any is close.
    meant: Hit | None = None
    similarity: dict[int, float] = {}
    boost: dict[int, float] = {}
    worded = bool(charter_hits and charter_hits[0].coverage >= 0.5)
    if heading is None and found.article is None and (WORDED_SHARE or not worded):
        # What is asked about, without the words that ask for the charter (« que dit la
        # charte sur… »): those would make every paragraph about the charter itself closest.
        asked = " ".join(
            token
            for token, k in zip(tokens, keyed, strict=True)
            if k not in CHARTER_KEYS and k not in CITING_KEYS and token not in EARLIER_WORDS
        )
        if asked:
            similarity = known.charter_meaning(version).scores(meaning.vector(asked))
            boost = _topic_boost(question, known, version)
            meant = _closest(
                similarity,
                charter_index,
                charter_hits,
                share=WORDED_SHARE if worded else WORDS_SHARE,
                floor=0.0 if worded else MEANING_FLOOR,
                boost=boost,
            )
    # « toutes les décisions prises par le réseau, c'est pour le rapport d'activité », « which
    # proposals so far? »: the list of that kind asked for, not the one the other words find.
    listing = _listing(tokens, present, found)
    decision_hits = (
        known.decision_index.search(query, forms=forms, known=known_keys)
        if topic and listing != "decision"
        else []
    )
    decision_hits = _titled(decision_hits, keyed)
    if decision_hits and decision_hits[0].coverage >= 0.5 and (subject or scores["decision"] >= 2):
        scores["decision"] += 2.2 * decision_hits[0].coverage
    proposal_hits = (
        known.proposal_index.search(query, forms=forms, known=known_keys)
        if topic and listing != "proposal"
        else []
    )
    proposal_hits = _titled(proposal_hits, keyed)
    if listing is not None:
        scores[listing] += LISTING_BONUS
    if proposal_hits and proposal_hits[0].coverage >= 0.5 and (subject or scores["proposal"] >= 2):
        scores["proposal"] += 2.2 * proposal_hits[0].coverage
    # A decision or a proposal asked about in other words than its own (« aide à domicile en
    # coopé, adoptée ? »): the one closest in meaning and words, if close enough.
    # What is asked about: the topic's words as written (« aide domicile coopé »), not the
    # words asking for decisions (« liste des décisions prises » is no decision's subject).
    topic_keys = set(topic)
    about_words = " ".join(token for token, k in zip(tokens, keyed, strict=True) if k in topic_keys)
    closest_numbered: dict[str, Hit | None] = {}
    # « récapitulatif des décisions depuis le début », « list all the proposals »: the list is
    # asked, not one close in meaning to the rest of the words.
    listed = bool(LIST_KEYS & present) or listing is not None
    for kind, hits in (("decision", decision_hits), ("proposal", proposal_hits)):
        closest_numbered[kind] = None
        if about_words and not listed and not (hits and hits[0].coverage >= 0.5):
            closest_numbered[kind] = _closest(
                known.numbered_meaning(kind).scores(meaning.vector(about_words)),
                known.numbered_index(kind),
                hits,
                share=NUMBERED_WORDS_SHARE,
                floor=NUMBERED_FLOOR,
                margin=NUMBERED_MARGIN,
            )
    poll_hits = [
        hit
        for hit in (known.poll_index.search(query, forms=forms, known=known_keys) if topic else [])
        if hit.doc.number not in hidden_polls
    ]
    if poll_hits and poll_hits[0].coverage >= 0.5 and (subject or scores["poll"] >= 2):
        scores["poll"] += 2.2 * poll_hits[0].coverage

    # « je voudrais clore le scrutin 23 », « I'd like to close poll 23 »: wanting to do a
    # task asks how to do it.
    if any(
        a in WANTING and (k in TASK_ACTIONS) and (INFINITIVE.search(b) or b == w.key(b))
        for (a, b), k in zip(itertools.pairwise(tokens), keyed[1:], strict=False)
    ) or any(
        a in WANTING and b in ("to", "de", "d") and k in TASK_ACTIONS
        for (a, b), k in zip(itertools.pairwise(tokens), keyed[2:], strict=False)
    ):
        scores["howto"] += 2.0
        for intent in ("poll", "decision", "proposal"):
            scores[intent] *= 0.6  # the poll or proposal named is what the task acts on
    # « effacer mon compte », « changer le référent de Lyon »: a request opening with a task's
    # verb in the infinitive asks how to do it.
    if commanded:
        scores["howto"] += 2.0

    tasks = _task_scores(keyed, _action(tokens, keyed), open_to_all=how)
    # The bot's own ask-back questions (« Comment adhérer au réseau ? ») are read as written.
    asked_back = any(form.match(question.strip()) for form in ASK_BACK_FORMS)
    if TASK_VOTE_WEIGHT and not asked_back and tasks:
        task_votes = meaning.examples().task_votes(meaning.vector(question))
        sure_task = _sure(task_votes.nearest)
        voted = {name: score for score, name in tasks}
        for name, share in task_votes.intents.items():
            if name in voted:
                voted[name] += TASK_VOTE_WEIGHT * sure_task * share
        tasks = sorted(((score, name) for name, score in voted.items()), key=lambda i: -i[0])
    # « à mon profil », « mes domaines »: the asker acts for themselves, a member's task before
    # the bureau's.
    if OWN & token_set and tasks:
        tasks = sorted(
            ((score * 0.7 if BY_NAME[name].bureau else score, name) for score, name in tasks),
            key=lambda item: -item[0],
        )
    # « ajouter la coopération internationale à mes domaines »: one's own fields, whatever field
    # is named — choosing them, not the bureau's adding a field to the network.
    if tasks and _own_fields(tokens, keyed):
        tasks = _raised(tasks, "domaines", OWN_FIELDS_BONUS)
    # Joining a field of action (« m'inscrire dans le domaine commerce équitable », « join the
    # cooperation forum ») is choosing one's fields, not joining the network.
    if tasks and tasks[0][1] == "adherer" and (found.fields or FIELD_WORDS & present):
        tasks = [(tasks[0][0] + 0.5, "domaines"), *tasks]
    if tasks and tasks[0][0] >= 2:
        # A task's own verb (« signer », « désigner », « déposer ») makes what it acts on (« la
        # charte », « un référent ») its object, not the topic of another reading.
        best_task = TASK_CUES[tasks[0][1]]
        asks_how = scores["howto"] >= 2
        # (« à soumettre », folded « a soumettre », is no past: an infinitive follows.)
        past = {
            keyed[i]
            for i in range(1, len(tokens))
            if tokens[i - 1] in AUXILIARIES and not INFINITIVE.search(tokens[i])
        }
        verbs = [
            k
            for k in present
            if best_task.get(k, 0) >= 2
            and (asks_how or (k not in INTENT_CUE_KEYS and k not in READING_VERBS))
            and k not in past
        ]
        # « j'ai voté ? », « je vote pour quoi ? »: the asker's own polls, not the procedure
        # (asked how — « comment je vote ? » —, the procedure, which lists them too).
        # « qu'est-ce que je peux voter ? », « what can I vote on? »: which polls, too.
        asks_what = bool(WHAT & token_set) or ("qu", "est") in pairs
        if (
            tasks[0][1] == "voter"
            and {"je", "j", "i"} & token_set
            and (not ({"voter", "voting"} & token_set) or asks_what)
            and not how
        ):
            verbs = []
            scores["howto"] = 0.0
        if verbs:
            for intent in ("charter", "proposal", "poll", "decision", "contact"):
                if intent == "charter" and cites_charter:
                    continue
                shared = [k for k in present if k in best_task and k in CUES[intent]]
                if intent == "poll" and poll_hits and poll_hits[0].coverage >= 0.5:
                    shared = []
                scores[intent] -= 0.5 * sum(CUES[intent][k] for k in shared)
        # A task's name alone (« annuaire », « procuration ») asks how to use it.
        alone = len(w.content(tokens)) == 1 and tasks[0][0] >= 3
        # A task named in a « how » question is how-to; named alone, it is a weaker hint; acted
        # in the past or the passive (« a été modifiée », « be revised »), it is no task.
        strong_cues = [k for k in present if best_task.get(k, 0) >= 2]
        if strong_cues and all(k in past for k in strong_cues):
            pass
        else:
            strong = scores["howto"] >= 2 or (bool(verbs) and not cites_charter) or alone
            scores["howto"] += (0.7 if strong else 0.45) * min(tasks[0][0], 3.5)
    if scores["howto"] < 2:
        scores["howto"] = min(scores["howto"], 1.0) if not tasks else scores["howto"]
    if who_does and rule_found:
        scores["howto"] *= 0.5

    # « mon email », « my phone »: the asker's own details (what the directory shows of them),
    # not someone's to look up.
    own = any(tokens[i - 1] in OWN and keyed[i] in CUES["contact"] for i in range(1, len(tokens)))
    if (
        own
        and not (found.people or found.places or found.departement or found.fields)
        and not _own_referent(tokens)
    ):
        scores["contact"] *= 0.3
    # « mes données », « my data », « ce que le bot garde sur moi »: what is kept about the
    # asker, which they see or erase with the bot, before what the charter says of data.
    own_data = any(tokens[i - 1] in OWN and keyed[i] in DATA_KEYS for i in range(1, len(tokens)))
    if own_data and tasks and tasks[0][1] in ("donnees", "effacer") and not cites_charter:
        scores["howto"] += 1.5
        scores["charter"] *= 0.5
    # « que mon numéro n'apparaisse pas dans l'annuaire », « masquer mon email »: what the
    # directory shows of the asker's own details is set with their data, not searched.
    own_detail = any(
        tokens[i - 1] in OWN and keyed[i] in OWN_DETAIL_KEYS for i in range(1, len(tokens))
    )
    if own_detail and tasks and tasks[0][1] in ("annuaire", "donnees") and not cites_charter:
        tasks = _raised(tasks, "donnees", OWN_DETAIL_WEIGHT)
        if tasks[0][1] == "donnees":
            scores["howto"] += 1.5
            scores["charter"] *= 0.5

    # Words nothing the assistant knows uses (« traduire », « impôts », « weather »): when they
    # are most of the question, the cue words it shares with a real one are a coincidence.
    # (A long, formal question holds many such words around a strong cue — « l'historique du
    # réseau, afin que je puisse en faire état devant la commission permanente » —: a reading
    # scoring ``STRANGE_SPARED`` or more is kept.)
    strange = _strange_share(tokens, keyed, known)
    if strange >= STRANGE_SHARE:
        for intent in scores:
            if intent not in ("social", "out_of_scope") and scores[intent] < STRANGE_SPARED:
                scores[intent] *= 1 - strange

    # What the question means, read from its nearest example questions: evidence for an
    # intent however it is worded; a question like the out-of-scope examples weakens the rest.
    # The bot's own words (an ask-back button's question) are read as written, without a vote.
    # (« tu sers à quoi ? » is asked of the bot, not of the network: no vote for « about »
    # unless the network is named.)
    votes: meaning.Votes | None = None
    sure = 0.0
    if not asked_back:
        votes = meaning.examples().votes(meaning.vector(question))
        sure = _sure(votes.nearest)
        to_the_bot = bool({"tu", "toi", "you"} & token_set) and not (
            K["rtes"] in present or {K["reseau"], K["network"]} & present
        )
        for intent in scores:
            if intent != "out_of_scope" and not (intent == "about" and to_the_bot):
                scores[intent] += EXAMPLE_WEIGHT * sure * votes.share(intent)
        outside = votes.share("out_of_scope") * sure
        if outside:
            for intent in scores:
                if intent not in ("social", "out_of_scope"):
                    scores[intent] *= 1 - OUTSIDE_WEIGHT * outside

    # Only for a subject some charter example question or the charter itself words (« la
    # charte parle des habitants ? »): one none does (« la charte parle des chats ? ») is in
    # no part, however sure the classifier.
    topical = (
        _topical(question, known, version, found)
        if votes is not None
        and heading is None
        and found.article is None
        and (
            not subject
            or not _topic_words(meaning.examples()).isdisjoint(subject)
            or not known.all_keys.isdisjoint(subject)
        )
        else None
    )

    # « un bon resto à Lille ? », « book me a train to Lyon »: a place named, and something
    # asked of it that is nobody of the network — no word asks for people or contacts.
    if found.places and not found.people and CONTACT_CUE_KEYS.isdisjoint(present):
        asked_of_place = [
            token
            for token, k in zip(tokens, keyed, strict=True)
            if _plain(token, k) and token not in entity_words and k not in ALL_CUES
        ]
        if len(asked_of_place) >= PLACE_ASKED_WORDS:
            scores["contact"] *= PLACE_ALONE

    # « peut-on avoir deux référents à Lyon ? », « partager le rôle de référent entre deux
    # adjoints »: how many référents a collectivité has is the rule, not who they are.
    if (
        K["referent"] in present
        and (REFERENT_COUNTS & token_set or REFERENT_SHARED & present)
        and CONTACT_DETAILS.isdisjoint(present)
    ):
        scores["contact"] *= REFERENT_RULE_CONTACT
        scores["charter"] += 2.0
    # « quels scrutins sont terminés ? », « polls that have closed »: closed polls are what the
    # network decided.
    if CLOSED_POLLS & token_set and (POLL_WORD_KEYS & present):
        scores["decision"] += CLOSED_POLLS_WEIGHT
        scores["poll"] *= 0.5
        if not {"comment", "how"} & token_set:  # « comment clore un scrutin ? » is a task
            scores["howto"] *= 0.5
    # « qui peut déposer une proposition ? », « who gets to amend them? »: who may do something
    # is the charter's rule, not how to do it (a poll named is asked of: « qui peut voter sur
    # la création d'un groupe de travail ? »).
    who_may = any(_contiguous(phrase, tokens) for phrase in WHO_MAY)
    # (« qui peut m'aider à adhérer ? » asks for help.)
    if who_may and not (
        found.people or found.places or found.poll or found.proposal or HELP & token_set
    ):
        scores["charter"] += WHO_MAY_WEIGHT
        scores["howto"] *= 0.6
    # « c'est qui qui a déposé le truc sur le juriste mutualisé ? », « who filed it? »: who wrote
    # it is the proposal's (its author), not the decision's.
    # (« qu'est-ce qui a été décidé » asks what: « ce qui » is no « qui ».)
    who = any(t in WHO and (i == 0 or tokens[i - 1] != "ce") for i, t in enumerate(tokens))
    if who and AUTHORING & present and not found.people and not who_may:
        scores["proposal"] += AUTHORING_WEIGHT
        scores["decision"] *= 0.7
    # « une procuration pour les législatives », « l'article 1 de la loi ESS »: another body's
    # election, law or charter, or a vote of one's own council — the network's own proxies,
    # votes and articles share their words, but the network runs neither. (Unless the network
    # or its charter is named: « le réseau s'est prononcé sur la loi ESS ? ».)
    other_charter = _other_charter(keyed, tokens)
    if other_charter or (
        (_other_body(tokens) or _assembly_vote(tokens, keyed))
        and not (
            K["rtes"] in present or {K["reseau"], K["network"]} & present or CHARTER_KEYS & present
        )
    ):
        for intent in scores:
            if intent not in ("social", "out_of_scope"):
                scores[intent] *= OTHER_BODY_WEIGHT
        # « le texte de la Charte européenne de l'autonomie locale »: not the network's text.
        if other_charter:
            scores["charter"] = scores["article"] = 0.0
        # « que dit l'article 3 du code des marchés publics ? »: the number is that text's.
        if found.article is not None:
            scores["article"] = 0.0

    # « la charte des achats éthiques, elle en est où ? »: a proposal's or a poll's title that
    # holds the word, not the network's charter.
    if CHARTER_KEYS & present and _titled_charter(
        tokens, keyed, (*known.proposals, *known.decisions, *known.open_polls)
    ):
        scores["charter"] = scores["article"] = 0.0

    # « combien d'habitants à Saillans ? », « population of Lyon »: figures about a place,
    # which the network does not keep — not the place's contacts, nor what it proposed.
    if (
        POPULATION & present
        and (COUNTING & token_set or K["population"] in present)
        and bool(found.places)
        and not (PEOPLE_ASKED & present)
    ):
        for intent in scores:
            if intent not in ("social", "out_of_scope"):
                scores[intent] *= 0.2

    # Greetings and thanks stand alone; in a real question they are politeness.
    others = max(v for k, v in scores.items() if k not in ("social", "out_of_scope"))
    # « t'es qui toi ? un humain ou un robot ? »: a question about the bot itself.
    about_the_bot = bool({"robot", "bot", "chatbot"} & token_set) and bool(
        {"toi", "tu", "you", "es", "are"} & token_set
    )
    if about_the_bot:
        for intent in scores:
            if intent not in ("social", "out_of_scope"):
                scores[intent] *= 0.5
        scores["social"] = max(scores["social"], THRESHOLD + 1.0)
    elif others >= 2.5:
        scores["social"] = 0.0
    # Thanks or a greeting is a short message: in a longer one (« traduis ce paragraphe : nous
    # remercions nos partenaires »), the polite word is quoted or incidental.
    said = [
        k
        for token, k in zip(tokens, keyed, strict=True)
        if token not in w.STOPWORDS
        and k not in CUES["social"]
        and not token.isdigit()
        and token not in w.NUMBER_WORDS
    ]
    if _more_than_polite(said):
        scores["social"] = 0.0
    elif len(said) > 3 and not (tokens and w.key(tokens[0]) in CUES["social"]):
        scores["social"] *= 0.3
    about_named = K["rtes"] in present or ({K["reseau"], K["network"]} & present and not subject)
    if not about_named and scores["about"] < 2.5:
        scores["about"] *= 0.5

    readings = [
        reading
        for intent in INTENTS[:-1]
        if scores[intent] > 0
        for reading in [
            _target(
                intent,
                scores[intent],
                found,
                known,
                version,
                subject,
                topic,
                charter_hits,
                heading,
                decision_hits,
                proposal_hits,
                tasks,
                tokens,
                poll_hits,
                cites_charter,
                meant,
                closest_numbered,
                topical,
                _in_own_words(question, tokens, keyed, subject),
            )
        ]
        if reading is not None
    ]
    if not tokens:  # only a mention: a greeting
        readings.append(Reading("social", None, THRESHOLD, detail="hello"))
    # The presentation found for a question that does not ask for the charter's text (« is
    # the network only for towns? »): what the network is.
    # But when the example questions closest to it asked for a rule of the charter rather than
    # what the network is (« notre SCIC vit de subventions et de ventes, c'est cohérent avec ce
    # que défend le réseau ? »), the charter's own paragraph closest to it.
    if not (TEXT_KEYS & present) and found.version is None and not found.earlier:
        ruled: Hit | None = None
        if (
            votes is not None
            and similarity
            and sure * (votes.share("charter") - votes.share("about")) >= RULE_OVER_ABOUT
        ):
            ruled = _closest(
                {
                    i: v
                    for i, v in similarity.items()
                    if (part := charter_index.docs[i].part) is not None and part.is_charter
                },
                charter_index,
                charter_hits,
                share=WORDS_SHARE,
                floor=0.0,
                boost=boost,
            )
        readings = [
            (
                Reading("about", "about", r.score)
                if ruled is None or ruled.doc.part is None
                else Reading(
                    "charter",
                    ruled.doc.part.source,
                    r.score,
                    version=version,
                    part=ruled.doc.part,
                    hits=(ruled,),
                    subject=r.subject,
                    detail="closest",
                )
            )
            if r.intent == "charter" and r.part is not None and not r.part.is_charter
            else r
            for r in readings
        ]
    # A paragraph holding most of the question's words answers it better than a list that
    # ignores them (the open polls, the proposals, « which person? ») — not than the list
    # asked for by name.
    if (restated is not None or rule_found) and not (
        found.people or found.places or found.departement
    ):
        charter_score = scores["charter"]
        asked_list = f"{listing}:list" if listing is not None else None
        readings = [
            dataclasses.replace(r, score=min(r.score, charter_score * GENERIC_CAP))
            if r.source in GENERIC_SOURCES and r.detail != "own-referent" and r.source != asked_list
            else r
            for r in readings
        ]
    readings.sort(key=lambda r: -r.score)
    if not readings or readings[0].score < THRESHOLD:
        readings.insert(0, Reading("out_of_scope", None, THRESHOLD))
    return Understanding(language=language, tokens=tuple(tokens), readings=tuple(readings))


def _form(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    return re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + "$", re.IGNORECASE)


#: The questions the ask-back buttons re-ask (« Élus du domaine … », « Proposal number 13 »), in
#: both languages; not « Comment … ? », which élus write too.
ASK_BACK_FORMS = tuple(
    _form(text)
    for key, texts in CATALOG.items()
    if key.startswith("assistant.q.") and key != "assistant.q.tache"
    for text in texts.values()
)


def _sure(nearest: float) -> float:
    """How much the examples' vote counts: fully when the nearest example is close
    (``NEAR_HIGH``), not at all when none is (``NEAR_LOW``)."""
    return min(1.0, max(0.0, (nearest - NEAR_LOW) / (NEAR_HIGH - NEAR_LOW)))


def _topic_boost(question: str, known: Knowledge, version: int) -> dict[int, float]:
    """What the nearest charter example questions were about, as a raise of each paragraph
    of the part standing for it (``TOPIC_SHARE`` for a unanimous vote): « notre SCIC vit de
    subventions, de ventes et de bénévolat, c'est conforme ? » is about the mix of resources,
    as the questions closest to it were, though its words match no paragraph."""
    parts: dict[int, float] = {}
    for topic, share in meaning.examples().topics(meaning.vector(question)).items():
        part = known.charter_topic(version, topic)
        if part is not None:
            parts[part.index] = parts.get(part.index, 0.0) + share
    docs = known.charter_index[version].docs
    return {
        i: TOPIC_SHARE * parts[doc.part.index]
        for i, doc in enumerate(docs)
        if doc.part is not None and doc.part.index in parts
    }


@functools.lru_cache(maxsize=4)
def _topic_words(space: meaning.ExampleSpace) -> frozenset[str]:
    """The keys of the words of the charter example questions (each also as translated from
    English): the subjects élus asked the charter about."""
    result: set[str] = set()
    for example in space.examples:
        if example.topic:
            tokens = w.raw_tokens(example.text)
            result.update(w.keys(tokens), w.keys(w.translate(tokens)))
    return frozenset(result)


WORD = re.compile(r"\w+(?:[-']\w+)*")


def _in_own_words(
    question: str, tokens: Sequence[str], keyed: Sequence[str], subject: Sequence[str]
) -> str:
    """The subject as the asker wrote it, for the answer to repeat (« bénéfices associations »,
    not the keys « benefic association »): each subject word's own spelling in the question,
    accents and all; a word the question does not hold as such (corrected, translated,
    expanded) as read."""
    wanted = set(subject)
    written: dict[str, str] = {}
    for word in WORD.findall(question):
        for part in re.split(r"[-']", word) if "'" in word else (word,):
            written.setdefault(w.fold(part), part)
    shown: list[str] = []
    for token, k in zip(tokens, keyed, strict=True):
        if k in wanted:
            wanted.discard(k)
            shown.append(written.get(token, token))
    return " ".join(shown)


def _topical(question: str, known: Knowledge, version: int, found: _Entities) -> CharterPart | None:
    """The charter part the question is about by the topic classifier, when it says so with
    ``TOPIC_ALONE`` or more and not « the whole text ». Asked of an earlier version that has
    no such part (« si la charte change, l'ancienne version reste lisible ? »), it is a rule
    only the current version states: its part there."""
    topics = meaning.examples().topics(meaning.vector(question))
    if not topics:
        return None
    # Votes for one passage in either version's words (« Parmi les champs d'action » of version
    # 1, « Article 5 — Champs d'action » of version 2) are votes for the part of the version
    # asked that stands for both.
    shares: dict[tuple[int, int], float] = {}
    parts: dict[tuple[int, int], CharterPart] = {}
    whole = 0.0
    for topic, share in topics.items():
        if topic == WHOLE_TEXT:
            whole += share
            continue
        part = known.charter_topic(version, topic)
        if part is None and found.earlier and found.version is None and version != known.current:
            part = known.charter_topic(known.current, topic)
        if part is not None:
            key = (part.version, part.index)
            shares[key] = shares.get(key, 0.0) + share
            parts[key] = part
    if not shares:
        return None
    best = max(shares, key=shares.__getitem__)
    if shares[best] < TOPIC_ALONE or whole >= shares[best]:
        return None
    return parts[best]


def _closest(
    similarity: dict[int, float],
    index: Retriever,
    hits: Sequence[Hit],
    *,
    share: float,
    floor: float,
    margin: float = 0.0,
    boost: Mapping[int, float] | None = None,
) -> Hit | None:
    """The doc closest to the question by meaning, each doc's cosine raised by its words' BM25
    score relative to the best one's (times ``share``): where meaning hesitates between docs,
    and the words between others, the one both point to — when its score reaches ``floor`` and
    leads the next one's by ``margin``."""
    if not similarity:
        return None
    words: dict[int, float] = {}
    top = max((h.score for h in hits), default=0.0)
    if top > 0:
        for h in hits:
            words[index.position(h.doc)] = h.score / top
    fused = {i: s + share * words.get(i, 0.0) for i, s in similarity.items()}
    # Whether anything is close enough is the question's own matter (its meaning and words);
    # the examples' vote (``boost``) only says which of the docs it is.
    if max(fused.values()) < floor:
        return None
    if boost:
        fused = {i: s + boost.get(i, 0.0) for i, s in fused.items()}
    ranked = sorted(fused, key=lambda key: -fused[key])
    best = ranked[0]
    second = fused[ranked[1]] if len(ranked) > 1 else 0.0
    if fused[best] - second < margin:
        return None
    return Hit(index.docs[best], similarity[best], 0.0)


def _numbered_reading(
    kind: str,
    number: int | None,
    hits: Sequence[Hit],
    topic: Sequence[str],
    score: float,
    closest: Hit | None = None,
) -> Reading:
    """A decision or a proposal: the one its number names, else the best passage about the topic
    when it covers at least half of it, else the closest in meaning, else the list (a little
    less sure)."""
    if number is not None:
        return Reading(kind, f"{kind}:{number}", score, number=number)
    if topic and hits and hits[0].coverage >= 0.5:
        best = hits[0]
        return Reading(
            kind,
            best.doc.source,
            score,
            number=best.doc.number,
            hits=tuple(hits),
            subject=" ".join(topic),
        )
    if closest is not None:
        return Reading(
            kind,
            closest.doc.source,
            score * 0.95,
            number=closest.doc.number,
            hits=(closest,),
            subject=" ".join(topic),
            detail="closest",
        )
    return Reading(kind, f"{kind}:list", score * 0.95, subject=" ".join(topic))


def _target(
    intent: str,
    score: float,
    found: _Entities,
    known: Knowledge,
    version: int,
    subject: list[str],
    topic: list[str],
    charter_hits: list[Hit],
    heading: CharterPart | None,
    decision_hits: list[Hit],
    proposal_hits: list[Hit],
    tasks: list[tuple[float, str]],
    tokens: Sequence[str],
    poll_hits: list[Hit],
    cites_charter: bool = False,
    meant: Hit | None = None,
    closest_numbered: dict[str, Hit | None] | None = None,
    topical: CharterPart | None = None,
    said: str = "",
) -> Reading | None:
    closest_numbered = closest_numbered or {}
    words = said or " ".join(subject)
    if intent in ("charter", "article"):
        doc = known.charters[version]
        if found.article is not None:
            part = doc.article(found.article)
            if part is None:
                # An article number the asked version lacks: the latest version that has it.
                for other in sorted(known.charters, reverse=True):
                    part = known.charters[other].article(found.article)
                    if part is not None:
                        break
            if part is None:
                return Reading(
                    "article",
                    f"charter:v{version}",
                    score,
                    version=version,
                    number=found.article,
                    detail="missing-article",
                )
            return Reading(
                "article", part.source, score, version=part.version, part=part, number=found.article
            )
        if found.whole and intent == "charter":
            return Reading("charter", f"charter:v{version}", score, version=version)
        if intent == "article":
            if heading is not None and heading.article is not None:
                return Reading("article", heading.source, score, version=version, part=heading)
            return None
        if heading is not None:
            return Reading(
                "charter", heading.source, score, version=version, part=heading, subject=words
            )
        if subject and charter_hits and charter_hits[0].coverage >= 0.5:
            best = charter_hits[0]
            good = tuple(h for h in charter_hits if h.coverage >= best.coverage * 0.75)
            if meant is not None and meant.doc.part != best.doc.part:
                best = meant
                good = tuple(h for h in charter_hits if h.doc.part == meant.doc.part) or (meant,)
            assert best.doc.part is not None
            return Reading(
                "charter",
                best.doc.part.source,
                score,
                version=version,
                part=best.doc.part,
                hits=good,
                subject=words,
            )
        # Words found nothing, meaning found a paragraph; or, asked what the charter says (« la
        # charte dit quoi sur la rentabilité, on doit faire du bénéfice ? »), the paragraph the
        # words found best: the closest (said to be the closest) before nothing.
        closest = meant
        if closest is None and cites_charter and charter_hits and charter_hits[0].coverage >= 0.25:
            closest = charter_hits[0]
        if subject and closest is not None and closest.doc.part is not None:
            return Reading(
                "charter",
                closest.doc.part.source,
                score * 0.9,
                version=version,
                part=closest.doc.part,
                hits=(closest,),
                subject=words,
                detail="closest",
            )
        # Nothing found, or nothing named: the part the example questions closest to it were
        # about, when they agree, before nothing or the whole text — unless a version is all
        # it names (« quelle est la version actuelle de la charte ? »): that version's text.
        names_version = found.version is not None or bool(LATEST & set(tokens))
        if topical is not None and (subject or not names_version):
            return Reading(
                "charter",
                topical.source,
                score * 0.9,
                version=topical.version,
                part=topical,
                subject=words,
                detail="closest" if subject else "topic",
            )
        if subject:
            return Reading(
                "charter",
                f"charter:v{version}",
                score * 0.9,
                version=version,
                subject=words,
                detail="nothing-found",
            )
        return Reading("charter", f"charter:v{version}", score, version=version)
    if intent == "about":
        return Reading("about", "about", score)
    if intent == "social":
        thanks = {"merci", "thanks", "thank", "remercie", "bravo"} & set(tokens)
        bye = {"revoir", "bye", "goodbye", "ciao"} & set(tokens)
        return Reading(
            "social", None, score, detail="thanks" if thanks else "bye" if bye else "hello"
        )
    if intent == "howto":
        if not tasks:
            return Reading("howto", None, score * 0.8, detail="general")
        return Reading("howto", f"howto:{tasks[0][1]}", score, task=tasks[0][1])
    if intent == "decision":
        number = found.decision or (found.poll if found.poll in known.decision_numbers else None)
        return _numbered_reading(
            "decision", number, decision_hits, topic, score, closest_numbered.get("decision")
        )
    if intent == "proposal":
        return _numbered_reading(
            "proposal",
            found.proposal,
            proposal_hits,
            topic,
            score,
            closest_numbered.get("proposal"),
        )
    if intent == "poll":
        if found.poll is not None and found.poll in known.open_poll_numbers:
            return Reading("poll", f"poll:{found.poll}", score, number=found.poll)
        if topic and poll_hits and poll_hits[0].coverage >= 0.5:
            best = poll_hits[0]
            return Reading("poll", best.doc.source, score, number=best.doc.number)
        return Reading("poll", "poll:open", score)
    if intent == "contact":
        referent = K["referent"] in w.keys(tokens)
        if _own_referent(tokens) and not (found.people or found.places):
            # « qui est mon référent ? »: the référent of the asker's collectivité, whom the
            # service knows.
            return Reading("contact", None, score, referent=True, detail="own-referent")
        if found.people:
            ids = tuple(p.elu_id for p in found.people)
            return Reading("contact", f"member:{ids[0]}", score, elu_ids=ids)
        if found.places:
            place = found.places[0]
            if referent:
                referents = [
                    p.elu_id for p in known.people if p.is_referent and p.collectivite_id == place
                ]
                if referents:
                    return Reading(
                        "contact",
                        f"member:{referents[0]}",
                        score,
                        elu_ids=tuple(referents),
                        collectivite_id=place,
                        referent=True,
                    )
            return Reading(
                "contact", f"collectivite:{place}", score, collectivite_id=place, referent=referent
            )
        if found.departement:
            return Reading(
                "contact",
                f"departement:{found.departement}",
                score,
                departement=found.departement,
                referent=referent,
            )
        if found.fields:
            return Reading(
                "contact",
                f"field:{found.fields[0]}",
                score,
                field_id=found.fields[0],
                referent=referent,
            )
        return Reading("contact", None, score * 0.6, detail="which")
    return None
