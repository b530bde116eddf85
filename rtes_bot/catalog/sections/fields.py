"""`/domaines choisir`, `/domaines liste`, and the fields-of-action service's messages."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cmd.domaines": ("domaines", "fields"),
    "cmd.domaines.desc": ("Les domaines d'action du réseau", "The network's fields of action"),
    "cmd.domaines.choisir": ("choisir", "choose"),
    "cmd.domaines.choisir.desc": (
        "Choisir les domaines d'action que vous suivez",
        "Choose the fields of action you follow",
    ),
    "cmd.domaines.liste": ("liste", "list"),
    "cmd.domaines.liste.desc": (
        "Les domaines d'action, leurs membres et leurs forums",
        "The fields of action, their members and forums",
    ),
    "domaines.choisir.intro": (
        "Quels domaines d'action suivez-vous ? Vous rejoindrez leurs forums.",
        "Which fields of action do you follow? You will join their forums.",
    ),
    "domaines.choisir.placeholder": ("Vos domaines d'action", "Your fields of action"),
    "domaines.choisis": (
        "Vos domaines d'action : {domaines}.",
        "Your fields of action: {domaines}.",
    ),
    "domaines.choisis.en-attente": (
        "Vos domaines d'action : {domaines}. Vous rejoindrez leurs forums dès que votre adhésion sera validée.",
        "Your fields of action: {domaines}. You will join their forums once your membership is validated.",
    ),
    "domaines.aucun": (
        "Aucun domaine d'action n'est encore défini : le bureau doit lancer /admin installer.",
        "No field of action is defined yet: the board must run /admin install.",
    ),
    "domaines.liste.titre": (
        "**Domaines d'action du réseau**",
        "**The network's fields of action**",
    ),
    "domaines.liste.ligne": ("• **{nom}** — {membres}", "• **{nom}** — {membres}"),
    "domaines.membres": ("membres : {nombre}", "members: {nombre}"),
    "domaines.inconnu": (
        "Domaine d'action « {domaine} » introuvable. Choisissez-en un dans la liste proposée.",
        "Field of action “{domaine}” not found. Pick one from the suggested list.",
    ),
    "domaines.nom-vide": ("Le nom du domaine est vide.", "The field's name is empty."),
    "domaines.nom-trop-long": (
        "Le nom du domaine dépasse {max} caractères.",
        "The field's name is longer than {max} characters.",
    ),
    "domaines.description-trop-longue": (
        "La description dépasse {max} caractères.",
        "The description is longer than {max} characters.",
    ),
    "domaines.existe-deja": (
        "Un domaine d'action s'appelle déjà « {nom} ».",
        "A field of action is already called “{nom}”.",
    ),
    "domaines.trop-nombreux": (
        "Le réseau a déjà {max} domaines d'action actifs (le maximum) : retirez-en un d'abord.",
        "The network already has {max} active fields of action (the maximum): retire one first.",
    ),
    "domaines.deja-retire": (
        "Le domaine « {nom} » est déjà retiré.",
        "Field “{nom}” is already retired.",
    ),
}
