"""The onboarding flow on Discord (product.md §3): start button, form, collectivité, fields and
consent, charter, then the bureau card with its persistent Valider / Refuser buttons.

The steps before submission live in one ephemeral message edited in place (a non-persistent view
holding the draft); nothing is written before the élu sends their registration. The start button
and the bureau's buttons are persistent :class:`discord.ui.DynamicItem` s (they work after a restart).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import discord
from sqlalchemy import select
from sqlmodel import col

from rtes_bot.catalog import language_of, t
from rtes_bot.errors import Conflict, NotAllowed
from rtes_bot.matching import Candidate
from rtes_bot.models import CharterSignature, CharterVersion, Elu, EluStatus, GuildSettings
from rtes_bot.services import access, charter, members
from rtes_bot.services import collectivites as collectivites_service
from rtes_bot.services import fields as fields_service
from rtes_bot.ui import (
    NO_MENTIONS,
    BaseModal,
    BaseView,
    EntityButton,
    actor_of,
    bot_of,
    clip,
    reply,
)

log = logging.getLogger("rtes_bot.onboarding")

STEP_TIMEOUT = 15 * 60
NEW = "new"


# --------------------------------------------------------------------------- start button


class StartButton(EntityButton):
    """« Commencer mon adhésion », in #accueil and in the welcome DM (the guild id is in the id)."""

    PREFIX = "rtes:adhesion:commencer"
    STYLE = discord.ButtonStyle.primary
    DEFAULT_LABEL = "Commencer mon adhésion"

    @property
    def guild_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await open_registration(interaction, self.guild_id)


def welcome_view(guild_id: int, locale: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(StartButton(guild_id, t("adhesion.bouton.commencer", locale)))
    return view


# --------------------------------------------------------------------------- the draft


@dataclass
class Draft:
    """What the élu entered so far (kept in the step view until they send it)."""

    guild_id: int
    user_id: int
    locale: str
    form: members.Form
    contact: members.Contact | None = None
    candidates: list[Candidate[int]] = field(default_factory=list)
    collectivite_id: int | None = None
    new_collectivite: str | None = None
    collectivite_name: str = ""
    field_ids: set[int] = field(default_factory=set)
    share_email: bool = False
    share_phone: bool = False
    editing_status: str | None = None  # status of an existing registration being edited


async def open_registration(interaction: discord.Interaction[Any], guild_id: int | None) -> None:
    """Open the form, pre-filled with the stored registration when there is one."""
    if guild_id is None:
        raise NotAllowed("acces.serveur-uniquement")
    bot = bot_of(interaction)
    async with bot.db.read() as session:
        elu = await access.find_elu(session, guild_id, interaction.user.id)
        draft = Draft(
            guild_id=guild_id,
            user_id=interaction.user.id,
            locale=str(interaction.locale),
            form=members.Form(),
        )
        if elu is not None and elu.status != EluStatus.ERASED:
            name = ""
            if elu.collectivite_id is not None:
                collectivite = await collectivites_service.get_collectivite(
                    session, guild_id, elu.collectivite_id
                )
                name = collectivite.name
            assert elu.id is not None
            draft.form = members.form_of(elu, name)
            draft.field_ids = await fields_service.elu_field_ids(session, elu.id)
            draft.share_email = elu.share_email
            draft.share_phone = elu.share_phone
            draft.editing_status = elu.status
    await interaction.response.send_modal(RegistrationModal(draft))


# --------------------------------------------------------------------------- step 1: the form


class RegistrationModal(BaseModal):
    def __init__(self, draft: Draft) -> None:
        locale = draft.locale
        super().__init__(title=t("adhesion.modal.titre", locale), timeout=STEP_TIMEOUT)
        self.draft = draft
        form = draft.form
        self.full_name: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.modal.nom", locale),
            custom_id="nom",
            default=form.full_name or None,
            max_length=members.NAME_MAX,
        )
        self.collectivite: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.modal.collectivite", locale),
            custom_id="collectivite",
            placeholder=t("adhesion.modal.collectivite.exemple", locale),
            default=form.collectivite or None,
            max_length=members.COLLECTIVITE_MAX,
        )
        self.mandate: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.modal.mandat", locale),
            custom_id="mandat",
            placeholder=t("adhesion.modal.mandat.exemple", locale),
            default=form.mandate or None,
            max_length=members.MANDATE_MAX,
        )
        self.email: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.modal.email", locale),
            custom_id="email",
            default=form.email or None,
            max_length=members.EMAIL_MAX,
        )
        self.phone: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.modal.telephone", locale),
            custom_id="telephone",
            default=form.phone or None,
            required=False,
            max_length=members.PHONE_MAX,
        )
        for item in (self.full_name, self.collectivite, self.mandate, self.email, self.phone):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        draft = self.draft
        draft.locale = str(interaction.locale)
        draft.form = members.Form(
            full_name=self.full_name.value,
            collectivite=self.collectivite.value,
            mandate=self.mandate.value,
            email=self.email.value,
            phone=self.phone.value or "",
        )
        try:
            draft.contact = members.validate_form(draft.form)
        except members.InvalidForm as error:
            await reply(
                interaction,
                invalid_form_text(error, draft.form, draft.locale),
                view=CorrectView(draft),
            )
            return
        bot = bot_of(interaction)
        async with bot.db.read() as session:
            draft.candidates = await collectivites_service.candidates(
                session, draft.guild_id, draft.contact.collectivite
            )
        content, view = collectivite_step(draft)
        await reply(interaction, content, view=view)


_FIELD_LABEL_KEYS = {
    "nom": "adhesion.modal.nom",
    "collectivite": "adhesion.modal.collectivite",
    "mandat": "adhesion.modal.mandat",
    "email": "adhesion.modal.email",
    "telephone": "adhesion.modal.telephone",
}


def invalid_form_text(error: members.InvalidForm, form: members.Form, locale: str) -> str:
    typed = {"nom": form.full_name, "collectivite": form.collectivite, "mandat": form.mandate,
             "email": form.email, "telephone": form.phone}  # fmt: skip
    lines = [
        t(
            "adhesion.formulaire-invalide",
            locale,
            champs=", ".join(t(_FIELD_LABEL_KEYS[p.field], locale) for p in error.problems),
        )
    ]
    for problem in error.problems:
        lines.append(
            "• "
            + t(
                problem.key,
                locale,
                champ=t(_FIELD_LABEL_KEYS[problem.field], locale),
                valeur=clip(typed[problem.field].strip(), 100),
            )
        )
    lines.append(t("adhesion.corriger-explication", locale))
    return "\n".join(lines)


class StepView(BaseView):
    """A step of the flow: only the person registering can use it."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(timeout=STEP_TIMEOUT)
        self.draft = draft

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:  # type: ignore[override]
        if interaction.user.id != self.draft.user_id:
            await reply(interaction, t("adhesion.pas-votre-formulaire", interaction.locale))
            return False
        return True


class CorrectButton(discord.ui.Button[Any]):
    def __init__(self, draft: Draft) -> None:
        super().__init__(label=t("adhesion.bouton.corriger", draft.locale), style=discord.ButtonStyle.primary,
                         custom_id="adhesion:corriger")  # fmt: skip
        self.draft = draft

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        self.draft.locale = str(interaction.locale)
        await interaction.response.send_modal(RegistrationModal(self.draft))


class CorrectView(StepView):
    """« Corriger »: reopens the form with what was typed."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(draft)
        self.add_item(CorrectButton(draft))


# --------------------------------------------------------------------------- step 2: collectivité


def collectivite_step(draft: Draft) -> tuple[str, StepView]:
    locale = draft.locale
    assert draft.contact is not None
    typed = draft.contact.collectivite
    view = StepView(draft)
    if draft.candidates:
        content = t("adhesion.collectivite.choisir", locale, saisie=typed)
        view.add_item(CollectiviteSelect(draft))
    else:
        content = t("adhesion.collectivite.inconnue", locale, saisie=typed)
        view.add_item(DeclareButton(draft))
    view.add_item(CorrectButton(draft))
    return content, view


class CollectiviteSelect(discord.ui.Select[Any]):
    def __init__(self, draft: Draft) -> None:
        locale = draft.locale
        assert draft.contact is not None
        options = [
            discord.SelectOption(label=clip(candidate.name, 100), value=str(candidate.key))
            for candidate in draft.candidates[:24]
        ]
        options.append(
            discord.SelectOption(
                label=clip(
                    t("adhesion.collectivite.declarer", locale, nom=draft.contact.collectivite), 100
                ),
                value=NEW,
            )
        )
        super().__init__(
            custom_id="adhesion:collectivite",
            placeholder=t("adhesion.collectivite.placeholder", locale),
            options=options,
            min_values=1,
            max_values=1,
        )
        self.draft = draft

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        value = self.values[0]
        if value == NEW:
            await choose_new_collectivite(interaction, self.draft)
        else:
            chosen = next(c for c in self.draft.candidates if str(c.key) == value)
            self.draft.collectivite_id = chosen.key
            self.draft.new_collectivite = None
            self.draft.collectivite_name = chosen.name
            await show_details_step(interaction, self.draft)


class DeclareButton(discord.ui.Button[Any]):
    def __init__(self, draft: Draft) -> None:
        assert draft.contact is not None
        super().__init__(
            label=clip(
                t("adhesion.collectivite.declarer", draft.locale, nom=draft.contact.collectivite),
                80,
            ),
            style=discord.ButtonStyle.secondary,
            custom_id="adhesion:declarer",
        )
        self.draft = draft

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await choose_new_collectivite(interaction, self.draft)


async def choose_new_collectivite(interaction: discord.Interaction[Any], draft: Draft) -> None:
    assert draft.contact is not None
    draft.collectivite_id = None
    draft.new_collectivite = draft.contact.collectivite
    draft.collectivite_name = draft.contact.collectivite
    await show_details_step(interaction, draft)


# --------------------------------------------------------------------------- step 3: fields and consent


async def show_details_step(interaction: discord.Interaction[Any], draft: Draft) -> None:
    bot = bot_of(interaction)
    async with bot.db.read() as session:
        active = await fields_service.active_fields(session, draft.guild_id)
    draft.field_ids &= {f.id for f in active if f.id is not None}
    content, view = details_step(draft, [(f.id, f.name) for f in active if f.id is not None])
    await interaction.response.edit_message(content=content, view=view, embed=None)


def details_step(draft: Draft, active: list[tuple[int, str]]) -> tuple[str, StepView]:
    locale = draft.locale
    names = [name for fid, name in active if fid in draft.field_ids]
    shared = []
    if draft.share_email:
        shared.append(t("adhesion.consentement.email", locale))
    if draft.share_phone:
        shared.append(t("adhesion.consentement.telephone", locale))
    content = "\n".join(
        [
            t("adhesion.details.titre", locale, collectivite=draft.collectivite_name),
            t(
                "adhesion.details.domaines",
                locale,
                domaines=", ".join(names) or t("commun.aucun", locale),
            ),
            t(
                "adhesion.details.partage",
                locale,
                partage=", ".join(shared) or t("adhesion.details.rien", locale),
            ),
        ]
    )
    view = StepView(draft)
    if active:
        view.add_item(FieldsSelect(draft, active))
    view.add_item(ConsentSelect(draft, active))
    view.add_item(ContinueButton(draft))
    return content, view


class FieldsSelect(discord.ui.Select[Any]):
    def __init__(self, draft: Draft, active: list[tuple[int, str]]) -> None:
        super().__init__(
            custom_id="adhesion:domaines",
            placeholder=t("adhesion.domaines.placeholder", draft.locale),
            options=[
                discord.SelectOption(
                    label=clip(name, 100), value=str(fid), default=fid in draft.field_ids
                )
                for fid, name in active[:25]
            ],
            min_values=0,
            max_values=min(len(active), 25),
        )
        self.draft = draft
        self.active = active

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        self.draft.field_ids = {int(value) for value in self.values}
        content, view = details_step(self.draft, self.active)
        await interaction.response.edit_message(content=content, view=view)


class ConsentSelect(discord.ui.Select[Any]):
    """Which contact fields other members may see: nothing unless chosen here."""

    def __init__(self, draft: Draft, active: list[tuple[int, str]]) -> None:
        locale = draft.locale
        options = [
            discord.SelectOption(
                label=t("adhesion.consentement.email", locale),
                value="email",
                default=draft.share_email,
            )
        ]
        if draft.contact is not None and draft.contact.phone:
            options.append(
                discord.SelectOption(
                    label=t("adhesion.consentement.telephone", locale),
                    value="telephone",
                    default=draft.share_phone,
                )
            )
        super().__init__(
            custom_id="adhesion:partage",
            placeholder=t("adhesion.consentement.placeholder", locale),
            options=options,
            min_values=0,
            max_values=len(options),
        )
        self.draft = draft
        self.active = active

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        self.draft.share_email = "email" in self.values
        self.draft.share_phone = "telephone" in self.values
        content, view = details_step(self.draft, self.active)
        await interaction.response.edit_message(content=content, view=view)


class ContinueButton(discord.ui.Button[Any]):
    def __init__(self, draft: Draft) -> None:
        super().__init__(label=t("adhesion.bouton.continuer", draft.locale), style=discord.ButtonStyle.primary,
                         custom_id="adhesion:continuer")  # fmt: skip
        self.draft = draft

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await show_charter_step(interaction, self.draft)


# --------------------------------------------------------------------------- step 4: the charter


async def _charter_state(session: Any, draft: Draft) -> tuple[CharterVersion, bool]:
    """The current charter version and whether this person already signed it."""
    version = await charter.current_version(session, draft.guild_id)
    elu = await access.find_elu(session, draft.guild_id, draft.user_id)
    if elu is None:
        return version, False
    signed = await session.execute(
        select(col(CharterSignature.id)).where(
            col(CharterSignature.charter_version_id) == version.id,
            col(CharterSignature.elu_id) == elu.id,
        )
    )
    return version, signed.first() is not None


async def show_charter_step(interaction: discord.Interaction[Any], draft: Draft) -> None:
    locale = draft.locale
    bot = bot_of(interaction)
    # A write transaction: the charter service stores version 1 on first use.
    async with bot.db.begin() as session:
        version, signed = await _charter_state(session, draft)
    view = StepView(draft)
    embed = None
    if signed:
        content = t("adhesion.charte.deja-signee", locale, version=version.version)
        view.add_item(SendButton(draft, sign=False, label=t("adhesion.bouton.envoyer", locale)))
    else:
        content = t("adhesion.charte.lire", locale, version=version.version)
        embed = discord.Embed(
            title=t("adhesion.charte.titre", locale, version=version.version),
            description=clip(str(version.text), 3900),
        )
        if len(str(version.text)) > 3900:
            embed.set_footer(text=t("adhesion.charte.suite", locale))
        view.add_item(SendButton(draft, sign=True, label=t("adhesion.bouton.signer", locale)))
        view.add_item(
            SendButton(draft, sign=False, later=True, label=t("adhesion.bouton.plus-tard", locale))
        )
    await interaction.response.edit_message(content=content, embed=embed, view=view)


class SendButton(discord.ui.Button[Any]):
    def __init__(self, draft: Draft, *, sign: bool, label: str, later: bool = False) -> None:
        super().__init__(
            label=label,
            style=discord.ButtonStyle.success
            if sign or draft.editing_status
            else discord.ButtonStyle.secondary,
            custom_id="adhesion:signer" if sign else "adhesion:envoyer",
        )
        self.draft = draft
        self.sign = sign
        self.later = later

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer()
        await submit(interaction, self.draft, sign=self.sign, later=self.later)


# --------------------------------------------------------------------------- submission


async def submit(
    interaction: discord.Interaction[Any], draft: Draft, *, sign: bool, later: bool = False
) -> None:
    bot = bot_of(interaction)
    locale = draft.locale
    assert draft.contact is not None
    registration = members.Registration(
        contact=draft.contact,
        collectivite_id=draft.collectivite_id,
        new_collectivite=draft.new_collectivite,
        field_ids=frozenset(draft.field_ids),
        share_email=draft.share_email,
        share_phone=draft.share_phone,
        locale=language_of(locale),
    )
    signed_version = None
    async with bot.db.begin() as session:
        submitted = await members.submit(
            session, draft.guild_id, draft.user_id, registration, bot.clock
        )
        elu = submitted.elu
        assert elu.id is not None
        if sign:
            version = await charter.current_version(session, draft.guild_id)
            with contextlib.suppress(charter.AlreadySigned):  # signed earlier: nothing to record
                await charter.sign(
                    session, guild_id=draft.guild_id, elu_id=elu.id, actor_id=draft.user_id
                )
            signed_version = version.version
        settings = await session.get(GuildSettings, draft.guild_id)
        pending_role_id = settings.pending_role_id if settings else None
        elu_id = elu.id
        full_name = elu.full_name
    guild = bot.get_guild(draft.guild_id)
    member = guild.get_member(draft.user_id) if guild else None
    if member is not None and guild is not None:
        if submitted.needs_card and pending_role_id and guild.get_role(pending_role_id):
            await _safe(
                member.add_roles(discord.Object(pending_role_id), reason="adhésion en attente")
            )
        if submitted.was_active:
            await apply_field_roles(member, submitted.field_change)
    if submitted.needs_card:
        await refresh_card(bot, draft.guild_id, elu_id)
    lines = []
    if submitted.was_active:
        lines.append(t("adhesion.mise-a-jour", locale, nom=full_name))
    else:
        lines.append(t("adhesion.envoyee", locale, nom=full_name))
    if submitted.collectivite.flagged_new:
        lines.append(t("adhesion.collectivite-signalee", locale, nom=submitted.collectivite.name))
    if signed_version is not None:
        lines.append(t("adhesion.charte-signee", locale, version=signed_version))
    elif later:
        lines.append(t("adhesion.charte-plus-tard", locale))
    await interaction.edit_original_response(content="\n".join(lines), embed=None, view=None)


async def _safe(coroutine: Any) -> None:
    """A Discord side effect after the commit: failures are logged, not shown as errors."""
    try:
        await coroutine
    except discord.HTTPException:
        log.warning("Discord refused a membership side effect", exc_info=True)


async def apply_field_roles(member: discord.Member, change: fields_service.FieldChange) -> None:
    guild = member.guild
    to_add = [discord.Object(r) for r in change.roles_to_add if guild.get_role(r)]
    to_remove = [discord.Object(r) for r in change.roles_to_remove if guild.get_role(r)]
    if to_add:
        await _safe(member.add_roles(*to_add, reason="domaines d'action"))
    if to_remove:
        await _safe(member.remove_roles(*to_remove, reason="domaines d'action"))


# --------------------------------------------------------------------------- the bureau card


def _status_line(elu: Elu, locale: str, decided_by: int | None) -> str:
    if elu.status == EluStatus.PENDING:
        return t("adhesion.carte.statut.en-attente", locale)
    if elu.status == EluStatus.ACTIVE:
        return t(
            "adhesion.carte.statut.validee", locale, par=f"<@{elu.validated_by or decided_by}>"
        )
    if elu.status == EluStatus.REJECTED:
        return t("adhesion.carte.statut.refusee", locale, par=f"<@{decided_by}>" if decided_by else "—",
                 motif=elu.rejection_reason or "")  # fmt: skip
    if elu.status == EluStatus.LEFT:
        return t("adhesion.carte.statut.partie", locale)
    return t("adhesion.carte.statut.effacee", locale)


def card_embed(card: members.Card, locale: str, decided_by: int | None = None) -> discord.Embed:
    elu = card.elu
    embed = discord.Embed(
        title=clip(t("adhesion.carte.titre", locale, nom=elu.full_name or "—"), 256),
        description=_status_line(elu, locale, decided_by),
    )
    collectivite = card.collectivite_name
    if card.collectivite_new:
        collectivite += "\n" + t("adhesion.carte.collectivite-nouvelle", locale)
    embed.add_field(
        name=t("adhesion.carte.membre", locale), value=f"<@{elu.discord_user_id}>", inline=True
    )
    embed.add_field(
        name=t("adhesion.carte.collectivite", locale), value=clip(collectivite, 1024), inline=True
    )
    embed.add_field(
        name=t("adhesion.carte.mandat", locale), value=clip(elu.mandate or "—", 1024), inline=False
    )
    embed.add_field(
        name=t("adhesion.carte.email", locale), value=clip(elu.email or "—", 1024), inline=True
    )
    embed.add_field(
        name=t("adhesion.carte.telephone", locale),
        value=members.display_phone(elu.phone) or "—",
        inline=True,
    )
    embed.add_field(
        name=t("adhesion.carte.domaines", locale),
        value=clip(", ".join(card.field_names) or t("commun.aucun", locale), 1024),
        inline=False,
    )
    return embed


def card_view(elu_id: int, locale: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ValidateButton(elu_id, t("adhesion.bouton.valider", locale)))
    view.add_item(RefuseButton(elu_id, t("adhesion.bouton.refuser", locale)))
    return view


async def refresh_card(bot: Any, guild_id: int, elu_id: int, decided_by: int | None = None) -> None:
    """Post the card in the bureau channel, or bring the posted one up to date."""
    async with bot.db.read() as session:
        card = await members.card(session, guild_id, elu_id)
        settings = await session.get(GuildSettings, guild_id)
    if settings is None or settings.bureau_channel_id is None:
        log.warning("No bureau channel in guild %s: run /admin installer", guild_id)
        return
    channel = bot.get_channel(settings.bureau_channel_id)
    if not isinstance(channel, discord.TextChannel):
        log.warning("The bureau channel of guild %s is missing: run /admin installer", guild_id)
        return
    locale = settings.locale
    embed = card_embed(card, locale, decided_by)
    pending = card.elu.status == EluStatus.PENDING
    view = card_view(elu_id, locale) if pending else None
    message_id = card.elu.bureau_card_message_id
    if message_id is not None:
        try:
            message = channel.get_partial_message(message_id)
            await message.edit(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
            return
        except discord.NotFound:
            message_id = None
    if not pending:
        return
    assert view is not None
    posted = await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
    try:
        async with bot.db.begin() as session:
            await members.set_card_message(session, elu_id, posted.id)
    except BaseException:
        # Unsaved, the card would be posted a second time by the next refresh: remove it.
        try:
            await posted.delete()
        except discord.HTTPException:
            log.warning("Could not remove an unsaved bureau card", exc_info=True)
        raise


class ValidateButton(EntityButton):
    PREFIX = "rtes:adhesion:valider"
    STYLE = discord.ButtonStyle.success
    DEFAULT_LABEL = "Valider"

    @property
    def elu_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            person.require_bureau()
            elu = await members.validate(
                session, actor.guild_id, self.elu_id, actor.user_id, bot.clock
            )
            settings = await session.get(GuildSettings, actor.guild_id)
            field_roles = await fields_service.field_role_ids(session, self.elu_id)
            user_id, full_name, elu_locale = elu.discord_user_id, elu.full_name, elu.locale
        guild = interaction.guild
        note = ""
        member = guild.get_member(user_id) if guild and user_id else None
        if member is not None and settings is not None:
            to_add = [
                r
                for r in [settings.member_role_id, *sorted(field_roles)]
                if r and member.guild.get_role(r)
            ]
            if to_add:
                await _safe(
                    member.add_roles(
                        *[discord.Object(r) for r in to_add], reason="adhésion validée"
                    )
                )
            if settings.pending_role_id and member.get_role(settings.pending_role_id):
                await _safe(
                    member.remove_roles(
                        discord.Object(settings.pending_role_id), reason="adhésion validée"
                    )
                )
        elif member is None:
            note = "\n" + t("adhesion.validee.absent", interaction.locale)
        if user_id:
            await send_dm(bot, user_id, t("adhesion.dm.validee", elu_locale, nom=full_name))
        await refresh_card(bot, actor.guild_id, self.elu_id, decided_by=actor.user_id)
        await reply(
            interaction, t("adhesion.validee.bureau", interaction.locale, nom=full_name) + note
        )


class RefuseButton(EntityButton):
    PREFIX = "rtes:adhesion:refuser"
    STYLE = discord.ButtonStyle.danger
    DEFAULT_LABEL = "Refuser"

    @property
    def elu_id(self) -> int:
        return self.entity_id

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        async with bot.db.read() as session:
            person = await access.resolve(session, actor)
            person.require_bureau()
            elu = await members.get_elu(session, actor.guild_id, self.elu_id)
            if elu.status != EluStatus.PENDING:
                raise Conflict(
                    f"adhesion.deja-{members._status_word(elu.status)}", nom=elu.full_name
                )
        await interaction.response.send_modal(
            RefusalModal(self.elu_id, elu.full_name, str(interaction.locale))
        )


class RefusalModal(BaseModal):
    def __init__(self, elu_id: int, full_name: str, locale: str) -> None:
        super().__init__(
            title=clip(t("adhesion.refus.titre", locale, nom=full_name), 45), timeout=STEP_TIMEOUT
        )
        self.elu_id = elu_id
        self.reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=t("adhesion.refus.motif", locale),
            custom_id="motif",
            style=discord.TextStyle.paragraph,
            max_length=members.REASON_MAX,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:  # type: ignore[override]
        await interaction.response.defer(ephemeral=True, thinking=True)
        bot = bot_of(interaction)
        actor = actor_of(interaction)
        async with bot.db.begin() as session:
            person = await access.resolve(session, actor)
            person.require_bureau()
            elu = await members.reject(
                session, actor.guild_id, self.elu_id, self.reason.value, actor.user_id, bot.clock
            )
            settings = await session.get(GuildSettings, actor.guild_id)
            user_id, full_name, elu_locale, reason = (
                elu.discord_user_id,
                elu.full_name,
                elu.locale,
                elu.rejection_reason,
            )
        guild = interaction.guild
        member = guild.get_member(user_id) if guild and user_id else None
        if member is not None and settings is not None and settings.pending_role_id:
            if member.get_role(settings.pending_role_id):
                await _safe(
                    member.remove_roles(
                        discord.Object(settings.pending_role_id), reason="adhésion refusée"
                    )
                )
        if user_id:
            await send_dm(
                bot,
                user_id,
                t("adhesion.dm.refusee", elu_locale, nom=full_name, motif=reason or ""),
            )
        await refresh_card(bot, actor.guild_id, self.elu_id, decided_by=actor.user_id)
        await reply(interaction, t("adhesion.refusee.bureau", interaction.locale, nom=full_name))


async def send_dm(
    bot: Any, user_id: int, content: str, view: discord.ui.View | None = None
) -> bool:
    """A private message; False when the person does not accept DMs."""
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        if view is not None:
            await user.send(content, view=view, allowed_mentions=NO_MENTIONS)
        else:
            await user.send(content, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.info("Could not send a DM to %s", user_id)
        return False
    return True


__all__ = [
    "Draft",
    "RefuseButton",
    "StartButton",
    "ValidateButton",
    "open_registration",
    "refresh_card",
    "send_dm",
    "welcome_view",
]
