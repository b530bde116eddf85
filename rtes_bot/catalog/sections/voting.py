"""`/voter`, the ballot UI, eligibility refusals and `/procuration`."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ commands
    "cmd.voter": ("voter", "vote"),
    "cmd.voter.desc": (
        "Voter : avec choix, bulletin enregistré aussitôt, modifiable jusqu'à la clôture",
        "Vote: with a choice, the ballot is stored at once, changeable until closing",
    ),
    "opt.voter.scrutin": ("scrutin", "poll"),
    "opt.voter.scrutin.desc": ("Le scrutin (numéro)", "The poll (number)"),
    "opt.voter.choix": ("choix", "choice"),
    "opt.voter.choix.desc": (
        "Votre bulletin en texte : pour ; Option B ; A; C ; B > A = C ; A: Bien ; A: 4",
        "Your ballot as text: pour; Option B; A; C; B > A = C; A: Bien; A: 4",
    ),
    "opt.voter.au_nom_de": ("au_nom_de", "on_behalf_of"),
    "opt.voter.au_nom_de.desc": (
        "Voter avec la procuration que ce membre vous a donnée",
        "Vote with the proxy this member gave you",
    ),
    "cmd.procuration": ("procuration", "proxy"),
    "cmd.procuration.desc": (
        "Donner ou retirer une procuration pour un scrutin",
        "Give or withdraw a proxy for a poll",
    ),
    "cmd.procuration.donner": ("donner", "give"),
    "cmd.procuration.donner.desc": (
        "Confier votre vote à un·e autre membre pour un scrutin",
        "Entrust your vote to another member for a poll",
    ),
    "cmd.procuration.retirer": ("retirer", "withdraw"),
    "cmd.procuration.retirer.desc": (
        "Retirer votre procuration (tant qu'elle n'a pas servi)",
        "Withdraw your proxy (while it is unused)",
    ),
    "opt.procuration.membre": ("membre", "member"),
    "opt.procuration.membre.desc": (
        "Le ou la membre qui votera pour vous",
        "The member who will vote for you",
    ),
    "opt.procuration.scrutin": ("scrutin", "poll"),
    "opt.procuration.scrutin.desc": ("Le scrutin (numéro)", "The poll (number)"),
    # ------------------------------------------------------------------ eligibility and state
    "vote.non-membre": (
        "Seul·es les élu·es membres du réseau votent. Commencez votre adhésion avec /adhesion.",
        "Only the network's elected members vote. Start your membership with /adhesion.",
    ),
    "vote.en-attente": (
        "Votre adhésion attend la validation du bureau : vous pourrez voter dès qu'elle sera validée.",
        "Your membership is awaiting the board's validation: you can vote as soon as it is validated.",
    ),
    "vote.hors-domaine": (
        "Ce scrutin est réservé aux élu·es de son champ d'action, arrêté·es à son ouverture : vous n'en faisiez pas partie (la liste d'émargement ne change plus après l'ouverture).",
        "This poll is reserved for members of its field of action as of its opening, which you were not (the voter list does not change after opening).",
    ),
    "vote.pas-referent": (
        "Ce scrutin se vote par collectivité : seul·e le ou la référent·e de chaque collectivité adhérente vote pour elle.",
        "This poll is voted per collectivité: only each member collectivité's référent votes for it.",
    ),
    "vote.collectivite-non-adherente": (
        "Votre collectivité n'est pas adhérente du réseau : elle ne vote pas dans ce scrutin.",
        "Your collectivité is not a member of the network: it does not vote in this poll.",
    ),
    "vote.scrutin-clos": (
        "Le scrutin n°{numero} est clos : votre bulletin n'a pas été enregistré.",
        "Poll no. {numero} is closed: your ballot was not recorded.",
    ),
    "vote.procuration-donnee": (
        "Vous avez donné procuration à {nom} pour le scrutin n°{numero} : c'est à cette personne de voter pour vous. Retirez la procuration (/procuration retirer) tant qu'elle n'a pas servi pour voter vous-même.",
        "You gave a proxy to {nom} for poll no. {numero}: they vote for you. Withdraw the proxy (/procuration retirer) while it is unused to vote yourself.",
    ),
    "vote.procuration-absente": (
        "{nom} ne vous a pas donné procuration pour ce scrutin (ou l'a retirée).",
        "{nom} has not given you a proxy for this poll (or withdrew it).",
    ),
    "vote.bulletin-invalide": (
        "Ce bulletin ne correspond pas au scrutin : recommencez avec /voter.",
        "This ballot does not fit the poll: start again with /voter.",
    ),
    # ------------------------------------------------------------------ echo and confirmation
    "vote.enregistre": (
        "✅ Bulletin enregistré pour le scrutin n°{numero} : **{bulletin}**\nVous pouvez le changer jusqu'à la clôture.",
        "✅ Ballot recorded for poll no. {numero}: **{bulletin}**\nYou can change it until closing.",
    ),
    "vote.remplace": (
        "✅ Bulletin remplacé pour le scrutin n°{numero} : **{bulletin}**\nC'est ce dernier bulletin qui compte ; vous pouvez encore le changer jusqu'à la clôture.",
        "✅ Ballot replaced for poll no. {numero}: **{bulletin}**\nThis last ballot is the one that counts; you can still change it until closing.",
    ),
    "vote.bouton.changer": ("Changer mon vote", "Change my vote"),
    "vote.vouliez-vous-dire": (
        "{erreur}\nVouliez-vous dire **{suggestion}** ? Cliquez sur le bouton pour voter ce bulletin.",
        "{erreur}\nDid you mean **{suggestion}**? Click the button to cast this ballot.",
    ),
    "vote.bouton.suggestion": ("Voter : {suggestion}", "Vote: {suggestion}"),
    "vote.hors-liste": (
        "Vous ne figurez pas sur la liste d'émargement de ce scrutin : elle est arrêtée à l'ouverture du scrutin (électorat et champ d'action de ce moment-là).",
        "You are not on this poll's voter list: it was fixed when the poll opened (electorate and field of action at that time).",
    ),
    "vote.hors-liste-numero": (
        "Vous ne figurez pas sur la liste d'émargement du scrutin n°{numero} : elle est arrêtée à l'ouverture du scrutin (électorat et champ d'action de ce moment-là).",
        "You are not on the voter list of poll no. {numero}: it was fixed when the poll opened (electorate and field of action at that time).",
    ),
    "vote.scrutin-clos-id": (
        "Ce scrutin est clos : votre bulletin n'a pas été enregistré.",
        "This poll is closed: your ballot was not recorded.",
    ),
    "vote.raye": (
        "Vous avez quitté le réseau (ou effacé vos données) depuis l'ouverture de ce scrutin : vous n'y votez plus. Un bulletin déjà déposé reste compté.",
        "You left the network (or erased your data) since this poll opened: you no longer vote in it. A ballot already cast still counts.",
    ),
    "vote.mandant-raye": (
        "La personne dont vous détenez la procuration a quitté le réseau (ou effacé ses données) depuis l'ouverture du scrutin : sa voix est perdue et la procuration ne peut plus servir. Votre propre vote n'est pas concerné.",
        "The person whose proxy you hold left the network (or erased their data) since the poll opened: their vote is lost and the proxy can no longer be used. Your own vote is not affected.",
    ),
    "vote.procuration-absente-id": (
        "Vous ne détenez pas (ou plus) de procuration pour ce vote dans ce scrutin.",
        "You do not (or no longer) hold a proxy for this vote in this poll.",
    ),
    "vote.mandataire-hors-liste": (
        "Pour voter par procuration, il faut soi-même figurer sur la liste d'émargement du scrutin.",
        "To vote with a proxy you must be on the poll's voter list yourself.",
    ),
    "vote.mandataire-a-donne": (
        "Vous avez donné votre propre voix pour ce scrutin : vous ne pouvez donc voter pour personne d'autre. Retirez d'abord votre procuration (/procuration retirer) si elle n'a pas servi.",
        "You gave your own vote away in this poll, so you cannot vote for anyone else. First withdraw your proxy (/procuration retirer) if it is unused.",
    ),
    "vote.procuration-donnee-id": (
        "Vous avez donné procuration pour ce scrutin : c'est votre mandataire qui vote pour vous. Retirez la procuration (/procuration retirer) tant qu'elle n'a pas servi pour voter vous-même.",
        "You gave a proxy for this poll: your proxy holder votes for you. Withdraw it (/procuration retirer) while it is unused to vote yourself.",
    ),
    "vote.au-nom-de": ("Au nom de : {nom} (procuration)", "On behalf of: {nom} (proxy)"),
    "vote.annule": (
        "Bulletin abandonné : rien n'a été enregistré.",
        "Ballot abandoned: nothing was recorded.",
    ),
    "vote.autocomplete": ("n°{numero} · {question}", "no. {numero} · {question}"),
    "vote.syntaxe.pour-contre": (
        "Écrivez `pour`, `contre` ou `abstention`.",
        "Write `pour`, `contre` or `abstention`.",
    ),
    "vote.syntaxe.choix-unique": (
        "Écrivez une option, par son nom ou son numéro.",
        "Write one option, by name or number.",
    ),
    "vote.syntaxe.approbation": (
        "Écrivez les options choisies séparées par « ; » : `A; C`.",
        "Write the chosen options separated by “;”: `A; C`.",
    ),
    "vote.syntaxe.classement": (
        "Classez les options avec « > » (et « = » pour les ex aequo) : `B > A = C`.",
        "Rank the options with “>” (and “=” for ties): `B > A = C`.",
    ),
    "vote.syntaxe.jugement-majoritaire": (
        "Donnez une mention à chaque option : `A: Très bien; B: Passable` (À rejeter, Insuffisant, Passable, Assez bien, Bien, Très bien, Excellent).",
        "Give each option a grade: `A: Très bien; B: Passable` (À rejeter, Insuffisant, Passable, Assez bien, Bien, Très bien, Excellent).",
    ),
    "vote.syntaxe.notes": (
        "Donnez une note de 0 à 5 à chaque option : `A: 4; B: 2`.",
        "Give each option a score from 0 to 5: `A: 4; B: 2`.",
    ),
    # ------------------------------------------------------------------ ballot UI
    "vote.ui.entete": (
        "🗳️ **Scrutin n°{numero}** — {question}",
        "🗳️ **Poll no. {numero}** — {question}",
    ),
    "vote.ui.aide.pour-contre": (
        "Choisissez Pour, Contre ou Abstention, puis validez.",
        "Choose For, Against or Abstain, then confirm.",
    ),
    "vote.ui.aide.choix-unique": (
        "Choisissez une option dans le menu, puis validez.",
        "Choose one option in the menu, then confirm.",
    ),
    "vote.ui.aide.approbation": (
        "Cochez toutes les options que vous approuvez (aucune = bulletin blanc), puis validez.",
        "Tick every option you approve (none = blank ballot), then confirm.",
    ),
    "vote.ui.aide.classement": (
        "Choisissez votre 1er choix, puis le suivant, etc. Plusieurs options choisies ensemble sont ex aequo ; les options non classées viennent après toutes les autres.",
        "Choose your 1st choice, then the next, etc. Several options chosen together are tied; unranked options come after all others.",
    ),
    "vote.ui.aide.jugement-majoritaire": (
        "Donnez une mention à chaque option (4 par page), puis validez.",
        "Give each option a grade (4 per page), then confirm.",
    ),
    "vote.ui.aide.notes": (
        "Donnez une note de 0 à 5 à chaque option (4 par page), puis validez.",
        "Give each option a score from 0 to 5 (4 per page), then confirm.",
    ),
    "vote.ui.placeholder.choix-unique": ("Votre choix", "Your choice"),
    "vote.ui.placeholder.approbation": (
        "Les options que vous approuvez",
        "The options you approve",
    ),
    "vote.ui.rang": ("Votre {rang} (plusieurs = ex aequo)", "Your {rang} (several = tied)"),
    "vote.ui.premier": ("1er choix", "1st choice"),
    "vote.ui.nieme": ("{rang}e choix", "choice no. {rang}"),
    "vote.ui.recommencer": ("Recommencer", "Start again"),
    "vote.ui.precedent": ("◀ Précédent", "◀ Previous"),
    "vote.ui.suivant": ("Suivant ({page}/{total}) ▶", "Next ({page}/{total}) ▶"),
    "vote.ui.valider": ("Valider mon bulletin", "Submit my ballot"),
    "vote.ui.vide": (
        "Votre bulletin : *rien de choisi pour l'instant*",
        "Your ballot: *nothing chosen yet*",
    ),
    "vote.ui.brouillon": ("Votre bulletin : **{bulletin}**", "Your ballot: **{bulletin}**"),
    "vote.ui.progression": (
        "{fait} option(s) sur {total} évaluée(s).",
        "{fait} of {total} option(s) rated.",
    ),
    "vote.ui.max-choix": ("{max} choix au plus.", "At most {max} choices."),
    "vote.ui.incomplet": ("Votre bulletin n'est pas complet.", "Your ballot is not complete."),
    # ------------------------------------------------------------------ proxies
    "procuration.donnee": (
        "Procuration donnée à {nom} pour le scrutin n°{numero}. Vous pouvez la retirer tant qu'elle n'a pas servi (/procuration retirer).",
        "Proxy given to {nom} for poll no. {numero}. You can withdraw it while it is unused (/procuration retirer).",
    ),
    "procuration.retiree": (
        "Procuration retirée pour le scrutin n°{numero} : vous pouvez voter vous-même.",
        "Proxy withdrawn for poll no. {numero}: you can vote yourself.",
    ),
    "procuration.dm-mandataire": (
        "{nom} vous a donné procuration pour le scrutin n°{numero} « {question} » (clôture <t:{cloture}:R>). Votez pour cette personne avec `/voter scrutin:{numero} au_nom_de:…`.",
        "{nom} gave you a proxy for poll no. {numero} “{question}” (closes <t:{cloture}:R>). Vote for them with `/voter scrutin:{numero} au_nom_de:…`.",
    ),
    "procuration.mandant-hors-liste": (
        "Cette personne ne figure pas sur la liste d'émargement du scrutin n°{numero}.",
        "This person is not on the voter list of poll no. {numero}.",
    ),
    "procuration.mandant-detient": (
        "Vous détenez une procuration pour le scrutin n°{numero} : vous ne pouvez pas donner votre propre voix (on ne peut pas voter pour autrui après avoir donné la sienne). Demandez d'abord à votre mandant de la retirer.",
        "You hold a proxy for poll no. {numero}: you cannot give your own vote away (nobody votes for others after giving their own vote). First ask the person who gave it to withdraw it.",
    ),
    "procuration.soi-meme": (
        "On ne se donne pas procuration à soi-même.",
        "You cannot give a proxy to yourself.",
    ),
    "procuration.mandataire-inconnu": (
        "Ce membre n'est pas inscrit·e dans le réseau.",
        "This member is not registered in the network.",
    ),
    "procuration.mandant-inconnu": (
        "La personne indiquée dans au_nom_de n'est pas inscrite dans le réseau.",
        "The person given in on_behalf_of is not registered in the network.",
    ),
    "procuration.mandataire-non-eligible": (
        "{nom} ne peut pas voter dans ce scrutin : une procuration ne se donne qu'à un·e autre votant·e du même scrutin.",
        "{nom} cannot vote in this poll: a proxy can only go to another voter of the same poll.",
    ),
    "procuration.deja-donnee": (
        "Vous avez déjà donné une procuration pour le scrutin n°{numero} : retirez-la d'abord (/procuration retirer).",
        "You already gave a proxy for poll no. {numero}: withdraw it first (/procuration retirer).",
    ),
    "procuration.deja-vote": (
        "Vous avez déjà voté au scrutin n°{numero} : vous pouvez changer votre bulletin, mais plus donner procuration.",
        "You already voted in poll no. {numero}: you can change your ballot, but no longer give a proxy.",
    ),
    "procuration.mandataire-a-donne": (
        "{nom} a déjà confié son propre vote à quelqu'un pour ce scrutin : choisissez une autre personne.",
        "{nom} already entrusted their own vote to someone for this poll: choose someone else.",
    ),
    "procuration.plafond": (
        "{nom} détient déjà {max} procuration(s) pour ce scrutin, le maximum : choisissez une autre personne.",
        "{nom} already holds {max} proxy(ies) for this poll, the maximum: choose someone else.",
    ),
    "procuration.aucune-donnee": (
        "Vous n'avez pas de procuration en cours pour le scrutin n°{numero}.",
        "You have no active proxy for poll no. {numero}.",
    ),
    "procuration.deja-utilisee": (
        "Votre procuration pour le scrutin n°{numero} a déjà servi : elle ne peut plus être retirée.",
        "Your proxy for poll no. {numero} has already been used: it can no longer be withdrawn.",
    ),
}
