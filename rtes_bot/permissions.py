"""Who may use which command (product.md §1). One table, used by `/aide`, the README and the tests.

The checks themselves run in the services (``Person.require_member`` / ``require_bureau``); this
table says what each command requires so help only lists what the person may use.
"""

from __future__ import annotations

from rtes_bot.services.access import Kind

#: command (qualified name) -> the least kind of person allowed to use it
COMMAND_ACCESS: dict[str, Kind] = {
    "aide": Kind.VISITOR,
    "adhesion": Kind.VISITOR,
    "charte lire": Kind.VISITOR,
    "charte versions": Kind.VISITOR,
    "charte signer": Kind.PENDING,
    "charte signataires": Kind.ELU,
    "mes-donnees voir": Kind.VISITOR,
    "mes-donnees exporter": Kind.VISITOR,
    "mes-donnees visibilite": Kind.PENDING,
    "mes-donnees rappels": Kind.PENDING,
    "mes-donnees effacer": Kind.VISITOR,
    "domaines choisir": Kind.PENDING,
    "domaines liste": Kind.ELU,
    "annuaire chercher": Kind.ELU,
    "annuaire fiche": Kind.ELU,
    "proposition deposer": Kind.ELU,
    "proposition amender": Kind.ELU,
    "proposition voir": Kind.ELU,
    "proposition liste": Kind.ELU,
    "proposition retirer": Kind.ELU,
    "scrutin liste": Kind.ELU,
    "scrutin resultats": Kind.ELU,
    "scrutin ouvrir": Kind.BUREAU,
    "scrutin cloturer": Kind.BUREAU,
    "scrutin exporter": Kind.BUREAU,
    "voter": Kind.ELU,
    "procuration donner": Kind.ELU,
    "procuration retirer": Kind.ELU,
    "decisions": Kind.ELU,
    "admin installer": Kind.BUREAU,
    "admin import-collectivites": Kind.BUREAU,
    "admin referent": Kind.BUREAU,
    "admin charte-publier": Kind.BUREAU,
    "admin audit": Kind.BUREAU,
    "admin domaines ajouter": Kind.BUREAU,
    "admin domaines renommer": Kind.BUREAU,
    "admin domaines retirer": Kind.BUREAU,
}


#: kinds that satisfy a requirement: a validated élu may do what a pending member may do
SATISFIED_BY: dict[Kind, set[Kind]] = {
    Kind.VISITOR: {Kind.VISITOR},
    Kind.PENDING: {Kind.PENDING, Kind.ELU, Kind.REFERENT},
    Kind.ELU: {Kind.ELU, Kind.REFERENT},
    Kind.REFERENT: {Kind.REFERENT},
    Kind.BUREAU: {Kind.BUREAU},
}


def allowed(command: str, kinds: set[Kind]) -> bool:
    """Whether a person with these kinds may use the command."""
    return bool(SATISFIED_BY[COMMAND_ACCESS[command]] & kinds)
