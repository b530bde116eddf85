"""Database models (SQLModel tables). Importing this package registers every table on `metadata`."""

from rtes_bot.models.base import (
    MAX_INT,
    NAMING_CONVENTION,
    UTCDateTime,
    in_int_range,
    metadata,
    utcnow,
)
from rtes_bot.models.deliberation import (
    Amendment,
    AmendmentStatus,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Support,
)
from rtes_bot.models.membership import (
    CharterSignature,
    CharterVersion,
    Collectivite,
    CollectiviteKind,
    Elu,
    EluField,
    EluStatus,
    FieldOfAction,
    MembershipStatus,
)
from rtes_bot.models.network import AuditEvent, GuildSettings
from rtes_bot.models.voting import Ballot, Participation, Poll, PollStatus, Proxy, ReminderSent

__all__ = [
    "MAX_INT",
    "NAMING_CONVENTION",
    "Amendment",
    "AmendmentStatus",
    "AuditEvent",
    "Ballot",
    "CharterSignature",
    "CharterVersion",
    "Collectivite",
    "CollectiviteKind",
    "Elu",
    "EluField",
    "EluStatus",
    "FieldOfAction",
    "GuildSettings",
    "MembershipStatus",
    "Participation",
    "Poll",
    "PollStatus",
    "Proposal",
    "ProposalStatus",
    "ProposalVersion",
    "Proxy",
    "ReminderSent",
    "Support",
    "UTCDateTime",
    "in_int_range",
    "metadata",
    "utcnow",
]
