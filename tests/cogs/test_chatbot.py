"""The chatbot end to end: questions by DM and by mention, through the emulator, without the
message-content intent; contacts only for members, by DM, honouring consent exactly as /annuaire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rtes_bot.catalog import t
from rtes_bot.models import Poll, PollStatus, utcnow
from tests.support.directory import (
    ALICE_EMAIL,
    ALICE_PHONE,
    BRUNO_EMAIL,
    BRUNO_PHONE,
    CHLOE_PHONE,
    populate,
)
from tests.support.onboarding import fixed_part


async def ask(rig: Any, user: Any, question: str) -> str:
    """Send a DM to the bot and return its answer (the welcome DM, with its button, aside)."""
    sent = await rig.emu.dm(user, question)
    answers = await rig.emu.wait_for(
        lambda: [
            m
            for m in rig.emu.dms_to(user)
            if m.author.id == rig.emu.bot.id and m.id > sent.id and not m.components
        ]
    )
    return answers[0].content


async def test_charter_questions_quote_the_charter_in_french_and_english(rig) -> None:
    visitor = rig.user("Victor Visiteur")
    answer = await ask(rig, visitor, "que dit la charte sur la coopération ?")
    assert t("chatbot.charte.passages", "fr", sujet="cooperation") in answer
    assert (
        "> au service d’un développement qui favorise la coopération et l’action citoyenne"
        in answer
    )
    assert "> coopération internationale." in answer
    assert "**Parmi les champs d’action**" in answer
    assert t("chatbot.charte.lire", "fr") in answer
    variant = await ask(rig, visitor, "QUE DIT LA CHARTRE SUR LES COOPERATIONS")
    assert "favorise la coopération" in variant
    english = await ask(rig, visitor, "What does the charter say about cooperation?")
    assert fixed_part("chatbot.charte.passages", "en") in english
    assert "coopération internationale." in english


async def test_contacts_for_a_collectivite_a_field_and_a_departement(rig) -> None:
    net = await populate(rig)
    grenoble = await ask(rig, net.dora.user, "contact ESS à Grenoble")
    assert "Alice Martin" in grenoble and "Bruno Discret" in grenoble
    assert ALICE_EMAIL in grenoble
    assert "Chloé" not in grenoble
    typo = await ask(rig, net.dora.user, "contacts ess a grenobel ?")
    assert "Alice Martin" in typo
    fair_trade = await ask(rig, net.dora.user, "qui suit le commerce équitable ?")
    assert "Commerce équitable, achat éthique" in fair_trade
    assert "Alice Martin" in fair_trade and "Bruno Discret" in fair_trade
    assert "Paul Attente" not in fair_trade  # pending: not a contact
    english = await ask(rig, net.dora.user, "who works on fair trade?")
    assert t(
        "chatbot.contact.titre", "en", nombre=2, cible="Commerce équitable, achat éthique"
    ) in (english)
    assert "Alice Martin" in english
    nord = await ask(rig, net.dora.user, "contact dans le Nord")
    assert "Chloé Dupont" in nord and CHLOE_PHONE in nord and "Alice" not in nord
    for answer in (grenoble, typo, fair_trade, english, nord):
        for secret in (ALICE_PHONE, BRUNO_EMAIL, BRUNO_PHONE):
            assert secret not in answer


async def test_only_members_get_contacts(rig) -> None:
    net = await populate(rig)
    visitor = rig.user("Victor Visiteur")
    refused = await ask(rig, visitor, "contact ESS à Grenoble")
    assert refused == t("chatbot.contact.visiteur", "fr")
    pending = await ask(rig, net.paul.user, "qui suit le commerce équitable ?")
    assert pending == t("chatbot.contact.en-attente", "fr")


async def test_open_polls_help_join_and_unknown_questions(rig) -> None:
    net = await populate(rig)
    async with rig.db.begin() as session:
        for number, status in ((1, PollStatus.OPEN), (2, PollStatus.OPEN), (3, PollStatus.CLOSED)):
            session.add(
                Poll(
                    guild_id=rig.guild.id,
                    number=number,
                    question=f"Question numéro {number}",
                    method="pour-contre",
                    seed="s",
                    status=status,
                    closes_at=utcnow() + timedelta(days=1),
                )
            )
    polls = await ask(rig, net.dora.user, "y a-t-il des scrutins ouverts ?")
    assert t("chatbot.scrutins.ouverts", "fr", nombre=2) in polls
    assert "Question numéro 1" in polls and "Question numéro 3" not in polls
    assert t("chatbot.scrutins.voter", "fr") in polls
    english = await ask(rig, net.dora.user, "are there open polls?")
    assert t("chatbot.scrutins.ouverts", "en", nombre=2) in english
    visitor = rig.user("Victor Visiteur")
    join = await ask(rig, visitor, "comment adhérer ?")
    assert join == t("chatbot.adhesion", "fr")
    help_answer = await ask(rig, visitor, "que peux-tu faire ?")
    assert help_answer == t("chatbot.aide", "fr")
    unknown = await ask(rig, visitor, "quelle est la recette de la tartiflette ?")
    assert unknown == t("chatbot.inconnu", "fr")
    unknown_en = await ask(rig, visitor, "what is the weather like tomorrow?")
    assert unknown_en == t("chatbot.inconnu", "en")


async def test_mentions_answer_in_the_channel_and_send_contacts_privately(rig) -> None:
    net = await populate(rig)
    channel = rig.emu.find_channel(rig.guild, "general")
    await rig.emu.mention(
        rig.guild, net.dora.user, channel, "que dit la charte sur la coopération ? @everyone"
    )
    public = await rig.emu.wait_for(
        lambda: [m for m in rig.emu.channel_messages(channel) if m.author.id == rig.emu.bot.id]
    )
    assert "coopération internationale." in public[-1].content
    assert public[-1].allowed_mentions == {"parse": []} or not public[-1].allowed_mentions.get(
        "parse"
    )
    assert not public[-1].mention_everyone

    await rig.emu.mention(rig.guild, net.dora.user, channel, "contact ESS à Grenoble")
    private = await rig.emu.wait_for(
        lambda: [m for m in rig.emu.dms_to(net.dora.user) if "Alice Martin" in m.content]
    )
    assert ALICE_EMAIL in private[-1].content and BRUNO_EMAIL not in private[-1].content
    await rig.emu.wait_for(
        lambda: [
            m
            for m in rig.emu.channel_messages(channel)
            if m.content == t("chatbot.repondu-en-prive", "fr")
        ]
    )
    for message in rig.emu.channel_messages(channel):
        assert ALICE_EMAIL not in message.content  # never in public

    # A plain message that does not mention the bot gets no answer.
    await rig.emu.post(rig.guild, net.dora.user, channel, "que dit la charte sur la santé ?")
    count = len([m for m in rig.emu.channel_messages(channel) if m.author.id == rig.emu.bot.id])
    await rig.emu.mention(rig.guild, net.dora.user, channel, "bonjour")
    await rig.emu.wait_for(
        lambda: (
            len([m for m in rig.emu.channel_messages(channel) if m.author.id == rig.emu.bot.id])
            > count
        )
    )
    bot_messages = [m for m in rig.emu.channel_messages(channel) if m.author.id == rig.emu.bot.id]
    assert len(bot_messages) == count + 1 and bot_messages[-1].content == t("chatbot.aide", "fr")
