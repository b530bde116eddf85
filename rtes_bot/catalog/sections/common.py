"""Messages shared by every feature: generic errors, confirmations."""

MESSAGES: dict[str, tuple[str, str]] = {
    "erreur.inattendue": (
        "Une erreur inattendue s'est produite. L'équipe du réseau a été prévenue ; réessayez dans un instant.",
        "An unexpected error occurred. The network's team has been notified; please try again shortly.",
    ),
    "erreur.trop-rapide": (
        "Doucement : réessayez dans {secondes} s.",
        "Slow down: try again in {secondes} s.",
    ),
    "commun.oui": ("Oui", "Yes"),
    "commun.non": ("Non", "No"),
    "commun.confirmer": ("Confirmer", "Confirm"),
    "commun.annuler": ("Annuler", "Cancel"),
    "commun.annule": ("Action annulée : rien n'a été modifié.", "Cancelled: nothing was changed."),
    "commun.aucun": ("aucun", "none"),
}
