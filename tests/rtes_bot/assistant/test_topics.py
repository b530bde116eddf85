"""What a charter question is about, read from the charter example questions (issue 11, fifth
round): each example asked of a charter part carries that part's text; a classifier trained on
them says which part a new question is about, and each charter version stands for that part with
its own (word for word, or its counterpart by meaning in another version). Measured on the
benchmark's network: its charter v2, and the default charter as v1."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from rtes_bot import charter_text
from rtes_bot.assistant import meaning
from rtes_bot.assistant import understanding as u
from rtes_bot.assistant import words as w
from rtes_bot.assistant.knowledge import (
    WHOLE_TEXT,
    CharterPart,
    Hit,
    Knowledge,
    charter_doc,
    topic_text,
)
from rtes_bot.services.charter import default_text
from tests.rtes_bot.assistant.test_understanding_classes import world
from tests.support.assistant_network import charter_v2_text


@pytest.fixture(scope="module")
def known() -> Knowledge:
    return dataclasses.replace(
        world(),
        charters={
            1: charter_doc(1, charter_text.parts(default_text())),
            2: charter_doc(2, charter_text.parts(charter_v2_text())),
        },
    )


def read_by_the_rule(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str, **off: object
) -> None:
    """``question`` is a charter question answered by ``source``, and no longer once the rule is
    switched off (``off``: the understanding module's names and the values that disable it)."""
    best = u.understand(question, known).best
    assert (best.intent, best.source) == ("charter", source)
    for name, value in off.items():
        monkeypatch.setattr(u, name, value)
    assert u.understand(question, known).best.source != source


def _part(known: Knowledge, version: int, source: str) -> CharterPart:
    return next(p for p in known.charters[version].parts if p.source == source)


def test_charter_examples_carry_the_text_of_the_part_they_were_about(known: Knowledge) -> None:
    texts = {topic_text(p) for v in known.charters for p in known.charters[v].parts}
    examples = meaning.load_examples()
    about = [e for e in examples if e.topic]
    assert len(about) >= 200
    assert {e.intent for e in about} == {"charter"}
    assert {e.topic for e in about} <= texts | {WHOLE_TEXT}
    # A question asked of a whole version (« montre-moi la charte ») is about no one part.
    whole = {e.text for e in about if e.topic == WHOLE_TEXT}
    assert {"quel est le texte de la charte ?", "montre moi la charte du reseau"} <= whole
    # Article 3's text, heading first, as a question about it was labelled.
    article_3 = topic_text(_part(known, 2, "charter:v2:article:3"))
    assert article_3.startswith("Un développement des territoires fondé sur la coopération. ")
    assert article_3 in {e.topic for e in about}


def test_each_charter_version_stands_for_a_topic_with_its_own_part(known: Knowledge) -> None:
    article_3 = topic_text(_part(known, 2, "charter:v2:article:3"))
    # Word for word in its own version.
    assert known.charter_topic(2, article_3) is _part(known, 2, "charter:v2:article:3")
    # Its counterpart in the first version, by meaning: « Un développement des territoires
    # fondé sur » (the same four commitments, worded a little differently).
    counterpart = known.charter_topic(1, article_3)
    assert counterpart is not None and counterpart.title.startswith("Un développement")
    # No counterpart: the first version has no article on the directory.
    directory = topic_text(_part(known, 2, "charter:v2:article:9"))
    assert known.charter_topic(1, directory) is None


def test_the_topic_classifier_says_which_part_a_question_is_about() -> None:
    secret, data = "Le scrutin est secret.", "L'annuaire ne montre que ce qui est consenti."
    examples = [
        meaning.Example("mon vote est-il secret ?", "charter", None, "t", secret),
        meaning.Example("quelqu'un peut voir pour qui j'ai voté ?", "charter", None, "t", secret),
        meaning.Example("is my ballot anonymous?", "charter", None, "t", secret),
        meaning.Example("qui voit mon numéro de téléphone ?", "charter", None, "t", data),
        meaning.Example("is my email shown to everyone?", "charter", None, "t", data),
        meaning.Example("mon adresse est-elle publique ?", "charter", None, "t", data),
        meaning.Example("bonjour", "social", None, "t"),
    ]
    space = meaning.ExampleSpace(examples)
    on_vote = space.topics(meaning.vector("les autres savent ce que j'ai mis dans l'urne ?"))
    assert set(on_vote) == {secret, data}
    assert on_vote[secret] > on_vote[data]
    on_data = space.topics(meaning.vector("can other members see my phone number?"))
    assert on_data[data] > on_data[secret]
    assert meaning.ExampleSpace(examples[-1:]).topics(meaning.vector("bonjour")) == {}


def test_the_closest_paragraph_weighs_what_the_examples_were_about(known: Knowledge) -> None:
    index = known.charter_index[2]
    similarity = {0: 0.40, 1: 0.35}
    closest = u._closest(similarity, index, (), share=0.1, floor=0.3)
    assert closest is not None and closest.doc is index.docs[0]
    raised = u._closest(similarity, index, (), share=0.1, floor=0.3, boost={1: 0.1})
    assert raised is not None and raised.doc is index.docs[1]
    # The vote says which paragraph, not whether one is close enough: « que dit la charte
    # sur la pétanque ? » stays without a paragraph.
    assert u._closest({0: 0.25, 1: 0.2}, index, (), share=0.1, floor=0.3, boost={1: 0.5}) is None
    # Words and the examples' vote add up.
    hits = [Hit(index.docs[0], 2.0, 0.5)]
    both = u._closest(similarity, index, hits, share=0.1, floor=0.3, boost={1: 0.1})
    assert both is not None and both.doc is index.docs[0]


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # Meaning alone: the fields of action (« épicerie solidaire »); the questions like it
        # were about the mix of resources.
        (
            "notre épicerie solidaire vit de subventions, de ventes et de bénévoles, c'est dans "
            "la ligne de ce que défend le réseau ?",
            "charter:v2:article:3",
        ),
        # Meaning alone: membership (« notre commune »); the questions like it were about
        # solidarity between territories.
        (
            "On voudrait jumeler notre commune avec un village au Burkina Faso, est-ce que la "
            "solidarité avec d'autres pays fait partie de nos valeurs ?",
            "charter:v2:article:2",
        ),
        (
            "Une banque nous propose un partenariat « solidaire » qui rapporte gros : est-ce "
            "cohérent avec l'esprit du réseau ?",
            "charter:v2:article:2",
        ),
    ],
)
def test_a_situation_gets_the_part_the_questions_like_it_were_about(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str
) -> None:
    read_by_the_rule(known, monkeypatch, question, source, TOPIC_SHARE=0.0)


@pytest.mark.parametrize(
    "question",
    [
        "On voudrait jumeler notre commune avec un village au Burkina Faso, est-ce que la "
        "solidarité avec d'autres pays fait partie de nos valeurs ?",
        "Une banque nous propose un partenariat « solidaire » qui rapporte gros : est-ce "
        "cohérent avec l'esprit du réseau ?",
    ],
)
def test_words_of_the_presentation_in_a_question_on_rules_get_the_rule(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    # « solidarité », « réseau », « commune »: the network's presentation holds them, but the
    # questions like it asked for the charter's rules, not what the network is.
    assert u.understand(question, known).best.intent == "charter"
    monkeypatch.setattr(u, "RULE_OVER_ABOUT", 9.0)
    assert u.understand(question, known).best.intent == "about"


def test_the_examples_vote_weighs_against_the_paragraph_the_words_found(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « engage », « personne », « mairie »: the history paragraph holds the words; the
    # questions like it were about what signing commits (Article 1).
    question = "Quand je signe la charte, j'engage seulement ma personne ou aussi ma mairie ?"
    assert u.understand(question, known).best.source == "charter:v2:article:1"
    monkeypatch.setattr(u, "WORDED_SHARE", 0.0)
    assert u.understand(question, known).best.source != "charter:v2:article:1"


def test_asking_whether_something_agrees_with_the_network_asks_for_its_charter(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = (
        "Une banque nous propose un partenariat « solidaire » qui rapporte gros : est-ce "
        "cohérent avec l'esprit du réseau ?"
    )
    assert u.understand(question, known).best.intent == "charter"
    charter = {k: v for k, v in u.CUES["charter"].items() if k not in u._table(u.CONFORMITY_CUES)}
    monkeypatch.setitem(u.CUES, "charter", charter)
    assert u.understand(question, known).best.intent != "charter"


def test_the_topic_classifier_is_stored_with_the_examples() -> None:
    space = meaning.examples()
    first = space.topics(meaning.vector("le vote est secret ?"))
    assert set(first) == {e.topic for e in space.examples if e.topic}
    assert np.isclose(sum(first.values()), 1.0)
    stored = meaning._stored(meaning.load_examples())
    assert stored is not None and stored.topics is not None
    assert space.topic_classifier is not None
    assert space.topic_classifier.intents == stored.topics.intents
    assert np.array_equal(space.topic_classifier.weights, stored.topics.weights)


def test_relabelled_topics_make_the_stored_classifiers_stale(tmp_path, monkeypatch) -> None:
    examples = [
        meaning.Example("le vote est-il secret ?", "charter", None, "t", "Le scrutin est secret."),
        meaning.Example("qui voit mon email ?", "charter", None, "t", "L'annuaire."),
    ]
    stale = tmp_path / "examples.npz"
    meaning.save_vectors([examples[0], dataclasses.replace(examples[1], topic="Autre.")], stale)
    monkeypatch.setattr(meaning, "VECTORS", stale)
    assert meaning._stored(examples) is None
    meaning.save_vectors(examples, stale)
    stored = meaning._stored(examples)
    assert stored is not None and stored.topics is not None
    assert set(stored.topics.intents) == {"Le scrutin est secret.", "L'annuaire."}


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # No subject the words or meaning find in a paragraph: what the questions like it were
        # about (the charter's purpose, the residents' place, a rule only v2 states).
        ("la charte, à quoi elle sert au juste ?", "charter:v2:article:1"),
        ("what does the charter say about involving residents?", "charter:v2:article:3"),
        (
            "si la charte est révisée, l'ancienne version on pourra toujours la consulter ?",
            "charter:v2:article:10",
        ),
    ],
)
def test_a_charter_question_no_paragraph_answers_gets_the_part_its_examples_were_about(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, source: str
) -> None:
    read_by_the_rule(known, monkeypatch, question, source, TOPIC_ALONE=1.1)


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("montre-moi la charte", "charter:v2"),
        ("je veux lire la charte en entier", "charter:v2"),
        ("quelle est la version en vigueur de la charte ?", "charter:v2"),
        ("la première version de la charte", "charter:v1"),
    ],
)
def test_a_question_for_a_whole_version_keeps_the_whole_text(
    known: Knowledge, question: str, source: str
) -> None:
    # The classifier knows « the whole text » as a topic of its own, and it is not a part.
    topics = meaning.examples().topics(meaning.vector(question))
    assert max(topics, key=topics.__getitem__) == WHOLE_TEXT
    best = u.understand(question, known).best
    assert (best.intent, best.source, best.part) == ("charter", source, None)


@pytest.mark.parametrize(
    "question", ["la charte parle des chats ?", "que dit la charte sur la pétanque ?"]
)
def test_a_subject_no_example_nor_text_words_is_in_no_part(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    best = u.understand(question, known).best
    assert (best.source, best.detail) == ("charter:v2", "nothing-found")
    # Had élus asked the charter about cats and pétanque, the classifier's part would stand.
    asked = u._topic_words(meaning.examples()) | frozenset(w.keys(["chats", "petanque"]))
    monkeypatch.setattr(u, "_topic_words", lambda space: asked)
    monkeypatch.setattr(u, "TOPIC_ALONE", 0.0)
    assert u.understand(question, known).best.part is not None


@pytest.mark.parametrize(
    "question",
    [
        "comment faire une procuration pour les législatives ?",
        "que dit l'article 3 du code des marchés publics ?",
        "how do I vote in the UK general election?",
        "l'article 1 de la loi ESS",
    ],
)
def test_another_body_s_election_or_law_is_out_of_scope(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert u.understand(question, known).best.intent == "out_of_scope"
    monkeypatch.setattr(u, "_other_body", lambda tokens: False)
    assert u.understand(question, known).best.intent != "out_of_scope"


@pytest.mark.parametrize(
    ("question", "intent", "source"),
    [
        ("le réseau s'est-il prononcé sur la loi ESS ?", "about", "about"),
        ("article 3 de la charte et la loi ESS", "article", "charter:v2:article:3"),
    ],
)
def test_a_law_beside_the_network_or_its_charter_is_the_network_s_question(
    known: Knowledge, question: str, intent: str, source: str
) -> None:
    best = u.understand(question, known).best
    assert (best.intent, best.source) == (intent, source)


def test_a_question_like_the_out_of_scope_examples_weighs_little_elsewhere(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « voté », « date »: a poll's words; the questions like it were about a council's budget.
    question = "le compte administratif doit être voté avant quelle date ?"
    assert u.understand(question, known).best.intent == "out_of_scope"
    monkeypatch.setattr(u, "OUTSIDE_WEIGHT", 0.6)
    assert u.understand(question, known).best.intent == "poll"


@pytest.mark.parametrize(
    ("question", "by_the_rule"),
    [
        # The written examples hold graphic charters: without the rule, one is out of scope by
        # them alone, the other not (since the seventh round's examples).
        ("la mairie refait sa charte graphique, tu peux me proposer un logo ?", True),
        ("je cherche la charte graphique du réseau, le logo en HD", False),
        ("Peux-tu me donner le texte de la Charte européenne de l'autonomie locale ?", True),
        ("what does the European charter of local self-government say?", True),
    ],
)
def test_another_charter_is_not_the_network_s(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, by_the_rule: bool
) -> None:
    assert u.understand(question, known).best.intent == "out_of_scope"
    monkeypatch.setattr(u, "_other_charter", lambda keyed, tokens: False)
    assert (u.understand(question, known).best.intent != "out_of_scope") == by_the_rule


def test_what_the_charter_says_of_europe_is_still_asked_of_the_charter(known: Knowledge) -> None:
    # « europe » alone qualifies no charter: the question is the network's charter's.
    assert u.understand("que dit la charte sur l'europe ?", known).best.intent == "charter"


def test_the_charter_of_one_s_own_body_is_not_the_network_s(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "traduis en anglais la charte de notre conseil de quartier stp"
    assert u.understand(question, known).best.intent == "out_of_scope"
    # « notre réseau » is the network: its charter.
    ours = u.understand("la charte de notre réseau dit quoi sur le quorum ?", known).best
    assert (ours.intent, ours.source) == ("charter", "charter:v2:article:8")
    monkeypatch.setattr(u, "OWN_GROUP", frozenset())
    assert u.understand(question, known).best.intent != "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "comment on fait voter une délibération en conseil municipal ? c'est ma première séance",
        "how did our council's budget vote go last night?",
        "How do I organise a vote in my own town council on Zoom?",
    ],
)
def test_a_vote_of_one_s_own_council_is_out_of_scope(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    assert u.understand(question, known).best.intent == "out_of_scope"
    monkeypatch.setattr(u, "_assembly_vote", lambda tokens, keyed: False)
    assert u.understand(question, known).best.intent != "out_of_scope"


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # At the council when the network votes: an absence, the network's vote.
        (
            "je serai en conseil municipal le jour du vote comment je fais pour donner ma voix "
            "à un collègue",
            "howto:procuration",
        ),
        ("mon conseil municipal a voté l'adhésion, je fais quoi maintenant ?", "howto:adherer"),
    ],
)
def test_a_council_beside_the_network_s_own_vote_or_task(
    known: Knowledge, question: str, source: str
) -> None:
    assert u.understand(question, known).best.source == source


@pytest.mark.parametrize(
    ("question", "source"),
    [
        # « 1ère » is read « 1 » before « version »: that version, and « relire » is no subject.
        (
            "je voudrais relire la toute 1ere version de la charte, celle d'avant les articles",
            "charter:v1",
        ),
        ("montre-moi la 1ère version", "charter:v1"),
        # « d'origine »: the text as it first was, with the part its examples were about there.
        (
            "Dans la charte d'origine, quels étaient les domaines d'action listés ?",
            "charter:v1:part:5",
        ),
        ("la charte d'origine", "charter:v1"),
    ],
)
def test_a_version_named_by_its_rank_or_its_origin(
    known: Knowledge, question: str, source: str
) -> None:
    best = u.understand(question, known).best
    assert (best.intent, best.source) == ("charter", source)
    assert best.detail != "nothing-found"


def test_the_origin_of_the_network_is_its_history(known: Knowledge) -> None:
    assert u.understand("l'origine du réseau", known).best.intent == "about"


def test_the_network_s_name_is_no_heading_asked(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « territories » and « solidarity » are words of the network's name, the presentation's
    # heading: the question is the charter's article on solidarity between territories.
    question = "What does the charter say about solidarity between territories, including abroad?"
    read_by_the_rule(
        known, monkeypatch, question, "charter:v2:article:2", NETWORK_NAME_KEYS=frozenset()
    )
