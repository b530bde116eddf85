"""Messages shared by every feature: generic errors, confirmations."""

MESSAGES: dict[str, tuple[str, str]] = {
    "erreur.inattendue": (
        "Une erreur inattendue s'est produite. L'équipe du réseau a été prévenue ; réessayez dans un instant.",
        "An unexpected error occurred. The network's team has been notified; please try again shortly.",
    ),
    "erreur.option-invalide": (
        "Une option de la commande n'a pas pu être lue (par exemple un membre qui n'est plus sur le serveur) : vérifiez-la et réessayez.",
        "An option of the command could not be read (for example a member no longer on the server): check it and try again.",
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
