"""Messages shared by every feature: generic errors, confirmations, pages of long messages and
the buttons only the person who asked may use."""

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
    # Pages of long messages (cogs/_pages.py) and views only their owner may use (ui.OwnerView)
    "pages.precedent": ("◀ Précédent", "◀ Previous"),
    "pages.suivant": ("Suivant ▶", "Next ▶"),
    "pages.indicateur": ("Page {page}/{total}", "Page {page}/{total}"),
    "pages.pas-a-vous": (
        "Ces boutons sont ceux de la personne qui a lancé la commande : lancez-la vous-même.",
        "These buttons belong to the person who ran the command: run it yourself.",
    ),
}
