"""Messages of the vote count: methods, outcomes, grades, explanations, ballot-text errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Methods
    "counting.method.pour-contre": ("Pour ou contre", "For or against"),
    "counting.method.choix-unique": ("Choix unique", "Single choice"),
    "counting.method.approbation": ("Vote par approbation", "Approval voting"),
    "counting.method.classement": ("Classement (méthode Schulze)", "Ranking (Schulze method)"),
    "counting.method.classement-irv": (
        "Classement (vote alternatif, IRV)",
        "Ranking (instant-runoff voting, IRV)",
    ),
    "counting.method.jugement-majoritaire": ("Jugement majoritaire", "Majority judgment"),
    "counting.method.notes": ("Vote par notes (0 à {max})", "Score voting (0 to {max})"),
    # Outcomes
    "counting.outcome.adoptee": ("Adoptée", "Adopted"),
    "counting.outcome.rejetee": ("Rejetée", "Rejected"),
    "counting.outcome.elu": ("Option retenue : {winners}", "Chosen option: {winners}"),
    "counting.outcome.egalite": (
        "Égalité que les règles ne départagent pas : {winners}",
        "Tie that no rule breaks: {winners}",
    ),
    "counting.outcome.aucun": (
        "Aucun suffrage exprimé : pas de résultat",
        "No vote expressed: no result",
    ),
    "counting.outcome.quorum-non-atteint": ("Quorum non atteint", "Quorum not reached"),
    # pour-contre choices
    "counting.choice.pour": ("Pour", "For"),
    "counting.choice.contre": ("Contre", "Against"),
    "counting.choice.abstention": ("Abstention", "Abstain"),
    "counting.ballot.blank": ("Bulletin blanc", "Blank ballot"),
    # Majority-judgment grades (0 = worst)
    "counting.grade.0": ("À rejeter", "Reject"),
    "counting.grade.1": ("Insuffisant", "Insufficient"),
    "counting.grade.2": ("Passable", "Passable"),
    "counting.grade.3": ("Assez bien", "Fairly good"),
    "counting.grade.4": ("Bien", "Good"),
    "counting.grade.5": ("Très bien", "Very good"),
    "counting.grade.6": ("Excellent", "Excellent"),
    # Majorities
    "counting.majority.simple": (
        "majorité simple : plus de voix pour que contre (abstentions non exprimées)",
        "simple majority: more votes for than against (abstentions are not expressed votes)",
    ),
    "counting.majority.absolue": (
        "majorité absolue : plus de la moitié du corps électoral ({threshold})",
        "absolute majority: more than half of the electorate ({threshold})",
    ),
    "counting.majority.deux-tiers": (
        "majorité des deux tiers des suffrages exprimés (au moins {threshold})",
        "two-thirds majority of expressed votes (at least {threshold})",
    ),
    # Explanation lines
    "counting.render.title": ("**Résultat — {method}**", "**Result — {method}**"),
    "counting.render.turnout": (
        "Participation : {turnout} voix ({ballots} bulletins)",
        "Turnout: {turnout} votes ({ballots} ballots)",
    ),
    "counting.render.turnout_electorate": (
        "Participation : {turnout} voix sur {electorate} ({percent} %), {ballots} bulletins",
        "Turnout: {turnout} votes out of {electorate} ({percent}%), {ballots} ballots",
    ),
    "counting.render.quorum_ok": (
        "Quorum atteint ({required} voix requises)",
        "Quorum reached ({required} votes required)",
    ),
    "counting.render.quorum_ko": (
        "⚠️ Quorum non atteint : {required} voix requises, {turnout} exprimées",
        "⚠️ Quorum not reached: {required} votes required, {turnout} cast",
    ),
    "counting.render.outcome": ("**Issue : {outcome}**", "**Outcome: {outcome}**"),
    "counting.render.pour_contre_counts": (
        "Pour : {pour} · Contre : {contre} · Abstention : {abstention}",
        "For: {pour} · Against: {contre} · Abstain: {abstention}",
    ),
    "counting.render.rule": ("Règle : {rule}", "Rule: {rule}"),
    "counting.render.tie_rejects": (
        "Égalité : la proposition est rejetée.",
        "Tie: the motion is rejected.",
    ),
    "counting.render.ranking": ("Classement :", "Ranking:"),
    "counting.render.rank_line": ("{rank}. {options}", "{rank}. {options}"),
    "counting.render.rank_votes": (
        "{rank}. {options} — {votes} voix",
        "{rank}. {options} — {votes} votes",
    ),
    "counting.render.rank_approvals": (
        "{rank}. {options} — {votes} approbations",
        "{rank}. {options} — {votes} approvals",
    ),
    "counting.render.rank_scores": (
        "{rank}. {options} — total {total}, moyenne {mean}",
        "{rank}. {options} — total {total}, mean {mean}",
    ),
    "counting.render.blank": ("Bulletins blancs : {blank} voix", "Blank ballots: {blank} votes"),
    "counting.render.schulze_intro": (
        "Méthode Schulze (voix gagnantes) : X précède Y si le chemin le plus fort de X vers Y "
        "est plus fort que celui de Y vers X.",
        "Schulze method (winning votes): X comes before Y if the strongest path from X to Y "
        "is stronger than the one from Y to X.",
    ),
    "counting.render.pairwise": (
        "Duels (ligne préférée à colonne, en voix) :",
        "Pairwise contests (row preferred to column, in votes):",
    ),
    "counting.render.strongest": ("Chemins les plus forts :", "Strongest paths:"),
    "counting.render.condorcet": (
        "{option} bat chacune des autres options en duel (gagnant de Condorcet).",
        "{option} beats every other option head to head (Condorcet winner).",
    ),
    "counting.render.no_condorcet": (
        "Aucune option ne bat toutes les autres en duel.",
        "No option beats every other one head to head.",
    ),
    "counting.render.default_option": (
        "Option par défaut : {option}. Une option qui ne la bat pas est écartée.",
        "Default option: {option}. An option that does not beat it is dropped.",
    ),
    "counting.render.dropped": (
        "{option} écartée : {votes_for} voix la préfèrent à l'option par défaut, {votes_against} l'inverse.",
        "{option} dropped: {votes_for} votes prefer it to the default option, {votes_against} the reverse.",
    ),
    "counting.render.irv_intro": (
        "Vote alternatif : à chaque tour, l'option la moins soutenue est éliminée et ses bulletins "
        "passent au choix suivant, jusqu'à ce qu'une option ait la majorité des bulletins en jeu.",
        "Instant runoff: each round the least supported option is eliminated and its ballots move "
        "to their next choice, until an option holds a majority of the continuing ballots.",
    ),
    "counting.render.irv_round": ("__Tour {number}__ : {votes}", "__Round {number}__: {votes}"),
    "counting.render.irv_exhausted": (
        "Bulletins épuisés : {exhausted} (dont {overvotes} avec deux options au même rang)",
        "Exhausted ballots: {exhausted} (of which {overvotes} with two options at the same rank)",
    ),
    "counting.render.irv_eliminated.lowest": ("Éliminée : {options}", "Eliminated: {options}"),
    "counting.render.irv_eliminated.batch": (
        "Éliminées ensemble (leurs voix réunies restent sous l'option suivante) : {options}",
        "Eliminated together (their combined votes stay below the next option): {options}",
    ),
    "counting.render.irv_eliminated.count-back": (
        "Égalité au dernier rang entre {tied} : éliminée au vu des tours précédents : {options}",
        "Tie for last place between {tied}: eliminated on earlier rounds: {options}",
    ),
    "counting.render.irv_eliminated.lot": (
        "Égalité au dernier rang entre {tied}, aussi aux tours précédents : éliminée par tirage au sort : {options}",
        "Tie for last place between {tied}, also in earlier rounds: eliminated by lot: {options}",
    ),
    "counting.render.irv_transfers": ("Reports : {transfers}", "Transfers: {transfers}"),
    "counting.render.irv_majority": (
        "{option} obtient la majorité des bulletins en jeu ({votes} sur {total}).",
        "{option} holds a majority of the continuing ballots ({votes} of {total}).",
    ),
    "counting.render.irv_exhausted_label": ("épuisés", "exhausted"),
    "counting.render.irv_lot": (
        "Tirage au sort publié (graine « {seed} ») : {order}",
        "Published lot (seed “{seed}”): {order}",
    ),
    "counting.render.mj_intro": (
        "Jugement majoritaire : chaque option reçoit sa mention majoritaire (médiane inférieure) ; "
        "à mention égale, « + » (plus de mentions au-dessus qu'en dessous) passe devant « − », "
        "puis on retire les mentions médianes une à une.",
        "Majority judgment: each option gets its majority grade (lower median); with equal grades, "
        "“+” (more grades above than below) comes before “−”, then median grades are removed one by one.",
    ),
    "counting.render.mj_line": (
        "{rank}. {option} — **{grade}{gauge}** ({above} % au-dessus, {below} % en dessous)",
        "{rank}. {option} — **{grade}{gauge}** ({above}% above, {below}% below)",
    ),
    "counting.render.tie_none": (
        "Égalité non départagée entre {options}.",
        "Tie not broken between {options}.",
    ),
    "counting.render.recount": (
        "Les bulletins anonymisés permettent à chacun de refaire le dépouillement (`rtes-bot recount`).",
        "The anonymised ballots let anyone recount (`rtes-bot recount`).",
    ),
    # Charts
    "counting.chart.votes": ("Voix", "Votes"),
    "counting.chart.total": ("Total des notes", "Total score"),
    "counting.chart.share": ("Part des électeurs (%)", "Share of voters (%)"),
    "counting.chart.round": ("Tour {number}", "Round {number}"),
    "counting.chart.wins": (
        "Options battues (chemins les plus forts)",
        "Options beaten (strongest paths)",
    ),
    "counting.chart.median": ("médiane", "median"),
    # Ballot text errors
    "counting.parse.empty": (
        "Votre choix est vide : indiquez une option.",
        "Your choice is empty: give an option.",
    ),
    "counting.parse.empty_item": (
        "Un élément de votre choix est vide (séparateur en trop ?).",
        "An item of your choice is empty (extra separator?).",
    ),
    "counting.parse.pour_contre": (
        "« {given} » : répondez « pour », « contre » ou « abstention ».",
        "“{given}”: answer “for”, “against” or “abstain”.",
    ),
    "counting.parse.unknown_option": (
        "« {given} » n'est pas une option de ce scrutin. Options : {options}.",
        "“{given}” is not an option of this poll. Options: {options}.",
    ),
    "counting.parse.unknown_option_suggest": (
        "« {given} » : vouliez-vous dire « {suggestion} » ?",
        "“{given}”: did you mean “{suggestion}”?",
    ),
    "counting.parse.number_out_of_range": (
        "Il n'y a pas d'option n° {number} : les options vont de 1 à {count}.",
        "There is no option number {number}: options go from 1 to {count}.",
    ),
    "counting.parse.duplicate": (
        "« {option} » apparaît deux fois dans votre choix.",
        "“{option}” appears twice in your choice.",
    ),
    "counting.parse.single_choice": (
        "Ce scrutin n'accepte qu'un seul choix ({given} donnés).",
        "This poll accepts a single choice ({given} given).",
    ),
    "counting.parse.too_many": (
        "Trop de choix : {given} donnés, {max} au plus.",
        "Too many choices: {given} given, at most {max}.",
    ),
    "counting.parse.ranking_syntax": (
        "Pour classer, séparez les options par « > » (et « = » pour les ex æquo) : « B > A = C ».",
        "To rank, separate options with “>” (and “=” for equal ranks): “B > A = C”.",
    ),
    "counting.parse.missing_value": (
        "« {item} » : indiquez une valeur après « : », par exemple « Option A: Bien ».",
        "“{item}”: give a value after “:”, for example “Option A: Good”.",
    ),
    "counting.parse.missing_grades": (
        "Il manque une mention pour : {options}. Donnez une mention à chaque option.",
        "A grade is missing for: {options}. Give each option a grade.",
    ),
    "counting.parse.missing_scores": (
        "Il manque une note pour : {options}. Donnez une note à chaque option.",
        "A score is missing for: {options}. Give each option a score.",
    ),
    "counting.parse.unknown_grade": (
        "« {given} » n'est pas une mention. Mentions : {grades}.",
        "“{given}” is not a grade. Grades: {grades}.",
    ),
    "counting.parse.unknown_grade_suggest": (
        "« {given} » : vouliez-vous dire la mention « {suggestion} » ?",
        "“{given}”: did you mean the grade “{suggestion}”?",
    ),
    "counting.parse.grade_out_of_range": (
        "Mention « {value} » hors limites : de 0 (À rejeter) à {max} (Excellent).",
        "Grade “{value}” out of range: from 0 (Reject) to {max} (Excellent).",
    ),
    "counting.parse.not_a_score": (
        "« {given} » n'est pas une note : donnez un nombre entier de 0 à {max}.",
        "“{given}” is not a score: give a whole number from 0 to {max}.",
    ),
    "counting.parse.score_out_of_range": (
        "Note « {given} » hors limites : de 0 à {max}.",
        "Score “{given}” out of range: from 0 to {max}.",
    ),
}
