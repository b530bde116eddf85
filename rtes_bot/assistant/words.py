"""Words of a question as the assistant reads them: folded, SMS spellings expanded, contractions
split (« larticle » → « l article »), typos mended against a vocabulary, and reduced to a key
(the lemma from ``simplemma``, folded, plural and feminine endings dropped) so that « votes »,
« voté » and « voter », or « décisions » and « decision », meet. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import simplemma
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from rtes_bot.text import fold

_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@everyone|@here")
_TOKEN = re.compile(r"[a-z0-9]+")
_GLUED_ARTICLE = re.compile(r"^(?:art|article)(\d{1,2})$")
_ORDINAL = re.compile(r"^(\d+)(?:er|ere|e|eme|nd|nde|st|th|rd)$")

#: SMS and chat spellings (folded) → what they stand for.
SMS: dict[str, str] = {
    "c": "c est",
    "ce": "ce",
    "cest": "c est",
    "koi": "quoi",
    "corum": "quorum",
    "kwa": "quoi",
    "koa": "quoi",
    "kel": "quel",
    "kelle": "quelle",
    "kels": "quels",
    "kelles": "quelles",
    "ki": "qui",
    "ke": "que",
    "keske": "qu est ce que",
    "kesk": "qu est ce que",
    "kesako": "qu est ce que c est",
    "kan": "quand",
    "qd": "quand",
    "koman": "comment",
    "komen": "comment",
    "kom": "comment",
    "cmt": "comment",
    "cmnt": "comment",
    "comt": "comment",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "stp": "",
    "svp": "",
    "plz": "",
    "pls": "",
    "jvx": "je veux",
    "jveux": "je veux",
    "jv": "je veux",
    "jpx": "je peux",
    "jpeux": "je peux",
    "jpe": "je peux",
    "jsuis": "je suis",
    "jai": "j ai",
    "eco": "economie",
    "vp": "vice president",
    "modif": "modification",
    "modifs": "modification",
    "perso": "personnelles",
    "benef": "benefice",
    "benefs": "benefices",
    "asso": "association",
    "assos": "associations",
    "jaimerais": "j aimerais",
    "jvoudrais": "je voudrais",
    "chui": "je suis",
    "jsp": "je ne sais pas",
    "g": "j ai",
    "ya": "il y a",
    "yatil": "y a t il",
    "tt": "tout",
    "ds": "dans",
    "vs": "vous",
    "pr": "pour",
    "ptet": "peut etre",
    "qqn": "quelqu un",
    "qqun": "quelqu un",
    "qq": "quelque",
    "bjr": "bonjour",
    "bjour": "bonjour",
    "bsr": "bonsoir",
    "slt": "salut",
    "cc": "coucou",
    "mrc": "merci",
    "mci": "merci",
    "mercii": "merci",
    "thx": "thanks",
    "thks": "thanks",
    "ty": "thanks",
    "tel": "telephone",
    "tels": "telephone",
    "tph": "telephone",
    "num": "numero",
    "no": "no",
    "mail": "email",
    "mails": "email",
    "courriel": "email",
    "mel": "email",
    "dc": "donc",
    "bcp": "beaucoup",
    "pcq": "parce que",
    "pck": "parce que",
    "fo": "faut",
    "art": "article",
    "arts": "articles",
    "prop": "proposition",
    "props": "propositions",
    "propal": "proposition",
    "propo": "proposition",
    "propos": "propos",
    "scrut": "scrutin",
    "decis": "decision",
    "procu": "procuration",
    "procus": "procuration",
    "ag": "assemblee generale",
    "visio": "visioconference",
    "wat": "what",
    "wht": "what",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pl": "",
}

#: English phrases → the French words of the charter, the fields of action and the decisions.
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
    ("social and solidarity economy", "economie sociale solidaire"),
    ("personal data", "donnees personnelles"),
    ("school canteens", "cantines scolaires"),
    ("canteens", "cantines"),
    ("canteen", "cantine"),
    ("governance", "gouvernance"),
    ("membership", "adhesion"),
    ("environment", "environnement"),
    ("environmental", "environnement"),
    ("health", "sante"),
    ("solidarity", "solidarite"),
    ("democracy", "democratie"),
    ("citizens", "citoyens"),
    ("citizen", "citoyen"),
    ("partnership", "partenariat"),
    ("partnerships", "partenariat"),
    ("wealth", "richesse"),
    ("networking", "mise reseau"),
    ("territories", "territoires"),
    ("territory", "territoire"),
    ("cooperation", "cooperation"),
    ("purpose", "objet"),
    ("object", "objet"),
    ("deliberations", "deliberations"),
    ("revision", "revision"),
    ("referents", "referents"),
    ("discrimination", "discriminations"),
    ("local currency", "monnaie locale"),
    ("local currencies", "monnaies locales"),
    ("complementary currency", "monnaie locale"),
    ("national meeting", "rencontres nationales"),
    ("national meetings", "rencontres nationales"),
    ("general assembly", "assemblee generale"),
    ("annual meeting", "assemblee generale"),
    ("participatory budget", "budget participatif"),
    ("participatory budgeting", "budget participatif"),
    ("recycling centres", "ressourceries"),
    ("recycling centre", "ressourcerie"),
    ("recycling centers", "ressourceries"),
    ("recycling center", "ressourcerie"),
    ("home care", "aide domicile"),
    ("cooperatives", "cooperatives"),
    ("grocery store", "epicerie"),
    ("groceries", "epiceries"),
    ("grocery", "epicerie"),
    ("third places", "tiers lieux"),
    ("third place", "tiers lieu"),
    ("public procurement", "marches publics"),
    ("social clauses", "clauses sociales"),
    ("social clause", "clause sociale"),
    ("membership fee", "cotisation"),
    ("membership fees", "cotisation"),
    ("fee", "cotisation"),
    ("fees", "cotisation"),
    ("study day", "journee etude"),
    ("short supply chains", "circuits courts"),
    ("short circuits", "circuits courts"),
    ("rural areas", "zone rurale"),
    ("rural", "rural"),
    ("schools", "ecoles"),
    ("school", "ecole"),
    ("week", "semaine"),
    ("meeting", "rencontre"),
    ("meetings", "rencontres"),
    ("values", "valeurs"),
    ("value", "valeur"),
    ("board", "bureau"),
    ("role", "role"),
    ("secret", "secret"),
    ("lawyer", "juriste"),
    ("clothing", "vetements"),
    ("clothes", "vetements"),
    ("workwear", "vetements travail"),
    ("legal", "juridique"),
    ("observatory", "observatoire"),
    ("regional", "regional"),
    ("european", "europeen"),
    ("towns", "villes"),
    ("cities", "villes"),
    ("fields of action", "champs action"),
    ("directory", "annuaire"),
    ("field of action", "champ action"),
    ("take place", "lieu"),
    ("next", "prochain"),
    ("water", "eau"),
    ("waste", "dechets"),
    ("housing", "logement"),
    ("mobility", "mobilite"),
    ("food", "alimentation"),
    ("energy", "energie"),
    ("culture", "culture"),
    ("employment", "emploi"),
    ("jobs", "emploi"),
    ("training", "formation"),
    ("digital", "numerique"),
    ("drawn by lot", "tires au sort"),
    ("chosen by lot", "tires au sort"),
    ("by lot", "tires au sort"),
    ("councils", "conseils"),
    ("council", "conseil"),
)
#: Ways of saying what a task's own word says (« voter à ma place » is a proxy), both languages.
PARAPHRASES: tuple[tuple[str, str], ...] = (
    ("voter pour moi", "procuration"),
    ("vote pour moi", "procuration"),
    ("voter a ma place", "procuration"),
    ("vote a ma place", "procuration"),
    ("voter en mon nom", "procuration"),
    ("a ma place", "procuration"),
    ("en mon nom", "procuration"),
    ("donner mon vote", "procuration"),
    ("donner ma voix", "procuration"),
    ("confier mon vote", "procuration"),
    ("donne mon vote", "procuration"),
    ("donne ma voix", "procuration"),
    ("confie mon vote", "procuration"),
    ("vote for me", "proxy"),
    ("vote on my behalf", "proxy"),
    ("in my place", "proxy"),
    ("in my stead", "proxy"),
    ("mettre en ligne", "publier"),
    ("mets en ligne", "publier"),
    ("met en ligne", "publier"),
    ("mettez en ligne", "publier"),
    ("came up with", "proposed"),
    ("come up with", "propose"),
    ("hand my vote over", "proxy"),
    ("hand over my vote", "proxy"),
    ("pass my vote", "proxy"),
    ("areas of work", "champs action"),
    ("fields of work", "champs action"),
    ("email address", "adresse electronique"),
    ("who put forward", "who proposed"),
    ("put forward", "propose"),
    ("go through", "adopted"),
    ("went through", "adopted"),
    ("gone through", "adopted"),
    ("qui decide", "qui gouvernance"),
    ("qui dirige", "qui gouvernance"),
    ("who decides", "who gouvernance"),
    ("who runs", "who gouvernance"),
    ("point person", "referent"),
    ("go to person", "referent"),
    ("mettre fin", "cloturer"),
    ("mettre un terme", "cloturer"),
    ("put an end", "close"),
    ("put online", "publish"),
    ("droit a l oubli", "effacer donnees"),
    ("right to be forgotten", "erase data"),
    ("sign up", "register"),
    ("rentrer dans le reseau", "adherer au reseau"),
    ("entrer dans le reseau", "adherer au reseau"),
    # Letters dictated one by one.
    ("e s s", "ess"),
    ("signing up", "registering"),
    ("signed up", "registered"),
    ("who are you", "toi"),
    ("tu sers a quoi", "toi"),
    ("what can you do", "toi"),
    ("what are you for", "toi"),
    ("what are you", "toi"),
    ("qui es tu", "toi"),
    ("t es qui", "toi"),
    ("t qui", "toi"),
    ("sur moi", "mes donnees"),
    ("about me", "my data"),
    ("on me", "my data"),
    ("backed", "supported"),
    ("back a", "support a"),
    ("back the", "support the"),
    ("back this", "support this"),
    ("back my", "support my"),
    ("sait sur moi", "donnees"),
    ("savez sur moi", "donnees"),
    ("know about me", "data"),
    ("knows about me", "data"),
    # Changing one's vote, amending, a collectivité's référent, in other words.
    ("revenir sur mon vote", "changer mon vote"),
    ("revenir dessus", "changer mon vote"),
    ("switch my vote", "change my vote"),
    ("proposer une modification", "amender"),
    ("proposer une modif", "amender"),
    ("suggest a change", "amend"),
    ("suggest changes", "amend"),
    ("qui represente", "qui est le referent de"),
    ("who represents", "who is the referent of"),
    ("interlocuteur du reseau", "referent"),
    ("point of contact", "referent"),
    # A proxy, one's fields, supporting a proposal, joining, in other words; a job title.
    ("hand my vote to", "proxy to"),
    ("je m ajoute", "je choisis mes domaines"),
    ("me rajouter", "choisir mes domaines"),
    ("montrer que je suis d accord avec", "soutenir"),
    ("dire que je suis d accord avec", "soutenir"),
    ("show i agree with", "support"),
    ("sign my town up", "register my town"),
    ("sign my city up", "register my city"),
    ("sign our town up", "register our town"),
    ("sign our city up", "register our city"),
    ("sign my council up", "register my council"),
    ("chargee de mission", "agente"),
    ("charge de mission", "agent"),
    # The network's rules, its spirit, what is frowned upon: what the charter says.
    ("prevu dans les regles", "prevu dans la charte"),
    ("dans les regles", "dans la charte"),
    ("les regles du reseau", "la charte"),
    ("regles du reseau", "charte"),
    ("rules of the network", "charter"),
    ("dans l esprit du reseau", "dans l esprit de la charte"),
    ("in the spirit of the network", "in the spirit of the charter"),
    ("selon les regles", "selon la charte"),
    ("d apres les regles", "d apres la charte"),
    ("d apres nos regles", "d apres la charte"),
    ("nos regles", "notre charte"),
    ("vos regles", "votre charte"),
    ("regles du jeu", "charte"),
    ("network s rules", "charter"),
    ("under the rules", "under the charter"),
    ("according to the rules", "according to the charter"),
    ("do the rules", "does the charter"),
    ("the rules say", "the charter says"),
    # The charter by other names: the network's statutes, its règlement, the text one signs;
    # misheard by dictation (« la charge du réseau »).
    ("la charge du reseau", "la charte du reseau"),
    ("signe la charge", "signe la charte"),
    ("signer la charge", "signer la charte"),
    ("vos statuts", "votre charte"),
    ("nos statuts", "notre charte"),
    ("statuts du reseau", "charte du reseau"),
    ("statuts du rtes", "charte du rtes"),
    ("votre reglement", "votre charte"),
    ("notre reglement", "notre charte"),
    ("reglement du reseau", "charte du reseau"),
    ("reglement du rtes", "charte du rtes"),
    ("version du reglement", "version de la charte"),
    ("texte fondateur", "charte"),
    ("textes fondateurs", "charte"),
    ("textes communs", "charte"),
    ("texte commun", "charte"),
    ("texte que nous avons signe", "charte"),
    ("texte qu on a signe", "charte"),
    ("texte que j ai signe", "charte"),
    ("document qu on nous demande de signer", "charte"),
    ("document a signer", "charte"),
    ("your statutes", "your charter"),
    ("the network s statutes", "the charter"),
    ("your bylaws", "your charter"),
    ("the bylaws", "the charter"),
    ("founding text", "charter"),
    ("the text we signed", "the charter"),
    ("the document we sign", "the charter"),
    ("the document we signed", "the charter"),
    ("mal vu", "contraire a la charte"),
    ("frowned upon", "against the charter"),
    # Opening and closing a poll, in other words.
    ("lance le vote", "ouvre le scrutin"),
    ("lancer le vote", "ouvrir le scrutin"),
    ("lancer un vote", "ouvrir un scrutin"),
    ("lance un vote", "ouvre un scrutin"),
    ("passe au vote", "ouvrir le scrutin"),
    ("passer au vote", "ouvrir le scrutin"),
    ("etre clos", "etre cloture"),
    ("start the vote", "open the poll"),
    ("start a vote", "open a poll"),
    # Hiding one's own details is setting what the directory shows: one's data.
    ("masque mon", "masquer mes donnees"),
    ("masquer mon", "masquer mes donnees"),
    ("cacher mon", "cacher mes donnees"),
    ("cache mon", "cacher mes donnees"),
    ("hide my", "hide my data"),
)


def _phrase_index(
    pairs: Iterable[tuple[str, str]],
) -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Phrases by their first word, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, meant in pairs:
        words = tuple(phrase.split())
        index.setdefault(words[0], []).append((words, tuple(meant.split())))
    return {
        first: tuple(sorted(found, key=lambda pair: -len(pair[0])))
        for first, found in index.items()
    }


def _lexicon() -> dict[str, dict[str, str]]:
    with LEXICON_FILE.open("rb") as file:
        return {table: dict(entries) for table, entries in tomllib.load(file).items()}


#: The domain's lexicon (data, not code): English words and phrases for the French words of
#: the texts (the charter, decisions, tasks, local government, voting, the social and
#: solidarity economy).
LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
LEXICON = _lexicon()
#: English entries that are not also French words (« vote », « support », « action » stay).
ENGLISH_LEXICON = tuple(
    (english, french)
    for english, french in LEXICON["english"].items()
    if " " in english or not simplemma.is_known(english, lang="fr")
)
_ALWAYS = _phrase_index((*GLOSSARY, *PARAPHRASES))
_ENGLISH = _phrase_index((*GLOSSARY, *PARAPHRASES, *ENGLISH_LEXICON))
#: Every word of the lexicon and glossaries, for the speller's vocabulary.
LEXICON_WORDS = frozenset(
    word
    for phrase, meant in (*GLOSSARY, *PARAPHRASES, *ENGLISH_LEXICON)
    for word in (*phrase.split(), *meant.split())
)


def translate(tokens: Sequence[str], *, english: bool = True) -> list[str]:
    """Topic phrases replaced by the texts' French words, longest phrases first: the
    glossary's always; the English lexicon's when the question is in English (``english``),
    so that a French word spelt like an English one stays."""
    index_of = _ENGLISH if english else _ALWAYS
    result: list[str] = []
    index = 0
    while index < len(tokens):
        for phrase, meant in index_of.get(tokens[index], ()):
            if tuple(tokens[index : index + len(phrase)]) == phrase:
                result.extend(meant)
                index += len(phrase)
                break
        else:
            result.append(tokens[index])
            index += 1
    return result


#: Verbs and the nouns texts use for them (« adhérer » → « adhésion »): both are searched.
DERIVED: dict[str, tuple[str, ...]] = {
    "adherer": ("adhesion",),
    "join": ("adhesion",),
    "signer": ("signature",),
    "deposer": ("depot", "proposition"),
    "reviser": ("revision",),
    "revise": ("revision",),
    "revised": ("revision",),
    "modifiee": ("modification",),
    "voter": ("vote",),
    "decider": ("decision",),
    "deliberer": ("deliberation",),
    "gouverner": ("gouvernance",),
    "diriger": ("gouvernance",),
    "proteger": ("protection",),
    "cooperer": ("cooperation",),
    "participer": ("participation",),
    "partager": ("partage",),
    "representer": ("representation",),
    "solidarite": ("solidaire",),
    "solidaire": ("solidarite",),
}


#: Everyday words (both languages) and the words the texts use for the same thing: searched
#: together, so « les votes sont-ils anonymes ? » finds « Le scrutin est secret » and « my
#: contact details » finds « L'adresse électronique et le téléphone ». Written for the domain
#: (how a network of élus is run), not for given questions.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("anonyme anonymes anonymat confidentiel confidentialite anonymous anonymity confidential "
     "public publique", "secret"),
    ("coordonnees coordonnee joignable details", "adresse electronique telephone"),
    ("visible visibles apparaitre apparait affiche affichee affiches shown appear appears "
     "masque masquer cache cacher hidden hide", "apparaissent consentement"),
    ("email mail courriel", "adresse electronique"),
    ("resigner resigne resignent resign", "signer signataires nouveau"),
    ("modifiee modification amended modified", "reviser revisee revision"),
    ("poids pese preponderant decisive deciding casting", "voix preponderante"),
    ("themes theme thematiques thematique sujets secteurs domaines domaine topics themes "
     "areas", "champs action"),
    ("valide valident validates validate admet admis admits", "valider validee"),
    ("inscrire inscrit inscription rejoindre rejoint join joins register registration "
     "entrer rentrer", "adherer adhesion"),
    ("representant representante representants correspondant representative contact",
     "referent interlocuteur"),
    ("staff equipe admins administrateurs administrateur direction moderateurs moderateur "
     "admin team", "bureau"),
    ("infos informations information data", "donnees"),
    ("supprimer suppression delete erase oublier forget", "effacer"),
    ("telecharger download copie copy", "exporter"),
    ("partage partager partages mutualise mutualiser commun shared pooled", "mutualiser"),
    ("juridique avocat lawyer legal", "juriste"),
    ("rentabilite rentable benefice benefices lucratif lucrative profits profitable argent "
     "money", "profit"),
    ("arrivants newcomers", "adhesions adherer"),
    ("prefecture prefet prefets", "etat"),
    ("boites boite entreprises entreprise companies company businesses", "acteurs socio "
     "economiques"),
    ("portable mobile cellulaire", "telephone"),
    ("minimum minimal seuil", "quorum"),
    ("disparaissent disparaitre supprimees effacees", "consultables anterieures"),
    ("auteur porteur author proposer", "auteur"),
    ("recompter recomptage recount verifier verify check", "recompter"),
    ("proxy mandat mandataire", "procuration"),
    ("votants electeurs voters electorate", "votants"),
    ("delai deadline limite", "cloture"),
    ("villes ville communes towns town cities city", "communes"),
    ("regions departements intercommunalites counties", "regions departements "
     "intercommunalites"),
    ("engagement engagements engager commitments commit promise", "valeurs partagent"),
    ("gouverne gouverner dirige diriger runs governed", "gouvernance"),
    ("associee associees associate associated", "associee"),
    ("ancien ancienne former", "ancienne"),
    ("amendements amendement amendment amendments", "amender amendement"),
)  # fmt: skip


@lru_cache(maxsize=1)
def _synonym_forms() -> dict[str, tuple[str, ...]]:
    """Each everyday word's key → the texts' words for it (built once, on first use: ``key``
    is defined below)."""
    result: dict[str, tuple[str, ...]] = {}
    for words, meant in SYNONYMS:
        for word in words.split():
            known = result.get(key(word), ())
            result[key(word)] = tuple(dict.fromkeys([*known, *meant.split()]))
    return result


def forms(tokens: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each word's key → the keys of its other forms (the nouns of verbs, the texts' words for
    the same thing), for searching."""
    synonyms = _synonym_forms()
    result: dict[str, tuple[str, ...]] = {}
    for token in tokens:
        k = key(token)
        others = [*DERIVED.get(token, ()), *synonyms.get(k, ())]
        alternatives = tuple(dict.fromkeys(key(o) for o in others if key(o) != k))
        if alternatives:
            result[k] = alternatives
    return result


#: French elisions glued to the next word when the apostrophe is missing (« larticle »).
ELISIONS = ("qu", "l", "d", "j", "m", "t", "s", "n", "c")

#: Words that carry no meaning for any reading (kept out of retrieval and entity matching).
STOPWORDS = frozenset(
    """a ai as au aux avec ce ces cet cette ceux d de des du elle elles en est et etre eu il ils
    je j l la le les leur leurs lui ma me mes mon ne n nous on ou par pas pour qu que qui quoi
    quel quelle quels quelles s sa se ses son sont sur t ta te tes toi ton tu un une vos votre
    vous y dans chez c ca cela ceci celui celle mais si donc or ni car tout tous toute toutes
    est-ce avoir fait faire peut plus moins tres bien aussi alors dont lequel laquelle
    ont ete etait etaient sera seront aura auront avait avaient fut sommes etes suis es
    sans avec selon
    the a an of and or in on at to for is are be been do does did can could would should will
    there this that these those i me my you your we our us it its with from by as about any some
    what which who whom whose how when where why please tell me show give get was were has have
    had am
    encore deja toujours maintenant aussi so much far each all any anything something now
    being haven hasn didn don doesn isn aren wasn won t s ve ll re d m done yet still ever just
    only also else then than into onto out up down over here very really right going go got
    let make made their them they his her entre between nos notre ici""".split()
)


def clean_question(question: str) -> str:
    """Mentions and pings out, folded (accents, case), apostrophes and punctuation as spaces."""
    return fold(_MENTION.sub(" ", question))


def raw_tokens(question: str) -> list[str]:
    """Folded tokens with SMS spellings expanded and ordinals read (« 3e » → « 3 »)."""
    result: list[str] = []
    found = _TOKEN.findall(clean_question(question))
    for index, token in enumerate(found):
        if token == "c" and index + 1 < len(found) and found[index + 1] in ("est", "etait"):
            result.append(token)  # « c'est »: already whole
            continue
        ordinal = _ORDINAL.match(token)
        if ordinal:
            result.append(ordinal.group(1))
            continue
        if token.startswith("n") and token[1:].isdigit() and len(token) > 1:  # « n3 », « n°3 »
            result.extend(("numero", token[1:]))
            continue
        glued = _GLUED_ARTICLE.match(token)  # « art10 », « article3 »
        if glued:
            result.extend(("article", glued.group(1)))
            continue
        if token.startswith("v") and token[1:].isdigit() and len(token) > 1:  # « v2 »
            result.extend(("version", token[1:]))
            continue
        expanded = SMS.get(token, token)
        result.extend(expanded.split())
    return result


@functools.lru_cache(maxsize=8192)
def name_tokens(text: str) -> tuple[str, ...]:
    """:func:`raw_tokens` of a name or heading the knowledge holds (a collectivité, a
    département, a person, a field, a charter part), read once rather than for every question."""
    return tuple(raw_tokens(text))


def join_splits(tokens: Sequence[str], vocabulary: frozenset[str]) -> list[str]:
    """« lartic le », « sub ventions », « an nuaire » → one word, as dictation splits them: two
    neighbours joined when together they are a known word (or one with its elision, « l'article
    ») and one of them is no word on its own (« ou vert » stays two words)."""
    result: list[str] = []
    index = 0
    while index < len(tokens):
        first = tokens[index]
        second = tokens[index + 1] if index + 1 < len(tokens) else ""
        joined = first + second
        if (
            second
            and first.isalpha()
            and second.isalpha()
            and len(joined) >= 6
            and (not _is_word(first) or not _is_word(second))
            and (joined in vocabulary or _elided(joined, vocabulary) is not None)
        ):
            result.append(joined)
            index += 2
            continue
        result.append(first)
        index += 1
    return result


def _elided(token: str, vocabulary: frozenset[str]) -> tuple[str, str] | None:
    """``token`` as an elision glued to a known word of three letters or more (« larticle » →
    « l », « article »), if it is one."""
    for prefix in ELISIONS:
        rest = token[len(prefix) :]
        if token.startswith(prefix) and len(rest) >= 3 and rest in vocabulary:
            return prefix, rest
    return None


def split_elisions(tokens: Sequence[str], vocabulary: frozenset[str]) -> list[str]:
    """« larticle » → « l article » when the rest is a known word and the whole is not."""
    result: list[str] = []
    for token in tokens:
        elided = (
            _elided(token, vocabulary)
            if token not in vocabulary
            and len(token) >= 4
            and not token.isdigit()
            and not simplemma.is_known(token, lang="en")  # « many » is no « m any »
            else None
        )
        result.extend(elided or (token,))
    return result


def light_stem(word: str) -> str:
    """Plural and feminine endings dropped (« solidaires » → « solidair », « referente » →
    « referent »), so folded variants meet whatever the lemmatiser made of them."""
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def key(word: str) -> str:
    """The form words are compared by: lemma (French first, then English), folded, stemmed."""
    if word.isdigit() or len(word) <= 2:
        return word
    lemma = fold(simplemma.lemmatize(word, lang=("fr", "en")))
    if not simplemma.is_known(word, lang="fr"):
        lemma = reaccented_lemma(word) or lemma
    return light_stem(lemma if _TOKEN.fullmatch(lemma) else word)


#: The accented letters a folded French word may have lost.
_ACCENTS = {"e": "eéèê", "a": "aàâ", "i": "iî", "o": "oô", "u": "uùû", "c": "cç"}
#: At most this many spellings are tried for one word.
_MOST_SPELLINGS = 256


@lru_cache(maxsize=100_000)
def reaccented_lemma(word: str) -> str | None:
    """The lemma of a French word typed without its accents (« adhere » → « adhérer »,
    « deleguer » → « déléguer »), when its accented spellings the dictionary knows agree on
    one (or one of them is itself a lemma)."""
    spellings = [""]
    for letter in word:
        spellings = [
            start + option for start in spellings for option in _ACCENTS.get(letter, letter)
        ]
        if len(spellings) > _MOST_SPELLINGS:
            return None
    lemmas: set[str] = set()
    for spelling in spellings[1:]:  # the first is the word itself
        if simplemma.is_known(spelling, lang="fr"):
            found = simplemma.lemmatize(spelling, lang="fr")
            if found == spelling:
                return fold(found)
            lemmas.add(fold(found))
    return lemmas.pop() if len(lemmas) == 1 else None


def keys(words: Iterable[str]) -> list[str]:
    return [key(word) for word in words]


@lru_cache(maxsize=100_000)
def _is_word(word: str) -> bool:
    """A real French or English word (the lemmatiser's dictionaries know it): not a typo."""
    return bool(simplemma.is_known(word, lang="fr") or simplemma.is_known(word, lang="en"))


#: How many letters a typo changes at most (one in a word of five letters or fewer: « trop »
#: is not « trompé »).
MAX_TYPO_EDITS = 2


#: How long a name must be for a one-letter slip to be mended even from a dictionary word.
NAME_TYPO_LENGTH = 7


class Speller:
    """Mends typos against a vocabulary of folded words (cue words, the charter's words, names,
    places, titles): an unknown word of four letters or more becomes the closest known word when
    they are close enough. Built once per vocabulary; corrections are remembered."""

    def __init__(self, vocabulary: Iterable[str], names: Iterable[str] = ()) -> None:
        """``names``: the network's own long names (places, people), mended to even from a
        dictionary word one letter away (« montpelier », an American town, is Montpellier)."""
        self.vocabulary = frozenset(w for w in vocabulary if w)
        self._names: dict[str, list[str]] = {}
        for name in names:
            if len(name) >= NAME_TYPO_LENGTH:
                self._names.setdefault(name[0], []).append(name)
        self._by_initial: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) >= 3 and not word.isdigit():
                self._by_initial.setdefault(word[0], []).append(word)
        self._memo: dict[str, str] = {}

    def correct(self, word: str) -> str:
        if word in self.vocabulary or len(word) < 4 or word.isdigit():
            return word
        found = self._memo.get(word)
        if found is None:
            found = self._mended(word)
            if len(self._memo) < 50_000:
                self._memo[word] = found
        return found

    def _mended(self, word: str) -> str:
        if len(word) >= NAME_TYPO_LENGTH:
            for name in self._names.get(word[0], ()):
                if Levenshtein.distance(word, name) == 1:
                    return name
        if _is_word(word):
            return word
        # Typos rarely touch the first letter; a second pass over everything catches the rest.
        cutoff = 80
        best = process.extractOne(
            word, self._by_initial.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=cutoff
        )
        # A typo is a slip of one or two letters; a word further away is another word
        # (« concrètement » is not « consentement »).
        return (
            best[0]
            if best is not None
            and Levenshtein.distance(word, best[0]) <= (1 if len(word) <= 5 else MAX_TYPO_EDITS)
            else word
        )

    def tokens(self, question: str, *, english_phrases: bool = True) -> list[str]:
        """The question's folded tokens: SMS expanded, contractions split, typos mended, and
        (``english_phrases``) English topic phrases in the texts' French."""
        joined = join_splits(raw_tokens(question), self.vocabulary)
        split = split_elisions(joined, self.vocabulary)
        mended = [self.correct(token) for token in split]
        return translate(mended) if english_phrases else mended


#: Numbers and ordinals written in words (folded), French and English.
NUMBER_WORDS: dict[str, int] = {
    word: number
    for number, spellings in enumerate(
        (
            "",
            "un une premier premiere one first",
            "deux deuxieme second seconde two",
            "trois troisieme three third",
            "quatre quatrieme four fourth",
            "cinq cinquieme five fifth",
            "six sixieme sixth",
            "sept septieme seven seventh",
            "huit huitieme eight eighth",
            "neuf neuvieme nine ninth",
            "dix dixieme ten tenth",
            "onze onzieme eleven eleventh",
            "douze douzieme twelve twelfth",
            "treize treizieme thirteen thirteenth",
            "quatorze quatorzieme fourteen fourteenth",
            "quinze quinzieme fifteen fifteenth",
            "seize seizieme sixteen sixteenth",
            "seventeen seventeenth",
            "eighteen eighteenth",
            "nineteen nineteenth",
            "vingt vingtieme twenty twentieth",
        )
    )
    for word in spellings.split()
} | {
    word: number
    for number, spellings in (
        (30, "trente trentieme thirty thirtieth"),
        (40, "quarante quarantieme forty fortieth"),
        (50, "cinquante cinquantieme fifty fiftieth"),
        (60, "soixante soixantieme sixty sixtieth"),
    )
    for word in spellings.split()
}
#: Tens that a unit follows (« vingt-deux », « twenty-one »; « dix-sept »).
_TENS = frozenset({10, 20, 30, 40, 50, 60})
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def number_in(tokens: Sequence[str], index: int, *, roman: bool = False) -> int | None:
    """The number written from ``tokens[index]`` on, a compound in words included (« dix
    sept », « vingt et un », « twenty two », dictated or hyphenated and split): 17, 21, 22."""
    number = number_of(tokens[index], roman=roman)
    if number is None or tokens[index] not in NUMBER_WORDS or number not in _TENS:
        return number
    rest = tokens[index + 1 : index + 3]
    if rest[:1] in (["et"], ["and"]):
        rest = rest[1:]
    unit = NUMBER_WORDS.get(rest[0]) if rest else None
    if unit is not None and 1 <= unit <= 9 and rest[0] not in ORDINAL_ONLY:
        return number + unit
    return number


#: Words that are ordinals only (« premier », « first »): no unit of a compound.
ORDINAL_ONLY = frozenset("premier premiere first second seconde".split())


def number_of(token: str, *, roman: bool = False) -> int | None:
    """The number a token writes: digits, a number or ordinal in words (« dix », « sixième »,
    « five »), and with ``roman`` a roman numeral (« III », « x »)."""
    if token.isdigit() and len(token) <= 6:
        return int(token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if roman and token and _ROMAN.match(token):
        total = 0
        for index, letter in enumerate(token):
            value = _ROMAN_VALUES[letter]
            following = _ROMAN_VALUES[token[index + 1]] if index + 1 < len(token) else 0
            total += -value if value < following else value
        return total
    return None


def content(tokens: Iterable[str]) -> list[str]:
    """Tokens that mean something (stopwords out)."""
    return [t for t in tokens if t not in STOPWORDS]
