"""The chatbot's understanding of questions, `rtes_bot.answers` (pure: no Discord, no database)."""

from __future__ import annotations

import pytest

from rtes_bot import answers, charter_text
from rtes_bot.answers import Topic
from rtes_bot.services import charter

FIELDS = [
    answers.FieldRef(
        1, "finances-solidaires", "Création et développement d'activités, finances solidaires"
    ),
    answers.FieldRef(2, "democratie-participative", "Développement de la démocratie participative"),
    answers.FieldRef(3, "services-aux-personnes", "Services aux personnes"),
    answers.FieldRef(4, "commerce-equitable", "Commerce équitable, achat éthique"),
    answers.FieldRef(5, "democratie-locale", "Démocratie locale et éducation populaire"),
    answers.FieldRef(
        6, "environnement", "Protection de l'environnement, de la santé, des ressources naturelles"
    ),
    answers.FieldRef(7, "cooperation-internationale", "Coopération internationale"),
]
PLACES = [
    answers.PlaceRef(1, "Grenoble", "Isère", "38185"),
    answers.PlaceRef(2, "Grenoble-Alpes Métropole", "Isère"),
    answers.PlaceRef(3, "Lille", "Nord", "59350"),
    answers.PlaceRef(4, "Commercy", "Meuse", "55122"),
]


@pytest.fixture(scope="module")
def knowledge() -> answers.Knowledge:
    return answers.Knowledge(
        paragraphs=answers.index_parts(charter_text.parts(charter.default_text())),
        fields=FIELDS,
        places=PLACES,
    )


@pytest.mark.parametrize(
    "question",
    [
        "que dit la charte sur la coopération ?",
        "Que dit la CHARTE sur les coopérations ?",
        "que dit la chartre sur la cooperation",
        "charte coperation ?",
        "What does the charter say about cooperation?",
    ],
)
def test_charter_questions_quote_the_passages_on_cooperation(question: str, knowledge) -> None:
    understood = answers.understand(question, knowledge)
    assert understood.topic == Topic.CHARTER
    quoted = [p.text for p in understood.passages]
    assert any("favorise la coopération et l’action citoyenne" in text for text in quoted)
    assert "coopération internationale." in quoted
    assert all(p.is_charter for p in understood.passages)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("la charte parle-t-elle de santé ?", "protection de l’environnement"),
        ("What does the charter say about the environment?", "protection de l’environnement"),
        ("que dit la charte sur le commerce equitable", "commerce équitable, achat éthique"),
        ("what does the charter say about fair trade", "commerce équitable, achat éthique"),
        ("que dit la charte sur les richesses", "la notion de richesse"),
        ("que dit la charte sur l'hybridation des ressources", "l’hybridation des ressources"),
    ],
)
def test_charter_topics_in_french_and_english(question: str, expected: str, knowledge) -> None:
    understood = answers.understand(question, knowledge)
    assert understood.topic == Topic.CHARTER
    assert expected in understood.passages[0].text


def test_a_charter_topic_it_does_not_know_finds_nothing(knowledge) -> None:
    understood = answers.understand("que dit la charte sur la tartiflette ?", knowledge)
    assert understood.topic == Topic.CHARTER and understood.passages == []
    assert understood.subject == ["tartiflette"]


@pytest.mark.parametrize(
    "question", ["contact ESS à Grenoble", "Contacts ess a GRENOBEL", "qui contacter à grenoble ?"]
)
def test_contact_by_collectivite(question: str, knowledge) -> None:
    understood = answers.understand(question, knowledge)
    assert understood.topic == Topic.CONTACT
    assert understood.places[0].name == "Grenoble"
    assert understood.fields == []


@pytest.mark.parametrize(
    "question",
    [
        "qui suit le commerce équitable ?",
        "Qui suit le COMMERCE EQUITABLES",
        "qui suit le comerce équitable",
        "who works on fair trade?",
    ],
)
def test_contact_by_field(question: str, knowledge) -> None:
    understood = answers.understand(question, knowledge)
    assert understood.topic == Topic.CONTACT
    assert [f.slug for f in understood.fields] == ["commerce-equitable"]
    assert understood.places == []  # « commerce » is not Commercy


@pytest.mark.parametrize(
    "question", ["contacts en Isère", "qui contacter dans le 38 ?", "contact isere"]
)
def test_contact_by_departement(question: str, knowledge) -> None:
    understood = answers.understand(question, knowledge)
    assert understood.topic == Topic.CONTACT
    assert understood.departements == ["Isère"]


@pytest.mark.parametrize(
    ("question", "topic", "language"),
    [
        ("comment adhérer ?", Topic.JOIN, "fr"),
        ("How do I join the network?", Topic.JOIN, "en"),
        ("que peux-tu faire ?", Topic.HELP, "fr"),
        ("what can you do?", Topic.HELP, "en"),
        ("y a-t-il des scrutins ouverts ?", Topic.POLLS, "fr"),
        ("are there open polls?", Topic.POLLS, "en"),
        ("quelle est la recette de la tartiflette ?", Topic.UNKNOWN, "fr"),
        ("what is the weather like tomorrow?", Topic.UNKNOWN, "en"),
    ],
)
def test_topics_and_language(question: str, topic: Topic, language: str, knowledge) -> None:
    understood = answers.understand(question, knowledge)
    assert (understood.topic, understood.language) == (topic, language)


def test_mentions_are_ignored(knowledge) -> None:
    understood = answers.understand(
        "<@123456789012345678> que dit la charte sur la coopération ?", knowledge
    )
    assert understood.topic == Topic.CHARTER and understood.subject == ["cooperation"]
