"""`/scrutin …`, `/decisions`, durations, the poll message, reminders and the published results."""

_DUREE_FORMATS_FR = (
    "Formats acceptés : une durée (`30m`, `48h`, `7j`, `2j12h`, `1 semaine`) ou une date, heure de Paris "
    "(`15/12/2026 18:00`, `15/12/2026`, `15/12 18h`, `le 15 décembre 2026 à 18h`)."
)
_DUREE_FORMATS_EN = (
    "Accepted formats: a length (`30m`, `48h`, `7j` = 7 days, `2j12h`, `1 semaine` = 1 week) or a date, "
    "Paris time (`15/12/2026 18:00`, `15/12/2026`, `15/12 18h`, `le 15 décembre 2026 à 18h`)."
)

MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ commands
    "cmd.scrutin": ("scrutin", "poll"),
    "cmd.scrutin.desc": (
        "Scrutins : ouvrir, lister, résultats, clôture, export",
        "Polls: open, list, results, close, export",
    ),
    "cmd.scrutin.ouvrir": ("ouvrir", "open"),
    "cmd.scrutin.ouvrir.desc": ("Ouvrir un scrutin (bureau)", "Open a poll (board)"),
    "cmd.scrutin.liste": ("liste", "list"),
    "cmd.scrutin.liste.desc": ("Les scrutins ouverts et récents", "Open and recent polls"),
    "cmd.scrutin.resultats": ("resultats", "results"),
    "cmd.scrutin.resultats.desc": (
        "Les résultats d'un scrutin (quand ils sont visibles)",
        "A poll's results (when visible)",
    ),
    "cmd.scrutin.cloturer": ("cloturer", "close"),
    "cmd.scrutin.cloturer.desc": (
        "Clore un scrutin avant son échéance (bureau)",
        "Close a poll before its deadline (board)",
    ),
    "cmd.scrutin.exporter": ("exporter", "export"),
    "cmd.scrutin.exporter.desc": (
        "Les bulletins anonymisés d'un scrutin clos, en CSV (bureau)",
        "A closed poll's anonymised ballots as CSV (board)",
    ),
    "opt.scrutin.duree": ("duree", "duration"),
    "opt.scrutin.duree.desc": (
        "Durée (30m, 48h, 7j) ou date de clôture (15/12/2026 18:00, heure de Paris)",
        "Length (30m, 48h, 7j) or closing date (15/12/2026 18:00, Paris time)",
    ),
    "opt.scrutin.question": ("question", "question"),
    "opt.scrutin.question.desc": (
        "La question posée (ou bien : proposition)",
        "The question asked (or else: proposal)",
    ),
    "opt.scrutin.proposition": ("proposition", "proposal"),
    "opt.scrutin.proposition.desc": (
        "Le numéro de la proposition mise au vote (pour ou contre)",
        "Number of the proposal put to the vote (for or against)",
    ),
    "opt.scrutin.methode": ("methode", "method"),
    "opt.scrutin.methode.desc": (
        "Méthode de vote (par défaut : pour ou contre)",
        "Voting method (default: for or against)",
    ),
    "opt.scrutin.options": ("options", "options"),
    "opt.scrutin.options.desc": (
        "Les choix, séparés par « ; » (pas pour « pour ou contre »)",
        "The choices, separated by « ; » (not for for/against)",
    ),
    "opt.scrutin.quorum": ("quorum", "quorum"),
    "opt.scrutin.quorum.desc": (
        "Participation minimale, en % de l'électorat (défaut 0)",
        "Minimum turnout, as a % of the electorate (default 0)",
    ),
    "opt.scrutin.majorite": ("majorite", "majority"),
    "opt.scrutin.majorite.desc": (
        "Règle de majorité (pour ou contre uniquement ; défaut simple)",
        "Majority rule (for/against only; default simple)",
    ),
    "opt.scrutin.secret": ("secret", "secret"),
    "opt.scrutin.secret.desc": (
        "Vote secret (défaut : oui) ; non = la liste des votes est publiée",
        "Secret ballot (default: yes); no = who voted what is published",
    ),
    "opt.scrutin.electorat": ("electorat", "electorate"),
    "opt.scrutin.electorat.desc": (
        "Qui vote : les élu·es, ou une voix par collectivité (défaut : élu·es)",
        "Who votes: elected members, or one vote per collectivité (default: members)",
    ),
    "opt.scrutin.domaine": ("domaine", "field"),
    "opt.scrutin.domaine.desc": (
        "Réserver le vote aux élu·es d'un champ d'action",
        "Restrict the vote to the members of a field of action",
    ),
    "opt.scrutin.resultats": ("resultats", "results"),
    "opt.scrutin.resultats.desc": (
        "Quand les résultats sont visibles (défaut : à la clôture)",
        "When results are visible (default: at closing)",
    ),
    "opt.scrutin.max_choix": ("max_choix", "max_choices"),
    "opt.scrutin.max_choix.desc": (
        "Approbation : nombre maximum de choix par bulletin",
        "Approval: maximum number of choices per ballot",
    ),
    "opt.scrutin.irv": ("irv", "irv"),
    "opt.scrutin.irv.desc": (
        "Classement : vote alternatif (IRV) au lieu de Schulze",
        "Ranking: instant-runoff (IRV) instead of Schulze",
    ),
    "opt.scrutin.numero": ("numero", "number"),
    "opt.scrutin.numero.desc": ("Le numéro du scrutin", "The poll's number"),
    "choix.methode.pour-contre": ("Pour ou contre", "For or against"),
    "choix.methode.choix-unique": ("Choix unique", "Single choice"),
    "choix.methode.approbation": ("Approbation (plusieurs choix)", "Approval (several choices)"),
    "choix.methode.classement": (
        "Classement (Schulze ; IRV avec l'option irv)",
        "Ranking (Schulze; IRV with the irv option)",
    ),
    "choix.methode.jugement-majoritaire": ("Jugement majoritaire", "Majority judgment"),
    "choix.methode.notes": ("Notes de 0 à 5", "Scores from 0 to 5"),
    "choix.majorite.simple": (
        "Simple : plus de pour que de contre",
        "Simple: more for than against",
    ),
    "choix.majorite.absolue": (
        "Absolue : pour > moitié de l'électorat",
        "Absolute: for > half the electorate",
    ),
    "choix.majorite.deux-tiers": (
        "Deux tiers des suffrages exprimés",
        "Two thirds of the votes cast",
    ),
    "choix.electorat.elus": ("Les élu·es", "Elected members"),
    "choix.electorat.collectivites": (
        "Les collectivités (une voix pondérée chacune)",
        "Collectivités (one weighted vote each)",
    ),
    "choix.resultats.en-direct": ("En direct", "Live"),
    "choix.resultats.apres-vote": ("Après avoir voté", "After voting"),
    "choix.resultats.a-la-cloture": ("À la clôture", "At closing"),
    "cmd.decisions": ("decisions", "decisions"),
    "cmd.decisions.desc": (
        "Les décisions adoptées par le réseau",
        "The decisions adopted by the network",
    ),
    "opt.decisions.recherche": ("recherche", "search"),
    "opt.decisions.recherche.desc": (
        "Des mots à chercher dans les décisions",
        "Words to look for in the decisions",
    ),
    # ------------------------------------------------------------------ durations
    "duree.illisible": (
        "Je ne comprends pas la durée « {saisie} ». " + _DUREE_FORMATS_FR,
        "I cannot read the duration “{saisie}”. " + _DUREE_FORMATS_EN,
    ),
    "duree.passee": (
        "La date de clôture ({quand}, heure de Paris) est déjà passée : choisissez une date à venir. "
        + _DUREE_FORMATS_FR,
        "The closing date ({quand}, Paris time) is already past: choose a future date. "
        + _DUREE_FORMATS_EN,
    ),
    "duree.trop-courte": (
        "Un scrutin doit durer au moins 5 minutes. " + _DUREE_FORMATS_FR,
        "A poll must last at least 5 minutes. " + _DUREE_FORMATS_EN,
    ),
    "duree.trop-longue": (
        "Un scrutin ne peut pas durer plus d'un an. " + _DUREE_FORMATS_FR,
        "A poll cannot last more than a year. " + _DUREE_FORMATS_EN,
    ),
    "duree.date-invalide": (
        "Le {jour}/{mois}/{annee} n'existe pas dans le calendrier. " + _DUREE_FORMATS_FR,
        "{jour}/{mois}/{annee} is not a calendar date. " + _DUREE_FORMATS_EN,
    ),
    "duree.heure-inexistante": (
        "{heure} n'existe pas à Paris le {date} (passage à l'heure d'été : on passe de 02:00 à 03:00). Choisissez une autre heure, par exemple 03:00.",
        "{heure} does not exist in Paris on {date} (clocks go forward from 02:00 to 03:00). Choose another time, e.g. 03:00.",
    ),
    # ------------------------------------------------------------------ opening: validation
    "scrutin.question-et-proposition": (
        "Indiquez soit une question, soit une proposition, pas les deux.",
        "Give either a question or a proposal, not both.",
    ),
    "scrutin.question-manquante": (
        "Indiquez la question posée (option question) ou le numéro d'une proposition (option proposition).",
        "Give the question asked (question option) or a proposal number (proposal option).",
    ),
    "scrutin.question-trop-longue": (
        "La question est trop longue ({max} caractères au plus) : raccourcissez-la.",
        "The question is too long (at most {max} characters): shorten it.",
    ),
    "scrutin.methode-inconnue": (
        "Méthode inconnue : « {methode} ».",
        "Unknown method: “{methode}”.",
    ),
    "scrutin.proposition-inconnue": (
        "Il n'y a pas de proposition n°{numero}. Voyez /proposition liste.",
        "There is no proposal no. {numero}. See /proposition liste.",
    ),
    "scrutin.proposition-pour-contre": (
        "Une proposition se vote pour ou contre : laissez la méthode par défaut (pour-contre).",
        "A proposal is voted for or against: keep the default method (pour-contre).",
    ),
    "scrutin.proposition-pas-en-debat": (
        "La proposition n°{numero} n'est pas en débat (statut : {statut}) : elle ne peut pas être mise au vote.",
        "Proposal no. {numero} is not under debate (status: {statut}): it cannot be put to the vote.",
    ),
    "scrutin.options-pour-contre": (
        "Un scrutin « pour ou contre » n'a pas d'options (les choix sont Pour, Contre, Abstention) : retirez l'option options.",
        "A for/against poll has no options (the choices are For, Against, Abstain): remove the options option.",
    ),
    "scrutin.options-manquantes": (
        "La méthode {methode} demande des options : écrivez-les séparées par « ; », par exemple « Option A; Option B ».",
        "The {methode} method needs options: write them separated by “;”, e.g. “Option A; Option B”.",
    ),
    "scrutin.option-vide": (
        "Une des options est vide (deux « ; » de suite ?) : corrigez la liste.",
        "One of the options is empty (two “;” in a row?): fix the list.",
    ),
    "scrutin.options-trop-peu": (
        "Il faut au moins deux options, séparées par « ; ».",
        "At least two options are needed, separated by “;”.",
    ),
    "scrutin.options-trop-nombreuses": (
        "{nombre} options, c'est trop : Discord n'en affiche que {max} dans un menu.",
        "{nombre} options is too many: Discord shows only {max} in a menu.",
    ),
    "scrutin.option-trop-longue": (
        "L'option « {option} » est trop longue ({max} caractères au plus).",
        "The option “{option}” is too long (at most {max} characters).",
    ),
    "scrutin.option-doublon": (
        "Les options « {autre} » et « {option} » sont identiques (à la casse et aux accents près).",
        "The options “{autre}” and “{option}” are the same (ignoring case and accents).",
    ),
    "scrutin.majorite-pour-contre": (
        "La règle de majorité ne s'applique qu'aux scrutins « pour ou contre ».",
        "The majority rule only applies to for/against polls.",
    ),
    "scrutin.majorite-inconnue": (
        "Règle de majorité inconnue : « {majorite} ».",
        "Unknown majority rule: “{majorite}”.",
    ),
    "scrutin.irv-classement": (
        "L'option irv ne s'applique qu'à la méthode classement.",
        "The irv option only applies to the ranking method.",
    ),
    "scrutin.max-choix-approbation": (
        "L'option max_choix ne s'applique qu'au vote par approbation.",
        "The max_choices option only applies to approval voting.",
    ),
    "scrutin.max-choix-borne": (
        "max_choix doit être compris entre 1 et le nombre d'options ({max}).",
        "max_choices must be between 1 and the number of options ({max}).",
    ),
    "scrutin.quorum-borne": (
        "Le quorum est un pourcentage entre 0 et 100.",
        "The quorum is a percentage between 0 and 100.",
    ),
    "scrutin.electorat-inconnu": (
        "Électorat inconnu : « {electorat} ».",
        "Unknown electorate: “{electorat}”.",
    ),
    "scrutin.resultats-inconnu": (
        "Visibilité des résultats inconnue : « {resultats} ».",
        "Unknown results visibility: “{resultats}”.",
    ),
    "scrutin.domaine-elus": (
        "L'option domaine s'applique à l'électorat des élu·es, pas à celui des collectivités.",
        "The field option applies to the members' electorate, not to the collectivités'.",
    ),
    "scrutin.domaine-inconnu": (
        "Champ d'action inconnu : « {domaine} ». Voyez /domaines liste.",
        "Unknown field of action: “{domaine}”. See /domaines liste.",
    ),
    # ------------------------------------------------------------------ opening: done
    "scrutin.ouvert": (
        "Scrutin n°{numero} ouvert : {lien}\nClôture : {cloture}.",
        "Poll no. {numero} opened: {lien}\nCloses: {cloture}.",
    ),
    "scrutin.inconnu": (
        "Il n'y a pas de scrutin n°{numero}. Voyez /scrutin liste.",
        "There is no poll no. {numero}. See /scrutin liste.",
    ),
    "scrutin.deja-clos": (
        "Le scrutin n°{numero} est déjà clos.",
        "Poll no. {numero} is already closed.",
    ),
    "scrutin.cloture-anticipee": (
        "Scrutin n°{numero} clos. Résultat : {issue}. Il est publié dans le registre des décisions.",
        "Poll no. {numero} closed. Result: {issue}. It is published in the decisions register.",
    ),
    "scrutin.export-ouvert": (
        "Le scrutin n°{numero} est encore ouvert : les bulletins s'exportent après la clôture.",
        "Poll no. {numero} is still open: ballots can be exported after closing.",
    ),
    "scrutin.export": (
        "Bulletins anonymisés du scrutin n°{numero} (une ligne par bulletin, sans votant, dans un ordre qui ne dit rien). Pour recompter :\n`{commande}`",
        "Anonymised ballots of poll no. {numero} (one row per ballot, no voter, in an order that says nothing). To recount:\n`{commande}`",
    ),
    # ------------------------------------------------------------------ the poll message
    "scrutin.titre": ("Scrutin n°{numero} — {question}", "Poll no. {numero} — {question}"),
    "scrutin.titre-court": ("🗳️ Scrutin n°{numero}", "🗳️ Poll no. {numero}"),
    "scrutin.champ.methode": ("Méthode", "Method"),
    "scrutin.champ.options": ("Options", "Options"),
    "scrutin.champ.electorat": ("Électorat", "Electorate"),
    "scrutin.champ.regles": ("Règles", "Rules"),
    "scrutin.champ.cloture": ("Clôture", "Closes"),
    "scrutin.champ.clos": ("Clos", "Closed"),
    "scrutin.champ.participation": ("Participation", "Turnout"),
    "scrutin.champ.resultat": ("Résultat", "Result"),
    "scrutin.max-choix": ("{max} choix au plus", "at most {max} choices"),
    "scrutin.electorat.elus": ("Les élu·es du réseau", "The network's elected members"),
    "scrutin.electorat.domaine": (
        "Les élu·es du champ « {domaine} »",
        "Members of the field “{domaine}”",
    ),
    "scrutin.electorat.collectivites": (
        "Les collectivités adhérentes (une voix pondérée chacune, portée par le ou la référent·e)",
        "Member collectivités (one weighted vote each, cast by the référent)",
    ),
    "scrutin.secret": ("Vote secret", "Secret ballot"),
    "scrutin.public": (
        "Vote public : qui a voté quoi sera publié à la clôture",
        "Public vote: who voted what is published at closing",
    ),
    "scrutin.quorum": ("Quorum : {quorum} % de l'électorat", "Quorum: {quorum}% of the electorate"),
    "scrutin.majorite.simple": (
        "Majorité simple (plus de pour que de contre)",
        "Simple majority (more for than against)",
    ),
    "scrutin.majorite.absolue": (
        "Majorité absolue (pour > moitié de l'électorat)",
        "Absolute majority (for > half the electorate)",
    ),
    "scrutin.majorite.deux-tiers": (
        "Majorité des deux tiers des suffrages exprimés",
        "Two-thirds majority of the votes cast",
    ),
    "scrutin.visibilite.en-direct": (
        "Résultats visibles en direct (/scrutin resultats)",
        "Live results (/scrutin resultats)",
    ),
    "scrutin.visibilite.apres-vote": (
        "Résultats visibles après avoir voté (/scrutin resultats)",
        "Results visible after voting (/scrutin resultats)",
    ),
    "scrutin.visibilite.a-la-cloture": (
        "Résultats publiés à la clôture",
        "Results published at closing",
    ),
    "scrutin.votants": ("{nombre} votant·e(s)", "{nombre} voter(s)"),
    "scrutin.votants.avant-palier": (
        "Moins de {palier} votant·e·s pour l'instant",
        "Fewer than {palier} voters so far",
    ),
    "scrutin.votants.palier": (
        "{nombre} votant·e(s) au dernier palier",
        "{nombre} voter(s) at the last step",
    ),
    "scrutin.paliers": (
        "Secret préservé : résultats et participation n'apparaissent qu'à partir de {palier} votant·e·s, puis avancent par paliers — une mise à jour seulement quand au moins {palier} personnes différentes ont voté ou changé leur vote depuis la précédente. Résultat exact à la clôture.",
        "Secrecy kept: results and turnout appear only from {palier} voters on, then move in steps — an update only once at least {palier} different people have voted or changed their vote since the previous one. Exact result at closing.",
    ),
    "scrutin.bouton.voter": ("Voter", "Vote"),
    "scrutin.bouton.clos": ("Scrutin clos", "Poll closed"),
    "scrutin.etat.ouvert": ("ouvert", "open"),
    # ------------------------------------------------------------------ lists and results
    "scrutin.liste.titre": ("**Scrutins**", "**Polls**"),
    "scrutin.liste.vide": ("Aucun scrutin pour l'instant.", "No poll yet."),
    "scrutin.liste.ligne": (
        "**n°{numero}** · {question}\n{methode} · {etat} · {participation}",
        "**no. {numero}** · {question}\n{methode} · {etat} · {participation}",
    ),
    "scrutin.liste.ouvert": ("ouvert, clôture {cloture}", "open, closes {cloture}"),
    "scrutin.liste.clos": ("clos : {issue}", "closed: {issue}"),
    "scrutin.resultats.a-la-cloture": (
        "Les résultats du scrutin n°{numero} seront publiés à sa clôture, {cloture}.",
        "The results of poll no. {numero} will be published when it closes, {cloture}.",
    ),
    "scrutin.resultats.apres-vote": (
        "Les résultats du scrutin n°{numero} sont visibles une fois que vous avez voté (ou à la clôture, {cloture}).",
        "The results of poll no. {numero} are visible once you have voted (or at closing, {cloture}).",
    ),
    "scrutin.resultats.provisoires": (
        "*Résultats provisoires : le scrutin est encore ouvert.*",
        "*Provisional results: the poll is still open.*",
    ),
    "scrutin.resultats.paliers": (
        "*Par paliers : résultats au dernier palier ({nombre} votant·e(s)) ; ils avancent quand au moins {palier} personnes différentes ont voté ou changé leur vote depuis.*",
        "*In steps: results at the last step ({nombre} voter(s)); they move once at least {palier} different people have voted or changed their vote since.*",
    ),
    "scrutin.resultats.palier-attente": (
        "Scrutin n°{numero} : pour préserver le secret du vote, les résultats apparaissent à partir de {palier} votant·e·s, puis par paliers de {palier}. Résultat exact à la clôture, {cloture}.",
        "Poll no. {numero}: to keep the ballot secret, results appear from {palier} voters on, then in steps of {palier}. Exact result at closing, {cloture}.",
    ),
    # ------------------------------------------------------------------ reminders
    "scrutin.rappel": (
        "⏰ Rappel : le scrutin n°{numero} « {question} » se clôt {cloture} et vous n'avez pas encore voté. Votez avec `/voter scrutin:{numero}` ou le bouton Voter : {lien}\n(Vous pouvez désactiver ces rappels avec /mes-donnees rappels.)",
        "⏰ Reminder: poll no. {numero} “{question}” closes {cloture} and you have not voted yet. Vote with `/voter scrutin:{numero}` or the Vote button: {lien}\n(You can turn these reminders off with /mes-donnees rappels.)",
    ),
    # ------------------------------------------------------------------ publication
    "publication.titre": (
        "**Scrutin n°{numero} — {question}**",
        "**Poll no. {numero} — {question}**",
    ),
    "publication.recompter": (
        "Recomptez vous-même : bulletins anonymisés en pièce jointe, puis `{commande}`",
        "Recount it yourself: anonymised ballots attached, then `{commande}`",
    ),
    "publication.graine": (
        "Graine du tirage au sort (IRV) : `{graine}`",
        "Seed of the lot (IRV): `{graine}`",
    ),
    "publication.details-joints": (
        "L'explication complète, tour par tour, est en pièce jointe.",
        "The full round-by-round explanation is attached.",
    ),
    "publication.votes-nominatifs": (
        "**Votes nominatifs (scrutin public)**",
        "**Votes by name (public poll)**",
    ),
    "publication.votes-nominatifs-joints": (
        "Scrutin public : la liste de qui a voté quoi est en pièce jointe.",
        "Public poll: the list of who voted what is attached.",
    ),
    "publication.aucun-votant": ("(aucun votant)", "(no voter)"),
    # ------------------------------------------------------------------ /decisions
    "decisions.titre": (
        "**Décisions du réseau** ({nombre})",
        "**The network's decisions** ({nombre})",
    ),
    "decisions.ligne": (
        "**Scrutin n°{numero}** · {date} — {question}\n{issue} {lien}",
        "**Poll no. {numero}** · {date} — {question}\n{issue} {lien}",
    ),
    "decisions.aucune": ("Aucune décision adoptée pour l'instant.", "No decision adopted yet."),
    "decisions.aucune-recherche": (
        "Aucune décision ne correspond à « {recherche} ».",
        "No decision matches “{recherche}”.",
    ),
}
