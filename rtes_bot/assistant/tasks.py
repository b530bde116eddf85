"""The tasks the assistant explains (« comment … ? »), with the words that name each and the
command whose permission decides who may do it. Their texts live in the catalog
(``aide.tache.<task>``), shared with `/aide`. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    name: str
    command: str  # the permission table's command whose access the task follows
    bureau: bool
    cues: dict[str, float]


def _cues(text: str) -> dict[str, float]:
    """« word:weight word … » (weight 1 by default)."""
    result: dict[str, float] = {}
    for item in text.split():
        word, _, weight = item.partition(":")
        result[word] = float(weight) if weight else 1.0
    return result


TASKS: tuple[Task, ...] = (
    Task(
        "adherer",
        "adhesion",
        False,
        _cues(
            "adherer:3 adhesion:2.5 adherent:2 rejoindre:3 inscrire:2.5 inscription:2.5 join:3 "
            "joining:3 membership:2.5 register:2.5 registration:2 devenir:1.5 become:1.5 "
            "membre:0.5 member:0.5 entrer:1"
        ),
    ),
    Task(
        "signer",
        "charte signer",
        False,
        _cues("signer:3 signature:2.5 sign:3 signing:3 signe:3 charte:0.8 charter:0.8"),
    ),
    Task(
        "domaines",
        "domaines choisir",
        False,
        _cues(
            "domaine:2.5 domaines:2.5 champ:2 champs:2 thematique:1.5 thematiques:1.5 field:2 "
            "fields:2 interet:1 interest:1 choisir:1.5 choose:1.5 pick:1 mes:0.3 changer:1 profil:1.5 "
            "abonner:2.5 subscribe:2.5 follow:1.5 forum:1.5 forums:1.5 theme:1 "
            "modifier:1 change:1 action:0.5"
        ),
    ),
    Task(
        "proposer",
        "proposition deposer",
        False,
        _cues(
            "proposer:2.5 proposition:2 deposer:3 soumettre:2.5 propose:2.5 submit:2.5 proposal:2 "
            "idee:1.5 idea:1.5 nouvelle:0.5 new:0.5 faire:0.3 file:1 put:0.5"
        ),
    ),
    Task(
        "amender",
        "proposition amender",
        False,
        _cues(
            "amender:3.5 amendement:3.5 amend:3.5 amendment:3.5 modifier:1.2 change:0.6 "
            "corriger:1.5 proposition:0.5 proposal:0.5 texte:1 quelqu:0.5 someone:0.5 modifier:2 "
            "reformuler:2.5 reecrire:2 rewrite:2 reword:2 "
            "modification:2"
        ),
    ),
    Task(
        "soutenir",
        "proposition voir",
        False,
        _cues(
            "soutenir:3.5 soutien:3 appuyer:2.5 support:3 back:1 endorse:3 second:1 liker:3 upvote:3 "
            "proposition:0.5 proposal:0.5"
        ),
    ),
    Task(
        "voter",
        "voter",
        False,
        _cues(
            "voter:2.5 vote:2.5 votes:2.5 voting:2.5 bulletin:1.5 ballot:1.5 cast:1.5 "
            "scrutin:0.8 poll:0.8 participer:1"
        ),
    ),
    Task(
        "changer-vote",
        "voter",
        False,
        _cues(
            "changer:1.5 change:1.5 modifier:1.5 modify:1.5 corriger:1.5 revenir:1.5 annuler:1.5 "
            "trompe:2 mistake:2 wrong:1.5 vote:2 voter:2 bulletin:2 ballot:2 update:1 "
            "remplacer:1.5 rattraper:1.5 erreur:1.5 lieu:0.5"
        ),
    ),
    Task(
        "procuration",
        "procuration donner",
        False,
        _cues(
            "procuration:4 procurations:4 proxy:4 proxies:4 deleguer:3 delegation:3 delegate:3 "
            "representer:2 represent:2 absent:1.5 absente:1.5 away:1 donner:0.5 give:0.5 "
            "place:1.5 procu:4 collegue:1.5 collegues:1.5 colleague:1.5 colleagues:1.5 conge:1.5 "
            "vacances:1.5 holiday:1 indisponible:1.5 unavailable:1.5 attend:0.5 "
            "nom:0.5 behalf:2"
        ),
    ),
    Task(
        "donnees",
        "mes-donnees voir",
        False,
        _cues(
            "donnee:3 donnees:3 data:3 personnel:1 personnelles:1 personal:1 rgpd:3 gdpr:3 "
            "exporter:1.5 export:1.5 consulter:1 visibilite:2 visibility:2 rappel:1.5 "
            "montrer:2 afficher:2 apparaitre:1.5 cacher:2 masquer:2 hide:2 show:1 visible:1.5 "
            "telephone:1 phone:1 email:1 annuaire:1 directory:1 "
            "partager:1.5 share:1.5 "
            "reminder:2.5 reminders:2.5 rappels:2.5 notification:2 notifications:2 couper:1 "
            "information:1 informations:1"
        ),
    ),
    Task(
        "effacer",
        "mes-donnees effacer",
        False,
        _cues(
            "effacer:3.5 effacement:3.5 supprimer:3 suppression:3 erase:3.5 erasure:3.5 delete:3 wipe:3.5 "
            "oubli:2 oublier:2 forget:2 forgotten:2 disparaitre:3 quitter:2 leave:1.5 compte:1 account:1 partir:1.5 "
            "donnee:1 donnees:1 data:1 "
            "remove:3"
        ),
    ),
    Task(
        "annuaire",
        "annuaire chercher",
        False,
        _cues(
            "annuaire:3 directory:3 chercher:1.5 trouver:1.5 search:1.5 find:1.5 fiche:1.5 "
            "membres:1 members:1 elus:1 contacts:1"
        ),
    ),
    Task(
        "charte",
        "charte lire",
        False,
        _cues(
            "lire:2.5 read:2.5 charte:1.5 charter:1.5 consulter:1.5 voir:1 see:1 version:0.5 afficher:1.5 "
            "versions:1 texte:0.5 commande:1 command:1"
        ),
    ),
    Task(
        "ouvrir-scrutin",
        "scrutin ouvrir",
        True,
        _cues(
            "ouvrir:2 lancer:3 creer:1.5 organiser:2.5 open:2.5 start:2 create:1.5 launch:3 "
            "scrutin:1.5 poll:1.5 vote:1 nouveau:0.5 new:0.5"
        ),
    ),
    Task(
        "cloturer",
        "scrutin cloturer",
        True,
        _cues(
            "cloturer:4 cloture:3 clore:4 fermer:3 terminer:2.5 arreter:3 close:3 end:2 "
            "early:1 avance:1 scrutin:1 poll:1"
        ),
    ),
    Task(
        "valider",
        "scrutin ouvrir",
        True,
        _cues(
            "valider:3.5 valide:2.5 validation:3 approuver:3 accepter:2 refuser:2 approve:3.5 validate:3.5 "
            "accept:2 reject:2 adhesion:1.5 adhesions:1.5 demande:1 application:1.5 request:1.5 "
            "applications:1.5 membership:1 nouveaux:0.5 new:0.5 inscription:1"
        ),
    ),
    Task(
        "installer",
        "admin installer",
        True,
        _cues(
            "installer:4 installation:4 install:4 setup:4 configurer:3 configure:3 "
            "salons:1.5 channels:1.5 roles:1 serveur:1 server:1"
        ),
    ),
    Task(
        "importer-collectivites",
        "admin import-collectivites",
        True,
        _cues(
            "importer:3.5 import:3.5 csv:3 collectivite:2 collectivites:2 fichier:1 file:1 "
            "liste:0.5 list:0.5 charger:2 upload:2"
        ),
    ),
    Task(
        "publier-charte",
        "admin charte-publier",
        True,
        _cues(
            "publier:3 publish:3 nouvelle:1 new:1 version:1.5 charte:1.5 charter:1.5 "
            "mettre:0.5 jour:0.5 update:1 reviser:2 revise:2"
        ),
    ),
    Task(
        "referent",
        "admin referent",
        True,
        _cues(
            "designer:3.5 nommer:3 appoint:3.5 designate:3.5 name:0.5 referent:2 referente:2 "
            "choisir:0.5 changer:0.5"
        ),
    ),
    Task(
        "domaines-admin",
        "admin domaines ajouter",
        True,
        _cues(
            "ajouter:2.5 rajouter:2.5 renommer:3 retirer:2 thematique:1.5 theme:1 ouvrir:1.5 add:2.5 rename:3 retire:2 creer:1.5 create:1.5 "
            "supprimer:1 domaine:2 domaines:2 champ:1.5 field:2 fields:2 gerer:1.5 manage:1.5"
        ),
    ),
)

BY_NAME: dict[str, Task] = {task.name: task for task in TASKS}
