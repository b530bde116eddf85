"""Who may use which command (`docs/rules.md`, « 1. People and roles »). One table, used by `/aide`,
the README and the tests. Pure: it knows the kinds of person, not how a person is resolved.

The checks themselves run in the cogs and services (``Person.require_member``,
``require_member_or_bureau``, ``require_bureau``), before anything else is looked up; this table
says what each command requires, so help lists only what the person may use, every autocomplete
suggests nothing to whom its command refuses (``Person.may_use``, read by ``ui.autocomplete``), and
the permission matrix test proves the checks, the autocompletes and the table agree. Commands open to everyone answer people with
no data precisely (e.g. `/mes-donnees voir` for a visitor says nothing is stored).
"""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    """What a person is to the network; one person may be several (a référent is also an élu).

    :func:`rtes_bot.services.access.resolve` says which kinds the acting person has."""

    VISITOR = "visitor"
    PENDING = "pending"
    ELU = "elu"
    REFERENT = "referent"
    BUREAU = "bureau"


EVERYONE = frozenset({Kind.VISITOR})
REGISTERED = frozenset({Kind.PENDING, Kind.ELU, Kind.REFERENT})
MEMBERS = frozenset({Kind.ELU, Kind.REFERENT})
MEMBERS_AND_BUREAU = frozenset({Kind.ELU, Kind.REFERENT, Kind.BUREAU})
BUREAU = frozenset({Kind.BUREAU})

#: command (qualified name) -> the kinds of person allowed to use it
COMMAND_ACCESS: dict[str, frozenset[Kind]] = {
    "aide": EVERYONE,
    "question": EVERYONE,
    "adhesion": EVERYONE,
    "charte lire": EVERYONE,
    "charte versions": EVERYONE,
    "charte signer": REGISTERED,
    "charte signataires": MEMBERS_AND_BUREAU,
    "mes-donnees voir": EVERYONE,
    "mes-donnees exporter": EVERYONE,
    "mes-donnees visibilite": EVERYONE,
    "mes-donnees rappels": EVERYONE,
    "mes-donnees effacer": EVERYONE,
    "domaines choisir": REGISTERED,
    "domaines liste": MEMBERS_AND_BUREAU,
    "annuaire chercher": MEMBERS_AND_BUREAU,
    "annuaire fiche": MEMBERS_AND_BUREAU,
    "proposition deposer": MEMBERS,
    "proposition amender": MEMBERS,
    "proposition voir": MEMBERS,
    "proposition liste": MEMBERS,
    "proposition retirer": MEMBERS_AND_BUREAU,
    "scrutin liste": MEMBERS_AND_BUREAU,
    "scrutin resultats": MEMBERS_AND_BUREAU,
    "scrutin ouvrir": BUREAU,
    "scrutin cloturer": BUREAU,
    "scrutin exporter": BUREAU,
    "scrutin emargement": BUREAU,
    "voter": MEMBERS,
    "procuration donner": MEMBERS,
    "procuration retirer": MEMBERS,
    "decisions": MEMBERS_AND_BUREAU,
    "admin installer": BUREAU,
    "admin import-collectivites": BUREAU,
    "admin referent": BUREAU,
    "admin charte-publier": BUREAU,
    "admin audit": BUREAU,
    "admin domaines ajouter": BUREAU,
    "admin domaines renommer": BUREAU,
    "admin domaines retirer": BUREAU,
}


def allowed(command: str, kinds: set[Kind]) -> bool:
    """Whether a person with these kinds may use the command."""
    return bool(COMMAND_ACCESS[command] & kinds)


#: the kinds of person in the permission matrix, as README columns
PERSONAS: dict[str, set[Kind]] = {
    "visitor": {Kind.VISITOR},
    "pending": {Kind.VISITOR, Kind.PENDING},
    "élu": {Kind.VISITOR, Kind.ELU},
    "référent": {Kind.VISITOR, Kind.ELU, Kind.REFERENT},
    "bureau": {Kind.VISITOR, Kind.BUREAU},
    "Discord admin": {Kind.VISITOR, Kind.BUREAU},
}


def markdown_table() -> str:
    """The permission matrix as a markdown table (kept in the README; a test checks they agree)."""
    header = "| command | " + " | ".join(PERSONAS) + " |"
    rule = "|---|" + "---|" * len(PERSONAS)
    lines = [header, rule]
    for command in sorted(COMMAND_ACCESS):
        cells = ["✅" if allowed(command, kinds) else "—" for kinds in PERSONAS.values()]
        lines.append(f"| `/{command}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: Discord permissions the bot's role needs, no more (the invite link asks for exactly these):
#: the installer creates roles and channels (Manage Roles, Manage Channels) and sets channel
#: overwrites — Discord refuses an overwrite that allows or denies a permission the bot lacks, so
#: every permission named in `cogs/admin/_installer.py`'s overwrites is here (Add Reactions and
#: Create Private Threads are denied to members in read-only channels; Manage Messages and Manage
#: Threads are granted to the bot there); the features post messages, embeds, files (charts,
#: exports), forum posts and threads, and read earlier messages. discord.py flag names, in the
#: order the developer portal lists them; the catalog names each (`permission.<flag>`).
BOT_PERMISSIONS: tuple[str, ...] = (
    "manage_roles",
    "manage_channels",
    "view_channel",
    "send_messages",
    "create_public_threads",
    "create_private_threads",
    "send_messages_in_threads",
    "manage_messages",
    "manage_threads",
    "embed_links",
    "attach_files",
    "read_message_history",
    "add_reactions",
)


def bot_permissions_value() -> int:
    """The permission integer of :data:`BOT_PERMISSIONS` (the invite link's ``permissions=``)."""
    import discord

    return discord.Permissions(**dict.fromkeys(BOT_PERMISSIONS, True)).value


def missing_bot_permissions(granted: object) -> list[str]:
    """The flags of :data:`BOT_PERMISSIONS` that ``granted`` (a ``discord.Permissions``) lacks;
    an administrator lacks none."""
    if getattr(granted, "administrator", False):
        return []
    return [name for name in BOT_PERMISSIONS if not getattr(granted, name, False)]


def invite_url(application_id: int | str = "APPLICATION_ID") -> str:
    """The invite link: scopes `bot` and `applications.commands`, exactly :data:`BOT_PERMISSIONS`."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}"
        f"&scope=bot+applications.commands&permissions={bot_permissions_value()}"
    )


if __name__ == "__main__":
    print(markdown_table())
