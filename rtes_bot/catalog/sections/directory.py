"""`/annuaire`: the members' directory."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cmd.annuaire": ("annuaire", "directory"),
    "cmd.annuaire.desc": (
        "L'annuaire des élu·es du réseau",
        "The directory of the network's elected members",
    ),
    "cmd.annuaire.chercher": ("chercher", "search"),
    "cmd.annuaire.chercher.desc": (
        "Chercher un·e élu·e par nom, collectivité, mandat, domaine ou département",
        "Find a member by name, collectivité, mandate, field or département",
    ),
    "opt.annuaire.chercher.recherche": ("recherche", "query"),
    "opt.annuaire.chercher.recherche.desc": (
        "Nom, collectivité ou mandat (les fautes de frappe sont tolérées)",
        "Name, collectivité or mandate (typos are tolerated)",
    ),
    "opt.annuaire.chercher.domaine": ("domaine", "field"),
    "opt.annuaire.chercher.domaine.desc": ("Un champ d'action", "A field of action"),
    "opt.annuaire.chercher.departement": ("departement", "departement"),
    "opt.annuaire.chercher.departement.desc": (
        "Un département, par son nom ou son numéro",
        "A French département, by name or number",
    ),
    "cmd.annuaire.fiche": ("fiche", "card"),
    "cmd.annuaire.fiche.desc": ("La fiche d'un·e membre du réseau", "The card of a network member"),
    "opt.annuaire.fiche.membre": ("membre", "member"),
    "opt.annuaire.fiche.membre.desc": (
        "La personne dont vous voulez la fiche",
        "The person whose card you want",
    ),
    "annuaire.tous": ("tous les membres", "all members"),
    "annuaire.resultats": (
        "📇 **{nombre} membre(s)** pour : {criteres}",
        "📇 **{nombre} member(s)** for: {criteres}",
    ),
    "annuaire.aucun-resultat": (
        "Aucun membre actif ne correspond à : {criteres}. Essayez une recherche plus courte ou sans filtre.",
        "No active member matches: {criteres}. Try a shorter search or no filter.",
    ),
    "annuaire.sans-collectivite": ("collectivité non renseignée", "collectivité not given"),
    "annuaire.pas-de-contact": (
        "_Cette personne n'a pas choisi de partager son email ni son téléphone : écrivez-lui sur Discord._",
        "_This person chose not to share their email or phone: write to them on Discord._",
    ),
    "annuaire.fiche-inconnue": (
        "Cette personne n'est pas (ou plus) membre active du réseau : elle n'apparaît pas dans l'annuaire.",
        "This person is not (or no longer) an active member of the network: they are not in the directory.",
    ),
    "annuaire.domaine-inconnu": (
        "Le champ d'action « {domaine} » n'existe pas. Champs d'action : {domaines}.",
        "There is no field of action « {domaine} ». Fields of action: {domaines}.",
    ),
}
