"""On a large guild (members not chunked, GUILD_CREATE carries only the bot), after a restart the
cache holds nobody: Valider on the bureau card still finds the applicant (fetched from Discord)
and gives their roles; a DM question gets the asker's roles from the guild the same way."""

from __future__ import annotations

from pathlib import Path

from rtes_bot.clock import Clock
from rtes_bot.models import EluStatus
from tests.emulator.harness import run_client
from tests.support.catalog import said
from tests.support.onboarding import card_of, elu_of, installed, register
from tests.support.rig import TEST_TOKEN, Rig, make_bot, make_settings


async def test_valider_after_a_restart_on_a_large_guild_fetches_the_applicant(
    emulator, database_url: str, tmp_path: Path, http_guard, error_log
) -> None:
    guild = emulator.create_guild("RTES", community=True, large=True)
    admin = emulator.create_user("bureau_admin", global_name="Admin Bureau")
    emulator.add_member(guild, admin, administrator=True)
    anne = emulator.create_user("anne_dupont", global_name="Anne Dupont")
    emulator.add_member(guild, anne)
    settings = make_settings(database_url, guild.id, tmp_path / "data")
    clock = Clock()

    first = make_bot(settings, clock)
    async with run_client(emulator, first, token=TEST_TOKEN):
        rig = Rig(emu=emulator, guild=guild, bot=first, admin=admin, settings=settings, clock=clock)
        assert emulator.is_large(guild)  # GUILD_CREATE carried only the bot's member
        assert first.get_guild(guild.id).get_member(anne.id) is None
        grenoble = await installed(rig)
        await register(rig, anne, collectivite_id=grenoble.id)
        elu = await elu_of(rig, anne)
        assert elu is not None and elu.status == EluStatus.PENDING
        card = card_of(rig, elu.id)
    assert emulator.member_role_names(guild, anne) == {"En attente"}

    second = make_bot(settings, clock)  # a restart: an empty member cache
    async with run_client(emulator, second, token=TEST_TOKEN):
        rig = Rig(
            emu=emulator, guild=guild, bot=second, admin=admin, settings=settings, clock=clock
        )
        assert second.get_guild(guild.id).get_member(anne.id) is None
        done = await emulator.click(guild, admin, card, f"rtes:adhesion:valider:{elu.id}")
        await done.wait_done()
        assert said("adhesion.validee.bureau", nom="Anne Dupont") in done.text
        await emulator.wait_for(lambda: "Élu·e" in emulator.member_role_names(guild, anne))
        assert "En attente" not in emulator.member_role_names(guild, anne)
        assert emulator.requests_to("GET", rf"^/guilds/{guild.id}/members/{anne.id}$")
        assert emulator.member_requests == []  # fetched one by one, never chunked
        assert (await elu_of(rig, anne)).status == EluStatus.ACTIVE


async def test_a_dm_question_on_a_large_guild_knows_the_askers_roles(
    emulator, database_url: str, tmp_path: Path, http_guard, error_log
) -> None:
    """The assistant answers a DM as the person is in the guild: a bureau member (role Bureau,
    absent from the cache) is told about the bureau's commands, not refused as a visitor."""
    guild = emulator.create_guild("RTES", community=True, large=True)
    admin = emulator.create_user("bureau_admin", global_name="Admin Bureau")
    emulator.add_member(guild, admin, administrator=True)
    settings = make_settings(database_url, guild.id, tmp_path / "data")
    bot = make_bot(settings)
    async with run_client(emulator, bot, token=TEST_TOKEN):
        assert bot.get_guild(guild.id).get_member(admin.id) is None
        await emulator.dm(admin, "comment ouvrir un scrutin ?")
        answers = await emulator.wait_for(
            lambda: [m for m in emulator.dms_to(admin) if m.author.bot]
        )
        assert "/scrutin ouvrir" in answers[0].text
        # a visitor would be told it is the bureau's task; the bureau member is not
        assert said("assistant.tache.bureau") not in answers[0].text
        assert emulator.requests_to("GET", rf"^/guilds/{guild.id}/members/{admin.id}$")
