"""`/admin installer`, `/admin import-collectivites`, `/admin referent`, `/admin domaines …`."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Commands and options
    "cmd.admin": ("admin", "admin"),
    "cmd.admin.desc": ("Commandes du bureau du réseau", "Commands of the network's board"),
    "cmd.admin.installer": ("installer", "install"),
    "cmd.admin.installer.desc": (
        "Crée ou répare les rôles et salons du réseau (sans rien dupliquer)",
        "Creates or repairs the network's roles and channels (duplicating nothing)",
    ),
    "cmd.admin.import-collectivites": ("import-collectivites", "import-authorities"),
    "cmd.admin.import-collectivites.desc": (
        "Importe la liste des collectivités membres depuis un fichier CSV",
        "Imports the list of member local authorities from a CSV file",
    ),
    "opt.admin.import-collectivites.fichier": ("fichier", "file"),
    "opt.admin.import-collectivites.fichier.desc": (
        "Fichier CSV (UTF-8) : nom, type, code, departement, region, statut, poids",
        "CSV file (UTF-8): nom, type, code, departement, region, statut, poids",
    ),
    "cmd.admin.referent": ("referent", "referent"),
    "cmd.admin.referent.desc": (
        "Désigne l'élu·e référent·e d'une collectivité (qui vote en son nom)",
        "Names the referent of a local authority (who votes on its behalf)",
    ),
    "opt.admin.referent.membre": ("membre", "member"),
    "opt.admin.referent.membre.desc": ("L'élu·e à désigner", "The elected member to name"),
    "opt.admin.referent.collectivite": ("collectivite", "authority"),
    "opt.admin.referent.collectivite.desc": (
        "Sa collectivité (par défaut : celle de son adhésion)",
        "Their local authority (default: the one in their membership)",
    ),
    "cmd.admin.domaines": ("domaines", "fields"),
    "cmd.admin.domaines.desc": ("Gérer les domaines d'action", "Manage the fields of action"),
    "cmd.admin.domaines.ajouter": ("ajouter", "add"),
    "cmd.admin.domaines.ajouter.desc": (
        "Ajoute un domaine d'action (avec son rôle et son forum)",
        "Adds a field of action (with its role and forum)",
    ),
    "cmd.admin.domaines.renommer": ("renommer", "rename"),
    "cmd.admin.domaines.renommer.desc": (
        "Renomme un domaine d'action, son rôle et son forum",
        "Renames a field of action, its role and its forum",
    ),
    "cmd.admin.domaines.retirer": ("retirer", "retire"),
    "cmd.admin.domaines.retirer.desc": (
        "Retire un domaine d'action (son historique est conservé)",
        "Retires a field of action (its history is kept)",
    ),
    "opt.admin.domaines.nom": ("nom", "name"),
    "opt.admin.domaines.nom.desc": ("Nom du domaine d'action", "Name of the field of action"),
    "opt.admin.domaines.description": ("description", "description"),
    "opt.admin.domaines.description.desc": (
        "Description courte (facultative)",
        "Short description (optional)",
    ),
    "opt.admin.domaines.domaine": ("domaine", "field"),
    "opt.admin.domaines.domaine.desc": ("Le domaine d'action", "The field of action"),
    "opt.admin.domaines.nouveau-nom": ("nom", "new-name"),
    "opt.admin.domaines.nouveau-nom.desc": ("Son nouveau nom", "Its new name"),
    # Installation
    "installation.raison": (
        "Installation du bot RTES (/admin installer)",
        "RTES bot installation (/admin install)",
    ),
    "installation.titre": ("**Installation du réseau**", "**Network installation**"),
    "installation.cree": ("Créé ({nombre}) :", "Created ({nombre}):"),
    "installation.repare": ("Réparé ({nombre}) :", "Repaired ({nombre}):"),
    "installation.inchange": (
        "Déjà en place, inchangé : {nombre} élément(s).",
        "Already in place, unchanged: {nombre} item(s).",
    ),
    "installation.rien-a-faire": (
        "Tout était déjà en place : rien n'a été créé.",
        "Everything was already in place: nothing was created.",
    ),
    "installation.element.role": ("rôle « {nom} »", "role “{nom}”"),
    "installation.element.categorie": ("catégorie « {nom} »", "category “{nom}”"),
    "installation.element.forum": ("forum #{nom}", "forum #{nom}"),
    "installation.element.salon": ("salon #{nom}", "channel #{nom}"),
    "installation.element.domaines": (
        "{nombre} domaines d'action de la charte",
        "{nombre} fields of action from the charter",
    ),
    "installation.element.message-accueil": (
        "message d'accueil avec le bouton « Commencer mon adhésion »",
        "welcome message with the “Start my membership” button",
    ),
    "installation.forums-refuses": (
        "⚠️ Discord a refusé de créer des forums : ce serveur n'a pas la fonction « Communauté ». "
        "Chaque domaine d'action a donc un salon textuel, où chaque proposition sera un fil. "
        "Pour avoir des forums, activez la Communauté (Paramètres du serveur → Activer la Communauté).",
        "⚠️ Discord refused to create forums: this server does not have the “Community” feature. "
        "Each field of action therefore has a text channel, where each proposal will be a thread. "
        "To get forums, enable Community (Server Settings → Enable Community).",
    ),
    # Collectivités import
    "collectivites.import.fait": (
        "Import terminé : {creees} collectivité(s) créée(s), {mises_a_jour} mise(s) à jour, {inchangees} inchangée(s).",
        "Import done: {creees} local authorities created, {mises_a_jour} updated, {inchangees} unchanged.",
    ),
    "collectivites.import.lignes-invalides": (
        "Le fichier contient {nombre} ligne(s) invalide(s) :",
        "The file has {nombre} invalid line(s):",
    ),
    "collectivites.import.ligne": ("• ligne {ligne} : {raisons}", "• line {ligne}: {raisons}"),
    "collectivites.import.autres": (
        "… et {nombre} autre(s) ligne(s).",
        "… and {nombre} more line(s).",
    ),
    "collectivites.import.rien-ecrit": (
        "Rien n'a été importé : corrigez ces lignes puis renvoyez le fichier.",
        "Nothing was imported: fix these lines, then send the file again.",
    ),
    "collectivites.import.trop-gros": (
        "Ce fichier est trop gros (maximum {max_ko} Ko). Envoyez la liste en plusieurs fichiers.",
        "This file is too large (maximum {max_ko} kB). Send the list in several files.",
    ),
    "collectivites.import.encodage": (
        "Ce fichier n'est pas en UTF-8 (premier caractère illisible à la ligne {ligne}). "
        "Dans votre tableur, enregistrez-le en « CSV UTF-8 », puis renvoyez-le.",
        "This file is not UTF-8 (first unreadable character on line {ligne}). "
        "In your spreadsheet, save it as “CSV UTF-8”, then send it again.",
    ),
    "collectivites.import.vide": ("Ce fichier est vide.", "This file is empty."),
    "collectivites.import.aucune-ligne": (
        "Ce fichier n'a qu'une ligne d'en-tête : aucune collectivité à importer.",
        "This file only has a header line: no local authority to import.",
    ),
    "collectivites.import.illisible": (
        "Ce fichier CSV est illisible à la ligne {ligne} ({detail}).",
        "This CSV file cannot be read at line {ligne} ({detail}).",
    ),
    "collectivites.import.trop-de-lignes": (
        "Ce fichier a trop de lignes (maximum {max}).",
        "This file has too many lines (maximum {max}).",
    ),
    "collectivites.import.colonnes": (
        "Les colonnes du fichier ne conviennent pas. Colonnes inconnues : {inconnues}. "
        "Colonnes obligatoires manquantes : {manquantes}. En double : {doublons}. "
        "Colonnes attendues (première ligne) : {attendues}.",
        "The file's columns are not right. Unknown columns: {inconnues}. "
        "Missing required columns: {manquantes}. Duplicated: {doublons}. "
        "Expected columns (first line): {attendues}.",
    ),
    "collectivites.import.nom-vide": ("le nom est vide", "the name is empty"),
    "collectivites.import.nom-trop-long": (
        "le nom dépasse {max} caractères",
        "the name is longer than {max} characters",
    ),
    "collectivites.import.type-invalide": (
        "type « {valeur} » inconnu (valeurs possibles : {valeurs})",
        "unknown type “{valeur}” (possible values: {valeurs})",
    ),
    "collectivites.import.code-invalide": (
        "code « {valeur} » invalide (code INSEE à 5 caractères, code de département ou région, ou SIREN à 9 chiffres)",
        "invalid code “{valeur}” (5-character INSEE code, département or région code, or 9-digit SIREN)",
    ),
    "collectivites.import.trop-long": (
        "la colonne {colonne} dépasse {max} caractères",
        "column {colonne} is longer than {max} characters",
    ),
    "collectivites.import.statut-invalide": (
        "statut « {valeur} » inconnu (valeurs possibles : {valeurs})",
        "unknown status “{valeur}” (possible values: {valeurs})",
    ),
    "collectivites.import.poids-invalide": (
        "poids « {valeur} » invalide (un nombre entier, 1 ou plus)",
        "invalid weight “{valeur}” (a whole number, 1 or more)",
    ),
    "collectivites.import.code-en-double": (
        "même code qu'à la ligne {ligne}",
        "same code as on line {ligne}",
    ),
    "collectivites.import.nom-en-double": (
        "même nom qu'à la ligne {ligne}",
        "same name as on line {ligne}",
    ),
    "collectivites.import.trop-de-cellules": (
        "plus de cellules que de colonnes ({attendu} attendues)",
        "more cells than columns ({attendu} expected)",
    ),
    "collectivites.import.conflit-nom": (
        "ce code désigne une collectivité, mais ce nom en désigne une autre (« {nom} »)",
        "this code names one local authority but this name another one (“{nom}”)",
    ),
    "collectivites.inconnue": (
        "Collectivité « {nom} » introuvable. Choisissez-la dans la liste proposée.",
        "Local authority “{nom}” not found. Pick it from the suggested list.",
    ),
    "collectivites.nom-vide": (
        "Le nom de la collectivité est vide.",
        "The local authority's name is empty.",
    ),
    # Référent
    "referent.pas-membre": (
        "Cette personne n'a pas d'adhésion au réseau.",
        "This person has no membership in the network.",
    ),
    "referent.pas-actif": (
        "L'adhésion de {nom} n'est pas validée : seul·e un·e élu·e membre peut être référent·e.",
        "{nom}'s membership is not validated: only a member can be a referent.",
    ),
    "referent.sans-collectivite": (
        "{nom} n'est rattaché·e à aucune collectivité : indiquez-la dans l'option collectivite.",
        "{nom} has no local authority: give it in the authority option.",
    ),
    "referent.autre-collectivite": (
        "{nom} est rattaché·e à {sienne}, pas à {demandee}. Pour changer, l'élu·e met à jour son adhésion avec /adhesion.",
        "{nom} belongs to {sienne}, not {demandee}. To change it, the member updates their membership with /adhesion.",
    ),
    "referent.designe": (
        "{nom} est désormais référent·e de {collectivite}.",
        "{nom} is now the referent of {collectivite}.",
    ),
    "referent.precedent": (
        "{nom} n'est plus référent·e (une seule personne par collectivité).",
        "{nom} is no longer referent (one person per local authority).",
    ),
    # Fields of action (bureau)
    "admin.domaines.ajoute": (
        "Domaine d'action « {nom} » ajouté.",
        "Field of action “{nom}” added.",
    ),
    "admin.domaines.installe": (
        "Son rôle et son forum ont été créés.",
        "Its role and forum were created.",
    ),
    "admin.domaines.a-installer": (
        "Lancez /admin installer pour créer son rôle et son forum.",
        "Run /admin install to create its role and forum.",
    ),
    "admin.domaines.renomme": (
        "« {ancien} » s'appelle désormais « {nom} » (rôle et forum renommés).",
        "“{ancien}” is now called “{nom}” (role and forum renamed).",
    ),
    "admin.domaines.retire": (
        "Domaine « {nom} » retiré : il n'est plus proposé, son historique, son rôle et son forum sont conservés.",
        "Field “{nom}” retired: it is no longer offered; its history, role and forum are kept.",
    ),
}
