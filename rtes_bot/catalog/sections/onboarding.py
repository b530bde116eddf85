"""Onboarding: `/adhesion`, the welcome message and DM, the form and its steps, the bureau card."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cmd.adhesion": ("adhesion", "membership"),
    "cmd.adhesion.desc": (
        "Adhérer au réseau, ou mettre à jour votre adhésion",
        "Join the network, or update your membership",
    ),
    # Welcome
    "accueil.message": (
        "**Bienvenue sur le serveur du Réseau des Territoires pour l'Économie Solidaire (RTES) !**\n"
        "Vous êtes élu·e d'une collectivité membre ? Cliquez sur « Commencer mon adhésion » : "
        "quelques informations, vos domaines d'action, la charte, et le bureau valide votre adhésion.",
        "**Welcome to the server of the Réseau des Territoires pour l'Économie Solidaire (RTES)!**\n"
        "Are you an elected official of a member local authority? Click “Start my membership”: "
        "a few details, your fields of action, the charter, and the board validates your membership.",
    ),
    "accueil.dm": (
        "Bonjour et bienvenue sur **{serveur}** ! Pour participer à la vie du réseau, commencez votre "
        "adhésion avec le bouton ci-dessous (ou la commande /adhesion sur le serveur).",
        "Hello and welcome to **{serveur}**! To take part in the network's life, start your membership "
        "with the button below (or the /adhesion command on the server).",
    ),
    # Buttons
    "adhesion.bouton.commencer": ("Commencer mon adhésion", "Start my membership"),
    "adhesion.bouton.corriger": ("Corriger", "Correct"),
    "adhesion.bouton.continuer": ("Continuer", "Continue"),
    "adhesion.bouton.envoyer": ("Envoyer", "Send"),
    "adhesion.bouton.signer": ("Je signe la charte et j'envoie", "I sign the charter and send"),
    "adhesion.bouton.plus-tard": ("Envoyer, signer plus tard", "Send, sign later"),
    "adhesion.bouton.valider": ("Valider", "Validate"),
    "adhesion.bouton.refuser": ("Refuser", "Refuse"),
    # The form
    "adhesion.modal.titre": ("Adhésion au réseau RTES", "Joining the RTES network"),
    "adhesion.modal.nom": ("Prénom et nom", "First and last name"),
    "adhesion.modal.collectivite": ("Collectivité", "Local authority"),
    "adhesion.modal.collectivite.exemple": ("ex. Grenoble", "e.g. Grenoble"),
    "adhesion.modal.mandat": ("Mandat", "Mandate"),
    "adhesion.modal.mandat.exemple": (
        "ex. adjointe au maire déléguée à l'ESS",
        "e.g. deputy mayor in charge of the social economy",
    ),
    "adhesion.modal.email": ("Adresse e-mail", "Email address"),
    "adhesion.modal.telephone": ("Téléphone (facultatif)", "Phone (optional)"),
    "adhesion.formulaire-invalide": (
        "Votre formulaire est à corriger : {champs}.",
        "Your form needs correcting: {champs}.",
    ),
    "adhesion.champ.nom-vide": (
        "{champ} : indiquez votre prénom et votre nom.",
        "{champ}: give your first and last name.",
    ),
    "adhesion.champ.collectivite-vide": (
        "{champ} : indiquez votre collectivité.",
        "{champ}: give your local authority.",
    ),
    "adhesion.champ.mandat-vide": (
        "{champ} : indiquez votre mandat.",
        "{champ}: give your mandate.",
    ),
    "adhesion.champ.trop-long": (
        "{champ} : le texte est trop long.",
        "{champ}: the text is too long.",
    ),
    "adhesion.champ.email-invalide": (
        "{champ} : « {valeur} » n'est pas une adresse e-mail valide (exemple : prenom.nom@mairie.fr).",
        "{champ}: “{valeur}” is not a valid email address (example: first.last@townhall.fr).",
    ),
    "adhesion.champ.telephone-invalide": (
        "{champ} : « {valeur} » n'est pas un numéro de téléphone valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78). "
        "Vous pouvez aussi le laisser vide.",
        "{champ}: “{valeur}” is not a valid phone number (example: 06 12 34 56 78 or +33 6 12 34 56 78). "
        "You may also leave it empty.",
    ),
    "adhesion.corriger-explication": (
        "Cliquez sur « Corriger » : le formulaire s'ouvre avec ce que vous aviez saisi.",
        "Click “Correct”: the form opens with what you typed.",
    ),
    "adhesion.pas-votre-formulaire": (
        "Ce formulaire est celui d'une autre personne : utilisez /adhesion.",
        "This form belongs to someone else: use /adhesion.",
    ),
    # Collectivité
    "adhesion.collectivite.choisir": (
        "**Votre collectivité** — vous avez saisi « {saisie} ». Choisissez-la dans la liste "
        "(ou déclarez-la si elle n'y est pas).",
        "**Your local authority** — you typed “{saisie}”. Pick it from the list "
        "(or declare it if it is not there).",
    ),
    "adhesion.collectivite.inconnue": (
        "**Votre collectivité** — « {saisie} » ne figure pas dans la liste des collectivités du réseau. "
        "Vérifiez l'orthographe (« Corriger »), ou déclarez-la : le bureau la vérifiera.",
        "**Your local authority** — “{saisie}” is not on the network's list of local authorities. "
        "Check the spelling (“Correct”), or declare it: the board will check it.",
    ),
    "adhesion.collectivite.declarer": ("Aucune : déclarer « {nom} »", "None: declare “{nom}”"),
    "adhesion.collectivite.placeholder": ("Votre collectivité", "Your local authority"),
    # Fields and consent
    "adhesion.details.titre": (
        "**Collectivité : {collectivite}.** Choisissez vos domaines d'action et ce que les autres membres "
        "pourront voir de vos coordonnées, puis « Continuer ».",
        "**Local authority: {collectivite}.** Choose your fields of action and which of your contact details "
        "other members may see, then “Continue”.",
    ),
    "adhesion.details.domaines": ("Domaines d'action : {domaines}", "Fields of action: {domaines}"),
    "adhesion.details.partage": (
        "Visible par les membres : {partage}",
        "Visible to members: {partage}",
    ),
    "adhesion.details.rien": (
        "rien (seuls votre nom, votre collectivité, votre mandat et vos domaines apparaissent dans l'annuaire)",
        "nothing (only your name, local authority, mandate and fields appear in the directory)",
    ),
    "adhesion.domaines.placeholder": ("Vos domaines d'action", "Your fields of action"),
    "adhesion.consentement.email": ("mon adresse e-mail", "my email address"),
    "adhesion.consentement.telephone": ("mon téléphone", "my phone number"),
    "adhesion.consentement.placeholder": (
        "Coordonnées visibles par les membres (aucune par défaut)",
        "Contact details visible to members (none by default)",
    ),
    # Charter
    "adhesion.charte.lire": (
        "**Dernière étape : lire et signer la charte du réseau** (version {version}). "
        "Vous pouvez aussi la signer plus tard avec /charte signer.",
        "**Last step: read and sign the network's charter** (version {version}). "
        "You can also sign it later with /charte signer.",
    ),
    "adhesion.charte.titre": (
        "Charte du RTES — version {version}",
        "RTES charter — version {version}",
    ),
    "adhesion.charte.suite": ("Texte complet : /charte lire", "Full text: /charte lire"),
    "adhesion.charte.deja-signee": (
        "Vous avez déjà signé la charte (version {version}). Envoyez votre adhésion.",
        "You already signed the charter (version {version}). Send your membership.",
    ),
    # Result
    "adhesion.envoyee": (
        "✅ Merci {nom} ! Votre demande d'adhésion est transmise au bureau, qui va la valider. "
        "Vous recevrez un message privé dès qu'il l'aura fait.",
        "✅ Thank you {nom}! Your membership request was sent to the board, which will validate it. "
        "You will get a direct message as soon as it does.",
    ),
    "adhesion.mise-a-jour": (
        "✅ Merci {nom}, vos informations sont à jour.",
        "✅ Thank you {nom}, your details are up to date.",
    ),
    "adhesion.collectivite-signalee": (
        "« {nom} » a été signalée au bureau comme nouvelle collectivité.",
        "“{nom}” was reported to the board as a new local authority.",
    ),
    "adhesion.charte-signee": (
        "Vous avez signé la charte (version {version}).",
        "You signed the charter (version {version}).",
    ),
    "adhesion.charte-plus-tard": (
        "Pensez à signer la charte avec /charte signer.",
        "Remember to sign the charter with /charte signer.",
    ),
    # Bureau card
    "adhesion.carte.titre": ("Demande d'adhésion : {nom}", "Membership request: {nom}"),
    "adhesion.carte.membre": ("Compte Discord", "Discord account"),
    "adhesion.carte.collectivite": ("Collectivité", "Local authority"),
    "adhesion.carte.collectivite-nouvelle": (
        "⚠️ nouvelle collectivité déclarée, absente de la liste : à vérifier",
        "⚠️ newly declared local authority, not on the list: to be checked",
    ),
    "adhesion.carte.mandat": ("Mandat", "Mandate"),
    "adhesion.carte.email": ("E-mail", "Email"),
    "adhesion.carte.telephone": ("Téléphone", "Phone"),
    "adhesion.carte.domaines": ("Domaines d'action", "Fields of action"),
    "adhesion.carte.statut.en-attente": ("⏳ En attente de validation", "⏳ Awaiting validation"),
    "adhesion.carte.statut.validee": ("✅ Validée par {par}", "✅ Validated by {par}"),
    "adhesion.carte.statut.refusee": (
        "❌ Refusée par {par} : {motif}",
        "❌ Refused by {par}: {motif}",
    ),
    "adhesion.carte.statut.partie": (
        "🚪 La personne a quitté le serveur",
        "🚪 The person left the server",
    ),
    "adhesion.carte.statut.effacee": ("Données effacées", "Data erased"),
    # Decisions
    "adhesion.validee.bureau": ("Adhésion de {nom} validée.", "{nom}'s membership validated."),
    "adhesion.validee.absent": (
        "La personne n'est plus sur le serveur : ses rôles lui seront donnés si elle revient et refait /adhesion.",
        "The person is no longer on the server: their roles will be given if they come back and rerun /adhesion.",
    ),
    "adhesion.dm.validee": (
        "🎉 Bonjour {nom}, votre adhésion au réseau RTES est validée ! Vous avez désormais accès aux forums "
        "de vos domaines d'action, aux propositions et aux votes. /aide liste ce que vous pouvez faire.",
        "🎉 Hello {nom}, your membership of the RTES network is validated! You now have access to the forums "
        "of your fields of action, to proposals and to votes. /aide lists what you can do.",
    ),
    "adhesion.refus.titre": ("Refuser : {nom}", "Refuse: {nom}"),
    "adhesion.refus.motif": ("Motif (envoyé à la personne)", "Reason (sent to the person)"),
    "adhesion.refusee.bureau": (
        "Adhésion de {nom} refusée ; le motif lui a été envoyé.",
        "{nom}'s membership refused; the reason was sent to them.",
    ),
    "adhesion.dm.refusee": (
        "Bonjour {nom}, le bureau du réseau RTES n'a pas validé votre adhésion. Motif : {motif}\n"
        "Vous pouvez corriger votre demande avec /adhesion ou contacter le bureau.",
        "Hello {nom}, the RTES network's board did not validate your membership. Reason: {motif}\n"
        "You can correct your request with /adhesion or contact the board.",
    ),
    "adhesion.deja-validee": (
        "L'adhésion de {nom} est déjà validée.",
        "{nom}'s membership is already validated.",
    ),
    "adhesion.deja-refusee": (
        "L'adhésion de {nom} a déjà été refusée.",
        "{nom}'s membership was already refused.",
    ),
    "adhesion.deja-partie": (
        "{nom} a quitté le serveur : sa demande n'est plus en attente.",
        "{nom} left the server: their request is no longer pending.",
    ),
    "adhesion.deja-traitee": (
        "La demande de {nom} n'est plus en attente.",
        "{nom}'s request is no longer pending.",
    ),
    "adhesion.inconnue": (
        "Cette demande d'adhésion n'existe plus.",
        "This membership request no longer exists.",
    ),
    "adhesion.motif-vide": ("Indiquez un motif de refus.", "Give a reason for the refusal."),
    "adhesion.motif-trop-long": (
        "Le motif dépasse {max} caractères.",
        "The reason is longer than {max} characters.",
    ),
    "adhesion.collectivite-requise": (
        "Choisissez ou déclarez votre collectivité.",
        "Pick or declare your local authority.",
    ),
}
