"""Messages about who may do what."""

MESSAGES: dict[str, tuple[str, str]] = {
    "acces.bureau-requis": (
        "Cette action est réservée au bureau du réseau.",
        "This action is reserved for the network's board (bureau).",
    ),
    "acces.adhesion-requise": (
        "Cette action est réservée aux élu·es membres du réseau. Commencez votre adhésion avec /adhesion.",
        "This action is reserved for the network's elected members. Start your membership with /adhesion.",
    ),
    "acces.en-attente": (
        "Votre adhésion est en attente de validation par le bureau : cette action sera possible dès qu'elle sera validée.",
        "Your membership is awaiting validation by the board: this action will be available once it is validated.",
    ),
    "acces.refuse": (
        "Votre adhésion a été refusée par le bureau. Contactez le bureau du réseau pour en savoir plus.",
        "Your membership was refused by the board. Contact the network's board to learn more.",
    ),
    "acces.serveur-uniquement": (
        "Cette commande s'utilise sur le serveur du réseau, pas en message privé.",
        "This command is used on the network's server, not in a direct message.",
    ),
}
