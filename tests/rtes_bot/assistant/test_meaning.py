"""What a question means: the sentence encoder, the example questions' vote, the charter's
paragraphs by meaning, and how the understanding uses them."""

from __future__ import annotations

import numpy as np
import pytest

from rtes_bot.assistant import meaning
from rtes_bot.assistant import understanding as u
from rtes_bot.assistant.knowledge import Hit, Knowledge, Retriever
from tests.rtes_bot.assistant.test_understanding_classes import world


@pytest.fixture(scope="module")
def known() -> Knowledge:
    return world()


def test_vectors_are_unit_length_and_the_same_each_time() -> None:
    a = meaning.encode(["le vote est-il secret ?", "quel temps fera-t-il demain ?"])
    assert a.shape == (2, 512)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(meaning.vector("le vote est-il secret ?"), a[0])


def test_a_question_and_its_translation_are_closer_than_an_unrelated_one() -> None:
    french, english, weather = meaning.encode(
        ["le vote est-il secret ?", "is the ballot secret?", "quel temps fera-t-il demain ?"]
    )
    assert float(french @ english) > float(french @ weather) + 0.2


def test_the_nearest_examples_and_the_classifier_vote_for_their_intent_and_task() -> None:
    space = meaning.ExampleSpace(
        [
            meaning.Example("comment donner une procuration ?", "howto", "procuration", "t"),
            meaning.Example("je veux confier mon vote à un collègue", "howto", "procuration", "t"),
            meaning.Example("comment signer la charte ?", "howto", "signer", "t"),
            meaning.Example("quelle météo demain à Lyon ?", "out_of_scope", None, "t"),
        ]
    )
    votes = space.votes(meaning.vector("how do I give my vote to someone else?"), k=2)
    # Both neighbours are how-tos (half the vote) and the classifier leans the same way,
    # though not all the way: the vote is not the neighbours' alone.
    assert 0.75 < votes.share("howto") < 1.0
    assert votes.share("howto") + votes.share("out_of_scope") == pytest.approx(1.0)
    assert 0.4 < votes.nearest <= 1.0
    # Among tasks, the how-to examples' nearest: those without a task take no part.
    tasks = space.task_votes(meaning.vector("how can I give my proxy?"), k=1)
    assert tasks.intents == {"procuration": pytest.approx(1.0)}
    assert set(space.task_votes(meaning.vector("il pleut ?")).intents) <= {"procuration", "signer"}


def test_the_classifier_reads_a_question_unlike_any_single_example() -> None:
    """Trained on every example, the classifier places a question by what its intent's examples
    share: here a weather question in English, when no example is in English."""
    texts = {
        "out_of_scope": [
            "quel temps fera-t-il demain à Lyon ?",
            "il va pleuvoir ce week-end à Rennes ?",
            "la météo pour la réunion de jeudi",
            "prévisions météo à Nantes",
        ],
        "howto": [
            "comment donner une procuration ?",
            "comment changer mon vote ?",
            "comment signer la charte ?",
            "comment choisir mes domaines ?",
        ],
    }
    examples = [meaning.Example(t, i, None, "t") for i, ts in texts.items() for t in ts]
    matrix = meaning.encode([e.text for e in examples])
    classifier = meaning.Classifier.fit(matrix, [e.intent for e in examples])
    assert classifier.intents == ("howto", "out_of_scope")
    weather = classifier.probabilities(meaning.vector("will it rain in Paris tomorrow?"))
    proxy = classifier.probabilities(meaning.vector("how do I give a proxy?"))
    assert weather["out_of_scope"] > 0.5 > proxy["out_of_scope"]
    assert sum(weather.values()) == pytest.approx(1.0)
    # The same examples train the same weights.
    again = meaning.Classifier.fit(matrix, [e.intent for e in examples])
    assert np.array_equal(again.weights, classifier.weights)


def test_a_set_s_own_examples_are_withheld_while_it_is_measured() -> None:
    every = meaning.examples()
    origins = {e.origin for e in every.examples}
    assert {"main", "fresh3"} <= origins
    with meaning.withholding("main"):
        inside = meaning.examples()
        assert "main" not in {e.origin for e in inside.examples}
        assert len(inside.examples) < len(every.examples)
    assert meaning.examples() is every


def test_the_examples_hold_no_source_tied_to_one_network() -> None:
    # A charter question's topic is the text of its part, which any network's charter maps to
    # its own part (test_topics.py), never a part's number.
    for example in meaning.load_examples():
        assert example.intent in u.INTENTS
        assert example.task is None or example.task in {t.name for t in u.TASKS}
        assert example.topic is None or not example.topic.startswith("charter:")


def test_a_passage_space_scores_each_key_by_its_best_passage() -> None:
    space = meaning.PassageSpace(
        [
            ("vote", "Le scrutin est secret."),
            ("vote", "Chacun peut changer son vote jusqu'à la clôture."),
            ("data", "L'annuaire ne montre que ce que chacun accepte de partager."),
        ]
    )
    scores = space.scores(meaning.vector("puis-je modifier mon vote avant la fin ?"))
    assert set(scores) == {"vote", "data"}
    assert scores["vote"] > scores["data"]


def test_the_knowledge_prepares_its_passages_once(known: Knowledge) -> None:
    known.prepare_meaning()
    assert known.meaning_ready
    assert known.charter_meaning(2) is known.charter_meaning(2)
    # Each version's part for every topic of the examples is found then, not on a question.
    topics = meaning.examples().topic_classifier.intents
    assert {(version, topic) for version in known.charters for topic in topics} <= set(
        known._topics
    )


@pytest.mark.parametrize(
    ("question", "intent", "source"),
    [
        # Words alone: out of scope (no cue word is there); the examples say what it asks.
        ("What exactly is a referent supposed to do?", "charter", "charter:v2:article:7"),
        ("How did the network come about in the first place? Who started it?", "about", "about"),
        ("quel genre de collectivités font partie du réseau ?", "about", "about"),
    ],
)
def test_the_examples_vote_reads_what_the_words_miss(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, intent: str, source: str
) -> None:
    best = u.understand(question, known).best
    assert (best.intent, best.source) == (intent, source)
    monkeypatch.setattr(u, "EXAMPLE_WEIGHT", 0.0)
    without = u.understand(question, known).best
    assert (without.intent, without.source) != (intent, source)


def test_a_topic_the_charter_s_words_miss_gets_the_paragraph_closest_in_meaning(
    known: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « habitants » is in no paragraph: the words find nothing, the meaning finds the closest.
    best = u.understand("la charte parle des habitants ?", known).best
    assert best.intent == "charter"
    assert best.detail == "closest"
    assert best.part is not None and best.part.article is not None
    monkeypatch.setattr(u, "MEANING_FLOOR", 1.1)
    assert u.understand("la charte parle des habitants ?", known).best.detail == "nothing-found"


def test_the_stored_vectors_and_classifier_are_those_of_the_examples() -> None:
    """`benchmarks/build_examples.py` stores the examples' vectors and the classifier trained on
    them; a stale file would be ignored (and cost the first question its encoding and
    training): rebuild it with the examples."""
    every = meaning.load_examples()
    stored = meaning._stored(every)
    assert stored is not None, "examples.npz is stale: run benchmarks/build_examples.py"
    vectors, classifier = stored.vectors, stored.classifier
    assert stored.topics is not None
    assert set(stored.topics.intents) == {e.topic for e in every if e.topic}
    sample = [0, len(every) // 2, len(every) - 1]
    fresh = meaning.encode([every[i].text for i in sample])
    assert np.allclose(vectors[sample], fresh, atol=2e-3)
    assert set(classifier.intents) == {e.intent for e in every}
    # The whole space uses the stored classifier; one with a set withheld trains its own.
    assert meaning.examples().classifier is not None
    assert np.array_equal(meaning.examples().classifier.weights, classifier.weights)
    assert meaning.examples().topic_classifier is not None
    assert np.array_equal(meaning.examples().topic_classifier.weights, stored.topics.weights)
    with meaning.withholding("fresh3"):
        assert not np.array_equal(meaning.examples().classifier.weights, classifier.weights)
        withheld = meaning.examples().topic_classifier
        assert withheld is not None
        assert not np.array_equal(withheld.weights, stored.topics.weights)


def test_stale_vectors_are_not_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = [
        meaning.Example("le vote est-il secret ?", "charter", None, "t"),
        meaning.Example("bonjour", "social", None, "t"),
    ]
    stale = tmp_path / "examples.npz"
    meaning.save_vectors([meaning.Example("autre chose", "social", None, "t")], stale)
    monkeypatch.setattr(meaning, "VECTORS", stale)
    assert meaning._stored(examples) is None
    # Relabelled examples are stale too: the classifier learnt the old labels.
    meaning.save_vectors([examples[0], meaning.Example("bonjour", "charter", None, "t")], stale)
    assert meaning._stored(examples) is None
    meaning.save_vectors(examples, stale)
    assert meaning._stored(examples) is not None


def closest_paragraph(
    similarity: dict[int, float], index: Retriever, hits: list[Hit] | None = None
) -> Hit | None:
    """The charter paragraph the understanding takes as closest when the words found none."""
    return u._closest(similarity, index, hits or [], share=u.WORDS_SHARE, floor=u.MEANING_FLOOR)


def test_the_closest_paragraph_is_the_one_meaning_and_words_both_point_to(
    known: Knowledge,
) -> None:
    index = known.charter_index[2]
    first, second = 0, 1
    # Meaning alone is below the floor: nothing is close enough.
    similarity = {first: 0.27, second: 0.25}
    assert closest_paragraph(similarity, index) is None
    # The words found the second paragraph best: together they reach it.
    hits = [Hit(index.docs[second], 2.0, 0.2), Hit(index.docs[first], 0.5, 0.1)]
    closest = closest_paragraph(similarity, index, hits)
    assert closest is not None and closest.doc is index.docs[second]
    # A paragraph close enough in meaning is found without words.
    near = closest_paragraph({first: 0.45, second: 0.25}, index)
    assert near is not None and near.doc is index.docs[first]
    # With a margin (decisions, proposals), a lead too small is no answer.
    assert u._closest({first: 0.45, second: 0.42}, index, (), share=0.1, floor=0.3) is not None
    assert (
        u._closest({first: 0.45, second: 0.42}, index, (), share=0.1, floor=0.3, margin=0.08)
        is None
    )
