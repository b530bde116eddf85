"""One small reproduction per bug that the hostile-input fuzzing (tests/system/test_hostile_*.py) found
in a service, so that each owner sees their own fix turn green. Service level, on SQLite and
PostgreSQL; each must refuse with a catalog error (a ``DomainError``), never crash.
"""

from __future__ import annotations

from typing import Any

import pytest

from rtes_bot.catalog import CATALOG
from rtes_bot.errors import DomainError
from rtes_bot.models import FieldOfAction
from rtes_bot.services import collectivites, polls, proposals

#: Discord integer options go up to 2**53; PostgreSQL INTEGER columns stop at 2**31 - 1.
BEYOND_INT32 = 2**31


async def refused_or_crash(call: Any) -> str:
    """The catalog key of the refusal, or a description of the crash (to compare in one assert)."""
    try:
        await call()
    except DomainError as error:
        return error.key
    except Exception as error:
        return f"crash: {type(error).__name__}: {str(error)[:120]}"
    return "accepted"


async def refused(call: Any) -> str:
    """The catalog key ``call()`` was refused with; anything else fails the test with its repr."""
    try:
        await call()
    except DomainError as error:
        assert error.key in CATALOG
        return error.key
    except Exception as error:  # what the user would see as « erreur inattendue »
        pytest.fail(f"crashed instead of refusing: {type(error).__name__}: {str(error)[:300]}")
    pytest.fail("accepted")


async def test_poll_and_proposal_numbers_beyond_int32_are_unknown_not_a_crash(database) -> None:
    """`/voter scrutin:2147483648`, `/scrutin resultats|cloturer|exporter numero:…`,
    `/procuration … scrutin:…`, `/proposition voir|amender|retirer numero:…`,
    `/scrutin ouvrir proposition:…`: PostgreSQL raises « value out of int32 range »."""
    async with database.read() as session:
        assert (
            await refused(lambda: polls.get_by_number(session, 1, BEYOND_INT32))
            == "scrutin.inconnu"
        )
    async with database.read() as session:
        assert (
            await refused(lambda: proposals.get_by_number(session, 1, BEYOND_INT32))
            == "proposition.inconnue"
        )


async def test_collectivite_typed_as_a_big_number_is_unknown_not_a_crash(database) -> None:
    """`/admin referent collectivite:2147483648` (an id beyond PostgreSQL's INTEGER)."""
    async with database.read() as session:
        key = await refused(lambda: collectivites.find_collectivite(session, 1, "2147483648"))
    assert key == "collectivites.inconnue"


async def test_poll_field_typed_as_odd_digits_is_unknown_not_a_crash(database) -> None:
    """`/scrutin ouvrir domaine:፩` — `str.isdigit()` is true for Ethiopic/Tai Lue digits that
    `int()` refuses, and `int()` refuses more than 4,300 digits (services/fields.py `find_field`)."""
    from datetime import UTC, datetime

    async with database.begin() as session:
        session.add(FieldOfAction(guild_id=1, slug="cooperation", name="Coopération"))
    outcomes = {}
    for typed in ("፩", "᧚", "9" * 4400):
        request = polls.OpenRequest(duree="2h", question="Q ?", domaine=typed)
        async with database.begin() as session:

            async def open_poll(session: Any = session, request: Any = request) -> Any:
                return await polls.open_poll(
                    session, guild_id=1, actor_id=1, request=request, now=datetime.now(UTC)
                )

            outcomes[typed[:8]] = await refused_or_crash(open_poll)
    assert outcomes == dict.fromkeys(outcomes, "scrutin.domaine-inconnu")


async def test_declared_collectivite_whose_folded_name_outgrows_the_column(database) -> None:
    """The adhesion form's « collectivité » (≤ 200 characters) is stored with ``name_key =
    fold(name)``; NFKD folding makes it longer (« ﷺ » is 18 characters once folded) and PostgreSQL
    refuses more than 200 (`StringDataRightTruncationError`): the élu gets « erreur inattendue »."""
    outcomes = {}
    for name in ("ﷺ" * 12, "㈱" * 70):
        try:
            async with database.begin() as session:
                row = await collectivites.declare_new(session, 1, name, actor_id=1)
                assert row.id is not None
            async with database.read() as session:
                found = await collectivites.find_collectivite(session, 1, name)
            outcomes[name[:3]] = "stored" if found.id == row.id else "lost"
        except Exception as error:
            outcomes[name[:3]] = f"{type(error).__name__}: {str(error)[:120]}"
    assert outcomes == dict.fromkeys(outcomes, "stored")
