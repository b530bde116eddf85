"""The onboarding's texts and embeds, pure: the form's refusal, the steps' texts, the answer to
a submission, the bureau's card."""

from __future__ import annotations

import discord

from rtes_bot.catalog import t
from rtes_bot.models import CharterVersion, Elu, EluStatus
from rtes_bot.services import charter, members
from rtes_bot.text import display_phone, echo, plain_block, plain_inline
from rtes_bot.ui import clip

#: a form field (``members.FieldProblem.field``) → the catalog key of its label in the modal
FIELD_LABEL_KEYS = {
    "nom": "adhesion.modal.nom",
    "collectivite": "adhesion.modal.collectivite",
    "mandat": "adhesion.modal.mandat",
    "email": "adhesion.modal.email",
    "telephone": "adhesion.modal.telephone",
}
#: the charter's text shown in the step's embed (Discord allows 4,096 characters)
CHARTER_SHOWN = 3900


def invalid_form_text(error: members.InvalidForm, form: members.Form, locale: str) -> str:
    """Each wrong field named, with what was typed, then how to correct it."""
    typed = {"nom": form.full_name, "collectivite": form.collectivite, "mandat": form.mandate,
             "email": form.email, "telephone": form.phone}  # fmt: skip
    lines = [
        t(
            "adhesion.formulaire-invalide",
            locale,
            champs=", ".join(t(FIELD_LABEL_KEYS[p.field], locale) for p in error.problems),
        )
    ]
    for problem in error.problems:
        lines.append(
            "• "
            + t(
                problem.key,
                locale,
                champ=t(FIELD_LABEL_KEYS[problem.field], locale),
                valeur=echo(typed[problem.field], 100),
            )
        )
    lines.append(t("adhesion.corriger-explication", locale))
    return "\n".join(lines)


def details_text(
    locale: str,
    collectivite_name: str,
    field_names: list[str],
    *,
    share_email: bool,
    share_phone: bool,
) -> str:
    """The fields-and-consent step: the collectivité, the fields chosen, what is shared."""
    shared = []
    if share_email:
        shared.append(t("adhesion.consentement.email", locale))
    if share_phone:
        shared.append(t("adhesion.consentement.telephone", locale))
    return "\n".join(
        [
            t("adhesion.details.titre", locale, collectivite=collectivite_name),
            t(
                "adhesion.details.domaines",
                locale,
                domaines=", ".join(field_names) or t("commun.aucun", locale),
            ),
            t(
                "adhesion.details.partage",
                locale,
                partage=", ".join(shared) or t("adhesion.details.rien", locale),
            ),
        ]
    )


def charter_text(
    version: CharterVersion, signed: bool, locale: str
) -> tuple[str, discord.Embed | None]:
    """The charter step: « already signed », or the text to read in an embed."""
    if signed:
        return t("adhesion.charte.deja-signee", locale, version=version.version), None
    text = str(version.text)
    embed = discord.Embed(
        title=t("adhesion.charte.titre", locale, version=version.version),
        description=clip(text, CHARTER_SHOWN),
    )
    if len(text) > CHARTER_SHOWN:
        embed.set_footer(text=t("adhesion.charte.suite", locale))
    return t("adhesion.charte.lire", locale, version=version.version), embed


def submitted_text(
    locale: str,
    *,
    full_name: str,
    was_active: bool,
    declared_collectivite: str | None,
    signed_version: int | None,
    later: bool,
) -> str:
    """The answer to a submission: sent (or updated), the collectivité flagged, the charter."""
    lines = [t("adhesion.mise-a-jour" if was_active else "adhesion.envoyee", locale, nom=full_name)]
    if declared_collectivite is not None:
        lines.append(t("adhesion.collectivite-signalee", locale, nom=declared_collectivite))
    if signed_version is not None:
        lines.append(t("adhesion.charte-signee", locale, version=signed_version))
    elif later:
        lines.append(t("adhesion.charte-plus-tard", locale))
    return "\n".join(lines)


# --------------------------------------------------------------------------- the bureau's card


def _status_line(elu: Elu, locale: str, decided_by: int | None) -> str:
    if elu.status == EluStatus.PENDING:
        return t("adhesion.carte.statut.en-attente", locale)
    if elu.status == EluStatus.ACTIVE:
        return t(
            "adhesion.carte.statut.validee", locale, par=f"<@{elu.validated_by or decided_by}>"
        )
    if elu.status == EluStatus.REJECTED:
        return t("adhesion.carte.statut.refusee", locale, par=f"<@{decided_by}>" if decided_by else "—",
                 motif=plain_block(elu.rejection_reason or ""))  # fmt: skip
    if elu.status == EluStatus.LEFT:
        return t("adhesion.carte.statut.partie", locale)
    return t("adhesion.carte.statut.effacee", locale)


def charter_standing_text(standing: charter.Standing, locale: str) -> str:
    """« Version 2 signée », « Version 1 signée, pas la version 2 en vigueur », « Non signée »."""
    if standing.signed is None:
        return t("adhesion.carte.charte.non-signee", locale, version=standing.current)
    if standing.signed == standing.current:
        return t("adhesion.carte.charte.signee", locale, version=standing.signed)
    return t(
        "adhesion.carte.charte.ancienne", locale, version=standing.signed, actuelle=standing.current
    )


def card_embed(card: members.Card, locale: str, decided_by: int | None = None) -> discord.Embed:
    """The registration as the bureau sees it, with its status."""
    elu = card.elu
    embed = discord.Embed(
        title=clip(t("adhesion.carte.titre", locale, nom=plain_inline(elu.full_name) or "—"), 256),
        description=_status_line(elu, locale, decided_by),
    )
    collectivite = plain_inline(card.collectivite_name)
    if card.collectivite_new:
        collectivite += "\n" + t("adhesion.carte.collectivite-nouvelle", locale)
    embed.add_field(
        name=t("adhesion.carte.membre", locale), value=f"<@{elu.discord_user_id}>", inline=True
    )
    embed.add_field(
        name=t("adhesion.carte.collectivite", locale), value=clip(collectivite, 1024), inline=True
    )
    embed.add_field(
        name=t("adhesion.carte.mandat", locale),
        value=clip(plain_inline(elu.mandate or "") or "—", 1024),
        inline=False,
    )
    embed.add_field(
        name=t("adhesion.carte.email", locale),
        value=clip(plain_inline(elu.email or "") or "—", 1024),
        inline=True,
    )
    embed.add_field(
        name=t("adhesion.carte.telephone", locale),
        value=display_phone(elu.phone) or "—",
        inline=True,
    )
    if card.charter is not None:
        embed.add_field(
            name=t("adhesion.carte.charte", locale),
            value=charter_standing_text(card.charter, locale),
            inline=False,
        )
    embed.add_field(
        name=t("adhesion.carte.domaines", locale),
        value=clip(
            ", ".join(plain_inline(name) for name in card.field_names) or t("commun.aucun", locale),
            1024,
        ),
        inline=False,
    )
    return embed
