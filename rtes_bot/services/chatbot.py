"""The chatbot's answers: loads what is known (charter, fields, collectivités, members, polls),
lets :mod:`rtes_bot.answers` understand the question, and words the answer in its language.

Contacts go only to members (and the bureau), through :func:`directory.visible_card`, so consent
is honoured exactly as in `/annuaire`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from rtes_bot import answers, charter_text
from rtes_bot.answers import Topic, Understanding
from rtes_bot.catalog import t
from rtes_bot.services import access, charter, collectivites, directory, fields, polls
from rtes_bot.services.access import Actor, Person
from rtes_bot.text import clip

MAX_CONTACTS = 8
MESSAGE_LIMIT = 2000


@dataclass(frozen=True)
class Reply:
    text: str
    language: str
    #: Holds contacts: asked in a channel, it is sent privately.
    private: bool = False
    topic: Topic = Topic.UNKNOWN


async def knowledge(session: AsyncSession, guild_id: int) -> answers.Knowledge:
    version = await charter.peek_current(session, guild_id)
    active = await fields.active_fields(session, guild_id)
    places = await collectivites.all_collectivites(session, guild_id)
    return answers.Knowledge(
        paragraphs=answers.index_parts(charter_text.parts(version.text)),
        fields=[answers.FieldRef(f.id or 0, f.slug, f.name) for f in active],
        places=[answers.PlaceRef(c.id or 0, c.name, c.departement, c.code) for c in places],
    )


async def answer(session: AsyncSession, *, actor: Actor, question: str) -> Reply:
    """The answer to a free-text question asked by ``actor`` (in a DM or by mentioning the bot)."""
    person = await access.resolve(session, actor)
    if not question.strip():
        lang = answers.language(question)
        return Reply(t("chatbot.aide", lang), lang, topic=Topic.HELP)
    known = await knowledge(session, actor.guild_id)
    understood = answers.understand(question, known)
    lang = understood.language
    topic = understood.topic
    if topic == Topic.CHARTER:
        text = _charter_answer(understood, known)
        return Reply(text, lang, topic=topic)
    if topic == Topic.CONTACT:
        return await _contact_answer(session, person, understood)
    if topic == Topic.POLLS:
        return Reply(await _polls_answer(session, person, lang), lang, topic=topic)
    if topic == Topic.JOIN:
        key = "chatbot.adhesion.deja-membre" if person.is_member else "chatbot.adhesion"
        if person.is_pending:
            key = "chatbot.adhesion.en-attente"
        return Reply(t(key, lang), lang, topic=topic)
    if topic == Topic.HELP:
        return Reply(t("chatbot.aide", lang), lang, topic=topic)
    return Reply(t("chatbot.inconnu", lang), lang, topic=topic)


def _charter_answer(understood: Understanding, known: answers.Knowledge) -> str:
    lang = understood.language
    subject = " ".join(understood.subject)
    if not understood.subject:
        titles = list(dict.fromkeys(p.part_title for p in known.paragraphs if p.is_charter))
        return t("chatbot.charte.resume", lang, parties="\n".join(f"• {title}" for title in titles))
    if not understood.passages:
        return t("chatbot.charte.rien", lang, sujet=subject)
    lines = [t("chatbot.charte.passages", lang, sujet=subject), ""]
    for passage in understood.passages:
        label = passage.part_title
        if not passage.is_charter:
            label += " " + t("chatbot.charte.contexte", lang)
        lines.append(f"**{label}**")
        lines.append("> " + clip(passage.text, 600))
        lines.append("")
    lines.append(t("chatbot.charte.lire", lang))
    return clip("\n".join(lines), MESSAGE_LIMIT)


async def _contact_answer(
    session: AsyncSession, person: Person, understood: Understanding
) -> Reply:
    lang = understood.language
    if not (person.is_member or person.is_bureau):
        key = "chatbot.contact.en-attente" if person.is_pending else "chatbot.contact.visiteur"
        return Reply(t(key, lang), lang, topic=Topic.CONTACT)
    if not understood.has_entities:
        return Reply(t("chatbot.contact.preciser", lang), lang, topic=Topic.CONTACT)
    target = ", ".join(
        [f.name for f in understood.fields]
        + [p.name for p in understood.places]
        + understood.departements
    )
    entries = await directory.active_entries(session, person.actor.guild_id)
    if understood.fields:
        wanted_fields = {f.id for f in understood.fields}
        entries = [e for e in entries if any(f.id in wanted_fields for f in e.fields)]
    if understood.places or understood.departements:
        wanted_places = {p.collectivite_id for p in understood.places}
        entries = [
            e
            for e in entries
            if (e.collectivite is not None and e.collectivite.id in wanted_places)
            or any(
                directory.departement_matches(d, e.collectivite) for d in understood.departements
            )
        ]
    if not entries:
        return Reply(t("chatbot.contact.aucun", lang, cible=target), lang, topic=Topic.CONTACT)
    lines = [t("chatbot.contact.titre", lang, cible=target, nombre=len(entries)), ""]
    for entry in entries[:MAX_CONTACTS]:
        lines.append(directory.render_card(entry.card(), lang, compact=True))
        lines.append("")
    if len(entries) > MAX_CONTACTS:
        lines.append(t("chatbot.contact.suite", lang, reste=len(entries) - MAX_CONTACTS))
    lines.append(t("chatbot.contact.consentement", lang))
    return Reply(clip("\n".join(lines), MESSAGE_LIMIT), lang, private=True, topic=Topic.CONTACT)


async def _polls_answer(session: AsyncSession, person: Person, lang: str) -> str:
    open_polls = await polls.open_polls(session, person.actor.guild_id)  # closing first
    if not open_polls:
        return t("chatbot.scrutins.aucun", lang)
    lines = [t("chatbot.scrutins.ouverts", lang, nombre=len(open_polls))]
    if person.is_member or person.is_bureau:
        for poll in open_polls[:5]:
            lines.append(f"• n°{poll.number} — {clip(poll.question, 150)}")
        lines.append(t("chatbot.scrutins.voter", lang))
    else:
        lines.append(t("chatbot.scrutins.membres", lang))
    return "\n".join(lines)
