"""How many networks (Discord servers) one bot process holds: start-up time and resident memory
of the real bot process connected to an emulator holding N guilds.

    uv run python -m benchmarks.bench_guilds                 # 1, 250 and 1,000 guilds
    uv run python -m benchmarks.bench_guilds --guilds 1 2500

Each guild is shaped like a network installed by the bot: 12 text channels, 10 roles and
`--members` members (60 by default; below discord.py's large threshold of 250, so every member
comes with GUILD_CREATE and is cached, the heavier case). The bot runs as `rtes-bot run` does
(tests/support/bot_process.py) on an empty SQLite database; the time is from process start to the
first answered `/aide` in the last guild, the memory is read 3 s later (VmRSS). The growth
between two sizes divided by the guilds added is the cost of one more network.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.bench_bot import rss_mb
from benchmarks.common import machine
from tests.emulator import DiscordEmulator
from tests.support.processes import start_bot_process
from tests.support.rig import TEST_SECRET

CHANNELS = 12
ROLES = 10


async def measure(count: int, members: int, folder: Path) -> tuple[float, float]:
    """(seconds to the first answered `/aide`, MB resident) with `count` guilds."""
    emu = DiscordEmulator(valid_tokens=["bench-token"])
    await emu.start()
    try:
        guilds = []
        for index in range(count):
            names = [f"salon-{c}" for c in range(CHANNELS)]
            guild = emu.create_guild(f"Réseau {index}", community=True, channels=names)
            for role in range(ROLES):
                emu.create_role(guild, f"Rôle {role}")
            for person in range(members):
                emu.add_member(guild, emu.create_user(f"g{index}m{person}"))
            guilds.append(guild)
        last = guilds[-1]
        user = next(m.user for m in last.members.values() if m.user.id != emu.bot.id)
        started = time.perf_counter()
        process = await start_bot_process(
            emu.port,
            database_url=f"sqlite+aiosqlite:///{folder / f'bench-{count}.sqlite3'}",
            guild_id=last.id,
            data_dir=folder,
            secret_key=TEST_SECRET,
            token="bench-token",
        )
        try:
            await emu.wait_connected(1, timeout=300)
            await emu.wait_for(lambda: "Connected as" in process.log(), timeout=300)
            reply = await emu.slash(last, user, "aide", timeout=120)
            await reply.wait_done(120)
            ready = time.perf_counter() - started
            await asyncio.sleep(3.0)
            rss = rss_mb(process.process.pid)
        finally:
            await process.terminate()
        return ready, rss
    finally:
        await emu.stop()


async def run(sizes: list[int], members: int) -> None:
    print(machine())
    results: list[tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="rtes-bench-guilds-") as folder:
        await measure(1, members, Path(folder))  # warm-up: bytecode written, caches filled
        for count in sizes:
            ready, rss = await measure(count, members, Path(folder))
            results.append((count, ready, rss))
            print(
                f"{count:>6,} guilds ({members} members each): ready in {ready:.2f} s, RSS {rss:.0f} MB"
            )
    if len(results) > 1:
        (small, _, small_rss), (large, _, large_rss) = results[0], results[-1]
        per_guild = (large_rss - small_rss) * 1024 / (large - small)
        print(f"one more guild: {per_guild:.0f} kB resident")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, nargs="+", default=[1, 250, 1000])
    parser.add_argument("--members", type=int, default=60)
    args = parser.parse_args()
    asyncio.run(run(args.guilds, args.members))


if __name__ == "__main__":
    main()
