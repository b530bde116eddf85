"""`/charte`, `/admin charte-publier`, and the page buttons of long messages."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Commands
    "cmd.charte": ("charte", "charter"),
    "cmd.charte.desc": (
        "La charte du réseau : lire, signer, signataires",
        "The network's charter: read, sign, signatories",
    ),
    "cmd.charte.lire": ("lire", "read"),
    "cmd.charte.lire.desc": (
        "Lire la charte (en entier ou une partie)",
        "Read the charter (whole or one part)",
    ),
    "opt.charte.lire.partie": ("partie", "part"),
    "opt.charte.lire.partie.desc": (
        "La partie à lire (par défaut : tout le texte)",
        "The part to read (default: the whole text)",
    ),
    "cmd.charte.signer": ("signer", "sign"),
    "cmd.charte.signer.desc": (
        "Signer la version en vigueur de la charte",
        "Sign the charter version in force",
    ),
    "cmd.charte.signataires": ("signataires", "signatories"),
    "cmd.charte.signataires.desc": (
        "Les collectivités et élu·es signataires d'une version",
        "The collectivités and elected members who signed a version",
    ),
    "opt.charte.signataires.version": ("version", "version"),
    "opt.charte.signataires.version.desc": (
        "Numéro de version (par défaut : celle en vigueur)",
        "Version number (default: the one in force)",
    ),
    "cmd.charte.versions": ("versions", "versions"),
    "cmd.charte.versions.desc": (
        "Les versions publiées de la charte",
        "The published versions of the charter",
    ),
    "cmd.admin.charte-publier": ("charte-publier", "publish-charter"),
    "cmd.admin.charte-publier.desc": (
        "Publier une nouvelle version de la charte (fichier markdown ou proposition adoptée)",
        "Publish a new charter version (markdown file or adopted proposal)",
    ),
    "opt.admin.charte-publier.proposition": ("proposition", "proposal"),
    "opt.admin.charte-publier.proposition.desc": (
        "Ou : le numéro d'une proposition adoptée dont le texte devient la charte",
        "Or: the number of an adopted proposal whose text becomes the charter",
    ),
    "charte.publier.source": (
        "Indiquez soit un fichier (`fichier`), soit le numéro d'une proposition adoptée (`proposition`), mais pas les deux.",
        "Give either a file (`fichier`) or the number of an adopted proposal (`proposition`), not both.",
    ),
    "charte.publier.non-adoptee": (
        "La proposition n°{numero} n'a pas été adoptée : seul le texte d'une proposition adoptée peut devenir la charte.",
        "Proposal #{numero} has not been adopted: only an adopted proposal's text can become the charter.",
    ),
    "opt.admin.charte-publier.fichier": ("fichier", "file"),
    "opt.admin.charte-publier.fichier.desc": (
        "Le texte complet de la nouvelle version (.md ou .txt, UTF-8)",
        "The full text of the new version (.md or .txt, UTF-8)",
    ),
    # Reading
    "charte.lire.titre": (
        "📜 **Charte du réseau — version {version}**",
        "📜 **The network's charter — version {version}** (in French)",
    ),
    "charte.lire.debut-charte": ("__**Charte**__", "__**Charter**__"),
    "charte.lire.pied": (
        "Pour signer la charte : `/charte signer`.",
        "To sign the charter: `/charte signer` (sign).",
    ),
    "charte.contexte": ("(contexte)", "(context)"),
    "charte.partie.tout": ("Tout le texte", "The whole text"),
    "charte.partie.charte": (
        "La charte seule (sans l'historique)",
        "The charter only (without the history)",
    ),
    "charte.partie-inconnue": (
        "La partie « {partie} » n'existe pas. Parties disponibles : {parties}.",
        "There is no part « {partie} ». Available parts: {parties}.",
    ),
    "charte.version-inconnue": (
        "La version {version} de la charte n'existe pas : la dernière est la version {derniere}.",
        "Charter version {version} does not exist: the latest is version {derniere}.",
    ),
    # Signing
    "charte.signee": (
        "✅ Merci ! Vous avez signé la version {version} de la charte, au nom de {collectivite}.",
        "✅ Thank you! You signed version {version} of the charter, on behalf of {collectivite}.",
    ),
    "charte.signee.sans-collectivite": (
        "✅ Merci ! Vous avez signé la version {version} de la charte.",
        "✅ Thank you! You signed version {version} of the charter.",
    ),
    "charte.deja-signee": (
        "Vous avez déjà signé la version {version} de la charte : rien à faire.",
        "You already signed version {version} of the charter: nothing to do.",
    ),
    "charte.elu-inconnu": (
        "Cette adhésion est introuvable. Commencez votre adhésion avec /adhesion.",
        "This registration cannot be found. Start your membership with /adhesion.",
    ),
    # Signatories and versions
    "charte.signataires.titre": (
        "**Signataires de la charte — version {version}** : {signatures} signature(s), {collectivites} collectivité(s)",
        "**Signatories of the charter — version {version}**: {signatures} signature(s), {collectivites} collectivité(s)",
    ),
    "charte.signataires.aucun": (
        "Personne n'a encore signé cette version.",
        "Nobody has signed this version yet.",
    ),
    "charte.signataire-efface": (
        "(élu·e ayant effacé ses données)",
        "(member who erased their data)",
    ),
    "charte.sans-collectivite": ("Sans collectivité", "No collectivité"),
    "charte.versions.titre": ("**Versions de la charte**", "**Charter versions**"),
    "charte.versions.ligne": (
        "• Version {version} — publiée le {date} — {signatures} signature(s)",
        "• Version {version} — published on {date} — {signatures} signature(s)",
    ),
    "charte.versions.ligne.actuelle": (
        "• **Version {version}** (en vigueur) — publiée le {date} — {signatures} signature(s)",
        "• **Version {version}** (in force) — published on {date} — {signatures} signature(s)",
    ),
    # Publishing
    "charte.publier.format": (
        "Le fichier « {fichier} » n'est pas un texte markdown : joignez un fichier .md (ou .txt) encodé en UTF-8.",
        "The file « {fichier} » is not a markdown text: attach a .md (or .txt) file encoded in UTF-8.",
    ),
    "charte.publier.trop-long": (
        "Le fichier fait {taille} octets : la limite est de {limite} octets. Raccourcissez le texte.",
        "The file is {taille} bytes long: the limit is {limite} bytes. Shorten the text.",
    ),
    "charte.publier.encodage": (
        "Le fichier n'est pas encodé en UTF-8 (problème à la ligne {ligne}). Enregistrez-le en UTF-8 et recommencez.",
        "The file is not UTF-8 encoded (problem on line {ligne}). Save it as UTF-8 and try again.",
    ),
    "charte.publier.vide": (
        "Le fichier est vide : rien n'a été publié.",
        "The file is empty: nothing was published.",
    ),
    "charte.publier.identique": (
        "Ce texte est identique à la version {version} en vigueur : rien n'a été publié.",
        "This text is identical to version {version} in force: nothing was published.",
    ),
    "charte.publiee": (
        "📜 Version {version} de la charte publiée. {relances} signataire(s) de la version précédente ont été invité(s) à la signer.",
        "📜 Charter version {version} published. {relances} signatory(ies) of the previous version were asked to sign it.",
    ),
    "charte.publiee.echecs": (
        "📜 Version {version} de la charte publiée. {relances} signataire(s) invité(s) à la signer ; {echecs} n'ont pas pu être contacté(s) en message privé.",
        "📜 Charter version {version} published. {relances} signatory(ies) asked to sign it; {echecs} could not be reached by direct message.",
    ),
    "charte.relance": (
        "📜 Une nouvelle version de la charte du réseau (version {version}) a été publiée. Vous aviez signé la précédente : lisez-la avec `/charte lire` et signez-la avec le bouton ci-dessous ou `/charte signer`.",
        "📜 A new version of the network's charter (version {version}) was published. You signed the previous one: read it with `/charte lire` and sign it with the button below or `/charte signer`.",
    ),
    "charte.relance.bouton": ("Signer la version {version}", "Sign version {version}"),
}
