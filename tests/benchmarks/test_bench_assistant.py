"""The assistant benchmark's own logic, quickly and without timing: the question set holds
(size, languages, intents, askers, every source resolvable on the seeded network), answers are
judged as the contract says (intent and source; an article is its part; an ask-back is right only
when a re-asked choice is), and every email or phone shown without consent is caught."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench_assistant as bench
from rtes_bot.db import Database
from rtes_bot.services.assistant import Answer as AssistantAnswer
from rtes_bot.services.assistant import Choice
from tests.support.assistant_network import seed_network

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
GUILD = 5_150_000


#: The assistant's own answer, as a stand-in `ask` returns it (no link, not private).
Answer = partial(AssistantAnswer, link=None, private=False)


async def _network(database: Database) -> tuple[Any, bench.Sources]:
    network = await seed_network(database, GUILD, now=NOW)
    return network, bench.Sources(network, await bench.charter_texts(database, GUILD))


async def test_the_question_set_holds_on_the_seeded_network(database: Database) -> None:
    questions = bench.load_questions()
    _, sources = await _network(database)
    assert bench.check_set(questions, sources) == []
    heldout = bench.load_questions(bench.QUESTIONS.with_name("assistant_questions_heldout.toml"))
    assert len(heldout) >= 100 and bench.check_set(heldout, sources, full=False) == []
    assert not {q.text for q in heldout} & {q.text for q in questions}
    # The issue's own questions are in the set.
    texts = {q.text for q in questions}
    for quoted in (
        "c'est quoi l'article 3 ?", "c koi larticle 3", "article 3",
        "que dit la charte sur la gouvernance ?", "quel est le texte de la charte ?",
        "comment donner une procuration ?", "comment déposer une proposition ?",
        "le numéro de téléphone de Bruno Leroy", "email d'Anne Dupont", "c'est quoi le RTES ?",
        "merci", "qui est le référent de Lyon ?", "comment je vote ?", "contact for Lyon",
    ):  # fmt: skip
        assert quoted in texts, quoted


def test_a_malformed_question_set_is_refused_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "questions.toml"
    path.write_text(
        '[[question]]\ntext = "bonjour"\nlanguage = "fr"\nintent = "social"\nsource = "about"\n'
        '[[question]]\ntext = "x"\nlanguage = "de"\nintent = "weather"\n'
        '[[question]]\ntext = "y"\nlanguage = "fr"\nintent = "howto"\nsource = "howto:danser"\n'
        '[[question]]\ntext = "z"\nlanguage = "fr"\nintent = "poll"\nsource = "poll:open"\n'
        'asker = "robot"\n',
        encoding="utf-8",
    )
    with pytest.raises(bench.InvalidQuestions) as refused:
        bench.load_questions(path)
    message = str(refused.value)
    for part in ("social has no source", "language must be", "unknown intent 'weather'",
                 "unknown task 'howto:danser'", "unknown asker 'robot'"):  # fmt: skip
        assert part in message, part


async def test_sources_resolve_through_the_seed_and_articles_are_their_parts(
    database: Database,
) -> None:
    network, sources = await _network(database)
    assert sources.resolve("member:@Anne Dupont") == f"member:{network.members['Anne Dupont']}"
    assert sources.resolve("collectivite:@Lyon") == f"collectivite:{network.collectivites['Lyon']}"
    # « Article 4 — Gouvernance » is the 6th part of version 2 (after two context parts).
    assert sources.canonical("charter:v2:article:4") == "charter:v2:part:6"
    assert sources.canonical("charter:v1:part:5") == "charter:v1:part:5"
    for unknown in ("member:@Personne Inconnue", "decision:21", "poll:3", "proposal:99",
                    "charter:v2:article:11", "charter:v3", "charter:v1:part:9"):  # fmt: skip
        with pytest.raises(KeyError):
            sources.resolve(unknown)


def _question(text: str, intent: str, source: str | None, **extra: Any) -> bench.Question:
    return bench.Question(index=1, text=text, language="fr", intent=intent, source=source, **extra)


async def test_answers_are_judged_as_the_contract_says(database: Database) -> None:
    network, sources = await _network(database)
    anne = network.members["Anne Dupont"]
    answers = {
        # right: intent and source
        "email d'Anne Dupont": Answer(
            "contact", f"member:{anne}", "fr", "Anne Dupont — anne.dupont@mairie-lyon.fr"
        ),
        # right: the part that is « Article 4 »
        "gouvernance ?": Answer("charter", "charter:v2:part:6", "fr", "« Le réseau est … »"),
        # wrong source
        "article 3": Answer("article", "charter:v2:article:4", "fr", "Article 4 — Gouvernance"),
        # asked back, the expected reading among the choices
        "procuration": Answer(
            "howto",
            None,
            "fr",
            "Vous voulez dire ?",
            choices=(Choice("voter", "comment voter ?"), Choice("procuration", "donner procu")),
        ),
        "comment voter ?": Answer("howto", "howto:voter", "fr", "/voter"),
        "donner procu": Answer("howto", "howto:procuration", "fr", "/procuration donner"),
        # asked back, the expected reading missing
        "merci": Answer("social", None, "fr", "?", choices=(Choice("voter", "comment voter ?"),)),
        # an equally right reading (`also`)
        "comment je vote ?": Answer("howto", "howto:voter", "fr", "/voter …"),
        # asked back, the choice re-asked in the assistant's words: an article question
        "gouvernance": Answer(
            "charter", None, "fr", "?", choices=(Choice("Article 4 — Gouvernance", "article 4"),)
        ),
        "article 4": Answer("article", "charter:v2:article:4", "fr", "Article 4 — Gouvernance"),
    }

    async def stand_in(session: Any, actor: Any, text: str, **_: Any) -> AssistantAnswer:
        return answers[text]

    runner = bench.AskRunner(database, network, sources, stand_in)
    outcomes = await runner.run(
        [
            _question("email d'Anne Dupont", "contact", "member:@Anne Dupont"),
            _question("gouvernance ?", "charter", "charter:v2:article:4"),
            _question("article 3", "article", "charter:v2:article:3"),
            _question("procuration", "howto", "howto:procuration"),
            _question("merci", "social", None),
            _question("comment je vote ?", "poll", "poll:open", also=("howto:voter",)),
            _question("gouvernance", "charter", "charter:v2:article:4"),
        ]
    )
    assert [o.correct for o in outcomes] == [True, True, False, True, False, True, True]
    assert [o.asked_back for o in outcomes] == [False, False, False, True, True, False, True]
    report = bench.Report("stand-in", outcomes)
    text = "\n".join(report.lines())
    assert "Accuracy: 5/7 (71.4 %)" in text and "Asked back: 3 (right among them: 2)" in text
    assert "expected article charter:v2:article:3; got article charter:v2:article:4" in text
    assert "| howto | 1/1 (100.0 %) | 1 |" in text


async def test_every_contact_shown_without_consent_is_caught(database: Database) -> None:
    network, _ = await _network(database)
    member = _question("q", "contact", "member:@Anne Dupont")
    visitor = _question("q", "contact", "member:@Anne Dupont", asker="visitor")
    pending = _question("q", "contact", "member:@Hugo Chevalier", asker="pending")

    def leaks(question: bench.Question, text: str) -> set[tuple[str, str]]:
        return {(leak.person, leak.what) for leak in bench.contact_leaks(question, [text], network)}

    # Shared contacts, shown to a member: fine, in any spelling.
    assert leaks(member, "ANNE.DUPONT@mairie-lyon.fr, Bruno : 06 76 20 02 01") == set()
    assert leaks(member, "Bruno : +33 6 76 20 02 01") == set()
    # Not shared: Anne's phone, Bruno's email, in any usual spelling.
    assert leaks(member, "Anne : 04.72.10.01.01") == {("Anne Dupont", "phone")}
    assert leaks(member, "+33472100101") == {("Anne Dupont", "phone")}
    assert leaks(member, "bruno.leroy@grenoble.fr") == {("Bruno Leroy", "email")}
    # A pending, refused or departed person is in nobody's directory.
    assert leaks(member, "hugo.chevalier@mairie-nantes.fr") == {("Hugo Chevalier", "email")}
    assert leaks(member, "06 76 20 02 04") == {("Vincent Perrin", "phone")}
    # Visitors see no contact at all; a pending person sees their own card only.
    assert leaks(visitor, "anne.dupont@mairie-lyon.fr") == {("Anne Dupont", "email")}
    assert leaks(pending, "hugo.chevalier@mairie-nantes.fr, 06 40 41 04 04") == set()
    assert leaks(pending, "06 76 20 02 01") == {("Bruno Leroy", "phone")}
    # Other numbers (poll numbers, dates, years) are not phones.
    assert leaks(member, "Scrutin n°21, clôture le 11/12/2026 à 18:00, 2001") == set()


def test_without_the_assistant_the_benchmark_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import rtes_bot.services

    monkeypatch.setitem(sys.modules, "rtes_bot.services.assistant", None)
    # Once imported elsewhere in the same process, the package holds it as an attribute too.
    monkeypatch.delattr(rtes_bot.services, "assistant", raising=False)
    with pytest.raises(SystemExit) as stopped:
        bench.load_ask()
    assert "rtes_bot.services.assistant cannot be imported" in str(stopped.value)


async def test_every_open_poll_shown_to_someone_who_may_not_see_it_is_caught(
    database: Database,
) -> None:
    network, _ = await _network(database)
    member = _question("q", "poll", "poll:open")
    visitor = _question("q", "poll", "poll:open", asker="visitor")
    bureau = _question("q", "poll", "poll:open", asker="bureau")
    restricted = network.polls[24].question  # the finances field's, not the member's field
    assert network.polls[24].field is not None and not network.may_see_poll("member", 24)

    def unseen(question: bench.Question, text: str) -> set[int]:
        return {u.poll for u in bench.poll_leaks(question, [text], network)}

    everyone = network.polls[23].question
    assert unseen(member, f"Scrutin n°23 : {everyone}") == set()
    assert unseen(member, f"Scrutin n°24 : {restricted}") == {24}
    assert unseen(member, restricted.upper().replace("É", "E")) == {24}
    assert unseen(member, "voir le scrutin #25") == {25}
    assert unseen(bureau, f"Scrutin n°24 : {restricted}, scrutin 25") == set()
    # Visitors and pending members see no poll at all.
    assert unseen(visitor, f"Scrutin n°23 : {everyone}") == {23}
    # Other numbers are not polls.
    assert unseen(member, "Article 24, 25 membres, 2024") == set()


async def test_the_script_runs_end_to_end_on_a_small_question_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "questions.toml"
    path.write_text(
        '[[question]]\ntext = "merci"\nlanguage = "fr"\nintent = "social"\n'
        '[[question]]\ntext = "article 3"\nlanguage = "fr"\nintent = "article"\n'
        'source = "charter:v2:article:3"\n'
        '[[question]]\ntext = "email d\'Anne Dupont"\nlanguage = "fr"\nintent = "contact"\n'
        'source = "member:@Anne Dupont"\nasker = "visitor"\n',
        encoding="utf-8",
    )

    async def stand_in(session: Any, actor: Any, text: str, **_: Any) -> AssistantAnswer:
        if text == "merci":
            return Answer("social", None, "fr", "Avec plaisir !")
        return Answer("contact", None, "fr", "Anne Dupont : anne.dupont@mairie-lyon.fr")

    monkeypatch.setattr(bench, "load_ask", lambda: stand_in)
    status = await bench.main(["--quick", "--questions", str(path)])
    printed = capsys.readouterr().out
    assert status == 1  # below the accuracy target, and a contact shown to a visitor
    assert "Accuracy: 1/3 (33.3 %)" in printed
    assert "Contact fields shown without consent: 1 (target 0)" in printed
    assert "Anne Dupont's email" in printed
    assert "Latency per question: p50" in printed


async def test_check_and_describe_ask_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """For writing blind sets: `--check` validates a file and `--describe` prints the network,
    neither asking the assistant anything."""

    def never() -> Any:
        raise AssertionError("the assistant was asked")

    monkeypatch.setattr(bench, "load_ask", never)
    path = tmp_path / "questions.toml"
    path.write_text(
        '[[question]]\ntext = "article 3"\nlanguage = "fr"\nintent = "article"\n'
        'source = "charter:v2:article:3"\n'
        '[[question]]\ntext = "email"\nlanguage = "fr"\nintent = "contact"\n'
        'source = "member:@Nobody Here"\n',
        encoding="utf-8",
    )
    assert await bench.main(["--check", "--questions", str(path)]) == 2
    printed = capsys.readouterr().out
    assert "2 questions from questions.toml" in printed
    assert "member:@Nobody Here does not resolve" in printed
    assert await bench.main(["--describe"]) == 0
    described = capsys.readouterr().out
    assert "Anne Dupont — active; Lyon;" in described
    assert "shares email" in described
    assert "anne.dupont@" not in described  # the network's shape, never a contact detail
