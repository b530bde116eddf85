"""The assistant's seeded network: deterministic, and what it promises holds in the database."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import col

from rtes_bot.charter_text import parts
from rtes_bot.db import Database
from rtes_bot.models import Elu, EluStatus, Poll, PollStatus
from rtes_bot.permissions import Kind
from rtes_bot.services import access, ballots, charter, directory, polls
from tests.support.assistant_network import (
    COMMERCE,
    CORE_PEOPLE,
    MEMBER_ASKER,
    SeededNetwork,
    seed_network,
)
from tests.support.rig import TEST_MASTER_KEY

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
GUILD = 4_242_000


def _shape(network: SeededNetwork) -> dict[str, object]:
    """What must not depend on the run: every name, consent, number, status and vote."""
    return {
        "people": network.people,
        "referents": network.referents,
        "proposals": network.proposals,
        "polls": network.polls,
        "fields": sorted(network.fields),
        "places": sorted(network.collectivites),
        "versions": network.charter_versions,
    }


async def test_the_seed_is_deterministic_and_numbers_are_stable(database: Database) -> None:
    first = await seed_network(database, GUILD, now=NOW)
    second = await seed_network(database, GUILD + 1, now=NOW)
    assert _shape(first) == _shape(second)
    # The database agrees: the same results, outcomes and numbers in both networks.
    async with database.read() as session:
        rows = (await session.execute(select(Poll).order_by(col(Poll.number)))).scalars().all()
    by_guild: dict[int, list[tuple[object, ...]]] = {}
    for poll in rows:
        by_guild.setdefault(poll.guild_id, []).append(
            (poll.number, poll.question, poll.status, poll.outcome, poll.closes_at)
        )
    assert by_guild[GUILD] == by_guild[GUILD + 1]
    # Another seed draws other random choices, but the named core keeps its numbers.
    other = await seed_network(database, GUILD + 2, now=NOW, seed=7)
    assert {n: p.question for n, p in other.polls.items()} == {
        n: p.question for n, p in first.polls.items()
    }


async def test_what_the_network_promises_holds(database: Database) -> None:
    network = await seed_network(database, GUILD, now=NOW)
    assert len(network.people) == 30
    assert len(network.decisions) == 20 and len(network.open_polls) == 5
    async with database.read() as session:
        # Charter: version 1 (the packaged text) and version 2 in numbered articles, current.
        current = await charter.current_version(session, GUILD)
        assert current.version == 2
        assert (await charter.get_version(session, GUILD, 1)).text == charter.default_text()
        titles = [part.title for part in parts(current.text)]
        for number in range(1, 9):
            assert any(title.startswith(f"Article {number} — ") for title in titles), number
        assert "Article 4 — Gouvernance" in titles
        # Members: statuses and varied consent, as stored.
        elus = (
            (await session.execute(select(Elu).where(col(Elu.guild_id) == GUILD))).scalars().all()
        )
        stored = {elu.full_name: elu for elu in elus}
        assert Counter(elu.status for elu in elus) == Counter(
            {EluStatus.ACTIVE: 27, EluStatus.PENDING: 1, EluStatus.REJECTED: 1, EluStatus.LEFT: 1}
        )
        consents = {
            (p.share_email, p.share_phone)
            for p in network.people.values()
            if p.status == EluStatus.ACTIVE
        }
        assert consents == {(False, False), (True, False), (False, True), (True, True)}
        for person in network.people.values():
            elu = stored[person.name]
            assert elu.id == network.member_id(person.name)
            assert (elu.email, elu.phone) == (person.email, person.phone)
            assert (elu.share_email, elu.share_phone) == (person.share_email, person.share_phone)
            # The directory's own rule agrees with the network's consent oracle (for another
            # member looking at an active member's card).
            if person.status == EluStatus.ACTIVE and person.name != MEMBER_ASKER:
                card = directory.visible_card(elu)
                for what, shown in (("email", card.email), ("phone", card.phone)):
                    assert (shown is not None) == network.may_see_contact(
                        "member", person.name, what
                    )
        # The people and référents.
        assert stored["Anne Dupont"].share_email and not stored["Anne Dupont"].share_phone
        assert stored["Bruno Leroy"].share_phone and not stored["Bruno Leroy"].share_email
        assert network.referents["Lyon"] == "Karim Benali" and stored["Karim Benali"].is_referent
        referents = [e.full_name for e in elus if e.is_referent]
        assert sorted(referents) == sorted(network.referents.values())
        # Decisions: closed polls tied to proposals, adopted and rejected, and chosen options.
        outcomes = Counter(network.polls[n].outcome for n in network.decisions)
        assert outcomes["adoptee"] >= 10 and outcomes["rejetee"] >= 4 and outcomes["elu"] == 2
        assert outcomes["quorum-non-atteint"] == 1
        registry = await polls.decisions(session, GUILD, limit=100)
        assert {p.number for p in registry} == {
            n for n in network.decisions if network.polls[n].outcome in ("adoptee", "elu")
        }
        for number in network.decisions:
            poll = await polls.get_by_number(session, GUILD, number)
            assert poll.status == PollStatus.CLOSED and poll.message_id is not None
            assert poll.outcome == network.polls[number].outcome
            if network.polls[number].proposal is not None:
                proposal = network.proposals[network.polls[number].proposal or 0]
                assert proposal.status == poll.outcome and proposal.poll == number
        assert {p.status for p in network.proposals.values()} == {
            "adoptee", "rejetee", "quorum-non-atteint", "au-vote", "en-debat", "retiree",
        }  # fmt: skip
        # Open polls: some restricted to a field; the member who asks voted in some only.
        restricted = [n for n in network.open_polls if network.polls[n].field is not None]
        assert restricted and len(restricted) < len(network.open_polls)
        asker = network.member_id(MEMBER_ASKER)
        voted = set()
        for number in network.open_polls:
            poll = await polls.get_by_number(session, GUILD, number)
            assert poll.status == PollStatus.OPEN and poll.closes_at > NOW
            entry = await ballots.entry_cast_by(session, poll.id or 0, asker)
            if entry is not None and entry.voted:
                voted.add(number)
            assert (MEMBER_ASKER in network.polls[number].voters) == (number in voted)
            listed = {e.elu_id for e in await ballots.entries(session, poll.id or 0)}
            if network.polls[number].field == COMMERCE:
                commerce = {network.member_id(p.name) for p in network.people.values()
                            if COMMERCE in p.fields and p.status == EluStatus.ACTIVE}  # fmt: skip
                assert listed == commerce
        assert voted and voted != set(network.open_polls)
        sealed = await ballots.live_ballots(
            session, await polls.get_by_number(session, GUILD, network.open_polls[0]),
            TEST_MASTER_KEY,
        )  # fmt: skip
        assert sealed.counted
        # One actor per kind of person.
        kinds = {
            kind: (await access.resolve(session, actor)).kinds
            for kind, actor in network.actors.items()
        }
        assert kinds["visitor"] == {Kind.VISITOR}
        assert Kind.PENDING in kinds["pending"] and Kind.ELU not in kinds["pending"]
        assert Kind.ELU in kinds["member"] and Kind.BUREAU not in kinds["member"]
        assert Kind.BUREAU in kinds["bureau"] and Kind.ELU not in kinds["bureau"]


async def test_consent_oracle_follows_the_directory_rules(database: Database) -> None:
    network = await seed_network(database, GUILD, now=NOW)
    # Visitors and pending people see nobody's contact; members and the bureau what is shared;
    # nobody sees a pending, refused or departed person's contact; everyone sees their own.
    assert not network.may_see_contact("visitor", "Anne Dupont", "email")
    assert not network.may_see_contact("pending", "Anne Dupont", "email")
    assert network.may_see_contact("member", "Anne Dupont", "email")
    assert network.may_see_contact("bureau", "Anne Dupont", "email")
    assert not network.may_see_contact("member", "Anne Dupont", "phone")
    assert not network.may_see_contact("member", "Hugo Chevalier", "email")
    assert not network.may_see_contact("bureau", "Vincent Perrin", "phone")
    assert network.may_see_contact("pending", "Hugo Chevalier", "phone")
    assert network.may_see_contact("member", MEMBER_ASKER, "phone")


async def test_a_larger_network_adds_people_and_decisions_in_the_same_shape(
    database: Database,
) -> None:
    small = await seed_network(database, GUILD, now=NOW)
    large = await seed_network(database, GUILD + 1, now=NOW, members=120, decisions=60)
    assert len(large.people) == 120 and len(large.decisions) == 60
    # The core keeps its numbers and people; the additions are active members and decisions.
    core = {name for name in small.people}
    assert {n: p for n, p in large.polls.items() if n in small.polls} == small.polls
    assert all(large.people[name] == small.people[name] for name in core)
    assert len(core) == len(CORE_PEOPLE)
    async with database.read() as session:
        active = (
            await session.execute(
                select(func.count())
                .select_from(Elu)
                .where(col(Elu.guild_id) == GUILD + 1, col(Elu.status) == EluStatus.ACTIVE)
            )
        ).scalar_one()
        assert active == 27 + 90
        for number in large.decisions:
            if number in small.polls:
                continue
            poll = await polls.get_by_number(session, GUILD + 1, number)
            assert poll.outcome == large.polls[number].outcome
            final = await ballots.published_ballots(session, poll)
            counted, _ = await polls.compute_result(session, poll, b"")
            assert counted.outcome == poll.outcome and final.counted
            entries = await ballots.entries(session, poll.id or 0)
            assert len(entries) == poll.electorate_weight
            assert sum(e.voted for e in entries) == len(large.polls[number].voters)
    assert large.asker_names == small.asker_names
