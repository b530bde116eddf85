"""The charter's service on a real database: version 1 is the charter's page verbatim,
signatures per version, publication and the list of signatories to ask again. Its parts:
test_charter_text.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rtes_bot.errors import Conflict, InvalidInput, NotAllowed
from rtes_bot.models import CharterSignature, CharterVersion, Collectivite, Elu, EluStatus
from rtes_bot.services import charter
from tests.support import paths

#: the charter's Solecopedia page as saved beside the repository, when it is there
ORIGINAL = paths.SHARED / "seed" / "charte-rtes-solecopedia.txt"
PACKAGED = paths.ROOT / "rtes_bot" / "data" / "charte-v1.md"
GUILD = 4242


def original_bytes() -> bytes:
    if not ORIGINAL.exists():
        pytest.skip("the charter's original page is not beside the repository")
    return ORIGINAL.read_bytes()


def test_version_one_is_the_original_page_byte_for_byte() -> None:
    assert PACKAGED.read_bytes() == original_bytes()
    assert charter.default_text().encode("utf-8") == original_bytes()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "charte.publier.vide"),
        (b"  \n\n ", "charte.publier.vide"),
        ("# Charte\n\nÉconomie\n".encode("latin-1"), "charte.publier.encodage"),
        (b"x" * (charter.MAX_CHARTER_BYTES + 1), "charte.publier.trop-long"),
    ],
)
def test_uploads_are_refused_precisely(data: bytes, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        charter.decode_upload(data)
    assert refused.value.key == key


def test_uploads_accept_utf8_with_or_without_bom() -> None:
    text = "# Charte v2\n\nCoopération.\n"
    assert charter.decode_upload(text.encode()) == text
    assert charter.decode_upload(b"\xef\xbb\xbf" + text.encode()) == text


async def _elu(
    session, name: str, status: str = EluStatus.ACTIVE, collectivite: Collectivite | None = None
) -> Elu:
    elu = Elu(
        guild_id=GUILD,
        discord_user_id=abs(hash(name)) % 10**15,
        full_name=name,
        status=status,
        collectivite_id=collectivite.id if collectivite else None,
    )
    session.add(elu)
    await session.flush()
    return elu


async def test_signatures_are_per_version_and_a_new_version_asks_signatories_again(
    database,
) -> None:
    async with database.begin() as session:
        grenoble = Collectivite(guild_id=GUILD, name="Grenoble", name_key="grenoble")
        session.add(grenoble)
        await session.flush()
        alice = await _elu(session, "Alice", collectivite=grenoble)
        paul = await _elu(session, "Paul", EluStatus.PENDING)
        rita = await _elu(session, "Rita", EluStatus.REJECTED)
        v1 = await charter.current_version(session, GUILD)
        assert v1.version == 1 and v1.text == charter.default_text()
        signed = await charter.sign(session, guild_id=GUILD, elu_id=alice.id, actor_id=1)
        assert (signed.collectivite_id, signed.collectivite_name) == (grenoble.id, "Grenoble")
        await charter.sign(session, guild_id=GUILD, elu_id=paul.id, actor_id=2)
        with pytest.raises(charter.AlreadySigned):
            await charter.sign(session, guild_id=GUILD, elu_id=alice.id, actor_id=1)
        with pytest.raises(NotAllowed):
            await charter.sign(session, guild_id=GUILD, elu_id=rita.id, actor_id=3)
    async with database.begin() as session:
        v2, to_ask = await charter.publish(
            session, guild_id=GUILD, text="# Charte\n\nNouveau texte.", actor_id=9
        )
        assert v2.version == 2
        assert sorted(e.full_name for e in to_ask) == ["Alice", "Paul"]
        with pytest.raises(Conflict):
            await charter.publish(
                session, guild_id=GUILD, text="# Charte\n\nNouveau texte.\n", actor_id=9
            )
    async with database.begin() as session:
        current = await charter.current_version(session, GUILD)
        assert await charter.signature_of(session, current, alice.id) is None
        await charter.sign(session, guild_id=GUILD, elu_id=alice.id, actor_id=1)
        first = await charter.signatories(session, GUILD, 1)
        second = await charter.signatories(session, GUILD)
        assert sorted(s.elu_name or "" for s in first.signatories) == ["Alice", "Paul"]
        assert [s.elu_name for s in second.signatories] == ["Alice"]
        summaries = await charter.versions(session, GUILD)
        assert [(s.version, s.signatures, s.is_current) for s in summaries] == [
            (1, 2, False),
            (2, 1, True),
        ]
        count = await session.scalar(select(func.count()).select_from(CharterVersion))
        assert count == 2
        assert await session.scalar(select(func.count()).select_from(CharterSignature)) == 3


async def test_first_use_in_two_transactions_creates_version_one_once(database) -> None:
    async with database.read() as session:
        peeked = await charter.peek_current(session, GUILD)
        assert (peeked.version, peeked.text) == (1, charter.default_text())
    async with database.read() as session:
        assert await session.scalar(select(func.count()).select_from(CharterVersion)) == 0
    async with database.begin() as session:
        first = await charter.current_version(session, GUILD)
    async with database.begin() as session:
        again = await charter.current_version(session, GUILD)
    assert first.id == again.id


async def test_two_publications_at_once_take_turns_and_draw_consecutive_numbers(database) -> None:
    """The guild's numbering turn (PostgreSQL advisory lock; SQLite's write lock): the second
    publication replaces the first one's version instead of failing or drawing its number."""
    import asyncio

    async with database.begin() as session:
        await charter.current_version(session, GUILD)

    async def publish(text: str) -> int:
        async with database.begin() as session:
            version, _ = await charter.publish(session, guild_id=GUILD, text=text, actor_id=9)
            return version.version

    numbers = await asyncio.gather(publish("# Charte\n\nUn."), publish("# Charte\n\nDeux."))
    assert sorted(numbers) == [2, 3]
    async with database.read() as session:
        assert [s.version for s in await charter.versions(session, GUILD)] == [1, 2, 3]
