"""`/aide`."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cmd.aide": ("aide", "help"),
    "cmd.aide.desc": (
        "Les commandes du bot que vous pouvez utiliser",
        "The bot's commands you can use",
    ),
    "aide.titre": (
        "Ce que je peux faire pour vous",
        "What I can do for you",
    ),
    "aide.statut.visiteur": (
        "Vous n'êtes pas encore membre : commencez votre adhésion avec `/adhesion`.",
        "You are not a member yet: start your membership with `/adhesion`.",
    ),
    "aide.statut.en-attente": (
        "Votre adhésion est en attente de validation par le bureau.",
        "Your membership is awaiting validation by the board.",
    ),
    "aide.statut.elu": (
        "Vous êtes membre du réseau : vous pouvez proposer, débattre et voter. Pour voter : les boutons du message du scrutin (Pour / Contre / Abstention en un clic, ou Voter), ou `/voter` avec votre choix — le bulletin est enregistré aussitôt et reste modifiable jusqu'à la clôture (« Changer mon vote »).",
        "You are a member of the network: you can propose, debate and vote. To vote: the buttons of the poll's message (Pour / Contre / Abstention in one click, or Voter), or `/voter` with your choice — the ballot is stored at once and can be changed until closing (« Change my vote »).",
    ),
    "aide.resultats.titre": ("Résultats d'un scrutin", "A poll's results"),
    "aide.resultats": (
        "À l'ouverture, `resultats` dit quand on les voit : à la clôture (par défaut), en direct, ou après avoir voté (`/scrutin resultats`). Vote secret avec résultats avant la clôture : pour qu'aucun bulletin ne se lise par différence, résultats et participation n'apparaissent qu'à partir de {palier} votant·e·s et n'avancent que par paliers, quand au moins {palier} personnes différentes ont voté ou changé leur vote depuis le palier précédent. Le résultat exact est publié à la clôture.",
        "When a poll is opened, `resultats` says when results are seen: at closing (default), live, or after voting (`/scrutin resultats`). Secret ballot with results before closing: so that no ballot can be read off a difference, results and turnout appear only from {palier} voters on and move only in steps, once at least {palier} different people have voted or changed their vote since the previous step. The exact result is published at closing.",
    ),
    "aide.statut.bureau": (
        "Vous faites partie du bureau : les commandes d'administration vous sont ouvertes.",
        "You are on the board: the administration commands are open to you.",
    ),
}
