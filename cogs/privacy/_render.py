"""The texts of `/mes-donnees voir` and of the visibility setting (pure)."""

from __future__ import annotations

from typing import Any

from rtes_bot.catalog import t
from rtes_bot.models import Elu
from rtes_bot.services import privacy
from rtes_bot.text import display_phone


def _yes_no(value: bool, locale: object) -> str:
    return t("commun.oui" if value else "commun.non", locale)


def summary_text(summary: privacy.Summary, locale: object, zone: Any) -> str:
    counts = summary.counts
    lines = [t("donnees.voir.titre", locale), ""]
    elu = summary.elu
    if elu is None:
        lines.append(t("donnees.voir.aucune-adhesion", locale))
    else:
        none = t("commun.aucun", locale)
        lines += [
            t("donnees.voir.nom", locale, valeur=elu.full_name or none),
            t(
                "donnees.voir.collectivite",
                locale,
                valeur=summary.collectivite or none,
                referent=_yes_no(elu.is_referent, locale),
            ),
            t("donnees.voir.mandat", locale, valeur=elu.mandate or none),
            t(
                "donnees.voir.email",
                locale,
                valeur=elu.email or none,
                visible=_yes_no(elu.share_email, locale),
            ),
            t(
                "donnees.voir.telephone",
                locale,
                valeur=display_phone(elu.phone) or none,
                visible=_yes_no(elu.share_phone, locale),
            ),
            t("donnees.voir.domaines", locale, valeur=", ".join(summary.fields) or none),
            t("donnees.voir.statut", locale, valeur=t(f"donnees.statut.{elu.status}", locale)),
            t("donnees.voir.rappels", locale, valeur=_yes_no(not elu.reminders_opt_out, locale)),
            t(
                "donnees.voir.depuis",
                locale,
                date=elu.created_at.astimezone(zone).strftime("%d/%m/%Y"),
            ),
        ]
    lines += ["", t("donnees.voir.activite", locale, **counts), "", t("donnees.voir.pied", locale)]
    return "\n".join(lines)


def visibility_text(elu: Elu, locale: object) -> str:
    none = t("commun.aucun", locale)
    return t(
        "donnees.visibilite.etat",
        locale,
        email=elu.email or none,
        email_visible=t("donnees.visible" if elu.share_email else "donnees.masque", locale),
        telephone=display_phone(elu.phone) or none,
        telephone_visible=t("donnees.visible" if elu.share_phone else "donnees.masque", locale),
    )
