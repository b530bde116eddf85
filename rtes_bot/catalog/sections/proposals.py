"""`/proposition` (proposals, supports, amendments) and `/admin audit`."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- commands and options
    "cmd.proposition": ("proposition", "proposal"),
    "cmd.proposition.desc": (
        "Déposer, soutenir, amender et suivre les propositions",
        "Submit, support, amend and follow proposals",
    ),
    "cmd.proposition.deposer": ("deposer", "submit"),
    "cmd.proposition.deposer.desc": (
        "Déposer une proposition dans le forum d'un domaine",
        "Submit a proposal in a field's forum",
    ),
    "cmd.proposition.amender": ("amender", "amend"),
    "cmd.proposition.amender.desc": (
        "Proposer un amendement au texte d'une proposition en débat",
        "Propose an amendment to the text of a proposal under debate",
    ),
    "cmd.proposition.voir": ("voir", "view"),
    "cmd.proposition.voir.desc": (
        "Voir une proposition et l'historique de son texte",
        "View a proposal and the history of its text",
    ),
    "cmd.proposition.liste": ("liste", "list"),
    "cmd.proposition.liste.desc": (
        "Lister les propositions, par statut ou par domaine",
        "List proposals, by status or by field",
    ),
    "cmd.proposition.retirer": ("retirer", "withdraw"),
    "cmd.proposition.retirer.desc": (
        "Retirer une proposition en débat (auteur·rice ou bureau)",
        "Withdraw a proposal under debate (author or board)",
    ),
    "opt.proposition.domaine": ("domaine", "field"),
    "opt.proposition.domaine.desc": (
        "Le champ d'action de la proposition",
        "The proposal's field of action",
    ),
    "opt.proposition.domaine-filtre.desc": (
        "Seulement les propositions de ce champ d'action",
        "Only the proposals of this field of action",
    ),
    "opt.proposition.numero": ("numero", "number"),
    "opt.proposition.numero.desc": ("Le numéro de la proposition", "The proposal's number"),
    "opt.proposition.version": ("version", "version"),
    "opt.proposition.version.desc": (
        "Une version précédente du texte (par défaut : la dernière)",
        "An earlier version of the text (default: the latest)",
    ),
    "opt.proposition.statut": ("statut", "status"),
    "opt.proposition.statut.desc": (
        "Seulement les propositions de ce statut",
        "Only the proposals with this status",
    ),
    "choix.proposition.statut.en-debat": ("En débat", "Under debate"),
    "choix.proposition.statut.au-vote": ("Au vote", "Being voted on"),
    "choix.proposition.statut.adoptee": ("Adoptée", "Adopted"),
    "choix.proposition.statut.rejetee": ("Rejetée", "Rejected"),
    "choix.proposition.statut.quorum-non-atteint": ("Quorum non atteint", "Quorum not reached"),
    "choix.proposition.statut.retiree": ("Retirée", "Withdrawn"),
    # --- statuses as shown
    "proposition.statut.en-debat": ("En débat", "Under debate"),
    "proposition.statut.au-vote": ("Au vote", "Being voted on"),
    "proposition.statut.adoptee": ("Adoptée", "Adopted"),
    "proposition.statut.rejetee": ("Rejetée", "Rejected"),
    "proposition.statut.quorum-non-atteint": ("Quorum non atteint", "Quorum not reached"),
    "proposition.statut.retiree": ("Retirée", "Withdrawn"),
    # --- the post
    "proposition.post.titre": ("Proposition n°{numero} — {titre}", "Proposal #{numero} — {titre}"),
    "proposition.post.auteur": ("Déposée par", "Submitted by"),
    "proposition.post.domaine": ("Domaine", "Field"),
    "proposition.post.statut": ("Statut", "Status"),
    "proposition.post.soutiens": ("Soutiens", "Supports"),
    "proposition.post.soutiens-collectivites": (
        "Soutiens (collectivités)",
        "Supports (collectivités)",
    ),
    "proposition.post.version": ("Version du texte", "Text version"),
    "proposition.post.pied": (
        "Soutenez ou amendez avec les boutons ci-dessous · /proposition voir {numero}",
        "Support or amend with the buttons below · /proposition voir {numero}",
    ),
    "proposition.bouton.soutenir": ("Soutenir", "Support"),
    "proposition.bouton.amender": ("Amender", "Amend"),
    "proposition.bouton.retirer-soutien": ("Retirer mon soutien", "Withdraw my support"),
    # --- deposit
    "proposition.modal.titre": ("Déposer une proposition", "Submit a proposal"),
    "proposition.modal.champ-titre": (
        "Titre (100 caractères au plus)",
        "Title (100 characters at most)",
    ),
    "proposition.modal.champ-texte": ("Texte de la proposition", "Text of the proposal"),
    "proposition.choisir-domaine": (
        "Dans quel champ d'action déposez-vous votre proposition ?",
        "In which field of action are you submitting your proposal?",
    ),
    "proposition.aucun-domaine": (
        "Aucun champ d'action n'a encore de forum. Le bureau doit d'abord lancer /admin installer.",
        "No field of action has a forum yet. The board must first run /admin installer.",
    ),
    "proposition.deposee": (
        "Votre proposition n°{numero} « {titre} » est déposée : {lien}. Les élu·es peuvent maintenant la soutenir et l'amender.",
        "Your proposal #{numero} “{titre}” has been submitted: {lien}. Members can now support and amend it.",
    ),
    "proposition.titre-vide": (
        "Le titre est vide : donnez un titre à votre proposition.",
        "The title is empty: give your proposal a title.",
    ),
    "proposition.titre-trop-long": (
        "Le titre fait {longueur} caractères ; {maximum} au plus. Raccourcissez-le et recommencez.",
        "The title is {longueur} characters long; {maximum} at most. Shorten it and try again.",
    ),
    "proposition.texte-vide": (
        "Le texte est vide : écrivez le texte de la proposition.",
        "The text is empty: write the proposal's text.",
    ),
    "proposition.texte-trop-long": (
        "Le texte fait {longueur} caractères ; {maximum} au plus. Raccourcissez-le et recommencez.",
        "The text is {longueur} characters long; {maximum} at most. Shorten it and try again.",
    ),
    "proposition.numero-concurrent": (
        "Plusieurs propositions ont été déposées au même instant : réessayez, votre texte n'a pas été enregistré.",
        "Several proposals were submitted at the same moment: try again, your text was not saved.",
    ),
    "proposition.domaine-inconnu": (
        "Le champ d'action « {domaine} » n'existe pas. Choisissez-en un dans la liste proposée.",
        "The field of action “{domaine}” does not exist. Pick one from the suggested list.",
    ),
    "proposition.domaine-retire": (
        "Le champ d'action « {domaine} » a été retiré : choisissez-en un autre.",
        "The field of action “{domaine}” was retired: pick another one.",
    ),
    "proposition.domaine-sans-forum": (
        "Le champ d'action « {domaine} » n'a pas de forum. Le bureau doit lancer /admin installer.",
        "The field of action “{domaine}” has no forum. The board must run /admin installer.",
    ),
    "proposition.forum-introuvable": (
        "Le forum du champ d'action « {domaine} » est introuvable (supprimé ?). Le bureau doit relancer /admin installer ; rien n'a été enregistré.",
        "The forum of the field of action “{domaine}” cannot be found (deleted?). The board must run /admin installer again; nothing was saved.",
    ),
    "proposition.fil-introuvable": (
        "Le fil de la proposition n°{numero} est introuvable. Prévenez le bureau ; rien n'a été enregistré.",
        "The thread of proposal #{numero} cannot be found. Tell the board; nothing was saved.",
    ),
    # --- finding proposals
    "proposition.inconnue": (
        "Il n'y a pas de proposition n°{numero}. `/proposition liste` montre les propositions existantes.",
        "There is no proposal #{numero}. `/proposition liste` shows the existing proposals.",
    ),
    "proposition.inconnue-id": (
        "Cette proposition n'existe plus.",
        "This proposal no longer exists.",
    ),
    "proposition.version-inconnue": (
        "La proposition n°{numero} n'a pas de version {version} : ses versions vont de 1 à {derniere}.",
        "Proposal #{numero} has no version {version}: its versions go from 1 to {derniere}.",
    ),
    "proposition.plus-en-debat": (
        "La proposition n°{numero} n'est plus en débat : elle ne peut plus être soutenue, amendée ni retirée.",
        "Proposal #{numero} is no longer under debate: it can no longer be supported, amended or withdrawn.",
    ),
    # --- supports
    "proposition.soutien.ajoute": (
        "Votre soutien à la proposition n°{numero} est enregistré ({total} soutien(s)). Cliquez de nouveau sur Soutenir pour le retirer.",
        "Your support for proposal #{numero} is recorded ({total} support(s)). Click Support again to withdraw it.",
    ),
    "proposition.soutien.deja": (
        "Vous soutenez déjà la proposition n°{numero}. Voulez-vous retirer votre soutien ?",
        "You already support proposal #{numero}. Do you want to withdraw your support?",
    ),
    "proposition.soutien.deja-collectivite": (
        "Votre collectivité soutient déjà la proposition n°{numero} (soutien donné par {nom}) : un soutien par collectivité.",
        "Your collectivité already supports proposal #{numero} (support given by {nom}): one support per collectivité.",
    ),
    "proposition.soutien.retire": (
        "Votre soutien à la proposition n°{numero} est retiré ({total} soutien(s)).",
        "Your support for proposal #{numero} is withdrawn ({total} support(s)).",
    ),
    "proposition.soutien.absent": (
        "Vous ne soutenez pas la proposition n°{numero} : il n'y a rien à retirer.",
        "You do not support proposal #{numero}: there is nothing to withdraw.",
    ),
    # --- amendments
    "amendement.modal.titre": ("Amender la proposition n°{numero}", "Amend proposal #{numero}"),
    "amendement.modal.champ-texte": ("Nouveau texte proposé", "Proposed new text"),
    "amendement.modal.champ-motif": (
        "Pourquoi ce changement ? (facultatif)",
        "Why this change? (optional)",
    ),
    "amendement.propose": (
        "Votre amendement n°{numero} à la proposition n°{proposition} est publié dans {lien}. L'auteur·rice de la proposition l'acceptera ou le refusera.",
        "Your amendment #{numero} to proposal #{proposition} is published in {lien}. The proposal's author will accept or refuse it.",
    ),
    "amendement.message.annonce": (
        "Amendement n°{numero} proposé par {nom}. L'auteur·rice de la proposition peut l'accepter ou le refuser.",
        "Amendment #{numero} proposed by {nom}. The proposal's author can accept or refuse it.",
    ),
    "amendement.message.titre": (
        "Amendement n°{numero} à la proposition n°{proposition}",
        "Amendment #{numero} to proposal #{proposition}",
    ),
    "amendement.message.auteur": ("Proposé par", "Proposed by"),
    "amendement.message.base": ("Sur la version", "On version"),
    "amendement.message.statut": ("Statut", "Status"),
    "amendement.message.motif": ("Motif", "Rationale"),
    "amendement.statut.proposed": ("En attente de l'auteur·rice", "Awaiting the author"),
    "amendement.statut.accepted": ("Accepté", "Accepted"),
    "amendement.statut.refused": ("Refusé", "Refused"),
    "amendement.bouton.accepter": ("Accepter", "Accept"),
    "amendement.bouton.refuser": ("Refuser", "Refuse"),
    "amendement.accepte": (
        "Amendement n°{numero} accepté : la proposition n°{proposition} passe à la version {version}.",
        "Amendment #{numero} accepted: proposal #{proposition} is now at version {version}.",
    ),
    "amendement.refuse": (
        "Amendement n°{numero} refusé : le texte de la proposition n°{proposition} reste inchangé.",
        "Amendment #{numero} refused: the text of proposal #{proposition} is unchanged.",
    ),
    "amendement.inconnu": ("Cet amendement n'existe plus.", "This amendment no longer exists."),
    "amendement.auteur-seulement": (
        "Seul·e l'auteur·rice de la proposition n°{numero} peut accepter ou refuser ses amendements.",
        "Only the author of proposal #{numero} can accept or refuse its amendments.",
    ),
    "amendement.deja-decide": (
        "L'amendement n°{numero} a déjà été traité : rien n'a changé.",
        "Amendment #{numero} has already been decided: nothing changed.",
    ),
    "amendement.perime": (
        "L'amendement n°{numero} porte sur la version {base}, mais le texte est passé à la version {actuelle} depuis : il l'écraserait. Refusez-le et demandez un nouvel amendement sur le texte actuel.",
        "Amendment #{numero} applies to version {base}, but the text has since moved to version {actuelle}: it would overwrite it. Refuse it and ask for a new amendment on the current text.",
    ),
    "amendement.identique": (
        "Ce texte est identique au texte actuel de la proposition n°{numero} : modifiez-le pour proposer un amendement.",
        "This text is the same as the current text of proposal #{numero}: change it to propose an amendment.",
    ),
    "amendement.motif-trop-long": (
        "Le motif fait {longueur} caractères ; {maximum} au plus.",
        "The rationale is {longueur} characters long; {maximum} at most.",
    ),
    # --- view and list
    "proposition.voir.fil": ("Fil de discussion", "Discussion thread"),
    "proposition.voir.versions": ("Versions du texte", "Text versions"),
    "proposition.voir.origine-initiale": ("texte initial", "original text"),
    "proposition.voir.origine-amendement": ("amendement n°{numero}", "amendment #{numero}"),
    "proposition.voir.version-affichee": (
        "Texte de la version {version} (dernière : {derniere}) · /proposition voir <numero> <version> pour une autre",
        "Text of version {version} (latest: {derniere}) · /proposition voir <number> <version> for another",
    ),
    "proposition.liste.titre": ("Propositions ({nombre})", "Proposals ({nombre})"),
    "proposition.liste.ligne": (
        "**n°{numero}** · {titre} — {statut} · {domaine} · {lien}",
        "**#{numero}** · {titre} — {statut} · {domaine} · {lien}",
    ),
    "proposition.liste.plus": (
        "… et {nombre} autre(s) : précisez un statut ou un domaine.",
        "… and {nombre} more: narrow by status or field.",
    ),
    "proposition.liste.vide": (
        "Aucune proposition ne correspond.",
        "No proposal matches.",
    ),
    # --- status and withdrawal
    "proposition.retrait-interdit": (
        "Seul·e l'auteur·rice de la proposition n°{numero} ou le bureau peut la retirer.",
        "Only the author of proposal #{numero} or the board can withdraw it.",
    ),
    "proposition.retiree": (
        "La proposition n°{numero} est retirée.",
        "Proposal #{numero} is withdrawn.",
    ),
    "proposition.retiree.annonce": (
        "La proposition n°{numero} a été retirée par {nom}.",
        "Proposal #{numero} was withdrawn by {nom}.",
    ),
    "proposition.statut-impossible": (
        "La proposition n°{numero} ne peut pas passer du statut « {de} » au statut « {vers} ».",
        "Proposal #{numero} cannot move from status “{de}” to “{vers}”.",
    ),
    "proposition.statut-concurrent": (
        "Le statut de la proposition n°{numero} vient de changer : réessayez.",
        "The status of proposal #{numero} has just changed: try again.",
    ),
    # --- /admin audit
    "cmd.admin.audit": ("audit", "audit"),
    "cmd.admin.audit.desc": (
        "Exporter le journal d'audit du réseau (CSV ou JSON)",
        "Export the network's audit log (CSV or JSON)",
    ),
    "opt.admin.audit.format": ("format", "format"),
    "opt.admin.audit.format.desc": (
        "Format du fichier (CSV par défaut)",
        "File format (CSV by default)",
    ),
    "choix.audit.format.csv": ("CSV (tableur)", "CSV (spreadsheet)"),
    "choix.audit.format.json": ("JSON", "JSON"),
    "audit.export": (
        "Journal d'audit : {nombre} événement(s), du plus ancien au plus récent.",
        "Audit log: {nombre} event(s), oldest first.",
    ),
    "audit.vide": ("Le journal d'audit est vide.", "The audit log is empty."),
}
