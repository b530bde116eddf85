"""Start and kill bot processes (for crash/restart tests)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support import paths

ROOT = paths.ROOT


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log_path: Path

    async def kill(self) -> None:
        """SIGKILL: no chance to clean up, like a power cut."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def terminate(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                await self.kill()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


async def start_bot_process(
    port: int,
    *,
    database_url: str,
    guild_id: int,
    data_dir: Path,
    secret_key: str,
    token: str,
    name: str = "bot",
    env: Mapping[str, str] | None = None,
) -> BotProcess:
    """Start the bot process; `env` adds to (or overrides) the settings given here."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": token,
        "DATABASE_URL": database_url,
        "GUILD_IDS": str(guild_id),
        "SECRET_KEY": secret_key,
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    data_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - test set-up, before the process starts
    log_path = data_dir / f"{name}-{os.urandom(3).hex()}.log"
    handle = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.bot_process",
        str(port),
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=asyncio.subprocess.STDOUT,
    )
    handle.close()
    return BotProcess(process=process, log_path=log_path)


#: seconds a command run by :func:`run_command` may take before the test gives up
COMMAND_TIMEOUT = 90


async def run_command(
    args: list[str],
    env: dict[str, str],
    *,
    port: int | None = None,
    cwd: Path = ROOT,
) -> tuple[int, str, str]:
    """``rtes-bot ARGS…`` as a process that ends by itself: its exit code, stdout and stderr.

    With ``port``, discord.py's URLs point at that port (tests/support/bot_process.py: an
    emulator, or nothing listening); without, it is ``python -m rtes_bot`` as an operator runs it.
    """
    target = ["tests.support.bot_process", str(port)] if port is not None else ["rtes_bot"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        *target,
        *args,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()
