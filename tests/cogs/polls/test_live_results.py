"""Live results that protect each vote: a secret poll's live or after-vote figures (results,
turnout) move only in steps of at least `LIVE_STEP` different voters, and show nothing before.

The rule itself (`ballots.snapshot`, pure) is tested on its own; end to end, voters cast one
ballot at a time on the real bot (first ballots and changes, mixed choices) and, after each one,
every view is read — `/scrutin resultats` as another member, `/scrutin liste`, the poll message's
content and embeds and its edits — to prove that no view moves unless at least `LIVE_STEP`
different voters cast since it last moved, that what it then shows is the exact tally at that
moment, and that nothing is shown before `LIVE_STEP` voters. Public polls are unaffected, and
closing publishes the exact result."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cogs.polls._publisher as publisher_module
from rtes_bot.catalog import t
from rtes_bot.counting.render import counted
from rtes_bot.services import ballots
from rtes_bot.services.ballots import LIVE_STEP, Snapshot, Steps, Unsealed, snapshot
from tests.emulator.harness import run_client
from tests.support.catalog import fixed_part, says
from tests.support.rig import TEST_TOKEN, make_bot
from tests.support.voting import (
    close_by_command,
    open_poll,
    poll_message,
    setup_network,
    vote_text,
)

K = LIVE_STEP
CHOICES = ("pour", "contre", "abstention")


# ------------------------------------------------------------------ the rule (pure)


def cast(voter: str, content: Any = "pour", weight: int = 1) -> Unsealed:
    return Unsealed(voter, content, weight)


def tally(shot: Snapshot) -> dict[str, Any]:
    return {b.voter_ref: b.content for b in shot.latest}


def test_the_step_is_at_least_three() -> None:
    assert LIVE_STEP >= 3
    with pytest.raises(ValueError):
        snapshot([], step=2)


def test_nothing_is_shown_before_k_different_voters() -> None:
    assert snapshot([]).empty
    few = [cast(f"elu:{i}") for i in range(K - 1)]
    assert snapshot(few).empty and snapshot(few).turnout == 0
    # Changes of the same voters do not make up the missing voters.
    again = few + [cast("elu:0", "contre") for _ in range(10)]
    assert snapshot(again).empty
    enough = [*few, cast("elu:new", "abstention")]
    shot = snapshot(enough)
    assert shot.turnout == K and shot.arrivals == K
    assert tally(shot) == {**{f"elu:{i}": "pour" for i in range(K - 1)}, "elu:new": "abstention"}


def test_one_voter_casting_again_and_again_cannot_push_a_step() -> None:
    """Otherwise a voter could re-cast K-1 times right after a step and read the next voter's
    ballot off the following step."""
    first = [cast(f"elu:{i}") for i in range(K)]
    eve = [cast("elu:eve", "pour") for _ in range(5 * K)]
    shot = snapshot(first + eve)
    assert shot == snapshot(first)
    victim = cast("elu:bruno", "contre")
    assert snapshot([*first, *eve, victim]) == snapshot(first)  # still only two voters since
    third = cast("elu:claire", "pour")
    moved = snapshot([*first, *eve, victim, third])
    assert moved != shot and tally(moved)["elu:bruno"] == "contre"


def test_a_change_counts_for_its_voter_and_is_shown_at_the_next_step() -> None:
    rows = [cast("elu:a", "pour"), cast("elu:b", "pour"), cast("elu:c", "pour")]
    assert Counter(tally(snapshot(rows)).values()) == {"pour": 3}
    rows += [cast("elu:a", "contre"), cast("elu:b", "contre")]
    assert Counter(tally(snapshot(rows)).values()) == {"pour": 3}  # two voters since: no step
    rows += [cast("elu:c", "contre")]  # three different voters changed: a step, turnout equal
    shot = snapshot(rows)
    assert Counter(tally(shot).values()) == {"contre": 3} and shot.turnout == 3


def test_weights_travel_with_the_ballot() -> None:
    rows = [cast("col:1", "pour", 5), cast("col:2", "contre", 2), cast("col:3", "pour", 1)]
    assert sorted(b.weight for b in snapshot(rows).latest) == [1, 2, 5]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.sampled_from(CHOICES)),
        max_size=60,
    )
)
def test_every_step_hides_each_ballot_among_at_least_k_voters(
    casts: list[tuple[int, str]],
) -> None:
    """Over any arrival sequence: the snapshot of each prefix either equals the previous one or
    is the exact state at that prefix, reached after at least K different voters cast since the
    previous step; a step never moves once later rows arrive (the rule reads only the past)."""
    rows = [cast(f"elu:{v}", c) for v, c in casts]
    previous = Snapshot()
    since: set[str] = set()
    for n in range(1, len(rows) + 1):
        since.add(rows[n - 1].voter_ref)
        shot = snapshot(rows[:n])
        if shot != previous:
            assert len(since) >= K, (n, since)
            state: dict[str, Any] = {}
            for row in rows[:n]:
                state[row.voter_ref] = row.content
            assert tally(shot) == state and shot.arrivals == n
            since = set()
        else:
            assert len(since) < K, (n, since)  # a step was due and not taken
        previous = shot


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from(CHOICES)), max_size=50),
    st.lists(st.integers(0, 8), max_size=20),
)
def test_fed_as_rows_arrive_the_rule_gives_the_same_snapshot(
    casts: list[tuple[int, str]], cuts: list[int]
) -> None:
    """The ballot box keeps one `Steps` per open poll and feeds it only the rows read since its
    last read (reads may overlap: rows already taken are skipped): after every read, the same
    snapshot as the rule over all the rows so far."""
    rows = [(i, cast(f"elu:{v}", c)) for i, (v, c) in enumerate(casts, start=1)]
    steps = Steps()
    end = 0
    for cut in cuts:
        end = min(len(rows), end + cut)
        overlap = max(0, steps.last_id - 2)  # a concurrent reader's older read
        assert steps.feed(rows[overlap:end]) == snapshot(b for _, b in rows[:end])
    assert steps.feed(rows) == snapshot(b for _, b in rows)


# ------------------------------------------------------------------ end to end


@dataclass
class Views:
    """Everything a member can read about the poll's figures at one moment."""

    results: str  # /scrutin resultats as the observer
    listing: str  # /scrutin liste as the observer
    message: str  # the poll message: content and embeds
    edits: int  # edits of the poll message so far

    def shown(self) -> tuple[str, str, str]:
        return self.results, self.listing, self.message


async def settle(rig: Any) -> None:
    """Let the poll message's refreshes run to their end."""
    publisher = rig.bot.publisher
    for _ in range(100):
        tasks = list(publisher._tasks)
        if not tasks:
            return
        await asyncio.gather(*tasks, return_exceptions=True)
    raise AssertionError("the poll message's refreshes never settled")


async def read_views(rig: Any, observer: Any, poll: Any) -> Views:
    await settle(rig)
    r = await rig.emu.slash(
        rig.guild, observer, "scrutin", subcommand="resultats", options={"numero": poll.number}
    )
    await r.wait_done()
    assert r.ephemeral
    listing = await rig.emu.slash(rig.guild, observer, "scrutin", subcommand="liste")
    await listing.wait_done()
    message = poll_message(rig, poll)
    body = message.content + "\n" + json.dumps(message.embeds, ensure_ascii=False, sort_keys=True)
    return Views(r.text, listing.text, body, len(message.edits))


def counts_text(state: dict[str, str]) -> str:
    """The counts as the outcome sentence gives them (« : 1 pour, 0 contre, 2 abstentions ; »)."""
    c = Counter(state.values())
    text = t("counting.sentence.for_against", "fr", pour=c["pour"], contre=c["contre"])
    if c["abstention"]:
        text += ", " + counted("counting.abstentions", c["abstention"], "fr")
    return f": {text} ;"


def script(voters: int) -> list[tuple[int, str]]:
    """One ballot at a time: everyone votes (mixed choices), some change their vote, one voter
    re-casts again and again (which must not move anything by itself)."""
    rng = random.Random(20261206)
    casts: list[tuple[int, str]] = []
    for i in range(voters):
        casts.append((i, CHOICES[(i * 7 + i // 3) % 3]))
        if i in (2, 6):
            casts.append((i - 1, "contre" if casts[-2][1] != "contre" else "pour"))
        if i == 4:
            casts += [(4, rng.choice(CHOICES)) for _ in range(K + 1)]
    casts += [(0, "abstention"), (voters - 1, "pour")]
    return casts


@pytest.mark.parametrize("visibility", ["en-direct", "apres-vote"])
async def test_live_views_move_only_in_steps_that_hide_each_ballot(
    rig: Any, monkeypatch: pytest.MonkeyPatch, visibility: str
) -> None:
    monkeypatch.setattr(publisher_module, "REFRESH_DELAY", 0.01)
    await setup_network(rig)
    voters = [await rig.elu(f"Votant·e {i:02d}") for i in range(3 * K + 2)]
    watcher = await rig.elu("Olga Observatrice")
    poll, _ = await open_poll(rig, question="Budget participatif ?", resultats=visibility)
    if visibility == "apres-vote":
        # Results are for those who voted: the observer votes first, before anyone else.
        await vote_text(rig, watcher.user, poll.number, "abstention")
        casts = [(-1, "abstention"), *script(len(voters))]
        people = {-1: watcher, **dict(enumerate(voters))}
    else:
        casts = script(len(voters))
        people = dict(enumerate(voters))

    state: dict[str, str] = {}
    since: set[str] = set()
    previous: Views | None = None
    shown: tuple[str, int] | None = None  # the figures of the last step (counts, turnout)
    changes = 0
    for step, (who, choice) in enumerate(casts):
        if who != -1 or step != 0:
            _, answer = await vote_text(rig, people[who].user, poll.number, choice)
            assert says(answer.text, "vote.enregistre") or says(answer.text, "vote.remplace"), (
                answer.text
            )
        state[f"voter:{who}"] = choice
        since.add(f"voter:{who}")
        views = await read_views(rig, watcher.user, poll)
        if len(since) >= K:
            # A step: every view shows the exact figures of this moment; the message is edited
            # when its turnout moved (it shows no tally), and only then.
            figures = (counts_text(state), len(state))
            assert counts_text(state) in views.results, (step, views.results)
            assert says(views.results, "scrutin.resultats.paliers", nombre=len(state), palier=K)
            turnout = t("scrutin.votants.palier", "fr", nombre=len(state), palier=K)
            assert turnout in views.listing and turnout in views.message
            if previous is not None:
                assert (views.results != previous.results) == (figures != shown), step
                turnout_moved = shown is None or figures[1] != shown[1]
                assert views.edits == previous.edits + int(turnout_moved), step
                assert (views.message != previous.message) == turnout_moved, step
            shown = figures
            changes += 1
            since = set()
        elif previous is not None:
            # Fewer than K different voters since the last step: nothing moved, no edit.
            assert views.shown() == previous.shown(), (step, views, previous)
            assert views.edits == previous.edits, step
        if changes == 0:
            assert says(views.results, "scrutin.resultats.palier-attente"), views.results
            assert not says(views.results, "counting.render.pour_contre_counts")  # no figure
            waiting = t("scrutin.votants.avant-palier", "fr", palier=K)
            assert waiting in views.listing and waiting in views.message
        previous = views
    assert changes >= 4  # 3·K+2 voters and their changes went through several steps
    assert says(previous.message if previous else "", "scrutin.paliers", palier=K)

    # Closing publishes the exact final result (the last voters since the step included).
    await close_by_command(rig.emu, rig.guild, rig.admin, poll.number)
    after = await read_views(rig, watcher.user, poll)
    assert counts_text(state) in after.results
    assert exact_turnout(after.message, len(state))
    assert not says(after.message, "scrutin.paliers", palier=K)


async def test_steps_survive_a_restart(rig: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The snapshot is derived from the stored ballots: after a restart every view shows the same
    step, the voters who cast since it still count towards the next one, and the first vote
    after the restart does not re-send the poll message unchanged."""
    monkeypatch.setattr(publisher_module, "REFRESH_DELAY", 0.01)
    await setup_network(rig)
    people = [await rig.elu(f"Votant·e {i}") for i in range(2 * K)]
    watcher = await rig.elu("Olga Observatrice")
    poll, _ = await open_poll(rig, question="Redémarrage ?", resultats="en-direct")
    choices = [CHOICES[(3 * i + 1) % 3] for i in range(2 * K)]
    for person, choice in zip(people[: K + 1], choices, strict=False):
        await vote_text(rig, person.user, poll.number, choice)
    before = await read_views(rig, watcher.user, poll)
    first_step = {f"v{i}": choices[i] for i in range(K)}
    assert counts_text(first_step) in before.results

    await rig.bot.close()
    await rig.db.dispose()
    second = make_bot(rig.settings, rig.clock)
    async with run_client(rig.emu, second, token=TEST_TOKEN):
        rig.bot = second
        after = await read_views(rig, watcher.user, poll)
        assert after.shown() == before.shown() and after.edits == before.edits
        for i in range(K + 1, 2 * K - 1):
            await vote_text(rig, people[i].user, poll.number, choices[i])
            still = await read_views(rig, watcher.user, poll)
            assert still.shown() == before.shown() and still.edits == before.edits
        await vote_text(rig, people[2 * K - 1].user, poll.number, choices[2 * K - 1])
        moved = await read_views(rig, watcher.user, poll)
        everyone = {f"v{i}": choices[i] for i in range(2 * K)}
        assert counts_text(everyone) in moved.results
        assert t("scrutin.votants.palier", "fr", nombre=2 * K, palier=K) in moved.message
        assert moved.edits == before.edits + 1
        await second.close()


async def test_vote_batches_of_one_poll_commit_in_the_order_of_their_rows(rig: Any) -> None:
    """The snapshot reads the sealed rows in id order: a batch must not commit a lower id after a
    higher one was seen. A second batch for the same poll waits until the first commits (on
    PostgreSQL the poll's turn taken by `write_votes`; on SQLite the write lock)."""
    await setup_network(rig)
    alice, bruno = await rig.elu("Alice Avant"), await rig.elu("Bruno Après")
    poll, _ = await open_poll(rig, question="Ordre ?", resultats="en-direct")
    box = rig.bot.ballot_box
    cached = await box.open_poll_by_number(rig.guild.id, poll.number)
    first, second = (
        dataclasses.replace(box.vote_for(cached, person.user.id), content="pour")
        for person in (alice, bruno)
    )
    dialect = "sqlite" if rig.db.is_sqlite else "postgresql"
    written, release = asyncio.Event(), asyncio.Event()

    async def write(vote: Any, hold: bool) -> None:
        async with rig.db.begin() as session:
            await ballots.write_votes(
                session, [vote], master_key=box.master_key, now=rig.clock.now(), dialect=dialect
            )
            if hold:
                written.set()
                await release.wait()

    holding = asyncio.create_task(write(first, True))
    await written.wait()
    waiting = asyncio.create_task(write(second, False))
    await asyncio.sleep(0.3)
    assert not waiting.done()  # it waits for the first batch's commit
    release.set()
    await asyncio.gather(holding, waiting)
    async with rig.db.read() as session:
        rows = await ballots.arrivals(session, poll.id, box.master_key)
    assert [b.voter_ref for _, b in rows] == [first.voter_ref, second.voter_ref]


async def test_public_polls_and_results_at_closing_keep_their_exact_figures(
    rig: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publisher_module, "REFRESH_DELAY", 0.01)
    await setup_network(rig)
    alice = await rig.elu("Alice Martin")
    watcher = await rig.elu("Olga Observatrice")
    public, _ = await open_poll(rig, question="Public ?", resultats="en-direct", secret=False)
    closing, _ = await open_poll(rig, question="À la clôture ?")
    for poll in (public, closing):
        await vote_text(rig, alice.user, poll.number, "contre")
    views = await read_views(rig, watcher.user, public)
    assert counts_text({"a": "contre"}) in views.results
    assert not says(views.results, "scrutin.resultats.paliers", nombre=1, palier=K)
    assert exact_turnout(views.message, 1)
    assert not says(views.message, "scrutin.paliers", palier=K)
    await settle(rig)
    message = poll_message(rig, closing)
    assert exact_turnout(json.dumps(message.embeds, ensure_ascii=False), 1)


def exact_turnout(text: str, voters: int) -> bool:
    """The poll message's exact turnout « N / M votant·e·s » (whatever the electorate M)."""
    return f'"{voters} / ' in text and fixed_part("roll.participation.elus") in text


async def aide(rig: Any, user: Any, locale: str = "fr") -> Any:
    """`/aide`, once every message it sends has arrived (the commands, then how-to follow-ups)."""
    r = await rig.emu.slash(rig.guild, user, "aide", locale=locale)
    await r.wait_done()
    count = -1
    while count != len(r.messages):  # no new message for 0.3 s: the answer is complete
        count = len(r.messages)
        await asyncio.sleep(0.3)
    return r


async def test_aide_states_the_rule(rig: Any) -> None:
    member = await rig.elu("Mina Membre")
    for locale, language in (("fr", "fr"), ("en-US", "en")):
        r = await aide(rig, member.user, locale)
        assert t("aide.resultats", language, palier=K) in r.text, r.text
    visitor = rig.user("Vera Visiteuse")
    r = await aide(rig, visitor)
    assert t("aide.resultats", "fr", palier=K) not in r.text
    # The bureau sees every command and the rule: the embed stays within Discord's 6,000.
    for locale, language in (("fr", "fr"), ("en-US", "en")):
        r = await aide(rig, rig.admin, locale)
        assert t("aide.resultats", language, palier=K) in r.text
        (embed,) = r.message.embeds
        size = len(embed.get("title", "")) + len(embed.get("description", ""))
        size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        assert size <= 6000, size


def test_the_live_step_is_the_one_the_texts_state() -> None:
    assert ballots.LIVE_STEP == K
    for locale in ("fr", "en"):
        assert str(K) in t("scrutin.paliers", locale, palier=K)
