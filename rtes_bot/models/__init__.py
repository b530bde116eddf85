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
from rtes_bot.models.keys import InstanceKey
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
from rtes_bot.models.voting import (
    Ballot,
    ElectorateEntry,
    LegacyBallot,
    Poll,
    PollNotice,
    PollStatus,
    Proxy,
    SealedBallot,
)

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
    "ElectorateEntry",
    "Elu",
    "EluField",
    "EluStatus",
    "FieldOfAction",
    "GuildSettings",
    "InstanceKey",
    "LegacyBallot",
    "MembershipStatus",
    "Poll",
    "PollNotice",
    "PollStatus",
    "Proposal",
    "ProposalStatus",
    "ProposalVersion",
    "Proxy",
    "SealedBallot",
    "Support",
    "UTCDateTime",
    "in_int_range",
    "metadata",
    "utcnow",
]
