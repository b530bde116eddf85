"""Hostile text made harmless, end to end: a member named like an official link registers,
deposits a proposal and votes in a public poll whose options are spreadsheet formulas. No post of
the bot (bureau card, proposal post, poll message, registry post, directory card) shows a live
link, masked link or heading from their text; the published ballots file holds no formula and
`rtes-bot recount` reads it back to the published result."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import discord
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cogs.onboarding._render import card_embed
from cogs.polls._publisher import poll_embed
from cogs.proposals._render import render_card as render_proposal
from rtes_bot.counting import Ballot, count, read_ballots_csv
from rtes_bot.counting.cli import recount
from rtes_bot.models import Elu, EluStatus, Poll, PollStatus, Proposal, ProposalStatus
from rtes_bot.services import ballots, directory, members, publication
from rtes_bot.services.proposals import Card as ProposalCard
from rtes_bot.text import FORMULA_START, clean_line, fold
from tests.support.onboarding import FORM, card_of, elu_of, installed, register
from tests.support.voting import (
    close_by_command,
    open_poll,
    open_ui,
    poll_message,
    submit_ui,
    ui_step,
)

NAME = "[Bureau RTES — vote officiel](https://evil.example/phish)"
OPTIONS = [
    '=HYPERLINK("https://evil.example/phish","Voir")',
    "-10 % budget",
    "+Vélo",
    "@SUM(A1:A9)",
]
TITLE = "## Vote officiel [ici](https://evil.example/phish)"
TEXT = "# Communiqué du bureau\n-# officiel\n[Cliquez ici](https://evil.example/phish) <@&1>"

_MASKED = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\s*\(")
_HEADING = re.compile(r"(?m)^[ \t]*(#{1,3}[ \t]|-#[ \t])")


def shown_parts(message: Any) -> list[str]:
    """Every text of a message that Discord renders as markdown."""
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [str(embed.get("title") or ""), str(embed.get("description") or "")]
        for field in embed.get("fields") or []:
            parts += [str(field.get("name") or ""), str(field.get("value") or "")]
    return [part for part in parts if part]


def assert_inert(message: Any, where: str, *, free_text: str | None = None) -> None:
    """No live masked link, heading, mention or link to the phishing address; the text is still
    there. `free_text`: a proposal's text, whose bare addresses stay links showing their target
    (no masked link, heading or mention though)."""
    for part in shown_parts(message):
        assert not _MASKED.search(part), (where, part)
        assert not _HEADING.search(part), (where, part)
        assert not re.search(r"(?<!\\)<@&", part), (where, part)
        if part != free_text:
            assert "https://evil.example" not in part, (where, part)


async def test_a_hostile_name_and_formula_options_stay_harmless(rig: Any) -> None:
    await installed(rig)
    registry = rig.emu.find_channel(rig.guild, "registre-des-decisions")
    assert registry is not None
    user = rig.user("Phisher")
    form = {**FORM, "nom": NAME, "collectivite": "[Mairie](https://evil.example)"}
    form["mandat"] = "# Président du bureau"
    await register(rig, user, collectivite_id=None, form=form)
    elu = await elu_of(rig, user)
    assert elu is not None and elu.full_name == NAME  # stored as typed

    # The bureau's card.
    card = card_of(rig, elu.id)
    assert_inert(card, "bureau card")
    assert "evil.example" in card.text  # escaped, not deleted
    validated = await rig.emu.click(rig.guild, rig.admin, card, f"rtes:adhesion:valider:{elu.id}")
    await validated.wait_done()
    assert_inert(card_of(rig, elu.id), "bureau card, validated")

    # The proposal post.
    opened = await rig.emu.slash(rig.guild, user, "proposition", subcommand="deposer")
    if opened.modal is None:  # several fields: choose one first
        (select_menu,) = opened.message.selects
        first = select_menu["options"][0]["label"]
        opened = await rig.emu.click(
            rig.guild, user, opened.message, select_menu["custom_id"], values=[first]
        )
    assert opened.modal is not None, opened.text
    await rig.emu.submit_modal(rig.guild, user, opened, {"titre": TITLE, "texte": TEXT})
    async with rig.db.read() as session:
        proposal = (await session.execute(select(Proposal))).scalars().one()
    assert proposal.thread_id is not None
    post = rig.emu.messages[proposal.thread_id]
    (embed,) = post.embeds
    assert_inert(post, "proposal post", free_text=embed["description"])
    assert "Vote officiel" in post.text and "Cliquez ici" in post.text

    # A public poll whose options are formulas, and the member's ballot.
    admin_vote = await rig.elu("Admin Votant")
    poll, _ = await open_poll(
        rig,
        question="# Budget [officiel](https://evil.example/phish) ?",
        methode="choix-unique",
        options="; ".join(OPTIONS),
        secret=False,
    )
    assert list(poll.options) == OPTIONS
    assert_inert(poll_message(rig, poll), "poll message")
    ui = await open_ui(rig, user, poll)
    ui = await ui_step(rig, user, ui, "rtes:bulletin:choix", values=[OPTIONS[2]])
    await submit_ui(rig, user, ui)
    ui = await open_ui(rig, admin_vote.user, poll)
    ui = await ui_step(rig, admin_vote.user, ui, "rtes:bulletin:choix", values=[OPTIONS[0]])
    await submit_ui(rig, admin_vote.user, ui)

    await close_by_command(rig.emu, rig.guild, rig.admin, poll.number)
    posts = [m for m in rig.emu.channel_messages(registry) if not m.deleted and m.attachments]
    assert len(posts) == 1
    published = posts[0]
    assert_inert(published, "registry post")
    assert_inert(poll_message(rig, poll), "poll message, closed")
    assert "evil.example" in published.text  # the voter's name, escaped
    # The attached list of public votes is plain text: names and labels as typed.
    (names_file,) = [a for a in published.attachments if a.filename.endswith("nominatifs.txt")]
    assert f"{NAME} : {OPTIONS[2]}" in names_file.data.decode("utf-8")

    # The ballots file: no cell is a formula; recount reads the labels back exactly.
    (ballots_file,) = [a for a in published.attachments if a.filename.endswith(".csv")]
    text = ballots_file.data.decode("utf-8")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    options, ballots = read_ballots_csv(text, "choix-unique")
    assert options == OPTIONS and len(ballots) == 2
    async with rig.db.read() as session:
        stored = await session.get(Poll, poll.id, populate_existing=True)
    assert stored is not None and stored.result is not None
    path = rig.settings.data_dir / ballots_file.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    outcome = CliRunner().invoke(recount, [str(path), "--method", "choix-unique", "--json"])
    assert outcome.exit_code == 0, outcome.output
    recounted = json.loads(outcome.output)
    assert recounted["options"] == OPTIONS
    assert recounted["winners"] == stored.result["winners"]
    assert recounted["counts"] == stored.result["counts"]

    # The directory card another member sees.
    found = await rig.emu.slash(
        rig.guild,
        admin_vote.user,
        "annuaire",
        subcommand="chercher",
        options={"recherche": "Bureau RTES"},
    )
    await found.wait_done()
    assert "Bureau RTES" in found.text
    for message in found.messages:
        assert_inert(message, "directory")


# ------------------------------------------------------------------ fuzz over the renderers

_FRAGMENTS = [
    "[", "]", "(", ")", "https://evil.example/x", "evil.example", "# ", "## ", "### ", "-# ",
    "> ", ">>> ", "- ", "1. ", "<@123>", "<#45>", "<@&6>", "*", "_", "~", "`", "|", "\\", "=",
    "+", "-", "@", ":", "Vote", " officiel ", "é", " ", "\n", "\t",
]  # fmt: skip
hostile = st.one_of(
    st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=12).map("".join),
    st.text(max_size=30),
)
one_line = hostile.map(clean_line).filter(bool)
_LIVE_ADDRESS = re.compile(r"(?<!\\)://evil")


def assert_nothing_live(parts: list[str], free_text: str | None = None) -> None:
    for part in parts:
        assert not _MASKED.search(part), part
        assert not _HEADING.search(part), part
        assert not re.search(r"(?<!\\)<(?:@123|#45|@&6)>", part), part
        if part != free_text:
            assert not _LIVE_ADDRESS.search(part), part


def embed_parts(embed: discord.Embed) -> list[str]:
    data = embed.to_dict()
    parts = [str(data.get("title") or ""), str(data.get("description") or "")]
    for field in data.get("fields") or []:
        parts += [str(field.get("name") or ""), str(field.get("value") or "")]
    return [part for part in parts if part]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=one_line,
    labels=st.lists(one_line, min_size=2, max_size=4, unique_by=fold),
    question=one_line,
    text=hostile,
)
def test_official_posts_never_show_user_markdown(name, labels, question, text) -> None:
    now = datetime.now(UTC)
    # The registry post and the poll message of a public poll.
    poll = Poll(
        id=1, guild_id=1, number=3, question=question, method="choix-unique", options=labels,
        secret=False, seed="s", status=PollStatus.CLOSED, closes_at=now, closed_at=now,
    )  # fmt: skip
    counted = [Ballot([0]), Ballot([1])]
    final = ballots.FinalBallots(counted, [("elu:1", [0], 1), ("elu:2", [1], 1)])
    result = count(ballots.spec_of(poll, 2), counted)
    material = publication.Material(poll, result, final, {"elu:1": name, "elu:2": name + " 2"})
    with mock.patch.object(publication, "_chart", lambda *args: b""):  # pixels, not text
        announcement = publication.render(material, "fr")
    assert_nothing_live([announcement.content, announcement.summary])
    assert_nothing_live(embed_parts(poll_embed(poll, 2, "fr", summary=announcement.summary)))
    # The proposal post.
    card = ProposalCard(
        proposal_id=1, guild_id=1, number=1, title=question, status=ProposalStatus.EN_DEBAT,
        version=1, text=text, author_name=name, collectivite_name=labels[0], field_name=None,
        forum_channel_id=None, thread_id=None, supports=0, supports_per_collectivite=False,
        created_at=now,
    )  # fmt: skip
    embed = render_proposal(card)
    assert_nothing_live(embed_parts(embed), free_text=embed.description)
    # The bureau's card and the directory card.
    elu = Elu(
        id=1, guild_id=1, discord_user_id=9, full_name=name, mandate=labels[1],
        email=f"{labels[0]}@example.org", status=EluStatus.PENDING,
    )  # fmt: skip
    bureau = card_embed(members.Card(elu, labels[0], True, list(labels)), "fr")
    assert_nothing_live(embed_parts(bureau))
    shown = directory.Card(
        elu_id=1, discord_user_id=9, name=name, collectivite=labels[0], departement=None,
        mandate=labels[1], fields=tuple(labels), email=None, phone=None,
    )  # fmt: skip
    assert_nothing_live([directory.render_card(shown, "fr")])
