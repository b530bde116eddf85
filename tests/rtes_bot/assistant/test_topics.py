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
from rtes_bot.assistant.knowledge import CharterPart, Hit, Knowledge, charter_doc, topic_text
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


def _part(known: Knowledge, version: int, source: str) -> CharterPart:
    return next(p for p in known.charters[version].parts if p.source == source)


def test_charter_examples_carry_the_text_of_the_part_they_were_about(known: Knowledge) -> None:
    texts = {topic_text(p) for v in known.charters for p in known.charters[v].parts}
    examples = meaning.load_examples()
    about = [e for e in examples if e.topic]
    assert len(about) >= 200
    assert {e.intent for e in about} == {"charter"}
    assert {e.topic for e in about} <= texts
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
    best = u.understand(question, known).best
    assert (best.intent, best.source) == ("charter", source)
    monkeypatch.setattr(u, "TOPIC_SHARE", 0.0)
    assert u.understand(question, known).best.source != source


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
