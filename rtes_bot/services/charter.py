"""The charter: versions per guild, its parts, signatures, and publication of a new version.

Version 1 is the RTES charter as its Solecopedia page gives it, shipped verbatim as package data
(``rtes_bot/data/charte-v1.md``) and stored on first use. A new version asks every signatory of
the previous one to sign again; signatures and lists of signatories are per version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from rtes_bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from rtes_bot.models import (
    CharterSignature,
    CharterVersion,
    Collectivite,
    Elu,
    EluStatus,
    utcnow,
)
from rtes_bot.services import audit, numbering
from rtes_bot.text import fold

#: Size limit of a published charter (bytes of UTF-8).
MAX_CHARTER_BYTES = 100_000
#: Statuses of a person who may sign (pending members may sign during their registration).
SIGNER_STATUSES = frozenset({EluStatus.PENDING, EluStatus.ACTIVE})


class AlreadySigned(Conflict):
    """This élu already signed this version; ``signature`` is the existing one."""

    def __init__(self, signature: CharterSignature, version: int) -> None:
        super().__init__("charte.deja-signee", version=version)
        self.signature = signature


# --------------------------------------------------------------------------- text
# Its parts (headings and bodies) are read by the pure rtes_bot.charter_text.


@cache
def default_text() -> str:
    """The text of version 1: the charter's Solecopedia page, byte for byte."""
    data = resources.files("rtes_bot").joinpath("data", "charte-v1.md")
    return data.read_bytes().decode("utf-8")


# --------------------------------------------------------------------------- versions


async def _latest(session: AsyncSession, guild_id: int) -> CharterVersion | None:
    result = await session.execute(
        select(CharterVersion)
        .where(col(CharterVersion.guild_id) == guild_id)
        .order_by(col(CharterVersion.version).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def current_version(session: AsyncSession, guild_id: int) -> CharterVersion:
    """The version in force; version 1 (the packaged text) is stored on first use."""
    latest = await _latest(session, guild_id)
    if latest is not None:
        return latest
    first = CharterVersion(guild_id=guild_id, version=1, text=default_text(), published_at=utcnow())
    try:
        # Not numbering (version 1 is the packaged text, created if absent): this runs in any
        # transaction, read-only ones too, which took no numbering turn. A concurrent first use
        # may have inserted version 1 meanwhile: the savepoint keeps the caller's transaction.
        async with session.begin_nested():
            session.add(first)
            await session.flush()
    except IntegrityError:
        latest = await _latest(session, guild_id)
        if latest is None:
            raise
        return latest
    return first


async def peek_current(session: AsyncSession, guild_id: int) -> CharterVersion:
    """The version in force, for reading only: never writes (version 1 is not stored by this)."""
    latest = await _latest(session, guild_id)
    if latest is not None:
        return latest
    return CharterVersion(guild_id=guild_id, version=1, text=default_text(), published_at=utcnow())


async def get_version(session: AsyncSession, guild_id: int, version: int | None) -> CharterVersion:
    """A given version (``None``: the current one)."""
    current = await current_version(session, guild_id)
    if version is None or version == current.version:
        return current
    result = await session.execute(
        select(CharterVersion).where(
            col(CharterVersion.guild_id) == guild_id, col(CharterVersion.version) == version
        )
    )
    found = result.scalar_one_or_none()
    if found is None:
        raise NotFound("charte.version-inconnue", version=version, derniere=current.version)
    return found


@dataclass(frozen=True)
class VersionSummary:
    version: int
    published_at: datetime
    published_by: int | None
    signatures: int
    is_current: bool


async def versions(session: AsyncSession, guild_id: int) -> list[VersionSummary]:
    """Every version, oldest first, with its number of signatures."""
    current = await current_version(session, guild_id)
    counts = (
        select(col(CharterSignature.charter_version_id), func.count().label("n"))
        .group_by(col(CharterSignature.charter_version_id))
        .subquery()
    )
    result = await session.execute(
        select(CharterVersion, counts.c.n)
        .outerjoin(counts, counts.c.charter_version_id == col(CharterVersion.id))
        .where(col(CharterVersion.guild_id) == guild_id)
        .order_by(col(CharterVersion.version))
    )
    return [
        VersionSummary(
            version=row.version,
            published_at=row.published_at,
            published_by=row.published_by,
            signatures=int(count or 0),
            is_current=row.version == current.version,
        )
        for row, count in result.all()
    ]


# --------------------------------------------------------------------------- signatures


@dataclass(frozen=True)
class Standing:
    """Where a person stands with the charter: the latest version they signed (``None``: never)
    and the version in force."""

    signed: int | None
    current: int


async def standing_of(session: AsyncSession, guild_id: int, elu_id: int) -> Standing:
    """The latest version ``elu_id`` signed, and the current one (read only: writes nothing)."""
    signed = (
        await session.execute(
            select(func.max(CharterVersion.version))
            .join(
                CharterSignature, col(CharterSignature.charter_version_id) == col(CharterVersion.id)
            )
            .where(col(CharterVersion.guild_id) == guild_id, col(CharterSignature.elu_id) == elu_id)
        )
    ).scalar_one_or_none()
    current = await peek_current(session, guild_id)
    return Standing(signed=signed, current=current.version)


async def signature_of(
    session: AsyncSession, version: CharterVersion, elu_id: int
) -> CharterSignature | None:
    result = await session.execute(
        select(CharterSignature).where(
            col(CharterSignature.charter_version_id) == version.id,
            col(CharterSignature.elu_id) == elu_id,
        )
    )
    return result.scalar_one_or_none()


async def sign(
    session: AsyncSession, *, guild_id: int, elu_id: int, actor_id: int
) -> CharterSignature:
    """Sign the current version for an élu (pending or active), with their collectivité.

    Raises :class:`AlreadySigned` (a :class:`Conflict`, key ``charte.deja-signee``) when this élu
    already signed the current version: nothing is written then, so callers may catch it and go on.
    """
    elu = await session.get(Elu, elu_id)
    if elu is None or elu.guild_id != guild_id:
        raise NotFound("charte.elu-inconnu")
    if elu.status not in SIGNER_STATUSES:
        raise NotAllowed("acces.adhesion-requise")
    version = await current_version(session, guild_id)
    existing = await signature_of(session, version, elu_id)
    if existing is not None:
        raise AlreadySigned(existing, version.version)
    collectivite = (
        await session.get(Collectivite, elu.collectivite_id) if elu.collectivite_id else None
    )
    assert version.id is not None
    signature = CharterSignature(
        charter_version_id=version.id,
        elu_id=elu_id,
        collectivite_id=collectivite.id if collectivite else None,
        collectivite_name=collectivite.name if collectivite else "",
        signed_at=utcnow(),
    )
    try:
        async with session.begin_nested():
            session.add(signature)
            await session.flush()
    except IntegrityError:
        # A double click: the other transaction signed first.
        existing = await signature_of(session, version, elu_id)
        if existing is None:
            raise
        raise AlreadySigned(existing, version.version) from None
    audit.record(
        session, guild_id, actor_id, "charte.signature", "charter_version", version.id,
        version=version.version, elu_id=elu_id,
    )  # fmt: skip
    return signature


@dataclass(frozen=True)
class Signatory:
    collectivite: str
    elu_name: str | None  # None: the élu erased their data (the collectivité's signature stays)
    signed_at: datetime


@dataclass
class SignatoryList:
    version: int
    signatories: list[Signatory] = field(default_factory=list)

    def by_collectivite(self) -> list[tuple[str, list[Signatory]]]:
        groups: dict[str, list[Signatory]] = {}
        for signatory in self.signatories:
            groups.setdefault(signatory.collectivite, []).append(signatory)
        return sorted(groups.items(), key=lambda item: fold(item[0]))

    @property
    def collectivites(self) -> int:
        return len({fold(s.collectivite) for s in self.signatories if s.collectivite})


async def signatories(
    session: AsyncSession, guild_id: int, version: int | None = None
) -> SignatoryList:
    """Who signed a version (default: the current one): collectivités and élus (names only)."""
    charter_version = await get_version(session, guild_id, version)
    result = await session.execute(
        select(CharterSignature, Elu, Collectivite)
        .outerjoin(Elu, col(Elu.id) == col(CharterSignature.elu_id))
        .outerjoin(Collectivite, col(Collectivite.id) == col(CharterSignature.collectivite_id))
        .where(col(CharterSignature.charter_version_id) == charter_version.id)
        .order_by(col(CharterSignature.signed_at), col(CharterSignature.id))
    )
    listing = SignatoryList(version=charter_version.version)
    for signature, elu, collectivite in result.all():
        name = collectivite.name if collectivite is not None else signature.collectivite_name
        erased = elu is None or elu.status == EluStatus.ERASED
        listing.signatories.append(
            Signatory(
                collectivite=name,
                elu_name=None if erased else elu.full_name,
                signed_at=signature.signed_at,
            )
        )
    return listing


# --------------------------------------------------------------------------- publication


def decode_upload(data: bytes) -> str:
    """The text of an uploaded charter file, or a precise refusal (size, encoding, empty)."""
    if len(data) > MAX_CHARTER_BYTES:
        raise InvalidInput("charte.publier.trop-long", taille=len(data), limite=MAX_CHARTER_BYTES)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput("charte.publier.encodage", ligne=line) from None
    if "\x00" in text:
        raise InvalidInput(
            "charte.publier.encodage", ligne=text[: text.index("\x00")].count("\n") + 1
        )
    if not text.strip():
        raise InvalidInput("charte.publier.vide")
    return text


async def publish(
    session: AsyncSession, *, guild_id: int, text: str, actor_id: int
) -> tuple[CharterVersion, list[Elu]]:
    """Publish a new version; returns it and the signatories of the previous one to ask again."""
    if not text.strip():
        raise InvalidInput("charte.publier.vide")
    if len(text.encode("utf-8")) > MAX_CHARTER_BYTES:
        raise InvalidInput(
            "charte.publier.trop-long", taille=len(text.encode("utf-8")), limite=MAX_CHARTER_BYTES
        )
    # The guild's turn first: the version replaced and the new number are read in the same turn,
    # so two publications one after the other replace each other, never the same version twice.
    await numbering.take_turn(session, CharterVersion.__tablename__, guild_id)
    previous = await current_version(session, guild_id)
    if previous.text.strip() == text.strip():
        raise Conflict("charte.publier.identique", version=previous.version)
    new = CharterVersion(
        guild_id=guild_id,
        version=await numbering.next_number(
            session, col(CharterVersion.version), col(CharterVersion.guild_id), guild_id
        ),
        text=text,
        published_by=actor_id,
        published_at=utcnow(),
    )
    session.add(new)
    await session.flush()
    result = await session.execute(
        select(Elu)
        .join(CharterSignature, col(CharterSignature.elu_id) == col(Elu.id))
        .where(
            col(CharterSignature.charter_version_id) == previous.id,
            col(Elu.status).in_([str(s) for s in SIGNER_STATUSES]),
            col(Elu.discord_user_id).is_not(None),
        )
        .order_by(col(Elu.id))
    )
    to_ask = list(result.scalars())
    audit.record(
        session, guild_id, actor_id, "charte.publication", "charter_version", new.id,
        version=new.version, previous=previous.version, signataires_a_relancer=len(to_ask),
    )  # fmt: skip
    return new, to_ask
