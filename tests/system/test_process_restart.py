"""The bot as a separate process: killed with SIGKILL and started again on the same database."""

from __future__ import annotations

from pathlib import Path

from tests.support.processes import start_bot_process
from tests.support.rig import TEST_SECRET, TEST_TOKEN


async def test_bot_process_survives_sigkill_and_answers_after_restart(
    emulator, database_url: str, tmp_path: Path
) -> None:
    guild = emulator.create_guild("RTES", community=True)
    user = emulator.create_user("camille")
    emulator.add_member(guild, user)
    kwargs = dict(
        database_url=database_url,
        guild_id=guild.id,
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET,
        token=TEST_TOKEN,
    )
    first = await start_bot_process(emulator.port, **kwargs)
    try:
        await emulator.wait_connected(1, timeout=30)
        await emulator.wait_for(lambda: emulator.commands(guild), timeout=30)
        reply = await emulator.slash(guild, user, "aide", timeout=15)
        assert "Ce que je peux faire pour vous" in reply.text
    finally:
        await first.kill()
    assert first.process.returncode == -9
    await emulator.wait_for(lambda: not emulator.connected, timeout=10)

    second = await start_bot_process(emulator.port, **kwargs)
    try:
        await emulator.wait_connected(1, timeout=30)
        reply = await emulator.slash(guild, user, "aide", timeout=15)
        assert "Ce que je peux faire pour vous" in reply.text
    finally:
        await second.terminate()
    assert "Traceback" not in first.log() + second.log(), first.log() + second.log()
