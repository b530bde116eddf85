"""`/mes-donnees` (GDPR): view, export, directory consent, vote reminders, erasure."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cmd.mes-donnees": ("mes-donnees", "my-data"),
    "cmd.mes-donnees.desc": ("Vos données personnelles (RGPD)", "Your personal data (GDPR)"),
    "cmd.mes-donnees.voir": ("voir", "view"),
    "cmd.mes-donnees.voir.desc": (
        "Voir tout ce que le réseau enregistre sur vous",
        "See everything the network stores about you",
    ),
    "cmd.mes-donnees.exporter": ("exporter", "export"),
    "cmd.mes-donnees.exporter.desc": (
        "Recevoir vos données dans un fichier JSON",
        "Get your data as a JSON file",
    ),
    "cmd.mes-donnees.visibilite": ("visibilite", "visibility"),
    "cmd.mes-donnees.visibilite.desc": (
        "Choisir si votre email et votre téléphone apparaissent dans l'annuaire",
        "Choose whether your email and phone appear in the directory",
    ),
    "cmd.mes-donnees.rappels": ("rappels", "reminders"),
    "cmd.mes-donnees.rappels.desc": (
        "Recevoir ou non les rappels de vote",
        "Receive vote reminders or not",
    ),
    "cmd.mes-donnees.effacer": ("effacer", "erase"),
    "cmd.mes-donnees.effacer.desc": (
        "Effacer vos données personnelles",
        "Erase your personal data",
    ),
    # View
    "donnees.voir.titre": (
        "🔒 **Vos données enregistrées par le réseau**",
        "🔒 **Your data stored by the network**",
    ),
    "donnees.voir.aucune-adhesion": (
        "Aucune adhésion n'est enregistrée à votre nom.",
        "No membership is registered in your name.",
    ),
    "donnees.voir.nom": ("Nom : {valeur}", "Name: {valeur}"),
    "donnees.voir.collectivite": (
        "Collectivité : {valeur} (référent·e : {referent})",
        "Collectivité: {valeur} (référent: {referent})",
    ),
    "donnees.voir.mandat": ("Mandat : {valeur}", "Mandate: {valeur}"),
    "donnees.voir.email": (
        "Email : {valeur} — visible dans l'annuaire : {visible}",
        "Email: {valeur} — shown in the directory: {visible}",
    ),
    "donnees.voir.telephone": (
        "Téléphone : {valeur} — visible dans l'annuaire : {visible}",
        "Phone: {valeur} — shown in the directory: {visible}",
    ),
    "donnees.voir.domaines": ("Champs d'action : {valeur}", "Fields of action: {valeur}"),
    "donnees.voir.statut": ("Statut : {valeur}", "Status: {valeur}"),
    "donnees.voir.rappels": ("Rappels de vote : {valeur}", "Vote reminders: {valeur}"),
    "donnees.voir.depuis": ("Inscription le {date}", "Registered on {date}"),
    "donnees.voir.activite": (
        "Signatures de la charte : {signatures} · propositions : {propositions} · amendements : {amendements} · soutiens : {soutiens} · procurations : {procurations} · participations à des scrutins : {participations} · bulletins de scrutins publics : {bulletins} · actions dans le journal : {evenements}",
        "Charter signatures: {signatures} · proposals: {propositions} · amendments: {amendements} · supports: {soutiens} · proxies: {procurations} · poll participations: {participations} · public-poll ballots: {bulletins} · actions in the log: {evenements}",
    ),
    "donnees.voir.pied": (
        "Vos bulletins des scrutins secrets ne sont reliés à personne : ils n'apparaissent nulle part. Tout le détail : `/mes-donnees exporter`. Effacer : `/mes-donnees effacer`.",
        "Your secret-poll ballots are linked to nobody: they appear nowhere. Full details: `/mes-donnees exporter`. Erase: `/mes-donnees effacer`.",
    ),
    "donnees.statut.pending": ("en attente de validation", "awaiting validation"),
    "donnees.statut.active": ("membre", "member"),
    "donnees.statut.rejected": ("adhésion refusée", "membership refused"),
    "donnees.statut.left": ("a quitté le serveur", "left the server"),
    "donnees.statut.erased": ("données effacées", "data erased"),
    "donnees.aucune": (
        "Le réseau n'a aucune donnée d'adhésion à votre nom.",
        "The network holds no membership data in your name.",
    ),
    # Export
    "donnees.exporter.fait": (
        "📦 Voici toutes les données que le réseau enregistre sur vous (fichier JSON).",
        "📦 Here is all the data the network stores about you (JSON file).",
    ),
    # Visibility
    "donnees.visibilite.etat": (
        "**Ce que les autres membres voient dans l'annuaire**\nEmail ({email}) : {email_visible}\nTéléphone ({telephone}) : {telephone_visible}\nVotre nom, votre collectivité, votre mandat et vos champs d'action sont toujours visibles des membres.",
        "**What other members see in the directory**\nEmail ({email}): {email_visible}\nPhone ({telephone}): {telephone_visible}\nYour name, collectivité, mandate and fields of action are always visible to members.",
    ),
    "donnees.visible": ("**visible**", "**shown**"),
    "donnees.masque": ("**masqué**", "**hidden**"),
    "donnees.visibilite.partager-email": ("Montrer mon email", "Show my email"),
    "donnees.visibilite.masquer-email": ("Masquer mon email", "Hide my email"),
    "donnees.visibilite.partager-telephone": ("Montrer mon téléphone", "Show my phone"),
    "donnees.visibilite.masquer-telephone": ("Masquer mon téléphone", "Hide my phone"),
    # Reminders
    "donnees.rappels.actifs": (
        "🔔 Vous recevez un rappel en message privé 24 h avant la clôture des scrutins où vous n'avez pas voté.",
        "🔔 You get a direct-message reminder 24 h before polls you have not voted in close.",
    ),
    "donnees.rappels.inactifs": (
        "🔕 Vous ne recevez plus de rappels de vote.",
        "🔕 You no longer receive vote reminders.",
    ),
    "donnees.rappels.arreter": ("Ne plus recevoir de rappels", "Stop reminders"),
    "donnees.rappels.reprendre": ("Recevoir les rappels", "Receive reminders"),
    # Erasure
    "donnees.effacer.question": (
        "⚠️ **Effacer vos données personnelles ?**\nVotre nom, email, téléphone, mandat, vos champs d'action et le lien avec votre compte Discord seront effacés, et vos rôles retirés. Ce que le réseau doit garder reste, anonyme : la signature de la charte par votre collectivité, les résultats des votes, les soutiens. C'est définitif.",
        "⚠️ **Erase your personal data?**\nYour name, email, phone, mandate, fields of action and the link with your Discord account will be erased, and your roles removed. What the network must keep stays, anonymised: your collectivité's charter signature, vote results, supports. This cannot be undone.",
    ),
    "donnees.effacer.confirmer": ("Effacer mes données", "Erase my data"),
    "donnees.effacer.carte": (
        "🗑️ Fiche d'adhésion effacée à la demande de la personne (RGPD).",
        "🗑️ Membership card erased at the person's request (GDPR).",
    ),
    # Shown wherever the bot had written the name of a person who erased their data.
    "donnees.membre-parti": ("membre parti·e", "former member"),
    "donnees.effacer.fait": (
        "🗑️ Vos données personnelles ont été effacées. Vous pouvez adhérer à nouveau à tout moment avec `/adhesion`.",
        "🗑️ Your personal data was erased. You may join again at any time with `/adhesion`.",
    ),
}
