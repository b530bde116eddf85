"""The chatbot's answers (in a DM or when the bot is mentioned)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "chatbot.aide": (
        "Bonjour ! Je suis le bot du Réseau des Territoires pour l'Économie Solidaire. Posez-moi une question, par exemple :\n"
        "• « Que dit la charte sur la coopération ? »\n"
        "• « Contact ESS à Grenoble » ou « Qui suit le commerce équitable ? » (réservé aux membres)\n"
        "• « Y a-t-il des scrutins ouverts ? »\n"
        "• « Comment adhérer ? »\n"
        "Les commandes : `/aide`, `/charte lire`, `/annuaire chercher`, `/adhesion`, `/mes-donnees voir`.",
        "Hello! I am the bot of the Réseau des Territoires pour l'Économie Solidaire. Ask me a question, for example:\n"
        "• “What does the charter say about cooperation?”\n"
        "• “Contact in Grenoble” or “Who works on fair trade?” (members only)\n"
        "• “Are there open polls?”\n"
        "• “How do I join?”\n"
        "Commands: `/aide` (help), `/charte lire` (read the charter), `/annuaire chercher` (directory), `/adhesion` (join), `/mes-donnees voir` (my data).",
    ),
    "chatbot.inconnu": (
        "Je n'ai pas compris votre question, désolé. Je sais répondre sur la charte (« que dit la charte sur la coopération ? »), les contacts des membres (« contact à Grenoble »), les scrutins ouverts et l'adhésion. Vous pouvez aussi utiliser `/aide` pour voir les commandes, `/charte lire` ou `/annuaire chercher`.",
        "Sorry, I did not understand your question. I can answer about the charter (“what does the charter say about cooperation?”), members' contacts (“contact in Grenoble”), open polls and joining. You can also use `/aide` to see the commands, `/charte lire` or `/annuaire chercher`.",
    ),
    "chatbot.reseau-inconnu": (
        "Je sers plusieurs réseaux : posez votre question en me mentionnant sur le serveur de votre réseau.",
        "I serve several networks: ask your question by mentioning me on your network's server.",
    ),
    "chatbot.repondu-en-prive": (
        "📬 Je vous ai répondu en message privé (les coordonnées des membres ne s'affichent pas en public).",
        "📬 I answered you by direct message (members' contact details are not shown in public).",
    ),
    "chatbot.dm-impossible": (
        "Je ne peux pas vous écrire en message privé : autorisez les messages privés de ce serveur, ou utilisez `/annuaire chercher` (réponse visible de vous seul).",
        "I cannot send you a direct message: allow direct messages from this server, or use `/annuaire chercher` (answer visible to you only).",
    ),
    # Charter
    "chatbot.charte.passages": (
        "📜 Ce que la charte dit sur « {sujet} » :",
        "📜 What the charter (in French) says about “{sujet}”:",
    ),
    "chatbot.charte.contexte": (
        "(historique, contexte de la charte)",
        "(history, the charter's context)",
    ),
    "chatbot.charte.lire": (
        "Le texte complet : `/charte lire`.",
        "The full text: `/charte lire` (read).",
    ),
    "chatbot.charte.rien": (
        "Je ne trouve rien dans la charte sur « {sujet} ». Lisez-la en entier avec `/charte lire`, ou reformulez avec un autre mot.",
        "I find nothing in the charter about “{sujet}”. Read it in full with `/charte lire`, or rephrase with another word.",
    ),
    "chatbot.charte.resume": (
        "📜 La charte du réseau comporte ces parties :\n{parties}\nDemandez-moi par exemple « que dit la charte sur la coopération ? », ou lisez-la avec `/charte lire`.",
        "📜 The network's charter has these parts (in French):\n{parties}\nAsk me for instance “what does the charter say about cooperation?”, or read it with `/charte lire`.",
    ),
    # Contacts
    "chatbot.contact.visiteur": (
        "Les coordonnées des élu·es sont réservées aux membres du réseau. Rejoignez-nous avec `/adhesion` !",
        "Members' contact details are for the network's members only. Join us with `/adhesion`!",
    ),
    "chatbot.contact.en-attente": (
        "Votre adhésion est en attente de validation par le bureau : l'annuaire vous sera ouvert dès qu'elle sera validée.",
        "Your membership is awaiting validation by the board: the directory will be open to you once it is validated.",
    ),
    "chatbot.contact.preciser": (
        "Pour qui cherchez-vous un contact ? Précisez une collectivité, un département ou un champ d'action (par exemple « contact à Grenoble », « qui suit le commerce équitable ? »), ou utilisez `/annuaire chercher`.",
        "Whom are you looking for? Name a collectivité, a département or a field of action (e.g. “contact in Grenoble”, “who works on fair trade?”), or use `/annuaire chercher`.",
    ),
    "chatbot.contact.aucun": (
        "Je ne trouve aucun membre actif pour : {cible}. Essayez `/annuaire chercher`.",
        "I find no active member for: {cible}. Try `/annuaire chercher`.",
    ),
    "chatbot.contact.titre": (
        "📇 **{nombre} membre(s)** pour : {cible}",
        "📇 **{nombre} member(s)** for: {cible}",
    ),
    "chatbot.contact.suite": (
        "… et {reste} autre(s) : `/annuaire chercher` pour la liste complète.",
        "… and {reste} more: `/annuaire chercher` for the full list.",
    ),
    "chatbot.contact.consentement": (
        "_Seules les coordonnées que chaque personne a choisi de partager sont affichées._",
        "_Only the contact details each person chose to share are shown._",
    ),
    # Polls
    "chatbot.scrutins.aucun": (
        "🗳️ Aucun scrutin n'est ouvert en ce moment.",
        "🗳️ No poll is open at the moment.",
    ),
    "chatbot.scrutins.ouverts": (
        "🗳️ **{nombre} scrutin(s) ouvert(s)** :",
        "🗳️ **{nombre} open poll(s)**:",
    ),
    "chatbot.scrutins.voter": (
        "Votez avec `/voter`, ou voyez la liste avec `/scrutin liste`.",
        "Vote with `/voter`, or see the list with `/scrutin liste`.",
    ),
    "chatbot.scrutins.membres": (
        "Seuls les membres votent : rejoignez le réseau avec `/adhesion`.",
        "Only members vote: join the network with `/adhesion`.",
    ),
    # Joining
    "chatbot.adhesion": (
        "Pour adhérer : tapez `/adhesion` sur le serveur (ou cliquez sur « Commencer mon adhésion » dans #accueil). Vous indiquez votre nom, votre collectivité et votre mandat, choisissez vos champs d'action, signez la charte, puis le bureau valide votre adhésion.",
        "To join: type `/adhesion` on the server (or click “Commencer mon adhésion” in #accueil). You give your name, collectivité and mandate, choose your fields of action, sign the charter, then the board validates your membership.",
    ),
    "chatbot.adhesion.deja-membre": (
        "Vous êtes déjà membre du réseau 🎉 Pour modifier vos informations : `/adhesion` ; vos données : `/mes-donnees voir`.",
        "You are already a member of the network 🎉 To edit your details: `/adhesion`; your data: `/mes-donnees voir`.",
    ),
    "chatbot.adhesion.en-attente": (
        "Votre adhésion est enregistrée et attend la validation du bureau. Vous pouvez déjà signer la charte avec `/charte signer`.",
        "Your membership is registered and awaits the board's validation. You can already sign the charter with `/charte signer`.",
    ),
}
