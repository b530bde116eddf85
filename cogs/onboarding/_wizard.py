"""The applicant's side of onboarding: the start button (in #accueil and the welcome DM), the
registration form, then the collectivité, fields-and-consent and charter steps, and the
submission that hands the request to the bureau (its card: ``_moderation``).

The steps before submission live in one ephemeral message edited in place (a non-persistent view
holding the draft); nothing is written before the élu sends their registration. The start button
is a persistent :class:`discord.ui.DynamicItem` (it works after a restart).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import discord

from cogs.onboarding._moderation import refresh_card
from cogs.onboarding._render import (
    FIELD_LABEL_KEYS,
    charter_text,
    details_text,
    invalid_form_text,
    submitted_text,
)
from cogs.onboarding._side_effects import apply_field_roles, give_roles
from rtes_bot.catalog import language_of, t
from rtes_bot.errors import NotAllowed
from rtes_bot.matching import Candidate
from rtes_bot.models import EluStatus
from rtes_bot.services import access, charter, members
from rtes_bot.services import collectivites as collectivites_service
from rtes_bot.services import fields as fields_service
from rtes_bot.ui import BaseModal, BaseView, EntityButton, bot_of, clip, member_of, reply

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

        def text_input(
            custom_id: str,
            typed: str,
            max_length: int,
            *,
            example: str | None = None,
            required: bool = True,
        ) -> discord.ui.TextInput[Any]:
            """One field: its label (``FIELD_LABEL_KEYS``), what was typed, the column's limit,
            an example (a catalog key) as placeholder."""
            label_key = FIELD_LABEL_KEYS[custom_id]
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=t(label_key, locale),
                custom_id=custom_id,
                placeholder=t(example, locale) if example else None,
                default=typed or None,
                required=required,
                max_length=max_length,
            )
            self.add_item(item)
            return item

        form = draft.form
        self.full_name = text_input("nom", form.full_name, members.NAME_MAX)
        self.collectivite = text_input(
            "collectivite",
            form.collectivite,
            members.COLLECTIVITE_MAX,
            example="adhesion.modal.collectivite.exemple",
        )
        self.mandate = text_input(
            "mandat", form.mandate, members.MANDATE_MAX, example="adhesion.modal.mandat.exemple"
        )
        self.email = text_input("email", form.email, members.EMAIL_MAX)
        self.phone = text_input("telephone", form.phone, members.PHONE_MAX, required=False)

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
    content = details_text(
        draft.locale,
        draft.collectivite_name,
        [name for fid, name in active if fid in draft.field_ids],
        share_email=draft.share_email,
        share_phone=draft.share_phone,
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


async def show_charter_step(interaction: discord.Interaction[Any], draft: Draft) -> None:
    locale = draft.locale
    bot = bot_of(interaction)
    # A write transaction: the charter service stores version 1 on first use.
    async with bot.db.begin() as session:
        version = await charter.current_version(session, draft.guild_id)
        elu = await access.find_elu(session, draft.guild_id, draft.user_id)
        signed = (
            elu is not None
            and elu.id is not None
            and await charter.signature_of(session, version, elu.id) is not None
        )
    content, embed = charter_text(version, signed, locale)
    view = StepView(draft)
    if signed:
        view.add_item(SendButton(draft, sign=False, label=t("adhesion.bouton.envoyer", locale)))
    else:
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
        settings = await access.guild_settings(session, draft.guild_id)
        pending_role_id = settings.pending_role_id if settings else None
        elu_id = elu.id
        full_name = elu.full_name
    member = await member_of(bot.get_guild(draft.guild_id), draft.user_id)
    if member is not None:
        if submitted.needs_card:
            await give_roles(member, [pending_role_id], "adhésion en attente")
        if submitted.was_active:
            await apply_field_roles(member, submitted.field_change)
    if submitted.needs_card:
        await refresh_card(bot, draft.guild_id, elu_id)
    declared = submitted.collectivite
    text = submitted_text(
        locale,
        full_name=full_name,
        was_active=submitted.was_active,
        declared_collectivite=declared.name if declared.flagged_new else None,
        signed_version=signed_version,
        later=later,
    )
    await interaction.edit_original_response(content=text, embed=None, view=None)
