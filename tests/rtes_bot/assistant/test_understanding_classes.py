"""The classes of question the blind sets of 2026-12-06 found missing (issue 11): each test
would fail without the rule it names. A small known world of its own, with a charter whose
articles say what élus ask about in their own words."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from rtes_bot import charter_text
from rtes_bot.assistant import language, words
from rtes_bot.assistant import understanding as u
from rtes_bot.assistant.knowledge import Doc, FieldRef, Knowledge, PersonRef, PlaceRef, charter_doc
from rtes_bot.assistant.understanding import CUE_WORDS, understand
from rtes_bot.services.charter import default_text
from tests.support.assistant_network import charter_v2_text

V2 = """# Réseau des Territoires

Le réseau est le lieu de rencontre des collectivités locales engagées dans l'économie
solidaire : communes, intercommunalités, départements, régions et pays.

## Charte

## Article 4 — Gouvernance

Le bureau anime le réseau entre deux votes : il valide les adhésions et ouvre et clôt les
scrutins. Ses membres n'ont pas de voix prépondérante.

## Article 5 — Champs d'action

Chaque élu choisit les champs d'action dans lesquels il s'investit.

## Article 6 — Adhésion

Une collectivité est adhérente, associée ou ancienne membre ; seules les collectivités
adhérentes prennent part aux votes par collectivité.

## Article 7 — Référents des collectivités

Chaque collectivité adhérente désigne parmi ses élus membres un référent, et un seul.

## Article 8 — Délibérations et décisions

Le scrutin est secret sauf décision contraire ; chacun peut changer son vote jusqu'à la
clôture et peut donner une procuration à un autre votant. Un quorum peut être exigé.

## Article 9 — Annuaire et données personnelles

L'adresse électronique et le téléphone d'un membre n'apparaissent qu'avec son consentement.

## Article 10 — Révision de la charte

La charte peut être révisée ; les signataires de la version précédente sont invités à la
signer à nouveau.
"""


def world() -> Knowledge:
    """The classes' known world (also the meaning tests')."""
    return Knowledge(
        charters={
            1: charter_doc(1, charter_text.parts(default_text())),
            2: charter_doc(2, charter_text.parts(V2)),
        },
        current=2,
        decisions=[
            Doc("decision:7", "Tiers-lieux en zone rurale", "Ouvrir des tiers-lieux.", number=7),
            Doc("decision:9", "Mutualiser un juriste pour les petites communes", "", number=9),
        ],
        proposals=[
            Doc("proposal:3", "Tiers-lieux en zone rurale", "Ouvrir des tiers-lieux.", number=3)
        ],
        poll_numbers=frozenset({7, 9, 11}),
        open_poll_numbers=frozenset({11}),
        people=[
            PersonRef(1, "Anne Dupont", 10, False, mandate="Adjointe à l'économie solidaire"),
            PersonRef(
                2, "Karim Benali", 10, True, mandate="Conseiller délégué aux circuits courts"
            ),
            PersonRef(3, "Bruno Leroy", 11, True, mandate="Vice-président aux finances"),
            PersonRef(5, "Isabelle Roux", 11, False, mandate="Adjointe à l'économie circulaire"),
            PersonRef(4, "Pierre Lefebvre", 12, True, mandate="Vice-président à l'insertion"),
        ],
        places=[
            PlaceRef(10, "Lyon", "Rhône", "69123"),
            PlaceRef(11, "Bordeaux", "Gironde", "33063"),
            PlaceRef(12, "Département de la Gironde", "Gironde", "33"),
        ],
        fields=[FieldRef(5, "commerce-equitable", "Commerce équitable, achat éthique")],
        extra_vocabulary=CUE_WORDS,
    )


@pytest.fixture(scope="module")
def known() -> Knowledge:
    return world()


def reading(known: Knowledge, question: str) -> tuple[str, str | None]:
    best = understand(question, known).best
    return best.intent, best.source


def returning(value: object) -> Callable[..., object]:
    """A rule's function switched off: whatever it is asked, ``value``."""
    return lambda *args: value


def read_by_the_rule(
    known: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
    question: str,
    expected: tuple[str, str | None],
    **off: object,
) -> None:
    """``question`` reads as ``expected`` (intent, source), and no longer once the rule is
    switched off (``off``: the understanding module's names and the values that disable it)."""
    assert reading(known, question) == expected
    for name, value in off.items():
        monkeypatch.setattr(u, name, value)
    assert reading(known, question) != expected


def test_a_typo_is_one_or_two_letters_not_another_word() -> None:
    speller = words.Speller(["consentement", "procuration"])
    assert speller.correct("concretement") == "concretement"
    assert speller.correct("procuraton") == "procuration"


def test_a_french_word_without_its_accents_has_its_lemma() -> None:
    assert words.key("adhere") == words.key("adhère") == words.key("adhérer")
    assert words.key("designe") == words.key("désigne")
    assert words.key("deleguer") == words.key("déléguer")


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # Everyday words searched with the texts' words for the same thing.
        ("les votes sont anonymes ?", "charter:v2:article:8"),
        ("mes coordonnées sont visibles par tous ? que prévoit la charte", "charter:v2:article:9"),
        (
            "Am I allowed to keep my email address hidden from other members?",
            "charter:v2:article:9",
        ),
        # A question restating a paragraph, its cue words included.
        ("les votes restent modifiables jusqu'à la clôture ?", "charter:v2:article:8"),
        (
            "une collectivité associée prend part aux votes par collectivité ?",
            "charter:v2:article:6",
        ),
        # What is allowed: the rule, and a heading holding one of the question's words.
        ("can the board cast a deciding vote?", "charter:v2:article:4"),
        ("on peut avoir deux référents pour une même ville ?", "charter:v2:article:7"),
        # Who does a task: the rule, not how to do it.
        ("qui désigne le référent ?", "charter:v2:article:7"),
        # « ancienne » names an earlier charter only next to the charter's name.
        ("une collectivité ancienne membre peut voter ?", "charter:v2:article:6"),
    ],
)
def test_rules_asked_in_élus_words_are_found_in_the_charter(
    known: Knowledge, question: str, source: str
) -> None:
    assert reading(known, question) == ("charter", source)


def test_the_presentation_found_outside_the_charter_s_text_is_what_the_network_is(
    known: Knowledge,
) -> None:
    assert reading(known, "le réseau c'est pour les communes ou aussi les régions ?") == (
        "about",
        "about",
    )


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("comment je vote ?", "howto:voter"),
        ("How do I cast my vote?", "howto:voter"),
        ("can I change my vote?", "howto:changer-vote"),
        ("je peux changer mon vote ?", "howto:changer-vote"),
        ("comment je m'inscris dans le domaine commerce équitable", "howto:domaines"),
        ("I'd like to join the fair trade forum, how?", "howto:domaines"),
        ("How do I sign up as a member?", "howto:adherer"),
        ("comment on adhere quand on est elu ?", "howto:adherer"),
        ("how can I back a proposal?", "howto:soutenir"),
        ("quelles infos le bot garde sur moi", "howto:donnees"),
        # The task's /aide text: `/admin installer` « crée les rôles, salons et forums ».
        ("il faut faire quoi pour créer les salons et les rôles", "howto:installer"),
        ("créer un nouveau champ d'action", "howto:domaines-admin"),
        # Where to do it is how to do it; fillers of a request are no topic.
        ("où je peux lire la charte sur discord", "howto:charte"),
        ("je reçois trop de rappels de vote, je peux les couper ?", "howto:donnees"),
        ("comment suggérer une modif sur la proposition de quelqu'un", "howto:amender"),
        # « à soumettre » (folded « a soumettre ») is no past act.
        ("jai une idée à soumettre au réseau, où je la poste ?", "howto:proposer"),
        # Asked how, with a task's verb, the person named is what the task acts on.
        ("comment valider la demande d'Anne Dupont ?", "howto:valider"),
        ("j'ai cliqué sur pour au lieu de contre, je peux rattraper ?", "howto:changer-vote"),
        (
            "je voudrais reformuler un paragraphe dans la proposition d'une collègue",
            "howto:amender",
        ),
        ("How do I put forward a motion for the network to vote on?", "howto:proposer"),
        ("How do I hand my vote over to Anne for the next poll?", "howto:procuration"),
        ("je voudrais que mes informations personnelles disparaissent du bot", "howto:effacer"),
        ("on voudrait ouvrir une thématique habitat, ça se fait comment ?", "howto:domaines-admin"),
        ("le scrutin 11 doit s'arrêter plus tôt, comment je l'arrête ?", "howto:cloturer"),
    ],
)
def test_how_to_in_other_words(known: Knowledge, question: str, source: str) -> None:
    assert reading(known, question) == ("howto", source)


def test_the_asker_s_own_polls_when_not_asked_how(known: Knowledge) -> None:
    assert reading(known, "j'ai voté ?") == ("poll", "poll:open")
    assert reading(known, "qu'est-ce que je peux voter en ce moment ?") == ("poll", "poll:open")
    assert reading(known, "jai des votes en attente ?") == ("poll", "poll:open")


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("les tiers lieux ont été votés ?", "decision:7"),
        ("have the rural third places been voted?", "decision:7"),
        ("on a décidé quoi pour le juriste partagé entre petites communes", "decision:9"),
        ("did the rural third places go through?", "decision:7"),
        ("le scrutin sur les tiers-lieux, il a été retenu ?", "decision:7"),
    ],
)
def test_a_vote_that_took_place_is_a_decision(known: Knowledge, question: str, source: str) -> None:
    assert reading(known, question) == ("decision", source)


def test_my_referent_is_left_to_the_service_which_knows_the_asker(known: Knowledge) -> None:
    for question in ("c'est qui mon référent ?", "who is our referent?"):
        best = understand(question, known).best
        assert (best.intent, best.source, best.detail) == ("contact", None, "own-referent")
    assert reading(known, "qui est le référent de Lyon ?") == ("contact", "member:2")


def test_a_person_found_by_place_and_mandate(known: Knowledge) -> None:
    assert reading(known, "l'élu de Lyon qui fait les circuits courts, comment le joindre") == (
        "contact",
        "member:2",
    )
    assert reading(known, "contacts à Lyon") == ("contact", "collectivite:10")


def test_a_département_is_not_the_collectivité_named_after_it(known: Knowledge) -> None:
    assert reading(known, "quels élus du réseau en Gironde") == ("contact", "departement:Gironde")
    assert reading(known, "contacts du Département de la Gironde") == (
        "contact",
        "collectivite:12",
    )


def test_thanks_are_a_short_message(known: Knowledge) -> None:
    assert reading(known, "merci beaucoup !")[0] == "social"
    long = "traduis moi ce paragraphe en anglais : nous remercions chaleureusement nos partenaires"
    assert reading(known, long)[0] != "social"
    assert reading(known, "t qui toi")[0] == "social"
    assert reading(known, "t'es qui toi ? un humain ou un robot ?")[0] == "social"
    assert reading(known, "au final qui décide dans ce réseau ?") == (
        "charter",
        "charter:v2:article:4",
    )
    assert reading(known, "tu sers à quoi ?")[0] == "social"
    polite = "Merci infiniment pour ces précisions, je vous souhaite une bonne fin de journée."
    assert reading(known, polite)[0] == "social"


def test_the_ask_back_button_for_a_field_is_unambiguous(known: Knowledge) -> None:
    understood = understand("Élus du domaine Commerce équitable, achat éthique", known)
    assert len(understood.close) == 1
    assert (understood.best.intent, understood.best.source) == ("contact", "field:5")


def test_the_english_lexicon_applies_to_english_questions_only() -> None:
    assert words.translate("who suggested the seed fund".split()) == [
        "who",
        "suggested",
        "the",
        "fonds",
        "amorcage",
    ]
    # A French question keeps its words, even one spelt like an English word.
    assert words.translate("le fonds de soutien".split(), english=False) == [
        "le",
        "fonds",
        "de",
        "soutien",
    ]
    # Entries that are also French words are never read as English (« vote », « action »).
    english = dict(words.ENGLISH_LEXICON)
    assert "vote" not in english and "action" not in english
    assert all(
        words.fold(k) == k and words.fold(v) == v for k, v in words.LEXICON["english"].items()
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Wanting to do a task asks how, before the poll it names.
        ("je voudrais clore le scrutin 11 avant la date prévue", ("howto", "howto:cloturer")),
        ("I'd like to close poll 11 early", ("howto", "howto:cloturer")),
        # « how many » is a quantity, not a how-to.
        ("How many proposals have been filed so far?", ("proposal", "proposal:list")),
        # « all ten articles »: how many, not which.
        ("la charte en entier, les dix articles", ("charter", "charter:v2")),
        ("send me the whole charter", ("charter", "charter:v2")),
        # Numbers written in words are no typos; an article number glued to its word.
        ("le dixième article de la charte parle de quoi ?", ("article", "charter:v2:article:10")),
        ("art10 svp", ("article", "charter:v2:article:10")),
        ("quelqu'un dans le Rhône ?", ("contact", "departement:Rhône")),
        # Generic verbs are no topic: the list, not the decision sharing « pris ».
        ("quelles décisions le réseau a prises jusqu'ici", ("decision", "decision:list")),
        # A long, formal question around a strong cue keeps it.
        (
            "Pourriez-vous me présenter succinctement l'historique du réseau, afin que je "
            "puisse en faire état devant la commission permanente de la Région ?",
            ("about", "about"),
        ),
        # The paragraph holding the most of the question's words: the presentation.
        (
            "quel genre de collectivités sont membres, y a aussi des régions et des départements ?",
            ("about", "about"),
        ),
        # People somewhere.
        ("des gens dans le Rhône ?", ("contact", "departement:Rhône")),
        # The asker acting for themselves: a member's task before the bureau's.
        ("comment je rajoute un domaine à mon profil", ("howto", "howto:domaines")),
        ("comment rajouter un domaine au réseau", ("howto", "howto:domaines-admin")),
        # « la vp » of a place: the vice-president there.
        ("le contact de la vp de Bordeaux", ("contact", "member:3")),
    ],
)
def test_requests_quantities_and_people_in_other_words(
    known: Knowledge, question: str, expected: tuple[str, str]
) -> None:
    assert reading(known, question) == expected


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # Changing one's vote, amending, hiding one's details, asked in other words (the third
        # round of blind sets).
        ("I voted too fast - can I switch my vote?", "howto:changer-vote"),
        (
            "je voudrais proposer une modif sur le texte d'un collègue, comment ça marche ?",
            "howto:amender",
        ),
        ("comment je masque mon num dans l'annuaire ?", "howto:donnees"),
        ("How do I hide my phone number from the directory?", "howto:donnees"),
        # Who represents a collectivité is its référent.
        ("qui représente Lyon dans le réseau ?", "member:2"),
        ("Who's the point of contact for Lyon?", "member:2"),
        # The fourth round: subscribing to a theme, showing one's support, wiping one's data,
        # signing one's town up, who represents a town (in English).
        ("comment m'abonner au thème coopération internationale", "howto:domaines"),
        ("I want to follow the environment forum, how?", "howto:domaines"),
        ("comment montrer que je suis d'accord avec une proposition", "howto:soutenir"),
        ("on peut liker une propal ?", "howto:soutenir"),
        ("Wipe all my data please - what do I do?", "howto:effacer"),
        ("How do I sign my town up for the network?", "howto:adherer"),
        ("who represents Lyon in the network", "member:2"),
        ("How can I hand my vote to a colleague for one poll?", "howto:procuration"),
        ("comment je m'ajoute au domaine coopération internationale ?", "howto:domaines"),
    ],
)
def test_tasks_and_referents_in_other_words(known: Knowledge, question: str, source: str) -> None:
    assert reading(known, question)[1] == source


def test_figures_about_a_place_are_out_of_scope(known: Knowledge) -> None:
    assert reading(known, "combien d'habitants à Lyon ?")[0] == "out_of_scope"
    assert reading(known, "how many people live in Bordeaux?")[0] == "out_of_scope"
    # People of the network in that place are still a directory question.
    assert reading(known, "combien d'élus à Lyon ?")[0] == "contact"


def test_opening_or_closing_a_named_poll_is_asked_how(known: Knowledge) -> None:
    # « lancer le vote », « être clos », « start a vote »: the bureau's tasks; the proposal or
    # poll named is what they act on.
    assert reading(known, "how do I start a vote on proposal 3?") == (
        "howto",
        "howto:ouvrir-scrutin",
    )
    assert reading(known, "le scrutin 9 peut être clos avant la date prévue ? comment ?") == (
        "howto",
        "howto:cloturer",
    )
    close = understand("comment je lance le vote sur la proposition 3 ?", known).close
    assert "howto:ouvrir-scrutin" in {r.source for r in close}


def test_a_long_name_one_letter_off_is_the_name_even_if_it_is_a_word() -> None:
    # « montpelier » is a dictionary word (a town in Vermont): next to the network's
    # Montpellier, it is a slip.
    vocabulary = {"montpellier", "referent"}
    assert words.Speller(vocabulary, names=["montpellier"]).correct("montpelier") == "montpellier"
    assert words.Speller(vocabulary).correct("montpelier") == "montpelier"
    # Short names are not mended from real words (« lion » stays « lion » next to Lyon).
    assert words.Speller({"lyon"}, names=["lyon"]).correct("lion") == "lion"


def test_one_s_own_referent_is_not_capped_by_a_rule_found_in_the_charter(
    known: Knowledge,
) -> None:
    # « référent » heads Article 7, and the question's other words restate nothing: the
    # asker's référent (resolved by the service) is no generic list to put below the rule.
    best = understand(
        "mon référent c'est qui déjà ? faut que je lui fasse suivre la délib de ce soir", known
    ).best
    assert (best.intent, best.detail) == ("contact", "own-referent")


@pytest.mark.parametrize(
    "question",
    [
        # The network's rules, its spirit, what is frowned upon are what the charter says, even
        # when the question names a task (« voter à ma place ») or nothing of the charter.
        "c prevu dans les regles qu'un collegue vote a ma place si je suis pas dispo ?",
        "on a le droit de faire du benef dans le reseau ou c mal vu ?",
        "avoir deux referents c dans l'esprit du reseau ?",
        "Is it frowned upon to make money from our projects?",
    ],
)
def test_the_network_s_rules_asked_in_other_words_are_the_charter(
    known: Knowledge, question: str
) -> None:
    assert reading(known, question)[0] == "charter"


def test_everyday_words_for_the_texts_words() -> None:
    # « faire du bénef », « gagner de l'argent » are the texts' « profit »; the préfecture is
    # the State; « les boîtes du coin » are the socio-economic actors; newcomers are joining.
    def forms_of(text: str) -> set[str]:
        return {k for others in words.forms(words.raw_tokens(text)).values() for k in others}

    assert "profit" in forms_of("faire du benef")
    assert "profit" in forms_of("making money")
    assert "etat" in forms_of("la prefecture")
    assert "acteur" in forms_of("les boites du coin")
    assert "adhesion" in forms_of("newcomers")


@pytest.mark.parametrize(
    "question",
    [
        "D'après nos règles, a-t-on le droit de revenir sur son vote une fois qu'il est déposé ?",
        "vos règles du jeu prévoient quoi pour les données ?",
        "Under the network's rules, is someone else allowed to cast my vote if I'm away?",
        "c prevu dans les regles qu'un collegue vote a ma place ?",
        "c'est dans l'esprit du réseau ?",
    ],
)
def test_the_network_s_rules_are_read_as_its_charter(known: Knowledge, question: str) -> None:
    assert {"charte", "charter"} & set(understand(question, known).tokens)


def test_a_place_named_with_nothing_asked_of_its_people_is_out_of_scope(
    known: Knowledge,
) -> None:
    assert reading(known, "tu connais un bon resto à Lyon ?")[0] == "out_of_scope"
    assert reading(known, "book me a train to Lyon")[0] == "out_of_scope"
    assert reading(known, "quels sont les horaires de la mairie de Lyon")[0] == "out_of_scope"
    # A place alone, or its people asked for, is still the directory.
    assert reading(known, "Lyon ?")[0] == "contact"
    assert reading(known, "qqn à Lyon ?")[0] == "contact"
    assert reading(known, "the email of someone in Lyon")[0] == "contact"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # The how-to examples vote among the tasks the cue words found: « créer les salons et
        # les rôles » on a new server is installing the bot, not adding a field; « change de
        # référent… j'enregistre la nouvelle personne » is recording a référent.
        (
            "on vient d'ajouter le bot sur un nouveau serveur, il faut faire quoi pour creer "
            "les salons et les roles ?",
            "howto:installer",
        ),
        (
            "Lyon change de référent le mois prochain, comment j'enregistre la nouvelle personne ?",
            "howto:referent",
        ),
    ],
)
def test_the_examples_vote_among_the_tasks(known: Knowledge, question: str, source: str) -> None:
    assert reading(known, question)[1] == source


def test_a_job_title_s_mission_is_not_the_network_s(known: Knowledge) -> None:
    # « chargée de mission » is a job, not the network's mission (an « about » cue).
    question = "Je suis chargée de mission ESS à la ville, pas élue"
    assert "mission" not in understand(question, known).tokens


def test_words_split_by_dictation_are_joined(known: Knowledge) -> None:
    # Fresh 14 (élus dictating on their phones): « lartic le 9 », « sub ventions ».
    best = understand("lartic le 9 de la charte", known).best
    assert (best.intent, best.source) == ("article", "charter:v2:article:9")
    assert "subventions" in understand("la charte dit quoi sur les sub ventions", known).tokens
    # Two words each a word on its own stay two (« ou vert » is not « ouvert »).
    assert understand("c est ou vert ?", known).tokens[-2:] == ("ou", "vert")
    assert words.join_splits(["de", "main"], frozenset({"demain"})) == ["de", "main"]


def test_the_language_of_a_terse_question() -> None:
    # Fresh 15 and 16: a French word typed without its accents, which the English dictionary
    # also spells so (« alinéa »), is no English word: nothing tells, and the caller falls back
    # to the network's language; « pls » is English though the spelling expansion drops it (a
    # French name beside it no longer decides).
    assert language.detect(["article", "6", "alinea", "2"]) is None
    french_names = frozenset({words.key("marie")})
    assert language.detect(["marie", "contact"], french_words=french_names) is None
    typed = ["marie", "contact", "pls"]
    assert language.detect(["marie", "contact"], french_words=french_names, typed=typed) == "en"
    assert language.detect(["le", "mail"], typed=["le", "mail", "svp"]) == "fr"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("c'est qui le référent lyonnais ?", "member:2"),
        ("contact d'une élue lyonnaise", "collectivite:10"),
    ],
)
def test_a_town_named_by_its_people_s_name(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str
) -> None:
    best = understand(question, known).best
    assert (best.intent, best.source) == ("contact", source)
    monkeypatch.setattr(u, "_demonym_stems", lambda tokens: {})
    assert understand(question, known).best.source != source


@pytest.mark.parametrize(
    "question", ["comment allez-vous ?", "hello, how's it going?", "Allo! Comment ça va?"]
)
def test_asking_after_someone_is_a_greeting_not_a_how(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert understand(question, known).best.intent == "social"
    # Beside a real question, the greeting stays politeness.
    assert understand(question + " comment je vote ?", known).best.source == "howto:voter"
    monkeypatch.setattr(u, "SMALL_TALK", ())
    assert understand(question, known).best.intent != "social"


@pytest.mark.parametrize(
    "question",
    [
        "peut-on avoir deux référents à Lyon ?",
        "a lyon on aimerait partager le role de referent entre deux adjoints, c possible ?",
    ],
)
def test_how_many_referents_a_town_may_have_is_the_rule(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    best = understand(question, known).best
    assert (best.intent, best.source) == ("charter", "charter:v2:article:7")
    # Asked for their contacts, the two référents are people.
    asked = understand("email du référent de Lyon et de Bordeaux, les deux", known).best
    assert asked.intent == "contact"
    monkeypatch.setattr(u, "REFERENT_RULE_CONTACT", 1.0)
    monkeypatch.setattr(u, "REFERENT_COUNTS", frozenset())
    monkeypatch.setattr(u, "REFERENT_SHARED", frozenset())
    assert understand(question, known).best.intent == "contact"


def test_asked_for_the_whole_list_no_one_close_in_meaning(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = (
        "récapitulatif des décisions prises par le réseau depuis le début svp, j'en ai besoin "
        "pour mon conseil municipal"
    )
    assert understand(question, known).best.source == "decision:list"
    monkeypatch.setattr(u, "LIST_KEYS", frozenset())
    monkeypatch.setattr(u, "_listing", lambda tokens, present, found: None)
    assert understand(question, known).best.source != "decision:list"


@pytest.mark.parametrize(
    "question",
    [
        "proposition de Bruno Leroy",
        "Isabelle Roux avait proposé quoi déjà sur l'alimentation ?",
        "what did Bruno Leroy propose?",
    ],
)
def test_what_a_person_proposed_is_a_proposal_question(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert understand(question, known).best.intent == "proposal"
    # Asked for a contact detail, the person's contact.
    asked = understand("email de Bruno Leroy pour sa proposition", known).best
    assert (asked.intent, asked.source) == ("contact", "member:3")
    monkeypatch.setattr(u, "AUTHORED", frozenset())
    assert understand(question, known).best.intent == "contact"


@pytest.mark.parametrize(
    "question",
    [
        "mon élue part en congé maternité pendant le scrutin, comment elle fait voter qqn "
        "d'autre à sa place ?",
        "How do I give my vote to a colleague for a poll I can't attend?",
        "je serai absente, comment faire voter un collègue pour moi ?",
    ],
)
def test_a_colleague_voting_for_one_away_is_a_proxy(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert understand(question, known).best.source == "howto:procuration"
    away = set(words.keys("collegue colleague conge vacances holiday indisponible".split()))
    cues = {k: v for k, v in u.TASK_CUES["procuration"].items() if k not in away}
    monkeypatch.setitem(u.TASK_CUES, "procuration", cues)
    assert understand(question, known).best.source != "howto:procuration"


@pytest.mark.parametrize(
    "question",
    [
        "Je ne veux pas que mon numéro de natel apparaisse dans l'annuaire, comment je règle ça ?",
        "Je voudrais que mon numéro de téléphone soit visible des autres élus dans l'annuaire, "
        "ou est-ce que ca se regle ?",
    ],
)
def test_what_the_directory_shows_of_one_s_own_details_is_one_s_data(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert understand(question, known).best.source == "howto:donnees"
    # Someone else's number in the directory is searched.
    other = understand("comment trouver le numéro de Bruno Leroy dans l'annuaire ?", known)
    assert other.best.intent == "contact"
    monkeypatch.setattr(u, "OWN_DETAIL_KEYS", frozenset())
    assert understand(question, known).best.source != "howto:donnees"


@pytest.mark.parametrize(
    "question",
    ["Quels scrutins sont terminés et quels en ont été les résultats ?", "les votes clos"],
)
def test_polls_said_to_be_over_are_the_decisions(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert understand(question, known).best.source == "decision:list"
    # « se termine »: when an open poll ends; « nous sommes passés »: no poll is over.
    assert understand("quand se termine le scrutin ?", known).best.source == "poll:open"
    moved = "nous sommes passés associés, on perd notre voix quand le réseau vote ?"
    assert understand(moved, known).best.intent != "decision"
    monkeypatch.setattr(u, "CLOSED_POLLS", frozenset())
    assert understand(question, known).best.source != "decision:list"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("qui peut déposer une proposition ?", "charter:v2:article:8"),
        ("qui peut amender une proposition ?", "charter:v2:article:8"),
    ],
)
def test_who_may_do_something_is_the_rule(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str
) -> None:
    assert understand(question, known).best.source == source
    # How to do it is the task.
    assert understand("comment déposer une proposition ?", known).best.source == "howto:proposer"
    monkeypatch.setattr(u, "WHO_MAY", ())
    assert understand(question, known).best.intent != "charter"


def test_who_filed_something_is_the_proposal_s_author(monkeypatch: pytest.MonkeyPatch) -> None:
    # The juriste was proposed (proposal 18) and decided (decision 9): who filed it is the
    # proposal's.
    base = world()
    proposal = Doc("proposal:18", "Un juriste partagé entre petites communes", "", number=18)
    known = dataclasses.replace(base, proposals=[*base.proposals, proposal])
    question = "c'est qui qui a déposé le truc sur le juriste mutualisé pour les petites communes ?"
    assert understand(question, known).best.source == "proposal:18"
    monkeypatch.setattr(u, "AUTHORING", frozenset())
    assert understand(question, known).best.source != "proposal:18"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # The place's only member.
        ("l'élu du Département de la Gironde, son mail ?", "member:4"),
        # Told apart from the other élu of Lyon by the économie solidaire words of her mandate.
        ("la personne en charge de l'économie solidaire à Lyon, son numéro ?", "member:1"),
        ("the Lyon councillor for the solidarity economy, her email?", "member:1"),
    ],
)
def test_the_elu_of_a_place_described_is_that_person(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str
) -> None:
    # « un élu », « quelqu'un », « les élus », or two élus whom nothing tells apart: the place.
    for asked in ("je cherche un élu de Lyon", "les élus de Lyon", "l'élu de Lyon, son mail ?"):
        assert reading(known, asked) == ("contact", "collectivite:10"), asked
    read_by_the_rule(
        known, monkeypatch, question, ("contact", source), _definite_person=returning(False)
    )


@pytest.mark.parametrize(
    "question",
    [
        "Bonjour, quel temps fera-t-il à Lyon pour les rencontres nationales ? Je me demande s'il "
        "faut prendre un parapluie.",
        "Bonjour, pourriez-vous me recommander un bon restaurant près de la gare de Bordeaux "
        "pour ce soir ? Merci d'avance.",
    ],
)
def test_a_polite_letter_is_its_question(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert understand(question, known).best.intent == "out_of_scope"
    # A polite message alone stays a greeting.
    polite = "Bonjour, je découvre l'outil, je suis agente de développement à la communauté."
    assert understand(polite, known).best.intent == "social"
    monkeypatch.setattr(u, "_more_than_polite", lambda said: False)
    assert understand(question, known).best.intent == "social"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("vos statuts disent quoi sur les procurations ?", "charter:v2:article:8"),
        (
            "What do your statutes say about how a proposal turns into a decision? Thank you.",
            "charter:v2:article:8",
        ),
        ("que prévoit votre règlement pour les collectivités associées ?", "charter:v2:article:6"),
    ],
)
def test_the_charter_by_another_name(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str
) -> None:
    assert reading(known, question) == ("charter", source)
    named = {"charte", "charter", "charte du reseau", "charte du rtes", "version de la charte"}
    others = tuple(
        (phrase, meant)
        for phrase, meant in words.PARAPHRASES
        if meant.replace("votre ", "")
        .replace("notre ", "")
        .replace("your ", "")
        .replace("the ", "")
        not in named
    )
    monkeypatch.setattr(words, "_ALWAYS", words._phrase_index((*words.GLOSSARY, *others)))
    monkeypatch.setattr(
        words,
        "_ENGLISH",
        words._phrase_index((*words.GLOSSARY, *others, *words.ENGLISH_LEXICON)),
    )
    assert reading(known, question) != ("charter", source)


def test_changing_the_charter_is_its_revision(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "la charte peut évoluer ? qui décide ?"
    # Changing one's vote, publishing the new version: the tasks.
    assert reading(known, "je peux changer mon vote ?") == ("howto", "howto:changer-vote")
    publish = "comment publier la nouvelle version de la charte"
    assert reading(known, publish) == ("howto", "howto:publier-charte")
    read_by_the_rule(
        known,
        monkeypatch,
        question,
        ("charter", "charter:v2:article:10"),
        _revision_part=returning(None),
    )


@pytest.mark.parametrize(
    "question",
    [
        "tu peux me lister toutes les décisions du réseau ? c'est pour les petites communes",
        "les décisions prises jusqu'ici, pour un juriste",
    ],
)
def test_the_list_asked_for_by_name(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    read_by_the_rule(
        known, monkeypatch, question, ("decision", "decision:list"), _listing=returning(None)
    )


def test_an_earlier_text_is_said_next_to_the_text(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = (
        "Madame, ancienne institutrice, je me demande ce que dit la charte sur la gouvernance"
    )
    assert understand("l'ancienne charte, en entier", known).best.version == 1
    read_by_the_rule(
        known, monkeypatch, question, ("charter", "charter:v2:article:4"), EARLIER_REACH=100
    )


def test_adding_a_field_to_one_s_own_fields_is_choosing_them(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "comment ajouter le commerce équitable à mes domaines ?"
    # Adding a field to the network is the bureau's.
    network = "comment ajouter un nouveau domaine au réseau ?"
    assert reading(known, network) == ("howto", "howto:domaines-admin")
    read_by_the_rule(
        known, monkeypatch, question, ("howto", "howto:domaines"), _own_fields=returning(False)
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("dix sept", 17),
        ("vingt et un", 21),
        ("vingt-deux", 22),
        ("twenty one", 21),
        ("trente", 30),
        ("vingt premier", 20),
        ("3", 3),
        ("dix", 10),
    ],
)
def test_numbers_written_in_words(text: str, number: int) -> None:
    assert words.number_in(words.raw_tokens(text), 0) == number


def test_a_title_holding_the_word_charter_is_that_text(monkeypatch: pytest.MonkeyPatch) -> None:
    titled = Doc(
        "proposal:22", "Charte des achats éthiques du réseau", "Acheter équitable.", number=22
    )
    # The seeded network's charter, whose article 5 names « commerce équitable, achat éthique ».
    known = dataclasses.replace(
        world(),
        charters={
            1: charter_doc(1, charter_text.parts(default_text())),
            2: charter_doc(2, charter_text.parts(charter_v2_text())),
        },
        proposals=[*world().proposals, titled],
    )
    question = "la charte des achats éthiques, elle en est où ?"
    # The charter itself, next to the same words, is still the charter.
    assert reading(known, "que dit la charte sur le quorum ?")[0] == "charter"
    read_by_the_rule(
        known, monkeypatch, question, ("proposal", "proposal:22"), _titled_charter=returning(False)
    )


def test_a_surname_that_is_a_word_is_a_name_when_written_as_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    petit = PersonRef(6, "Thomas Petit", 11, False, mandate="Conseiller délégué aux achats")
    known = dataclasses.replace(world(), people=[*world().people, petit])
    for asked in ("le tel de Mme Petit", "le tel de M. petit", "le mail de Petit"):
        assert reading(known, asked) == ("contact", "member:6"), asked
    question = "qu'est-ce qui en est ressorti pour le juriste ? ça nous concerne on est tout petit"
    read_by_the_rule(
        known, monkeypatch, question, ("decision", "decision:9"), _as_a_name=returning(True)
    )


def test_a_first_name_and_a_place_name_that_member(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "j'ai rencontré une adjointe de Bordeaux, Isabelle quelque chose, ses coordonnées ?"
    read_by_the_rule(
        known, monkeypatch, question, ("contact", "member:5"), _first_name_at=returning([])
    )


@pytest.mark.parametrize(
    "question",
    [
        "Could you show me the charter we're all supposed to sign?",
        "Could you show me the charter as it currently stands? Our legal team wants to read what "
        "we would be signing.",
    ],
)
def test_the_charter_shown_whole(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    # Where to read it whole is how; what it says of something, that part.
    assert reading(known, "comment lire la charte en entier sur le serveur ?")[0] == "howto"
    quorum = "montre moi ce que dit la charte sur le quorum"
    assert reading(known, quorum) == ("charter", "charter:v2:article:8")
    read_by_the_rule(
        known, monkeypatch, question, ("charter", "charter:v2"), _whole_text_asked=returning(False)
    )


def test_the_circular_economy_is_no_circular_of_the_administration(known: Knowledge) -> None:
    assert not u._other_body(words.raw_tokens("un domaine économie circulaire"))
    assert not u._other_body(["the", "circular", "economy"])
    assert u._other_body(words.raw_tokens("que dit la circulaire du 12 mars ?"))
    question = "comment ajouter un domaine économie circulaire ?"
    assert reading(known, question) == ("howto", "howto:domaines-admin")


def test_a_creole_question_is_answered_in_french() -> None:
    # « kosa i reste comme votes pou moin ? » (Réunion): its « i » is no English « I ».
    creole = ["kosa", "i", "reste", "comme", "votes", "pou", "moin"]
    assert language.detect(creole) == "fr"
    assert language.detect(["how", "do", "i", "vote"]) == "en"
    assert language.detect(["can", "i", "see", "the", "charter"]) == "en"
