"""A seeded network for the assistant's tests and its evaluation benchmark.

`seed_network` builds, through the real services (registration, validation, référents, fields,
charter publication and signatures, deposits, supports and amendments, and polls opened, voted
and closed through :class:`rtes_bot.ballot_box.BallotBox`), a deterministic network:

- the charter's version 1 (the packaged text) and a version 2 in numbered articles
  (`tests/data/assistant/charte-v2.md`, « Article 1 — Objet » … « Article 10 — Révision de la
  charte »), the current one;
- the seven default fields of action (with forum channels), collectivités with their référents;
- members with varied directory consent (email, phone, both, none), one pending, one refused,
  one who left — the named core below, always present, then generated people up to ``members``;
- proposals in every status; ``decisions`` closed polls (adopted and rejected proposals, and a
  few choix-unique polls that chose an option); ``open_polls`` open polls, some restricted to a
  field, in which some members already voted;
- one :class:`~rtes_bot.services.access.Actor` per kind of person (visitor, pending, member,
  bureau).

Every name, number, consent and vote depends only on the arguments (``seed``), not on the time
of day: dates are relative to ``now`` (the wall clock unless given). The default size is the
evaluation's (30 members, 20 decisions, 5 open polls); 1,000 members and 500 decisions build in
seconds for the latency figure.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlmodel import col

from rtes_bot.ballot_box import BallotBox
from rtes_bot.counting import Ballot as Counted
from rtes_bot.counting import count as count_ballots
from rtes_bot.counting import result_to_json
from rtes_bot.db import Database
from rtes_bot.models import (
    Ballot,
    ElectorateEntry,
    Elu,
    EluField,
    EluStatus,
    GuildSettings,
    MembershipStatus,
    Poll,
    Proposal,
    ProposalVersion,
    utcnow,
)
from rtes_bot.services import access, charter, collectivites, fields, polls, proposals
from rtes_bot.services import members as members_service
from rtes_bot.services.access import Actor
from rtes_bot.services.ballots import spec_of
from rtes_bot.services.collectivites import Row
from rtes_bot.services.members import Contact, Registration
from tests.support.rig import TEST_MASTER_KEY

CHARTER_V2_PATH = Path(__file__).resolve().parent.parent / "data" / "assistant" / "charte-v2.md"

#: The seven default fields' slugs, in the charter's order (`services.fields.DEFAULT_FIELDS`).
FINANCES = "activites-finances-solidaires"
DEMO_PARTICIPATIVE = "democratie-participative"
SERVICES = "services-aux-personnes"
COMMERCE = "commerce-equitable"
DEMO_LOCALE = "democratie-locale-education-populaire"
ENVIRONNEMENT = "environnement-sante-ressources"
COOPERATION = "cooperation-internationale"


def charter_v2_text() -> str:
    return CHARTER_V2_PATH.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the named core

# name, kind, official code, département, région, membership status, weight
CORE_COLLECTIVITES: tuple[tuple[str, str, str | None, str | None, str | None, str, int], ...] = (
    ("Lyon", "commune", "69123", "Rhône", "Auvergne-Rhône-Alpes", "adherente", 5),
    ("Grenoble", "commune", "38185", "Isère", "Auvergne-Rhône-Alpes", "adherente", 3),
    ("Lille", "commune", "59350", "Nord", "Hauts-de-France", "adherente", 4),
    ("Nantes", "commune", "44109", "Loire-Atlantique", "Pays de la Loire", "adherente", 4),
    ("Rennes", "commune", "35238", "Ille-et-Vilaine", "Bretagne", "adherente", 3),
    ("Strasbourg", "commune", "67482", "Bas-Rhin", "Grand Est", "adherente", 4),
    ("Bordeaux", "commune", "33063", "Gironde", "Nouvelle-Aquitaine", "adherente", 4),
    ("Montpellier", "commune", "34172", "Hérault", "Occitanie", "adherente", 3),
    ("Loos-en-Gohelle", "commune", "62528", "Pas-de-Calais", "Hauts-de-France", "adherente", 1),
    ("Saillans", "commune", "26289", "Drôme", "Auvergne-Rhône-Alpes", "adherente", 1),
    ("Région Bretagne", "region", "53", None, "Bretagne", "adherente", 6),
    ("Département de la Gironde", "departement", "33", "Gironde", "Nouvelle-Aquitaine",
     "adherente", 5),
    ("Brest Métropole", "intercommunalite", "242900314", "Finistère", "Bretagne", "associee", 2),
    ("Commercy", "commune", "55122", "Meuse", "Grand Est", "adherente", 1),
    ("Poitiers", "commune", "86194", "Vienne", "Nouvelle-Aquitaine", "ancienne", 2),
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    """One seeded person as registered (what the evaluation checks answers against)."""

    name: str
    collectivite: str
    mandate: str
    email: str
    phone: str | None  # E.164
    share_email: bool
    share_phone: bool
    fields: tuple[str, ...]
    status: str = EluStatus.ACTIVE
    referent: bool = False
    locale: str = "fr"


def _p(
    name: str,
    collectivite: str,
    mandate: str,
    email: str,
    phone: str | None,
    share: str,
    fields: tuple[str, ...],
    **extra: Any,
) -> Person:
    """``share``: "" (nothing), "e" (email), "p" (phone), "ep" (both)."""
    return Person(
        name, collectivite, mandate, email, phone, "e" in share, "p" in share, fields, **extra
    )


CORE_PEOPLE: tuple[Person, ...] = (
    _p("Anne Dupont", "Lyon", "Adjointe au maire déléguée à l'économie sociale et solidaire",
       "anne.dupont@mairie-lyon.fr", "+33472100101", "e", (FINANCES, COMMERCE)),
    _p("Karim Benali", "Lyon", "Conseiller municipal délégué au commerce équitable",
       "k.benali@mairie-lyon.fr", "+33672100102", "", (COMMERCE, COOPERATION), referent=True),
    _p("Bruno Leroy", "Grenoble", "Conseiller municipal délégué aux finances solidaires",
       "bruno.leroy@grenoble.fr", "+33676200201", "p", (FINANCES, ENVIRONNEMENT), referent=True),
    _p("Sophie Martin", "Lille", "Adjointe à la démocratie participative",
       "smartin@mairie-lille.fr", "+33320490301", "ep", (DEMO_PARTICIPATIVE, DEMO_LOCALE)),
    _p("Marie Dubois", "Lille", "Adjointe à l'économie sociale et solidaire",
       "marie.dubois@mairie-lille.fr", "+33620490302", "ep", (FINANCES, SERVICES),
       referent=True),
    _p("Julien Bernard", "Nantes", "Conseiller municipal délégué à l'ESS",
       "julien.bernard@mairie-nantes.fr", "+33240410401", "e", (FINANCES, DEMO_LOCALE)),
    _p("Laurent Faure", "Nantes", "Adjoint aux solidarités",
       "laurent.faure@mairie-nantes.fr", "+33640410402", "", (SERVICES,), referent=True),
    _p("Claire Moreau", "Rennes", "Conseillère municipale déléguée à l'économie solidaire",
       "claire.moreau@ville-rennes.fr", "+33299280501", "", (SERVICES, DEMO_LOCALE)),
    _p("Antoine Muller", "Rennes", "Adjoint à l'économie sociale et solidaire",
       "a.muller@ville-rennes.fr", "+33699280502", "ep", (ENVIRONNEMENT, COOPERATION),
       referent=True),
    _p("Thomas Petit", "Strasbourg", "Conseiller municipal délégué à l'achat responsable",
       "thomas.petit@strasbourg.eu", "+33388600601", "", (COMMERCE,)),
    _p("Hélène Rousseau", "Strasbourg", "Adjointe à l'économie sociale et solidaire",
       "helene.rousseau@strasbourg.eu", "+33688600602", "e", (FINANCES, COOPERATION),
       referent=True),
    _p("Isabelle Roux", "Bordeaux", "Adjointe à l'économie circulaire",
       "isabelle.roux@mairie-bordeaux.fr", "+33556100701", "ep", (ENVIRONNEMENT,)),
    _p("Olivier Blanc", "Bordeaux", "Conseiller municipal délégué à l'ESS",
       "olivier.blanc@mairie-bordeaux.fr", "+33656100702", "p", (FINANCES, COMMERCE),
       referent=True),
    _p("Nicolas Fournier", "Montpellier", "Conseiller municipal délégué aux circuits courts",
       "nicolas.fournier@ville-montpellier.fr", None, "", (COMMERCE, ENVIRONNEMENT)),
    _p("Sandrine Guérin", "Montpellier", "Adjointe à l'économie solidaire",
       "sandrine.guerin@ville-montpellier.fr", "+33667340802", "e", (SERVICES, FINANCES),
       referent=True),
    _p("Camille Girard", "Loos-en-Gohelle", "Adjointe à la transition écologique",
       "camille.girard@loos-en-gohelle.fr", "+33321690901", "p", (ENVIRONNEMENT, DEMO_LOCALE),
       referent=True),
    _p("Mathieu Lambert", "Saillans", "Conseiller municipal, binôme participation",
       "mathieu.lambert@saillans.fr", "+33475211001", "e", (DEMO_PARTICIPATIVE,),
       referent=True),
    _p("Nathalie Bonnet", "Région Bretagne", "Vice-présidente à l'économie sociale et solidaire",
       "nathalie.bonnet@bretagne.bzh", "+33299271101", "e", (FINANCES, COOPERATION),
       referent=True),
    _p("Céline Henry", "Région Bretagne", "Conseillère régionale déléguée au commerce équitable",
       "celine.henry@bretagne.bzh", "+33699271102", "", (COMMERCE,)),
    _p("Pierre Lefebvre", "Département de la Gironde", "Vice-président à l'insertion",
       "pierre.lefebvre@gironde.fr", "+33556991201", "", (SERVICES,), referent=True),
    _p("Émilie Mercier", "Brest Métropole", "Vice-présidente à l'économie sociale et solidaire",
       "emilie.mercier@brest-metropole.fr", "+33698001301", "p", (COOPERATION, DEMO_LOCALE),
       referent=True),
    _p("Yannick Le Goff", "Brest Métropole", "Conseiller communautaire délégué à l'ESS",
       "yannick.legoff@brest-metropole.fr", "+33298001302", "ep", (FINANCES,)),
    _p("François Garnier", "Commercy", "Maire adjoint chargé de la vie associative",
       "francois.garnier@commercy.fr", "+33329911401", "e", (DEMO_LOCALE, DEMO_PARTICIPATIVE),
       referent=True),
    _p("Julie Gauthier", "Poitiers", "Conseillère municipale déléguée à l'ESS",
       "julie.gauthier@poitiers.fr", "+33549521501", "e", (SERVICES,)),
    _p("Sarah Cohen", "Grenoble", "Adjointe à l'alimentation durable",
       "sarah.cohen@grenoble.fr", "+33676200203", "ep", (ENVIRONNEMENT, COMMERCE),
       locale="en-GB"),
    _p("David Nguyen", "Nantes", "Conseiller municipal délégué à la coopération internationale",
       "david.nguyen@mairie-nantes.fr", "+33640410403", "", (COOPERATION,), locale="en-US"),
    # A pending registration, a refused one and someone who left: never in the directory.
    _p("Hugo Chevalier", "Nantes", "Conseiller municipal",
       "hugo.chevalier@mairie-nantes.fr", "+33640410404", "ep", (DEMO_LOCALE,),
       status=EluStatus.PENDING),
    _p("Aurélie Morel", "Lyon", "Conseillère d'arrondissement",
       "aurelie.morel@example.org", "+33672100103", "ep", (SERVICES,),
       status=EluStatus.REJECTED),
    _p("Vincent Perrin", "Grenoble", "Ancien adjoint à l'ESS",
       "vincent.perrin@grenoble.fr", "+33676200204", "ep", (FINANCES,), status=EluStatus.LEFT),
    _p("Élodie Barbier", "Saillans", "Conseillère municipale",
       "elodie.barbier@saillans.fr", "+33475211002", "p", (DEMO_PARTICIPATIVE, ENVIRONNEMENT)),
)  # fmt: skip

#: The member who asks (an ordinary élu), the pending person, and the bureau (staff, not élu).
MEMBER_ASKER = "Claire Moreau"
PENDING_ASKER = "Hugo Chevalier"

# Generated people and places for larger networks (realistic French names).
FIRST_NAMES = (
    "Agnès", "Alain", "Alexandre", "Amandine", "Benoît", "Brigitte", "Catherine", "Cédric",
    "Christine", "Damien", "Delphine", "Denis", "Dominique", "Éric", "Estelle", "Fabienne",
    "Fabrice", "Florence", "Gaëlle", "Gilles", "Guillaume", "Jacqueline", "Jean", "Jérôme",
    "Joël", "Karine", "Lucie", "Ludovic", "Magali", "Manon", "Marc", "Martine", "Mélanie",
    "Michel", "Monique", "Nadia", "Pascal", "Patricia", "Philippe", "Rachid", "Raphaël",
    "Renée", "Romain", "Samir", "Serge", "Sylvie", "Valérie", "Véronique", "Xavier", "Yves",
)  # fmt: skip
LAST_NAMES = (
    "André", "Arnaud", "Aubert", "Bailly", "Baron", "Benoit", "Berger", "Bertin", "Boyer",
    "Brun", "Carpentier", "Caron", "Charpentier", "Clément", "Colin", "Collet", "Da Silva",
    "Daniel", "David", "Denis", "Deschamps", "Dumas", "Dumont", "Duval", "Fleury", "Fontaine",
    "Fournier", "Gaillard", "Garcia", "Gautier", "Gérard", "Gillet", "Guillot", "Hamon",
    "Hubert", "Jacquet", "Joly", "Julien", "Laine", "Lacroix", "Lemoine", "Leclerc", "Lucas",
    "Marchand", "Marie", "Masson", "Meunier", "Meyer", "Michel", "Moulin", "Noël", "Perret",
    "Picard", "Poirier", "Renard", "Renaud", "Rey", "Riviere", "Roger", "Roy", "Schmitt",
    "Simon", "Vidal", "Vincent", "Weber",
)  # fmt: skip
GENERATED_PLACES = (
    ("Villeurbanne", "69266", "Rhône"), ("Besançon", "25056", "Doubs"),
    ("Dijon", "21231", "Côte-d'Or"), ("Tours", "37261", "Indre-et-Loire"),
    ("Amiens", "80021", "Somme"), ("Rouen", "76540", "Seine-Maritime"),
    ("Lorient", "56121", "Morbihan"), ("Clermont-Ferrand", "63113", "Puy-de-Dôme"),
    ("Limoges", "87085", "Haute-Vienne"), ("Angers", "49007", "Maine-et-Loire"),
    ("Le Mans", "72181", "Sarthe"), ("Brest", "29019", "Finistère"),
    ("Nancy", "54395", "Meurthe-et-Moselle"), ("Metz", "57463", "Moselle"),
    ("Caen", "14118", "Calvados"), ("Orléans", "45234", "Loiret"),
    ("Pau", "64445", "Pyrénées-Atlantiques"), ("Niort", "79191", "Deux-Sèvres"),
    ("La Rochelle", "17300", "Charente-Maritime"), ("Quimper", "29232", "Finistère"),
    ("Valence", "26362", "Drôme"), ("Chambéry", "73065", "Savoie"),
    ("Annecy", "74010", "Haute-Savoie"), ("Arras", "62041", "Pas-de-Calais"),
    ("Roubaix", "59512", "Nord"), ("Tourcoing", "59599", "Nord"),
    ("Grande-Synthe", "59271", "Nord"), ("Montreuil", "93048", "Seine-Saint-Denis"),
    ("Saint-Denis", "93066", "Seine-Saint-Denis"), ("Nanterre", "92050", "Hauts-de-Seine"),
    ("Ivry-sur-Seine", "94041", "Val-de-Marne"), ("Aubagne", "13005", "Bouches-du-Rhône"),
    ("Marseille", "13055", "Bouches-du-Rhône"), ("Nîmes", "30189", "Gard"),
    ("Perpignan", "66136", "Pyrénées-Orientales"), ("Albi", "81004", "Tarn"),
    ("Tulle", "19272", "Corrèze"), ("Mulhouse", "68224", "Haut-Rhin"),
    ("Colmar", "68066", "Haut-Rhin"), ("Épinal", "88160", "Vosges"),
    ("Auxerre", "89024", "Yonne"), ("Bourges", "18033", "Cher"),
    ("Blois", "41018", "Loir-et-Cher"), ("Saint-Nazaire", "44184", "Loire-Atlantique"),
    ("Vannes", "56260", "Morbihan"), ("Saint-Brieuc", "22278", "Côtes-d'Armor"),
    ("Lannion", "22113", "Côtes-d'Armor"), ("Alençon", "61001", "Orne"),
    ("Cherbourg-en-Cotentin", "50129", "Manche"), ("Évreux", "27229", "Eure"),
)  # fmt: skip
MANDATES = (
    "Adjoint·e à l'économie sociale et solidaire",
    "Conseiller·e municipal·e délégué·e à l'ESS",
    "Vice-président·e à l'économie solidaire",
    "Adjoint·e aux solidarités",
    "Conseiller·e délégué·e à la transition écologique",
    "Adjoint·e à la démocratie locale",
)
FIELD_SLUGS = (FINANCES, DEMO_PARTICIPATIVE, SERVICES, COMMERCE, DEMO_LOCALE, ENVIRONNEMENT,
               COOPERATION)  # fmt: skip


# --------------------------------------------------------------------------- proposals and polls


@dataclass(frozen=True)
class ProposalPlan:
    title: str
    text: str
    field: str
    author: str
    #: "adoptee", "rejetee", "quorum-non-atteint" (closed poll), "au-vote" (open poll),
    #: "en-debat", "retiree"
    fate: str
    poll_field: bool = False  # the poll is restricted to the proposal's field
    amended: str | None = None  # an accepted amendment's new text (version 2)


CORE_PROPOSALS: tuple[ProposalPlan, ...] = (
    ProposalPlan(
        "Créer un fonds d'amorçage solidaire intercommunal",
        "Le réseau propose que chaque intercommunalité membre abonde un fonds d'amorçage "
        "solidaire, géré avec les acteurs de la finance solidaire, pour financer la création "
        "d'entreprises de l'économie sociale et solidaire sur son territoire.",
        FINANCES, "Bruno Leroy", "adoptee",
    ),
    ProposalPlan(
        "Clauses sociales dans les marchés publics",
        "Nous proposons une clause sociale d'insertion type, que chaque collectivité membre "
        "intègre dans ses marchés publics de travaux et de services au-delà de 90 000 euros.",
        COMMERCE, "Thomas Petit", "adoptee",
        amended="Nous proposons une clause sociale d'insertion type, que chaque collectivité "
        "membre intègre dans ses marchés publics de travaux et de services, quel que soit leur "
        "montant, avec un accompagnement des petites entreprises.",
    ),
    ProposalPlan(
        "Label commerce équitable pour les cantines scolaires",
        "Les collectivités membres s'engagent à servir dans leurs cantines scolaires au moins "
        "un produit issu du commerce équitable par semaine d'ici deux ans.",
        COMMERCE, "Karim Benali", "adoptee",
    ),
    ProposalPlan(
        "Budget participatif dans chaque commune membre",
        "Chaque commune membre consacre au moins 5 % de son budget d'investissement à un budget "
        "participatif dont les projets sont proposés et choisis par les habitants.",
        DEMO_PARTICIPATIVE, "Sophie Martin", "rejetee",
    ),
    ProposalPlan(
        "Monnaie locale complémentaire : soutien du réseau",
        "Le réseau soutient la création de monnaies locales complémentaires et accepte leur "
        "usage pour le paiement des services publics locaux là où la loi le permet.",
        FINANCES, "Marie Dubois", "adoptee",
    ),
    ProposalPlan(
        "Tiers-lieux en zone rurale",
        "Le réseau accompagne l'ouverture de tiers-lieux associatifs dans les communes rurales "
        "membres, avec un guide de montage et une mise en relation avec les financeurs.",
        SERVICES, "Laurent Faure", "adoptee",
    ),
    ProposalPlan(
        "Jumelages solidaires avec des collectivités d'Afrique de l'Ouest",
        "Le réseau favorise des jumelages solidaires entre collectivités membres et "
        "collectivités d'Afrique de l'Ouest autour de projets de coopération économique.",
        COOPERATION, "Hélène Rousseau", "rejetee",
    ),
    ProposalPlan(
        "Plan alimentaire territorial et circuits courts",
        "Les collectivités membres élaborent un projet alimentaire territorial qui donne la "
        "priorité aux circuits courts, à l'agriculture biologique et aux producteurs locaux.",
        ENVIRONNEMENT, "Isabelle Roux", "adoptee", poll_field=True,
    ),
    ProposalPlan(
        "Conseils citoyens tirés au sort",
        "Chaque collectivité membre réunit chaque année un conseil citoyen tiré au sort, "
        "consulté sur les grands projets de l'économie solidaire locale.",
        DEMO_LOCALE, "Mathieu Lambert", "rejetee",
    ),
    ProposalPlan(
        "Recyclerie dans chaque intercommunalité",
        "Le réseau recommande l'ouverture d'une recyclerie ou ressourcerie dans chaque "
        "intercommunalité membre, confiée à une structure d'insertion.",
        ENVIRONNEMENT, "Camille Girard", "adoptee",
    ),
    ProposalPlan(
        "Cotisation des collectivités indexée sur la population",
        "La cotisation annuelle des collectivités adhérentes est calculée selon leur nombre "
        "d'habitants, en cinq tranches, plutôt qu'un montant unique.",
        FINANCES, "Nathalie Bonnet", "quorum-non-atteint",
    ),
    ProposalPlan(
        "Formation des élus à l'économie sociale et solidaire",
        "Le réseau organise chaque année un cycle de formation des nouveaux élus à l'économie "
        "sociale et solidaire, ouvert à tous les membres.",
        DEMO_LOCALE, "Julien Bernard", "adoptee",
    ),
    ProposalPlan(
        "Achats publics de vêtements de travail équitables",
        "Les collectivités membres achètent des vêtements de travail issus du commerce "
        "équitable pour leurs agents d'ici la fin du mandat.",
        COMMERCE, "Céline Henry", "rejetee", poll_field=True,
    ),
    ProposalPlan(
        "Aide à domicile en coopérative",
        "Le réseau soutient la transformation des services d'aide à domicile en sociétés "
        "coopératives d'intérêt collectif associant salariés, usagers et collectivités.",
        SERVICES, "Sandrine Guérin", "adoptee",
    ),
    ProposalPlan(
        "Réduire les déchets des événements du réseau",
        "Les rencontres du réseau sont zéro plastique jetable : vaisselle réutilisable, eau en "
        "carafe et restauration locale.",
        ENVIRONNEMENT, "Antoine Muller", "adoptee",
    ),
    ProposalPlan(
        "Coopération décentralisée sur l'eau",
        "Le réseau consacre une part de ses projets de coopération internationale à l'accès "
        "à l'eau potable, avec le 1 % solidaire des budgets eau et assainissement.",
        COOPERATION, "Émilie Mercier", "adoptee",
    ),
    ProposalPlan(
        "Observatoire régional de l'ESS",
        "Le réseau demande à chaque région membre de financer un observatoire régional de "
        "l'économie sociale et solidaire, ouvert aux communes.",
        FINANCES, "Yannick Le Goff", "rejetee",
    ),
    ProposalPlan(
        "Mutualiser un juriste pour les petites communes",
        "Le réseau met à disposition des petites communes membres un juriste mutualisé pour "
        "monter leurs projets d'économie solidaire.",
        SERVICES, "François Garnier", "adoptee",
    ),
    # Put to the vote now (open polls).
    ProposalPlan(
        "Révision de la charte : article sur le numérique responsable",
        "Ajouter à la charte un article sur le numérique responsable : logiciels libres, "
        "sobriété et inclusion numérique dans les collectivités membres.",
        DEMO_LOCALE, "Olivier Blanc", "au-vote",
    ),
    ProposalPlan(
        "Épicerie solidaire itinérante",
        "Le réseau soutient des épiceries solidaires itinérantes pour les communes rurales "
        "sans commerce, en lien avec les producteurs locaux.",
        SERVICES, "Anne Dupont", "au-vote", poll_field=True,
    ),
    # Still debated, or withdrawn.
    ProposalPlan(
        "Semaine de l'économie solidaire dans les écoles",
        "Chaque commune membre organise une semaine de découverte de l'économie solidaire dans "
        "ses écoles, avec les associations locales.",
        DEMO_LOCALE, "Élodie Barbier", "en-debat",
    ),
    ProposalPlan(
        "Charte des achats éthiques du réseau",
        "Le réseau se dote d'une charte des achats éthiques pour ses propres dépenses : "
        "fournisseurs de l'ESS, commerce équitable, critères environnementaux.",
        COMMERCE, "Sarah Cohen", "en-debat",
    ),
    ProposalPlan(
        "Garantie d'emprunt pour les coopératives d'habitants",
        "Les collectivités membres accordent leur garantie d'emprunt aux coopératives "
        "d'habitants qui s'installent sur leur territoire.",
        FINANCES, "Anne Dupont", "en-debat",
    ),
    ProposalPlan(
        "Réunion mensuelle en visioconférence",
        "Les membres se réunissent chaque premier mardi du mois en visioconférence pour "
        "partager leurs projets.",
        DEMO_PARTICIPATIVE, "Sophie Martin", "retiree",
    ),
)  # fmt: skip

# Choix-unique polls that chose an option (decisions without a proposal): question, options,
# the index of the winner.
CORE_CHOICE_POLLS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("Où tenir les prochaines rencontres nationales du réseau ?",
     ("Lyon", "Lille", "Rennes", "Montpellier"), 2),
    ("Quel thème pour la journée d'étude de printemps ?",
     ("Finances solidaires", "Alimentation durable", "Tiers-lieux"), 1),
)  # fmt: skip

# Open polls without a proposal: question, method, options, field (None: the whole network).
CORE_OPEN_QUESTIONS: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("Date de l'assemblée générale 2027 ?", "choix-unique",
     ("Jeudi 11 mars", "Jeudi 18 mars", "Jeudi 25 mars"), None),
    ("Faut-il créer un groupe de travail sur les monnaies locales ?", "pour-contre", (), FINANCES),
    ("Adhérer au réseau européen des villes du commerce équitable ?", "pour-contre", (),
     COMMERCE),
)  # fmt: skip

# Topics of the generated decisions: none of the core's (so that a question about a core
# decision has one right answer at any size).
GENERATED_TOPICS = (
    ("Soutenir les {0} de {1}", ("jardins partagés", "régies de quartier",
     "ateliers vélo solidaires", "cafés associatifs", "chantiers d'insertion", "repair cafés",
     "conciergeries solidaires", "fablabs associatifs")),
    ("Étude sur les {0} dans le département de {1}", ("mobilités rurales",
     "énergies citoyennes", "maisons de santé", "emplois associatifs", "lieux culturels",
     "habitats inclusifs", "points d'accès au droit", "pratiques sportives pour tous")),
)  # fmt: skip


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class SeededProposal:
    number: int
    title: str
    status: str
    field: str  # slug
    author: str
    poll: int | None  # the poll that decides (or decided) it


@dataclass(frozen=True)
class SeededPoll:
    number: int
    question: str
    status: str  # "open" or "closed"
    outcome: str | None
    field: str | None  # slug of the field it is restricted to
    proposal: int | None
    winner: str | None = None  # choix-unique: the chosen option
    voters: frozenset[str] = frozenset()  # who voted (names): never how


@dataclass
class SeededNetwork:
    guild_id: int
    now: datetime
    bureau_role_id: int
    registry_channel_id: int
    people: dict[str, Person]  # every registered person by full name
    members: dict[str, int]  # full name -> élu id
    users: dict[str, int]  # full name -> Discord user id
    collectivites: dict[str, int]  # name -> id
    referents: dict[str, str]  # collectivité name -> the référent's full name
    fields: dict[str, int]  # slug -> id
    field_names: dict[str, str]  # slug -> name
    charter_versions: tuple[int, ...]
    proposals: dict[int, SeededProposal]
    polls: dict[int, SeededPoll]
    actors: dict[str, Actor]  # "visitor", "pending", "member", "bureau"
    asker_names: dict[str, str | None] = field(default_factory=dict)  # kind -> name (or None)

    def member_id(self, name: str) -> int:
        return self.members[name]

    def actor(self, kind: str) -> Actor:
        return self.actors[kind]

    @property
    def decisions(self) -> list[int]:
        """Closed polls' numbers (adopted, rejected, quorum not reached, or an option chosen)."""
        return sorted(n for n, p in self.polls.items() if p.status == "closed")

    @property
    def open_polls(self) -> list[int]:
        return sorted(n for n, p in self.polls.items() if p.status == "open")

    @property
    def departements(self) -> set[str]:
        """The départements the network's collectivités are in (as the directory spells them)."""
        places = [(name, dep) for name, _k, _c, dep, *_rest in CORE_COLLECTIVITES]
        places += [(name, dep) for name, _code, dep in GENERATED_PLACES]
        return {dep for name, dep in places if dep and name in self.collectivites}

    def proposal_titled(self, title: str) -> SeededProposal:
        return next(p for p in self.proposals.values() if p.title == title)

    def directory_visible(self, name: str) -> bool:
        """Whether the directory shows this person at all (active members only)."""
        return self.people[name].status == EluStatus.ACTIVE

    def may_see_poll(self, asker: str, number: int) -> bool:
        """Whether `/scrutin liste` shows poll n° ``number`` to the person asking as ``asker``:
        members and the bureau only; a poll restricted to a field only to the bureau and that
        field's members (who are its list: the core's lists are fixed from the fields)."""
        if asker == "bureau":
            return True
        if asker != "member":
            return False
        poll = self.polls[number]
        name = self.asker_names.get(asker)
        return poll.field is None or (name is not None and poll.field in self.people[name].fields)

    def may_see_contact(self, asker: str, name: str, what: str) -> bool:
        """Whether the person asking as ``asker`` (a kind of actor) may be shown ``what``
        ("email" or "phone") of ``name``, as `/annuaire` decides: members and the bureau only,
        active members only, with that person's consent — or their own card."""
        person = self.people[name]
        if self.asker_names.get(asker) == name:
            return True  # one's own card
        if asker not in ("member", "bureau"):
            return False
        if person.status != EluStatus.ACTIVE:
            return False
        return person.share_email if what == "email" else person.share_phone


# --------------------------------------------------------------------------- building


class _Clock:
    """A settable clock for the ballot box and the services that take one."""

    def __init__(self, now: datetime) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at


def _people(count: int, rng: random.Random, places: Sequence[str]) -> list[Person]:
    people = list(CORE_PEOPLE[:count])
    taken = {p.name for p in people}
    index = 0
    while len(people) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        if name in taken:
            name = f"{first} {last}-{rng.choice(LAST_NAMES)}"
            if name in taken:
                continue
        taken.add(name)
        index += 1
        share = rng.choice(("", "", "e", "p", "ep"))
        slug_user = (
            f"{first}.{last}".lower()
            .replace(" ", "-")
            .translate(str.maketrans("àâäéèêëîïôöùûüçÀÉÈ", "aaaeeeeiioouuucaee"))
        )
        people.append(
            Person(
                name=name,
                collectivite=places[index % len(places)],
                mandate=rng.choice(MANDATES),
                email=f"{slug_user}{index}@collectivite.example.fr",
                phone=f"+336{rng.randrange(10**8):08d}" if rng.random() < 0.8 else None,
                share_email="e" in share,
                share_phone="p" in share,
                fields=tuple(rng.sample(FIELD_SLUGS, rng.choice((1, 1, 2, 2, 3)))),
            )
        )
    return people


def _collectivite_rows(count_people: int) -> list[Row]:
    rows = [
        Row(i + 1, name, kind, code, dep, reg, status, weight)
        for i, (name, kind, code, dep, reg, status, weight) in enumerate(CORE_COLLECTIVITES)
    ]
    extra = min(len(GENERATED_PLACES), max(0, count_people // 20 - len(rows)))
    for i, (name, code, dep) in enumerate(GENERATED_PLACES[:extra]):
        rows.append(Row(len(rows) + 1, name, "commune", code, dep, None, "adherente", 1 + i % 3))
    return rows


CORE_DECISIONS = sum(
    p.fate in ("adoptee", "rejetee", "quorum-non-atteint") for p in CORE_PROPOSALS
) + len(CORE_CHOICE_POLLS)
CORE_OPEN_POLLS = sum(p.fate == "au-vote" for p in CORE_PROPOSALS) + len(CORE_OPEN_QUESTIONS)


async def seed_network(
    db: Database,
    guild_id: int,
    *,
    members: int = 30,
    decisions: int = 20,
    open_polls: int = 5,
    seed: int = 1,
    now: datetime | None = None,
    master_key: bytes = TEST_MASTER_KEY,
    user_id_for: Callable[[str], int] | None = None,
    bureau_user_id: int | None = None,
) -> SeededNetwork:
    """Build the network (see the module's docstring).

    The named core (30 people, 20 decisions, 5 open polls, always the same numbers) goes through
    the services and the ballot box; people and decisions beyond it are written in bulk, in the
    shape the services write them, so that 1,000 members and 500 decisions take seconds.
    ``user_id_for(name)`` gives the Discord user id of a seeded person (e.g. an emulator
    member's); by default ids are derived from the guild id. ``bureau_user_id`` is the bureau's
    asker (a Discord user with the bureau role). ``master_key`` seals the open polls' ballots:
    the key of the bot that will read them."""
    if members < len(CORE_PEOPLE) or decisions < CORE_DECISIONS or open_polls < CORE_OPEN_POLLS:
        raise ValueError(
            f"the seeded network holds at least {len(CORE_PEOPLE)} members, {CORE_DECISIONS} "
            f"decisions and {CORE_OPEN_POLLS} open polls"
        )
    rng = random.Random(seed)  # the core's votes
    extra_rng = random.Random(f"{seed}:beyond-the-core")  # people and decisions beyond it
    now = now or utcnow()
    clock = _Clock(now)
    # Deterministic snowflakes of this network (within 64-bit integers for any guild id).
    base = (guild_id % 10**15) * 10 + 1_000_000_000_000_000
    bureau_user = bureau_user_id if bureau_user_id is not None else base + 3
    visitor_user = base + 4

    def user_of(name: str, index: int) -> int:
        return user_id_for(name) if user_id_for else base + 1000 + index

    # Settings, fields with their forums, collectivités (the bureau's import).
    async with db.begin() as session:
        settings = await session.get(GuildSettings, guild_id)
        if settings is None:
            settings = GuildSettings(guild_id=guild_id)
        if settings.bureau_role_id is None:
            settings.bureau_role_id = base + 1
        if settings.registry_channel_id is None:
            settings.registry_channel_id = base + 2
        session.add(settings)
        bureau_role_id = settings.bureau_role_id
        registry_channel_id = settings.registry_channel_id
        await fields.seed_defaults(session, guild_id, bureau_user)
        field_rows = await fields.active_fields(session, guild_id)
        for position, row in enumerate(field_rows):
            if row.forum_channel_id is None:
                row.forum_channel_id = base + 100 + position
                session.add(row)
        rows = _collectivite_rows(members)
        await collectivites.import_rows(session, guild_id, rows, bureau_user)
        places = {c.name: c for c in await collectivites.all_collectivites(session, guild_id)}
    field_ids = {row.slug: row.id or 0 for row in field_rows}
    field_names = {row.slug: row.name for row in field_rows}
    member_places = [r.name for r in rows if r.status != MembershipStatus.ANCIENNE]

    people = _people(members, extra_rng, member_places)
    core = people[: len(CORE_PEOPLE)]
    users = {person.name: user_of(person.name, index) for index, person in enumerate(people)}
    ids: dict[str, int] = {}

    # The core: registered through the onboarding's service, then validated, refused or gone.
    async with db.begin() as session:
        for person in core:
            submitted = await members_service.submit(
                session,
                guild_id,
                users[person.name],
                Registration(
                    contact=Contact(
                        full_name=person.name,
                        collectivite=person.collectivite,
                        mandate=person.mandate,
                        email=person.email,
                        phone=person.phone,
                    ),
                    collectivite_id=places[person.collectivite].id,
                    new_collectivite=None,
                    field_ids=frozenset(field_ids[s] for s in person.fields),
                    share_email=person.share_email,
                    share_phone=person.share_phone,
                    locale=person.locale,
                ),
                clock=clock,  # type: ignore[arg-type]
            )
            elu_id = submitted.elu.id
            assert elu_id is not None
            ids[person.name] = elu_id
            if person.status in (EluStatus.ACTIVE, EluStatus.LEFT):
                await members_service.validate(session, guild_id, elu_id, bureau_user, clock=clock)  # type: ignore[arg-type]
            elif person.status == EluStatus.REJECTED:
                await members_service.reject(
                    session, guild_id, elu_id, "Mandat non confirmé par la collectivité.",
                    bureau_user, clock=clock,  # type: ignore[arg-type]
                )  # fmt: skip
        referents = {p.collectivite: p.name for p in core if p.referent}
        for name in referents.values():
            await members_service.designate_referent(
                session, guild_id, ids[name], None, bureau_user
            )
        # Charter: version 1 signed by most, version 2 published, then signed by some again.
        await charter.current_version(session, guild_id)
        signers = [p for p in core if p.status in (EluStatus.ACTIVE, EluStatus.PENDING)]
        for position, person in enumerate(signers):
            if position % 5 != 4:
                await charter.sign(
                    session, guild_id=guild_id, elu_id=ids[person.name], actor_id=users[person.name]
                )
        await charter.publish(
            session, guild_id=guild_id, text=charter_v2_text(), actor_id=bureau_user
        )
        for position, person in enumerate(signers):
            if position % 3 == 0:
                await charter.sign(
                    session, guild_id=guild_id, elu_id=ids[person.name], actor_id=users[person.name]
                )
    async with db.begin() as session:  # who left, after signing as a member
        for person in core:
            if person.status == EluStatus.LEFT:
                await members_service.mark_left(session, guild_id, users[person.name], clock=clock)  # type: ignore[arg-type]

    # The core's proposals: deposited, published, supported, amended, withdrawn.
    active = [p for p in core if p.status == EluStatus.ACTIVE]
    numbers: dict[str, int] = {}
    async with db.begin() as session:
        for index, plan in enumerate(CORE_PROPOSALS):
            author = await access.resolve(session, Actor(guild_id, users[plan.author]))
            proposal = await proposals.deposit(
                session, author, field_ids[plan.field], plan.title, plan.text
            )
            assert proposal.id is not None
            await proposals.publish(session, proposal.id, base + 10_000 + index, users[plan.author])
            numbers[plan.title] = proposal.number
            supporters = [p for p in active if p.name != plan.author][index % 5 :: 7][:3]
            for supporter in supporters:
                who = await access.resolve(session, Actor(guild_id, users[supporter.name]))
                await proposals.support(session, who, proposal.id)
            if plan.amended is not None:
                amender = await access.resolve(session, Actor(guild_id, users[supporters[0].name]))
                amendment = await proposals.propose_amendment(
                    session,
                    amender,
                    proposal.id,
                    plan.amended,
                    "Ne pas exclure les petits marchés.",
                )
                assert amendment.id is not None
                await proposals.publish_amendment(
                    session, amendment.id, base + 20_000 + index, users[supporters[0].name]
                )
                await proposals.decide_amendment(session, author, amendment.id, accept=True)
            if plan.fate == "retiree":
                await proposals.withdraw(session, author, proposal.id)

    # The core's polls, through the ballot box: closed ones (oldest first), then open ones.
    box = BallotBox(db, master_key, clock.now)
    await box.start()
    seeded_polls: dict[int, SeededPoll] = {}
    poll_of_proposal: dict[str, int] = {}
    try:
        closed_items: list[ProposalPlan | tuple[str, tuple[str, ...], int]] = [
            p for p in CORE_PROPOSALS if p.fate in ("adoptee", "rejetee", "quorum-non-atteint")
        ]
        for offset, choice in enumerate(CORE_CHOICE_POLLS):
            closed_items.insert(4 + offset * 7, choice)
        for index, item in enumerate(closed_items):
            clock.at = now - timedelta(days=30 + 7 * (len(closed_items) - index))
            if isinstance(item, ProposalPlan):
                request = polls.OpenRequest(
                    duree="7j",
                    proposition=numbers[item.title],
                    quorum=60 if item.fate == "quorum-non-atteint" else None,
                    domaine=item.field if item.poll_field else None,
                    secret=index % 4 != 3,
                )
                wanted = item.fate
            else:
                question, options, winner = item
                request = polls.OpenRequest(
                    duree="7j", question=question, methode="choix-unique",
                    options="; ".join(options),
                )  # fmt: skip
                wanted = str(winner)
            poll = await box.open_poll(guild_id=guild_id, actor_id=bureau_user, request=request)
            voters = await _vote(box, poll, users, ids, core, rng, wanted, share=0.8)
            await _place_message(db, poll, base, numbers, item)
            clock.at += timedelta(days=7)
            closed = await box.close_poll(
                poll.id or 0, actor_id=None, reason="echeance", only_if_due=True
            )
            assert closed is not None, poll.number
            outcome = closed.result.outcome
            if isinstance(item, ProposalPlan):
                assert outcome == item.fate, (item.title, outcome)
                poll_of_proposal[item.title] = poll.number
                seeded_polls[poll.number] = SeededPoll(
                    poll.number, poll.question, "closed", outcome,
                    item.field if item.poll_field else None, numbers[item.title],
                    voters=frozenset(voters),
                )  # fmt: skip
            else:
                seeded_polls[poll.number] = SeededPoll(
                    poll.number, poll.question, "closed", outcome, None, None,
                    winner=item[1][item[2]], voters=frozenset(voters),
                )  # fmt: skip
        clock.at = now - timedelta(days=1)
        open_items: list[ProposalPlan | tuple[str, str, tuple[str, ...], str | None]] = [
            p for p in CORE_PROPOSALS if p.fate == "au-vote"
        ]
        open_items += list(CORE_OPEN_QUESTIONS)
        for extra in range(1, open_polls - len(open_items) + 1):
            open_items.append((f"Question n°{extra} posée au réseau ?", "pour-contre", (), None))
        for index, open_item in enumerate(open_items):
            if isinstance(open_item, ProposalPlan):
                restricted = open_item.field if open_item.poll_field else None
                request = polls.OpenRequest(
                    duree="5j",
                    proposition=numbers[open_item.title],
                    domaine=restricted,
                    resultats="apres-vote" if index == 0 else None,
                )
            else:
                question, method, options, restricted = open_item
                request = polls.OpenRequest(
                    duree=f"{3 + index}j",
                    question=question,
                    methode=method,
                    options="; ".join(options) if options else None,
                    domaine=restricted,
                )
            poll = await box.open_poll(guild_id=guild_id, actor_id=bureau_user, request=request)
            voters = await _vote(
                box, poll, users, ids, core, rng, None, share=0.4,
                asker=(MEMBER_ASKER, index % 2 == 0),
            )  # fmt: skip
            await _place_message(db, poll, base, numbers, open_item)
            proposal_number = None
            if isinstance(open_item, ProposalPlan):
                proposal_number = numbers[open_item.title]
                poll_of_proposal[open_item.title] = poll.number
            seeded_polls[poll.number] = SeededPoll(
                poll.number, poll.question, "open", None, restricted, proposal_number,
                voters=frozenset(voters),
            )  # fmt: skip
    finally:
        await box.stop()

    # Beyond the core: people and decisions in bulk.
    if len(people) > len(core):
        ids.update(await _bulk_people(db, guild_id, people[len(core) :], users, places, field_ids))
        async with db.begin() as session:
            for person in people[len(core) :]:
                place = places[person.collectivite]
                if person.collectivite not in referents and place.status == "adherente":
                    referents[person.collectivite] = person.name
                    await members_service.designate_referent(
                        session, guild_id, ids[person.name], None, bureau_user
                    )
    generated = await _bulk_decisions(
        db,
        guild_id,
        decisions - CORE_DECISIONS,
        people,
        ids,
        field_ids,
        places,
        extra_rng,
        now,
        base,
    )
    for plan, number, poll_number, outcome, voters in generated:
        numbers[plan.title] = number
        poll_of_proposal[plan.title] = poll_number
        seeded_polls[poll_number] = SeededPoll(
            poll_number, plan.title, "closed", outcome, plan.field, number,
            voters=frozenset(voters),
        )  # fmt: skip

    async with db.read() as session:
        stored = (
            (await session.execute(select(Proposal).where(col(Proposal.guild_id) == guild_id)))
            .scalars()
            .all()
        )
    by_number = {p.number: p for p in stored}
    plans = {plan.title: plan for plan in CORE_PROPOSALS} | {g[0].title: g[0] for g in generated}
    seeded_proposals = {
        number: SeededProposal(
            number,
            title,
            by_number[number].status,
            plans[title].field,
            plans[title].author,
            poll_of_proposal.get(title),
        )
        for title, number in numbers.items()
    }
    pending = next(p.name for p in core if p.status == EluStatus.PENDING)
    actors = {
        "visitor": Actor(guild_id, visitor_user),
        "pending": Actor(guild_id, users[pending]),
        "member": Actor(guild_id, users[MEMBER_ASKER]),
        "bureau": Actor(guild_id, bureau_user, role_ids=frozenset({bureau_role_id})),
    }
    return SeededNetwork(
        guild_id=guild_id,
        now=now,
        bureau_role_id=bureau_role_id,
        registry_channel_id=registry_channel_id,
        people={p.name: p for p in people},
        members=ids,
        users=users,
        collectivites={name: row.id or 0 for name, row in places.items()},
        referents=referents,
        fields=field_ids,
        field_names=field_names,
        charter_versions=(1, 2),
        proposals=seeded_proposals,
        polls=seeded_polls,
        actors=actors,
        asker_names={"visitor": None, "pending": pending, "member": MEMBER_ASKER, "bureau": None},
    )


async def _vote(
    box: BallotBox,
    poll: Poll,
    users: dict[str, int],
    ids: dict[str, int],
    people: list[Person],
    rng: random.Random,
    wanted: str | None,
    *,
    share: float,
    asker: tuple[str, bool] | None = None,
) -> list[str]:
    """Cast ballots so that the poll ends as ``wanted`` ("adoptee", "rejetee",
    "quorum-non-atteint", or the winning option's index); ``None``: a part of the list votes
    (an open poll; ``asker``: whether that person votes). Returns who voted."""
    cached = await box.open_poll_by_id(poll.guild_id, poll.id or 0)
    listed = [p for p in people if ids.get(p.name) in cached.seat_of_elu]
    if wanted == "quorum-non-atteint":
        voting = listed[: max(1, len(listed) // 3)]
    else:
        voting = [p for p in listed if rng.random() < share] or listed[:1]
    if asker is not None:
        name, votes_here = asker
        voting = [p for p in voting if p.name != name]
        voting += [p for p in listed if p.name == name and votes_here]
    votes = []
    for position, person in enumerate(voting):
        vote = box.vote_for(cached, users[person.name])
        assert vote is not None
        votes.append(dataclasses.replace(vote, content=_content(poll, wanted, position)))
    # All at once: the ballot box writes them in one batch.
    await asyncio.gather(*(box.cast_vote(vote) for vote in votes))
    return [p.name for p in voting]


def _content(poll: Poll, wanted: str | None, position: int) -> Any:
    """The ballot of the ``position``-th voter so that the poll ends as ``wanted``."""
    if poll.method == "pour-contre":
        if wanted == "rejetee":
            return "contre" if position % 3 != 2 else "pour"
        if wanted is None:
            return ("pour", "contre", "abstention")[position % 3]
        return "pour" if position % 3 != 2 else ("contre", "abstention")[position % 2]
    best = int(wanted) if wanted is not None else 0
    return [best] if position % 3 != 2 else [(best + 1) % len(poll.options)]


async def _place_message(
    db: Database, poll: Poll, base: int, numbers: dict[str, int], item: Any
) -> None:
    """Where the poll's message lives: its proposal's thread, else a channel of the network."""
    if isinstance(item, ProposalPlan):
        async with db.read() as session:
            proposal = await proposals.get_by_number(session, poll.guild_id, numbers[item.title])
            channel = proposal.thread_id or base + 2
    else:
        channel = base + 5
    async with db.begin() as session:
        await polls.set_message(session, poll.id or 0, channel, base + 50_000 + poll.number)


# --------------------------------------------------------------------------- bulk (large networks)

CHUNK = 2_000


async def _insert(db: Database, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        async with db.begin() as session:
            await session.execute(insert(model.__table__), rows[start : start + CHUNK])


async def _bulk_people(
    db: Database,
    guild_id: int,
    people: list[Person],
    users: dict[str, int],
    places: dict[str, Any],
    field_ids: dict[str, int],
) -> dict[str, int]:
    """Active members as a validated registration leaves them (élu row and chosen fields)."""
    stamp = utcnow()
    await _insert(
        db,
        Elu,
        [
            {
                "guild_id": guild_id,
                "discord_user_id": users[p.name],
                "full_name": p.name,
                "collectivite_id": places[p.collectivite].id,
                "mandate": p.mandate,
                "email": p.email,
                "phone": p.phone,
                "share_email": p.share_email,
                "share_phone": p.share_phone,
                "is_referent": False,
                "status": EluStatus.ACTIVE,
                "locale": "fr",
                "reminders_opt_out": False,
                "validated_at": stamp,
                "created_at": stamp,
                "updated_at": stamp,
            }
            for p in people
        ],
    )
    wanted = {users[p.name]: p.name for p in people}
    async with db.read() as session:
        found = await session.execute(
            select(col(Elu.id), col(Elu.discord_user_id)).where(col(Elu.guild_id) == guild_id)
        )
        ids = {wanted[user]: elu_id for elu_id, user in found.all() if user in wanted}
    await _insert(
        db,
        EluField,
        [{"elu_id": ids[p.name], "field_id": field_ids[slug]} for p in people for slug in p.fields],
    )
    return ids


async def _bulk_decisions(
    db: Database,
    guild_id: int,
    count: int,
    people: list[Person],
    ids: dict[str, int],
    field_ids: dict[str, int],
    places: dict[str, Any],
    rng: random.Random,
    now: datetime,
    base: int,
) -> list[tuple[ProposalPlan, int, int, str, list[str]]]:
    """``count`` proposals decided by a closed poll of their field, dated before the core's:
    proposal and version 1, the poll with its liste d'émargement (the field's active members),
    its published ballots and its result, as closing leaves them."""
    if count <= 0:
        return []
    async with db.read() as session:
        first_proposal = (
            1
            + (
                await session.execute(
                    select(func.coalesce(func.max(Proposal.number), 0)).where(
                        col(Proposal.guild_id) == guild_id
                    )
                )
            ).scalar_one()
        )
        first_poll = (
            1
            + (
                await session.execute(
                    select(func.coalesce(func.max(Poll.number), 0)).where(
                        col(Poll.guild_id) == guild_id
                    )
                )
            ).scalar_one()
        )
    active = [p for p in people if p.status == EluStatus.ACTIVE]
    by_field: dict[str, list[Person]] = {}
    for person in active:
        for slug in person.fields:
            by_field.setdefault(slug, []).append(person)
    plans: list[tuple[ProposalPlan, int, int, str, list[str]]] = []
    proposal_rows, poll_rows = [], []
    for index in range(count):
        template, words = GENERATED_TOPICS[index % len(GENERATED_TOPICS)]
        author = active[rng.randrange(len(active))]
        place = places[author.collectivite]
        title = template.format(words[(index // 2) % len(words)], place.departement or place.name)
        title = f"{title} ({index + 1})"[:100]
        fate = rng.choice(("adoptee", "adoptee", "rejetee"))
        slug = rng.choice(author.fields)
        plan = ProposalPlan(
            title,
            f"Proposition de {author.name} : {title[0].lower()}{title[1:]}, avec un bilan "
            "présenté au réseau dans un an.",
            slug, author.name, fate, poll_field=True,
        )  # fmt: skip
        listed = by_field[slug]
        voters = [p for p in listed if rng.random() < 0.5][:40] or listed[:1]
        opened = now - timedelta(days=400 + 2 * (count - index))
        closed_at = opened + timedelta(days=7)
        number, poll_number = first_proposal + index, first_poll + index
        proposal_rows.append(
            {
                "guild_id": guild_id,
                "number": number,
                "title": title,
                "author_elu_id": ids[author.name],
                "field_id": field_ids[slug],
                "status": fate,
                "current_version": 1,
                "thread_id": base + 200_000 + index,
                "created_at": opened - timedelta(days=14),
                "updated_at": closed_at,
            }
        )
        poll_rows.append(
            {
                "guild_id": guild_id,
                "number": poll_number,
                "question": title,
                "method": "pour-contre",
                "options": [],
                "irv": False,
                "quorum_percent": 0,
                "majority": "simple",
                "secret": True,
                "electorate": "elus",
                "field_id": field_ids[slug],
                "electorate_weight": len(listed),
                "results_visibility": "a-la-cloture",
                "seed": f"{rng.getrandbits(128):032x}",
                "status": "closed",
                "opens_at": opened,
                "closes_at": closed_at,
                "closed_at": closed_at,
                "announced_at": closed_at,
                "channel_id": base + 200_000 + index,
                "message_id": base + 300_000 + index,
                "created_at": opened,
                "_listed": listed,
                "_voters": voters,
            }
        )
        plans.append((plan, number, poll_number, fate, [p.name for p in voters]))
    await _insert(db, Proposal, proposal_rows)
    async with db.read() as session:
        found = await session.execute(
            select(col(Proposal.id), col(Proposal.number)).where(
                col(Proposal.guild_id) == guild_id, col(Proposal.number) >= first_proposal
            )
        )
        proposal_ids = {number: pid for pid, number in found.all()}
    await _insert(
        db,
        ProposalVersion,
        [
            {"proposal_id": proposal_ids[number], "version": 1, "text": plan.text}
            for plan, number, *_ in plans
        ],
    )
    extras = [(row.pop("_listed"), row.pop("_voters")) for row in poll_rows]
    for row, (_plan, number, *_rest) in zip(poll_rows, plans, strict=True):
        row["proposal_id"] = proposal_ids[number]
    await _insert(db, Poll, poll_rows)
    async with db.read() as session:
        found = await session.execute(
            select(Poll).where(col(Poll.guild_id) == guild_id, col(Poll.number) >= first_poll)
        )
        stored_polls = {poll.number: poll for poll in found.scalars()}
    entries, published = [], []
    results: list[dict[str, Any]] = []
    for (listed, voters), (plan, _number, poll_number, fate, _names) in zip(
        extras, plans, strict=True
    ):
        poll = stored_polls[poll_number]
        voting = {p.name for p in voters}
        contents = sorted(_content(poll, fate, i) for i in range(len(voters)))
        for person in listed:
            elu_id = ids[person.name]
            voted = person.name in voting
            entries.append(
                {
                    "poll_id": poll.id,
                    "voter_ref": f"elu:{elu_id}",
                    "elu_id": elu_id,
                    "weight": 1,
                    "voted": voted,
                    "struck": False,
                    "delegate_elu_id": None,
                    "cast_by_elu_id": elu_id if voted else None,
                }
            )
        published += [
            {"poll_id": poll.id, "position": i, "content": c, "weight": 1, "voter_ref": None}
            for i, c in enumerate(contents)
        ]
        result = count_ballots(
            spec_of(poll, poll.electorate_weight), [Counted(c, 1) for c in contents]
        )
        assert result.outcome == fate, (plan.title, result.outcome)
        results.append({"id": poll.id, "result": result_to_json(result), "outcome": fate})
    await _insert(db, ElectorateEntry, entries)
    await _insert(db, Ballot, published)
    async with db.begin() as session:
        await session.execute(
            update(Poll.__table__).where(Poll.__table__.c.id == bindparam("pid")),  # type: ignore[attr-defined]
            [{"pid": r["id"], "result": r["result"], "outcome": r["outcome"]} for r in results],
        )
    return plans
